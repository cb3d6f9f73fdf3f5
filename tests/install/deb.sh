#!/usr/bin/env bash
# The Debian packages, built and then installed on this machine:
#   build       dpkg-buildpackage -us -uc -b on a copy of the tree gives
#               qotd-dkms (all) and qotdctl (any) of version VERSION, with
#               the files each should carry;
#   install     dpkg -i of both: DKMS builds and installs the module for
#               KVER, the group qotd exists, qotdctl runs, man finds both
#               pages, the udev rule is in place;
#   purge       dpkg --purge of both: the module, the DKMS entry and every
#               packaged file are gone.
# QOTD_DKMS_KVERS: more kernels whose headers are installed (6.12, say),
# the way a user of a newer kernel has them: for each, DKMS must have built
# and installed the module when the package was installed, and a guest
# booting that kernel loads it with modprobe and reads the device.
# Root only. Refuses to run when either package or qotd in DKMS is already
# there. At the end the machine is as found: the group is removed if this
# test created it (the package itself leaves it, on purpose), and DKMS's
# signing key too.
set -euo pipefail
# shellcheck source=tests/install/lib.sh
. "$(dirname "$0")/lib.sh"
need_root "deb: package checks"

version=$(tr -d '[:space:]' <"$src/VERSION")
arch=$(dpkg --print-architecture)
out=$root/build/install-deb
mkdir -p "$out"

if "$root/tests/install/build-deb.sh" "$out" >"$out/build-deb.log" 2>&1; then
	pass "deb: dpkg-buildpackage builds the packages"
else
	fail "deb: dpkg-buildpackage builds the packages"
	tail -n 30 "$out/build-deb.log" | diag
	finish
	exit
fi
dkms_deb=$out/qotd-dkms_${version}_all.deb
ctl_deb=$out/qotdctl_${version}_${arch}.deb
for deb in "$dkms_deb" "$ctl_deb"; do
	if [ -f "$deb" ]; then
		pass "deb: built $(basename "$deb")"
	else
		fail "deb: built $(basename "$deb")"
		find "$out" -maxdepth 1 -name "*.deb" | diag
		finish
		exit
	fi
done

# contents DEB PATH...: every PATH is in DEB.
contents() {
	local deb=$1 list missing=()
	shift
	list=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
	for p in "$@"; do
		grep -qx -- "$p" <<<"$list" || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		pass "deb: $(basename "$deb") carries $*"
	else
		fail "deb: $(basename "$deb") carries every file it should"
		echo "missing: ${missing[*]}" | diag
	fi
}
s=/usr/src/qotd-$version
contents "$dkms_deb" "$s/dkms.conf" "$s/VERSION" "$s/driver/Kbuild" "$s/driver/Makefile" \
	"$s/driver/qotd_main.c" "$s/include/uapi/linux/qotd.h" \
	/usr/lib/udev/rules.d/60-qotd.rules /usr/share/man/man4/qotd.4.gz
contents "$ctl_deb" /usr/bin/qotdctl /usr/share/man/man1/qotdctl.1.gz
depends=$(dpkg-deb -f "$dkms_deb" Depends)
if grep -q -E '(^|, )dkms' <<<"$depends"; then
	pass "deb: qotd-dkms depends on dkms"
else
	fail "deb: qotd-dkms depends on dkms"
	echo "Depends: $depends" | diag
fi

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]; }
known() { dpkg-query -W "$1" >/dev/null 2>&1; }
if known qotd-dkms || known qotdctl || [ -n "$(dkms status qotd 2>/dev/null)" ] ||
	[ -e "/usr/src/qotd-$version" ]; then
	fail "deb: qotd is not installed already (found it: not touching it)"
	finish
	exit
fi

read -ra more_kvers <<<"${QOTD_DKMS_KVERS:-}"
state() {
	local k
	for k in "$KVER" ${more_kvers[@]+"${more_kvers[@]}"}; do
		find "/lib/modules/$k" \( -path "/lib/modules/$k/build" -o -path "/lib/modules/$k/source" \) -prune -o -print | LC_ALL=C sort
	done
	find /usr/src /var/lib/dkms -maxdepth 2 | LC_ALL=C sort
	ls /usr/lib/udev/rules.d /usr/share/man/man1 /usr/share/man/man4 /usr/bin
	md5sum "/lib/modules/$KVER/modules.dep"
}
before=$(state)
had_group=0 had_key=0
! getent group qotd >/dev/null || had_group=1
[ ! -e /var/lib/dkms/mok.key ] || had_key=1

cleanup() {
	if known qotd-dkms || known qotdctl; then
		dpkg --purge qotd-dkms qotdctl >>"$out/cleanup.log" 2>&1 || true
	fi
	[ $had_group -eq 1 ] || ! getent group qotd >/dev/null || groupdel qotd
	[ $had_key -eq 1 ] || rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
}
trap cleanup EXIT

if dpkg -i "$dkms_deb" "$ctl_deb" >"$out/dpkg-install.log" 2>&1; then
	pass "deb: dpkg -i qotd-dkms qotdctl"
else
	fail "deb: dpkg -i qotd-dkms qotdctl"
	tail -n 30 "$out/dpkg-install.log" | diag
fi
if installed qotd-dkms && installed qotdctl; then
	pass "deb: both packages are installed and configured"
else
	fail "deb: both packages are installed and configured"
fi

dkms_installed deb "$KVER" "$version" "$out/dpkg-install.log" || true
ko=$(modinfo -k "$KVER" -F filename qotd 2>/dev/null || true)
got=$( [ -z "$ko" ] || modinfo -F version "$ko")
if [ -n "$ko" ] && [ "$got" = "$version" ]; then
	pass "deb: modinfo -k $KVER finds qotd $version at ${ko#/lib/modules/"$KVER"/}"
else
	fail "deb: modinfo -k $KVER finds qotd $version"
	echo "file: ${ko:-none}, version: ${got:-none}" | diag
fi
for k in ${more_kvers[@]+"${more_kvers[@]}"}; do
	dkms_installed deb "$k" "$version" "$out/dpkg-install.log" || continue
	ko=$(modinfo -k "$k" -F filename qotd 2>/dev/null || true)
	if [ -n "$ko" ]; then
		pass "deb: modinfo -k $k finds qotd at ${ko#/lib/modules/"$k"/}"
		dkms_module_in_guest deb "$k" "$ko" "$version" "$out" "install-deb-guest-$k"
	else
		fail "deb: modinfo -k $k finds qotd"
	fi
done
if getent group qotd >/dev/null; then
	pass "deb: group qotd exists"
else
	fail "deb: group qotd exists"
fi
got=$(qotdctl -V 2>&1 || true)
if [ "$got" = "qotdctl $version" ] && [ "$(command -v qotdctl)" = /usr/bin/qotdctl ]; then
	pass "deb: /usr/bin/qotdctl -V prints \"qotdctl $version\""
else
	fail "deb: /usr/bin/qotdctl -V prints \"qotdctl $version\""
	echo "$(command -v qotdctl): $got" | diag
fi
for page in "1 qotdctl" "4 qotd"; do
	# shellcheck disable=SC2086 # "1 qotdctl": section, then name
	set -- $page
	got=$(man -w "$1" "$2" 2>&1 || true)
	if [ "$got" = "/usr/share/man/man$1/$2.$1.gz" ]; then
		pass "deb: man finds $2($1)"
	else
		fail "deb: man finds $2($1)"
		echo "man -w: $got" | diag
	fi
done
if cmp -s "$src/udev/60-qotd.rules" /usr/lib/udev/rules.d/60-qotd.rules; then
	pass "deb: /usr/lib/udev/rules.d/60-qotd.rules is the project's rule"
else
	fail "deb: /usr/lib/udev/rules.d/60-qotd.rules is the project's rule"
fi

if dpkg --purge qotd-dkms qotdctl >"$out/dpkg-purge.log" 2>&1; then
	pass "deb: dpkg --purge qotd-dkms qotdctl"
else
	fail "deb: dpkg --purge qotd-dkms qotdctl"
	tail -n 20 "$out/dpkg-purge.log" | diag
fi
if [ -z "$(dkms status qotd 2>/dev/null)" ] && ! modinfo -k "$KVER" qotd >/dev/null 2>&1 &&
	[ ! -e "/usr/src/qotd-$version" ]; then
	pass "deb: after purge DKMS, depmod and /usr/src know no qotd"
else
	fail "deb: after purge DKMS, depmod and /usr/src know no qotd"
	{ dkms status qotd; modinfo -k "$KVER" -F filename qotd; ls -d /usr/src/qotd-*; } 2>&1 | diag
fi

cleanup
after=$(state)
if [ "$before" = "$after" ]; then
	pass "deb: /lib/modules/$KVER, /usr/src, /var/lib/dkms, the rule and man directories are as found"
else
	fail "deb: /lib/modules/$KVER, /usr/src, /var/lib/dkms, the rule and man directories are as found"
	diff <(echo "$before") <(echo "$after") | grep '^[<>]' | head -n 20 | diag || true
fi

finish
