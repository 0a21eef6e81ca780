#!/usr/bin/env python3
"""Reads the Parquet files `netstatspy export` wrote with pyarrow and checks them against the
JSON Lines they came from, read here with Python's own json module: every row, every column,
every value, the column types the README's rules give, some units, and the file metadata.

Usage: export_check.py MANIFEST, where MANIFEST is a JSON file holding a list of
{"json": [FILE, ...], "dir": DIR}: the lines of the files, in order, exported to DIR. The
files are plain JSON Lines (a test decompresses .zst input itself). Prints one line per
problem (at most 40) and exits 1 if there is any; otherwise prints what it checked."""

import json
import math
import os
import sys

import pyarrow as pa
import pyarrow.parquet as pq

I64_MAX = 2**63 - 1
problems = []
checked = {"files": 0, "rows": 0, "values": 0}


def problem(text):
    problems.append(text)


def flatten(obj, prefix, out):
    for key, value in obj.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            flatten(value, name, out)
        else:
            out[name] = value


def expected_rows(lines):
    """Record type -> (envelope names, element names, has stats, rows); and the headers."""
    types = {}
    runs, summaries = [], []
    for line in lines:
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get("type"), str):
            continue
        kind = rec["type"]
        if kind == "run":
            runs.append(rec)
            continue
        if kind == "run_summary":
            summaries.append(rec)
            continue
        entry = types.setdefault(kind, {"envelope": {}, "element": {}, "stats": False, "rows": []})
        envelope = {}
        flatten({k: v for k, v in rec.items() if k not in ("type", "stats")}, "", envelope)
        for name in envelope:
            entry["envelope"].setdefault(name, None)
        if "stats" in rec:
            entry["stats"] = True
            for element in rec["stats"]:
                flat = {}
                flatten(element, "", flat)
                for name in flat:
                    entry["element"].setdefault(name, None)
                entry["rows"].append((envelope, flat))
        else:
            entry["rows"].append((envelope, {}))
    return types, runs, summaries


def scalar_kind(values):
    """The README's rules for scalars, from the values themselves."""
    seen = set()
    for v in values:
        if v is None:
            continue
        if isinstance(v, bool):
            seen.add("bool")
        elif isinstance(v, int):
            seen.add("int" if v >= 0 else "neg")
            if v > I64_MAX:
                seen.add("big")
        elif isinstance(v, float):
            seen.add("float")
        elif isinstance(v, str):
            seen.add("str")
    numeric = seen & {"int", "neg", "float"}
    if "str" in seen or ("bool" in seen and numeric):
        return pa.string()
    if "bool" in seen:
        return pa.bool_()
    if "float" in seen or ("neg" in seen and "big" in seen):
        return pa.float64()
    if "neg" in seen:
        return pa.int64()
    if "int" in seen:
        return pa.uint64()
    return pa.null()


def expected_type(values):
    lists = [v for v in values if isinstance(v, list)]
    scalars = [v for v in values if v is not None and not isinstance(v, list)]
    if not lists:
        return scalar_kind(values), False
    if scalars:
        return pa.string(), False
    items = [i for l in lists for i in l]
    if any(isinstance(i, (list, dict)) for i in items):
        return pa.string(), True  # the list's JSON text
    element = scalar_kind(items)
    if element == pa.null():
        element = pa.string()
    return pa.list_(element), False


def same(arrow_type, json_text_column, got, want, where):
    checked["values"] += 1
    if want is None:
        if got is not None:
            problem(f"{where}: {got!r}, but the JSON has null or nothing")
        return
    if json_text_column:
        if got is None or json.loads(got) != want:
            problem(f"{where}: {got!r} is not the JSON text of {want!r}")
        return
    if pa.types.is_list(arrow_type):
        if not isinstance(got, list) or len(got) != len(want):
            problem(f"{where}: {got!r} vs {want!r}")
            return
        for i, (g, w) in enumerate(zip(got, want)):
            same(arrow_type.value_type, False, g, w, f"{where}[{i}]")
        return
    if pa.types.is_string(arrow_type):
        ok = got == want if isinstance(want, str) else (got is not None and json.loads(got) == want)
    elif pa.types.is_floating(arrow_type):
        ok = isinstance(got, float) and (got == float(want) or (math.isnan(got) and math.isnan(want)))
    elif pa.types.is_boolean(arrow_type):
        ok = got is want
    elif pa.types.is_integer(arrow_type):
        ok = isinstance(got, int) and not isinstance(got, bool) and got == want
    else:
        ok = False
    if not ok:
        problem(f"{where}: {got!r} ({arrow_type}) vs the JSON's {want!r}")


# Units the README and the model state, checked where the column exists.
UNITS = {
    ("ip", "stats64.rx.bytes"): ("counter", "bytes"),
    ("ip", "stats64.tx.packets"): ("counter", "packets"),
    ("ip", "mtu"): ("gauge", "bytes"),
    ("tc", "bytes"): ("counter", "bytes"),
    ("tc", "backlog"): ("gauge", "bytes"),
    ("ss", "tcp_info.rtt"): (None, "us"),
    ("ss", "tcp_info.last_data_recv"): (None, "ms"),
    ("ss", "skmem.rb"): (None, "bytes"),
    ("*", "elapsed"): ("gauge", "s"),
}


def check_export(json_files, directory):
    lines = []
    for f in json_files:
        with open(f, "rb") as fh:
            lines.extend(fh.read().decode("utf-8").splitlines())
    types, runs, summaries = expected_rows(lines)
    present = sorted(n for n in os.listdir(directory) if n.endswith(".parquet"))
    if present != sorted(f"{k}.parquet" for k in types):
        problem(f"{directory}: files {present}, expected one per record type {sorted(types)}")
    for kind, entry in types.items():
        path = os.path.join(directory, f"{kind}.parquet")
        if not os.path.exists(path):
            continue
        checked["files"] += 1
        table = pq.read_table(path)
        meta = pq.read_metadata(path).metadata or {}
        for key, want in (("netstatspy.runs", runs), ("netstatspy.run_summaries", summaries)):
            got = meta.get(key.encode())
            if got is None or json.loads(got) != want:
                problem(f"{path}: metadata {key} is {got!r}, expected {want!r}")
        envelope_names = list(entry["envelope"])
        if entry["stats"] and "partial" not in envelope_names:
            envelope_names.append("partial")
        element_names = list(entry["element"])
        columns = envelope_names + [
            f"stats.{n}" if n in envelope_names else n for n in element_names
        ]
        if table.column_names != columns:
            problem(f"{path}: columns {table.column_names}, expected {columns}")
            continue
        rows = entry["rows"]
        if table.num_rows != len(rows):
            problem(f"{path}: {table.num_rows} rows, the JSON has {len(rows)}")
            continue
        got_rows = table.to_pylist()
        for c, name in enumerate(columns):
            is_envelope = c < len(envelope_names)
            key = name if is_envelope else element_names[c - len(envelope_names)]
            wanted = [(env if is_envelope else el).get(key) for env, el in rows]
            if name == "partial" and is_envelope:
                wanted = [False if w is None else w for w in wanted]
            field = table.schema.field(name)
            arrow_type, json_text = expected_type(wanted)
            if field.type != arrow_type:
                problem(f"{path}: column {name} is {field.type}, the JSON's values make it {arrow_type}")
                continue
            fmeta = {k.decode(): v.decode() for k, v in (field.metadata or {}).items()}
            if json_text != (fmeta.get("encoding") == "json"):
                problem(f"{path}: column {name}: encoding metadata {fmeta}")
            for (k, n), (want_kind, want_unit) in UNITS.items():
                if n == name and k in (kind, "*"):
                    if fmeta.get("unit") != want_unit or (want_kind and fmeta.get("kind") != want_kind):
                        problem(f"{path}: column {name}: metadata {fmeta}, expected {want_kind} {want_unit}")
            for r, want in enumerate(wanted):
                same(field.type, json_text, got_rows[r][name], want, f"{path} row {r} {name}")
        checked["rows"] += len(rows)


def main():
    with open(sys.argv[1]) as fh:
        manifest = json.load(fh)
    for item in manifest:
        check_export(item["json"], item["dir"])
    for p in problems[:40]:
        print(p)
    if problems:
        print(f"{len(problems)} problems")
        sys.exit(1)
    print(f"checked {checked['files']} files, {checked['rows']} rows, {checked['values']} values")


main()
