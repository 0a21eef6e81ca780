#!/bin/busybox sh
# /init of the capture VM built by captures/vm/record.sh. Builds the scenario — links of many
# kinds (vlan, macvlan, ipvlan, vxlan, gre, gretap, ipip, sit, bond, dummy, a virtio NIC, with
# altnames, an alias, a group, dormant link mode, protodown with a reason, XDP programs), one
# veth per qdisc kind with TCP and UDP traffic through each, then held TCP (IPv4 and IPv6, four
# congestion controls, unread data, a retransmitting connection) and connected UDP sockets — and
# records, through an nlmon device with tcpdump, the netlink traffic of netstatspy and of
# iproute2 6.1 itself, with the output of iproute2 6.1 and of iproute2 6.15 beside each capture,
# read at the same settled moment. Writes to the 9p share mounted at /out and powers off;
# /out/status says "ok" when every capture was made.

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
# PREFIX (the captures' names: vm61, vm612) and NEW_LIBS (iproute2 6.15's library path), from
# record.sh.
. /etc/netstatspy-vm
NEW=/opt/iproute2-6.15
SETTLE_TRIES=100

log() { echo "guest: $*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
# A part of the scenario this kernel may lack: logged, and the rest goes on.
try() { "$@" || log "SKIPPED (failed): $*"; }

# The two iproute2 versions: v61 ip|tc|ss ARGS..., v615 ip|tc|ss ARGS...
v61() {
  tool=$1; shift
  case $tool in ip) $IP "$@" ;; tc) $TC "$@" ;; ss) $SS "$@" ;; esac
}
v615() {
  tool=$1; shift
  case $tool in ip) b=$NEW/bin/ip ;; tc) b=$NEW/sbin/tc ;; ss) b=$NEW/bin/ss ;; esac
  LD_LIBRARY_PATH=$NEW_LIBS $b "$@"
}

# Every link of this namespace with its qdisc, the peer in namespace "far".
N=0
PEERS=
BLAST_ONLY=
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
# A veth with a peer like link's, but only UDP sent through it (its qdisc drops everything
# without a transmit time: TCP would only time out), to a permanent neighbour (ARP through
# such a qdisc would never resolve).
blast_link() { # NAME [ip link options]
  link "$@"
  PEERS=${PEERS% *}
  BLAST_ONLY="$BLAST_ONLY $name:$N"
  mac=$($IP -n far -o link show "p$N" | sed 's/.*link\/ether \([0-9a-f:]*\).*/\1/')
  $IP neigh add "10.0.$N.2" lladdr "$mac" dev "$name" nud permanent
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
  link q_multiq numtxqueues 4 numrxqueues 4
                    try $TC qdisc add dev q_multiq root handle 1: multiq
  link q_qfq;       try $TC qdisc add dev q_qfq root handle 1: qfq
                    try $TC class add dev q_qfq parent 1: classid 1:1 qfq weight 10 maxpkt 1514
                    try $TC class add dev q_qfq parent 1: classid 1:2 qfq weight 30 maxpkt 1514
                    try $TC filter add dev q_qfq parent 1: matchall classid 1:1
  link q_skbprio;   try shaped q_skbprio skbprio limit 64
  link q_gred;      try shaped q_gred gred setup vqs 3 default 1
                    for dp in 0 1 2; do
                      try $TC qdisc change dev q_gred parent 1:1 handle 10: gred DP $dp \
                        limit $((60000 + dp * 10000)) min $((15000 + dp * 1000)) \
                        max $((45000 + dp * 1000)) avpkt 1000 burst 20 bandwidth 20mbit \
                        probability 0.$((dp + 1))
                    done
  # plug passes everything until told to block (before the UDP burst, in traffic).
  link q_plug;      try $TC qdisc add dev q_plug root handle 1: plug limit 100000
                    try $TC qdisc change dev q_plug root handle 1: plug release_indefinite
  # cbs in software: 20 Mbit/s idle slope on a 10 Gbit/s veth.
  link q_cbs;       try $TC qdisc add dev q_cbs root handle 1: cbs idleslope 20000 \
                      sendslope -9980000 hicredit 30 locredit -1470 offload 0
  blast_link q_etf numtxqueues 4 numrxqueues 4
                    try $TC qdisc add dev q_etf root handle 1: mq
                    for q in 1 2 3 4; do
                      try $TC qdisc replace dev q_etf parent 1:$q handle 1$q: etf \
                        clockid CLOCK_TAI delta 300000
                    done
  link q_taprio numtxqueues 4 numrxqueues 4
                    try $TC qdisc add dev q_taprio root handle 1: taprio num_tc 2 \
                      map 0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 queues 1@0 3@1 base-time 0 \
                      sched-entry S 01 3000000 sched-entry S 03 2000000 \
                      sched-entry S 02 1000000 clockid CLOCK_TAI
  link q_mqprio numtxqueues 4 numrxqueues 4
                    try $TC qdisc add dev q_mqprio root handle 1: mqprio num_tc 2 \
                      map 0 0 0 0 1 1 1 1 1 1 1 1 1 1 1 1 queues 2@0 2@2 hw 0
  # teql: the slave's qdisc first, then the teql0 master up.
  link q_teql;      try $TC qdisc add dev q_teql root teql0
                    try $IP link set teql0 up
}

# Links of other kinds (no traffic through them: their counters stay put), with the link
# attributes ip prints: altnames, an alias, a group, dormant link mode, protodown with a
# reason, XDP programs in generic and native mode, a PCI NIC's bus and device.
links() {
  $IP link add k_dummy type dummy
  try $IP link set k_dummy alias "dummy with an alias, altnames and a group"
  try $IP link property add dev k_dummy altname k_dummy_alt altname netstatspy-dummy-altname
  try $IP link set k_dummy group 7
  $IP link set k_dummy up
  $IP link add k_dormant type dummy
  try $IP link set k_dormant mode dormant
  $IP link set k_dormant up
  try $IP link add link k_dummy name k_vlan type vlan id 100
  try $IP link add link k_dummy name k_macvlan type macvlan mode bridge
  try $IP link add link k_dormant name k_ipvlan type ipvlan mode l2
  try $IP link add k_vxlan type vxlan id 42 dstport 4789 remote 192.0.2.1 dev k_dummy
  try $IP link add k_gre type gre local 192.0.2.10 remote 192.0.2.11 ttl 64
  try $IP link add k_gretap type gretap local 192.0.2.10 remote 192.0.2.12
  try $IP link add k_ipip type ipip local 192.0.2.10 remote 192.0.2.13
  try $IP link add k_sit type sit local 192.0.2.10 remote 192.0.2.14
  try $IP link add k_bond type bond mode active-backup
  try $IP link add k_bslave type dummy
  try $IP link set k_bslave master k_bond
  for l in k_vlan k_macvlan k_ipvlan k_vxlan k_gre k_gretap k_ipip k_sit k_bond; do
    try $IP link set "$l" up
  done
  # protodown with a reason (named in /etc/iproute2/protodown_reasons.d), then a second one
  # that stays down without a reason.
  try $IP link set k_macvlan protodown_reason nsp_test on
  try $IP link set k_macvlan protodown on
  try $IP link set k_vxlan protodown on
  # XDP: generic on the dummy, native on a veth (with traffic through it).
  try /usr/bin/xdp_pass k_dummy --name nsp_generic --mode generic
  link k_veth
  try /usr/bin/xdp_pass k_veth --name nsp_native --mode native
  # The virtio NIC (qemu's restricted user network 192.168.76.0/24, away from the veths' 10.0.N.0/24:
  # nothing answers from outside).
  if $IP link show eth0 > /dev/null 2>&1; then
    $IP addr add 192.168.76.15/24 dev eth0
    $IP link set eth0 up
  else
    log "SKIPPED (failed): no virtio eth0"
  fi
}

# TCP through every link: a listener on the far side, fed from sleep so it never closes
# first, and a client that sends and closes.
traffic() {
  for pn in $PEERS; do
    n=${pn#*:}
    $IP netns exec far sh -c "sleep 100000 | nc -l -p $((6000 + n)) > /dev/null" &
  done
  # Every listener up before its client connects (on a loaded host, starting them takes a while).
  for _ in $(seq 300); do
    [ "$($SS -N far -Htln | wc -l)" -ge "$(echo $PEERS | wc -w)" ] && break
    sleep 0.2
  done
  clients=
  for pn in $PEERS; do
    n=${pn#*:}
    # A bound, generous for a flow under emulation on a loaded host.
    (head -c 3000000 /dev/zero | timeout 300 nc "10.0.$n.2" $((6000 + n)) > /dev/null) &
    clients="$clients $!:${pn%:*}"
  done
  for c in $clients; do wait "${c%%:*}" || log "the TCP client through ${c#*:} failed"; done
  # The plug blocks from now on: the burst below fills it to its limit and is dropped beyond.
  try $TC qdisc change dev q_plug root handle 1: plug block
  # UDP beyond what the shapers pass: queues overflow, drop counters move.
  for pn in $PEERS $BLAST_ONLY; do
    /usr/bin/hold_sockets --blast "10.0.${pn#*:}.2:9" || log "blast to ${pn%:*} failed"
  done
  ping -c 3 -W 1 10.0.1.2 > /dev/null || true
  ping -c 2 -W 1 192.168.76.2 > /dev/null 2>&1 || true
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

describe() { # NAME HOW COMMAND OPTIONS SAMPLES ORACLE ORACLE_6.15
  cat > "/out/$1.txt" <<META
capture: $1.pcap
recorded: $(date -u +%Y-%m-%dT%H:%M:%SZ), live, by captures/vm/record.sh (Debian's $(uname -r) under qemu)
kernel: $(uname -r)
iproute2: $($IP -V) (Debian 12's, at /usr/sbin and /usr/bin)
iproute2-6.15: $(v615 ip -V) (bookworm-backports', at $NEW)
how: $2, through an nlmon device with tcpdump -w
command: $3
options: $4
samples: $5
interfaces: $($IP -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | tr '\n' ' ')
moving: nlmon0 (the capturing device: its counters grow with the capture)
oracle: $6
oracle-6.15: $7
META
}

# netstatspy (three samples) and iproute2 6.1 itself, on a settled scenario: the text reading
# CHECK is taken just before and just after, and the capture is kept only when the two are
# identical (but for nlmon0); the oracles are ORACLE's output from both iproute2 versions right
# after, and CHECK read once more after them must still be the same (the same settled moment).
# ORACLE is a tool (ip, tc, ss) and its arguments.
record_settled() { # KIND ORACLE_SUFFIX READERS CHECK ORACLE...
  kind=$1 suffix=$2 readers=$3 check=$4; shift 4
  name=$PREFIX-$kind
  for attempt in 1 2 3 4 5; do
    settled $check
    before=$($check | without_nlmon)
    capture "$name" $NSP -j --file-name /tmp/nsp.jsonl -f 10 -t 0.3 $readers || fail "netstatspy $kind"
    after=$($check | without_nlmon)
    if [ "$before" = "$after" ]; then
      v61 "$@" > "/out/$name.$suffix"
      v615 "$@" > "/out/$name.iproute2-6.15.$suffix"
      if [ "$kind" = link ]; then
        # ip prints a device's bus and name (parentbus, parentdev) only with -d.
        v61 ip -d -s -s -j link show > "/out/$name.ip-d-s-s-j-link.json"
        v615 ip -d -s -s -j link show > "/out/$name.iproute2-6.15.ip-d-s-s-j-link.json"
      fi
      after=$($check | without_nlmon)
      [ "$before" = "$after" ] && break
    fi
    log "$kind: the reading moved during the recording, again"
    [ $attempt = 5 ] && fail "$kind: no settled recording"
  done
  describe "$name" "netstatspy's own exchange" \
    "netstatspy -j -f 10 -t 0.3 $readers" "$readers" 3 \
    "$name.$suffix = iproute2 6.1's $*, read right after; $check read just before and just after was identical (but for nlmon0)" \
    "$name.iproute2-6.15.$suffix = iproute2 6.15's $*, read right after iproute2 6.1's, at the same settled moment$([ "$kind" = link ] && echo "; $name.ip-d-s-s-j-link.json and $name.iproute2-6.15.ip-d-s-s-j-link.json = both versions' ip -d -s -s -j link show, read right after")"
  name=$PREFIX-iproute2-$kind
  for attempt in 1 2 3 4 5; do
    settled $check
    before=$($check | without_nlmon)
    capture "$name" v61 "$@" > "/out/$name.$suffix" || fail "iproute2 $kind"
    v615 "$@" > "/out/$name.iproute2-6.15.$suffix"
    after=$($check | without_nlmon)
    [ "$before" = "$after" ] && break
    log "iproute2 $kind: the reading moved during the recording, again"
    [ $attempt = 5 ] && fail "iproute2 $kind: no settled recording"
  done
  describe "$name" "iproute2 6.1's own exchange" "$*" "$readers" 1 \
    "$name.$suffix = the output of the captured command itself (iproute2 6.1)" \
    "$name.iproute2-6.15.$suffix = iproute2 6.15's $*, read right after, at the same settled moment"
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
  args="-tuinmHOn -o state established"
  name=$PREFIX-ss
  sleep 1
  v61 ss $args > "/out/$name.ss.before.txt"
  v615 ss $args > "/out/$name.iproute2-6.15.ss.before.txt"
  capture "$name" $NSP -j --file-name /tmp/nsp.jsonl -f 10 -t 0.1 --no-ip --ss || fail "netstatspy ss"
  v61 ss $args > "/out/$name.ss.after.txt"
  v615 ss $args > "/out/$name.iproute2-6.15.ss.after.txt"
  describe "$name" "netstatspy's own exchange" "netstatspy -j -f 10 -t 0.1 --no-ip --ss" \
    "--no-ip --ss" 1 \
    "$name.ss.before.txt and $name.ss.after.txt = iproute2 6.1's ss $args, read just before and just after" \
    "$name.iproute2-6.15.ss.before.txt and $name.iproute2-6.15.ss.after.txt = iproute2 6.15's ss $args, read just before and just after (after iproute2 6.1's, before it)"
  name=$PREFIX-iproute2-ss
  v615 ss $args > "/out/$name.iproute2-6.15.ss.before.txt"
  capture "$name" v61 ss $args > "/out/$name.ss.after.txt" || fail "ss"
  v615 ss $args > "/out/$name.iproute2-6.15.ss.after.txt"
  cp "/out/$name.ss.after.txt" "/out/$name.ss.before.txt"
  describe "$name" "iproute2 6.1's own exchange" "ss $args" "--no-ip --ss" 1 \
    "$name.ss.after.txt (and .before.txt, the same) = the output of the captured command itself (iproute2 6.1)" \
    "$name.iproute2-6.15.ss.before.txt and $name.iproute2-6.15.ss.after.txt = iproute2 6.15's ss $args, read just before and just after the captured command"
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
  v615 ip -V > /dev/null || fail "iproute2 6.15 does not run: $(v615 ip -V 2>&1)"
  $IP link add nlmon0 type nlmon
  $IP link set nlmon0 up
  links
  qdiscs
  log "$N veths with qdiscs; traffic"
  traffic
  log "recording links"
  record_settled link ip-s-s-j-link.json "" "$IP -s -s link show" ip -s -s -j link show
  log "recording qdiscs"
  settled $TC -s qdisc show
  $TC -s qdisc show > "/out/$PREFIX-tc.tc-s-qdisc.txt"
  v615 tc -s qdisc show > "/out/$PREFIX-tc.iproute2-6.15.tc-s-qdisc.txt"
  record_settled tc tc-s-j-qdisc.json "--no-ip --tc" "$TC -s qdisc show" tc -s -j qdisc show
  $TC -s qdisc show > "/out/$PREFIX-iproute2-tc.tc-s-qdisc.txt"
  v615 tc -s qdisc show > "/out/$PREFIX-iproute2-tc.iproute2-6.15.tc-s-qdisc.txt"
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
