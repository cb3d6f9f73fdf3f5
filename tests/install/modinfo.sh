#!/usr/bin/env bash
# modinfo shows what a packager and a user look for in qotd.ko: the
# description, the version (that of VERSION), the licence, an author, the
# kernel it is for, and every module parameter of driver/*.c with a
# description. The module is built in a copy of the sources under
# build/install-modinfo/, never in driver/.
set -euo pipefail
# shellcheck source=tests/install/lib.sh
. "$(dirname "$0")/lib.sh"

name=install-modinfo
out=$root/build/$name
ko=$out/driver/qotd.ko
mkdir -p "$out"
log=$out/build.log

if ! command -v modinfo >/dev/null; then
	fail "modinfo: modinfo is installed (package kmod)"
	finish
	exit
fi
if QOTD_SRC=$src "$root/vm/build-module.sh" "$KDIR" "$name" >"$log" 2>&1 && [ -f "$ko" ]; then
	pass "modinfo: qotd.ko builds against $KVER"
else
	fail "modinfo: qotd.ko builds against $KVER"
	tail -n 20 "$log" | diag
	finish
	exit
fi

field() { modinfo -F "$1" "$ko"; }

# expect FIELD WANTED
expect() {
	local got
	got=$(field "$1")
	if [ "$got" = "$2" ]; then
		pass "modinfo: $1 is \"$2\""
	else
		fail "modinfo: $1 is \"$2\""
		echo "got: \"$got\"" | diag
	fi
}

version=$(tr -d '[:space:]' <"$src/VERSION")
expect description "Quote of the Day 3.0"
expect version "$version"
expect license GPL

author=$(field author)
if [ -n "${author//[[:space:]]/}" ]; then
	pass "modinfo: author is set ($author)"
else
	fail "modinfo: author is set"
fi

vermagic=$(field vermagic)
if [ "${vermagic%% *}" = "$KVER" ]; then
	pass "modinfo: vermagic names $KVER"
else
	fail "modinfo: vermagic names $KVER"
	echo "vermagic: $vermagic" | diag
fi

# Every module_param*(name, ...) in the driver, against the parm lines
# "name:description (type)".
driver_c=()
for f in "$src"/driver/*.c; do
	case $f in *kunit*) ;; *) driver_c+=("$f") ;; esac
done
mapfile -t params < <(grep -h -o -E '\bmodule_param(_named|_cb|_array|_string|_unsafe)?[[:space:]]*\([[:space:]]*[A-Za-z_][A-Za-z0-9_]*' \
	"${driver_c[@]}" | sed -E 's/.*\([[:space:]]*//' | sort -u)
parm=$(field parm)
if [ ${#params[@]} -eq 0 ]; then
	fail "modinfo: found the module parameters in driver/*.c (none found)"
fi
for p in "${params[@]}"; do
	line=$(grep -E "^$p:" <<<"$parm" || true)
	desc=${line#"$p:"}
	desc=$(sed -E 's/[[:space:]]*\([^()]*\)$//' <<<"$desc")
	if [ -z "$line" ]; then
		fail "modinfo: parameter $p is listed"
		printf '%s\n' "$parm" | diag
	elif [ -z "${desc//[[:space:]]/}" ]; then
		fail "modinfo: parameter $p has a description"
		echo "parm: $line" | diag
	else
		pass "modinfo: parameter $p has a description"
	fi
done
# And nothing the code does not declare (a stale object, say).
while IFS= read -r line; do
	p=${line%%:*}
	[ -n "$p" ] || continue
	if ! printf '%s\n' "${params[@]}" | grep -qx -- "$p"; then
		fail "modinfo: parameter $p is declared in driver/*.c"
	fi
done <<<"$parm"

finish
