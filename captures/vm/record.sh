#!/usr/bin/env bash
# Record golden captures on real kernels other than this machine's: Debian 12's Linux 6.1
# (prefix vm61) and Debian trixie's Linux 6.12 (prefix vm612), each booted under qemu from a
# small initramfs (busybox, iproute2 6.1's ip/tc/ss, iproute2 6.15 from bookworm-backports at
# /opt/iproute2-6.15 with its own libraries, tcpdump, the static netstatspy build and examples,
# the modules the scenario needs). Inside, captures/vm/guest.sh builds links of many kinds and
# one veth per qdisc kind with traffic through each, then records through an nlmon device, with
# tcpdump, the netlink traffic of netstatspy and of iproute2 6.1 itself, and writes both
# iproute2 versions' output beside each capture. Packages come from the Debian mirror this
# machine's apt uses, through a private apt configuration under the work directory (its own
# sources list, state and cache: the system's /etc/apt is never changed). Run as root on a
# Debian 12 machine with access to that mirror; takes several minutes per kernel (software
# emulation, no KVM needed).
#
# usage: captures/vm/record.sh [--kernel 6.1|6.12|all] [--work DIR] [--out DIR]
#   --kernel K  which kernel to record on (default: all, i.e. 6.1 then 6.12)
#   --work DIR  where the packages, kernels, initramfs and console logs go (default: a new
#               temporary dir, removed at the end unless a run failed)
#   --out DIR   where the captures go (default: captures/)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=
out=$repo/captures
kernels="6.1 6.12"
usage="usage: captures/vm/record.sh [--kernel 6.1|6.12|all] [--work DIR] [--out DIR]"
while [ $# -gt 0 ]; do
  case "$1" in
    --kernel)
      case "${2:-}" in
        6.1|6.12) kernels=$2 ;;
        all) kernels="6.1 6.12" ;;
        *) echo "$usage" >&2; exit 2 ;;
      esac
      shift 2 ;;
    --work) work=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
keep=true
if [ -z "$work" ]; then
  work=$(mktemp -d /tmp/netstatspy-vm.XXXXXX)
  keep=false
fi
mkdir -p "$work" "$out"
work=$(cd "$work" && pwd)
chmod 755 "$work"   # apt-get download hands the file to the _apt user
# On failure the work directory stays, with the console and guest logs.
trap 'rc=$?; [ $rc = 0 ] || echo "failed (work directory kept: $work)" >&2' EXIT
say() { printf '== %s\n' "$*"; }

say "packages"
need=()
for pkg in qemu-system-x86 busybox-static tcpdump kmod cpio iproute2 ca-certificates xz-utils \
           zstd; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi

say "private apt configuration ($work/apt)"
# The Debian mirror of this machine's own sources, with bookworm (and its updates and security
# suites, as the system lists them), bookworm-backports and trixie. trixie is pinned low, so
# that only what is asked for by suite comes from it.
apt_dir=$work/apt
rm -rf "$apt_dir"
mkdir -p "$apt_dir/sources.list.d" "$apt_dir/preferences.d" "$apt_dir/state/lists/partial" \
  "$apt_dir/cache/archives/partial"
: > "$apt_dir/state/status"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  if [ -f "$f" ] && grep -q '^[^#]*debian' "$f"; then cp "$f" "$apt_dir/sources.list.d/"; fi
done
mirror=$(cat "$apt_dir"/sources.list.d/* | grep -v '^[[:space:]]*#' |
         grep -oE 'https?://[^ ]*/debian/?( |$)' | head -1 | tr -d ' ' || true)
mirror=${mirror:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
cat > "$apt_dir/sources.list" <<LIST
deb [signed-by=$keyring] $mirror bookworm-backports main
deb [signed-by=$keyring] $mirror trixie main
LIST
cat > "$apt_dir/preferences.d/trixie" <<PREF
Package: *
Pin: release n=trixie
Pin-Priority: 100
PREF
cat > "$apt_dir/apt.conf" <<CONF
Dir::Etc::sourcelist "$apt_dir/sources.list";
Dir::Etc::sourceparts "$apt_dir/sources.list.d";
Dir::Etc::preferences "$apt_dir/preferences";
Dir::Etc::preferencesparts "$apt_dir/preferences.d";
Dir::State "$apt_dir/state";
Dir::State::status "$apt_dir/state/status";
Dir::Cache "$apt_dir/cache";
CONF
export APT_CONFIG=$apt_dir/apt.conf
# The system's configuration may turn apt's package cache off (docker's images do): each call
# would parse every index again. On the command line, these win over /etc/apt/apt.conf.d.
apt_opts=(-o Dir::Cache::pkgcache=pkgcache.bin -o Dir::Cache::srcpkgcache=srcpkgcache.bin
          -o Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false)
echo "mirror $mirror"
apt-get "${apt_opts[@]}" update -q >/dev/null
# Download PACKAGE (from the first SUITE that has it) into DIR.
download() { # DIR PACKAGE SUITE...
  dir=$1 p=$2; shift 2
  for suite in "$@"; do
    (cd "$dir" && apt-get "${apt_opts[@]}" download -q "$p/$suite" >/dev/null 2>&1) && return 0
  done
  echo "$p: in none of $*" >&2
  exit 1
}

say "iproute2 6.15 (bookworm-backports)"
# Unpacked with the libraries it links against, from the packages it depends on (bookworm-
# backports where they are there, bookworm otherwise); what those need beyond that (libc,
# zlib...) is copied from this machine like iproute2 6.1's libraries.
new=$work/iproute2-6.15
rm -rf "$new" "$work/debs-6.15"
mkdir -p "$new" "$work/debs-6.15"
chmod 777 "$work/debs-6.15"
download "$work/debs-6.15" iproute2 bookworm-backports
for p in libbpf1 libelf1 libmnl0 libcap2 libtirpc3 libbsd0 libmd0 libdb5.3 libselinux1 \
         libxtables12; do
  download "$work/debs-6.15" "$p" bookworm-backports bookworm
done
for d in "$work/debs-6.15"/*.deb; do dpkg -x "$d" "$new"; done
new_libs=/opt/iproute2-6.15/lib/x86_64-linux-gnu:/opt/iproute2-6.15/usr/lib/x86_64-linux-gnu
host_new_libs=$new/lib/x86_64-linux-gnu:$new/usr/lib/x86_64-linux-gnu
LD_LIBRARY_PATH=$host_new_libs "$new/bin/ip" -V
ls "$work/debs-6.15"

say "netstatspy and the examples (static)"
RUSTFLAGS="-C target-feature=+crt-static" cargo build --quiet --locked --release \
  --manifest-path "$repo/Cargo.toml" --target x86_64-unknown-linux-gnu \
  --bin netstatspy --example hold_sockets --example xdp_pass
built=$repo/target/x86_64-unknown-linux-gnu/release

# Copy FILE into the initramfs ROOT at the same path, with every shared library ldd names
# (LD_LIBRARY_PATH as it will be in the guest, mapped to where it lies here).
with_libs() { # ROOT FILE [LD_LIBRARY_PATH]
  r=$1 f=$2 lp=${3:-}
  ldd_out=$(LD_LIBRARY_PATH=$lp ldd "$f")
  if echo "$ldd_out" | grep -q 'not found'; then
    echo "$f: $ldd_out" >&2
    exit 1
  fi
  echo "$ldd_out" | awk '$1 ~ /^\// {print $1} $3 ~ /^\// {print $3}' | while read -r lib; do
    case "$lib" in "$new"/*) continue ;; esac   # iproute2 6.15's own, copied with it
    mkdir -p "$r$(dirname "$lib")"
    cp -L "$lib" "$r$lib"
  done
}

# Boot KERNEL (6.1 or 6.12) with the scenario; its captures, PREFIX-*, go to $out.
record() { # KERNEL PREFIX
  kernel=$1 prefix=$2
  kw=$work/$prefix
  say "$prefix: kernel $kernel"
  case "$kernel" in
    # The newest Debian 12 image, unsigned (the signed one adds nothing here).
    6.1) pattern='^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$'
         suites="bookworm-security bookworm-updates bookworm" ;;
    # The newest trixie 6.12 image (bookworm-backports has 6.12 too, built for Debian 12).
    6.12) pattern='^linux-image-6\.12\.[0-9]+\+deb13-amd64-unsigned$' suites=trixie ;;
  esac
  pkg=$(apt-cache "${apt_opts[@]}" search --names-only "$pattern" | awk '{print $1}' | sort -V | tail -1)
  [ -n "$pkg" ] || { echo "no package matches $pattern" >&2; exit 1; }
  rm -rf "$kw"
  mkdir -p "$kw/kernel" "$kw/out" "$kw/deb"
  chmod 777 "$kw/deb"
  # shellcheck disable=SC2086
  download "$kw/deb" "$pkg" $suites
  dpkg -x "$kw"/deb/*.deb "$kw/kernel"
  # trixie's image has its modules under /usr/lib/modules, where depmod 30 does not look.
  if [ ! -e "$kw/kernel/lib/modules" ] && [ -d "$kw/kernel/usr/lib/modules" ]; then
    mkdir -p "$kw/kernel/lib"
    ln -s ../usr/lib/modules "$kw/kernel/lib/modules"
  fi
  kver=$(ls "$kw/kernel/lib/modules")
  depmod -b "$kw/kernel" "$kver"
  echo "$pkg ($kver)"

  root=$kw/root
  mkdir -p "$root"/{bin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,out,root,opt}
  cp /bin/busybox "$root/bin/busybox"
  # iproute2 6.1 and tcpdump at their own paths (the guest calls them by full path: Debian's
  # busybox prefers its own applets), with every shared library ldd names.
  for b in /usr/sbin/ip /usr/sbin/tc /usr/bin/ss /usr/bin/tcpdump; do
    cp "$(readlink -f "$b")" "$root$b"
    with_libs "$root" "$b"
  done
  # iproute2 6.15 at /opt/iproute2-6.15 with its libraries, run with LD_LIBRARY_PATH.
  mkdir -p "$root/opt/iproute2-6.15"
  cp -a "$new/." "$root/opt/iproute2-6.15/"
  rm -rf "$root/opt/iproute2-6.15/usr/share/man" "$root/opt/iproute2-6.15/usr/share/doc"
  for b in bin/ip sbin/tc bin/ss; do
    with_libs "$root" "$new/$b" "$host_new_libs"
  done
  # Protodown reasons by name (both versions read them from here).
  mkdir -p "$root/etc/iproute2/protodown_reasons.d"
  printf '0 nsp_maint\n5 nsp_test\n' > "$root/etc/iproute2/protodown_reasons.d/nsp.conf"
  cp "$built/netstatspy" "$built/examples/hold_sockets" "$built/examples/xdp_pass" \
    "$root/usr/bin/"
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
  printf 'root:x:0:\n' > "$root/etc/group"
  cat > "$root/etc/netstatspy-vm" <<VARS
PREFIX=$prefix
NEW_LIBS=$new_libs
VARS
  # Modules with their dependencies, in load order, as modprobe would resolve them; compressed
  # ones (6.12's .ko.xz) unpacked here, so busybox's insmod needs no decompressor.
  mods="virtio_pci 9pnet_virtio 9p virtio_net veth dummy nlmon ifb bridge inet_diag tcp_diag
        udp_diag tcp_bbr tcp_dctcp tcp_vegas cls_matchall 8021q macvlan ipvlan vxlan ip_gre
        ipip sit bonding"
  for f in "$kw/kernel/lib/modules/$kver/kernel/net/sched"/sch_*.ko*; do
    m=$(basename "$f"); mods="$mods ${m%%.ko*}"
  done
  : > "$root/modules.list"
  for m in $mods; do
    modprobe -d "$kw/kernel" -S "$kver" --show-depends "$m" | while read -r what path _; do
      [ "$what" = insmod ] || continue
      rel=${path#"$kw/kernel"}
      rel=${rel%.xz}; rel=${rel%.zst}
      grep -qxF "$rel" "$root/modules.list" && continue
      mkdir -p "$root$(dirname "$rel")"
      case "$path" in
        *.xz) xz -dc "$path" > "$root$rel" ;;
        *.zst) zstd -qdc "$path" > "$root$rel" ;;
        *) cp "$path" "$root$rel" ;;
      esac
      echo "$rel" >> "$root/modules.list"
    done
  done
  cp "$here/guest.sh" "$root/init"
  chmod +x "$root/init"
  (cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$kw/initrd.gz"
  echo "$(wc -l < "$root/modules.list") modules, $(du -h "$kw/initrd.gz" | cut -f1) initramfs"

  say "$prefix: boot (console: $kw/console.log)"
  # Software emulation: KVM inside a virtual machine of ours hangs at boot, TCG boots in
  # seconds. A virtio NIC on a restricted user network (nothing reaches out), so the guest has
  # a PCI network device with its bus and device names.
  start=$(date +%s)
  timeout 2700 qemu-system-x86_64 -accel tcg -m 2048 -smp 2 -nographic -no-reboot \
    -netdev user,id=n0,restrict=on,net=192.168.76.0/24 -device virtio-net-pci,netdev=n0 \
    -kernel "$kw/kernel/boot/vmlinuz-$kver" -initrd "$kw/initrd.gz" \
    -append "console=ttyS0 panic=-1 quiet" \
    -virtfs "local,path=$kw/out,mount_tag=out,security_model=none,id=out" \
    < /dev/null > "$kw/console.log" 2>&1 || true
  echo "the guest ran $(( $(date +%s) - start )) s"
  if [ "$(cat "$kw/out/status" 2>/dev/null)" != "ok" ]; then
    echo "the guest scenario failed; its log:" >&2
    tail -40 "$kw/out/guest.log" >&2 2>/dev/null || tail -40 "$kw/console.log" >&2
    exit 1
  fi
  say "$prefix: captures"
  for f in "$kw/out/$prefix"-*; do
    cp "$f" "$out/"
    echo "  $out/$(basename "$f")"
  done
}

for k in $kernels; do
  case "$k" in
    6.1) record 6.1 vm61 ;;
    6.12) record 6.12 vm612 ;;
  esac
done
trap - EXIT
$keep || rm -rf "$work"
