#!/usr/bin/env bash
# make install / make uninstall into this machine (no DESTDIR), the way a
# user runs them: the module lands in /lib/modules/KVER/extra and depmod's
# own index finds it, the group qotd is created, qotdctl, the pages and the
# rule go under /usr/local, man finds the pages. After uninstall all of it
# is gone and modules.dep is as before; the group stays (on purpose), and
# this test removes it if it created it.
# Root only; refuses to run if any of those files is already there.
set -euo pipefail
# shellcheck source=tests/install/lib.sh
. "$(dirname "$0")/lib.sh"
need_root "install-live: make install into the system"

version=$(tr -d '[:space:]' <"$src/VERSION")
out=$root/build/install-live
mkdir -p "$out"

paths=("/lib/modules/$KVER/extra/qotd.ko" /usr/local/bin/qotdctl
	/usr/local/share/man/man1/qotdctl.1 /usr/local/share/man/man4/qotd.4
	/usr/local/lib/udev/rules.d/60-qotd.rules)
for p in "${paths[@]}"; do
	if [ -e "$p" ]; then
		fail "install-live: $p is not there before the test (it is: not touching it)"
		finish
		exit
	fi
done

state() {
	find "/lib/modules/$KVER" \( -path "/lib/modules/$KVER/build" -o -path "/lib/modules/$KVER/source" \) -prune -o -print | LC_ALL=C sort
	find /usr/local | LC_ALL=C sort
	md5sum "/lib/modules/$KVER/modules.dep"
}
before=$(state)
# Directories make install may create; uninstall leaves them, this test not.
dirs=(/usr/local/lib/udev/rules.d /usr/local/lib/udev /usr/local/share/man/man1
	/usr/local/share/man/man4 "/lib/modules/$KVER/extra")
new_dirs=()
for d in "${dirs[@]}"; do
	[ -e "$d" ] || new_dirs+=("$d")
done
had_group=0
! getent group qotd >/dev/null || had_group=1
cleanup() {
	"${mk[@]}" uninstall KVER="$KVER" KDIR="$KDIR" >>"$out/cleanup.log" 2>&1 || true
	[ $had_group -eq 1 ] || ! getent group qotd >/dev/null || groupdel qotd
	for d in "${new_dirs[@]}"; do
		rmdir "$d" 2>/dev/null || true
	done
}
trap cleanup EXIT

if "${mk[@]}" install KVER="$KVER" KDIR="$KDIR" >"$out/install.log" 2>&1; then
	pass "install-live: make install"
else
	fail "install-live: make install"
	tail -n 20 "$out/install.log" | diag
fi
got=$(modinfo -k "$KVER" -F filename qotd 2>&1 || true)
expect_ko=/lib/modules/$KVER/extra/qotd.ko
if [ "$got" = "$expect_ko" ] && [ "$(modinfo -F version "$expect_ko")" = "$version" ]; then
	pass "install-live: modinfo -k $KVER finds qotd $version at extra/qotd.ko"
else
	fail "install-live: modinfo -k $KVER finds qotd $version at extra/qotd.ko"
	echo "got: $got" | diag
fi
if getent group qotd >/dev/null; then
	pass "install-live: group qotd exists"
else
	fail "install-live: group qotd exists"
fi
if [ "$(/usr/local/bin/qotdctl -V 2>&1)" = "qotdctl $version" ]; then
	pass "install-live: /usr/local/bin/qotdctl -V prints its version"
else
	fail "install-live: /usr/local/bin/qotdctl -V prints its version"
fi
for page in "1 qotdctl" "4 qotd"; do
	# shellcheck disable=SC2086 # "1 qotdctl": section, then name
	set -- $page
	got=$(man -w "$1" "$2" 2>&1 || true)
	# Debian makes /usr/local/man a link to share/man.
	if [ "$(realpath -q "$got")" = "/usr/local/share/man/man$1/$2.$1" ]; then
		pass "install-live: man finds $2($1) in /usr/local/share/man"
	else
		fail "install-live: man finds $2($1) in /usr/local/share/man"
		echo "man -w: $got" | diag
	fi
done
if cmp -s "$src/udev/60-qotd.rules" /usr/local/lib/udev/rules.d/60-qotd.rules; then
	pass "install-live: the rule is in /usr/local/lib/udev/rules.d"
else
	fail "install-live: the rule is in /usr/local/lib/udev/rules.d"
fi

if "${mk[@]}" uninstall KVER="$KVER" KDIR="$KDIR" >"$out/uninstall.log" 2>&1; then
	pass "install-live: make uninstall"
else
	fail "install-live: make uninstall"
	tail -n 20 "$out/uninstall.log" | diag
fi
left=()
for p in "${paths[@]}"; do
	[ ! -e "$p" ] || left+=("$p")
done
if [ ${#left[@]} -eq 0 ] && ! modinfo -k "$KVER" qotd >/dev/null 2>&1; then
	pass "install-live: uninstall removes every file, and depmod forgets qotd"
else
	fail "install-live: uninstall removes every file, and depmod forgets qotd"
	echo "left: ${left[*]:-none}" | diag
fi

cleanup
after=$(state)
if [ "$before" = "$after" ]; then
	pass "install-live: /lib/modules/$KVER and /usr/local are as found"
else
	fail "install-live: /lib/modules/$KVER and /usr/local are as found"
	diff <(echo "$before") <(echo "$after") | grep '^[<>]' | head -n 20 | diag || true
fi

finish
