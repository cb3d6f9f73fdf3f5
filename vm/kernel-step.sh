# shellcheck shell=bash
# Sourced by the stages that boot a kernel built here (vm/debug/stage.sh,
# vm/kernels/stage.sh).
#
# kernel_step NAME LABEL LOG COMMAND...: run a build script (it prints the
# cache directory last, see vm/build-kernel.sh) with its progress in LOG,
# and print one TAP line: LABEL, cached or built in how long, where.
# Sets kernel_dir; returns 1 when there is no finished kernel, after the
# log's tail as comments.
kernel_step() {
	local name=$1 label=$2 log=$3 t0 how
	shift 3
	t0=$(date +%s)
	kernel_dir=
	if kernel_dir=$("$@" 2>"$log" | tail -n 1) && [ -f "$kernel_dir/bzImage" ] &&
		[ -f "$kernel_dir/tree/Module.symvers" ]; then
		how=$(grep -q '^build-kernel: cached' "$log" && echo cached || echo "built in $(($(date +%s) - t0)) s")
		echo "ok - $name: $label ($how: $kernel_dir)"
		return 0
	fi
	echo "not ok - $name: $label ($* failed)"
	tail -n 30 "$log" | sed 's/^/#   /'
	echo "#   full log: $log"
	return 1
}
