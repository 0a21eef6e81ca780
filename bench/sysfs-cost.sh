#!/usr/bin/env bash
# Per-sample cost of the queue_limits and small_queue readers (files kept open, pread each
# sample) as a ratio to reading the same files with open/read/close each sample: on this host's
# sysfs/procfs, and on a fake tree with many BQL queues (IFACES × QUEUES × 8 files on tmpfs).
# usage: bench/sysfs-cost.sh [ITERATIONS] [IFACES] [QUEUES]    (defaults: 20000 64 16)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
iters=${1:-20000}; ifaces=${2:-64}; queues=${3:-16}
cargo build --quiet --release --example sample_cost --manifest-path "$here/../Cargo.toml"
cost="$here/../target/release/examples/sample_cost"
tree=$(mktemp -d /dev/shm/nsp-sysfs.XXXXXX)
trap 'rm -rf "$tree"' EXIT
for i in $(seq 0 $((ifaces - 1))); do
  for q in $(seq 0 $((queues - 1))); do
    d=$tree/class/net/eth$i/queues/tx-$q/byte_queue_limits
    mkdir -p "$d"
    for f in limit limit_max limit_min inflight hold_time stall_thrs stall_cnt stall_max; do
      echo $((RANDOM * q)) > "$d/$f"
    done
  done
done

ns() { "$cost" "$@" | awk '{print $4}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
printf '%-44s %12s %12s %10s\n' "what" "pread ns" "reopen ns" "ratio"
row() {
  local a b
  a=$(ns "$1" "$iters" "$3"); b=$(ns "$1-reopen" "$iters" "$3")
  printf '%-44s %12s %12s %10s\n' "$2" "$a" "$b" "$(ratio "$a" "$b")"
}
row queue_limits "queue_limits, this host's /sys" /sys
row queue_limits "queue_limits, fake tree $ifaces×$queues queues" "$tree"
row small_queue "small_queue, this host's /proc" /proc
