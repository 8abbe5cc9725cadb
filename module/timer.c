// SPDX-License-Identifier: GPL-2.0
/*
 * The API that arms: gotimer_init, gotimer_modify (Go: modtimer),
 * gotimer_reset (resettimer).  Stopping is in stop.c,
 * waiting for a callback in stopsync.c.  Row names [Sn] refer to the
 * transition table in status.c.
 */
#include <linux/export.h>
#include <linux/rcupdate.h>
#include "internal.h"
#include "gotimer_trace.h"

/*
 * The status lock only disables preemption.  An interrupt that spins on a
 * timer its own CPU holds would spin forever, so interrupts may not call in.
 */
bool gotimer_context_ok(void)
{
	if (likely(in_task()))
		return true;
	WARN_ONCE(1, "gotimer: refusing call from interrupt context\n");
	return false;
}

/**
 * __gotimer_init() - gotimer_init() with its lockdep class
 * @t: the timer
 * @name: the class's name (the expression gotimer_init() was given)
 * @key: the class, one per call site of gotimer_init()
 */
void __gotimer_init(struct gotimer *t, const char *name,
		    struct lock_class_key *key)
{
	memset(t, 0, sizeof(*t));
	gotimer_lockdep_init(t, name, key);
}
EXPORT_SYMBOL_GPL(__gotimer_init);

/**
 * __gotimer_init_flags() - gotimer_init_flags() with its lockdep class
 * @t: the timer
 * @flags: as gotimer_init_flags()
 * @name: as __gotimer_init()
 * @key: as __gotimer_init()
 *
 * Return: as gotimer_init_flags().
 */
int __gotimer_init_flags(struct gotimer *t, unsigned int flags,
			 const char *name, struct lock_class_key *key)
{
	if (flags & ~GOTIMER_FLAGS_MASK)
		return -EINVAL;
	__gotimer_init(t, name, key);
	t->flags = flags;
	return 0;
}
EXPORT_SYMBOL_GPL(__gotimer_init_flags);

/* The calling CPU's base for @t's kind; preemption off. */
static struct gotimer_base *local_base_for(const struct gotimer *t)
{
	return t->flags & GOTIMER_UNPINNED ? gotimer_local_unpinned_base() :
					      gotimer_local_base();
}

/*
 * Growing a heap in the caller's context, which gotimer does not guess.
 *
 * The worker keeps every heap's headroom, in task context with GFP_KERNEL
 * (gotimer_base_keep_room(), kicked by an add that leaves the heap low on
 * room), and gotimer_reserve() lets a caller that is about to arm many
 * timers grow them beforehand.  So the functions below run only when a
 * burst of adds outran the worker; they must be valid wherever
 * gotimer_modify() may be called, a held spinlock and preemption off
 * included, whatever CONFIG_PREEMPT_COUNT says:
 *
 *  - without PREEMPT_RT, GFP_ATOMIC is valid in all of those contexts; no
 *    look at preemptible() is needed (with CONFIG_PREEMPT_COUNT=n it would
 *    read false even in process context);
 *  - on PREEMPT_RT, no allocation is valid with preemption off (the slab
 *    allocator's locks sleep there), and preemption counting is always on
 *    there, so preemptible() is exact: a preemptible caller grows, with
 *    GFP_KERNEL, or GFP_ATOMIC inside an RCU read-side section (which
 *    every spinlock_t section is there); any other gets -ENOMEM.
 *
 * -ENOMEM changes nothing: the timer is left as it was.
 */
static gfp_t rt_caller_gfp(void)
{
	return rcu_preempt_depth() ? GFP_ATOMIC : GFP_KERNEL;
}

static int grow_base(struct gotimer_base *base, unsigned int want)
{
	atomic_long_inc(&base->caller_growths);
	if (!IS_ENABLED(CONFIG_PREEMPT_RT))
		return gotimer_base_reserve(base, want, GFP_ATOMIC);
	if (!preemptible())
		return -ENOMEM;
	return gotimer_base_reserve(base, want, rt_caller_gfp());
}

/*
 * Grow the heap the add will use: @fixed, or the caller's CPU's.  Called
 * with preemption off (the status lock just dropped with it kept off), so
 * the CPU whose heap grows is the one the retry runs on, unless the retry
 * is preempted and migrates, when it simply finds no room again.  Re-enables
 * preemption.  On PREEMPT_RT a preemptible caller is kept on its CPU with
 * migrate_disable() instead, which allows the sleeping allocation.
 */
static int grow_for_add(struct gotimer_base *fixed, bool unpinned)
{
	struct gotimer_base *base;
	int err;

	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		preempt_enable();
		migrate_disable();
	}
	base = fixed ?: unpinned ? gotimer_local_unpinned_base() :
				   gotimer_local_base();
	err = grow_base(base, READ_ONCE(base->heap.len) + 1);
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		migrate_enable();
	else
		preempt_enable();
	return err;
}

/* [S5], [S17]: an idle timer's new time and callback, @t locked. */
static void set_idle(struct gotimer *t, s64 when, s64 period,
		     gotimer_func_t f, void *arg, uintptr_t seq)
{
	t->when = when;
	t->period = period;
	t->f = f;
	t->arg = arg;
	t->seq = seq;
	t->nextwhen = 0;
}

/*
 * An add to another CPU's heap @rb, with @rb's heap lock taken first, then
 * @t's status lock (the usual order), and @t added while locked.  @rb's own
 * CPU may be between its room check and its add (gotimer_base_has_room()),
 * so one slot stays free for it.  Two users:
 *
 *  - [S17] (@running): an idle timer whose callback still runs in @rb's
 *    worker, on another CPU, is re-armed onto @rb, so that the new instance
 *    cannot run while the old one has not returned (timer_list keeps a
 *    running timer on its base the same way);
 *  - an idle timer armed on a CPU that is going down, whose base is closed:
 *    @rb is that base's adopter (hotplug.c).
 *
 * Return: 0 (added: @t was not pending); -EAGAIN if @t changed meanwhile or
 * the heap had to grow (start over); -ENOENT if @rb is closed (for [S17]:
 * add locally, nothing runs there any more); -EINVAL, -ENOMEM.
 */
static int add_to_base(struct gotimer_base *rb, struct gotimer *t, s64 when,
		       s64 period, gotimer_func_t f, void *arg, uintptr_t seq,
		       bool reset, bool running)
{
	enum gotimer_status s;
	unsigned int len;
	int err;

	raw_spin_lock(&rb->lock);
	if (READ_ONCE(rb->offline)) {
		raw_spin_unlock(&rb->lock);
		return -ENOENT;
	}
	len = rb->heap.len;
	if (len + 2 > rb->heap.cap) {
		raw_spin_unlock(&rb->lock);
		err = grow_base(rb, len + 2);
		return err ?: -EAGAIN;
	}
	s = gotimer_status_lock(t);
	if (s == GOTIMER_NR_STATUS) {
		raw_spin_unlock(&rb->lock);
		return -EINVAL;
	}
	/* Shut down meanwhile: the retry is refused [S21]. */
	if (s != GOTIMER_REMOVED || (t->flags & GOTIMER_SHUT_DOWN) ||
	    (running && (t->run_base != rb || !gotimer_callback_running(t)))) {
		gotimer_status_unlock(t, s);
		raw_spin_unlock(&rb->lock);
		return -EAGAIN;
	}
	if (reset) {
		period = t->period;
		f = t->f;
		arg = t->arg;
		seq = t->seq;
	}
	set_idle(t, when, period, f, arg, seq);
	WRITE_ONCE(t->base, rb);
	gotimer_base_add(rb, t);
	gotimer_status_unlock(t, GOTIMER_WAITING);
	raw_spin_unlock(&rb->lock);
	trace_gotimer_modify(t, rb->cpu, s, GOTIMER_WAITING, when, period);
	return 0;
}

/*
 * [S5]'s add, @local's heap lock held.  Since the status unlock, @t has been
 * Waiting and owned by @local but in no heap, and other CPUs may have
 * changed it: a modify [S6] / [S7] to an earlier time lowered @local's
 * modified_earliest, a stop [S1] counted it in ->deleted.  An adjust of
 * @local meanwhile (a thief's, or a pinned base's worker running on
 * another CPU while unbound) may have cleared that note and walked a heap
 * without @t [S10].  So the note is not relied on: @t is locked again and a
 * new time is settled as [S9] does, so that @t goes in keyed at its
 * effective time and the add's republication of heap[0] (a lowering store
 * with the wake protocol's L2 / L3, base.c) tells the worker.
 *
 * The two locks order it, no barrier beyond them.  An adjust after this
 * section finds @t in the heap.  One before it released the heap lock this
 * section took, after its clear; a modify whose note that clear overwrote
 * held @t's status lock across the note, so it released it before the
 * acquire below, which sees its nextwhen.  A modify that takes @t's lock
 * after this section finds @t in the heap, and its note comes after every
 * clear that came before (heap lock, then status lock).  O(1) beyond the
 * push: one more status lock, taken in the usual order (heap, then status).
 */
static void add_settled(struct gotimer_base *local, struct gotimer *t)
	__must_hold(&local->lock)
{
	enum gotimer_status s = gotimer_status_lock(t);

	if (s == GOTIMER_NR_STATUS)
		return;			/* corrupt: reported, not added */
	if (s == GOTIMER_MODIFIED && t->nextwhen)
		s = gotimer_take_new_time(t);	/* as [S9] */
	gotimer_base_add(local, t);
	gotimer_status_unlock(t, s);
}

/*
 * One arm (modify or reset): its arguments, and what its attempts so far
 * learned.  @fixed is the heap an idle timer goes to, NULL for the calling
 * CPU's (tests give one).  With @reset, period, f, arg and seq are taken
 * from the timer under its lock, at each attempt.
 */
struct arm {
	struct gotimer_base *fixed;
	s64 when;
	s64 period;
	gotimer_func_t f;
	void *arg;
	uintptr_t seq;
	bool reset;
	bool rb_dead;		/* [S17]'s base was closed: arm locally */
	bool adopter_closed;	/* the closed base's adopter was closed too */
};

/*
 * [S5] / [S17]: @t is Removed and locked (status @s), preemption off.  Arm
 * it in the heap of the CPU its callback still runs on ([S17],
 * add_to_base()), of the adopter of this CPU's closed base, or of this
 * CPU ([S5]).
 *
 * Return: 0 (armed; @t was not pending); -EAGAIN to start over, @t
 * unlocked; -EINVAL or -ENOMEM, @t unlocked and unchanged.
 */
static int arm_removed(struct gotimer *t, enum gotimer_status s, struct arm *a)
{
	struct gotimer_base *rb = t->run_base, *local;
	bool running;
	int err;

	local = a->fixed ?: local_base_for(t);
	/*
	 * [S17] if its callback still runs elsewhere.  The acquire in
	 * gotimer_callback_running() pairs with the release in finish_run():
	 * a callback seen finished has all its effects done, and then [S5]
	 * may put @t anywhere.
	 */
	running = gotimer_callback_running(t);
	if (!a->fixed && !a->rb_dead && running && rb != local) {
		gotimer_status_unlock(t, s);
		err = add_to_base(rb, t, a->when, a->period, a->f, a->arg,
				  a->seq, a->reset, true);
		if (err != -ENOENT)
			return err;
		a->rb_dead = true;
		return -EAGAIN;
	}
	/*
	 * This CPU is going down and its base is closed (hotplug.c): the
	 * timer goes where the base's timers went.  ->offline and ->adopter
	 * change only on this CPU in a preemptible task, so they hold still
	 * while preemption is off here, from this look to the [S5] add below.
	 * The adopter is an online CPU and CPU hotplug is serialized, so it
	 * is open; if it were not, the timer is added here, where this CPU's
	 * unbound workers still run it (and gotimer_cpu_dead() reports it).
	 */
	if (!a->fixed && !a->adopter_closed &&
	    unlikely(READ_ONCE(local->offline)) && READ_ONCE(local->adopter)) {
		gotimer_status_unlock(t, s);
		err = add_to_base(READ_ONCE(local->adopter), t, a->when,
				  a->period, a->f, a->arg, a->seq, a->reset,
				  false);
		if (!WARN_ON_ONCE(err == -ENOENT))
			return err;
		a->adopter_closed = true;
		return -EAGAIN;
	}
	if (!gotimer_base_has_room(local)) {
		/* Preemption stays off: grow this CPU's heap. */
		bool unpinned = t->flags & GOTIMER_UNPINNED;

		gotimer_status_unlock_keep_preempt(t, s);
		err = grow_for_add(a->fixed, unpinned);
		return err ?: -EAGAIN;
	}
	/*
	 * [S5]: set the owner while locked, unlock, then add with the heap
	 * lock held and @t locked again (add_settled()).
	 */
	set_idle(t, a->when, a->period, a->f, a->arg, a->seq);
	t->idx = GOTIMER_IDX_ADDING;	/* the window, for gotimer_unheap() */
	WRITE_ONCE(t->base, local);
	/* No preemption (no migration) between unlock and add. */
	gotimer_status_unlock_keep_preempt(t, GOTIMER_WAITING);
	gotimer_test_hook(GOTIMER_HOOK_S5_WINDOW, local);
	raw_spin_lock(&local->lock);
	/*
	 * At most GOTIMER_ARM_CLEAN_MAX heads, so that an arm stays O(log n)
	 * under the raw heap lock (as PREEMPT_RT users are promised) however
	 * many timers were stopped or moved later lazily: the rest is the
	 * worker's, when the stale head's old time comes
	 * (gotimer_clean_head()).
	 */
	local->arm_settled += gotimer_clean_head(local, GOTIMER_ARM_CLEAN_MAX);
	add_settled(local, t);		/* wakes the worker if need be */
	/*
	 * Too many stopped timers: the O(n) adjust is the worker's, in its own
	 * context, not this caller's.  Low on room: the worker grows the heap,
	 * with GFP_KERNEL.
	 */
	if (atomic_read(&local->deleted) > local->heap.len / 4 ||
	    gotimer_base_low_on_room(local))
		gotimer_base_kick(local);
	raw_spin_unlock(&local->lock);
	preempt_enable();
	trace_gotimer_modify(t, local->cpu, s, GOTIMER_WAITING, a->when,
			     a->period);
	return 0;
}

/*
 * [S6] from Waiting, [S7] from Modified: @t sits in a heap, locked (status
 * @s); only @t changes, in O(1), no heap lock.
 *
 * Return: 1 if @t was pending, 0 if it was stopped; -EINVAL for a pending
 * timer without a heap (corrupt: reported).
 */
static int modify_in_heap(struct gotimer *t, enum gotimer_status s,
			  const struct arm *a)
{
	struct gotimer_base *base = t->base;
	bool pending;

	if (unlikely(!base)) {
		gotimer_status_unlock(t, s);
		gotimer_bad_timer(NULL, t, "pending timer without a heap");
		return -EINVAL;
	}
	pending = gotimer_was_pending(t, s);
	if (!pending)
		atomic_dec(&base->deleted);
	t->period = a->period;
	t->f = a->f;
	t->arg = a->arg;
	t->seq = a->seq;
	t->nextwhen = a->when;
	/* Lowers modified_earliest and wakes the worker, preemption off. */
	if (a->when < t->when)
		gotimer_base_note_modified(base, a->when);
	gotimer_status_unlock(t, GOTIMER_MODIFIED);
	trace_gotimer_modify(t, base->cpu, s, GOTIMER_MODIFIED, a->when,
			     a->period);
	return pending;
}

/*
 * Go's modtimer: lock @t, then [S5] / [S17] for a Removed timer, [S6] /
 * [S7] for one in a heap; start over while an attempt asks to.
 */
static int modify(struct gotimer_base *fixed, struct gotimer *t, s64 when,
		  s64 period, gotimer_func_t f, void *arg, uintptr_t seq,
		  bool reset)
{
	struct arm a = { .fixed = fixed, .when = when, .period = period,
			 .f = f, .arg = arg, .seq = seq, .reset = reset };
	enum gotimer_status s;
	int err;

	if (when <= 0 || period < 0 || (!reset && !f))
		return -EINVAL;
	do {
		s = gotimer_status_lock(t);		/* preemption off */
		if (s == GOTIMER_NR_STATUS)
			return -EINVAL;
		if (unlikely(t->flags & GOTIMER_SHUT_DOWN)) {
			gotimer_status_unlock(t, s);	/* [S21] */
			return -ESHUTDOWN;
		}
		if (reset) {
			if (!t->f) {
				gotimer_status_unlock(t, s);
				return -EINVAL;
			}
			a.period = t->period;
			a.f = t->f;
			a.arg = t->arg;
			a.seq = t->seq;
		}
		if (s != GOTIMER_REMOVED)
			return modify_in_heap(t, s, &a);
		err = arm_removed(t, s, &a);
	} while (err == -EAGAIN);
	return err;
}

/**
 * gotimer_modify() - arm or re-arm a timer (Go: modtimer)
 * @t: the timer
 * @when: absolute gotimer_now() time to fire at, > 0
 * @period: then every @period ns if > 0; 0 for a one-shot timer
 * @f: the callback
 * @arg: its first argument
 * @seq: its second argument
 *
 * An idle timer goes into the calling CPU's heap (its unpinned heap for a
 * GOTIMER_UNPINNED timer), unless its callback is still running on another
 * CPU: then into that CPU's heap of the same kind, so that a callback never
 * runs concurrently with itself.  A timer already in a heap
 * is changed in O(1) without any heap lock; if it now fires earlier, its
 * owner's worker is woken when it would otherwise sleep past @when.
 *
 * Context: task context, also with preemption disabled, a spinlock held
 * (one never taken in interrupt context) or from a gotimer callback.  Not
 * from hard or soft interrupt context.
 *
 * Return: 1 if @t was pending (armed, not run, not stopped), 0 if not;
 * -EINVAL for @when <= 0, @period < 0, a NULL @f or a call from interrupt
 * context; -ESHUTDOWN if @t was shut down (gotimer_shutdown()); -ENOMEM
 * if the heap could not grow.  On error @t is unchanged.
 */
int gotimer_modify(struct gotimer *t, s64 when, s64 period,
		   gotimer_func_t f, void *arg, uintptr_t seq)
{
	if (!gotimer_context_ok())
		return -EINVAL;
	return modify(NULL, t, when, period, f, arg, seq, false);
}
EXPORT_SYMBOL_GPL(gotimer_modify);

/**
 * gotimer_reset() - re-arm a timer with its current period, f, arg and seq
 * @t: the timer
 * @when: absolute gotimer_now() time to fire at, > 0
 *
 * Context: as gotimer_modify().
 *
 * Return: as gotimer_modify(); also -EINVAL if @t was never given a
 * function.
 */
int gotimer_reset(struct gotimer *t, s64 when)
{
	if (!gotimer_context_ok())
		return -EINVAL;
	return modify(NULL, t, when, 0, NULL, NULL, 0, true);
}
EXPORT_SYMBOL_GPL(gotimer_reset);

/**
 * gotimer_modify_on() - gotimer_modify() with a given heap for idle timers
 * @local: the base an idle timer is added to
 * @t: the timer
 * @when: as gotimer_modify()
 * @period: as gotimer_modify()
 * @f: as gotimer_modify()
 * @arg: as gotimer_modify()
 * @seq: as gotimer_modify()
 *
 * For tests, on a private base no worker runs.
 *
 * Return: as gotimer_modify().
 */
int gotimer_modify_on(struct gotimer_base *local, struct gotimer *t,
		      s64 when, s64 period, gotimer_func_t f, void *arg,
		      uintptr_t seq)
{
	return modify(local, t, when, period, f, arg, seq, false);
}
EXPORT_SYMBOL_NS_GPL(gotimer_modify_on, GOTIMER_INTERNAL);

/**
 * gotimer_reset_on() - gotimer_reset() with a given heap for idle timers
 * @local: the base an idle timer is added to
 * @t: the timer
 * @when: as gotimer_reset()
 *
 * Return: as gotimer_reset().
 */
int gotimer_reset_on(struct gotimer_base *local, struct gotimer *t, s64 when)
{
	return modify(local, t, when, 0, NULL, NULL, 0, true);
}
EXPORT_SYMBOL_NS_GPL(gotimer_reset_on, GOTIMER_INTERNAL);
