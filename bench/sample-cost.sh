#!/usr/bin/env bash
# Per-sample cost of netstatspy's readers against the kernel floor and against spawning iproute2,
# measured in one run on the loaded-host scenario of ../shared/bench (run as root).
# usage: bench/sample-cost.sh [PAIRS CONNS UDP] [ITERATIONS]   (defaults: 100 5000 200, 2000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${SHARED_BENCH:-$here/../../shared/bench}
pairs=${1:-100}; conns=${2:-5000}; udp=${3:-200}; iters=${4:-2000}
export NS=${NS:-nsp-cost}

[ -f "$shared/scenario.sh" ] || { echo "no scenario at $shared (set SHARED_BENCH)" >&2; exit 1; }
cargo build --quiet --release --example sample_cost --bin netstatspy --manifest-path "$here/../Cargo.toml"
cost="$here/../target/release/examples/sample_cost"
floor=$(mktemp -d)/nlfloor
gcc -O2 -o "$floor" "$shared/nlfloor.c"

bash "$shared/scenario.sh" down >/dev/null 2>&1 || true
trap 'bash "$shared/scenario.sh" down >/dev/null 2>&1 || true' EXIT
bash "$shared/scenario.sh" "$pairs" "$conns" "$udp"

in_ns() { ip netns exec "$NS" "$@"; }
# ns per invocation of an iproute2 command, spawned as a subprocess sampler would.
spawn_ns() {
  local n=$1; shift
  local t0 t1
  t0=$(date +%s%N)
  for _ in $(seq "$n"); do in_ns "$@" >/dev/null; done
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / n ))
}

link=$(in_ns "$floor" link "$iters" | awk '{print $4}')
stats=$(in_ns "$floor" stats "$iters" | awk '{print $4}')
ip_steady=$(in_ns "$cost" ip "$iters" | awk '{print $4}')
ip_getlink=$(in_ns "$cost" ip-getlink "$iters" | awk '{print $4}')
ip_exchange=$(in_ns "$cost" ip-exchange "$iters" | awk '{print $4}')
ip_spawn=$(spawn_ns 100 ip -s -s link)
qdisc=$(in_ns "$floor" qdisc "$iters" | awk '{print $4}')
tc_cost=$(in_ns "$cost" tc "$iters" | awk '{print $4}')
tc_exchange=$(in_ns "$cost" tc-exchange "$iters" | awk '{print $4}')
tc_spawn=$(spawn_ns 100 tc -s qdisc)
sock_iters=$(( iters / 20 > 20 ? iters / 20 : 20 ))
sock=$(in_ns "$floor" sock "$sock_iters" | awk '{print $4}')
ss_cost=$(in_ns "$cost" ss "$sock_iters" | awk '{print $4}')
ss_json=$(in_ns "$cost" ss-json "$sock_iters" | awk '{print $4}')
ss_exchange=$(in_ns "$cost" ss-exchange "$sock_iters" | awk '{print $4}')
ss_spawn=$(spawn_ns 10 ss -inm --tcp --udp -o state established)
# Five connections to port 5201 among the scenario's sockets: a filter selects their 10 sockets.
in_ns python3 -c '
import socket, time
l = socket.socket(); l.bind(("127.0.0.1", 5201)); l.listen(8)
held = [(socket.create_connection(("127.0.0.1", 5201)), l.accept()) for _ in range(5)]
print("READY", flush=True); time.sleep(3600)' > /tmp/$NS-5201.out 2>&1 &
few=$!
for _ in $(seq 50); do grep -q READY /tmp/$NS-5201.out && break; sleep 0.1; done
trap 'kill $few 2>/dev/null; bash "$shared/scenario.sh" down >/dev/null 2>&1 || true' EXIT
filter='dport = :5201 or sport = :5201'
ss_filtered=$(in_ns "$cost" ss-filter "$sock_iters" "$filter" | awk '{print $3 " " $4}')
ss_filtered_n=${ss_filtered% *}; ss_filtered=${ss_filtered#* }
ss_filter_spawn=$(spawn_ns 10 ss -inm --tcp --udp -o state established $filter)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '%-34s %12s %14s %14s\n' "what" "ns/sample" "÷ GETLINK floor" "÷ GETSTATS floor"
row() { printf '%-34s %12s %14s %14s\n' "$1" "$2" "$(ratio "$2" "$link")" "$(ratio "$2" "$stats")"; }
row "floor: RTM_GETLINK dump (nlfloor)" "$link"
row "floor: RTM_GETSTATS dump (nlfloor)" "$stats"
row "netstatspy ip (as sampled)" "$ip_steady"
row "netstatspy ip (GETLINK every sample)" "$ip_getlink"
row "netstatspy ip, exchanges only" "$ip_exchange"
row "spawn ip -s -s link" "$ip_spawn"
echo "ip -s -s link spawn ÷ netstatspy ip: $(ratio "$ip_spawn" "$ip_steady")×"
echo
printf '%-34s %12s %14s\n' "what" "ns/sample" "÷ GETQDISC floor"
printf '%-34s %12s %14s\n' "floor: RTM_GETQDISC dump (nlfloor)" "$qdisc" "1.00"
printf '%-34s %12s %14s\n' "netstatspy tc (as sampled)" "$tc_cost" "$(ratio "$tc_cost" "$qdisc")"
printf '%-34s %12s %14s\n' "netstatspy tc, exchanges only" "$tc_exchange" "$(ratio "$tc_exchange" "$qdisc")"
printf '%-34s %12s %14s\n' "spawn tc -s qdisc" "$tc_spawn" "$(ratio "$tc_spawn" "$qdisc")"
echo "tc -s qdisc spawn ÷ netstatspy tc: $(ratio "$tc_spawn" "$tc_cost")×"
echo
printf '%-34s %12s %14s\n' "what" "ns/sample" "÷ sock floor"
printf '%-34s %12s %14s\n' "floor: sock_diag tcp+udp v4+v6" "$sock" "1.00"
printf '%-34s %12s %14s\n' "netstatspy ss (as sampled)" "$ss_cost" "$(ratio "$ss_cost" "$sock")"
printf '%-34s %12s %14s\n' "netstatspy ss + JSON serialising" "$ss_json" "$(ratio "$ss_json" "$sock")"
printf '%-34s %12s %14s\n' "netstatspy ss, exchanges only" "$ss_exchange" "$(ratio "$ss_exchange" "$sock")"
printf '%-34s %12s %14s\n' "spawn ss -inm --tcp --udp ..." "$ss_spawn" "$(ratio "$ss_spawn" "$sock")"
echo "ss spawn ÷ netstatspy ss: $(ratio "$ss_spawn" "$ss_cost")×"
printf '%-34s %12s %14s\n' "netstatspy ss, filter ($ss_filtered_n sockets)" "$ss_filtered" "$(ratio "$ss_filtered" "$sock")"
printf '%-34s %12s %14s\n' "spawn ss ... with the same filter" "$ss_filter_spawn" "$(ratio "$ss_filter_spawn" "$sock")"
echo "filter: '$filter'; ss spawn with it ÷ netstatspy with it: $(ratio "$ss_filter_spawn" "$ss_filtered")×"

# Sustained sampling of the whole binary, JSON logging on, as a user runs it (its own -v summary).
json=$(mktemp -d)/stats.jsonl
echo
echo "sustained: netstatspy --tc --queue-limits --small-queue -c -j -f 1000 -t 10 -v (JSON to a file)"
in_ns "$here/../target/release/netstatspy" --tc --queue-limits --small-queue -c -j \
  --file-name "$json" -f 1000 -t 10 -v 2>&1 | grep -E "samples in|output json:"
echo "sustained: the same with --file-name /dev/null (serialising without the disk)"
in_ns "$here/../target/release/netstatspy" --tc --queue-limits --small-queue -c -j \
  --file-name /dev/null -f 1000 -t 10 -v 2>&1 | grep -E "samples in|output json:"
echo "sustained: netstatspy --ss -c -j -f 10 -t 10 -v (10,000 sockets)"
in_ns "$here/../target/release/netstatspy" --no-ip --ss -c -j --file-name "$json" -f 10 -t 10 -v \
  2>&1 | grep -E "samples in|output json:"
rm -f "$json"
