#!/usr/bin/env bash
# On a kernel that refuses unsigned modules: TAP on stdout.
#
#   tests/kernels/signed.sh NAME KERNEL KDIR
#
# Builds qotd.ko against KDIR and boots KERNEL with three copies of it:
#   unsigned   as built: must be refused;
#   foreign    signed with a key made here, which the kernel does not
#              trust: must be refused;
#   signed     signed by `make sign` with the kernel's own key
#              (KDIR/certs/signing_key.pem, .x509): must load and work.
# The guest side is tests/kernels/guest/signed.sh; the guest itself must
# say that it enforces signatures. On a kernel that does not, the first
# two checks fail: that is the point. Work files go to build/NAME-signed/
# and build/NAME-signed-guest/.
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 NAME KERNEL KDIR" >&2; exit 2; }
name=$1 kernel=$2 kdir=$3
# root, src, check (one TAP line per command), failures.
# shellcheck source=tests/install/lib.sh
. "$(dirname "$0")/../install/lib.sh"
out=$root/build/$name-signed
label="$name: signed modules"
# QOTD_SIGN_KEY, QOTD_SIGN_CERT: the kernel's key, where the tree does not keep it.
key=${QOTD_SIGN_KEY:-$kdir/certs/signing_key.pem} cert=${QOTD_SIGN_CERT:-$kdir/certs/signing_key.x509}

# run_step DESCRIPTION COMMAND...: check's TAP line; stop at a failure,
# since each step needs the one before.
run_step() {
	local desc=$1
	shift
	check "$label: $desc" "$@"
	[ "$failures" -eq 0 ] || exit 0
}

rm -rf "$out"
mkdir -p "$out/overlay/tests/signed"
run_step "build qotd.ko against $kdir" \
	env QOTD_SRC="$src" "$root/vm/build-module.sh" "$kdir" "$name-signed/module"
ko=$out/module/driver/qotd.ko
cp "$ko" "$out/overlay/tests/signed/unsigned.ko"

# A key of our own: a valid signature, by no one the kernel trusts.
run_step "make a key the kernel does not know" \
	openssl req -new -nodes -utf8 -sha256 -days 36500 -batch -x509 \
	-subj "/CN=qotd untrusted test key/" -outform DER -out "$out/foreign.der" \
	-keyout "$out/foreign.pem"
cp "$ko" "$out/foreign.ko"
run_step "sign a copy with that key" \
	"$root/vm/sign-module.sh" "$kdir" "$out/foreign.pem" "$out/foreign.der" "$out/foreign.ko"
cp "$out/foreign.ko" "$out/overlay/tests/signed/foreign.ko"

# make sign builds into build/module/ for KDIR and signs what it built.
run_step "make sign KDIR=... SIGN_KEY=<the kernel's key>" \
	make -C "$src" sign KDIR="$kdir" SIGN_KEY="$key" SIGN_CERT="$cert"
cp "$src/build/module/driver/qotd.ko" "$out/overlay/tests/signed/signed.ko"
if modinfo -F sig_key "$out/overlay/tests/signed/signed.ko" | grep -q . ; then
	echo "ok - $label: make sign's module carries a signature (modinfo sig_key)"
else
	echo "not ok - $label: make sign's module carries a signature (modinfo sig_key)"
fi

# The suite's base image needs a qotd.ko: the unsigned one (never loaded
# by the guest script under that name).
QOTD_GUEST_KERNEL=$kernel "$root/tests/install/guest.sh" "$name-signed-guest" "$ko" \
	"$root/tests/kernels/guest/signed.sh" "$out/overlay" |
	sed "s| - $name-signed-guest: | - $label: guest: |" || true
