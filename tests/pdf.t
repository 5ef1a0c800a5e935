#!/usr/bin/env python3
"""report.pdf: every figure of the nine tables and of the 情况说明 is text in
the PDF (pdftotext), the CJK fonts are embedded (pdffonts), the document has
a contents page and page numbers, and two builds give the same bytes. The
pages are rendered as PNGs under build/pdf-pages for a human look."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import JUESUAN, done, example, is_, ok, run  # noqa: E402

tmp = tempfile.mkdtemp(prefix="juesuan-pdf-")
a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
rc, o, err = run("build", example("qingshan-2024"), "-o", a)
run("build", example("qingshan-2024"), "-o", b)
pdf = os.path.join(a, "report.pdf")
ok(rc == 0 and os.path.exists(pdf), "build writes report.pdf " + err)
is_(open(pdf, "rb").read(), open(os.path.join(b, "report.pdf"), "rb").read(), "two builds give identical bytes")
info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
print("# report.pdf: %d pages, %d bytes" % (pages, os.path.getsize(pdf)))
ok(pages >= 20 and "2025" in info, "A4 pages (%d) with the publication date as creation date" % pages)
ok("595.28 x 841.89" in info or "595 x 842" in info, "A4 page size")
fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True).stdout
ok(re.search(r"NotoSerifCJKsc\S*\s.*yes\s+yes", fonts) and re.search(r"NotoSansCJKsc\S*\s.*yes\s+yes", fonts),
   "Noto Serif CJK SC and Noto Sans CJK SC are embedded", fonts)
text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout
flat = re.sub(r"\s+", "", text)
doc = json.load(open(os.path.join(a, "tables.json"), encoding="utf-8"))
missing = []
for t in doc["tables"]:
    for row in t["rows"]:
        for cell in row["cells"].values():
            if cell["wan"]:
                v = "{:,.2f}".format(float(cell["wan"]))
                if v not in flat:
                    missing.append("%s %s %s" % (t["id"], row["name"], v))
ok(not missing, "every figure of the nine tables is text in the PDF", "\n".join(missing[:20]))
md = open(os.path.join(a, "report.md"), encoding="utf-8").read()
part3 = md[md.index("## 第三部分"):md.index("## 第四部分")]
figs = set(re.findall(r"\d+(?:\.\d+)?%?", re.sub(r"(?m)^(\||- ).*$", "", part3)))
missing = sorted(f for f in figs if f not in flat)
ok(not missing, "every figure of the 情况说明 (%d) is text in the PDF" % len(figs), missing[:20])
ok(re.search(r"目\s*录", text) is not None, "a contents page")
ok(re.search(r"第三部分.*\s(\d+)\s*$", text, re.M) is not None and re.search(r"—\s*1\s*—", text) is not None,
   "contents with page numbers, and page numbers")
ok("94.69" in flat and "☑" in text, "the 自评表 are in the PDF")
# every page as a PNG for a human look (kept under the build directory)
pages_dir = os.path.join(os.environ.get("JUESUAN_BUILD", tmp), "pdf-pages")
shutil.rmtree(pages_dir, ignore_errors=True)
os.makedirs(pages_dir)
p = subprocess.run(["pdftoppm", "-r", "60", "-png", pdf, os.path.join(pages_dir, "page")], capture_output=True, text=True)
pngs = sorted(f for f in os.listdir(pages_dir) if f.endswith(".png"))
ok(p.returncode == 0 and len(pngs) == pages and all(os.path.getsize(os.path.join(pages_dir, f)) > 2000 for f in pngs),
   "pdftoppm renders all %d pages to %s" % (pages, pages_dir), p.stderr)
# The renderer is a plugin: the program itself does not load pango/cairo,
# and without the plugin a PDF build fails clearly, leaving nothing behind.
libs = subprocess.run(["ldd", JUESUAN], capture_output=True, text=True).stdout
ok(libs and not re.search(r"pango|cairo|fontconfig|harfbuzz", libs), "juesuan does not link the graphics libraries")
c = os.path.join(tmp, "c")
rc, o, err = run("build", example("qingshan-2024"), "-o", c, env=dict(os.environ, JUESUAN_PDF=os.path.join(tmp, "none.so")))
ok(rc == 4 and "juesuan-pdf.so" in err and "JUESUAN_PDF" in err and not (os.path.exists(c) and os.listdir(c)),
   "without the PDF plugin: exit 4, a message naming it, no output: " + err.strip())
rc, o, err = run("build", example("qingshan-2024"), "-o", c, "--only", "json,xlsx",
                 env=dict(os.environ, JUESUAN_PDF=os.path.join(tmp, "none.so")))
ok(rc == 0 and os.path.exists(os.path.join(c, "tables.xlsx")), "outputs other than the PDF need no plugin " + err)
# Layout: a section heading is never the last thing on a page, and a table
# too wide for a portrait page (amounts ×10000) is set on landscape pages,
# with its heading, rather than shrunk.
def page_texts(path):
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(k), "-l", str(k), path, "-"], capture_output=True,
                           text=True).stdout for k in range(1, n + 1)]


def last_line(text):
    lines = [l.strip() for l in text.splitlines() if l.strip() and not re.match(r"^—\s*\d+\s*—$", l.strip())]
    return lines[-1] if lines else ""


texts = page_texts(pdf)
alone = [(k + 1, last_line(t)) for k, t in enumerate(texts) if re.match(r"^[一二三四五六七八九十]+、\S+(表|说明|情况)$", last_line(t))]
ok(not alone, "no section heading stands alone at the foot of a page", alone)
wide = os.path.join(tmp, "wide")
shutil.copytree(example("qingshan-2024"), wide)
for name in ("expenditure.csv", "revenue.csv"):
    path = os.path.join(wide, name)
    lines = open(path, encoding="utf-8").read().splitlines()
    k = lines[0].split(",").index("金额(元)")
    rows = [lines[0]] + [",".join(c if i != k or not c else "%.2f" % (float(c) * 10000) for i, c in enumerate(l.split(",")))
                         for l in lines[1:]]
    open(path, "w", encoding="utf-8").write("\n".join(rows) + "\n")
rc, o, err = run("build", wide, "-o", os.path.join(tmp, "wide-out"), "--only", "pdf", "--force")
wpdf = os.path.join(tmp, "wide-out", "report.pdf")
sizes = re.findall(r"Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)",
                   subprocess.run(["pdfinfo", "-f", "1", "-l", "999", wpdf], capture_output=True, text=True).stdout)
landscape = {int(n) for n, w, h in sizes if float(w) > float(h)}
wtexts = page_texts(wpdf)
t04 = [k + 1 for k, t in enumerate(wtexts) if "公开04表" in t]
ok(t04 and t04[0] in landscape and "四、财政拨款收入支出决算总表" in wtexts[t04[0] - 1],
   "公开04 with ten-figure amounts is set on a landscape page, with its heading (pages %s landscape)" % sorted(landscape),
   err)
ok(t04 and t04[0] + 1 in landscape and "栏次" in wtexts[t04[0]], "it goes on to a landscape page with its headings again")
# A batch worker keeps layouts and measurements from one department's PDF to
# the next (table cells, contents lines, page numbers, text sizes): each
# department's report.pdf in a batch is the same bytes as when built alone.
gen = os.environ.get("JUESUAN_GEN", os.path.join(os.path.dirname(JUESUAN), "bench", "gen"))
g = os.path.join(tmp, "gen")
p = subprocess.run([gen, "-o", g, "-n", "3", "-l", "300", "--no-region"], capture_output=True, text=True)
deps = os.path.join(g, "departments")
rc, o, err = run("build", deps, "-o", os.path.join(tmp, "batch"), "--jobs", "1", "--only", "pdf", "--force", "-q")
differ = []
for d in sorted(os.listdir(deps)) if p.returncode == 0 else []:
    run("build", os.path.join(deps, d), "-o", os.path.join(tmp, "alone-" + d), "--only", "pdf", "--force", "-q")
    one = os.path.join(tmp, "alone-" + d, "report.pdf")
    inb = os.path.join(tmp, "batch", "departments", d, "report.pdf")
    if not (os.path.exists(one) and os.path.exists(inb) and open(one, "rb").read() == open(inb, "rb").read()):
        differ.append(d)
ok(p.returncode == 0 and len(os.listdir(deps)) == 3 and not differ,
   "three departments' report.pdf built in one batch (one thread) are the bytes of each built alone",
   (p.stderr, err, differ))
shutil.rmtree(tmp)
done()
