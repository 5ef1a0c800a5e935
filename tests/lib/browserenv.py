"""What the browser tests need: Node.js >= 20, npm, Chromium and the node
modules of tests/browser (playwright-core, installed on first use). Each
check is a TAP line; their absence is a failure, not a skip (CI installs
them with scripts/install-deps.sh)."""
import os
import re
import shutil
import subprocess

from tap import ROOT, ok, relay  # noqa: F401 (relay: for the browser tests)

HERE = os.path.join(ROOT, "tests", "browser")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
INSTALL = "run scripts/install-deps.sh as root (Debian packages chromium, nodejs, npm)"


def tail(text, lines=15):
    return "\n".join(text.strip().splitlines()[-lines:])


def ready():
    """Checks the tools and installs the node modules; returns the path of
    node, or None when something is missing (already reported)."""
    node = shutil.which("node")
    node_major = 0
    version = ""
    if node:
        version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
        m = re.match(r"v(\d+)\.", version)
        node_major = int(m.group(1)) if m else 0
    have_node = ok(node and node_major >= 20, "Node.js >= 20 is installed (%s)" % (version or "not found"),
                   "node %s: playwright-core needs Node.js 20 or later; %s"
                   % ("not found" if not node else "is too old", INSTALL))
    npm = shutil.which("npm")
    have_npm = ok(npm, "npm is installed", "npm not found: " + INSTALL)
    have_chromium = ok(os.access(CHROMIUM, os.X_OK), "Chromium is installed (%s)" % CHROMIUM,
                       "%s not found: %s" % (CHROMIUM, INSTALL))
    if not (have_node and have_npm and have_chromium):
        return None
    lock = os.path.join(HERE, "package-lock.json")
    hidden_lock = os.path.join(HERE, "node_modules", ".package-lock.json")
    pw = os.path.join(HERE, "node_modules", "playwright-core", "package.json")
    fresh = (os.path.exists(pw) and os.path.exists(hidden_lock)
             and (not os.path.exists(lock) or os.path.getmtime(hidden_lock) >= os.path.getmtime(lock)))
    if fresh:
        ok(True, "node modules already installed in tests/browser/node_modules")
        return node
    cmd = [npm, "ci" if os.path.exists(lock) else "install", "--no-audit", "--no-fund", "--loglevel=error"]
    try:
        p = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True, timeout=300)
        rc, log = p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired as e:
        rc, log = -1, "timed out after 300 s\n%s" % (e.stdout or "")
    return node if ok(rc == 0, "%s in tests/browser" % " ".join(["npm"] + cmd[1:2]), tail(log)) else None


def demo_portal():
    """What a browser test needs first: node (None when a tool is missing,
    reported), the screenshots' folder ($JUESUAN_BUILD/browser, or its
    postgresql/ when JUESUAN_DB is set) and `juesuan serve --demo` on
    JUESUAN_DB (None when it did not start, reported)."""
    from portal import Portal
    build = os.environ.get("JUESUAN_BUILD", os.path.join(ROOT, "build"))
    outdir = os.path.join(build, "browser", "postgresql") if os.environ.get("JUESUAN_DB") \
        else os.path.join(build, "browser")
    node = ready()
    if not node:
        return None, outdir, None
    portal = Portal(db=os.environ.get("JUESUAN_DB"))
    if not ok(portal.ready(), "juesuan serve --demo starts", "\n".join(portal.output[-10:]) + portal.stderr()):
        portal.stop()
        return node, outdir, None
    return node, outdir, portal


def walk(node, script, config, outdir, shots):
    """Runs the walk tests/browser/SCRIPT with its CONFIG (a file) and
    OUTDIR in Chromium, relays its TAP lines, and fails when it did not
    finish; notes where its screenshots (the glob shots) are."""
    try:
        p = subprocess.run([node, os.path.join(HERE, script), config, outdir], capture_output=True, text=True,
                           timeout=300, env=dict(os.environ, CHROMIUM=CHROMIUM))
        rc, stdout, stderr = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        rc, stdout, stderr = -1, e.stdout or "", "%s timed out after 300 s" % script
        if isinstance(stdout, bytes):
            stdout = stdout.decode("utf-8", "replace")
    planned = relay(stdout)
    if (rc != 0 and "not ok" not in stdout) or not planned:
        ok(False, "%s finished (exit %d)" % (script, rc), tail(stderr))
    else:
        print("# screenshots: %s/%s" % (outdir, shots))
