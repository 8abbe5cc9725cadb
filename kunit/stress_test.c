// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "gotimer_stress": one kthread bound to every online CPU
 * hammering shared timers while the real workers run them, with heap
 * verification on, and exact accounting of every timer instance.
 *
 * An instance begins when gotimer_modify() or gotimer_reset() returns 0
 * (the timer was not pending: [S5], or [S7] from a stopped timer).  It ends
 * exactly once: gotimer_stop() returning true ([S1]/[S2]), its one-shot
 * callback ([S11]), or a final gotimer_stop_sync() returning true.  A return
 * of 1 changes the pending instance without starting one.  So for every
 * timer, begun == ended, or an instance was lost or ran twice.
 *
 * Row names [Sn] refer to the transition table in module/status.c.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/llist.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/wait.h>
#include <uapi/linux/sched/types.h>
#include "internal.h"

#define STRESS_TIMEOUT		(60 * HZ)	/* failure guard only */
#define STRESS_SEED		0x73747265737321ULL
#define STRESS_WINDOW_NS	(2 * NSEC_PER_MSEC)

/*
 * Check every online CPU's heap, now that nobody touches gotimer: the heap
 * invariant holds, none of @lo..@hi (an array of @size-byte objects) is
 * still in a heap, and ->deleted counts exactly the stopped timers left in
 * the heap.
 */
static void check_bases_quiet(struct kunit *test, const void *lo,
			      const void *hi)
{
	int cpu;

	for_each_online_cpu(cpu) {
		struct gotimer_base *base = gotimer_cpu_base(cpu);
		unsigned int i, ours = 0, stopped = 0;
		int verify, deleted;

		raw_spin_lock(&base->lock);
		verify = gotimer_base_verify(base);
		for (i = 0; i < base->heap.len; i++) {
			struct gotimer *t = gotimer_heap_at(&base->heap, i);

			if ((const void *)t >= lo && (const void *)t < hi)
				ours++;
			if (atomic_read(&t->status) == GOTIMER_MODIFIED &&
			    !t->nextwhen)
				stopped++;
		}
		deleted = atomic_read(&base->deleted);
		raw_spin_unlock(&base->lock);

		KUNIT_EXPECT_EQ_MSG(test, verify, 0, "cpu %d heap", cpu);
		KUNIT_EXPECT_EQ_MSG(test, ours, 0U, "cpu %d still holds ours", cpu);
		KUNIT_EXPECT_EQ_MSG(test, deleted, (int)stopped,
				    "cpu %d deleted count", cpu);
	}
}

/* ---- concurrent_modify_stop_accounts_for_every_timer ---- */

#define SHARED_TIMERS		48
#define SHARED_OPS		2000

/*
 * Even timers are only modified and stopped, always with seq = when, so
 * their callback knows the exact when it was due at.  Odd timers are also
 * reset, which keeps the old seq, so seq says nothing about the when a
 * reset set: they get the accounting checks only (seq = 0).
 */
struct shared_timer {
	struct gotimer t;
	bool uses_reset;
	atomic_t begun;
	atomic_t ended;
	atomic_t fired;
	atomic_t early;
	atomic_t foreign;	/* callback not in its CPU's worker */
};

struct shared_ctx {
	struct shared_timer *timers;
	atomic_t errors;	/* API calls that failed */
	atomic_t pending_hits;	/* modify/reset returning 1 */
	atomic_t stops;		/* stops returning true */
	atomic_t resets;
};

struct shared_thread {
	struct shared_ctx *ctx;
	struct rnd_state rnd;
	struct completion exited;
};

static void shared_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct shared_timer *st = arg;
	s64 now = gotimer_now();

	if (seq && now < (s64)seq)
		atomic_inc(&st->early);
	if (gotimer_current_worker_cpu() != raw_smp_processor_id())
		atomic_inc(&st->foreign);
	atomic_inc(&st->fired);
	atomic_inc(&st->ended);		/* [S11] */
}

static void shared_account(struct shared_ctx *ctx, struct shared_timer *st,
			   int ret)
{
	if (ret == 0)
		atomic_inc(&st->begun);
	else if (ret == 1)
		atomic_inc(&ctx->pending_hits);
	else
		atomic_inc(&ctx->errors);
}

static int shared_thread_fn(void *data)
{
	struct shared_thread *th = data;
	struct shared_ctx *ctx = th->ctx;
	unsigned int i;

	for (i = 0; i < SHARED_OPS; i++) {
		u32 pick = prandom_u32_state(&th->rnd);
		struct shared_timer *st = &ctx->timers[pick % SHARED_TIMERS];
		s64 when = gotimer_now() + 1 +
			   prandom_u32_state(&th->rnd) % STRESS_WINDOW_NS;
		unsigned int op = (pick >> 16) % 8;

		if (op < 3 || (op < 5 && !st->uses_reset)) {
			shared_account(ctx, st,
				       gotimer_modify(&st->t, when, 0, shared_fn, st,
						      st->uses_reset ? 0 : when));
		} else if (op < 5) {
			atomic_inc(&ctx->resets);
			shared_account(ctx, st, gotimer_reset(&st->t, when));
		} else if (gotimer_stop(&st->t)) {	/* [S1], [S2] */
			atomic_inc(&st->ended);
			atomic_inc(&ctx->stops);
		}
		if (!(i % 32))
			cond_resched();
	}
	kthread_complete_and_exit(&th->exited, 0);
}

static void concurrent_modify_stop_accounts_for_every_timer(struct kunit *test)
{
	unsigned int ncpus = num_online_cpus(), nthreads = 0, i;
	long bad_before = atomic_long_read(&gotimer_bad_timers);
	bool verify_was = READ_ONCE(gotimer_verify_heaps);
	unsigned int fired = 0, begun = 0;
	struct shared_thread *threads;
	struct shared_ctx *ctx;
	int cpu;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->timers = kunit_kcalloc(test, SHARED_TIMERS, sizeof(*ctx->timers),
				    GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->timers);
	threads = kunit_kcalloc(test, ncpus, sizeof(*threads), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, threads);

	WRITE_ONCE(gotimer_verify_heaps, true);

	/* Every timer starts armed, so reset always has a function. */
	for (i = 0; i < SHARED_TIMERS; i++) {
		struct shared_timer *st = &ctx->timers[i];
		s64 when = gotimer_now() + 1 + i * (STRESS_WINDOW_NS / SHARED_TIMERS);

		st->uses_reset = i & 1;
		shared_account(ctx, st, gotimer_modify(&st->t, when, 0, shared_fn,
						       st, st->uses_reset ? 0 : when));
	}

	for_each_online_cpu(cpu) {
		struct shared_thread *th = &threads[nthreads];
		struct task_struct *task;

		if (nthreads == ncpus)
			break;
		th->ctx = ctx;
		prandom_seed_state(&th->rnd, STRESS_SEED + cpu);
		init_completion(&th->exited);
		task = kthread_create_on_cpu(shared_thread_fn, th, cpu,
					     "gt_stress/%u");
		KUNIT_EXPECT_FALSE(test, IS_ERR(task));
		if (IS_ERR(task))
			continue;
		wake_up_process(task);
		nthreads++;
	}
	KUNIT_EXPECT_EQ(test, nthreads, ncpus);
	for (i = 0; i < nthreads; i++)
		KUNIT_EXPECT_TRUE_MSG(test,
				      wait_for_completion_timeout(&threads[i].exited,
								  STRESS_TIMEOUT),
				      "thread %u never finished", i);

	for (i = 0; i < SHARED_TIMERS; i++)
		if (gotimer_stop_sync(&ctx->timers[i].t))
			atomic_inc(&ctx->timers[i].ended);

	for (i = 0; i < SHARED_TIMERS; i++) {
		struct shared_timer *st = &ctx->timers[i];

		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&st->begun),
				    atomic_read(&st->ended),
				    "timer %u: instances begun vs ended", i);
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&st->early), 0,
				    "timer %u ran before its when", i);
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&st->foreign), 0,
				    "timer %u ran outside its CPU's worker", i);
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&st->t.status),
				    GOTIMER_REMOVED, "timer %u status", i);
		KUNIT_EXPECT_NULL_MSG(test, READ_ONCE(st->t.base),
				      "timer %u base", i);
		fired += atomic_read(&st->fired);
		begun += atomic_read(&st->begun);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->errors), 0);
	KUNIT_EXPECT_GT(test, fired, 0U);
	check_bases_quiet(test, ctx->timers, ctx->timers + SHARED_TIMERS);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&gotimer_bad_timers), bad_before);
	WRITE_ONCE(gotimer_verify_heaps, verify_was);
	kunit_info(test, "%u threads x %u ops: %u instances, %u fired, %d stopped, %d resets, %d re-armed while pending\n",
		   nthreads, SHARED_OPS, begun, fired, atomic_read(&ctx->stops),
		   atomic_read(&ctx->resets), atomic_read(&ctx->pending_hits));
}

/* ---- stop_sync_free_cycles_under_concurrent_modify ---- */

/*
 * Every thread allocates objects, arms each in its own CPU's heap, and
 * hands it to the next CPU's thread.  That thread, now its only owner,
 * modifies, resets or stops it while its first CPU's worker may be running
 * it, then gotimer_stop_sync()s it, checks its accounting and frees it.
 * One-shot callbacks re-arm themselves a few times, racing the stop_sync.
 * A callback that ran after stop_sync returned would write to freed memory,
 * which KASAN reports.
 *
 * One gotimer_stop_sync() can end more than one instance: the one pending
 * when it starts, and any its callback re-arms while it waits.  It still
 * returns a single true.  Such a late re-arm starts after the owner has set
 * ->closing (the timer's status lock orders the two), so the callback counts
 * re-arms that see ->closing, and begun - ended must lie between 0 and that
 * count.
 */
#define CYCLE_OBJS		150
#define CYCLE_REARMS		2

struct cycle_ctx {
	atomic_t errors;
	atomic_t merged;	/* instances folded into one stop_sync true */
	atomic_t mismatches;
	atomic_t not_removed;
	atomic_t fired;
	atomic_t freed;
};

struct cycle_obj {
	struct gotimer t;
	struct llist_node node;
	struct cycle_ctx *ctx;
	s64 period;		/* fixed for the object's life */
	atomic_t rearms_left;
	atomic_t begun;
	atomic_t ended;
	atomic_t closing;	/* set before the owner's stop_sync */
	atomic_t late_rearms;	/* re-arms that began after ->closing */
	unsigned long scribble;
};

struct cycle_thread {
	struct cycle_ctx *ctx;
	struct cycle_thread *next;
	struct llist_head inbox;
	wait_queue_head_t wq;
	struct rnd_state rnd;
	unsigned int consumed;
	bool timed_out;
	struct completion exited;
};

static void cycle_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct cycle_obj *o = arg;
	struct cycle_ctx *ctx = o->ctx;
	int ret;

	o->scribble++;		/* a use after free if stop_sync lied */
	atomic_inc(&ctx->fired);
	if (o->period)
		return;
	atomic_inc(&o->ended);			/* [S11] */
	if (atomic_dec_if_positive(&o->rearms_left) < 0)
		return;
	ret = gotimer_modify(&o->t, gotimer_now() + (seq & 0xfffff), 0,
			     cycle_fn, o, seq);
	if (ret == 0) {
		atomic_inc(&o->begun);		/* [S5] */
		if (atomic_read(&o->closing))
			atomic_inc(&o->late_rearms);
	} else if (ret < 0) {
		atomic_inc(&ctx->errors);
	}
}

static void cycle_count(struct cycle_ctx *ctx, struct cycle_obj *o, int ret)
{
	if (ret == 0)
		atomic_inc(&o->begun);
	else if (ret < 0)
		atomic_inc(&ctx->errors);
}

static void cycle_produce(struct cycle_thread *th)
{
	struct cycle_ctx *ctx = th->ctx;
	u32 r = prandom_u32_state(&th->rnd);
	struct cycle_obj *o;

	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o) {
		atomic_inc(&ctx->errors);
		return;
	}
	o->ctx = ctx;
	o->period = r % 4 ? 0 : NSEC_PER_MSEC / 2 + r % NSEC_PER_MSEC;
	atomic_set(&o->rearms_left, CYCLE_REARMS);
	/* Goes to this CPU's heap; seq carries a delay for re-arming. */
	cycle_count(ctx, o, gotimer_modify(&o->t, gotimer_now() + 1 +
					   r % STRESS_WINDOW_NS, o->period,
					   cycle_fn, o, r >> 12));
	llist_add(&o->node, &th->next->inbox);
	wake_up(&th->next->wq);
}

static void cycle_consume(struct cycle_thread *th, struct cycle_obj *o)
{
	struct cycle_ctx *ctx = th->ctx;
	u32 r = prandom_u32_state(&th->rnd);
	s64 when = gotimer_now() + 1 + (r >> 4) % STRESS_WINDOW_NS;
	int merged;

	/* Cross-CPU while its worker may run it: [S6], [S7] or [S5] here. */
	switch (r % 4) {
	case 0:
		cycle_count(ctx, o, gotimer_modify(&o->t, when, o->period,
						   cycle_fn, o, r >> 12));
		break;
	case 1:
		cycle_count(ctx, o, gotimer_reset(&o->t, when));
		break;
	case 2:
		if (gotimer_stop(&o->t))
			atomic_inc(&o->ended);
		break;
	default:
		break;
	}
	atomic_set(&o->closing, 1);
	smp_mb();	/* ->closing before stop_sync's first status lock */
	if (gotimer_stop_sync(&o->t))
		atomic_inc(&o->ended);
	merged = atomic_read(&o->begun) - atomic_read(&o->ended);
	if (merged < 0 || merged > atomic_read(&o->late_rearms))
		atomic_inc(&ctx->mismatches);
	else
		atomic_add(merged, &ctx->merged);
	if (atomic_read(&o->t.status) != GOTIMER_REMOVED ||
	    READ_ONCE(o->t.base))
		atomic_inc(&ctx->not_removed);
	kfree(o);
	atomic_inc(&ctx->freed);
}

static unsigned int cycle_drain(struct cycle_thread *th)
{
	struct llist_node *list = llist_del_all(&th->inbox);
	struct cycle_obj *o, *tmp;
	unsigned int n = 0;

	llist_for_each_entry_safe(o, tmp, list, node) {
		cycle_consume(th, o);
		n++;
	}
	return n;
}

static int cycle_thread_fn(void *data)
{
	struct cycle_thread *th = data;
	unsigned int produced = 0;

	while (produced < CYCLE_OBJS || th->consumed < CYCLE_OBJS) {
		if (produced < CYCLE_OBJS) {
			cycle_produce(th);
			produced++;
		}
		th->consumed += cycle_drain(th);
		if (produced == CYCLE_OBJS && th->consumed < CYCLE_OBJS &&
		    !wait_event_timeout(th->wq, !llist_empty(&th->inbox),
					STRESS_TIMEOUT)) {
			th->timed_out = true;
			break;
		}
		cond_resched();
	}
	kthread_complete_and_exit(&th->exited, 0);
}

static void stop_sync_free_cycles_under_concurrent_modify(struct kunit *test)
{
	unsigned int ncpus = num_online_cpus(), nthreads = 0, i;
	long bad_before = atomic_long_read(&gotimer_bad_timers);
	bool verify_was = READ_ONCE(gotimer_verify_heaps);
	struct cycle_thread *threads;
	struct cycle_ctx *ctx;
	struct task_struct **tasks;
	int cpu;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	threads = kunit_kcalloc(test, ncpus, sizeof(*threads), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, threads);
	tasks = kunit_kcalloc(test, ncpus, sizeof(*tasks), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tasks);

	/* Create all, bound, before any runs: the ring must be complete. */
	for_each_online_cpu(cpu) {
		struct cycle_thread *th = &threads[nthreads];

		if (nthreads == ncpus)
			break;
		th->ctx = ctx;
		init_llist_head(&th->inbox);
		init_waitqueue_head(&th->wq);
		init_completion(&th->exited);
		prandom_seed_state(&th->rnd, STRESS_SEED ^ (cpu + 1));
		tasks[nthreads] = kthread_create_on_cpu(cycle_thread_fn, th, cpu,
							"gt_cycle/%u");
		KUNIT_EXPECT_FALSE(test, IS_ERR(tasks[nthreads]));
		if (IS_ERR(tasks[nthreads]))
			continue;
		nthreads++;
	}
	KUNIT_EXPECT_EQ(test, nthreads, ncpus);
	for (i = 0; i < nthreads; i++)
		threads[i].next = &threads[(i + 1) % nthreads];

	WRITE_ONCE(gotimer_verify_heaps, true);
	for (i = 0; i < nthreads; i++)
		wake_up_process(tasks[i]);
	for (i = 0; i < nthreads; i++)
		KUNIT_EXPECT_TRUE_MSG(test,
				      wait_for_completion_timeout(&threads[i].exited,
								  STRESS_TIMEOUT),
				      "thread %u never finished", i);

	/* Only after a failure: objects nobody consumed. */
	for (i = 0; i < nthreads; i++) {
		KUNIT_EXPECT_FALSE(test, threads[i].timed_out);
		KUNIT_EXPECT_EQ(test, threads[i].consumed, CYCLE_OBJS);
		cycle_drain(&threads[i]);
	}

	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->freed),
			(int)(nthreads * CYCLE_OBJS));
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->errors), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->mismatches), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->not_removed), 0);
	/* Freed objects: none can be in a heap; the heaps must be sound. */
	check_bases_quiet(test, NULL, NULL);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&gotimer_bad_timers), bad_before);
	WRITE_ONCE(gotimer_verify_heaps, verify_was);
	kunit_info(test, "%u threads x %u objects, %d callbacks, %d instances ended by a stop_sync that ended another\n",
		   nthreads, CYCLE_OBJS, atomic_read(&ctx->fired),
		   atomic_read(&ctx->merged));
}

/* ---- stop_sync_returns_idle_when_callback_rearms_mid_stop ---- */

/*
 * gotimer_stop_sync() takes the timer out of its heap [S16], then looks for
 * a running callback.  A callback that re-arms the timer [S5] and returns
 * in between must not be missed: stop_sync must still return with the
 * timer in no heap.
 *
 * The test makes that interleaving happen on purpose.  On CPU a, a
 * SCHED_IDLE thread stop_syncs timer T while T's callback sleeps in the
 * worker of CPU a, T having been re-armed by it.  With heap verification
 * on, 200000 dummy timers in CPU a's heap keep the heap lock of [S16] held
 * for milliseconds after it clears T->base (20000 proved too few on a
 * loaded TCG host).  A thread on CPU b watches T->base; when it is cleared,
 * it wakes the callback, which preempts the SCHED_IDLE thread as soon as it
 * drops the heap lock, re-arms T far in the future and returns before
 * stop_sync looks for running callbacks.  If the wake comes later,
 * stop_sync merely waits for the callback, and the check below holds all
 * the same.
 */
#define MIDSTOP_DUMMIES		200000
#define MIDSTOP_FAR_NS		(3600LL * NSEC_PER_SEC)

struct midstop {
	struct gotimer t;
	struct gotimer *dummies;
	wait_queue_head_t wq;
	struct completion rearmed;	/* callback: T re-armed, going to sleep */
	struct completion watch;	/* stopper -> trigger: about to stop */
	struct completion stopper_exited;
	struct completion trigger_exited;
	bool go;			/* trigger -> callback */
	bool stop_returned;
	int calls;
	int rearm_ret[2];
	bool rearm_during_stop;
	bool saw_unheap;
	bool stop_ret;
	bool idle_after;
	int status_after;
	struct gotimer_base *base_after;
	bool abort;			/* stopper -> trigger: give up */
	atomic_t errors;
};

static void midstop_dummy_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct midstop *m = arg;

	atomic_inc(&m->errors);	/* an hour early */
}

static void midstop_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct midstop *m = arg;

	if (m->calls++)
		return;
	m->rearm_ret[0] = gotimer_modify(&m->t, gotimer_now() + MIDSTOP_FAR_NS,
					 0, midstop_fn, m, 0);
	complete(&m->rearmed);
	if (!wait_event_timeout(m->wq, READ_ONCE(m->go), STRESS_TIMEOUT))
		atomic_inc(&m->errors);
	m->rearm_during_stop = !READ_ONCE(m->stop_returned);
	m->rearm_ret[1] = gotimer_modify(&m->t, gotimer_now() + MIDSTOP_FAR_NS,
					 0, midstop_fn, m, 0);
}

static int midstop_stopper_fn(void *data)
{
	struct sched_attr idle = {
		.size = sizeof(idle),
		.sched_policy = SCHED_IDLE,
	};
	struct midstop *m = data;
	s64 far = gotimer_now() + 2 * MIDSTOP_FAR_NS;
	unsigned int i;

	/* Into this CPU's heap, before heap verification is on. */
	for (i = 0; i < MIDSTOP_DUMMIES; i++)
		if (gotimer_modify(&m->dummies[i], far + i, 0, midstop_dummy_fn,
				   m, 0))
			atomic_inc(&m->errors);
	if (gotimer_modify(&m->t, gotimer_now(), 0, midstop_fn, m, 0) ||
	    !wait_for_completion_timeout(&m->rearmed, STRESS_TIMEOUT)) {
		atomic_inc(&m->errors);
		WRITE_ONCE(m->abort, true);
		complete(&m->watch);
		kthread_complete_and_exit(&m->stopper_exited, 0);
	}
	WRITE_ONCE(gotimer_verify_heaps, true);
	if (sched_setattr_nocheck(current, &idle))
		atomic_inc(&m->errors);
	complete(&m->watch);
	m->stop_ret = gotimer_stop_sync(&m->t);
	WRITE_ONCE(m->stop_returned, true);
	m->status_after = atomic_read(&m->t.status);
	m->base_after = READ_ONCE(m->t.base);
	m->idle_after = m->status_after == GOTIMER_REMOVED && !m->base_after;
	sched_set_normal(current, 0);
	kthread_complete_and_exit(&m->stopper_exited, 0);
}

static int midstop_trigger_fn(void *data)
{
	struct midstop *m = data;
	unsigned long deadline;

	if (wait_for_completion_timeout(&m->watch, STRESS_TIMEOUT)) {
		deadline = jiffies + STRESS_TIMEOUT;
		while (READ_ONCE(m->t.base) && !READ_ONCE(m->abort) &&
		       time_before(jiffies, deadline))
			cond_resched();
		m->saw_unheap = !READ_ONCE(m->t.base);
	}
	WRITE_ONCE(m->go, true);
	wake_up(&m->wq);
	kthread_complete_and_exit(&m->trigger_exited, 0);
}

static void stop_sync_returns_idle_when_callback_rearms_mid_stop(struct kunit *test)
{
	bool verify_was = READ_ONCE(gotimer_verify_heaps);
	struct task_struct *stopper, *trigger;
	struct midstop *m;
	unsigned int i, not_pending = 0;
	bool exited;
	int a, b;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two online CPUs");
	a = cpumask_first(cpu_online_mask);
	b = cpumask_next(a, cpu_online_mask);
	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->dummies = kvcalloc(MIDSTOP_DUMMIES, sizeof(*m->dummies), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->dummies);
	init_waitqueue_head(&m->wq);
	init_completion(&m->rearmed);
	init_completion(&m->watch);
	init_completion(&m->stopper_exited);
	init_completion(&m->trigger_exited);

	trigger = kthread_create_on_cpu(midstop_trigger_fn, m, b, "gt_trigger/%u");
	if (IS_ERR(trigger)) {
		kvfree(m->dummies);
		KUNIT_FAIL(test, "no trigger thread: %ld", PTR_ERR(trigger));
		return;
	}
	stopper = kthread_create_on_cpu(midstop_stopper_fn, m, a, "gt_stopper/%u");
	if (IS_ERR(stopper)) {
		kthread_stop(trigger);	/* never woken: never runs */
		kvfree(m->dummies);
		KUNIT_FAIL(test, "no stopper thread: %ld", PTR_ERR(stopper));
		return;
	}
	wake_up_process(trigger);
	wake_up_process(stopper);
	exited = wait_for_completion_timeout(&m->stopper_exited,
					     2 * STRESS_TIMEOUT);
	KUNIT_EXPECT_TRUE(test, exited);
	exited = wait_for_completion_timeout(&m->trigger_exited,
					     2 * STRESS_TIMEOUT);
	KUNIT_EXPECT_TRUE(test, exited);
	WRITE_ONCE(gotimer_verify_heaps, verify_was);
	/* Waits for the callback, whatever stop_sync did: m is stable. */
	gotimer_stop_sync(&m->t);

	KUNIT_EXPECT_EQ(test, atomic_read(&m->errors), 0);
	KUNIT_EXPECT_EQ(test, m->calls, 1);
	KUNIT_EXPECT_EQ(test, m->rearm_ret[0], 0);
	/* [S16] had removed it: the re-arm starts a new instance [S5]. */
	KUNIT_EXPECT_EQ(test, m->rearm_ret[1], 0);
	KUNIT_EXPECT_TRUE(test, m->saw_unheap);
	KUNIT_EXPECT_TRUE(test, m->rearm_during_stop);
	KUNIT_EXPECT_TRUE(test, m->stop_ret);
	KUNIT_EXPECT_TRUE_MSG(test, m->idle_after,
			      "stop_sync returned with the timer pending again (status %d, base %p)",
			      m->status_after, m->base_after);

	for (i = 0; i < MIDSTOP_DUMMIES; i++)
		if (!gotimer_stop_sync(&m->dummies[i]))
			not_pending++;
	KUNIT_EXPECT_EQ(test, not_pending, 0U);
	kvfree(m->dummies);
}

/* KUNIT_CASE_SLOW() is 6.6+; these cases also run on 6.1. */
#ifdef KUNIT_CASE_SLOW
#define STRESS_CASE_SLOW(f)	KUNIT_CASE_SLOW(f)
#else
#define STRESS_CASE_SLOW(f)	KUNIT_CASE(f)
#endif

static struct kunit_case gotimer_stress_cases[] = {
	KUNIT_CASE(concurrent_modify_stop_accounts_for_every_timer),
	STRESS_CASE_SLOW(stop_sync_free_cycles_under_concurrent_modify),
	STRESS_CASE_SLOW(stop_sync_returns_idle_when_callback_rearms_mid_stop),
	{}
};

static struct kunit_suite gotimer_stress_suite = {
	.name = "gotimer_stress",
	.test_cases = gotimer_stress_cases,
};

kunit_test_suite(gotimer_stress_suite);
