#!/usr/bin/env python3
"""The portal's public side in a real browser (Chromium through
playwright-core, tests/browser/browse-walk.js) against `juesuan serve
--demo`: an anonymous visitor finds a department by name from the home
page, opens two of its years, compares them with a peer, downloads a
table's CSV and the region-year's zip (checked against the published
SHA-256); screenshots at phone and desktop widths are kept in
$JUESUAN_BUILD/browser/browse-*.png (SQLite) and
$JUESUAN_BUILD/browser/postgresql/browse-*.png. Run on SQLite, then again
on a PostgreSQL server started for it (tests/lib/pgserver.py)."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import done, ok  # noqa: E402
from browserenv import demo_portal, walk  # noqa: E402
from portal import also_on_postgresql  # noqa: E402

node, OUTDIR, portal = demo_portal()
if not portal:
    done()
sha = portal.client().get("/api/v1/years/2024/bundle.zip.sha256").text.split()[0]
tmp = tempfile.mkdtemp(prefix="juesuan-browse-")
cfg = os.path.join(tmp, "browse.json")
with open(cfg, "w") as f:
    json.dump({"base": "http://127.0.0.1:%d" % portal.port, "query": "生成部门00001", "dept": "gen-00001",
               "years": [2024, 2023], "peer": "gen-00002-2024", "zip_sha256": sha,
               "phases": "/2024/qingshan/"}, f, ensure_ascii=False)
walk(node, "browse-walk.js", cfg, OUTDIR, "browse-*.png")
portal.stops_cleanly()
also_on_postgresql(os.path.abspath(__file__))
done()
