#!/usr/bin/env bash
# The ioctl magic of include/uapi/linux/qotd.h is free (D12): no entry of
# Documentation/userspace-api/ioctl/ioctl-number.rst in the newest kernel
# source this machine has claims that code for any command number qotd
# uses. The table is the kernel's registry of ioctl codes; a code shared
# with another driver means a command sent to the wrong node can be taken
# for one of its own.
#
# QOTD_IOCTL_TABLE: a table to check against instead (an ioctl-number.rst).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

header=$src/include/uapi/linux/qotd.h
magic=$(sed -n 's/^#define QOTD_IOC_MAGIC[[:space:]]\{1,\}\(0x[0-9A-Fa-f]\{2\}\).*/\1/p' "$header")
# The command numbers: the second argument of each _IO*(QOTD_IOC_MAGIC, N...).
nrs=$(sed -n 's/.*_IO[RW]*(QOTD_IOC_MAGIC, *\([0-9]\{1,\}\).*/\1/p' "$header" | sort -n | paste -sd ' ')
if [ -z "$magic" ] || [ -z "$nrs" ]; then
	echo "not ok - ioctl-number: QOTD_IOC_MAGIC and its commands found in $header"
	exit 0
fi

table=${QOTD_IOCTL_TABLE:-}
if [ -z "$table" ]; then
	tarball=$(newest_source_tarball)
	if [ -z "$tarball" ]; then
		echo "not ok - ioctl-number: a kernel source tarball to read the table from (run vm/deps.sh)"
		exit 0
	fi
	rst=Documentation/userspace-api/ioctl/ioctl-number.rst
	table=$(unpack_source_files "$tarball" "$rst")/$rst
	what="$(basename "$tarball" .tar.xz)'s ioctl-number.rst"
else
	what=$table
fi

# Rows are "CODE SEQ# ...": CODE 0xNN or 'c', SEQ# "all", NN or NN-NN (hex).
claims=$(MAGIC=$magic NRS=$nrs perl -ne '
	BEGIN { $m = hex($ENV{MAGIC}); @want = split " ", $ENV{NRS} }
	my ($code, $seq) = split " ";
	next unless defined $seq;
	if ($code =~ /^0x([0-9A-Fa-f]{2})$/) { $c = hex($1) }
	elsif ($code =~ /^\x27(.)\x27$/) { $c = ord($1) }
	else { next }
	next unless $c == $m;
	if ($seq eq "all") { ($lo, $hi) = (0, 255) }
	elsif ($seq =~ /^([0-9A-Fa-f]+)(?:-([0-9A-Fa-f]+))?$/) {
		($lo, $hi) = (hex($1), hex(defined $2 ? $2 : $1));
	} else { print "unreadable row: $_"; next }
	print if grep { $_ >= $lo && $_ <= $hi } @want;
' "$table")
if [ -z "$claims" ]; then
	echo "ok - ioctl-number: no entry of $what claims $magic for commands $nrs"
else
	echo "not ok - ioctl-number: $what has entries for $magic that overlap commands $nrs"
	echo "$claims" | sed 's/^/#   /'
fi
