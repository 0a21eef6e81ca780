#!/usr/bin/env bash
# `netstatspy export` against loading JSON Lines with pandas, measured in one run on one input:
# a run of ip, tc and ss records (the vm61 captures replayed, then repeated with counting
# samples and moving counters until the file holds SIZE_MB of JSON). Prints export throughput
# (MB/s of JSON in) and peak memory, and the time and peak memory pandas needs to load the
# Parquet files (pandas.read_parquet, one per record type; also with pyarrow-backed columns) against the JSON of the same run
# (pandas.read_json(lines=True), and that plus the explode/json_normalize users need to reach
# flat ss columns), as ratios. Peak memory is the child's maximum resident set (/usr/bin/time).
# usage: bench/export.sh [SIZE_MB]   (default 200; needs python3 with pandas and pyarrow)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
size=${1:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! python3 -c 'import pandas, pyarrow' 2>/dev/null; then
  echo "bench/export.sh: installing pandas and pyarrow (pip)" >&2
  python3 -m pip install --quiet pandas pyarrow 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages pandas pyarrow
fi
cargo build --quiet --release --bin netstatspy --manifest-path "$here/../Cargo.toml"
bin="$here/../target/release/netstatspy"
captures="$here/../captures"
"$bin" --replay "$captures/vm61-link.pcap" -c -j --file-name "$work/one.jsonl"
"$bin" --replay "$captures/vm61-tc.pcap" -c -j --file-name "$work/one.jsonl" --no-ip --tc
"$bin" --replay "$captures/vm61-ss.pcap" -c -j --file-name "$work/one.jsonl" --no-ip --ss
python3 - "$work/one.jsonl" "$work/run.jsonl" "$size" <<'PY'
import json, sys
records = [json.loads(l) for l in open(sys.argv[1])]
limit = float(sys.argv[3]) * 1e6
size, sample = 0, 0
with open(sys.argv[2], "w") as out:
    while size < limit:
        for r in records:
            r = dict(r, sample=sample, timestamp=1.8e9 + sample / 1000, elapsed=sample / 1000)
            def grow(v):
                if isinstance(v, dict):
                    return {k: (x + sample if k in ("bytes", "packets", "bytes_acked", "segs_out") and isinstance(x, int) else grow(x)) for k, x in v.items()}
                if isinstance(v, list):
                    return [grow(x) for x in v]
                return v
            r["stats"] = grow(r["stats"])
            line = json.dumps(r, separators=(",", ":")) + "\n"
            out.write(line)
            size += len(line)
        sample += 1
PY
json_mb=$(python3 -c "import os; print(os.path.getsize('$work/run.jsonl') / 1e6)")
measure() { # label command...: prints "seconds peak_kib"
  /usr/bin/time -f '%e %M' -o "$work/time" "${@:2}" >/dev/null 2>"$work/stderr" \
    || { cat "$work/stderr" >&2; exit 1; }
  cat "$work/time"
}
read -r ex_s ex_kib < <(measure export "$bin" export "$work/run.jsonl" -o "$work/parquet" -q)
parquet_mb=$(du -sb "$work/parquet" | awk '{print $1 / 1e6}')
read -r pq_s pq_kib < <(measure parquet python3 -c "
import glob, pandas as pd
frames = {p: pd.read_parquet(p) for p in glob.glob('$work/parquet/*.parquet')}
assert sum(len(f) for f in frames.values()) > 0")
read -r pa_s pa_kib < <(measure parquet-arrow python3 -c "
import glob, pandas as pd
frames = {p: pd.read_parquet(p, dtype_backend='pyarrow') for p in glob.glob('$work/parquet/*.parquet')}
assert sum(len(f) for f in frames.values()) > 0")
read -r js_s js_kib < <(measure json python3 -c "
import pandas as pd
df = pd.read_json('$work/run.jsonl', lines=True)
assert len(df) > 0")
read -r flat_s flat_kib < <(measure json-flat python3 -c "
import pandas as pd
df = pd.read_json('$work/run.jsonl', lines=True)
ss = df[df['type'] == 'ss'].explode('stats')
flat = pd.json_normalize(ss['stats'].dropna().tolist())
assert len(flat) > 0")
py_kib=$(/usr/bin/time -f '%M' python3 -c 'import pandas' 2>&1 >/dev/null | tail -1)
awk -v mb="$json_mb" -v pmb="$parquet_mb" -v es="$ex_s" -v ek="$ex_kib" \
    -v ps="$pq_s" -v pk="$pq_kib" -v js="$js_s" -v jk="$js_kib" \
    -v fs="$flat_s" -v fk="$flat_kib" -v py="$py_kib" -v as="$pa_s" -v ak="$pa_kib" 'BEGIN {
  printf "input: %.0f MB of JSON Lines (ip, tc, ss); Parquet written: %.1f MB (%.0fx smaller)\n", mb, pmb, mb / pmb
  printf "netstatspy export: %.1f s, %.1f MB/s of JSON in, peak RSS %.0f MB (%.2f of the input size)\n", es, mb / es, ek / 1024, ek / 1024 / mb
  printf "| load with pandas | s | peak RSS MB |\n|---|---:|---:|\n"
  printf "| read_parquet (every file) | %.2f | %.0f |\n", ps, pk / 1024
  printf "| read_parquet(dtype_backend=\"pyarrow\") (every file) | %.2f | %.0f |\n", as, ak / 1024
  printf "| read_json(lines=True) | %.2f | %.0f |\n", js, jk / 1024
  printf "| read_json + explode + json_normalize (flat ss columns) | %.2f | %.0f |\n", fs, fk / 1024
  printf "(python3 with pandas imported, nothing loaded: %.0f MB)\n", py / 1024
  printf "ratios JSON / Parquet: time %.1fx, memory %.1fx; flat ss from JSON / Parquet: time %.1fx, memory %.1fx\n", js / ps, jk / pk, fs / ps, fk / pk
}'
