"""Comparing tables read back from a report with tables compiled from a
workbook: the printed form of a tables.json (every cell as printed — 万元,
or 元 in a table whose amount_unit is 元 — the rows' identity; no exact 分,
no pages)."""

TOP = ("department", "entity", "year", "profile", "amount_unit")
TABLE = ("id", "number", "title", "amount_unit", "unit_label", "note", "empty_text", "remark", "blocks")
ROW = ("block", "row", "pos", "kind", "code", "name", "level")


def printed_cell(table, v):
    """A cell as printed: read back, its "yuan" or "wan"; compiled, in a
    table in 元 its exact 分 as 元 (blank when "wan" is), else "wan"."""
    if "yuan" in v:
        return v["yuan"]
    if table.get("amount_unit") == "元" and "fen" in v and v["wan"] is not None:
        f = v["fen"]
        return "%s%d.%02d" % ("-" if f < 0 else "", abs(f) // 100, abs(f) % 100)
    return v["wan"]


def printed_form(doc):
    out = {k: doc.get(k) for k in TOP}
    out["tables"] = []
    for t in doc["tables"]:
        tt = {k: t.get(k) for k in TABLE}
        tt["amount_unit"] = t.get("amount_unit") or "万元"
        tt["rows"] = []
        for r in t["rows"]:
            rr = {k: r.get(k) for k in ROW}
            rr["cells"] = {k: printed_cell(t, v) for k, v in r["cells"].items()}
            tt["rows"].append(rr)
        out["tables"].append(tt)
    return out


def differences(got, want):
    """Every difference between two printed forms, as text lines."""
    a, b = printed_form(got), printed_form(want)
    out = ["%s: %r != %r" % (k, a[k], b[k]) for k in TOP if a[k] != b[k]]
    ta = {t["id"]: t for t in a["tables"]}
    for t in b["tables"]:
        x = ta.get(t["id"])
        if x is None:
            out.append("table %s missing" % t["id"])
            continue
        out += ["table %s %s: %r != %r" % (t["id"], k, x[k], t[k]) for k in TABLE if x[k] != t[k]]
        if len(x["rows"]) != len(t["rows"]):
            out.append("table %s: %d rows, want %d" % (t["id"], len(x["rows"]), len(t["rows"])))
        for r1, r2 in zip(x["rows"], t["rows"]):
            if r1 != r2:
                out.append("table %s row %s: %r != %r" % (t["id"], r2["pos"], r1, r2))
    if len(a["tables"]) != len(b["tables"]):
        out.append("%d tables, want %d" % (len(a["tables"]), len(b["tables"])))
    return out
