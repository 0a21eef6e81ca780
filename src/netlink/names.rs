//! Interface names by index, for readers that meet an interface index in their own messages (the
//! ss reader: a socket's bound interface). A name is asked for one link at a time with
//! `RTM_GETLINK` by index (as ss itself asks, statistics left out), only when a reader needs it,
//! and cached until the links change: a run that meets no such index sends nothing.

use std::collections::HashMap;
use std::sync::Arc;

use super::attrs::each;
use super::watch::{LinkEvents, LinkWatch};
use super::{Dumper, NLMSG_HDRLEN, NetlinkError, Request, Transport};
use crate::model::ip::split_name;
use crate::model::ss::extra::IfName;

/// `sizeof(struct ifinfomsg)`.
const IFINFOMSG_LEN: usize = 16;
/// Offset of `ifi_index` in a request: after the netlink header, in `struct ifinfomsg`.
const INDEX_AT: usize = NLMSG_HDRLEN + 4;

/// An `RTM_GETLINK` request for the link `ifindex` alone (`NLM_F_REQUEST`, no dump), with
/// `IFLA_EXT_MASK` = `RTEXT_FILTER_SKIP_STATS`: the name without the counters.
pub fn getlink_by_index(ifindex: u32) -> Vec<u8> {
    let len = NLMSG_HDRLEN + IFINFOMSG_LEN + 8;
    let mut m = Vec::with_capacity(len);
    m.extend_from_slice(&(len as u32).to_ne_bytes());
    m.extend_from_slice(&libc::RTM_GETLINK.to_ne_bytes());
    m.extend_from_slice(&(libc::NLM_F_REQUEST as u16).to_ne_bytes());
    m.extend_from_slice(&[0; 8]); // sequence number (set per request) and port id
    m.extend_from_slice(&[0; IFINFOMSG_LEN]); // AF_UNSPEC, type, index, flags, change
    m.extend_from_slice(&8u16.to_ne_bytes());
    m.extend_from_slice(&libc::IFLA_EXT_MASK.to_ne_bytes());
    m.extend_from_slice(&(libc::RTEXT_FILTER_SKIP_STATS as u32).to_ne_bytes());
    set_index(&mut m, ifindex);
    m
}

/// Set the link index of a [`getlink_by_index`] request.
pub fn set_index(request: &mut [u8], ifindex: u32) {
    if let Some(at) = request.get_mut(INDEX_AT..INDEX_AT + 4) {
        at.copy_from_slice(&ifindex.to_ne_bytes());
    }
}

/// The index and name of an `RTM_NEWLINK` payload, reading nothing else.
pub fn link_name(payload: &[u8]) -> Option<(u32, IfName)> {
    let index = payload.get(4..8)?;
    let index = u32::from_ne_bytes([index[0], index[1], index[2], index[3]]);
    let attrs = payload.get(IFINFOMSG_LEN..)?;
    let (_, name) = each(attrs).find(|(kind, _)| *kind == libc::IFLA_IFNAME)?;
    let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
    let (name, bytes) = split_name(&name[..end]);
    Some((
        index,
        IfName {
            name: Arc::from(name),
            bytes: bytes.map(Arc::from),
        },
    ))
}

/// When cached names must be asked for again.
pub trait NameWatch {
    /// True when links may have changed since the last call: every cached name is dropped.
    fn changed(&mut self) -> bool;
    /// True when the cached name of `ifindex` must be asked for again now (once a sample).
    fn stale(&mut self, ifindex: u32) -> bool;
}

impl NameWatch for LinkEvents {
    fn changed(&mut self) -> bool {
        LinkWatch::changed(self)
    }

    fn stale(&mut self, _: u32) -> bool {
        false
    }
}

impl<W: NameWatch + ?Sized> NameWatch for Box<W> {
    fn changed(&mut self) -> bool {
        (**self).changed()
    }

    fn stale(&mut self, ifindex: u32) -> bool {
        (**self).stale(ifindex)
    }
}

struct Entry {
    name: Option<IfName>,
    /// The sample in which it was last asked for or confirmed.
    sample: u64,
}

/// Interface names by index, asked for when first needed and cached until the watch reports a
/// change.
pub struct LinkNames<T = Box<dyn Transport>, W = Box<dyn NameWatch>> {
    /// The transport until the first request, then the dumper that owns it (its buffer is
    /// allocated only when a name is needed).
    transport: Option<T>,
    dumper: Option<Dumper<T>>,
    watch: W,
    request: Request,
    cache: HashMap<u32, Entry>,
    sample: u64,
    checked: bool,
    warning: Option<String>,
}

impl<T: Transport, W: NameWatch> LinkNames<T, W> {
    /// Names asked for over `transport` (`NETLINK_ROUTE`), cached until `watch` reports a change.
    pub fn new(transport: T, watch: W) -> Self {
        LinkNames {
            transport: Some(transport),
            dumper: None,
            watch,
            request: Request {
                name: "RTM_GETLINK by index",
                bytes: getlink_by_index(0),
            },
            cache: HashMap::new(),
            sample: 0,
            checked: false,
            warning: None,
        }
    }

    /// Start a sample: the watch is consulted again before the next lookup.
    pub fn begin_sample(&mut self) {
        self.sample += 1;
        self.checked = false;
    }

    /// The name of link `ifindex`, `None` when the kernel does not know it.
    pub fn name(&mut self, ifindex: u32) -> Option<IfName> {
        if !self.checked {
            self.checked = true;
            if self.watch.changed() {
                self.cache.clear();
            }
        }
        let sample = self.sample;
        if let Some(e) = self.cache.get_mut(&ifindex)
            && (e.sample == sample || !self.watch.stale(ifindex))
        {
            e.sample = sample;
            return e.name.clone();
        }
        let name = self.ask(ifindex);
        self.cache.insert(
            ifindex,
            Entry {
                name: name.clone(),
                sample,
            },
        );
        name
    }

    /// A problem met while asking, once.
    pub fn take_warning(&mut self) -> Option<String> {
        self.warning
            .take()
            .or_else(|| self.dumper.as_mut().and_then(Dumper::take_warning))
    }

    fn ask(&mut self, ifindex: u32) -> Option<IfName> {
        set_index(&mut self.request.bytes, ifindex);
        if self.dumper.is_none() {
            self.dumper = self.transport.take().map(Dumper::new);
        }
        let dumper = self.dumper.as_mut()?;
        match dumper.dump(&mut self.request) {
            Ok(reply) => reply
                .messages
                .filter(|m| m.header.kind == libc::RTM_NEWLINK)
                .filter_map(|m| link_name(m.payload))
                .find_map(|(index, name)| (index == ifindex).then_some(name)),
            // The link is gone, or a replayed capture holds no answer: no name, as for ss.
            Err(NetlinkError::Kernel { errno, .. }) if errno == libc::ENODEV => None,
            Err(NetlinkError::EndOfInput { .. }) => None,
            Err(e) => {
                self.warning = Some(format!("cannot learn the name of interface {ifindex}: {e}"));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::testing::{attribute, message};
    use std::cell::RefCell;
    use std::collections::VecDeque;
    use std::io;
    use std::rc::Rc;

    /// A kernel that knows links 3 (`v0`) and 9 (a name that is not UTF-8), and counts the
    /// requests it answers.
    struct Kernel {
        queue: VecDeque<Vec<u8>>,
        asked: Rc<RefCell<Vec<u32>>>,
    }

    impl Transport for Kernel {
        fn send(&mut self, request: &[u8]) -> io::Result<()> {
            let seq = u32::from_ne_bytes(request[8..12].try_into().expect("seq"));
            let index = u32::from_ne_bytes(request[INDEX_AT..INDEX_AT + 4].try_into().expect("i"));
            assert_eq!(
                u16::from_ne_bytes([request[4], request[5]]),
                libc::RTM_GETLINK
            );
            self.asked.borrow_mut().push(index);
            let name: &[u8] = match index {
                3 => b"v0\0",
                9 => b"v\xff\0",
                _ => {
                    let mut err = (-libc::ENODEV).to_ne_bytes().to_vec();
                    err.extend_from_slice(&request[..NLMSG_HDRLEN]);
                    self.queue.push_back(message(2, 0, seq, &err));
                    return Ok(());
                }
            };
            let mut payload = vec![0u8; IFINFOMSG_LEN];
            payload[4..8].copy_from_slice(&index.to_ne_bytes());
            payload.extend(attribute(libc::IFLA_MTU, &1500u32.to_ne_bytes()));
            payload.extend(attribute(libc::IFLA_IFNAME, name));
            self.queue
                .push_back(message(libc::RTM_NEWLINK, 0, seq, &payload));
            Ok(())
        }
        fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
            let d = self.queue.pop_front().ok_or(io::ErrorKind::WouldBlock)?;
            buf.extend_from_slice(&d);
            Ok(d.len())
        }
        fn reopen(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    struct Changes(Rc<RefCell<bool>>);

    impl NameWatch for Changes {
        fn changed(&mut self) -> bool {
            std::mem::take(&mut *self.0.borrow_mut())
        }
        fn stale(&mut self, _: u32) -> bool {
            false
        }
    }

    #[test]
    fn asks_once_per_link_until_links_change() {
        let asked = Rc::new(RefCell::new(Vec::new()));
        let change = Rc::new(RefCell::new(false));
        let kernel = Kernel {
            queue: VecDeque::new(),
            asked: asked.clone(),
        };
        let mut names = LinkNames::new(kernel, Changes(change.clone()));
        let name = |n: Option<IfName>| n.map(|n| (n.name.to_string(), n.bytes.map(|b| b.to_vec())));
        names.begin_sample();
        assert_eq!(name(names.name(3)), Some(("v0".into(), None)));
        assert_eq!(name(names.name(3)), Some(("v0".into(), None)));
        assert_eq!(
            name(names.name(9)),
            Some(("v\u{fffd}".into(), Some(b"v\xff".to_vec())))
        );
        assert_eq!(names.name(4), None, "ENODEV: no name");
        names.begin_sample();
        assert_eq!(name(names.name(3)), Some(("v0".into(), None)));
        assert_eq!(names.name(4), None);
        assert_eq!(*asked.borrow(), vec![3, 9, 4], "each link asked for once");
        *change.borrow_mut() = true;
        names.begin_sample();
        assert_eq!(name(names.name(3)), Some(("v0".into(), None)));
        assert_eq!(
            *asked.borrow(),
            vec![3, 9, 4, 3],
            "asked again after a change"
        );
        assert!(names.take_warning().is_none());
    }

    #[test]
    fn request_layout() {
        let r = getlink_by_index(0x0102_0304);
        assert_eq!(r.len(), 40);
        assert_eq!(u32::from_ne_bytes(r[0..4].try_into().expect("len")), 40);
        assert_eq!(&r[20..24], &0x0102_0304u32.to_ne_bytes());
        // IFLA_EXT_MASK = RTEXT_FILTER_SKIP_STATS.
        assert_eq!(u16::from_ne_bytes([r[34], r[35]]), 29);
        assert_eq!(u32::from_ne_bytes(r[36..40].try_into().expect("mask")), 8);
        assert_eq!(link_name(&[0; 3]), None);
    }
}
