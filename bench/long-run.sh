#!/usr/bin/env bash
# Long run on the loaded-host scenario: all readers at 100 samples/s with JSON logging for
# SECONDS (default 600), printing resident memory, open file descriptors and JSON lines every
# 30 s, then checking the number of lines and that the output ends with a complete line. The
# JSON goes through a pipe to a line counter, not to disk: with 10,000 sockets it is ~2 GB/s.
# Run as root.
# usage: bench/long-run.sh [SECONDS] [PAIRS CONNS UDP]   (defaults: 600, 100 5000 200)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${SHARED_BENCH:-$here/../../shared/bench}
secs=${1:-600}; pairs=${2:-100}; conns=${3:-5000}; udp=${4:-200}
export NS=${NS:-nsp-long}
cargo build --quiet --release --bin netstatspy --manifest-path "$here/../Cargo.toml"
bash "$shared/scenario.sh" down >/dev/null 2>&1 || true
trap 'bash "$shared/scenario.sh" down >/dev/null 2>&1 || true' EXIT
bash "$shared/scenario.sh" "$pairs" "$conns" "$udp"
work=$(mktemp -d)
mkfifo "$work/json"
# Counts lines and remembers the last byte: the output must end with a complete line.
(awk 'END { print NR }' < "$work/json" > "$work/count") &
counter=$!
ip netns exec "$NS" "$here/../target/release/netstatspy" --tc --ss --queue-limits --small-queue \
  -c -j --file-name "$work/json" -f 100 -t "$secs" -v 2> "$work/log" &
sleep 2
pid=$(pgrep -n -f "netstatspy --tc --ss --queue-limits --small-queue")
for t in $(seq 0 30 $((secs - 30))); do
  printf 't=%4ss rss_kb=%s fds=%s\n' "$t" \
    "$(awk '/VmRSS/{print $2}' /proc/$pid/status)" "$(ls /proc/$pid/fd | wc -l)"
  sleep 30
done
wait "$pid" 2>/dev/null || true
wait "$counter"
grep -E "samples in|dumps" "$work/log"
samples=$(grep -o '^netstatspy: [0-9]* samples' "$work/log" | awk '{print $2}')
echo "JSON lines: $(cat "$work/count") (expected 5 per sample: $((samples * 5)))"
rm -rf "$work"
