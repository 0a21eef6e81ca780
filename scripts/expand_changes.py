#!/usr/bin/env python3
"""Turn netstatspy's changes-only JSON Lines (--changes-only) back into full records.

usage: expand_changes.py [FILE]        (standard input when FILE is absent or "-")
       zstd -dc stats.jsonl.zst | expand_changes.py

Reads the format the README's "Changes-only records" section describes, with nothing but the
Python standard library, and writes every record as netstatspy writes it without
--changes-only: records with "changes": true become full records (without "changes",
"keyframe" and "gone"); every other line (run headers and summaries, ss_closed, full records)
is passed through. Keys keep their order, repeated keys stay repeated. A reader's changes
records before its first keyframe in a run cannot be completed: they are left out, and counted
on standard error.
"""

import json
import sys

# The keys that identify an object, per record type (the README's table).
IDENTITY = {
    "ip": ("ifindex",),
    "tc": ("dev", "dev_bytes", "handle", "root", "parent"),
    "ss": ("netid", "local", "peer", "cookie"),
    "queue_limits": ("ifname", "ifname_bytes", "queue"),
    "small_queue": (),
}


class Obj(list):
    """A JSON object as its (key, value) pairs, in order, repeats kept."""

    def get(self, key, default=None):
        for k, v in self:
            if k == key:
                return v
        return default


def dump(value, out):
    """Compact JSON of value (Obj as an object, list as an array)."""
    if isinstance(value, Obj):
        out.append("{")
        for i, (k, v) in enumerate(value):
            if i:
                out.append(",")
            out.append(json.dumps(k, ensure_ascii=False))
            out.append(":")
            dump(v, out)
        out.append("}")
    elif isinstance(value, list):
        out.append("[")
        for i, v in enumerate(value):
            if i:
                out.append(",")
            dump(v, out)
        out.append("]")
    else:
        out.append(json.dumps(value, ensure_ascii=False))


def identity(record_type, element):
    """The identity of an element: its identity keys and their values, as text."""
    keys = IDENTITY[record_type]
    out = []
    dump(Obj((k, v) for k, v in element if k in keys), out)
    return "".join(out)


def update(stored, element):
    """The stored object with the element's keys replaced: the n-th occurrence of a key in
    the element replaces the n-th occurrence in the stored object."""
    result = Obj(stored)
    seen = {}
    for key, value in element:
        n = seen.get(key, 0)
        seen[key] = n + 1
        places = [i for i, (k, _) in enumerate(result) if k == key]
        if n >= len(places):
            raise ValueError(f"key {key!r} is not in the object it changes")
        result[places[n]] = (key, value)
    return result


class Reader:
    """What is known of one reader's objects in one run: their order and last values."""

    def __init__(self):
        self.order = []  # identities, in the order of the last record
        self.objects = {}  # identity -> Obj

    def apply(self, record_type, record):
        """Bring the objects up to the changes record; returns the full element list."""
        if record.get("keyframe") is True:
            # Every object, whole (two may share an identity when the kernel's dump was
            # inconsistent; the next record is a keyframe then too).
            elements = record.get("stats", [])
            self.order = [identity(record_type, e) for e in elements]
            self.objects = dict(zip(self.order, elements))
            return list(elements)
        gone = {identity(record_type, g) for g in record.get("gone", [])}
        if gone:
            self.order = [i for i in self.order if i not in gone]
            for ident in gone:
                self.objects.pop(ident, None)
        # Known objects come in their order; a new one goes right after the element written
        # before it (first, when none was).
        place = {ident: n for n, ident in enumerate(self.order)}
        order = []
        copied = 0  # self.order[:copied] is in order already
        for element in record.get("stats", []):
            ident = identity(record_type, element)
            if ident in self.objects:
                n = place[ident]
                if n < copied:
                    raise ValueError(f"{record_type} object {ident} out of order")
                order.extend(self.order[copied : n + 1])
                copied = n + 1
                self.objects[ident] = update(self.objects[ident], element)
            else:
                order.append(ident)
                self.objects[ident] = element
        order.extend(self.order[copied:])
        self.order = order
        return [self.objects[ident] for ident in self.order]


def expand(lines, write):
    readers = {}  # (run, type) -> Reader
    incomplete = 0
    for line in lines:
        if not line.strip():
            continue
        record = json.loads(line, object_pairs_hook=Obj)
        if record.get("changes") is not True:
            write(line if line.endswith("\n") else line + "\n")
            continue
        record_type = record.get("type")
        if record_type not in IDENTITY:
            raise ValueError(f"changes record of unknown type {record_type!r}")
        key = (record.get("run"), record_type)
        if key not in readers:
            if record.get("keyframe") is not True:
                incomplete += 1
                continue
            readers[key] = Reader()
        stats = readers[key].apply(record_type, record)
        full = Obj(
            (k, stats if k == "stats" else v)
            for k, v in record
            if k not in ("changes", "keyframe", "gone")
        )
        out = []
        dump(full, out)
        out.append("\n")
        write("".join(out))
    return incomplete


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in ("-h", "--help")):
        sys.stderr.write(__doc__)
        return 2
    path = argv[1] if len(argv) == 2 else "-"
    source = sys.stdin if path == "-" else open(path, encoding="utf-8")
    try:
        with source:
            incomplete = expand(source, sys.stdout.write)
    except BrokenPipeError:
        return 0
    except (OSError, ValueError) as e:
        sys.stderr.write(f"expand_changes.py: {e}\n")
        return 1
    if incomplete:
        sys.stderr.write(
            f"expand_changes.py: {incomplete} records before their reader's first keyframe "
            "were left out\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
