#!/usr/bin/env python3
"""The report in a real browser: builds the bundled example and opens its
report.html in headless Chromium at phone and A4 widths (tests/browser/
check-page.js). Until juesuan writes report.html, checks tests/browser/
sample.html instead. Screenshots and the PDF are kept in $JUESUAN_BUILD/browser.

Chromium, Node.js and npm are required: CI installs them (scripts/
install-deps.sh), so their absence is a failure, not a skip."""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import JUESUAN, ROOT, done, example, ok  # noqa: E402
from browserenv import CHROMIUM, HERE, relay, tail, ready  # noqa: E402

BUILD = os.environ.get("JUESUAN_BUILD", os.path.join(ROOT, "build"))
OUTDIR = os.path.join(BUILD, "browser")

node = ready()
if not node:
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
seen_fail = "not ok" in stdout
planned = relay(stdout)
if (rc != 0 and not seen_fail) or not planned:
    ok(False, "check-page.js finished (exit %d)" % rc, tail(stderr))
else:
    print("# screenshots and PDF: %s/{phone.png,a4.png,print.pdf}" % OUTDIR)

shutil.rmtree(tmp, ignore_errors=True)
done()
