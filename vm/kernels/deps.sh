#!/usr/bin/env bash
# Install what the kernel lines of `make check` need, beyond vm/deps.sh:
#
#   vm/kernels/deps.sh [LINE...]     default: every line (see lines.sh)
#
#   6.12, 6.12-rt  Debian 12 backports: the newest linux-image-6.12.*+deb12
#                  (-rt)-amd64 and its headers, named exactly, and dwarves
#                  (the headers' Makefile runs pahole for the module's BTF)
#   7.3            what building a kernel needs, openssl and libssl-dev
#                  (module signing)
#   7.3-clang      the same, and clang-19, lld-19 and llvm-19 (LLVM=-19)
#
# The backports packages come through vm/kernels/apt.sh, a private apt
# sources list: the machine's own sources stay as they are, and nothing
# installed from bookworm changes. The metapackages are never installed:
# Debian 12's linux-image-amd64 keeps naming 6.1, which vm/kver.sh takes
# for the default kernel. Idempotent, like vm/deps.sh; root only when
# something is missing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -gt 0 ] || set -- 6.12 6.12-rt 7.3 7.3-clang

say() { echo "kernels/deps: $*" >&2; }
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]; }

plain=() backports=()
for line in "$@"; do
	case $line in
	6.1) ;;
	6.12 | 6.12-rt)
		plain+=(dwarves)
		flavour=amd64
		[ "$line" = 6.12 ] || flavour=rt-amd64
		# Already there: nothing to ask the archive.
		if ls /boot/vmlinuz-6.12.*+deb12-"$flavour" >/dev/null 2>&1 &&
			[ -n "$(ls -d /lib/modules/6.12.*+deb12-"$flavour"/build/ 2>/dev/null)" ]; then
			continue
		fi
		# The metapackage of the suite names the newest ABI; install
		# that exact image and headers, not the metapackage.
		dep=$("$here/apt.sh" bookworm-backports install -s -y --no-install-recommends \
			"linux-image-$flavour/bookworm-backports" 2>/dev/null |
			sed -n -E "s/^Inst (linux-image-6\.12\.[^ ]*\+deb12-$flavour) .*/\1/p" | head -n 1)
		[ -n "$dep" ] || { say "bookworm-backports has no linux-image-$flavour"; exit 1; }
		backports+=("$dep" "${dep/linux-image-/linux-headers-}")
		;;
	7.3 | 7.3-clang)
		plain+=(build-essential bc flex bison libelf-dev libssl-dev openssl xz-utils cpio)
		[ "$line" = 7.3 ] || plain+=(clang-19 lld-19 llvm-19)
		;;
	*) say "unknown line $line"; exit 2 ;;
	esac
done

missing=()
for p in ${plain[@]+"${plain[@]}"}; do
	installed "$p" || missing+=("$p")
done
for p in ${backports[@]+"${backports[@]}"}; do
	installed "$p" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	say "missing packages: ${missing[*]} (run vm/kernels/deps.sh as root)"
	exit 1
fi
say "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# No recommends: the image would bring apparmor and firmware.
"$here/apt.sh" bookworm-backports install -y --no-install-recommends "${missing[@]}" >&2
