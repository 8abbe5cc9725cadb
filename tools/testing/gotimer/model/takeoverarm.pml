/*
 * takeoverarm.pml - the arming of a CPU's take-over timer once per batch of
 * callbacks (module/takeover.c: gotimer_batch_begin(), takeover_timer_fn(),
 * gotimer_batch_end(); issue 12's batch firing).
 *
 *   batch begin    in_batch[me] = 1; smp_mb; if takeover_armed == 0 and
 *                  cmpxchg(takeover_armed, 0, 1) wins: hrtimer_start
 *   callback       running = 1; the callback, which may sleep; running = 0
 *   between        a scheduling point (cond_resched(): no sleep)
 *   batch end      in_batch[me] = 0
 *   handler        r = runner; if !in_batch[r]: takeover_armed = 0; smp_mb;
 *                  r = runner; if !in_batch[r] or the cmpxchg(takeover_armed,
 *                  0, 1) loses: stop (HRTIMER_NORESTART); else re-arm
 *                  (hrtimer_forward_now(), HRTIMER_RESTART)
 *
 * The hrtimer is hq (1 = queued) and inh (1 = its handler runs, from the
 * expiry to its return).  hrtimer_start() while the handler runs is legal
 * if the handler then returns HRTIMER_NORESTART; a handler that forwards
 * and restarts a timer somebody queued meanwhile is not (hrtimer_forward()
 * warns on an enqueued timer): the assertion at the restart checks that
 * ->takeover_armed, which owns the arming, rules it out.
 *
 * Scenario: one worker, the runner, runs NB batches of NC callbacks each;
 * any callback may sleep (asleep = 1) and wake at any later moment (the
 * take-over itself is takeover.pml's; here only the take-over timer's presence
 * matters).  The handler runs whenever hq = 1, as often as it likes.
 * Sequential consistency: each smp_mb()-separated store/load pair is a
 * store-buffering pattern, which SC forbids by construction; the model
 * checks the protocol's logic, not the barriers.
 *
 * Property (the monitor): while the worker sleeps in a callback, a take-over timer
 * is queued or its handler runs (hq || inh), so the take-over timer will look at it
 * within one interval.
 *
 * Mutants: -DM18 the handler looks at running (in a callback) instead of
 * in_batch: a look between two callbacks of a batch stops the take-over timer, and
 * the next callback sleeps with no take-over timer queued; -DM19 the handler drops the arming
 * and stops without looking again: a batch that began between its look
 * and its drop saw the take-over timer armed and did not start it; -DM20 the batch
 * ends before its last callback (gotimer_batch_end() called inside the
 * loop).
 */
#ifndef NB
#define NB 2
#endif
#ifndef NC
#define NC 2
#endif

bit in_batch;		/* ->in_batch of the runner's slot */
bit running;		/* ->running[runner]: inside a callback */
bit asleep;		/* the runner sleeps in its callback */
bit takeover_armed;	/* ->takeover_armed */
bit hq;			/* the take-over timer is queued */
bit inh;		/* its handler runs */

inline hrtimer_start()
{
	hq = 1
}

proctype worker()
{
	byte b = 0, c;

	do
	:: b < NB ->
		/* gotimer_batch_begin() */
		in_batch = 1;
		/* smp_mb() */
		if
		:: atomic { takeover_armed == 0 -> takeover_armed = 1 } ->
			hrtimer_start()
		:: else -> skip
		fi;
		c = 0;
		do
		:: c < NC ->
#ifdef M20
			if
			:: c == NC - 1 -> in_batch = 0
			:: else -> skip
			fi;
#endif
			running = 1;
			if
			:: asleep = 1; asleep = 0	/* the callback sleeps */
			:: skip
			fi;
			running = 0;
			c++		/* gotimer_between_callbacks() */
		:: else -> break
		od;
		in_batch = 0;		/* gotimer_batch_end() */
		b++
	:: else -> break
	od
}

proctype takeover_timer()
{
	bit seen;

end:	do
	:: atomic { hq == 1 -> hq = 0; inh = 1 };
#ifdef M18
		seen = running;
#else
		seen = in_batch;
#endif
		if
		:: seen -> skip
		:: else ->
			takeover_armed = 0;
#ifdef M19
			inh = 0;
			goto end;
#endif
			/* smp_mb() */
#ifdef M18
			seen = running;
#else
			seen = in_batch;
#endif
			if
			:: !seen -> inh = 0; goto end
			:: else ->
				if
				:: atomic { takeover_armed == 0 -> takeover_armed = 1 }
				:: else -> inh = 0; goto end
				fi
			fi
		fi;
		/* HRTIMER_RESTART: queued again as the handler returns */
		atomic {
			assert(!hq);	/* nobody started it meanwhile */
			hq = 1;
			inh = 0
		}
	od
}

/* While the runner sleeps in a callback, a take-over timer is on its way. */
active proctype monitor()
{
end:	do
	:: atomic { asleep && !hq && !inh -> assert(false) }
	od
}

init
{
	atomic {
		run worker();
		run takeover_timer()
	}
}
