#!/usr/bin/env python3
"""The workbook's guides agree with its schema. The schema is what
`juesuan template -o DIR` writes: one CSV per sheet, its heading row the
sheet's columns. Against it:
- 填写说明.txt (beside the CSVs) documents every sheet and every column,
  each with a text, and nothing the schema lacks;
- the .xlsx template (`juesuan template -o X.xlsx`) has every sheet (by its
  Chinese title) with every column as a heading carrying a comment (its
  填写说明), and no other sheet or heading (but the hidden list sheet 选项);
- docs/workbook.md has a section for every sheet and none for another; a
  table of columns lists exactly the sheet's columns, and every column is
  named in its section (the 绩效 sheets: in docs/performance.md)."""
import os
import re
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import ROOT, done, is_, ok, run  # noqa: E402

tmp = tempfile.mkdtemp(prefix="juesuan-guide-")
folder = os.path.join(tmp, "template")
rc, o, err = run("template", "-o", folder)
ok(rc == 0, "template -o DIR", err)


def plain(heading):
    """A heading without its money unit: 金额(元) -> 金额."""
    return re.sub(r"\((元|万元)\)$", "", heading)


schema = {}
for f in sorted(os.listdir(folder)):
    if f.endswith(".csv"):
        with open(os.path.join(folder, f), encoding="utf-8-sig") as h:
            schema[f] = [plain(c) for c in h.readline().rstrip("\n").split(",")]
ok(len(schema) >= 15 and all(schema.values()), "the schema: %d sheets, %d columns" %
   (len(schema), sum(len(c) for c in schema.values())))

# ---- 填写说明.txt ------------------------------------------------------------
guide = open(os.path.join(folder, "填写说明.txt"), encoding="utf-8").read()
documented, titles, current, empty = {}, {}, None, []
for line in guide.splitlines():
    m = re.match(r"^(\S+\.csv)（([^）]+)）(，必需)?：(.*)$", line)
    if m:
        current = m.group(1)
        titles[current] = m.group(2)
        documented[current] = []
        if not m.group(4).strip():
            empty.append(current)
        continue
    m = re.match(r"^  ([^：]+?)(（可选列）)?：(.*)$", line)
    if m and current:
        documented[current].append(plain(m.group(1)))
        if not m.group(3).strip():
            empty.append("%s %s" % (current, m.group(1)))
is_(sorted(documented), sorted(schema), "填写说明.txt documents every sheet of the schema and no other")
bad = ["%s: documented %s, schema %s" % (s, documented.get(s), cols) for s, cols in schema.items()
       if documented.get(s) != cols]
ok(not bad, "填写说明.txt documents each sheet's columns, in order, and no other", "\n".join(bad))
ok(not empty, "every sheet and column of 填写说明.txt has a text", ", ".join(empty))

# ---- the .xlsx template --------------------------------------------------------
book = os.path.join(tmp, "template.xlsx")
rc, o, err = run("template", "-o", book)
ok(rc == 0 and os.path.exists(book), "template -o X.xlsx", err)
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def rels(z, part):
    """Relationship id -> target part of part (xl/workbook.xml …)."""
    d, base = os.path.split(part)
    path = os.path.join(d, "_rels", base + ".rels")
    if path not in z.namelist():
        return {}
    out = {}
    for r in ET.fromstring(z.read(path)).findall("p:Relationship", NS):
        t = r.get("Target")
        out[r.get("Id")] = os.path.normpath(os.path.join(d, t)) if not t.startswith("/") else t.lstrip("/")
    return out


def xlsx_sheets(path):
    """{title: {heading: comment}} of every sheet, from the XML parts."""
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    wrels = rels(z, "xl/workbook.xml")
    out = {}
    for sh in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", NS):
        part = wrels[sh.get("{%s}id" % NS["r"])]
        ws = ET.fromstring(z.read(part))
        heads = {}
        for c in ws.iter("{%s}c" % NS["m"]):
            m = re.match(r"([A-Z]+)1$", c.get("r"))
            if not m:
                continue
            v = c.find("m:v", NS)
            text = shared[int(v.text)] if c.get("t") == "s" and v is not None else \
                "".join(t.text or "" for t in c.iter("{%s}t" % NS["m"]))
            heads[m.group(1)] = text
        comments = {}
        for target in rels(z, part).values():
            if "comments" in target:
                for cm in ET.fromstring(z.read(target)).iter("{%s}comment" % NS["m"]):
                    comments[re.sub(r"\d+$", "", cm.get("ref"))] = \
                        "".join(t.text or "" for t in cm.iter("{%s}t" % NS["m"]))
        out[sh.get("name")] = {heads[col]: comments.get(col, "") for col in heads}
    return out


sheets = xlsx_sheets(book) if rc == 0 else {}
by_title = {t: f for f, t in titles.items()}
is_(sorted(set(sheets) - {"选项"}), sorted(titles.values()),
    "the .xlsx template has every sheet of the schema (by its title) and no other but 选项")
bad = []
for title, heads in sheets.items():
    f = by_title.get(title)
    if not f:
        continue
    if [plain(h) for h in heads] != schema[f]:
        bad.append("%s: headings %s, schema %s" % (title, list(heads), schema[f]))
    bad += ["%s!%s: no comment" % (title, h) for h, c in heads.items() if not c.strip()]
ok(not bad, "each sheet of the .xlsx has the schema's columns as headings, each with its comment", "\n".join(bad))

# ---- docs/workbook.md ---------------------------------------------------------
md = open(os.path.join(ROOT, "docs", "workbook.md"), encoding="utf-8").read()
perf_md = open(os.path.join(ROOT, "docs", "performance.md"), encoding="utf-8").read()
sections = {}
for m in re.finditer(r"(?m)^## (.+?) — .*$\n((?:(?!^## ).*\n?)*)", md):
    for f in re.findall(r"[a-z_]+\.csv", m.group(1)):
        sections[f] = m.group(2)
is_(sorted(sections), sorted(schema), "docs/workbook.md has a section for every sheet and none for another")
bad = []
for f, cols in schema.items():
    body = sections.get(f, "")
    if f.startswith("perf_"):
        para = re.search(r"(?s)`%s`.*?(?:\n\n|$)" % re.escape(f), perf_md)
        body = para.group(0) if para else ""
    table = re.search(r"(?m)^\| column \|.*\n\|[-| ]+\|\n((?:\|.*\n?)*)", body)
    if table:
        listed = []
        for row in table.group(1).splitlines():
            listed += [plain(c.strip()) for c in row.split("|")[1].split(",")]
        if listed != cols:
            bad.append("%s: the table lists %s, the schema has %s" % (f, listed, cols))
    missing = [c for c in cols if c not in body]
    if missing:
        bad.append("%s: %s not named in its section" % (f, ", ".join(missing)))
ok(not bad, "docs/workbook.md: each table of columns lists exactly the sheet's, every column is named", "\n".join(bad))

shutil.rmtree(tmp, ignore_errors=True)
done()
