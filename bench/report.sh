#!/usr/bin/env bash
# `netstatspy report` on a long ip+tc run: time, peak memory (the child's maximum resident set,
# /usr/bin/time) and the size of the HTML. The run is generated as the sampler writes it with
# `--changes-only` (what a long run at 1000/s is recorded as): LINKS interfaces and as many
# qdiscs (htb roots with a pfifo child each, as on the loaded-host scenario of ../shared/bench),
# RATE samples a second for SECONDS, a keyframe every 10 s, BUSY interfaces and qdiscs whose
# counters move every sample (with a drop burst and a backlog spike), the others idle. The
# report makes every record whole again, so it handles the same objects as for full JSON.
# usage: bench/report.sh [SECONDS] [RATE] [LINKS] [BUSY]   (default 60 1000 201 8)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-60}
rate=${2:-1000}
links=${3:-201}
busy=${4:-8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --quiet --release --bin netstatspy --manifest-path "$here/../Cargo.toml"
bin="$here/../target/release/netstatspy"
python3 - "$work/run.jsonl" "$seconds" "$rate" "$links" "$busy" <<'PY'
import json, sys
path, seconds, rate, links, busy = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
run = "0000000000bench1"
n = int(seconds * rate)
dump = lambda o: json.dumps(o, separators=(",", ":"))
def link(i, k):
    moving = k if i < busy else 0
    side = lambda: {"bytes": 1000 * moving * 1500, "packets": 1000 * moving, "errors": 0,
                    "dropped": moving // 1000, "over_errors": 0, "multicast": 0}
    return {"ifindex": i + 1, "ifname": f"v{i}", "flags": ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"],
            "mtu": 1500, "qdisc": "htb", "operstate": "UP", "linkmode": "DEFAULT", "group": "default",
            "txqlen": 1000, "link_type": "ether", "address": "02:00:00:00:%02x:%02x" % (i // 256, i % 256),
            "broadcast": "ff:ff:ff:ff:ff:ff", "stats64": {"rx": side(), "tx": side()}}
def qdiscs(i, k):
    moving = k if i < busy else 0
    drops = moving // 100 + (500 if i < busy and k > n // 2 else 0)
    backlog = (moving * 37) % 30000 + (900000 if i < busy and k == n // 3 else 0)
    root = {"kind": "htb", "handle": "1:", "dev": f"v{i}", "root": True, "refcnt": 2,
            "options": {"r2q": 10, "default": "0x1", "direct_packets_stat": 0, "direct_qlen": 1000},
            "bytes": moving * 1500, "packets": moving, "drops": drops, "overlimits": moving // 3,
            "requeues": 0, "backlog": backlog, "qlen": backlog // 1500}
    child = {"kind": "pfifo", "handle": "10:", "dev": f"v{i}", "parent": "1:1", "options": {"limit": 1000},
             "bytes": moving * 1500, "packets": moving, "drops": drops, "overlimits": 0, "requeues": 0,
             "backlog": backlog, "qlen": backlog // 1500}
    return [root, child]
with open(path, "w") as out:
    out.write(dump({"type": "run", "run": run, "timestamp": 1.8e9, "version": "0.1.0",
                    "command_line": ["netstatspy", "--tc", "-f", str(rate), "-t", str(seconds), "-j", "-c", "--changes-only"],
                    "host": "bench", "kernel": "6.18", "frequency": rate, "slots": n, "rates": {},
                    "readers": ["ip", "tc"], "changes_only": 10.0, "settings": {}}) + "\n")
    moving_q = ("bytes", "packets", "drops", "overlimits", "backlog", "qlen")
    for k in range(n):
        t = k / rate
        keyframe = k % int(10 * rate) == 0
        for kind in ("ip", "tc"):
            env = {"type": kind, "run": run, "sample": k, "timestamp": 1.8e9 + t, "elapsed": t, "changes": True}
            if keyframe:
                env["keyframe"] = True
                env["stats"] = ([link(i, k) for i in range(links)] if kind == "ip"
                                else [q for i in range(links) for q in qdiscs(i, k)])
            elif kind == "ip":
                # Only the busy links move: their identity and counters.
                env["stats"] = [{"ifindex": i + 1, "stats64": link(i, k)["stats64"]} for i in range(busy)]
            else:
                stats = []
                for i in range(busy):
                    for q in qdiscs(i, k):
                        ident = {key: q[key] for key in ("dev", "handle", "root", "parent") if key in q}
                        stats.append(dict(ident, **{key: q[key] for key in moving_q}))
                env["stats"] = stats
            out.write(dump(env) + "\n")
PY
json_mb=$(python3 -c "import os; print(round(os.path.getsize('$work/run.jsonl') / 1e6, 1))")
/usr/bin/time -f '%e %M' -o "$work/time" "$bin" report "$work/run.jsonl" -o "$work/report.html" \
  2>"$work/stderr" || { cat "$work/stderr" "$work/time" >&2; exit 1; }
cat "$work/stderr" >&2
read -r secs kib <"$work/time"
html_mb=$(python3 -c "import os; print(round(os.path.getsize('$work/report.html') / 1e6, 2))")
records=$((2 * ${seconds%.*} * ${rate%.*}))
echo "input: $seconds s at $rate/s, $links links and $((2 * links)) qdiscs ($busy of each busy), changes-only JSON $json_mb MB, $records records"
echo "report: $secs s, peak RSS $((kib / 1024)) MB, HTML $html_mb MB"
