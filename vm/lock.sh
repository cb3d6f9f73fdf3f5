# shellcheck shell=bash
# Sourced: lock_build NAME takes build/NAME.lock for the rest of the calling
# script, so that two runs under the same name (two `make check` in one tree)
# take turns instead of overwriting each other's images and logs.
lock_build() {
	local lock=$root/build/$1.lock
	mkdir -p "$root/build"
	exec 9>"$lock"
	if ! flock -n 9; then
		echo "== $1: waiting for another run using build/$1/" >&2
		flock 9
	fi
}
