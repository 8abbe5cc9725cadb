/*
 * stopsync.pml - gotimer_stop_sync() (module/stopsync.c, timer.c
 * gotimer_unheap [S16]) against a running callback that re-arms its own
 * timer, a re-arm from another CPU ([S17]), and a concurrent CPU-dead move.
 *
 * Timer 0, one-shot, starts Waiting in base 1 at 1.  The workers of CPU 1
 * and CPU 2 run it (its callback re-arms it at the next tick, at most
 * MAXRE times in all); a task on CPU 2 arms it once (into base 2 if it is
 * idle and its callback runs nowhere else, [S5]; into base 1 if its
 * callback runs there, [S17]); CPU 2 then dies (its worker parked) and
 * hotplug moves base 2 into base 1; a task calls gotimer_stop_sync(timer
 * 0) meanwhile.
 *
 * -DREMOTE1: the mirror image.  Timer 0 starts in base 2 (CPU 2's worker
 * runs it), the re-arming task runs on CPU 1, and CPU 2 may die while
 * that task is between its look at the worker and its add: [S17] into
 * base 2, and its fallback to [S5] when base 2 is already offline.
 *
 * Properties:
 *   - safety: when stop_sync returns, the timer is in no heap, its base
 *     is NULL and a callback that ran when it began has returned (unless
 *     the re-arming task armed it during the stop_sync, which the API
 *     allows: "unless someone arms it again"); plus gotimer.pml's
 *     asserts; no deadlock;
 *   - no two instances of the callback run at once (OVERLAP_CHECK: issue
 *     13 item 1, row [S17]);
 *   - liveness (-DLIVE, pan -a -f): stop_sync returns, under weak fairness
 *     (heap locks are FIFO, -DTICKET, as queued spinlocks are);
 *   - NOWHERE: also "its callback runs nowhere" when stop_sync returns.
 *     This model found that the code before commit 7b32d1a failed it:
 *     stop_sync read the worker (not running), then the worker ran the
 *     timer the callback had re-armed (S11: base = NULL, running t),
 *     then stop_sync read ->base == NULL and returned while that callback
 *     ran.  The C code now decides under the status lock; -DM8 is the old
 *     code, a mutant.  See README.rst.
 * -DSHUTDOWN: the task calls gotimer_shutdown_sync() instead (row S20,
 * then stop_sync), and every arm after its flag is refused (S21): the
 * CPU 2 task's and the callback's own re-arm.  Properties: as above, with
 * no exception for an arm during the call, and once it has returned no
 * callback starts (SD_CHECK).  -DM25 (with -DSHUTDOWN): arms ignore the
 * flag.
 *
 * Mutants: -DM6 stop_sync does not wait for a running callback; -DM7 no
 * [S17]: a re-arm of a timer whose callback runs elsewhere goes to the
 * caller's base (the code before issue 13); -DM8 stop_sync reads the
 * worker's ->current_timer and ->base apart; -DM24 stop_sync's idle fast
 * path (stopped_idle()) without its "not running" check.
 */
#define SPEC
#define NT 1
#define MAXT 2
#ifndef MAXRE
#define MAXRE 1
#endif
#ifdef LIVE
#define TICKET
#endif

byte nrun;		/* ghost: callbacks of timer 0 running now */
bit  waited[3];		/* ghost: CPU b's callback ran when stop_sync began, not yet returned */
byte rearms;		/* re-arms done by the callback */

/* the callback: re-arm itself at the next tick (bounded), or not */
/* OVERLAP: no two instances of the callback at once ([S17]) */
#define OVERLAP_CHECK()	assert(nrun == 1)
#define CALLBACK(bb, t, nw) \
	nrun++; \
	OVERLAP_CHECK(); \
	SD_CHECK(); \
	if \
	:: nw < MAXT && rearms < MAXRE -> rearms++; modify(t, nw + 1, 0, 0, bb) \
	:: true -> skip \
	fi; \
	nrun--

#define CB_DONE(bb)	d_step { running[bb] = 0; waited[bb] = 0 }

#ifdef SHUTDOWN
/* SHUTDOWN: once gotimer_shutdown_sync() has returned, no callback starts */
#define SD_CHECK()	assert(!sdone)
#else
#define SD_CHECK()	skip
#endif

#include "gotimer.pml"

bit w2done, rearm_started, rearm_done, sdone;

/* pool.c runner_round() of CPU bb: run_due at times 1..MAXT */
proctype worker(byte bb)
{
	LOCALS;
	byte now;

	do
	:: now < MAXT -> now++; run_due(bb, now)
	:: true -> break	/* parked (CPU 2) or nothing more modelled */
	od;
	skip;
	CLR();
	if :: bb == 2 -> w2done = 1 :: else fi
}

#ifdef REMOTE1
#define RCPU 1
#else
#define RCPU 2
#endif

/* a task on CPU RCPU: gotimer_modify(timer 0) once, at 1..MAXT */
proctype rearm()
{
	LOCALS;
	byte ww;

	atomic {
		rearm_started = 1;
		if :: ww = 1 :: ww = MAXT fi
	}
	modify(0, ww, 0, 0, RCPU);
	CLR();
	d_step { rearm_done = 1; ww = 0 }
}

/* hotplug.c gotimer_cpu_dead(2), once CPU 2 runs nothing */
proctype hotplug()
{
	LOCALS;

#ifdef REMOTE1
	w2done;			/* the task on CPU 1 may still run */
#else
	(w2done && rearm_done);
#endif
	move(2, 1);
	CLR()
}

/*
 * a task: gotimer_stop_sync(timer 0), not from its callback; -DSHUTDOWN:
 * gotimer_shutdown_sync(timer 0), gotimer_shutdown() then stop_sync
 */
proctype syncer()
{
	LOCALS;
	bit rd0;

	/* the callbacks running (->current_timer set) when stop_sync starts */
	d_step {
		rd0 = rearm_done;
		waited[1] = (running[1] == 1); waited[2] = (running[2] == 1)
	};
	pend = 0;
#ifdef SHUTDOWN
	shutdown(0);
	pend = r1;
#endif
	stop_sync(0, 0);
	atomic {
		sdone = 1;
		/* a callback that was running when it started has returned */
		assert(!waited[1] && !waited[2]);
		if
#ifdef SHUTDOWN
		/* no arm gets in after the shut-down flag: always */
		:: true ->
#else
		:: !(rearm_started && !rd0) ->
#endif
			/* in no heap, base NULL */
			assert(hb[0] == 0 && tb[0] == 0);
			/* and its callback runs nowhere (NOWHERE) */
			assert(nrun == 0 && running[1] != 1 && running[2] != 1)
		:: else	/* armed by CPU 2 during the stop_sync: allowed */
		fi
	}
}

#ifdef LIVE
ltl terminates { <> sdone }
#endif

init
{
	atomic {
		wpid[1] = 255; wpid[2] = 255;
#ifndef REMOTE1
		st[0] = WAITING; when[0] = 1; hasf[0] = 1; tb[0] = 1; hb[0] = 1;
		hlen[1] = 1; ntim[1] = 1; t0w[1] = 1;
#else
		st[0] = WAITING; when[0] = 1; hasf[0] = 1; tb[0] = 2; hb[0] = 2;
		hlen[2] = 1; ntim[2] = 1; t0w[2] = 1;
#endif
		garm[0] = 1; gwhen[0] = 1;
		wpid[1] = run worker(1);
		wpid[2] = run worker(2);
#ifdef LIVE
		rearm_started = 1; rearm_done = 1;	/* no CPU 2 task: smaller */
#else
		run rearm();
#endif
		run hotplug();
		run syncer()
	}
}
