#!/usr/bin/env python3
"""bench_store against PostgreSQL: starts a throwaway server
(tests/lib/pgserver.py), runs BUILD/bench/bench_store on a fresh database,
and removes the server. Usage: bench/store_pg.py [BUILD] (default build)."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from pgserver import PgServer  # noqa: E402

build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
with PgServer() as pg:
    rc = subprocess.run([os.path.join(build, "bench", "bench_store"), pg.create("bench")]).returncode
sys.exit(rc)
