#!/usr/bin/env bash
# What --changes-only saves on the loaded-host scenario of ../shared/bench: ip and tc at
# FREQUENCY samples/s for DURATION seconds, JSON to a file on disk, written four ways in the same
# run — full JSON, full .zst, changes-only, changes-only .zst (keyframe every 10 s) — ROUNDS
# times in turn. Prints per way: bytes written per second, CPU per sample (the whole process:
# sampling, encoding, comparing, compressing, writing), as ratios to full JSON (bytes: how many
# times fewer), and the slots sampled of the slots the schedule had (from the -v summary).
# Run as root.
# usage: bench/changes.sh [BINARY]   (default: this tree's release build)
#        env: FREQUENCY (1000) DURATION (10) PAIRS CONNS UDP (100 5000 200) ROUNDS (1)
#             KEYFRAME (10) FLAGS (more options for every run, e.g. --realtime)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${SHARED_BENCH:-$here/../../shared/bench}
freq=${FREQUENCY:-1000}; secs=${DURATION:-10}; rounds=${ROUNDS:-1}; keyframe=${KEYFRAME:-10}
read -ra extra <<<"${FLAGS:-}"
pairs=${PAIRS:-100}; conns=${CONNS:-5000}; udp=${UDP:-200}
export NS=${NS:-nsp-changes}
bin=${1:-}
if [ -z "$bin" ]; then
  cargo build --quiet --release --bin netstatspy --manifest-path "$here/../Cargo.toml"
  bin=$here/../target/release/netstatspy
fi
[ -f "$shared/scenario.sh" ] || { echo "no scenario at $shared (set SHARED_BENCH)" >&2; exit 1; }
bash "$shared/scenario.sh" down >/dev/null 2>&1 || true
work=$(mktemp -d)
trap 'bash "$shared/scenario.sh" down >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
bash "$shared/scenario.sh" "$pairs" "$conns" "$udp" >/dev/null
slots=$(awk -v f="$freq" -v t="$secs" 'BEGIN { n = f * t; print (n == int(n)) ? n : int(n) + 1 }')
echo "$(realpath "$bin") --tc -c -j -v -f $freq -t $secs ${extra[*]}, $((pairs * 2 + 1)) links, $conns connections"
printf '%-12s %12s %12s %12s %9s %13s %13s\n' way "bytes/s" "full ÷ this" "CPU µs/smp" "÷ full" "ip slots" "tc slots"
for round in $(seq "$rounds"); do
  full_bytes=; full_cpu=
  for way in full full.zst changes changes.zst; do
    case $way in
      full) file=$work/stats.jsonl; flags=() ;;
      full.zst) file=$work/stats.jsonl.zst; flags=() ;;
      changes) file=$work/changes.jsonl; flags=(--changes-only="$keyframe") ;;
      changes.zst) file=$work/changes.jsonl.zst; flags=(--changes-only="$keyframe") ;;
    esac
    rm -f "$file"
    ip netns exec "$NS" "$bin" --tc -c -j -v --file-name "$file" -f "$freq" -t "$secs" \
      "${flags[@]}" "${extra[@]}" 2> "$work/log" || { cat "$work/log" >&2; exit 1; }
    line=$(grep -E '^netstatspy: [0-9]+ samples in' "$work/log" | tail -1)
    samples=$(sed -E 's/^netstatspy: ([0-9]+) samples.*/\1/' <<<"$line")
    wall=$(sed -E 's/^netstatspy: [0-9]+ samples in ([0-9.]+) s.*/\1/' <<<"$line")
    cpu=$(sed -E 's/.*CPU ([0-9.]+) s.*/\1/' <<<"$line")
    records() { grep -E "^netstatspy: reader $1:" "$work/log" | sed -E 's/.*: ([0-9]+) records.*/\1/'; }
    bytes=$(stat -c %s "$file")
    rate=$(awk -v b="$bytes" -v w="$wall" 'BEGIN { printf "%d", b / w }')
    per=$(awk -v c="$cpu" -v n="$samples" 'BEGIN { printf "%.1f", c * 1e6 / n }')
    full_bytes=${full_bytes:-$rate}; full_cpu=${full_cpu:-$per}
    printf '%-12s %12s %12s %12s %9s %13s %13s\n' "$way" "$rate" \
      "$(awk -v a="$rate" -v b="$full_bytes" 'BEGIN { printf "%.1f", b / a }')" "$per" \
      "$(awk -v a="$per" -v b="$full_cpu" 'BEGIN { printf "%.3f", a / b }')" \
      "$(records ip)/$slots" "$(records tc)/$slots"
  done
done
