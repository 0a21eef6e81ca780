#!/usr/bin/env bash
# What the console costs on the loaded-host scenario of ../shared/bench: ip, tc and ss at
# FREQUENCY samples/s for DURATION seconds, three ways in the same run — no console (-c), the
# plain view into a file, the terminal view on a pseudo-terminal (script(1)) — ROUNDS times in
# turn. Prints per way the process's CPU (sampling and every output; from the -v summary), its
# ratio to the run without console, and what the console adds in % of one core.
# Run as root.
# usage: bench/console.sh [BINARY]   (default: this tree's release build)
#        env: FREQUENCY (1000) DURATION (10) PAIRS CONNS UDP (100 5000 200) ROUNDS (1)
#             FLAGS (more options for every run, e.g. --realtime)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${SHARED_BENCH:-$here/../../shared/bench}
freq=${FREQUENCY:-1000}; secs=${DURATION:-10}; rounds=${ROUNDS:-1}
read -ra extra <<<"${FLAGS:-}"
pairs=${PAIRS:-100}; conns=${CONNS:-5000}; udp=${UDP:-200}
export NS=${NS:-nsp-console}
bin=${1:-}
if [ -z "$bin" ]; then
  cargo build --quiet --release --bin netstatspy --manifest-path "$here/../Cargo.toml"
  bin=$here/../target/release/netstatspy
fi
command -v script >/dev/null || { echo "script(1) is needed (util-linux)" >&2; exit 1; }
[ -f "$shared/scenario.sh" ] || { echo "no scenario at $shared (set SHARED_BENCH)" >&2; exit 1; }
bash "$shared/scenario.sh" down >/dev/null 2>&1 || true
work=$(mktemp -d)
trap 'bash "$shared/scenario.sh" down >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
bash "$shared/scenario.sh" "$pairs" "$conns" "$udp" >/dev/null
bin=$(realpath "$bin")
echo "$bin --tc --ss -v -f $freq -t $secs ${extra[*]}, $((pairs * 2 + 1)) links, $conns connections"
printf '%-10s %8s %8s %10s %12s %12s\n' way "CPU s" "wall s" "÷ none" "console %" "ss records"
for round in $(seq "$rounds"); do
  none_cpu=
  for way in none plain top; do
    cmd=("$bin" --netns "$NS" --tc --ss -v -f "$freq" -t "$secs" "${extra[@]}")
    case $way in
      none) "${cmd[@]}" -c 2> "$work/log" || { cat "$work/log" >&2; exit 1; } ;;
      plain) "${cmd[@]}" --console plain > "$work/console.txt" 2> "$work/log" \
               || { cat "$work/log" >&2; exit 1; } ;;
      top) script -qfec "$(printf '%q ' "${cmd[@]}") --console top 2> $work/log" /dev/null \
             > "$work/pty.txt" || { cat "$work/log" >&2; exit 1; } ;;
    esac
    line=$(grep -E '^netstatspy: [0-9]+ samples in' "$work/log" | tail -1)
    wall=$(sed -E 's/^netstatspy: [0-9]+ samples in ([0-9.]+) s.*/\1/' <<<"$line")
    cpu=$(sed -E 's/.*CPU ([0-9.]+) s.*/\1/' <<<"$line")
    ss=$(grep -E '^netstatspy: reader ss:' "$work/log" | sed -E 's/.*: ([0-9]+) records.*/\1/')
    none_cpu=${none_cpu:-$cpu}
    printf '%-10s %8s %8s %10s %12s %12s\n' "$way" "$cpu" "$wall" \
      "$(awk -v a="$cpu" -v b="$none_cpu" 'BEGIN { printf "%.3f", a / b }')" \
      "$(awk -v a="$cpu" -v b="$none_cpu" -v w="$wall" 'BEGIN { printf "%.2f", (a - b) * 100 / w }')" \
      "$ss"
  done
done
