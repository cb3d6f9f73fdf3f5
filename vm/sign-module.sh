#!/usr/bin/env bash
# Sign kernel modules with the sign-file of the kernel tree they are for.
#
#   vm/sign-module.sh KDIR KEY CERT MODULE.ko...
#
# KDIR   the kernel build tree (its scripts/sign-file signs; its .config
#        names the hash, CONFIG_MODULE_SIG_HASH, sha256 when it has none)
# KEY    the private key, PEM (DKMS's /var/lib/dkms/mok.key, or a kernel
#        tree's certs/signing_key.pem)
# CERT   its X.509 certificate, DER or PEM (/var/lib/dkms/mok.pub,
#        certs/signing_key.x509)
# A module that is signed already loses its old signature first, so signing
# again with another key leaves one signature, the new one. Each module is
# checked to end with the signature marker afterwards.
set -euo pipefail

[ $# -ge 4 ] || { echo "usage: $0 KDIR KEY CERT MODULE.ko..." >&2; exit 2; }
kdir=$1 key=$2 cert=$3
shift 3

die() { echo "sign-module: $*" >&2; exit 1; }

signfile=$kdir/scripts/sign-file
[ -x "$signfile" ] || die "$signfile is missing: is $kdir a configured kernel tree (KDIR)?"
for f in "$key" "$cert"; do
	[ -r "$f" ] || die "cannot read $f (set SIGN_KEY and SIGN_CERT; DKMS makes its pair, /var/lib/dkms/mok.key and mok.pub, the first time it signs a module)"
done
hash=$(sed -n -E 's/^CONFIG_MODULE_SIG_HASH="(.*)"$/\1/p' "$kdir/.config" 2>/dev/null || true)
hash=${hash:-sha256}

magic='~Module signature appended~'
# The 28 bytes at the end of a signed module: the marker and a newline.
signed() { printf '%s\n' "$magic" | cmp -s - <(tail -c 28 "$1"); }

for ko in "$@"; do
	[ -f "$ko" ] || die "no module $ko"
	if signed "$ko"; then
		# struct module_signature (12 bytes, sig_len big-endian in its
		# last 4) sits before the marker, the signature before that.
		len=$(tail -c 32 "$ko" | head -c 4 | od -An -tu1 |
			awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }')
		truncate -s $(($(stat -c %s "$ko") - 28 - 12 - len)) "$ko"
		! signed "$ko" || die "$ko: could not remove its old signature"
	fi
	"$signfile" "$hash" "$key" "$cert" "$ko"
	signed "$ko" || die "$ko: sign-file left no signature"
	echo "sign-module: signed $ko ($hash, $(basename "$cert"))" >&2
done
