#!/usr/bin/env bash
# Record golden captures on a second kernel: Debian 12's Linux 6.1, which has every qdisc kind,
# booted under qemu from a small initramfs (busybox, iproute2's ip/tc/ss, tcpdump, the static
# netstatspy build, the modules the scenario needs). Inside, captures/vm/guest.sh builds one
# veth per qdisc kind with traffic through each, then records through an nlmon device, with
# tcpdump, the netlink traffic of netstatspy and of iproute2 itself, and writes iproute2's
# output beside each capture. Run as root on a Debian 12 machine with network access to
# Debian's archive; takes a few minutes (software emulation, no KVM needed).
#
# usage: captures/vm/record.sh [--work DIR] [--out DIR]
#   --work DIR  where the kernel, initramfs and console log go (default: a new temporary dir,
#               removed at the end unless the run failed)
#   --out DIR   where the captures go (default: captures/)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=
out=$repo/captures
while [ $# -gt 0 ]; do
  case "$1" in
    --work) work=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: captures/vm/record.sh [--work DIR] [--out DIR]" >&2; exit 2 ;;
  esac
done
keep=true
if [ -z "$work" ]; then
  work=$(mktemp -d /tmp/netstatspy-vm.XXXXXX)
  keep=false
fi
mkdir -p "$work" "$out"
chmod 755 "$work"   # apt-get download hands the file to the _apt user
say() { printf '== %s\n' "$*"; }

say "packages"
need=()
for pkg in qemu-system-x86 busybox-static tcpdump kmod cpio iproute2 ca-certificates; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi

say "kernel"
# The newest Debian 6.1 image in the archive, unsigned (the signed one adds nothing here).
pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' |
      awk '{print $1}' | sort -V | tail -1)
[ -n "$pkg" ] || { echo "no linux-image-6.1.0-*-amd64-unsigned in the archive" >&2; exit 1; }
rm -rf "$work/kernel" "$work/root" "$work/out"
mkdir -p "$work/kernel" "$work/out"
(cd "$work" && rm -f ./*.deb && apt-get download -q "$pkg")
dpkg -x "$work"/*.deb "$work/kernel"
kver=$(ls "$work/kernel/lib/modules")
depmod -b "$work/kernel" "$kver"
echo "$pkg ($kver)"

say "netstatspy and the socket holder (static)"
RUSTFLAGS="-C target-feature=+crt-static" cargo build --quiet --locked --release \
  --manifest-path "$repo/Cargo.toml" --target x86_64-unknown-linux-gnu \
  --bin netstatspy --example hold_sockets
built=$repo/target/x86_64-unknown-linux-gnu/release

say "initramfs"
root=$work/root
mkdir -p "$root"/{bin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,out,root}
cp /bin/busybox "$root/bin/busybox"
# iproute2 and tcpdump at their own paths (the guest calls them by full path: Debian's busybox
# prefers its own applets), with every shared library ldd names.
for b in /usr/sbin/ip /usr/sbin/tc /usr/bin/ss /usr/bin/tcpdump; do
  cp "$(readlink -f "$b")" "$root$b"
  ldd "$b" | awk '$1 ~ /^\// {print $1} $3 ~ /^\// {print $3}' | while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
done
cp "$built/netstatspy" "$built/examples/hold_sockets" "$root/usr/bin/"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"
# Modules with their dependencies, in load order, as modprobe would resolve them.
mods="virtio_pci 9pnet_virtio 9p veth dummy nlmon ifb bridge inet_diag tcp_diag udp_diag
      tcp_bbr tcp_dctcp tcp_vegas cls_matchall"
for f in "$work/kernel/lib/modules/$kver/kernel/net/sched"/sch_*.ko*; do
  m=$(basename "$f"); mods="$mods ${m%%.ko*}"
done
: > "$root/modules.list"
for m in $mods; do
  modprobe -d "$work/kernel" -S "$kver" --show-depends "$m" | while read -r what path _; do
    [ "$what" = insmod ] || continue
    rel=${path#"$work/kernel"}
    grep -qxF "$rel" "$root/modules.list" && continue
    mkdir -p "$root$(dirname "$rel")"
    cp "$path" "$root$rel"
    echo "$rel" >> "$root/modules.list"
  done
done
cp "$here/guest.sh" "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.gz"
echo "$(wc -l < "$root/modules.list") modules, $(du -h "$work/initrd.gz" | cut -f1) initramfs"

say "boot (console: $work/console.log)"
# Software emulation: KVM inside a virtual machine of ours hangs at boot, TCG boots in seconds.
accel=(-accel tcg)
start=$(date +%s)
timeout 1800 qemu-system-x86_64 "${accel[@]}" -m 2048 -smp 2 -nographic -no-reboot -nic none \
  -kernel "$work/kernel/boot/vmlinuz-$kver" -initrd "$work/initrd.gz" \
  -append "console=ttyS0 panic=-1 quiet" \
  -virtfs "local,path=$work/out,mount_tag=out,security_model=none,id=out" \
  < /dev/null > "$work/console.log" 2>&1 || true
echo "the guest ran $(( $(date +%s) - start )) s"
if [ "$(cat "$work/out/status" 2>/dev/null)" != "ok" ]; then
  echo "the guest scenario failed; its log:" >&2
  tail -40 "$work/out/guest.log" >&2 2>/dev/null || tail -40 "$work/console.log" >&2
  echo "(work directory kept: $work)" >&2
  exit 1
fi

say "captures"
for f in "$work/out"/vm61-*; do
  cp "$f" "$out/"
  echo "  $out/$(basename "$f")"
done
$keep || rm -rf "$work"
