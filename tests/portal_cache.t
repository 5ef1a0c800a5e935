#!/usr/bin/env python3
"""The portal's memory of anonymous responses (lib/serve/public_cache.c)
stays correct: two portal instances on one database, each having answered
(and kept) the public pages; a withdrawal through one shows at once on that
one and, within the store's generation recheck, on the other; a kept
response's entity tag gets 304 while it holds. Anonymous and staff see
their own pages (a staff visitor never gets the kept anonymous page).
JUESUAN_DB=postgresql://… runs it against PostgreSQL instead of SQLite."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import done, is_, ok  # noqa: E402
from portal import Portal, also_on_postgresql  # noqa: E402

WAIT = 120  # seconds at most for the other instance to see a change

a = Portal(db=os.environ.get("JUESUAN_DB"))
if not ok(a.ready(), "the first instance starts with the demo", "\n".join(a.output[-10:]) + a.stderr()):
    done()
b = Portal(db=a.db, demo=False)
if not ok(b.ready(), "a second instance starts on the same database", "\n".join(b.output[-10:]) + b.stderr()):
    a.stop()
    done()

anon_a, anon_b = a.client(), b.client()
page = "/2024/qingshan/"
for c, name in ((anon_a, "first"), (anon_b, "second")):
    first, again = c.get(page), c.get(page)
    ok(first.status == 200 and again.status == 200 and first.body == again.body and "第 1 版" in first.text,
       "the %s instance answers the published page twice alike (kept the second time)" % name)
    h = dict((k.lower(), v) for k, v in again.headers)
    ok("content-security-policy" in h and h.get("x-content-type-options") == "nosniff" and
       "public" in h.get("cache-control", ""), "the kept response carries the security headers")
    tag = h.get("etag", "")
    nm = c.get(page, headers={"If-None-Match": tag})
    ok(re.match(r'^"[0-9a-f]{16}"$', tag) and nm.status == 304 and nm.body == b"" and nm.header("ETag") == tag,
       "it carries an entity tag; asked with If-None-Match the answer is 304 without a body (%s)" % tag)
    is_(c.get(page, headers={"If-None-Match": '"0000000000000000"'}).status, 200, "another tag gets the page")

pub = a.staff("demo-publisher", a.passwords["demo-publisher"])
staff_page = pub.get(page).text
ok("演示发布员" in staff_page and "演示发布员" not in anon_a.get(page).text,
   "a signed-in visitor gets their own page, an anonymous one the kept page")
listing = pub.get("/review/").text
m = re.search(r'<td>武汉市青山区经济信息化和科技创新局</td><td><a href="/version/(\d+)">2024 年度决算', listing)
ok(m, "the publisher finds the published 决算 of qingshan")
r = pub.post("/version/%s/withdraw" % (m.group(1) if m else "0"), {"reason": "缓存测试撤回"})
is_(r.status, 303, "the publisher withdraws it through the first instance")
GONE = "本年度没有公开的部门决算"  # its 预算 stays published: the page says only that


def withdrawn(c, **kw):
    r = c.get(page, **kw)
    return r.status == 200 and GONE in r.text


ok(withdrawn(anon_a), "the first instance shows the withdrawal at once")
ok(withdrawn(anon_a, headers={"If-None-Match": tag}), "and no 304 for the old page's tag")
ok("缓存测试撤回" in anon_a.get("/2024/qingshan/v1/").text, "and the version's address gives the reason")


def wait_for(check):
    """Asks check() until it holds or WAIT seconds passed (an event: the
    other instance's next generation check; never a fixed sleep as the
    answer)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


ok(wait_for(lambda: withdrawn(anon_b)),
   "the second instance, which had kept the page, shows the withdrawal too")
ok("缓存测试撤回" in anon_b.get("/2024/qingshan/v1/").text, "and the reason on the version's address")

ok('href="/2024/qingshan/"' not in anon_b.get("/2024/").text,
   "the second instance's list of the year no longer names qingshan's 决算 (its 预算 stays)")

a.stops_cleanly("the first instance stops cleanly")
b.stops_cleanly("the second instance stops cleanly")
also_on_postgresql(os.path.abspath(__file__))
done()
