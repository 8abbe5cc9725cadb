#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the native benchmarks of gotimer's core, Go's runtime timers and
# libuv's timers; called by "make native-bench" and
# "make native-bench-callgrind" in tools/testing/gotimer.
#
#   native-bench.sh wall      DIR   rounds interleaved: gotimer, go, libuv
#   native-bench.sh callgrind DIR   instructions per op under callgrind
#
# DIR holds bench_gotimer, bench_go and bench_libuv and gets the results.
# Environment (the Makefile passes its variables of the same names):
#   NB_NS      the N values, wall clock (100 1000 10000 100000 1000000)
#   NB_CG_NS   the N values, callgrind  (1000 100000)
#   NB_ROUNDS  rounds per figure     (7)
#   NB_OPS     operations per round  (10000; callgrind mode ignores it)
#   NB_SCHED   command prefix for the wall-clock runs; default: pin to the
#              last CPU, and run SCHED_FIFO if allowed (root), so that a
#              concurrent build does not preempt the timed loops
set -euo pipefail

mode=${1:?usage: native-bench.sh wall|callgrind DIR}
dir=${2:?usage: native-bench.sh wall|callgrind DIR}
here=$(cd "$(dirname "$0")" && pwd)
impls=(gotimer go libuv)
ops=${NB_OPS:-10000}
rounds=${NB_ROUNDS:-7}
# Go under valgrind: no RDTSCP (VEX cannot decode it), no async
# preemption signals (callgrind asserts on them).
export GODEBUG=cpu.rdtscp=off,asyncpreemptoff=1
[ "$mode" = wall ] && unset GODEBUG
export GOMAXPROCS=1

for i in "${impls[@]}"; do
	[ -x "$dir/bench_$i" ] || { echo "native-bench: $dir/bench_$i missing" >&2; exit 1; }
done

machine() {
	echo "# machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "# $(gcc --version | head -1); $(go version 2>/dev/null || echo go: none); libuv $(pkg-config --modversion libuv 2>/dev/null || dpkg-query -W -f='${Version}' libuv1-dev 2>/dev/null)"
	echo "# gotimer module/ at $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$here" diff --quiet HEAD -- ../../../../module 2>/dev/null || echo ' + local changes')"
}

if [ "$mode" = wall ]; then
	ns=${NB_NS:-100 1000 10000 100000 1000000}
	if [ -z "${NB_SCHED+x}" ]; then
		NB_SCHED="taskset -c $(($(nproc) - 1))"
		if chrt -f 10 true 2>/dev/null; then
			NB_SCHED="chrt -f 10 $NB_SCHED"
		fi
	fi
	raw=$dir/raw.csv
	{
		machine
		echo "# date $(date -u +%FT%TZ); rounds=$rounds ops=$ops sched='$NB_SCHED'"
	} >"$dir/machine.txt"

	echo "op,N,impl,round,ns" >"$raw"
	for n in $ns; do
		for r in $(seq 1 "$rounds"); do
			seed=$((0x60714e5 + r))
			# Go 1.19's adjusttimers rescans the heap after each
			# timer it takes out: churn+run-due costs minutes at
			# N = 1e6, so only the first round measures it there.
			skip=
			[ "$n" -ge 1000000 ] && [ "$r" -gt 1 ] && skip=churn-run-due
			for i in "${impls[@]}"; do
				echo "# N=$n round $r/$rounds $i" >&2
				# shellcheck disable=SC2086
				NB_GO_SKIP=$skip $NB_SCHED "$dir/bench_$i" "$n" "$ops" "$seed" |
					awk -F, -v r="$r" '$1 == "R" { print $2 "," $3 "," $4 "," r "," $5 }' >>"$raw"
			done
		done
	done
	python3 "$here/report.py" wall "$dir"
	exit 0
fi

[ "$mode" = callgrind ] || { echo "native-bench: unknown mode $mode" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "native-bench: valgrind missing (apt-get install valgrind)" >&2; exit 1; }
ns=${NB_CG_NS:-1000 100000}
cg=$dir/callgrind
mkdir -p "$cg"
machine >"$dir/callgrind-machine.txt"
out=$dir/callgrind-raw.csv
echo "op,N,impl,k1,k2,ir1,ir2" >"$out"

# Instructions of the measured region: each binary zeroes callgrind's
# counters before it (CALLGRIND_ZERO_STATS) and dumps them after it
# (CALLGRIND_DUMP_STATS), giving "$f.1-<thread>" files; their totals are
# summed over every thread but Go's sysmon (a monitor thread whose work
# depends on wall time).  No dump (K = 0 of a fire test): 0.  The files
# stay in $cg.
collected() {
	local f=$1 t tot=0
	shift
	rm -f "$f" "$f"-* "$f".*-*
	valgrind --tool=callgrind --separate-threads=yes --compress-strings=no \
		--callgrind-out-file="$f" "$@" 2>"$f.log" >/dev/null ||
		{ echo "native-bench: failed: $* (see $f.log)" >&2; return 1; }
	for t in "$f".1-*; do
		[ -e "$t" ] || continue
		grep -q 'runtime\.sysmon' "$t" && continue
		# "summary:", the events collected (what callgrind_annotate
		# shows); "totals:" can also hold the cost of the call frames
		# open at the zeroing
		tot=$((tot + $(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$t" | head -1)))
	done
	echo "$tot"
}

median() {
	local reps=$1 f=$2 r v=()
	shift 2
	for r in $(seq 1 "$reps"); do
		v+=("$(collected "$f.$r" "$@")") || return 1
	done
	printf '%s\n' "${v[@]}" | sort -n | sed -n "$(((reps + 1) / 2))p"
}

for n in $ns; do
	k1=$((n / 10 < 1000 ? n / 10 : 1000))
	k2=$((2 * k1))
	for i in "${impls[@]}"; do
		case $i in
		gotimer) list="arm mod-later mod-earlier stop stop-rearm run-due churn-run-due move" ;;
		go) list="arm arm-reuse mod-later mod-earlier stop stop-rearm run-due churn-run-due run-due-chan" ;;
		libuv) list="arm mod-later mod-earlier stop stop-rearm run-due churn-run-due" ;;
		esac
		for op in $list; do
			case $op in
			run-due*|churn-run-due|move) a=0 b=1 ;;
			*) a=$k1 b=$k2 ;;
			esac
			echo "# callgrind N=$n $i $op K=$a,$b" >&2
			# C: deterministic, one run; Go: the median of 3 (a
			# preemption by sysmon may fall in the region)
			reps=1
			[ "$i" = go ] && reps=3
			ir1=$(median "$reps" "$cg/$i.$op.$n.$a" "$dir/bench_$i" "$n" "$ops" 1 "$op" "$a") || ir1=
			ir2=$(median "$reps" "$cg/$i.$op.$n.$b" "$dir/bench_$i" "$n" "$ops" 1 "$op" "$b") || ir2=
			echo "$op,$n,$i,$a,$b,$ir1,$ir2" >>"$out"
		done
	done
done
python3 "$here/report.py" callgrind "$dir"
