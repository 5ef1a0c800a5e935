#!/usr/bin/env python3
"""Bad input is refused with exit 3 and a located message, and leaves no output
behind; harmless variations of the input (GB18030, BOM, CRLF, thousands commas,
full-width digits, an extra column) compile to the same tables.

Each case (tests/bad/cases.json, which documents the edits) copies
examples/qingshan-2024 into a fresh temporary directory, edits one sheet and
runs `juesuan build WORKBOOK -o OUTDIR`, once with OUTDIR not yet existing and
once with OUTDIR holding a pre-existing tables.json that must stay untouched."""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import JUESUAN, ROOT, done, example, is_, ok  # noqa: E402

EXAMPLE = example("qingshan-2024")
CASES = json.load(open(os.path.join(ROOT, "tests", "bad", "cases.json"), encoding="utf-8"))
PRE_NAME = "tables.json"
PRE_BYTES = b"pre-existing output, must survive\n"


def juesuan(*args):
    p = subprocess.run([JUESUAN] + list(args), capture_output=True, timeout=30)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


# ---------------------------------------------------------------- sheet edits

class Raw(str):
    """A cell written verbatim, without CSV quoting."""


def render_cell(v):
    if isinstance(v, Raw):
        return str(v)
    if any(ch in v for ch in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


FULLWIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}


def restyle_amount(v, style):
    if not v:
        return v
    neg = v.startswith("-")
    whole, _, frac = v.lstrip("-").partition(".")
    if style in ("commas", "fullwidth_commas"):
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = ",".join([whole] + groups)
    out = ("-" if neg else "") + whole + ("." + frac if frac else "")
    if style in ("fullwidth", "fullwidth_commas"):
        out = "".join(FULLWIDTH.get(ch, ch) for ch in out)
    if style == "fullwidth_commas":
        out = out.replace(",", "\uff0c").replace(".", "\uff0e")
    return out


class Sheet:
    """One sheet file being edited: records (one per line) or raw bytes."""

    def __init__(self, path):
        self.path = path
        text = open(path, encoding="utf-8", newline="").read()
        self.rows = list(csv.reader(io.StringIO(text)))
        if len(self.rows) != len(text.splitlines()):
            raise ValueError("%s has multi-line records; line numbers would be off" % path)
        self.newline = "\n"
        self.encoding = "utf-8"
        self.bom = False
        self.raw = None
        self.deleted = False
        self.rename = None

    def col(self, name):
        if name not in self.rows[0]:
            raise ValueError("%s has no column %r (has %s)" % (self.path, name, self.rows[0]))
        return self.rows[0].index(name)

    def apply(self, e):
        op = e["op"]
        if op == "set":
            v = e["value"]
            self.rows[e["line"] - 1][self.col(e["column"])] = Raw(v) if e.get("raw") else v
        elif op == "append":
            self.rows.append(list(e["row"]))
        elif op == "drop_column":
            k = self.col(e["column"])
            for r in self.rows:
                del r[k]
        elif op == "dup_column":
            k = self.col(e["column"])
            for r in self.rows:
                r.append(r[k])
        elif op == "add_column":
            self.rows[0].append(e["column"])
            for r in self.rows[1:]:
                r.append(e["value"])
        elif op == "amounts":
            k = self.col(e["column"])
            for r in self.rows[1:]:
                r[k] = restyle_amount(r[k], e["style"])
        elif op == "codes":
            k = self.col(e["column"])
            for r in self.rows[1:]:
                if r[k]:
                    r[k] = r[k] + ".0" if e["style"] == "text_float" else "".join(FULLWIDTH[c] for c in r[k])
        elif op == "rename":
            self.rename = e["to"]
        elif op == "delete":
            self.deleted = True
        elif op == "bytes":
            self.raw = bytes.fromhex(e["hex"]) if "hex" in e else e["text"].encode("utf-8")
        elif op == "encode":
            self.encoding = e["encoding"]
            self.bom = bool(e.get("bom"))
        elif op == "crlf":
            self.newline = "\r\n"
        else:
            raise ValueError("unknown edit %r" % op)

    def write(self):
        if self.deleted:
            os.remove(self.path)
            return
        if self.raw is not None:
            data = self.raw
        else:
            text = "".join(",".join(render_cell(c) for c in r) + self.newline for r in self.rows)
            data = (b"\xef\xbb\xbf" if self.bom else b"") + text.encode(self.encoding)
        if self.rename:
            os.remove(self.path)
            self.path = os.path.join(os.path.dirname(self.path), self.rename)
        with open(self.path, "wb") as f:
            f.write(data)


def make_workbook(tmp, case):
    wb = os.path.join(tmp, "wb")
    shutil.copytree(EXAMPLE, wb)
    sheet = Sheet(os.path.join(wb, case["sheet"]))
    for e in case["edits"]:
        sheet.apply(e)
    sheet.write()
    return wb


# ---------------------------------------------------------------- file snapshots

def snapshot(root):
    """{relative path: (bytes, mtime_ns)} of every file under root."""
    snap = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            st = os.stat(p)
            snap[os.path.relpath(p, root)] = (open(p, "rb").read(), st.st_mtime_ns)
    return snap


def tmp_files(root):
    return sorted(os.path.relpath(os.path.join(d, f), root)
                  for d, _, files in os.walk(root) for f in files if ".tmp-" in f)


# ---------------------------------------------------------------- bad input

def location(wb, case):
    loc = os.path.join(wb, case["sheet"])
    if case["line"] is not None:
        loc += ":%d" % case["line"]
        if case["col"] is not None:
            loc += ":%d" % case["col"]
    return "juesuan: " + loc + ": " + ("「%s」" % case["heading"] if case["heading"] else "")


def check_bad(case):
    name = case["name"]
    first_err = None
    for variant in ("new OUTDIR", "existing OUTDIR"):
        tmp = tempfile.mkdtemp(prefix="juesuan-bad-")
        try:
            wb = make_workbook(tmp, case)
            out = os.path.join(tmp, "out")
            if variant == "existing OUTDIR":
                os.mkdir(out)
                with open(os.path.join(out, PRE_NAME), "wb") as f:
                    f.write(PRE_BYTES)
            before = snapshot(tmp)
            rc, stdout, err = juesuan("build", wb, "-o", out)
            after = snapshot(tmp)
            tag = "%s [%s]" % (name, variant)
            is_(rc, 3, "%s: exit code 3" % tag)
            if variant == "new OUTDIR":
                first_err = err.replace(wb, "WORKBOOK")
                want = location(wb, case)
                ok(err.startswith(want), "%s: message names %s" % (
                    tag, want[len("juesuan: " + wb) + 1:].strip() or case["sheet"]),
                   "stderr: %s\nwant prefix: %s" % (err.rstrip(), want))
                if case["message"] is not None:
                    ok(case["message"] in err, "%s: message says %s" % (tag, case["message"]),
                       "stderr: %s" % err.rstrip())
                else:
                    ok(err[len(want):].strip() != "", "%s: message explains the problem" % tag,
                       "stderr: %s" % err.rstrip())
                ok(err.count("\n") == 1 and stdout == "",
                   "%s: one line on stderr, nothing on stdout" % tag,
                   "stdout: %r\nstderr: %r" % (stdout, err))
            else:
                is_(err.replace(wb, "WORKBOOK"), first_err, "%s: same message" % tag)
            new = sorted(set(after) - set(before))
            gone = sorted(set(before) - set(after))
            changed = sorted(k for k in before if k in after and after[k] != before[k])
            ok(not new and not gone and not changed and not tmp_files(tmp),
               "%s: no output left behind%s" % (
                   tag, ", pre-existing %s untouched" % PRE_NAME if variant == "existing OUTDIR" else ""),
               "new: %s\ngone: %s\nchanged: %s\ntmp: %s" % (new, gone, changed, tmp_files(tmp)))
            if variant == "new OUTDIR":
                ok(not os.path.exists(out) or not os.listdir(out),
                   "%s: OUTDIR not created (or empty)" % tag)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------- good input

def build_reference(tmp):
    out = os.path.join(tmp, "ref")
    rc, _, err = juesuan("build", EXAMPLE, "-o", out)
    is_(rc, 0, "reference example builds " + err.strip())
    rc, long_ref, err = juesuan("tables", EXAMPLE, "--format", "long")
    is_(rc, 0, "reference example tables --format long " + err.strip())
    return snapshot(out), long_ref


def check_good(case, ref_out, ref_long):
    name = case["name"]
    tmp = tempfile.mkdtemp(prefix="juesuan-good-")
    try:
        wb = make_workbook(tmp, case)
        out = os.path.join(tmp, "out")
        rc, stdout, err = juesuan("build", wb, "-o", out)
        is_(rc, 0, "%s: build exits 0 %s" % (name, err.strip()))
        got = {k: v[0] for k, v in snapshot(out).items()} if os.path.isdir(out) else {}
        want = {k: v[0] for k, v in ref_out.items()}
        ok(got == want and not tmp_files(tmp), "%s: build writes the same %d files as the example" % (name, len(want)),
           "missing: %s\nextra: %s\ndiffer: %s\ntmp: %s" % (
               sorted(set(want) - set(got)), sorted(set(got) - set(want)),
               sorted(k for k in got if k in want and got[k] != want[k]), tmp_files(tmp)))
        rc, long_out, err = juesuan("tables", wb, "--format", "long")
        is_(rc, 0, "%s: tables exits 0 %s" % (name, err.strip()))
        ok(long_out == ref_long, "%s: tables --format long equals the example's" % name,
           "\n".join(l for l in long_out.splitlines() if l not in set(ref_long.splitlines()))[:2000])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    for case in CASES["bad"]:
        check_bad(case)
    reftmp = tempfile.mkdtemp(prefix="juesuan-ref-")
    try:
        ref_out, ref_long = build_reference(reftmp)
        for case in CASES["good"]:
            check_good(case, ref_out, ref_long)
    finally:
        shutil.rmtree(reftmp, ignore_errors=True)
    done()


main()
