// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "gotimer_heap": the 4-ary heap against a simple reference,
 * with the invariant checked after every operation.
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include "internal.h"

#define HEAP_TEST_MAX	512
#define HEAP_TEST_OPS	4000

struct heap_fixture {
	struct gotimer_heap h;
	struct gotimer timers[HEAP_TEST_MAX];
	bool in_heap[HEAP_TEST_MAX];
	unsigned int n_in;
	struct rnd_state rnd;
};

static int heap_test_init(struct kunit *test)
{
	struct heap_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->h.slots = kunit_kcalloc(test, HEAP_TEST_MAX, sizeof(*f->h.slots),
				   GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->h.slots);
	f->h.cap = HEAP_TEST_MAX;
	prandom_seed_state(&f->rnd, 0x60714e5);
	test->priv = f;
	return 0;
}

/* The reference: the smallest when among the timers marked in the heap. */
static s64 reference_min(struct heap_fixture *f)
{
	s64 min = S64_MAX;
	unsigned int i;

	for (i = 0; i < HEAP_TEST_MAX; i++)
		if (f->in_heap[i] && f->timers[i].when < min)
			min = f->timers[i].when;
	return min;
}

/* Same multiset of timers in the heap as in the reference. */
static void expect_same_members(struct kunit *test, struct heap_fixture *f)
{
	unsigned int i, seen = 0;

	KUNIT_ASSERT_EQ(test, f->h.len, f->n_in);
	for (i = 0; i < f->h.len; i++) {
		unsigned int k = gotimer_heap_at(&f->h, i) - f->timers;

		KUNIT_ASSERT_LT(test, k, (unsigned int)HEAP_TEST_MAX);
		KUNIT_EXPECT_TRUE(test, f->in_heap[k]);
		seen++;
	}
	KUNIT_EXPECT_EQ(test, seen, f->n_in);
}

static unsigned int pick_free(struct heap_fixture *f)
{
	unsigned int k;

	do {
		k = prandom_u32_state(&f->rnd) % HEAP_TEST_MAX;
	} while (f->in_heap[k]);
	return k;
}

static void push_random(struct heap_fixture *f, u32 range)
{
	unsigned int k = pick_free(f);

	/* Small ranges give many equal keys, which must be handled too. */
	f->timers[k].when = 1 + prandom_u32_state(&f->rnd) % range;
	gotimer_heap_push(&f->h, &f->timers[k]);
	f->in_heap[k] = true;
	f->n_in++;
}

static void heap_random_ops_match_reference(struct kunit *test)
{
	struct heap_fixture *f = test->priv;
	unsigned int op, i;

	for (op = 0; op < HEAP_TEST_OPS; op++) {
		u32 r = prandom_u32_state(&f->rnd) % 10;

		if (f->n_in < HEAP_TEST_MAX - 1 && (f->n_in == 0 || r < 5)) {
			push_random(f, op & 1 ? 50 : 1000000);
		} else if (r < 8) {
			/* pop the head: it must be the reference minimum */
			struct gotimer *t = gotimer_heap_at(&f->h, 0);

			KUNIT_ASSERT_EQ(test, t->when, reference_min(f));
			gotimer_heap_delete(&f->h, 0);
			f->in_heap[t - f->timers] = false;
			f->n_in--;
		} else {
			/* delete an arbitrary slot, as stop_sync does */
			i = prandom_u32_state(&f->rnd) % f->h.len;
			f->in_heap[gotimer_heap_at(&f->h, i) - f->timers] = false;
			gotimer_heap_delete(&f->h, i);
			f->n_in--;
		}
		KUNIT_ASSERT_EQ_MSG(test, gotimer_heap_verify(&f->h), -1,
				    "invariant broken after op %u", op);
	}
	expect_same_members(test, f);
}

static void heap_pops_come_out_sorted(struct kunit *test)
{
	struct heap_fixture *f = test->priv;
	s64 last = 0;
	unsigned int i;

	for (i = 0; i < 300; i++)
		push_random(f, 100);
	while (f->h.len) {
		struct gotimer *t = gotimer_heap_at(&f->h, 0);

		KUNIT_ASSERT_GE(test, t->when, last);
		last = t->when;
		gotimer_heap_delete(&f->h, 0);
		KUNIT_ASSERT_EQ(test, gotimer_heap_verify(&f->h), -1);
	}
}

static void heap_heapify_builds_valid_heap(struct kunit *test)
{
	struct heap_fixture *f = test->priv;
	unsigned int i, k;

	for (i = 0; i < 400; i++) {
		k = pick_free(f);
		f->timers[k].when = 1 + prandom_u32_state(&f->rnd) % 100000;
		gotimer_heap_append(&f->h, &f->timers[k]);
		f->in_heap[k] = true;
		f->n_in++;
	}
	/* Appended in random order: almost surely not a heap yet. */
	KUNIT_EXPECT_NE(test, gotimer_heap_verify(&f->h), -1);
	gotimer_heap_heapify(&f->h);
	KUNIT_EXPECT_EQ(test, gotimer_heap_verify(&f->h), -1);
	KUNIT_EXPECT_EQ(test, gotimer_heap_at(&f->h, 0)->when, reference_min(f));
	expect_same_members(test, f);
}

static void heap_unordered_removal_then_heapify(struct kunit *test)
{
	struct heap_fixture *f = test->priv;
	unsigned int i;

	for (i = 0; i < 300; i++)
		push_random(f, 1000);
	/* What adjust does: drop every third slot, then one heapify. */
	for (i = 0; i < f->h.len; i += 3) {
		f->in_heap[gotimer_heap_at(&f->h, i) - f->timers] = false;
		gotimer_heap_remove_unordered(&f->h, i);
		f->n_in--;
	}
	gotimer_heap_heapify(&f->h);
	KUNIT_EXPECT_EQ(test, gotimer_heap_verify(&f->h), -1);
	KUNIT_EXPECT_EQ(test, gotimer_heap_at(&f->h, 0)->when, reference_min(f));
	expect_same_members(test, f);
}

static void heap_verify_detects_broken_order_and_index(struct kunit *test)
{
	struct heap_fixture *f = test->priv;
	unsigned int i;
	s64 old;

	for (i = 0; i < 50; i++)
		push_random(f, 1000);
	KUNIT_ASSERT_EQ(test, gotimer_heap_verify(&f->h), -1);

	/* A child earlier than its parent (slot 5's parent is slot 1). */
	old = gotimer_heap_at(&f->h, 5)->when;
	gotimer_heap_at(&f->h, 5)->when = gotimer_heap_at(&f->h, 1)->when - 1;
	KUNIT_EXPECT_EQ(test, gotimer_heap_verify(&f->h), 5);
	gotimer_heap_at(&f->h, 5)->when = old;
	KUNIT_EXPECT_EQ(test, gotimer_heap_verify(&f->h), -1);

	/* A stale back-index. */
	gotimer_heap_at(&f->h, 7)->idx = 3;
	KUNIT_EXPECT_EQ(test, gotimer_heap_verify(&f->h), 7);
	gotimer_heap_at(&f->h, 7)->idx = 7;
}

static struct kunit_case heap_cases[] = {
	KUNIT_CASE(heap_random_ops_match_reference),
	KUNIT_CASE(heap_pops_come_out_sorted),
	KUNIT_CASE(heap_heapify_builds_valid_heap),
	KUNIT_CASE(heap_unordered_removal_then_heapify),
	KUNIT_CASE(heap_verify_detects_broken_order_and_index),
	{}
};

static struct kunit_suite heap_suite = {
	.name = "gotimer_heap",
	.init = heap_test_init,
	.test_cases = heap_cases,
};

kunit_test_suite(heap_suite);
