#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Merge the native benchmark's raw results into a table and CSV files.

  report.py wall DIR        DIR/raw.csv -> results.txt, results.csv, ratios.csv
  report.py callgrind DIR   DIR/callgrind-raw.csv -> callgrind.txt, callgrind.csv

Ratios are gotimer / other: below 1 gotimer is faster.
"""
import csv
import os
import statistics
import sys

IMPLS = ("gotimer", "go", "libuv")
OPS = (
    ("arm", "arm idle"),
    ("mod-later", "modify later"),
    ("mod-earlier", "modify earlier"),
    ("stop", "stop"),
    ("stop-rearm", "stop+re-arm"),
    ("run-due", "run-due"),
    ("churn-run-due", "churn+run-due"),
    ("move", "move"),
)
# Go-only variants, compared with gotimer's figure for the op named second.
GO_EXTRA = (
    ("arm-reuse", "arm", "arm idle: Go Reset of a fired timer (no allocation)"),
    ("run-due-chan", "run-due", "run-due: Go NewTimer channels (no goroutine per timer)"),
)
NAME = dict(OPS)


def ratio(a, b):
    if a is None or b is None or b <= 0:
        return None
    return a / b


def fmt_ratio(r):
    return "n/a" if r is None else "%.2fx" % r


def fmt_ns(v):
    if v is None:
        return "n/a"
    return "%.0f" % v if v >= 100 else "%.1f" % v


def header_lines(path):
    """The machine description a run wrote, if any, as report lines."""
    try:
        with open(path) as f:
            return [l.rstrip("\n") for l in f]
    except OSError:
        return []


def wall(d):
    vals = {}
    failed = set()
    with open(os.path.join(d, "raw.csv")) as f:
        for row in csv.DictReader(f):
            key = (row["op"], int(row["N"]), row["impl"])
            v = float(row["ns"])
            if v == -3:     # skipped on purpose (native-bench.sh)
                continue
            if v < 0:
                failed.add(key)
                continue
            vals.setdefault(key, []).append(v)
    stat = {}
    for key, v in vals.items():
        stat[key] = (statistics.median(v), min(v), max(v), len(v))
    ns = sorted({k[1] for k in stat})

    def med(op, n, impl):
        s = stat.get((op, n, impl))
        return s[0] if s else None

    rows, ratios = [], []
    for op, _ in OPS + tuple((x[0], x[2]) for x in GO_EXTRA):
        base = dict((x[0], x[1]) for x in GO_EXTRA).get(op, op)
        for n in ns:
            g = med(base, n, "gotimer")
            r_go = ratio(g, med(op, n, "go"))
            r_uv = ratio(g, med(op, n, "libuv")) if op == base else None
            if op == base:
                ratios.append((op, n, r_go, r_uv))
            for impl in IMPLS:
                s = stat.get((op, n, impl))
                if s:
                    rows.append((op, n, impl, s[0], s[1], s[2], s[3], r_go, r_uv))

    with open(os.path.join(d, "results.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["op", "N", "impl", "median_ns", "min_ns", "max_ns", "rounds",
                    "gotimer_over_go", "gotimer_over_libuv"])
        for op, n, impl, m, lo, hi, k, rg, ru in rows:
            w.writerow([op, n, impl, "%.1f" % m, "%.1f" % lo, "%.1f" % hi, k,
                        "" if rg is None else "%.3f" % rg,
                        "" if ru is None else "%.3f" % ru])
    with open(os.path.join(d, "ratios.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["op", "N", "gotimer_over_go", "gotimer_over_libuv"])
        for op, n, rg, ru in ratios:
            w.writerow([op, n, "" if rg is None else "%.3f" % rg,
                        "" if ru is None else "%.3f" % ru])

    out = header_lines(os.path.join(d, "machine.txt"))
    out.append("# ns/op: median [min..max] over rounds; ratio = gotimer / other "
               "(< 1: gotimer faster)")

    def cell(op, n, impl):
        s = stat.get((op, n, impl))
        if not s:
            return "failed" if (op, n, impl) in failed else "n/a"
        return "%s [%s..%s]" % (fmt_ns(s[0]), fmt_ns(s[1]), fmt_ns(s[2]))

    hdr = "%-15s %-8s %-22s %-22s %-22s %8s %9s" % (
        "op", "N", "gotimer", "go", "libuv", "g/go", "g/libuv")
    out.append(hdr)
    for op, n, rg, ru in ratios:
        out.append("%-15s %-8d %-22s %-22s %-22s %8s %9s" % (
            NAME[op], n, cell(op, n, "gotimer"), cell(op, n, "go"),
            cell(op, n, "libuv"), fmt_ratio(rg), fmt_ratio(ru)))
    out.append("# Go-only variants (ratio: gotimer's figure for the same op / this)")
    for op, base, what in GO_EXTRA:
        for n in ns:
            if (op, n, "go") in stat:
                out.append("%-15s %-8d %-22s %-22s %-22s %8s" % (
                    op, n, cell(base, n, "gotimer"), cell(op, n, "go"), "",
                    fmt_ratio(ratio(med(base, n, "gotimer"), med(op, n, "go")))))
        out.append("#   %s: %s" % (op, what))
    txt = "\n".join(out) + "\n"
    with open(os.path.join(d, "results.txt"), "w") as f:
        f.write(txt)
    sys.stdout.write(txt)
    print("# written: %s/{results.txt,results.csv,ratios.csv,raw.csv}" % d)


def callgrind(d):
    res = {}
    with open(os.path.join(d, "callgrind-raw.csv")) as f:
        for row in csv.DictReader(f):
            op, n, impl = row["op"], int(row["N"]), row["impl"]
            try:
                k1, k2 = int(row["k1"]), int(row["k2"])
                i1, i2 = int(row["ir1"]), int(row["ir2"])
            except ValueError:
                res[(op, n, impl)] = None
                continue
            per = n if k1 == 0 else k2 - k1
            res[(op, n, impl)] = (i2 - i1) / per
    ns = sorted({k[1] for k in res})
    ops = [o for o, _ in OPS] + [x[0] for x in GO_EXTRA]
    with open(os.path.join(d, "callgrind.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["op", "N", "impl", "instr_per_op"])
        for (op, n, impl), v in sorted(res.items()):
            w.writerow([op, n, impl, "" if v is None else "%.1f" % v])
    out = header_lines(os.path.join(d, "callgrind-machine.txt"))
    out.append("# instructions per op (valgrind --tool=callgrind): the measured region "
               "alone (client requests), all threads but Go's sysmon,")
    out.append("# (region with K2 ops - region with K1 ops) / (K2 - K1); fire tests: "
               "region / N; ratio = gotimer / other")
    out.append("%-15s %-8s %10s %10s %10s %8s %9s" % (
        "op", "N", "gotimer", "go", "libuv", "g/go", "g/libuv"))

    def get(op, n, impl):
        return res.get((op, n, impl))

    def c(v, key):
        if key not in res:
            return "n/a"
        return "failed" if v is None else "%.0f" % v

    for op in ops:
        base = dict((x[0], x[1]) for x in GO_EXTRA).get(op, op)
        for n in ns:
            if not any((op, n, i) in res for i in IMPLS):
                continue
            g = get(base, n, "gotimer")
            label = NAME.get(op, op + " (go)")
            out.append("%-15s %-8d %10s %10s %10s %8s %9s" % (
                label, n, c(g, (base, n, "gotimer")) if op == base else
                "(%s)" % c(g, (base, n, "gotimer")),
                c(get(op, n, "go"), (op, n, "go")),
                c(get(op, n, "libuv"), (op, n, "libuv")),
                fmt_ratio(ratio(g, get(op, n, "go"))),
                fmt_ratio(ratio(g, get(op, n, "libuv")) if op == base else None)))
    txt = "\n".join(out) + "\n"
    with open(os.path.join(d, "callgrind.txt"), "w") as f:
        f.write(txt)
    sys.stdout.write(txt)
    print("# written: %s/{callgrind.txt,callgrind.csv,callgrind-raw.csv}" % d)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("wall", "callgrind"):
        sys.exit("usage: report.py wall|callgrind DIR")
    (wall if sys.argv[1] == "wall" else callgrind)(sys.argv[2])


if __name__ == "__main__":
    main()
