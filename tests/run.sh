#!/usr/bin/env bash
# The test command: prepares this machine for every test, then runs `cargo test --locked` with
# the arguments given (`tests/run.sh --test captures`, `tests/run.sh -- --nocapture`).
#
# Plain `cargo test --locked` runs the same tests, but lists those whose prerequisites the
# machine lacks as ignored. This script provides what it can: as root on Debian it installs
# iproute2 (ip, tc and ss: the live tests' oracle), strace (proves that no other program is
# executed), tshark (reads the captures), zstd (reads compressed output), python3 (runs the
# reference reader of changes-only records), chromium (opens the HTML reports headless),
# tmux (the terminal the console's terminal view runs in), prometheus (scrapes the metrics
# endpoint) and man-db (renders the man page) when
# they are missing, and pyarrow (python3 -m pip;
# reads the exported Parquet files) where python3 has it not, and it builds the static
# binary the bare-root tests copy, unless NETSTATSPY_STATIC already names one. Root itself it
# cannot provide: run as another user, the live tests are listed as ignored (with CI set, they
# fail).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "tests/run.sh: $*" >&2; }

root=false
[ "$(id -u)" -eq 0 ] && root=true

# An executable file on PATH, as the tests look for it. (`command -v` alone also names a file
# that is not executable when no other is found.)
on_path() {
  local file
  file=$(command -v "$1") && [ -f "$file" ] && [ -x "$file" ]
}

# A package counts as missing when one of its programs is.
missing=()
for entry in iproute2:ip,tc,ss strace:strace tshark:tshark zstd:zstd python3:python3 chromium:chromium prometheus:prometheus,promtool man-db:man tmux:tmux; do
  IFS=, read -ra programs <<<"${entry#*:}"
  for program in "${programs[@]}"; do
    if ! on_path "$program"; then
      missing+=("${entry%%:*}")
      break
    fi
  done
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! $root; then
    say "not root: cannot install ${missing[*]}; the tests that need them are listed as ignored"
  elif ! command -v apt-get >/dev/null; then
    say "no apt-get: install ${missing[*]} by hand; the tests that need them are listed as ignored"
  else
    echo "== installing ${missing[*]}"
    # Installing tshark asks whether users outside the wireshark group may capture; answer
    # (no) beforehand so that nothing waits for a terminal.
    echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi
# pyarrow: python3 reads the Parquet files `netstatspy export` writes, independently of it.
if ! python3 -c 'import pyarrow' 2>/dev/null; then
  if ! command -v python3 >/dev/null && $root && command -v apt-get >/dev/null; then
    echo "== installing python3"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3 python3-pip
  fi
  if ! python3 -m pip --version >/dev/null 2>&1 && $root && command -v apt-get >/dev/null; then
    echo "== installing python3-pip"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-pip
  fi
  echo "== installing pyarrow (pip)"
  # Debian marks its Python as externally managed; the tests need pyarrow beside it.
  python3 -m pip install --quiet pyarrow 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages pyarrow \
    || say "cannot install pyarrow: the export tests that read Parquet are listed as ignored"
fi

$root || say "not root: the live tests (network namespaces, mounts) are listed as ignored"

if [ -n "${NETSTATSPY_STATIC:-}" ]; then
  echo "== static binary: NETSTATSPY_STATIC=$NETSTATSPY_STATIC"
else
  echo "== static binary (for the bare-root tests)"
  # Where build.rs looks when NETSTATSPY_STATIC is not set.
  default="${CARGO_TARGET_DIR:-target}/x86_64-unknown-linux-gnu/release/netstatspy"
  existed=false
  [ -f "$default" ] && existed=true
  # cargo names the binary it built (JSON on stdout; its progress and diagnostics on stderr),
  # wherever the target directory is configured to be.
  artifacts=$(RUSTFLAGS="-C target-feature=+crt-static" cargo build --locked --release \
    --target x86_64-unknown-linux-gnu --bin netstatspy --message-format=json-render-diagnostics)
  built=$(sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' <<<"$artifacts")
  if [ ! -f "$built" ]; then
    say "cargo built no static binary that can be found (got '$built')"
    exit 1
  fi
  # The tests need NETSTATSPY_STATIC when the binary is not where build.rs looks by default,
  # and once when this build created it: an earlier build of the tests may have looked while
  # it was missing, and cargo cannot watch for a file to appear; a new NETSTATSPY_STATIC
  # makes build.rs look again.
  if ! $existed || [ ! "$built" -ef "$default" ]; then
    export NETSTATSPY_STATIC="$built"
  fi
fi

echo "== cargo test --locked $*"
exec cargo test --locked "$@"
