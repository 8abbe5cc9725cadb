/*
 * wake.pml - the worker's sleep/wake handshake (module/pool.c runner_round(),
 * gotimer_base_lowered, gotimer_base_kick) against every path that lowers
 * base 1's earliest time: arm of an idle timer ([S5]: clean head, add, and
 * a kick when too many stopped timers wait; the O(n) adjust is the
 * worker's), modify earlier, adjust, clean head, the hotplug move, a
 * callback's re-arm, and a remote re-arm of a timer whose callback runs
 * in base 1 ([S17], added under base 1's lock).
 *
 *   default      the fixed protocol: every store that may lower the view
 *                (gotimer_base_changed's timer0_when, note_modified's
 *                modified_earliest) is followed by mb and a wake_at check
 *   -DPREFIX     the pre-fix code: gotimer_wake_worker(base, when) after
 *                the arm and after the modify, and the arm path's forced
 *                O(n) adjust in the caller (mutant m1, must fail)
 *   -DM5         the fixed protocol minus the check in base_changed, with
 *                the modify-earlier wake after the unlock (mutant m5)
 *   -DMOVE       scenario 2: the hotplug move of a departing CPU's timer
 *                into base 1, on that CPU, with that CPU's task's modifies
 *                (default: scenario 1, the issue-12 arm + remote modify +
 *                stop)
 *
 * Property ("no missed wake-up"): at no point between whole operations of
 * the other CPUs is the worker asleep (in schedule()) with no wake-up on
 * its way (wake_at still its deadline) while a timer pending in base 1 is
 * due before that deadline.  Checked by the monitor process whenever that
 * state arises, not only where the worker decides to sleep.
 */
#define WAKE
#ifdef MOVE
#define NT 2
#define CLOSE		/* the move is CPU 2's offline step, on CPU 2 */
#else
#define NT 3
#endif
#define MAXT 3
#ifndef NITER
#define NITER 2
#endif
#ifndef NOPS
#define NOPS 1
#endif

/* a callback re-arms its own one-shot timer at the next tick, or not */
#define CALLBACK(bb, t, nw) \
	if \
	:: nw < MAXT -> modify(t, nw + 1, 0, 0, bb) \
	:: true -> skip \
	fi

#include "gotimer.pml"

/*
 * -DISSUE12 (with -DPREFIX): force the order of issue 12's interleaving,
 * to record its trail; the full search finds a missed wake-up without it.
 */
#ifdef ISSUE12
byte phase;
#define GATE(n)	(phase >= n)
#define PHASE(n)	phase = (phase < n -> n : phase)
#else
#define GATE(n)	skip
#define PHASE(n)	skip
#endif

/* the earliest time a pending timer of base 1 is due; 0 = none */
inline eff_min(e)
{
	d_step {
		e = 0; ai = 0;
		do
		:: ai < NT ->
			if
			:: hb[ai] == WBASE && st[ai] == WAITING && (e == 0 || when[ai] < e) ->
				e = when[ai]
			:: hb[ai] == WBASE && st[ai] == MODIFIED && nextw[ai] != 0 &&
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

byte ndone;

/*
 * pool.c runner_round(): gotimer/0, the worker of base 1.  smpboot calls
 * worker_fn() in a loop; the model starts that loop just after a
 * gotimer_run_due(), so the initial heap may hold stopped timers.
 */
proctype worker()
{
	LOCALS;
	byte now, next, next2, iter;

	do
	:: iter < NITER ->
		woken = 0;			/* set_current_state(TASK_INTERRUPTIBLE) */
		a = t0w[WBASE];			/* next = gotimer_base_next(base): */
		m = mearl[WBASE];		/*   two separate loads */
		next = VIEW(a, m);
		PHASE(1);
		GATE(2);
		wake_at = (next != 0 -> next : INF);
		/* mb: smp_mb(), pairs with the wakers' mb */
		a = t0w[WBASE];			/* gotimer_base_next(base) again */
		PHASE(3);
		GATE(4);
		m = mearl[WBASE];
		d_step { next2 = VIEW(a, m); a = 0; m = 0 }
		if
		:: next2 != next || (next != 0 && next <= now) ->
			wake_at = 0		/* sleep_begin resets it, returns 0 */
		:: else ->
			asleep = 1;		/* schedule_hrtimeout() / schedule() */
end_sleep:		if
			:: woken -> skip		/* wake_up_process() */
			:: next != 0 -> now = next	/* the hrtimer expires */
			fi;
			asleep = 0;
			/* W5: cmpxchg of its own value to 0 (sleep_end) */
			d_step {
				if
				:: wake_at == (next != 0 -> next : INF) -> wake_at = 0
				:: else
				fi
			}
		fi;
		d_step { next = 0; next2 = 0 }
		iter++;
		run_due(WBASE, now)		/* gotimer_run_due(base, gotimer_now()) */
	:: else -> break
	od
}

/* the monitor: no sleep past a due timer without a wake-up on its way */
active proctype monitor()
{
	byte e, ai;
end:	do
	:: atomic {
		asleep && wake_at != 0 && inflight == 0 ->
			eff_min(e);
			assert(e == 0 || e >= wake_at)
	   }
	od
}

#ifndef MOVE
/*
 * Scenario 1 (issue 12): X = timer 0 at 2 and Z = timer 1 at 3 (pending or
 * stopped) in base 1,
 * Y = timer 2 idle.  A task on another CPU stops or modifies X and Z; a
 * task on CPU 0 arms Y (into base 1, whose deleted count may force the
 * adjust under -DPREFIX; else the arm kicks the worker, which adjusts).
 */
proctype remote()
{
	LOCALS;
	byte k, tt, ww;

	do
	:: k < NOPS ->
		GATE(1);
		atomic {
			inflight++;
#ifdef ISSUE12
			tt = 0; ww = 1		/* X: 2 -> 1 */
#else
			if :: tt = 0 :: tt = 1 fi;
			if :: ww = 0 :: ww = 1 :: ww = 2 :: ww = 3 fi
#endif
		}
		if
		:: ww == 0 -> stop_lazy(tt)
		:: else -> modify(tt, ww, 0, 0, 2)
		fi;
		PHASE(2);
		CLR();
		d_step { inflight--; k++; tt = 0; ww = 0 }
	:: else -> break
	od;
	ndone++
}

proctype arm()
{
	LOCALS;
	byte ww;

	GATE(3);
	atomic {
		inflight++;
#ifdef ISSUE12
		ww = 3			/* Y idle, armed at 3 */
#else
		if :: ww = 1 :: ww = 2 :: ww = 3 fi
#endif
	}
	modify(2, ww, 0, 0, WBASE);	/* [S5] into this CPU's base 1 */
	PHASE(4);
	CLR();
	d_step { inflight--; ww = 0 };
	ndone++
}

init
{
	atomic {
		wpid[1] = 255; wpid[2] = 255;
		st[0] = WAITING; when[0] = 2; hasf[0] = 1; tb[0] = 1; hb[0] = 1;
		when[1] = 3; hasf[1] = 1; tb[1] = 1; hb[1] = 1;
		if
#ifndef ISSUE12
		:: st[1] = WAITING
#endif
		:: st[1] = MODIFIED; del[1] = 1		/* stopped, still in the heap */
		fi;
		hlen[1] = 2; ntim[1] = 2; t0w[1] = 2;
		wpid[1] = run worker();
		run remote();
		run arm()
	}
}
#else
/*
 * Scenario 2: X = timer 0 in base 1 at 3; W = timer 1 in base 2 (the base
 * of CPU 2, going down), Waiting at 1..3 or Modified.  A task on CPU 2
 * modifies or stops either; CPU 2's offline step moves base 2 into base 1
 * and closes it, between two of the task's preemption-off sections
 * (-DCLOSE in gotimer.pml): an arm after it goes to base 1.
 */
proctype remote()
{
	LOCALS;
	byte k, tt, ww;

	do
	:: k < NOPS ->
		atomic {
			inflight++;
			if :: tt = 0 :: tt = 1 fi;
			if :: ww = 0 :: ww = 1 :: ww = 2 :: ww = 3 fi
		}
		if
		:: ww == 0 -> stop_lazy(tt)
		:: else -> modify(tt, ww, 0, 0, 2)
		fi;
		CLR();
		d_step { inflight--; k++; tt = 0; ww = 0 }
	:: else -> break
	od;
	ndone++
}

/* hotplug.c gotimer_cpu_offline(2), on CPU 2: preemption off throughout */
proctype hotplug()
{
	LOCALS;

	inflight++;
	atomic { pre2 == 0 -> pre2 = _pid + 1 };
	move(2, 1);
	pre2 = 0;
	CLR();
	inflight--;
	ndone++
}

init
{
	atomic {
		wpid[1] = 255; wpid[2] = 255;
		st[0] = WAITING; when[0] = 3; hasf[0] = 1; tb[0] = 1; hb[0] = 1;
		hlen[1] = 1; ntim[1] = 1; t0w[1] = 3;
		hasf[1] = 1; tb[1] = 2; hb[1] = 2; hlen[2] = 1; ntim[2] = 1;
		if
		:: st[1] = WAITING; when[1] = 1
		:: st[1] = WAITING; when[1] = 2
		:: st[1] = MODIFIED; when[1] = 3; nextw[1] = 1; mearl[2] = 1
		:: st[1] = MODIFIED; when[1] = 1; nextw[1] = 3
		fi;
		t0w[2] = when[1];
		wpid[1] = run worker();
		run remote();
		run hotplug()
	}
}
#endif
