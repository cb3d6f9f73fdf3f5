#!/usr/bin/env bash
# Print the release of an installed Debian kernel of one line.
#
#   vm/kver.sh [LINE]      LINE: 6.1 (the default), 6.12 or 6.12-rt
#
# 6.1      the image Debian 12's linux-image-amd64 depends on (e.g.
#          6.1.0-57-amd64): the default kernel of every target, whatever
#          else is installed; without that metapackage, the newest
#          /boot/vmlinuz-6.1.*-amd64
# 6.12     the newest /boot/vmlinuz-6.12.*+deb12-amd64 (bookworm-backports)
# 6.12-rt  the newest /boot/vmlinuz-6.12.*+deb12-rt-amd64 (PREEMPT_RT)
# The running kernel may be anything, with or without headers, so the guest
# kernel is chosen from what Debian put in /boot. vm/kernels/deps.sh
# installs the 6.12 lines, vm/deps.sh the 6.1 one.
set -euo pipefail

line=${1:-6.1}
newest() { ls /boot/vmlinuz-$1 2>/dev/null | sort -V | tail -n 1; }
case $line in
6.1)
	# Debian 12's metapackage, as installed (Depends: linux-image-6.1.0-N-amd64).
	dep=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null | sed -E 's/[ ,(].*//' || true)
	case $dep in
	linux-image-6.1.*-amd64) found=/boot/vmlinuz-${dep#linux-image-} ;;
	*) found=$(newest '6.1.*-amd64') ;;
	esac
	[ -e "$found" ] || found=
	;;
6.12) found=$(newest '6.12.*+deb12-amd64') ;;
6.12-rt) found=$(newest '6.12.*+deb12-rt-amd64') ;;
*) echo "kver: unknown kernel line $line (6.1, 6.12, 6.12-rt)" >&2; exit 2 ;;
esac
if [ -z "$found" ]; then
	echo "kver: no Debian $line kernel in /boot; run vm/deps.sh (6.1) or vm/kernels/deps.sh" >&2
	exit 1
fi
echo "${found#/boot/vmlinuz-}"
