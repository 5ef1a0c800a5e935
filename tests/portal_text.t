#!/usr/bin/env python3
"""The portal's wording is data (data/portal/text.json, declared in
lib/serve/text_keys.h): the server refuses to start when a text is missing,
unknown, uses an argument it does not declare or leaves a declared one out,
or the file repeats a key, each with a Chinese message naming the file and
the key; and a changed text is what the pages show."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import JUESUAN, ROOT, done, is_, ok  # noqa: E402
from portal import Portal  # noqa: E402

DATA = os.environ.get("JUESUAN_DATA", os.path.join(ROOT, "data"))
with open(os.path.join(DATA, "portal", "text.json"), encoding="utf-8") as f:
    TEXTS = json.load(f)
tmp = tempfile.mkdtemp(prefix="juesuan-text-")
data = os.path.join(tmp, "data")
shutil.copytree(DATA, data)
target = os.path.join(data, "portal", "text.json")


def write(texts=None, raw=None):
    with open(target, "w", encoding="utf-8") as f:
        f.write(raw if raw is not None else json.dumps(texts, ensure_ascii=False))


def start():
    """Starts the server on the copied data; (exit status, stderr) when it
    refuses, (None, "") when it listens (then stopped)."""
    p = subprocess.Popen([JUESUAN, "serve", "--db", os.path.join(tmp, "p.db"), "--listen", "127.0.0.1:0",
                          "--data", data], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()  # the listening line, or nothing when it exits
    if "http://127.0.0.1:" in line:
        p.terminate()
        p.communicate(timeout=120)
        return None, ""
    _, err = p.communicate(timeout=120)
    return p.returncode, err


ok("home.title" in TEXTS and "year.row" in TEXTS, "the bundled texts include the page titles and rows")
cases = []
missing = dict(TEXTS)
del missing["home.title"]
cases.append(("a missing text", missing, None, "缺少页面文字「home.title」"))
cases.append(("an unknown key", dict(TEXTS, **{"home.titel": "x"}), None, "页面文字「home.titel」不是程序使用的键"))
cases.append(("an undeclared argument", dict(TEXTS, **{"year.heading": "<h1>{year} 年 {dept}</h1>"}), None,
              "文字「year.heading」中的「{dept}」不是它的参数"))
cases.append(("a declared argument left out", dict(TEXTS, **{"year.heading": "<h1>年度部门决算</h1>"}), None,
              "文字「year.heading」没有用到参数「{year}」"))
dup = json.dumps(TEXTS, ensure_ascii=False)[:-1] + ', "home.title": "again"}'
cases.append(("a repeated key", None, dup, "无法读取页面文字"))
for name, texts, raw, message in cases:
    write(texts, raw)
    rc, err = start()
    ok(rc not in (None, 0) and message in err and "text.json" in err,
       "%s: the server does not start and says so (%s)" % (name, message), "exit %s: %s" % (rc, err[-500:]))

write(dict(TEXTS, **{"home.title": "部门决算公开（测试用语）", "home.none": "<li>这里还没有公开的决算。</li>"}))
portal = Portal(db=os.path.join(tmp, "q.db"), demo=False, extra=["--data", data])
if ok(portal.ready(), "the server starts with changed texts", portal.stderr()):
    page = portal.client().get("/").text
    ok("<title>部门决算公开（测试用语）" in page and "这里还没有公开的决算。" in page,
       "the home page shows the changed title and sentence", page[-600:])
    portal.stops_cleanly("and stops cleanly")
shutil.rmtree(tmp, ignore_errors=True)
done()
