/*
 * status.pml - the status-lock state machine: every row S1..S17 of the
 * transition table in module/status.c.  [S17] (a re-arm of a timer
 * whose one-shot callback still runs on CPU 1 goes to base 1) is reached
 * when CPU 2's task modifies timer 0 or 2 while CPU 1's worker runs it.
 *
 * CPU 1 (base 1) runs the worker gotimer/1 (run_due with one-shot and
 * periodic timers: clean head, adjust, run) and a task; CPU 2 (base 2) runs
 * a task, then dies, and the hotplug callback moves base 2 into base 1.
 * CPU 1's task modifies, resets, stops or stop_syncs timer 0 or 1; CPU 2's
 * task modifies or stops timer 0 or 2.
 *
 * Properties, against the spec (garm/gwhen in gotimer.pml, updated at each
 * operation's linearization point, under the status lock):
 *   - modify, reset, stop, and each step of stop_sync return the "pending"
 *     the table defines (G_MODIFY, G_STOP);
 *   - no early fire: a callback never runs before its when (G_FIRE);
 *   - a timer fires only while pending: a one-shot timer at most once per
 *     arm, and never after a stop that returned true (G_FIRE);
 *   - at the end, after a final run_due at the horizon, every timer still
 *     pending is due after it: a one-shot timer armed and not stopped has
 *     fired exactly once, a periodic one is on time;
 *   - unheap never finds a timer that claims a heap it is not in, other
 *     than in [S5]'s window (no false "corrupt" report);
 *   - deleted is exact (the Modified nextwhen=0 timers in the heap) at
 *     every quiescent point (monitor);
 *   - lock order, no two status locks, never a status outside the enum,
 *     no pending timer without a base (asserts in gotimer.pml);
 *   - no deadlock (pan's invalid end states).
 *
 * -DCLOSE: CPU 2 goes down while its task runs (CPU 1 runs its worker, two
 * passes, and no task): hotplug.c's offline step,
 * on CPU 2 (preemptible, so between two of that task's preemption-off
 * sections, never inside one), moves base 2 into base 1 and closes it;
 * the task's later arms go to the adopter.  Also: nothing is ever added
 * to a closed base (CLOSED, at every push) and base 2 ends empty.
 *
 * Mutants: -DM2 (S5 adds to the heap before unlocking), -DM2B (S5 sets the
 * owner after the unlock), -DM3 (S2 reports "not pending"), -DM4 (S14 keeps
 * the old when), -DM22 (with CLOSE: an arm on the closing CPU ignores
 * ->offline and adds to its closed base), -DM22B (with CLOSE: the move
 * does not exclude CPU 2's preemption-off sections, as if it ran on
 * another CPU: an arm that looked at ->offline before the close adds after
 * it).
 */
#define SPEC
#define NT 3
#define MAXT 3
#ifndef NOPS
#define NOPS 1
#endif
#ifndef NRUNS
#if defined(HOTPLUG)
#define NRUNS 3
#elif defined(CLOSE)
#define NRUNS 2
#else
#define NRUNS 1
#endif
#endif

#define CALLBACK(bb, t, nw)	skip

#include "gotimer.pml"

/* a base's earliest time is never later than a timer it holds (gotimer.pml) */
EFFECTIVE_MONITOR

byte ndone;		/* tasks and hotplug finished */
bit cpu2_dead;		/* CPU 2's task has finished: the CPU may die */

/* the quiescent-point monitor: deleted is exact */
active proctype quiesce()
{
	byte ai, mi;
end:	do
	:: atomic { inflight == 0 -> CHECK_DELETED() }
	od
}

/* pool.c runner_round() of CPU 1, on the gotimer clock 1..MAXT */
proctype worker()
{
	LOCALS;
	byte now, iter;

	/* NRUNS passes of run_due concurrent with the tasks, at times that
	 * only go forward, then the last one once they are done */
	do
	:: iter < NRUNS && now < MAXT ->
		d_step {
			inflight++; iter++;
			if :: now++ :: now < MAXT - 1 -> now = now + 2 :: now == 0 -> now = MAXT fi
		};
		run_due(1, now);
		inflight--
	:: ndone == 3 -> break
	od;
	/* the end: a last run at the horizon */
	now = MAXT;
	run_due(1, now);
	d_step {
		/* every timer still pending in base 1 is due after the horizon
		 * (base 2 has no modelled worker: its timers just wait) */
		ai = 0;
		do
		:: ai < NT -> assert(!(garm[ai] && gwhen[ai] <= MAXT && tb[ai] != 2)); ai++
		:: else -> break
		od;
		ai = 0;
#if defined(HOTPLUG) || defined(CLOSE)
		assert(hlen[2] == 0);
#endif
		skip
	}
	CHECK_DELETED()
}

/* a task on CPU cpu: NOPS operations on any timer */
proctype task(byte cpu)
{
	LOCALS;
	byte k, tt, op, ww, pp;

	do
	:: k < NOPS ->
		atomic {
			inflight++;
			/* CPU 1's task: timers 0 and 1; CPU 2's: timers 0 and 2 */
			if
			:: cpu == 1 -> if :: tt = 0 :: tt = 1 fi
			:: cpu == 2 -> if :: tt = 0 :: tt = 2 fi
			fi;
			if
			:: op = 0; ww = 1	/* gotimer_modify(), earlier */
			:: op = 0; ww = MAXT	/* gotimer_modify(), later */
			:: cpu == 1 -> op = 1; ww = 2	/* gotimer_reset() */
			:: op = 2		/* gotimer_stop() */
			:: cpu == 1 -> op = 3	/* gotimer_stop_sync() */
			fi;
			if :: op == 0 && tt == 2 -> pp = 1 :: else -> pp = 0 fi
		}
		if
		:: op <= 1 -> modify(tt, ww, pp, op, cpu)
		:: op == 2 -> stop_lazy(tt)
		:: op == 3 -> pend = 0; stop_sync(tt, 0); skip
		fi;
		CLR();
		d_step { inflight--; k++; tt = 0; op = 0; ww = 0; pp = 0 }
	:: else -> break
	od;
	if :: cpu == 2 -> cpu2_dead = 1 :: else fi;
	ndone++
}

/* hotplug.c gotimer_cpu_dead(2): reserve (not modelled), move, release */
proctype hotplug()
{
	LOCALS;

	cpu2_dead;
	inflight++;
	move(2, 1);
	CLR();
	d_step { inflight--; ndone++ }
}

#ifdef CLOSE
/*
 * hotplug.c gotimer_cpu_offline(2), on CPU 2: reserve (not modelled), then
 * gotimer_base_move(), whose raw heap locks keep preemption off on CPU 2
 * throughout.
 */
proctype teardown()
{
	LOCALS;

	inflight++;
#ifndef M22B
	atomic { pre2 == 0 -> pre2 = _pid + 1 };
#endif
	move(2, 1);
#ifndef M22B
	pre2 = 0;
#endif
	CLR();
	d_step { inflight--; ndone++ }
}
#endif

/*
 * Initial heaps: t0 in base 1 (Waiting at 1, or stopped), t1 in base 2
 * (Waiting, modified later, modified earlier, or stopped), t2 idle (never
 * armed) or periodic (period 1) Waiting in base 1.
 */
init
{
	atomic {
		wpid[1] = 255; wpid[2] = 255;
		hasf[0] = 1; tb[0] = 1; hb[0] = 1; when[0] = 1; hlen[1] = 1;
		if
		:: st[0] = WAITING; garm[0] = 1; gwhen[0] = 1
		:: st[0] = MODIFIED; del[1] = 1
		fi;
		hasf[1] = 1; tb[1] = 2; hb[1] = 2; hlen[2] = 1;
		if
		:: st[1] = WAITING; when[1] = 2; garm[1] = 1; gwhen[1] = 2
		:: st[1] = MODIFIED; when[1] = 1; nextw[1] = 3; garm[1] = 1; gwhen[1] = 3
		:: st[1] = MODIFIED; when[1] = 3; nextw[1] = 1; garm[1] = 1; gwhen[1] = 1;
		   mearl[2] = 1
		:: st[1] = MODIFIED; when[1] = 2; del[2] = 1
		fi;
		if
		:: skip
		:: st[2] = WAITING; hasf[2] = 1; per[2] = 1; when[2] = 1; tb[2] = 1; hb[2] = 1;
		   hlen[1]++; garm[2] = 1; gwhen[2] = 1
		fi;
		t0w[1] = 1; ntim[1] = hlen[1];
		t0w[2] = when[1]; ntim[2] = 1;
		wpid[1] = run worker();
#ifdef CLOSE
		/* CPU 1: its worker only (its task's steps are status's) */
		ndone++;
#else
		run task(1);
#endif
#ifdef HOTPLUG
		/* CPU 2 is dead: its timers move while CPU 1 works */
		cpu2_dead = 1; ndone++;
		run hotplug()
#elif defined(CLOSE)
		/* CPU 2 goes down while its task runs */
		run task(2);
		run teardown()
#else
		/* both CPUs live: CPU 2's task races CPU 1's and the worker */
		run task(2);
		ndone++
#endif
	}
}
