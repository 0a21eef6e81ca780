#!/usr/bin/env python3
"""Write synthesised netlink captures of RTM_GETQDISC dumps, for qdisc kinds a test kernel lacks.

usage: captures/synth/make_tc_captures.py [OUTDIR]      (default: captures/, next to this folder)

For each group (fq_codel, codel, fq, cake, tbf, netem, sfq, red, pie, fq_pie, misc, classful) it
writes OUTDIR/tc-synth-GROUP.pcap and OUTDIR/tc-synth-GROUP.txt. The JSON beside each capture
(tc-synth-GROUP.tc-s-j-qdisc.json) is not made here: it is iproute2 6.1.0's own print_qdisc
(`tc -s -j qdisc`) run on the RTM_NEWQDISC messages of the capture.

Every byte is written field by field from the Linux 6.1 uapi headers (include/uapi/linux/
rtnetlink.h, pkt_sched.h, gen_stats.h, netlink.h, if_link.h), x86-64 layout, little-endian, in
the order the kernel's tc_fill_qdisc() and each qdisc's ->dump()/->dump_stats() emit them:
  TCA_KIND, [TCA_INGRESS_BLOCK, TCA_EGRESS_BLOCK], TCA_OPTIONS, TCA_HW_OFFLOAD,
  TCA_STATS2 { [TCA_STATS_APP], TCA_STATS_BASIC, [TCA_STATS_PKT64], [TCA_STATS_RATE_EST,
  [TCA_STATS_RATE_EST64]], TCA_STATS_QUEUE }, TCA_STATS, [TCA_XSTATS].
Values are distinct per field, so a decoder that swaps two fields shows a wrong number.
Python 3 standard library only.

Capture layout (pcap, LINKTYPE_NETLINK, like `tcpdump -i nlmon0`):
  1. RTM_GETLINK dump request (seq 1); one datagram of RTM_NEWLINK, one per interface; NLMSG_DONE.
  2. RTM_GETQDISC dump request (seq 2); datagrams of RTM_NEWQDISC (at most MSGS_PER_DATAGRAM
     messages and 32 KiB each); NLMSG_DONE.
Interfaces are ifindex 101, 102, ... named "if101", ...: the name iproute2 prints for an
ifindex it cannot resolve, so the JSON oracle made without these interfaces agrees.
"""
import os
import struct
import sys

# ---------------------------------------------------------------------------------------------
# constants (uapi)

# include/uapi/linux/netlink.h
NLM_F_REQUEST = 0x1
NLM_F_MULTI = 0x2
NLM_F_ROOT = 0x100
NLM_F_MATCH = 0x200
NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH
NLMSG_DONE = 3
NLA_F_NESTED = 0x8000
# include/uapi/linux/rtnetlink.h
RTM_NEWLINK, RTM_GETLINK = 16, 18
RTM_NEWQDISC, RTM_GETQDISC = 36, 38
TCA_KIND, TCA_OPTIONS, TCA_STATS, TCA_XSTATS = 1, 2, 3, 4
TCA_STATS2 = 7
TCA_HW_OFFLOAD, TCA_INGRESS_BLOCK, TCA_EGRESS_BLOCK = 12, 13, 14
# include/uapi/linux/gen_stats.h
TCA_STATS_BASIC, TCA_STATS_RATE_EST, TCA_STATS_QUEUE, TCA_STATS_APP = 1, 2, 3, 4
TCA_STATS_RATE_EST64, TCA_STATS_PKT64 = 5, 8
# include/uapi/linux/if_link.h, if_arp.h, if.h
IFLA_IFNAME = 3
ARPHRD_ETHER = 1
IFF_UP, IFF_BROADCAST, IFF_RUNNING, IFF_MULTICAST = 0x1, 0x2, 0x40, 0x1000
# include/uapi/linux/pkt_sched.h
TC_H_ROOT = 0xFFFFFFFF
TC_H_INGRESS = 0xFFFFFFF1          # == TC_H_CLSACT
# pcap / nlmon
PCAP_MAGIC = 0xA1B2C3D4
LINKTYPE_NETLINK = 253
ARPHRD_NETLINK = 824
PACKET_USER, PACKET_KERNEL = 6, 7  # cooked header packet types nlmon sets
NETLINK_ROUTE = 0

TS_BASE = 1795560000               # capture time base (s since the epoch), fixed
PORT_ID = 0x5EED0101               # nlmsg_pid of the kernel's replies (the dumping socket)
MSGS_PER_DATAGRAM = 4              # RTM_NEWQDISC messages per reply datagram
MAX_DATAGRAM = 32 * 1024


def handle(major, minor=0):
    """TC_H_MAKE(major << 16, minor)."""
    return (major << 16) | minor


# ---------------------------------------------------------------------------------------------
# netlink encoding

def attr(rta_type, payload):
    """struct rtattr { @0 u16 rta_len; @2 u16 rta_type } + payload, padded to 4 (RTA_ALIGN)."""
    n = 4 + len(payload)
    return struct.pack('<HH', n, rta_type) + payload + b'\0' * (-n % 4)


def nest(rta_type, *children, flag=0):
    """A nested attribute; flag=NLA_F_NESTED where the kernel uses nla_nest_start()."""
    return attr(rta_type | flag, b''.join(children))


def a_u8(t, v):
    return attr(t, struct.pack('<B', v))


def a_u16(t, v):
    return attr(t, struct.pack('<H', v))


def a_u32(t, v):
    return attr(t, struct.pack('<I', v & 0xFFFFFFFF))


def a_s32(t, v):
    return attr(t, struct.pack('<i', v))


def a_u64(t, v):
    return attr(t, struct.pack('<Q', v))


def a_s64(t, v):
    return attr(t, struct.pack('<q', v))


def a_str(t, s):
    return attr(t, s.encode() + b'\0')


def nlmsg(msg_type, flags, seq, pid, payload):
    """struct nlmsghdr: @0 u32 nlmsg_len; @4 u16 nlmsg_type; @6 u16 nlmsg_flags; @8 u32 nlmsg_seq;
    @12 u32 nlmsg_pid; then the payload, padded to 4 (NLMSG_ALIGN)."""
    n = 16 + len(payload)
    return struct.pack('<IHHII', n, msg_type, flags, seq, pid) + payload + b'\0' * (-n % 4)


def ifinfomsg(index, flags=0, family=0, dev_type=0, change=0):
    """struct ifinfomsg (16): @0 u8 ifi_family; @1 u8 __ifi_pad; @2 u16 ifi_type; @4 s32 ifi_index;
    @8 u32 ifi_flags; @12 u32 ifi_change."""
    return struct.pack('<BBHiII', family, 0, dev_type, index, flags, change)


def tcmsg(ifindex=0, tc_handle=0, parent=0, info=0):
    """struct tcmsg (20): @0 u8 tcm_family (AF_UNSPEC); @1 u8 tcm__pad1; @2 u16 tcm__pad2;
    @4 s32 tcm_ifindex; @8 u32 tcm_handle; @12 u32 tcm_parent; @16 u32 tcm_info (refcount)."""
    return struct.pack('<BBHiIII', 0, 0, 0, ifindex, tc_handle, parent, info)


def pct(p):
    """A probability scaled to 0..UINT32_MAX as netem and sfq/red/choke max_P keep it."""
    return round(p * 0xFFFFFFFF)


# ---------------------------------------------------------------------------------------------
# generic statistics (gen_stats.h, pkt_sched.h)

class Stats:
    """What the kernel copies into TCA_STATS2 and the legacy TCA_STATS for one qdisc."""

    def __init__(self, k, rate=None, packets=None):
        # distinct per qdisc (k) and per field; bytes above 2^32 to need the u64
        self.bytes = 1_000_000_000_000 + k * 1_000_003
        self.packets = packets if packets is not None else 7_000_000 + k * 101
        self.drops = 3_000 + k * 7
        self.overlimits = 4_000 + k * 11
        self.requeues = 50 + k
        self.qlen = 60 + k
        self.backlog = 90_000 + k * 13
        self.rate = rate            # None (no estimator) or (bps, pps)


def gnet_stats_basic(byte_count, packets):
    """struct gnet_stats_basic (16 with tail padding): @0 u64 bytes; @8 u32 packets; @12 pad."""
    return struct.pack('<QI4x', byte_count, packets & 0xFFFFFFFF)


def gnet_stats_rate_est(bps, pps):
    """struct gnet_stats_rate_est (8): @0 u32 bps (bytes/s); @4 u32 pps."""
    return struct.pack('<II', bps, pps)


def gnet_stats_rate_est64(bps, pps):
    """struct gnet_stats_rate_est64 (16): @0 u64 bps; @8 u64 pps."""
    return struct.pack('<QQ', bps, pps)


def gnet_stats_queue(s):
    """struct gnet_stats_queue (20): @0 u32 qlen; @4 u32 backlog (bytes); @8 u32 drops;
    @12 u32 requeues; @16 u32 overlimits."""
    return struct.pack('<IIIII', s.qlen, s.backlog, s.drops, s.requeues, s.overlimits)


def tc_stats(s):
    """struct tc_stats (40 with tail padding): @0 u64 bytes; @8 u32 packets; @12 u32 drops;
    @16 u32 overlimits; @20 u32 bps; @24 u32 pps; @28 u32 qlen; @32 u32 backlog; @36 pad."""
    bps, pps = s.rate if s.rate else (0, 0)
    return struct.pack('<QIIIIIII4x', s.bytes, s.packets & 0xFFFFFFFF, s.drops, s.overlimits,
                       min(bps, 0xFFFFFFFF), pps, s.qlen, s.backlog)


def stats_attrs(s, app=None, compat_xstats=True):
    """TCA_STATS2 nest, TCA_STATS and TCA_XSTATS as gnet_stats_start_copy_compat() ...
    gnet_stats_finish_copy() emit them. `app` is the kind's xstats (->dump_stats), which the
    kernel copies first; compat_xstats=False for kinds that build TCA_STATS_APP as a nest
    themselves (cake), which leaves no TCA_XSTATS copy."""
    st2 = b''
    if app is not None:
        st2 += attr(TCA_STATS_APP, app)
    st2 += attr(TCA_STATS_BASIC, gnet_stats_basic(s.bytes, s.packets))
    if s.packets > 0xFFFFFFFF:     # ___gnet_stats_copy_basic: 64-bit count only when needed
        st2 += a_u64(TCA_STATS_PKT64, s.packets)
    if s.rate:                     # gnet_stats_copy_rate_est: only with an estimator
        bps, pps = s.rate
        st2 += attr(TCA_STATS_RATE_EST, gnet_stats_rate_est(min(bps, 0xFFFFFFFF), pps))
        if bps > 0xFFFFFFFF:
            st2 += attr(TCA_STATS_RATE_EST64, gnet_stats_rate_est64(bps, pps))
    st2 += attr(TCA_STATS_QUEUE, gnet_stats_queue(s))
    out = attr(TCA_STATS2, st2) + attr(TCA_STATS, tc_stats(s))
    if app is not None and compat_xstats:
        out += attr(TCA_XSTATS, app)
    return out


class Qdisc:
    """One RTM_NEWQDISC message of the dump."""

    def __init__(self, ifindex, tc_handle, kind, options=None, xstats=None, parent=TC_H_ROOT,
                 refcnt=2, desc='', offloaded=0, ingress_block=0, egress_block=0, rate=None,
                 packets=None, compat_xstats=True):
        self.ifindex, self.handle, self.kind = ifindex, tc_handle, kind
        self.options, self.xstats, self.parent, self.refcnt = options, xstats, parent, refcnt
        self.desc, self.offloaded = desc, offloaded
        self.ingress_block, self.egress_block = ingress_block, egress_block
        self.rate, self.packets, self.compat_xstats = rate, packets, compat_xstats

    def encode(self, k):
        body = tcmsg(self.ifindex, self.handle, self.parent, self.refcnt)
        body += a_str(TCA_KIND, self.kind)
        if self.ingress_block:
            body += a_u32(TCA_INGRESS_BLOCK, self.ingress_block)
        if self.egress_block:
            body += a_u32(TCA_EGRESS_BLOCK, self.egress_block)
        if self.options is not None:
            body += attr(TCA_OPTIONS, self.options)
        body += a_u8(TCA_HW_OFFLOAD, self.offloaded)
        body += stats_attrs(Stats(k, self.rate, self.packets), self.xstats, self.compat_xstats)
        return nlmsg(RTM_NEWQDISC, NLM_F_MULTI, 2, PORT_ID, body)


# ---------------------------------------------------------------------------------------------
# fq_codel (pkt_sched.h TCA_FQ_CODEL_*, struct tc_fq_codel_xstats)

def fq_codel_opts(target, limit, interval, ecn, quantum, drop_batch, memory_limit, flows,
                  ce_threshold=None, selector=None, mask=None):
    o = a_u32(1, target)                 # TCA_FQ_CODEL_TARGET (us)
    o += a_u32(2, limit)                 # TCA_FQ_CODEL_LIMIT (packets)
    o += a_u32(3, interval)              # TCA_FQ_CODEL_INTERVAL (us)
    o += a_u32(4, ecn)                   # TCA_FQ_CODEL_ECN
    o += a_u32(6, quantum)               # TCA_FQ_CODEL_QUANTUM (bytes)
    o += a_u32(8, drop_batch)            # TCA_FQ_CODEL_DROP_BATCH_SIZE
    o += a_u32(9, memory_limit)          # TCA_FQ_CODEL_MEMORY_LIMIT (bytes)
    o += a_u32(5, flows)                 # TCA_FQ_CODEL_FLOWS
    if ce_threshold is not None:
        o += a_u32(7, ce_threshold)      # TCA_FQ_CODEL_CE_THRESHOLD (us)
    if selector is not None:
        o += a_u8(10, selector)          # TCA_FQ_CODEL_CE_THRESHOLD_SELECTOR (u8)
        o += a_u8(11, mask)              # TCA_FQ_CODEL_CE_THRESHOLD_MASK (u8)
    return o


def fq_codel_qd_xstats(maxpacket, drop_overlimit, ecn_mark, new_flow_count, new_flows_len,
                       old_flows_len, ce_mark, memory_usage, drop_overmemory):
    """struct tc_fq_codel_xstats (40): @0 u32 type = TCA_FQ_CODEL_XSTATS_QDISC (0); then
    struct tc_fq_codel_qd_stats: @4 maxpacket; @8 drop_overlimit; @12 ecn_mark;
    @16 new_flow_count; @20 new_flows_len; @24 old_flows_len; @28 ce_mark; @32 memory_usage;
    @36 drop_overmemory (all u32)."""
    return struct.pack('<I9I', 0, maxpacket, drop_overlimit, ecn_mark, new_flow_count,
                       new_flows_len, old_flows_len, ce_mark, memory_usage, drop_overmemory)


def group_fq_codel():
    full = fq_codel_qd_xstats(1514, 11, 12, 13, 14, 15, 16, 17_000, 18)
    older = fq_codel_qd_xstats(9000, 21, 22, 23, 24, 25, 26, 0, 0)[:32]
    newer = fq_codel_qd_xstats(1500, 31, 32, 33, 34, 35, 36, 37_000, 38) + \
        struct.pack('<II', 0x0BADF00D, 0x0DEFACED)   # 8 trailing bytes of a longer struct
    return [
        Qdisc(101, handle(0x8001), 'fq_codel',
              fq_codel_opts(5000, 10240, 100000, 1, 1514, 64, 33554432, 1024, 2500, 4, 0xFC),
              full, refcnt=2,
              desc='limit=10240 flows=1024 quantum=1514 target=5000us ce_threshold=2500us '
                   'selector=4 mask=0xfc interval=100000us memory_limit=33554432 ecn=1 '
                   'drop_batch=64; xstats type 0 (40 bytes) maxpacket=1514 drop_overlimit=11 '
                   'ecn_mark=12 new_flow_count=13 new_flows_len=14 old_flows_len=15 ce_mark=16 '
                   'memory_usage=17000 drop_overmemory=18'),
        Qdisc(102, handle(0x8002), 'fq_codel',
              fq_codel_opts(4000, 2048, 80000, 0, 300, 32, 8388608, 512),
              older, refcnt=3,
              desc='limit=2048 flows=512 quantum=300 target=4000us interval=80000us '
                   'memory_limit=8388608 ecn=0 drop_batch=32, no ce_threshold; short xstats '
                   '(32 bytes, older kernel without memory_usage/drop_overmemory) maxpacket=9000 '
                   'drop_overlimit=21 ecn_mark=22 new_flow_count=23 new_flows_len=24 '
                   'old_flows_len=25 ce_mark=26'),
        Qdisc(103, handle(0x8003), 'fq_codel',
              fq_codel_opts(6000, 4096, 120000, 1, 9000, 16, 16777216, 2048, 7000),
              newer, refcnt=1,
              desc='limit=4096 flows=2048 quantum=9000 target=6000us ce_threshold=7000us '
                   '(no selector/mask attrs, as before Linux 5.16) interval=120000us '
                   'memory_limit=16777216 ecn=1 drop_batch=16; longer xstats (48 bytes: the 40 '
                   'plus 8 trailing bytes) maxpacket=1500 drop_overlimit=31 ecn_mark=32 '
                   'new_flow_count=33 new_flows_len=34 old_flows_len=35 ce_mark=36 '
                   'memory_usage=37000 drop_overmemory=38; refcnt 1'),
    ]


# ---------------------------------------------------------------------------------------------
# codel (TCA_CODEL_*, struct tc_codel_xstats)

def codel_opts(target, limit, interval, ecn, ce_threshold=None):
    o = a_u32(1, target)                 # TCA_CODEL_TARGET (us)
    o += a_u32(2, limit)                 # TCA_CODEL_LIMIT (packets)
    o += a_u32(3, interval)              # TCA_CODEL_INTERVAL (us)
    o += a_u32(4, ecn)                   # TCA_CODEL_ECN
    if ce_threshold is not None:
        o += a_u32(5, ce_threshold)      # TCA_CODEL_CE_THRESHOLD (us)
    return o


def codel_xstats(maxpacket, count, lastcount, ldelay, drop_next, drop_overlimit, ecn_mark,
                 dropping, ce_mark):
    """struct tc_codel_xstats (36): @0 u32 maxpacket; @4 u32 count; @8 u32 lastcount;
    @12 u32 ldelay (us); @16 s32 drop_next (us); @20 u32 drop_overlimit; @24 u32 ecn_mark;
    @28 u32 dropping; @32 u32 ce_mark."""
    return struct.pack('<IIIIiIIII', maxpacket, count, lastcount, ldelay, drop_next,
                       drop_overlimit, ecn_mark, dropping, ce_mark)


def group_codel():
    return [
        Qdisc(101, handle(0x8001), 'codel', codel_opts(5000, 1000, 100000, 1, 2000),
              codel_xstats(1514, 31, 32, 3300, -1234, 35, 36, 0, 38),
              desc='limit=1000 target=5000us ce_threshold=2000us interval=100000us ecn=1; '
                   'xstats (36 bytes) maxpacket=1514 count=31 lastcount=32 ldelay=3300us '
                   'drop_next=-1234us drop_overlimit=35 ecn_mark=36 dropping=0 ce_mark=38'),
        Qdisc(102, handle(0x8002), 'codel', codel_opts(3000, 600, 30000, 0),
              codel_xstats(9000, 41, 42, 4400, 2345, 45, 46, 0, 48)[:32], refcnt=3,
              desc='limit=600 target=3000us interval=30000us ecn=0, no ce_threshold; short '
                   'xstats (32 bytes, no ce_mark) maxpacket=9000 count=41 lastcount=42 '
                   'ldelay=4400us drop_next=2345us drop_overlimit=45 ecn_mark=46 dropping=0'),
        Qdisc(103, handle(0x8003), 'codel', codel_opts(7000, 800, 70000, 1),
              codel_xstats(1280, 51, 52, 5500, 4567, 55, 56, 1, 58), refcnt=1,
              desc='limit=800 target=7000us interval=70000us ecn=1; xstats maxpacket=1280 '
                   'count=51 lastcount=52 ldelay=5500us dropping=1 drop_next=4567us '
                   'drop_overlimit=55 ecn_mark=56 ce_mark=58; refcnt 1'),
    ]


# ---------------------------------------------------------------------------------------------
# fq (TCA_FQ_*, struct tc_fq_qd_stats)

def fq_opts(plimit, flow_plimit, quantum, initial_quantum, rate_enable, max_rate, refill_delay,
            orphan_mask, low_rate_threshold, ce_threshold=None, buckets_log=10, timer_slack=None,
            horizon=None, horizon_drop=None, default_rate=None, extra=b''):
    o = a_u32(1, plimit)                 # TCA_FQ_PLIMIT (packets)
    o += a_u32(2, flow_plimit)           # TCA_FQ_FLOW_PLIMIT (packets per flow)
    o += a_u32(3, quantum)               # TCA_FQ_QUANTUM (bytes)
    o += a_u32(4, initial_quantum)       # TCA_FQ_INITIAL_QUANTUM (bytes)
    o += a_u32(5, rate_enable)           # TCA_FQ_RATE_ENABLE
    if default_rate is not None:
        o += a_u32(6, default_rate)      # TCA_FQ_FLOW_DEFAULT_RATE (obsolete; 6.1 does not send it)
    o += a_u32(7, max_rate)              # TCA_FQ_FLOW_MAX_RATE (bytes/s, ~0U = unlimited)
    o += a_u32(9, refill_delay)          # TCA_FQ_FLOW_REFILL_DELAY (us)
    o += a_u32(10, orphan_mask)          # TCA_FQ_ORPHAN_MASK
    o += a_u32(11, low_rate_threshold)   # TCA_FQ_LOW_RATE_THRESHOLD (bytes/s)
    if ce_threshold is not None:
        o += a_u32(12, ce_threshold)     # TCA_FQ_CE_THRESHOLD (us, ~0U = off)
    o += a_u32(8, buckets_log)           # TCA_FQ_BUCKETS_LOG
    if timer_slack is not None:
        o += a_u32(13, timer_slack)      # TCA_FQ_TIMER_SLACK (ns)
    if horizon is not None:
        o += a_u32(14, horizon)          # TCA_FQ_HORIZON (us)
    if horizon_drop is not None:
        o += a_u8(15, horizon_drop)      # TCA_FQ_HORIZON_DROP (u8)
    return o + extra


def fq_qd_stats(gc_flows, highprio_packets, tcp_retrans, throttled, flows_plimit, pkts_too_long,
                allocation_errors, time_next_delayed_flow, flows, inactive_flows, throttled_flows,
                unthrottle_latency_ns, ce_mark, horizon_drops, horizon_caps):
    """struct tc_fq_qd_stats (104 in 6.1): @0 u64 gc_flows; @8 u64 highprio_packets;
    @16 u64 tcp_retrans; @24 u64 throttled; @32 u64 flows_plimit; @40 u64 pkts_too_long;
    @48 u64 allocation_errors; @56 s64 time_next_delayed_flow (ns); @64 u32 flows;
    @68 u32 inactive_flows; @72 u32 throttled_flows; @76 u32 unthrottle_latency_ns;
    @80 u64 ce_mark; @88 u64 horizon_drops; @96 u64 horizon_caps."""
    return struct.pack('<QQQQQQQqIIIIQQQ', gc_flows, highprio_packets, tcp_retrans, throttled,
                       flows_plimit, pkts_too_long, allocation_errors, time_next_delayed_flow,
                       flows, inactive_flows, throttled_flows, unthrottle_latency_ns, ce_mark,
                       horizon_drops, horizon_caps)


def group_fq():
    full = fq_qd_stats(101, 102, 103, 104, 105, 106, 107, 123456789, 201, 202, 203, 204,
                       108, 109, 110)
    old = fq_qd_stats(111, 112, 113, 114, 115, 116, 117, 2345678, 211, 212, 213, 214,
                      0, 0, 0)[:80]
    # Linux 6.7+ appends to the 104 bytes: @104 u64 fastpath_packets; @112 u64 band_drops[3];
    # @136 u32 band_pkt_count[3]; @148 u32 pad (152 bytes in all)
    new = fq_qd_stats(121, 122, 123, 124, 125, 126, 127, 3456789, 221, 222, 223, 224,
                      128, 129, 130) + struct.pack('<QQQQIIII', 131, 132, 133, 134, 135, 136, 137, 0)
    # newer options (> TCA_FQ_MAX of 6.1, skipped by its tc): TCA_FQ_PRIOMAP (16) =
    # struct tc_prio_qopt {@0 s32 bands; @4 u8 priomap[16]}, TCA_FQ_WEIGHTS (17) = s32[3]
    newer_opts = attr(16, struct.pack('<i16B', 3, 1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1)) \
        + attr(17, struct.pack('<iii', 589824, 196608, 65536))
    nopace = fq_qd_stats(141, 142, 0, 144, 0, 0, 0, -5000, 241, 242, 243, 0, 0, 0, 0)
    return [
        Qdisc(101, handle(0x8001), 'fq',
              fq_opts(10000, 100, 3028, 15140, 1, 125_000_000, 40000, 1023, 68750, 2000, 10,
                      10000, 10_000_000, 1),
              full,
              desc='limit=10000 flow_limit=100 buckets_log=10 orphan_mask=1023 pacing on '
                   'quantum=3028 initial_quantum=15140 maxrate=125000000 low_rate_threshold=68750 '
                   'refill_delay=40000us ce_threshold=2000us timer_slack=10000ns horizon=10000000us '
                   'horizon_drop=1; xstats (104 bytes) gc_flows=101 highprio=102 tcp_retrans=103 '
                   'throttled=104 flows_plimit=105 pkts_too_long=106 allocation_errors=107 '
                   'time_next_delayed_flow=123456789ns flows=201 inactive=202 throttled_flows=203 '
                   'unthrottle_latency_ns=204 ce_mark=108 horizon_drops=109 horizon_caps=110'),
        Qdisc(102, handle(0x8002), 'fq',
              fq_opts(2000, 50, 1514, 7570, 1, 0xFFFFFFFF, 30000, 511, 12500, buckets_log=8,
                      default_rate=25000),
              old, refcnt=3,
              desc='older kernel: limit=2000 flow_limit=50 buckets_log=8 orphan_mask=511 pacing on '
                   'quantum=1514 initial_quantum=7570 maxrate=~0 (unlimited) '
                   'FLOW_DEFAULT_RATE=25000 low_rate_threshold=12500 refill_delay=30000us, no '
                   'ce_threshold/timer_slack/horizon attrs; short xstats (80 bytes, up to '
                   'unthrottle_latency_ns) gc_flows=111 highprio=112 tcp_retrans=113 '
                   'throttled=114 flows_plimit=115 pkts_too_long=116 allocation_errors=117 '
                   'time_next_delayed_flow=2345678ns flows=211 inactive=212 throttled_flows=213 '
                   'unthrottle_latency_ns=214'),
        Qdisc(103, handle(0x8003), 'fq',
              fq_opts(20000, 200, 9028, 45140, 1, 250_000_000, 50000, 2047, 137500, 3000, 12,
                      20000, 2_000_000, 1, extra=newer_opts),
              new, refcnt=1,
              desc='newer kernel: limit=20000 flow_limit=200 buckets_log=12 orphan_mask=2047 '
                   'quantum=9028 initial_quantum=45140 maxrate=250000000 low_rate_threshold=137500 '
                   'refill_delay=50000us ce_threshold=3000us timer_slack=20000ns horizon=2000000us '
                   'horizon_drop=1, plus attrs 16 (PRIOMAP) and 17 (WEIGHTS) unknown to 6.1; '
                   'longer xstats (152 bytes, 6.7+ layout) gc_flows=121 highprio=122 '
                   'tcp_retrans=123 throttled=124 flows_plimit=125 pkts_too_long=126 '
                   'allocation_errors=127 time_next_delayed_flow=3456789ns flows=221 inactive=222 '
                   'throttled_flows=223 unthrottle_latency_ns=224 ce_mark=128 horizon_drops=129 '
                   'horizon_caps=130, then fastpath=131 band_drops=132,133,134 '
                   'band_pkt_count=135,136,137; refcnt 1'),
        Qdisc(104, handle(0x8004), 'fq',
              fq_opts(5000, 80, 2828, 14140, 0, 0xFFFFFFFF, 60000, 255, 0, 0xFFFFFFFF, 9,
                      30000, 4_000_000, 0),
              nopace,
              desc='pacing off (rate_enable=0): limit=5000 flow_limit=80 buckets_log=9 '
                   'orphan_mask=255 quantum=2828 initial_quantum=14140 maxrate=~0 '
                   'low_rate_threshold=0 refill_delay=60000us ce_threshold=~0 (off) '
                   'timer_slack=30000ns horizon=4000000us horizon_drop=0 (cap); xstats (104) '
                   'gc_flows=141 highprio=142 tcp_retrans=0 throttled=144 '
                   'time_next_delayed_flow=-5000ns flows=241 inactive=242 throttled_flows=243, '
                   'other counters 0'),
    ]


# ---------------------------------------------------------------------------------------------
# cake (TCA_CAKE_*, TCA_CAKE_STATS_*, TCA_CAKE_TIN_STATS_*)

def cake_opts(rate, flow_mode, rtt, target, memory, autorate, ingress, ack_filter, nat, diffserv,
              wash, overhead, raw, atm, mpu, split_gso, fwmark):
    o = a_u64(2, rate)                   # TCA_CAKE_BASE_RATE64 (bytes/s, 0 = unlimited)
    o += a_u32(5, flow_mode)             # TCA_CAKE_FLOW_MODE
    o += a_u32(7, rtt)                   # TCA_CAKE_RTT (us)
    o += a_u32(8, target)                # TCA_CAKE_TARGET (us)
    o += a_u32(10, memory)               # TCA_CAKE_MEMORY (bytes)
    o += a_u32(9, autorate)              # TCA_CAKE_AUTORATE
    o += a_u32(15, ingress)              # TCA_CAKE_INGRESS
    o += a_u32(16, ack_filter)           # TCA_CAKE_ACK_FILTER (0 none, 1 filter, 2 aggressive)
    o += a_u32(11, nat)                  # TCA_CAKE_NAT
    o += a_u32(3, diffserv)              # TCA_CAKE_DIFFSERV_MODE (0 diffserv3 .. 3 besteffort)
    o += a_u32(13, wash)                 # TCA_CAKE_WASH
    o += a_s32(6, overhead)              # TCA_CAKE_OVERHEAD (s32 bytes)
    if raw:
        o += a_u32(12, 0)                # TCA_CAKE_RAW (presence is the flag)
    o += a_u32(4, atm)                   # TCA_CAKE_ATM (0 none, 1 atm, 2 ptm)
    o += a_u32(14, mpu)                  # TCA_CAKE_MPU (bytes)
    o += a_u32(17, split_gso)            # TCA_CAKE_SPLIT_GSO
    o += a_u32(18, fwmark)               # TCA_CAKE_FWMARK (mask)
    return o


def cake_tin(index, k):
    """One tin of TCA_CAKE_STATS_TIN_STATS: a nest of type = tin number (1..8) holding
    TCA_CAKE_TIN_STATS_*; k makes every value distinct per tin."""
    t = a_u64(12, 12_500_000 * k)        # TCA_CAKE_TIN_STATS_THRESHOLD_RATE64 (bytes/s)
    t += a_u64(3, 5_000_000_000 + k)     # TCA_CAKE_TIN_STATS_SENT_BYTES64
    t += a_u32(11, 3000 + k)             # TCA_CAKE_TIN_STATS_BACKLOG_BYTES
    t += a_u32(13, 5000 + k)             # TCA_CAKE_TIN_STATS_TARGET_US
    t += a_u32(14, 100000 + k)           # TCA_CAKE_TIN_STATS_INTERVAL_US
    t += a_u32(2, 40000 + k)             # TCA_CAKE_TIN_STATS_SENT_PACKETS
    t += a_u32(4, 400 + k)               # TCA_CAKE_TIN_STATS_DROPPED_PACKETS
    t += a_u32(8, 800 + k)               # TCA_CAKE_TIN_STATS_ECN_MARKED_PACKETS
    t += a_u32(6, 600 + k)               # TCA_CAKE_TIN_STATS_ACKS_DROPPED_PACKETS
    t += a_u32(18, 1800 + k)             # TCA_CAKE_TIN_STATS_PEAK_DELAY_US
    t += a_u32(19, 1900 + k)             # TCA_CAKE_TIN_STATS_AVG_DELAY_US
    t += a_u32(20, 2000 + k)             # TCA_CAKE_TIN_STATS_BASE_DELAY_US
    t += a_u32(15, 1500 + k)             # TCA_CAKE_TIN_STATS_WAY_INDIRECT_HITS
    t += a_u32(16, 1600 + k)             # TCA_CAKE_TIN_STATS_WAY_MISSES
    t += a_u32(17, 1700 + k)             # TCA_CAKE_TIN_STATS_WAY_COLLISIONS
    t += a_u32(21, 2100 + k)             # TCA_CAKE_TIN_STATS_SPARSE_FLOWS
    t += a_u32(22, 2200 + k)             # TCA_CAKE_TIN_STATS_BULK_FLOWS
    t += a_u32(23, 2300 + k)             # TCA_CAKE_TIN_STATS_UNRESPONSIVE_FLOWS
    t += a_u32(24, 2400 + k)             # TCA_CAKE_TIN_STATS_MAX_SKBLEN
    t += a_u32(25, 2500 + k)             # TCA_CAKE_TIN_STATS_FLOW_QUANTUM
    # the kernel does not send these four; tc does not print them
    t += a_u64(5, 50_000 + k)            # TCA_CAKE_TIN_STATS_DROPPED_BYTES64
    t += a_u64(7, 70_000 + k)            # TCA_CAKE_TIN_STATS_ACKS_DROPPED_BYTES64
    t += a_u64(9, 90_000 + k)            # TCA_CAKE_TIN_STATS_ECN_MARKED_BYTES64
    t += a_u32(10, 1000 + k)             # TCA_CAKE_TIN_STATS_BACKLOG_PACKETS
    return nest(index, t)


def cake_stats(k, ntins):
    """The TCA_STATS_APP nest cake_dump_stats() builds (no fixed struct, no TCA_XSTATS copy)."""
    s = a_u64(2, 11_000_000 + k)         # TCA_CAKE_STATS_CAPACITY_ESTIMATE64 (bytes/s)
    s += a_u32(3, 4_194_304 + k)         # TCA_CAKE_STATS_MEMORY_LIMIT (bytes)
    s += a_u32(4, 123_456 + k)           # TCA_CAKE_STATS_MEMORY_USED (bytes)
    s += a_u32(5, 14 + k)                # TCA_CAKE_STATS_AVG_NETOFF
    s += a_u32(7, 1514 + k)              # TCA_CAKE_STATS_MAX_NETLEN
    s += a_u32(9, 1538 + k)              # TCA_CAKE_STATS_MAX_ADJLEN
    s += a_u32(6, 60 + k)                # TCA_CAKE_STATS_MIN_NETLEN
    s += a_u32(8, 84 + k)                # TCA_CAKE_STATS_MIN_ADJLEN
    s += nest(10, *[cake_tin(i + 1, 10 * k + i + 1) for i in range(ntins)])  # TIN_STATS
    return s


def group_cake():
    return [
        Qdisc(101, handle(0x8001), 'cake',
              cake_opts(12_500_000, 7, 100000, 5000, 4194304, 1, 1, 2, 1, 0, 1, 18, True, 1, 64,
                        1, 0xFF),
              cake_stats(1, 3), compat_xstats=False,
              desc='diffserv3 bandwidth=12500000 flowmode=triple-isolate(7) rtt=100000us '
                   'target=5000us memlimit=4194304 autorate=1 ingress=1 ack-filter=aggressive(2) '
                   'nat=1 wash=1 overhead=18 raw atm=atm(1) mpu=64 split_gso=1 fwmark=0xff; xstats '
                   'capacity=11000001 memory_limit=4194305 memory_used=123457 avg_netoff=15 '
                   'netlen 61..1515 adjlen 85..1539, 3 tins (k=11,12,13: threshold_rate=12500000k '
                   'sent_bytes=5e9+k backlog_bytes=3000+k target=5000+k interval=100000+k '
                   'sent_packets=40000+k drops=400+k ecn=800+k ack_drops=600+k peak/avg/base '
                   'delay=1800/1900/2000+k way hits/misses/collisions=1500/1600/1700+k '
                   'sparse/bulk/unresponsive=2100/2200/2300+k max_skblen=2400+k '
                   'flow_quantum=2500+k, and the unprinted byte counters)'),
        Qdisc(102, handle(0x8002), 'cake',
              cake_opts(2_500_000, 4, 50000, 2500, 1048576, 0, 0, 1, 0, 3, 0, -10, False, 2, 72,
                        0, 0),
              cake_stats(2, 1), refcnt=3, compat_xstats=False,
              desc='besteffort(3) bandwidth=2500000 flowmode=flows(4) rtt=50000us target=2500us '
                   'memlimit=1048576 autorate=0 ingress=0 ack-filter=enabled(1) nat=0 wash=0 '
                   'overhead=-10, no RAW attr, atm=ptm(2) mpu=72 split_gso=0 fwmark=0; xstats '
                   'capacity=11000002 ... 1 tin (k=21)'),
        Qdisc(103, handle(0x8003), 'cake',
              cake_opts(0, 1, 200000, 10000, 0, 0, 0, 0, 0, 1, 0, 0, True, 0, 0, 1, 0x10),
              cake_stats(3, 4), refcnt=1, compat_xstats=False,
              desc='diffserv4(1) bandwidth=0 (unlimited) flowmode=srchost(1) rtt=200000us '
                   'target=10000us memlimit=0 ack-filter=0 raw atm=none(0) mpu=0 split_gso=1 '
                   'fwmark=0x10; xstats capacity=11000003 ... 4 tins (k=31..34); refcnt 1'),
    ]


# ---------------------------------------------------------------------------------------------
# tbf (TCA_TBF_*, struct tc_tbf_qopt, struct tc_ratespec)

def tc_ratespec(rate, linklayer=1, overhead=0, mpu=0, cell_log=0, cell_align=0):
    """struct tc_ratespec (12): @0 u8 cell_log; @1 u8 linklayer (TC_LINKLAYER_ETHERNET 1,
    ATM 2); @2 u16 overhead; @4 s16 cell_align; @6 u16 mpu; @8 u32 rate (bytes/s)."""
    return struct.pack('<BBHhHI', cell_log, linklayer, overhead, cell_align, mpu, rate)


def tbf_opts(rate, peakrate, limit, buffer_ticks, mtu_ticks, rate64=None, prate64=None):
    """TCA_TBF_PARMS = struct tc_tbf_qopt (36): @0 tc_ratespec rate; @12 tc_ratespec peakrate;
    @24 u32 limit (bytes); @28 u32 buffer (psched ticks = ns >> 6); @32 u32 mtu (ticks)."""
    o = attr(1, rate + peakrate + struct.pack('<III', limit, buffer_ticks, mtu_ticks))
    if rate64 is not None:
        o += a_u64(4, rate64)            # TCA_TBF_RATE64 (bytes/s, sent when >= 2^32)
    if prate64 is not None:
        o += a_u64(5, prate64)           # TCA_TBF_PRATE64
    return o


def group_tbf():
    return [
        # 8 ms of buffer at 1250000 B/s = 10000 bytes; 8e6 ns >> 6 = 125000 ticks
        Qdisc(101, handle(0x8001), 'tbf',
              tbf_opts(tc_ratespec(1_250_000, 1, 24, 64), tc_ratespec(0, 0), 60000, 125000, 0),
              desc='rate=1250000 B/s linklayer=ethernet overhead=24 mpu=64, no peakrate, '
                   'limit=60000 bytes, buffer=125000 ticks (8 ms: burst 10000 bytes) mtu=0 '
                   '(latency 40000us)'),
        # buffer 512000 ticks = 32768 us (burst 4096 at 125000 B/s); mtu 100000 ticks = 6400 us
        Qdisc(102, handle(0x8002), 'tbf',
              tbf_opts(tc_ratespec(125_000, 2, 10, 64, 3, -1),
                       tc_ratespec(250_000, 2, 10, 64, 2, -1), 3000, 512000, 100000),
              refcnt=3,
              desc='rate=125000 B/s linklayer=atm overhead=10 mpu=64 cell_log=3 cell_align=-1, '
                   'peakrate=250000 B/s (mpu=64 cell_log=2), limit=3000, buffer=512000 ticks '
                   '(burst 4096), mtu=100000 ticks (minburst 1600), latency 5600us'),
        # rate 6.25e9 B/s and peakrate 7.5e9 B/s do not fit a u32: struct rate = ~0U + 64-bit
        # attrs; buffer 15625 ticks = 1000 us, mtu 3125 ticks = 200 us; latency < 0
        Qdisc(103, handle(0x8003), 'tbf',
              tbf_opts(tc_ratespec(0xFFFFFFFF, 1, 0, 0), tc_ratespec(0xFFFFFFFF, 1, 0, 0),
                       1_000_000, 15625, 3125, 6_250_000_000, 7_500_000_000),
              refcnt=1,
              desc='rate64=6250000000 B/s (ratespec rate ~0U) peakrate64=7500000000 B/s, '
                   'limit=1000000, buffer=15625 ticks (burst 6250000), mtu=3125 ticks (minburst '
                   '1500000), latency negative so tc prints limit; refcnt 1'),
    ]


# ---------------------------------------------------------------------------------------------
# netem (struct tc_netem_qopt followed by TCA_NETEM_* attributes)

def netem_qopt(latency, limit, loss, gap, duplicate, jitter):
    """struct tc_netem_qopt (24): @0 u32 latency (ticks); @4 u32 limit (packets); @8 u32 loss
    (0..UINT32_MAX); @12 u32 gap; @16 u32 duplicate; @20 u32 jitter (ticks)."""
    return struct.pack('<IIIIII', latency, limit, loss, gap, duplicate, jitter)


def netem_corr(delay_corr, loss_corr, dup_corr):
    """TCA_NETEM_CORR = struct tc_netem_corr (12): @0 delay_corr; @4 loss_corr; @8 dup_corr."""
    return attr(1, struct.pack('<III', delay_corr, loss_corr, dup_corr))


def netem_reorder(probability, correlation):
    """TCA_NETEM_REORDER = struct tc_netem_reorder (8): @0 probability; @4 correlation."""
    return attr(3, struct.pack('<II', probability, correlation))


def netem_corrupt(probability, correlation):
    """TCA_NETEM_CORRUPT = struct tc_netem_corrupt (8): @0 probability; @4 correlation."""
    return attr(4, struct.pack('<II', probability, correlation))


def netem_rate(rate, packet_overhead, cell_size, cell_overhead):
    """TCA_NETEM_RATE = struct tc_netem_rate (16): @0 u32 rate (bytes/s); @4 s32 packet_overhead;
    @8 u32 cell_size; @12 s32 cell_overhead."""
    return attr(6, struct.pack('<IiIi', rate, packet_overhead, cell_size, cell_overhead))


def netem_slot(min_delay, max_delay, max_packets, max_bytes, dist_delay, dist_jitter):
    """TCA_NETEM_SLOT = struct tc_netem_slot (40): @0 s64 min_delay (ns); @8 s64 max_delay;
    @16 s32 max_packets; @20 s32 max_bytes; @24 s64 dist_delay (ns); @32 s64 dist_jitter."""
    return attr(12, struct.pack('<qqiiqq', min_delay, max_delay, max_packets, max_bytes,
                                dist_delay, dist_jitter))


def group_netem():
    ms = 1_000_000                       # ns
    # default: everything zero; the kernel sends LATENCY64/JITTER64 only when ticks lose
    # precision, CORR/REORDER/CORRUPT/RATE always, ECN only when set, LOSS only for a model
    default = netem_qopt(0, 1000, 0, 0, 0, 0) + netem_corr(0, 0, 0) + netem_reorder(0, 0) \
        + netem_corrupt(0, 0) + netem_rate(0, 0, 0, 0)
    full = netem_qopt((100 * ms) >> 6, 1500, pct(0.01), 5, pct(0.02), (10 * ms) >> 6) \
        + netem_corr(pct(0.25), pct(0.30), pct(0.35)) + netem_reorder(pct(0.15), pct(0.45)) \
        + netem_corrupt(pct(0.001), pct(0.05)) + netem_rate(125_000, 20, 100, -3) \
        + a_u32(7, 1)                    # TCA_NETEM_ECN
    gi = netem_qopt(10_000 >> 6, 1200, 0, 0, 0, 0) \
        + a_s64(10, 10_000)              # TCA_NETEM_LATENCY64 (ns; 10000 is not a tick multiple)
    gi += netem_corr(0, 0, 0) + netem_reorder(0, 0) + netem_corrupt(0, 0) \
        + netem_rate(0, 0, 0, 0)
    # TCA_NETEM_LOSS nest { NETEM_LOSS_GI = struct tc_netem_gimodel (20): @0 p13; @4 p31;
    # @8 p32; @12 p14; @16 p23 }
    gi += nest(5, attr(1, struct.pack('<IIIII', pct(.01), pct(.02), pct(.03), pct(.04),
                                      pct(.05))))
    gi += netem_slot(10 * ms, 20 * ms, 5, 1000, 0, 0)
    ge = netem_qopt(0, 1100, 0, 0, 0, 0) + netem_corr(0, 0, 0) + netem_reorder(0, 0) \
        + netem_corrupt(0, 0) + netem_rate(0, 0, 0, 0)
    # TCA_NETEM_LOSS nest { NETEM_LOSS_GE = struct tc_netem_gemodel (16): @0 p; @4 r; @8 h;
    # @12 k1 }
    ge += nest(5, attr(2, struct.pack('<IIII', pct(.06), pct(.07), pct(.91), pct(.08))))
    ge += netem_slot(0, 0, 7, 3000, 1 * ms, 2 * ms)
    r64 = netem_qopt((20 * ms) >> 6, 900, 0, 0, 0, 0) + netem_corr(pct(0.4), 0, 0) \
        + netem_reorder(0, 0) + netem_corrupt(0, 0) \
        + a_u64(8, 12_500_000_000)       # TCA_NETEM_RATE64 (bytes/s), before TCA_NETEM_RATE
    r64 += netem_rate(0xFFFFFFFF, -14, 0, 0)
    return [
        Qdisc(101, handle(0x8001), 'netem', default,
              desc='default: limit=1000, no delay/loss/duplicate, zero CORR/REORDER/CORRUPT/RATE, '
                   'no ECN, gap=0'),
        Qdisc(102, handle(0x8002), 'netem', full, refcnt=3,
              desc='delay=100ms (1562500 ticks) jitter=10ms (156250 ticks) delay_corr=0.25 '
                   'limit=1500 loss random 0.01 corr 0.30, duplicate 0.02 corr 0.35, reorder 0.15 '
                   'corr 0.45, corrupt 0.001 corr 0.05, rate=125000 B/s packet_overhead=20 '
                   'cellsize=100 celloverhead=-3, ECN=1, gap=5'),
        Qdisc(103, handle(0x8003), 'netem', gi, refcnt=1,
              desc='delay=10us (156 ticks, LATENCY64=10000ns) limit=1200, loss state (GI) '
                   'p13=0.01 p31=0.02 p32=0.03 p14=0.04 p23=0.05, slot min=10ms max=20ms '
                   'packets=5 bytes=1000; refcnt 1'),
        Qdisc(104, handle(0x8004), 'netem', ge,
              desc='limit=1100, loss gemodel p=0.06 r=0.07 h=0.91 (1-h 0.09) k1=0.08, slot distribution '
                   'delay=1ms jitter=2ms packets=7 bytes=3000'),
        Qdisc(105, handle(0x8005), 'netem', r64,
              desc='delay=20ms (312500 ticks) jitter=0 delay_corr=0.4 limit=900, RATE64='
                   '12500000000 B/s (RATE rate ~0U) packet_overhead=-14'),
    ]


# ---------------------------------------------------------------------------------------------
# sfq (struct tc_sfq_qopt, tc_sfq_qopt_v1, tc_sfq_xstats)

def sfq_qopt(quantum, perturb_period, limit, divisor, flows):
    """struct tc_sfq_qopt (20): @0 u32 quantum (bytes); @4 s32 perturb_period (s); @8 u32 limit
    (packets); @12 u32 divisor; @16 u32 flows."""
    return struct.pack('<IiIII', quantum, perturb_period, limit, divisor, flows)


def sfq_qopt_v1(v0, depth, headdrop, limit, qth_min, qth_max, wlog, plog, scell_log, flags, max_p,
                stats):
    """struct tc_sfq_qopt_v1 (72): @0 tc_sfq_qopt v0; @20 u32 depth; @24 u32 headdrop;
    @28 u32 limit (RED hard limit, bytes); @32 u32 qth_min; @36 u32 qth_max; @40 u8 Wlog;
    @41 u8 Plog; @42 u8 Scell_log; @43 u8 flags; @44 u32 max_P; @48 struct tc_sfqred_stats
    {@48 prob_drop; @52 forced_drop; @56 prob_mark; @60 forced_mark; @64 prob_mark_head;
    @68 forced_mark_head}."""
    return v0 + struct.pack('<IIIIIBBBBI6I', depth, headdrop, limit, qth_min, qth_max, wlog,
                            plog, scell_log, flags, max_p, *stats)


def group_sfq():
    v1 = sfq_qopt_v1(sfq_qopt(1514, 10, 127, 1024, 128), 64, 1, 100000, 8000, 60000, 9, 13, 10,
                     1 | 2, pct(0.2), (71, 72, 73, 74, 75, 76))
    return [
        Qdisc(101, handle(0x8001), 'sfq', v1,
              struct.pack('<i', 1234),   # struct tc_sfq_xstats: @0 s32 allot
              desc='v1 (72 bytes): quantum=1514 perturb=10 limit=127 divisor=1024 flows=128 '
                   'depth=64 headdrop=1 red limit=100000 qth_min=8000 qth_max=60000 Wlog=9 Plog=13 '
                   'Scell_log=10 flags=ecn|harddrop max_P=0.2 prob_drop=71 forced_drop=72 '
                   'prob_mark=73 forced_mark=74 prob_mark_head=75 forced_mark_head=76; xstats '
                   'allot=1234 (the kernel sends sfq xstats for classes only)'),
        Qdisc(102, handle(0x8002), 'sfq', sfq_qopt(3028, 0, 254, 512, 256), refcnt=3,
              desc='v0 (20 bytes, old kernel): quantum=3028 perturb=0 limit=254 divisor=512 '
                   'flows=256; no xstats'),
    ]


# ---------------------------------------------------------------------------------------------
# red (TCA_RED_*, struct tc_red_qopt, tc_red_xstats)

def red_qopt(limit, qth_min, qth_max, wlog, plog, scell_log, flags):
    """struct tc_red_qopt (16): @0 u32 limit (bytes); @4 u32 qth_min; @8 u32 qth_max; @12 u8 Wlog;
    @13 u8 Plog; @14 u8 Scell_log; @15 u8 flags (TC_RED_ECN 1, HARDDROP 2, ADAPTATIVE 4, NODROP 8)."""
    return struct.pack('<IIIBBBB', limit, qth_min, qth_max, wlog, plog, scell_log, flags)


def red_xstats(early, pdrop, other, marked):
    """struct tc_red_xstats (16): @0 u32 early; @4 u32 pdrop; @8 u32 other; @12 u32 marked."""
    return struct.pack('<IIII', early, pdrop, other, marked)


def group_red():
    # TCA_RED_FLAGS = struct nla_bitfield32 (8): @0 u32 value; @4 u32 selector
    # (TC_RED_SUPPORTED_FLAGS = 0xf). The struct's flags carry only the historic bits (1|2|4).
    o1 = attr(1, red_qopt(400000, 30000, 90000, 9, 20, 10, 1 | 2))  # TCA_RED_PARMS
    o1 += a_u32(3, pct(0.02))                                        # TCA_RED_MAX_P
    o1 += attr(4, struct.pack('<II', 1 | 2 | 8, 0xF))                # TCA_RED_FLAGS
    o2 = attr(1, red_qopt(200000, 20000, 60000, 7, 18, 8, 4))
    o2 += a_u32(3, pct(0.05))
    o2 += attr(4, struct.pack('<II', 4, 0xF))
    o2 += a_u32(6, 22)                   # TCA_RED_MARK_BLOCK (qevent block index)
    o2 += a_u32(5, 11)                   # TCA_RED_EARLY_DROP_BLOCK
    return [
        Qdisc(101, handle(0x8001), 'red', o1, red_xstats(41, 42, 43, 44),
              desc='limit=400000 min=30000 max=90000 Wlog=9 Plog=20 Scell_log=10 struct '
                   'flags=ecn|harddrop, MAX_P=0.02, FLAGS bitfield value=ecn|harddrop|nodrop '
                   '(0xb) selector=0xf; xstats (16) early=41 pdrop=42 other=43 marked=44'),
        Qdisc(102, handle(0x8002), 'red', o2, red_xstats(51, 52, 53, 54)[:12], refcnt=3,
              desc='limit=200000 min=20000 max=60000 Wlog=7 Plog=18 Scell_log=8 flags=adaptive '
                   'MAX_P=0.05, qevents mark block=22 early_drop block=11; short xstats '
                   '(12 bytes: early=51 pdrop=52 other=53, tc prints no xstats)'),
    ]


# ---------------------------------------------------------------------------------------------
# pie (TCA_PIE_*, struct tc_pie_xstats)

def pie_opts(target, limit, tupdate, alpha, beta, ecn, bytemode, dq_rate_estimator=None):
    o = a_u32(1, target)                 # TCA_PIE_TARGET (us)
    o += a_u32(2, limit)                 # TCA_PIE_LIMIT (packets)
    o += a_u32(3, tupdate)               # TCA_PIE_TUPDATE (us)
    o += a_u32(4, alpha)                 # TCA_PIE_ALPHA
    o += a_u32(5, beta)                  # TCA_PIE_BETA
    o += a_u32(6, ecn)                   # TCA_PIE_ECN
    o += a_u32(7, bytemode)              # TCA_PIE_BYTEMODE
    if dq_rate_estimator is not None:
        o += a_u32(8, dq_rate_estimator)  # TCA_PIE_DQ_RATE_ESTIMATOR
    return o


def pie_xstats(prob, delay, avg_dq_rate, dq_rate_estimating, packets_in, dropped, overlimit,
               maxq, ecn_mark):
    """struct tc_pie_xstats (40): @0 u64 prob; @8 u32 delay (us); @12 u32 avg_dq_rate;
    @16 u32 dq_rate_estimating; @20 u32 packets_in; @24 u32 dropped; @28 u32 overlimit;
    @32 u32 maxq; @36 u32 ecn_mark."""
    return struct.pack('<QIIIIIIII', prob, delay, avg_dq_rate, dq_rate_estimating, packets_in,
                       dropped, overlimit, maxq, ecn_mark)


def group_pie():
    # older kernels' struct tc_pie_xstats (32): @0 u32 prob; @4 delay; @8 avg_dq_rate;
    # @12 packets_in; @16 dropped; @20 overlimit; @24 maxq; @28 ecn_mark
    old = struct.pack('<8I', 0x028F5C29, 2345, 6789, 81, 82, 83, 84, 85)
    return [
        Qdisc(101, handle(0x8001), 'pie', pie_opts(15000, 1000, 16000, 2, 20, 1, 1, 1),
              pie_xstats(0x028F5C28F5C28F5C, 1234, 5678, 1, 91, 92, 93, 94, 95),
              desc='target=15000us limit=1000 tupdate=16000us alpha=2 beta=20 ecn=1 bytemode=1 '
                   'dq_rate_estimator=1; xstats (40) prob=0x028f5c28f5c28f5c (~0.01) delay=1234us '
                   'avg_dq_rate=5678 dq_rate_estimating=1 packets_in=91 dropped=92 overlimit=93 '
                   'maxq=94 ecn_mark=95'),
        Qdisc(102, handle(0x8002), 'pie', pie_opts(20000, 2000, 30000, 3, 30, 0, 0), old,
              refcnt=3,
              desc='target=20000us limit=2000 tupdate=30000us alpha=3 beta=30 ecn=0 bytemode=0, '
                   'no DQ_RATE_ESTIMATOR attr; short xstats (32 bytes, old layout, tc prints none)'),
        Qdisc(103, handle(0x8003), 'pie', pie_opts(10000, 500, 12000, 4, 40, 1, 0, 0),
              pie_xstats(0x8000000000000000, 4321, 8765, 0, 96, 97, 98, 99, 100), refcnt=1,
              desc='target=10000us limit=500 tupdate=12000us alpha=4 beta=40 ecn=1 bytemode=0 '
                   'dq_rate_estimator=0; xstats prob=2^63 (0.5) delay=4321us avg_dq_rate=8765 '
                   'dq_rate_estimating=0 (avg_dq_rate not printed) packets_in=96 dropped=97 '
                   'overlimit=98 maxq=99 ecn_mark=100'),
    ]


# ---------------------------------------------------------------------------------------------
# fq_pie (TCA_FQ_PIE_*, struct tc_fq_pie_xstats)

def fq_pie_opts(limit, flows, target, tupdate, alpha, beta, quantum, memory_limit, ecn_prob, ecn,
                bytemode, dq_rate_estimator):
    o = a_u32(1, limit)                  # TCA_FQ_PIE_LIMIT (packets)
    o += a_u32(2, flows)                 # TCA_FQ_PIE_FLOWS
    o += a_u32(3, target)                # TCA_FQ_PIE_TARGET (us)
    o += a_u32(4, tupdate)               # TCA_FQ_PIE_TUPDATE (us)
    o += a_u32(5, alpha)                 # TCA_FQ_PIE_ALPHA
    o += a_u32(6, beta)                  # TCA_FQ_PIE_BETA
    o += a_u32(7, quantum)               # TCA_FQ_PIE_QUANTUM (bytes)
    o += a_u32(8, memory_limit)          # TCA_FQ_PIE_MEMORY_LIMIT (bytes)
    o += a_u32(9, ecn_prob)              # TCA_FQ_PIE_ECN_PROB (%)
    o += a_u32(10, ecn)                  # TCA_FQ_PIE_ECN
    o += a_u32(11, bytemode)             # TCA_FQ_PIE_BYTEMODE
    o += a_u32(12, dq_rate_estimator)    # TCA_FQ_PIE_DQ_RATE_ESTIMATOR
    return o


def fq_pie_xstats(packets_in, dropped, overlimit, overmemory, ecn_mark, new_flow_count,
                  new_flows_len, old_flows_len, memory_usage):
    """struct tc_fq_pie_xstats (36): @0 packets_in; @4 dropped; @8 overlimit; @12 overmemory;
    @16 ecn_mark; @20 new_flow_count; @24 new_flows_len; @28 old_flows_len; @32 memory_usage
    (all u32)."""
    return struct.pack('<9I', packets_in, dropped, overlimit, overmemory, ecn_mark,
                       new_flow_count, new_flows_len, old_flows_len, memory_usage)


def group_fq_pie():
    return [
        Qdisc(101, handle(0x8001), 'fq_pie',
              fq_pie_opts(10240, 1024, 15000, 30000, 2, 20, 1514, 33554432, 10, 1, 1, 1),
              fq_pie_xstats(51, 52, 53, 54, 55, 56, 57, 58, 59000),
              desc='limit=10240 flows=1024 target=15000us tupdate=30000us alpha=2 beta=20 '
                   'quantum=1514 memory_limit=33554432 ecn_prob=10 ecn=1 bytemode=1 '
                   'dq_rate_estimator=1; xstats (36) packets_in=51 dropped=52 overlimit=53 '
                   'overmemory=54 ecn_mark=55 new_flow_count=56 new_flows_len=57 '
                   'old_flows_len=58 memory_usage=59000'),
        Qdisc(102, handle(0x8002), 'fq_pie',
              fq_pie_opts(2048, 256, 20000, 40000, 3, 30, 3028, 8388608, 25, 0, 0, 0),
              fq_pie_xstats(61, 62, 63, 64, 65, 66, 67, 68, 69000)[:20], refcnt=3,
              desc='limit=2048 flows=256 target=20000us tupdate=40000us alpha=3 beta=30 '
                   'quantum=3028 memory_limit=8388608 ecn_prob=25 ecn=0 bytemode=0 '
                   'dq_rate_estimator=0; short xstats (20 bytes: packets_in=61 dropped=62 '
                   'overlimit=63 overmemory=64 ecn_mark=65, rest read as 0)'),
    ]


# ---------------------------------------------------------------------------------------------
# choke, hhf, sfb

def group_misc():
    # choke: TCA_CHOKE_PARMS = struct tc_red_qopt (16) as for red; TCA_CHOKE_MAX_P u32
    choke = attr(1, red_qopt(1000, 83, 250, 9, 11, 12, 1 | 2)) + a_u32(3, pct(0.03))
    # struct tc_choke_xstats (20): @0 early; @4 pdrop; @8 other; @12 marked; @16 matched
    choke_x = struct.pack('<5I', 61, 62, 63, 64, 65)
    hhf = a_u32(1, 1000)                 # TCA_HHF_BACKLOG_LIMIT (packets)
    hhf += a_u32(2, 1514)                # TCA_HHF_QUANTUM (bytes)
    hhf += a_u32(3, 2048)                # TCA_HHF_HH_FLOWS_LIMIT
    hhf += a_u32(4, 40000)               # TCA_HHF_RESET_TIMEOUT (us)
    hhf += a_u32(5, 131072)              # TCA_HHF_ADMIT_BYTES (bytes)
    hhf += a_u32(6, 1000000)             # TCA_HHF_EVICT_TIMEOUT (us)
    hhf += a_u32(7, 2)                   # TCA_HHF_NON_HH_WEIGHT
    # struct tc_hhf_xstats (16): @0 drop_overlimit; @4 hh_overlimit; @8 hh_tot_count;
    # @12 hh_cur_count
    hhf_x = struct.pack('<4I', 81, 82, 83, 84)
    # TCA_SFB_PARMS = struct tc_sfb_qopt (36): @0 rehash_interval (ms); @4 warmup_time (ms);
    # @8 max; @12 bin_size; @16 increment; @20 decrement; @24 limit; @28 penalty_rate;
    # @32 penalty_burst (all u32; increment/decrement/probabilities over SFB_MAX_PROB 0xFFFF)
    sfb = attr(1, struct.pack('<9I', 600000, 60000, 25, 20, 32, 5, 1000, 10, 15))
    # struct tc_sfb_xstats (36): @0 earlydrop; @4 penaltydrop; @8 bucketdrop; @12 queuedrop;
    # @16 childdrop; @20 marked; @24 maxqlen; @28 maxprob; @32 avgprob
    sfb_x = struct.pack('<9I', 71, 72, 73, 74, 75, 76, 77, 6553, 655)
    return [
        Qdisc(101, handle(0x8001), 'choke', choke, choke_x,
              desc='choke limit=1000 min=83 max=250 Wlog=9 Plog=11 Scell_log=12 flags=ecn|harddrop '
                   'MAX_P=0.03; xstats (20) early=61 pdrop=62 other=63 marked=64 matched=65'),
        Qdisc(102, handle(0x8002), 'hhf', hhf, hhf_x, refcnt=3,
              desc='hhf limit=1000 quantum=1514 hh_limit=2048 reset_timeout=40000us '
                   'admit_bytes=131072 evict_timeout=1000000us non_hh_weight=2; xstats (16) '
                   'drop_overlimit=81 hh_overlimit=82 hh_tot_count=83 hh_cur_count=84'),
        Qdisc(103, handle(0x8003), 'sfb', sfb, sfb_x, refcnt=1,
              desc='sfb rehash=600000ms db=60000ms max=25 target(bin_size)=20 increment=32 '
                   'decrement=5 limit=1000 penalty_rate=10 penalty_burst=15; xstats (36) '
                   'earlydrop=71 penaltydrop=72 bucketdrop=73 queuedrop=74 childdrop=75 marked=76 '
                   'maxqlen=77 maxprob=6553 avgprob=655'),
    ]


# ---------------------------------------------------------------------------------------------
# classful and the rest: prio, fifo, ets, hfsc, drr, htb, ingress, clsact, mq, unknown

def prio_qopt(bands, priomap):
    """struct tc_prio_qopt (20): @0 s32 bands; @4 u8 priomap[TC_PRIO_MAX + 1 = 16]."""
    return struct.pack('<i16B', bands, *priomap)


def group_classful():
    pfifo_fast_map = (1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1)
    prio_map = (1, 2, 0, 2, 1, 0, 0, 2, 1, 2, 1, 0, 2, 1, 0, 1)
    ets_map = (3, 2, 1, 0, 3, 2, 1, 0, 0, 1, 2, 3, 3, 3, 0, 1)
    # ets: TCA_OPTIONS { TCA_ETS_NBANDS u8; TCA_ETS_NSTRICT u8; TCA_ETS_QUANTA (NLA_F_NESTED)
    # { TCA_ETS_QUANTA_BAND u32 per non-strict band }; TCA_ETS_PRIOMAP (NLA_F_NESTED)
    # { TCA_ETS_PRIOMAP_BAND u8 x 16 } }
    ets = a_u8(1, 4) + a_u8(2, 1) \
        + nest(3, a_u32(4, 1600), a_u32(4, 3200), a_u32(4, 4800), flag=NLA_F_NESTED) \
        + nest(5, *[a_u8(6, b) for b in ets_map], flag=NLA_F_NESTED)
    # htb: TCA_OPTIONS { TCA_HTB_INIT = struct tc_htb_glob (20): @0 u32 version (3.17 = 0x30011);
    # @4 u32 rate2quantum; @8 u32 defcls; @12 u32 debug (the kernel sends 0); @16 u32
    # direct_pkts; TCA_HTB_DIRECT_QLEN u32 }
    htb = attr(2, struct.pack('<5I', 0x30011, 12, 0x20, 0, 42)) + a_u32(5, 1000)
    # hfsc: TCA_OPTIONS = struct tc_hfsc_qopt (2): @0 u16 defcls (0: tc's JSON stays valid)
    hfsc = struct.pack('<H', 0)
    # fifo: TCA_OPTIONS = struct tc_fifo_qopt (4): @0 u32 limit
    fifo = lambda limit: struct.pack('<I', limit)
    futureq_x = bytes(range(0x41, 0x41 + 24))   # opaque xstats of a kind tc does not know
    return [
        Qdisc(101, handle(1), 'prio', prio_qopt(3, prio_map),
              desc='root bands=3 priomap=' + ','.join(map(str, prio_map))),
        Qdisc(101, handle(0x10), 'pfifo', fifo(127), parent=handle(1, 1), refcnt=1,
              desc='parent 1:1 limit=127 packets; refcnt 1'),
        Qdisc(101, handle(0x20), 'bfifo', fifo(300000), parent=handle(1, 2), refcnt=1,
              desc='parent 1:2 limit=300000 bytes'),
        Qdisc(101, handle(0x30), 'pfifo_head_drop', fifo(64), parent=handle(1, 3), refcnt=1,
              desc='parent 1:3 limit=64'),
        Qdisc(102, handle(2), 'ets', ets, offloaded=1,
              desc='bands=4 strict=1 quanta=1600,3200,4800 priomap='
                   + ','.join(map(str, ets_map)) + ', NLA_F_NESTED on QUANTA/PRIOMAP; '
                   'TCA_HW_OFFLOAD=1'),
        Qdisc(103, handle(3), 'hfsc', hfsc, refcnt=3,
              desc='defcls=0'),
        Qdisc(104, handle(4), 'drr', None, rate=(6_000_000_000, 4_500_000),
              packets=5_000_000_000 + 123,
              desc='no TCA_OPTIONS; estimator bps=6000000000 (RATE_EST bps ~0U + '
                   'RATE_EST64) pps=4500000; packets=5000000123 (> 2^32: BASIC holds the low 32 '
                   'bits, PKT64 the whole count)'),
        Qdisc(105, handle(5), 'htb', htb, rate=(1_234_567, 8_910),
              desc='version=3.17 r2q=12 default=0x20 direct_packets_stat=42 '
                   'direct_qlen=1000; estimator RATE_EST bps=1234567 pps=8910'),
        Qdisc(106, handle(0xFFFF), 'ingress', b'', parent=TC_H_INGRESS, refcnt=1,
              ingress_block=7,
              desc='parent ffff:fff1, empty TCA_OPTIONS, ingress_block=7'),
        Qdisc(107, handle(0xFFFF), 'clsact', b'', parent=TC_H_INGRESS, refcnt=1,
              ingress_block=8, egress_block=9,
              desc='parent ffff:fff1, empty TCA_OPTIONS, ingress_block=8 '
                   'egress_block=9'),
        Qdisc(108, handle(6), 'mq', None, refcnt=1,
              desc='no TCA_OPTIONS (a kind tc 6.1 has no module for)'),
        Qdisc(108, handle(0), 'pfifo_fast', prio_qopt(3, pfifo_fast_map), parent=handle(6, 1),
              refcnt=1,
              desc='parent 6:1 bands=3 priomap=1,2,2,2,1,2,0,0,1,...'),
        Qdisc(108, handle(0), 'pfifo_fast', prio_qopt(3, pfifo_fast_map), parent=handle(6, 2),
              refcnt=1,
              desc='parent 6:2, same options'),
        Qdisc(109, handle(7), 'futureq', None, futureq_x, refcnt=4,
              desc='unknown kind, no TCA_OPTIONS, 24 bytes of xstats (0x41..0x58) '
                   'in TCA_STATS_APP and TCA_XSTATS; refcnt 4'),
    ]


# ---------------------------------------------------------------------------------------------
# Kinds of the time-sensitive networking family and newer kinds, as Linux 6.5+ dumps them
# (uapi of Linux 6.17; older layouts where noted): cbs, etf, mqprio, taprio (group tsn);
# multiq, qfq, skbprio, plug, teql, gred (group newer); dualpi2 (Linux 6.17, group dualpi2).

def mqprio_qopt(num_tc, prio_tc_map, hw, counts, offsets):
    """struct tc_mqprio_qopt (82): @0 u8 num_tc; @1 u8 prio_tc_map[16]; @17 u8 hw;
    @18 u16 count[16]; @50 u16 offset[16]."""
    counts = list(counts) + [0] * (16 - len(counts))
    offsets = list(offsets) + [0] * (16 - len(offsets))
    return struct.pack('<B16sB16H16H', num_tc, bytes(prio_tc_map), hw, *counts, *offsets)


MQPRIO_MAP = [2, 2, 1, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 0]


def mqprio_options(qopt, attrs=b''):
    """mqprio_dump(): nla_put(TCA_OPTIONS, qopt) then the attributes, and nla_nest_end() makes
    the TCA_OPTIONS length cover the struct's 2 bytes of padding: the payload is qopt + pad."""
    return qopt + b'\0' * 2 + attrs


def tc_entry(t, index, *pairs):
    """A per-class entry (nla_nest_start(): NLA_F_NESTED): u32 INDEX (1) and u32 pairs."""
    return nest(t, a_u32(1, index), *(a_u32(k, v) for k, v in pairs), flag=NLA_F_NESTED)


def sched_entry(index, cmd, gate_mask, interval):
    """TCA_TAPRIO_SCHED_ENTRY (1): INDEX u32 (1), CMD u8 (2), GATE_MASK u32 (3),
    INTERVAL u32 (4), as dump_entry() puts them."""
    return nest(1, a_u32(1, index), a_u8(2, cmd), a_u32(3, gate_mask), a_u32(4, interval))


def taprio_schedule(base, cycle, extension, entries):
    """dump_schedule(): BASE_TIME s64 (3), CYCLE_TIME s64 (8), CYCLE_TIME_EXTENSION s64 (9),
    SCHED_ENTRY_LIST (2) nest of entries."""
    return (a_s64(3, base) + a_s64(8, cycle) + a_s64(9, extension)
            + nest(2, *(sched_entry(*e) for e in entries)))


def group_tsn():
    # TCA_CBS_PARMS (1) = struct tc_cbs_qopt (20): @0 u8 offload; @4 s32 hicredit;
    # @8 s32 locredit; @12 s32 idleslope; @16 s32 sendslope
    cbs = attr(1, struct.pack('<B3xiiii', 1, 153, -1389, 98688, -901312))
    # TCA_ETF_PARMS (1) = struct tc_etf_qopt (12): @0 s32 delta; @4 s32 clockid; @8 u32 flags
    # (DEADLINE_MODE_ON 1, OFFLOAD_ON 2, SKIP_SOCK_CHECK 4)
    etf_tai = attr(1, struct.pack('<iiI', 300000, 11, 1 | 4))
    etf_mono = attr(1, struct.pack('<iiI', -20, 1, 2))
    # mqprio, Linux 6.5+: MODE u16 (1) channel, SHAPER u16 (2) bw_rlimit, MIN_RATE64 (3) and
    # MAX_RATE64 (4) nests of u64 per class (nla_nest_start_noflag), TC_ENTRY (5) per class
    # with FP u32 (2): 1 express, 2 preemptible
    mq_full = mqprio_options(
        mqprio_qopt(3, MQPRIO_MAP, 1, [1, 1, 2], [0, 1, 2]),
        a_u16(1, 1) + a_u16(2, 1)
        + nest(3, a_u64(3, 125000), a_u64(3, 250000), a_u64(3, 375000))
        + nest(4, a_u64(4, 1250000), a_u64(4, 2500000), a_u64(4, 3750000))
        + tc_entry(5, 0, (2, 1)) + tc_entry(5, 1, (2, 2)) + tc_entry(5, 2, (2, 2)))
    # mqprio as Linux 6.1 dumps it without mode/shaper/rates set: the struct alone
    mq_bare = mqprio_options(mqprio_qopt(2, MQPRIO_MAP[::-1], 0, [2, 2], [0, 2]))
    # mqprio with an explicit dcb mode (u16 0) and min rates only
    mq_dcb = mqprio_options(
        mqprio_qopt(2, [1] * 16, 1, [3, 1], [0, 3]),
        a_u16(1, 0) + nest(3, a_u64(3, 1000), a_u64(3, 2000)))
    # taprio, Linux 6.5+ (taprio_dump): PRIOMAP (1) struct tc_mqprio_qopt, SCHED_CLOCKID s32
    # (5), FLAGS u32 (10; 1 = txtime assist), TXTIME_DELAY u32 (11), the operating schedule,
    # TC_ENTRY (12) per class with MAX_SDU u32 (2) and FP u32 (3)
    taprio_full = (attr(1, mqprio_qopt(3, MQPRIO_MAP, 0, [1, 1, 2], [0, 1, 2]))
                   + a_s32(5, 11) + a_u32(10, 1) + a_u32(11, 500000)
                   + taprio_schedule(1_000_000_000_007, 1_000_000, 13,
                                     [(0, 0, 0x1, 300000), (1, 1, 0x2, 300000),
                                      (2, 2, 0x4, 400000)])
                   + tc_entry(12, 0, (2, 1500), (3, 1)) + tc_entry(12, 1, (2, 0), (3, 2))
                   + tc_entry(12, 2, (2, 9000), (3, 1)))
    # its statistics (taprio_dump_xstats, Linux 6.4+, offloaded schedules): a TCA_STATS_APP
    # nest of WINDOW_DROPS u64 (2) and TX_OVERRUNS u64 (3), no TCA_XSTATS copy
    taprio_x = a_u64(2, 91) + a_u64(3, 92)
    # taprio as Linux 6.1 dumps it: no flags, no class entries, gate commands S only
    taprio_61 = (attr(1, mqprio_qopt(2, [1, 0] * 8, 0, [2, 2], [0, 2])) + a_s32(5, 0)
                 + taprio_schedule(5_000, 200_000, 0, [(0, 0, 0x3, 150000), (1, 0, 0x1, 50000)]))
    return [
        Qdisc(101, handle(0x8001), 'cbs', cbs, parent=handle(0x100, 1), refcnt=1,
              desc='cbs offload=1 hicredit=153 locredit=-1389 idleslope=98688 '
                   'sendslope=-901312'),
        Qdisc(102, handle(0x8002), 'etf', etf_tai, parent=handle(0x100, 2), refcnt=1,
              desc='etf delta=300000 clockid=TAI(11) flags=deadline_mode|skip_sock_check'),
        Qdisc(103, handle(0x8003), 'etf', etf_mono, desc='etf delta=-20 clockid=MONOTONIC(1) '
              'flags=offload'),
        Qdisc(104, handle(0x100), 'mqprio', mq_full,
              desc='mqprio num_tc=3 map=2 2 1 0 2 2 2 2 2 2 2 2 2 2 1 0 hw=1 queues 1@0 1@1 2@2 '
                   'mode=channel shaper=bw_rlimit min_rate=125000 250000 375000 '
                   'max_rate=1250000 2500000 3750000 fp=E P P'),
        Qdisc(105, handle(0x200), 'mqprio', mq_bare,
              desc='mqprio num_tc=2 map reversed hw=0 queues 2@0 2@2, no attributes (Linux 6.1)'),
        Qdisc(106, handle(0x300), 'mqprio', mq_dcb,
              desc='mqprio num_tc=2 map all 1 hw=1 queues 3@0 1@3 mode=dcb (sent) '
                   'min_rate=1000 2000'),
        Qdisc(107, handle(0x400), 'taprio', taprio_full, taprio_x, offloaded=1,
              compat_xstats=False,
              desc='taprio num_tc=3 queues 1@0 1@1 2@2 clockid=TAI flags=0x1 '
                   'txtime_delay=500000 base=1000000000007 cycle=1000000 extension=13 '
                   'entries S 0x1 300000, H 0x2 300000, R 0x4 400000; max-sdu=1500 0 9000 '
                   'fp=E P E; xstats window_drops=91 tx_overruns=92'),
        Qdisc(108, handle(0x500), 'taprio', taprio_61,
              desc='taprio as Linux 6.1: num_tc=2 queues 2@0 2@2 clockid=REALTIME(0) '
                   'base=5000 cycle=200000 extension=0 entries S 0x3 150000, S 0x1 50000'),
    ]


def gred_qopt(dp, k):
    """struct tc_gred_qopt (52): @0 u32 limit; @4 qth_min; @8 qth_max; @12 DP; @16 backlog;
    @20 qave; @24 forced; @28 early; @32 other; @36 pdrop; @40 u8 Wlog; @41 u8 Plog;
    @42 u8 Scell_log; @43 u8 prio; @44 u32 packets; @48 u32 bytesin. Values distinct per
    field and per virtual queue (k)."""
    b = 1000 * k
    return struct.pack('<10I4B2I', 60000 + b, 15000 + b, 45000 + b, dp, b + 5, b + 6, b + 7,
                       b + 8, b + 9, b + 10, 9, 10, 11, k + 1, b + 11, b + 12)


def gred_unused(i):
    """gred_dump(): an unconfigured virtual queue is a zeroed struct with DP = MAX_DPs + i."""
    return struct.pack('<10I4B2I', 0, 0, 0, 16 + i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)


def gred_vq(dp, k, flags):
    """TCA_GRED_VQ_ENTRY (1) as gred_dump() writes it: DP u32 (2), FLAGS u32 (12),
    STAT_BYTES u64 (3), STAT_PACKETS (4), STAT_BACKLOG (5), STAT_PROB_DROP (6),
    STAT_PROB_MARK (7), STAT_FORCED_DROP (8), STAT_FORCED_MARK (9), STAT_PDROP (10),
    STAT_OTHER (11), u32 each. The byte count passes 2^32."""
    b = 100 * k
    return nest(1, a_u32(2, dp), a_u32(12, flags), a_u64(3, (5 << 32) + b + 1),
                *(a_u32(t, b + t) for t in range(4, 12)))


def group_newer():
    # struct tc_multiq_qopt (4): @0 u16 bands; @2 u16 max_bands
    multiq = struct.pack('<HH', 3, 8)
    # struct tc_skbprio_qopt (4): @0 u32 limit
    skbprio = struct.pack('<I', 64)
    # gred (gred_dump): DPS (3) struct tc_gred_sopt (12: @0 u32 DPs; @4 u32 def_DP;
    # @8 u8 grio; @9 u8 flags), MAX_P (4) u32[16], LIMIT (5) u32, PARMS (1) struct
    # tc_gred_qopt[16], VQ_LIST (6) (Linux 5.0+)
    sopt = struct.pack('<IIBBH', 3, 1, 1, 1 | 2, 0)
    parms = gred_qopt(0, 1) + gred_qopt(1, 2) + gred_unused(2) + gred_qopt(3, 3)
    parms += b''.join(gred_unused(i) for i in range(4, 16))
    gred = (attr(3, sopt) + attr(4, struct.pack('<16I', *range(1, 17)))
            + a_u32(5, 400000) + attr(1, parms)
            + nest(6, gred_vq(0, 1, 4), gred_vq(1, 2, 8), gred_vq(3, 3, 1 | 4)))
    # gred as a kernel before 5.0 dumps it: no VQ_LIST, no LIMIT
    sopt_old = struct.pack('<IIBBH', 2, 0, 0, 0, 0)
    parms_old = gred_qopt(0, 4) + gred_qopt(1, 5) + b''.join(gred_unused(i) for i in range(2, 16))
    gred_old = attr(3, sopt_old) + attr(4, struct.pack('<16I', *range(17, 33))) + attr(1, parms_old)
    # tbf whose buffer and mtu are not whole microseconds (16 KiB at 20 Mbit/s: 102400 ticks
    # of 64 ns = 6553.6 us; 1600 bytes at 60 Mbit/s: 3334 ticks), where iproute2 6.15's
    # burst, minburst and lat differ from 6.1's
    tbf = tbf_opts(tc_ratespec(2_500_000), tc_ratespec(7_500_000), 1_016_384, 102_400, 3_334)
    # netem as Linux 6.6+ dumps it (netem_dump): the struct (ticks), LATENCY64 (10) and
    # JITTER64 (11) in ns (not whole microseconds), CORR, REORDER, CORRUPT, RATE, PRNG_SEED (14)
    ns = 4_000_123
    netem = netem_qopt(ns >> 6, 800, 0, 0, 0, 1_000_999 >> 6) + a_s64(10, ns) \
        + a_s64(11, 1_000_999) + netem_corr(pct(0.25), 0, 0) + netem_reorder(0, 0) \
        + netem_corrupt(0, 0) + netem_rate(0, 0, 0, 0) + a_u64(14, 0x1234_5678_9ABC_DEF0)
    return [
        Qdisc(101, handle(0x8001), 'multiq', multiq, desc='multiq bands=3 max_bands=8'),
        Qdisc(102, handle(0x8002), 'qfq', None, desc='qfq (the qdisc dumps no options)'),
        Qdisc(103, handle(0x8003), 'skbprio', skbprio, desc='skbprio limit=64'),
        Qdisc(104, handle(0x8004), 'plug', None, desc='plug (no dump operation)'),
        Qdisc(105, 0, 'teql0', None, refcnt=1, desc='teql0 (no options)'),
        Qdisc(106, handle(0x8006), 'gred', gred,
              desc='gred DPs=3 def_DP=1 grio flags=ecn|harddrop limit=400000; vqs 0, 1, 3 '
                   '(qopt values 1000*k + field, prio k+1), VQ list with flags adaptive, nodrop, '
                   'ecn|adaptive and byte counts above 2^32'),
        Qdisc(107, handle(0x8007), 'gred', gred_old,
              desc='gred as before Linux 5.0: DPs=2 def_DP=0, no VQ list, no limit'),
        Qdisc(108, handle(0x8008), 'tbf', tbf,
              desc='tbf rate=2500000 peakrate=7500000 limit=1016384 buffer=102400 ticks '
                   'mtu=3334 ticks'),
        Qdisc(109, handle(0x8009), 'netem', netem,
              desc='netem limit=800 latency64=4000123ns jitter64=1000999ns delay_corr=0.25 '
                   'seed=0x123456789abcdef0'),
    ]


def group_dualpi2():
    # Linux 6.17 (dualpi2_dump): LIMIT (1), MEMORY_LIMIT (2), TARGET (3, us), TUPDATE (4, us),
    # ALPHA (5) and BETA (6) (Hz scaled by 256), STEP_THRESH_PKTS (7) or STEP_THRESH_US (8),
    # MIN_QLEN_STEP (9), all u32; COUPLING (10), DROP_OVERLOAD (11), DROP_EARLY (12),
    # C_PROTECTION (13), ECN_MASK (14), SPLIT_GSO (15), u8 each
    def opts(step, values):
        o = a_u32(1, values[0]) + a_u32(2, values[1]) + a_u32(3, values[2])
        o += a_u32(4, values[3]) + a_u32(5, values[4]) + a_u32(6, values[5])
        o += a_u32(7, step[1]) if step[0] == 'pkts' else a_u32(8, step[1])
        o += a_u32(9, values[6])
        for t, v in zip(range(10, 16), values[7:]):
            o += a_u8(t, v)
        return o
    one = opts(('pkts', 300), [10000, 5000000, 15000, 16000, 41, 819, 2, 2, 1, 0, 10, 1, 1])
    two = opts(('us', 1000), [20000, 7000000, 20000, 17000, 80, 2560, 3, 4, 0, 1, 30, 3, 0])
    # struct tc_dualpi2_xstats (48): @0 u32 prob; @4 delay_c; @8 delay_l; @12 packets_in_c;
    # @16 packets_in_l; @20 maxq; @24 ecn_mark; @28 step_marks; @32 s32 credit;
    # @36 memory_used; @40 max_memory_used; @44 memory_limit
    x1 = struct.pack('<8Ii3I', 0x40000000, 11, 12, 13, 14, 15, 16, 17, -18, 19, 20, 21)
    x2 = struct.pack('<8Ii3I', 0xFFFFFFFF, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41)
    return [
        Qdisc(101, handle(0x8001), 'dualpi2', one, x1,
              desc='dualpi2 limit=10000 memlimit=5000000 target=15000us tupdate=16000us '
                   'alpha=41/256 beta=819/256 step_thresh=300p min_qlen_step=2 coupling=2 '
                   'drop_overload=drop drop_early=dequeue c_protection=10 ecn_mask=l4s '
                   'split_gso; xstats prob=0x40000000 delay_c=11 ... credit=-18'),
        Qdisc(102, handle(0x8002), 'dualpi2', two, x2,
              desc='dualpi2 limit=20000 step_thresh=1000us coupling=4 overflow drop_enqueue '
                   'ecn_mask=any no split_gso; xstats prob=1 credit=38'),
    ]


GROUPS = [
    ('fq_codel', group_fq_codel), ('codel', group_codel), ('fq', group_fq),
    ('cake', group_cake), ('tbf', group_tbf), ('netem', group_netem), ('sfq', group_sfq),
    ('red', group_red), ('pie', group_pie), ('fq_pie', group_fq_pie), ('misc', group_misc),
    ('classful', group_classful),
    ('tsn', group_tsn), ('newer', group_newer), ('dualpi2', group_dualpi2),
]

# The readings beside each group: iproute2 6.1.0's (NAME.tc-s-j-qdisc.json) and 6.15.0's
# (NAME.iproute2-6.15.tc-s-j-qdisc.json); for dualpi2 only iproute2 6.17.0's, the first version
# that knows it.
ORACLE = {'dualpi2': '6.17.0'}
KERNEL = {
    'tsn': 'layouts of Linux 6.5+ uapi headers (iproute2 6.15.0\'s copy), Linux 6.1\'s where '
           'noted',
    'newer': 'layouts of Linux 6.1 uapi headers (gred\'s VQ list since 5.0, netem\'s seed '
             'since 6.6)',
    'dualpi2': 'layouts of Linux 6.17 uapi headers (iproute2 6.17.0\'s copy)',
}


# ---------------------------------------------------------------------------------------------
# the capture

def newlink(ifindex):
    body = ifinfomsg(ifindex, IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST,
                     dev_type=ARPHRD_ETHER)
    body += a_str(IFLA_IFNAME, f'if{ifindex}')
    return nlmsg(RTM_NEWLINK, NLM_F_MULTI, 1, PORT_ID, body)


def done(seq):
    return nlmsg(NLMSG_DONE, NLM_F_MULTI, seq, PORT_ID, struct.pack('<i', 0))


def datagrams(qdiscs):
    """The RTM_NEWQDISC messages, packed MSGS_PER_DATAGRAM (and at most 32 KiB) a datagram."""
    out, cur, n = [], b'', 0
    for k, q in enumerate(qdiscs, 1):
        m = q.encode(k)
        if n == MSGS_PER_DATAGRAM or len(cur) + len(m) > MAX_DATAGRAM:
            out.append(cur)
            cur, n = b'', 0
        cur += m
        n += 1
    if cur:
        out.append(cur)
    return out


def packets(qdiscs):
    """(packet type, datagram) in capture order."""
    ifindexes = sorted({q.ifindex for q in qdiscs})
    yield PACKET_USER, nlmsg(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 1, 0, ifinfomsg(0))
    yield PACKET_KERNEL, b''.join(newlink(i) for i in ifindexes)
    yield PACKET_KERNEL, done(1)
    yield PACKET_USER, nlmsg(RTM_GETQDISC, NLM_F_REQUEST | NLM_F_DUMP, 2, 0, tcmsg())
    for d in datagrams(qdiscs):
        assert len(d) <= MAX_DATAGRAM
        yield PACKET_KERNEL, d
    yield PACKET_KERNEL, done(2)


def write_pcap(path, qdiscs):
    with open(path, 'wb') as f:
        # pcap file header, native byte order: magic, v2.4, thiszone 0, sigfigs 0, snaplen
        # 262144, LINKTYPE_NETLINK
        f.write(struct.pack('=IHHiIII', PCAP_MAGIC, 2, 4, 0, 0, 256 * 1024, LINKTYPE_NETLINK))
        usec = 0
        for i, (ptype, data) in enumerate(packets(qdiscs)):
            usec += 1000 if ptype == PACKET_USER and i else 37
            # cooked header (big-endian): packet type, ARPHRD_NETLINK, address length 0,
            # 8 address bytes, netlink protocol
            pkt = struct.pack('>HHH8sH', ptype, ARPHRD_NETLINK, 0, b'', NETLINK_ROUTE) + data
            f.write(struct.pack('=IIII', TS_BASE + usec // 1_000_000, usec % 1_000_000,
                                len(pkt), len(pkt)))
            f.write(pkt)


def write_txt(path, group, qdiscs):
    lines = [
        f'capture: tc-synth-{group}.pcap',
        'recorded: synthesised by captures/synth/make_tc_captures.py (bytes written field by '
        'field from include/uapi/linux/pkt_sched.h, gen_stats.h, rtnetlink.h)',
        'kernel: none (synthesised); ' + KERNEL.get(
            group, 'layouts of Linux 6.1 uapi headers as shipped with iproute2 6.1.0'),
        f'oracle: tc-synth-{group}.tc-s-j-qdisc.json = iproute2 {ORACLE.get(group, "6.1.0")}\'s '
        'own print_qdisc (tc -s -j qdisc) run on the same message bytes',
    ]
    if group not in ORACLE:
        lines.append(f'oracle-6.15: tc-synth-{group}.iproute2-6.15.tc-s-j-qdisc.json = iproute2 '
                     '6.15.0\'s (Debian\'s 6.15.0-1~bpo12+1), run the same way')
    lines += [
        'options: --no-ip --tc',
        'samples: 1',
        'values:',
    ]
    for k, q in enumerate(qdiscs, 1):
        s = Stats(k, q.rate, q.packets)
        lines.append(f'  if{q.ifindex} {q.handle >> 16:x}: {q.kind} {q.desc}; stats '
                     f'bytes={s.bytes} packets={s.packets} drops={s.drops} '
                     f'overlimits={s.overlimits} requeues={s.requeues} backlog={s.backlog} '
                     f'qlen={s.qlen}')
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(here)
    for group, make in GROUPS:
        qdiscs = make()
        base = os.path.join(outdir, f'tc-synth-{group}')
        write_pcap(base + '.pcap', qdiscs)
        write_txt(base + '.txt', group, qdiscs)
        print(f'{base}.pcap: {len(qdiscs)} qdiscs')


if __name__ == '__main__':
    main()
