//! Reading `ss -tuinmHOn -o state established` (iproute2 6.1) as the oracle for the ss reader,
//! and comparing our sockets with it.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

/// One socket line: the queue columns, `key:value` tokens and bare words.
#[derive(Debug, Clone, Default)]
pub struct SsLine {
    pub recv_q: u64,
    pub send_q: u64,
    pub values: HashMap<String, String>,
    pub words: HashSet<String>,
}

/// `(netid, local, peer)` as ss prints them.
pub type Key = (String, String, String);

/// Parse the one-line, header-less output (`-HO`); trailing padding is ignored.
pub fn parse_ss(text: &str) -> HashMap<Key, SsLine> {
    let mut out = HashMap::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let mut tokens = line.split_whitespace();
        let mut next = || tokens.next().expect("column").to_owned();
        let (netid, recv_q, send_q, local, peer) = (next(), next(), next(), next(), next());
        // ss 6.1 writes MD5 keys straight to stdout, ahead of its buffered lines (see
        // `leaked_md5_keys`): they end up before a line's first column.
        let netid = ["tcp", "udp"]
            .into_iter()
            .find(|n| netid.ends_with(n))
            .map_or(netid.clone(), str::to_owned);
        let mut s = SsLine {
            recv_q: recv_q.parse().expect("recv-q"),
            send_q: send_q.parse().expect("send-q"),
            ..SsLine::default()
        };
        let rest: Vec<&str> = tokens.collect();
        let mut i = 0;
        while i < rest.len() {
            let t = rest[i];
            // Rates are printed as "name VALUEbps"; kTLS values as "name: VALUE".
            let spaced = t
                .strip_suffix(':')
                .filter(|k| TLS_KEYS.contains(k))
                .or_else(|| {
                    ["send", "pacing_rate", "delivery_rate"]
                        .contains(&t)
                        .then_some(t)
                });
            if let Some(k) = spaced
                && i + 1 < rest.len()
            {
                s.values.insert(k.to_owned(), rest[i + 1].to_owned());
                i += 2;
                continue;
            }
            match t.split_once(':') {
                Some((k, v)) => {
                    s.values.insert(k.to_owned(), v.to_owned());
                }
                None => {
                    s.words.insert(t.to_owned());
                }
            }
            i += 1;
        }
        out.insert((netid, local, peer), s);
    }
    out
}

/// The kTLS values ss 6.1 prints as `name: value` (`tcp_tls_version`, `tcp_tls_cipher`,
/// `tcp_tls_conf`).
const TLS_KEYS: [&str; 4] = ["version", "cipher", "rxconf", "txconf"];

/// The TCP-MD5 keys ss 6.1 printed out of place: its `print_md5sig` writes each key with
/// `print_escape_buf`, which calls `printf` while the rest of the line waits in ss's output
/// buffer, so the keys come out, in the order of the sockets, ahead of the lines (ss 6.15's
/// `out_escape_buf` puts them in place). What precedes a line's netid, concatenated.
pub fn leaked_md5_keys(text: &str) -> String {
    text.lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter_map(|first| {
            ["tcp", "udp"]
                .into_iter()
                .find_map(|n| first.strip_suffix(n))
        })
        .collect()
}

/// Our TCP-MD5 keys in the order of our sockets (the kernel's dump order, which is ss's too),
/// each as ss escapes it: what ss 6.1 printed ahead of its lines ([`leaked_md5_keys`]).
pub fn md5_keys_as_ss_leaks(stats: &Value) -> String {
    stats
        .as_array()
        .expect("stats")
        .iter()
        .filter_map(|s| s.get("md5keys").and_then(Value::as_array))
        .flatten()
        .map(|k| {
            let hex = k["key"].as_str().expect("key");
            let bytes: Vec<u8> = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
                .collect();
            escape(&bytes)
        })
        .collect()
}

/// `bytes` as ss 6.1's `print_escape_buf(…, " ,")` writes them.
pub fn escape(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_graphic() && !matches!(b, b'\\' | b',') {
                (b as char).to_string()
            } else {
                format!("\\{b:03o}")
            }
        })
        .collect()
}

/// ss's address column for an endpoint of our JSON: `addr%ifname:port` or `[addr]%ifname:port`
/// for a socket bound to an interface (ss 6.1's `inet_addr_print` and `sock_addr_print`).
pub fn endpoint(e: &Value) -> String {
    let a = e["address"].as_str().expect("address");
    let port = e["port"].as_u64().expect("port");
    let scope = e
        .get("ifname")
        .map(|n| format!("%{}", n.as_str().expect("ifname")))
        .unwrap_or_default();
    if a.contains(':') {
        format!("[{a}]{scope}:{port}")
    } else {
        format!("{a}{scope}:{port}")
    }
}

/// The bytes of a key as ss 6.1's `print_escape_buf` prints it: printable characters as they
/// are, `\\ooo` (three octal digits) for the rest and for backslash, space and comma.
pub fn unescape(text: &str) -> Vec<u8> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 4 <= b.len() {
            let oct = std::str::from_utf8(&b[i + 1..i + 4]).expect("octal");
            out.push(u8::from_str_radix(oct, 8).expect("octal escape"));
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// Lower-case hex of bytes, as our JSON writes keys.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `md5keys:ADDR/PREFIX=KEY,…` as ss 6.1 prints it (`print_md5sig`), in our JSON's form.
fn md5keys_of_ss(v: &str) -> Value {
    v.split(',')
        .map(|k| {
            let (addr, key) = k.split_once('=').expect("addr/prefix=key");
            let (addr, prefix) = addr.split_once('/').expect("addr/prefix");
            serde_json::json!({
                "address": addr,
                "prefixlen": prefix.parse::<u64>().expect("prefix"),
                "key": hex(&unescape(key)),
            })
        })
        .collect()
}

/// What ss 6.1 prints after `tcp_info` (`tcp_show_info`): `md5keys:…`, `tcp-ulp-NAME`, for kTLS
/// `version: V cipher: C rxconf: R txconf: T` and `zc_ro_tx`, and for an MPTCP subflow
/// `flags:LETTERS token:REM(id:N)/LOC(id:M) seq:N sfseq:N ssnoff:N maplen:N` (hex in 6.1, decimal
/// in 6.15).
fn assert_md5_and_ulp(s: &Value, b: &SsLine, a: &SsLine, ctx: &str, version: Ss) {
    match (s.get("md5keys"), a.values.get("md5keys")) {
        (None, None) => {}
        (Some(ours), Some(theirs)) => {
            let mut theirs = md5keys_of_ss(theirs);
            // ss 6.1 printed the keys elsewhere (`leaked_md5_keys`): compare the rest here.
            if let (Some(o), Some(t)) = (ours.as_array(), theirs.as_array_mut()) {
                for (o, t) in o.iter().zip(t.iter_mut()) {
                    if t["key"] == "" {
                        t["key"] = o["key"].clone();
                    }
                }
            }
            assert_eq!(ours, &theirs, "{ctx}: md5keys");
        }
        (o, t) => panic!("{ctx}: md5keys ours {o:?} ss {t:?}"),
    }
    let ulp_word = a.words.iter().find_map(|w| w.strip_prefix("tcp-ulp-"));
    let ulp = s.get("ulp");
    assert_eq!(
        ulp.and_then(|u| u.get("name")).and_then(Value::as_str),
        ulp_word,
        "{ctx}: ulp name"
    );
    let tls = ulp.and_then(|u| u.get("tls"));
    for k in TLS_KEYS {
        let ours = tls.and_then(|t| t.get(k)).and_then(Value::as_str);
        let ours = match (k, ours) {
            // ss 6.1 names two ciphers and prints nothing for the others.
            ("cipher", Some(c)) if !c.starts_with("aes-gcm-") => None,
            (_, o) => o,
        };
        assert_eq!(ours, a.values.get(k).map(String::as_str), "{ctx}: tls {k}");
    }
    assert_eq!(
        tls.is_some_and(|t| t["zc_ro_tx"] == true),
        a.words.contains("zc_ro_tx"),
        "{ctx}: zc_ro_tx"
    );
    // ss 6.15 also prints `no_pad_rx`; 6.1 does not.
    if a.words.contains("no_pad_rx") {
        assert!(
            tls.is_some_and(|t| t["rx_no_pad"] == true),
            "{ctx}: no_pad_rx"
        );
    }
    let mptcp = ulp.and_then(|u| u.get("mptcp"));
    let field = |k: &str| mptcp.and_then(|m| m.get(k)).and_then(Value::as_u64);
    let flags = mptcp
        .and_then(|m| m.get("flags"))
        .and_then(Value::as_str)
        .filter(|f| !f.is_empty());
    assert_eq!(
        flags,
        a.values.get("flags").map(String::as_str),
        "{ctx}: flags"
    );
    let token = match (
        field("token_rem"),
        field("id_rem"),
        field("token_loc"),
        field("id_loc"),
    ) {
        (Some(tr), Some(ir), Some(tl), Some(il)) => {
            Some(format!("{tr:04x}(id:{ir})/{tl:04x}(id:{il})"))
        }
        _ => None,
    };
    assert_eq!(
        token.as_deref(),
        a.values.get("token").map(String::as_str),
        "{ctx}: token"
    );
    // ss 6.1 prints these in hex, 6.15 in decimal; they move with the data sent.
    for (token, key) in [
        ("seq", "map_seq"),
        ("sfseq", "map_sfseq"),
        ("ssnoff", "ssn_offset"),
        ("maplen", "map_datalen"),
    ] {
        // 64-bit values: compared as integers, not through f64.
        let hex_of = |l: &SsLine| {
            l.values.get(token).map_or(0, |v| {
                let radix = if version == Ss::V6_1 { 16 } else { 10 };
                u64::from_str_radix(v, radix).expect("number")
            })
        };
        match field(key) {
            Some(v) => {
                let (x, y) = (hex_of(b), hex_of(a));
                assert!(
                    (x.min(y)..=x.max(y)).contains(&v),
                    "{ctx} {token}: ours {v:x}, ss {x:x} .. {y:x}"
                );
            }
            None => assert!(!a.values.contains_key(token), "{ctx}: {token}"),
        }
    }
}

/// Our sockets by ss's key.
pub fn keyed(stats: &Value) -> HashMap<Key, &Value> {
    stats
        .as_array()
        .expect("stats")
        .iter()
        .map(|s| {
            let netid = s["netid"].as_str().expect("netid").to_owned();
            ((netid, endpoint(&s["local"]), endpoint(&s["peer"])), s)
        })
        .collect()
}

/// ss 6.1's `print_ms_timer`, to format our expiry as ss does.
pub fn ms_timer(t: u64) -> String {
    let mut secs = t / 1000;
    let minutes = secs / 60;
    secs %= 60;
    let mut msecs = t % 1000;
    let mut buf = String::new();
    if minutes > 0 {
        msecs = 0;
        buf += &format!("{minutes}min");
        if minutes > 9 {
            secs = 0;
        }
    }
    if secs > 0 {
        if secs > 9 {
            msecs = 0;
        }
        buf += &format!("{secs}{}", if msecs > 0 { "." } else { "sec" });
    }
    if msecs > 0 {
        buf += &format!("{msecs:03}ms");
    }
    buf
}

/// The milliseconds a `print_ms_timer` string stands for (its lower bound when coarse), as
/// ss 6.1 and 6.15 print it: 1.44 s is `1.440ms` in 6.1 and `1.440sec` in 6.15; 6.15 prints
/// nothing for a timer due now (0 ms).
pub fn ms_of_timer(s: &str) -> u64 {
    let mut ms = 0;
    let mut rest = s;
    if let Some((m, r)) = rest.split_once("min") {
        ms += m.parse::<u64>().expect("minutes") * 60_000;
        rest = r;
    }
    let sec_milli = |r: &str| {
        let (sec, milli) = r.split_once('.').expect("s.ms");
        sec.parse::<u64>().expect("s") * 1000 + milli.parse::<u64>().expect("ms")
    };
    if let Some(r) = rest.strip_suffix("sec") {
        ms += if r.contains('.') {
            sec_milli(r)
        } else {
            r.parse::<u64>().expect("seconds") * 1000
        };
    } else if let Some(r) = rest.strip_suffix("ms") {
        ms += if r.contains('.') {
            sec_milli(r)
        } else {
            r.parse::<u64>().expect("ms")
        };
    }
    ms
}

fn num(s: &str) -> f64 {
    s.trim_end_matches("bps")
        .parse()
        .unwrap_or_else(|_| panic!("number: {s}"))
}

/// `ours` lies between ss's two readings of a token (absent = 0: ss omits zeros).
pub fn between(ours: f64, before: Option<&str>, after: Option<&str>, what: &str) {
    let b = before.map_or(0.0, num);
    let a = after.map_or(0.0, num);
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    let eps = 1e-9 * hi.abs().max(1.0);
    assert!(
        ours >= lo - eps && ours <= hi + eps,
        "{what}: ours {ours}, ss {b} .. {a}"
    );
}

/// (ss token, tcp_info field, divisor from the kernel's unit to ss's)
const FIELDS: &[(&str, &str, f64)] = &[
    ("rto", "rto", 1000.0),
    ("ato", "ato", 1000.0),
    ("mss", "snd_mss", 1.0),
    ("pmtu", "pmtu", 1.0),
    ("rcvmss", "rcv_mss", 1.0),
    ("advmss", "advmss", 1.0),
    ("cwnd", "snd_cwnd", 1.0),
    ("bytes_sent", "bytes_sent", 1.0),
    ("bytes_retrans", "bytes_retrans", 1.0),
    ("bytes_acked", "bytes_acked", 1.0),
    ("bytes_received", "bytes_received", 1.0),
    ("segs_out", "segs_out", 1.0),
    ("segs_in", "segs_in", 1.0),
    ("data_segs_out", "data_segs_out", 1.0),
    ("data_segs_in", "data_segs_in", 1.0),
    ("lastsnd", "last_data_sent", 1.0),
    ("lastrcv", "last_data_recv", 1.0),
    ("lastack", "last_ack_recv", 1.0),
    ("delivered", "delivered", 1.0),
    ("unacked", "unacked", 1.0),
    ("lost", "lost", 1.0),
    ("backoff", "backoff", 1.0),
    ("rcv_rtt", "rcv_rtt", 1000.0),
    ("rcv_space", "rcv_space", 1.0),
    ("rcv_ssthresh", "rcv_ssthresh", 1.0),
    ("notsent", "notsent_bytes", 1.0),
    ("minrtt", "min_rtt", 1000.0),
    ("snd_wnd", "snd_wnd", 1.0),
    ("sacked", "sacked", 1.0),
    ("fackets", "fackets", 1.0),
    ("dsack_dups", "dsack_dups", 1.0),
    ("reord_seen", "reord_seen", 1.0),
    // Beyond the 232 bytes of Linux 6.1's struct (6.2 added them; ss 6.15 prints them).
    ("rcv_wnd", "rcv_wnd", 1.0),
    ("rehash", "rehash", 1.0),
];

/// The `tcp_info` fields of [`FIELDS`] that Linux 6.1's 232-byte struct does not hold.
const NEWER_FIELDS: &[&str] = &["rcv_wnd", "rehash"];

/// `tcpi_options` bits and the words ss prints for them.
const OPTION_WORDS: &[(u64, &str)] = &[
    (1, "ts"),
    (2, "sack"),
    (8, "ecn"),
    (16, "ecnseen"),
    (32, "fastopen"),
];

/// The comma-separated items of a `(a,b,c)` value.
fn items(v: &str) -> std::str::Split<'_, char> {
    v.trim_start_matches('(').trim_end_matches(')').split(',')
}

fn skmem(l: &SsLine) -> HashMap<String, String> {
    let v = l.values.get("skmem").expect("skmem printed");
    items(v)
        .map(|kv| {
            let split = kv.find(|c: char| c.is_ascii_digit()).expect("digits");
            (kv[..split].to_owned(), kv[split..].to_owned())
        })
        .collect()
}

/// The leading number of a token such as `12ms(40.0%)` or `8000bps/9000bps`.
fn lead(v: &str) -> String {
    v.chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect()
}

/// What ss 6.1 prints from `tcp_info` beyond the plain `name:value` fields: the option words,
/// `app_limited`, `ssthresh` (below 0xFFFF only), `reordering` (when not 3), `pacing_rate` and
/// `delivery_rate` (bytes/s × 8, with `/max` when a maximum pacing rate is set), `busy`,
/// `rwnd_limited` and `sndbuf_limited` (µs / 1000, in ms), and `send`, which ss derives as
/// cwnd × mss × 8 / rtt (Vegas's rtt where Vegas reports one).
fn assert_rates_and_flags(t: &Value, s: &Value, b: &SsLine, a: &SsLine, ctx: &str) {
    let get = |f: &str| t.get(f).and_then(Value::as_u64);
    if let Some(options) = get("options") {
        for (bit, word) in OPTION_WORDS {
            assert_eq!(
                options & bit != 0,
                a.words.contains(*word),
                "{ctx}: option {word}"
            );
        }
    }
    if let Some(app_limited) = get("delivery_rate_app_limited") {
        assert_eq!(
            app_limited != 0,
            a.words.contains("app_limited"),
            "{ctx}: app_limited"
        );
    }
    let pair = |k: &str| {
        (
            b.values.get(k).map(|v| lead(v)),
            a.values.get(k).map(|v| lead(v)),
        )
    };
    let check = |ours: f64, k: &str| {
        let (x, y) = pair(k);
        between(ours, x.as_deref(), y.as_deref(), &format!("{ctx} {k}"));
    };
    if let Some(v) = get("snd_ssthresh") {
        check(if v < 0xFFFF { v as f64 } else { 0.0 }, "ssthresh");
    }
    if let Some(v) = get("reordering") {
        if v == 3 {
            assert!(!a.values.contains_key("reordering"), "{ctx}: reordering");
        } else {
            check(v as f64, "reordering");
        }
    }
    if let Some(v) = get("pacing_rate") {
        check(v as f64 * 8.0, "pacing_rate");
        let max = get("max_pacing_rate").unwrap_or(u64::MAX);
        if v != 0 && max != u64::MAX {
            let shown = a.values["pacing_rate"]
                .split_once('/')
                .map(|(_, m)| lead(m));
            assert_eq!(
                shown,
                Some(format!("{}", max * 8)),
                "{ctx}: max pacing rate"
            );
        }
    }
    if let Some(v) = get("delivery_rate") {
        check(v as f64 * 8.0, "delivery_rate");
    }
    if let Some(busy) = get("busy_time") {
        check((busy / 1000) as f64, "busy");
        if busy != 0 {
            for k in ["rwnd_limited", "sndbuf_limited"] {
                check((get(k).expect("limited") / 1000) as f64, k);
            }
        }
    }
    let mut rtt = t["rtt"].as_f64().expect("rtt");
    let vegas = &s["vegas"];
    if vegas["enabled"].as_u64().is_some_and(|e| e != 0) {
        let v = vegas["rtt"].as_f64().expect("vegas rtt");
        if v != 0.0 && v != f64::from(0x7fff_ffff_u32) {
            rtt = v;
        }
    }
    let cwnd_mss = t["snd_cwnd"].as_f64().expect("cwnd") * t["snd_mss"].as_f64().expect("mss");
    if rtt > 0.0 {
        // %.0f of a value that moves with rtt: compare within a unit either side.
        let send = cwnd_mss * 8_000_000.0 / rtt;
        let (x, y) = pair("send");
        let (x, y) = (
            num(x.as_deref().unwrap_or("0")),
            num(y.as_deref().unwrap_or("0")),
        );
        let (lo, hi) = (x.min(y) - 1.0, x.max(y) + 1.0);
        assert!(
            send >= lo && send <= hi,
            "{ctx} send: ours {send}, ss {x} .. {y}"
        );
    }
}

/// The `name:(k:v,k:v)` block ss prints for a congestion control, as a map.
fn cc_block(l: &SsLine, name: &str) -> Option<HashMap<String, String>> {
    let v = l.values.get(name)?;
    Some(
        items(v)
            .filter_map(|kv| kv.split_once(':'))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
    )
}

/// BBR's and DCTCP's own info as ss 6.1 prints it: `bbr:(bw:Nbps,mrtt:MS,pacing_gain:G,
/// cwnd_gain:G)` (bw in bit/s, `%.0f` with `-n`; gains /256, printed when non-zero) and
/// `dctcp:(ce_state:..,alpha:..,ab_ecn:..,ab_tot:..)` or `dctcp:fallback_mode`.
fn assert_cc_info(s: &Value, b: &SsLine, a: &SsLine, ctx: &str) {
    if let Some(bbr) = s.get("bbr") {
        let (tb, ta) = (
            cc_block(b, "bbr").unwrap_or_else(|| panic!("{ctx}: ss printed no bbr")),
            cc_block(a, "bbr").unwrap_or_else(|| panic!("{ctx}: ss printed no bbr")),
        );
        let field = |k: &str| bbr[k].as_f64().unwrap_or_else(|| panic!("{ctx}: bbr.{k}"));
        let pair = |k: &str| (tb.get(k).map(String::as_str), ta.get(k).map(String::as_str));
        let (x, y) = pair("bw");
        between(field("bw") * 8.0, x, y, &format!("{ctx} bbr bw"));
        // `%g`: six significant digits.
        let g = |v: f64| format!("{:.5e}", v).parse::<f64>().expect("float");
        let (x, y) = pair("mrtt");
        between(
            g(field("min_rtt") / 1000.0),
            x,
            y,
            &format!("{ctx} bbr mrtt"),
        );
        for (ours, theirs) in [("pacing_gain", "pacing_gain"), ("cwnd_gain", "cwnd_gain")] {
            let (x, y) = pair(theirs);
            between(g(field(ours) / 256.0), x, y, &format!("{ctx} bbr {theirs}"));
        }
    } else {
        assert!(
            !a.values.contains_key("bbr"),
            "{ctx}: ss printed bbr, we did not"
        );
    }
    if let Some(d) = s.get("dctcp") {
        let theirs = a
            .values
            .get("dctcp")
            .unwrap_or_else(|| panic!("{ctx}: ss printed no dctcp"));
        if d["enabled"] == 0 {
            assert_eq!(theirs, "fallback_mode", "{ctx} dctcp");
        } else {
            let (tb, ta) = (
                cc_block(b, "dctcp").expect("dctcp"),
                cc_block(a, "dctcp").expect("dctcp"),
            );
            for k in ["ce_state", "alpha", "ab_ecn", "ab_tot"] {
                between(
                    d[k].as_f64().expect("dctcp field"),
                    tb.get(k).map(String::as_str),
                    ta.get(k).map(String::as_str),
                    &format!("{ctx} dctcp {k}"),
                );
            }
        }
    } else {
        assert!(
            !a.values.contains_key("dctcp"),
            "{ctx}: ss printed dctcp, we did not"
        );
    }
}

/// Every value ss printed for this socket equals ours in ss's units, or lies between the two
/// readings for values that move with time. A `tcp_info` shorter than ss 6.1's struct (an
/// older kernel's) is compared on the fields it has. Returns the ss timer name, if any.
pub fn assert_socket(s: &Value, b: &SsLine, a: &SsLine, ctx: &str) -> Option<String> {
    assert_socket_by(s, b, a, ctx, Ss::V6_1)
}

/// Which ss printed a reading: ss 6.1 knows no `tcp_info` field beyond Linux 6.1's struct
/// ([`NEWER_FIELDS`]); ss 6.15 prints them (when not zero).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ss {
    V6_1,
    V6_15,
}

/// [`assert_socket`] against the readings of ss `version`.
pub fn assert_socket_by(
    s: &Value,
    b: &SsLine,
    a: &SsLine,
    ctx: &str,
    version: Ss,
) -> Option<String> {
    let q = |v: u64| v.to_string();
    between(
        s["recv_q"].as_f64().expect("q"),
        Some(&q(b.recv_q)),
        Some(&q(a.recv_q)),
        &format!("{ctx} recv_q"),
    );
    between(
        s["send_q"].as_f64().expect("q"),
        Some(&q(b.send_q)),
        Some(&q(a.send_q)),
        &format!("{ctx} send_q"),
    );
    let (sb, sa) = (skmem(b), skmem(a));
    for letter in ["r", "rb", "t", "tb", "f", "w", "o", "bl", "d"] {
        between(
            s["skmem"][letter].as_f64().expect("skmem"),
            sb.get(letter).map(String::as_str),
            sa.get(letter).map(String::as_str),
            &format!("{ctx} skmem {letter}"),
        );
    }
    if s["netid"] == "udp" {
        assert!(
            s.get("tcp_info").is_none() && s.get("timer").is_none(),
            "{ctx}"
        );
        return None;
    }
    let t = &s["tcp_info"];
    let short = t["len"].as_u64().expect("len") < 232;
    assert!(
        a.words.contains(s["cong"].as_str().expect("cong")),
        "{ctx}: cong"
    );
    if t.get("snd_wscale").is_some() {
        assert_eq!(
            a.values["wscale"],
            format!("{},{}", t["snd_wscale"], t["rcv_wscale"]),
            "{ctx}"
        );
    }
    let get = |f: &str| t.get(f).and_then(Value::as_f64);
    let split = |v: &String| {
        let (x, y) = v.split_once('/').expect("a/b");
        (x.to_owned(), y.to_owned())
    };
    let ((rtt_b, var_b), (rtt_a, var_a)) = (split(&b.values["rtt"]), split(&a.values["rtt"]));
    between(
        get("rtt").expect("rtt") / 1000.0,
        Some(&rtt_b),
        Some(&rtt_a),
        &format!("{ctx} rtt"),
    );
    between(
        get("rttvar").expect("rttvar") / 1000.0,
        Some(&var_b),
        Some(&var_a),
        &format!("{ctx} rttvar"),
    );
    for (token, field, div) in FIELDS {
        if version == Ss::V6_1 && NEWER_FIELDS.contains(field) {
            continue;
        }
        let Some(v) = get(field) else {
            // A struct shorter than Linux 6.1's lacks fields ss read from a longer one (the
            // short capture is compared with a full struct's readings); one of 6.1's length
            // lacks only the newer fields, which ss then cannot have printed.
            if !short {
                assert!(
                    NEWER_FIELDS.contains(field),
                    "{ctx}: tcp_info.{field} missing"
                );
                assert!(
                    !b.values.contains_key(*token) && !a.values.contains_key(*token),
                    "{ctx}: ss printed {token}, our tcp_info has no {field}"
                );
            }
            continue;
        };
        if *token == "rto" && v == 3_000_000.0 {
            continue;
        }
        let (tb, ta) = (b.values.get(*token), a.values.get(*token));
        // Times since the last send, receive or ACK grow until the event recurs (a zero-window
        // probe's ACK, say). When ss's later reading is the smaller, the event came between
        // the readings: ours was read either before it (no smaller than the first reading)
        // or after it (no larger than the second).
        // A retransmission between the readings (ss's retransmit count moved) is such an
        // event too, even when the later reading is not the smaller.
        if token.starts_with("last") {
            let (x, y) = (tb.map_or(0.0, |t| num(t)), ta.map_or(0.0, |t| num(t)));
            if y < x || b.values.get("retrans") != a.values.get("retrans") {
                assert!(v >= x || v <= y, "{ctx} {token}: ours {v}, ss {x} then {y}");
                continue;
            }
        }
        between(
            v / div,
            tb.map(String::as_str),
            ta.map(String::as_str),
            &format!("{ctx} {token}"),
        );
    }
    let retrans = |l: &SsLine| {
        let v = l.values.get("retrans").cloned().unwrap_or("0/0".into());
        let (x, y) = v
            .split_once('/')
            .map(|(x, y)| (x.to_owned(), y.to_owned()))
            .expect("a/b");
        (x, y)
    };
    let ((now_b, total_b), (now_a, total_a)) = (retrans(b), retrans(a));
    between(
        get("retrans").expect("retrans"),
        Some(&now_b),
        Some(&now_a),
        &format!("{ctx} retrans"),
    );
    between(
        get("total_retrans").expect("total"),
        Some(&total_b),
        Some(&total_a),
        &format!("{ctx} total_retrans"),
    );
    assert_cc_info(s, b, a, ctx);
    assert_rates_and_flags(t, s, b, a, ctx);
    assert_md5_and_ulp(s, b, a, ctx, version);
    match (s.get("timer"), a.values.get("timer")) {
        (None, None) => None,
        (Some(ours), Some(theirs)) => {
            let parts: Vec<&str> = items(theirs).collect();
            assert_eq!(ours["name"], parts[0], "{ctx} timer name");
            // Ours was read between the two readings: the count of either.
            let retrans = ours["retrans"].as_u64().map(|r| r.to_string());
            let before_timer = b.values.get("timer").cloned().unwrap_or_default();
            assert!(
                retrans.as_deref() == Some(parts[2])
                    || retrans.as_deref() == items(&before_timer).nth(2),
                "{ctx} timer retrans: ours {retrans:?}, ss {before_timer} then {theirs}"
            );
            let ours_ms = ours["expires_ms"].as_u64().expect("expires");
            let expiry = ms_timer(ours_ms);
            let before_ms = items(&before_timer).nth(1).map(ms_of_timer);
            let after_ms = ms_of_timer(parts[1]);
            let (lo, hi) = match before_ms {
                Some(b) => (b.min(after_ms), b.max(after_ms)),
                None => (after_ms, after_ms),
            };
            // The time left shrinks until the timer fires and is set again (a zero-window
            // probe, a keepalive): when ss's later reading is the larger, it fired between the
            // readings, and ours was read either before (no more than the first reading) or
            // after (no less than the second).
            // A retransmit timer that fired counts one more retransmission.
            let fired = before_ms.is_some_and(|b| after_ms > b)
                || items(&before_timer).nth(2).is_some_and(|r| r != parts[2]);
            let in_range = if fired {
                ours_ms <= lo || ours_ms >= hi
            } else {
                (lo..=hi).contains(&ours_ms)
            };
            assert!(
                parts[1] == expiry || before_timer.contains(&format!(",{expiry},")) || in_range,
                "{ctx} timer expiry {expiry} vs {theirs} / {before_timer}"
            );
            Some(parts[0].to_owned())
        }
        (o, t) => panic!("{ctx}: timer ours {o:?} ss {t:?}"),
    }
}

/// `name:value` tokens the comparison reads: [`FIELDS`] and the ones [`assert_socket`],
/// [`assert_rates_and_flags`] and [`assert_cc_info`] compare.
const COMPARED_VALUES: &[&str] = &[
    "skmem",
    "rtt",
    "wscale",
    "retrans",
    "timer",
    "ssthresh",
    "reordering",
    "pacing_rate",
    "delivery_rate",
    "busy",
    "rwnd_limited",
    "sndbuf_limited",
    "send",
    "bbr",
    "dctcp",
    // TCP-MD5, kTLS and MPTCP subflows (`assert_md5_and_ulp`).
    "md5keys",
    "version",
    "cipher",
    "rxconf",
    "txconf",
    "flags",
    "token",
    "seq",
    "sfseq",
    "ssnoff",
    "maplen",
];

/// Bare words the comparison reads besides the congestion control's name (and `tcp-ulp-NAME`).
const COMPARED_WORDS: &[&str] = &["app_limited", "zc_ro_tx", "no_pad_rx"];

/// Every token ss printed for this socket is one the comparison reads, so that a token a newer
/// ss prints is compared, not passed over: a `name:value` of [`FIELDS`] or
/// [`COMPARED_VALUES`], or a bare word (the congestion control, an option of
/// [`OPTION_WORDS`], `app_limited`).
pub fn assert_tokens_compared(s: &Value, l: &SsLine, ctx: &str) {
    for k in l.values.keys() {
        assert!(
            COMPARED_VALUES.contains(&k.as_str()) || FIELDS.iter().any(|(t, _, _)| t == k),
            "{ctx}: ss printed {k}:{}, which the comparison does not read",
            l.values[k]
        );
    }
    for w in &l.words {
        assert!(
            s["cong"].as_str() == Some(w.as_str())
                || OPTION_WORDS.iter().any(|(_, o)| o == w)
                || COMPARED_WORDS.contains(&w.as_str())
                || w.starts_with("tcp-ulp-"),
            "{ctx}: ss printed {w}, which the comparison does not read"
        );
    }
}
