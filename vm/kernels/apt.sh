#!/usr/bin/env bash
# apt-get over one extra Debian suite, without touching the machine's own
# apt sources: a private sources list, package lists and cache under
# ${QOTD_CACHE:-/var/cache/qotd}/apt/SUITE/.
#
#   vm/kernels/apt.sh [--source] SUITE update
#   vm/kernels/apt.sh [--source] SUITE APT-GET-ARGS...   (after an update when needed)
#
# SUITE is a suite of the archive the machine already uses (its first
# deb.debian.org-style URI in /etc/apt), e.g. bookworm-backports or
# trixie-backports. The private list holds bookworm too when SUITE is a
# bookworm suite, so that dependencies resolve; packages installed through
# it are ordinary dpkg packages, which the machine's apt sees as installed
# from nowhere (and never upgrades). Lists older than a day are refreshed.
# --source: source packages (deb-src) of SUITE only, for `apt-get source`,
# in apt/SUITE-src/.
set -euo pipefail

type=deb
if [ "${1:-}" = --source ]; then
	type=deb-src
	shift
fi

[ $# -ge 2 ] || { echo "usage: $0 [--source] SUITE update|APT-GET-ARGS..." >&2; exit 2; }
suite=$1
shift

cache=${QOTD_CACHE:-/var/cache/qotd}
dir=$cache/apt/$suite
[ $type = deb ] || dir=$dir-src
mkdir -p "$dir/lists/partial" "$dir/archives/partial" "$dir/etc"

# The machine's Debian mirror, as its own sources name it; the keyring
# ships with Debian.
mirror=$(grep -h -o -E 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list \
	/etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
	head -n 1 | tr -d ' ' || true)
mirror=${mirror:-http://deb.debian.org/debian}
suites=$suite
[ $type = deb-src ] || case $suite in bookworm-*) suites="bookworm $suite" ;; esac
: >"$dir/etc/sources.list"
for s in $suites; do
	echo "$type [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $s main" \
		>>"$dir/etc/sources.list"
done

apt=(apt-get -q
	-o "Dir::Etc::SourceList=$dir/etc/sources.list"
	-o "Dir::Etc::SourceParts=-"
	-o "Dir::State::Lists=$dir/lists"
	-o "Dir::Cache=$dir"
	-o "Dir::Cache::archives=$dir/archives"
	-o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
	-o "APT::Get::List-Cleanup=0"
	# The private directories are root's: no download as user _apt.
	-o "APT::Sandbox::User=root")

if [ "$1" = update ]; then
	exec "${apt[@]}" update
fi
# Refresh lists that are missing or a day old.
stamp=$dir/lists/.updated
if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440)" ]; then
	"${apt[@]}" update >&2
	touch "$stamp"
fi
export DEBIAN_FRONTEND=noninteractive
exec "${apt[@]}" "$@"
