#!/usr/bin/env bash
# Print the release of the newest Debian kernel image installed in /boot
# (e.g. 6.1.0-56-amd64). The running kernel may be anything, with or without
# headers, so the guest kernel is chosen from what Debian put in /boot.
set -euo pipefail

newest=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -n 1)
if [ -z "$newest" ]; then
	echo "kver: no /boot/vmlinuz-*-amd64; run vm/deps.sh" >&2
	exit 1
fi
echo "${newest#/boot/vmlinuz-}"
