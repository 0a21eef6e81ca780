//! Loading an XDP program that passes every packet and attaching it to an interface of the
//! calling thread's network namespace, by `bpf(BPF_PROG_LOAD)` and `RTM_SETLINK` / `IFLA_XDP`:
//! what `examples/xdp_pass.rs` (for the capture VM) and the link tests use, without a compiler
//! for BPF or bpftool. The program is two instructions, `r0 = XDP_PASS; exit`.

use std::ffi::CString;
use std::io;

// include/uapi/linux/bpf.h
const BPF_PROG_LOAD: libc::c_long = 5;
const BPF_PROG_TYPE_XDP: u32 = 6;
const BPF_OBJ_NAME_LEN: usize = 16;
// include/uapi/linux/if_link.h
const IFLA_XDP: u16 = 43;
const IFLA_XDP_FD: u16 = 1;
const IFLA_XDP_FLAGS: u16 = 3;
pub const XDP_FLAGS_SKB_MODE: u32 = 1 << 1;
pub const XDP_FLAGS_DRV_MODE: u32 = 1 << 2;
const NLA_F_NESTED: u16 = 0x8000;
const XDP_PASS: i32 = 2;

/// `union bpf_attr` as BPF_PROG_LOAD reads it, up to `expected_attach_type`.
#[repr(C)]
#[derive(Default)]
struct ProgLoad {
    prog_type: u32,
    insn_cnt: u32,
    insns: u64,
    license: u64,
    log_level: u32,
    log_size: u32,
    log_buf: u64,
    kern_version: u32,
    prog_flags: u32,
    prog_name: [u8; BPF_OBJ_NAME_LEN],
    prog_ifindex: u32,
    expected_attach_type: u32,
}

pub fn load(name: &str) -> io::Result<i32> {
    // BPF_ALU64 | BPF_MOV | BPF_K, dst r0, imm XDP_PASS; then BPF_JMP | BPF_EXIT.
    let mut insns = [0u8; 16];
    insns[0] = 0xb7;
    insns[4..8].copy_from_slice(&XDP_PASS.to_le_bytes());
    insns[8] = 0x95;
    let license = c"GPL";
    let mut attr = ProgLoad {
        prog_type: BPF_PROG_TYPE_XDP,
        insn_cnt: 2,
        insns: insns.as_ptr() as u64,
        license: license.as_ptr() as u64,
        ..ProgLoad::default()
    };
    let bytes = name.as_bytes();
    let n = bytes.len().min(BPF_OBJ_NAME_LEN - 1);
    attr.prog_name[..n].copy_from_slice(&bytes[..n]);
    // SAFETY: `attr` is a valid bpf_attr prefix of the size passed; the pointers in it point to
    // live buffers for the duration of the call.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_bpf,
            BPF_PROG_LOAD,
            &attr as *const ProgLoad,
            std::mem::size_of::<ProgLoad>() as u32,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(fd as i32)
}

fn attr(buf: &mut Vec<u8>, kind: u16, payload: &[u8]) {
    let len = 4 + payload.len();
    buf.extend_from_slice(&(len as u16).to_ne_bytes());
    buf.extend_from_slice(&kind.to_ne_bytes());
    buf.extend_from_slice(payload);
    while !buf.len().is_multiple_of(4) {
        buf.push(0);
    }
}

pub fn attach(ifindex: u32, prog: i32, flags: u32) -> io::Result<()> {
    let mut xdp = Vec::new();
    attr(&mut xdp, IFLA_XDP_FD, &prog.to_ne_bytes());
    attr(&mut xdp, IFLA_XDP_FLAGS, &flags.to_ne_bytes());
    let mut body = vec![0u8; 16]; // struct ifinfomsg
    body[4..8].copy_from_slice(&(ifindex as i32).to_ne_bytes());
    attr(&mut body, IFLA_XDP | NLA_F_NESTED, &xdp);
    let mut msg = Vec::with_capacity(16 + body.len());
    msg.extend_from_slice(&((16 + body.len()) as u32).to_ne_bytes());
    msg.extend_from_slice(&libc::RTM_SETLINK.to_ne_bytes());
    msg.extend_from_slice(&((libc::NLM_F_REQUEST | libc::NLM_F_ACK) as u16).to_ne_bytes());
    msg.extend_from_slice(&1u32.to_ne_bytes()); // sequence
    msg.extend_from_slice(&0u32.to_ne_bytes()); // port id: the kernel's
    msg.extend_from_slice(&body);

    // SAFETY: plain socket calls on a descriptor this function owns; buffers are valid for the
    // lengths passed.
    unsafe {
        let fd = libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_RAW | libc::SOCK_CLOEXEC,
            libc::NETLINK_ROUTE,
        );
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        let result = (|| {
            if libc::send(fd, msg.as_ptr().cast(), msg.len(), 0) < 0 {
                return Err(io::Error::last_os_error());
            }
            let mut reply = [0u8; 4096];
            let n = libc::recv(fd, reply.as_mut_ptr().cast(), reply.len(), 0);
            if n < 0 {
                return Err(io::Error::last_os_error());
            }
            let kind = u16::from_ne_bytes([reply[4], reply[5]]);
            if n < 20 || kind != libc::NLMSG_ERROR as u16 {
                return Err(io::Error::other("unexpected reply to RTM_SETLINK"));
            }
            let error = i32::from_ne_bytes([reply[16], reply[17], reply[18], reply[19]]);
            if error != 0 {
                return Err(io::Error::from_raw_os_error(-error));
            }
            Ok(())
        })();
        libc::close(fd);
        result
    }
}

/// Load a pass-all program named `name` and attach it to `ifname` with `flags`
/// (`XDP_FLAGS_SKB_MODE` or `XDP_FLAGS_DRV_MODE`); the interface keeps the program.
pub fn attach_pass(ifname: &str, name: &str, flags: u32) -> Result<(), String> {
    let cname = CString::new(ifname).map_err(|_| "bad interface name")?;
    // SAFETY: `cname` is a valid NUL-terminated string.
    let ifindex = unsafe { libc::if_nametoindex(cname.as_ptr()) };
    if ifindex == 0 {
        return Err(format!("no interface {ifname}"));
    }
    let prog = load(name).map_err(|e| format!("loading the program: {e}"))?;
    let attached = attach(ifindex, prog, flags).map_err(|e| format!("attaching to {ifname}: {e}"));
    // SAFETY: `prog` is a descriptor this process owns; the attachment holds its own reference.
    unsafe { libc::close(prog) };
    attached
}
