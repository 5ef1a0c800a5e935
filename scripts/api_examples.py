#!/usr/bin/env python3
"""Writes the example answer of every page of docs/api/ from a live
`juesuan serve --demo` (the program: $JUESUAN or build/juesuan): each
page's ```http request is sent and the code block after it replaced by
the answer (JSON with arrays cut to their first two elements, the first
rows of a CSV, a zip's member names). Run after changing the API; the
shapes are then checked by tests/api.t."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lib"))
from apidocs import example_text, pages  # noqa: E402
from portal import Portal  # noqa: E402

portal = Portal()
if not portal.ready():
    sys.exit("the demo portal did not start:\n" + portal.stderr())
try:
    client = portal.client()
    for page in pages():
        if not page.request:
            print("%s: no example request" % page.name)
            continue
        r = client.get(page.request)
        if r.status != 200:
            print("%s: %s answered %d" % (page.name, page.request, r.status))
            continue
        with open(page.path, "w", encoding="utf-8") as f:
            f.write(page.with_example(example_text(page.kind, r.body)))
        print("%s: %s" % (page.name, page.request))
finally:
    portal.stop()
