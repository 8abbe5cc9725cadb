/*
 * steal.pml - the stealing of unpinned timers (issue 16's second half), as
 * specified while its C is being written (not in this tree yet): every
 * CPU has a pinned base P_N and an unpinned base G_N; an unpinned timer
 * lives only in G heaps, and its ->run_base is always a G base.  Any
 * worker may pop G_N (no runner role check): N's own workers, and
 * thieves, the thief thread of another CPU M (C: thief_thread(), slot
 * GOTIMER_THIEF_SLOT, never a pool worker) woken by a steal request
 * naming N.  The popper publishes the callback in ITS OWN CPU's G base R
 * (G_N for N's workers, G_M for a thief): ->run_base = R, ->run_worker =
 * itself and its ->current_timer = t under G_N's heap lock and t's status
 * lock ([S11] / [S12]; by a thief [S19], as [S11] / [S12]); after the
 * callback, R's heap lock, ->current_timer = NULL; then G_N's lock again.
 * [S18] looks at the worker t recorded, whichever CPU's it is.
 *
 * Two CPUs: G_1 (base 1) is the victim's, G_2 (base 2) the thief's CPU's.
 * Processes:
 *   - CPU 1's worker, slot VS (default 1: the slot a take-over of CPU 1's
 *     pinned base leaves as its runner; the same slot as the thief's, so
 *     that a thief publishing in G_1 collides with it), pops G_1 (R = G_1)
 *     once per clock value it sees;
 *   - CPU 2's runner, slot 0, pops G_2 (R = G_2) the same way;
 *   - the thief, CPU 2's slot TS = 1, steals from G_1 (R = G_2) at most
 *     NSTEAL times, at any clock value (any moment is a superset of the
 *     steal timer's requests, stealtimer.pml); -DTHIEVES=2: a second
 *     thief, CPU 2's slot 2 (two steal requests served at once);
 *   - a clock 1..MAXT, then END once no pass runs (so no callback) and the
 *     arming task is done; END is the time of the workers' last passes, at
 *     which every timer [S18] put off is due; thieves stop before END;
 *   - a task calls gotimer_stop_sync() (stopsync.c, as in this tree) on
 *     timer 0 or 1 at any point;
 *   - -DARM: a task on CPU 1 arms timer 1 once, at 1 or 2: [S17] into G_2
 *     while its callback runs on the thief (run_base = G_2, not the
 *     caller's G_1), [S5] into G_1, or [S6]/[S7].
 * Timers: 0 periodic (period 1), Waiting in G_1 at 1 (-DNOPER: one-shot);
 * 1 one-shot, Waiting in G_1 at 1, whose callback re-arms it at the next
 * tick at most MAXRE times ([S5] into the popper's own CPU's G base, its
 * run_base: on the thief, G_2).
 *
 * Properties:
 *   (1) never two runs of one timer at once: nrun[t], counted from the
 *       run's linearization point (the status-lock section of [S11] /
 *       [S12] / [S19]) to the callback's return, is at most 1;
 *   (2) fire once per arm, never early, never while not pending (G_FIRE);
 *   (3) none lost: every process ends, and then no timer is pending at or
 *       before END (an armed one-shot fired or a stop reported it);
 *   (4) stop_sync exact: when it returns the timer is in no heap, its base
 *       is NULL and no run of it is in progress (nrun) or published in any
 *       worker (unless -DARM armed it during the call).
 * Knobs: NSTEAL (thief passes, 2; run-models uses 1), MAXRE (re-arms, 1),
 * -DNOPER, -DNOT0 (timer 0 idle), -DNOSYNC (no stop_sync task), -DSYNCT=t
 * (stop_sync of timer t only), VS (CPU 1's worker slot, 1).
 * Mutants:
 *   -DM13    a thief's [S18] check looks at the heap's base (G_1) instead
 *            of t->run_base: needs -DTHIEVES=2 (see README.rst);
 *   -DM13ALL every popper's [S18] check looks at the heap's base;
 *   -DM14    the thief publishes as CPU 1's worker TS (R = the victim's
 *            base: run_base and worker, colliding with CPU 1's slot VS);
 *   -DM15    the thief sets its ->current_timer after unlocking t;
 *   -DM24    stop_sync's idle fast path without its "not running" check.
 */
#define STEAL
#define SPEC
#define NT 2
#define MAXT 2
#define END (MAXT + 1)
#define NEVER (MAXT + 2)
#ifndef THIEVES
#define THIEVES 1
#endif
#if THIEVES > 1
#define NSL 3
#endif
#ifndef MAXRE
#define MAXRE 1
#endif
#ifndef NSTEAL
#define NSTEAL 2
#endif
#ifndef VS
#define VS 1		/* CPU 1's worker slot */
#endif
#define TS 1		/* the thief's slot in CPU 2's pool */
#define GN 1		/* the victim's unpinned base */
#define GM 2		/* the thief's CPU's unpinned base */
#define RT 1		/* the timer whose callback re-arms it */

byte nrun[NT];		/* ghost: runs of timer t in progress */
byte rearms;		/* re-arms done by timer 1's callback */
byte clk;		/* the clock */
byte inpass;		/* passes (any popper) in progress */
bit  sdone;
bit  armstarted, armdone;

/* the run's linearization point: (1) */
#define RUN_COMMIT(t)	nrun[t]++; assert(nrun[t] <= 1)

/* the callback, on CPU lb: timer 1 may re-arm itself at the next tick */
#define CALLBACK(lb, t, nw) \
	if \
	:: t == RT && nw < MAXT && rearms < MAXRE -> rearms++; modify(t, nw + 1, 0, 0, lb) \
	:: true -> skip \
	fi; \
	nrun[t]--

#include "gotimer.pml"

/* a base's earliest time is never later than a timer it holds (gotimer.pml) */
EFFECTIVE_MONITOR

/* the base whose slot a thief publishes in */
#ifdef M14
#define THIEF_R	GN
#else
#define THIEF_R	GM
#endif

/* a CPU's own worker of slot me, popping its own G base bb once per clock
 * value it sees, the last time at END */
proctype worker(byte pb; byte ps)
{
	LOCALS;
	byte last;

	do
	:: atomic { clk > last -> last = clk; inpass++ };
		run_due_g(pb, pb, ps, last, pb);
		inpass--;
		if :: last == END -> break :: else fi
	od;
	last = 0
}

/* a standby worker of CPU 2, slot me, woken by steal requests naming CPU
 * 1: runs G_1's due timers as a thief (R = G_2), then stands by again */
proctype thief(byte ps)
{
	LOCALS;
	byte now, n;

	do
	:: atomic { n < NSTEAL && clk >= 1 && clk <= MAXT -> now = clk; inpass++ };
		run_due_g(GN, THIEF_R, ps, now, GM);
		d_step { inpass--; n++; now = 0 }
	:: true -> break
	od;
	n = 0
}

/* the clock: 1..MAXT, then END once no pass runs and the arm is done */
proctype clock()
{
	do
	:: clk < MAXT -> clk++
	:: atomic { clk == MAXT && inpass == 0 && armdone -> clk = END }; break
	od
}

#ifdef ARM
/* a task on CPU 1: gotimer_modify(timer 1) once, at 1 or 2 */
proctype armer()
{
	LOCALS;
	byte ww;

	atomic { armstarted = 1; if :: ww = 1 :: ww = 2 fi };
	modify(RT, ww, 0, 0, GN);
	CLR();
	d_step { armdone = 1; ww = 0 }
}
#endif

/* a task: gotimer_stop_sync(timer 0 or 1), not from its callback */
proctype syncer()
{
	LOCALS;
	byte tt;
	bit ad0;

	atomic {
#ifdef SYNCT
		tt = SYNCT;		/* only this timer */
#else
		if :: tt = 0 :: tt = 1 fi;
#endif
		ad0 = armdone
	};
	pend = 0;
	stop_sync_c(tt);
	d_step {
		if
		:: !(tt == RT && armstarted && !ad0) ->
			/* (4): in no heap, base NULL, its callback runs nowhere */
			assert(hb[tt] == 0 && tb[tt] == 0);
			assert(nrun[tt] == 0 && !CB_RUNNING(GN, tt) && !CB_RUNNING(GM, tt))
		:: else		/* armed by the task during the call: allowed */
		fi;
		sdone = 1;
		tt = 0; ad0 = 0
	}
	CLR()
}

init
{
	atomic {
		wpid[1] = 255; wpid[2] = 255;
#ifndef NOT0
		st[0] = WAITING; when[0] = 1; hasf[0] = 1; tb[0] = GN; hb[0] = GN;
#ifndef NOPER
		per[0] = 1;
#endif
		hlen[GN] = 1; garm[0] = 1; gwhen[0] = 1;
#endif
		st[1] = WAITING; when[1] = 1; hasf[1] = 1; tb[1] = GN; hb[1] = GN;
		hlen[GN] = hlen[GN] + 1; ntim[GN] = hlen[GN]; t0w[GN] = 1;
		garm[1] = 1; gwhen[1] = 1;
#ifdef ARM
		run armer();
#else
		armdone = 1;
#endif
		run worker(GN, VS);
#if MAXRE > 0 || defined(ARM)
		run worker(GM, 0);	/* else nothing ever enters G_2 */
#endif
		run thief(TS);
#if THIEVES > 1
		run thief(2);
#endif
		run clock()
#ifndef NOSYNC
		;
		run syncer()
#endif
	}
	/* every process has ended, but the EFFECTIVE monitor */
	_nr_pr == 2;
	d_step {
		/* (3) none lost: nothing pending at or before END */
		assert(!garm[0] || gwhen[0] > END);
		assert(!garm[1] || gwhen[1] > END);
		assert(nrun[0] == 0 && nrun[1] == 0);
		assert(!CB_RUNNING(GN, 0) && !CB_RUNNING(GN, 1) &&
		       !CB_RUNNING(GM, 0) && !CB_RUNNING(GM, 1));
		assert(hl[1] == 0 && hl[2] == 0 && st[0] != LOCKED && st[1] != LOCKED)
	}
}
