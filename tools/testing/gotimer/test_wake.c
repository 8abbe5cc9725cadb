// SPDX-License-Identifier: GPL-2.0
/*
 * The worker's wake protocol (module/base.c: W1-W5 on the worker's side,
 * L1-L3 on every store that lowers a base's earliest time), driven step by
 * step on one thread.  The worker's half is gotimer_base_sleep_begin(); the
 * other "CPUs" act from gt_test_hook() at the two points where the worker
 * can be interrupted in the kernel: after W1, and between the two loads of
 * gotimer_base_next().  gotimer_wake_worker() only counts here
 * (gt_wakeups[]), and records the preemption count it was called with.
 *
 * The judgement is the protocol's promise: when sleep_begin() lets the
 * worker sleep until D, every timer due before D has a wake-up on its way.
 */
#include "harness.h"

#define CPU0	0
#define CPU1	1
#define CPU2	2

static struct gotimer t[8];
static int fired[8];
static int wake_preempt = -1;	/* preempt_count() at the last wake-up */
static long wakes_at_start;

/* The hook of each case: a script of steps at given hook calls. */
static void (*on_sleep_read)(void);
static void (*on_next_split)(int call);
static int next_split_calls;
static void (*on_s5_window)(void);

static void record_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	fired[seq]++;
}

static void hook(enum gotimer_hook point, struct gotimer_base *base)
{
	void (*fn)(void);

	if (point == GOTIMER_HOOK_S5_WINDOW) {
		fn = on_s5_window;
		on_s5_window = NULL;	/* once */
		if (fn)
			fn();
		return;
	}
	if (base != &gt_bases[CPU0])
		return;
	switch (point) {
	case GOTIMER_HOOK_SLEEP_READ:
		fn = on_sleep_read;
		on_sleep_read = NULL;	/* once */
		if (fn)
			fn();
		break;
	case GOTIMER_HOOK_NEXT_SPLIT:
		if (on_next_split)
			on_next_split(next_split_calls++);
		break;
	default:
		break;
	}
}

static long wakes(void)
{
	return __atomic_load_n(&gt_wakeups[CPU0], __ATOMIC_SEQ_CST) - wakes_at_start;
}

static void wake_init(void)
{
	gt_bases_init(3);
	memset(t, 0, sizeof(t));
	memset(fired, 0, sizeof(fired));
	gt_set_cpu(CPU0);
	gt_fake_now = 100;
	on_sleep_read = NULL;
	on_next_split = NULL;
	next_split_calls = 0;
	on_s5_window = NULL;
	wakes_at_start = gt_wakeups[CPU0];
	wake_preempt = -1;
	gt_test_hook = hook;
}

static void wake_exit(void)
{
	gt_test_hook = NULL;
	gt_fake_now = 0;
	gt_set_cpu(CPU0);
	EXPECT_EQ(gt_drain_base(&gt_bases[CPU0]), 0);
	EXPECT_EQ(gt_drain_base(&gt_bases[CPU1]), 0);
	EXPECT_EQ(gt_drain_base(&gt_ubases[CPU0]), 0);
}

/*
 * The promise, checked where the worker commits to sleeping: sleeping until
 * @until is fine if no pending timer of CPU0 is due before it, or if a
 * wake-up has been issued since the worker published ->wake_at.
 */
static void expect_no_missed_wake(s64 until, long wakes_before)
{
	struct gotimer_base *b = &gt_bases[CPU0];
	s64 earliest = S64_MAX;
	unsigned int i;

	if (!until)
		return;		/* it does not sleep: nothing to miss */
	for (i = 0; i < b->heap.len; i++) {
		struct gotimer *x = gotimer_heap_at(&b->heap, i);
		s64 w = atomic_read(&x->status) == GOTIMER_MODIFIED ? x->nextwhen : x->when;

		if (w && w < earliest)
			earliest = w;
	}
	if (earliest < until && wakes() == wakes_before)
		GT_FAIL("missed wake-up: worker sleeps until %lld, a timer is due at %lld, no wake-up",
			(long long)until, (long long)earliest);
}

static void arm_on(int cpu, unsigned int i, s64 when)
{
	gt_set_cpu(cpu);
	ASSERT_EQ(gotimer_modify(&t[i], when, 0, record_fire, NULL, i), 0);
	gt_set_cpu(CPU0);
}

/* Issue 12, defect 1, step "another CPU modifies X to 500". */
static void cpu1_modifies_x_to_500(void)
{
	gt_set_cpu(CPU1);
	EXPECT_EQ(gotimer_modify(&t[0], 500, 0, record_fire, NULL, 0), 1);
	gt_set_cpu(CPU0);
}

/*
 * Issue 12, defect 1, step "a task on CPU0 arms an idle timer at 2000,
 * whose forced adjust clears modified_earliest and publishes timer0_when =
 * 500": between the recheck's two loads (the second call of
 * gotimer_base_next() in sleep_begin, the first being W1).
 */
static void cpu0_arms_at_2000_mid_recheck(int call)
{
	if (call != 1)
		return;
	on_next_split = NULL;
	arm_on(CPU0, 5, 2000);
}

/*
 * The interleaving of issue 12, defect 1: X at 1000 in CPU0's heap with
 * more than len/4 stopped timers; the worker reads next = 1000 (W1); CPU1
 * modifies X to 500; the worker stores wake_at = 1000 and reads
 * timer0_when = 1000; CPU0's task arms a timer at 2000, which settles X at
 * the head (then: a forced adjust) and republishes timer0_when = 500; the
 * worker reads modified_earliest = 0.  Before the fix nobody woke the
 * worker and X would fire at 1000.
 */
static void defect1_forced_adjust_under_recheck_wakes_worker(void)
{
	struct gotimer_base *b = &gt_bases[CPU0];
	unsigned long adjusted;
	long before;
	s64 until;
	int i;

	arm_on(CPU0, 0, 1000);
	for (i = 1; i <= 4; i++) {
		arm_on(CPU0, i, 3000 + i);
		EXPECT_TRUE(gotimer_stop(&t[i]));
	}
	ASSERT_TRUE(atomic_read(&b->deleted) > b->heap.len / 4);
	EXPECT_EQ(gotimer_base_next(b), 1000);

	on_sleep_read = cpu1_modifies_x_to_500;
	on_next_split = cpu0_arms_at_2000_mid_recheck;
	before = wakes();
	adjusted = b->adjusted;
	until = gotimer_base_sleep_begin(b, gt_fake_now);
	/*
	 * The script ran: X modified, the arm done.  The arm settled the
	 * Modified head ([S9]) but left the O(n) adjust to the worker
	 * (issue 13, item 4): none ran in the caller.
	 */
	EXPECT_EQ(atomic_read(&t[5].status), GOTIMER_WAITING);
	EXPECT_EQ(b->adjusted, adjusted);
	EXPECT_EQ(atomic64_read(&b->timer0_when), 500);
	expect_no_missed_wake(until, before);
	gotimer_base_sleep_end(b, until);

	/* And X fires at 500, not 1000. */
	gt_fake_now = 500;
	EXPECT_EQ(gt_run_due(b, gt_fake_now), 1);
	EXPECT_EQ(fired[0], 1);
	for (i = 0; i <= 5; i++)
		gotimer_stop(&t[i]);
}

/* A modify between W1 and W2 is seen by the recheck: no sleep. */
static void modify_between_read_and_publish_prevents_sleep(void)
{
	struct gotimer_base *b = &gt_bases[CPU0];
	long before = wakes();
	s64 until;

	arm_on(CPU0, 0, 1000);
	on_sleep_read = cpu1_modifies_x_to_500;
	until = gotimer_base_sleep_begin(b, gt_fake_now);
	EXPECT_EQ(until, 0);
	EXPECT_EQ(atomic64_read(&b->wake_at), 0);
	expect_no_missed_wake(until, before);
	gotimer_stop(&t[0]);
}

/* A modify while the worker sleeps: woken once, by the first to beat it. */
static void modify_earlier_while_asleep_wakes_once(void)
{
	struct gotimer_base *b = &gt_bases[CPU0];
	long before;

	arm_on(CPU0, 0, 1000);
	arm_on(CPU0, 1, 1500);
	EXPECT_EQ(gotimer_base_sleep_begin(b, gt_fake_now), 1000);
	EXPECT_EQ(atomic64_read(&b->wake_at), 1000);
	before = wakes();

	gt_set_cpu(CPU1);
	EXPECT_EQ(gotimer_modify(&t[1], 1200, 0, record_fire, NULL, 1), 1);
	EXPECT_EQ(wakes(), before);		/* later than 1000: no wake */
	EXPECT_EQ(gotimer_modify(&t[1], 800, 0, record_fire, NULL, 1), 1);
	EXPECT_EQ(wakes(), before + 1);
	EXPECT_EQ(atomic64_read(&b->wake_at), 0);
	EXPECT_EQ(gotimer_modify(&t[0], 700, 0, record_fire, NULL, 0), 1);
	EXPECT_EQ(wakes(), before + 1);		/* already woken */
	gt_set_cpu(CPU0);
	gotimer_base_sleep_end(b, 1000);
	gotimer_stop(&t[0]);
	gotimer_stop(&t[1]);
}

/*
 * Issue 12, defect 4: the modify-earlier wake-up is issued with preemption
 * still off (under the timer's status lock), not after preempt_enable(),
 * where a preempted modifier would leave the owner asleep past when.
 */
static void modify_earlier_wakes_with_preemption_off(void)
{
	struct gotimer_base *b = &gt_bases[CPU0];
	long before;

	arm_on(CPU0, 0, 1000);
	EXPECT_EQ(gotimer_base_sleep_begin(b, gt_fake_now), 1000);
	before = wakes();
	gt_set_cpu(CPU1);
	ASSERT_EQ(preempt_count(), 0);
	EXPECT_EQ(gotimer_modify(&t[0], 400, 0, record_fire, NULL, 0), 1);
	gt_set_cpu(CPU0);
	EXPECT_EQ(wakes(), before + 1);
	EXPECT_TRUE(wake_preempt > 0);
	gotimer_base_sleep_end(b, 1000);
	gotimer_stop(&t[0]);
}

/* An arm on a base whose worker sleeps with no timer (S64_MAX) wakes it. */
static void arm_on_empty_sleeping_base_wakes(void)
{
	struct gotimer_base *b = &gt_bases[CPU0];
	long before;

	EXPECT_EQ(gotimer_base_sleep_begin(b, gt_fake_now), S64_MAX);
	before = wakes();
	arm_on(CPU0, 0, 5000);
	EXPECT_EQ(wakes(), before + 1);
	EXPECT_TRUE(wake_preempt > 0);
	gotimer_base_sleep_end(b, S64_MAX);
	/* Awake, an earlier arm needs no wake-up: the worker re-reads. */
	arm_on(CPU0, 1, 4000);
	EXPECT_EQ(wakes(), before + 1);
	gotimer_stop(&t[0]);
	gotimer_stop(&t[1]);
}

/* Raises (a stop, a later arm) never wake; a due base never sleeps. */
static void raises_do_not_wake_and_due_never_sleeps(void)
{
	struct gotimer_base *b = &gt_bases[CPU0];
	long before;

	arm_on(CPU0, 0, 1000);
	EXPECT_EQ(gotimer_base_sleep_begin(b, gt_fake_now), 1000);
	before = wakes();
	arm_on(CPU0, 1, 3000);
	EXPECT_TRUE(gotimer_stop(&t[0]));
	EXPECT_EQ(wakes(), before);
	gotimer_base_sleep_end(b, 1000);

	gt_fake_now = 3000;
	EXPECT_EQ(gotimer_base_sleep_begin(b, gt_fake_now), 0);
	EXPECT_EQ(atomic64_read(&b->wake_at), 0);
	gotimer_stop(&t[1]);
}

/*
 * Issue 13, item 4: an arm on a base with more than a quarter of its heap
 * stopped does not run the O(n) adjust itself (under the raw heap lock,
 * in the caller's context): it wakes the worker, whose next run does it.
 */
static void arm_leaves_the_forced_adjust_to_the_worker(void)
{
	struct gotimer_base *b = &gt_bases[CPU0];
	unsigned long adjusted;
	long before;
	int i;

	/* A Waiting head, four stopped timers behind it. */
	arm_on(CPU0, 0, 3000);
	for (i = 1; i <= 4; i++) {
		arm_on(CPU0, i, 5000 + i);
		EXPECT_TRUE(gotimer_stop(&t[i]));
	}
	EXPECT_EQ(gotimer_base_sleep_begin(b, gt_fake_now), 3000);
	before = wakes();
	adjusted = b->adjusted;
	arm_on(CPU0, 5, 4000);
	EXPECT_EQ(b->adjusted, adjusted);		/* not in the caller */
	EXPECT_EQ(atomic_read(&b->deleted), 4);
	EXPECT_EQ(wakes(), before + 1);			/* the worker's job */
	gotimer_base_sleep_end(b, 3000);
	EXPECT_EQ(gt_run_due(b, gt_fake_now), 0);	/* the worker wakes */
	EXPECT_EQ(b->adjusted, adjusted + 1);
	EXPECT_EQ(atomic_read(&b->deleted), 0);
	EXPECT_EQ(b->heap.len, 2);
	gotimer_stop(&t[0]);
	gotimer_stop(&t[5]);
}

/*
 * Issue 23, 8f: W5 after a take-over.  Worker A, the runner, sleeps until
 * 1000.  A timer armed at 500 wakes "the worker" (the cmpxchg to 0); a
 * standby B, now the runner, goes to sleep until 500 and publishes it.
 * Then A's sleep ends: its W5 must not clear B's ->wake_at, or a later
 * store that lowers the earliest time below 500 finds 0 ("awake") and
 * wakes nobody while B sleeps.
 */
static void sleep_end_keeps_a_new_runners_wake_at(void)
{
	struct gotimer_base *b = &gt_bases[CPU0];
	s64 a_until, b_until;
	long before;

	arm_on(CPU0, 0, 1000);
	a_until = gotimer_base_sleep_begin(b, gt_fake_now);	/* A */
	EXPECT_EQ(a_until, 1000);
	before = wakes();
	arm_on(CPU0, 1, 500);
	EXPECT_EQ(wakes(), before + 1);
	b_until = gotimer_base_sleep_begin(b, gt_fake_now);	/* B */
	EXPECT_EQ(b_until, 500);
	gotimer_base_sleep_end(b, a_until);					/* A wakes */
	EXPECT_EQ(atomic64_read(&b->wake_at), 500);
	before = wakes();
	arm_on(CPU0, 2, 300);
	EXPECT_EQ(wakes(), before + 1);				/* B is woken */
	gotimer_base_sleep_end(b, b_until);
	EXPECT_EQ(atomic64_read(&b->wake_at), 0);
	gotimer_stop(&t[0]);
	gotimer_stop(&t[1]);
	gotimer_stop(&t[2]);
}

/*
 * Issue 23, defect 4: the steps other CPUs take in [S5]'s window of CPU0's
 * arm of t[0] at 1000 (t[0] Waiting, ->base set, not yet in the heap).
 * CPU1 modifies it to 500 ([S6]: modified_earliest = 500); CPU2, a thief,
 * runs CPU0's unpinned base at @s5_thief_now, whose adjust clears
 * modified_earliest and walks a heap without t[0].
 */
static s64 s5_thief_now;

static void s5_window_modify_then_steal(void)
{
	gt_set_cpu(CPU1);
	EXPECT_EQ(gotimer_modify(&t[0], 500, 0, record_fire, NULL, 0), 1);
	EXPECT_EQ(gotimer_base_next(&gt_ubases[CPU0]), 500);
	gt_set_cpu(CPU2);
	EXPECT_EQ(gotimer_run_due_as(&gt_ubases[CPU0], s5_thief_now,
				     &gt_ubases[CPU2],
				     gt_worker(&gt_ubases[CPU2], 0)), 0);
	gt_set_cpu(CPU0);
}

/*
 * The arm returns with t[0] in the heap keyed at 1000, Modified to 500:
 * its effective time is 500, and the base must say so (its earliest time
 * is what its worker sleeps until, what the steal timer and the
 * missed-wake detector read).  Run at 500, it fires.
 */
static void s5_window_case(bool forced)
{
	struct gotimer_base *ub = &gt_ubases[CPU0];
	unsigned long adjusted = ub->adjusted;
	int i;

	for (i = 0; i <= 4; i++)
		ASSERT_EQ(gotimer_init_flags(&t[i], GOTIMER_UNPINNED), 0);
	if (forced) {
		/* Stopped timers enough for a forced adjust by the thief. */
		for (i = 1; i <= 4; i++) {
			arm_on(CPU0, i, 3000 + i);
			EXPECT_TRUE(gotimer_stop(&t[i]));
		}
		s5_thief_now = 100;	/* nothing due: forced */
	} else {
		s5_thief_now = 500;	/* the new time is due */
	}
	on_s5_window = s5_window_modify_then_steal;
	arm_on(CPU0, 0, 1000);
	EXPECT_TRUE(!on_s5_window);		/* the window was reached */
	EXPECT_EQ(ub->adjusted, adjusted + 1);	/* the thief's adjust ran */
	/* Its effective time, whether settled or still Modified. */
	EXPECT_EQ(atomic_read(&t[0].status) == GOTIMER_MODIFIED ?
		  t[0].nextwhen : t[0].when, 500);
	EXPECT_EQ(gotimer_base_next(ub), 500);
	EXPECT_EQ(gt_run_due(ub, 500), 1);
	EXPECT_EQ(fired[0], 1);
	for (i = 0; i <= 4; i++)
		gotimer_stop(&t[i]);
}

static void defect4_s5_window_modify_earlier_survives_due_adjust(void)
{
	s5_window_case(false);
}

static void defect4_s5_window_modify_earlier_survives_forced_adjust(void)
{
	s5_window_case(true);
}

static void record_wake_preempt(void)
{
	wake_preempt = preempt_count();
}

static void wake_case_init(void)
{
	wake_init();
	gt_wake_observer = record_wake_preempt;
}

static void wake_case_exit(void)
{
	gt_wake_observer = NULL;
	wake_exit();
}

static const struct gt_case cases[] = {
	GT_CASE(defect1_forced_adjust_under_recheck_wakes_worker),
	GT_CASE(modify_between_read_and_publish_prevents_sleep),
	GT_CASE(modify_earlier_while_asleep_wakes_once),
	GT_CASE(modify_earlier_wakes_with_preemption_off),
	GT_CASE(arm_on_empty_sleeping_base_wakes),
	GT_CASE(raises_do_not_wake_and_due_never_sleeps),
	GT_CASE(arm_leaves_the_forced_adjust_to_the_worker),
	GT_CASE(sleep_end_keeps_a_new_runners_wake_at),
	GT_CASE(defect4_s5_window_modify_earlier_survives_due_adjust),
	GT_CASE(defect4_s5_window_modify_earlier_survives_forced_adjust),
};

int main(void)
{
	return gt_run("gotimer_wake", cases, ARRAY_SIZE(cases),
		      wake_case_init, wake_case_exit);
}
