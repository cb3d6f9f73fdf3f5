#!/usr/bin/env bash
# DKMS on this machine, end to end, for the Debian kernel KVER:
#   make dkms-install   (sources to /usr/src/qotd-VERSION, dkms add, build,
#                        install), then dkms status says "installed", the
#                        module is where DKMS puts it with the right version,
#                        and depmod's index finds it by name;
#   the guest           boots KVER with that very file and the modules.dep
#                        line naming it, loads it with modprobe and reads it
#                        (tests/install/guest/dkms.sh);
#   make dkms-uninstall  dkms remove --all, and the machine is as found:
#                        same files under /lib/modules/KVER, /usr/src and
#                        /var/lib/dkms, same modules.dep.
# Root only. Refuses to run when qotd is already known to DKMS, rather than
# remove someone's installation. Whatever happens, the end of the script
# removes what it added (and DKMS's signing key, if DKMS made it here).
set -euo pipefail
# shellcheck source=tests/install/lib.sh
. "$(dirname "$0")/lib.sh"
need_root "dkms: DKMS checks"

version=$(tr -d '[:space:]' <"$src/VERSION")
out=$root/build/install-dkms
mkdir -p "$out"

if ! command -v dkms >/dev/null; then
	fail "dkms: dkms is installed (package dkms)"
	finish
	exit
fi
if [ ! -f "$KDIR/Makefile" ]; then
	fail "dkms: headers of $KVER are installed ($KDIR)"
	finish
	exit
fi
if [ -n "$(dkms status qotd 2>/dev/null)" ] || [ -e "/usr/src/qotd-$version" ]; then
	fail "dkms: qotd is not already installed through DKMS (found it: not touching it)"
	dkms status qotd 2>&1 | diag
	finish
	exit
fi


state() {
	find "/lib/modules/$KVER" \( -path "/lib/modules/$KVER/build" -o -path "/lib/modules/$KVER/source" \) -prune -o -print | LC_ALL=C sort
	find /usr/src /var/lib/dkms -maxdepth 2 | LC_ALL=C sort
	md5sum "/lib/modules/$KVER/modules.dep" "/lib/modules/$KVER/modules.alias"
}
before=$(state)
had_key=0
[ ! -e /var/lib/dkms/mok.key ] || had_key=1

cleanup() {
	if [ -n "$(dkms status "qotd/$version" 2>/dev/null)" ]; then
		dkms remove "qotd/$version" --all >>"$out/cleanup.log" 2>&1 || true
	fi
	rm -rf "/usr/src/qotd-$version"
	# DKMS makes a signing key the first time it signs a module.
	[ $had_key -eq 1 ] || rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
}
trap cleanup EXIT

if "${mk[@]}" dkms-install KVER="$KVER" KDIR="$KDIR" >"$out/install.log" 2>&1; then
	pass "dkms: make dkms-install (dkms add, build, install for $KVER)"
else
	fail "dkms: make dkms-install (dkms add, build, install for $KVER)"
	tail -n 30 "$out/install.log" | diag
	makelog=/var/lib/dkms/qotd/$version/build/make.log
	[ ! -f "$makelog" ] || tail -n 20 "$makelog" | diag
fi

dkms_installed dkms "$KVER" "$version" || true

ko=$(modinfo -k "$KVER" -F filename qotd 2>/dev/null || true)
case $ko in
"/lib/modules/$KVER/updates/"*/qotd.ko | "/lib/modules/$KVER/extra/"*qotd.ko | "/lib/modules/$KVER/extra/qotd.ko")
	pass "dkms: modinfo -k $KVER finds qotd at ${ko#/lib/modules/"$KVER"/}" ;;
*)
	fail "dkms: modinfo -k $KVER finds qotd under updates/ or extra/"
	echo "modinfo: ${ko:-nothing}" | diag
	ko= ;;
esac

if [ -n "$ko" ]; then
	got=$(modinfo -F version "$ko")
	if [ "$got" = "$version" ]; then
		pass "dkms: the installed module has version $version"
	else
		fail "dkms: the installed module has version $version"
		echo "got: $got" | diag
	fi
	dkms_module_in_guest dkms "$KVER" "$ko" "$version" "$out" install-dkms-guest
fi

if "${mk[@]}" dkms-uninstall KVER="$KVER" KDIR="$KDIR" >"$out/uninstall.log" 2>&1; then
	pass "dkms: make dkms-uninstall"
else
	fail "dkms: make dkms-uninstall"
	tail -n 20 "$out/uninstall.log" | diag
fi
if [ -z "$(dkms status qotd 2>/dev/null)" ]; then
	pass "dkms: dkms status no longer lists qotd"
else
	fail "dkms: dkms status no longer lists qotd"
	dkms status qotd 2>&1 | diag
fi
if modinfo -k "$KVER" qotd >/dev/null 2>&1; then
	fail "dkms: modinfo -k $KVER no longer finds qotd"
else
	pass "dkms: modinfo -k $KVER no longer finds qotd"
fi

cleanup
after=$(state)
if [ "$before" = "$after" ]; then
	pass "dkms: /lib/modules/$KVER, /usr/src and /var/lib/dkms are as found"
else
	fail "dkms: /lib/modules/$KVER, /usr/src and /var/lib/dkms are as found"
	diff <(echo "$before") <(echo "$after") | grep '^[<>]' | head -n 20 | diag || true
fi

finish
