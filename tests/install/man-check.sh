#!/usr/bin/env bash
# The manual pages are well-formed and document what the code defines.
#
# Formatting: mandoc's linter at warning level, and groff with all
# warnings, find nothing in man/qotd.4 and man/qotdctl.1.
# Completeness: names are taken from the code, so that adding one without
# documenting it fails here:
#   - every macro of include/uapi/linux/qotd.h appears in qotd(4), every
#     ioctl command in its IOCTLS section, every plain numeric value too;
#   - every module parameter of driver/*.c in MODULE PARAMETERS;
#   - every sysfs attribute (DEVICE_ATTR*) of driver/*.c in SYSFS ATTRIBUTES;
#   - every errno the driver returns in ERRORS;
#   - every trace event of driver/*.h, and every field it prints, in EVENTS;
#   - every long and short option of qotdctl in the OPTIONS of qotdctl(1),
#     and every exit status it defines in EXIT STATUS.
set -euo pipefail
# shellcheck source=tests/install/lib.sh
. "$(dirname "$0")/lib.sh"

man4=$src/man/qotd.4
man1=$src/man/qotdctl.1
uapi=$src/include/uapi/linux/qotd.h
driver_c=()
for f in "$src"/driver/*.c; do
	case $f in *kunit*) ;; *) driver_c+=("$f") ;; esac
done

for page in "$man4" "$man1"; do
	name=$(basename "$page")
	if [ ! -f "$page" ]; then
		fail "man: $name exists"
		continue
	fi
	if command -v mandoc >/dev/null; then
		check "man: $name is clean under mandoc -T lint -W warning" \
			mandoc -T lint -W warning "$page"
	else
		fail "man: mandoc is installed (needed to check $name)"
	fi
	if command -v groff >/dev/null; then
		# groff reports problems on stderr but exits 0: judge the output.
		out=$(groff -ww -z -mandoc "$page" 2>&1) || true
		if [ -z "$out" ]; then
			pass "man: $name is clean under groff -ww"
		else
			fail "man: $name is clean under groff -ww"
			printf '%s\n' "$out" | head -n 20 | diag
		fi
	else
		skip "man: $name is clean under groff -ww (groff not installed)"
	fi
done
command -v mandoc >/dev/null || { finish; exit; }
if [ ! -f "$man4" ] || [ ! -f "$man1" ]; then
	finish
	exit
fi

# The text of a page, one paragraph line per line (no wrapping), without
# the overstrike of bold and underline.
render() {
	mandoc -T ascii -O width=1000 "$1" | col -bx
}
# section TEXT TITLE: the lines under the heading TITLE, up to the next one.
section() {
	awk -v t="$2" '
		/^[A-Z][A-Z ]*[A-Z]$/ { on = ($0 == t); next }
		on' <<<"$1"
}
# has TEXT WORD: WORD appears in TEXT with no letter, digit, _ or - next to it.
has() {
	local re
	re=$(printf '%s' "$2" | sed 's/[].[\*^$/]/\\&/g')
	grep -q -E -- "(^|[^[:alnum:]_-])$re([^[:alnum:]_-]|$)" <<<"$1"
}
# require WHAT TEXT WHERE NAME...: one TAP line for the list.
require() {
	local what=$1 text=$2 where=$3 missing=() n
	shift 3
	if [ $# -eq 0 ]; then
		fail "man: found the $what in the code (none found: has the code changed shape?)"
		return
	fi
	for n in "$@"; do
		has "$text" "$n" || missing+=("$n")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		pass "man: $where documents every $what ($*)"
	else
		fail "man: $where documents every $what"
		echo "missing: ${missing[*]}" | diag
	fi
}

text4=$(render "$man4") || true
text1=$(render "$man1") || true

# UAPI macros: "#define NAME VALUE", the include guard (no value) excluded.
mapfile -t macros < <(sed -n -E 's/^#define[[:space:]]+([A-Za-z][A-Za-z0-9_]*)[[:space:]]+.*/\1/p' "$uapi")
mapfile -t ioctls < <(sed -n -E 's/^#define[[:space:]]+([A-Za-z][A-Za-z0-9_]*)[[:space:]]+(_IO[RW]*\(.*|0x[0-9A-Fa-f]+)$/\1 \2/p' "$uapi" |
	awk '$2 ~ /^_IO/ || $1 ~ /IOC[A-Z]/ { print $1 }')
mapfile -t numbers < <(sed -n -E 's/^#define[[:space:]]+[A-Za-z][A-Za-z0-9_]*[[:space:]]+(0x[0-9A-Fa-f]+|[0-9]+)[[:space:]]*(\/\*.*)?$/\1/p' "$uapi")
require "UAPI macro" "$text4" "qotd(4)" "${macros[@]}"
require "ioctl command" "$(section "$text4" IOCTLS)" "qotd(4) IOCTLS" "${ioctls[@]}"
require "UAPI constant value" "$text4" "qotd(4)" "${numbers[@]}"

# module_param(name, ...), module_param_named/_cb/_array/_string(name, ...)
mapfile -t params < <(grep -h -o -E '\bmodule_param(_named|_cb|_array|_string|_unsafe)?[[:space:]]*\([[:space:]]*[A-Za-z_][A-Za-z0-9_]*' "${driver_c[@]}" |
	sed -E 's/.*\([[:space:]]*//' | sort -u)
require "module parameter" "$(section "$text4" "MODULE PARAMETERS")" "qotd(4) MODULE PARAMETERS" "${params[@]}"

mapfile -t attrs < <(grep -h -o -E '\bDEVICE_ATTR(_RO|_RW|_WO|_ADMIN_RO|_ADMIN_RW)?[[:space:]]*\([[:space:]]*[A-Za-z_][A-Za-z0-9_]*' "${driver_c[@]}" |
	sed -E 's/.*\([[:space:]]*//' | sort -u)
require "sysfs attribute" "$(section "$text4" "SYSFS ATTRIBUTES")" "qotd(4) SYSFS ATTRIBUTES" "${attrs[@]}"

# TRACE_EVENT(name, ...) of driver/*.h, and the "field=" words of their
# TP_printk() formats.
mapfile -t events < <(sed -n -E 's/^TRACE_EVENT\(([A-Za-z_][A-Za-z0-9_]*),.*/\1/p' "$src"/driver/*.h | sort -u)
mapfile -t fields < <(awk '/^TRACE_EVENT\(/ { on = 1 } on && /TP_printk\("/ { print; on = 0 }' "$src"/driver/*.h |
	grep -o -E '[a-z_]+=%' | sed 's/=%//' | sort -u)
events_text=$(section "$text4" EVENTS)
require "trace event" "$events_text" "qotd(4) EVENTS" "${events[@]}"
require "trace event field" "$events_text" "qotd(4) EVENTS" "${fields[@]}"

# An errno the code only compares a result with (err != -EBUSY) is not one
# it returns. A caller never sees ERESTARTSYS: the kernel turns it into
# EINTR, or restarts the call (SA_RESTART), which the page says under EINTR.
mapfile -t errnos < <(grep -h -o -E -- '([!=]=[[:space:]]*)?-E[A-Z0-9]{2,}\b' "${driver_c[@]}" |
	grep -v '^[!=]=' | sed -e 's/^-//' -e 's/^ERESTARTSYS$/EINTR/' | sort -u)
require "errno the driver returns" "$(section "$text4" ERRORS)" "qotd(4) ERRORS" "${errnos[@]}"

# qotdctl: the struct option table and the getopt_long option string.
ctl_c=()
for f in "$src"/qotdctl/*.c; do
	case ${f##*/} in test_* | '*.c') ;; *) ctl_c+=("$f") ;; esac
done
if [ ${#ctl_c[@]} -eq 0 ]; then
	fail "man: qotdctl sources exist"
else
	mapfile -t longopts < <(awk '/struct option[^;]*\[\][[:space:]]*=/ { on = 1 } on { print } on && /};/ { on = 0 }' "${ctl_c[@]}" |
		grep -o -E '\{[[:space:]]*"[A-Za-z0-9-]+"' | sed -E 's/.*"(.*)"/--\1/' | sort -u)
	optstring=$(grep -h -o -E 'getopt_long[[:space:]]*\([^"]*"[^"]*"' "${ctl_c[@]}" | sed -E 's/.*"(.*)"/\1/' | head -n 1)
	mapfile -t shortopts < <(printf '%s' "$optstring" | tr -d ':+' | grep -o . | sed 's/^/-/')
	options=$(section "$text1" OPTIONS)
	require "long option" "$options" "qotdctl(1) OPTIONS" "${longopts[@]}"
	require "short option" "$options" "qotdctl(1) OPTIONS" "${shortopts[@]}"
	mapfile -t statuses < <(cat "$src"/qotdctl/*.h "$src"/qotdctl/*.c |
		sed -n -E 's/^#define[[:space:]]+[A-Z0-9_]*EXIT_[A-Z0-9_]+[[:space:]]+([0-9]+).*/\1/p' | sort -un)
	exits=$(section "$text1" "EXIT STATUS")
	missing=()
	for s in "${statuses[@]}"; do
		grep -q -E "^[[:space:]]+${s}[[:space:]]" <<<"$exits" || missing+=("$s")
	done
	if [ ${#statuses[@]} -eq 0 ]; then
		fail "man: found qotdctl's exit statuses in the code (none found)"
	elif [ ${#missing[@]} -eq 0 ]; then
		pass "man: qotdctl(1) EXIT STATUS lists every exit status (${statuses[*]})"
	else
		fail "man: qotdctl(1) EXIT STATUS lists every exit status"
		echo "missing: ${missing[*]}" | diag
	fi
fi

finish
