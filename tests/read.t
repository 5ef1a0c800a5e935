#!/usr/bin/env python3
"""juesuan read: a report read back gives, cell for cell, the tables the
workbook compiles to (docs/reading.md). Round trips: the reference report's
extracted text, juesuan's own report.pdf of both examples and of generated
departments; bad documents get a Chinese message and exit 3."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from printed import differences  # noqa: E402
from tap import ROOT, done, example, is_, ok, run  # noqa: E402

tmp = tempfile.mkdtemp(prefix="juesuan-read-")
GEN = os.environ.get("JUESUAN_GEN", os.path.join(ROOT, "build", "bench", "gen"))
NGEN = int(os.environ.get("JUESUAN_READ_DEPARTMENTS", "5"))


def compiled(workbook, layout="default"):
    rc, out, err = run("tables", workbook, "--format", "json", "--profile", layout)
    assert rc == 0, err
    return json.loads(out)


def read_back(path, *extra):
    out = os.path.join(tmp, "read.json")
    rc, _, err = run("read", path, "-o", out, *extra)
    return rc, (json.load(open(out, encoding="utf-8")) if rc == 0 else None), err


def round_trip(workbook, report, what, layout="default"):
    rc, got, err = read_back(report)
    if not ok(rc == 0, "%s: read exits 0" % what, err):
        return None
    diff = differences(got, compiled(workbook, layout))
    ok(not diff, "%s: every table, row and cell as compiled" % what, "\n".join(diff[:10]))
    return got


# the reference report, as text extracted from its PDF (split numbers, lost
# and split codes, garbled labels)
got = round_trip(example("qingshan-2024"), os.path.join(ROOT, "tests", "data", "reference-report.txt"),
                 "reference report text")
if got:
    is_(got["profile"], "default", "the national layout is recognised without --profile")
    secs = [s["heading"] for s in got["narrative"]]
    ok("一、收入支出决算总体情况说明" in secs and any(s.startswith("九、财政拨款") and "三公" in s for s in secs),
       "the narrative comes back by section", secs)

# juesuan's own report.pdf, in both layouts (the national one and 上海's:
# no 行次 or 栏次, wrapped labels identified by the profile's labels)
LAYOUTS = ("default", "shanghai")
for name in ("qingshan-2024", "synthetic-2024"):
    for layout in LAYOUTS:
        out = os.path.join(tmp, name + "-" + layout)
        rc, _, err = run("build", example(name), "-o", out, "--only", "pdf", "--profile", layout)
        if ok(rc == 0, "%s, %s layout: build writes report.pdf" % (name, layout), err):
            got = round_trip(example(name), os.path.join(out, "report.pdf"), "%s report.pdf (%s)" % (name, layout),
                             layout)
            if got:
                is_(got["profile"], layout, "%s: the %s layout is recognised" % (name, layout))
                ok(all(t["page"] > 1 for t in got["tables"]) and got["source"]["pages"] > 10,
                   "%s (%s): tables carry their page numbers" % (name, layout))

# generated departments
region = os.path.join(tmp, "gen")
subprocess.run([GEN, "-o", region, "-n", str(NGEN)], check=True, capture_output=True)
deps = sorted(os.listdir(os.path.join(region, "departments")))[:NGEN]
for d in deps:
    wb = os.path.join(region, "departments", d)
    for layout in LAYOUTS:
        out = os.path.join(tmp, "gen-%s-%s" % (d, layout))
        rc, _, err = run("build", wb, "-o", out, "--only", "pdf", "--force", "--profile", layout)
        if ok(rc == 0, "generated %s (%s): build writes report.pdf" % (d, layout), err):
            round_trip(wb, os.path.join(out, "report.pdf"), "generated %s report.pdf (%s)" % (d, layout), layout)

# bad documents: exit 3 and a Chinese message, no output
bad = os.path.join(tmp, "bad")
os.makedirs(bad)


def refused(path, words, what):
    out = os.path.join(tmp, "never.json")
    rc, _, err = run("read", path, "-o", out)
    ok(rc == 3 and all(w in err for w in words) and not os.path.exists(out), what, "rc %d: %s" % (rc, err))


def one_page_pdf(path, encrypt=False):
    """A PDF of one empty page (no text layer, as a scan has); encrypted
    with a user password when asked (a Standard security handler whose
    password is not the empty one)."""
    body = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    if encrypt:
        body.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>")
    data, offs = b"%PDF-1.4\n", []
    for i, o in enumerate(body):
        offs.append(len(data))
        data += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(data)
    n = len(body) + 1
    data += b"xref\n0 %d\n0000000000 65535 f \n" % n + b"".join(b"%010d 00000 n \n" % o for o in offs)
    extra = b" /Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]" \
        if encrypt else b""
    data += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (n, extra, xref)
    open(path, "wb").write(data)


blank = os.path.join(bad, "scanned.pdf")
one_page_pdf(blank)
refused(blank, ["扫描", "OCR"], "a PDF without text (scanned) is refused with exit 3")
locked = os.path.join(bad, "locked.pdf")
one_page_pdf(locked, encrypt=True)
refused(locked, ["加密"], "an encrypted PDF is refused with exit 3")
notreport = os.path.join(bad, "letter.txt")
open(notreport, "w", encoding="utf-8").write("会议通知\n请各单位准时参加。\n")
refused(notreport, ["不是部门决算公开报告"], "a document that is not a report is refused")
unknown = os.path.join(bad, "unknown.txt")
open(unknown, "w", encoding="utf-8").write("某局2024年度部门决算\n表一 收支情况\n合计\t12.00\n")
refused(unknown, ["版式未知"], "a report in a layout no profile knows is refused")
broken = os.path.join(bad, "broken.pdf")
open(broken, "wb").write(b"%PDF-1.4\nnot really\n")
refused(broken, ["PDF"], "a damaged PDF is refused")
rc, _, err = run("read", notreport, "--profile", "nosuch")
ok(rc != 0 and "nosuch" in err, "an unknown profile is named", err)

shutil.rmtree(tmp)
done()
