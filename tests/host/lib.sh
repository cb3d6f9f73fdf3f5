# shellcheck shell=bash
# Sourced by the host checks: where things are, and TAP helpers.
# KDIR (the kernel build tree) comes from the environment, as the top-level
# Makefile exports it; run alone, a check picks the newest Debian kernel.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
src=${QOTD_SRC:-$root}
if [ -z "${KDIR:-}" ]; then
	KDIR=/lib/modules/$("$root/vm/kver.sh")/build
fi

# Compiler, sparse and modpost diagnostics in a Kbuild log.
diag_re='(warning|error):|^WARNING:|^ERROR:'

# tap_result OK? DESCRIPTION [FILE-WITH-DETAILS]
tap_result() {
	if [ "$1" = ok ]; then
		echo "ok - $2"
	else
		echo "not ok - $2"
		[ -z "${3:-}" ] || sed 's/^/#   /' "$3"
	fi
}
