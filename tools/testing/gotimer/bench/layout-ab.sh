#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The heap-slot layout experiment: pointer slots (this tree) against Go
# 1.23's {when, timer} pairs (bench/heap-pairs.patch applied to a scratch
# copy of module/), both compiled into bench_gotimer and run interleaved,
# pinned to one CPU, SCHED_FIFO if allowed.  Prints median ns/op per op and
# N, and pairs/pointer (< 1: the pairs are faster).
#
#   bench/layout-ab.sh [ROUNDS [N...]]      (default: 5 rounds, 1e3 1e5 1e6)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
gt=$(dirname "$here")
repo=$(cd "$gt/../../.." && pwd)
rounds=${1:-5}
shift || true
ns=${*:-1000 100000 1000000}
ops=2000
out=$gt/build/layout-ab
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$out" "$work/module"
cp "$repo"/module/*.[ch] "$work/module/"
patch -s -d "$work" -p1 < "$here/heap-pairs.patch"
cflags=(-std=gnu11 -O2 -pthread -I"$gt" -I"$gt/include")
core=(heap.c status.c base.c run.c timer.c)
for v in pointer pairs; do
	src=$repo/module
	[ "$v" = pairs ] && src=$work/module
	cc "${cflags[@]}" -I"$src" -o "$out/bench_$v" "$here/bench_gotimer.c" "$gt/harness.c" \
		"${core[@]/#/$src/}"
done

sched=(taskset -c "$(($(nproc) - 1))")
chrt -f 10 true 2>/dev/null && sched=(chrt -f 10 "${sched[@]}")
: > "$out/raw.csv"
for n in $ns; do
	for r in $(seq 1 "$rounds"); do
		for v in pointer pairs; do
			"${sched[@]}" "$out/bench_$v" "$n" "$ops" $((0x60714e5 + r)) |
				sed -n "s/^R,\([^,]*\),\([^,]*\),gotimer,/\1,\2,$v,/p" >> "$out/raw.csv"
		done
	done
done
python3 - "$out/raw.csv" <<'PY' | tee "$out/results.txt"
import collections, statistics, sys
d = collections.defaultdict(list)
order = []
for line in open(sys.argv[1]):
    op, n, v, ns = line.strip().split(',')
    if (op, int(n)) not in order:
        order.append((op, int(n)))
    d[(op, int(n), v)].append(float(ns))
print('%-14s %8s %10s %10s %12s' % ('op', 'N', 'pointer', 'pairs', 'pairs/ptr'))
for op, n in order:
    a = statistics.median(d[(op, n, 'pointer')])
    b = statistics.median(d[(op, n, 'pairs')])
    print('%-14s %8d %10.1f %10.1f %11.2fx' % (op, n, a, b, b / a))
PY
