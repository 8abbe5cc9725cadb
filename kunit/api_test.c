// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "gotimer_api": return values of the public API for every
 * status, every -EINVAL case, and the calling contexts it accepts and
 * refuses.  Timers here are armed an hour ahead so no worker runs them,
 * except where a case waits for a fire.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include "internal.h"

#define HOUR_NS (3600LL * NSEC_PER_SEC)

struct api_fixture {
	struct gotimer t[4];
	atomic_t fired;
	struct completion done;
};

static void api_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct api_fixture *f = arg;

	atomic_inc(&f->fired);
	complete(&f->done);
}

static int api_test_init(struct kunit *test)
{
	struct api_fixture *f = kzalloc(sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	init_completion(&f->done);
	test->priv = f;
	return 0;
}

static void api_test_exit(struct kunit *test)
{
	struct api_fixture *f = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(f->t); i++) {
		gotimer_stop_sync(&f->t[i]);
		KUNIT_EXPECT_PTR_EQ(test, f->t[i].base, NULL);
	}
	kfree(f);
}

static int arm_later(struct api_fixture *f, unsigned int i)
{
	return gotimer_modify(&f->t[i], gotimer_now() + HOUR_NS, 0, api_fire,
			      f, i);
}

static void modify_idle_returns_0_and_lands_on_calling_cpu(struct kunit *test)
{
	struct api_fixture *f = test->priv;
	int cpu, ret;

	migrate_disable();
	cpu = smp_processor_id();
	ret = arm_later(f, 0);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_PTR_EQ(test, f->t[0].base, gotimer_cpu_base(cpu));
	KUNIT_EXPECT_EQ(test, atomic_read(&f->t[0].status), GOTIMER_WAITING);
}

static void modify_pending_returns_1_and_stays_put(struct kunit *test)
{
	struct api_fixture *f = test->priv;
	struct gotimer_base *base;

	KUNIT_ASSERT_EQ(test, arm_later(f, 0), 0);
	base = f->t[0].base;
	KUNIT_EXPECT_EQ(test, arm_later(f, 0), 1);
	KUNIT_EXPECT_EQ(test, gotimer_reset(&f->t[0], gotimer_now() + HOUR_NS), 1);
	KUNIT_EXPECT_PTR_EQ(test, f->t[0].base, base);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->t[0].status), GOTIMER_MODIFIED);
}

static void modify_stopped_returns_0(struct kunit *test)
{
	struct api_fixture *f = test->priv;

	KUNIT_ASSERT_EQ(test, arm_later(f, 0), 0);
	KUNIT_ASSERT_TRUE(test, gotimer_stop(&f->t[0]));
	KUNIT_EXPECT_EQ(test, arm_later(f, 0), 0);
	KUNIT_EXPECT_EQ(test, arm_later(f, 0), 1);
}

static void stop_pending_returns_true_once(struct kunit *test)
{
	struct api_fixture *f = test->priv;

	KUNIT_EXPECT_FALSE(test, gotimer_stop(&f->t[0]));
	KUNIT_ASSERT_EQ(test, arm_later(f, 0), 0);
	KUNIT_EXPECT_TRUE(test, gotimer_stop(&f->t[0]));
	KUNIT_EXPECT_FALSE(test, gotimer_stop(&f->t[0]));
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&f->t[0]));
	KUNIT_EXPECT_PTR_EQ(test, f->t[0].base, NULL);
	/* modified, then stopped */
	KUNIT_ASSERT_EQ(test, arm_later(f, 1), 0);
	KUNIT_ASSERT_EQ(test, arm_later(f, 1), 1);
	KUNIT_EXPECT_TRUE(test, gotimer_stop_sync(&f->t[1]));
	KUNIT_EXPECT_FALSE(test, gotimer_stop(&f->t[1]));
	KUNIT_EXPECT_EQ(test, atomic_read(&f->fired), 0);
}

static void stop_after_fire_returns_false(struct kunit *test)
{
	struct api_fixture *f = test->priv;

	KUNIT_ASSERT_EQ(test, gotimer_modify(&f->t[0], gotimer_now(), 0,
					     api_fire, f, 0), 0);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&f->done, 60 * HZ), 0UL);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->fired), 1);
	KUNIT_EXPECT_FALSE(test, gotimer_stop(&f->t[0]));
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&f->t[0]));
	KUNIT_EXPECT_EQ(test, atomic_read(&f->t[0].status), GOTIMER_REMOVED);
}

struct bad_args {
	const char *what;
	s64 when_offset;	/* 0: when = 0 */
	s64 when_abs;
	s64 period;
	bool null_f;
};

static const struct bad_args bad_args_table[] = {
	{ "when == 0", 0, 0, 0, false },
	{ "when < 0", 0, -5, 0, false },
	{ "when == S64_MIN", 0, S64_MIN, 0, false },
	{ "period < 0", HOUR_NS, 0, -1, false },
	{ "f == NULL", HOUR_NS, 0, 0, true },
};

static void check_bad_args(struct kunit *test, struct gotimer *t,
			   struct api_fixture *f)
{
	struct gotimer before;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_args_table); i++) {
		const struct bad_args *b = &bad_args_table[i];
		s64 when = b->when_offset ? gotimer_now() + b->when_offset :
					    b->when_abs;

		before = *t;
		KUNIT_EXPECT_EQ_MSG(test, gotimer_modify(t, when, b->period,
							 b->null_f ? NULL : api_fire,
							 f, 9), -EINVAL,
				    "%s", b->what);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(&before, t, sizeof(*t)), 0,
				    "%s changed the timer", b->what);
	}
	before = *t;
	KUNIT_EXPECT_EQ(test, gotimer_reset(t, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, gotimer_reset(t, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, memcmp(&before, t, sizeof(*t)), 0);
}

static void invalid_arguments_return_einval_and_change_nothing(struct kunit *test)
{
	struct api_fixture *f = test->priv;

	check_bad_args(test, &f->t[0], f);		/* idle */
	KUNIT_EXPECT_EQ(test, atomic_read(&f->t[0].status), GOTIMER_REMOVED);
	KUNIT_ASSERT_EQ(test, arm_later(f, 1), 0);
	check_bad_args(test, &f->t[1], f);		/* pending */
	KUNIT_EXPECT_EQ(test, atomic_read(&f->t[1].status), GOTIMER_WAITING);
	KUNIT_EXPECT_TRUE(test, gotimer_stop(&f->t[1]));
}

static void reset_of_never_armed_timer_is_einval(struct kunit *test)
{
	struct api_fixture *f = test->priv;

	KUNIT_EXPECT_EQ(test, gotimer_reset(&f->t[0], gotimer_now() + HOUR_NS),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->t[0].status), GOTIMER_REMOVED);
	KUNIT_EXPECT_PTR_EQ(test, f->t[0].base, NULL);
}

static void reset_keeps_function_arg_seq_and_period(struct kunit *test)
{
	struct api_fixture *f = test->priv;

	KUNIT_ASSERT_EQ(test, gotimer_modify(&f->t[0], gotimer_now() + HOUR_NS,
					     HOUR_NS, api_fire, f, 42), 0);
	KUNIT_ASSERT_TRUE(test, gotimer_stop_sync(&f->t[0]));
	KUNIT_EXPECT_EQ(test, gotimer_reset(&f->t[0], gotimer_now() + HOUR_NS), 0);
	KUNIT_EXPECT_TRUE(test, f->t[0].f == api_fire);
	KUNIT_EXPECT_PTR_EQ(test, f->t[0].arg, (void *)f);
	KUNIT_EXPECT_EQ(test, f->t[0].seq, 42UL);
	KUNIT_EXPECT_EQ(test, f->t[0].period, HOUR_NS);
}

static void zero_filled_timer_is_idle(struct kunit *test)
{
	struct gotimer *t = kzalloc(sizeof(*t), GFP_KERNEL);
	struct api_fixture *f = test->priv;

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_FALSE(test, gotimer_stop(t));
	KUNIT_EXPECT_EQ(test, gotimer_modify(t, gotimer_now() + HOUR_NS, 0,
					     api_fire, f, 0), 0);
	KUNIT_EXPECT_TRUE(test, gotimer_stop_sync(t));
	kfree(t);
}

static DEFINE_SPINLOCK(api_test_lock);

static void callable_with_spinlock_held_and_preemption_off(struct kunit *test)
{
	struct api_fixture *f = test->priv;
	int armed, rearmed, cpu;
	bool stopped;

	spin_lock(&api_test_lock);
	armed = arm_later(f, 0);
	rearmed = arm_later(f, 0);
	stopped = gotimer_stop(&f->t[0]);
	spin_unlock(&api_test_lock);
	KUNIT_EXPECT_EQ(test, armed, 0);
	KUNIT_EXPECT_EQ(test, rearmed, 1);
	KUNIT_EXPECT_TRUE(test, stopped);

	/*
	 * Room on every CPU first: with preemption off a full heap could only
	 * grow with GFP_ATOMIC, and on PREEMPT_RT not at all (next case).
	 */
	for_each_online_cpu(cpu) {
		struct gotimer_base *b = gotimer_cpu_base(cpu);

		KUNIT_ASSERT_EQ(test, gotimer_base_reserve(b, READ_ONCE(b->heap.len) + 2,
							   GFP_KERNEL), 0);
	}
	preempt_disable();
	armed = arm_later(f, 1);
	stopped = gotimer_stop(&f->t[1]);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, armed, 0);
	KUNIT_EXPECT_TRUE(test, stopped);
}

enum grow_ctx { GROW_TASK, GROW_RCU, GROW_SPINLOCK, GROW_NO_PREEMPT };

/*
 * Arm an idle timer on a private base with no slots, so the heap must grow
 * in the calling context: the allocation must suit it (a GFP_KERNEL one
 * under rcu_read_lock() or a spinlock is a "sleeping function called from
 * invalid context" splat, which fails the log check).
 */
static void grow_in_context(struct kunit *test, enum grow_ctx ctx, int expect)
{
	struct api_fixture *f = test->priv;
	struct gotimer_base *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct gotimer *t = &f->t[2];
	bool again;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, b);
	gotimer_base_init(b, -1);
	switch (ctx) {
	case GROW_TASK:
		ret = gotimer_modify_on(b, t, HOUR_NS, 0, api_fire, f, 2);
		break;
	case GROW_RCU:
		rcu_read_lock();
		ret = gotimer_modify_on(b, t, HOUR_NS, 0, api_fire, f, 2);
		rcu_read_unlock();
		break;
	case GROW_SPINLOCK:
		spin_lock(&api_test_lock);
		ret = gotimer_modify_on(b, t, HOUR_NS, 0, api_fire, f, 2);
		spin_unlock(&api_test_lock);
		break;
	default:
		preempt_disable();
		ret = gotimer_modify_on(b, t, HOUR_NS, 0, api_fire, f, 2);
		preempt_enable();
		break;
	}
	KUNIT_EXPECT_EQ_MSG(test, ret, expect, "context %d", ctx);
	if (ret == 0) {
		KUNIT_EXPECT_GE(test, b->heap.cap, 1U);
		KUNIT_EXPECT_EQ(test, b->heap.len, 1U);
		KUNIT_EXPECT_TRUE(test, gotimer_unheap(t, &again));
		KUNIT_EXPECT_FALSE(test, again);
	} else {
		/* -ENOMEM changes nothing */
		KUNIT_EXPECT_EQ(test, b->heap.cap, 0U);
		KUNIT_EXPECT_PTR_EQ(test, t->base, NULL);
		KUNIT_EXPECT_EQ(test, atomic_read(&t->status), (int)GOTIMER_REMOVED);
	}
	gotimer_base_destroy(b);
}

static void heap_grows_in_every_context_it_may(struct kunit *test)
{
	grow_in_context(test, GROW_TASK, 0);
	grow_in_context(test, GROW_RCU, 0);
	grow_in_context(test, GROW_SPINLOCK, 0);
	/* PREEMPT_RT: the slab allocator's locks sleep; no allocation here. */
	grow_in_context(test, GROW_NO_PREEMPT,
			IS_ENABLED(CONFIG_PREEMPT_RT) ? -ENOMEM : 0);
}

/*
 * Issue 13, item 4: growth that never guesses its context.  The worker
 * keeps the heap's headroom, in task context (gotimer_base_keep_room()):
 * a burst of arms on one CPU, from a task that passes a scheduling point
 * after each, gets its heap grown by the worker; the arms themselves
 * allocate at most for the first slots.  Without the worker's growth every
 * doubling falls to the caller.
 */
struct burst {
	struct gotimer *t;
	unsigned int n;
	unsigned int failed;
};

static long arm_burst(void *data)
{
	struct burst *b = data;
	unsigned int i;

	for (i = 0; i < b->n; i++) {
		if (gotimer_modify(&b->t[i], gotimer_now() + HOUR_NS, 0, api_fire,
				   NULL, i))
			b->failed++;
		cond_resched();
	}
	return 0;
}

static void worker_grows_the_heap_ahead_of_the_arms(struct kunit *test)
{
	int cpu = cpumask_last(cpu_online_mask);
	struct gotimer_base *base = gotimer_cpu_base(cpu);
	unsigned long worker0 = READ_ONCE(base->worker_growths), worker;
	long caller0 = atomic_long_read(&base->caller_growths), caller;
	struct burst b = { };
	unsigned int i;

	/* Enough to double the heap at least three times, whatever it holds. */
	b.n = 8 * READ_ONCE(base->heap.cap) + 1024;
	b.t = kvcalloc(b.n, sizeof(*b.t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b.t);
	KUNIT_EXPECT_EQ(test, work_on_cpu(cpu, arm_burst, &b), 0L);
	worker = READ_ONCE(base->worker_growths) - worker0;
	caller = atomic_long_read(&base->caller_growths) - caller0;
	for (i = 0; i < b.n; i++)
		gotimer_stop_sync(&b.t[i]);
	kvfree(b.t);
	kunit_info(test, "%u arms on cpu %d: %lu growths by the worker, %ld by the caller\n",
		   b.n, cpu, worker, caller);
	KUNIT_EXPECT_EQ(test, b.failed, 0U);
	KUNIT_EXPECT_GE(test, worker, 3UL);
	/* At most the first array, if the heap had none. */
	KUNIT_EXPECT_LE(test, caller, 1L);
}

/*
 * An arm after @n lazy stops, or with @later lazy moves to a later time,
 * of timers at the head of one CPU's heap: the heads it settled itself.
 */
struct lazy_burst {
	struct gotimer *t;		/* @n + 1 of them */
	unsigned int n;
	bool later;
	unsigned long settled;
	unsigned int failed;
};

static long arm_after_lazy_changes(void *data)
{
	struct lazy_burst *b = data;
	struct gotimer_base *base = gotimer_cpu_base(raw_smp_processor_id());
	s64 t0 = gotimer_now() + HOUR_NS;
	unsigned long before;
	unsigned int i;
	int ret;

	for (i = 0; i < b->n; i++) {
		b->failed += gotimer_modify(&b->t[i], t0 + i, 0, api_fire, NULL, i) != 0;
		cond_resched();
	}
	for (i = 0; i < b->n; i++) {
		if (b->later)
			ret = gotimer_modify(&b->t[i], t0 + HOUR_NS + i, 0, api_fire,
					     NULL, i);
		else
			ret = gotimer_stop(&b->t[i]);
		b->failed += ret != 1;
		cond_resched();
	}
	before = READ_ONCE(base->arm_settled);
	b->failed += gotimer_modify(&b->t[b->n], t0 + 3 * HOUR_NS, 0, api_fire,
				    NULL, b->n) != 0;
	b->settled = READ_ONCE(base->arm_settled) - before;
	return 0;
}

static unsigned long arm_settles_after(struct kunit *test, int cpu,
				       unsigned int n, bool later)
{
	struct lazy_burst b = { .n = n, .later = later };
	unsigned int i;

	/* No growth (and no kick of the worker for room) during the burst. */
	KUNIT_ASSERT_EQ(test, gotimer_reserve(n + 1), 0);
	b.t = kvcalloc(n + 1, sizeof(*b.t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b.t);
	KUNIT_EXPECT_EQ(test, work_on_cpu(cpu, arm_after_lazy_changes, &b), 0L);
	KUNIT_EXPECT_EQ(test, b.failed, 0U);
	/* Nothing lost: the moved timers and the last one are still pending. */
	for (i = 0; i <= n; i++)
		KUNIT_EXPECT_EQ(test, gotimer_stop_sync(&b.t[i]), later || i == n);
	kvfree(b.t);
	return b.settled;
}

/*
 * Defect 1 of issue 23: an arm [S5] settled every stale head itself, under
 * the raw heap lock with preemption off: O(n log n) after n lazy stops or
 * lazy moves to a later time.  It settles at most GOTIMER_ARM_CLEAN_MAX,
 * so ten times the stale heads cost the arm no more.
 */
static void arm_after_many_lazy_changes_settles_a_bounded_number_of_heads(struct kunit *test)
{
	int cpu = cpumask_last(cpu_online_mask);
	unsigned long stop2k = arm_settles_after(test, cpu, 2000, false);
	unsigned long stop20k = arm_settles_after(test, cpu, 20000, false);
	unsigned long later2k = arm_settles_after(test, cpu, 2000, true);
	unsigned long later20k = arm_settles_after(test, cpu, 20000, true);

	kunit_info(test, "heads settled by one arm: %lu / %lu after 2,000 / 20,000 lazy stops, %lu / %lu after as many moves later\n",
		   stop2k, stop20k, later2k, later20k);
	KUNIT_EXPECT_LE(test, stop2k, (unsigned long)GOTIMER_ARM_CLEAN_MAX);
	KUNIT_EXPECT_LE(test, stop20k, stop2k);
	KUNIT_EXPECT_LE(test, later2k, (unsigned long)GOTIMER_ARM_CLEAN_MAX);
	KUNIT_EXPECT_LE(test, later20k, later2k);
}

/*
 * gotimer_reserve(n) makes room for n arms of either kind on every online
 * CPU: the pinned and the unpinned base (issue 23, 8a).  The arms run with
 * preemption off on their CPU, so that its workers cannot grow the heaps
 * meanwhile: a heap without room could only grow in the caller's context,
 * which caller_growths counts.  n exceeds what either base has free, so
 * that without the reserve both would have to grow.
 */
struct reserve_arms {
	struct gotimer *t;
	unsigned int n;
	unsigned int failed;
};

static long arm_reserved(void *data)
{
	struct reserve_arms *a = data;
	unsigned int i;

	preempt_disable();
	for (i = 0; i < a->n; i++)
		if (gotimer_modify(&a->t[i], gotimer_now() + HOUR_NS, 0, api_fire,
				   NULL, i))
			a->failed++;
	preempt_enable();
	return 0;
}

static unsigned int free_slots(struct gotimer_base *b)
{
	return READ_ONCE(b->heap.cap) - READ_ONCE(b->heap.len);
}

static void reserve_grows_both_bases_of_each_cpu(struct kunit *test)
{
	int cpu = cpumask_last(cpu_online_mask);
	struct gotimer_base *base = gotimer_cpu_base(cpu);
	struct gotimer_base *ubase = gotimer_cpu_unpinned_base(cpu);
	struct reserve_arms pinned = { }, unpinned = { };
	long caller0, ucaller0;
	unsigned int i, n;

	n = max3(free_slots(base), free_slots(ubase), 1024U) + 1;
	KUNIT_ASSERT_LE_MSG(test, n, 1U << 16, "heaps too large for this case");
	pinned.n = n;
	unpinned.n = n;
	pinned.t = kvcalloc(n, sizeof(*pinned.t), GFP_KERNEL);
	unpinned.t = kvcalloc(n, sizeof(*unpinned.t), GFP_KERNEL);
	if (!pinned.t || !unpinned.t) {
		kvfree(pinned.t);
		kvfree(unpinned.t);
		KUNIT_FAIL(test, "no memory for %u timers", n);
		return;
	}
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, gotimer_init_flags(&unpinned.t[i],
							 GOTIMER_UNPINNED), 0);

	KUNIT_EXPECT_EQ(test, gotimer_reserve(n), 0);
	KUNIT_EXPECT_GE(test, free_slots(base), n);
	KUNIT_EXPECT_GE(test, free_slots(ubase), n);
	caller0 = atomic_long_read(&base->caller_growths);
	ucaller0 = atomic_long_read(&ubase->caller_growths);
	KUNIT_EXPECT_EQ(test, work_on_cpu(cpu, arm_reserved, &pinned), 0L);
	KUNIT_EXPECT_EQ(test, work_on_cpu(cpu, arm_reserved, &unpinned), 0L);
	KUNIT_EXPECT_EQ(test, pinned.failed, 0U);
	KUNIT_EXPECT_EQ(test, unpinned.failed, 0U);
	KUNIT_EXPECT_EQ_MSG(test, atomic_long_read(&base->caller_growths), caller0,
			    "%u pinned arms after gotimer_reserve(%u) grew the heap", n, n);
	KUNIT_EXPECT_EQ_MSG(test, atomic_long_read(&ubase->caller_growths), ucaller0,
			    "%u unpinned arms after gotimer_reserve(%u) grew the heap", n, n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_TRUE(test, gotimer_stop_sync(&pinned.t[i]));
		KUNIT_EXPECT_TRUE(test, gotimer_stop_sync(&unpinned.t[i]));
	}
	kvfree(pinned.t);
	kvfree(unpinned.t);
}

/*
 * A reserve no heap can hold is refused with -E2BIG before any allocation,
 * changing nothing (issue 23, 8b): it must not reach kvmalloc() past
 * INT_MAX bytes, which WARNs.  The WARN would also fail the boot test's
 * log check; here the taint says it, if no earlier WARN set it.
 */
static void reserve_beyond_any_heap_is_e2big(struct kunit *test)
{
	static const unsigned int sizes[] = {
		UINT_MAX, UINT_MAX / 2, INT_MAX / 4, GOTIMER_HEAP_MAX_SLOTS,
	};
	bool warned_before = test_taint(TAINT_WARN);
	unsigned int *cap[2], i;
	int cpu;

	cap[0] = kunit_kcalloc(test, nr_cpu_ids, sizeof(*cap[0]), GFP_KERNEL);
	cap[1] = kunit_kcalloc(test, nr_cpu_ids, sizeof(*cap[1]), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cap[0]);
	KUNIT_ASSERT_NOT_NULL(test, cap[1]);
	/* The CPUs stay online: only the hotplug suite takes them down. */
	for_each_online_cpu(cpu) {
		cap[0][cpu] = READ_ONCE(gotimer_cpu_base(cpu)->heap.cap);
		cap[1][cpu] = READ_ONCE(gotimer_cpu_unpinned_base(cpu)->heap.cap);
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		KUNIT_EXPECT_EQ_MSG(test, gotimer_reserve(sizes[i]), -E2BIG,
				    "gotimer_reserve(%u)", sizes[i]);
	for_each_online_cpu(cpu) {
		KUNIT_EXPECT_EQ(test, READ_ONCE(gotimer_cpu_base(cpu)->heap.cap),
				cap[0][cpu]);
		KUNIT_EXPECT_EQ(test, READ_ONCE(gotimer_cpu_unpinned_base(cpu)->heap.cap),
				cap[1][cpu]);
	}
	if (!warned_before)
		KUNIT_EXPECT_FALSE_MSG(test, test_taint(TAINT_WARN),
				       "a refused gotimer_reserve() WARNed");
	/* A reserve that fits is still made. */
	KUNIT_EXPECT_EQ(test, gotimer_reserve(16), 0);
}

/* What the API answered from interrupt context. */
struct irq_results {
	int modify_idle, modify_pending, reset_pending;
	bool stop_pending, stop_sync_pending;
	struct completion done;
	struct api_fixture *f;
};

static void call_api_from_interrupt(struct irq_results *r)
{
	struct api_fixture *f = r->f;

	r->modify_idle = gotimer_modify(&f->t[0], 1, 0, api_fire, f, 0);
	r->modify_pending = gotimer_modify(&f->t[1], 1, 0, api_fire, f, 1);
	r->reset_pending = gotimer_reset(&f->t[1], 1);
	r->stop_pending = gotimer_stop(&f->t[1]);
	r->stop_sync_pending = gotimer_stop_sync(&f->t[1]);
	complete(&r->done);
}

static struct irq_results *hard_results;

static enum hrtimer_restart hard_irq_fn(struct hrtimer *h)
{
	call_api_from_interrupt(hard_results);
	return HRTIMER_NORESTART;
}

static struct irq_results *soft_results;

static void soft_irq_fn(struct timer_list *tl)
{
	call_api_from_interrupt(soft_results);
}

static void expect_refused(struct kunit *test, struct irq_results *r,
			   struct gotimer *pending, const struct gotimer *before)
{
	KUNIT_EXPECT_EQ(test, r->modify_idle, -EINVAL);
	KUNIT_EXPECT_EQ(test, r->modify_pending, -EINVAL);
	KUNIT_EXPECT_EQ(test, r->reset_pending, -EINVAL);
	KUNIT_EXPECT_FALSE(test, r->stop_pending);
	KUNIT_EXPECT_FALSE(test, r->stop_sync_pending);
	KUNIT_EXPECT_EQ(test, memcmp(before, pending, sizeof(*pending)), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->f->t[0].status), GOTIMER_REMOVED);
}

/*
 * The status lock only disables preemption, so interrupts are refused
 * (first call: one warning, allowed by scripts/allowed-warnings).
 */
static void api_irq_context_refused(struct kunit *test)
{
	struct api_fixture *f = test->priv;
	struct irq_results *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct gotimer before;
	struct hrtimer hr;
	struct timer_list tl;

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_EQ(test, arm_later(f, 1), 0);
	before = f->t[1];
	r->f = f;

	/* hard interrupt */
	init_completion(&r->done);
	hard_results = r;
	hrtimer_setup(&hr, hard_irq_fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	hrtimer_start(&hr, ns_to_ktime(1000), HRTIMER_MODE_REL_HARD);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&r->done, 60 * HZ), 0UL);
	hrtimer_cancel(&hr);
	expect_refused(test, r, &f->t[1], &before);

	/* soft interrupt */
	memset(r, 0x55, offsetof(struct irq_results, done));
	init_completion(&r->done);
	soft_results = r;
	timer_setup_on_stack(&tl, soft_irq_fn, 0);
	mod_timer(&tl, jiffies + 1);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&r->done, 60 * HZ), 0UL);
	timer_delete_sync(&tl);
	destroy_timer_on_stack(&tl);
	expect_refused(test, r, &f->t[1], &before);
}

static struct kunit_case api_cases[] = {
	KUNIT_CASE(modify_idle_returns_0_and_lands_on_calling_cpu),
	KUNIT_CASE(modify_pending_returns_1_and_stays_put),
	KUNIT_CASE(modify_stopped_returns_0),
	KUNIT_CASE(stop_pending_returns_true_once),
	KUNIT_CASE(stop_after_fire_returns_false),
	KUNIT_CASE(invalid_arguments_return_einval_and_change_nothing),
	KUNIT_CASE(reset_of_never_armed_timer_is_einval),
	KUNIT_CASE(reset_keeps_function_arg_seq_and_period),
	KUNIT_CASE(zero_filled_timer_is_idle),
	KUNIT_CASE(callable_with_spinlock_held_and_preemption_off),
	KUNIT_CASE(heap_grows_in_every_context_it_may),
	KUNIT_CASE(worker_grows_the_heap_ahead_of_the_arms),
	KUNIT_CASE(arm_after_many_lazy_changes_settles_a_bounded_number_of_heads),
	KUNIT_CASE(reserve_grows_both_bases_of_each_cpu),
	KUNIT_CASE(reserve_beyond_any_heap_is_e2big),
	KUNIT_CASE(api_irq_context_refused),
	{}
};

static struct kunit_suite api_suite = {
	.name = "gotimer_api",
	.init = api_test_init,
	.exit = api_test_exit,
	.test_cases = api_cases,
};

kunit_test_suite(api_suite);
