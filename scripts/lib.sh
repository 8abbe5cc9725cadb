# SPDX-License-Identifier: GPL-2.0
# Shell helpers shared by the scripts that build a scratch copy of the tree.

# copy_tracked_tree REPO DEST: copy the files git tracks in REPO into DEST,
# so a build there sees exactly what a clean clone has.
copy_tracked_tree() {
	(cd "$1" && git ls-files -z | xargs -0 cp --parents -t "$2")
}

# debian_kver FLAVOR: the newest installed Debian kernel ABI of FLAVOR
# (amd64 or rt-amd64) with headers, e.g. 6.1.0-56-amd64; "amd64" never
# matches the rt-amd64 ones.
debian_kver() {
	ls -d /usr/src/linux-headers-[0-9]*-"$1" 2>/dev/null | sed 's,.*/linux-headers-,,' |
		grep -E "^[0-9.]+-[0-9]+-$1\$" | sort -V | tail -n1
}

# The architectures a test kernel is built for: x86_64 (every flavor but
# these), arm64 and i386, named by a "# arch: NAME" line in the flavor's
# fragment (scripts/config/FLAVOR.config).
# fragment_arch FRAGMENT: the architecture FRAGMENT names (default x86_64).
fragment_arch() {
	local a
	a=$(sed -n 's/^# arch: *//p' "$1" 2>/dev/null | head -n1)
	echo "${a:-x86_64}"
}

# kernel_arch KDIR: the architecture of the configured kernel build dir KDIR.
kernel_arch() {
	if grep -qs '^CONFIG_ARM64=y' "$1/.config"; then
		echo arm64
	elif grep -qs '^CONFIG_X86_32=y' "$1/.config"; then
		echo i386
	else
		echo x86_64
	fi
}

# arch_make_args ARCH: kbuild's ARCH= and, for a cross build, its compiler,
# for the kernel's build and for the modules built against it.  arm64 is
# built with clang and binutils-aarch64-linux-gnu: Debian 12's
# gcc-aarch64-linux-gnu conflicts with gcc-multilib, which the native
# harness's -m32 builds need.
arch_make_args() {
	case "$1" in
	arm64) echo "ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- CC=clang" ;;
	i386|x86_64) echo "ARCH=$1" ;;
	*) echo "lib.sh: unknown architecture $1" >&2; return 1 ;;
	esac
}

# arch_tools ARCH: the commands a build for ARCH needs beyond the host's gcc.
arch_tools() {
	case "$1" in
	arm64) echo "clang aarch64-linux-gnu-ld" ;;
	*) echo ;;
	esac
}

# kernel_make_args KDIR: what a module build against KDIR adds to make's
# command line: arch_make_args for a cross-built kernel, nothing for x86-64
# (as a build against the running kernel's headers always did).
kernel_make_args() {
	local a
	a=$(kernel_arch "$1")
	[ "$a" = x86_64 ] || arch_make_args "$a"
}

# arch_image ARCH: the kernel image QEMU boots, relative to the build dir.
arch_image() {
	case "$1" in
	arm64) echo arch/arm64/boot/Image ;;
	*) echo arch/x86/boot/bzImage ;;
	esac
}

# arch_busybox ARCH: the static busybox for ARCH's guests.  Debian's
# busybox-static is not Multi-Arch (the arm64 or i386 package would replace
# the host's), so scripts/install-deps unpacks the other architectures'
# packages under the cache instead.
arch_busybox() {
	case "$1" in
	x86_64) echo /bin/busybox ;;
	*) echo "${GOTIMER_CACHE:-/var/cache/gotimer}/busybox-$1/bin/busybox" ;;
	esac
}

# Quiet output (make's default; V=1 turns it off): the make targets export
# GOTIMER_QUIET=1, and a long step's output goes to a log under build/
# while one progress line shows on stderr.
gotimer_quiet() { [ "${GOTIMER_QUIET:-0}" = 1 ]; }

# elapsed SECONDS: "42s" or "3m07s".
elapsed() {
	if [ "$1" -ge 60 ]; then printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); else printf '%ds' "$1"; fi
}

# show_tail LOG [N]: the last N (default 40) lines of LOG and its path, on
# stderr, for a step that failed.
show_tail() {
	{
		echo "---- last ${2:-40} lines of $1:"
		tr -d '\r' < "$1" | tail -n "${2:-40}"
		echo "---- whole log: $1"
	} >&2
}

# progress_wait PID WHAT: wait for PID, showing "WHAT... 1m02s" on stderr,
# redrawn every second on a terminal, else printed once; returns PID's
# status and leaves $progress_secs set to the time it took.
progress_wait() {
	local pid=$1 what=$2 start rc=0
	start=$(date +%s)
	if [ -t 2 ]; then
		while kill -0 "$pid" 2>/dev/null; do
			printf '\r%s... %s ' "$what" "$(elapsed $(( $(date +%s) - start )))" >&2
			sleep 1
		done
		printf '\r\033[K' >&2
	else
		echo "$what..." >&2
	fi
	wait "$pid" || rc=$?
	progress_secs=$(( $(date +%s) - start ))
	return "$rc"
}

# quiet_run LOG WHAT CMD...: with GOTIMER_QUIET=1, run CMD with its output
# (stdout and stderr) in LOG behind a progress line, then say how it went;
# on failure show the tail of LOG.  Otherwise run CMD as it is.  Returns
# CMD's status either way.
quiet_run() {
	local log=$1 what=$2 rc=0
	shift 2
	if ! gotimer_quiet; then
		"$@" || return
		return 0
	fi
	mkdir -p "$(dirname "$log")"
	"$@" > "$log" 2>&1 < /dev/null &
	progress_wait $! "$what (log: $log)" || rc=$?
	if [ "$rc" = 0 ]; then
		echo "$what: done in $(elapsed "$progress_secs")" >&2
	else
		echo "$what: FAILED (exit $rc) after $(elapsed "$progress_secs")" >&2
		show_tail "$log"
	fi
	return "$rc"
}
