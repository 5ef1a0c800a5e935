"""A throwaway PostgreSQL server for the tests (Debian postgresql 15).

    with PgServer() as pg:
        url = pg.create("mydb")      # postgresql:///mydb?host=…&user=juesuan

initdb runs into a fresh temporary folder, as the `postgres` system user when
the tests run as root (CI does; PostgreSQL refuses to run as root), else as
the current user. The server listens only on a Unix socket in that folder
(no TCP port), and is stopped and the folder removed on exit, also when a
test fails or the script is interrupted. Readiness is waited for with
pg_isready (asked again until it answers), not with fixed sleeps.
"""
import atexit
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

PGBIN = os.environ.get("JUESUAN_PGBIN", "/usr/lib/postgresql/15/bin")
SUPERUSER = "juesuan"
READY_SECONDS = 120


class PgServer:
    def __init__(self):
        self.dir = None
        self.running = False

    def _as_owner(self, argv):
        """argv run as the unprivileged owner of the cluster."""
        if os.getuid() == 0:
            return ["runuser", "-u", "postgres", "--"] + argv
        return argv

    def _run(self, argv, **kw):
        return subprocess.run(self._as_owner(argv), capture_output=True, text=True, **kw)

    def __enter__(self):
        self.start_new()
        return self

    def __exit__(self, *exc):
        self.remove()
        return False

    def start_new(self):
        if not os.path.exists(os.path.join(PGBIN, "initdb")):
            raise RuntimeError("PostgreSQL 15 is not installed (%s); run scripts/install-deps.sh" % PGBIN)
        if not stat.S_ISCHR(os.stat(os.devnull).st_mode):
            raise RuntimeError("%s is not the null device any more (a process replaced it with a file);"
                               " initdb cannot run: restore it with `mknod -m 666 /dev/null c 1 3`" % os.devnull)
        self.dir = tempfile.mkdtemp(prefix="juesuan-pg-")
        atexit.register(self.remove)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, lambda *_: sys.exit(1))
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        p = self._run([os.path.join(PGBIN, "initdb"), "-D", self.data, "-U", SUPERUSER,
                       "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions",
                       "--no-sync"])
        if p.returncode != 0:
            raise RuntimeError("initdb failed: " + p.stderr)
        self.start()

    @property
    def data(self):
        return os.path.join(self.dir, "data")

    def start(self):
        # No TCP: listen_addresses empty, the socket in our folder only.
        opts = "-c listen_addresses='' -k %s -c max_connections=50" % self.dir
        p = self._run([os.path.join(PGBIN, "pg_ctl"), "-D", self.data, "-l",
                       os.path.join(self.dir, "log"), "-o", opts, "-W", "start"])
        if p.returncode != 0:
            raise RuntimeError("pg_ctl start failed: " + p.stderr + self.log())
        self.running = True
        # pg_isready asks the server until it accepts connections (1: still
        # starting, 2: no socket yet), pausing briefly between questions.
        deadline = time.monotonic() + READY_SECONDS
        while True:
            p = subprocess.run([os.path.join(PGBIN, "pg_isready"), "-q", "-h", self.dir, "-U",
                                SUPERUSER, "-d", "postgres", "-t", "5"])
            if p.returncode == 0:
                break
            if p.returncode not in (1, 2) or time.monotonic() > deadline:
                raise RuntimeError("PostgreSQL did not become ready:\n" + self.log())
            time.sleep(0.1)

    def stop(self, mode="fast"):
        """Stops the server; mode "immediate" is a crash (no checkpoint; the
        next start recovers from the WAL)."""
        if self.running:
            self._run([os.path.join(PGBIN, "pg_ctl"), "-D", self.data, "-m", mode, "-w", "stop"])
            self.running = False

    def remove(self):
        if self.dir:
            self.stop("immediate")
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def log(self):
        try:
            with open(os.path.join(self.dir, "log"), encoding="utf-8", errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def psql(self, db, sql):
        """Runs sql in db; returns (exit code, output)."""
        p = subprocess.run([os.path.join(PGBIN, "psql"), "-X", "-q", "-A", "-t", "-v",
                            "ON_ERROR_STOP=1", "-h", self.dir, "-U", SUPERUSER, "-d", db,
                            "-c", sql], capture_output=True, text=True)
        return p.returncode, (p.stdout + p.stderr).strip()

    def create(self, db):
        """Creates database db (a plain identifier) and returns its URL."""
        rc, out = self.psql("postgres", 'CREATE DATABASE "%s"' % db)
        if rc != 0:
            raise RuntimeError("CREATE DATABASE %s: %s" % (db, out))
        return self.url(db)

    def url(self, db):
        return "postgresql:///%s?host=%s&user=%s" % (db, self.dir, SUPERUSER)

    def amcheck(self, db):
        """pg_amcheck over every table and index of db: (exit code, output)."""
        p = subprocess.run([os.path.join(PGBIN, "pg_amcheck"), "--install-missing", "-h", self.dir,
                            "-U", SUPERUSER, "-d", db, "--heapallindexed"],
                           capture_output=True, text=True)
        return p.returncode, (p.stdout + p.stderr).strip()
