#!/usr/bin/env bash
# Sustained sampling on the loaded-host scenario of ../shared/bench, as a user runs it: ip, tc,
# queue_limits and small_queue at FREQUENCY samples/s for DURATION seconds with JSON written to a
# file on disk, to /dev/null, and to a pipe whose reader stalls for the first 2 s (a slow disk or
# consumer), each binary given in turn in the same scenario, so two builds are compared in one
# run. Prints, per binary and run: slots sampled of the slots the
# schedule had, lateness p50/p99, CPU, and what the outputs dropped (from the binary's -v lines).
# Run as root.
# usage: bench/sustained.sh [BINARY...]   (default: this tree's release build; a BINARY may carry
#        options of its own: "target/release/netstatspy --realtime")
#        env: FREQUENCY (1000) DURATION (10) PAIRS CONNS UDP (100 5000 200) ROUNDS (1)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${SHARED_BENCH:-$here/../../shared/bench}
freq=${FREQUENCY:-1000}; secs=${DURATION:-10}; rounds=${ROUNDS:-1}
pairs=${PAIRS:-100}; conns=${CONNS:-5000}; udp=${UDP:-200}
export NS=${NS:-nsp-sustained}
if [ $# -eq 0 ]; then
  cargo build --quiet --release --bin netstatspy --manifest-path "$here/../Cargo.toml"
  set -- "$here/../target/release/netstatspy"
fi
[ -f "$shared/scenario.sh" ] || { echo "no scenario at $shared (set SHARED_BENCH)" >&2; exit 1; }
bash "$shared/scenario.sh" down >/dev/null 2>&1 || true
work=$(mktemp -d)
trap 'bash "$shared/scenario.sh" down >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
bash "$shared/scenario.sh" "$pairs" "$conns" "$udp" >/dev/null
slots=$(awk -v f="$freq" -v t="$secs" 'BEGIN { n = f * t; print (n == int(n)) ? n : int(n) + 1 }')
printf '%-58s %-12s %12s %9s %9s %8s %s\n' binary json "sampled/slots" "p50 µs" "p99 µs" "CPU %" "output"
for round in $(seq "$rounds"); do
  for spec in "$@"; do
    bin=${spec%% *}
    read -ra flags <<<"${spec#"$bin"}"
    for target in file /dev/null stalled-pipe; do
      rm -f "$work/stats.jsonl" "$work/pipe"
      case $target in
        file) out=$work/stats.jsonl ;;
        /dev/null) out=/dev/null ;;
        stalled-pipe)
          out=$work/pipe
          mkfifo "$out"
          (exec 3<"$out"; sleep 2; cat <&3 >/dev/null) &
          ;;
      esac
      ip netns exec "$NS" "$bin" "${flags[@]}" --tc --queue-limits --small-queue -c -j --file-name "$out" \
        -f "$freq" -t "$secs" -v 2> "$work/log" || true
      wait
      line=$(grep -E '^netstatspy: [0-9]+ samples in' "$work/log" | tail -1)
      samples=$(sed -E 's/^netstatspy: ([0-9]+) samples.*/\1/' <<<"$line")
      p50=$(sed -E 's/.*p50 ([0-9]+) µs.*/\1/' <<<"$line")
      p99=$(sed -E 's/.*p99 ([0-9]+) µs.*/\1/' <<<"$line")
      cpu=$(sed -E 's/.*\(([0-9.]+)% of one core\).*/\1/' <<<"$line")
      output=$(grep -E '^netstatspy: output json:' "$work/log" | sed 's/^netstatspy: output json: //' || true)
      printf '%-58s %-12s %6s/%-6s %9s %9s %8s %s\n' "$(realpath "$bin")${flags[*]:+ ${flags[*]}}" \
        "$target" "$samples" "$slots" "$p50" "$p99" "$cpu" "${output:--}"
    done
  done
done
