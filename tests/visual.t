#!/usr/bin/python3
"""Visual regression: the example's report.pdf, every page rendered by
pdftoppm, and its report.html in headless Chromium at a phone and an A4
width (tests/browser/check-page.js takes the screenshots), compared with the
reference images committed in tests/visual/ref/ within a tolerance, so that
a change of layout fails here until the references are renewed on purpose:

    JUESUAN_VISUAL_UPDATE=1 prove tests/visual.t   (then look at them, commit)

Images are compared in 16 greys at a small size (PDF pages at 30 dpi,
screenshots 200 px wide): a page count or length that differs fails at once; otherwise
the mean difference must stay under 2 of 255 and the share of pixels that
differ by more than 64 under 1 %. What was rendered, and an image of the
differences, are kept in $JUESUAN_BUILD/visual/ to look at."""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import JUESUAN, ROOT, done, example, ok  # noqa: E402

from PIL import Image, ImageChops, ImageOps  # noqa: E402

REF = os.path.join(ROOT, "tests", "visual", "ref")
BUILD = os.environ.get("JUESUAN_BUILD", os.path.join(ROOT, "build"))
OUT = os.path.join(BUILD, "visual")
UPDATE = os.environ.get("JUESUAN_VISUAL_UPDATE") == "1"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
MEAN_MAX, SHARE_MAX, PIXEL_DIFF = 2.0, 0.01, 64
WIDTH = 200

shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
tmp = tempfile.mkdtemp(prefix="juesuan-visual-")
book = os.path.join(tmp, "out")
p = subprocess.run([JUESUAN, "build", example("qingshan-2024"), "-o", book, "--only", "pdf,html"],
                   capture_output=True, text=True)
ok(p.returncode == 0, "build the example's report.pdf and report.html " + p.stderr.strip())


def compare(name, got):
    """Compares image got (grey) with the reference name, or writes it. Both
    are kept in 16 greys, which is all a layout needs, in a quarter of the
    bytes."""
    got = got.point(lambda v: v // 17 * 17)
    path = os.path.join(REF, name)
    got.save(os.path.join(OUT, name))
    if UPDATE:
        os.makedirs(REF, exist_ok=True)
        got.save(path, optimize=True)
        return ok(True, "%s: reference renewed" % name)
    if not os.path.exists(path):
        return ok(False, "%s: a reference image exists" % name, "renew with JUESUAN_VISUAL_UPDATE=1")
    want = Image.open(path).convert("L")
    if abs(got.height - want.height) > max(2, want.height // 100) or got.width != want.width:
        return ok(False, "%s: same size as the reference" % name,
                  "got %dx%d, reference %dx%d" % (got.width, got.height, want.width, want.height))
    if got.size != want.size:
        got = got.resize(want.size)
    diff = ImageChops.difference(got, want)
    hist = diff.histogram()
    total = want.width * want.height
    mean = sum(i * n for i, n in enumerate(hist)) / total
    share = sum(hist[PIXEL_DIFF + 1:]) / total
    ImageOps.autocontrast(ImageOps.invert(diff)).save(os.path.join(OUT, "diff-" + name))
    return ok(mean < MEAN_MAX and share < SHARE_MAX,
              "%s matches its reference (mean difference %.2f, %.2f%% of pixels differ)" % (name, mean, 100 * share),
              "see %s and diff-%s" % (os.path.join(OUT, name), name))


def scaled(path):
    img = Image.open(path).convert("L")
    return img.resize((WIDTH, max(1, round(img.height * WIDTH / img.width))), Image.LANCZOS)


# the PDF, page by page
pdf = os.path.join(book, "report.pdf")
pages = []
if os.path.exists(pdf):
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", pdf, os.path.join(tmp, "page")], check=False)
    pages = sorted(glob.glob(os.path.join(tmp, "page-*.png")))
refs = sorted(glob.glob(os.path.join(REF, "pdf-*.png")))
if UPDATE:
    for r in refs:
        os.remove(r)
else:
    ok(len(pages) == len(refs), "report.pdf has as many pages as the reference (%d)" % len(refs),
       "got %d pages" % len(pages))
for k, page in enumerate(pages):
    compare("pdf-%02d.png" % (k + 1), Image.open(page).convert("L"))

# report.html in Chromium
node = shutil.which("node")
here = os.path.join(ROOT, "tests", "browser")
if node and not os.path.exists(os.path.join(here, "node_modules", "playwright-core")):
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=here, capture_output=True)
shots = os.path.join(tmp, "shots")
for attempt in range(2):  # check-page.js has a watchdog of its own, which a loaded machine may trip once
    p = subprocess.run([node or "node", os.path.join(here, "check-page.js"), os.path.join(book, "report.html"), shots],
                       capture_output=True, text=True, timeout=300, env=dict(os.environ, CHROMIUM=CHROMIUM))
    if all(os.path.exists(os.path.join(shots, s + ".png")) for s in ("phone", "a4")):
        break
for shot in ("phone", "a4"):
    path = os.path.join(shots, shot + ".png")
    if ok(os.path.exists(path), "Chromium took the %s screenshot of report.html" % shot,
          (p.stdout + p.stderr)[-1500:]):
        compare("html-%s.png" % shot, scaled(path))

print("# images: %s (rendered, diff-*), references: %s" % (OUT, REF))
shutil.rmtree(tmp, ignore_errors=True)
done()
