"""Reading and patching tables.json (juesuan tables --format json) in tests."""
import copy
import json


def find_row(table, key):
    """key: "#27" (行次), a classification code, or a row label."""
    for row in table["rows"]:
        if key.startswith("#") and row["row"] == int(key[1:]):
            return row
        if row["code"] == key or (row["code"] is None and row["name"] == key):
            return row
    raise KeyError("table %s has no row %s" % (table["id"], key))


def column_key(table, row, heading):
    cols = table["blocks"][row["block"]]["columns"]
    for col in cols:
        if col["kind"] == "amount" and "/".join(col["heading"]) == heading:
            return col["key"]
    raise KeyError("table %s has no column %s in row %s's block" % (table["id"], heading, row["name"]))


def patched(doc, edits):
    """A copy of doc with each edit {table,row,column,value} applied (value:
    万元 string, or null for a blank); {table,row,"drop":true} drops the row."""
    doc = copy.deepcopy(doc)
    for e in edits:
        t = next(t for t in doc["tables"] if t["id"] == e["table"])
        row = find_row(t, e["row"])
        if e.get("drop"):
            t["rows"].remove(row)
            continue
        row["cells"][column_key(t, row, e["column"])]["wan"] = e["value"]
    return doc


def cells(doc):
    """Every amount cell: (table, rowkey, column, wan)."""
    for t in doc["tables"]:
        for row in t["rows"]:
            key = "#%d" % row["row"] if row["row"] else (row["code"] or row["name"])
            for col in t["blocks"][row["block"]]["columns"]:
                if col["kind"] == "amount":
                    yield t["id"], key, "/".join(col["heading"]), row["cells"][col["key"]]["wan"]


def dump(doc, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
