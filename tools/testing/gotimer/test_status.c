// SPDX-License-Identifier: GPL-2.0
/*
 * The properties of kunit/status_test.c ("gotimer_status"), natively: the
 * status lock and one case per row of the transition table in
 * module/status.c, on private bases, with made-up times.  [S16] is
 * gotimer_unheap(), the heap part of gotimer_stop_sync(); the waiting for a
 * running callback is the worker's (kernel-only) and tested by KUnit.
 */
#include "harness.h"

static struct {
	struct gotimer_base a, b;
	struct gotimer t[8];
	int fired[8];
	int seen_status[8];
	bool seen_running[8];
	int seen_preempt[8];
} *f;

static void record_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	f->fired[seq]++;
	f->seen_status[seq] = atomic_read(&f->t[seq].status);
	f->seen_running[seq] =
		READ_ONCE(gt_worker(&f->a, 0)->current_timer) == &f->t[seq];
	f->seen_preempt[seq] = preempt_count();
}

static void status_init(void)
{
	f = calloc(1, sizeof(*f));
	gotimer_base_init(&f->a, -1);
	gotimer_base_init(&f->b, -1);
}

static void status_exit(void)
{
	EXPECT_EQ(gt_drain_base(&f->a), 0);
	EXPECT_EQ(gt_drain_base(&f->b), 0);
	free(f);
	f = NULL;
}

static void arm(unsigned int i, s64 when)
{
	ASSERT_EQ(gotimer_modify_on(&f->a, &f->t[i], when, 0, record_fire, f, i), 0);
}

static int status_of(struct gotimer *t)
{
	return atomic_read(&t->status);
}

static bool in_heap(struct gotimer_base *base, struct gotimer *t)
{
	return t->idx < base->heap.len && gotimer_heap_at(&base->heap, t->idx) == t;
}

static void zero_timer_is_removed_and_init_makes_one(void)
{
	struct gotimer *t = calloc(1, sizeof(*t));

	EXPECT_EQ(GOTIMER_REMOVED, 0);
	EXPECT_EQ(status_of(t), GOTIMER_REMOVED);
	memset(t, 0x5a, sizeof(*t));
	gotimer_init(t);
	EXPECT_EQ(status_of(t), GOTIMER_REMOVED);
	EXPECT_PTR_EQ(t->base, NULL);
	EXPECT_TRUE(t->f == NULL);
	free(t);
}

static void lock_returns_previous_status_with_preemption_off(void)
{
	struct gotimer *t = &f->t[0];
	int count = preempt_count();

	atomic_set(&t->status, GOTIMER_MODIFIED);
	EXPECT_EQ(gotimer_status_lock(t), GOTIMER_MODIFIED);
	EXPECT_EQ(status_of(t), GOTIMER_LOCKED);
	EXPECT_EQ(preempt_count(), count + 1);
	gotimer_status_unlock(t, GOTIMER_REMOVED);
	EXPECT_EQ(status_of(t), GOTIMER_REMOVED);
	EXPECT_EQ(preempt_count(), count);
}

static void unlock_keep_preempt_leaves_preemption_off(void)
{
	struct gotimer *t = &f->t[0];
	int count = preempt_count();

	EXPECT_EQ(gotimer_status_lock(t), GOTIMER_REMOVED);
	gotimer_status_unlock_keep_preempt(t, GOTIMER_REMOVED);
	EXPECT_EQ(status_of(t), GOTIMER_REMOVED);
	EXPECT_EQ(preempt_count(), count + 1);
	preempt_enable();
	EXPECT_EQ(preempt_count(), count);
}

static void corrupt_status_is_reported_and_never_written(void)
{
	struct gotimer *t = &f->t[0];
	long bad = atomic_long_read(&gotimer_bad_timers);

	atomic_set(&t->status, 42);
	EXPECT_FALSE(gotimer_stop_lazy(t));
	EXPECT_EQ(gotimer_modify_on(&f->a, t, 1000, 0, record_fire, f, 0), -EINVAL);
	EXPECT_EQ(status_of(t), 42);
	EXPECT_EQ(f->a.heap.len, 0);
	EXPECT_EQ(atomic_long_read(&gotimer_bad_timers), bad + 2);
	atomic_set(&t->status, GOTIMER_REMOVED);
}

static void interrupt_context_is_refused(void)
{
	gt_in_irq = 1;
	EXPECT_EQ(gotimer_modify(&f->t[0], 1000, 0, record_fire, f, 0), -EINVAL);
	EXPECT_EQ(gotimer_reset(&f->t[0], 1000), -EINVAL);
	EXPECT_FALSE(gotimer_stop(&f->t[0]));
	gt_in_irq = 0;
	EXPECT_EQ(status_of(&f->t[0]), GOTIMER_REMOVED);
}

static void invalid_arguments_are_refused(void)
{
	EXPECT_EQ(gotimer_modify_on(&f->a, &f->t[0], 0, 0, record_fire, f, 0), -EINVAL);
	EXPECT_EQ(gotimer_modify_on(&f->a, &f->t[0], -5, 0, record_fire, f, 0), -EINVAL);
	EXPECT_EQ(gotimer_modify_on(&f->a, &f->t[0], 5, -1, record_fire, f, 0), -EINVAL);
	EXPECT_EQ(gotimer_modify_on(&f->a, &f->t[0], 5, 0, NULL, f, 0), -EINVAL);
	EXPECT_EQ(f->a.heap.len, 0);
}

static void enomem_leaves_timer_unchanged(void)
{
	atomic_long_set(&gt_alloc_fail, 1);
	EXPECT_EQ(gotimer_modify_on(&f->a, &f->t[0], 1000, 0, record_fire, f, 0), -ENOMEM);
	EXPECT_EQ(status_of(&f->t[0]), GOTIMER_REMOVED);
	EXPECT_PTR_EQ(f->t[0].base, NULL);
	EXPECT_EQ(f->a.heap.len, 0);
	atomic_long_set(&gt_alloc_fail, 0);
	EXPECT_EQ(gotimer_modify_on(&f->a, &f->t[0], 1000, 0, record_fire, f, 0), 0);
}

static void s1_stop_waiting_becomes_stopped_in_heap(void)
{
	arm(0, 1000);
	EXPECT_TRUE(gotimer_stop_lazy(&f->t[0]));
	EXPECT_EQ(status_of(&f->t[0]), GOTIMER_MODIFIED);
	EXPECT_EQ(f->t[0].nextwhen, 0);
	EXPECT_EQ(atomic_read(&f->a.deleted), 1);
	EXPECT_TRUE(in_heap(&f->a, &f->t[0]));
	EXPECT_PTR_EQ(f->t[0].base, &f->a);
	EXPECT_EQ(f->t[0].when, 1000);
}

static void s2_stop_modified_pending(void)
{
	arm(0, 1000);
	ASSERT_EQ(gotimer_modify_on(&f->a, &f->t[0], 2000, 0, record_fire, f, 0), 1);
	EXPECT_TRUE(gotimer_stop_lazy(&f->t[0]));
	EXPECT_EQ(status_of(&f->t[0]), GOTIMER_MODIFIED);
	EXPECT_EQ(f->t[0].nextwhen, 0);
	EXPECT_EQ(atomic_read(&f->a.deleted), 1);
}

static void s3_stop_stopped_is_not_pending(void)
{
	arm(0, 1000);
	ASSERT_TRUE(gotimer_stop_lazy(&f->t[0]));
	EXPECT_FALSE(gotimer_stop_lazy(&f->t[0]));
	EXPECT_EQ(status_of(&f->t[0]), GOTIMER_MODIFIED);
	EXPECT_EQ(atomic_read(&f->a.deleted), 1);
}

static void s4_stop_removed_is_not_pending(void)
{
	EXPECT_FALSE(gotimer_stop_lazy(&f->t[0]));
	EXPECT_EQ(status_of(&f->t[0]), GOTIMER_REMOVED);
	EXPECT_PTR_EQ(f->t[0].base, NULL);
	EXPECT_EQ(atomic_read(&f->a.deleted), 0);
}

static void s5_modify_removed_adds_to_local_heap(void)
{
	arm(0, 3000);
	arm(1, 1000);
	EXPECT_EQ(status_of(&f->t[0]), GOTIMER_WAITING);
	EXPECT_PTR_EQ(f->t[0].base, &f->a);
	EXPECT_TRUE(in_heap(&f->a, &f->t[0]));
	EXPECT_TRUE(in_heap(&f->a, &f->t[1]));
	EXPECT_PTR_EQ(gotimer_heap_at(&f->a.heap, 0), &f->t[1]);
	EXPECT_EQ(atomic64_read(&f->a.timer0_when), 1000);
	EXPECT_EQ(atomic_read(&f->a.ntimers), 2);
	EXPECT_EQ(f->t[0].seq, 0);
	EXPECT_PTR_EQ(f->t[0].arg, f);
	EXPECT_EQ(preempt_count(), 0);
}

static void s5_modify_uses_this_cpus_base(void)
{
	gt_bases_init(2);
	gt_set_cpu(1);
	EXPECT_EQ(gotimer_modify(&f->t[0], 1000, 0, record_fire, f, 0), 0);
	EXPECT_PTR_EQ(f->t[0].base, &gt_bases[1]);
	EXPECT_EQ(gt_bases[1].heap.len, 1);
	EXPECT_EQ(gt_bases[0].heap.len, 0);
	gt_set_cpu(0);
	/* Pending: modified in place, stays on cpu 1. */
	EXPECT_EQ(gotimer_reset(&f->t[0], 500), 1);
	EXPECT_PTR_EQ(f->t[0].base, &gt_bases[1]);
	EXPECT_EQ(gt_run_due(&gt_bases[1], 500), 1);
	EXPECT_EQ(f->fired[0], 1);
	EXPECT_EQ(gt_drain_base(&gt_bases[0]), 0);
	EXPECT_EQ(gt_drain_base(&gt_bases[1]), 0);
}

static void s6_modify_waiting_is_lazy(void)
{
	arm(0, 5000);
	arm(1, 6000);
	EXPECT_EQ(gotimer_modify_on(&f->a, &f->t[1], 9000, 0, record_fire, f, 1), 1);
	EXPECT_EQ(atomic64_read(&f->a.modified_earliest), 0);
	EXPECT_EQ(gotimer_modify_on(&f->a, &f->t[0], 3000, 0, record_fire, f, 0), 1);
	EXPECT_EQ(status_of(&f->t[0]), GOTIMER_MODIFIED);
	EXPECT_EQ(f->t[0].nextwhen, 3000);
	EXPECT_EQ(atomic64_read(&f->a.modified_earliest), 3000);
	EXPECT_EQ(f->t[0].when, 5000);
	EXPECT_EQ(f->t[1].when, 6000);
	EXPECT_EQ(atomic64_read(&f->a.timer0_when), 5000);
}

static void s7_modify_modified_pending_and_stopped(void)
{
	arm(0, 5000);
	ASSERT_EQ(gotimer_modify_on(&f->a, &f->t[0], 7000, 0, record_fire, f, 0), 1);
	EXPECT_EQ(gotimer_modify_on(&f->a, &f->t[0], 8000, 0, record_fire, f, 0), 1);
	EXPECT_EQ(f->t[0].nextwhen, 8000);
	ASSERT_TRUE(gotimer_stop_lazy(&f->t[0]));
	ASSERT_EQ(atomic_read(&f->a.deleted), 1);
	EXPECT_EQ(gotimer_modify_on(&f->a, &f->t[0], 4000, 0, record_fire, f, 0), 0);
	EXPECT_EQ(atomic_read(&f->a.deleted), 0);
	EXPECT_EQ(status_of(&f->t[0]), GOTIMER_MODIFIED);
	EXPECT_EQ(f->t[0].nextwhen, 4000);
	EXPECT_EQ(atomic64_read(&f->a.modified_earliest), 4000);
	EXPECT_EQ(f->a.heap.len, 1);
}

static void reset_reuses_callback_and_refuses_never_armed(void)
{
	EXPECT_EQ(gotimer_reset_on(&f->a, &f->t[2], 1000), -EINVAL);
	EXPECT_EQ(status_of(&f->t[2]), GOTIMER_REMOVED);
	ASSERT_EQ(gotimer_modify_on(&f->a, &f->t[2], 1000, 77, record_fire, f, 2), 0);
	EXPECT_EQ(gotimer_reset_on(&f->a, &f->t[2], 2000), 1);
	EXPECT_EQ(f->t[2].nextwhen, 2000);
	EXPECT_EQ(f->t[2].period, 77);
	EXPECT_EQ(f->t[2].seq, 2);
	EXPECT_PTR_EQ(f->t[2].arg, f);
	EXPECT_EQ(gotimer_reset_on(&f->a, &f->t[2], 0), -EINVAL);
	EXPECT_EQ(f->t[2].nextwhen, 2000);
}

static void clean_head(struct gotimer_base *base)
{
	raw_spin_lock(&base->lock);
	gotimer_clean_head(base, UINT_MAX);
	raw_spin_unlock(&base->lock);
}

static void s8_clean_head_drops_stopped_head(void)
{
	arm(0, 1000);
	arm(1, 2000);
	ASSERT_TRUE(gotimer_stop_lazy(&f->t[0]));
	clean_head(&f->a);
	EXPECT_EQ(status_of(&f->t[0]), GOTIMER_REMOVED);
	EXPECT_PTR_EQ(f->t[0].base, NULL);
	EXPECT_EQ(f->a.heap.len, 1);
	EXPECT_PTR_EQ(gotimer_heap_at(&f->a.heap, 0), &f->t[1]);
	EXPECT_EQ(atomic_read(&f->a.deleted), 0);
	EXPECT_EQ(atomic64_read(&f->a.timer0_when), 2000);
	EXPECT_EQ(f->fired[0], 0);
}

static void s9_clean_head_moves_modified_head(void)
{
	arm(0, 1000);
	arm(1, 2000);
	ASSERT_EQ(gotimer_modify_on(&f->a, &f->t[0], 3000, 0, record_fire, f, 0), 1);
	clean_head(&f->a);
	EXPECT_EQ(status_of(&f->t[0]), GOTIMER_WAITING);
	EXPECT_EQ(f->t[0].when, 3000);
	EXPECT_PTR_EQ(gotimer_heap_at(&f->a.heap, 0), &f->t[1]);
	EXPECT_EQ(gotimer_heap_verify(&f->a.heap), -1);
	EXPECT_EQ(status_of(&f->t[1]), GOTIMER_WAITING);
}

static unsigned long settle_fired;

static void count_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	settle_fired++;
}

/*
 * On a fresh private base: arm @n timers at 1000.., then stop them all
 * lazily (or, with @later, move each lazily to a later time [S6]), then
 * arm one more idle timer [S5].  Return the heads that last arm settled
 * in its own context; then run everything and check nothing was lost.
 */
static unsigned long arm_settles_after(unsigned int n, bool later)
{
	struct gotimer_base *b = calloc(1, sizeof(*b));
	struct gotimer *t = calloc(n + 1, sizeof(*t));
	unsigned long settled;
	unsigned int i;

	gotimer_base_init(b, -1);
	settle_fired = 0;
	for (i = 0; i < n; i++)
		EXPECT_EQ(gotimer_modify_on(b, &t[i], 1000 + i, 0, count_fire,
					    NULL, i), 0);
	for (i = 0; i < n; i++) {
		if (later)
			EXPECT_EQ(gotimer_modify_on(b, &t[i], 1000000 + i, 0,
						    count_fire, NULL, i), 1);
		else
			EXPECT_TRUE(gotimer_stop_lazy(&t[i]));
	}
	settled = b->arm_settled;
	EXPECT_EQ(gotimer_modify_on(b, &t[n], 2000000, 0, count_fire, NULL, n), 0);
	settled = b->arm_settled - settled;
	/* The run settles the rest: every moved timer fires once. */
	gt_run_due(b, 3000000);
	EXPECT_EQ(settle_fired, later ? n + 1 : 1);
	EXPECT_EQ(b->heap.len, 0);
	EXPECT_EQ(atomic_read(&b->deleted), 0);
	EXPECT_EQ(gt_drain_base(b), 0);
	gotimer_base_destroy(b);
	free(t);
	free(b);
	return settled;
}

/*
 * [S5] settles at most GOTIMER_ARM_CLEAN_MAX stale heads in its caller's
 * context, under the raw heap lock, whatever the number of lazy stops or
 * lazy moves to a later time before it: ten times the timers, no more
 * work for the arm.
 */
static void s5_arm_settles_a_bounded_number_of_heads(void)
{
	unsigned long stop2k = arm_settles_after(2000, false);
	unsigned long stop20k = arm_settles_after(20000, false);
	unsigned long later2k = arm_settles_after(2000, true);
	unsigned long later20k = arm_settles_after(20000, true);

	EXPECT_TRUE(stop2k <= GOTIMER_ARM_CLEAN_MAX);
	EXPECT_TRUE(stop20k <= stop2k);
	EXPECT_TRUE(later2k <= GOTIMER_ARM_CLEAN_MAX);
	EXPECT_TRUE(later20k <= later2k);
}

static void adjust(struct gotimer_base *base, s64 now, bool force)
{
	raw_spin_lock(&base->lock);
	gotimer_adjust(base, now, force);
	raw_spin_unlock(&base->lock);
}

static void s10_adjust_settles_every_modified_timer(void)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		arm(i, 1000 * (i + 1));
	for (i = 0; i < 6; i += 2)
		ASSERT_TRUE(gotimer_stop_lazy(&f->t[i]));
	ASSERT_EQ(gotimer_modify_on(&f->a, &f->t[1], 1500, 0, record_fire, f, 1), 1);
	ASSERT_EQ(gotimer_modify_on(&f->a, &f->t[7], 500, 0, record_fire, f, 7), 1);
	ASSERT_EQ(gotimer_modify_on(&f->a, &f->t[5], 20000, 0, record_fire, f, 5), 1);
	ASSERT_EQ(atomic64_read(&f->a.modified_earliest), 500);

	f->a.adjusted = 0;
	adjust(&f->a, 499, false);
	EXPECT_EQ(f->a.adjusted, 0);
	EXPECT_EQ(status_of(&f->t[7]), GOTIMER_MODIFIED);

	adjust(&f->a, 500, false);
	EXPECT_EQ(f->a.adjusted, 1);
	EXPECT_EQ(atomic64_read(&f->a.modified_earliest), 0);
	EXPECT_EQ(atomic_read(&f->a.deleted), 0);
	EXPECT_EQ(f->a.heap.len, 5);
	EXPECT_EQ(gotimer_heap_verify(&f->a.heap), -1);
	for (i = 0; i < 6; i += 2) {
		EXPECT_EQ(status_of(&f->t[i]), GOTIMER_REMOVED);
		EXPECT_PTR_EQ(f->t[i].base, NULL);
	}
	EXPECT_EQ(f->t[1].when, 1500);
	EXPECT_EQ(f->t[5].when, 20000);
	EXPECT_EQ(f->t[7].when, 500);
	EXPECT_PTR_EQ(gotimer_heap_at(&f->a.heap, 0), &f->t[7]);
	for (i = 1; i < 8; i += 2)
		EXPECT_EQ(status_of(&f->t[i]), GOTIMER_WAITING);
}

static void s10_adjust_forced_by_stopped_timers(void)
{
	arm(0, 1000);
	arm(1, 2000);
	ASSERT_TRUE(gotimer_stop_lazy(&f->t[1]));
	ASSERT_EQ(atomic64_read(&f->a.modified_earliest), 0);
	adjust(&f->a, 0, true);
	EXPECT_EQ(f->a.adjusted, 1);
	EXPECT_EQ(status_of(&f->t[1]), GOTIMER_REMOVED);
	EXPECT_EQ(f->a.heap.len, 1);
	ASSERT_TRUE(gotimer_stop_lazy(&f->t[0]));
	EXPECT_EQ(gt_run_due(&f->a, 1), 0);
	EXPECT_EQ(f->a.heap.len, 0);
	EXPECT_EQ(f->a.adjusted, 2);
}

static void s11_run_one_shot_removes_then_calls(void)
{
	arm(0, 1000);
	arm(1, 1001);
	EXPECT_EQ(gt_run_due(&f->a, 999), 0);
	EXPECT_EQ(f->fired[0], 0);
	EXPECT_EQ(gt_run_due(&f->a, 1000), 1);
	EXPECT_EQ(f->fired[0], 1);
	EXPECT_EQ(f->fired[1], 0);
	EXPECT_EQ(f->seen_status[0], GOTIMER_REMOVED);
	EXPECT_TRUE(f->seen_running[0]);
	EXPECT_EQ(f->seen_preempt[0], 0);	/* callbacks may sleep */
	EXPECT_PTR_EQ(f->t[0].base, NULL);
	EXPECT_PTR_EQ(READ_ONCE(gt_worker(&f->a, 0)->current_timer), NULL);
	EXPECT_EQ(f->a.heap.len, 1);
	EXPECT_EQ(f->a.fired, 1);
}

static void s12_run_periodic_stays_waiting(void)
{
	ASSERT_EQ(gotimer_modify_on(&f->a, &f->t[0], 1000, 100, record_fire, f, 0), 0);
	EXPECT_EQ(gt_run_due(&f->a, 1250), 1);
	EXPECT_EQ(f->fired[0], 1);
	EXPECT_EQ(f->seen_status[0], GOTIMER_WAITING);
	EXPECT_EQ(status_of(&f->t[0]), GOTIMER_WAITING);
	EXPECT_EQ(f->t[0].when, 1300);
	EXPECT_TRUE(in_heap(&f->a, &f->t[0]));
}

static void s12_periodic_next_clamps_at_s64_max(void)
{
	EXPECT_EQ(gotimer_periodic_next(1000, 100, 1000), 1100);
	EXPECT_EQ(gotimer_periodic_next(1000, 100, 1099), 1100);
	EXPECT_EQ(gotimer_periodic_next(1000, 100, 1100), 1200);
	EXPECT_EQ(gotimer_periodic_next(S64_MAX - 10, 100, S64_MAX - 5), S64_MAX);
	EXPECT_EQ(gotimer_periodic_next(1, S64_MAX, 2), S64_MAX);
	EXPECT_EQ(gotimer_periodic_next(1, S64_MAX / 2, S64_MAX - 1), S64_MAX);
}

/*
 * The catch-up rule with the compiler's overflow checks, saturated: what
 * the helper must give.  (No __int128: the -m32 build has none.)
 */
static s64 periodic_next_ref(s64 when, s64 period, s64 now)
{
	u64 periods = (u64)(now - when) / (u64)period + 1, step;
	s64 next;

	if (__builtin_mul_overflow(periods, (u64)period, &step) ||
	    step > (u64)S64_MAX || __builtin_add_overflow(when, (s64)step, &next))
		return S64_MAX;
	return next;
}

/*
 * gotimer_periodic_next() at the edges (issue 23, 8c), now that its
 * division is div64_u64() (a 32-bit kernel has no 64-bit '/'; make
 * check-div64 looks for the libgcc calls): every pair of valid times
 * (when > 0, now >= when) and period against the overflow-checked rule, saturated
 * at S64_MAX.  UBSan (the asan build) reports any signed overflow.
 */
static void s12_periodic_next_at_the_edges(void)
{
	static const s64 times[] = {
		1, 2, 5, 1000, S64_MAX / 3, S64_MAX / 2, S64_MAX - 1000,
		S64_MAX - 1, S64_MAX,
	};
	static const s64 periods[] = {
		1, 2, 3, 7, 1000, S64_MAX / 3, S64_MAX / 2, S64_MAX - 1, S64_MAX,
	};
	unsigned int w, n, p;

	for (w = 0; w < ARRAY_SIZE(times); w++)
		for (n = w; n < ARRAY_SIZE(times); n++)
			for (p = 0; p < ARRAY_SIZE(periods); p++)
				EXPECT_EQ(gotimer_periodic_next(times[w], periods[p], times[n]),
					  periodic_next_ref(times[w], periods[p], times[n]));
	EXPECT_EQ(gotimer_periodic_next(5, 1, 5), 6);		/* now == when */
	EXPECT_EQ(gotimer_periodic_next(1, 1, S64_MAX - 1), S64_MAX);
	EXPECT_EQ(gotimer_periodic_next(1, 1, S64_MAX), S64_MAX);
	EXPECT_EQ(gotimer_periodic_next(S64_MAX, 1, S64_MAX), S64_MAX);
	EXPECT_EQ(gotimer_periodic_next(S64_MAX - 2, 1, S64_MAX - 2), S64_MAX - 1);
}

/*
 * gotimer_log_bucket(), the one scheme of every lateness histogram (the
 * core's, the torture's, the bench's): each bucket's floor falls in it,
 * the value just below falls in the one before, and the last bucket holds
 * everything beyond (up to S64_MAX).
 */
static void log_histogram_floors_round_trip(void)
{
	static const unsigned int cfg[][3] = {	/* shift, sub, nr */
		{ GOTIMER_LATE_SHIFT, 0, GOTIMER_LATE_BUCKETS },
		{ 10, 2, 117 },		/* tests/bench.c */
		{ 3, 3, 512 },		/* tests/torture.c */
	};
	unsigned int c, b;

	for (c = 0; c < ARRAY_SIZE(cfg); c++) {
		unsigned int shift = cfg[c][0], sub = cfg[c][1], nr = cfg[c][2];
		u64 prev = 0;

		EXPECT_EQ(gotimer_log_bucket(-5, shift, sub, nr), 0);
		EXPECT_EQ(gotimer_log_bucket(0, shift, sub, nr), 0);
		EXPECT_EQ(gotimer_log_bucket((1LL << shift) - 1, shift, sub, nr), 0);
		for (b = 1; b < nr; b++) {
			u64 lo = gotimer_log_bucket_floor(b, shift, sub);

			if (lo > (u64)S64_MAX)
				break;
			EXPECT_TRUE(lo > prev);
			EXPECT_EQ(gotimer_log_bucket(lo, shift, sub, nr), b);
			EXPECT_EQ(gotimer_log_bucket(lo - 1, shift, sub, nr), b - 1);
			prev = lo;
		}
		/* the last bucket, or the last one S64_MAX reaches */
		EXPECT_EQ(gotimer_log_bucket(S64_MAX, shift, sub, nr), b - 1);
	}
	/* The core's buckets are the powers of two from 1024 ns. */
	EXPECT_EQ(gotimer_late_bucket(1023), 0);
	EXPECT_EQ(gotimer_late_bucket(1024), 1);
	EXPECT_EQ(gotimer_late_bucket(2047), 1);
	EXPECT_EQ(gotimer_late_bucket(2048), 2);
	EXPECT_EQ(gotimer_late_bucket_floor(3), 4096);
}

static void s13_s15_move_adopts_every_state(void)
{
	unsigned int i;

	for (i = 0; i < 5; i++)
		arm(i, 1000 * (i + 1));
	ASSERT_EQ(gotimer_modify_on(&f->a, &f->t[1], 100, 0, record_fire, f, 1), 1);
	ASSERT_EQ(gotimer_modify_on(&f->a, &f->t[2], 9000, 0, record_fire, f, 2), 1);
	ASSERT_TRUE(gotimer_stop_lazy(&f->t[3]));

	EXPECT_EQ(gotimer_base_move(&f->a, &f->b), -ENOSPC);
	EXPECT_EQ(f->a.heap.len, 5);
	EXPECT_EQ(status_of(&f->t[0]), GOTIMER_WAITING);

	ASSERT_EQ(gotimer_modify_on(&f->b, &f->t[5], 2500, 0, record_fire, f, 5), 0);
	ASSERT_EQ(gotimer_base_reserve(&f->b, 16, GFP_KERNEL), 0);
	EXPECT_EQ(gotimer_base_move(&f->a, &f->b), 4);
	EXPECT_EQ(f->a.heap.len, 0);
	EXPECT_EQ(atomic_read(&f->a.deleted), 0);
	EXPECT_EQ(atomic64_read(&f->a.timer0_when), 0);
	EXPECT_EQ(f->b.heap.len, 5);
	EXPECT_EQ(gotimer_heap_verify(&f->b.heap), -1);
	EXPECT_EQ(f->a.moved_out, 4);
	EXPECT_EQ(f->b.moved_in, 4);
	EXPECT_EQ(status_of(&f->t[3]), GOTIMER_REMOVED);
	EXPECT_PTR_EQ(f->t[3].base, NULL);
	for (i = 0; i < 5; i++) {
		if (i == 3)
			continue;
		EXPECT_EQ(status_of(&f->t[i]), GOTIMER_WAITING);
		EXPECT_PTR_EQ(f->t[i].base, &f->b);
		EXPECT_TRUE(in_heap(&f->b, &f->t[i]));
	}
	EXPECT_EQ(f->t[1].when, 100);
	EXPECT_EQ(f->t[2].when, 9000);
	EXPECT_PTR_EQ(gotimer_heap_at(&f->b.heap, 0), &f->t[1]);
	EXPECT_EQ(atomic64_read(&f->b.timer0_when), 100);
}

static void move_leaves_room_for_one_add(void)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		arm(i, 1000 * (i + 1));
	/* b: room for exactly 4 + the one in-flight add of its CPU. */
	ASSERT_EQ(gotimer_base_reserve(&f->b, 5, GFP_KERNEL), 0);
	f->b.heap.cap = 4;	/* pretend 4 slots (the array has 16) */
	EXPECT_EQ(gotimer_base_move(&f->a, &f->b), -ENOSPC);
	f->b.heap.cap = 5;
	EXPECT_EQ(gotimer_base_move(&f->a, &f->b), 4);
	EXPECT_TRUE(gotimer_base_has_room(&f->b));
	ASSERT_EQ(gotimer_modify_on(&f->b, &f->t[4], 10, 0, record_fire, f, 4), 0);
	EXPECT_EQ(f->b.heap.len, 5);
	EXPECT_EQ(gotimer_heap_verify(&f->b.heap), -1);
	EXPECT_EQ(gt_run_due(&f->b, 10000), 5);
	f->b.heap.cap = 16;
}

/* [S16]: out of the heap whatever its state, pending as stop would say. */
static void s16_unheap_takes_every_state_out(void)
{
	bool again;
	int i;

	for (i = 0; i < 4; i++)
		arm(i, 1000 + i);
	EXPECT_EQ(gotimer_modify_on(&f->a, &f->t[1], 5000, 0, record_fire, f, 1), 1);
	EXPECT_TRUE(gotimer_stop_lazy(&f->t[2]));	/* Modified, nextwhen 0 */
	EXPECT_EQ(atomic_read(&f->a.deleted), 1);

	EXPECT_TRUE(gotimer_unheap(&f->t[0], &again));	/* Waiting */
	EXPECT_FALSE(again);
	EXPECT_TRUE(gotimer_unheap(&f->t[1], &again));	/* Modified, later */
	EXPECT_FALSE(again);
	EXPECT_FALSE(gotimer_unheap(&f->t[2], &again));	/* stopped */
	EXPECT_FALSE(again);
	EXPECT_EQ(atomic_read(&f->a.deleted), 0);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(status_of(&f->t[i]), GOTIMER_REMOVED);
		EXPECT_PTR_EQ(f->t[i].base, NULL);
	}
	/* Removed: nothing to do, twice. */
	EXPECT_FALSE(gotimer_unheap(&f->t[0], &again));
	EXPECT_FALSE(again);
	EXPECT_EQ(f->a.heap.len, 1);
	EXPECT_PTR_EQ(gotimer_heap_at(&f->a.heap, 0), &f->t[3]);
	EXPECT_EQ(atomic_read(&f->a.ntimers), 1);
	EXPECT_EQ(atomic64_read(&f->a.timer0_when), 1003);
	EXPECT_EQ(gotimer_heap_verify(&f->a.heap), -1);
	EXPECT_EQ(gt_run_due(&f->a, 10000), 1);
	EXPECT_EQ(f->fired[0] + f->fired[1] + f->fired[2], 0);
	EXPECT_EQ(f->fired[3], 1);
}

/* [S16] in the window where the owner is set but the add has not happened. */
static void s16_unheap_asks_again_before_the_add(void)
{
	bool again;

	/* As [S5] between unlock and add. */
	atomic_set(&f->t[0].status, GOTIMER_WAITING);
	f->t[0].base = &f->a;
	f->t[0].idx = GOTIMER_IDX_ADDING;
	EXPECT_FALSE(gotimer_unheap(&f->t[0], &again));
	EXPECT_TRUE(again);
	EXPECT_PTR_EQ(f->t[0].base, &f->a);
	EXPECT_EQ(status_of(&f->t[0]), GOTIMER_WAITING);
	atomic_set(&f->t[0].status, GOTIMER_REMOVED);
	f->t[0].base = NULL;
}

/*
 * Issue 13, item 5: a bad-timer path that drops a slot leaves its timer
 * claiming the heap.  gotimer_unheap() must not ask again forever (that
 * was gotimer_stop_sync() spinning for good): it reports the timer and
 * makes it Removed.  Waiting and not being added: corrupt.
 */
static void s16_unheap_repairs_timer_claiming_heap_without_slot(void)
{
	long bad = atomic_long_read(&gotimer_bad_timers);
	bool again;

	arm(0, 1000);
	raw_spin_lock(&f->a.lock);
	gotimer_heap_delete(&f->a.heap, f->t[0].idx);	/* the dropped slot */
	gotimer_base_changed(&f->a);
	raw_spin_unlock(&f->a.lock);
	EXPECT_TRUE(gotimer_unheap(&f->t[0], &again));	/* it was pending */
	EXPECT_FALSE(again);
	EXPECT_EQ(status_of(&f->t[0]), GOTIMER_REMOVED);
	EXPECT_PTR_EQ(f->t[0].base, NULL);
	EXPECT_EQ(atomic_long_read(&gotimer_bad_timers), bad + 1);
	EXPECT_EQ(atomic_long_read(&f->a.corrupt), 1);
}

/* ... and a Removed timer that still names an owner (run.c drops it so). */
static void s16_unheap_repairs_removed_timer_with_owner(void)
{
	bool again;

	atomic_set(&f->t[0].status, GOTIMER_REMOVED);
	f->t[0].base = &f->a;
	f->t[0].idx = 0;
	EXPECT_FALSE(gotimer_unheap(&f->t[0], &again));
	EXPECT_FALSE(again);
	EXPECT_PTR_EQ(f->t[0].base, NULL);
	EXPECT_EQ(atomic_long_read(&f->a.corrupt), 1);
}

/*
 * [S17]: a one-shot timer re-armed from CPU 0 while its callback still
 * runs in CPU 1's worker goes to CPU 1's heap, not CPU 0's, so the new
 * instance cannot run on CPU 0 while the old one has not returned.
 */
/*
 * Issue 13, item 4: a heap array that came from kvmalloc's vmalloc
 * fallback is not vfree()d by a growth in atomic context (GFP_ATOMIC,
 * preemption off); it is retired to the base and freed by its worker.
 */
static void growth_in_atomic_context_never_vfrees(void)
{
	long vfree_atomic = gt_vfree_atomic;
	struct gotimer **first;

	gt_vmalloc_fallback = 1;
	ASSERT_EQ(gotimer_base_reserve(&f->a, 16, GFP_KERNEL), 0);
	gt_vmalloc_fallback = 0;
	first = f->a.heap.slots;
	EXPECT_TRUE(is_vmalloc_addr(first));
	preempt_disable();
	EXPECT_EQ(gotimer_base_reserve(&f->a, 40, GFP_ATOMIC), 0);
	preempt_enable();
	EXPECT_TRUE(f->a.heap.slots != first);
	EXPECT_EQ(gt_vfree_atomic, vfree_atomic);
	EXPECT_TRUE(f->a.retired != NULL);
	EXPECT_TRUE(is_vmalloc_addr(first));		/* not freed yet */
	gotimer_base_free_retired(&f->a);		/* the worker, later */
	EXPECT_TRUE(f->a.retired == NULL);
	EXPECT_FALSE(is_vmalloc_addr(first));
	EXPECT_EQ(gt_vfree_atomic, vfree_atomic);
}

static void s17_rearm_cpu(void *arg, uintptr_t seq, s64 delay_ns)
{
	int cpu = gt_cpu;

	f->fired[seq]++;
	f->seen_running[seq] =
		READ_ONCE(gt_worker(&gt_bases[1], 0)->current_timer) == &f->t[seq];
	if (f->fired[seq] == 1) {
		gt_set_cpu(0);
		EXPECT_EQ(gotimer_modify(&f->t[seq], 2000, 0, s17_rearm_cpu, f, seq), 0);
		gt_set_cpu(cpu);
	}
}

static void s17_rearm_while_running_stays_on_running_base(void)
{
	gt_bases_init(2);
	gt_set_cpu(1);
	EXPECT_EQ(gotimer_modify(&f->t[0], 1000, 0, s17_rearm_cpu, f, 0), 0);
	EXPECT_EQ(gt_run_due(&gt_bases[1], 1000), 1);
	EXPECT_EQ(f->fired[0], 1);
	EXPECT_TRUE(f->seen_running[0]);
	EXPECT_PTR_EQ(f->t[0].run_base, &gt_bases[1]);
	EXPECT_PTR_EQ(f->t[0].base, &gt_bases[1]);
	EXPECT_EQ(gt_bases[0].heap.len, 0);
	EXPECT_EQ(gt_bases[1].heap.len, 1);
	EXPECT_EQ(status_of(&f->t[0]), GOTIMER_WAITING);
	/* The re-armed instance fires, on CPU 1, at its time. */
	EXPECT_EQ(gt_run_due(&gt_bases[1], 1999), 0);
	EXPECT_EQ(gt_run_due(&gt_bases[1], 2000), 1);
	EXPECT_EQ(f->fired[0], 2);
	gt_set_cpu(0);
	EXPECT_EQ(gt_drain_base(&gt_bases[0]), 0);
	EXPECT_EQ(gt_drain_base(&gt_bases[1]), 0);
}

/* [S17] falls back to [S5] when the running base's CPU is dead. */
static void s17_falls_back_to_s5_on_a_dead_cpu(void)
{
	gt_bases_init(2);
	gt_set_cpu(1);
	EXPECT_EQ(gotimer_modify(&f->t[0], 1000, 0, s17_rearm_cpu, f, 0), 0);
	gt_bases[1].offline = true;
	EXPECT_EQ(gt_run_due(&gt_bases[1], 1000), 1);
	EXPECT_PTR_EQ(f->t[0].base, &gt_bases[0]);
	EXPECT_EQ(gt_bases[0].heap.len, 1);
	EXPECT_EQ(gt_bases[1].heap.len, 0);
	gt_set_cpu(0);
	EXPECT_EQ(gt_drain_base(&gt_bases[0]), 0);
	EXPECT_EQ(gt_drain_base(&gt_bases[1]), 0);
}

/* Unpinned timers: S5 to the unpinned base, whose lowering arms the steal timer. */
static void unpinned_s5_uses_the_unpinned_base_and_arms_the_steal_timer(void)
{
	gt_bases_init(2);
	gt_set_cpu(1);
	EXPECT_EQ(gotimer_init_flags(&f->t[0], GOTIMER_UNPINNED), 0);
	EXPECT_EQ(gotimer_modify(&f->t[0], 1000, 0, record_fire, f, 0), 0);
	EXPECT_PTR_EQ(f->t[0].base, &gt_ubases[1]);
	EXPECT_EQ(gt_ubases[1].heap.len, 1);
	EXPECT_EQ(gt_bases[1].heap.len, 0);
	EXPECT_EQ(gt_steal_arms[1], 1);
	EXPECT_EQ(gt_steal_arm_when[1], 1000);
	/* A later one does not lower the earliest time: no arm. */
	EXPECT_EQ(gotimer_init_flags(&f->t[1], GOTIMER_UNPINNED), 0);
	EXPECT_EQ(gotimer_modify(&f->t[1], 3000, 0, record_fire, f, 1), 0);
	EXPECT_EQ(gt_steal_arms[1], 1);
	/* Modified earlier: modified_earliest falls, the steal timer is armed. */
	EXPECT_EQ(gotimer_modify(&f->t[1], 500, 0, record_fire, f, 1), 1);
	EXPECT_EQ(gt_steal_arms[1], 2);
	EXPECT_EQ(gt_steal_arm_when[1], 500);
	/* A pinned timer never arms it. */
	EXPECT_EQ(gotimer_modify(&f->t[2], 100, 0, record_fire, f, 2), 0);
	EXPECT_PTR_EQ(f->t[2].base, &gt_bases[1]);
	EXPECT_EQ(gt_steal_arms[1], 2);
	/* An unknown flag is refused and changes nothing. */
	EXPECT_EQ(gotimer_init_flags(&f->t[3], 0x80), -EINVAL);
	EXPECT_EQ(f->t[3].flags, 0);
	gt_set_cpu(0);
	EXPECT_EQ(gt_drain_base(&gt_bases[1]), 0);
	EXPECT_EQ(gt_drain_base(&gt_ubases[1]), 0);
}

static bool seen_in_thief_slot;

static void record_thief_slot(void *arg, uintptr_t seq, s64 delay_ns)
{
	f->fired[seq]++;
	seen_in_thief_slot =
		READ_ONCE(gt_worker(&gt_ubases[0], 1)->current_timer) == &f->t[seq] &&
		!READ_ONCE(gt_worker(&gt_ubases[1], 1)->current_timer);
}

/*
 * [S19]: CPU 0's worker in slot 1 steals CPU 1's due unpinned periodic
 * timer: the callback is published in CPU 0's unpinned base, the timer
 * stays in CPU 1's heap, and while that callback runs, CPU 1's own run
 * puts the next period off [S18] instead of running it twice at once.
 */
static void s19_stolen_run_is_published_in_the_thiefs_base(void)
{
	struct gotimer_worker *thief = gt_worker(&gt_ubases[0], 1);
	struct gotimer *t = &f->t[0];
	s64 put_off;

	gt_bases_init(2);
	gt_set_cpu(1);
	EXPECT_EQ(gotimer_init_flags(t, GOTIMER_UNPINNED), 0);
	EXPECT_EQ(gotimer_modify(t, 1000, 1000, record_thief_slot, f, 0), 0);
	gt_set_cpu(0);
	EXPECT_EQ(gotimer_run_due_as(&gt_ubases[1], 999, &gt_ubases[0], thief), 0);
	EXPECT_EQ(gotimer_run_due_as(&gt_ubases[1], 1000, &gt_ubases[0], thief), 1);
	EXPECT_EQ(f->fired[0], 1);
	EXPECT_TRUE(seen_in_thief_slot);
	EXPECT_PTR_EQ(t->run_base, &gt_ubases[0]);
	EXPECT_PTR_EQ(t->run_worker, thief);
	EXPECT_PTR_EQ(t->base, &gt_ubases[1]);
	EXPECT_EQ(t->when, 2000);
	EXPECT_EQ(gt_ubases[1].stolen, 1);
	EXPECT_PTR_EQ(thief->current_timer, NULL);
	/* As if the stolen callback still ran: CPU 1 must not run it. */
	thief->current_timer = t;
	EXPECT_EQ(gt_run_due_slot(&gt_ubases[1], 2000, 0), 0);
	put_off = 2000 + (s64)gotimer_takeover_us * 1000;
	EXPECT_EQ(t->when, put_off);
	EXPECT_EQ(gt_ubases[1].postponed, 1);
	thief->current_timer = NULL;
	/* An unpinned base has no runner role: any worker runs it. */
	*gt_runner(&gt_ubases[1]) = 1;
	EXPECT_EQ(gt_run_due_slot(&gt_ubases[1], put_off, 0), 1);
	EXPECT_EQ(f->fired[0], 2);
	EXPECT_PTR_EQ(t->run_base, &gt_ubases[1]);
	EXPECT_EQ(gt_ubases[1].stolen, 1);
	EXPECT_EQ(gt_drain_base(&gt_ubases[1]), 0);
}

/* Every time computed from another one saturates at S64_MAX. */
static void time_add_saturates_at_the_end_of_time(void)
{
	EXPECT_EQ(gotimer_time_add(1000, 200), 1200);
	EXPECT_EQ(gotimer_time_add(S64_MAX - 200, 200), S64_MAX);
	EXPECT_EQ(gotimer_time_add(S64_MAX - 200, 201), S64_MAX);
	EXPECT_EQ(gotimer_time_add(S64_MAX - 1, 1000), S64_MAX);
	EXPECT_EQ(gotimer_time_add(S64_MAX, 1), S64_MAX);
	EXPECT_EQ(gotimer_time_add(S64_MAX, 0), S64_MAX);
}

/*
 * [S18] at the end of time: a timer due at S64_MAX - 1, or so close to it
 * that now + takeover_us overflows, whose callback still runs is put off
 * to S64_MAX, not to a negative time that would be due at once again,
 * forever.  A timer at S64_MAX itself is never due.
 */
static void s18_postpone_saturates_at_the_end_of_time(void)
{
	static const s64 at[] = { S64_MAX - 1, S64_MAX - 1000 };
	struct gotimer *t = &f->t[0];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(at); i++) {
		arm(0, at[i]);
		/* As if its callback still ran in worker 1. */
		gt_worker(&f->a, 1)->current_timer = t;
		t->run_base = &f->a;
		t->run_worker = gt_worker(&f->a, 1);
		EXPECT_EQ(gt_run_due(&f->a, at[i]), 0);
		EXPECT_EQ(t->when, S64_MAX);
		EXPECT_EQ(f->a.postponed, i + 1);
		EXPECT_EQ(atomic64_read(&f->a.timer0_when), S64_MAX);
		gt_worker(&f->a, 1)->current_timer = NULL;
		EXPECT_EQ(gt_run_due(&f->a, S64_MAX - 1), 0);
		EXPECT_TRUE(gotimer_stop_lazy(t));
		clean_head(&f->a);
		EXPECT_EQ(f->fired[0], 0);
	}
}

static s64 seen_delay;

static void record_delay(void *arg, uintptr_t seq, s64 delay_ns)
{
	f->fired[seq]++;
	seen_delay = delay_ns;
}

/*
 * [S18] keeps the time a timer was due: a periodic timer put off while its
 * callback still ran is called with delay_ns counted from that time, and
 * its next period stays in phase with it ([S12]).
 */
/*
 * A run records its worker in the timer (->run_worker) beside ->run_base,
 * and [S18] looks at that worker alone: one compare, not a scan of the
 * workers.  Another worker in a callback of a timer at the same address
 * (a callback that freed its timer, whose memory was then armed anew) is
 * not in the timer's callback.
 */
static void s18_looks_at_the_worker_the_run_recorded(void)
{
	struct gotimer_worker *w1 = gt_worker(&f->a, 1), *w2 = gt_worker(&f->a, 2);
	struct gotimer *t = &f->t[0];
	s64 put_off = 2000 + (s64)gotimer_takeover_us * 1000;

	*gt_runner(&f->a) = 2;
	arm(0, 1000);
	EXPECT_EQ(gt_run_due_slot(&f->a, 1000, 2), 1);
	EXPECT_PTR_EQ(t->run_base, &f->a);
	EXPECT_PTR_EQ(t->run_worker, w2);
	EXPECT_PTR_EQ(READ_ONCE(w2->current_timer), NULL);
	*gt_runner(&f->a) = 0;

	/* As if that callback still ran in worker 2: put off. */
	w2->current_timer = t;
	arm(0, 2000);
	EXPECT_EQ(gt_run_due(&f->a, 2000), 0);
	EXPECT_EQ(f->a.postponed, 1);
	EXPECT_EQ(t->when, put_off);
	w2->current_timer = NULL;

	/* Worker 1 holds the address, but the run recorded worker 2: runs. */
	w1->current_timer = t;
	EXPECT_EQ(gt_run_due(&f->a, put_off), 1);
	EXPECT_EQ(f->fired[0], 2);
	EXPECT_PTR_EQ(t->run_worker, gt_worker(&f->a, 0));
	w1->current_timer = NULL;
}

static void s18_postponed_timer_keeps_its_time_and_phase(void)
{
	const s64 due = 2000, period = 700;
	s64 put_off = due + (s64)gotimer_takeover_us * NSEC_PER_USEC;
	s64 now = put_off + 10;
	struct gotimer *t = &f->t[0];

	ASSERT_EQ(gotimer_modify_on(&f->a, t, due, period, record_delay, f, 0), 0);
	/* As if its previous callback still ran in worker 1. */
	gt_worker(&f->a, 1)->current_timer = t;
	t->run_base = &f->a;
	t->run_worker = gt_worker(&f->a, 1);
	EXPECT_EQ(gt_run_due(&f->a, due), 0);
	EXPECT_EQ(t->when, put_off);
	EXPECT_EQ(t->nextwhen, due);
	gt_worker(&f->a, 1)->current_timer = NULL;
	EXPECT_EQ(gt_run_due(&f->a, now), 1);
	EXPECT_EQ(f->fired[0], 1);
	EXPECT_EQ(seen_delay, now - due);
	EXPECT_EQ(t->when, due + period * ((now - due) / period + 1));
	EXPECT_EQ(t->nextwhen, 0);
	EXPECT_EQ(status_of(t), GOTIMER_WAITING);
	EXPECT_TRUE(gotimer_stop_lazy(t));
	clean_head(&f->a);
}

static void removed_timer_in_heap_is_dropped_not_written(void)
{
	long bad = atomic_long_read(&gotimer_bad_timers);

	arm(0, 1000);
	atomic_set(&f->t[0].status, GOTIMER_REMOVED);
	EXPECT_EQ(gt_run_due(&f->a, 2000), 0);
	EXPECT_EQ(f->fired[0], 0);
	EXPECT_EQ(f->a.heap.len, 0);
	EXPECT_EQ(atomic_long_read(&gotimer_bad_timers), bad + 1);
	EXPECT_EQ(atomic_long_read(&f->a.corrupt), 1);
	EXPECT_PTR_EQ(f->t[0].base, &f->a);
	EXPECT_EQ(status_of(&f->t[0]), GOTIMER_REMOVED);
	f->t[0].base = NULL;
}

static void verify_heaps_catches_corruption(void)
{
	arm(0, 1000);
	arm(1, 2000);
	raw_spin_lock(&f->a.lock);
	EXPECT_EQ(gotimer_base_verify(&f->a), 0);
	gotimer_heap_at(&f->a.heap, 1)->when = 1;	/* child earlier than parent */
	EXPECT_EQ(gotimer_base_verify(&f->a), -EUCLEAN);
	gotimer_heap_at(&f->a.heap, 1)->when = 2000;
	raw_spin_unlock(&f->a.lock);
	EXPECT_EQ(atomic_long_read(&f->a.corrupt), 1);
}

/* The lateness histogram's buckets, and run_head() counting each call. */
static void lateness_histogram_counts_every_callback(void)
{
	const struct gotimer_lateness *l = &f->a.late;
	unsigned int b;

	EXPECT_EQ(gotimer_late_bucket(-5), 0);
	EXPECT_EQ(gotimer_late_bucket(0), 0);
	EXPECT_EQ(gotimer_late_bucket(1023), 0);
	EXPECT_EQ(gotimer_late_bucket(1024), 1);
	EXPECT_EQ(gotimer_late_bucket(2047), 1);
	EXPECT_EQ(gotimer_late_bucket(2048), 2);
	EXPECT_EQ(gotimer_late_bucket((1LL << 40) - 1), 30);
	EXPECT_EQ(gotimer_late_bucket(1LL << 40), 31);
	EXPECT_EQ(gotimer_late_bucket(S64_MAX), GOTIMER_LATE_BUCKETS - 1);
	for (b = 0; b < GOTIMER_LATE_BUCKETS; b++) {
		EXPECT_EQ(gotimer_late_bucket(gotimer_late_bucket_floor(b)), b);
		if (b)
			EXPECT_EQ(gotimer_late_bucket(gotimer_late_bucket_floor(b) - 1),
				  b - 1);
	}

	arm(0, 1000);
	arm(1, 1000);
	arm(2, 3000);
	/* One batch at 4000: 3000, 3000 and 1000 ns late. */
	EXPECT_EQ(gt_run_due(&f->a, 4000), 3);
	EXPECT_EQ(l->count[0], 1);
	EXPECT_EQ(l->count[gotimer_late_bucket(3000)], 2);
	EXPECT_EQ(gotimer_late_bucket(3000), 2);
	EXPECT_EQ(l->max, 3000);
	arm(3, 5000);
	EXPECT_EQ(gt_run_due(&f->a, 5000 + 100000), 1);
	EXPECT_EQ(l->count[gotimer_late_bucket(100000)], 1);
	EXPECT_EQ(l->max, 100000);
	b = 0;
	for (unsigned int i = 0; i < GOTIMER_LATE_BUCKETS; i++)
		b += l->count[i];
	EXPECT_EQ(b, 4);
	EXPECT_EQ(f->a.fired, 4);
}

static const struct gt_case cases[] = {
	GT_CASE(zero_timer_is_removed_and_init_makes_one),
	GT_CASE(lock_returns_previous_status_with_preemption_off),
	GT_CASE(unlock_keep_preempt_leaves_preemption_off),
	GT_CASE_WARNS(corrupt_status_is_reported_and_never_written, 2),
	GT_CASE_WARNS(interrupt_context_is_refused, 3),
	GT_CASE(invalid_arguments_are_refused),
	GT_CASE(enomem_leaves_timer_unchanged),
	GT_CASE(s1_stop_waiting_becomes_stopped_in_heap),
	GT_CASE(s2_stop_modified_pending),
	GT_CASE(s3_stop_stopped_is_not_pending),
	GT_CASE(s4_stop_removed_is_not_pending),
	GT_CASE(s5_modify_removed_adds_to_local_heap),
	GT_CASE(s5_modify_uses_this_cpus_base),
	GT_CASE(s6_modify_waiting_is_lazy),
	GT_CASE(s7_modify_modified_pending_and_stopped),
	GT_CASE(reset_reuses_callback_and_refuses_never_armed),
	GT_CASE(s8_clean_head_drops_stopped_head),
	GT_CASE(s9_clean_head_moves_modified_head),
	GT_CASE(s5_arm_settles_a_bounded_number_of_heads),
	GT_CASE(s10_adjust_settles_every_modified_timer),
	GT_CASE(s10_adjust_forced_by_stopped_timers),
	GT_CASE(s11_run_one_shot_removes_then_calls),
	GT_CASE(s12_run_periodic_stays_waiting),
	GT_CASE(s12_periodic_next_clamps_at_s64_max),
	GT_CASE(s12_periodic_next_at_the_edges),
	GT_CASE(lateness_histogram_counts_every_callback),
	GT_CASE(log_histogram_floors_round_trip),
	GT_CASE(s13_s15_move_adopts_every_state),
	GT_CASE(move_leaves_room_for_one_add),
	GT_CASE(s16_unheap_takes_every_state_out),
	GT_CASE(s16_unheap_asks_again_before_the_add),
	GT_CASE_WARNS(s16_unheap_repairs_timer_claiming_heap_without_slot, 1),
	GT_CASE_WARNS(s16_unheap_repairs_removed_timer_with_owner, 1),
	GT_CASE(growth_in_atomic_context_never_vfrees),
	GT_CASE(s17_rearm_while_running_stays_on_running_base),
	GT_CASE(s17_falls_back_to_s5_on_a_dead_cpu),
	GT_CASE(unpinned_s5_uses_the_unpinned_base_and_arms_the_steal_timer),
	GT_CASE(s19_stolen_run_is_published_in_the_thiefs_base),
	GT_CASE(time_add_saturates_at_the_end_of_time),
	GT_CASE(s18_postpone_saturates_at_the_end_of_time),
	GT_CASE(s18_looks_at_the_worker_the_run_recorded),
	GT_CASE(s18_postponed_timer_keeps_its_time_and_phase),
	GT_CASE_WARNS(removed_timer_in_heap_is_dropped_not_written, 1),
	GT_CASE_WARNS(verify_heaps_catches_corruption, 1),
};

int main(void)
{
	return gt_run("gotimer_status", cases, ARRAY_SIZE(cases), status_init,
		      status_exit);
}
