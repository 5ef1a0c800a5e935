"""A portal under test: starts `juesuan serve` on 127.0.0.1 (any free port),
waits for the line it prints when it listens (never a sleep), and talks to
it over HTTP without following redirects. Sessions keep their cookie and
their CSRF token (read from the pages' hidden fields)."""
import html
import http.client
import io
import os
import re
import select
import subprocess
import tempfile
import threading
import time
import uuid
import zipfile

from tap import JUESUAN, ROOT, done, is_, ok, relay

READY_TIMEOUT = 300  # seconds for the demo's seeding and the first listen


def lsan_tracer_fault(err):
    """err is only LeakSanitizer's message that its tracer faulted."""
    lines = [line for line in err.splitlines() if line.strip()]
    return bool(lines) and re.match(r"Tracer caught signal \d+: ", lines[0]) is not None and all(
        re.match(r"==\d+==(LeakSanitizer has encountered a fatal error\.|HINT: )", line) for line in lines[1:])


class Portal:
    def __init__(self, db=None, demo=True, extra=(), program=None):
        self.tmp = tempfile.mkdtemp(prefix="juesuan-portal-")
        self.db = db or os.path.join(self.tmp, "portal.db")
        args = [program or JUESUAN, "serve", "--db", self.db, "--listen", "127.0.0.1:0", "--workers", "2"]
        if demo:
            args.append("--demo")
        args += list(extra)
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # standard error read all along: a server never blocks on a full pipe
        # (a sanitizer's report at exit can be longer than the pipe holds)
        self._err = bytearray()
        self._err_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._err_reader.start()
        self.passwords = {}
        self.port = None
        self.output = []
        deadline = time.monotonic() + READY_TIMEOUT
        buf = b""
        while self.port is None:
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                break
            r, _, _ = select.select([self.proc.stdout], [], [], left)
            if not r:
                continue
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                text = line.decode("utf-8", "replace")
                self.output.append(text)
                m = re.match(r"\s+(demo-\w+)\s+密码 (\S+)", text)
                if m:
                    self.passwords[m.group(1)] = m.group(2)
                m = re.search(r"http://127\.0\.0\.1:(\d+)/", text)
                if m:
                    self.port = int(m.group(1))

    def ready(self):
        return self.port is not None

    @classmethod
    def demo(cls, extra=()):
        """The demo portal every public-side test starts on (JUESUAN_DB's
        database, else a throwaway SQLite file), checked as it starts: the
        test ends there if it does not."""
        portal = cls(db=os.environ.get("JUESUAN_DB"), extra=extra)
        if not ok(portal.ready(), "juesuan serve --demo starts", "\n".join(portal.output[-10:]) + portal.stderr()):
            portal.stop()
            done()
        return portal

    def rows(self, sql):
        """Rows of a question to the portal's database (SQLite or
        PostgreSQL), each a tuple of strings."""
        if self.db.startswith("postgresql:"):
            from pgserver import PGBIN
            out = subprocess.run([os.path.join(PGBIN, "psql"), "-X", "-A", "-t", "-F", "\t", "-d", self.db, "-c", sql],
                                 capture_output=True, text=True, timeout=300).stdout
            return [tuple(line.split("\t")) for line in out.splitlines() if line]
        import sqlite3
        with sqlite3.connect(self.db, timeout=300) as c:
            return [tuple(str(x) for x in row) for row in c.execute(sql).fetchall()]

    def _read_stderr(self):
        for chunk in iter(lambda: os.read(self.proc.stderr.fileno(), 65536), b""):
            self._err += chunk
            del self._err[:-(1 << 20)]  # the last MB is enough to say why

    def stderr(self):
        """What the server wrote on standard error, once it has exited."""
        if self.proc.poll() is None:
            return ""
        self._err_reader.join(timeout=60)
        return self._err.decode("utf-8", "replace")

    def stops_cleanly(self, name="the server stops on SIGTERM with status 0"):
        rc = self.stop()
        err = self.stderr()
        if rc == 1 and lsan_tracer_fault(err):
            # LeakSanitizer's own stop-the-world tracer can crash at exit in
            # a process whose threads used dynamic TLS (the PDF plugin's
            # libraries in the portal's workers): a fault of the runtime, not
            # a leak report (google/sanitizers#1353). The exit's leak check
            # did not run; anything else on standard error still fails.
            print("# %s: the leak check at exit could not run (LeakSanitizer's tracer faulted)" % name)
            rc = 0
        return ok(rc == 0, name, "exit %s\n%s" % (rc, err[-4000:]))


    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def client(self):
        return Client(self.port)

    def add_preparer(self, adm, code, name, login, password, display=None):
        """Through the admin session adm: a new department (code, name)
        and its preparer login, then that preparer signed in."""
        is_(adm.post("/admin/depts", {"code": code, "name": name, "profile": "default"}).status, 303,
            "the admin adds department %s" % code)
        m = re.search(r'<option value="(\d+)">%s</option>' % re.escape(html.escape(name)), adm.get("/admin/").text)
        is_(adm.post("/admin/users", {"login": login, "display": display or login, "password": password, "role0": "1",
                                      "dept": m.group(1) if m else ""}).status, 303, "with its preparer %s" % login)
        return self.staff(login, password)

    def staff(self, login, password):
        """A client logged in as login (asserts the 303 of the login)."""
        c = self.client()
        r = c.login(login, password)
        ok(r.status == 303, "%s logs in (303 to %s)" % (login, r.header("Location")), r.text[-300:])
        return c


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None


class Client:
    def __init__(self, port):
        self.port = port
        self.cookie = None  # "sid=..."
        self.csrf = None

    def request(self, method, path, body=None, headers=None, cookie=True):
        h = {"Host": "127.0.0.1:%d" % self.port}
        if cookie and self.cookie:
            h["Cookie"] = self.cookie
        h.update(headers or {})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            resp = Response(r.status, r.getheaders(), r.read())
        finally:
            conn.close()
        sc = resp.header("Set-Cookie")
        if sc:
            pair = sc.split(";", 1)[0]
            self.cookie = None if "Max-Age=0" in sc else pair
        m = re.search(r'name="csrf" value="([^"]+)"', resp.text) if resp.body[:1] == b"<" else None
        if m:
            self.csrf = m.group(1)
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def get_json(self, path, **kw):
        """(response, its body as JSON or None)."""
        import json
        r = self.get(path, **kw)
        try:
            return r, json.loads(r.body)
        except ValueError:
            return r, None

    def post(self, path, fields=None, files=None, csrf=True, headers=None):
        fields = dict(fields or {})
        if csrf and self.csrf and "csrf" not in fields:
            fields["csrf"] = self.csrf
        if files:
            boundary = uuid.uuid4().hex
            out = io.BytesIO()
            for k, v in fields.items():
                out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n" % (boundary, k)).encode())
                out.write(v.encode() if isinstance(v, str) else v)
                out.write(b"\r\n")
            for k, (name, data) in files.items():
                out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                           "Content-Type: application/octet-stream\r\n\r\n" % (boundary, k, name)).encode())
                out.write(data)
                out.write(b"\r\n")
            out.write(("--%s--\r\n" % boundary).encode())
            body = out.getvalue()
            ctype = "multipart/form-data; boundary=" + boundary
        else:
            from urllib.parse import urlencode
            body = urlencode(fields).encode()
            ctype = "application/x-www-form-urlencoded"
        h = {"Content-Type": ctype}
        h.update(headers or {})
        return self.request("POST", path, body=body, headers=h)

    def login(self, login, password):
        self.get("/login")
        self.csrf = None
        r = self.post("/login", {"login": login, "password": password})
        if r.status == 303:  # the new session's token, from the page landed on
            self.get(r.header("Location"))
        return r


def zip_folder(folder, edit=None):
    """The CSV sheets of folder as a .zip (in memory); edit(name, text)
    may change a sheet's text."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".csv"):
                continue
            with open(os.path.join(folder, name), "rb") as f:
                data = f.read()
            if edit:
                data = edit(name, data.decode("utf-8-sig")).encode("utf-8")
            z.writestr(name, data)
    return out.getvalue()


def example(name):
    return os.path.join(ROOT, "examples", name)


def upload(c, data, name="synthetic-2024.zip", fields=None):
    """Uploads data as c from its work page: (response, the new version's
    id from the redirect, or None)."""
    c.get("/work/")
    r = c.post("/work/upload", fields or {}, files={"file": (name, data)})
    loc = r.header("Location") or ""
    m = re.match(r"/version/(\d+)$", loc)
    return r, (m.group(1) if m else None)


def explain_keys(c, v):
    """The keys of the findings of version v that ask for an explanation."""
    return [html.unescape(k) for k in re.findall(r'name="key" value="([^"]+)"', c.get("/version/%s" % v).text)]


def explain_all(c, v, text="已核实：为更正以前年度多列支出。"):
    """Explains every finding of version v that asks for it; how many."""
    keys = explain_keys(c, v)
    for k in keys:
        c.post("/version/%s/explain" % v, {"key": k, "text": text})
    return len(keys)


def version_ids(page):
    return [int(x) for x in re.findall(r'href="/version/(\d+)"', page)]


def final_version_ids(page):
    """The 决算 versions of a work page (the demo's department has its 预算 too)."""
    return [int(x) for x in re.findall(r'href="/version/(\d+)">\d+ 年度决算', page)]


def also_on_postgresql(script):
    """Runs script again against a PostgreSQL server started for it
    (tests/lib/pgserver.py), its TAP lines prefixed "postgresql: ", unless
    this run is already that one (JUESUAN_DB set)."""
    if os.environ.get("JUESUAN_DB"):
        return
    import sys
    from pgserver import PgServer
    try:
        with PgServer() as pg:
            url = pg.create("portal")
            p = subprocess.run([sys.executable, script], capture_output=True, text=True, timeout=900,
                               env=dict(os.environ, JUESUAN_DB=url))
            planned = relay(p.stdout, "postgresql: ")
            ok(planned and p.returncode == 0, "postgresql: the same test passes against PostgreSQL",
               p.stderr[-2000:] + ("" if planned else p.stdout[-2000:]))
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        ok(False, "postgresql: a PostgreSQL server for the test", str(e)[-2000:])
