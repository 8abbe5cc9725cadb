/*
 * stealtimer.pml - the steal timer of an unpinned base (issue 16's second
 * half, as specified; its C is not in this tree yet): per CPU N an hrtimer
 * with a raw spinlock steal_lock and steal_at, the expiry of the queued
 * steal timer (0 = none), that makes sure a due timer of G_N that nobody runs
 * gets a thief.
 *
 *   steal_arm(at)  fast path: if READ(steal_at) != 0 && steal_at <= at:
 *                  return; else under steal_lock: if steal_at == 0 || at <
 *                  steal_at: steal_at = at, hrtimer_start(at)
 *   lowering       every store that lowers G_N's earliest time to v
 *                  (timer0_when in gotimer_base_changed(), or
 *                  modified_earliest in gotimer_base_note_modified(): L1,
 *                  then the wake protocol's smp_mb, L2) calls
 *                  steal_arm(v + grace); raises (runs, stops) do not
 *   handler        lock; steal_at = 0; unlock; smp_mb; next = G_N's
 *                  earliest (gotimer_base_next(), two loads); next == 0:
 *                  done; next + grace > now: steal_arm(next + grace); else
 *                  post a steal request and steal_arm(now + grace)
 *
 * The hrtimer is its queued expiry hq (0 = not queued): hrtimer_start(at)
 * sets it, also while the handler runs; the handler process fires when
 * the clock has reached hq (dequeue: hq = 0).  The arm's locked section,
 * the handler's clear and the expiry are one step each (gotimer.pml's
 * steal_arm(), lowered() under -DSTEALW).
 *
 * Scenario: G_N = base 1 holds timer 0 at 2 and timer 1 at 3, stopped
 * (Modified, nextwhen 0) or modified earlier to 1; timer 2 is idle; the
 * steal timer is queued at the earliest time + GRACE.  A task on CPU N does
 * NOPS operations: stop, or modify to 1..MAXT, of any timer ([S5] arms
 * timer 2 into G_N, [S6]/[S7] lower modified_earliest); a worker (N's own,
 * or a thief: the same run loop for the steal timer) runs G_N's due timers
 * NPASS times at any moment; the clock goes 0..CMAX.  Steal requests are
 * not served by a modelled thief (the passes at any moment cover them):
 * rep records the time of the last one.
 *
 * Property (the monitor, in every quiescent state: no operation or pass
 * in flight, the handler not between its expiry and its end): if G_N
 * holds a pending timer, e the earliest time one is due (when, or
 * nextwhen of a modified one), then a steal timer is queued (hq != 0), at or
 * before max(e, rep) + GRACE: no later than the timer's grace, or than the
 * retry after the last steal request.  A steal timer already expired (hq <=
 * clock, the handler not started) counts: its handler is about to run.
 *
 * Mutants: -DM16 the handler reads next before it clears steal_at (its
 * smp_mb, and the order, missing): a lowering's fast path sees the expired
 * steal timer's steal_at and returns, the handler then reads the old next: the
 * steal timer is lost; -DM17 a lowering skips steal_arm() whenever steal_at !=
 * 0, whatever its value.
 */
#define STEALW
#define NT 3
#ifndef MAXT
#define MAXT 3
#endif
#ifndef CMAX
#define CMAX (MAXT + 1)
#endif
#ifndef NOPS
#define NOPS 2
#endif
#ifndef NPASS
#define NPASS 2
#endif

#define CALLBACK(bb, t, nw)	skip

#include "gotimer.pml"

#define MAX(a, b)	((a) > (b) -> (a) : (b))

byte clk;		/* the clock (ktime_get()) */
bit  inh;		/* the handler runs (from its expiry to its end) */

/* the earliest time a pending timer of G_N is due; 0 = none */
inline eff_min(e)
{
	d_step {
		e = 0; ai = 0;
		do
		:: ai < NT ->
			if
			:: hb[ai] == SBASE && st[ai] == WAITING && (e == 0 || when[ai] < e) ->
				e = when[ai]
			:: hb[ai] == SBASE && st[ai] == MODIFIED && nextw[ai] != 0 &&
			   (e == 0 || nextw[ai] < e) ->
				e = nextw[ai]
			:: else
			fi;
			ai++
		:: else -> break
		od;
		ai = 0
	}
}

/* the steal timer's hrtimer handler */
proctype handler()
{
	LOCALS;
	byte now, nxt;

end_idle:
	do
	:: atomic { hq != 0 && clk >= hq -> hq = 0; inh = 1 };	/* expiry */
#ifdef M16
		/* mutant: next read before steal_at is cleared */
		a = t0w[SBASE];
		m = mearl[SBASE];
		steal_at = 0;		/* lock; steal_at = 0; unlock */
#else
		steal_at = 0;		/* lock; steal_at = 0; unlock */
		/* smp_mb(): the clear before the loads of next */
		a = t0w[SBASE];		/* next = gotimer_base_next(G_N): */
		m = mearl[SBASE];	/*   two loads */
#endif
		d_step { nxt = VIEW(a, m); a = 0; m = 0; now = clk };
		if
		:: nxt == 0 -> skip
		:: nxt != 0 && nxt + GRACE > now -> steal_arm(nxt + GRACE)
		:: nxt != 0 && nxt + GRACE <= now ->
			rep = now;	/* post a steal request to another CPU */
			steal_arm(now + GRACE)
		fi;
		d_step { inh = 0; now = 0; nxt = 0 }
	od
}

/* the monitor: no pending G_N timer without a steal timer in time */
active proctype monitor()
{
	byte e, ai;

end:	do
	:: atomic {
		inflight == 0 && !inh ->
			eff_min(e);
			assert(e == 0 || (hq != 0 && hq <= MAX(e, rep) + GRACE));
			e = 0
	   }
	od
}

proctype clock()
{
	do
	:: clk < CMAX -> clk++
	:: else -> break
	od
}

/* a task on CPU N: NOPS stops or modifies of any timer */
proctype task()
{
	LOCALS;
	byte k, tt, ww;

	do
	:: k < NOPS ->
		atomic {
			inflight++;
			if :: tt = 0 :: tt = 1 :: tt = 2 fi;
#if MAXT > 2
			if :: ww = 0 :: ww = 1 :: ww = 2 :: ww = 3 fi
#else
			if :: ww = 0 :: ww = 1 :: ww = 2 fi
#endif
		}
		if
		:: ww == 0 -> stop_lazy(tt)
		:: else -> modify(tt, ww, 0, 0, SBASE)
		fi;
		CLR();
		d_step { inflight--; k++; tt = 0; ww = 0 }
	:: else -> break
	od;
	k = 0
}

/* a worker of G_N (its own, or a thief): NPASS passes at any moment */
proctype popper()
{
	LOCALS;
	byte n, now;

	do
	:: n < NPASS ->
		atomic { inflight++; now = clk };
		run_due(SBASE, now);
		d_step { inflight--; n++; now = 0 }
	:: true -> break
	od;
	n = 0
}

init
{
	atomic {
		wpid[1] = 255; wpid[2] = 255;
		st[0] = WAITING; when[0] = 2; hasf[0] = 1; tb[0] = 1; hb[0] = 1;
		when[1] = MAXT; hasf[1] = 1; tb[1] = 1; hb[1] = 1; st[1] = MODIFIED;
		if
		:: del[1] = 1			/* timer 1 stopped, still in the heap */
		:: nextw[1] = 1; mearl[1] = 1	/* timer 1 modified earlier, to 1 */
		fi;
		hlen[1] = 2; ntim[1] = 2; t0w[1] = 2;
		/* the steal timer of the earliest time, queued */
		steal_at = VIEW(t0w[1], mearl[1]) + GRACE; hq = steal_at;
		run handler();
		run clock();
		run task();
		run popper()
	}
}
