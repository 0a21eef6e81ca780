//! The `ip` reader: per-interface metadata and counters, as `ip -s -s -j link` shows them.
//!
//! Cost model: a full `RTM_GETLINK` dump carries dozens of attributes per link (about 10× the
//! kernel time of an `RTM_GETSTATS` dump restricted to `IFLA_STATS_LINK_64` on 200 links). Link
//! metadata (name, flags, MTU, operstate, addresses, carrier changes) only changes when the
//! kernel announces it on the `RTNLGRP_LINK` multicast group, so the reader:
//! 1. subscribes to `RTNLGRP_LINK` before anything else;
//! 2. takes metadata and counters from one `RTM_GETLINK` dump at the start and whenever a link
//!    notification arrived (or the notification queue overflowed);
//! 3. otherwise takes only the counters from `RTM_GETSTATS` and pairs them with the cached
//!    metadata by ifindex; an ifindex it does not know forces a refresh on the next sample.
//!
//! `carrier_changes` is metadata here: every carrier change emits an `RTM_NEWLINK` notification
//! (`linkwatch` → `netdev_state_change`), so the cached value is refreshed when it moves.

use std::collections::HashMap;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::sync::Arc;

use netlink_packet_route::RouteNetlinkMessage;
use netlink_packet_route::link::{LinkAttribute, LinkExtentMask, LinkMessage};
use netlink_packet_route::stats::{StatsFilterMask, StatsMessage};
use netlink_sys::constants::NETLINK_ROUTE;

use super::{Collected, Exchanged, ReadError, Reader, Warning};
use crate::bpf::{KernelPrograms, Programs};
use crate::model::Stats;
use crate::model::ip::{LinkMeta, LinkSample, LinkStats64, ProgInfo, resolve_links};
use crate::netlink::link::{decode_link, decode_stats};
use crate::netlink::watch::{LinkEvents, LinkWatch};
use crate::netlink::{DumpCounters, Dumper, NetlinkSocket, Request, Transport, route_open_error};

const RTM_NEWLINK: u16 = libc::RTM_NEWLINK;
const RTM_NEWSTATS: u16 = libc::RTM_NEWSTATS;
/// What a dump says besides its messages.
#[derive(Debug, Clone, Copy)]
struct DumpInfo {
    partial: bool,
    sent_at: Option<std::time::Duration>,
}

/// True when `--iface` selects this link (none given: every link), by its name's exact bytes.
fn wanted(ifaces: &[Vec<u8>], meta: &LinkMeta) -> bool {
    let name = meta
        .ifname_bytes
        .as_deref()
        .unwrap_or(meta.ifname.as_bytes());
    ifaces.is_empty() || ifaces.iter().any(|i| i == name)
}

/// The `ip` reader.
pub struct IpReader<T = NetlinkSocket, W = LinkEvents> {
    dumper: Dumper<T>,
    watch: W,
    getlink: Request,
    getstats: Request,
    /// `--iface`: the names' exact bytes; empty: every link.
    ifaces: Vec<Vec<u8>>,
    /// Where XDP programs' names, tags and jited states come from.
    programs: Box<dyn Programs>,
    /// What `programs` said, by program id, for the programs attached at the last refresh.
    /// A program id is not reused while its program lives, and a link notification announces
    /// every attach and detach, so the kernel is asked once per program.
    prog_cache: HashMap<u32, Option<Arc<ProgInfo>>>,
    /// Metadata of every link, sorted by ifindex.
    links: Vec<Arc<LinkMeta>>,
    /// The links' indices, sorted, when only exchanging ([`Reader::exchange`]).
    raw_links: Vec<u32>,
    refresh: bool,
    /// False once the kernel refused `RTM_GETSTATS` (before Linux 4.7): every sample then
    /// reads `RTM_GETLINK`.
    getstats_works: bool,
}

impl IpReader {
    /// A reader of the live kernel; with `ifaces`, only those interfaces are reported, and they
    /// must exist now. XDP programs' names, tags and jited states are asked of the kernel.
    pub fn open(ifaces: &[OsString]) -> Result<Self, ReadError> {
        // Subscribed before the first dump, so no change falls between the two.
        let watch = LinkEvents::subscribe().map_err(route_open_error)?;
        let transport = NetlinkSocket::open(NETLINK_ROUTE).map_err(route_open_error)?;
        IpReader::with_source(transport, watch, Box::new(KernelPrograms), ifaces)
    }
}

impl<T: Transport, W: LinkWatch> IpReader<T, W> {
    /// A reader over any message source, change watch and source of BPF program information
    /// (the seam tests and replays use).
    pub fn with_source(
        transport: T,
        watch: W,
        programs: Box<dyn Programs>,
        ifaces: &[OsString],
    ) -> Result<Self, ReadError> {
        let mut stats = StatsMessage::default();
        stats.header.filter_mask = StatsFilterMask::Link64;
        // As ip asks: with the virtual functions of SR-IOV devices (IFLA_VFINFO_LIST). Links
        // without a parent device answer as without the flag.
        let mut getlink = LinkMessage::default();
        getlink
            .attributes
            .push(LinkAttribute::ExtMask(vec![LinkExtentMask::Vf]));
        let mut reader = IpReader {
            dumper: Dumper::new(transport),
            watch,
            getlink: Request::dump("RTM_GETLINK", RouteNetlinkMessage::GetLink(getlink)),
            getstats: Request::dump("RTM_GETSTATS", RouteNetlinkMessage::GetStats(stats)),
            ifaces: ifaces.iter().map(|n| n.as_bytes().to_vec()).collect(),
            programs,
            prog_cache: HashMap::new(),
            links: Vec::new(),
            raw_links: Vec::new(),
            refresh: true,
            getstats_works: true,
        };
        if !ifaces.is_empty() {
            reader.refresh_links(&mut Vec::new())?;
            for name in ifaces {
                let one = [name.as_bytes().to_vec()];
                if !reader.links.iter().any(|l| wanted(&one, l)) {
                    return Err(ReadError::NoSuchInterface(
                        name.to_string_lossy().into_owned(),
                    ));
                }
            }
            // The first sample may reuse this dump's metadata but needs fresh counters.
            reader.refresh = false;
        }
        Ok(reader)
    }

    /// Full `RTM_GETLINK` dump: replace the metadata and push the wanted links' counters.
    fn refresh_links(&mut self, out: &mut Vec<LinkSample>) -> Result<DumpInfo, ReadError> {
        let dump = self.dumper.dump(&mut self.getlink)?;
        let info = DumpInfo {
            partial: dump.partial,
            sent_at: dump.sent_at,
        };
        let mut decoded: Vec<(LinkMeta, Option<LinkStats64>)> = dump
            .messages
            .filter(|m| m.header.kind == RTM_NEWLINK)
            .filter_map(|m| decode_link(m.payload))
            .collect();
        decoded.sort_by_key(|(meta, _)| meta.ifindex);
        let (mut metas, stats): (Vec<LinkMeta>, Vec<Option<LinkStats64>>) =
            decoded.into_iter().unzip();
        resolve_links(&mut metas);
        self.fill_programs(&mut metas);
        let mut links = Vec::with_capacity(metas.len());
        for (meta, stats64) in metas.into_iter().zip(stats) {
            // Keep the shared allocation when nothing changed.
            let meta = match self
                .links
                .binary_search_by_key(&meta.ifindex, |l| l.ifindex)
            {
                Ok(i) if *self.links[i] == meta => Arc::clone(&self.links[i]),
                _ => Arc::new(meta),
            };
            if wanted(&self.ifaces, &meta) {
                out.push(LinkSample {
                    link: Arc::clone(&meta),
                    stats64,
                });
            }
            links.push(meta);
        }
        self.links = links;
        Ok(info)
    }

    /// Name, tag and jited state of every attached XDP program: from the cache, else asked
    /// once; programs no longer attached leave the cache.
    fn fill_programs(&mut self, metas: &mut [LinkMeta]) {
        let mut cache = HashMap::new();
        for xdp in metas.iter_mut().filter_map(|m| m.xdp.as_mut()) {
            for prog in xdp.programs_mut() {
                let info = match self.prog_cache.remove(&prog.id) {
                    Some(known) => known,
                    None => match cache.get(&prog.id) {
                        Some(known) => Option::clone(known),
                        None => self.programs.info(prog.id).map(Arc::new),
                    },
                };
                prog.info = info.clone();
                cache.insert(prog.id, info);
            }
        }
        self.prog_cache = cache;
    }

    /// `RTM_GETSTATS` dump paired with the cached metadata.
    fn read_counters(&mut self, out: &mut Vec<LinkSample>) -> Result<DumpInfo, ReadError> {
        let dump = self.dumper.dump(&mut self.getstats)?;
        let info = DumpInfo {
            partial: dump.partial,
            sent_at: dump.sent_at,
        };
        let mut seen = 0;
        // The kernel dumps links in ifindex order, the order of `links`: try the next cached
        // link before searching.
        let mut cursor = 0;
        for message in dump.messages {
            if message.header.kind != RTM_NEWSTATS {
                continue;
            }
            let Some((ifindex, stats64)) = decode_stats(message.payload) else {
                continue;
            };
            let found = match self.links.get(cursor) {
                Some(l) if l.ifindex == ifindex => Ok(cursor),
                _ => self.links.binary_search_by_key(&ifindex, |l| l.ifindex),
            };
            match found {
                Ok(i) => {
                    cursor = i + 1;
                    seen += 1;
                    let meta = &self.links[i];
                    if wanted(&self.ifaces, meta) {
                        out.push(LinkSample {
                            link: Arc::clone(meta),
                            stats64,
                        });
                    }
                }
                // A link we have not heard of yet: its notification is on its way.
                Err(_) => self.refresh = true,
            }
        }
        if seen != self.links.len() {
            // A link went away since the metadata was read.
            self.refresh = true;
        }
        Ok(info)
    }
}

impl<T: Transport, W: LinkWatch> IpReader<T, W> {
    /// Whether the counters of `dump` name exactly the links known: the test `read_counters`
    /// makes, from the message headers alone.
    fn links_match(&mut self, ifindexes: impl Iterator<Item = u32>) {
        let mut seen = 0;
        for ifindex in ifindexes {
            if self.raw_links.binary_search(&ifindex).is_err() {
                self.refresh = true;
            }
            seen += 1;
        }
        if seen != self.raw_links.len() {
            self.refresh = true;
        }
    }
}

impl<T: Transport, W: LinkWatch> Reader for IpReader<T, W> {
    fn kind(&self) -> &'static str {
        "ip"
    }

    fn exchange(&mut self) -> Result<Exchanged, ReadError> {
        let changed = self.watch.changed();
        let header_index = |payload: &[u8], at: usize| {
            payload
                .get(at..at + 4)
                .map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
        };
        let partial = if changed || self.refresh || !self.getstats_works {
            self.refresh = false;
            let dump = self.dumper.dump(&mut self.getlink)?;
            let partial = dump.partial;
            // struct ifinfomsg: ifi_index at offset 4.
            let mut ifindexes: Vec<u32> = dump
                .messages
                .filter(|m| m.header.kind == RTM_NEWLINK)
                .filter_map(|m| header_index(m.payload, 4))
                .collect();
            ifindexes.sort_unstable();
            self.raw_links = ifindexes;
            partial
        } else {
            match self.dumper.dump(&mut self.getstats) {
                Ok(dump) => {
                    let partial = dump.partial;
                    // struct if_stats_msg: ifindex at offset 4.
                    let ifindexes: Vec<u32> = dump
                        .messages
                        .filter(|m| m.header.kind == RTM_NEWSTATS)
                        .filter_map(|m| header_index(m.payload, 4))
                        .collect();
                    self.links_match(ifindexes.into_iter());
                    partial
                }
                Err(e) if matches!(e.errno(), Some(libc::EOPNOTSUPP | libc::EINVAL)) => {
                    self.getstats_works = false;
                    self.dumper.dump(&mut self.getlink)?.partial
                }
                Err(e) => return Err(e.into()),
            }
        };
        Ok(Exchanged {
            partial,
            warnings: self
                .dumper
                .take_warning()
                .map(Warning::Transport)
                .into_iter()
                .collect(),
        })
    }

    fn collect(&mut self) -> Result<Collected, ReadError> {
        let changed = self.watch.changed();
        let mut out = Vec::with_capacity(if self.ifaces.is_empty() {
            self.links.len()
        } else {
            self.ifaces.len()
        });
        let info = if changed || self.refresh || !self.getstats_works {
            self.refresh = false;
            self.refresh_links(&mut out)?
        } else {
            match self.read_counters(&mut out) {
                Ok(info) => info,
                Err(ReadError::Netlink(e))
                    if matches!(e.errno(), Some(libc::EOPNOTSUPP | libc::EINVAL)) =>
                {
                    self.getstats_works = false;
                    out.clear();
                    self.refresh_links(&mut out)?
                }
                Err(e) => return Err(e),
            }
        };
        let mut warnings: Vec<Warning> = self
            .ifaces
            .iter()
            .filter(|name| {
                !out.iter()
                    .any(|l| wanted(std::slice::from_ref(name), &l.link))
            })
            .map(|name| Warning::InterfaceGone(String::from_utf8_lossy(name).into_owned()))
            .collect();
        warnings.extend(self.dumper.take_warning().map(Warning::Transport));
        Ok(Collected {
            stats: Stats::Ip(out),
            partial: info.partial,
            captured_at: info.sent_at,
            warnings,
        })
    }

    fn dump_counters(&self) -> DumpCounters {
        self.dumper.counters()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::testing::{emitted, message as nl, veth_message};
    use std::io;

    /// A kernel that answers RTM_GETLINK with one link and RTM_GETSTATS with an error.
    struct NoGetStats {
        reply: std::collections::VecDeque<Vec<u8>>,
        requests: Vec<u16>,
    }

    impl Transport for NoGetStats {
        fn send(&mut self, request: &[u8]) -> io::Result<()> {
            let kind = u16::from_ne_bytes([request[4], request[5]]);
            let seq = u32::from_ne_bytes(request[8..12].try_into().expect("4 bytes"));
            self.requests.push(kind);
            let datagram = if kind == libc::RTM_GETLINK {
                let mut d = nl(RTM_NEWLINK, 2, seq, &emitted(&veth_message()));
                d.extend(nl(3, 2, seq, &0i32.to_ne_bytes()));
                d
            } else {
                let mut err = (-libc::EOPNOTSUPP).to_ne_bytes().to_vec();
                err.extend_from_slice(&request[..16]);
                nl(2, 0, seq, &err)
            };
            self.reply.push_back(datagram);
            Ok(())
        }
        fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
            let d = self.reply.pop_front().ok_or(io::ErrorKind::WouldBlock)?;
            buf.extend_from_slice(&d);
            Ok(d.len())
        }
        fn reopen(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    struct NoChange;
    impl LinkWatch for NoChange {
        fn changed(&mut self) -> bool {
            false
        }
    }

    #[test]
    fn falls_back_to_getlink_when_getstats_is_refused() {
        let kernel = NoGetStats {
            reply: Default::default(),
            requests: Vec::new(),
        };
        let mut r = IpReader::with_source(kernel, NoChange, Box::new(crate::bpf::NoPrograms), &[])
            .expect("reader");
        for _ in 0..3 {
            let c = r.collect().expect("collect");
            let Stats::Ip(links) = c.stats else {
                panic!("ip reader returned other stats");
            };
            assert_eq!(links.len(), 1);
            assert_eq!(links[0].link.ifname, "va0");
        }
        // GETLINK, GETSTATS (refused), GETLINK, then GETLINK only.
        assert_eq!(r.dumper.transport().requests, vec![18, 94, 18, 18]);
    }

    /// A kernel whose link dump is whatever the test put in `links` (shared with the test).
    struct Links(std::rc::Rc<std::cell::RefCell<Vec<Vec<u8>>>>, Vec<Vec<u8>>);

    impl Transport for Links {
        fn send(&mut self, request: &[u8]) -> io::Result<()> {
            let seq = u32::from_ne_bytes(request[8..12].try_into().expect("4 bytes"));
            let mut d = Vec::new();
            for payload in self.0.borrow().iter() {
                d.extend(nl(RTM_NEWLINK, 2, seq, payload));
            }
            d.extend(nl(3, 2, seq, &0i32.to_ne_bytes()));
            self.1.push(d);
            Ok(())
        }
        fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
            let d = self.1.pop().ok_or(io::ErrorKind::WouldBlock)?;
            buf.extend_from_slice(&d);
            Ok(d.len())
        }
        fn reopen(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Programs that answer with a name made of the id, and log every question.
    struct Asked(std::rc::Rc<std::cell::RefCell<Vec<u32>>>);

    impl Programs for Asked {
        fn info(&mut self, id: u32) -> Option<ProgInfo> {
            self.0.borrow_mut().push(id);
            Some(ProgInfo {
                name: format!("p{id}"),
                tag: [id as u8; 8],
                jited: true,
            })
        }
    }

    fn link_with_xdp(index: u32, ids: &[(u16, u32)]) -> Vec<u8> {
        use crate::netlink::testing::attribute;
        let mut m = veth_message();
        m.header.index = index;
        let mut bytes = emitted(&m);
        let mut xdp = attribute(2, &[4]);
        for (kind, id) in ids {
            xdp.extend(attribute(*kind, &id.to_ne_bytes()));
        }
        bytes.extend(attribute(libc::IFLA_XDP, &xdp));
        bytes
    }

    #[test]
    fn program_information_is_asked_once_per_program_and_forgotten_when_detached() {
        use crate::netlink::watch::AlwaysRefresh;
        let links = std::rc::Rc::new(std::cell::RefCell::new(vec![
            link_with_xdp(7, &[(6, 42), (5, 43)]),
            link_with_xdp(8, &[(6, 42)]),
        ]));
        let asked = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let kernel = Links(std::rc::Rc::clone(&links), Vec::new());
        let programs = Box::new(Asked(std::rc::Rc::clone(&asked)));
        let mut r = IpReader::with_source(kernel, AlwaysRefresh, programs, &[]).expect("reader");
        let names = |r: &mut IpReader<Links, AlwaysRefresh>| -> Vec<Vec<String>> {
            let Stats::Ip(links) = r.collect().expect("collect").stats else {
                panic!("ip reader returned other stats");
            };
            links
                .iter()
                .map(|l| {
                    let mut xdp = l.link.xdp.clone().expect("xdp");
                    xdp.programs_mut()
                        .map(|p| p.info.as_ref().map_or("-".into(), |i| i.name.clone()))
                        .collect()
                })
                .collect()
        };
        for _ in 0..3 {
            assert_eq!(names(&mut r), vec![vec!["p42", "p43"], vec!["p42"]]);
        }
        // Three refreshes, two programs: each asked once.
        assert_eq!(*asked.borrow(), vec![42, 43]);
        // 43 detached: forgotten, and asked again when it comes back.
        links.borrow_mut()[0] = link_with_xdp(7, &[(6, 42)]);
        assert_eq!(names(&mut r), vec![vec!["p42"], vec!["p42"]]);
        assert_eq!(r.prog_cache.len(), 1);
        links.borrow_mut()[0] = link_with_xdp(7, &[(6, 42), (5, 43)]);
        assert_eq!(names(&mut r), vec![vec!["p42", "p43"], vec!["p42"]]);
        assert_eq!(*asked.borrow(), vec![42, 43, 43]);
    }
}
