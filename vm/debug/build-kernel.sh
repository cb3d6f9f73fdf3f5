#!/usr/bin/env bash
# Build the qotd debug kernel once and keep it in a cache outside the clone.
#
# usage: vm/debug/build-kernel.sh [-j N] [-v] [--rebuild]
#        vm/debug/build-kernel.sh --print-dir
#        vm/debug/build-kernel.sh --print-key
#        vm/debug/build-kernel.sh --prune
#
# Debian's linux-source-6.1, `make tinyconfig` + vm/debug/debug.config,
# cached in ${QOTD_CACHE:-/var/cache/qotd}/debug-kernel/<key>/: see
# vm/build-kernel.sh, which does the work, for the key and what a cache
# directory holds. The last line on stdout is the cache directory.
#
# Environment: QOTD_CACHE (root of the qotd caches), QOTD_KERNEL_SRC (source tarball,
# default /usr/src/linux-source-6.1.tar.xz), QOTD_JOBS (make -j).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec "$here/../build-kernel.sh" --name debug-kernel --fragment "$here/debug.config" "$@"
