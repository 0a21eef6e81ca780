//! Socket addresses are written as ss writes them: ss formats with the C library's `inet_ntop`,
//! which is the oracle here — called directly, for the addresses whose text differs most easily
//! (zero runs of every length and place, IPv4-compatible and -mapped forms) and for random ones.

use std::net::{IpAddr, Ipv6Addr};

use netstatspy::model::ss::address::Inet;
use proptest::prelude::*;

// The libc crate does not declare it; the C library has it (POSIX).
unsafe extern "C" {
    #[link_name = "inet_ntop"]
    fn c_inet_ntop(
        af: libc::c_int,
        src: *const libc::c_void,
        dst: *mut libc::c_char,
        size: libc::socklen_t,
    ) -> *const libc::c_char;
}

/// The C library's text of an IPv6 address.
fn inet_ntop(a: Ipv6Addr) -> String {
    let octets = a.octets();
    let mut buf = [0 as libc::c_char; 64];
    // SAFETY: `octets` is a 16-byte in6_addr and `buf` is larger than INET6_ADDRSTRLEN; both
    // outlive the call.
    let p = unsafe {
        c_inet_ntop(
            libc::AF_INET6,
            octets.as_ptr().cast(),
            buf.as_mut_ptr(),
            buf.len() as libc::socklen_t,
        )
    };
    assert!(!p.is_null(), "inet_ntop failed for {a:?}");
    // SAFETY: on success inet_ntop wrote a NUL-terminated string into `buf`.
    unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

fn ours(a: Ipv6Addr) -> String {
    Inet(IpAddr::V6(a)).to_string()
}

#[test]
fn addresses_ss_users_meet_are_written_as_inet_ntop_writes_them() {
    let cases = [
        "::",
        "::1",
        "::2",
        "::10.60.0.1",
        "::ffff:10.60.0.1",
        "::ffff:0:10.60.0.1",
        "64:ff9b::10.60.0.1",
        "fe80::1",
        "2001:db8::1",
        "2001:db8:0:0:1:0:0:1",
        "2001:0:0:1::1",
        "1::",
        "1:0:0:0:0:0:0:0",
        "0:0:1::",
        "0:1:0:0:0:0:0:0",
        "::1:0:0:0:1",
        "1:2:3:4:5:6:7:8",
        "::0.0.1.0",
        "::255.255.255.255",
    ];
    for text in cases {
        let a: Ipv6Addr = text.parse().expect("an address");
        assert_eq!(ours(a), inet_ntop(a), "{text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 20_000,
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    /// Any address, with words drawn so that zero runs of every length and place are common.
    #[test]
    fn every_address_as_inet_ntop_writes_it(
        words in proptest::collection::vec(
            prop_oneof![Just(0u16), Just(0xffff), Just(1), any::<u16>()],
            8,
        )
    ) {
        let w: [u16; 8] = words.try_into().expect("8 words");
        let a = Ipv6Addr::new(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]);
        prop_assert_eq!(ours(a), inet_ntop(a));
    }
}
