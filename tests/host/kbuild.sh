#!/usr/bin/env bash
# The module builds against KDIR with W=1 (the kernel's extra warnings) and
# with C=1 (sparse: user and kernel pointers mixed up, endianness, lock
# context annotations), each reporting nothing and seeing every file; the
# same check as every other kernel line gets (vm/kbuild-check.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

for build in host-w1:W=1 host-sparse:C=1; do
	QOTD_SRC=$src "$root/vm/kbuild-check.sh" host "$KDIR" "${build%%:*}" "${build#*:}"
done
