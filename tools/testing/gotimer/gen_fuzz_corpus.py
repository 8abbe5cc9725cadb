#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write fuzz_ops.c's seed corpus into fuzz_corpus/, deterministically.

Usage: ./gen_fuzz_corpus.py [dir]     (default: fuzz_corpus next to this file)

Each seed is a short, readable operation sequence in the encoding that the
header comment of fuzz_ops.c describes; together they reach every row the
fuzzer can (S1-S15) and its error paths, so that mutation starts from there.
The files are committed; rerun this after changing the encoding.
"""
import os
import sys

MODIFY, MODIFY_NOMEM, RESET, STOP, RUN = 0, 3, 4, 6, 9
ADVANCE, SET_CPU, MOVE, MOVE_NORESERVE, SETTLE = 11, 12, 13, 14, 15

WHEN_ZERO, WHEN_NEG, WHEN_ONE, WHEN_MAX = 255, 254, 253, 252
PERIOD_NONE, PERIOD_HUGE, PERIOD_MAX, PERIOD_BAD = 0, 253, 254, 255


def config(ncpus, ntimers):
    """Byte 0: ncpus = 2 + b % 3, ntimers = 4 + b / 3 % 13."""
    return bytes([(ntimers - 4) * 3 + (ncpus - 2)])


def when(delta):
    """A 'when' byte for now + delta, -40 <= delta <= 209."""
    assert -40 <= delta <= 209
    return delta + 40


def period(p):
    """A 'period' byte for a period of 1..112 ns."""
    assert 1 <= p <= 112
    return p + 127


def modify(tid, w, p=PERIOD_NONE, action=0, fn_b=False, op=MODIFY):
    return bytes([op, tid | (0x80 if fn_b else 0), w, p, action])


def reset(tid, w):
    return bytes([RESET, tid, w])


def stop(tid):
    return bytes([STOP, tid])


def run(cpu):
    return bytes([RUN, cpu])


def advance(n):
    return bytes([ADVANCE, n])


def set_cpu(cpu):
    return bytes([SET_CPU, cpu])


def move(src, dst, reserve=True):
    return bytes([MOVE if reserve else MOVE_NORESERVE, src, dst])


def settle(cpu, kind):
    return bytes([SETTLE, kind << 2 | cpu])


def action(kind, j=0):
    """Callback action: 3 modify self, 4 stop self, 5 reset self,
    6 stop timer j, 7 reset timer j (new time now + 1 + j)."""
    return j << 3 | kind


SEEDS = {
    # S5, S11: one-shots on two CPUs fire in when order, late ones wait.
    "oneshot": config(2, 8) + modify(0, when(10)) + modify(1, when(5))
    + modify(2, when(-3)) + set_cpu(1) + modify(3, when(7))
    + run(0) + advance(10) + run(0) + run(1) + advance(100) + run(0),

    # S6, S7, S2, S3, S4 and the lazy settling S8, S9, S10.
    "lazy": config(2, 4) + modify(0, when(50)) + modify(1, when(60))
    + modify(0, when(80)) + modify(0, when(20)) + stop(0) + stop(0)
    + modify(0, when(30)) + stop(1) + stop(2) + advance(25) + run(0)
    + settle(0, 0) + modify(1, when(5)) + advance(10) + run(0)
    + settle(0, 2) + advance(200) + run(0),

    # S12: catch-up over missed periods, and the S64_MAX clamp.
    "periodic": config(2, 6) + modify(0, when(1), period(7))
    + modify(1, when(0), PERIOD_MAX) + modify(2, when(2), PERIOD_HUGE)
    + run(0) + advance(100) + run(0) + reset(0, when(3)) + advance(3)
    + run(0) + stop(0) + run(0),

    # S13, S14, S15: move-all like hotplug, then the timers fire there.
    "move": config(3, 8) + modify(0, when(10)) + modify(1, when(20))
    + modify(2, when(30)) + modify(1, when(5)) + stop(2)
    + set_cpu(1) + modify(3, when(15)) + move(0, 1) + modify(4, when(1))
    + move(1, 2, reserve=False) + advance(40) + run(2) + run(0)
    + set_cpu(0) + modify(2, when(2)) + advance(5) + run(0),

    # Callbacks that modify, stop and reset themselves and others.
    "callbacks": config(2, 8) + modify(0, when(0), action=action(3, 2))
    + modify(1, when(0), action=action(4)) + modify(2, when(100))
    + modify(3, when(1), period(5), action(5, 9))
    + modify(4, when(2), action=action(6, 2), fn_b=True)
    + modify(5, when(2), action=action(7, 6)) + run(0) + advance(50)
    + run(0) + run(1) + advance(200) + run(0),

    # Errors: invalid when/period, reset before any modify, -ENOMEM,
    # -ENOSPC, all leaving the timer as it was.
    "errors": config(2, 4) + reset(0, when(5))
    + modify(0, WHEN_ZERO) + modify(0, WHEN_NEG) + modify(0, when(5), PERIOD_BAD)
    + modify(0, when(5), op=MODIFY_NOMEM) + modify(0, when(5))
    + modify(1, WHEN_MAX) + modify(2, WHEN_ONE) + set_cpu(1)
    + modify(3, when(1), op=MODIFY_NOMEM) + move(0, 1, reserve=False)
    + move(1, 0, reserve=False) + settle(0, 3) + run(0) + run(1),

    # Many stopped timers: modify of a Removed timer forces an adjust [S5,
    # S10], then run-due forces one too.
    "stopped": config(2, 16)
    + b"".join(modify(i, when(i + 1)) for i in range(12))
    + b"".join(stop(i) for i in range(0, 12, 2)) + modify(12, when(13))
    + modify(0, when(1)) + stop(1) + stop(3) + stop(5) + settle(0, 1)
    + run(0) + advance(20) + run(0),

    # A non-empty heap must grow for a move: -ENOSPC first, then reserve.
    "grow": config(2, 16)
    + b"".join(modify(i, when(i)) for i in range(13)) + set_cpu(1)
    + b"".join(modify(i, when(i)) for i in range(13, 16))
    + move(1, 0, reserve=False) + advance(20) + run(0) + run(1),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "fuzz_corpus")
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(SEEDS.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
