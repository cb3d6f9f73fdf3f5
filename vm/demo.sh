#!/usr/bin/env bash
# make demo: the tutorial's session on the default kernel with the driver's
# trace events on; then, on a kernel whose tracefs can enable the events of
# a module before it is loaded, the load's own allocation.
#
#   vm/demo.sh KERNEL KDIR
#
# That second kernel is DEMO_LOAD_KERNEL with its build tree DEMO_LOAD_KDIR
# when given; otherwise the 7.3 line, when this tree has it
# (vm/kernels/build.sh) and it has been built: the newest
# ${QOTD_CACHE:-/var/cache/qotd}/kernel-7.3/*/ holding bzImage and tree/.
# It is never built here (that takes long); without it the session shows
# that the default kernel cannot trace the load, and the demo ends there.
# The guest itself checks that the kernel can (tests/guest/demo.sh).
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 KERNEL KDIR" >&2; exit 2; }
kernel=$1 kdir=$2
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${QOTD_CACHE:-/var/cache/qotd}

"$root/vm/interactive.sh" demo demo "$kernel" "$kdir"

load_kernel=${DEMO_LOAD_KERNEL:-} load_kdir=${DEMO_LOAD_KDIR:-}
if [ -z "$load_kernel" ] && [ -x "$root/vm/kernels/build.sh" ]; then
	for d in $(ls -dt "$cache"/kernel-7.3/*/ 2>/dev/null); do
		d=${d%/}
		if [ -f "$d/bzImage" ] && [ -f "$d/tree/Makefile" ]; then
			load_kernel=$d/bzImage load_kdir=$d/tree
			break
		fi
	done
	if [ -z "$load_kernel" ]; then
		echo
		echo "== The load's allocation can be traced on the 7.3 line, which is not built here yet:"
		echo "== vm/kernels/build.sh 7.3 builds it (a long build), then make demo shows it too."
		exit 0
	fi
fi
[ -n "$load_kernel" ] || exit 0
[ -n "$load_kdir" ] || { echo "demo: DEMO_LOAD_KERNEL needs DEMO_LOAD_KDIR, its build tree" >&2; exit 2; }

# A kernel built here refuses unsigned modules: the guest's are signed
# with its own key (vm/prepare-guest.sh takes QOTD_SIGN_KEY/_CERT).
if [ -z "${QOTD_SIGN_KEY:-}" ] && [ -f "$load_kdir/certs/signing_key.pem" ] &&
	[ -f "$load_kdir/certs/signing_key.x509" ]; then
	export QOTD_SIGN_KEY=$load_kdir/certs/signing_key.pem
	export QOTD_SIGN_CERT=$load_kdir/certs/signing_key.x509
fi

echo
echo "== The load's allocation, traced on a kernel that can: $load_kernel"
QOTD_APPEND="qotddemo=load${QOTD_APPEND:+ $QOTD_APPEND}" \
	"$root/vm/interactive.sh" demo demo-load "$load_kernel" "$load_kdir"
