#!/usr/bin/env bash
# Record a golden capture on this machine's kernel: build a namespace with several interface
# kinds (and, for tc, qdiscs of every kind this kernel has), send traffic, wait for the counters
# to settle, then record netstatspy's netlink traffic (--record) with iproute2's own reading
# taken just before and just after; the two readings must agree, so the capture and iproute2's
# output describe the same moment. Run as root.
#
# usage: captures/record.sh [--tc|--ss|--ss-extra] [--iproute2] NAME [NETSTATSPY OPTIONS...]
#   default   netstatspy's ip reader; oracle `ip -s -s -j link show`  -> NAME.ip-s-s-j-link.json
#   --tc      netstatspy's tc reader; oracle `tc -s -j qdisc show`    -> NAME.tc-s-j-qdisc.json
#   --ss      netstatspy's ss reader over loopback TCP (IPv4, IPv6, keepalive, unread data, a
#             retransmitting connection) and connected UDP; oracle
#             `ss -tuinmHOn -o state established`, read just before and just after (values that
#             move with time lie between them) -> NAME.ss.before.txt, NAME.ss.after.txt
#   --ss-extra  --ss, plus sockets bound to an interface (vc0, a second veth pair: IPv4 by SO_BINDTODEVICE, IPv6 by a
#             link-local address's scope, both directions), TCP-MD5 connections over loopback
#             (IPv4 with a second key for a prefix, IPv6) and MPTCP connections over loopback
#   --iproute2  the capture is of iproute2 itself: the oracle command runs under strace, whose
#             dump of the bytes sent and received becomes the pcap (captures/strace2pcap.py; this
#             kernel has no nlmon), and its own output is the reading beside it.
# Writes captures/NAME.pcap, the oracle file and captures/NAME.txt.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage="usage: captures/record.sh [--tc|--ss|--ss-extra] [--iproute2] NAME [NETSTATSPY OPTIONS...]"
tc=false; ss=false; extra=false; iproute2=false
while [ $# -gt 0 ]; do
  case "$1" in
    --tc) tc=true; shift ;;
    --ss) ss=true; shift ;;
    --ss-extra) ss=true; extra=true; shift ;;
    --iproute2) iproute2=true; shift ;;
    *) break ;;
  esac
done
name=${1:?$usage}
shift
opts=("$@")
samples=3
$iproute2 && samples=1
if [ -z "${NETSTATSPY:-}" ]; then
  cargo build --quiet --release --manifest-path "$here/../Cargo.toml"
fi
bin=${NETSTATSPY:-$here/../target/release/netstatspy}

a=nsp-rec-a-$$; b=nsp-rec-b-$$
holder=
cleanup() {
  [ -n "$holder" ] && kill $holder 2>/dev/null
  ip netns del "$a" 2>/dev/null || true; ip netns del "$b" 2>/dev/null || true
}
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
if $tc; then
  # htb with classes and leaves (the default class slow, with a small byte fifo, so traffic
  # is dropped and throttled), ingress, a multi-queue veth under mq, clsact with blocks,
  # a bfifo with a rate estimator, pfifo_fast; lo and br0 keep noqueue.
  ip -n "$a" link add vm0 numtxqueues 4 type veth peer name vm1
  ip netns exec "$a" tc -batch - <<BATCH
qdisc replace dev va0 root handle 1: htb default 20 r2q 100
class add dev va0 parent 1: classid 1:10 htb rate 100mbit
class add dev va0 parent 1: classid 1:20 htb rate 1mbit ceil 1mbit
qdisc add dev va0 parent 1:10 handle 10: pfifo limit 300
qdisc add dev va0 parent 1:20 handle 20: bfifo limit 3000
qdisc add dev va0 ingress
qdisc replace dev vm0 root handle 2: mq
qdisc add dev vm1 ingress_block 5 egress_block 6 clsact
qdisc replace dev vx1 root handle 3: estimator 250ms 1sec bfifo limit 4000
qdisc replace dev ifbt0 root pfifo_fast
BATCH
fi
if $ss; then
  # IPv6 on loopback, a listener across the veth pair in the second namespace, then sockets
  # held by a small program until the recording is done.
  ip netns exec "$a" sh -c 'echo 0 > /proc/sys/net/ipv6/conf/lo/disable_ipv6'
  ip netns exec "$b" python3 -c '
import socket, time
srv = socket.socket(); srv.bind(("10.9.0.2", 7000)); srv.listen(4)
c, _ = srv.accept(); time.sleep(600)' &
  listener=$!
  sleep 0.3
  ip netns exec "$a" python3 - "/tmp/$a.go" > "/tmp/$a.ready" <<'PY' &
import os, socket, sys, time
keep = []
for fam, host, n in ((socket.AF_INET, "127.0.0.1", 12), (socket.AF_INET6, "::1", 6)):
    srv = socket.socket(fam); srv.bind((host, 0)); srv.listen(64); keep.append(srv)
    for i in range(n):
        c = socket.socket(fam); c.connect(srv.getsockname()); s, _ = srv.accept()
        if i % 3 == 0:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        c.sendall(b"x" * (1000 + 997 * i))
        if i % 2 == 0:
            got = 0
            while got < 1000 + 997 * i:
                got += len(s.recv(65536))
        if i % 4 == 0:
            s.sendall(b"y" * (100 + i))
        keep += [c, s]
for i, (fam, host) in enumerate(((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1"))):
    u1 = socket.socket(fam, socket.SOCK_DGRAM); u1.bind((host, 0))
    u2 = socket.socket(fam, socket.SOCK_DGRAM); u2.bind((host, 0))
    u1.connect(u2.getsockname()); u2.connect(u1.getsockname()); u1.send(b"z" * 50)
    keep += [u1, u2]
# A connection whose peer's link goes down: data sent after that is retransmitted.
r = socket.create_connection(("10.9.0.2", 7000)); keep.append(r)
print("READY", flush=True)
while not os.path.exists(sys.argv[1]):
    time.sleep(0.05)
r.send(b"r" * 5000)
print("SENT", flush=True)
time.sleep(600)
PY
  holder=$!
  for _ in $(seq 100); do grep -q READY "/tmp/$a.ready" 2>/dev/null && break; sleep 0.1; done
  ip -n "$b" link set vb0 down
  touch "/tmp/$a.go"
  for _ in $(seq 100); do grep -q SENT "/tmp/$a.ready" 2>/dev/null && break; sleep 0.1; done
  rm -f "/tmp/$a.ready" "/tmp/$a.go"
  holder="$holder $listener"
fi
if $extra; then
  # IPv6 link-local addresses on the veth pair, MPTCP on, then the listeners in the second
  # namespace and the rest held by a program in the first.
  # A second veth pair (va0's peer is down by now), vc0 - vd0, 10.9.1.0/24.
  ip -n "$a" link add vc0 type veth peer name vd0 netns "$b"
  ip -n "$a" addr add 10.9.1.1/24 dev vc0
  ip -n "$b" addr add 10.9.1.2/24 dev vd0
  for ns in "$a" "$b"; do ip netns exec "$ns" sh -c 'echo 0 > /proc/sys/net/ipv6/conf/lo/disable_ipv6'; done
  ip netns exec "$a" sh -c 'echo 0 > /proc/sys/net/ipv6/conf/vc0/disable_ipv6; echo 1 > /proc/sys/net/mptcp/enabled'
  ip netns exec "$b" sh -c 'echo 0 > /proc/sys/net/ipv6/conf/vd0/disable_ipv6'
  ip -n "$a" -6 addr add fe80::1/64 dev vc0 nodad
  ip -n "$b" -6 addr add fe80::2/64 dev vd0 nodad
  ip -n "$a" link set vc0 up
  ip -n "$b" link set vd0 up
  ip netns exec "$b" python3 - "/tmp/$a.bgo" > "/tmp/$a.bready" <<'PY' &
import os, socket, sys, time
vd0 = socket.if_nametoindex("vd0")
l4 = socket.socket(); l4.bind(("10.9.1.2", 7010)); l4.listen(8)
l6 = socket.socket(socket.AF_INET6); l6.bind(("fe80::2", 7012, 0, vd0)); l6.listen(8)
print("LISTENING", flush=True)
while not os.path.exists(sys.argv[1]):
    time.sleep(0.05)
keep = [l4.accept()[0], l6.accept()[0]]
# Connections to the first namespace's listeners bound to vc0.
for addr in (("10.9.1.1", 7110), ("fe80::1", 7112, 0, vd0)):
    c = socket.socket(socket.AF_INET6 if ":" in addr[0] else socket.AF_INET)
    c.connect(addr); c.sendall(b"b" * 300); keep.append(c)
print("READY", flush=True)
time.sleep(600)
PY
  bside=$!
  for _ in $(seq 100); do grep -q LISTENING "/tmp/$a.bready" 2>/dev/null && break; sleep 0.1; done
  ip netns exec "$a" python3 - "/tmp/$a.bgo" > "/tmp/$a.aready" <<'PY' &
import socket, struct, sys, time
TCP_MD5SIG, TCP_MD5SIG_EXT, IPPROTO_MPTCP = 14, 32, 262
vc0 = socket.if_nametoindex("vc0")
def md5(sock, fam, host, key, prefix=None):
    if fam == socket.AF_INET:
        sa = struct.pack("=H", fam) + struct.pack("!H", 0) + socket.inet_pton(fam, host)
    else:
        sa = struct.pack("=H", fam) + struct.pack("!HI", 0, 0) + socket.inet_pton(fam, host) + struct.pack("=I", 0)
    sa = sa.ljust(128, b"\0")
    opt = sa + struct.pack("=BBHi", 1 if prefix else 0, prefix or 0, len(key), 0) + key.ljust(80, b"\0")
    sock.setsockopt(socket.IPPROTO_TCP, TCP_MD5SIG_EXT if prefix else TCP_MD5SIG, opt)
keep = []
la4 = socket.socket(); la4.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"vc0")
la4.bind(("10.9.1.1", 7110)); la4.listen(8)
la6 = socket.socket(socket.AF_INET6); la6.bind(("fe80::1", 7112, 0, vc0)); la6.listen(8)
c = socket.socket(); c.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"vc0")
c.connect(("10.9.1.2", 7010)); c.sendall(b"a" * 200); keep.append(c)
c = socket.socket(socket.AF_INET6); c.connect(("fe80::2", 7012, 0, vc0)); c.sendall(b"a" * 210); keep.append(c)
open(sys.argv[1], "w").close()
keep += [la4.accept()[0], la6.accept()[0], la4, la6]
for fam, host, port, key in ((socket.AF_INET, "127.0.0.1", 7210, b"k e,y\\\x01\xff-4"),
                             (socket.AF_INET6, "::1", 7212, b"six-key")):
    l = socket.socket(fam); md5(l, fam, host, key); l.bind((host, port)); l.listen(8)
    c = socket.socket(fam); md5(c, fam, host, key)
    if fam == socket.AF_INET:
        md5(c, fam, "10.9.1.0", b"prefix,key", prefix=24)
    c.connect((host, port)); s = l.accept()[0]; c.sendall(b"m" * 400); keep += [l, c, s]
for fam, host, port in ((socket.AF_INET, "127.0.0.1", 7310), (socket.AF_INET6, "::1", 7312)):
    l = socket.socket(fam, socket.SOCK_STREAM, IPPROTO_MPTCP); l.bind((host, port)); l.listen(8)
    c = socket.socket(fam, socket.SOCK_STREAM, IPPROTO_MPTCP); c.connect((host, port))
    s = l.accept()[0]; c.sendall(b"p" * 500); s.recv(100); keep += [l, c, s]
print("READY", flush=True)
time.sleep(600)
PY
  holder="$holder $bside $!"
  for _ in $(seq 100); do grep -q READY "/tmp/$a.aready" 2>/dev/null && grep -q READY "/tmp/$a.bready" 2>/dev/null && break; sleep 0.1; done
  grep -q READY "/tmp/$a.aready" || { echo "extra sockets not ready" >&2; exit 1; }
  rm -f "/tmp/$a.aready" "/tmp/$a.bready" "/tmp/$a.bgo"
fi
sleep 0.5
if ! $ss; then
  # Traffic both ways across the veth pair (bash's /dev/udp: no other tool needed).
  ip netns exec "$a" bash -c 'for i in $(seq 300); do echo "$i payload" > /dev/udp/10.9.0.2/9; done' || true
  ip netns exec "$b" bash -c 'for i in $(seq 120); do echo "$i reply" > /dev/udp/10.9.0.1/9; done' || true
fi

if $tc; then
  oracle=(tc -s -j qdisc show); suffix=tc-s-j-qdisc.json; readers=(--no-ip --tc)
elif $ss; then
  oracle=(ss -tuinmHOn -o state established); suffix=ss.after.txt; readers=(--no-ip --ss)
else
  oracle=(ip -s -s -j link show); suffix=ip-s-s-j-link.json; readers=()
fi
reading() { ip netns exec "$a" "${oracle[@]}"; }
settled() {
  local last now
  last=$(reading)
  for _ in $(seq 50); do
    sleep 0.2
    now=$(reading)
    [ "$now" = "$last" ] && { printf '%s' "$now"; return 0; }
    last=$now
  done
  echo "counters never settled" >&2; return 1
}
describe() {  # how, command, options, oracle
  cat > "$out.txt" <<META
capture: $name.pcap
recorded: $(date -u +%Y-%m-%dT%H:%M:%SZ), live, by captures/record.sh $1
kernel: $(uname -r)
iproute2: $(ip -V)
command: $2
options: $3
samples: $samples
interfaces: $(ip -n "$a" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | tr '\n' ' ')
oracle: $4
META
}

out=$here/$name
if $iproute2; then
  if $ss; then sleep 0.5; else settled >/dev/null; fi
  trace=$(mktemp)
  ip netns exec "$a" strace -f -ttt -e trace=socket,sendto,sendmsg,recvmsg,recvfrom \
    -e read=all -e write=all -s 0 -o "$trace" "${oracle[@]}" > "$out.$suffix"
  python3 "$here/strace2pcap.py" "$trace" "$out.pcap"
  rm -f "$trace"
  # One reading: it is both the before and the after of the capture.
  $ss && cp "$out.$suffix" "$out.ss.before.txt"
  describe "$($extra && echo "--ss-extra ")--iproute2" "strace ... ${oracle[*]}, converted by captures/strace2pcap.py" \
    "${readers[*]}" "$name.$suffix = the output of the traced command itself"
  echo "recorded $out.pcap from iproute2's own exchange with the kernel"
  exit 0
fi
if $ss; then
  # Socket readings never repeat exactly (lastsnd and timers move with time): bracket instead.
  sleep 0.5
  reading > "$out.ss.before.txt"
  ip netns exec "$a" "$bin" --record "$out.pcap" -c -f 10 -t 0.1 "${readers[@]}" "${opts[@]}"
  reading > "$out.$suffix"
  samples=1
  describe "$($extra && echo --ss-extra || echo --ss)" "netstatspy --record $name.pcap -c -f 10 -t 0.1 ${readers[*]} ${opts[*]}" \
    "${readers[*]} ${opts[*]}" \
    "$name.ss.before.txt and $name.$suffix = ${oracle[*]}, read just before and just after"
  echo "recorded $out.pcap with ss's readings beside it"
  exit 0
fi
for attempt in 1 2 3 4 5; do
  before=$(settled)
  ip netns exec "$a" "$bin" --record "$out.pcap" -c -f 10 -t 0.$samples "${readers[@]}" "${opts[@]}"
  after=$(reading)
  if [ "$before" = "$after" ]; then
    printf '%s\n' "$after" > "$out.$suffix"
    describe "" "netstatspy --record $name.pcap -c -f 10 -t 0.$samples ${readers[*]} ${opts[*]}" \
      "${readers[*]} ${opts[*]}" \
      "$name.$suffix = ${oracle[*]}, read just before and just after (identical)"
    echo "recorded $out.pcap ($samples samples) with iproute2's reading beside it"
    exit 0
  fi
  echo "attempt $attempt: counters moved during the recording, again" >&2
done
echo "could not record a settled capture" >&2
exit 1
