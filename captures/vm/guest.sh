#!/bin/busybox sh
# /init of the capture VM built by captures/vm/record.sh. Builds the scenario — one veth per
# qdisc kind with TCP traffic through each, then held TCP (IPv4 and IPv6, four congestion
# controls, unread data, a retransmitting connection) and connected UDP sockets — and records,
# through an nlmon device with tcpdump, the netlink traffic of netstatspy and of iproute2 itself,
# with iproute2's output beside each capture. Writes to the 9p share mounted at /out and powers
# off; /out/status says "ok" when every capture was made.

/bin/busybox mkdir -p /proc /sys /dev /tmp /run /out
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
while read -r m; do insmod "$m" || echo "insmod $m failed"; done < /modules.list
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 out /out || poweroff -f

# Debian's busybox runs its own applets before PATH: iproute2 by full path.
IP=/usr/sbin/ip TC=/usr/sbin/tc SS=/usr/bin/ss TCPDUMP=/usr/bin/tcpdump NSP=/usr/bin/netstatspy
PREFIX=vm61
SETTLE_TRIES=100

log() { echo "guest: $*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

# Every link of this namespace with its qdisc, the peer in namespace "far".
N=0
PEERS=
link() { # NAME [ip link options]
  name=$1; shift
  N=$((N + 1))
  $IP link add "$name" "$@" type veth peer name "p$N" netns far || fail "veth $name"
  $IP addr add "10.0.$N.1/24" dev "$name"
  $IP link set "$name" up
  $IP -n far addr add "10.0.$N.2/24" dev "p$N"
  $IP -n far link set "p$N" up
  PEERS="$PEERS $name:$N"
}

# A shaper (tbf, 20 Mbit/s) at the root with KIND as its child: the queue builds in the child,
# so its drop, mark and queue counters move.
shaped() { # DEV KIND OPTIONS...
  dev=$1; shift
  $TC qdisc add dev "$dev" root handle 1: tbf rate 20mbit burst 16kb latency 400ms
  $TC qdisc add dev "$dev" parent 1:1 handle 10: "$@"
}

qdiscs() {
  link q_pfifo;     shaped q_pfifo pfifo limit 30
  link q_bfifo;     shaped q_bfifo bfifo limit 40000
  link q_pfifo_fast; $TC qdisc add dev q_pfifo_fast root pfifo_fast
  link q_fq_codel;  shaped q_fq_codel fq_codel limit 1000 flows 256 target 4ms interval 90ms \
                      quantum 1514 memory_limit 8Mb ecn
  link q_codel;     shaped q_codel codel limit 800 target 4ms interval 80ms ce_threshold 2ms
  link q_fq;        shaped q_fq fq limit 900 flow_limit 60 quantum 3028 initial_quantum 15140 \
                      maxrate 80mbit buckets 512
  link q_cake;      $TC qdisc add dev q_cake root handle 1: cake bandwidth 15mbit diffserv3 \
                      dual-srchost nat ack-filter
  link q_netem;     $TC qdisc add dev q_netem root handle 1: netem limit 1200 delay 4ms 1ms \
                      loss 0.5% duplicate 0.2% reorder 1% 10% slot 800us 1ms
  link q_tbf;       $TC qdisc add dev q_tbf root handle 1: tbf rate 30mbit burst 24kb \
                      latency 40ms peakrate 60mbit mtu 1600
  link q_prio;      $TC qdisc add dev q_prio root handle 1: prio bands 4 \
                      priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 3
                    $TC qdisc add dev q_prio parent 1:2 handle 12: pfifo_head_drop limit 60
  link q_sfq;       shaped q_sfq sfq limit 60 perturb 10 quantum 1514 divisor 512
  link q_red;       shaped q_red red limit 400000 min 15000 max 45000 avpkt 1000 burst 20 \
                      bandwidth 20mbit probability 0.1 ecn harddrop
  link q_pie;       shaped q_pie pie limit 900 target 5ms tupdate 20ms alpha 3 beta 25 ecn \
                      bytemode
  link q_fq_pie;    shaped q_fq_pie fq_pie limit 2048 flows 256 target 5ms tupdate 20ms \
                      alpha 3 beta 25 quantum 1514 memory_limit 16Mb ecn_prob 20 ecn
  link q_hfsc;      $TC qdisc add dev q_hfsc root handle 1: hfsc default 20
                    $TC class add dev q_hfsc parent 1: classid 1:10 hfsc sc rate 40mbit \
                      ul rate 60mbit
                    $TC class add dev q_hfsc parent 1: classid 1:20 hfsc ls rate 20mbit \
                      ul rate 20mbit
  link q_drr;       $TC qdisc add dev q_drr root handle 1: drr
                    $TC class add dev q_drr parent 1: classid 1:1 drr quantum 3000
                    $TC class add dev q_drr parent 1: classid 1:2 drr
                    $TC qdisc add dev q_drr parent 1:1 handle 11: bfifo limit 80000
                    $TC filter add dev q_drr parent 1: matchall classid 1:1
  link q_ets;       $TC qdisc add dev q_ets root handle 1: ets bands 4 strict 1 \
                      quanta 1514 3028 4542 priomap 3 2 1 0 1 1 1 1 1 1 1 1 1 1 1 1
  link q_choke;     shaped q_choke choke limit 300 min 20 max 60 avpkt 1000 burst 30 \
                      bandwidth 20mbit probability 0.1
  link q_hhf;       shaped q_hhf hhf limit 100 quantum 1514 hh_limit 2048 reset_timeout 40ms \
                      admit_bytes 65536 evict_timeout 1s non_hh_weight 3
  link q_sfb;       shaped q_sfb sfb limit 100 rehash 600000 db 60000 max 30 target 15 \
                      increment 0.0006 decrement 0.0002 penalty_rate 12 penalty_burst 24
  link q_htb;       $TC qdisc add dev q_htb root handle 1: htb default 20 r2q 50
                    $TC class add dev q_htb parent 1: classid 1:1 htb rate 60mbit
                    $TC class add dev q_htb parent 1:1 classid 1:10 htb rate 40mbit ceil 60mbit
                    $TC class add dev q_htb parent 1:1 classid 1:20 htb rate 10mbit ceil 20mbit
                    $TC qdisc add dev q_htb parent 1:20 handle 20: sfq perturb 0
                    $TC qdisc add dev q_htb ingress
  link q_mq numtxqueues 4 numrxqueues 4
                    $TC qdisc add dev q_mq root handle 2: mq
  link q_clsact;    $TC qdisc add dev q_clsact root handle 1: pfifo limit 500
                    $TC qdisc add dev q_clsact ingress_block 7 egress_block 8 clsact
}

# TCP through every link: a listener on the far side, fed from sleep so it never closes
# first, and a client that sends and closes.
traffic() {
  for pn in $PEERS; do
    n=${pn#*:}
    $IP netns exec far sh -c "sleep 100000 | nc -l -p $((6000 + n)) > /dev/null" &
  done
  sleep 1
  clients=
  for pn in $PEERS; do
    n=${pn#*:}
    (head -c 3000000 /dev/zero | timeout 60 nc "10.0.$n.2" $((6000 + n)) > /dev/null) &
    clients="$clients $!"
  done
  for c in $clients; do wait "$c" || log "a client failed"; done
  # UDP beyond what the shapers pass: queues overflow, drop counters move.
  for pn in $PEERS; do
    /usr/bin/hold_sockets --blast "10.0.${pn#*:}.2:9" || log "blast to ${pn%:*} failed"
  done
  ping -c 3 -W 1 10.0.1.2 > /dev/null || true
}

# A reading twice in a row the same, 0.5 s apart; the nlmon device counts captured packets, so
# its block is left out of link readings.
without_nlmon() { awk '/^[0-9]+: /{skip = ($2 ~ /^nlmon/)} !skip'; }
settled() { # command...
  last=$("$@" | without_nlmon)
  for _ in $(seq $SETTLE_TRIES); do
    sleep 0.5
    now=$("$@" | without_nlmon)
    [ "$now" = "$last" ] && return 0
    last=$now
  done
  fail "never settled: $*"
}

# Record netlink traffic of one command through nlmon0 into /tmp/NAME.pcap.
capture() { # NAME command...
  name=$1; shift
  rm -f /tmp/td.err
  # Immediate mode: packets reach the file as they come, none wait in a ring block at the end.
  $TCPDUMP -i nlmon0 --immediate-mode -U -Z root -s 0 -B 16384 -w "/tmp/$name.pcap" \
    2> /tmp/td.err &
  td=$!
  for _ in $(seq 100); do grep -q 'listening on' /tmp/td.err 2>/dev/null && break; sleep 0.1; done
  grep -q 'listening on' /tmp/td.err || fail "tcpdump did not start: $(cat /tmp/td.err)"
  "$@"
  status=$?
  sleep 1
  kill -INT $td
  wait $td
  grep -q '^0 packets dropped by kernel' /tmp/td.err || fail "tcpdump dropped packets: $(cat /tmp/td.err)"
  grep -q '^0 packets captured' /tmp/td.err && fail "tcpdump captured nothing: $(cat /tmp/td.err)"
  log "$name: $(grep 'packets captured' /tmp/td.err)"
  cp "/tmp/$name.pcap" "/out/$name.pcap"
  return $status
}

describe() { # NAME HOW COMMAND OPTIONS SAMPLES ORACLE
  cat > "/out/$1.txt" <<META
capture: $1.pcap
recorded: $(date -u +%Y-%m-%dT%H:%M:%SZ), live, by captures/vm/record.sh (Debian's $(uname -r) under qemu)
kernel: $(uname -r)
iproute2: $($IP -V)
how: $2, through an nlmon device with tcpdump -w
command: $3
options: $4
samples: $5
interfaces: $($IP -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | tr '\n' ' ')
moving: nlmon0 (the capturing device: its counters grow with the capture)
oracle: $6
META
}

# netstatspy (three samples) and iproute2 itself, on a settled scenario: the text reading
# CHECK is taken just before and just after, and the capture is kept only when the two are
# identical (but for nlmon0); the oracle is ORACLE's output right after.
record_settled() { # KIND ORACLE_SUFFIX READERS CHECK ORACLE...
  kind=$1 suffix=$2 readers=$3 check=$4; shift 4
  for attempt in 1 2 3 4 5; do
    settled $check
    before=$($check | without_nlmon)
    capture "$PREFIX-$kind" $NSP -j --file-name /tmp/nsp.jsonl -f 10 -t 0.3 $readers || fail "netstatspy $kind"
    after=$($check | without_nlmon)
    [ "$before" = "$after" ] && break
    log "$kind: the reading moved during the recording, again"
    [ $attempt = 5 ] && fail "$kind: no settled recording"
  done
  "$@" > "/out/$PREFIX-$kind.$suffix"
  describe "$PREFIX-$kind" "netstatspy's own exchange" \
    "netstatspy -j -f 10 -t 0.3 $readers" "$readers" 3 \
    "$PREFIX-$kind.$suffix = $*, read right after; $check read just before and just after was identical (but for nlmon0)"
  settled $check
  capture "$PREFIX-iproute2-$kind" "$@" > "/out/$PREFIX-iproute2-$kind.$suffix" ||
    fail "iproute2 $kind"
  describe "$PREFIX-iproute2-$kind" "iproute2's own exchange" "$*" "$readers" 1 \
    "$PREFIX-iproute2-$kind.$suffix = the output of the captured command itself"
}

# Held sockets (examples/hold_sockets.rs): TCP over loopback, IPv4 and IPv6, with cubic, bbr,
# dctcp and vegas, half with their data left unread, keepalive on some; connected UDP; and a
# connection to a peer whose link goes down before data is sent to it (retransmitting).
sockets() {
  $IP link set lo up
  echo 0 > /proc/sys/net/ipv6/conf/lo/disable_ipv6
  link q_down
  $IP netns exec far sh -c "sleep 100000 | nc -l -p 7999 > /dev/null" &
  sleep 0.5
  /usr/bin/hold_sockets --cc cubic --cc bbr --cc dctcp --cc vegas \
    --remote "10.0.$N.2:7999" --go /tmp/go > /tmp/held 2>&1 &
  for _ in $(seq 300); do grep -q READY /tmp/held && break; sleep 0.1; done
  grep -q READY /tmp/held || fail "sockets: $(cat /tmp/held)"
  $IP -n far link set "p$N" down
  touch /tmp/go
  for _ in $(seq 100); do grep -q SENT /tmp/held && break; sleep 0.1; done
  grep -q SENT /tmp/held || fail "sockets: $(cat /tmp/held)"
  # Zero-window probes back off: after a while they are seconds apart.
  sleep 8
}

record_sockets() {
  oracle="$SS -tuinmHOn -o state established"
  sleep 1
  $oracle > "/out/$PREFIX-ss.ss.before.txt"
  capture "$PREFIX-ss" $NSP -j --file-name /tmp/nsp.jsonl -f 10 -t 0.1 --no-ip --ss || fail "netstatspy ss"
  $oracle > "/out/$PREFIX-ss.ss.after.txt"
  describe "$PREFIX-ss" "netstatspy's own exchange" "netstatspy -j -f 10 -t 0.1 --no-ip --ss" \
    "--no-ip --ss" 1 \
    "$PREFIX-ss.ss.before.txt and $PREFIX-ss.ss.after.txt = $oracle, read just before and just after"
  capture "$PREFIX-iproute2-ss" $oracle > "/out/$PREFIX-iproute2-ss.ss.after.txt" ||
    fail "ss"
  cp "/out/$PREFIX-iproute2-ss.ss.after.txt" "/out/$PREFIX-iproute2-ss.ss.before.txt"
  describe "$PREFIX-iproute2-ss" "iproute2's own exchange" "$oracle" "--no-ip --ss" 1 \
    "$PREFIX-iproute2-ss.ss.after.txt (and .before.txt, the same) = the output of the captured command itself"
}

scenario() {
  set -e
  log "kernel $(uname -r), $(grep -c . /modules.list) modules"
  # No IPv6 on the links: router solicitations and MLD reports would move counters.
  echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6
  echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6
  $IP netns add far
  $IP netns exec far sh -c 'echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6'
  $IP -n far link set lo up
  echo 1 > /proc/sys/net/ipv4/tcp_ecn
  $IP link add nlmon0 type nlmon
  $IP link set nlmon0 up
  qdiscs
  log "$N links with qdiscs; traffic"
  traffic
  log "recording links"
  record_settled link ip-s-s-j-link.json "" "$IP -s -s link show" $IP -s -s -j link show
  log "recording qdiscs"
  settled $TC -s qdisc show
  $TC -s qdisc show > "/out/$PREFIX-tc.tc-s-qdisc.txt"
  record_settled tc tc-s-j-qdisc.json "--no-ip --tc" "$TC -s qdisc show" $TC -s -j qdisc show
  $TC -s qdisc show > "/out/$PREFIX-iproute2-tc.tc-s-qdisc.txt"
  cmp -s "/out/$PREFIX-tc.tc-s-qdisc.txt" "/out/$PREFIX-iproute2-tc.tc-s-qdisc.txt" ||
    fail "qdiscs moved between the recordings"
  log "sockets"
  sockets
  record_sockets
  log "done"
}

(scenario) > /out/guest.log 2>&1
if [ $? = 0 ]; then echo ok > /out/status; else echo failed > /out/status; fi
cat /out/guest.log
sync
umount /out
poweroff -f
