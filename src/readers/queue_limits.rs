//! The `queue_limits` reader: byte queue limits (BQL) of every transmit queue, from
//! `/sys/class/net/<if>/queues/tx-<n>/byte_queue_limits/`.
//!
//! The files are opened once and re-read with `pread` at offset 0. The directory tree is
//! scanned at the start, when the kernel announces a link change (`RTNLGRP_LINK`), and when a
//! read finds its device gone; never by listing sysfs every sample. Interfaces without BQL
//! (`lo`, veth and other `IFF_NO_QUEUE` devices) have no such directory and are simply absent.

use std::ffi::OsString;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::kernel_file::KernelFile;
use super::{Collected, ReadError, Reader, Warning};
use crate::model::Stats;
use crate::model::ip::split_name;
use crate::model::queue_limits::{BQL_FILES, QueueLimits};
use crate::netlink::route_open_error;
use crate::netlink::watch::{LinkEvents, LinkWatch};

struct QueueFiles {
    ifname: Arc<str>,
    ifname_bytes: Option<Arc<[u8]>>,
    queue: Arc<str>,
    files: Vec<(Arc<str>, KernelFile)>,
}

/// The `queue_limits` reader.
pub struct QueueLimitsReader<W = LinkEvents> {
    sys: PathBuf,
    /// `--iface`; empty: every interface.
    ifaces: Vec<OsString>,
    watch: W,
    queues: Vec<QueueFiles>,
    rescan: bool,
    warnings: Vec<Warning>,
}

impl QueueLimitsReader {
    /// Read the live `/sys`, rescanning on link notifications.
    pub fn open(ifaces: &[OsString]) -> Result<QueueLimitsReader, ReadError> {
        let watch = LinkEvents::subscribe().map_err(route_open_error)?;
        QueueLimitsReader::with_root(Path::new("/sys"), watch, ifaces)
    }
}

impl<W: LinkWatch> QueueLimitsReader<W> {
    /// Read the sysfs tree mounted at `sys` (the seam tests point at a fake tree).
    pub fn with_root(sys: &Path, watch: W, ifaces: &[OsString]) -> Result<Self, ReadError> {
        let mut reader = QueueLimitsReader {
            sys: sys.to_owned(),
            ifaces: ifaces.to_vec(),
            watch,
            queues: Vec::new(),
            rescan: false,
            warnings: Vec::new(),
        };
        if let Some(name) = ifaces.iter().find(|n| !reader.net_dir().join(n).exists()) {
            return Err(ReadError::NoSuchInterface(
                name.to_string_lossy().into_owned(),
            ));
        }
        reader.scan();
        Ok(reader)
    }

    fn net_dir(&self) -> PathBuf {
        self.sys.join("class/net")
    }

    /// Find every transmit queue with a `byte_queue_limits` directory and open its files.
    fn scan(&mut self) {
        self.queues.clear();
        let net = self.net_dir();
        // Directory names as they are: an interface name need not be UTF-8.
        let mut ifaces: Vec<OsString> = match self.ifaces.is_empty() {
            false => self.ifaces.clone(),
            true => match fs::read_dir(&net) {
                Ok(entries) => entries
                    .filter_map(Result::ok)
                    .map(|e| e.file_name())
                    .collect(),
                Err(e) => {
                    self.warnings
                        .push(Warning::File(format!("cannot list {}: {e}", net.display())));
                    return;
                }
            },
        };
        ifaces.sort();
        for ifname in ifaces {
            let queues_dir = net.join(&ifname).join("queues");
            // A device removed meanwhile, or one without queues: nothing to report.
            let Ok(entries) = fs::read_dir(&queues_dir) else {
                continue;
            };
            let mut tx: Vec<(u32, String)> = entries
                .filter_map(Result::ok)
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let n = name.strip_prefix("tx-")?.parse().ok()?;
                    Some((n, name))
                })
                .collect();
            tx.sort();
            let (text, bytes) = split_name(ifname.as_bytes());
            let ifname: Arc<str> = Arc::from(text.as_str());
            let ifname_bytes: Option<Arc<[u8]>> = bytes.map(Arc::from);
            for (_, queue) in tx {
                let dir = queues_dir.join(&queue).join("byte_queue_limits");
                let files = self.open_files(&dir);
                if !files.is_empty() {
                    self.queues.push(QueueFiles {
                        ifname: Arc::clone(&ifname),
                        ifname_bytes: ifname_bytes.clone(),
                        queue: Arc::from(queue.as_str()),
                        files,
                    });
                }
            }
        }
    }

    fn open_files(&mut self, dir: &Path) -> Vec<(Arc<str>, KernelFile)> {
        let Ok(entries) = fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        // Known files in their documented order, then any newer ones by name.
        names.sort_by_key(|n| {
            (
                BQL_FILES
                    .iter()
                    .position(|k| k.key == n)
                    .unwrap_or(BQL_FILES.len()),
                n.clone(),
            )
        });
        let mut files = Vec::with_capacity(names.len());
        for name in names {
            match KernelFile::open(&dir.join(&name)) {
                Ok(f) => files.push((Arc::from(name.as_str()), f)),
                Err(e) if e.is_gone() => {}
                Err(e) => self.warnings.push(Warning::File(crate::error_chain(&e))),
            }
        }
        files
    }
}

impl<W: LinkWatch> Reader for QueueLimitsReader<W> {
    fn kind(&self) -> &'static str {
        "queue_limits"
    }

    fn recordable(&self) -> bool {
        false
    }

    fn collect(&mut self) -> Result<Collected, ReadError> {
        if self.watch.changed() || self.rescan {
            self.rescan = false;
            self.scan();
        }
        let mut out = Vec::with_capacity(self.queues.len());
        for q in &self.queues {
            let mut values = Vec::with_capacity(q.files.len());
            let mut gone = false;
            for (name, file) in &q.files {
                match file.read_u64() {
                    Ok(v) => values.push((Arc::clone(name), v)),
                    Err(e) if e.is_gone() => {
                        gone = true;
                        break;
                    }
                    Err(e) => self.warnings.push(Warning::File(crate::error_chain(&e))),
                }
            }
            if gone {
                // The device went away: leave it out and rescan at the next sample.
                self.rescan = true;
                continue;
            }
            out.push(QueueLimits {
                ifname: Arc::clone(&q.ifname),
                ifname_bytes: q.ifname_bytes.clone(),
                queue: Arc::clone(&q.queue),
                values,
            });
        }
        for name in &self.ifaces {
            if !out.iter().any(|q| {
                q.ifname_bytes.as_deref().unwrap_or(q.ifname.as_bytes()) == name.as_bytes()
            }) && !self.net_dir().join(name).exists()
            {
                self.warnings
                    .push(Warning::InterfaceGone(name.to_string_lossy().into_owned()));
            }
        }
        Ok(Collected {
            stats: Stats::QueueLimits(out),
            partial: false,
            captured_at: None,
            warnings: std::mem::take(&mut self.warnings),
        })
    }
}
