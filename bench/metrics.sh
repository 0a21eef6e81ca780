#!/usr/bin/env bash
# What the metrics endpoint costs on the loaded-host scenario of ../shared/bench: the same run
# (tc, queue_limits and small_queue at FREQUENCY samples/s for DURATION seconds, no console, -v)
# without --listen, with JSON written to a file instead (for scale), with --listen scraped every
# second, and with sockets served as well
# (`--ss --rate ss=10 --ss-filter 'sport = :SERVER' --metrics-sockets 100`, 5,000 sockets
# selected, 100 served), in one scenario, one after the other. Prints per run: slots sampled,
# CPU of the whole process (sampler, outputs and server), its ratio to the run without the
# endpoint, and the bytes and time of the scrapes. Needs root and curl.
# usage: bench/metrics.sh [BINARY]   (default: this tree's release build)
#        env: FREQUENCY (1000) DURATION (10) PAIRS CONNS UDP (100 5000 200)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${SHARED_BENCH:-$here/../../shared/bench}
freq=${FREQUENCY:-1000}; secs=${DURATION:-10}
pairs=${PAIRS:-100}; conns=${CONNS:-5000}; udp=${UDP:-200}
export NS=${NS:-nsp-metrics}
command -v curl >/dev/null || { echo "bench/metrics.sh needs curl" >&2; exit 1; }
if [ $# -eq 0 ]; then
  cargo build --quiet --release --bin netstatspy --manifest-path "$here/../Cargo.toml"
  set -- "$here/../target/release/netstatspy"
fi
bin=$1
[ -f "$shared/scenario.sh" ] || { echo "no scenario at $shared (set SHARED_BENCH)" >&2; exit 1; }
bash "$shared/scenario.sh" down >/dev/null 2>&1 || true
work=$(mktemp -d)
trap 'bash "$shared/scenario.sh" down >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
bash "$shared/scenario.sh" "$pairs" "$conns" "$udp" >/dev/null
server=$(ip netns exec "$NS" ss -tlnH | awk '{ split($4, a, ":"); print a[length(a)] }' | head -1)
slots=$(awk -v f="$freq" -v t="$secs" 'BEGIN { n = f * t; print (n == int(n)) ? n : int(n) + 1 }')
addr=127.0.0.1:19417
base_cpu=

printf '%-10s %14s %8s %7s %s\n' endpoint sampled/slots "CPU s" ratio "scrapes: count, bytes, time (median)"
for mode in off json on sockets; do
  flags=(--tc --queue-limits --small-queue -c -f "$freq" -t "$secs" -v)
  case $mode in
    json) flags+=(-j --file-name "$work/stats.jsonl") ;;
    on) flags+=(--listen "$addr") ;;
    sockets) flags+=(--listen "$addr" --ss --rate ss=10 --ss-filter "sport = :$server" --metrics-sockets 100) ;;
  esac
  rm -f "$work/scrapes"
  ip netns exec "$NS" "$bin" "${flags[@]}" 2> "$work/log" &
  pid=$!
  if [ "$mode" = on ] || [ "$mode" = sockets ]; then
    # A scraper as Prometheus is one: a request a second, asking for OpenMetrics.
    ip netns exec "$NS" bash -c '
      while kill -0 '"$pid"' 2>/dev/null; do
        curl -s -o /dev/null -H "Accept: application/openmetrics-text;version=1.0.0" \
          -w "%{size_download} %{time_total}\n" "http://'"$addr"'/metrics" 2>/dev/null || true
        sleep 1
      done' >> "$work/scrapes" &
  fi
  wait "$pid" || true
  wait
  line=$(grep -E '^netstatspy: [0-9]+ samples in' "$work/log" | tail -1)
  samples=$(sed -E 's/^netstatspy: ([0-9]+) samples.*/\1/' <<<"$line")
  cpu=$(sed -E 's/.*CPU ([0-9.]+) s.*/\1/' <<<"$line")
  [ -z "$base_cpu" ] && base_cpu=$cpu
  ratio=$(awk -v a="$cpu" -v b="$base_cpu" 'BEGIN { printf "%.2f", a / b }')
  scrapes=-
  if [ -s "$work/scrapes" ]; then
    n=$(awk '$1 > 0' "$work/scrapes" | wc -l)
    median() { awk '$1 > 0 { print $'"$1"' }' "$work/scrapes" | sort -g | sed -n "$(( (n + 1) / 2 ))p"; }
    scrapes="$n, $(median 1) bytes, $(awk -v t="$(median 2)" 'BEGIN { printf "%.1f", t * 1000 }') ms"
  fi
  printf '%-10s %7s/%-6s %8s %6s× %s\n' "$mode" "$samples" "$slots" "$cpu" "$ratio" "$scrapes"
done
