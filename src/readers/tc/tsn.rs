//! Decoders of the time-sensitive networking qdiscs: cbs, etf, taprio and mqprio, with the keys
//! `tc -s -j qdisc` prints for them. Where iproute2 6.15 prints more than 6.1 (the per-class
//! `fp` and `max-sdu` lists, taprio's offload statistics and its H/R gate commands), the union
//! is printed; where 6.1 printed a schedule's times as 0 when the kernel left them out, so does
//! this.

use crate::model::tc::{Fields, Value, hex_0x};
use crate::netlink::attrs::{Attrs, Padded, each};
use crate::uapi::pkt_sched::*;

/// tc's name of a clock id (`get_clock_name`), `invalid` for one it does not know.
fn clock_name(id: i32) -> &'static str {
    match id {
        libc::CLOCK_BOOTTIME => "BOOTTIME",
        libc::CLOCK_MONOTONIC => "MONOTONIC",
        libc::CLOCK_REALTIME => "REALTIME",
        libc::CLOCK_TAI => "TAI",
        _ => "invalid",
    }
}

/// cbs: `TCA_CBS_PARMS` (`tc_cbs_qopt`).
pub fn cbs(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_CBS_MAX + 1 }> = Attrs::parse(opt);
    let Some(parms) = a
        .get(TCA_CBS_PARMS)
        .filter(|p| p.len() >= tc_cbs_qopt::SIZE)
    else {
        return;
    };
    let p = Padded::<{ tc_cbs_qopt::SIZE }>::new(parms);
    f.i("hicredit", p.i32(tc_cbs_qopt::HICREDIT));
    f.i("locredit", p.i32(tc_cbs_qopt::LOCREDIT));
    f.i("sendslope", p.i32(tc_cbs_qopt::SENDSLOPE));
    f.i("idleslope", p.i32(tc_cbs_qopt::IDLESLOPE));
    f.i("offload", p.u8(tc_cbs_qopt::OFFLOAD));
}

/// etf: `TCA_ETF_PARMS` (`tc_etf_qopt`).
pub fn etf(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_ETF_MAX + 1 }> = Attrs::parse(opt);
    let Some(parms) = a
        .get(TCA_ETF_PARMS)
        .filter(|p| p.len() >= tc_etf_qopt::SIZE)
    else {
        return;
    };
    let p = Padded::<{ tc_etf_qopt::SIZE }>::new(parms);
    let flags = p.u32(tc_etf_qopt::FLAGS);
    let on_off = |bit: u32| if flags & bit != 0 { "on" } else { "off" };
    f.s("clockid", clock_name(p.i32(tc_etf_qopt::CLOCKID)));
    // tc prints the signed delta through its unsigned JSON printer.
    f.u("delta", p.u32(tc_etf_qopt::DELTA));
    f.s("offload", on_off(TC_ETF_OFFLOAD_ON));
    f.s("deadline_mode", on_off(TC_ETF_DEADLINE_MODE_ON));
    f.s("skip_sock_check", on_off(TC_ETF_SKIP_SOCK_CHECK));
}

/// The frame preemption mark of a traffic class as tc prints it.
fn fp_name(v: u32) -> &'static str {
    match v {
        TC_FP_PREEMPTIBLE => "P",
        TC_FP_EXPRESS => "E",
        _ => "?",
    }
}

/// Values per traffic class gathered from the class entries of an options nest: a list up to
/// the highest class that had one, classes without a value reading 0, as tc prints them.
#[derive(Default)]
struct PerClass {
    values: [u32; TC_QOPT_MAX_QUEUE],
    last: Option<usize>,
}

impl PerClass {
    fn set(&mut self, class: usize, v: u32) {
        if let Some(slot) = self.values.get_mut(class) {
            *slot = v;
            self.last = Some(self.last.map_or(class, |l| l.max(class)));
        }
    }

    fn list(&self, item: impl Fn(u32) -> Value) -> Option<Value> {
        let last = self.last?;
        Some(Value::List(
            self.values
                .iter()
                .take(last + 1)
                .map(|&v| item(v))
                .collect(),
        ))
    }
}

/// The `TC_ENTRY` nests (type `entry`, `NLA_F_NESTED` set, as tc requires) of `bytes`: each
/// class's index and the attributes `wanted` (`(attribute, list)`), gathered per class.
fn class_entries<const N: usize>(
    bytes: &[u8],
    entry: u16,
    index: usize,
    wanted: &mut [(usize, &mut PerClass)],
) {
    // tc matches the type with the nested flag; `each` masks it, so check it on the raw bytes.
    let mut at = 0;
    for (kind, payload) in each(bytes) {
        let raw_type = bytes
            .get(at + 2..at + 4)
            .map(|t| u16::from_ne_bytes([t[0], t[1]]));
        at += (payload.len() + 4 + 3) & !3;
        if kind != entry || raw_type.is_none_or(|t| t & 0x8000 == 0) {
            continue;
        }
        let a: Attrs<N> = Attrs::parse(payload);
        let Some(class) = a.u32(index) else {
            continue;
        };
        for (attr, per) in wanted.iter_mut() {
            if let Some(v) = a.u32(*attr) {
                per.set(class as usize, v);
            }
        }
    }
}

/// The traffic classes of a `tc_mqprio_qopt`: `num_tc`, the map, and per class its count and
/// offset (at most `TC_QOPT_MAX_QUEUE`; tc would read past its arrays for a larger `num_tc`).
fn classes(p: &Padded<{ tc_mqprio_qopt::SIZE }>) -> impl Iterator<Item = (u16, u16)> + '_ {
    (0..usize::from(p.u8(tc_mqprio_qopt::NUM_TC)).min(TC_QOPT_MAX_QUEUE)).map(|i| {
        (
            p.u16(tc_mqprio_qopt::OFFSET + 2 * i),
            p.u16(tc_mqprio_qopt::COUNT + 2 * i),
        )
    })
}

fn prio_tc_map(p: &Padded<{ tc_mqprio_qopt::SIZE }>) -> Value {
    Value::List(
        (0..=TC_PRIO_MAX)
            .map(|i| Value::U(p.u8(tc_mqprio_qopt::PRIO_TC_MAP + i).into()))
            .collect(),
    )
}

/// mqprio: `tc_mqprio_qopt`, then (after its aligned size) `TCA_MQPRIO_*` attributes.
pub fn mqprio(opt: &[u8], f: &mut Fields) {
    let Some(rest) = opt.get(tc_mqprio_qopt::ALIGNED..) else {
        // tc: "options size error".
        return;
    };
    let p = Padded::<{ tc_mqprio_qopt::SIZE }>::new(opt);
    f.u("tc", p.u8(tc_mqprio_qopt::NUM_TC));
    f.push("map", prio_tc_map(&p));
    // Each class as [first queue, last queue], in tc's int arithmetic.
    let queues = classes(&p)
        .map(|(offset, count)| {
            let last = (i32::from(offset) + i32::from(count) - 1) as u32;
            Value::List(vec![Value::U(offset.into()), Value::U(last.into())])
        })
        .collect();
    f.push("queues", Value::List(queues));
    if rest.is_empty() {
        return;
    }
    let a: Attrs<{ TCA_MQPRIO_MAX + 1 }> = Attrs::parse(rest);
    // tc names a mode or shaper only when it is not sent (dcb) or is the other one.
    match a.get(TCA_MQPRIO_MODE) {
        None => f.s("mode", "dcb"),
        Some(m) if Padded::<2>::new(m).u16(0) == TC_MQPRIO_MODE_CHANNEL => f.s("mode", "channel"),
        Some(_) => {}
    }
    match a.get(TCA_MQPRIO_SHAPER) {
        None => f.s("shaper", "dcb"),
        Some(s) if Padded::<2>::new(s).u16(0) == TC_MQPRIO_SHAPER_BW_RATE => {
            f.s("shaper", "bw_rlimit")
        }
        Some(_) => {}
    }
    let num_tc = usize::from(p.u8(tc_mqprio_qopt::NUM_TC)).min(TC_QOPT_MAX_QUEUE);
    for (key, kind) in [
        ("min_rate", TCA_MQPRIO_MIN_RATE64),
        ("max_rate", TCA_MQPRIO_MAX_RATE64),
    ] {
        let Some(nest) = a.get(kind) else { continue };
        let mut rates = [0u64; TC_QOPT_MAX_QUEUE];
        for (n, (k, v)) in each(nest).enumerate() {
            // tc stops printing altogether at an entry of another type.
            if usize::from(k) != kind {
                return;
            }
            if let Some(slot) = rates.get_mut(n) {
                *slot = Padded::<8>::new(v).u64(0);
            }
        }
        let list = rates.iter().take(num_tc).map(|&r| Value::U(r)).collect();
        f.push(key, Value::List(list));
    }
    let mut fp = PerClass::default();
    class_entries::<{ TCA_MQPRIO_TC_ENTRY_MAX + 1 }>(
        rest,
        TCA_MQPRIO_TC_ENTRY,
        TCA_MQPRIO_TC_ENTRY_INDEX,
        &mut [(TCA_MQPRIO_TC_ENTRY_FP, &mut fp)],
    );
    if let Some(list) = fp.list(|v| Value::Str(fp_name(v).into())) {
        f.push("fp", list);
    }
}

/// tc's letter of a gate command.
fn gate_command(cmd: u8) -> &'static str {
    match cmd {
        TC_TAPRIO_CMD_SET_GATES => "S",
        TC_TAPRIO_CMD_SET_AND_HOLD => "H",
        TC_TAPRIO_CMD_SET_AND_RELEASE => "R",
        _ => "Invalid",
    }
}

/// A taprio schedule (the operating one at the top level, or the admin one in its nest).
fn schedule(a: &Attrs<'_, { TCA_TAPRIO_ATTR_MAX + 1 }>, f: &mut Fields) {
    // iproute2 6.1 prints the three times as 0 when they are absent; 6.15 leaves them out.
    for (key, kind) in [
        ("base_time", TCA_TAPRIO_ATTR_SCHED_BASE_TIME),
        ("cycle_time", TCA_TAPRIO_ATTR_SCHED_CYCLE_TIME),
        (
            "cycle_time_extension",
            TCA_TAPRIO_ATTR_SCHED_CYCLE_TIME_EXTENSION,
        ),
    ] {
        // tc prints the signed times with its unsigned 64-bit printer.
        f.u(key, a.u64(kind).unwrap_or(0));
    }
    let Some(list) = a.get(TCA_TAPRIO_ATTR_SCHED_ENTRY_LIST) else {
        return;
    };
    let entries = each(list)
        .map(|(_, entry)| {
            let e: Attrs<{ TCA_TAPRIO_SCHED_ENTRY_MAX + 1 }> = Attrs::parse(entry);
            let mut o = Fields::new();
            // 6.1 prints all four, zero when absent; 6.15 only those sent. The kernel sends
            // all four.
            o.u("index", e.u32(TCA_TAPRIO_SCHED_ENTRY_INDEX).unwrap_or(0));
            o.s(
                "cmd",
                gate_command(e.u8(TCA_TAPRIO_SCHED_ENTRY_CMD).unwrap_or(0)),
            );
            o.s(
                "gatemask",
                hex_0x(e.u32(TCA_TAPRIO_SCHED_ENTRY_GATE_MASK).unwrap_or(0).into()),
            );
            o.u(
                "interval",
                e.u32(TCA_TAPRIO_SCHED_ENTRY_INTERVAL).unwrap_or(0),
            );
            Value::Obj(o)
        })
        .collect();
    f.push("schedule", Value::List(entries));
}

/// taprio: `TCA_TAPRIO_ATTR_*`: the class map, clock, flags, the operating schedule, the admin
/// schedule (`admin`, as 6.15 names it; 6.1 printed it as an object without a key, which is
/// not JSON), and per class `max-sdu` and `fp` (`TCA_TAPRIO_ATTR_TC_ENTRY`).
pub fn taprio(opt: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_TAPRIO_ATTR_MAX + 1 }> = Attrs::parse(opt);
    let Some(map) = a.get(TCA_TAPRIO_ATTR_PRIOMAP) else {
        return;
    };
    let p = Padded::<{ tc_mqprio_qopt::SIZE }>::new(map);
    f.u("tc", p.u8(tc_mqprio_qopt::NUM_TC));
    f.push("map", prio_tc_map(&p));
    let queues = classes(&p)
        .map(|(offset, count)| {
            let mut o = Fields::new();
            o.u("offset", offset);
            o.u("count", count);
            Value::Obj(o)
        })
        .collect();
    f.push("queues", Value::List(queues));
    // iproute2 6.1 prints `invalid` when the kernel sends no clock (a fully offloaded
    // schedule); 6.15 leaves the key out.
    f.s(
        "clockid",
        a.i32(TCA_TAPRIO_ATTR_SCHED_CLOCKID)
            .map_or("invalid", clock_name),
    );
    if let Some(flags) = a.u32(TCA_TAPRIO_ATTR_FLAGS) {
        f.s("flags", hex_0x(flags.into()));
    }
    if let Some(delay) = a.u32(TCA_TAPRIO_ATTR_TXTIME_DELAY) {
        f.u("txtime_delay", delay);
    }
    schedule(&a, f);
    if let Some(admin) = a.get(TCA_TAPRIO_ATTR_ADMIN_SCHED) {
        let t: Attrs<{ TCA_TAPRIO_ATTR_MAX + 1 }> = Attrs::parse(admin);
        let mut o = Fields::new();
        schedule(&t, &mut o);
        f.push("admin", Value::Obj(o));
    }
    let (mut max_sdu, mut fp) = (PerClass::default(), PerClass::default());
    class_entries::<{ TCA_TAPRIO_TC_ENTRY_MAX + 1 }>(
        opt,
        TCA_TAPRIO_ATTR_TC_ENTRY,
        TCA_TAPRIO_TC_ENTRY_INDEX,
        &mut [
            (TCA_TAPRIO_TC_ENTRY_MAX_SDU, &mut max_sdu),
            (TCA_TAPRIO_TC_ENTRY_FP, &mut fp),
        ],
    );
    if let Some(list) = max_sdu.list(|v| Value::U(v.into())) {
        f.push("max-sdu", list);
    }
    if let Some(list) = fp.list(|v| Value::Str(fp_name(v).into())) {
        f.push("fp", list);
    }
}

/// taprio's extended statistics (iproute2 6.15; Linux 6.4+ sends them for offloaded
/// schedules): a nest of `TCA_TAPRIO_OFFLOAD_STATS_*`.
pub fn taprio_xstats(x: &[u8], f: &mut Fields) {
    let a: Attrs<{ TCA_TAPRIO_OFFLOAD_STATS_MAX + 1 }> = Attrs::parse(x);
    if let Some(v) = a.u64(TCA_TAPRIO_OFFLOAD_STATS_WINDOW_DROPS) {
        f.c("window_drops", v);
    }
    if let Some(v) = a.u64(TCA_TAPRIO_OFFLOAD_STATS_TX_OVERRUNS) {
        f.c("tx_overruns", v);
    }
}

#[cfg(test)]
mod tests {
    //! Each struct and attribute is written field by field at the offsets and numbers of
    //! `include/uapi/linux/pkt_sched.h` (written out here, not taken from `uapi`), with a
    //! distinct value per field; the expected keys and values are what iproute2 6.15's
    //! `q_*.c` print for them.
    use super::*;
    use crate::netlink::testing::attribute as attr;
    use crate::readers::tc::kinds::{Ticks, options, xstats};

    fn u(v: u64) -> Value {
        Value::U(v)
    }
    fn s(v: &'static str) -> Value {
        Value::Str(v.into())
    }
    fn obj(entries: Vec<(&'static str, Value)>) -> Value {
        let mut f = Fields::new();
        for (k, v) in entries {
            f.push(k, v);
        }
        Value::Obj(f)
    }
    fn decoded(kind: &str, opt: &[u8]) -> Vec<(&'static str, Value)> {
        options(kind, opt, &Ticks::default()).expect("decoded").0
    }
    fn put(b: &mut [u8], off: usize, v: &[u8]) {
        b[off..off + v.len()].copy_from_slice(v);
    }

    #[test]
    fn cbs_as_tc_prints_it() {
        // struct tc_cbs_qopt: u8 offload @0, s32 hicredit @4, locredit @8, idleslope @12,
        // sendslope @16.
        let mut q = [0u8; 20];
        q[0] = 1;
        put(&mut q, 4, &(-111i32).to_ne_bytes());
        put(&mut q, 8, &(-222i32).to_ne_bytes());
        put(&mut q, 12, &333i32.to_ne_bytes());
        put(&mut q, 16, &(-444i32).to_ne_bytes());
        let opt = attr(1, &q); // TCA_CBS_PARMS
        assert_eq!(
            decoded("cbs", &opt),
            vec![
                ("hicredit", Value::I(-111)),
                ("locredit", Value::I(-222)),
                ("sendslope", Value::I(-444)),
                ("idleslope", Value::I(333)),
                ("offload", Value::I(1)),
            ]
        );
        assert!(decoded("cbs", &attr(1, &q[..19])).is_empty());
    }

    #[test]
    fn etf_as_tc_prints_it() {
        // struct tc_etf_qopt: s32 delta @0, s32 clockid @4, u32 flags @8.
        let mut q = [0u8; 12];
        put(&mut q, 0, &300_000i32.to_ne_bytes());
        put(&mut q, 4, &11i32.to_ne_bytes()); // CLOCK_TAI
        put(&mut q, 8, &0b101u32.to_ne_bytes()); // deadline mode, skip sock check
        assert_eq!(
            decoded("etf", &attr(1, &q)),
            vec![
                ("clockid", s("TAI")),
                ("delta", u(300_000)),
                ("offload", s("off")),
                ("deadline_mode", s("on")),
                ("skip_sock_check", s("on")),
            ]
        );
        // A negative delta through tc's unsigned printer; an unknown clock.
        put(&mut q, 0, &(-5i32).to_ne_bytes());
        put(&mut q, 4, &3i32.to_ne_bytes());
        put(&mut q, 8, &0b010u32.to_ne_bytes());
        let f = decoded("etf", &attr(1, &q));
        assert_eq!(f[0], ("clockid", s("invalid")));
        assert_eq!(f[1], ("delta", u(4_294_967_291)));
        assert_eq!(f[2], ("offload", s("on")));
    }

    /// struct tc_mqprio_qopt (82 bytes): u8 num_tc @0, u8 prio_tc_map[16] @1, u8 hw @17,
    /// u16 count[16] @18, u16 offset[16] @50.
    fn mqprio_qopt(map: &[u8; 16], counts: &[u16], offsets: &[u16]) -> Vec<u8> {
        let mut q = vec![0u8; 82];
        q[0] = counts.len() as u8;
        put(&mut q, 1, map);
        q[17] = 1;
        for (i, c) in counts.iter().enumerate() {
            put(&mut q, 18 + 2 * i, &c.to_ne_bytes());
        }
        for (i, o) in offsets.iter().enumerate() {
            put(&mut q, 50 + 2 * i, &o.to_ne_bytes());
        }
        q
    }

    const MAP: [u8; 16] = [2, 1, 0, 0, 1, 2, 0, 1, 2, 2, 1, 0, 0, 1, 2, 0];

    fn map_value() -> Value {
        Value::List(MAP.iter().map(|&m| u(m.into())).collect())
    }

    fn tc_entry(kind: u16, index: u32, attrs: &[(u16, u32)]) -> Vec<u8> {
        let mut e = attr(1, &index.to_ne_bytes());
        for (k, v) in attrs {
            e.extend(attr(*k, &v.to_ne_bytes()));
        }
        attr(kind | 0x8000, &e)
    }

    #[test]
    fn mqprio_as_tc_prints_it() {
        let mut opt = mqprio_qopt(&MAP, &[2, 3, 4], &[0, 2, 5]);
        opt.resize(84, 0); // NLA_ALIGN(82)
        opt.extend(attr(1, &1u16.to_ne_bytes())); // TCA_MQPRIO_MODE: channel
        opt.extend(attr(2, &1u16.to_ne_bytes())); // TCA_MQPRIO_SHAPER: bw_rlimit
        let rates = |base: u64| {
            (1..=3u64)
                .flat_map(|i| attr(0, &(base * i).to_ne_bytes()))
                .collect::<Vec<u8>>()
        };
        let set_type = |mut b: Vec<u8>, t: u16| {
            for chunk in b.chunks_mut(12) {
                chunk[2..4].copy_from_slice(&t.to_ne_bytes());
            }
            b
        };
        opt.extend(attr(3, &set_type(rates(1000), 3))); // TCA_MQPRIO_MIN_RATE64
        opt.extend(attr(4, &set_type(rates(7000), 4))); // TCA_MQPRIO_MAX_RATE64
        opt.extend(tc_entry(5, 0, &[(2, 1)])); // TCA_MQPRIO_TC_ENTRY: index, fp express
        opt.extend(tc_entry(5, 2, &[(2, 2)])); // preemptible
        let list = |v: Vec<u64>| Value::List(v.into_iter().map(u).collect());
        assert_eq!(
            decoded("mqprio", &opt),
            vec![
                ("tc", u(3)),
                ("map", map_value()),
                (
                    "queues",
                    Value::List(vec![list(vec![0, 1]), list(vec![2, 4]), list(vec![5, 8])])
                ),
                ("mode", s("channel")),
                ("shaper", s("bw_rlimit")),
                ("min_rate", list(vec![1000, 2000, 3000])),
                ("max_rate", list(vec![7000, 14000, 21000])),
                ("fp", Value::List(vec![s("E"), s("?"), s("P")])),
            ]
        );
        // Without attributes (an old kernel, or none set): only the struct. With the struct
        // alone plus padding, tc prints dcb for the mode and shaper it was not sent.
        let mut bare = mqprio_qopt(&MAP, &[1], &[0]);
        bare.resize(84, 0);
        assert_eq!(decoded("mqprio", &bare).len(), 3);
        let mut dcb = bare.clone();
        dcb.extend(attr(3, &set_type(rates(1), 3)));
        let f = decoded("mqprio", &dcb);
        assert_eq!(f[3], ("mode", s("dcb")));
        assert_eq!(f[4], ("shaper", s("dcb")));
        assert_eq!(f[5], ("min_rate", list(vec![1])));
        // Shorter than the aligned struct: nothing, as tc prints nothing.
        assert!(decoded("mqprio", &bare[..83]).is_empty());
    }

    fn sched_entry(index: u32, cmd: u8, mask: u32, interval: u32) -> Vec<u8> {
        // TCA_TAPRIO_SCHED_ENTRY_INDEX 1, _CMD 2 (u8), _GATE_MASK 3, _INTERVAL 4.
        let mut e = attr(1, &index.to_ne_bytes());
        e.extend(attr(2, &[cmd]));
        e.extend(attr(3, &mask.to_ne_bytes()));
        e.extend(attr(4, &interval.to_ne_bytes()));
        attr(1, &e) // TCA_TAPRIO_SCHED_ENTRY
    }

    fn entry_value(index: u64, cmd: &'static str, mask: &'static str, interval: u64) -> Value {
        obj(vec![
            ("index", u(index)),
            ("cmd", s(cmd)),
            ("gatemask", s(mask)),
            ("interval", u(interval)),
        ])
    }

    #[test]
    fn taprio_as_tc_prints_it() {
        let mut opt = attr(1, &mqprio_qopt(&MAP, &[1, 3], &[0, 1])); // TCA_TAPRIO_ATTR_PRIOMAP
        let mut list = sched_entry(0, 0, 0x3, 100_000);
        list.extend(sched_entry(1, 1, 0xc, 200_000));
        opt.extend(attr(2, &list)); // _SCHED_ENTRY_LIST
        opt.extend(attr(3, &1_000_000_000_001i64.to_ne_bytes())); // _SCHED_BASE_TIME
        opt.extend(attr(5, &11i32.to_ne_bytes())); // _SCHED_CLOCKID: TAI
        let mut admin = attr(3, &5i64.to_ne_bytes());
        admin.extend(attr(2, &sched_entry(0, 2, 0x1, 9)));
        admin.extend(attr(8, &9i64.to_ne_bytes()));
        opt.extend(attr(7, &admin)); // _ADMIN_SCHED
        opt.extend(attr(8, &300_000i64.to_ne_bytes())); // _SCHED_CYCLE_TIME
        opt.extend(attr(9, &7_000i64.to_ne_bytes())); // _SCHED_CYCLE_TIME_EXTENSION
        opt.extend(attr(10, &2u32.to_ne_bytes())); // _FLAGS
        opt.extend(attr(11, &500u32.to_ne_bytes())); // _TXTIME_DELAY
        opt.extend(tc_entry(12, 0, &[(2, 1500), (3, 2)])); // _TC_ENTRY: max-sdu, fp
        opt.extend(tc_entry(12, 1, &[(2, 1400), (3, 1)]));
        assert_eq!(
            decoded("taprio", &opt),
            vec![
                ("tc", u(2)),
                ("map", map_value()),
                (
                    "queues",
                    Value::List(vec![
                        obj(vec![("offset", u(0)), ("count", u(1))]),
                        obj(vec![("offset", u(1)), ("count", u(3))]),
                    ])
                ),
                ("clockid", s("TAI")),
                ("flags", s("0x2")),
                ("txtime_delay", u(500)),
                ("base_time", u(1_000_000_000_001)),
                ("cycle_time", u(300_000)),
                ("cycle_time_extension", u(7_000)),
                (
                    "schedule",
                    Value::List(vec![
                        entry_value(0, "S", "0x3", 100_000),
                        entry_value(1, "H", "0xc", 200_000),
                    ])
                ),
                (
                    "admin",
                    obj(vec![
                        ("base_time", u(5)),
                        ("cycle_time", u(9)),
                        ("cycle_time_extension", u(0)),
                        ("schedule", Value::List(vec![entry_value(0, "R", "0x1", 9)])),
                    ])
                ),
                ("max-sdu", Value::List(vec![u(1500), u(1400)])),
                ("fp", Value::List(vec![s("P"), s("E")])),
            ]
        );
        // A class entry without the nested flag is not one tc reads.
        let mut flat = attr(1, &mqprio_qopt(&MAP, &[1], &[0]));
        let mut e = attr(1, &0u32.to_ne_bytes());
        e.extend(attr(2, &1500u32.to_ne_bytes()));
        flat.extend(attr(12, &e));
        let f = decoded("taprio", &flat);
        assert!(f.iter().all(|(k, _)| *k != "max-sdu"));
        // No clock sent (a fully offloaded schedule): 6.1's `invalid`; no schedule: 6.1's
        // zero times.
        assert_eq!(f[3], ("clockid", s("invalid")));
        assert_eq!(f[4], ("base_time", u(0)));
    }

    #[test]
    fn taprio_offload_statistics() {
        // TCA_TAPRIO_OFFLOAD_STATS_WINDOW_DROPS 2, _TX_OVERRUNS 3: u64 each.
        let mut x = attr(2, &41u64.to_ne_bytes());
        x.extend(attr(3, &42u64.to_ne_bytes()));
        let f = xstats("taprio", &x).expect("decoded");
        assert_eq!(f.0, vec![("window_drops", u(41)), ("tx_overruns", u(42))]);
        assert!(f.is_counter(0) && f.is_counter(1));
        assert!(xstats("taprio", &[]).expect("decoded").is_empty());
    }
}
