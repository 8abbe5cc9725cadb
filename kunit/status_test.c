// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "gotimer_status": the status lock and one case per row of the
 * transition table in module/status.c ([S1]..[S16]).  Rows run on private
 * bases that no worker touches, with made-up times, so every intermediate
 * state can be checked.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include "internal.h"

struct status_fixture {
	struct gotimer_base a, b;
	struct gotimer_worker w;	/* runs @a by hand */
	struct gotimer t[8];
	int fired[8];
	int seen_status[8];
	bool seen_running[8];
	bool seen_pending[8];
};

static struct status_fixture *fx(struct kunit *test)
{
	return test->priv;
}

static void record_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct status_fixture *f = arg;

	f->fired[seq]++;
	f->seen_status[seq] = atomic_read(&f->t[seq].status);
	f->seen_running[seq] = READ_ONCE(f->w.current_timer) == &f->t[seq];
	f->seen_pending[seq] = gotimer_pending(&f->t[seq]);
}

static int status_test_init(struct kunit *test)
{
	struct status_fixture *f = kzalloc(sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	gotimer_base_init(&f->a, -1);
	gotimer_base_init(&f->b, -1);
	gotimer_worker_init_solo(&f->w, 0);
	test->priv = f;
	return 0;
}

static void status_test_exit(struct kunit *test)
{
	struct status_fixture *f = fx(test);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(f->t); i++)
		gotimer_stop_sync(&f->t[i]);
	KUNIT_EXPECT_EQ(test, f->a.heap.len, 0U);
	KUNIT_EXPECT_EQ(test, f->b.heap.len, 0U);
	gotimer_base_destroy(&f->a);
	gotimer_base_destroy(&f->b);
	kfree(f);
}

/* Arm f->t[i] on base a at @when (row [S5]). */
static void arm(struct kunit *test, unsigned int i, s64 when)
{
	struct status_fixture *f = fx(test);

	KUNIT_ASSERT_EQ(test, gotimer_modify_on(&f->a, &f->t[i], when, 0,
						record_fire, f, i), 0);
}

static int status_of(struct gotimer *t)
{
	return atomic_read(&t->status);
}

static bool in_heap(struct gotimer_base *base, struct gotimer *t)
{
	return t->idx < base->heap.len && gotimer_heap_at(&base->heap, t->idx) == t;
}

static void zero_timer_is_removed_and_init_makes_one(struct kunit *test)
{
	struct gotimer *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, GOTIMER_REMOVED, 0);
	KUNIT_EXPECT_EQ(test, status_of(t), GOTIMER_REMOVED);
	memset(t, 0x5a, sizeof(*t));
	gotimer_init(t);
	KUNIT_EXPECT_EQ(test, status_of(t), GOTIMER_REMOVED);
	KUNIT_EXPECT_PTR_EQ(test, t->base, NULL);
	KUNIT_EXPECT_PTR_EQ(test, t->f, NULL);
}

static void lock_returns_previous_status_with_preemption_off(struct kunit *test)
{
	struct gotimer *t = &fx(test)->t[0];
	int count = preempt_count();

	atomic_set(&t->status, GOTIMER_MODIFIED);
	KUNIT_EXPECT_EQ(test, gotimer_status_lock(t), GOTIMER_MODIFIED);
	KUNIT_EXPECT_EQ(test, status_of(t), GOTIMER_LOCKED);
	if (IS_ENABLED(CONFIG_PREEMPT_COUNT))
		KUNIT_EXPECT_EQ(test, preempt_count(), count + 1);
	gotimer_status_unlock(t, GOTIMER_REMOVED);
	KUNIT_EXPECT_EQ(test, status_of(t), GOTIMER_REMOVED);
	KUNIT_EXPECT_EQ(test, preempt_count(), count);
}

static void unlock_keep_preempt_leaves_preemption_off(struct kunit *test)
{
	struct gotimer *t = &fx(test)->t[0];
	int count = preempt_count();

	KUNIT_EXPECT_EQ(test, gotimer_status_lock(t), GOTIMER_REMOVED);
	gotimer_status_unlock_keep_preempt(t, GOTIMER_REMOVED);
	KUNIT_EXPECT_EQ(test, status_of(t), GOTIMER_REMOVED);
	if (IS_ENABLED(CONFIG_PREEMPT_COUNT))
		KUNIT_EXPECT_EQ(test, preempt_count(), count + 1);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, preempt_count(), count);
}

/*
 * Go's badTimer: a status outside the enum is reported, counted, and never
 * written.  This is the first bad timer of the run: its one-time warning is
 * the one scripts/allowed-warnings lets through.
 */
static void corrupt_status_is_reported_and_never_written(struct kunit *test)
{
	struct status_fixture *f = fx(test);
	struct gotimer *t = &f->t[0];
	long bad = atomic_long_read(&gotimer_bad_timers);

	atomic_set(&t->status, 42);
	KUNIT_EXPECT_FALSE(test, gotimer_stop_lazy(t));
	KUNIT_EXPECT_EQ(test, gotimer_modify_on(&f->a, t, 1000, 0, record_fire,
						f, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, status_of(t), 42);
	KUNIT_EXPECT_EQ(test, f->a.heap.len, 0U);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&gotimer_bad_timers), bad + 2);
	atomic_set(&t->status, GOTIMER_REMOVED);
}

static void s1_stop_waiting_becomes_stopped_in_heap(struct kunit *test)
{
	struct status_fixture *f = fx(test);

	arm(test, 0, 1000);
	KUNIT_EXPECT_TRUE(test, gotimer_stop_lazy(&f->t[0]));
	KUNIT_EXPECT_EQ(test, status_of(&f->t[0]), GOTIMER_MODIFIED);
	KUNIT_EXPECT_EQ(test, f->t[0].nextwhen, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->a.deleted), 1);
	/* Lazy: still in the heap, at its old time. */
	KUNIT_EXPECT_TRUE(test, in_heap(&f->a, &f->t[0]));
	KUNIT_EXPECT_PTR_EQ(test, f->t[0].base, &f->a);
	KUNIT_EXPECT_EQ(test, f->t[0].when, 1000);
}

static void s2_stop_modified_pending(struct kunit *test)
{
	struct status_fixture *f = fx(test);

	arm(test, 0, 1000);
	KUNIT_ASSERT_EQ(test, gotimer_modify_on(&f->a, &f->t[0], 2000, 0,
						record_fire, f, 0), 1);
	KUNIT_EXPECT_TRUE(test, gotimer_stop_lazy(&f->t[0]));
	KUNIT_EXPECT_EQ(test, status_of(&f->t[0]), GOTIMER_MODIFIED);
	KUNIT_EXPECT_EQ(test, f->t[0].nextwhen, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->a.deleted), 1);
}

static void s3_stop_stopped_is_not_pending(struct kunit *test)
{
	struct status_fixture *f = fx(test);

	arm(test, 0, 1000);
	KUNIT_ASSERT_TRUE(test, gotimer_stop_lazy(&f->t[0]));
	KUNIT_EXPECT_FALSE(test, gotimer_stop_lazy(&f->t[0]));
	KUNIT_EXPECT_EQ(test, status_of(&f->t[0]), GOTIMER_MODIFIED);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->a.deleted), 1);
}

static void s4_stop_removed_is_not_pending(struct kunit *test)
{
	struct status_fixture *f = fx(test);

	KUNIT_EXPECT_FALSE(test, gotimer_stop_lazy(&f->t[0]));
	KUNIT_EXPECT_EQ(test, status_of(&f->t[0]), GOTIMER_REMOVED);
	KUNIT_EXPECT_PTR_EQ(test, f->t[0].base, NULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->a.deleted), 0);
}

static void s5_modify_removed_adds_to_local_heap(struct kunit *test)
{
	struct status_fixture *f = fx(test);

	arm(test, 0, 3000);
	arm(test, 1, 1000);
	KUNIT_EXPECT_EQ(test, status_of(&f->t[0]), GOTIMER_WAITING);
	KUNIT_EXPECT_PTR_EQ(test, f->t[0].base, &f->a);
	KUNIT_EXPECT_TRUE(test, in_heap(&f->a, &f->t[0]));
	KUNIT_EXPECT_TRUE(test, in_heap(&f->a, &f->t[1]));
	KUNIT_EXPECT_PTR_EQ(test, gotimer_heap_at(&f->a.heap, 0), &f->t[1]);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->a.timer0_when), 1000);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->a.ntimers), 2);
	KUNIT_EXPECT_EQ(test, f->t[0].seq, 0UL);
	KUNIT_EXPECT_PTR_EQ(test, f->t[0].arg, (void *)f);
}

/* [S5]'s window: the arm of t[0] at 1000, from a kthread on another CPU. */
struct s5_window {
	struct status_fixture *f;
	int ret;
	struct completion done;
};

static int s5_window_arm_thread(void *arg)
{
	struct s5_window *w = arg;

	w->ret = gotimer_modify_on(&w->f->a, &w->f->t[0], 1000, 0, record_fire,
				   w->f, 0);
	complete(&w->done);
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/*
 * [S5]'s window (issue 23, defect 4).  This CPU holds base a's heap lock
 * while a kthread on another CPU arms t[0] at 1000, so the arm stops in
 * the window: Waiting, ->base set, not in the heap.  Meanwhile t[0] is
 * modified to 500 ([S6]: modified_earliest = 500) and base a adjusted at
 * 500 ([S10], which clears modified_earliest), as a thief would.  Once
 * added, t[0] must count at 500: the base's earliest time is 500 and a run
 * at 500 fires it.  Nothing is asserted under the raw lock (a failure
 * report may allocate); the wait for the window is bounded.
 */
static void s5_window_keeps_a_modify_earlier_across_an_adjust(struct kunit *test)
{
	struct status_fixture *f = fx(test);
	struct s5_window *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	bool reached = false, adding = false;
	struct task_struct *k;
	int other, pending = -1;
	u64 deadline;

	KUNIT_ASSERT_NOT_NULL(test, w);
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two online CPUs");
	KUNIT_ASSERT_EQ(test, gotimer_base_reserve(&f->a, 16, GFP_KERNEL), 0);
	w->f = f;
	init_completion(&w->done);
	migrate_disable();
	other = cpumask_any_but(cpu_online_mask, raw_smp_processor_id());
	k = kthread_create_on_cpu(s5_window_arm_thread, w, other, "gt_s5/%u");
	if (IS_ERR(k)) {
		migrate_enable();
		KUNIT_FAIL(test, "kthread_create_on_cpu: %ld", PTR_ERR(k));
		return;
	}

	raw_spin_lock(&f->a.lock);
	wake_up_process(k);
	deadline = ktime_get_ns() + NSEC_PER_SEC;
	while (!(reached = atomic_read_acquire(&f->t[0].status) == GOTIMER_WAITING) &&
	       ktime_get_ns() < deadline)
		cpu_relax();
	if (reached) {
		adding = f->t[0].idx == GOTIMER_IDX_ADDING;
		pending = gotimer_modify_on(&f->a, &f->t[0], 500, 0, record_fire,
					    f, 0);
		gotimer_adjust(&f->a, 500, false);
	}
	raw_spin_unlock(&f->a.lock);
	migrate_enable();

	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&w->done, 10 * HZ));
	kthread_stop(k);
	KUNIT_ASSERT_TRUE_MSG(test, reached, "the arm never reached the window");
	KUNIT_EXPECT_TRUE(test, adding);
	KUNIT_EXPECT_EQ(test, pending, 1);
	KUNIT_EXPECT_EQ(test, w->ret, 0);
	KUNIT_EXPECT_EQ(test, f->a.adjusted, 1UL);
	KUNIT_EXPECT_EQ(test, gotimer_base_next(&f->a), 500);
	KUNIT_EXPECT_EQ(test, gotimer_run_due(&f->a, 500, &f->w), 1U);
	KUNIT_EXPECT_EQ(test, f->fired[0], 1);
}

static void s6_modify_waiting_is_lazy(struct kunit *test)
{
	struct status_fixture *f = fx(test);

	arm(test, 0, 5000);
	arm(test, 1, 6000);
	/* Later: no hint needed, the head check will find it. */
	KUNIT_EXPECT_EQ(test, gotimer_modify_on(&f->a, &f->t[1], 9000, 0,
						record_fire, f, 1), 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->a.modified_earliest), 0);
	/* Earlier: modified_earliest must say so. */
	KUNIT_EXPECT_EQ(test, gotimer_modify_on(&f->a, &f->t[0], 3000, 0,
						record_fire, f, 0), 1);
	KUNIT_EXPECT_EQ(test, status_of(&f->t[0]), GOTIMER_MODIFIED);
	KUNIT_EXPECT_EQ(test, f->t[0].nextwhen, 3000);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->a.modified_earliest), 3000);
	/* The heap itself was not touched. */
	KUNIT_EXPECT_EQ(test, f->t[0].when, 5000);
	KUNIT_EXPECT_EQ(test, f->t[1].when, 6000);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->a.timer0_when), 5000);
}

static void s7_modify_modified_pending_and_stopped(struct kunit *test)
{
	struct status_fixture *f = fx(test);

	arm(test, 0, 5000);
	KUNIT_ASSERT_EQ(test, gotimer_modify_on(&f->a, &f->t[0], 7000, 0,
						record_fire, f, 0), 1);
	KUNIT_EXPECT_EQ(test, gotimer_modify_on(&f->a, &f->t[0], 8000, 0,
						record_fire, f, 0), 1);
	KUNIT_EXPECT_EQ(test, f->t[0].nextwhen, 8000);
	KUNIT_ASSERT_TRUE(test, gotimer_stop_lazy(&f->t[0]));
	KUNIT_ASSERT_EQ(test, atomic_read(&f->a.deleted), 1);
	/* Re-arming a stopped timer still in the heap: not pending. */
	KUNIT_EXPECT_EQ(test, gotimer_modify_on(&f->a, &f->t[0], 4000, 0,
						record_fire, f, 0), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->a.deleted), 0);
	KUNIT_EXPECT_EQ(test, status_of(&f->t[0]), GOTIMER_MODIFIED);
	KUNIT_EXPECT_EQ(test, f->t[0].nextwhen, 4000);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->a.modified_earliest), 4000);
	KUNIT_EXPECT_EQ(test, f->a.heap.len, 1U);
}

static void reset_reuses_callback_and_refuses_never_armed(struct kunit *test)
{
	struct status_fixture *f = fx(test);

	KUNIT_EXPECT_EQ(test, gotimer_reset_on(&f->a, &f->t[2], 1000), -EINVAL);
	KUNIT_EXPECT_EQ(test, status_of(&f->t[2]), GOTIMER_REMOVED);
	KUNIT_ASSERT_EQ(test, gotimer_modify_on(&f->a, &f->t[2], 1000, 77,
						record_fire, f, 2), 0);
	KUNIT_EXPECT_EQ(test, gotimer_reset_on(&f->a, &f->t[2], 2000), 1);
	KUNIT_EXPECT_EQ(test, f->t[2].nextwhen, 2000);
	KUNIT_EXPECT_EQ(test, f->t[2].period, 77);
	KUNIT_EXPECT_EQ(test, f->t[2].seq, 2UL);
	KUNIT_EXPECT_PTR_EQ(test, f->t[2].arg, (void *)f);
	KUNIT_EXPECT_EQ(test, gotimer_reset_on(&f->a, &f->t[2], 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, f->t[2].nextwhen, 2000);
}

static void clean_head(struct gotimer_base *base)
{
	raw_spin_lock(&base->lock);
	gotimer_clean_head(base, UINT_MAX);
	raw_spin_unlock(&base->lock);
}

static void s8_clean_head_drops_stopped_head(struct kunit *test)
{
	struct status_fixture *f = fx(test);

	arm(test, 0, 1000);
	arm(test, 1, 2000);
	KUNIT_ASSERT_TRUE(test, gotimer_stop_lazy(&f->t[0]));
	clean_head(&f->a);
	KUNIT_EXPECT_EQ(test, status_of(&f->t[0]), GOTIMER_REMOVED);
	KUNIT_EXPECT_PTR_EQ(test, f->t[0].base, NULL);
	KUNIT_EXPECT_EQ(test, f->a.heap.len, 1U);
	KUNIT_EXPECT_PTR_EQ(test, gotimer_heap_at(&f->a.heap, 0), &f->t[1]);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->a.deleted), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->a.timer0_when), 2000);
	KUNIT_EXPECT_EQ(test, f->fired[0], 0);
}

static void s9_clean_head_moves_modified_head(struct kunit *test)
{
	struct status_fixture *f = fx(test);

	arm(test, 0, 1000);
	arm(test, 1, 2000);
	KUNIT_ASSERT_EQ(test, gotimer_modify_on(&f->a, &f->t[0], 3000, 0,
						record_fire, f, 0), 1);
	clean_head(&f->a);
	KUNIT_EXPECT_EQ(test, status_of(&f->t[0]), GOTIMER_WAITING);
	KUNIT_EXPECT_EQ(test, f->t[0].when, 3000);
	KUNIT_EXPECT_PTR_EQ(test, gotimer_heap_at(&f->a.heap, 0), &f->t[1]);
	KUNIT_EXPECT_EQ(test, gotimer_heap_verify(&f->a.heap), -1);
	/* A Waiting head stops the cleaning: t[1] stays untouched. */
	KUNIT_EXPECT_EQ(test, status_of(&f->t[1]), GOTIMER_WAITING);
}

static void adjust(struct gotimer_base *base, s64 now, bool force)
{
	raw_spin_lock(&base->lock);
	gotimer_adjust(base, now, force);
	raw_spin_unlock(&base->lock);
}

static void s10_adjust_settles_every_modified_timer(struct kunit *test)
{
	struct status_fixture *f = fx(test);
	unsigned int i;

	for (i = 0; i < 8; i++)
		arm(test, i, 1000 * (i + 1));
	/* 0, 2, 4 stopped; 1 earlier; 7 earlier than everything; 5 later */
	for (i = 0; i < 6; i += 2)
		KUNIT_ASSERT_TRUE(test, gotimer_stop_lazy(&f->t[i]));
	KUNIT_ASSERT_EQ(test, gotimer_modify_on(&f->a, &f->t[1], 1500, 0,
						record_fire, f, 1), 1);
	KUNIT_ASSERT_EQ(test, gotimer_modify_on(&f->a, &f->t[7], 500, 0,
						record_fire, f, 7), 1);
	KUNIT_ASSERT_EQ(test, gotimer_modify_on(&f->a, &f->t[5], 20000, 0,
						record_fire, f, 5), 1);
	KUNIT_ASSERT_EQ(test, atomic64_read(&f->a.modified_earliest), 500);

	/* Not due yet and few enough stopped: skipped. */
	f->a.adjusted = 0;
	adjust(&f->a, 499, false);
	KUNIT_EXPECT_EQ(test, f->a.adjusted, 0UL);
	KUNIT_EXPECT_EQ(test, status_of(&f->t[7]), GOTIMER_MODIFIED);

	adjust(&f->a, 500, false);
	KUNIT_EXPECT_EQ(test, f->a.adjusted, 1UL);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->a.modified_earliest), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->a.deleted), 0);
	KUNIT_EXPECT_EQ(test, f->a.heap.len, 5U);
	KUNIT_EXPECT_EQ(test, gotimer_heap_verify(&f->a.heap), -1);
	for (i = 0; i < 6; i += 2) {
		KUNIT_EXPECT_EQ(test, status_of(&f->t[i]), GOTIMER_REMOVED);
		KUNIT_EXPECT_PTR_EQ(test, f->t[i].base, NULL);
	}
	KUNIT_EXPECT_EQ(test, f->t[1].when, 1500);
	KUNIT_EXPECT_EQ(test, f->t[5].when, 20000);
	KUNIT_EXPECT_EQ(test, f->t[7].when, 500);
	KUNIT_EXPECT_PTR_EQ(test, gotimer_heap_at(&f->a.heap, 0), &f->t[7]);
	for (i = 1; i < 8; i += 2)
		KUNIT_EXPECT_EQ(test, status_of(&f->t[i]), GOTIMER_WAITING);
}

static void s10_adjust_forced_by_stopped_timers(struct kunit *test)
{
	struct status_fixture *f = fx(test);

	arm(test, 0, 1000);
	arm(test, 1, 2000);
	KUNIT_ASSERT_TRUE(test, gotimer_stop_lazy(&f->t[1]));
	KUNIT_ASSERT_EQ(test, atomic64_read(&f->a.modified_earliest), 0);
	adjust(&f->a, 0, true);
	KUNIT_EXPECT_EQ(test, f->a.adjusted, 1UL);
	KUNIT_EXPECT_EQ(test, status_of(&f->t[1]), GOTIMER_REMOVED);
	KUNIT_EXPECT_EQ(test, f->a.heap.len, 1U);
	/* run_due forces it too once stopped timers pass len/4. */
	KUNIT_ASSERT_TRUE(test, gotimer_stop_lazy(&f->t[0]));
	KUNIT_EXPECT_EQ(test, gotimer_run_due(&f->a, 1, &f->w), 0U);
	KUNIT_EXPECT_EQ(test, f->a.heap.len, 0U);
	KUNIT_EXPECT_EQ(test, f->a.adjusted, 2UL);
}

static void s11_run_one_shot_removes_then_calls(struct kunit *test)
{
	struct status_fixture *f = fx(test);

	arm(test, 0, 1000);
	arm(test, 1, 1001);
	KUNIT_EXPECT_EQ(test, gotimer_run_due(&f->a, 999, &f->w), 0U);
	KUNIT_EXPECT_EQ(test, f->fired[0], 0);
	KUNIT_EXPECT_EQ(test, gotimer_run_due(&f->a, 1000, &f->w), 1U);
	KUNIT_EXPECT_EQ(test, f->fired[0], 1);
	KUNIT_EXPECT_EQ(test, f->fired[1], 0);
	/* During the callback: Removed, out of the heap, and ->running. */
	KUNIT_EXPECT_EQ(test, f->seen_status[0], GOTIMER_REMOVED);
	KUNIT_EXPECT_TRUE(test, f->seen_running[0]);
	KUNIT_EXPECT_PTR_EQ(test, f->t[0].base, NULL);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(f->w.current_timer), NULL);
	KUNIT_EXPECT_EQ(test, f->a.heap.len, 1U);
	KUNIT_EXPECT_EQ(test, f->a.fired, 1UL);
}

static void s12_run_periodic_stays_waiting(struct kunit *test)
{
	struct status_fixture *f = fx(test);

	KUNIT_ASSERT_EQ(test, gotimer_modify_on(&f->a, &f->t[0], 1000, 100,
						record_fire, f, 0), 0);
	KUNIT_EXPECT_EQ(test, gotimer_run_due(&f->a, 1250, &f->w), 1U);
	KUNIT_EXPECT_EQ(test, f->fired[0], 1);
	KUNIT_EXPECT_EQ(test, f->seen_status[0], GOTIMER_WAITING);
	KUNIT_EXPECT_EQ(test, status_of(&f->t[0]), GOTIMER_WAITING);
	KUNIT_EXPECT_EQ(test, f->t[0].when, 1300);
	KUNIT_EXPECT_TRUE(test, in_heap(&f->a, &f->t[0]));
}

static void s13_s15_move_adopts_every_state(struct kunit *test)
{
	struct status_fixture *f = fx(test);
	unsigned int i;

	for (i = 0; i < 5; i++)
		arm(test, i, 1000 * (i + 1));
	/* t0 Waiting [S13]; t1 earlier, t2 later [S14]; t3 stopped [S15] */
	KUNIT_ASSERT_EQ(test, gotimer_modify_on(&f->a, &f->t[1], 100, 0,
						record_fire, f, 1), 1);
	KUNIT_ASSERT_EQ(test, gotimer_modify_on(&f->a, &f->t[2], 9000, 0,
						record_fire, f, 2), 1);
	KUNIT_ASSERT_TRUE(test, gotimer_stop_lazy(&f->t[3]));

	/* No room reserved: refused, nothing moved. */
	KUNIT_EXPECT_EQ(test, gotimer_base_move(&f->a, &f->b), -ENOSPC);
	KUNIT_EXPECT_EQ(test, f->a.heap.len, 5U);
	KUNIT_EXPECT_EQ(test, status_of(&f->t[0]), GOTIMER_WAITING);

	KUNIT_ASSERT_EQ(test, gotimer_modify_on(&f->b, &f->t[5], 2500, 0,
						record_fire, f, 5), 0);
	KUNIT_ASSERT_EQ(test, gotimer_base_reserve(&f->b, 16, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, gotimer_base_move(&f->a, &f->b), 4);
	KUNIT_EXPECT_EQ(test, f->a.heap.len, 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->a.deleted), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->a.timer0_when), 0);
	KUNIT_EXPECT_EQ(test, f->b.heap.len, 5U);
	KUNIT_EXPECT_EQ(test, gotimer_heap_verify(&f->b.heap), -1);
	KUNIT_EXPECT_EQ(test, f->a.moved_out, 4UL);
	KUNIT_EXPECT_EQ(test, f->b.moved_in, 4UL);
	KUNIT_EXPECT_EQ(test, status_of(&f->t[3]), GOTIMER_REMOVED);
	KUNIT_EXPECT_PTR_EQ(test, f->t[3].base, NULL);
	for (i = 0; i < 5; i++) {
		if (i == 3)
			continue;
		KUNIT_EXPECT_EQ(test, status_of(&f->t[i]), GOTIMER_WAITING);
		KUNIT_EXPECT_PTR_EQ(test, f->t[i].base, &f->b);
		KUNIT_EXPECT_TRUE(test, in_heap(&f->b, &f->t[i]));
	}
	KUNIT_EXPECT_EQ(test, f->t[1].when, 100);
	KUNIT_EXPECT_EQ(test, f->t[2].when, 9000);
	KUNIT_EXPECT_PTR_EQ(test, gotimer_heap_at(&f->b.heap, 0), &f->t[1]);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->b.timer0_when), 100);
}

static void s16_stop_sync_takes_timer_out_of_heap(struct kunit *test)
{
	struct status_fixture *f = fx(test);

	arm(test, 0, 1000);
	arm(test, 1, 2000);
	KUNIT_EXPECT_TRUE(test, gotimer_stop_sync(&f->t[0]));
	KUNIT_EXPECT_EQ(test, status_of(&f->t[0]), GOTIMER_REMOVED);
	KUNIT_EXPECT_PTR_EQ(test, f->t[0].base, NULL);
	KUNIT_EXPECT_EQ(test, f->a.heap.len, 1U);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->a.deleted), 0);
	/* Already lazily stopped: removed too, but was not pending. */
	KUNIT_ASSERT_TRUE(test, gotimer_stop_lazy(&f->t[1]));
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&f->t[1]));
	KUNIT_EXPECT_EQ(test, f->a.heap.len, 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->a.deleted), 0);
	KUNIT_EXPECT_EQ(test, f->fired[0] + f->fired[1], 0);
}

static void removed_timer_in_heap_is_dropped_not_written(struct kunit *test)
{
	struct status_fixture *f = fx(test);
	long bad = atomic_long_read(&gotimer_bad_timers);

	arm(test, 0, 1000);
	/* Corrupt it behind gotimer's back. */
	atomic_set(&f->t[0].status, GOTIMER_REMOVED);
	KUNIT_EXPECT_EQ(test, gotimer_run_due(&f->a, 2000, &f->w), 0U);
	KUNIT_EXPECT_EQ(test, f->fired[0], 0);
	KUNIT_EXPECT_EQ(test, f->a.heap.len, 0U);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&gotimer_bad_timers), bad + 1);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&f->a.corrupt), 1L);
	/* Untouched: still claims base a, status as we left it. */
	KUNIT_EXPECT_PTR_EQ(test, f->t[0].base, &f->a);
	KUNIT_EXPECT_EQ(test, status_of(&f->t[0]), GOTIMER_REMOVED);
	f->t[0].base = NULL;
}

/*
 * gotimer_pending() in each state: Removed (zero-filled, stopped and taken
 * out [S16], run one-shot [S11]), Waiting [S5], Modified with a new time
 * [S6] or stopped [S2]; inside the callback of a one-shot timer [S11]
 * (not pending) and of a periodic one [S12] (pending).
 */
static void pending_in_each_state(struct kunit *test)
{
	struct status_fixture *f = fx(test);
	struct gotimer *t = &f->t[0], *p = &f->t[1];

	KUNIT_EXPECT_FALSE(test, gotimer_pending(t));
	arm(test, 0, 1000);
	KUNIT_EXPECT_EQ(test, status_of(t), GOTIMER_WAITING);
	KUNIT_EXPECT_TRUE(test, gotimer_pending(t));
	KUNIT_EXPECT_EQ(test, gotimer_modify_on(&f->a, t, 2000, 0, record_fire,
						f, 0), 1);
	KUNIT_EXPECT_EQ(test, status_of(t), GOTIMER_MODIFIED);
	KUNIT_EXPECT_TRUE(test, gotimer_pending(t));
	KUNIT_EXPECT_TRUE(test, gotimer_stop(t));
	KUNIT_EXPECT_EQ(test, status_of(t), GOTIMER_MODIFIED);
	KUNIT_EXPECT_FALSE(test, gotimer_pending(t));
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(t));
	KUNIT_EXPECT_EQ(test, status_of(t), GOTIMER_REMOVED);
	KUNIT_EXPECT_FALSE(test, gotimer_pending(t));

	arm(test, 0, 1000);
	KUNIT_ASSERT_EQ(test, gotimer_modify_on(&f->a, p, 1000, 500,
						record_fire, f, 1), 0);
	KUNIT_EXPECT_EQ(test, gotimer_run_due(&f->a, 1000, &f->w), 2U);
	KUNIT_EXPECT_EQ(test, f->fired[0], 1);
	KUNIT_EXPECT_EQ(test, f->fired[1], 1);
	KUNIT_EXPECT_FALSE(test, f->seen_pending[0]);
	KUNIT_EXPECT_TRUE(test, f->seen_pending[1]);
	KUNIT_EXPECT_FALSE(test, gotimer_pending(t));
	KUNIT_EXPECT_TRUE(test, gotimer_pending(p));
	KUNIT_EXPECT_TRUE(test, gotimer_stop_sync(p));
	KUNIT_EXPECT_FALSE(test, gotimer_pending(p));
}

static struct kunit_case status_cases[] = {
	KUNIT_CASE(zero_timer_is_removed_and_init_makes_one),
	KUNIT_CASE(lock_returns_previous_status_with_preemption_off),
	KUNIT_CASE(unlock_keep_preempt_leaves_preemption_off),
	KUNIT_CASE(corrupt_status_is_reported_and_never_written),
	KUNIT_CASE(s1_stop_waiting_becomes_stopped_in_heap),
	KUNIT_CASE(s2_stop_modified_pending),
	KUNIT_CASE(s3_stop_stopped_is_not_pending),
	KUNIT_CASE(s4_stop_removed_is_not_pending),
	KUNIT_CASE(s5_modify_removed_adds_to_local_heap),
	KUNIT_CASE(s5_window_keeps_a_modify_earlier_across_an_adjust),
	KUNIT_CASE(s6_modify_waiting_is_lazy),
	KUNIT_CASE(s7_modify_modified_pending_and_stopped),
	KUNIT_CASE(reset_reuses_callback_and_refuses_never_armed),
	KUNIT_CASE(s8_clean_head_drops_stopped_head),
	KUNIT_CASE(s9_clean_head_moves_modified_head),
	KUNIT_CASE(s10_adjust_settles_every_modified_timer),
	KUNIT_CASE(s10_adjust_forced_by_stopped_timers),
	KUNIT_CASE(s11_run_one_shot_removes_then_calls),
	KUNIT_CASE(s12_run_periodic_stays_waiting),
	KUNIT_CASE(s13_s15_move_adopts_every_state),
	KUNIT_CASE(s16_stop_sync_takes_timer_out_of_heap),
	KUNIT_CASE(removed_timer_in_heap_is_dropped_not_written),
	KUNIT_CASE(pending_in_each_state),
	{}
};

static struct kunit_suite status_suite = {
	.name = "gotimer_status",
	.init = status_test_init,
	.exit = status_test_exit,
	.test_cases = status_cases,
};

kunit_test_suite(status_suite);
