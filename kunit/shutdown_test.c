// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "gotimer_shutdown": gotimer_shutdown() and
 * gotimer_shutdown_sync() (rows S20, S21 of the transition table in
 * module/status.c): every later arm is refused with -ESHUTDOWN and changes
 * nothing, also from the timer's own callback, until gotimer_init().
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/slab.h>
#include "internal.h"

#define HOUR_NS		(3600LL * NSEC_PER_SEC)
#define SD_WAIT		(30 * HZ)	/* only against a hang */

static void never_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	atomic_inc(arg);
}

/* [S20] then [S21] for every arming call; gotimer_init() undoes it. */
static void shutdown_refuses_every_arm_until_init(struct kunit *test)
{
	struct gotimer *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	atomic_t *calls = kunit_kzalloc(test, sizeof(*calls), GFP_KERNEL);
	s64 when;

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_NOT_NULL(test, calls);
	when = gotimer_now() + HOUR_NS;
	KUNIT_ASSERT_EQ(test, gotimer_modify(t, when, 0, never_fn, calls, 7), 0);
	KUNIT_EXPECT_TRUE(test, gotimer_shutdown(t));		/* was pending */
	KUNIT_EXPECT_FALSE(test, gotimer_pending(t));
	KUNIT_EXPECT_EQ(test, atomic_read(&t->status), GOTIMER_MODIFIED);
	KUNIT_EXPECT_EQ(test, t->nextwhen, 0LL);

	KUNIT_EXPECT_EQ(test, gotimer_modify(t, when + 1, 5, never_fn, calls, 8),
			-ESHUTDOWN);
	KUNIT_EXPECT_EQ(test, gotimer_reset(t, when + 2), -ESHUTDOWN);
	KUNIT_EXPECT_EQ(test, gotimer_modify_on(gotimer_cpu_base(0), t,
						when + 3, 0, never_fn, calls, 9),
			-ESHUTDOWN);
	/* Nothing changed: still the stopped timer of the first arm. */
	KUNIT_EXPECT_EQ(test, atomic_read(&t->status), GOTIMER_MODIFIED);
	KUNIT_EXPECT_EQ(test, t->when, when);
	KUNIT_EXPECT_EQ(test, t->nextwhen, 0LL);
	KUNIT_EXPECT_EQ(test, t->period, 0LL);
	KUNIT_EXPECT_EQ(test, t->seq, (uintptr_t)7);
	KUNIT_EXPECT_FALSE(test, gotimer_pending(t));

	/* A second shutdown: not pending; the sync one takes it out. */
	KUNIT_EXPECT_FALSE(test, gotimer_shutdown(t));
	KUNIT_EXPECT_FALSE(test, gotimer_shutdown_sync(t));
	KUNIT_EXPECT_NULL(test, READ_ONCE(t->base));
	KUNIT_EXPECT_EQ(test, atomic_read(&t->status), GOTIMER_REMOVED);
	KUNIT_EXPECT_EQ(test, gotimer_modify(t, when, 0, never_fn, calls, 10),
			-ESHUTDOWN);
	KUNIT_EXPECT_NULL(test, READ_ONCE(t->base));

	/* gotimer_init() makes it usable again; so does gotimer_init_flags(). */
	gotimer_init(t);
	KUNIT_EXPECT_EQ(test, gotimer_modify(t, when, 0, never_fn, calls, 11), 0);
	KUNIT_EXPECT_TRUE(test, gotimer_pending(t));
	KUNIT_EXPECT_TRUE(test, gotimer_shutdown_sync(t));	/* was pending */
	KUNIT_EXPECT_EQ(test, gotimer_init_flags(t, GOTIMER_UNPINNED), 0);
	KUNIT_EXPECT_EQ(test, gotimer_modify(t, when, 0, never_fn, calls, 12), 0);
	KUNIT_EXPECT_TRUE(test, gotimer_stop_sync(t));
	KUNIT_EXPECT_EQ(test, atomic_read(calls), 0);
}

/*
 * A callback that re-arms its timer each time it runs.  The third run
 * waits, inside the callback, until the test has shut the timer down, and
 * then re-arms: that arm must be refused (-ESHUTDOWN), so the callback does
 * not survive gotimer_shutdown_sync().
 */
struct rearmer {
	struct gotimer t;
	int calls;
	int last_err;
	struct completion third, go;
};

static void rearm_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct rearmer *r = arg;

	if (++r->calls == 3) {
		complete(&r->third);
		wait_for_completion_timeout(&r->go, SD_WAIT);
	}
	r->last_err = gotimer_modify(&r->t, gotimer_now() + NSEC_PER_MSEC, 0,
				     rearm_fn, r, 0);
}

static void shutdown_sync_outlives_a_self_rearming_callback(struct kunit *test)
{
	struct rearmer *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	init_completion(&r->third);
	init_completion(&r->go);
	KUNIT_ASSERT_EQ(test, gotimer_modify(&r->t, gotimer_now(), 0, rearm_fn,
					     r, 0), 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&r->third, SD_WAIT));
	/* The third callback is inside, waiting: the timer is idle. */
	KUNIT_EXPECT_FALSE(test, gotimer_shutdown(&r->t));
	complete(&r->go);
	KUNIT_EXPECT_FALSE(test, gotimer_shutdown_sync(&r->t));
	/* It returned after the callback, whose re-arm was refused. */
	KUNIT_EXPECT_EQ(test, r->calls, 3);
	KUNIT_EXPECT_EQ(test, r->last_err, -ESHUTDOWN);
	KUNIT_EXPECT_FALSE(test, gotimer_pending(&r->t));
	KUNIT_EXPECT_NULL(test, READ_ONCE(r->t.base));
	KUNIT_EXPECT_EQ(test, atomic_read(&r->t.status), GOTIMER_REMOVED);
}

/*
 * gotimer_shutdown_sync() from the timer's own callback: it does not wait
 * for itself, and the timer stays shut down.
 */
struct self_shut {
	struct gotimer t;
	bool pending_in_cb;
	int rearm_err;
	struct completion done;
};

static void self_shut_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct self_shut *p = arg;

	p->pending_in_cb = gotimer_shutdown_sync(&p->t);
	p->rearm_err = gotimer_modify(&p->t, gotimer_now(), 0, self_shut_fn,
				      p, 0);
	complete(&p->done);
}

static void shutdown_sync_from_its_own_callback(struct kunit *test)
{
	struct self_shut *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	init_completion(&p->done);
	/* Periodic: pending while its callback runs ([S12]). */
	KUNIT_ASSERT_EQ(test, gotimer_modify(&p->t, gotimer_now(), HOUR_NS,
					     self_shut_fn, p, 0), 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&p->done, SD_WAIT));
	KUNIT_EXPECT_TRUE(test, p->pending_in_cb);
	KUNIT_EXPECT_EQ(test, p->rearm_err, -ESHUTDOWN);
	KUNIT_EXPECT_FALSE(test, gotimer_shutdown_sync(&p->t));
	KUNIT_EXPECT_NULL(test, READ_ONCE(p->t.base));
	KUNIT_EXPECT_FALSE(test, gotimer_pending(&p->t));
}

static struct kunit_case shutdown_cases[] = {
	KUNIT_CASE(shutdown_refuses_every_arm_until_init),
	KUNIT_CASE(shutdown_sync_outlives_a_self_rearming_callback),
	KUNIT_CASE(shutdown_sync_from_its_own_callback),
	{}
};

static struct kunit_suite shutdown_suite = {
	.name = "gotimer_shutdown",
	.test_cases = shutdown_cases,
};

kunit_test_suite(shutdown_suite);
