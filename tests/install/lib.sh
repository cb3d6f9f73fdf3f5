# shellcheck shell=bash
# Sourced by the installation checks: where things are, and TAP helpers.
#
# QOTD_SRC points the checks at another copy of the sources (the default is
# this repository), so a check can be shown to fail on a deliberately broken
# copy. KVER and KDIR come from the environment, as the top-level Makefile
# exports them; run alone, a check picks Debian 12's 6.1 kernel (vm/kver.sh).

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
src=${QOTD_SRC:-$root}
export src
: "${KVER:=$("$root/vm/kver.sh")}"
: "${KDIR:=/lib/modules/$KVER/build}"
export KVER KDIR

failures=0

# The install targets: through the top-level Makefile once it includes
# mk/install.mk, else through the fragment alone.
# shellcheck disable=SC2034 # used by the scripts that source this file
if make -s -C "$src" -n dkms-src >/dev/null 2>&1; then
	mk=(make -C "$src")
else
	mk=(make -C "$src" -f mk/install.mk)
fi

pass() { echo "ok - $*"; }
fail() { echo "not ok - $*"; failures=$((failures + 1)); }
skip() { echo "ok - $* # SKIP"; }
diag() { sed 's/^/#   /'; }

# check DESCRIPTION COMMAND...: one TAP line; the command's output as
# comments when it fails.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass "$desc"
	else
		fail "$desc"
		[ -z "$out" ] || printf '%s\n' "$out" | tail -n 30 | diag
	fi
}

# The exit status of a check: 1 if anything failed.
finish() {
	[ "$failures" -eq 0 ]
}

need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		fail "$1 (needs root)"
		finish
		exit
	fi
}

# dkms_installed LABEL KVER VERSION [LOG]: dkms status says qotd/VERSION is
# installed for KVER; when not, its answer and LOG's error lines as
# comments, and status 1.
dkms_installed() {
	local label=$1 k=$2 v=$3 log=${4:-} status
	status=$(dkms status "qotd/$v" -k "$k" 2>&1 || true)
	# 6.12.95+deb12-amd64: the + is no regular expression.
	if grep -q -E "^qotd/$v, ${k//[.+]/\\&}, [^:]+: installed" <<<"$status"; then
		pass "$label: dkms status says qotd/$v is installed for $k"
		return 0
	fi
	fail "$label: dkms status says qotd/$v is installed for $k"
	echo "$status" | diag
	[ -z "$log" ] || grep -i -E 'error|fail|skip|header|pahole' "$log" | head -n 10 | diag || true
	return 1
}

# dkms_module_in_guest LABEL KVER KO VERSION WORKDIR GUEST-NAME: the module
# DKMS installed for KVER (KO, under /lib/modules/KVER) has its line in
# KVER's modules.dep, and loads by name with modprobe in a guest booting
# /boot/vmlinuz-KVER, with that very file and line
# (tests/install/guest/dkms.sh). Counts a failing guest in failures.
dkms_module_in_guest() {
	local label=$1 kver=$2 ko=$3 version=$4 work=$5 gname=$6 rel dep files base
	rel=${ko#/lib/modules/"$kver"/}
	dep=$(grep -E "^$rel:" "/lib/modules/$kver/modules.dep" || true)
	if [ -n "$dep" ]; then
		pass "$label: modules.dep of $kver lists $rel"
	else
		fail "$label: modules.dep of $kver lists $rel"
	fi

	files=$work/files-$kver
	rm -rf "$files"
	mkdir -p "$files/lib/modules/$kver/$(dirname "$rel")" "$files/tests"
	cp "$ko" "$files/lib/modules/$kver/$rel"
	echo "$dep" >"$files/tests/modules.dep.dkms"
	echo "$version" >"$files/tests/expected-version"
	# A kernel with CONFIG_MODULE_COMPRESS_XZ (Debian's 6.12) has DKMS
	# install qotd.ko.xz. The guest's modprobe loads that very file; the
	# base image, which wants a plain qotd.ko, gets it unpacked.
	base=$ko
	case $ko in
	*.ko.xz)
		base=$work/plain-$kver/qotd.ko
		mkdir -p "${base%/*}"
		xz -dc "$ko" >"$base"
		;;
	esac
	KVER=$kver "$root/tests/install/guest.sh" "$gname" "$base" \
		"$root/tests/install/guest/dkms.sh" "$files" || failures=$((failures + 1))
}
