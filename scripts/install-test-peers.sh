#!/usr/bin/env bash
# Installs the Debian packages (bookworm) that the test suite's real peers need, each only when it is
# missing. Idempotent; CI runs it as root on a fresh machine before `npm test`.
#
# Usage: scripts/install-test-peers.sh
#   As root: runs `apt-get update` once (only if something is missing), then installs what is missing.
#   Not root: prints what is missing and exits 1 (0 if nothing is).
# Prints one line per package: "<package>: present" or "<package>: installed".
#
# To add a peer, add one line to PEERS below: "<debian-package> <command-that-proves-it-is-there>".
set -euo pipefail

# package            probe (a command on PATH; "-" means ask dpkg only)
PEERS=(
  "chromium          chromium"  # headless browser for test/browser (brings its own libraries)
  "openssl           openssl"   # test certificates
  "xvfb              Xvfb"      # X server for the real-VNC-peer test (test/proxy/vnc)
  "x11vnc            x11vnc"    # VNC server sharing that X display
  "x11-xserver-utils xsetroot"  # xsetroot paints the root window a known colour
  "tigervnc-standalone-server Xvnc"  # TigerVNC's Xvnc: second real VNC peer (VncAuth, VeNCrypt)
  "tigervnc-tools    vncpasswd" # writes Xvnc's -rfbauth password file
  "xclip             xclip"     # reads/owns the X CLIPBOARD in the Xvnc clipboard test
  "x11-apps          xwd"       # dumps the X display to compare with the decoded framebuffer
  "x11-utils         xprop"     # test/browser/proxy-e2e: sets the X cut buffer x11vnc forwards
  "xterm             xterm"     # bench/proxy: the terminal the scroll and typing workloads draw in
  "xdotool           xdotool"   # bench/proxy: drags a window and types slowly
  "xrdp              xrdp"      # RDP server for the real-RDP-peer test (test/proxy/rdp-plugin)
  "xorgxrdp          -"         # its Xorg session backend (xrdpdev driver)
  "freerdp2-shadow-x11 freerdp-shadow-cli"  # FreeRDP's shadow server: real NLA (CredSSP) peer
  "procps            ps"        # test/support/xrdp.ts finds and stops the xrdp session's processes
  # "slapd           slapd"
  # "postgresql      -"
)

# Packages whose recommends are needed for the peer to work; every other one gets --no-install-recommends.
WITH_RECOMMENDS=()

export DEBIAN_FRONTEND=noninteractive

# $1 = package, $2 = probe; succeeds when the package is installed and the probe (if any) is on PATH.
is_present() {
  local pkg=$1 probe=$2
  dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qx installed || return 1
  [[ $probe == - ]] || command -v "$probe" >/dev/null 2>&1
}

# $1 = package; succeeds when it must be installed with its recommends.
wants_recommends() {
  local p
  for p in "${WITH_RECOMMENDS[@]}"; do [[ $p == "$1" ]] && return 0; done
  return 1
}

missing=()
for entry in "${PEERS[@]}"; do
  read -r pkg probe <<<"$entry"
  if is_present "$pkg" "$probe"; then
    echo "$pkg: present"
  else
    missing+=("$pkg")
  fi
done

((${#missing[@]} == 0)) && exit 0

if ((EUID != 0)); then
  echo "install-test-peers: not root; missing Debian packages: ${missing[*]}" >&2
  echo "install-test-peers: run as root, or: apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

apt-get update -qq

for entry in "${PEERS[@]}"; do
  read -r pkg probe <<<"$entry"
  [[ " ${missing[*]} " == *" $pkg "* ]] || continue
  flags=(-y -qq)
  wants_recommends "$pkg" || flags+=(--no-install-recommends)
  apt-get install "${flags[@]}" "$pkg" >/dev/null
  if ! is_present "$pkg" "$probe"; then
    echo "install-test-peers: $pkg installed, but '$probe' is still not on PATH" >&2
    exit 1
  fi
  echo "$pkg: installed"
done
