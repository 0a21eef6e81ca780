#!/usr/bin/env bash
# Record a golden capture on this machine's kernel: build a namespace with several interface
# kinds, send traffic, wait for the counters to settle, then record netstatspy's netlink traffic
# (--record) with iproute2's own reading taken just before and just after; the two readings must
# agree, so the capture and iproute2's output describe the same moment. Run as root.
#
# usage: captures/record.sh NAME [NETSTATSPY OPTIONS...]
#        captures/record.sh --iproute2 NAME
#   writes captures/NAME.pcap, captures/NAME.ip-s-s-j-link.json and captures/NAME.txt
#
# With --iproute2 the capture is of iproute2 itself: `ip -s -s -j link show` runs under strace,
# whose dump of the bytes sent and received becomes the pcap (captures/strace2pcap.py; this
# kernel has no nlmon), and its own output is the reading beside it: one dump, both views.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage="usage: captures/record.sh [--iproute2] NAME [NETSTATSPY OPTIONS...]"
iproute2=false
if [ "${1:-}" = --iproute2 ]; then iproute2=true; shift; fi
name=${1:?$usage}
shift
opts=("$@")
samples=3
$iproute2 && samples=1
bin=${NETSTATSPY:-$here/../target/release/netstatspy}
[ -x "$bin" ] || cargo build --quiet --release --manifest-path "$here/../Cargo.toml"

a=nsp-rec-a-$$; b=nsp-rec-b-$$
cleanup() { ip netns del "$a" 2>/dev/null || true; ip netns del "$b" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$a"; ip netns add "$b"
for ns in "$a" "$b"; do
  # No IPv6: router solicitations and MLD reports would move counters on their own.
  ip netns exec "$ns" sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6;
                             echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6'
  ip -n "$ns" link set lo up
done
ip -n "$a" -batch - <<BATCH
link add va0 type veth peer name vb0 netns $b
addr add 10.9.0.1/24 dev va0
link set va0 up
link add br0 type bridge
link add vp0 type veth peer name vp1
link set vp0 master br0
link set br0 up
link set vp0 up
link set vp1 up
link add vx0 mtu 9000 type veth peer name vx1
link set vx0 up
link add ifbt0 type ifb
BATCH
ip -n "$b" addr add 10.9.0.2/24 dev vb0
ip -n "$b" link set vb0 up
sleep 0.5
# Traffic both ways across the veth pair (bash's /dev/udp: no other tool needed).
ip netns exec "$a" bash -c 'for i in $(seq 300); do echo "$i payload" > /dev/udp/10.9.0.2/9; done' || true
ip netns exec "$b" bash -c 'for i in $(seq 120); do echo "$i reply" > /dev/udp/10.9.0.1/9; done' || true
# Traffic through the bridge port pair.
ip netns exec "$a" bash -c 'for i in $(seq 50); do echo x > /dev/udp/10.9.0.2/9; done' || true

settled() {
  local last now
  last=$(ip -n "$a" -s -s -j link show)
  for _ in $(seq 50); do
    sleep 0.2
    now=$(ip -n "$a" -s -s -j link show)
    [ "$now" = "$last" ] && { printf '%s' "$now"; return 0; }
    last=$now
  done
  echo "counters never settled" >&2; return 1
}

out=$here/$name
if $iproute2; then
  settled >/dev/null
  trace=$(mktemp)
  ip netns exec "$a" strace -f -ttt -e trace=socket,sendto,sendmsg,recvmsg,recvfrom \
    -e read=all -e write=all -s 0 -o "$trace" ip -s -s -j link show > "$out.ip-s-s-j-link.json"
  python3 "$here/strace2pcap.py" "$trace" "$out.pcap"
  rm -f "$trace"
  cat > "$out.txt" <<META
capture: $name.pcap
recorded: $(date -u +%Y-%m-%dT%H:%M:%SZ), live, by captures/record.sh --iproute2
kernel: $(uname -r)
iproute2: $(ip -V)
command: strace ... ip -s -s -j link show, converted by captures/strace2pcap.py
options:
samples: $samples
interfaces: $(ip -n "$a" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | tr '\n' ' ')
oracle: $name.ip-s-s-j-link.json = the output of the traced ip command itself
META
  echo "recorded $out.pcap from iproute2's own exchange with the kernel"
  exit 0
fi
for attempt in 1 2 3 4 5; do
  before=$(settled)
  ip netns exec "$a" "$bin" --record "$out.pcap" -c -f 10 -t 0.$samples "${opts[@]}"
  after=$(ip -n "$a" -s -s -j link show)
  if [ "$before" = "$after" ]; then
    printf '%s\n' "$after" > "$out.ip-s-s-j-link.json"
    cat > "$out.txt" <<META
capture: $name.pcap
recorded: $(date -u +%Y-%m-%dT%H:%M:%SZ), live, by captures/record.sh
kernel: $(uname -r)
iproute2: $(ip -V)
command: netstatspy --record $name.pcap -c -f 10 -t 0.$samples ${opts[*]}
options: ${opts[*]}
samples: $samples
interfaces: $(ip -n "$a" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | tr '\n' ' ')
oracle: $name.ip-s-s-j-link.json = ip -s -s -j link show, read just before and just after (identical)
META
    echo "recorded $out.pcap ($samples samples) with iproute2's reading beside it"
    exit 0
  fi
  echo "attempt $attempt: counters moved during the recording, again" >&2
done
echo "could not record a settled capture" >&2
exit 1
