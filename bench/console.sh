#!/usr/bin/env bash
# What the console costs on the loaded-host scenario of ../shared/bench: ip, tc and ss at
# FREQUENCY samples/s for DURATION seconds, three ways in the same run — no console (-c), the
# plain view into a file, the terminal view on a pseudo-terminal (script(1)) — ROUNDS times in
# turn. Prints per way the process's CPU (sampling and every output; from the -v summary), the
# CPU of the console's own thread (from /proc/PID/task, read until the process ends), their
# ratio, and the console's CPU in % of one core. (The whole process's CPU varies between runs
# with how many ss dumps fit in the time, more than the console costs: compare the thread.)
# Run as root.
# usage: bench/console.sh [BINARY]   (default: this tree's release build)
#        env: FREQUENCY (1000) DURATION (10) PAIRS CONNS UDP (100 5000 200) ROUNDS (1)
#             READERS ("--tc --ss") FLAGS (more options for every run, e.g. --realtime)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${SHARED_BENCH:-$here/../../shared/bench}
freq=${FREQUENCY:-1000}; secs=${DURATION:-10}; rounds=${ROUNDS:-1}
read -ra extra <<<"${FLAGS:-}"
read -ra readers <<<"${READERS:---tc --ss}"
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
echo "$bin ${readers[*]} -v -f $freq -t $secs ${extra[*]}, $((pairs * 2 + 1)) links, $conns connections"
tick=$(getconf CLK_TCK)
# The console thread's CPU seconds (user + system) of process $1, read from /proc until the
# process ends; the last reading is printed.
console_cpu() {
  local pid=$1 last=0 t
  while kill -0 "$pid" 2>/dev/null; do
    for t in /proc/"$pid"/task/*; do
      if [ "$(cat "$t/comm" 2>/dev/null)" = netstatspy-cons ]; then
        last=$(awk -v hz="$tick" '{ sub(/^.*\) /, ""); print ($12 + $13) / hz }' "$t/stat" 2>/dev/null || echo "$last")
      fi
    done
    sleep 0.2
  done
  echo "$last"
}
# The netstatspy process below $1 (script(1) runs it through a shell).
descendant() {
  local pid=$1 child
  for _ in 1 2 3 4; do
    [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = netstatspy ] && { echo "$pid"; return; }
    child=$(cat /proc/"$pid"/task/*/children 2>/dev/null | awk '{ print $1; exit }')
    [ -n "$child" ] || return 1
    pid=$child
  done
  return 1
}
printf '%-6s %8s %8s %12s %14s %14s %11s\n' way "CPU s" "wall s" "console s" "console÷CPU" "console %core" "ss records"
for round in $(seq "$rounds"); do
  for way in none plain top; do
    cmd=("$bin" --netns "$NS" "${readers[@]}" -v -f "$freq" -t "$secs" "${extra[@]}")
    case $way in
      none) "${cmd[@]}" -c 2> "$work/log" & ;;
      plain) "${cmd[@]}" --console plain > "$work/console.txt" 2> "$work/log" & ;;
      top) script -qfec "$(printf '%q ' "${cmd[@]}") --console top 2> $work/log" /dev/null \
             > "$work/pty.txt" & ;;
    esac
    runner=$!
    sleep 0.5
    pid=$(descendant "$runner") || pid=$runner
    ccpu=$(console_cpu "$pid")
    wait "$runner" || { cat "$work/log" >&2; exit 1; }
    line=$(grep -E '^netstatspy: [0-9]+ samples in' "$work/log" | tail -1)
    wall=$(sed -E 's/^netstatspy: [0-9]+ samples in ([0-9.]+) s.*/\1/' <<<"$line")
    cpu=$(sed -E 's/.*CPU ([0-9.]+) s.*/\1/' <<<"$line")
    ss=$(grep -E '^netstatspy: reader ss:' "$work/log" | sed -E 's/.*: ([0-9]+) records.*/\1/' || true)
    printf '%-6s %8s %8s %12s %14s %14s %11s\n' "$way" "$cpu" "$wall" "$ccpu" \
      "$(awk -v a="$ccpu" -v b="$cpu" 'BEGIN { printf "%.4f", a / b }')" \
      "$(awk -v a="$ccpu" -v w="$wall" 'BEGIN { printf "%.2f", a * 100 / w }')" "$ss"
  done
done
