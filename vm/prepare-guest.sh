#!/usr/bin/env bash
# Build everything the guest needs and pack it: TAP on stdout, one line per
# build step, progress on stderr.
#
#   vm/prepare-guest.sh NAME KDIR
#
# Produces build/NAME/initramfs.cpio.gz holding qotd.ko built against KDIR,
# qotdctl and the guest tests (both static), all built in build/NAME/ so
# that runs under different names share nothing. A failing qotdctl or
# guest-test build is reported and the image is packed without it, so the
# remaining tests still run; exit status 1 only when there is no image.
# QOTD_SRC: take the sources from another tree than this repository.
# QOTD_SIGN_KEY, QOTD_SIGN_CERT: sign every module packed (qotd.ko and any
# built beside it) with this key and certificate (vm/sign-module.sh), for a
# kernel that refuses unsigned modules.
# QOTD_GUEST_EXTRA: further suites to build and pack, as source directories
# relative to the sources (e.g. tests/debug): each is built with
# `make -C DIR O=...` and lands in the guest as /tests/BASENAME/.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 NAME KDIR" >&2; exit 2; }
name=$1 kdir=$2
root=$(cd "$(dirname "$0")/.." && pwd)
src=${QOTD_SRC:-$root}
out=$root/build/$name
shared=$out/guest
mkdir -p "$out" "$shared"

say() { echo "== $name: $*" >&2; }

# step DESCRIPTION LOGFILE COMMAND...: run with output to LOGFILE, print one
# TAP line, and the tail of the log as comments when it fails.
step() {
	local desc=$1 log=$2
	shift 2
	if "$@" >"$log" 2>&1; then
		echo "ok - $name: $desc"
	else
		echo "not ok - $name: $desc"
		tail -n 20 "$log" | sed 's/^/#   /'
		echo "#   full log: $log"
		return 1
	fi
}

say "building qotd.ko against $kdir"
step "build qotd.ko against $kdir" "$out/build-module.log" \
	env QOTD_SRC="$src" "$root/vm/build-module.sh" "$kdir" "$name" || exit 1

if [ -n "${QOTD_SIGN_KEY:-}" ]; then
	say "signing the modules with $QOTD_SIGN_KEY"
	step "sign the modules with $(basename "$QOTD_SIGN_KEY")" "$out/sign-module.log" \
		"$root/vm/sign-module.sh" "$kdir" "$QOTD_SIGN_KEY" "${QOTD_SIGN_CERT:?QOTD_SIGN_CERT too}" \
		"$out"/driver/*.ko || exit 1
fi

qotdctl=$shared/qotdctl/qotdctl
say "building qotdctl (static)"
step "build qotdctl (static)" "$shared/qotdctl.log" \
	make -C "$src/qotdctl" O="$shared/qotdctl" LDFLAGS=-static || qotdctl=-

tests=$shared/tests
say "building the guest tests"
# Start empty so a test removed from the sources cannot linger in /tests.
rm -rf "$tests"
mkdir -p "$tests"
step "build guest tests" "$shared/tests.log" \
	make -C "$src/tests/guest" O="$tests" || tests=-

extras=()
for d in ${QOTD_GUEST_EXTRA:-}; do
	base=${d##*/}
	say "building the $base tests"
	rm -rf "$shared/extra/$base"
	mkdir -p "$shared/extra/$base"
	# Not packed when the build fails: its run-all.sh is then missing in
	# the guest, which reports that.
	step "build $d" "$shared/extra/$base.log" \
		make -C "$src/$d" O="$shared/extra/$base" && extras+=("$shared/extra/$base")
done

say "packing the initramfs"
step "pack the initramfs" "$out/initramfs.log" \
	env QOTD_SRC="$src" "$root/vm/mkinitramfs.sh" \
	"$out/initramfs.cpio.gz" "$out/driver/qotd.ko" "$qotdctl" "$tests" ${extras[@]+"${extras[@]}"} || exit 1
