/*
 * gotimer.pml - the shared Promela model of gotimer's core, included by
 * status.pml, wake.pml, stopsync.pml, takeover.pml (-DNW: the runner
 * loop of issue 16's take-over, at the end), steal.pml (-DSTEAL: the run
 * loop of the unpinned bases, with stealing, at the end) and
 * stealtimer.pml (-DSTEALW: the steal timer's arm, after the wake
 * protocol).  Each inline names the C function it stands for; each step
 * that is a row of the transition table in module/status.c carries the
 * row's name in brackets, [S1]..[S19].
 *
 * Scale: NT timers (0..NT-1), NB bases (1..NB; 0 stands for NULL), times
 * 1..MAXT (0 = "none", as in the C code), NEVER = a periodic timer's next
 * time beyond the horizon (the C code's S64_MAX clamp), INF = a worker that
 * sleeps with no deadline (wake_at = S64_MAX).
 *
 * Granularity (sequential consistency, one Promela statement = one atomic
 * step).  A section that holds a lock and touches only data that lock
 * protects, plus at most one access to lock-free shared data, is one
 * atomic block (Lipton reduction: acquire moves right, release moves left,
 * protected accesses commute).  Every access that the wake-up protocol
 * orders (timer0_when, modified_earliest, wake_at, the two halves of
 * gotimer_base_next(), a worker's ->current_timer and t->run_base) is a
 * step of its own.  The folding of base->deleted updates (read lock-free only by
 * run_due's "force adjust" heuristic; the arm path's kick heuristic reads
 * it under the heap lock) into the critical section that makes them is the
 * one place this rule is bent; the deleted counter is checked at quiescent
 * points only.  smp_mb() is a no-op under SC: its place is marked "mb".
 *
 * The heap (heap.c) is a set, hb[t] = the base whose heap holds t, with
 * head = the member with the least when (lowest index on ties); sift,
 * heapify and the slot array are not modelled (test_heap.c covers them).
 */

#ifndef NT
#define NT 3
#endif
#define NB 2
#ifndef MAXT
#define MAXT 3
#endif
#ifndef NEVER
#define NEVER (MAXT + 1)
#endif
#define INF 255
#define EINVAL 2		/* modify()'s -EINVAL, as a return code */
#define ESHUTDOWN 3		/* modify()'s -ESHUTDOWN [S21] */

/*
 * Every store that lowers a base's earliest time is followed by a hook,
 * lowered(base, v): the fixed wake protocol's L2/L3 (wake.pml), or the
 * steal timer's arm (stealtimer.pml).
 */
#if (defined(WAKE) && !defined(PREFIX) && !defined(M5)) || defined(STEALW)
#define LOWERING
#endif

/*
 * enum gotimer_status (module/internal.h).  check-drift compares these
 * with the C enum: keep the "#define NAME value" form.
 */
#define REMOVED   0
#define WAITING   1
#define LOCKED    2
#define MODIFIED  3
#define NR_STATUS 4

/*
 * Rows of the transition table in module/status.c, as check-drift reads
 * them ("ROW Sn operation"):
 *
 * ROW S1  stop
 * ROW S2  stop
 * ROW S3  stop
 * ROW S4  stop
 * ROW S5  modify
 * ROW S6  modify
 * ROW S7  modify
 * ROW S8  clean head
 * ROW S9  clean head
 * ROW S10 adjust (all)
 * ROW S11 run one-shot
 * ROW S12 run periodic
 * ROW S13 move
 * ROW S14 move
 * ROW S15 move
 * ROW S16 stop_sync
 * ROW S17 modify
 * ROW S18 run
 * ROW S19 run (stolen)
 * ROW S20 shutdown
 * ROW S21 modify
 *
 * A row the models do not cover yet is named here once, as
 * "NOT MODELLED Sn" at the start of a comment line; check-drift then
 * accepts it without an [Sn] citation and prints it on every run.  None
 * today: every row is cited below.
 *
 * A row the models have before module/status.c does is named as "AHEAD
 * Sn operation": check-drift accepts it while status.c lacks it (a
 * warning on every run), compares its operation with status.c's once the
 * row is there (then "AHEAD" should become "ROW"), and wants it cited
 * like any row.  None today.
 */

/* struct gotimer */
byte st[NT];		/* ->status, also the lock */
byte when[NT];		/* ->when, the heap key */
byte nextw[NT];		/* ->nextwhen */
byte per[NT];		/* ->period */
bit  hasf[NT];		/* ->f != NULL */
byte tb[NT];		/* ->base, 0 = NULL */
byte hb[NT];		/* the heap that holds it (heap.c), 0 = none */
byte rbase[NT];		/* ->run_base: where its callback last ran, 0 = never */
byte rslot[NT];		/* ->run_worker, with rbase: the worker's slot */
bit  adding[NT];	/* ->idx == GOTIMER_IDX_ADDING: [S5]'s window */
bit  sdn[NT];		/* ->flags & GOTIMER_SHUT_DOWN, under the status lock */

/* struct gotimer_base, indexed 1..NB */
byte hl[NB + 1];	/* ->lock holder: _pid + 1, 0 = free */
byte hlen[NB + 1];	/* ->heap.len */
byte t0w[NB + 1];	/* ->timer0_when */
byte mearl[NB + 1];	/* ->modified_earliest */
byte del[NB + 1];	/* ->deleted */
byte ntim[NB + 1];	/* ->ntimers */
/*
 * Workers (struct gotimer_worker): named here by the base their runs are
 * published in and their slot in the pool.  A worker publishes every run
 * of a timer of one kind in one base (its CPU's base of that kind, the
 * thief its CPU's unpinned one), so (->run_base, slot) names the worker
 * that ->run_worker points to, and worker (b, slot)'s ->current_timer is
 * running[b] (one worker per base), wrun[slot] (-DNW) or SRUN(b, slot)
 * (-DSTEAL).  finish_run() clears it under b's heap lock, as here.
 */
byte running[NB + 1];	/* b's worker's ->current_timer: timer + 1, 0 = none */
#ifdef NW
/*
 * The take-over (takeover.pml): NW workers per pool, slots 0..NW-1 (at
 * most 3).  One base is modelled, TOB: its workers' ->current_timer is
 * wrun[slot], and running[] above stays 0.
 */
#define TOB 1
byte runner[NB + 1];	/* pool->runner: the slot allowed to pop, under the heap lock */
byte wrun[3];		/* worker slot's ->current_timer: timer + 1, 0 = none */
bit  role[3];		/* ghost: worker slot believes it is the runner */
bit  woken[3];		/* the take-over timer woke standby slot */
#endif
#ifdef STEAL
/*
 * Stealing (steal.pml): bases 1..NB are unpinned bases G_1..G_NB (the
 * pinned ones are not modelled: an unpinned timer lives only in G heaps),
 * each with NSL worker slots.  The ->current_timer of worker slot of the
 * CPU of base b is SRUN(b, slot); running[] above stays 0.
 */
#ifndef NSL
#define NSL 2
#endif
byte srun[(NB + 1) * NSL];	/* ->current_timer: timer + 1, 0 = none */
#define SRUN(bb, i)	srun[(bb) * NSL + (i)]
#endif
byte wpid[NB + 1];	/* _pid of the task that wakes for the base (its pool's
			 * ->runner_task), 255 = none */
bit  offline[NB + 1];	/* ->offline: closed, timers moved away ([S17] falls back) */
byte adopter[NB + 1];	/* ->adopter: the base that took them (set by move) */

#ifdef CLOSE
/*
 * hotplug.c's offline step closes base 2 on its own CPU, in a preemptible
 * task, and CPU 2's tasks look at ->offline with preemption off from
 * that look to their [S5] add.  pre2 is CPU 2's "preemption off" (_pid +
 * 1 of the process in such a section, 0 = none): such sections of one
 * CPU never overlap.  Only sections that matter to the close are marked:
 * modify() from its status lock to its add (or its unlock), and the move.
 */
byte pre2;
#define PREEMPT_OFF(c) \
	if :: (c) == 2 && pre2 == 0 -> pre2 = _pid + 1 :: (c) != 2 -> skip fi
#define PREEMPT_ON(c) \
	if :: (c) == 2 -> assert(pre2 == _pid + 1); pre2 = 0 :: else fi
#else
#define PREEMPT_OFF(c)	skip
#define PREEMPT_ON(c)	skip
#endif

#ifdef TICKET
/* raw_spinlock_t is a queued (FIFO) lock: liveness needs that fairness. */
byte tnext[NB + 1];
byte tserve[NB + 1];
#endif

byte inflight;		/* user operations in progress (monitors' "quiescent") */

#ifdef WAKE
/* The one modelled worker sleeps for base WBASE. */
#define WBASE 1
byte wake_at;		/* ->wake_at: 0 awake, else its deadline (INF: none) */
bit  woken;		/* a wake_up_process() reached it since set_current_state */
bit  asleep;		/* it is in schedule() */
#endif

/*
 * The spec (status.pml, stopsync.pml): per timer, is it pending (armed,
 * not run, not stopped) and at what time.  Updated at each operation's
 * linearization point, i.e. inside the status-lock critical section.
 */
#ifdef SPEC
bit  garm[NT];
byte gwhen[NT];
#define PNEXT(w, p, nw) ((w) + (p) * (1 + ((nw) - (w)) / (p)) > MAXT -> NEVER : \
			 (w) + (p) * (1 + ((nw) - (w)) / (p)))
/* modify()'s "pending" is the spec's; afterwards pending at x */
#define G_MODIFY(t, pend, x)	assert((pend) == garm[t]); garm[t] = 1; gwhen[t] = (x)
/* stop's "pending" is the spec's; afterwards not pending */
#define G_STOP(t, pend)		assert((pend) == garm[t]); garm[t] = 0
/* no early fire; no fire of a timer that is not pending (stopped, or run) */
#define G_FIRE(t, nw)		assert(garm[t] && gwhen[t] <= (nw)); \
				if :: per[t] == 0 -> garm[t] = 0 \
				   :: else -> gwhen[t] = PNEXT(gwhen[t], per[t], nw) fi
#else
#define PNEXT(w, p, nw) ((w) + (p) * (1 + ((nw) - (w)) / (p)) > MAXT -> NEVER : \
			 (w) + (p) * (1 + ((nw) - (w)) / (p)))
#define G_MODIFY(t, pend, x)	skip
#define G_STOP(t, pend)		skip
#define G_FIRE(t, nw)		skip
#endif

/*
 * Locals every process that calls into the model declares.  held is a
 * ghost: the status locks it holds (status.c: "No code holds two status
 * locks at once"; lock order "base->lock, then a timer's status lock").
 */
#ifdef STEALW
#define XLOCALS ; byte sa	/* steal_arm()'s READ_ONCE(steal_at) */
#define XCLR	; sa = 0
#else
#define XLOCALS
#define XCLR
#endif
#define LOCALS \
	byte s, h, hi, ai, mi, b, w, v, x, a, m, nx, first, dropped, mret, r1, tk, rb; \
	bit pend, earlier, again, force, ra, held, rdead, rty, rdir, lw XLOCALS

/* dead locals back to 0 after an operation: fewer distinct states */
#define CLR() \
	d_step { s = 0; h = 0; hi = 0; ai = 0; mi = 0; b = 0; w = 0; v = 0; x = 0; \
		 a = 0; m = 0; nx = 0; first = 0; dropped = 0; mret = 0; r1 = 0; \
		 tk = 0; rb = 0; pend = 0; earlier = 0; again = 0; force = 0; ra = 0; \
		 rdead = 0; rty = 0; rdir = 0; lw = 0 XCLR }

/* gotimer_status_lock(): spin while Locked, CAS non-Locked -> Locked */
#define STATUS_LOCK(t, sv) \
	assert(!held); st[t] != LOCKED -> sv = st[t]; st[t] = LOCKED; held = 1
/* gotimer_status_unlock() / _keep_preempt(): never to Locked */
#define STATUS_UNLOCK(t, sv) \
	assert(st[t] == LOCKED && (sv) != LOCKED && held); st[t] = sv; held = 0

/* raw_spin_lock(&base->lock) */
inline heap_lock(bb)
{
#ifdef TICKET
	atomic { assert(!held); tk = tnext[bb]; tnext[bb] = (tnext[bb] + 1) % 4 };
	atomic { tserve[bb] == tk -> assert(hl[bb] == 0); hl[bb] = _pid + 1 }
#else
	atomic { assert(!held); hl[bb] == 0 -> hl[bb] = _pid + 1 }
#endif
}

inline heap_unlock(bb)
{
	assert(hl[bb] == _pid + 1);
#ifdef TICKET
	atomic { hl[bb] = 0; tserve[bb] = (tserve[bb] + 1) % 4 }
#else
	hl[bb] = 0
#endif
}

/* heap.c, under the heap lock: push / append (they set ->idx, ending
 * [S5]'s window), delete / remove_unordered */
/* CLOSED: nothing is ever added to a closed base (its CPU is going down). */
#define HEAP_PUSH(bb, t)	assert(!offline[bb]); hb[t] = bb; hlen[bb]++; adding[t] = 0
#define HEAP_DEL(bb, t)		hb[t] = 0; hlen[bb]--

/* heap[0]: the member with the least when; NT if the heap is empty */
#define HEAD(bb, hh) \
		hh = NT; hi = 0; \
		do \
		:: hi < NT -> \
			if \
			:: hb[hi] == bb && (hh == NT || when[hi] < when[hh]) -> hh = hi \
			:: else \
			fi; \
			hi++ \
		:: else -> break \
		od; \
		hi = 0

inline heap_head(bb, hh)
{
	d_step { HEAD(bb, hh) }
}

/* heap_timer_ok(): a timer in base bb's heap is Waiting/Modified, owned by bb */
#define HEAP_TIMER_OK(bb, t, sv) \
	assert((sv == WAITING || sv == MODIFIED) && tb[t] == bb)

#ifdef NW
/*
 * gotimer_callback_running() with NW workers: the one worker the timer
 * recorded (->run_worker) with its ->run_base
 */
#define CB_RUNNING(rb, t)	((rb) == TOB && wrun[rslot[t]] == (t) + 1)
#ifdef M12
/* mutant: stop_sync looks only at the runner */
#define SS_RUNNING(rb, t)	((rb) == TOB && wrun[runner[TOB]] == (t) + 1)
#endif
#ifdef S17OWN
/* variant: [S17] also into the caller's own base (a re-arm from the
 * callback); timer.c keeps rb != local, then [S5] into the own base */
#define S17_BASE_OK(rb, ll)	1
#endif
#endif

#ifdef STEAL
/*
 * gotimer_callback_running(t): the worker t recorded (->run_worker), of
 * rb's CPU (rb = 0: NULL)
 */
#define CB_RUNNING(rb, t)	((rb) != 0 && SRUN(rb, rslot[t]) == (t) + 1)
#endif

/*
 * "t's callback runs in the worker of rb": its ->current_timer == t (one
 * worker per base).  CB_RUNNING is the
 * modify() / run_due() look, SS_RUNNING stop_sync's (a mutant may differ).
 */
#ifndef CB_RUNNING
#define CB_RUNNING(rb, t)	(running[rb] == (t) + 1)
#endif
#ifndef SS_RUNNING
#define SS_RUNNING(rb, t)	CB_RUNNING(rb, t)
#endif
/* [S17] applies to a run_base other than the caller's base (the
 * takeover model: also to the caller's own base) */
#ifndef S17_BASE_OK
#define S17_BASE_OK(rb, ll)	((rb) != (ll))
#endif

/* gotimer_base_next(): timer0_when and modified_earliest, two loads */
#define VIEW(a, m) (((m) != 0 && ((a) == 0 || (m) < (a))) -> (m) : (a))

#ifdef WAKE
/*
 * The fixed protocol's check after a store that may lower the view of
 * base bb to vv: mb; w = wake_at; if (w != 0 && v < w && CAS(wake_at, w, 0))
 * wake_up_process(worker).  Not by the worker itself (wake_at is 0 while it
 * runs, and it re-reads the base before it sleeps).
 */
inline lowered(bb, vv)
{
	if
	:: bb == WBASE && _pid != wpid[bb] && vv != 0 ->
		/* mb: smp_mb() after the store, before reading wake_at */
		w = wake_at;
		if
		:: w != 0 && vv < w ->
			atomic { if :: wake_at == w -> wake_at = 0; woken = 1 :: else fi }
		:: else
		fi
	:: else
	fi
}

/*
 * Today's gotimer_wake_worker(base, when): mb; w = wake_at; if (w == 0 ||
 * when >= w) return; if (CAS(wake_at, w, 0)) wake_up_process(worker).
 */
inline wake_worker(bb, vv)
{
	if
	:: bb == WBASE ->
		/* mb */
		w = wake_at;
		if
		:: w != 0 && vv < w ->
			atomic { if :: wake_at == w -> wake_at = 0; woken = 1 :: else fi }
		:: else
		fi
	:: else
	fi
}
#endif

#ifdef STEALW
/*
 * The steal timer of CPU N (stealtimer.pml): an hrtimer, its raw spinlock
 * steal_lock and steal_at, the expiry of the queued steal timer (0 = none).
 * Every steal_lock section is one step (it touches steal_at, which the
 * fast path reads lock-free, and the hrtimer's expiry, which the hrtimer
 * code serializes with the expiry itself), so the lock is implicit.
 */
#define SBASE 1		/* G_N, the looked at by a steal timer unpinned base */
#ifndef GRACE
#define GRACE 1		/* how late a due G timer may be before a steal */
#endif
byte steal_at;		/* ->steal_at: the queued steal timer's expiry, 0 = none */
byte hq;		/* the hrtimer: queued at hq, 0 = not queued */
byte rep;		/* ghost: the time of the last steal request, 0 = none */

/*
 * steal_arm(at): lockless fast path: a steal timer at or before at is queued
 * (or its handler has not cleared steal_at yet); else under steal_lock:
 * if none or a later one, steal_at = at and hrtimer_start(at), which
 * (re)queues the hrtimer at at, also while its handler runs.
 */
inline steal_arm(at)
{
	sa = steal_at;			/* READ_ONCE(steal_at) */
	if
	:: sa != 0 && sa <= (at) -> skip
	:: else ->
		atomic {
			/* raw_spin_lock(&steal_lock) */
			if
			:: steal_at == 0 || (at) < steal_at ->
				steal_at = at;
				hq = at		/* hrtimer_start(at) */
			:: else
			fi
			/* raw_spin_unlock(&steal_lock) */
		}
	fi;
	sa = 0
}

/*
 * The hook after a store that lowered G_N's earliest time to vv (L1, then
 * the wake protocol's smp_mb, L2): steal_arm(vv + grace).  Every lowering
 * store arms, the base's own worker's too; raises (runs, stops) do not.
 */
inline lowered(bb, vv)
{
	if
	:: bb == SBASE && vv != 0 ->
#ifdef M17
		/* mutant: no arm while any steal timer is queued, whatever its time */
		if :: steal_at == 0 -> steal_arm(vv + GRACE) :: else fi
#else
		steal_arm(vv + GRACE)
#endif
	:: else
	fi
}
#endif

/*
 * base.c gotimer_base_kick(): mb; w = wake_at; if (w != 0 && CAS(wake_at,
 * w, 0)) wake_up_process(worker).  The worker needs no kick from itself
 * (wake_at is 0 while it runs).
 */
inline kick(bb)
{
#ifdef WAKE
	if
	:: bb == WBASE && _pid != wpid[bb] ->
		/* mb */
		w = wake_at;
		if
		:: w != 0 ->
			atomic { if :: wake_at == w -> wake_at = 0; woken = 1 :: else fi }
		:: else
		fi
	:: else
	fi
#else
	skip
#endif
}

/*
 * gotimer_base_changed(): republish timer0_when (and ntimers), heap lock
 * held.  Only a store that lowers it (a new heap[0] earlier than the old
 * timer0_when, or any when after 0) runs L2/L3, as in base.c.
 */
inline base_changed(bb)
{
	d_step {
		HEAD(bb, h);
		v = (h == NT -> 0 : when[h]);
#ifdef LOWERING
		lw = (v != 0 && (t0w[bb] == 0 || v < t0w[bb]));
#endif
		t0w[bb] = v;
		ntim[bb] = hlen[bb]
	}
#ifdef LOWERING
	;
	if :: lw -> lw = 0; lowered(bb, v) :: else fi
#endif
}

/* gotimer_base_note_modified(): CAS-min of modified_earliest to xx */
inline note_modified(bb, xx)
{
	atomic {
		if
		:: mearl[bb] == 0 || mearl[bb] > xx -> mearl[bb] = xx; ra = 1
		:: else -> ra = 0
		fi
	}
#ifdef LOWERING
	;
	if :: ra -> lowered(bb, xx) :: else fi
#endif
}

/* gotimer_base_add(): push a just-Waiting timer, republish; heap lock held */
inline base_add(bb, t)
{
	atomic { assert(tb[t] == bb); HEAP_PUSH(bb, t) };
	base_changed(bb)
}

/*
 * One step of run.c gotimer_clean_head() (Go: cleanHead), heap lock held:
 * settle heap[0] if it is Modified; h = NT when there was nothing to
 * settle (empty, or a Waiting head).
 */
inline settle_head(bb)
{
	heap_head(bb, h);
	if
	:: h == NT
	:: else ->
		atomic {
			STATUS_LOCK(h, s);
			HEAP_TIMER_OK(bb, h, s);
			if
			:: s == WAITING ->
				STATUS_UNLOCK(h, s);
				h = NT
			:: s == MODIFIED && nextw[h] == 0 ->
				/* [S8] out of the heap, base = NULL, deleted-- */
				HEAP_DEL(bb, h); tb[h] = 0;
				assert(del[bb] > 0); del[bb]--;
				STATUS_UNLOCK(h, REMOVED)
			:: s == MODIFIED && nextw[h] != 0 ->
				/* [S9] when = nextwhen, sift down */
				when[h] = nextw[h];
				STATUS_UNLOCK(h, WAITING)
			fi
		}
	fi
}

/*
 * gotimer_clean_head(base, max) with max above the model's timer count:
 * a run's batch of GOTIMER_RUN_CLEAN_BATCH (16) heads, so its lock break
 * between batches is not reachable here (it is the same drop and retake
 * of the heap lock as around a callback).
 */
inline clean_head(bb)
{
	do
	:: settle_head(bb);
		if
		:: h == NT -> break
		:: else
		fi
	od;
	base_changed(bb)
}

/*
 * gotimer_clean_head(base, GOTIMER_ARM_CLEAN_MAX) in an arm [S5]: a bound
 * the model's few timers would not reach, so the model settles at most
 * one head, which lets an arm leave a Modified head behind.
 */
inline clean_head_arm(bb)
{
	settle_head(bb);
	base_changed(bb)
}

/* run.c gotimer_adjust() (Go: adjusttimers), heap lock held */
inline adjust(bb, nw, frc)
{
	first = mearl[bb];
	if
	:: !(frc) && (first == 0 || first > nw) -> skip
	:: else ->
		/* modified_earliest = 0 FIRST; modifies after this set it again */
		mearl[bb] = 0;
		ai = 0;
		do
		:: ai < NT ->
			if
			:: hb[ai] == bb ->
				atomic {
					STATUS_LOCK(ai, s);
					HEAP_TIMER_OK(bb, ai, s);
					if
					:: s == MODIFIED && nextw[ai] == 0 ->
						/* [S10] as [S8] */
						HEAP_DEL(bb, ai); tb[ai] = 0;
						assert(del[bb] > 0); del[bb]--;
						s = REMOVED
					:: s == MODIFIED && nextw[ai] != 0 ->
						/* [S10] as [S9] */
						when[ai] = nextw[ai];
						s = WAITING
					:: else
					fi;
					STATUS_UNLOCK(ai, s)
				}
			:: else
			fi;
			ai++
		:: else -> break
		od;
		ai = 0;
		/* then one heapify, then republish timer0_when */
		base_changed(bb)
	fi
}

/*
 * timer.c modify() (Go: modtimer), rows [S5]-[S7] and [S17]: its
 * arm_removed() ([S5], [S17]) and modify_in_heap() ([S6], [S7]).  t, when
 * xx, period pp, reset rr, the base an idle timer goes to ll (the caller's
 * CPU: gotimer_modify(), never the tests' gotimer_modify_on()).  Result in
 * mret: pending (0/1) or EINVAL.  modify()'s retry loop (an -EAGAIN of
 * arm_removed()) is the do loop; rdead is struct arm's rb_dead.
 */
inline modify(t, xx, pp, rr, ll)
{
	rdead = 0;
	do
	:: atomic {
		PREEMPT_OFF(ll);
		STATUS_LOCK(t, s);
		if
#ifndef M25
		:: sdn[t] ->
			/* [S21] shut down: refused, nothing changed */
			STATUS_UNLOCK(t, s); PREEMPT_ON(ll); mret = ESHUTDOWN
#else
		/* mutant: arms ignore the shut-down flag */
		:: false -> skip
#endif
		:: else ->
			if
			:: rr && !hasf[t] -> STATUS_UNLOCK(t, s); PREEMPT_ON(ll); mret = EINVAL
			:: else -> mret = 0
			fi
		fi;
		/* rb = t->run_base; running = gotimer_callback_running(t):
		 * run_base and run_worker are under the status lock, the load
		 * of the worker's ->current_timer is this block's one
		 * lock-free access */
		rb = rbase[t];
#ifndef M7
		rty = (mret == 0 && s == REMOVED && !rdead && rb != 0 && S17_BASE_OK(rb, ll) &&
		       CB_RUNNING(rb, t))
#else
		/* mutant: no [S17], a re-arm goes to the caller's base */
		rty = 0
#endif
		;
		/*
		 * The caller's base is closed (its CPU is going down, hotplug.c):
		 * an idle timer goes to the base's adopter, by the [S17] path
		 * without its "still running" condition.  ->offline is read
		 * with preemption off (PREEMPT_OFF), where it holds still.
		 */
#ifndef M22
		rdir = (mret == 0 && s == REMOVED && !rty && offline[ll]);
#endif
		if :: rdir -> rb = adopter[ll]; rty = 1 :: else fi
	   }
		if
		:: mret == EINVAL || mret == ESHUTDOWN -> rb = 0; break
		:: rty ->
			/* [S17] gotimer_status_unlock(), add_to_base(rb):
			 * heap lock of run_base (or the adopter), then the
			 * status lock again */
			atomic { STATUS_UNLOCK(t, s); PREEMPT_ON(ll) };
			heap_lock(rb);
			if
			:: offline[rb] ->
				/* -ENOENT: rb's CPU is dead; retry, then [S5].
				 * The adopter is never closed (hotplug is
				 * serialized; the C WARNs). */
				assert(!rdir);
				heap_unlock(rb);
				rdead = 1
			:: else ->
				atomic {
					STATUS_LOCK(t, s);
					if
					:: s != REMOVED || sdn[t] || (!rdir && !CB_RUNNING(rb, t)) ->
						/* -EAGAIN: changed or shut down meanwhile
						 * ([S21] on the retry); retry */
						STATUS_UNLOCK(t, s)
					:: else ->
						/* [S17] set_idle(), base = run_base, add while
						 * locked: the push here, base_changed below */
						nx = (rr -> per[t] : pp);
						when[t] = xx; per[t] = nx; hasf[t] = 1; nextw[t] = 0;
						tb[t] = rb;
						G_MODIFY(t, 0, xx);
						HEAP_PUSH(rb, t);
						rty = 0
					fi
				}
				if
				:: rty -> heap_unlock(rb)
				:: else ->
					base_changed(rb);
					atomic { STATUS_UNLOCK(t, WAITING) };
					heap_unlock(rb);
					mret = 0;
					rb = 0;
					break
				fi
			fi;
			rty = 0
		:: else ->
			rb = 0;
			nx = (rr -> per[t] : pp);
			if
			:: s == REMOVED ->
				/* [S5] set the owner while locked (idx = ADDING),
				 * unlock, then under the heap lock lock again, settle
				 * a new time as [S9], add, unlock; preemption off
				 * throughout */
#ifdef M2
				/* mutant: add to the heap before unlocking */
				atomic {
					when[t] = xx; per[t] = nx; hasf[t] = 1; nextw[t] = 0;
					tb[t] = ll; adding[t] = 1;
					G_MODIFY(t, 0, xx)
				}
				heap_lock(ll);
				base_add(ll, t);
				atomic { STATUS_UNLOCK(t, WAITING) };
				heap_unlock(ll);
#else
				atomic {
					when[t] = xx; per[t] = nx; hasf[t] = 1; nextw[t] = 0;
					adding[t] = 1;
#ifndef M2B
					tb[t] = ll;
#endif
					G_MODIFY(t, 0, xx);
					STATUS_UNLOCK(t, WAITING)
				}
#ifdef M2B
				/* mutant: the owner is set after the unlock */
				tb[t] = ll;
#endif
				heap_lock(ll);
#ifdef PREFIX
				/* the pre-fix arm path: a forced O(n) adjust in the
				 * caller when too many stopped timers wait */
				if
				:: del[ll] > hlen[ll] / 4 -> adjust(ll, 0, 1)
				:: else -> clean_head(ll)
				fi;
				base_add(ll, t);
#else
				clean_head_arm(ll);
#ifdef M21
				/* mutant (the code before issue 23, defect 4): add
				 * without looking at t again; a modify-earlier of the
				 * window whose note an adjust cleared is lost */
				base_add(ll, t);
#else
				/* add_settled(): t locked again under the heap lock; a
				 * new time set in the window is settled as [S9] before
				 * the push, the republication and the unlock */
				atomic {
					STATUS_LOCK(t, s);
					if
					:: s == MODIFIED && nextw[t] != 0 ->
						when[t] = nextw[t]; s = WAITING
					:: else
					fi;
					assert(tb[t] == ll);
					HEAP_PUSH(ll, t)
				}
				base_changed(ll);
				atomic { STATUS_UNLOCK(t, s) };
#endif
				/* too many stopped timers: the adjust is the worker's */
				if :: del[ll] > hlen[ll] / 4 -> kick(ll) :: else fi;
#endif
				heap_unlock(ll);
#endif
#ifdef PREFIX
				wake_worker(ll, xx);
#endif
				mret = 0
			:: else ->
				/* [S6] from Waiting, [S7] from Modified */
				atomic {
					b = tb[t];
					assert(b != 0);	/* bad_timer: pending timer without a heap */
					pend = (s == WAITING || (s == MODIFIED && nextw[t] != 0));
					G_MODIFY(t, pend, xx);
					if
					:: !pend -> assert(del[b] > 0); del[b]--	/* [S7] from nextwhen=0 */
					:: else
					fi
				}
				atomic {
					per[t] = nx; hasf[t] = 1;
					nextw[t] = xx;
					earlier = (xx < when[t]);
					if
					:: earlier ->
						/* gotimer_base_note_modified(), CAS-min (folded:
						 * its store is the one lock-free access here) */
						if
						:: mearl[b] == 0 || mearl[b] > xx -> mearl[b] = xx; ra = 1
						:: else -> ra = 0
						fi
					:: else -> ra = 0
					fi
#ifndef LOWERING
					;
					STATUS_UNLOCK(t, MODIFIED)
#endif
				}
#ifdef LOWERING
				/* fixed: the check before the status unlock (preemption off) */
				if :: ra -> lowered(b, xx) :: else fi;
				atomic { STATUS_UNLOCK(t, MODIFIED) };
#endif
#if defined(WAKE) && (defined(PREFIX) || defined(M5))
				/* pre-fix: gotimer_wake_worker() after preempt_enable() */
				if :: earlier -> wake_worker(b, xx) :: else fi;
#endif
				mret = pend
			fi;
			/* preempt_enable(): at the status unlock ([S6], [S7]) or
			 * after the heap unlock ([S5]); nothing between */
			PREEMPT_ON(ll);
			break
		fi
	od;
	rdead = 0
}

/*
 * stop.c stop_locked(), rows [S1]-[S4], t's status lock held (status s);
 * unlocks it; result in r1
 */
inline stop_locked(t)
{
	if
	:: s == WAITING || s == MODIFIED ->
		assert(tb[t] != 0);	/* bad_timer: pending timer without a heap */
		/* [S1] Waiting: pending; [S2] Modified nextwhen>0: pending;
		 * [S3] Modified nextwhen=0: not pending */
		r1 = (s == WAITING || nextw[t] != 0);
#ifdef M3
		/* mutant: S2 reports "not pending" (and changes nothing) */
		if :: s == MODIFIED -> r1 = 0 :: else fi;
#endif
		G_STOP(t, r1);
		if
		:: r1 -> nextw[t] = 0; del[tb[t]]++	/* [S1] / [S2]: deleted++ */
		:: else					/* [S3] */
		fi;
		STATUS_UNLOCK(t, MODIFIED)
	:: s == REMOVED ->
		/* [S4] not pending */
		r1 = 0;
		G_STOP(t, 0);
		STATUS_UNLOCK(t, s)
	fi
}

/* stop.c gotimer_stop_as(t, 0) (Go: deltimer), rows [S1]-[S4]; result in r1 */
inline stop_lazy(t)
{
	atomic {
		STATUS_LOCK(t, s);
		stop_locked(t)
	}
}

/*
 * stop.c gotimer_shutdown(), row [S20]: the shut-down flag set and the
 * timer stopped ([S1]-[S4]) in one status-lock section; result in r1
 */
inline shutdown(t)
{
	atomic {
		STATUS_LOCK(t, s);
		sdn[t] = 1;
		stop_locked(t)
	}
}

/* stop.c gotimer_unheap(), row [S16]; pending |= into pend, again */
inline unheap(t)
{
	again = 0;
	b = tb[t];		/* READ_ONCE(t->base) */
	if
	:: b == 0 -> skip
	:: else ->
		heap_lock(b);
		if
		:: tb[t] != b -> again = 1		/* moved meanwhile */
		:: tb[t] == b && hb[t] != b ->
			/* unheap_absent(): in [S5]'s window (idx = ADDING), or
			 * changed meanwhile: again; else corruption, which a
			 * correct run never reaches */
			atomic {
				STATUS_LOCK(t, s);
				assert(tb[t] != b || (s != REMOVED && adding[t]));
				STATUS_UNLOCK(t, s);
				again = 1
			}
		:: tb[t] == b && hb[t] == b ->
			atomic {
				STATUS_LOCK(t, s);
				assert(s == WAITING || s == MODIFIED);
				/* [S16] out of the heap, base = NULL */
				r1 = (s == WAITING || nextw[t] != 0);
				G_STOP(t, r1);
				if :: !r1 -> assert(del[b] > 0); del[b]-- :: else fi;
				HEAP_DEL(b, t); tb[t] = 0;
				STATUS_UNLOCK(t, REMOVED);
				pend = pend | r1
			}
			base_changed(b)
		fi;
		heap_unlock(b)
	fi
}

/*
 * stopsync.c gotimer_stop_sync(), its idle fast path (stopped_idle())
 * first; self = called from t's own callback (the
 * C code's gotimer_worker_runs(own worker, t), passed in).  Result in
 * pend.  callback_running(rb, t): rb = t->run_base and the worker
 * t->run_worker, then the worker's ->current_timer == t, two loads.
 * wait_for_callback(rb, w, t) is a wait until ->current_timer != t: its
 * check and sync_waiters registration under rb's heap lock, and
 * finish_run()'s wake_up_var() when it clears ->current_timer under that
 * lock with a waiter registered, are the wait_var_event()
 * idiom and are not modelled (no lost wake-up is assumed).
 */
inline stop_sync(t, self)
{
	/* stopped_idle(): Removed, in no heap and its callback running
	 * nowhere but in the caller, read in one section under t's status
	 * lock: done, not pending */
	atomic {
		STATUS_LOCK(t, s);
		rb = rbase[t];
#ifndef M24
		ra = (s == REMOVED && tb[t] == 0 &&
		      (self || !(rb != 0 && SS_RUNNING(rb, t))));
#else
		/* mutant: the fast path without the running check */
		ra = (s == REMOVED && tb[t] == 0);
#endif
		STATUS_UNLOCK(t, s)
	};
	if
	:: ra -> pend = 0
	:: else ->
		stop_lazy(t);
		pend = r1;
		do
		:: unheap(t);
			if
			:: again -> skip		/* cpu_relax(); continue */
			:: else ->
				rb = rbase[t];		/* READ_ONCE(t->run_base) */
				ra = (rb != 0 && SS_RUNNING(rb, t));
				if
#ifndef M6
				:: !self && ra ->
					/* wait_for_callback(rb, t) */
					(!SS_RUNNING(rb, t))
#endif
				:: else ->
#ifdef M8
					/* mutant: the code before commit 7b32d1a, which read
					 * the worker (above) and ->base apart */
					if :: tb[t] == 0 -> break :: else fi
#else
					/* gotimer_stop_sync() since 7b32d1a: decide under t's
					 * status lock, where a Removed timer can be neither
					 * armed nor run: Removed and its callback not running
					 * on run_base (re-read) means done */
					atomic {
						STATUS_LOCK(t, s);
						rb = rbase[t];
#ifdef M6
						/* mutant: done once Removed, running or not */
						ra = (s == REMOVED);
#else
						ra = (s == REMOVED && (self || !(rb != 0 && SS_RUNNING(rb, t))));
#endif
						STATUS_UNLOCK(t, s)
					}
					if :: ra -> break :: else fi
#endif
				fi;
				stop_lazy(t);
				pend = pend | r1
			fi
		od;
	fi;
	rb = 0; ra = 0
}

/*
 * base.c gotimer_base_move() (Go: moveTimers), rows [S13]-[S15]: every
 * timer of the departing (or dead) base fr to the live base to; both heap
 * locks, lower address first; closes fr.
 */
inline move(fr, to)
{
	heap_lock((fr < to -> fr : to));
	heap_lock((fr < to -> to : fr));
	mi = 0; dropped = 0;
	do
	:: mi < NT ->
		if
		:: hb[mi] == fr ->
			atomic {
				STATUS_LOCK(mi, s);
				hb[mi] = 0;	/* src->slots[i] = NULL */
				assert(tb[mi] == fr && (s == WAITING || s == MODIFIED));
				if
				:: s == MODIFIED && nextw[mi] == 0 ->
					/* [S15] dropped, deleted-- (below) */
					tb[mi] = 0;
					STATUS_UNLOCK(mi, REMOVED);
					dropped++
				:: else ->
#ifndef M4
					/* [S14] when = nextwhen, then as S13 */
					if :: s == MODIFIED -> when[mi] = nextw[mi] :: else fi;
#endif
					/* [S13] base = new, unlock, append */
					tb[mi] = to;
					STATUS_UNLOCK(mi, WAITING);
					HEAP_PUSH(to, mi)
				fi
			}
		:: else
		fi;
		mi++
	:: else -> break
	od;
	mi = 0;
	d_step {
		hlen[fr] = 0;
		offline[fr] = 1;	/* closed: [S17] and [S5] add to adopter */
		adopter[fr] = to;
		assert(del[fr] >= dropped);
		del[fr] = del[fr] - dropped;
		dropped = 0
	}
	mearl[fr] = 0;
	base_changed(fr);
	base_changed(to);
	heap_unlock((fr < to -> to : fr));
	heap_unlock((fr < to -> fr : to))
#ifdef PREFIX
	;
	/* hotplug.c: gotimer_wake_worker(to, gotimer_base_next(to)) */
	a = t0w[to]; m = mearl[to];
	v = VIEW(a, m);
	wake_worker(to, v)
#endif
}

#ifndef CB_DONE
#define CB_DONE(bb)	running[bb] = 0
#endif

/*
 * run.c run_head() (Go: runtimer + unlockAndRunTimer): heap[0] = t is
 * Waiting and due, heap lock and t held; returns with the heap lock held.
 * CALLBACK(bb, t, nw) is the model's callback body (may re-arm t).
 */
inline run_head(bb, t, nw)
{
	atomic {
		G_FIRE(t, nw);
		if
		:: per[t] > 0 ->
			/* [S12] Go's catch-up when, sift down */
			when[t] = PNEXT(when[t], per[t], nw);
			s = WAITING
		:: else ->
			/* [S11] out of the heap, base = NULL */
			HEAP_DEL(bb, t); tb[t] = 0;
			s = REMOVED
		fi;
		/* publish where the callback runs before unlocking t: in t
		 * (->run_base, ->run_worker, under its lock) and in the worker
		 * (->current_timer) */
		rbase[t] = bb;
		running[bb] = t + 1;
		STATUS_UNLOCK(t, s)
	}
	base_changed(bb);
	heap_unlock(bb);
	CALLBACK(bb, t, nw);
	heap_lock(bb);
	/* smp_store_release(&w->current_timer, NULL) under the heap lock;
	 * the sync_waiters check and wake_up_var() are not modelled */
	CB_DONE(bb)
}

/* run.c gotimer_run_due() (Go: checkTimers) */
inline run_due(bb, nw)
{
	/* gotimer_base_next() and the force heuristic: lock-free reads that
	 * only decide whether to take the lock; folded into one step */
	d_step {
		a = t0w[bb]; m = mearl[bb];
		force = (del[bb] > ntim[bb] / 4);
		a = VIEW(a, m); m = 0
	}
	if
	:: (a == 0 || a > nw) && !force -> a = 0; force = 0
	:: else ->
		heap_lock(bb);
		adjust(bb, nw, del[bb] > hlen[bb] / 4);
		do
		:: heap_head(bb, h);
			if
			:: h == NT -> break
			:: else
			fi;
			atomic { STATUS_LOCK(h, s); HEAP_TIMER_OK(bb, h, s) };
			if
			:: s == MODIFIED ->
				atomic { STATUS_UNLOCK(h, s) };
				clean_head(bb)		/* [S8] / [S9] */
			:: s == WAITING && when[h] > nw ->
				atomic { STATUS_UNLOCK(h, s) };
				break
			:: s == WAITING && when[h] <= nw ->
				x = h;
				run_head(bb, x, nw)
			fi
		od;
		base_changed(bb);
		heap_unlock(bb);
		CLR()
	fi
}

/*
 * EFFECTIVE (s5adjust.pml): "a timer never fires later than its effective
 * when", as a state invariant.  A timer's effective when is its new time if
 * it is Modified (0: stopped, none), else its when.  Wherever base bb's
 * heap lock is free, its earliest time (gotimer_base_next(): what its
 * worker sleeps until, what run_due's fast path and the steal timer judge
 * by) must be no later than the effective when of any timer in its heap
 * that is not locked: else bb is judged "nothing due before X" while such
 * a timer is due before X, and it fires late.  LATE(bb, i) is the
 * violation; EFFECTIVE_MONITOR, a process that is blocked until it holds
 * (so it adds no interleavings), asserts it never does.  In s5adjust.pml,
 * status.pml and steal.pml.
 */
#define EFF(i)	(st[i] == MODIFIED -> nextw[i] : when[i])
#define LATE(bb, i) \
	(hb[i] == (bb) && hl[bb] == 0 && st[i] != LOCKED && EFF(i) != 0 && \
	 (VIEW(t0w[bb], mearl[bb]) == 0 || EFF(i) < VIEW(t0w[bb], mearl[bb])))
#if NT == 2
#define ANY_LATE() (LATE(1, 0) || LATE(1, 1) || LATE(2, 0) || LATE(2, 1))
#elif NT == 3
#define ANY_LATE() (LATE(1, 0) || LATE(1, 1) || LATE(1, 2) || \
		    LATE(2, 0) || LATE(2, 1) || LATE(2, 2))
#endif

#define EFFECTIVE_MONITOR \
active proctype effective() \
{ \
end:	atomic { ANY_LATE() -> assert(0) } \
}

/* deleted is exact: the stopped timers (Modified, nextwhen 0) in each heap */
#define CHECK_DELETED() \
	d_step { \
		ai = 0; mi = 0; \
		do \
		:: ai < NT -> \
			if :: hb[ai] == 1 && st[ai] == MODIFIED && nextw[ai] == 0 -> mi++ \
			   :: else fi; \
			ai++ \
		:: else -> break \
		od; \
		assert(mi == del[1]); \
		ai = 0; mi = 0; \
		do \
		:: ai < NT -> \
			if :: hb[ai] == 2 && st[ai] == MODIFIED && nextw[ai] == 0 -> mi++ \
			   :: else fi; \
			ai++ \
		:: else -> break \
		od; \
		assert(mi == del[2]); \
		ai = 0; mi = 0 \
	}

#ifdef NW
/*
 * The take-over (issue 16): run.c run_due() / run_head() for worker slot
 * me of base bb (= TOB), and its checks.  TDELAY is [S18]'s take-over
 * delay, in ticks.
 */
#ifndef TDELAY
#define TDELAY 1
#endif

/* (2): at most one worker acts as the runner: believes it is the runner
 * (role) and is not inside a callback */
#define ACTING(i)	((role[i] && wrun[i] == 0) -> 1 : 0)
#define ACTING_CHECK()	assert(ACTING(0) + ACTING(1) + ACTING(2) <= 1)

/* [S18]'s test: t's callback still runs in the worker it recorded */
#ifndef M9
#define STILL_RUNNING(t)	(rbase[t] != 0 && CB_RUNNING(rbase[t], t))
#else
/* mutant: no [S18] */
#define STILL_RUNNING(t)	0
#endif

/*
 * run_head() of slot me: heap[0] = t is Waiting, due, its callback runs
 * nowhere; heap lock and t held; returns with the heap lock held.
 */
inline run_head_w(bb, me, t, nw)
{
	atomic {
		assert(runner[bb] == me);	/* (2): only the runner pops */
		G_FIRE(t, nw);
		if
		:: per[t] > 0 ->
			/* [S12] Go's catch-up when, sift down */
			when[t] = PNEXT(when[t], per[t], nw);
			s = WAITING
		:: else ->
			/* [S11] out of the heap, base = NULL */
			HEAP_DEL(bb, t); tb[t] = 0;
			s = REMOVED
		fi;
		/* ->run_base and ->run_worker under t's lock, the worker's
		 * ->current_timer under both locks */
		rbase[t] = bb;
#ifndef M23
		rslot[t] = me;
#endif
		wrun[me] = t + 1;
		STATUS_UNLOCK(t, s)
	}
	base_changed(bb);
	heap_unlock(bb);
	CALLBACK(bb, t, nw);
	heap_lock(bb);
	/* smp_store_release(&w->current_timer, NULL) under the heap lock;
	 * the role check follows in the same section (run_due_w's loop) */
	wrun[me] = 0
}

/*
 * run.c gotimer_run_due() of slot me: pops only while pool->runner == me
 * (checked under the heap lock at each iteration; a loss clears role and
 * the caller becomes a standby).  Needs locals lost (bit).
 */
inline run_due_w(bb, me, nw)
{
	d_step {
		a = t0w[bb]; m = mearl[bb];
		force = (del[bb] > ntim[bb] / 4);
		a = VIEW(a, m); m = 0
	}
	if
	:: (a == 0 || a > nw) && !force -> a = 0; force = 0
	:: else ->
		heap_lock(bb);
		adjust(bb, nw, del[bb] > hlen[bb] / 4);
		do
		::
#ifndef M11
			atomic {
				lost = (runner[bb] != me);
				if :: lost -> role[me] = 0 :: else fi;
				ACTING_CHECK()
			};
			if :: lost -> break :: else fi;
#else
			/* mutant: no pool->runner == me check */
			ACTING_CHECK();
#endif
			heap_head(bb, h);
			if
			:: h == NT -> break
			:: else
			fi;
			atomic { STATUS_LOCK(h, s); HEAP_TIMER_OK(bb, h, s) };
			if
			:: s == MODIFIED ->
				atomic { STATUS_UNLOCK(h, s) };
				clean_head(bb)		/* [S8] / [S9] */
			:: s == WAITING && when[h] > nw ->
				atomic { STATUS_UNLOCK(h, s) };
				break
			:: s == WAITING && when[h] <= nw && STILL_RUNNING(h) ->
				atomic {
					assert(runner[bb] == me);	/* (2) */
					/* [S18] its callback still runs in a worker
					 * of run_base: not run; when = now + delay,
					 * sift down, stays Waiting */
					when[h] = nw + TDELAY;
					STATUS_UNLOCK(h, WAITING)
				}
			:: s == WAITING && when[h] <= nw && !STILL_RUNNING(h) ->
				x = h;
				run_head_w(bb, me, x, nw)
			fi
		od;
		base_changed(bb);
		heap_unlock(bb);
		lost = 0;
		CLR()
	fi
}

/*
 * takeover.c: standby slot me, woken by the take-over timer, takes the heap lock
 * and becomes the runner if the runner is still inside a callback and a
 * timer is due (base_due(): gotimer_base_next() <= now); else it goes back
 * to sleep.  takeover.c try_takeover().
 */
inline take_over(bb, me)
{
	heap_lock(bb);
	atomic {
		woken[me] = 0;
#ifndef M10
		/* base_due(): gotimer_base_next() <= now */
		a = VIEW(t0w[bb], mearl[bb]);
		if
		:: wrun[runner[bb]] != 0 && a != 0 && a <= clk ->
#endif
			runner[bb] = me; role[me] = 1; last = 0;
			ACTING_CHECK()
#ifndef M10
		:: else
		fi;
		a = 0
#endif
	};
	heap_unlock(bb)
}
#endif

#ifdef STEAL
/*
 * Stealing (steal.pml): the run loop of an unpinned base bb, popped by a
 * worker of slot me whose own CPU's unpinned base is R: bb's own workers
 * (R = bb) and thieves, standby workers of another CPU (R = that CPU's G
 * base, != bb).  run.c gotimer_run_due_as() without the runner check
 * (any worker may pop a G base), the run published in R by worker me.
 * lb is the CPU the popper runs on (its callback's [S5] goes there); TDELAY
 * is [S18]'s delay, in ticks.  RUN_COMMIT(t) is the model's ghost at the
 * run's linearization point, CALLBACK(lb, t, nw) its callback.
 */
#ifndef TDELAY
#define TDELAY 1
#endif
#ifndef RUN_COMMIT
#define RUN_COMMIT(t)	skip
#endif

/*
 * [S18]'s test, under bb's heap lock and t's status lock: t's callback
 * still runs in the worker that it recorded (->run_worker).
 */
#if defined(M13ALL)
/* mutant: every popper looks at the heap's own base */
#define G_STILL_RUNNING(bb, R, t)	CB_RUNNING(bb, t)
#elif defined(M13)
/* mutant: a thief looks at the heap's own base, bb's workers at run_base */
#define G_STILL_RUNNING(bb, R, t) \
	(((R) != (bb)) -> CB_RUNNING(bb, t) : CB_RUNNING(rbase[t], t))
#else
#define G_STILL_RUNNING(bb, R, t)	CB_RUNNING(rbase[t], t)
#endif

/* mutant: a thief publishes R's slot after unlocking t */
#ifdef M15
#define LATE_PUBLISH(bb, R)	((R) != (bb))
#else
#define LATE_PUBLISH(bb, R)	0
#endif

/*
 * run_head() as worker slot me of base R, popping heap[0] = t of base bb,
 * Waiting, due, its callback running nowhere; bb's heap lock and t held.
 * Returns with bb's heap lock held again.  R != bb: [S19], the stolen run.
 */
inline run_head_g(bb, R, me, t, nw, lb)
{
	atomic {
		RUN_COMMIT(t);
		G_FIRE(t, nw);
		if
		:: per[t] > 0 ->
			/* [S12] (R != bb: [S19] as [S12]) catch-up when, sift down */
			when[t] = PNEXT(when[t], per[t], nw);
			s = WAITING
		:: else ->
			/* [S11] (R != bb: [S19] as [S11]) out of the heap, base = NULL */
			HEAP_DEL(bb, t); tb[t] = 0;
			s = REMOVED
		fi;
		/* under bb's heap lock and t's status lock: ->run_base = R,
		 * ->run_worker = me and me's ->current_timer = t; t's status
		 * lock is the one that matters (every reader of a worker's
		 * ->current_timer for t holds it or rechecks) */
		rbase[t] = R;
		rslot[t] = me;
		if :: !LATE_PUBLISH(bb, R) -> SRUN(R, me) = t + 1 :: else fi;
		STATUS_UNLOCK(t, s)
	}
	if :: LATE_PUBLISH(bb, R) -> SRUN(R, me) = t + 1 :: else fi;
	base_changed(bb);
	heap_unlock(bb);
	CALLBACK(lb, t, nw);
	/* R's heap lock; smp_store_release(&w->current_timer, NULL); the
	 * sync_waiters check and wake_up_var() are not modelled */
	heap_lock(R);
	SRUN(R, me) = 0;
	if
	:: R != bb -> heap_unlock(R); heap_lock(bb)	/* bb's lock again */
	:: else
	fi
}

/* gotimer_run_due_as() of an unpinned base bb, as worker me of R's CPU */
inline run_due_g(bb, R, me, nw, lb)
{
	d_step {
		a = t0w[bb]; m = mearl[bb];
		force = (del[bb] > ntim[bb] / 4);
		a = VIEW(a, m); m = 0
	}
	if
	:: (a == 0 || a > nw) && !force -> a = 0; force = 0
	:: else ->
		heap_lock(bb);
		adjust(bb, nw, del[bb] > hlen[bb] / 4);
		do
		:: heap_head(bb, h);
			if
			:: h == NT -> break
			:: else
			fi;
			atomic { STATUS_LOCK(h, s); HEAP_TIMER_OK(bb, h, s) };
			if
			:: s == MODIFIED ->
				atomic { STATUS_UNLOCK(h, s) };
				clean_head(bb)		/* [S8] / [S9] */
			:: s == WAITING && when[h] > nw ->
				atomic { STATUS_UNLOCK(h, s) };
				break
			:: s == WAITING && when[h] <= nw && G_STILL_RUNNING(bb, R, h) ->
				atomic {
					/* [S18] its callback still runs in a worker of
					 * its run_base (maybe another CPU's): not run;
					 * when = now + delay, sift down, stays Waiting */
					when[h] = nw + TDELAY;
					STATUS_UNLOCK(h, WAITING)
				}
			:: s == WAITING && when[h] <= nw && !G_STILL_RUNNING(bb, R, h) ->
				x = h;
				run_head_g(bb, R, me, x, nw, lb)
			fi
		od;
		base_changed(bb);
		heap_unlock(bb);
		CLR()
	fi
}

/*
 * stopsync.c gotimer_stop_sync() as in this tree (fcfdd82), not from t's own
 * callback: stop lazily; then until done: unheap ([S16]; again: retry);
 * under t's status lock read run_base, run_worker (callback_running) and
 * ->base together; running: wait_for_callback(rb, w, t), a wait until the
 * worker no longer holds t (its registration and wake-up are the wait_var_event()
 * idiom, assumed); else base NULL: done; then stop lazily again (a re-arm
 * from the callback) and loop.  Result in pend.
 */
inline stop_sync_c(t)
{
	/* stopped_idle(), as in stop_sync() above */
	atomic {
		STATUS_LOCK(t, s);
		rb = rbase[t];
#ifndef M24
		ra = (s == REMOVED && tb[t] == 0 && !CB_RUNNING(rb, t));
#else
		ra = (s == REMOVED && tb[t] == 0);
#endif
		STATUS_UNLOCK(t, s)
	};
	if
	:: ra -> pend = 0
	:: else ->
		stop_lazy(t);
		pend = r1;
		do
		:: unheap(t);
			if
			:: again -> skip		/* cpu_relax(); continue */
			:: else ->
				atomic {
					STATUS_LOCK(t, s);
					rb = rbase[t];
					ra = CB_RUNNING(rb, t);
					b = tb[t];
					STATUS_UNLOCK(t, s)
				}
				if
				:: ra -> (!CB_RUNNING(rb, t))	/* wait_for_callback(rb, t) */
				:: !ra && b == 0 -> break
				:: else
				fi;
				stop_lazy(t);
				pend = pend | r1
			fi
		od;
	fi;
	rb = 0; ra = 0; b = 0
}
#endif
