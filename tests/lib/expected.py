"""The committed outputs of the bundled examples (tests/expected/<example>/)
and the normal form a build's output folder is compared in.

Every output is kept as written, but for two whose bytes are a container:
report.pdf as its text (pdftotext, kept as report.pdf.txt) and tables.xlsx
as the SHA-256 of each part of the zip (tables.xlsx.parts), so a change in
any cell or style shows, but not one in the zip's compression.

    python3 tests/lib/expected.py update     rewrites tests/expected from the
                                             outputs of build/juesuan (or
                                             $JUESUAN), after a change whose
                                             output differences are intended
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = ["qingshan-2024", "synthetic-2024", "sparse-2024"]
EXPECTED = os.path.join(ROOT, "tests", "expected")


def have_pdftotext():
    return shutil.which("pdftotext") is not None


def normal(outdir):
    """{name: bytes} of the outputs in outdir, in the normal form."""
    out = {}
    for f in sorted(os.listdir(outdir)):
        if f.startswith("."):
            continue  # the output set's marker (docs/output.md), not an output
        p = os.path.join(outdir, f)
        if f == "report.pdf":
            if have_pdftotext():
                out["report.pdf.txt"] = subprocess.run(["pdftotext", "-enc", "UTF-8", p, "-"],
                                                       capture_output=True, check=True).stdout
        elif f == "tables.xlsx":
            with zipfile.ZipFile(p) as z:
                out["tables.xlsx.parts"] = "".join("%s  %s\n" % (hashlib.sha256(z.read(n)).hexdigest(), n)
                                                   for n in sorted(z.namelist())).encode()
        else:
            with open(p, "rb") as h:
                out[f] = h.read()
    return out


def committed(example):
    """{name: bytes} of the committed outputs of example."""
    d = os.path.join(EXPECTED, example)
    out = {}
    for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        with open(os.path.join(d, f), "rb") as h:
            out[f] = h.read()
    return out


def build(juesuan, example, outdir):
    """Builds the example into outdir; (exit code, stderr)."""
    # From the root, by a relative path: findings name the workbook's files
    # as given, and the committed outputs must not hold a checkout's path.
    p = subprocess.run([juesuan, "build", os.path.join("examples", example), "-o", os.path.abspath(outdir)],
                       capture_output=True, cwd=ROOT)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def update(juesuan):
    if not have_pdftotext():
        sys.exit("expected.py: pdftotext (poppler-utils) is needed to write report.pdf.txt")
    tmp = tempfile.mkdtemp(prefix="juesuan-expected-")
    try:
        for ex in EXAMPLES:
            out = os.path.join(tmp, ex)
            rc, err = build(juesuan, ex, out)
            if rc != 0:
                sys.exit("expected.py: build %s exits %d: %s" % (ex, rc, err))
            d = os.path.join(EXPECTED, ex)
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            for name, data in normal(out).items():
                with open(os.path.join(d, name), "wb") as h:
                    h.write(data)
            print(d)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:] != ["update"]:
        sys.exit(__doc__)
    update(os.environ.get("JUESUAN", os.path.join(ROOT, "build", "juesuan")))
