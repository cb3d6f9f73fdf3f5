#!/usr/bin/env bash
# One version everywhere: VERSION is the source of truth; dkms.conf (static
# text, read by DKMS and by dh_dkms) and debian/changelog must repeat it.
# Also, dkms.conf read the way DKMS reads it (sourced by bash) names the
# package, the module, where Kbuild leaves it and where it goes.
set -euo pipefail
# shellcheck source=tests/install/lib.sh
. "$(dirname "$0")/lib.sh"

version=$(tr -d '[:space:]' <"$src/VERSION")
if [[ $version =~ ^[0-9]+(\.[0-9]+)*$ ]]; then
	pass "versions: VERSION is a plain version number ($version)"
else
	fail "versions: VERSION is a plain version number"
	echo "VERSION: '$version'" | diag
fi

conf=$(bash -c '
	set -u
	kernelver=KVER kernel_source_dir=/KDIR dkms_tree=/DKMS
	. "$1"
	printf "%s\n" "$PACKAGE_NAME" "$PACKAGE_VERSION" "${BUILT_MODULE_NAME[0]}" \
		"${BUILT_MODULE_LOCATION[0]}" "${DEST_MODULE_LOCATION[0]}" \
		"$MAKE" "$CLEAN" "$AUTOINSTALL" "${BUILD_EXCLUSIVE_KERNEL_MIN:-}" \
		"${BUILD_EXCLUSIVE_KERNEL:-}"' _ "$src/dkms.conf" 2>&1) || {
	fail "versions: dkms.conf can be sourced by bash"
	echo "$conf" | diag
	finish
	exit
}
pass "versions: dkms.conf can be sourced by bash"
mapfile -t c <<<"$conf"

# expect DESCRIPTION GOT WANTED
expect() {
	if [ "$2" = "$3" ]; then
		pass "versions: $1"
	else
		fail "versions: $1"
		echo "got '$2', wanted '$3'" | diag
	fi
}
expect "dkms.conf PACKAGE_NAME is qotd" "${c[0]}" qotd
expect "dkms.conf PACKAGE_VERSION is VERSION ($version)" "${c[1]}" "$version"
expect "dkms.conf BUILT_MODULE_NAME[0] is qotd" "${c[2]}" qotd
expect "dkms.conf BUILT_MODULE_LOCATION[0] is driver/" "${c[3]}" driver/
case ${c[4]} in
/extra* | /updates* | /kernel*) pass "versions: dkms.conf DEST_MODULE_LOCATION[0] is one DKMS accepts (${c[4]})" ;;
*) fail "versions: dkms.conf DEST_MODULE_LOCATION[0] is one DKMS accepts (/kernel, /updates, /extra)"
	echo "got '${c[4]}'" | diag ;;
esac
expect "dkms.conf MAKE builds driver/ against the kernel DKMS names" "${c[5]}" "make -C driver KDIR=/KDIR modules"
expect "dkms.conf AUTOINSTALL is yes" "${c[7]}" yes
# The oldest kernel: 6.1, said twice, for DKMS 3.1 and up (the minimum)
# and for Debian 12's DKMS 3.0 (the regular expression, which DKMS
# matches against the release with bash's =~).
expect "dkms.conf BUILD_EXCLUSIVE_KERNEL_MIN is 6.1" "${c[8]}" 6.1
bad=()
for k in 6.1.0-57-amd64 6.1.192 6.12.95+deb12-amd64 6.12.95+deb12-rt-amd64 7.3.4-qotd 10.1.0; do
	[[ $k =~ ${c[9]} ]] || bad+=("$k is refused")
done
for k in 6.0.12-amd64 5.10.0-30-amd64 4.19.0-27-amd64 3.16.0; do
	[[ ! $k =~ ${c[9]} ]] || bad+=("$k is accepted")
done
if [ -n "${c[9]}" ] && [ ${#bad[@]} -eq 0 ]; then
	pass "versions: dkms.conf BUILD_EXCLUSIVE_KERNEL accepts 6.1 and later only"
else
	fail "versions: dkms.conf BUILD_EXCLUSIVE_KERNEL accepts 6.1 and later only"
	printf '%s\n' "regex '${c[9]}'" "${bad[@]}" | diag
fi
# Every object the Kbuild file names has its source among driver/*.c, which
# is what make dkms-src ships.
# (Objects named in a per-object flag, CFLAGS_x.o, are listed elsewhere.)
objs=$(grep -v -E '^[[:space:]]*#' "$src/driver/Kbuild" | grep -o -E '(^|[^_A-Za-z0-9])[A-Za-z0-9_]+\.o\b' |
	grep -o -E '[A-Za-z0-9_]+\.o' | grep -v '^CFLAGS_' | sort -u)
missing=()
for obj in $objs; do
	[ "$obj" = qotd.o ] || [ -f "$src/driver/${obj%.o}.c" ] || missing+=("$obj")
done
if [ -n "$objs" ] && [ ${#missing[@]} -eq 0 ]; then
	pass "versions: every object in driver/Kbuild has its .c in driver/ ($(tr '\n' ' ' <<<"$objs" | sed 's/ $//'))"
else
	fail "versions: every object in driver/Kbuild has its .c in driver/"
	echo "missing: ${missing[*]:-no objects found}" | diag
fi

if [ -f "$src/debian/changelog" ]; then
	deb=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version 2>&1) || true
	expect "debian/changelog's version is VERSION" "${deb%%-*}" "$version"
else
	fail "versions: debian/changelog exists"
fi

finish
