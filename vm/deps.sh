#!/usr/bin/env bash
# Install what building and testing qotd needs on a Debian 12 machine.
# Idempotent: when every package is already there it only asks dpkg, which
# takes well under a second, so the Makefile can run it before every check.
set -euo pipefail

packages=(
	make gcc gcc-multilib libc6-dev	# module, qotdctl and 32-bit guest tests
	kmod				# modinfo on the host
	linux-image-amd64		# the kernel the guest boots
	linux-headers-amd64		# ... and the tree the module is built against
	linux-source			# only scripts/checkpatch.pl is taken from it
	xz-utils			# to unpack that tarball
	perl				# checkpatch.pl
	sparse				# make C=1
	qemu-system-x86			# the guest
	busybox-static			# the guest's userland
	cpio gzip			# packing the initramfs
	coreutils			# timeout(1) for the guest
	dkms dh-dkms debhelper dpkg-dev	# DKMS and the Debian packages
	mandoc groff-base man-db bsdextrautils	# man page lint and rendering
	udev adduser passwd		# the udev rule and its group
	gnuplot-nox			# make bench's plot
	trinity				# the debug stage's system call fuzzer
)

missing=()
for p in "${packages[@]}"; do
	# dpkg-query prints "install ok installed" only for a fully set-up package.
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]} (run vm/deps.sh as root)" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
# No recommends: linux-source alone would otherwise pull in a desktop's worth.
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
