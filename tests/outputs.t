#!/usr/bin/env python3
"""Every output of each bundled example equals the committed one
(tests/expected/<example>/, in the normal form of tests/lib/expected.py:
the PDF as its text, the .xlsx as its parts' digests): a change in any
output byte fails here, and an intended one is committed with
`python3 tests/lib/expected.py update` and its reason."""
import difflib
import os
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import JUESUAN, done, ok  # noqa: E402
import expected  # noqa: E402

tmp = tempfile.mkdtemp(prefix="juesuan-outputs-")
for ex in expected.EXAMPLES:
    out = os.path.join(tmp, ex)
    rc, err = expected.build(JUESUAN, ex, out)
    if not ok(rc == 0, "%s: build exits 0" % ex, err):
        continue
    got, want = expected.normal(out), expected.committed(ex)
    if not expected.have_pdftotext():
        want.pop("report.pdf.txt", None)
    ok(sorted(got) == sorted(want), "%s: the outputs committed are the outputs built" % ex,
       "built %s\ncommitted %s" % (sorted(got), sorted(want)))
    for name in sorted(set(got) & set(want)):
        same = got[name] == want[name]
        diff = "" if same else "".join(list(difflib.unified_diff(
            want[name].decode("utf-8", "replace").splitlines(True), got[name].decode("utf-8", "replace").splitlines(True),
            "expected/%s/%s" % (ex, name), "built/%s" % name, n=1))[:40])
        ok(same, "%s: %s is byte-identical to the committed output" % (ex, name), diff)
shutil.rmtree(tmp, ignore_errors=True)
done()
