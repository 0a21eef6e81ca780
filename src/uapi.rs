//! Linux uapi constants and fixed struct layouts that the decoders need and the `libc` crate does
//! not provide, one module per kernel header (`include/uapi/linux/NAME.h` → `uapi::NAME`), every
//! name spelled as the kernel spells it, so a reader can hold each one against the header.
//!
//! Values are those of the Linux 6.1 headers, the ones iproute2 6.1 (whose output the readers
//! reproduce) was built against. Attribute numbers never change once released; a `*_MAX` is that
//! kernel's, so an attribute added later falls outside a table sized `*_MAX + 1` and is ignored,
//! as tc 6.1 ignores it.
//!
//! Attribute types are `usize`, the index [`Attrs`](crate::netlink::attrs::Attrs) takes, except
//! where the reader compares them with a `u16` message or attribute type.
//!
//! A fixed struct is a module named after it (`pkt_sched::tc_codel_xstats`) holding the byte
//! offset of each field, named after the field in upper case, and `SIZE`, its `sizeof` on x86-64.
//! A struct embedded in another is read at the outer field's offset plus the inner one's:
//! `tc_fq_codel_xstats::QDISC_STATS + tc_fq_codel_qd_stats::MAXPACKET`.

/// `include/uapi/linux/netlink.h`.
pub mod netlink {
    /// `NLMSG_HDRLEN`: the aligned length of `struct nlmsghdr`, where a message's payload
    /// starts. libc defines it privately; this is the kernel macro over libc's struct.
    pub const NLMSG_HDRLEN: usize = (size_of::<libc::nlmsghdr>() + 3) & !3;

    /// `struct nla_bitfield32`: the payload of a bitfield attribute such as `TCA_RED_FLAGS`.
    pub mod nla_bitfield32 {
        /// `__u32 value`: the bits.
        pub const VALUE: usize = 0;
        /// `__u32 selector`: which bits of `value` are meant.
        pub const SELECTOR: usize = 4;
        /// `sizeof(struct nla_bitfield32)`.
        pub const SIZE: usize = 8;
    }
}

/// `include/uapi/linux/rtnetlink.h`, the parts libc lacks.
pub mod rtnetlink {
    /// `TCA_INGRESS_BLOCK`: `u32`, the shared ingress filter block of a clsact or ingress qdisc.
    pub const TCA_INGRESS_BLOCK: usize = 13;
    /// `TCA_EGRESS_BLOCK`: `u32`, the shared egress filter block of a clsact qdisc.
    pub const TCA_EGRESS_BLOCK: usize = 14;

    /// `struct tcmsg`: the header of every `RTM_*QDISC` message (padding fields left out).
    pub mod tcmsg {
        /// `unsigned char tcm_family`.
        pub const TCM_FAMILY: usize = 0;
        /// `int tcm_ifindex`.
        pub const TCM_IFINDEX: usize = 4;
        /// `__u32 tcm_handle`.
        pub const TCM_HANDLE: usize = 8;
        /// `__u32 tcm_parent`.
        pub const TCM_PARENT: usize = 12;
        /// `__u32 tcm_info`: for a qdisc, its reference count.
        pub const TCM_INFO: usize = 16;
        /// `sizeof(struct tcmsg)`.
        pub const SIZE: usize = 20;
    }
}

/// `include/uapi/linux/gen_stats.h`: the nest of generic statistics (`TCA_STATS2`).
pub mod gen_stats {
    /// `TCA_STATS_UNSPEC`.
    pub const TCA_STATS_UNSPEC: usize = 0;
    /// `TCA_STATS_BASIC`: `struct gnet_stats_basic`.
    pub const TCA_STATS_BASIC: usize = 1;
    /// `TCA_STATS_RATE_EST`: `struct gnet_stats_rate_est`.
    pub const TCA_STATS_RATE_EST: usize = 2;
    /// `TCA_STATS_QUEUE`: `struct gnet_stats_queue`.
    pub const TCA_STATS_QUEUE: usize = 3;
    /// `TCA_STATS_APP`: the qdisc's own extended statistics (xstats).
    pub const TCA_STATS_APP: usize = 4;
    /// `TCA_STATS_RATE_EST64`: `struct gnet_stats_rate_est64`.
    pub const TCA_STATS_RATE_EST64: usize = 5;
    /// `TCA_STATS_PAD`: alignment padding for the 64-bit attributes.
    pub const TCA_STATS_PAD: usize = 6;
    /// `TCA_STATS_BASIC_HW`: `struct gnet_stats_basic`, the hardware-offloaded part.
    pub const TCA_STATS_BASIC_HW: usize = 7;
    /// `TCA_STATS_PKT64`: `u64` packets (Linux 5.13+), beyond the 32 bits of `gnet_stats_basic`.
    pub const TCA_STATS_PKT64: usize = 8;
    /// `TCA_STATS_MAX`.
    pub const TCA_STATS_MAX: usize = 8;

    /// `struct gnet_stats_basic`.
    pub mod gnet_stats_basic {
        /// `__u64 bytes`.
        pub const BYTES: usize = 0;
        /// `__u32 packets`.
        pub const PACKETS: usize = 8;
        /// `sizeof(struct gnet_stats_basic)`: 16 with the tail padding of its `__u64` (the
        /// kernel sends all 16).
        pub const SIZE: usize = 16;
    }

    /// `struct gnet_stats_rate_est`.
    pub mod gnet_stats_rate_est {
        /// `__u32 bps`: bytes per second.
        pub const BPS: usize = 0;
        /// `__u32 pps`: packets per second.
        pub const PPS: usize = 4;
        /// `sizeof(struct gnet_stats_rate_est)`.
        pub const SIZE: usize = 8;
    }

    /// `struct gnet_stats_rate_est64`.
    pub mod gnet_stats_rate_est64 {
        /// `__u64 bps`: bytes per second.
        pub const BPS: usize = 0;
        /// `__u64 pps`: packets per second.
        pub const PPS: usize = 8;
        /// `sizeof(struct gnet_stats_rate_est64)`.
        pub const SIZE: usize = 16;
    }

    /// `struct gnet_stats_queue`.
    pub mod gnet_stats_queue {
        /// `__u32 qlen`.
        pub const QLEN: usize = 0;
        /// `__u32 backlog`: bytes.
        pub const BACKLOG: usize = 4;
        /// `__u32 drops`.
        pub const DROPS: usize = 8;
        /// `__u32 requeues`.
        pub const REQUEUES: usize = 12;
        /// `__u32 overlimits`.
        pub const OVERLIMITS: usize = 16;
        /// `sizeof(struct gnet_stats_queue)`.
        pub const SIZE: usize = 20;
    }
}

/// `include/uapi/linux/pkt_sched.h`: qdisc options (`TCA_OPTIONS`) and extended statistics.
pub mod pkt_sched {
    /// `TC_PRIO_MAX`: the highest logical priority; priority maps have `TC_PRIO_MAX + 1` bands.
    pub const TC_PRIO_MAX: usize = 15;

    /// `TC_H_ROOT`: the parent of a root qdisc.
    pub const TC_H_ROOT: u32 = 0xFFFF_FFFF;

    /// `TC_LINKLAYER_UNAWARE` (`enum tc_link_layer`): set by an old tc.
    pub const TC_LINKLAYER_UNAWARE: u8 = 0;
    /// `TC_LINKLAYER_ETHERNET`.
    pub const TC_LINKLAYER_ETHERNET: u8 = 1;
    /// `TC_LINKLAYER_ATM`.
    pub const TC_LINKLAYER_ATM: u8 = 2;
    /// `TC_LINKLAYER_MASK`: the link layer is the low 4 bits of `tc_ratespec.linklayer`.
    pub const TC_LINKLAYER_MASK: u8 = 0x0F;

    /// `struct tc_stats`: the legacy generic statistics (`TCA_STATS`).
    pub mod tc_stats {
        /// `__u64 bytes`.
        pub const BYTES: usize = 0;
        /// `__u32 packets`.
        pub const PACKETS: usize = 8;
        /// `__u32 drops`.
        pub const DROPS: usize = 12;
        /// `__u32 overlimits`.
        pub const OVERLIMITS: usize = 16;
        /// `__u32 bps`.
        pub const BPS: usize = 20;
        /// `__u32 pps`.
        pub const PPS: usize = 24;
        /// `__u32 qlen`.
        pub const QLEN: usize = 28;
        /// `__u32 backlog`.
        pub const BACKLOG: usize = 32;
        /// `sizeof(struct tc_stats)`: 40 with the tail padding of its `__u64`.
        pub const SIZE: usize = 40;
    }

    /// `struct tc_ratespec`, embedded in `tc_tbf_qopt` and `tc_htb_opt`.
    pub mod tc_ratespec {
        /// `unsigned char cell_log`.
        pub const CELL_LOG: usize = 0;
        /// `__u8 linklayer`: `TC_LINKLAYER_*` in the low 4 bits.
        pub const LINKLAYER: usize = 1;
        /// `unsigned short overhead`.
        pub const OVERHEAD: usize = 2;
        /// `short cell_align`.
        pub const CELL_ALIGN: usize = 4;
        /// `unsigned short mpu`.
        pub const MPU: usize = 6;
        /// `__u32 rate`: bytes per second.
        pub const RATE: usize = 8;
        /// `sizeof(struct tc_ratespec)`.
        pub const SIZE: usize = 12;
    }

    /// `struct tc_fifo_qopt`: the options of pfifo, bfifo and pfifo_head_drop.
    pub mod tc_fifo_qopt {
        /// `__u32 limit`: packets for pfifo, bytes for bfifo.
        pub const LIMIT: usize = 0;
        /// `sizeof(struct tc_fifo_qopt)`.
        pub const SIZE: usize = 4;
    }

    /// `struct tc_prio_qopt`: the options of prio and pfifo_fast.
    pub mod tc_prio_qopt {
        /// `int bands`.
        pub const BANDS: usize = 0;
        /// `__u8 priomap[TC_PRIO_MAX + 1]`: the band of each logical priority.
        pub const PRIOMAP: usize = 4;
        /// `sizeof(struct tc_prio_qopt)`.
        pub const SIZE: usize = 20;
    }

    // The prio attributes that may follow `tc_prio_qopt` in a compat nest. The kernel header
    // dropped them with the old multiqueue prio, but tc still defines them (tc/tc_util.h) and
    // reads them, so they are kept here under tc's names.
    /// `TCA_PRIO_UNSPEC` (tc/tc_util.h).
    pub const TCA_PRIO_UNSPEC: usize = 0;
    /// `TCA_PRIO_MQ` (tc/tc_util.h): `u8`, the deprecated multiqueue flag.
    pub const TCA_PRIO_MQ: usize = 1;
    /// `TCA_PRIO_MAX` (tc/tc_util.h).
    pub const TCA_PRIO_MAX: usize = 1;

    /// `struct tc_tbf_qopt`: `TCA_TBF_PARMS`.
    pub mod tc_tbf_qopt {
        /// `struct tc_ratespec rate`.
        pub const RATE: usize = 0;
        /// `struct tc_ratespec peakrate`.
        pub const PEAKRATE: usize = 12;
        /// `__u32 limit`: bytes.
        pub const LIMIT: usize = 24;
        /// `__u32 buffer`: ticks.
        pub const BUFFER: usize = 28;
        /// `__u32 mtu`: ticks.
        pub const MTU: usize = 32;
        /// `sizeof(struct tc_tbf_qopt)`.
        pub const SIZE: usize = 36;
    }

    /// `TCA_TBF_UNSPEC`.
    pub const TCA_TBF_UNSPEC: usize = 0;
    /// `TCA_TBF_PARMS`: `struct tc_tbf_qopt`.
    pub const TCA_TBF_PARMS: usize = 1;
    /// `TCA_TBF_RTAB`: the rate table (sent by tc, not dumped).
    pub const TCA_TBF_RTAB: usize = 2;
    /// `TCA_TBF_PTAB`: the peak rate table (sent by tc, not dumped).
    pub const TCA_TBF_PTAB: usize = 3;
    /// `TCA_TBF_RATE64`: `u64` rate when it exceeds 32 bits.
    pub const TCA_TBF_RATE64: usize = 4;
    /// `TCA_TBF_PRATE64`: `u64` peak rate when it exceeds 32 bits.
    pub const TCA_TBF_PRATE64: usize = 5;
    /// `TCA_TBF_BURST`: `u32`.
    pub const TCA_TBF_BURST: usize = 6;
    /// `TCA_TBF_PBURST`: `u32`.
    pub const TCA_TBF_PBURST: usize = 7;
    /// `TCA_TBF_PAD`.
    pub const TCA_TBF_PAD: usize = 8;
    /// `TCA_TBF_MAX`.
    pub const TCA_TBF_MAX: usize = 8;

    /// `struct tc_sfq_qopt`: the options of sfq as old kernels send them.
    pub mod tc_sfq_qopt {
        /// `unsigned quantum`: bytes per round.
        pub const QUANTUM: usize = 0;
        /// `int perturb_period`: seconds.
        pub const PERTURB_PERIOD: usize = 4;
        /// `__u32 limit`: packets.
        pub const LIMIT: usize = 8;
        /// `unsigned divisor`: hash buckets.
        pub const DIVISOR: usize = 12;
        /// `unsigned flows`.
        pub const FLOWS: usize = 16;
        /// `sizeof(struct tc_sfq_qopt)`.
        pub const SIZE: usize = 20;
    }

    /// `struct tc_sfqred_stats`, embedded in `tc_sfq_qopt_v1`.
    pub mod tc_sfqred_stats {
        /// `__u32 prob_drop`.
        pub const PROB_DROP: usize = 0;
        /// `__u32 forced_drop`.
        pub const FORCED_DROP: usize = 4;
        /// `__u32 prob_mark`.
        pub const PROB_MARK: usize = 8;
        /// `__u32 forced_mark`.
        pub const FORCED_MARK: usize = 12;
        /// `__u32 prob_mark_head`.
        pub const PROB_MARK_HEAD: usize = 16;
        /// `__u32 forced_mark_head`.
        pub const FORCED_MARK_HEAD: usize = 20;
        /// `sizeof(struct tc_sfqred_stats)`.
        pub const SIZE: usize = 24;
    }

    /// `struct tc_sfq_qopt_v1`: `tc_sfq_qopt` followed by depth, headdrop and RED parameters.
    pub mod tc_sfq_qopt_v1 {
        /// `struct tc_sfq_qopt v0`.
        pub const V0: usize = 0;
        /// `unsigned int depth`: packets per flow.
        pub const DEPTH: usize = 20;
        /// `unsigned int headdrop`.
        pub const HEADDROP: usize = 24;
        /// `__u32 limit`: bytes per flow (RED).
        pub const LIMIT: usize = 28;
        /// `__u32 qth_min`.
        pub const QTH_MIN: usize = 32;
        /// `__u32 qth_max`.
        pub const QTH_MAX: usize = 36;
        /// `unsigned char Wlog`.
        pub const WLOG: usize = 40;
        /// `unsigned char Plog`.
        pub const PLOG: usize = 41;
        /// `unsigned char Scell_log`.
        pub const SCELL_LOG: usize = 42;
        /// `unsigned char flags`: `TC_RED_*`.
        pub const FLAGS: usize = 43;
        /// `__u32 max_P`: probability scaled to 2^32.
        pub const MAX_P: usize = 44;
        /// `struct tc_sfqred_stats stats`.
        pub const STATS: usize = 48;
        /// `sizeof(struct tc_sfq_qopt_v1)`.
        pub const SIZE: usize = 72;
    }

    /// `struct tc_sfq_xstats`.
    pub mod tc_sfq_xstats {
        /// `__s32 allot`.
        pub const ALLOT: usize = 0;
        /// `sizeof(struct tc_sfq_xstats)`.
        pub const SIZE: usize = 4;
    }

    /// `TCA_RED_UNSPEC`.
    pub const TCA_RED_UNSPEC: usize = 0;
    /// `TCA_RED_PARMS`: `struct tc_red_qopt`.
    pub const TCA_RED_PARMS: usize = 1;
    /// `TCA_RED_STAB`: the table of idle damping (sent by tc, not dumped).
    pub const TCA_RED_STAB: usize = 2;
    /// `TCA_RED_MAX_P`: `u32` probability.
    pub const TCA_RED_MAX_P: usize = 3;
    /// `TCA_RED_FLAGS`: `struct nla_bitfield32` of `TC_RED_*`.
    pub const TCA_RED_FLAGS: usize = 4;
    /// `TCA_RED_EARLY_DROP_BLOCK`: `u32` block of the early_drop qevent.
    pub const TCA_RED_EARLY_DROP_BLOCK: usize = 5;
    /// `TCA_RED_MARK_BLOCK`: `u32` block of the mark qevent.
    pub const TCA_RED_MARK_BLOCK: usize = 6;
    /// `TCA_RED_MAX`.
    pub const TCA_RED_MAX: usize = 6;

    /// `struct tc_red_qopt`: `TCA_RED_PARMS`, and `TCA_CHOKE_PARMS` as the kernel dumps it.
    pub mod tc_red_qopt {
        /// `__u32 limit`: bytes (packets for choke).
        pub const LIMIT: usize = 0;
        /// `__u32 qth_min`.
        pub const QTH_MIN: usize = 4;
        /// `__u32 qth_max`.
        pub const QTH_MAX: usize = 8;
        /// `unsigned char Wlog`.
        pub const WLOG: usize = 12;
        /// `unsigned char Plog`.
        pub const PLOG: usize = 13;
        /// `unsigned char Scell_log`.
        pub const SCELL_LOG: usize = 14;
        /// `unsigned char flags`: `TC_RED_*`.
        pub const FLAGS: usize = 15;
        /// `sizeof(struct tc_red_qopt)`.
        pub const SIZE: usize = 16;
    }

    /// `TC_RED_ECN`.
    pub const TC_RED_ECN: u8 = 1;
    /// `TC_RED_HARDDROP`.
    pub const TC_RED_HARDDROP: u8 = 2;
    /// `TC_RED_ADAPTATIVE` (sic).
    pub const TC_RED_ADAPTATIVE: u8 = 4;
    /// `TC_RED_NODROP`.
    pub const TC_RED_NODROP: u8 = 8;

    /// `struct tc_red_xstats`.
    pub mod tc_red_xstats {
        /// `__u32 early`: early drops.
        pub const EARLY: usize = 0;
        /// `__u32 pdrop`: drops at the queue limit.
        pub const PDROP: usize = 4;
        /// `__u32 other`: drops by `drop()` calls.
        pub const OTHER: usize = 8;
        /// `__u32 marked`.
        pub const MARKED: usize = 12;
        /// `sizeof(struct tc_red_xstats)`.
        pub const SIZE: usize = 16;
    }

    /// `TCA_CHOKE_UNSPEC`.
    pub const TCA_CHOKE_UNSPEC: usize = 0;
    /// `TCA_CHOKE_PARMS`: `struct tc_choke_qopt`, the layout of `struct tc_red_qopt`.
    pub const TCA_CHOKE_PARMS: usize = 1;
    /// `TCA_CHOKE_STAB`.
    pub const TCA_CHOKE_STAB: usize = 2;
    /// `TCA_CHOKE_MAX_P`: `u32` probability.
    pub const TCA_CHOKE_MAX_P: usize = 3;
    /// `TCA_CHOKE_MAX`.
    pub const TCA_CHOKE_MAX: usize = 3;

    /// `struct tc_choke_xstats`.
    pub mod tc_choke_xstats {
        /// `__u32 early`.
        pub const EARLY: usize = 0;
        /// `__u32 pdrop`.
        pub const PDROP: usize = 4;
        /// `__u32 other`.
        pub const OTHER: usize = 8;
        /// `__u32 marked`.
        pub const MARKED: usize = 12;
        /// `__u32 matched`: drops by flow match.
        pub const MATCHED: usize = 16;
        /// `sizeof(struct tc_choke_xstats)`.
        pub const SIZE: usize = 20;
    }

    /// `struct tc_htb_opt`: `TCA_HTB_PARMS`, a class's parameters.
    pub mod tc_htb_opt {
        /// `struct tc_ratespec rate`.
        pub const RATE: usize = 0;
        /// `struct tc_ratespec ceil`.
        pub const CEIL: usize = 12;
        /// `__u32 buffer`.
        pub const BUFFER: usize = 24;
        /// `__u32 cbuffer`.
        pub const CBUFFER: usize = 28;
        /// `__u32 quantum`.
        pub const QUANTUM: usize = 32;
        /// `__u32 level`: out only.
        pub const LEVEL: usize = 36;
        /// `__u32 prio`.
        pub const PRIO: usize = 40;
        /// `sizeof(struct tc_htb_opt)`.
        pub const SIZE: usize = 44;
    }

    /// `struct tc_htb_glob`: `TCA_HTB_INIT`, the qdisc's parameters.
    pub mod tc_htb_glob {
        /// `__u32 version`.
        pub const VERSION: usize = 0;
        /// `__u32 rate2quantum`: the bps → quantum divisor (r2q).
        pub const RATE2QUANTUM: usize = 4;
        /// `__u32 defcls`: the default class's minor number.
        pub const DEFCLS: usize = 8;
        /// `__u32 debug`.
        pub const DEBUG: usize = 12;
        /// `__u32 direct_pkts`: packets sent unshaped.
        pub const DIRECT_PKTS: usize = 16;
        /// `sizeof(struct tc_htb_glob)`.
        pub const SIZE: usize = 20;
    }

    /// `TCA_HTB_UNSPEC`.
    pub const TCA_HTB_UNSPEC: usize = 0;
    /// `TCA_HTB_PARMS`: `struct tc_htb_opt`.
    pub const TCA_HTB_PARMS: usize = 1;
    /// `TCA_HTB_INIT`: `struct tc_htb_glob`.
    pub const TCA_HTB_INIT: usize = 2;
    /// `TCA_HTB_CTAB`.
    pub const TCA_HTB_CTAB: usize = 3;
    /// `TCA_HTB_RTAB`.
    pub const TCA_HTB_RTAB: usize = 4;
    /// `TCA_HTB_DIRECT_QLEN`: `u32` packets.
    pub const TCA_HTB_DIRECT_QLEN: usize = 5;
    /// `TCA_HTB_RATE64`: `u64`.
    pub const TCA_HTB_RATE64: usize = 6;
    /// `TCA_HTB_CEIL64`: `u64`.
    pub const TCA_HTB_CEIL64: usize = 7;
    /// `TCA_HTB_PAD`.
    pub const TCA_HTB_PAD: usize = 8;
    /// `TCA_HTB_OFFLOAD`: flag, present when offloaded.
    pub const TCA_HTB_OFFLOAD: usize = 9;
    /// `TCA_HTB_MAX`.
    pub const TCA_HTB_MAX: usize = 9;

    /// `struct tc_hfsc_qopt`.
    pub mod tc_hfsc_qopt {
        /// `__u16 defcls`: the default class.
        pub const DEFCLS: usize = 0;
        /// `sizeof(struct tc_hfsc_qopt)`.
        pub const SIZE: usize = 2;
    }

    /// `TCA_NETEM_UNSPEC`.
    pub const TCA_NETEM_UNSPEC: usize = 0;
    /// `TCA_NETEM_CORR`: `struct tc_netem_corr`.
    pub const TCA_NETEM_CORR: usize = 1;
    /// `TCA_NETEM_DELAY_DIST`: the delay distribution table.
    pub const TCA_NETEM_DELAY_DIST: usize = 2;
    /// `TCA_NETEM_REORDER`: `struct tc_netem_reorder`.
    pub const TCA_NETEM_REORDER: usize = 3;
    /// `TCA_NETEM_CORRUPT`: `struct tc_netem_corrupt`.
    pub const TCA_NETEM_CORRUPT: usize = 4;
    /// `TCA_NETEM_LOSS`: nest of `NETEM_LOSS_*`.
    pub const TCA_NETEM_LOSS: usize = 5;
    /// `TCA_NETEM_RATE`: `struct tc_netem_rate`.
    pub const TCA_NETEM_RATE: usize = 6;
    /// `TCA_NETEM_ECN`: `u32`, mark instead of drop.
    pub const TCA_NETEM_ECN: usize = 7;
    /// `TCA_NETEM_RATE64`: `u64` rate when it exceeds 32 bits.
    pub const TCA_NETEM_RATE64: usize = 8;
    /// `TCA_NETEM_PAD`.
    pub const TCA_NETEM_PAD: usize = 9;
    /// `TCA_NETEM_LATENCY64`: `s64` nanoseconds.
    pub const TCA_NETEM_LATENCY64: usize = 10;
    /// `TCA_NETEM_JITTER64`: `s64` nanoseconds.
    pub const TCA_NETEM_JITTER64: usize = 11;
    /// `TCA_NETEM_SLOT`: `struct tc_netem_slot`.
    pub const TCA_NETEM_SLOT: usize = 12;
    /// `TCA_NETEM_SLOT_DIST`: the slot distribution table.
    pub const TCA_NETEM_SLOT_DIST: usize = 13;
    /// `TCA_NETEM_PRNG_SEED`: `u64`, the seed of netem's random numbers (Linux 6.6+).
    pub const TCA_NETEM_PRNG_SEED: usize = 14;
    /// `TCA_NETEM_MAX`.
    pub const TCA_NETEM_MAX: usize = 14;

    /// `struct tc_netem_qopt`: the head of netem's options, before its attributes.
    pub mod tc_netem_qopt {
        /// `__u32 latency`: ticks.
        pub const LATENCY: usize = 0;
        /// `__u32 limit`: packets.
        pub const LIMIT: usize = 4;
        /// `__u32 loss`: random loss probability scaled to 2^32 - 1.
        pub const LOSS: usize = 8;
        /// `__u32 gap`: re-ordering gap.
        pub const GAP: usize = 12;
        /// `__u32 duplicate`: duplication probability scaled to 2^32 - 1.
        pub const DUPLICATE: usize = 16;
        /// `__u32 jitter`: ticks.
        pub const JITTER: usize = 20;
        /// `sizeof(struct tc_netem_qopt)`.
        pub const SIZE: usize = 24;
    }

    /// `struct tc_netem_corr`.
    pub mod tc_netem_corr {
        /// `__u32 delay_corr`.
        pub const DELAY_CORR: usize = 0;
        /// `__u32 loss_corr`.
        pub const LOSS_CORR: usize = 4;
        /// `__u32 dup_corr`.
        pub const DUP_CORR: usize = 8;
        /// `sizeof(struct tc_netem_corr)`.
        pub const SIZE: usize = 12;
    }

    /// `struct tc_netem_reorder`.
    pub mod tc_netem_reorder {
        /// `__u32 probability`.
        pub const PROBABILITY: usize = 0;
        /// `__u32 correlation`.
        pub const CORRELATION: usize = 4;
        /// `sizeof(struct tc_netem_reorder)`.
        pub const SIZE: usize = 8;
    }

    /// `struct tc_netem_corrupt`.
    pub mod tc_netem_corrupt {
        /// `__u32 probability`.
        pub const PROBABILITY: usize = 0;
        /// `__u32 correlation`.
        pub const CORRELATION: usize = 4;
        /// `sizeof(struct tc_netem_corrupt)`.
        pub const SIZE: usize = 8;
    }

    /// `struct tc_netem_rate`.
    pub mod tc_netem_rate {
        /// `__u32 rate`: bytes per second.
        pub const RATE: usize = 0;
        /// `__s32 packet_overhead`.
        pub const PACKET_OVERHEAD: usize = 4;
        /// `__u32 cell_size`.
        pub const CELL_SIZE: usize = 8;
        /// `__s32 cell_overhead`.
        pub const CELL_OVERHEAD: usize = 12;
        /// `sizeof(struct tc_netem_rate)`.
        pub const SIZE: usize = 16;
    }

    /// `struct tc_netem_slot`.
    pub mod tc_netem_slot {
        /// `__s64 min_delay`: nanoseconds.
        pub const MIN_DELAY: usize = 0;
        /// `__s64 max_delay`: nanoseconds.
        pub const MAX_DELAY: usize = 8;
        /// `__s32 max_packets`.
        pub const MAX_PACKETS: usize = 16;
        /// `__s32 max_bytes`.
        pub const MAX_BYTES: usize = 20;
        /// `__s64 dist_delay`: nanoseconds.
        pub const DIST_DELAY: usize = 24;
        /// `__s64 dist_jitter`: nanoseconds.
        pub const DIST_JITTER: usize = 32;
        /// `sizeof(struct tc_netem_slot)`.
        pub const SIZE: usize = 40;
    }

    /// `NETEM_LOSS_UNSPEC`.
    pub const NETEM_LOSS_UNSPEC: usize = 0;
    /// `NETEM_LOSS_GI`: `struct tc_netem_gimodel`, the 4-state model.
    pub const NETEM_LOSS_GI: usize = 1;
    /// `NETEM_LOSS_GE`: `struct tc_netem_gemodel`, the Gilbert-Elliot model.
    pub const NETEM_LOSS_GE: usize = 2;
    /// `NETEM_LOSS_MAX`.
    pub const NETEM_LOSS_MAX: usize = 2;

    /// `struct tc_netem_gimodel`: transition probabilities of the 4-state loss model.
    pub mod tc_netem_gimodel {
        /// `__u32 p13`.
        pub const P13: usize = 0;
        /// `__u32 p31`.
        pub const P31: usize = 4;
        /// `__u32 p32`.
        pub const P32: usize = 8;
        /// `__u32 p14`.
        pub const P14: usize = 12;
        /// `__u32 p23`.
        pub const P23: usize = 16;
        /// `sizeof(struct tc_netem_gimodel)`.
        pub const SIZE: usize = 20;
    }

    /// `struct tc_netem_gemodel`: the Gilbert-Elliot loss model.
    pub mod tc_netem_gemodel {
        /// `__u32 p`.
        pub const P: usize = 0;
        /// `__u32 r`.
        pub const R: usize = 4;
        /// `__u32 h`.
        pub const H: usize = 8;
        /// `__u32 k1`.
        pub const K1: usize = 12;
        /// `sizeof(struct tc_netem_gemodel)`.
        pub const SIZE: usize = 16;
    }

    /// `TCA_SFB_UNSPEC`.
    pub const TCA_SFB_UNSPEC: usize = 0;
    /// `TCA_SFB_PARMS`: `struct tc_sfb_qopt`.
    pub const TCA_SFB_PARMS: usize = 1;
    /// `TCA_SFB_MAX`.
    pub const TCA_SFB_MAX: usize = 1;

    /// `struct tc_sfb_qopt`; `increment` and `decrement` are Q0.16.
    pub mod tc_sfb_qopt {
        /// `__u32 rehash_interval`: milliseconds.
        pub const REHASH_INTERVAL: usize = 0;
        /// `__u32 warmup_time`: milliseconds.
        pub const WARMUP_TIME: usize = 4;
        /// `__u32 max`.
        pub const MAX: usize = 8;
        /// `__u32 bin_size`.
        pub const BIN_SIZE: usize = 12;
        /// `__u32 increment`.
        pub const INCREMENT: usize = 16;
        /// `__u32 decrement`.
        pub const DECREMENT: usize = 20;
        /// `__u32 limit`.
        pub const LIMIT: usize = 24;
        /// `__u32 penalty_rate`.
        pub const PENALTY_RATE: usize = 28;
        /// `__u32 penalty_burst`.
        pub const PENALTY_BURST: usize = 32;
        /// `sizeof(struct tc_sfb_qopt)`.
        pub const SIZE: usize = 36;
    }

    /// `struct tc_sfb_xstats`.
    pub mod tc_sfb_xstats {
        /// `__u32 earlydrop`.
        pub const EARLYDROP: usize = 0;
        /// `__u32 penaltydrop`.
        pub const PENALTYDROP: usize = 4;
        /// `__u32 bucketdrop`.
        pub const BUCKETDROP: usize = 8;
        /// `__u32 queuedrop`.
        pub const QUEUEDROP: usize = 12;
        /// `__u32 childdrop`.
        pub const CHILDDROP: usize = 16;
        /// `__u32 marked`.
        pub const MARKED: usize = 20;
        /// `__u32 maxqlen`.
        pub const MAXQLEN: usize = 24;
        /// `__u32 maxprob`: Q0.16.
        pub const MAXPROB: usize = 28;
        /// `__u32 avgprob`: Q0.16.
        pub const AVGPROB: usize = 32;
        /// `sizeof(struct tc_sfb_xstats)`.
        pub const SIZE: usize = 36;
    }

    /// `SFB_MAX_PROB`: probability 1 in SFB's Q0.16.
    pub const SFB_MAX_PROB: u32 = 0xFFFF;

    /// `TCA_CODEL_UNSPEC`.
    pub const TCA_CODEL_UNSPEC: usize = 0;
    /// `TCA_CODEL_TARGET`: `u32` microseconds.
    pub const TCA_CODEL_TARGET: usize = 1;
    /// `TCA_CODEL_LIMIT`: `u32` packets.
    pub const TCA_CODEL_LIMIT: usize = 2;
    /// `TCA_CODEL_INTERVAL`: `u32` microseconds.
    pub const TCA_CODEL_INTERVAL: usize = 3;
    /// `TCA_CODEL_ECN`: `u32` flag.
    pub const TCA_CODEL_ECN: usize = 4;
    /// `TCA_CODEL_CE_THRESHOLD`: `u32` microseconds.
    pub const TCA_CODEL_CE_THRESHOLD: usize = 5;
    /// `TCA_CODEL_MAX`.
    pub const TCA_CODEL_MAX: usize = 5;

    /// `struct tc_codel_xstats`.
    pub mod tc_codel_xstats {
        /// `__u32 maxpacket`: the largest packet seen.
        pub const MAXPACKET: usize = 0;
        /// `__u32 count`: drops since entering the dropping state.
        pub const COUNT: usize = 4;
        /// `__u32 lastcount`: `count` when the dropping state was entered.
        pub const LASTCOUNT: usize = 8;
        /// `__u32 ldelay`: queue delay of the last dequeued packet.
        pub const LDELAY: usize = 12;
        /// `__s32 drop_next`: time to the next drop.
        pub const DROP_NEXT: usize = 16;
        /// `__u32 drop_overlimit`.
        pub const DROP_OVERLIMIT: usize = 20;
        /// `__u32 ecn_mark`.
        pub const ECN_MARK: usize = 24;
        /// `__u32 dropping`: in the dropping state.
        pub const DROPPING: usize = 28;
        /// `__u32 ce_mark`.
        pub const CE_MARK: usize = 32;
        /// `sizeof(struct tc_codel_xstats)`.
        pub const SIZE: usize = 36;
    }

    /// `TCA_FQ_CODEL_UNSPEC`.
    pub const TCA_FQ_CODEL_UNSPEC: usize = 0;
    /// `TCA_FQ_CODEL_TARGET`: `u32` microseconds.
    pub const TCA_FQ_CODEL_TARGET: usize = 1;
    /// `TCA_FQ_CODEL_LIMIT`: `u32` packets.
    pub const TCA_FQ_CODEL_LIMIT: usize = 2;
    /// `TCA_FQ_CODEL_INTERVAL`: `u32` microseconds.
    pub const TCA_FQ_CODEL_INTERVAL: usize = 3;
    /// `TCA_FQ_CODEL_ECN`: `u32` flag.
    pub const TCA_FQ_CODEL_ECN: usize = 4;
    /// `TCA_FQ_CODEL_FLOWS`: `u32`.
    pub const TCA_FQ_CODEL_FLOWS: usize = 5;
    /// `TCA_FQ_CODEL_QUANTUM`: `u32` bytes.
    pub const TCA_FQ_CODEL_QUANTUM: usize = 6;
    /// `TCA_FQ_CODEL_CE_THRESHOLD`: `u32` microseconds.
    pub const TCA_FQ_CODEL_CE_THRESHOLD: usize = 7;
    /// `TCA_FQ_CODEL_DROP_BATCH_SIZE`: `u32`.
    pub const TCA_FQ_CODEL_DROP_BATCH_SIZE: usize = 8;
    /// `TCA_FQ_CODEL_MEMORY_LIMIT`: `u32` bytes.
    pub const TCA_FQ_CODEL_MEMORY_LIMIT: usize = 9;
    /// `TCA_FQ_CODEL_CE_THRESHOLD_SELECTOR`: `u8`.
    pub const TCA_FQ_CODEL_CE_THRESHOLD_SELECTOR: usize = 10;
    /// `TCA_FQ_CODEL_CE_THRESHOLD_MASK`: `u8`.
    pub const TCA_FQ_CODEL_CE_THRESHOLD_MASK: usize = 11;
    /// `TCA_FQ_CODEL_MAX`.
    pub const TCA_FQ_CODEL_MAX: usize = 11;

    /// `TCA_FQ_CODEL_XSTATS_QDISC`: `tc_fq_codel_xstats.type` of a qdisc's statistics.
    pub const TCA_FQ_CODEL_XSTATS_QDISC: u32 = 0;
    /// `TCA_FQ_CODEL_XSTATS_CLASS`: `tc_fq_codel_xstats.type` of a class's (flow's) statistics.
    pub const TCA_FQ_CODEL_XSTATS_CLASS: u32 = 1;

    /// `struct tc_fq_codel_qd_stats`.
    pub mod tc_fq_codel_qd_stats {
        /// `__u32 maxpacket`.
        pub const MAXPACKET: usize = 0;
        /// `__u32 drop_overlimit`.
        pub const DROP_OVERLIMIT: usize = 4;
        /// `__u32 ecn_mark`.
        pub const ECN_MARK: usize = 8;
        /// `__u32 new_flow_count`.
        pub const NEW_FLOW_COUNT: usize = 12;
        /// `__u32 new_flows_len`.
        pub const NEW_FLOWS_LEN: usize = 16;
        /// `__u32 old_flows_len`.
        pub const OLD_FLOWS_LEN: usize = 20;
        /// `__u32 ce_mark`.
        pub const CE_MARK: usize = 24;
        /// `__u32 memory_usage`: bytes.
        pub const MEMORY_USAGE: usize = 28;
        /// `__u32 drop_overmemory`.
        pub const DROP_OVERMEMORY: usize = 32;
        /// `sizeof(struct tc_fq_codel_qd_stats)`.
        pub const SIZE: usize = 36;
    }

    /// `struct tc_fq_codel_cl_stats`.
    pub mod tc_fq_codel_cl_stats {
        /// `__s32 deficit`.
        pub const DEFICIT: usize = 0;
        /// `__u32 ldelay`.
        pub const LDELAY: usize = 4;
        /// `__u32 count`.
        pub const COUNT: usize = 8;
        /// `__u32 lastcount`.
        pub const LASTCOUNT: usize = 12;
        /// `__u32 dropping`.
        pub const DROPPING: usize = 16;
        /// `__s32 drop_next`.
        pub const DROP_NEXT: usize = 20;
        /// `sizeof(struct tc_fq_codel_cl_stats)`.
        pub const SIZE: usize = 24;
    }

    /// `struct tc_fq_codel_xstats`: a type, then a union of the qdisc's or a class's statistics.
    pub mod tc_fq_codel_xstats {
        /// `__u32 type`: `TCA_FQ_CODEL_XSTATS_QDISC` or `TCA_FQ_CODEL_XSTATS_CLASS`.
        pub const TYPE: usize = 0;
        /// `struct tc_fq_codel_qd_stats qdisc_stats` (union member).
        pub const QDISC_STATS: usize = 4;
        /// `struct tc_fq_codel_cl_stats class_stats` (union member).
        pub const CLASS_STATS: usize = 4;
        /// `sizeof(struct tc_fq_codel_xstats)`: `type` and the larger union member.
        pub const SIZE: usize = 40;
    }

    /// `TCA_FQ_UNSPEC`.
    pub const TCA_FQ_UNSPEC: usize = 0;
    /// `TCA_FQ_PLIMIT`: `u32` packets in the queue.
    pub const TCA_FQ_PLIMIT: usize = 1;
    /// `TCA_FQ_FLOW_PLIMIT`: `u32` packets per flow.
    pub const TCA_FQ_FLOW_PLIMIT: usize = 2;
    /// `TCA_FQ_QUANTUM`: `u32` bytes.
    pub const TCA_FQ_QUANTUM: usize = 3;
    /// `TCA_FQ_INITIAL_QUANTUM`: `u32` bytes.
    pub const TCA_FQ_INITIAL_QUANTUM: usize = 4;
    /// `TCA_FQ_RATE_ENABLE`: `u32` flag, pacing.
    pub const TCA_FQ_RATE_ENABLE: usize = 5;
    /// `TCA_FQ_FLOW_DEFAULT_RATE`: `u32`, obsolete.
    pub const TCA_FQ_FLOW_DEFAULT_RATE: usize = 6;
    /// `TCA_FQ_FLOW_MAX_RATE`: `u32` bytes per second, `~0` for none.
    pub const TCA_FQ_FLOW_MAX_RATE: usize = 7;
    /// `TCA_FQ_BUCKETS_LOG`: `u32`, log2 of the buckets.
    pub const TCA_FQ_BUCKETS_LOG: usize = 8;
    /// `TCA_FQ_FLOW_REFILL_DELAY`: `u32` microseconds.
    pub const TCA_FQ_FLOW_REFILL_DELAY: usize = 9;
    /// `TCA_FQ_ORPHAN_MASK`: `u32`.
    pub const TCA_FQ_ORPHAN_MASK: usize = 10;
    /// `TCA_FQ_LOW_RATE_THRESHOLD`: `u32` bytes per second.
    pub const TCA_FQ_LOW_RATE_THRESHOLD: usize = 11;
    /// `TCA_FQ_CE_THRESHOLD`: `u32` microseconds, `~0` for none.
    pub const TCA_FQ_CE_THRESHOLD: usize = 12;
    /// `TCA_FQ_TIMER_SLACK`: `u32` nanoseconds.
    pub const TCA_FQ_TIMER_SLACK: usize = 13;
    /// `TCA_FQ_HORIZON`: `u32` microseconds.
    pub const TCA_FQ_HORIZON: usize = 14;
    /// `TCA_FQ_HORIZON_DROP`: `u8`, drop (1) or cap (0) beyond the horizon.
    pub const TCA_FQ_HORIZON_DROP: usize = 15;
    /// `TCA_FQ_PRIOMAP`: `struct tc_prio_qopt`, priority to band (Linux 6.8+).
    pub const TCA_FQ_PRIOMAP: usize = 16;
    /// `TCA_FQ_WEIGHTS`: `s32[FQ_BANDS]`, the weight of each band (Linux 6.8+).
    pub const TCA_FQ_WEIGHTS: usize = 17;
    /// `TCA_FQ_OFFLOAD_HORIZON`: `u32` microseconds (Linux 6.13+).
    pub const TCA_FQ_OFFLOAD_HORIZON: usize = 18;
    /// `TCA_FQ_MAX`.
    pub const TCA_FQ_MAX: usize = 18;
    /// `FQ_BANDS`: fq's priority bands (Linux 6.8+).
    pub const FQ_BANDS: usize = 3;

    /// `struct tc_fq_qd_stats` as of Linux 6.1 (later kernels append fields).
    pub mod tc_fq_qd_stats {
        /// `__u64 gc_flows`.
        pub const GC_FLOWS: usize = 0;
        /// `__u64 highprio_packets`.
        pub const HIGHPRIO_PACKETS: usize = 8;
        /// `__u64 tcp_retrans`.
        pub const TCP_RETRANS: usize = 16;
        /// `__u64 throttled`: throttle events.
        pub const THROTTLED: usize = 24;
        /// `__u64 flows_plimit`.
        pub const FLOWS_PLIMIT: usize = 32;
        /// `__u64 pkts_too_long`.
        pub const PKTS_TOO_LONG: usize = 40;
        /// `__u64 allocation_errors`.
        pub const ALLOCATION_ERRORS: usize = 48;
        /// `__s64 time_next_delayed_flow`: nanoseconds.
        pub const TIME_NEXT_DELAYED_FLOW: usize = 56;
        /// `__u32 flows`.
        pub const FLOWS: usize = 64;
        /// `__u32 inactive_flows`.
        pub const INACTIVE_FLOWS: usize = 68;
        /// `__u32 throttled_flows`.
        pub const THROTTLED_FLOWS: usize = 72;
        /// `__u32 unthrottle_latency_ns`.
        pub const UNTHROTTLE_LATENCY_NS: usize = 76;
        /// `__u64 ce_mark`.
        pub const CE_MARK: usize = 80;
        /// `__u64 horizon_drops`.
        pub const HORIZON_DROPS: usize = 88;
        /// `__u64 horizon_caps`.
        pub const HORIZON_CAPS: usize = 96;
        /// `__u64 fastpath_packets` (Linux 6.7+).
        pub const FASTPATH_PACKETS: usize = 104;
        /// `__u64 band_drops[FQ_BANDS]` (Linux 6.8+).
        pub const BAND_DROPS: usize = 112;
        /// `__u32 band_pkt_count[FQ_BANDS]` (Linux 6.8+).
        pub const BAND_PKT_COUNT: usize = 136;
        /// `sizeof(struct tc_fq_qd_stats)` in Linux 6.1, which ends after `horizon_caps`.
        pub const SIZE_6_1: usize = 104;
        /// `sizeof(struct tc_fq_qd_stats)` since Linux 6.8 (with `__u32 pad` at 148).
        pub const SIZE: usize = 152;
    }

    /// `TCA_HHF_UNSPEC`.
    pub const TCA_HHF_UNSPEC: usize = 0;
    /// `TCA_HHF_BACKLOG_LIMIT`: `u32` packets.
    pub const TCA_HHF_BACKLOG_LIMIT: usize = 1;
    /// `TCA_HHF_QUANTUM`: `u32` bytes.
    pub const TCA_HHF_QUANTUM: usize = 2;
    /// `TCA_HHF_HH_FLOWS_LIMIT`: `u32`.
    pub const TCA_HHF_HH_FLOWS_LIMIT: usize = 3;
    /// `TCA_HHF_RESET_TIMEOUT`: `u32` microseconds.
    pub const TCA_HHF_RESET_TIMEOUT: usize = 4;
    /// `TCA_HHF_ADMIT_BYTES`: `u32`.
    pub const TCA_HHF_ADMIT_BYTES: usize = 5;
    /// `TCA_HHF_EVICT_TIMEOUT`: `u32` microseconds.
    pub const TCA_HHF_EVICT_TIMEOUT: usize = 6;
    /// `TCA_HHF_NON_HH_WEIGHT`: `u32`.
    pub const TCA_HHF_NON_HH_WEIGHT: usize = 7;
    /// `TCA_HHF_MAX`.
    pub const TCA_HHF_MAX: usize = 7;

    /// `struct tc_hhf_xstats`.
    pub mod tc_hhf_xstats {
        /// `__u32 drop_overlimit`.
        pub const DROP_OVERLIMIT: usize = 0;
        /// `__u32 hh_overlimit`.
        pub const HH_OVERLIMIT: usize = 4;
        /// `__u32 hh_tot_count`.
        pub const HH_TOT_COUNT: usize = 8;
        /// `__u32 hh_cur_count`.
        pub const HH_CUR_COUNT: usize = 12;
        /// `sizeof(struct tc_hhf_xstats)`.
        pub const SIZE: usize = 16;
    }

    /// `TCA_PIE_UNSPEC`.
    pub const TCA_PIE_UNSPEC: usize = 0;
    /// `TCA_PIE_TARGET`: `u32` microseconds.
    pub const TCA_PIE_TARGET: usize = 1;
    /// `TCA_PIE_LIMIT`: `u32` packets.
    pub const TCA_PIE_LIMIT: usize = 2;
    /// `TCA_PIE_TUPDATE`: `u32` microseconds.
    pub const TCA_PIE_TUPDATE: usize = 3;
    /// `TCA_PIE_ALPHA`: `u32`.
    pub const TCA_PIE_ALPHA: usize = 4;
    /// `TCA_PIE_BETA`: `u32`.
    pub const TCA_PIE_BETA: usize = 5;
    /// `TCA_PIE_ECN`: `u32` flag.
    pub const TCA_PIE_ECN: usize = 6;
    /// `TCA_PIE_BYTEMODE`: `u32` flag.
    pub const TCA_PIE_BYTEMODE: usize = 7;
    /// `TCA_PIE_DQ_RATE_ESTIMATOR`: `u32` flag.
    pub const TCA_PIE_DQ_RATE_ESTIMATOR: usize = 8;
    /// `TCA_PIE_MAX`.
    pub const TCA_PIE_MAX: usize = 8;

    /// `struct tc_pie_xstats`.
    pub mod tc_pie_xstats {
        /// `__u64 prob`: scaled to 2^64.
        pub const PROB: usize = 0;
        /// `__u32 delay`.
        pub const DELAY: usize = 8;
        /// `__u32 avg_dq_rate`.
        pub const AVG_DQ_RATE: usize = 12;
        /// `__u32 dq_rate_estimating`: whether `avg_dq_rate` is computed.
        pub const DQ_RATE_ESTIMATING: usize = 16;
        /// `__u32 packets_in`.
        pub const PACKETS_IN: usize = 20;
        /// `__u32 dropped`.
        pub const DROPPED: usize = 24;
        /// `__u32 overlimit`.
        pub const OVERLIMIT: usize = 28;
        /// `__u32 maxq`.
        pub const MAXQ: usize = 32;
        /// `__u32 ecn_mark`.
        pub const ECN_MARK: usize = 36;
        /// `sizeof(struct tc_pie_xstats)`.
        pub const SIZE: usize = 40;
    }

    /// `TCA_FQ_PIE_UNSPEC`.
    pub const TCA_FQ_PIE_UNSPEC: usize = 0;
    /// `TCA_FQ_PIE_LIMIT`: `u32` packets.
    pub const TCA_FQ_PIE_LIMIT: usize = 1;
    /// `TCA_FQ_PIE_FLOWS`: `u32`.
    pub const TCA_FQ_PIE_FLOWS: usize = 2;
    /// `TCA_FQ_PIE_TARGET`: `u32` microseconds.
    pub const TCA_FQ_PIE_TARGET: usize = 3;
    /// `TCA_FQ_PIE_TUPDATE`: `u32` microseconds.
    pub const TCA_FQ_PIE_TUPDATE: usize = 4;
    /// `TCA_FQ_PIE_ALPHA`: `u32`.
    pub const TCA_FQ_PIE_ALPHA: usize = 5;
    /// `TCA_FQ_PIE_BETA`: `u32`.
    pub const TCA_FQ_PIE_BETA: usize = 6;
    /// `TCA_FQ_PIE_QUANTUM`: `u32` bytes.
    pub const TCA_FQ_PIE_QUANTUM: usize = 7;
    /// `TCA_FQ_PIE_MEMORY_LIMIT`: `u32` bytes.
    pub const TCA_FQ_PIE_MEMORY_LIMIT: usize = 8;
    /// `TCA_FQ_PIE_ECN_PROB`: `u32` percent.
    pub const TCA_FQ_PIE_ECN_PROB: usize = 9;
    /// `TCA_FQ_PIE_ECN`: `u32` flag.
    pub const TCA_FQ_PIE_ECN: usize = 10;
    /// `TCA_FQ_PIE_BYTEMODE`: `u32` flag.
    pub const TCA_FQ_PIE_BYTEMODE: usize = 11;
    /// `TCA_FQ_PIE_DQ_RATE_ESTIMATOR`: `u32` flag.
    pub const TCA_FQ_PIE_DQ_RATE_ESTIMATOR: usize = 12;
    /// `TCA_FQ_PIE_MAX`.
    pub const TCA_FQ_PIE_MAX: usize = 12;

    /// `struct tc_fq_pie_xstats`.
    pub mod tc_fq_pie_xstats {
        /// `__u32 packets_in`.
        pub const PACKETS_IN: usize = 0;
        /// `__u32 dropped`.
        pub const DROPPED: usize = 4;
        /// `__u32 overlimit`.
        pub const OVERLIMIT: usize = 8;
        /// `__u32 overmemory`.
        pub const OVERMEMORY: usize = 12;
        /// `__u32 ecn_mark`.
        pub const ECN_MARK: usize = 16;
        /// `__u32 new_flow_count`.
        pub const NEW_FLOW_COUNT: usize = 20;
        /// `__u32 new_flows_len`.
        pub const NEW_FLOWS_LEN: usize = 24;
        /// `__u32 old_flows_len`.
        pub const OLD_FLOWS_LEN: usize = 28;
        /// `__u32 memory_usage`.
        pub const MEMORY_USAGE: usize = 32;
        /// `sizeof(struct tc_fq_pie_xstats)`.
        pub const SIZE: usize = 36;
    }

    /// `TCA_CAKE_UNSPEC`.
    pub const TCA_CAKE_UNSPEC: usize = 0;
    /// `TCA_CAKE_PAD`.
    pub const TCA_CAKE_PAD: usize = 1;
    /// `TCA_CAKE_BASE_RATE64`: `u64` bytes per second, 0 for unlimited.
    pub const TCA_CAKE_BASE_RATE64: usize = 2;
    /// `TCA_CAKE_DIFFSERV_MODE`: `u32` `CAKE_DIFFSERV_*`.
    pub const TCA_CAKE_DIFFSERV_MODE: usize = 3;
    /// `TCA_CAKE_ATM`: `u32` `CAKE_ATM_*`.
    pub const TCA_CAKE_ATM: usize = 4;
    /// `TCA_CAKE_FLOW_MODE`: `u32` `CAKE_FLOW_*`.
    pub const TCA_CAKE_FLOW_MODE: usize = 5;
    /// `TCA_CAKE_OVERHEAD`: `s32` bytes.
    pub const TCA_CAKE_OVERHEAD: usize = 6;
    /// `TCA_CAKE_RTT`: `u32` microseconds.
    pub const TCA_CAKE_RTT: usize = 7;
    /// `TCA_CAKE_TARGET`: `u32` microseconds.
    pub const TCA_CAKE_TARGET: usize = 8;
    /// `TCA_CAKE_AUTORATE`: `u32`.
    pub const TCA_CAKE_AUTORATE: usize = 9;
    /// `TCA_CAKE_MEMORY`: `u32` bytes.
    pub const TCA_CAKE_MEMORY: usize = 10;
    /// `TCA_CAKE_NAT`: `u32` flag.
    pub const TCA_CAKE_NAT: usize = 11;
    /// `TCA_CAKE_RAW`: flag by its presence.
    pub const TCA_CAKE_RAW: usize = 12;
    /// `TCA_CAKE_WASH`: `u32` flag.
    pub const TCA_CAKE_WASH: usize = 13;
    /// `TCA_CAKE_MPU`: `u32` bytes.
    pub const TCA_CAKE_MPU: usize = 14;
    /// `TCA_CAKE_INGRESS`: `u32` flag.
    pub const TCA_CAKE_INGRESS: usize = 15;
    /// `TCA_CAKE_ACK_FILTER`: `u32` `CAKE_ACK_*`.
    pub const TCA_CAKE_ACK_FILTER: usize = 16;
    /// `TCA_CAKE_SPLIT_GSO`: `u32` flag.
    pub const TCA_CAKE_SPLIT_GSO: usize = 17;
    /// `TCA_CAKE_FWMARK`: `u32` mask.
    pub const TCA_CAKE_FWMARK: usize = 18;
    /// `TCA_CAKE_MAX`.
    pub const TCA_CAKE_MAX: usize = 18;

    /// `TCA_CAKE_STATS_PAD` (0 is `__TCA_CAKE_STATS_INVALID`).
    pub const TCA_CAKE_STATS_PAD: usize = 1;
    /// `TCA_CAKE_STATS_CAPACITY_ESTIMATE64`: `u64` bytes per second.
    pub const TCA_CAKE_STATS_CAPACITY_ESTIMATE64: usize = 2;
    /// `TCA_CAKE_STATS_MEMORY_LIMIT`: `u32` bytes.
    pub const TCA_CAKE_STATS_MEMORY_LIMIT: usize = 3;
    /// `TCA_CAKE_STATS_MEMORY_USED`: `u32` bytes.
    pub const TCA_CAKE_STATS_MEMORY_USED: usize = 4;
    /// `TCA_CAKE_STATS_AVG_NETOFF`: `u32`.
    pub const TCA_CAKE_STATS_AVG_NETOFF: usize = 5;
    /// `TCA_CAKE_STATS_MIN_NETLEN`: `u32`.
    pub const TCA_CAKE_STATS_MIN_NETLEN: usize = 6;
    /// `TCA_CAKE_STATS_MAX_NETLEN`: `u32`.
    pub const TCA_CAKE_STATS_MAX_NETLEN: usize = 7;
    /// `TCA_CAKE_STATS_MIN_ADJLEN`: `u32`.
    pub const TCA_CAKE_STATS_MIN_ADJLEN: usize = 8;
    /// `TCA_CAKE_STATS_MAX_ADJLEN`: `u32`.
    pub const TCA_CAKE_STATS_MAX_ADJLEN: usize = 9;
    /// `TCA_CAKE_STATS_TIN_STATS`: nest of tins, numbered from 1.
    pub const TCA_CAKE_STATS_TIN_STATS: usize = 10;
    /// `TCA_CAKE_STATS_DEFICIT`: `s32`.
    pub const TCA_CAKE_STATS_DEFICIT: usize = 11;
    /// `TCA_CAKE_STATS_COBALT_COUNT`: `u32`.
    pub const TCA_CAKE_STATS_COBALT_COUNT: usize = 12;
    /// `TCA_CAKE_STATS_DROPPING`: `u32` flag.
    pub const TCA_CAKE_STATS_DROPPING: usize = 13;
    /// `TCA_CAKE_STATS_DROP_NEXT_US`: `s32`.
    pub const TCA_CAKE_STATS_DROP_NEXT_US: usize = 14;
    /// `TCA_CAKE_STATS_P_DROP`: `u32`.
    pub const TCA_CAKE_STATS_P_DROP: usize = 15;
    /// `TCA_CAKE_STATS_BLUE_TIMER_US`: `s32`.
    pub const TCA_CAKE_STATS_BLUE_TIMER_US: usize = 16;
    /// `TCA_CAKE_STATS_MAX`.
    pub const TCA_CAKE_STATS_MAX: usize = 16;

    /// `TCA_CAKE_TIN_STATS_PAD` (0 is `__TCA_CAKE_TIN_STATS_INVALID`).
    pub const TCA_CAKE_TIN_STATS_PAD: usize = 1;
    /// `TCA_CAKE_TIN_STATS_SENT_PACKETS`: `u32`.
    pub const TCA_CAKE_TIN_STATS_SENT_PACKETS: usize = 2;
    /// `TCA_CAKE_TIN_STATS_SENT_BYTES64`: `u64`.
    pub const TCA_CAKE_TIN_STATS_SENT_BYTES64: usize = 3;
    /// `TCA_CAKE_TIN_STATS_DROPPED_PACKETS`: `u32`.
    pub const TCA_CAKE_TIN_STATS_DROPPED_PACKETS: usize = 4;
    /// `TCA_CAKE_TIN_STATS_DROPPED_BYTES64`: `u64`.
    pub const TCA_CAKE_TIN_STATS_DROPPED_BYTES64: usize = 5;
    /// `TCA_CAKE_TIN_STATS_ACKS_DROPPED_PACKETS`: `u32`.
    pub const TCA_CAKE_TIN_STATS_ACKS_DROPPED_PACKETS: usize = 6;
    /// `TCA_CAKE_TIN_STATS_ACKS_DROPPED_BYTES64`: `u64`.
    pub const TCA_CAKE_TIN_STATS_ACKS_DROPPED_BYTES64: usize = 7;
    /// `TCA_CAKE_TIN_STATS_ECN_MARKED_PACKETS`: `u32`.
    pub const TCA_CAKE_TIN_STATS_ECN_MARKED_PACKETS: usize = 8;
    /// `TCA_CAKE_TIN_STATS_ECN_MARKED_BYTES64`: `u64`.
    pub const TCA_CAKE_TIN_STATS_ECN_MARKED_BYTES64: usize = 9;
    /// `TCA_CAKE_TIN_STATS_BACKLOG_PACKETS`: `u32`.
    pub const TCA_CAKE_TIN_STATS_BACKLOG_PACKETS: usize = 10;
    /// `TCA_CAKE_TIN_STATS_BACKLOG_BYTES`: `u32`.
    pub const TCA_CAKE_TIN_STATS_BACKLOG_BYTES: usize = 11;
    /// `TCA_CAKE_TIN_STATS_THRESHOLD_RATE64`: `u64` bytes per second.
    pub const TCA_CAKE_TIN_STATS_THRESHOLD_RATE64: usize = 12;
    /// `TCA_CAKE_TIN_STATS_TARGET_US`: `u32`.
    pub const TCA_CAKE_TIN_STATS_TARGET_US: usize = 13;
    /// `TCA_CAKE_TIN_STATS_INTERVAL_US`: `u32`.
    pub const TCA_CAKE_TIN_STATS_INTERVAL_US: usize = 14;
    /// `TCA_CAKE_TIN_STATS_WAY_INDIRECT_HITS`: `u32`.
    pub const TCA_CAKE_TIN_STATS_WAY_INDIRECT_HITS: usize = 15;
    /// `TCA_CAKE_TIN_STATS_WAY_MISSES`: `u32`.
    pub const TCA_CAKE_TIN_STATS_WAY_MISSES: usize = 16;
    /// `TCA_CAKE_TIN_STATS_WAY_COLLISIONS`: `u32`.
    pub const TCA_CAKE_TIN_STATS_WAY_COLLISIONS: usize = 17;
    /// `TCA_CAKE_TIN_STATS_PEAK_DELAY_US`: `u32`.
    pub const TCA_CAKE_TIN_STATS_PEAK_DELAY_US: usize = 18;
    /// `TCA_CAKE_TIN_STATS_AVG_DELAY_US`: `u32`.
    pub const TCA_CAKE_TIN_STATS_AVG_DELAY_US: usize = 19;
    /// `TCA_CAKE_TIN_STATS_BASE_DELAY_US`: `u32`.
    pub const TCA_CAKE_TIN_STATS_BASE_DELAY_US: usize = 20;
    /// `TCA_CAKE_TIN_STATS_SPARSE_FLOWS`: `u32`.
    pub const TCA_CAKE_TIN_STATS_SPARSE_FLOWS: usize = 21;
    /// `TCA_CAKE_TIN_STATS_BULK_FLOWS`: `u32`.
    pub const TCA_CAKE_TIN_STATS_BULK_FLOWS: usize = 22;
    /// `TCA_CAKE_TIN_STATS_UNRESPONSIVE_FLOWS`: `u32`.
    pub const TCA_CAKE_TIN_STATS_UNRESPONSIVE_FLOWS: usize = 23;
    /// `TCA_CAKE_TIN_STATS_MAX_SKBLEN`: `u32` bytes.
    pub const TCA_CAKE_TIN_STATS_MAX_SKBLEN: usize = 24;
    /// `TCA_CAKE_TIN_STATS_FLOW_QUANTUM`: `u32` bytes.
    pub const TCA_CAKE_TIN_STATS_FLOW_QUANTUM: usize = 25;
    /// `TCA_CAKE_TIN_STATS_MAX`.
    pub const TCA_CAKE_TIN_STATS_MAX: usize = 25;
    /// `TC_CAKE_MAX_TINS`.
    pub const TC_CAKE_MAX_TINS: usize = 8;

    // cake's flow and diffserv modes index tc's name tables, hence usize; its ACK filter and ATM
    // modes are matched against the u32 attribute values, hence u32.
    /// `CAKE_FLOW_NONE`: flowblind.
    pub const CAKE_FLOW_NONE: usize = 0;
    /// `CAKE_FLOW_SRC_IP`.
    pub const CAKE_FLOW_SRC_IP: usize = 1;
    /// `CAKE_FLOW_DST_IP`.
    pub const CAKE_FLOW_DST_IP: usize = 2;
    /// `CAKE_FLOW_HOSTS`.
    pub const CAKE_FLOW_HOSTS: usize = 3;
    /// `CAKE_FLOW_FLOWS`.
    pub const CAKE_FLOW_FLOWS: usize = 4;
    /// `CAKE_FLOW_DUAL_SRC`.
    pub const CAKE_FLOW_DUAL_SRC: usize = 5;
    /// `CAKE_FLOW_DUAL_DST`.
    pub const CAKE_FLOW_DUAL_DST: usize = 6;
    /// `CAKE_FLOW_TRIPLE`.
    pub const CAKE_FLOW_TRIPLE: usize = 7;
    /// `CAKE_FLOW_MAX`: the number of flow modes.
    pub const CAKE_FLOW_MAX: usize = 8;

    /// `CAKE_DIFFSERV_DIFFSERV3`.
    pub const CAKE_DIFFSERV_DIFFSERV3: usize = 0;
    /// `CAKE_DIFFSERV_DIFFSERV4`.
    pub const CAKE_DIFFSERV_DIFFSERV4: usize = 1;
    /// `CAKE_DIFFSERV_DIFFSERV8`.
    pub const CAKE_DIFFSERV_DIFFSERV8: usize = 2;
    /// `CAKE_DIFFSERV_BESTEFFORT`.
    pub const CAKE_DIFFSERV_BESTEFFORT: usize = 3;
    /// `CAKE_DIFFSERV_PRECEDENCE`.
    pub const CAKE_DIFFSERV_PRECEDENCE: usize = 4;
    /// `CAKE_DIFFSERV_MAX`: the number of diffserv modes.
    pub const CAKE_DIFFSERV_MAX: usize = 5;

    /// `CAKE_ACK_NONE`.
    pub const CAKE_ACK_NONE: u32 = 0;
    /// `CAKE_ACK_FILTER`.
    pub const CAKE_ACK_FILTER: u32 = 1;
    /// `CAKE_ACK_AGGRESSIVE`.
    pub const CAKE_ACK_AGGRESSIVE: u32 = 2;

    /// `CAKE_ATM_NONE`.
    pub const CAKE_ATM_NONE: u32 = 0;
    /// `CAKE_ATM_ATM`.
    pub const CAKE_ATM_ATM: u32 = 1;
    /// `CAKE_ATM_PTM`.
    pub const CAKE_ATM_PTM: u32 = 2;

    /// `TCA_ETS_UNSPEC`.
    pub const TCA_ETS_UNSPEC: usize = 0;
    /// `TCA_ETS_NBANDS`: `u8`.
    pub const TCA_ETS_NBANDS: usize = 1;
    /// `TCA_ETS_NSTRICT`: `u8`.
    pub const TCA_ETS_NSTRICT: usize = 2;
    /// `TCA_ETS_QUANTA`: nest of `TCA_ETS_QUANTA_BAND`.
    pub const TCA_ETS_QUANTA: usize = 3;
    /// `TCA_ETS_QUANTA_BAND`: `u32` bytes.
    pub const TCA_ETS_QUANTA_BAND: usize = 4;
    /// `TCA_ETS_PRIOMAP`: nest of `TCA_ETS_PRIOMAP_BAND`.
    pub const TCA_ETS_PRIOMAP: usize = 5;
    /// `TCA_ETS_PRIOMAP_BAND`: `u8`.
    pub const TCA_ETS_PRIOMAP_BAND: usize = 6;
    /// `TCA_ETS_MAX`.
    pub const TCA_ETS_MAX: usize = 6;
    /// `struct tc_multiq_qopt`: multiq's options.
    pub mod tc_multiq_qopt {
        /// `__u16 bands`: bands in use.
        pub const BANDS: usize = 0;
        /// `__u16 max_bands`: the device's transmit queues.
        pub const MAX_BANDS: usize = 2;
        /// `sizeof(struct tc_multiq_qopt)`.
        pub const SIZE: usize = 4;
    }

    /// `struct tc_skbprio_qopt`: skbprio's options.
    pub mod tc_skbprio_qopt {
        /// `__u32 limit`: packets.
        pub const LIMIT: usize = 0;
        /// `sizeof(struct tc_skbprio_qopt)`.
        pub const SIZE: usize = 4;
    }

    /// `TCA_QFQ_WEIGHT`: `u32` (a class option; the qdisc itself dumps none).
    pub const TCA_QFQ_WEIGHT: usize = 1;
    /// `TCA_QFQ_LMAX`: `u32` bytes (a class option).
    pub const TCA_QFQ_LMAX: usize = 2;
    /// `TCA_QFQ_MAX`.
    pub const TCA_QFQ_MAX: usize = 2;

    /// `MAX_DPs`: gred's virtual queues (drop precedences).
    pub const MAX_DPS: usize = 16;
    /// `TCA_GRED_PARMS`: `struct tc_gred_qopt[MAX_DPs]`.
    pub const TCA_GRED_PARMS: usize = 1;
    /// `TCA_GRED_STAB`: the idle damping table (set only).
    pub const TCA_GRED_STAB: usize = 2;
    /// `TCA_GRED_DPS`: `struct tc_gred_sopt`.
    pub const TCA_GRED_DPS: usize = 3;
    /// `TCA_GRED_MAX_P`: `u32[MAX_DPs]`.
    pub const TCA_GRED_MAX_P: usize = 4;
    /// `TCA_GRED_LIMIT`: `u32` bytes.
    pub const TCA_GRED_LIMIT: usize = 5;
    /// `TCA_GRED_VQ_LIST`: nest of `TCA_GRED_VQ_ENTRY` (Linux 5.0+).
    pub const TCA_GRED_VQ_LIST: usize = 6;
    /// `TCA_GRED_MAX`.
    pub const TCA_GRED_MAX: usize = 6;
    /// `TCA_GRED_VQ_ENTRY`: nest of `TCA_GRED_VQ_*`.
    pub const TCA_GRED_VQ_ENTRY: u16 = 1;
    /// `TCA_GRED_VQ_DP`: `u32`.
    pub const TCA_GRED_VQ_DP: usize = 2;
    /// `TCA_GRED_VQ_STAT_BYTES`: `u64`.
    pub const TCA_GRED_VQ_STAT_BYTES: usize = 3;
    /// `TCA_GRED_VQ_STAT_PACKETS`: `u32`.
    pub const TCA_GRED_VQ_STAT_PACKETS: usize = 4;
    /// `TCA_GRED_VQ_STAT_BACKLOG`: `u32`.
    pub const TCA_GRED_VQ_STAT_BACKLOG: usize = 5;
    /// `TCA_GRED_VQ_STAT_PROB_DROP`: `u32`.
    pub const TCA_GRED_VQ_STAT_PROB_DROP: usize = 6;
    /// `TCA_GRED_VQ_STAT_PROB_MARK`: `u32`.
    pub const TCA_GRED_VQ_STAT_PROB_MARK: usize = 7;
    /// `TCA_GRED_VQ_STAT_FORCED_DROP`: `u32`.
    pub const TCA_GRED_VQ_STAT_FORCED_DROP: usize = 8;
    /// `TCA_GRED_VQ_STAT_FORCED_MARK`: `u32`.
    pub const TCA_GRED_VQ_STAT_FORCED_MARK: usize = 9;
    /// `TCA_GRED_VQ_STAT_PDROP`: `u32`.
    pub const TCA_GRED_VQ_STAT_PDROP: usize = 10;
    /// `TCA_GRED_VQ_STAT_OTHER`: `u32`.
    pub const TCA_GRED_VQ_STAT_OTHER: usize = 11;
    /// `TCA_GRED_VQ_FLAGS`: `u32` `TC_RED_*`.
    pub const TCA_GRED_VQ_FLAGS: usize = 12;
    /// `TCA_GRED_VQ_MAX`.
    pub const TCA_GRED_VQ_MAX: usize = 12;

    /// `struct tc_gred_qopt`: one virtual queue of gred, with its statistics.
    pub mod tc_gred_qopt {
        /// `__u32 limit`: bytes.
        pub const LIMIT: usize = 0;
        /// `__u32 qth_min`: bytes.
        pub const QTH_MIN: usize = 4;
        /// `__u32 qth_max`: bytes.
        pub const QTH_MAX: usize = 8;
        /// `__u32 DP`: the virtual queue's number; `MAX_DPs` or more for an unused slot.
        pub const DP: usize = 12;
        /// `__u32 backlog`: bytes.
        pub const BACKLOG: usize = 16;
        /// `__u32 qave`: the average queue length, bytes.
        pub const QAVE: usize = 20;
        /// `__u32 forced`: forced drops.
        pub const FORCED: usize = 24;
        /// `__u32 early`: early (probabilistic) drops.
        pub const EARLY: usize = 28;
        /// `__u32 other`.
        pub const OTHER: usize = 32;
        /// `__u32 pdrop`.
        pub const PDROP: usize = 36;
        /// `__u8 Wlog`.
        pub const WLOG: usize = 40;
        /// `__u8 Plog`.
        pub const PLOG: usize = 41;
        /// `__u8 Scell_log`.
        pub const SCELL_LOG: usize = 42;
        /// `__u8 prio`.
        pub const PRIO: usize = 43;
        /// `__u32 packets`.
        pub const PACKETS: usize = 44;
        /// `__u32 bytesin`.
        pub const BYTESIN: usize = 48;
        /// `sizeof(struct tc_gred_qopt)`.
        pub const SIZE: usize = 52;
    }

    /// `struct tc_gred_sopt`: gred's global options.
    pub mod tc_gred_sopt {
        /// `__u32 DPs`: virtual queues.
        pub const DPS: usize = 0;
        /// `__u32 def_DP`: the default virtual queue.
        pub const DEF_DP: usize = 4;
        /// `__u8 grio`.
        pub const GRIO: usize = 8;
        /// `__u8 flags`: `TC_RED_*`.
        pub const FLAGS: usize = 9;
        /// `sizeof(struct tc_gred_sopt)`.
        pub const SIZE: usize = 12;
    }

    /// `TCA_CBS_PARMS`: `struct tc_cbs_qopt`.
    pub const TCA_CBS_PARMS: usize = 1;
    /// `TCA_CBS_MAX`.
    pub const TCA_CBS_MAX: usize = 1;

    /// `struct tc_cbs_qopt`.
    pub mod tc_cbs_qopt {
        /// `__u8 offload`.
        pub const OFFLOAD: usize = 0;
        /// `__s32 hicredit`.
        pub const HICREDIT: usize = 4;
        /// `__s32 locredit`.
        pub const LOCREDIT: usize = 8;
        /// `__s32 idleslope`.
        pub const IDLESLOPE: usize = 12;
        /// `__s32 sendslope`.
        pub const SENDSLOPE: usize = 16;
        /// `sizeof(struct tc_cbs_qopt)`.
        pub const SIZE: usize = 20;
    }

    /// `TCA_ETF_PARMS`: `struct tc_etf_qopt`.
    pub const TCA_ETF_PARMS: usize = 1;
    /// `TCA_ETF_MAX`.
    pub const TCA_ETF_MAX: usize = 1;
    /// `TC_ETF_DEADLINE_MODE_ON`.
    pub const TC_ETF_DEADLINE_MODE_ON: u32 = 1 << 0;
    /// `TC_ETF_OFFLOAD_ON`.
    pub const TC_ETF_OFFLOAD_ON: u32 = 1 << 1;
    /// `TC_ETF_SKIP_SOCK_CHECK`.
    pub const TC_ETF_SKIP_SOCK_CHECK: u32 = 1 << 2;

    /// `struct tc_etf_qopt`.
    pub mod tc_etf_qopt {
        /// `__s32 delta`: nanoseconds.
        pub const DELTA: usize = 0;
        /// `__s32 clockid`.
        pub const CLOCKID: usize = 4;
        /// `__u32 flags`: `TC_ETF_*`.
        pub const FLAGS: usize = 8;
        /// `sizeof(struct tc_etf_qopt)`.
        pub const SIZE: usize = 12;
    }

    /// `TC_QOPT_MAX_QUEUE`: traffic classes of mqprio and taprio.
    pub const TC_QOPT_MAX_QUEUE: usize = 16;
    /// `TC_MQPRIO_MODE_CHANNEL`.
    pub const TC_MQPRIO_MODE_CHANNEL: u16 = 1;
    /// `TC_MQPRIO_SHAPER_BW_RATE`.
    pub const TC_MQPRIO_SHAPER_BW_RATE: u16 = 1;
    /// `TC_FP_EXPRESS`: an express traffic class (frame preemption).
    pub const TC_FP_EXPRESS: u32 = 1;
    /// `TC_FP_PREEMPTIBLE`: a preemptible traffic class.
    pub const TC_FP_PREEMPTIBLE: u32 = 2;

    /// `struct tc_mqprio_qopt`: mqprio's options, and taprio's `TCA_TAPRIO_ATTR_PRIOMAP`.
    pub mod tc_mqprio_qopt {
        /// `__u8 num_tc`.
        pub const NUM_TC: usize = 0;
        /// `__u8 prio_tc_map[TC_QOPT_BITMASK + 1]`.
        pub const PRIO_TC_MAP: usize = 1;
        /// `__u8 hw`.
        pub const HW: usize = 17;
        /// `__u16 count[TC_QOPT_MAX_QUEUE]`.
        pub const COUNT: usize = 18;
        /// `__u16 offset[TC_QOPT_MAX_QUEUE]`.
        pub const OFFSET: usize = 50;
        /// `sizeof(struct tc_mqprio_qopt)`.
        pub const SIZE: usize = 82;
        /// `NLA_ALIGN(sizeof(struct tc_mqprio_qopt))`: where mqprio's attributes begin.
        pub const ALIGNED: usize = 84;
    }

    /// `TCA_MQPRIO_MODE`: `u16` `TC_MQPRIO_MODE_*`.
    pub const TCA_MQPRIO_MODE: usize = 1;
    /// `TCA_MQPRIO_SHAPER`: `u16` `TC_MQPRIO_SHAPER_*`.
    pub const TCA_MQPRIO_SHAPER: usize = 2;
    /// `TCA_MQPRIO_MIN_RATE64`: nest of `u64` bytes per second, one per class.
    pub const TCA_MQPRIO_MIN_RATE64: usize = 3;
    /// `TCA_MQPRIO_MAX_RATE64`: likewise.
    pub const TCA_MQPRIO_MAX_RATE64: usize = 4;
    /// `TCA_MQPRIO_TC_ENTRY`: nest of `TCA_MQPRIO_TC_ENTRY_*`, one per class (Linux 6.5+).
    pub const TCA_MQPRIO_TC_ENTRY: u16 = 5;
    /// `TCA_MQPRIO_MAX`.
    pub const TCA_MQPRIO_MAX: usize = 5;
    /// `TCA_MQPRIO_TC_ENTRY_INDEX`: `u32`.
    pub const TCA_MQPRIO_TC_ENTRY_INDEX: usize = 1;
    /// `TCA_MQPRIO_TC_ENTRY_FP`: `u32` `TC_FP_*`.
    pub const TCA_MQPRIO_TC_ENTRY_FP: usize = 2;
    /// `TCA_MQPRIO_TC_ENTRY_MAX`.
    pub const TCA_MQPRIO_TC_ENTRY_MAX: usize = 2;

    /// `TC_TAPRIO_CMD_SET_GATES`.
    pub const TC_TAPRIO_CMD_SET_GATES: u8 = 0;
    /// `TC_TAPRIO_CMD_SET_AND_HOLD`.
    pub const TC_TAPRIO_CMD_SET_AND_HOLD: u8 = 1;
    /// `TC_TAPRIO_CMD_SET_AND_RELEASE`.
    pub const TC_TAPRIO_CMD_SET_AND_RELEASE: u8 = 2;
    /// `TCA_TAPRIO_SCHED_ENTRY_INDEX`: `u32`.
    pub const TCA_TAPRIO_SCHED_ENTRY_INDEX: usize = 1;
    /// `TCA_TAPRIO_SCHED_ENTRY_CMD`: `u8`.
    pub const TCA_TAPRIO_SCHED_ENTRY_CMD: usize = 2;
    /// `TCA_TAPRIO_SCHED_ENTRY_GATE_MASK`: `u32`.
    pub const TCA_TAPRIO_SCHED_ENTRY_GATE_MASK: usize = 3;
    /// `TCA_TAPRIO_SCHED_ENTRY_INTERVAL`: `u32` nanoseconds.
    pub const TCA_TAPRIO_SCHED_ENTRY_INTERVAL: usize = 4;
    /// `TCA_TAPRIO_SCHED_ENTRY_MAX`.
    pub const TCA_TAPRIO_SCHED_ENTRY_MAX: usize = 4;
    /// `TCA_TAPRIO_ATTR_PRIOMAP`: `struct tc_mqprio_qopt`.
    pub const TCA_TAPRIO_ATTR_PRIOMAP: usize = 1;
    /// `TCA_TAPRIO_ATTR_SCHED_ENTRY_LIST`: nest of entries.
    pub const TCA_TAPRIO_ATTR_SCHED_ENTRY_LIST: usize = 2;
    /// `TCA_TAPRIO_ATTR_SCHED_BASE_TIME`: `s64` nanoseconds.
    pub const TCA_TAPRIO_ATTR_SCHED_BASE_TIME: usize = 3;
    /// `TCA_TAPRIO_ATTR_SCHED_SINGLE_ENTRY`.
    pub const TCA_TAPRIO_ATTR_SCHED_SINGLE_ENTRY: usize = 4;
    /// `TCA_TAPRIO_ATTR_SCHED_CLOCKID`: `s32`.
    pub const TCA_TAPRIO_ATTR_SCHED_CLOCKID: usize = 5;
    /// `TCA_TAPRIO_PAD`.
    pub const TCA_TAPRIO_PAD: usize = 6;
    /// `TCA_TAPRIO_ATTR_ADMIN_SCHED`: nest, the schedule waiting to take over (dump only).
    pub const TCA_TAPRIO_ATTR_ADMIN_SCHED: usize = 7;
    /// `TCA_TAPRIO_ATTR_SCHED_CYCLE_TIME`: `s64` nanoseconds.
    pub const TCA_TAPRIO_ATTR_SCHED_CYCLE_TIME: usize = 8;
    /// `TCA_TAPRIO_ATTR_SCHED_CYCLE_TIME_EXTENSION`: `s64` nanoseconds.
    pub const TCA_TAPRIO_ATTR_SCHED_CYCLE_TIME_EXTENSION: usize = 9;
    /// `TCA_TAPRIO_ATTR_FLAGS`: `u32`.
    pub const TCA_TAPRIO_ATTR_FLAGS: usize = 10;
    /// `TCA_TAPRIO_ATTR_TXTIME_DELAY`: `u32` nanoseconds.
    pub const TCA_TAPRIO_ATTR_TXTIME_DELAY: usize = 11;
    /// `TCA_TAPRIO_ATTR_TC_ENTRY`: nest of `TCA_TAPRIO_TC_ENTRY_*`, one per class (Linux 6.3+).
    pub const TCA_TAPRIO_ATTR_TC_ENTRY: u16 = 12;
    /// `TCA_TAPRIO_ATTR_MAX`.
    pub const TCA_TAPRIO_ATTR_MAX: usize = 12;
    /// `TCA_TAPRIO_TC_ENTRY_INDEX`: `u32`.
    pub const TCA_TAPRIO_TC_ENTRY_INDEX: usize = 1;
    /// `TCA_TAPRIO_TC_ENTRY_MAX_SDU`: `u32` bytes.
    pub const TCA_TAPRIO_TC_ENTRY_MAX_SDU: usize = 2;
    /// `TCA_TAPRIO_TC_ENTRY_FP`: `u32` `TC_FP_*` (Linux 6.5+).
    pub const TCA_TAPRIO_TC_ENTRY_FP: usize = 3;
    /// `TCA_TAPRIO_TC_ENTRY_MAX`.
    pub const TCA_TAPRIO_TC_ENTRY_MAX: usize = 3;
    /// `TCA_TAPRIO_OFFLOAD_STATS_WINDOW_DROPS`: `u64` (Linux 6.4+, offloaded schedules).
    pub const TCA_TAPRIO_OFFLOAD_STATS_WINDOW_DROPS: usize = 2;
    /// `TCA_TAPRIO_OFFLOAD_STATS_TX_OVERRUNS`: `u64`.
    pub const TCA_TAPRIO_OFFLOAD_STATS_TX_OVERRUNS: usize = 3;
    /// `TCA_TAPRIO_OFFLOAD_STATS_MAX`.
    pub const TCA_TAPRIO_OFFLOAD_STATS_MAX: usize = 3;

    // dualpi2, added in Linux 6.17 (include/uapi/linux/pkt_sched.h of that release).
    /// `TCA_DUALPI2_LIMIT`: `u32` packets.
    pub const TCA_DUALPI2_LIMIT: usize = 1;
    /// `TCA_DUALPI2_MEMORY_LIMIT`: `u32` bytes.
    pub const TCA_DUALPI2_MEMORY_LIMIT: usize = 2;
    /// `TCA_DUALPI2_TARGET`: `u32` microseconds.
    pub const TCA_DUALPI2_TARGET: usize = 3;
    /// `TCA_DUALPI2_TUPDATE`: `u32` microseconds.
    pub const TCA_DUALPI2_TUPDATE: usize = 4;
    /// `TCA_DUALPI2_ALPHA`: `u32` Hz scaled up by 256.
    pub const TCA_DUALPI2_ALPHA: usize = 5;
    /// `TCA_DUALPI2_BETA`: `u32` Hz scaled up by 256.
    pub const TCA_DUALPI2_BETA: usize = 6;
    /// `TCA_DUALPI2_STEP_THRESH_PKTS`: `u32` packets.
    pub const TCA_DUALPI2_STEP_THRESH_PKTS: usize = 7;
    /// `TCA_DUALPI2_STEP_THRESH_US`: `u32` microseconds.
    pub const TCA_DUALPI2_STEP_THRESH_US: usize = 8;
    /// `TCA_DUALPI2_MIN_QLEN_STEP`: `u32` packets.
    pub const TCA_DUALPI2_MIN_QLEN_STEP: usize = 9;
    /// `TCA_DUALPI2_COUPLING`: `u8`.
    pub const TCA_DUALPI2_COUPLING: usize = 10;
    /// `TCA_DUALPI2_DROP_OVERLOAD`: `u8`.
    pub const TCA_DUALPI2_DROP_OVERLOAD: usize = 11;
    /// `TCA_DUALPI2_DROP_EARLY`: `u8`.
    pub const TCA_DUALPI2_DROP_EARLY: usize = 12;
    /// `TCA_DUALPI2_C_PROTECTION`: `u8` percent.
    pub const TCA_DUALPI2_C_PROTECTION: usize = 13;
    /// `TCA_DUALPI2_ECN_MASK`: `u8` `TC_DUALPI2_ECN_MASK_*`.
    pub const TCA_DUALPI2_ECN_MASK: usize = 14;
    /// `TCA_DUALPI2_SPLIT_GSO`: `u8`.
    pub const TCA_DUALPI2_SPLIT_GSO: usize = 15;
    /// `TCA_DUALPI2_MAX`.
    pub const TCA_DUALPI2_MAX: usize = 16;
    /// `TC_DUALPI2_ECN_MASK_L4S_ECT`.
    pub const TC_DUALPI2_ECN_MASK_L4S_ECT: u8 = 1;
    /// `TC_DUALPI2_ECN_MASK_CLA_ECT`.
    pub const TC_DUALPI2_ECN_MASK_CLA_ECT: u8 = 2;
    /// `TC_DUALPI2_ECN_MASK_ANY_ECT`.
    pub const TC_DUALPI2_ECN_MASK_ANY_ECT: u8 = 3;

    /// `struct tc_dualpi2_xstats`.
    pub mod tc_dualpi2_xstats {
        /// `__u32 prob`: the probability, scaled to `u32::MAX`.
        pub const PROB: usize = 0;
        /// `__u32 delay_c`: microseconds.
        pub const DELAY_C: usize = 4;
        /// `__u32 delay_l`: microseconds.
        pub const DELAY_L: usize = 8;
        /// `__u32 packets_in_c`.
        pub const PACKETS_IN_C: usize = 12;
        /// `__u32 packets_in_l`.
        pub const PACKETS_IN_L: usize = 16;
        /// `__u32 maxq`.
        pub const MAXQ: usize = 20;
        /// `__u32 ecn_mark`.
        pub const ECN_MARK: usize = 24;
        /// `__u32 step_marks`.
        pub const STEP_MARKS: usize = 28;
        /// `__s32 credit`.
        pub const CREDIT: usize = 32;
        /// `__u32 memory_used`.
        pub const MEMORY_USED: usize = 36;
        /// `__u32 max_memory_used`.
        pub const MAX_MEMORY_USED: usize = 40;
        /// `__u32 memory_limit`.
        pub const MEMORY_LIMIT: usize = 44;
        /// `sizeof(struct tc_dualpi2_xstats)`.
        pub const SIZE: usize = 48;
    }
}

/// `include/uapi/linux/if_link.h`, the parts libc lacks (libc has the `IFLA_*` link attributes).
pub mod if_link {
    // u16, like libc's IFLA_* and the attribute type the link reader compares them with.
    /// `IFLA_STATS_UNSPEC`: also the 64-bit padding attribute.
    pub const IFLA_STATS_UNSPEC: u16 = 0;
    /// `IFLA_STATS_LINK_64`: `struct rtnl_link_stats64`.
    pub const IFLA_STATS_LINK_64: u16 = 1;
    /// `IFLA_STATS_LINK_XSTATS`.
    pub const IFLA_STATS_LINK_XSTATS: u16 = 2;
    /// `IFLA_STATS_LINK_XSTATS_SLAVE`.
    pub const IFLA_STATS_LINK_XSTATS_SLAVE: u16 = 3;
    /// `IFLA_STATS_LINK_OFFLOAD_XSTATS`.
    pub const IFLA_STATS_LINK_OFFLOAD_XSTATS: u16 = 4;
    /// `IFLA_STATS_AF_SPEC`.
    pub const IFLA_STATS_AF_SPEC: u16 = 5;
    /// `IFLA_STATS_MAX`.
    pub const IFLA_STATS_MAX: u16 = 5;

    /// `IFLA_XDP_ATTACHED` (in `IFLA_XDP`): `u8` attach mode, `XDP_ATTACHED_*`.
    pub const IFLA_XDP_ATTACHED: u16 = 2;
    /// `IFLA_XDP_PROG_ID`: `u32` id of the program when only one is attached.
    pub const IFLA_XDP_PROG_ID: u16 = 4;
    /// `IFLA_XDP_DRV_PROG_ID`: `u32` id of the native (driver) program.
    pub const IFLA_XDP_DRV_PROG_ID: u16 = 5;
    /// `IFLA_XDP_SKB_PROG_ID`: `u32` id of the generic (skb) program.
    pub const IFLA_XDP_SKB_PROG_ID: u16 = 6;
    /// `IFLA_XDP_HW_PROG_ID`: `u32` id of the offloaded program.
    pub const IFLA_XDP_HW_PROG_ID: u16 = 7;
    /// `XDP_ATTACHED_NONE`.
    pub const XDP_ATTACHED_NONE: u8 = 0;
    /// `XDP_ATTACHED_DRV`.
    pub const XDP_ATTACHED_DRV: u8 = 1;
    /// `XDP_ATTACHED_SKB`.
    pub const XDP_ATTACHED_SKB: u8 = 2;
    /// `XDP_ATTACHED_HW`.
    pub const XDP_ATTACHED_HW: u8 = 3;
    /// `XDP_ATTACHED_MULTI`.
    pub const XDP_ATTACHED_MULTI: u8 = 4;

    /// `IFLA_PARENT_DEV_NAME`: string, the name of the link's device on its bus.
    pub const IFLA_PARENT_DEV_NAME: u16 = 56;
    /// `IFLA_PARENT_DEV_BUS_NAME`: string, the bus of the link's device.
    pub const IFLA_PARENT_DEV_BUS_NAME: u16 = 57;

    /// `IFLA_PROTO_DOWN_REASON_VALUE` (in `IFLA_PROTO_DOWN_REASON`): `u32` bit set of reasons.
    pub const IFLA_PROTO_DOWN_REASON_VALUE: u16 = 2;

    /// `IFLA_VF_INFO`: one VF's nest in `IFLA_VFINFO_LIST`.
    pub const IFLA_VF_INFO: u16 = 1;
    /// `IFLA_VF_MAC`: `struct ifla_vf_mac`.
    pub const IFLA_VF_MAC: u16 = 1;
    /// `IFLA_VF_VLAN`: `struct ifla_vf_vlan`.
    pub const IFLA_VF_VLAN: u16 = 2;
    /// `IFLA_VF_TX_RATE`: `struct ifla_vf_tx_rate`.
    pub const IFLA_VF_TX_RATE: u16 = 3;
    /// `IFLA_VF_SPOOFCHK`: `struct ifla_vf_spoofchk`.
    pub const IFLA_VF_SPOOFCHK: u16 = 4;
    /// `IFLA_VF_LINK_STATE`: `struct ifla_vf_link_state`.
    pub const IFLA_VF_LINK_STATE: u16 = 5;
    /// `IFLA_VF_RATE`: `struct ifla_vf_rate`.
    pub const IFLA_VF_RATE: u16 = 6;
    /// `IFLA_VF_RSS_QUERY_EN`: `struct ifla_vf_rss_query_en`.
    pub const IFLA_VF_RSS_QUERY_EN: u16 = 7;
    /// `IFLA_VF_STATS`: nest of `IFLA_VF_STATS_*` `u64` counters.
    pub const IFLA_VF_STATS: u16 = 8;
    /// `IFLA_VF_TRUST`: `struct ifla_vf_trust`.
    pub const IFLA_VF_TRUST: u16 = 9;
    /// `IFLA_VF_IB_NODE_GUID`: `struct ifla_vf_guid`.
    pub const IFLA_VF_IB_NODE_GUID: u16 = 10;
    /// `IFLA_VF_IB_PORT_GUID`: `struct ifla_vf_guid`.
    pub const IFLA_VF_IB_PORT_GUID: u16 = 11;
    /// `IFLA_VF_VLAN_LIST`: nest of `IFLA_VF_VLAN_INFO`.
    pub const IFLA_VF_VLAN_LIST: u16 = 12;
    /// `IFLA_VF_BROADCAST`: `struct ifla_vf_broadcast`.
    pub const IFLA_VF_BROADCAST: u16 = 13;
    /// `IFLA_VF_VLAN_INFO` (in `IFLA_VF_VLAN_LIST`): `struct ifla_vf_vlan_info`.
    pub const IFLA_VF_VLAN_INFO: u16 = 1;
    /// `IFLA_VF_LINK_STATE_AUTO`.
    pub const IFLA_VF_LINK_STATE_AUTO: u32 = 0;
    /// `IFLA_VF_LINK_STATE_ENABLE`.
    pub const IFLA_VF_LINK_STATE_ENABLE: u32 = 1;

    /// `IFLA_VF_STATS_*` (in `IFLA_VF_STATS`): `u64` counters.
    pub mod ifla_vf_stats {
        /// `IFLA_VF_STATS_RX_PACKETS`.
        pub const RX_PACKETS: usize = 0;
        /// `IFLA_VF_STATS_TX_PACKETS`.
        pub const TX_PACKETS: usize = 1;
        /// `IFLA_VF_STATS_RX_BYTES`.
        pub const RX_BYTES: usize = 2;
        /// `IFLA_VF_STATS_TX_BYTES`.
        pub const TX_BYTES: usize = 3;
        /// `IFLA_VF_STATS_BROADCAST`.
        pub const BROADCAST: usize = 4;
        /// `IFLA_VF_STATS_MULTICAST`.
        pub const MULTICAST: usize = 5;
        /// `IFLA_VF_STATS_RX_DROPPED`.
        pub const RX_DROPPED: usize = 7;
        /// `IFLA_VF_STATS_TX_DROPPED`.
        pub const TX_DROPPED: usize = 8;
        /// `IFLA_VF_STATS_MAX`.
        pub const MAX: usize = 8;
    }

    /// `struct ifla_vf_mac { __u32 vf; __u8 mac[32]; }`.
    pub mod ifla_vf_mac {
        /// `__u32 vf`.
        pub const VF: usize = 0;
        /// `__u8 mac[32]`.
        pub const MAC: usize = 4;
        /// `sizeof`.
        pub const SIZE: usize = 36;
    }

    /// `struct ifla_vf_vlan { __u32 vf, vlan, qos; }`.
    pub mod ifla_vf_vlan {
        /// `__u32 vlan`.
        pub const VLAN: usize = 4;
        /// `__u32 qos`.
        pub const QOS: usize = 8;
        /// `sizeof`.
        pub const SIZE: usize = 12;
    }

    /// `struct ifla_vf_vlan_info { __u32 vf, vlan, qos; __be16 vlan_proto; }`.
    pub mod ifla_vf_vlan_info {
        /// `__u32 vlan`.
        pub const VLAN: usize = 4;
        /// `__u32 qos`.
        pub const QOS: usize = 8;
        /// `__be16 vlan_proto`.
        pub const VLAN_PROTO: usize = 12;
        /// `sizeof` (padded).
        pub const SIZE: usize = 16;
    }

    /// `struct ifla_vf_tx_rate { __u32 vf, rate; }`; `ifla_vf_spoofchk`, `ifla_vf_link_state`,
    /// `ifla_vf_trust` and `ifla_vf_rss_query_en` have the same layout (`vf`, then the value).
    pub mod ifla_vf_setting {
        /// The `__u32` value after `vf` (`rate`, `setting`, `link_state`).
        pub const VALUE: usize = 4;
        /// `sizeof`.
        pub const SIZE: usize = 8;
    }

    /// `struct ifla_vf_rate { __u32 vf, min_tx_rate, max_tx_rate; }`.
    pub mod ifla_vf_rate {
        /// `__u32 min_tx_rate`.
        pub const MIN_TX_RATE: usize = 4;
        /// `__u32 max_tx_rate`.
        pub const MAX_TX_RATE: usize = 8;
        /// `sizeof`.
        pub const SIZE: usize = 12;
    }

    /// `struct ifla_vf_guid { __u32 vf; __u64 guid; }`.
    pub mod ifla_vf_guid {
        /// `__u64 guid` (after 4 bytes of padding).
        pub const GUID: usize = 8;
        /// `sizeof`.
        pub const SIZE: usize = 16;
    }

    /// `struct if_stats_msg`: the header of `RTM_NEWSTATS` (padding fields left out).
    pub mod if_stats_msg {
        /// `__u8 family`.
        pub const FAMILY: usize = 0;
        /// `__u32 ifindex`.
        pub const IFINDEX: usize = 4;
        /// `__u32 filter_mask`.
        pub const FILTER_MASK: usize = 8;
        /// `sizeof(struct if_stats_msg)`.
        pub const SIZE: usize = 12;
    }
}

/// `include/uapi/linux/bpf.h`: what reading a program's information by id needs.
pub mod bpf {
    /// `BPF_PROG_GET_FD_BY_ID`.
    pub const BPF_PROG_GET_FD_BY_ID: i32 = 13;
    /// `BPF_OBJ_GET_INFO_BY_FD`.
    pub const BPF_OBJ_GET_INFO_BY_FD: i32 = 15;
    /// `BPF_TAG_SIZE`.
    pub const BPF_TAG_SIZE: usize = 8;
    /// `BPF_OBJ_NAME_LEN`.
    pub const BPF_OBJ_NAME_LEN: usize = 16;

    /// `struct bpf_prog_info`, up to and including `name`.
    pub mod bpf_prog_info {
        /// `__u32 id`.
        pub const ID: usize = 4;
        /// `__u8 tag[BPF_TAG_SIZE]`.
        pub const TAG: usize = 8;
        /// `__u32 jited_prog_len`.
        pub const JITED_PROG_LEN: usize = 16;
        /// `char name[BPF_OBJ_NAME_LEN]`.
        pub const NAME: usize = 64;
        /// Bytes up to the end of `name`: what is asked of the kernel.
        pub const SIZE: usize = 80;
    }
}

/// `include/uapi/linux/if_arp.h`, the `ARPHRD_*` libc lacks.
pub mod if_arp {
    /// `ARPHRD_IEEE802154_MONITOR`: IEEE 802.15.4 network monitor.
    pub const ARPHRD_IEEE802154_MONITOR: u16 = 805;
    /// `ARPHRD_PHONET`: PhoNet media type.
    pub const ARPHRD_PHONET: u16 = 820;
    /// `ARPHRD_PHONET_PIPE`: PhoNet pipe header.
    pub const ARPHRD_PHONET_PIPE: u16 = 821;
    /// `ARPHRD_CAIF`: CAIF media type.
    pub const ARPHRD_CAIF: u16 = 822;
    /// `ARPHRD_6LOWPAN`: IPv6 over low-power wireless networks.
    pub const ARPHRD_6LOWPAN: u16 = 825;
    /// `ARPHRD_VOID`: void type, nothing is known.
    pub const ARPHRD_VOID: u16 = 0xFFFF;
    /// `ARPHRD_NONE`: zero header length.
    pub const ARPHRD_NONE: u16 = 0xFFFE;
    /// `ARPHRD_IP6GRE`: GRE over IPv6.
    pub const ARPHRD_IP6GRE: u16 = 823;
    /// `ARPHRD_NETLINK`: the link type of nlmon devices and of netlink captures.
    pub const ARPHRD_NETLINK: u16 = 824;
}

/// `include/uapi/linux/sock_diag.h`.
pub mod sock_diag {
    /// `SOCK_DIAG_BY_FAMILY`: the request and reply message type of socket dumps.
    pub const SOCK_DIAG_BY_FAMILY: u16 = 20;

    /// `SK_MEMINFO_RMEM_ALLOC`: index in the `INET_DIAG_SKMEMINFO` array of `u32`.
    pub const SK_MEMINFO_RMEM_ALLOC: usize = 0;
    /// `SK_MEMINFO_RCVBUF`.
    pub const SK_MEMINFO_RCVBUF: usize = 1;
    /// `SK_MEMINFO_WMEM_ALLOC`.
    pub const SK_MEMINFO_WMEM_ALLOC: usize = 2;
    /// `SK_MEMINFO_SNDBUF`.
    pub const SK_MEMINFO_SNDBUF: usize = 3;
    /// `SK_MEMINFO_FWD_ALLOC`.
    pub const SK_MEMINFO_FWD_ALLOC: usize = 4;
    /// `SK_MEMINFO_WMEM_QUEUED`.
    pub const SK_MEMINFO_WMEM_QUEUED: usize = 5;
    /// `SK_MEMINFO_OPTMEM`.
    pub const SK_MEMINFO_OPTMEM: usize = 6;
    /// `SK_MEMINFO_BACKLOG`.
    pub const SK_MEMINFO_BACKLOG: usize = 7;
    /// `SK_MEMINFO_DROPS`.
    pub const SK_MEMINFO_DROPS: usize = 8;
    /// `SK_MEMINFO_VARS`: the number of entries.
    pub const SK_MEMINFO_VARS: usize = 9;
}

/// `include/uapi/linux/inet_diag.h`.
pub mod inet_diag {
    /// `INET_DIAG_NONE`.
    pub const INET_DIAG_NONE: usize = 0;
    /// `INET_DIAG_MEMINFO`: `struct inet_diag_meminfo`.
    pub const INET_DIAG_MEMINFO: usize = 1;
    /// `INET_DIAG_INFO`: `struct tcp_info` for TCP.
    pub const INET_DIAG_INFO: usize = 2;
    /// `INET_DIAG_VEGASINFO`: `struct tcpvegas_info`.
    pub const INET_DIAG_VEGASINFO: usize = 3;
    /// `INET_DIAG_CONG`: the congestion control's name.
    pub const INET_DIAG_CONG: usize = 4;
    /// `INET_DIAG_TOS`: `u8`.
    pub const INET_DIAG_TOS: usize = 5;
    /// `INET_DIAG_TCLASS`: `u8`.
    pub const INET_DIAG_TCLASS: usize = 6;
    /// `INET_DIAG_SKMEMINFO`: `u32[SK_MEMINFO_VARS]`.
    pub const INET_DIAG_SKMEMINFO: usize = 7;
    /// `INET_DIAG_SHUTDOWN`: `u8`.
    pub const INET_DIAG_SHUTDOWN: usize = 8;
    /// `INET_DIAG_DCTCPINFO`: `struct tcp_dctcp_info`.
    pub const INET_DIAG_DCTCPINFO: usize = 9;
    /// `INET_DIAG_PROTOCOL`: `u8`.
    pub const INET_DIAG_PROTOCOL: usize = 10;
    /// `INET_DIAG_SKV6ONLY`: `u8`.
    pub const INET_DIAG_SKV6ONLY: usize = 11;
    /// `INET_DIAG_LOCALS`.
    pub const INET_DIAG_LOCALS: usize = 12;
    /// `INET_DIAG_PEERS`.
    pub const INET_DIAG_PEERS: usize = 13;
    /// `INET_DIAG_PAD`.
    pub const INET_DIAG_PAD: usize = 14;
    /// `INET_DIAG_MARK`: `u32`.
    pub const INET_DIAG_MARK: usize = 15;
    /// `INET_DIAG_BBRINFO`: `struct tcp_bbr_info`.
    pub const INET_DIAG_BBRINFO: usize = 16;
    /// `INET_DIAG_CLASS_ID`: `u32`.
    pub const INET_DIAG_CLASS_ID: usize = 17;
    /// `INET_DIAG_MD5SIG`.
    pub const INET_DIAG_MD5SIG: usize = 18;
    /// `INET_DIAG_ULP_INFO`.
    pub const INET_DIAG_ULP_INFO: usize = 19;
    /// `INET_DIAG_SK_BPF_STORAGES`.
    pub const INET_DIAG_SK_BPF_STORAGES: usize = 20;
    /// `INET_DIAG_CGROUP_ID`: `u64`.
    pub const INET_DIAG_CGROUP_ID: usize = 21;
    /// `INET_DIAG_SOCKOPT`: `struct inet_diag_sockopt`.
    pub const INET_DIAG_SOCKOPT: usize = 22;
    /// `INET_DIAG_MAX`.
    pub const INET_DIAG_MAX: usize = 22;

    /// `struct inet_diag_sockid`: ports and addresses in network byte order.
    pub mod inet_diag_sockid {
        /// `__be16 idiag_sport`.
        pub const IDIAG_SPORT: usize = 0;
        /// `__be16 idiag_dport`.
        pub const IDIAG_DPORT: usize = 2;
        /// `__be32 idiag_src[4]`: an IPv4 address uses the first 4 bytes.
        pub const IDIAG_SRC: usize = 4;
        /// `__be32 idiag_dst[4]`.
        pub const IDIAG_DST: usize = 20;
        /// `__u32 idiag_if`.
        pub const IDIAG_IF: usize = 36;
        /// `__u32 idiag_cookie[2]`.
        pub const IDIAG_COOKIE: usize = 40;
        /// `sizeof(struct inet_diag_sockid)`.
        pub const SIZE: usize = 48;
    }

    /// `struct inet_diag_msg`: the head of each socket in a `SOCK_DIAG_BY_FAMILY` reply.
    pub mod inet_diag_msg {
        /// `__u8 idiag_family`.
        pub const IDIAG_FAMILY: usize = 0;
        /// `__u8 idiag_state`.
        pub const IDIAG_STATE: usize = 1;
        /// `__u8 idiag_timer`.
        pub const IDIAG_TIMER: usize = 2;
        /// `__u8 idiag_retrans`.
        pub const IDIAG_RETRANS: usize = 3;
        /// `struct inet_diag_sockid id`.
        pub const ID: usize = 4;
        /// `__u32 idiag_expires`: milliseconds.
        pub const IDIAG_EXPIRES: usize = 52;
        /// `__u32 idiag_rqueue`.
        pub const IDIAG_RQUEUE: usize = 56;
        /// `__u32 idiag_wqueue`.
        pub const IDIAG_WQUEUE: usize = 60;
        /// `__u32 idiag_uid`.
        pub const IDIAG_UID: usize = 64;
        /// `__u32 idiag_inode`.
        pub const IDIAG_INODE: usize = 68;
        /// `sizeof(struct inet_diag_msg)`.
        pub const SIZE: usize = 72;
    }

    /// `struct inet_diag_meminfo`: `INET_DIAG_MEMINFO`.
    pub mod inet_diag_meminfo {
        /// `__u32 idiag_rmem`.
        pub const IDIAG_RMEM: usize = 0;
        /// `__u32 idiag_wmem`.
        pub const IDIAG_WMEM: usize = 4;
        /// `__u32 idiag_fmem`.
        pub const IDIAG_FMEM: usize = 8;
        /// `__u32 idiag_tmem`.
        pub const IDIAG_TMEM: usize = 12;
        /// `sizeof(struct inet_diag_meminfo)`.
        pub const SIZE: usize = 16;
    }

    /// `struct tcpvegas_info`: `INET_DIAG_VEGASINFO`.
    pub mod tcpvegas_info {
        /// `__u32 tcpv_enabled`.
        pub const TCPV_ENABLED: usize = 0;
        /// `__u32 tcpv_rttcnt`.
        pub const TCPV_RTTCNT: usize = 4;
        /// `__u32 tcpv_rtt`.
        pub const TCPV_RTT: usize = 8;
        /// `__u32 tcpv_minrtt`.
        pub const TCPV_MINRTT: usize = 12;
        /// `sizeof(struct tcpvegas_info)`.
        pub const SIZE: usize = 16;
    }

    /// `struct tcp_dctcp_info`: `INET_DIAG_DCTCPINFO`.
    pub mod tcp_dctcp_info {
        /// `__u16 dctcp_enabled`.
        pub const DCTCP_ENABLED: usize = 0;
        /// `__u16 dctcp_ce_state`.
        pub const DCTCP_CE_STATE: usize = 2;
        /// `__u32 dctcp_alpha`.
        pub const DCTCP_ALPHA: usize = 4;
        /// `__u32 dctcp_ab_ecn`.
        pub const DCTCP_AB_ECN: usize = 8;
        /// `__u32 dctcp_ab_tot`.
        pub const DCTCP_AB_TOT: usize = 12;
        /// `sizeof(struct tcp_dctcp_info)`.
        pub const SIZE: usize = 16;
    }

    /// `struct tcp_bbr_info`: `INET_DIAG_BBRINFO`.
    pub mod tcp_bbr_info {
        /// `__u32 bbr_bw_lo`: low 32 bits of the bandwidth estimate.
        pub const BBR_BW_LO: usize = 0;
        /// `__u32 bbr_bw_hi`: high 32 bits.
        pub const BBR_BW_HI: usize = 4;
        /// `__u32 bbr_min_rtt`: microseconds.
        pub const BBR_MIN_RTT: usize = 8;
        /// `__u32 bbr_pacing_gain`: scaled by 256.
        pub const BBR_PACING_GAIN: usize = 12;
        /// `__u32 bbr_cwnd_gain`: scaled by 256.
        pub const BBR_CWND_GAIN: usize = 16;
        /// `sizeof(struct tcp_bbr_info)`.
        pub const SIZE: usize = 20;
    }

    /// `INET_ULP_INFO_*`: the attributes nested in `INET_DIAG_ULP_INFO`.
    pub mod inet_ulp_info {
        /// `INET_ULP_INFO_NAME`: the ULP's name, a NUL-terminated string.
        pub const INET_ULP_INFO_NAME: usize = 1;
        /// `INET_ULP_INFO_TLS`: a nest of `TLS_INFO_*` (`include/uapi/linux/tls.h`).
        pub const INET_ULP_INFO_TLS: usize = 2;
        /// `INET_ULP_INFO_MPTCP`: a nest of `MPTCP_SUBFLOW_ATTR_*` (`include/uapi/linux/mptcp.h`).
        pub const INET_ULP_INFO_MPTCP: usize = 3;
    }
}

/// `include/uapi/linux/tcp.h`.
pub mod tcp {
    /// `TCP_MD5SIG_MAXKEYLEN`.
    pub const TCP_MD5SIG_MAXKEYLEN: usize = 80;

    /// `struct tcp_diag_md5sig`: one key of `INET_DIAG_MD5SIG` (an array of them).
    pub mod tcp_diag_md5sig {
        /// `__u8 tcpm_family`.
        pub const TCPM_FAMILY: usize = 0;
        /// `__u8 tcpm_prefixlen`.
        pub const TCPM_PREFIXLEN: usize = 1;
        /// `__u16 tcpm_keylen`.
        pub const TCPM_KEYLEN: usize = 2;
        /// `__be32 tcpm_addr[4]`: an IPv4 address uses the first 4 bytes.
        pub const TCPM_ADDR: usize = 4;
        /// `__u8 tcpm_key[TCP_MD5SIG_MAXKEYLEN]`.
        pub const TCPM_KEY: usize = 20;
        /// `sizeof(struct tcp_diag_md5sig)`.
        pub const SIZE: usize = 100;
    }
}

/// `include/uapi/linux/tls.h`.
pub mod tls {
    /// `TLS_INFO_VERSION`: `u16`, e.g. `TLS_1_2_VERSION`.
    pub const TLS_INFO_VERSION: usize = 1;
    /// `TLS_INFO_CIPHER`: `u16`, `TLS_CIPHER_*`.
    pub const TLS_INFO_CIPHER: usize = 2;
    /// `TLS_INFO_TXCONF`: `u16`, `TLS_CONF_*`.
    pub const TLS_INFO_TXCONF: usize = 3;
    /// `TLS_INFO_RXCONF`: `u16`, `TLS_CONF_*`.
    pub const TLS_INFO_RXCONF: usize = 4;
    /// `TLS_INFO_ZC_RO_TX`: a flag.
    pub const TLS_INFO_ZC_RO_TX: usize = 5;
    /// `TLS_INFO_RX_NO_PAD`: a flag.
    pub const TLS_INFO_RX_NO_PAD: usize = 6;
    /// `TLS_1_2_VERSION`.
    pub const TLS_1_2_VERSION: u16 = 0x0303;
    /// `TLS_1_3_VERSION`.
    pub const TLS_1_3_VERSION: u16 = 0x0304;
    /// `TLS_CIPHER_AES_GCM_128`.
    pub const TLS_CIPHER_AES_GCM_128: u16 = 51;
    /// `TLS_CIPHER_AES_GCM_256`.
    pub const TLS_CIPHER_AES_GCM_256: u16 = 52;
    /// `TLS_CONF_BASE`.
    pub const TLS_CONF_BASE: u16 = 1;
    /// `TLS_CONF_SW`.
    pub const TLS_CONF_SW: u16 = 2;
    /// `TLS_CONF_HW`.
    pub const TLS_CONF_HW: u16 = 3;
    /// `TLS_CONF_HW_RECORD`.
    pub const TLS_CONF_HW_RECORD: u16 = 4;
}

/// `include/uapi/linux/mptcp.h` (`mptcp_pm.h` since Linux 6.7).
pub mod mptcp {
    /// `MPTCP_SUBFLOW_ATTR_TOKEN_REM`: `u32`.
    pub const MPTCP_SUBFLOW_ATTR_TOKEN_REM: usize = 1;
    /// `MPTCP_SUBFLOW_ATTR_TOKEN_LOC`: `u32`.
    pub const MPTCP_SUBFLOW_ATTR_TOKEN_LOC: usize = 2;
    /// `MPTCP_SUBFLOW_ATTR_RELWRITE_SEQ`: `u32`.
    pub const MPTCP_SUBFLOW_ATTR_RELWRITE_SEQ: usize = 3;
    /// `MPTCP_SUBFLOW_ATTR_MAP_SEQ`: `u64`.
    pub const MPTCP_SUBFLOW_ATTR_MAP_SEQ: usize = 4;
    /// `MPTCP_SUBFLOW_ATTR_MAP_SFSEQ`: `u32`.
    pub const MPTCP_SUBFLOW_ATTR_MAP_SFSEQ: usize = 5;
    /// `MPTCP_SUBFLOW_ATTR_SSN_OFFSET`: `u32`.
    pub const MPTCP_SUBFLOW_ATTR_SSN_OFFSET: usize = 6;
    /// `MPTCP_SUBFLOW_ATTR_MAP_DATALEN`: `u16`.
    pub const MPTCP_SUBFLOW_ATTR_MAP_DATALEN: usize = 7;
    /// `MPTCP_SUBFLOW_ATTR_FLAGS`: `u32`, `MPTCP_SUBFLOW_FLAG_*`.
    pub const MPTCP_SUBFLOW_ATTR_FLAGS: usize = 8;
    /// `MPTCP_SUBFLOW_ATTR_ID_REM`: `u8`.
    pub const MPTCP_SUBFLOW_ATTR_ID_REM: usize = 9;
    /// `MPTCP_SUBFLOW_ATTR_ID_LOC`: `u8`.
    pub const MPTCP_SUBFLOW_ATTR_ID_LOC: usize = 10;
    /// `MPTCP_SUBFLOW_ATTR_PAD`.
    pub const MPTCP_SUBFLOW_ATTR_PAD: usize = 11;
}

/// `include/uapi/linux/inet_diag.h`: the filter bytecode of a dump request.
pub mod inet_diag_bc {
    /// `INET_DIAG_REQ_BYTECODE`: the request attribute that carries a filter program.
    pub const INET_DIAG_REQ_BYTECODE: u16 = 1;
    /// `sizeof(struct inet_diag_bc_op)`: `u8 code; u8 yes; u16 no`.
    pub const OP_SIZE: usize = 4;
    /// `sizeof(struct inet_diag_hostcond)` without the address: `u8 family; u8 prefix_len;
    /// int port`.
    pub const HOSTCOND_SIZE: usize = 8;
    /// `INET_DIAG_BC_JMP`: always takes `no`.
    pub const INET_DIAG_BC_JMP: u8 = 1;
    /// `INET_DIAG_BC_S_GE`: local port `>=` the `no` field of the next operation header.
    pub const INET_DIAG_BC_S_GE: u8 = 2;
    /// `INET_DIAG_BC_S_LE`: local port `<=`.
    pub const INET_DIAG_BC_S_LE: u8 = 3;
    /// `INET_DIAG_BC_D_GE`: remote port `>=`.
    pub const INET_DIAG_BC_D_GE: u8 = 4;
    /// `INET_DIAG_BC_D_LE`: remote port `<=`.
    pub const INET_DIAG_BC_D_LE: u8 = 5;
    /// `INET_DIAG_BC_S_COND`: local address and port (`struct inet_diag_hostcond`).
    pub const INET_DIAG_BC_S_COND: u8 = 7;
    /// `INET_DIAG_BC_D_COND`: remote address and port.
    pub const INET_DIAG_BC_D_COND: u8 = 8;
    /// `INET_DIAG_BC_DEV_COND`: bound interface index (`u32`).
    pub const INET_DIAG_BC_DEV_COND: u8 = 9;
    /// `INET_DIAG_BC_MARK_COND`: `struct inet_diag_markcond { u32 mark, mask }`.
    pub const INET_DIAG_BC_MARK_COND: u8 = 10;
}
