/*
 * takeover.pml - the take-over (module/takeover.c, pool.c, run.c): NW
 * workers per pool, pool->runner, each worker's ->current_timer, row
 * [S18], and gotimer_stop_sync() looking at the worker the timer recorded
 * (->run_worker).
 *
 * One base (1) with NW workers (slots 0..NW-1, -DNW=2 or 3); slot 0 starts
 * as the runner.  Two timers, Waiting in base 1 at time 1: timer 0
 * periodic (period 1), timer 1 one-shot whose callback re-arms it at the
 * next tick (at most MAXRE times; from its own worker, so [S5] into its
 * own base as timer.c does, [S17] only for another base; -DS17OWN:
 * [S17] into its own base), or not.  A clock advances 1..MAXT; then, once
 * no pass runs (so no callback: a quiescent point), to END (= MAXT + 1), the time of the last pass, at
 * which every timer [S18] postponed is due.  The runner does one pass per
 * clock value it sees (run_due_w).  The take-over timer (an hrtimer) fires up to WDN
 * times at any moment, waking an idle standby (a worker that is not the
 * runner and not inside a callback): any moment is a superset of its
 * "runner inside a callback, no progress, a timer due" heuristic, which
 * only the standby's recheck under the heap lock is relied upon for.  A
 * task calls gotimer_stop_sync() on timer 0 or timer 1 at any point.
 *
 * Properties:
 *   (1) never two callbacks of the same timer at once (nrun[t] <= 1, at
 *       callback entry);
 *   (2) at most one worker acts as runner: only the worker with
 *       pool->runner == me pops (asserted at [S11]/[S12]/[S18] under the
 *       heap lock), and at most one worker believes it is the runner while
 *       not inside a callback (ACTING_CHECK: the role leaves a worker only
 *       while it is inside a callback, so it sees the loss when it
 *       returns);
 * A worker that finds it lost the role tries a take-over at once
 * (pool.c standby_round() starts with try_takeover()), then sleeps until
 * the take-over timer wakes it (woken[] = a take-over attempt due).
 *   (3) no timer lost: every process ends (valid end states, no deadlock)
 *       and at the end no timer is still pending with its time at or
 *       before END (so every armed, unstopped timer fired, including the
 *       ones [S18] postponed); no early fire, no fire while not pending
 *       (G_FIRE of gotimer.pml);
 *   (4) stop_sync exact (NOWHERE): when it returns, no callback of the
 *       timer runs on any slot, the timer is in no heap, its base is NULL.
 * Mutants: -DM9 no [S18]; -DM10 the standby takes over without the
 * recheck; -DM11 the runner loop without the pool->runner == me check;
 * -DM12 stop_sync looks only at the runner; -DM23 a run does not record
 * its worker (->run_worker), so [S18] and stop_sync look at a stale
 * one; -DM24 stop_sync's idle fast path without its "not running" check.  -DNOPER: timer 0 is one-shot and not re-armed (m9 then needs the
 * [S17] re-arm of timer 1).
 */
#define SPEC
#define NT 2
#define MAXT 2
#define END (MAXT + 1)
#define NEVER (MAXT + 2)
#ifndef NW
#define NW 2
#endif
#ifndef MAXRE
#define MAXRE 1
#endif
#ifndef WDN
#define WDN 2
#endif
#define RT 1		/* the timer whose callback re-arms it */

byte nrun[NT];		/* ghost: callbacks of timer t running now */
byte rearms;		/* re-arms done by timer 1's callback */
byte clk;		/* the clock (ktime_get() as the workers read it) */
bit  fin;		/* the runner's pass at END is done */
bit  sdone;
byte inpass;		/* ghost: runner passes in progress */

/* the callback: (1) on entry; timer 1 may re-arm itself at the next tick */
#define CALLBACK(bb, t, nw) \
	nrun[t]++; \
	assert(nrun[t] <= 1); \
	if \
	:: t == RT && nw < MAXT && rearms < MAXRE -> rearms++; modify(t, nw + 1, 0, 0, bb) \
	:: true -> skip \
	fi; \
	nrun[t]--

#include "gotimer.pml"

#define NOCB	(wrun[0] == 0 && wrun[1] == 0 && wrun[2] == 0)

/* pool.c worker_thread() of slot me: the runner's passes, or a standby */
proctype worker(byte me)
{
	LOCALS;
	bit lost;
	byte last;

	do
	:: role[me] && clk > last ->
		/* the runner: a pass at the time it reads */
		atomic { last = clk; inpass++ };
		run_due_w(1, me, last);
		inpass--;
		if
		:: role[me] && last == END -> fin = 1; break
		:: !role[me] ->
			/* taken over: the next round is standby_round(), which
			 * starts with a take-over attempt */
			woken[me] = 1
		:: else
		fi
	:: !role[me] && woken[me] ->
		take_over(1, me)
	:: !role[me] && fin -> break
	od;
	skip;
	d_step { last = 0; lost = 0 }
}

/* the clock: 1..MAXT, then END once no pass runs (so no callback) */
proctype clock()
{
	do
	:: clk < MAXT -> clk++
	:: atomic { clk == MAXT && inpass == 0 -> assert(NOCB); clk = END }; break
	od
}

/* the take-over timer: wakes an idle standby, at any time, WDN times */
proctype takeover_timer()
{
	byte n;

	do
	:: n < WDN && !role[0] && !woken[0] && wrun[0] == 0 -> woken[0] = 1; n++
	:: n < WDN && !role[1] && !woken[1] && wrun[1] == 0 -> woken[1] = 1; n++
#if NW > 2
	:: n < WDN && !role[2] && !woken[2] && wrun[2] == 0 -> woken[2] = 1; n++
#endif
	:: true -> break
	od;
	n = 0
}

/* a task: gotimer_stop_sync(timer 0 or 1), not from its callback */
proctype syncer()
{
	LOCALS;
	byte tt;

	if :: tt = 0 :: tt = 1 fi;
	pend = 0;
	stop_sync(tt, 0);
	d_step {
		/* (4) NOWHERE: no callback of it runs, in no heap, base NULL */
		assert(nrun[tt] == 0 && !CB_RUNNING(1, tt));
		assert(hb[tt] == 0 && tb[tt] == 0);
		sdone = 1;
		tt = 0
	}
	CLR()
}

init
{
	atomic {
		wpid[1] = 255; wpid[2] = 255;
		st[0] = WAITING; when[0] = 1; hasf[0] = 1; tb[0] = 1; hb[0] = 1;
#ifndef NOPER
		per[0] = 1;
#endif
		st[1] = WAITING; when[1] = 1; hasf[1] = 1; tb[1] = 1; hb[1] = 1;
		hlen[1] = 2; ntim[1] = 2; t0w[1] = 1;
		garm[0] = 1; gwhen[0] = 1; garm[1] = 1; gwhen[1] = 1;
		runner[1] = 0; role[0] = 1;
		run worker(0);
		run worker(1);
#if NW > 2
		run worker(2);
#endif
		run clock();
		run takeover_timer();
		run syncer()
	}
	/* every process has ended */
	_nr_pr == 1;
	d_step {
		/* (3) no timer lost: none pending at or before END */
		assert(!garm[0] || gwhen[0] > END);
		assert(!garm[1] || gwhen[1] > END);
		assert(nrun[0] == 0 && nrun[1] == 0 && NOCB);
		assert(hl[1] == 0 && st[0] != LOCKED && st[1] != LOCKED)
	}
}
