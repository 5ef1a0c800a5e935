#!/usr/bin/env python3
"""The report in a real browser: builds the bundled example and opens its
report.html in headless Chromium at phone and A4 widths (tests/browser/
check-page.js). Until juesuan writes report.html, checks tests/browser/
sample.html instead. Screenshots and the PDF are kept in $JUESUAN_BUILD/browser.

Chromium, Node.js and npm are required: CI installs them (scripts/
install-deps.sh), so their absence is a failure, not a skip."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import JUESUAN, ROOT, done, example, ok  # noqa: E402

HERE = os.path.join(ROOT, "tests", "browser")
BUILD = os.environ.get("JUESUAN_BUILD", os.path.join(ROOT, "build"))
OUTDIR = os.path.join(BUILD, "browser")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
INSTALL = "run scripts/install-deps.sh as root (Debian packages chromium, nodejs, npm)"


def tail(text, lines=15):
    return "\n".join(text.strip().splitlines()[-lines:])


# --- the tools CI installs ----------------------------------------------------
node = shutil.which("node")
node_major = 0
if node:
    p = subprocess.run([node, "--version"], capture_output=True, text=True)
    m = re.match(r"v(\d+)\.", p.stdout.strip())
    node_major = int(m.group(1)) if m else 0
have_node = ok(node and node_major >= 20,
               "Node.js >= 20 is installed (%s)" % (p.stdout.strip() if node else "not found"),
               "node %s: playwright-core needs Node.js 20 or later; %s"
               % ("not found" if not node else "is too old", INSTALL))
npm = shutil.which("npm")
have_npm = ok(npm, "npm is installed", "npm not found: " + INSTALL)
have_chromium = ok(os.access(CHROMIUM, os.X_OK), "Chromium is installed (%s)" % CHROMIUM,
                   "%s not found: %s" % (CHROMIUM, INSTALL))
if not (have_node and have_npm and have_chromium):
    done()

# --- node modules (playwright-core), installed on first use --------------------
lock = os.path.join(HERE, "package-lock.json")
hidden_lock = os.path.join(HERE, "node_modules", ".package-lock.json")
pw = os.path.join(HERE, "node_modules", "playwright-core", "package.json")
fresh = (os.path.exists(pw) and os.path.exists(hidden_lock)
         and (not os.path.exists(lock) or os.path.getmtime(hidden_lock) >= os.path.getmtime(lock)))
if fresh:
    ok(True, "node modules already installed in tests/browser/node_modules")
else:
    cmd = [npm, "ci" if os.path.exists(lock) else "install", "--no-audit", "--no-fund", "--loglevel=error"]
    try:
        p = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True, timeout=300)
        rc, log = p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired as e:
        rc, log = -1, "timed out after 300 s\n%s" % (e.stdout or "")
    if not ok(rc == 0, "%s in tests/browser" % " ".join(["npm"] + cmd[1:2]), tail(log)):
        done()

# --- fonts (a note only: the checks do not depend on them) ---------------------
if shutil.which("fc-list"):
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    if not fonts.strip():
        print("# note: no Chinese font is installed (fc-list :lang=zh is empty), so the "
              "screenshots show boxes for Chinese text; Debian's fonts-noto-cjk gives real glyphs")

# --- the page -----------------------------------------------------------------
tmp = tempfile.mkdtemp(prefix="juesuan-browser-")
out = os.path.join(tmp, "qingshan-2024")
p = subprocess.run([JUESUAN, "build", example("qingshan-2024"), "-o", out], capture_output=True, text=True)
ok(p.returncode == 0, "juesuan build examples/qingshan-2024", tail(p.stderr))
report = os.path.join(out, "report.html")
if os.path.exists(report):
    page = report
    print("# checking the built report.html")
else:
    page = os.path.join(HERE, "sample.html")
    print("# juesuan build wrote no report.html yet: checking tests/browser/sample.html instead")

# --- check-page.js, its TAP lines renumbered into this test's -----------------
cmd = [node, os.path.join(HERE, "check-page.js"), page, OUTDIR]
try:
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, CHROMIUM=CHROMIUM))
    rc, stdout, stderr = p.returncode, p.stdout, p.stderr
except subprocess.TimeoutExpired as e:
    partial = e.stdout or ""
    if isinstance(partial, bytes):
        partial = partial.decode("utf-8", "replace")
    rc, stdout, stderr = -1, partial, "check-page.js timed out after 300 s"
line_re = re.compile(r"^(not )?ok \d+ - (.*)$")
seen_fail = False
planned = False
for line in stdout.splitlines():
    m = line_re.match(line)
    if m:
        ok(not m.group(1), m.group(2))
        seen_fail = seen_fail or bool(m.group(1))
    elif re.match(r"^1\.\.\d+$", line):
        planned = True
    elif line.startswith("#"):
        print(line)
    elif line.strip():
        print("# " + line)
if (rc != 0 and not seen_fail) or not planned:
    ok(False, "check-page.js finished (exit %d)" % rc, tail(stderr))
else:
    print("# screenshots and PDF: %s/{phone.png,a4.png,print.pdf}" % OUTDIR)

shutil.rmtree(tmp, ignore_errors=True)
done()
