#!/usr/bin/env bash
# make install / make uninstall into a staging DESTDIR.
#
# Install with the default PREFIX (/usr/local) and check the exact tree:
# the module in lib/modules/KVER/extra with depmod's indexes naming it, an
# executable qotdctl of the right version, both manual pages and the udev
# rule, nothing else. Install again with PREFIX=/usr and check where things
# go. Then uninstall and check that only depmod's indexes remain and that
# none of them mentions qotd any more. Nothing outside DESTDIR may change.
set -euo pipefail
# shellcheck source=tests/install/lib.sh
. "$(dirname "$0")/lib.sh"

version=$(tr -d '[:space:]' <"$src/VERSION")
stage=$(mktemp -d "${TMPDIR:-/tmp}/qotd-install.XXXXXX")
trap 'rm -rf "$stage"' EXIT
log=$root/build/install-test
mkdir -p "$log"


# What the host has where a forgetful DESTDIR would write.
host_state() {
	ls -l "/lib/modules/$KVER/extra/qotd.ko" /usr/local/bin/qotdctl \
		/usr/local/share/man/man4/qotd.4 /usr/local/lib/udev/rules.d/60-qotd.rules \
		/usr/lib/udev/rules.d/60-qotd.rules 2>&1 || true
	getent group qotd || true
	md5sum "/lib/modules/$KVER/modules.dep" 2>/dev/null || true
}
before=$(host_state)

# files DIR: the regular files and symlinks under DIR, relative, sorted.
files() { (cd "$1" && find . \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort); }
depmod_index_re="^lib/modules/$KVER/modules\.[a-z.]+$"

# run_make DESC LOGNAME ARGS...
run_make() {
	local desc=$1 name=$2
	shift 2
	if "${mk[@]}" "$@" >"$log/$name.log" 2>&1; then
		pass "install: $desc"
	else
		fail "install: $desc"
		tail -n 20 "$log/$name.log" | diag
		return 1
	fi
}

# check_tree DIR PREFIX: the installed tree under DIR for PREFIX.
check_tree() {
	local d=$1 p=${2#/} got want
	want=$(LC_ALL=C sort <<-EOF
		lib/modules/$KVER/extra/qotd.ko
		$p/bin/qotdctl
		$p/share/man/man1/qotdctl.1
		$p/share/man/man4/qotd.4
		$p/lib/udev/rules.d/60-qotd.rules
	EOF
	)
	got=$(files "$d" | grep -v -E "$depmod_index_re" || true)
	if [ "$got" = "$want" ]; then
		pass "install: PREFIX=/$p installs exactly the module, qotdctl, two pages and the rule"
	else
		fail "install: PREFIX=/$p installs exactly the module, qotdctl, two pages and the rule"
		diff <(echo "$want") <(echo "$got") | grep '^[<>]' | diag || true
	fi

	if grep -qx "extra/qotd.ko:" "$d/lib/modules/$KVER/modules.dep" 2>/dev/null; then
		pass "install: modules.dep lists extra/qotd.ko"
	else
		fail "install: modules.dep lists extra/qotd.ko"
	fi
	# modinfo looks the module up by name through depmod's binary index.
	got=$(modinfo -b "$d" -k "$KVER" -F filename qotd 2>&1 || true)
	if [ "$got" = "$d/lib/modules/$KVER/extra/qotd.ko" ]; then
		pass "install: modinfo -k $KVER finds qotd by name"
	else
		fail "install: modinfo -k $KVER finds qotd by name"
		echo "$got" | diag
	fi
	got=$(modinfo -F version "$d/lib/modules/$KVER/extra/qotd.ko" 2>&1 || true)
	if [ "$got" = "$version" ]; then
		pass "install: installed module has version $version"
	else
		fail "install: installed module has version $version"
		echo "$got" | diag
	fi

	local ctl=$d/$p/bin/qotdctl
	if [ -f "$ctl" ] && [ -x "$ctl" ] && [ "$(stat -c %a "$ctl")" = 755 ] &&
		[ "$("$ctl" -V 2>&1)" = "qotdctl $version" ]; then
		pass "install: qotdctl is mode 0755 and prints its version"
	else
		fail "install: qotdctl is mode 0755 and prints its version"
		{ ls -l "$ctl"; "$ctl" -V; } 2>&1 | diag || true
	fi

	local f ok=1 why=""
	for f in "man/qotdctl.1:$p/share/man/man1/qotdctl.1" \
		"man/qotd.4:$p/share/man/man4/qotd.4" \
		"udev/60-qotd.rules:$p/lib/udev/rules.d/60-qotd.rules" \
		"-:lib/modules/$KVER/extra/qotd.ko"; do
		local s=${f%%:*} t=$d/${f#*:}
		if [ ! -f "$t" ] || [ "$(stat -c %a "$t")" != 644 ]; then
			ok=0
			why+="${f#*:}: missing or not mode 0644"$'\n'
		elif [ "$s" != - ] && ! cmp -s "$src/$s" "$t"; then
			ok=0
			why+="${f#*:}: differs from $s"$'\n'
		fi
	done
	if [ $ok -eq 1 ]; then
		pass "install: pages, rule and module are mode 0644, pages and rule as in the sources"
	else
		fail "install: pages, rule and module are mode 0644, pages and rule as in the sources"
		printf '%s' "$why" | diag
	fi
}

# check_empty DIR: after uninstall only depmod's indexes, without qotd.
check_empty() {
	local d=$1 left
	left=$(files "$d" | grep -v -E "$depmod_index_re" || true)
	if [ -z "$left" ]; then
		pass "install: uninstall removes every installed file"
	else
		fail "install: uninstall removes every installed file"
		echo "$left" | diag
	fi
	left=$(files "$d" | grep -E "$depmod_index_re" | (cd "$d" && xargs -r grep -l -a qotd) || true)
	if [ -z "$left" ]; then
		pass "install: no depmod index mentions qotd after uninstall"
	else
		fail "install: no depmod index mentions qotd after uninstall"
		echo "$left" | diag
	fi
	if modinfo -b "$d" -k "$KVER" qotd >/dev/null 2>&1; then
		fail "install: modinfo -k $KVER no longer finds qotd"
	else
		pass "install: modinfo -k $KVER no longer finds qotd"
	fi
}

d1=$stage/default
if run_make "make install DESTDIR=... succeeds" install-default install DESTDIR="$d1"; then
	check_tree "$d1" /usr/local
	run_make "make uninstall DESTDIR=... succeeds" uninstall-default uninstall DESTDIR="$d1" &&
		check_empty "$d1"
fi

d2=$stage/usr
if run_make "make install DESTDIR=... PREFIX=/usr succeeds" install-usr install DESTDIR="$d2" PREFIX=/usr; then
	check_tree "$d2" /usr
	run_make "make uninstall DESTDIR=... PREFIX=/usr succeeds" uninstall-usr uninstall DESTDIR="$d2" PREFIX=/usr &&
		check_empty "$d2"
fi

# The parts: install-tools (beside DKMS) installs no module and runs no
# depmod, install-module nothing but the module and depmod's indexes.
d3=$stage/parts
if run_make "make install-tools DESTDIR=... succeeds" install-tools install-tools DESTDIR="$d3/tools"; then
	want=$(printf '%s\n' usr/local/bin/qotdctl usr/local/lib/udev/rules.d/60-qotd.rules \
		usr/local/share/man/man1/qotdctl.1 usr/local/share/man/man4/qotd.4 | LC_ALL=C sort)
	got=$(files "$d3/tools")
	if [ "$got" = "$want" ]; then
		pass "install: install-tools installs qotdctl, the pages and the rule, no module"
	else
		fail "install: install-tools installs qotdctl, the pages and the rule, no module"
		diff <(echo "$want") <(echo "$got") | grep '^[<>]' | diag || true
	fi
fi
if run_make "make install-module DESTDIR=... succeeds" install-module install-module DESTDIR="$d3/module"; then
	got=$(files "$d3/module" | grep -v -E "$depmod_index_re" || true)
	if [ "$got" = "lib/modules/$KVER/extra/qotd.ko" ] &&
		grep -qx "extra/qotd.ko:" "$d3/module/lib/modules/$KVER/modules.dep"; then
		pass "install: install-module installs the module and depmod's indexes only"
	else
		fail "install: install-module installs the module and depmod's indexes only"
		echo "$got" | diag
	fi
fi

after=$(host_state)
if [ "$before" = "$after" ]; then
	pass "install: nothing outside DESTDIR changed"
else
	fail "install: nothing outside DESTDIR changed"
	diff <(echo "$before") <(echo "$after") | grep '^[<>]' | diag || true
fi

finish
