//! BPF programs by id: what the ip reader prints of an attached XDP program besides its id
//! (name, tag, jited), as iproute2 gets it — `bpf(BPF_PROG_GET_FD_BY_ID)` then
//! `bpf(BPF_OBJ_GET_INFO_BY_FD)`. The answer is not part of any netlink dump, so it comes
//! through a seam of its own: the kernel for live runs, nothing for a replayed capture.

use crate::model::ip::ProgInfo;
use crate::uapi::bpf::{BPF_OBJ_NAME_LEN, BPF_TAG_SIZE, bpf_prog_info};

/// Where a program's information comes from.
pub trait Programs {
    /// The information of program `id`, `None` when it cannot be had (not permitted, gone,
    /// or not asked: a replay).
    fn info(&mut self, id: u32) -> Option<ProgInfo>;
}

/// Ask the running kernel. Opening a program by id needs `CAP_SYS_ADMIN`: without it every
/// answer is `None`, and ip prints only the id too.
#[derive(Debug, Default)]
pub struct KernelPrograms;

impl Programs for KernelPrograms {
    fn info(&mut self, id: u32) -> Option<ProgInfo> {
        let (bytes, len) = crate::sys::bpf_prog_info(id).ok()?;
        // ip prints nothing but the id when the kernel filled nothing.
        (len > 0).then(|| prog_info(bytes.get(..len).unwrap_or_default()))
    }
}

/// Ask nobody: for replayed captures, which hold the netlink dumps but not the bpf answers.
#[derive(Debug, Default)]
pub struct NoPrograms;

impl Programs for NoPrograms {
    fn info(&mut self, _id: u32) -> Option<ProgInfo> {
        None
    }
}

/// Decode the start of a `struct bpf_prog_info`; bytes past what the kernel filled read as zero.
pub fn prog_info(bytes: &[u8]) -> ProgInfo {
    let mut b = [0u8; bpf_prog_info::SIZE];
    let n = bytes.len().min(b.len());
    b[..n].copy_from_slice(&bytes[..n]);
    let mut tag = [0u8; BPF_TAG_SIZE];
    tag.copy_from_slice(&b[bpf_prog_info::TAG..bpf_prog_info::TAG + BPF_TAG_SIZE]);
    let name = &b[bpf_prog_info::NAME..bpf_prog_info::NAME + BPF_OBJ_NAME_LEN];
    let end = name.iter().position(|&c| c == 0).unwrap_or(name.len());
    let jited = &b[bpf_prog_info::JITED_PROG_LEN..bpf_prog_info::JITED_PROG_LEN + 4];
    ProgInfo {
        name: String::from_utf8_lossy(&name[..end]).into_owned(),
        tag,
        jited: jited != [0; 4],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_at_their_offsets() {
        // Distinct bytes everywhere, so a field read at another offset shows.
        let mut b: Vec<u8> = (0..bpf_prog_info::SIZE as u8).map(|i| i | 0x80).collect();
        b[bpf_prog_info::NAME..bpf_prog_info::NAME + 6].copy_from_slice(b"xdp_a\0");
        b[bpf_prog_info::JITED_PROG_LEN..bpf_prog_info::JITED_PROG_LEN + 4]
            .copy_from_slice(&0x0100u32.to_ne_bytes());
        let info = prog_info(&b);
        assert_eq!(info.name, "xdp_a");
        assert_eq!(info.tag, [0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f]);
        assert!(info.jited);
        b[bpf_prog_info::JITED_PROG_LEN..bpf_prog_info::JITED_PROG_LEN + 4].fill(0);
        assert!(!prog_info(&b).jited);
        // A name of all 16 bytes has no terminator; short and empty answers do not panic.
        b[bpf_prog_info::NAME..bpf_prog_info::NAME + 16].copy_from_slice(b"abcdefghijklmnop");
        assert_eq!(prog_info(&b).name, "abcdefghijklmnop");
        assert_eq!(prog_info(&b[..20]).name, "");
        assert_eq!(prog_info(&[]).tag, [0; 8]);
    }
}
