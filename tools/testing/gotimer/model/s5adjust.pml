/*
 * s5adjust.pml - [S5]'s window against another CPU's adjust (issue 23,
 * defect 4).
 *
 * Timer 0 is idle.  Timer 1 is in base 1: Waiting at MAXT, or stopped
 * (then deleted = 1 and a run forces the adjust).  CPU 1's task arms
 * timer 0 at 2 or 3 into base 1 ([S5]).  CPU 2's task modifies timer 0 to
 * 1, 2 or 3, or stops it: in [S5]'s window that is [S6] or [S1]; before
 * it, [S5] into base 2 (then CPU 1's arm is [S6] there).  Base 1 is run
 * by a worker on another CPU: a thief of an unpinned base, or a pinned
 * base's own worker while it is unbound: run_due, or with -DTHIEF the
 * unpinned run loop run_due_g as CPU 2's slot 1, publishing in G_2 [S19].
 * It makes NRUNS passes at times that only go forward, while the tasks
 * run, then, once they are done, one pass at every tick up to the
 * horizon.
 *
 * Properties:
 *   - EFFECTIVE (gotimer.pml): wherever a base's heap lock is free, its
 *     earliest time is no later than the effective when of any unlocked
 *     timer in its heap (monitor, every state);
 *   - never late: in the passes after the tasks, the pass at time n
 *     leaves no timer of base 1 pending with a time <= n (the spec's
 *     gwhen, set at each operation's linearization point);
 *   - no early fire, a fire only while pending, pending values as the
 *     table's (the spec, as status.pml); deleted exact at quiescent
 *     points; the asserts of gotimer.pml; no deadlock.
 *
 * -DNOMONITOR leaves the EFFECTIVE monitor out: the end-to-end "never
 * late" assert alone.
 *
 * Mutant: -DM21, the [S5] add before issue 23's fix (no second look at
 * the timer under the heap lock); caught by either property.
 */
#define SPEC
#define NT 2
#define MAXT 3
#ifndef NRUNS
#define NRUNS 2
#endif

#define CALLBACK(bb, t, nw)	skip

#ifdef THIEF
/* base 1 is CPU 1's unpinned base G_1, run by a thief: CPU 2's slot 1 */
#define STEAL
#define RUN(nw)	run_due_g(1, 2, 1, nw, 2)
#else
#define RUN(nw)	run_due(1, nw)
#endif

#include "gotimer.pml"

byte ndone;		/* tasks finished */

/* deleted is exact whenever no operation is in flight */
active proctype quiesce()
{
	byte ai, mi;
end:	do
	:: atomic { inflight == 0 -> CHECK_DELETED() }
	od
}

#ifndef NOMONITOR
/* EFFECTIVE: blocked unless a base is judged later than a timer it holds */
EFFECTIVE_MONITOR
#endif

/* the run loop of base 1, on another CPU */
proctype runner()
{
	LOCALS;
	byte now, iter;

	do
	:: iter < NRUNS && now < MAXT ->
		d_step {
			inflight++; iter++;
			if :: now++ :: now < MAXT - 1 -> now = now + 2 fi
		};
		RUN(now);
		inflight--
	:: ndone == 2 -> break
	od;
	/* the tasks are done: a pass at every tick from now on */
	if :: now == 0 -> now = 1 :: else fi;
	do
	:: now <= MAXT ->
		RUN(now);
		d_step {
			/* never late: nothing of base 1 due by now is pending */
			ai = 0;
			do
			:: ai < NT -> assert(!(garm[ai] && tb[ai] == 1 && gwhen[ai] <= now)); ai++
			:: else -> break
			od;
			ai = 0
		};
		now++
	:: else -> break
	od;
	now = 0;
	CHECK_DELETED()
}

/* CPU 1's task: arm timer 0 at 2 or 3 into base 1 */
proctype arm()
{
	LOCALS;
	byte ww;

	d_step { inflight++; if :: ww = 2 :: ww = 3 fi };
	modify(0, ww, 0, 0, 1);
	CLR();
	d_step { inflight--; ndone++; ww = 0 }
}

/* CPU 2's task: modify timer 0 to 1, 2 or 3, or stop it */
proctype other()
{
	LOCALS;
	byte ww;

	d_step { inflight++; if :: ww = 1 :: ww = 2 :: ww = 3 :: ww = 0 fi };
	if
	:: ww != 0 -> modify(0, ww, 0, 0, 2)
	:: else -> stop_lazy(0)
	fi;
	CLR();
	d_step { inflight--; ndone++; ww = 0 }
}

init
{
	atomic {
		wpid[1] = 255; wpid[2] = 255;
		hasf[1] = 1; tb[1] = 1; hb[1] = 1; when[1] = MAXT; hlen[1] = 1;
		if
		:: st[1] = WAITING; garm[1] = 1; gwhen[1] = MAXT
		:: st[1] = MODIFIED; del[1] = 1
		fi;
		t0w[1] = MAXT; ntim[1] = 1;
		run runner();
		run arm();
		run other()
	}
}
