#!/usr/bin/env bash
# Check the debug kernel: build the dbgcheck module against the cached tree,
# boot the kernel under QEMU with a busybox initramfs, and check that every
# debugging aid the qotd tests rely on works, for module code too.
#
# usage: vm/debug/check-kernel.sh [KERNEL_DIR]
#
# KERNEL_DIR is a cache directory from build-kernel.sh (default: whatever
# build-kernel.sh prints, building the kernel if needed). Work files go to
# ${QOTD_BUILD:-<repo>/build}/debug-kernel-check/. Prints one TAP line per
# check and ends with "N passed, N failed"; exits 1 if any check failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${QOTD_BUILD:-$repo/build}/debug-kernel-check

die() { echo "check-kernel: error: $*" >&2; exit 1; }

if [ $# -ge 1 ]; then
	kernel=$1
else
	kernel=$("$here/build-kernel.sh" | tail -n 1)
fi
if [ ! -f "$kernel/bzImage" ] || [ ! -d "$kernel/tree" ]; then
	die "no kernel in '$kernel'"
fi

busybox=$(command -v busybox || true)
[ -n "$busybox" ] || die "busybox not found (install busybox-static)"
if ldd "$busybox" >/dev/null 2>&1; then
	die "$busybox is dynamically linked (install busybox-static)"
fi

rm -rf "$out"
mkdir -p "$out/mod" "$out/root"/{bin,dev,proc,sys,tmp}

echo "check-kernel: building dbgcheck.ko against $kernel/tree" >&2
cp "$here/check/dbgcheck.c" "$here/check/Kbuild" "$out/mod/"
make -C "$kernel/tree" M="$out/mod" modules >"$out/module.log" 2>&1 ||
	{ cat "$out/module.log" >&2; die "module build failed"; }
gcc -static -O2 -pthread -o "$out/root/probe64" "$here/check/probe.c"
gcc -m32 -static -O2 -pthread -o "$out/root/probe32" "$here/check/probe.c" ||
	die "cannot build 32-bit programs (install gcc-multilib)"

cp "$busybox" "$out/root/bin/busybox"
cp "$here/check/init" "$out/root/init"
chmod 755 "$out/root/init"
cp "$out/mod/dbgcheck.ko" "$out/root/"
(cd "$out/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.cpio.gz"

echo "check-kernel: booting $kernel/bzImage" >&2
start=$(date +%s%N)
rc=0
timeout 300 qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 1G \
	-display none -monitor none -nic none -no-reboot \
	-kernel "$kernel/bzImage" -initrd "$out/initramfs.cpio.gz" \
	-append "console=ttyS0 kmemleak=on panic=-1" \
	-serial "file:$out/console.log" -serial "file:$out/ttyS1.log" \
	</dev/null >"$out/qemu.log" 2>&1 || rc=$?
end=$(date +%s%N)
tr -d '\r' <"$out/console.log" >"$out/console.txt"

pass=0 fail=0 n=0
result() {	# result ok|fail NAME [DETAIL]
	n=$((n + 1))
	if [ "$1" = ok ]; then
		pass=$((pass + 1))
		echo "ok $n - $2"
	else
		fail=$((fail + 1))
		echo "not ok $n - $2${3:+: $3}"
	fi
}

# Every check the guest runs, in order: a missing line is a failure.
guest_checks="no-acpi-errors-at-boot two-cpus kasan-initialized lockdep-active kmemleak-file fail-nth
	failslab fail-page-alloc kunit-debugfs syscalls-64
	syscalls-32 memcg ttyS1 module-load module-kunit module-unload
	atomic-sleep-caught lock-order-caught kasan-caught kmemleak-caught
	kmemleak-nothing-else"

# shellcheck disable=SC2086 # split the list into words
set -- $guest_checks
echo "1..$(($# + 3))"
for c in $guest_checks; do
	line=$(grep -a -m1 "^CHECK [a-z]* $c\b" "$out/console.txt" || true)
	case $line in
	"CHECK ok $c") result ok "$c" ;;
	"") result fail "$c" "no result (see $out/console.txt)" ;;
	*) result fail "$c" "${line#"CHECK fail $c: "}" ;;
	esac
done
if grep -q "CHECK-CHANNEL ttyS1 works" "$out/ttyS1.log"; then
	result ok "ttyS1-reaches-host"
else
	result fail "ttyS1-reaches-host" "nothing in $out/ttyS1.log"
fi
if [ $rc -eq 0 ]; then
	result ok "qemu-exits-on-reboot"
else
	result fail "qemu-exits-on-reboot" "qemu exit status $rc (124: timed out)"
fi
if grep -aq "Kernel panic\|BUG: unable to handle\|general protection fault" "$out/console.txt"; then
	result fail "no-crash" "$(grep -a -m1 "Kernel panic\|BUG: unable\|general protection" "$out/console.txt")"
else
	result ok "no-crash"
fi

grep -a "^CHECK info" "$out/console.txt" | sed 's/^CHECK info/# guest:/'
echo "# qemu ran $(( (end - start) / 1000000 )) ms"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
