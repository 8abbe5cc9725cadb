// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "gotimer_callback_class": the lockdep class gotimer_init()
 * gives a timer's callback.  With CONFIG_PROVE_LOCKING, gotimer_stop_sync()
 * under a lock that the timer's callback takes is reported the first time
 * both orders are seen, even though nothing deadlocks that time (the
 * timer is idle); under a lock that only another class's callback takes,
 * nothing is reported.
 *
 * Runs last in gotimer_kunit.ko (kunit/Kbuild): its second case makes
 * lockdep report on purpose, and lockdep turns itself off after its first
 * report (debug_locks), which is what the case checks.  scripts/
 * allowed-warnings allows exactly that report, by its two lock names.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/debug_locks.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "internal.h"

#define CLASS_WAIT	(30 * HZ)	/* only against a hang */

static DEFINE_MUTEX(gt_class_test_mutex);

/*
 * Two timers of two classes (two gotimer_init() call sites): the taker's
 * callback takes gt_class_test_mutex, the bystander's takes nothing.
 */
struct class_pair {
	struct gotimer taker;
	struct gotimer bystander;
	struct completion taker_ran, bystander_ran;
};

static void taker_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct class_pair *p = arg;

	mutex_lock(&gt_class_test_mutex);
	mutex_unlock(&gt_class_test_mutex);
	complete(&p->taker_ran);
}

static void bystander_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct class_pair *p = arg;

	complete(&p->bystander_ran);
}

/* Both callbacks have run once: lockdep has seen "taker -> mutex". */
static struct class_pair *pair_ran(struct kunit *test)
{
	struct class_pair *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	init_completion(&p->taker_ran);
	init_completion(&p->bystander_ran);
	gotimer_init(&p->taker);
	gotimer_init(&p->bystander);
	KUNIT_ASSERT_EQ(test, gotimer_modify(&p->taker, gotimer_now(), 0,
					     taker_fn, p, 0), 0);
	KUNIT_ASSERT_EQ(test, gotimer_modify(&p->bystander, gotimer_now(), 0,
					     bystander_fn, p, 0), 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&p->taker_ran,
							    CLASS_WAIT));
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&p->bystander_ran,
							    CLASS_WAIT));
	KUNIT_ASSERT_FALSE(test, gotimer_stop_sync(&p->taker));
	KUNIT_ASSERT_FALSE(test, gotimer_stop_sync(&p->bystander));
	return p;
}

static void stop_sync_under_another_class_lock_is_not_reported(struct kunit *test)
{
	struct class_pair *p;

	if (!IS_ENABLED(CONFIG_PROVE_LOCKING))
		kunit_skip(test, "needs CONFIG_PROVE_LOCKING");
	KUNIT_ASSERT_TRUE_MSG(test, debug_locks, "lockdep was off before the case");
	p = pair_ran(test);
	mutex_lock(&gt_class_test_mutex);
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&p->bystander));
	mutex_unlock(&gt_class_test_mutex);
	KUNIT_EXPECT_TRUE_MSG(test, debug_locks,
			      "lockdep reported stop_sync of a timer whose callback takes no lock");
}

static void stop_sync_under_its_callback_lock_is_reported(struct kunit *test)
{
	struct class_pair *p;

	if (!IS_ENABLED(CONFIG_PROVE_LOCKING))
		kunit_skip(test, "needs CONFIG_PROVE_LOCKING");
	KUNIT_ASSERT_TRUE_MSG(test, debug_locks, "lockdep was off before the case");
	p = pair_ran(test);
	/* The taker is idle: no deadlock now, but one waiting to happen. */
	mutex_lock(&gt_class_test_mutex);
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&p->taker));
	mutex_unlock(&gt_class_test_mutex);
	KUNIT_EXPECT_FALSE_MSG(test, debug_locks,
			       "no lockdep report for stop_sync under a lock its callback takes");
}

static struct kunit_case callback_class_cases[] = {
	KUNIT_CASE(stop_sync_under_another_class_lock_is_not_reported),
	KUNIT_CASE(stop_sync_under_its_callback_lock_is_reported),
	{}
};

static struct kunit_suite callback_class_suite = {
	.name = "gotimer_callback_class",
	.test_cases = callback_class_cases,
};

kunit_test_suite(callback_class_suite);
