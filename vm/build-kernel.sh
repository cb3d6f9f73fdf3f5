#!/usr/bin/env bash
# Build a kernel for the qotd tests once and keep it in a cache outside
# the clone. vm/debug/build-kernel.sh (the debug kernel) and
# vm/kernels/build.sh (the kernel lines built here) call it with their
# fragment and name.
#
# usage: vm/build-kernel.sh --name NAME --fragment FILE [options] [-j N] [-v] [--rebuild]
#        vm/build-kernel.sh --name NAME --fragment FILE [options] --print-dir
#        vm/build-kernel.sh --name NAME --fragment FILE [options] --print-key
#        vm/build-kernel.sh --name NAME --fragment FILE [options] --prune
# options:
#   --source TARBALL    kernel sources (default Debian's linux-source-6.1,
#                       /usr/src/linux-source-6.1.tar.xz)
#   --source-version V  the version that goes into the key (default: the
#                       Debian package version for the default tarball, a
#                       content hash for any other)
#   --llvm SUFFIX       build with Clang and LLVM's tools: LLVM=SUFFIX
#                       (-19 for clang-19); modules built against the tree
#                       need the same LLVM= (the info file's kbuild_args)
#
# The kernel is configured as `make tinyconfig` + FILE. The result is
# cached in ${QOTD_CACHE:-/var/cache/qotd}/NAME/<key>/, where <key> is the
# source version plus a hash of the fragment's option lines, the build
# recipe and the compiler (gcc, or the clang --llvm names). A cache
# directory holds:
#     bzImage    the kernel to boot
#     tree/      the configured and fully built kernel tree: use it as KDIR,
#                make -C <dir>/tree M=$PWD modules
#     config     the final .config
#     FILE       a copy of the fragment it was built from (e.g. debug.config)
#     info       what the key was made of, kernel release, build time
#     build.log  the build's output
# A directory is only ever created by renaming a finished build into place,
# so an interrupted build never leaves something that a later run trusts.
#
# The last line on stdout is the cache directory; everything else goes to
# stderr. --print-dir prints it without building and exits 1 when the
# kernel has not been built yet. --print-key prints just the key. --prune
# deletes the cached kernels of every other key (older sources or configs).
#
# Environment: QOTD_CACHE (the root of every qotd cache, NAME/ below it),
# QOTD_KERNEL_SRC (source tarball, like --source), QOTD_JOBS (make -j).
set -euo pipefail

# Bump when the steps below change in a way that changes the result.
RECIPE=1
ARCH=x86_64
export ARCH

name='' fragment='' src_version='' llvm=''
default_src=/usr/src/linux-source-6.1.tar.xz
src_tarball=${QOTD_KERNEL_SRC:-$default_src}
src_package=linux-source-6.1
jobs=${QOTD_JOBS:-$(nproc 2>/dev/null || echo 2)}
mode=build
verbose=0

say() { echo "build-kernel: $*" >&2; }
die() { say "error: $*"; exit 1; }

while [ $# -gt 0 ]; do
	case $1 in
	--print-dir) mode=print-dir ;;
	--print-key) mode=print-key ;;
	--rebuild) mode=rebuild ;;
	--prune) mode=prune ;;
	-v|--verbose) verbose=1 ;;
	--name) shift; name=${1:?--name needs a name} ;;
	--fragment) shift; fragment=${1:?--fragment needs a file} ;;
	--source) shift; src_tarball=${1:?--source needs a tarball} ;;
	--source-version) shift; src_version=${1:?--source-version needs a version} ;;
	--llvm) shift; llvm=${1:?--llvm needs a suffix, e.g. -19} ;;
	-j) shift; jobs=${1:?-j needs a number} ;;
	-j*) jobs=${1#-j} ;;
	-h|--help) sed -n '2,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "bad job count: $jobs"
[[ $name =~ ^[A-Za-z0-9._-]+$ ]] || die "--name NAME is needed (letters, digits, . _ -)"
[ -n "$fragment" ] || die "--fragment FILE is needed"
[ -r "$fragment" ] || die "missing $fragment"
fragment=$(cd "$(dirname "$fragment")" && pwd)/$(basename "$fragment")

[[ -z $llvm || $llvm =~ ^-[0-9]+$ ]] || die "--llvm wants a version suffix such as -19, not $llvm"

# Packages needed to build; installed when missing (as root), like vm/deps.sh.
build_packages=(build-essential bc flex bison libelf-dev xz-utils cpio)

# The compiler's make arguments, and the line that names it in the key.
kbuild_cc=()
if [ -n "$llvm" ]; then
	kbuild_cc=(LLVM="$llvm")
	build_packages+=("clang$llvm" "lld$llvm" "llvm$llvm")
	cc_version() { "clang$llvm" --version 2>/dev/null | head -n1; }
else
	cc_version() { gcc --version 2>/dev/null | head -n1; }
fi

ensure_deps() {
	local p status missing=()
	local pkgs=("${build_packages[@]}")
	[ "$src_tarball" = "$default_src" ] && pkgs+=("$src_package")
	for p in "${pkgs[@]}"; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		[ "$status" = "install ok installed" ] || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "missing packages: ${missing[*]} (install them as root)"
	say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# The source version: the Debian package version for the packaged tarball,
# a content hash for any other tarball.
source_version() {
	local v
	[ -z "$src_version" ] || { echo "$src_version"; return; }
	if [ "$src_tarball" = "$default_src" ]; then
		v=$(dpkg-query -W -f='${Version}' "$src_package" 2>/dev/null || true)
		[ -n "$v" ] && [ -r "$src_tarball" ] && { echo "$v"; return; }
	fi
	[ -r "$src_tarball" ] || return 1
	v=$(sha256sum "$src_tarball")
	echo "src${v:0:16}"
}

cache_key() {
	local ver cc h
	ver=$(source_version) || return 1
	cc=$(cc_version) || return 1
	[ -n "$cc" ] || return 1
	# Only the option lines count: editing a comment rebuilds nothing.
	# "llvm" only for Clang builds: a GCC build's key is what it always was.
	h=$( { echo "recipe $RECIPE"; echo "arch $ARCH"; echo "cc $cc"; \
		[ -z "$llvm" ] || echo "llvm $llvm"; \
		grep -E '^(CONFIG_|# CONFIG_[A-Za-z0-9_]+ is not set)' "$fragment"; } |
		sha256sum)
	# Keep the key a plain file name.
	echo "${ver//[^A-Za-z0-9.+-]/_}-${h:0:16}"
}

cache_root() {
	if [ -n "${QOTD_CACHE:-}" ]; then
		case $QOTD_CACHE in
		/*) echo "$QOTD_CACHE/$name" ;;
		*) echo "$PWD/$QOTD_CACHE/$name" ;;
		esac
	elif [ -w /var/cache ] || [ -w /var/cache/qotd ]; then
		echo "/var/cache/qotd/$name"
	else
		echo "${XDG_CACHE_HOME:-$HOME/.cache}/qotd/$name"
	fi
}

# A finished build: made by rename, and holds what the harness uses.
is_complete() {
	[ -f "$1/bzImage" ] && [ -f "$1/tree/Module.symvers" ] && [ -f "$1/info" ]
}

# Print the directory of a finished build of key $1, if there is one. Without
# QOTD_CACHE a user who cannot write /var/cache still finds one built there
# by root.
find_built() {
	local d
	for d in "$(cache_root)/$1" "/var/cache/qotd/$name/$1"; do
		[ -z "${QOTD_CACHE:-}" ] || [ "$d" = "$(cache_root)/$1" ] || continue
		is_complete "$d" && { echo "$d"; return 0; }
	done
	return 1
}

# Apply the fragment with scripts/config, one option at a time.
apply_fragment() {
	local tree=$1 line name val
	local args=()
	while IFS= read -r line || [ -n "$line" ]; do
		if [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			args+=(--disable "${BASH_REMATCH[1]#CONFIG_}")
		elif [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
			name=${BASH_REMATCH[1]#CONFIG_}
			val=${BASH_REMATCH[2]}
			case $val in
			y) args+=(--enable "$name") ;;
			m) args+=(--module "$name") ;;
			n) args+=(--disable "$name") ;;
			\"*\") val=${val#\"}; args+=(--set-str "$name" "${val%\"}") ;;
			*) args+=(--set-val "$name" "$val") ;;
			esac
		elif [[ $line =~ ^[[:space:]]*(#.*)?$ ]]; then
			continue
		else
			die "$(basename "$fragment"): cannot parse line: $line"
		fi
	done <"$fragment"
	"$tree/scripts/config" --file "$tree/.config" "${args[@]}"
}

# Every line of the fragment must be in the final .config as written.
# A disabled option also counts as disabled when it is absent (its
# dependencies are not met, so Kconfig does not even list it).
verify_config() {
	local config=$1 line name bad=0
	while IFS= read -r line || [ -n "$line" ]; do
		if [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			name=${BASH_REMATCH[1]}
			if grep -q "^$name=" "$config"; then
				say "config: wanted '$line', got '$(grep "^$name=" "$config")'"
				bad=1
			fi
		elif [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
			name=${BASH_REMATCH[1]}
			if ! grep -qxF -- "$line" "$config"; then
				say "config: wanted '$line', got '$(grep -E "^(# )?${name}[= ]" "$config" || echo "(absent)")'"
				bad=1
			fi
		fi
	done <"$fragment"
	return $bad
}

# Run make in the tree, output to the build log (and stderr with -v).
kmake() {
	local tree=$1; shift
	if [ $verbose -eq 1 ]; then
		make -C "$tree" ${kbuild_cc[@]+"${kbuild_cc[@]}"} "$@" 2>&1 | tee -a "$log" >&2
		return "${PIPESTATUS[0]}"
	fi
	make -C "$tree" ${kbuild_cc[@]+"${kbuild_cc[@]}"} "$@" >>"$log" 2>&1
}

build() {
	local root=$1 key=$2 final=$3
	local tmp tree start end release
	tmp=$(mktemp -d "$root/.tmp-$key.XXXXXX")
	chmod 755 "$tmp"	# mktemp makes it private; the cache is for everyone
	# On failure keep the log beside the cache, drop the rest.
	# shellcheck disable=SC2064
	trap "cp -f '$tmp/build.log' '$root/failed-$key.log' 2>/dev/null; rm -rf '$tmp'" EXIT
	trap 'exit 130' INT TERM
	tree=$tmp/tree
	log=$tmp/build.log
	: >"$log"
	start=$(date +%s)

	# Nothing from a calling make or the environment may change the build.
	unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES KBUILD_OUTPUT KBUILD_EXTMOD \
		KBUILD_EXTRA_SYMBOLS CROSS_COMPILE LLVM KCFLAGS KCPPFLAGS KAFLAGS

	say "unpacking $src_tarball"
	mkdir "$tree"
	tar -xf "$src_tarball" -C "$tree" --strip-components=1

	say "configuring (tinyconfig + $(basename "$fragment"))"
	export KBUILD_BUILD_USER=qotd KBUILD_BUILD_HOST=qotd
	kmake "$tree" tinyconfig || { tail -n 40 "$log" >&2; die "make tinyconfig failed"; }
	apply_fragment "$tree"
	kmake "$tree" olddefconfig || { tail -n 40 "$log" >&2; die "make olddefconfig failed"; }
	verify_config "$tree/.config" ||
		die "options in $fragment did not stick (see above); fix the fragment"

	say "building with -j$jobs (log: $log)"
	if ! kmake "$tree" -j"$jobs" all; then
		tail -n 60 "$log" >&2
		die "kernel build failed"
	fi
	[ -f "$tree/Module.symvers" ] || die "build left no Module.symvers"
	# Both the module build and the cache check rely on these.
	[ -f "$tree/include/generated/autoconf.h" ] || die "build left no autoconf.h"
	[ -f "$tree/scripts/mod/modpost" ] || die "build left no modpost"

	release=$(make -s -C "$tree" ${kbuild_cc[@]+"${kbuild_cc[@]}"} kernelrelease 2>/dev/null)
	cp "$tree/arch/x86/boot/bzImage" "$tmp/bzImage"
	cp "$tree/.config" "$tmp/config"
	end=$(date +%s)
	{
		echo "key=$key"
		echo "release=$release"
		echo "source=$src_tarball"
		echo "source_version=$(source_version)"
		echo "compiler=$(cc_version)"
		echo "kbuild_args=${kbuild_cc[*]}"
		echo "recipe=$RECIPE"
		echo "jobs=$jobs"
		echo "build_seconds=$((end - start))"
		echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	} >"$tmp/info"
	cp "$fragment" "$tmp/$(basename "$fragment")"

	# Put it in place. For --rebuild the old directory is moved aside
	# first and removed after; the new one appears in a single rename.
	if [ -e "$final" ]; then
		local old
		old=$(mktemp -d "$root/.old-$key.XXXXXX")
		mv "$final" "$old/"
		mv -T "$tmp" "$final"
		rm -rf "$old"
	else
		mv -T "$tmp" "$final"
	fi
	trap - EXIT INT TERM
	rm -f "$root/failed-$key.log"
	say "built $release in $((end - start)) s"
}

case $mode in
print-key)
	cache_key || die "cannot compute the key (source tarball or compiler missing)"
	exit 0 ;;
print-dir)
	key=$(cache_key 2>/dev/null) || { say "not built (source or compiler missing)"; exit 1; }
	find_built "$key" || { say "not built: $(cache_root)/$key"; exit 1; }
	exit 0 ;;
prune)
	key=$(cache_key) || die "cannot compute the key (source tarball or compiler missing)"
	root=$(cache_root)
	[ -d "$root" ] || exit 0
	shopt -s nullglob
	declare -A seen=()
	for d in "$root"/* "$root"/.tmp-* "$root"/.old-*; do
		k=$(basename "$d")
		k=${k#.tmp-}; k=${k#.old-}; k=${k#failed-}; k=${k%.log}
		[[ $d == */.tmp-* || $d == */.old-* ]] && k=${k%.*}
		[[ $k == .lock-* ]] && continue
		# Only builds of this script: another cache may share the root.
		[ ! -d "$d" ] || [[ $d == */.tmp-* || $d == */.old-* ]] || [ -f "$d/info" ] || continue
		[ "$k" = "$key" ] && continue
		[ -n "${seen[$k]:-}" ] && continue
		seen[$k]=1
		# Skip a key whose build is running right now.
		exec 8>"$root/.lock-$k"
		if flock -n 8; then
			say "removing the cached kernel $k"
			rm -rf "${root:?}/$k" "$root/.tmp-$k".* "$root/.old-$k".* "$root/failed-$k.log"
		else
			say "skipping $k: a build of it is running"
		fi
		exec 8>&-
	done
	exit 0 ;;
esac

# Fast path: already built, nothing to lock or install.
if [ "$mode" = build ] && key=$(cache_key 2>/dev/null) && dir=$(find_built "$key"); then
	say "cached: $dir"
	echo "$dir"
	exit 0
fi

ensure_deps
[ -r "$src_tarball" ] || die "kernel source not found: $src_tarball"
key=$(cache_key) || die "cannot compute the cache key"
root=$(cache_root)
dir=$root/$key
mkdir -p "$root"

# One builder per key at a time; the others wait and then find it built.
exec 9>"$root/.lock-$key"
if ! flock -n 9; then
	say "another build of $key is running; waiting for it"
	flock 9
fi
# Leftovers of interrupted builds of this key (no one else holds the lock).
rm -rf "$root/.tmp-$key".* "$root/.old-$key".*

if [ "$mode" = build ] && is_complete "$dir"; then
	say "cached: $dir"
elif [ -e "$dir" ] && [ "$mode" = build ]; then
	# Not made by this script (renames only put finished builds there).
	die "$dir exists but is incomplete; remove it or run with --rebuild"
else
	build "$root" "$key" "$dir"
fi
echo "$dir"
