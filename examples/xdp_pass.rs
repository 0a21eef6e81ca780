//! Loads an XDP program that passes every packet and attaches it to an interface of the current
//! network namespace, for the link tests and the capture VM of `captures/vm/record.sh` (which have
//! no compiler for BPF and no bpftool):
//!
//! ```text
//! xdp_pass IFNAME [--name PROG_NAME] [--mode generic|native]
//! ```
//!
//! The program is two instructions (`r0 = XDP_PASS; exit`) loaded with `bpf(BPF_PROG_LOAD)` under
//! the given name (default `nsp_pass`) and attached with `RTM_SETLINK` / `IFLA_XDP` in generic
//! (skb) mode unless `--mode native` is given. The attached interface keeps the program; the
//! process exits silently, or prints one line and exits 1 on failure.

use std::process::ExitCode;

#[path = "../tests/common/xdp.rs"]
mod xdp;

use xdp::{XDP_FLAGS_DRV_MODE, XDP_FLAGS_SKB_MODE, attach_pass};

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut ifname = None;
    let mut name = String::from("nsp_pass");
    let mut flags = XDP_FLAGS_SKB_MODE;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--name" => name = args.next().ok_or("--name needs a value")?,
            "--mode" => {
                flags = match args.next().as_deref() {
                    Some("generic") => XDP_FLAGS_SKB_MODE,
                    Some("native") => XDP_FLAGS_DRV_MODE,
                    _ => return Err("--mode is generic or native".into()),
                }
            }
            _ if ifname.is_none() && !arg.starts_with('-') => ifname = Some(arg),
            _ => return Err(format!("unexpected argument {arg}")),
        }
    }
    let ifname = ifname.ok_or("usage: xdp_pass IFNAME [--name NAME] [--mode generic|native]")?;
    attach_pass(&ifname, &name, flags)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xdp_pass: {e}");
            ExitCode::FAILURE
        }
    }
}
