#!/usr/bin/env python3
"""The portal in a real browser (Chromium through playwright-core,
tests/browser/portal-walk.js) against `juesuan serve --demo`: a preparer of
a new department uploads the synthetic example, explains its findings and
submits; a reviewer returns it with a comment; the preparer uploads again
and resubmits; the reviewer approves; a publisher publishes; an anonymous
visitor opens the published report at phone and A4 widths. Run on SQLite,
then again on a PostgreSQL server started for it (tests/lib/pgserver.py).
Screenshots are kept in $JUESUAN_BUILD/browser/portal-*.png (SQLite) and
$JUESUAN_BUILD/browser/postgresql/portal-*.png."""
import json
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import done, ok  # noqa: E402
from browserenv import demo_portal, walk  # noqa: E402
from portal import also_on_postgresql, example, zip_folder  # noqa: E402

node, OUTDIR, portal = demo_portal()
if not portal:
    done()
pw = portal.passwords
adm = portal.client()
adm.login("demo-admin", pw["demo-admin"])
# named as the example workbook names its department (an upload must match)
r = adm.post("/admin/depts", {"code": "walk", "name": "某市示范区科学技术局", "profile": "default"})
ids = set(int(x) for x in re.findall(r'<option value="(\d+)">某市示范区科学技术局<', adm.get("/admin/").text))
m = re.match(r"(\d+)", str(max(ids))) if len(ids) == 2 else None  # the demo's and the new one (the larger id)
ok(r.status == 303 and m, "the admin adds the department the walk uses")
r = adm.post("/admin/users", {"login": "walker", "display": "测试填报员", "password": "walker-password-1",
                              "role0": "1", "dept": m.group(1) if m else ""})
ok(r.status == 303, "and its preparer")

tmp = tempfile.mkdtemp(prefix="juesuan-walk-")
wb = os.path.join(tmp, "synthetic-2024.zip")
with open(wb, "wb") as f:
    f.write(zip_folder(example("synthetic-2024")))
cfg = os.path.join(tmp, "walk.json")
with open(cfg, "w") as f:
    json.dump({"base": "http://127.0.0.1:%d" % portal.port, "workbook": wb, "dept": "walk",
               "preparer": ["walker", "walker-password-1"], "reviewer": ["demo-reviewer", pw["demo-reviewer"]],
               "publisher": ["demo-publisher", pw["demo-publisher"]]}, f)
walk(node, "portal-walk.js", cfg, OUTDIR, "portal-*.png")
portal.stops_cleanly()
also_on_postgresql(os.path.abspath(__file__))
done()
