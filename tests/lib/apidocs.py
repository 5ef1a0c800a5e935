"""The read API's pages (docs/api/*.md) as data, for tests/api.t and
scripts/api_examples.py: each page's route (its title, "# GET /api/v1/…"),
its example request (the ```http block) and its example answer (the code
block after it: json, csv, zip (member names) or text), and the shape of
an answer for comparing a live one with the documented one."""
import io
import json
import os
import re
import zipfile

from tap import ROOT

DOCS = os.path.join(ROOT, "docs", "api")
TRIM = 2  # arrays in the documented examples keep their first TRIM elements

EXAMPLE_RE = re.compile(r"```http\n(GET|HEAD) (\S+)\n```\n\n```(\w+)\n(.*?)```", re.S)


class Page:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            self.text = f.read()
        m = re.match(r"# (GET|HEAD|OPTIONS) (/api/\S+)\n", self.text)
        self.route = (m.group(1), m.group(2)) if m else None
        m = EXAMPLE_RE.search(self.text)
        self.request = m.group(2) if m else None
        self.kind = m.group(3) if m else None
        self.example = m.group(4) if m else None
        self.span = m.span(4) if m else None

    def with_example(self, body):
        """The page's text with its example answer replaced by body."""
        a, b = self.span
        return self.text[:a] + body + self.text[b:]


def pages():
    return [Page(os.path.join(DOCS, n)) for n in sorted(os.listdir(DOCS)) if n.endswith(".md") and n != "README.md"]


def trim(v):
    """v with every array cut to its first TRIM elements."""
    if isinstance(v, dict):
        return {k: trim(x) for k, x in v.items()}
    if isinstance(v, list):
        return [trim(x) for x in v[:TRIM]]
    return v


def example_text(kind, body):
    """How a live answer is written as a page's example."""
    if kind == "json":
        return json.dumps(trim(json.loads(body)), ensure_ascii=False, indent=1) + "\n"
    if kind == "csv":
        return "".join(body.decode("utf-8").splitlines(True)[:6])
    if kind == "zip":
        return "".join(n + "\n" for n in zipfile.ZipFile(io.BytesIO(body)).namelist())
    return body.decode("utf-8")


def shape(v):
    """The shape of a JSON value: objects by their keys (in order), arrays by
    their first element, scalars by type (an integer is a number)."""
    if isinstance(v, dict):
        return {"{}": [(k, shape(x)) for k, x in v.items()]}
    if isinstance(v, list):
        return ["[]", shape(v[0]) if v else None]
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if v is None:
        return "null"
    return "string"


def differences(doc, live, where="$"):
    """Where the shape of live differs from doc's (a list of strings)."""
    out = []
    if isinstance(doc, dict) and isinstance(live, dict):
        dk, lk = [k for k, _ in doc["{}"]], [k for k, _ in live["{}"]]
        if dk != lk:
            out.append("%s: keys %s, documented %s" % (where, lk, dk))
        ld = dict(live["{}"])
        for k, s in doc["{}"]:
            if k in ld:
                out += differences(s, ld[k], "%s.%s" % (where, k))
    elif isinstance(doc, list) and isinstance(live, list):
        if doc[1] is not None and live[1] is not None:
            out += differences(doc[1], live[1], where + "[0]")
        elif (doc[1] is None) != (live[1] is None):
            out.append("%s: %s array, documented %s" % (where, "empty" if live[1] is None else "non-empty",
                                                        "empty" if doc[1] is None else "non-empty"))
    elif doc != live:
        out.append("%s: %s, documented %s" % (where, live, doc))
    return out


def compare(page, body):
    """The differences between a live answer (bytes) and the page's example."""
    if page.kind == "json":
        return differences(shape(json.loads(page.example)), shape(json.loads(body)))
    if page.kind == "csv":
        doc, live = page.example.splitlines(), body.decode("utf-8").splitlines()
        out = [] if doc[:1] == live[:1] else ["header %r, documented %r" % (live[:1], doc[:1])]
        width = doc[0].count(",") if doc else 0
        out += ["row %d has %d columns" % (i, row.count(",") + 1) for i, row in enumerate(live[1:6], 1)
                if row.count(",") < width]
        return out
    if page.kind == "zip":
        live = zipfile.ZipFile(io.BytesIO(body)).namelist()
        doc = page.example.split()
        return [] if live == doc else ["members %s, documented %s" % (live, doc)]
    hexed = re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", body.decode("utf-8"))
    want = re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", page.example)
    return [] if hexed == want else ["%r, documented %r" % (hexed, want)]
