//! The `tc` reader: every qdisc with its statistics, options and xstats, from `RTM_GETQDISC`
//! dumps, with the keys and values `tc -s -j qdisc` (iproute2 6.1 and 6.15) print.
//!
//! Steady-state cost: options rarely change, so each qdisc's decoded kind and options are
//! cached with the raw bytes they came from and reused while the kernel sends the same bytes
//! (one `memcmp`); only the counters and xstats are decoded every sample. Interface names come
//! from an `RTM_GETLINK` dump at the start and after link notifications; an ifindex not (yet)
//! known is named `if<N>`, as tc names it.

pub mod decode;
pub mod kinds;
pub mod tsn;

use std::collections::HashMap;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::sync::Arc;

use libc::{RTM_NEWLINK, RTM_NEWQDISC};
use netlink_packet_route::RouteNetlinkMessage;
use netlink_packet_route::link::LinkMessage;
use netlink_packet_route::tc::TcMessage;
use netlink_sys::constants::NETLINK_ROUTE;

use self::decode::{TCA_KIND, TCA_OPTIONS, assemble, decode_config, parse_qdisc};
use self::kinds::Ticks;
use super::{Collected, Exchanged, ReadError, Reader, Warning};
use crate::model::Stats;
use crate::model::tc::QdiscConfig;
use crate::netlink::link::decode_link;
use crate::netlink::watch::{LinkEvents, LinkWatch};
use crate::netlink::{DumpCounters, Dumper, NetlinkSocket, Request, Transport, route_open_error};

/// An interface name and, when it is not valid UTF-8, its exact bytes.
type DevName = (Arc<str>, Option<Arc<[u8]>>);

/// A cached config: the raw `TCA_KIND` and `TCA_OPTIONS` bytes it was decoded from.
struct CacheEntry {
    key: (u32, u32, u32),
    /// `TCA_KIND` bytes followed by `TCA_OPTIONS` bytes.
    raw: Vec<u8>,
    kind_len: usize,
    /// Moved (not cloned) from one sample's cache to the next: `None` once taken.
    config: Option<Arc<QdiscConfig>>,
}

impl CacheEntry {
    fn new(
        key: (u32, u32, u32),
        (dev, dev_bytes): DevName,
        kind: &[u8],
        options: Option<&[u8]>,
        ticks: &Ticks,
    ) -> Self {
        let mut raw = Vec::with_capacity(kind.len() + options.map_or(0, <[u8]>::len));
        raw.extend_from_slice(kind);
        raw.extend_from_slice(options.unwrap_or(&[]));
        CacheEntry {
            key,
            raw,
            kind_len: kind.len(),
            config: Some(Arc::new(QdiscConfig {
                dev_bytes,
                ..decode_config(dev, kind, options, ticks)
            })),
        }
    }

    /// True when this entry was decoded from exactly these bytes.
    fn holds(&self, kind: &[u8], options: Option<&[u8]>) -> bool {
        let (k, o) = self.raw.split_at(self.kind_len.min(self.raw.len()));
        k == kind && o == options.unwrap_or(&[])
    }
}

/// The `tc` reader.
pub struct TcReader<T = NetlinkSocket, W = LinkEvents> {
    dumper: Dumper<T>,
    watch: W,
    getlink: Request,
    getqdisc: Request,
    /// `--iface`: the names' exact bytes; empty: every interface.
    ifaces: Vec<Vec<u8>>,
    /// ifindex of each of `ifaces` (`None`: not there), resolved with every link refresh.
    iface_index: Vec<Option<u32>>,
    names: HashMap<u32, DevName>,
    refresh: bool,
    ticks: Ticks,
    cache: Vec<CacheEntry>,
    next_cache: Vec<CacheEntry>,
}

/// The tick length of this kernel's packet scheduler clock (`/proc/net/psched`), as tc reads
/// it for tbf and netem; the default of every kernel since 2.6.32 when it cannot be read.
pub fn kernel_ticks() -> Ticks {
    std::fs::read_to_string("/proc/net/psched")
        .ok()
        .and_then(|t| Ticks::from_psched(&t))
        .unwrap_or_default()
}

impl TcReader {
    /// A reader of the live kernel; with `iface`, only that interface's qdiscs, and it must
    /// exist now.
    pub fn open(ifaces: &[OsString]) -> Result<Self, ReadError> {
        // Subscribed before the first dump, so no change falls between the two.
        let watch = LinkEvents::subscribe().map_err(route_open_error)?;
        let transport = NetlinkSocket::open(NETLINK_ROUTE).map_err(route_open_error)?;
        TcReader::with_source(transport, watch, ifaces, kernel_ticks())
    }
}

impl<T: Transport, W: LinkWatch> TcReader<T, W> {
    /// A reader over any message source and change watch.
    pub fn with_source(
        transport: T,
        watch: W,
        ifaces: &[OsString],
        ticks: Ticks,
    ) -> Result<Self, ReadError> {
        let mut reader = TcReader {
            dumper: Dumper::new(transport),
            watch,
            getlink: Request::dump(
                "RTM_GETLINK",
                RouteNetlinkMessage::GetLink(LinkMessage::default()),
            ),
            getqdisc: Request::dump(
                "RTM_GETQDISC",
                RouteNetlinkMessage::GetQueueDiscipline(TcMessage::default()),
            ),
            ifaces: ifaces.iter().map(|n| n.as_bytes().to_vec()).collect(),
            iface_index: vec![None; ifaces.len()],
            names: HashMap::new(),
            refresh: true,
            ticks,
            cache: Vec::new(),
            next_cache: Vec::new(),
        };
        if !ifaces.is_empty() {
            reader.refresh_names()?;
            if let Some(i) = reader.iface_index.iter().position(Option::is_none) {
                return Err(ReadError::NoSuchInterface(
                    ifaces[i].to_string_lossy().into_owned(),
                ));
            }
        }
        Ok(reader)
    }

    fn refresh_names(&mut self) -> Result<(), ReadError> {
        self.refresh = false;
        // Cached configs carry interface names: decode them again.
        self.cache.clear();
        let dump = self.dumper.dump(&mut self.getlink)?;
        self.names.clear();
        self.iface_index.iter_mut().for_each(|i| *i = None);
        for m in dump.messages.filter(|m| m.header.kind == RTM_NEWLINK) {
            if let Some((meta, _)) = decode_link(m.payload) {
                let name = meta.ifname_bytes.as_deref();
                let name = name.unwrap_or(meta.ifname.as_bytes());
                if let Some(i) = self.ifaces.iter().position(|n| n == name) {
                    self.iface_index[i] = Some(meta.ifindex);
                }
                let bytes = meta.ifname_bytes.map(Arc::from);
                self.names
                    .insert(meta.ifindex, (Arc::from(meta.ifname.as_str()), bytes));
            }
        }
        Ok(())
    }
}

impl<T: Transport, W: LinkWatch> Reader for TcReader<T, W> {
    fn kind(&self) -> &'static str {
        "tc"
    }

    fn exchange(&mut self) -> Result<Exchanged, ReadError> {
        if self.watch.changed() || self.refresh {
            // The names are what a replay resolves qdiscs' devices with: asked for, not read.
            self.refresh = false;
            self.dumper.dump(&mut self.getlink)?;
        }
        let partial = self.dumper.dump(&mut self.getqdisc)?.partial;
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
        if self.watch.changed() || self.refresh {
            self.refresh_names()?;
        }
        let mut out = Vec::with_capacity(self.cache.len());
        let dump = self.dumper.dump(&mut self.getqdisc)?;
        let (partial, sent_at) = (dump.partial, dump.sent_at);
        let messages = dump.messages;
        let mut cursor = 0;
        self.next_cache.clear();
        for message in messages.filter(|m| m.header.kind == RTM_NEWQDISC) {
            let Some(m) = parse_qdisc(message.payload) else {
                continue;
            };
            if !self.ifaces.is_empty() && !self.iface_index.contains(&Some(m.ifindex)) {
                continue;
            }
            let kind = m.attrs.get(TCA_KIND).unwrap_or(&[]);
            let options = m.attrs.get(TCA_OPTIONS);
            let key = (m.ifindex, m.handle, m.parent);
            // The dump order is stable: look at the entry after the last match first.
            let hit = match self.cache.get(cursor) {
                Some(e) if e.key == key => Some(cursor),
                _ => self.cache.iter().position(|e| e.key == key),
            };
            let entry = match hit {
                Some(i) if self.cache[i].config.is_some() && self.cache[i].holds(kind, options) => {
                    cursor = i + 1;
                    let old = &mut self.cache[i];
                    CacheEntry {
                        key,
                        raw: std::mem::take(&mut old.raw),
                        kind_len: old.kind_len,
                        config: old.config.take(),
                    }
                }
                _ => {
                    let dev = match self.names.get(&m.ifindex) {
                        Some((name, bytes)) => (Arc::clone(name), bytes.clone()),
                        // Named when its link notification triggers the next refresh.
                        None => (Arc::from(format!("if{}", m.ifindex).as_str()), None),
                    };
                    CacheEntry::new(key, dev, kind, options, &self.ticks)
                }
            };
            if let Some(config) = &entry.config {
                out.push(assemble(&m, Arc::clone(config)));
            }
            self.next_cache.push(entry);
        }
        std::mem::swap(&mut self.cache, &mut self.next_cache);
        let mut warnings: Vec<Warning> = self
            .ifaces
            .iter()
            .zip(&self.iface_index)
            .filter(|(_, index)| index.is_none())
            .map(|(name, _)| Warning::InterfaceGone(String::from_utf8_lossy(name).into_owned()))
            .collect();
        warnings.extend(self.dumper.take_warning().map(Warning::Transport));
        Ok(Collected {
            stats: Stats::Tc(out),
            partial,
            captured_at: sent_at,
            warnings,
        })
    }

    fn dump_counters(&self) -> DumpCounters {
        self.dumper.counters()
    }
}
