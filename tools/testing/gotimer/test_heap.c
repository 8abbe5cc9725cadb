// SPDX-License-Identifier: GPL-2.0
/*
 * The properties of kunit/heap_test.c ("gotimer_heap"), natively: the 4-ary
 * heap against a simple reference, with the invariant after every op.
 */
#include "harness.h"

#define HEAP_TEST_MAX	512
#define HEAP_TEST_OPS	200000

static struct {
	struct gotimer_heap h;
	struct gotimer timers[HEAP_TEST_MAX];
	bool in_heap[HEAP_TEST_MAX];
	unsigned int n_in;
	u64 rnd;
} F;

static void heap_init(void)
{
	free(F.h.slots);
	memset(&F, 0, sizeof(F));
	F.h.slots = calloc(HEAP_TEST_MAX, sizeof(*F.h.slots));
	F.h.cap = HEAP_TEST_MAX;
	F.rnd = 0x60714e5;
}

static void heap_exit(void)
{
	free(F.h.slots);
	F.h.slots = NULL;
}

static s64 reference_min(void)
{
	s64 min = S64_MAX;
	unsigned int i;

	for (i = 0; i < HEAP_TEST_MAX; i++)
		if (F.in_heap[i] && F.timers[i].when < min)
			min = F.timers[i].when;
	return min;
}

static void expect_same_members(void)
{
	unsigned int i;

	ASSERT_EQ(F.h.len, F.n_in);
	for (i = 0; i < F.h.len; i++) {
		unsigned int k = gotimer_heap_at(&F.h, i) - F.timers;

		ASSERT_TRUE(k < HEAP_TEST_MAX);
		EXPECT_TRUE(F.in_heap[k]);
	}
}

static unsigned int pick_free(void)
{
	unsigned int k;

	do {
		k = gt_rand(&F.rnd) % HEAP_TEST_MAX;
	} while (F.in_heap[k]);
	return k;
}

static void push_random(s64 range)
{
	unsigned int k = pick_free();

	F.timers[k].when = 1 + gt_rand(&F.rnd) % range;
	gotimer_heap_push(&F.h, &F.timers[k]);
	F.in_heap[k] = true;
	F.n_in++;
}

static void heap_random_ops_match_reference(void)
{
	unsigned int op, i;

	for (op = 0; op < HEAP_TEST_OPS; op++) {
		u32 r = gt_rand(&F.rnd) % 10;

		if (F.n_in < HEAP_TEST_MAX - 1 && (F.n_in == 0 || r < 5)) {
			push_random(op & 1 ? 50 : 1000000);
		} else if (r < 8) {
			struct gotimer *t = gotimer_heap_at(&F.h, 0);

			ASSERT_EQ(t->when, reference_min());
			gotimer_heap_delete(&F.h, 0);
			F.in_heap[t - F.timers] = false;
			F.n_in--;
		} else {
			i = gt_rand(&F.rnd) % F.h.len;
			F.in_heap[gotimer_heap_at(&F.h, i) - F.timers] = false;
			gotimer_heap_delete(&F.h, i);
			F.n_in--;
		}
		ASSERT_EQ(gotimer_heap_verify(&F.h), -1);
	}
	expect_same_members();
}

static void heap_pops_come_out_sorted(void)
{
	s64 last = 0;
	unsigned int i;

	for (i = 0; i < 300; i++)
		push_random(100);
	while (F.h.len) {
		struct gotimer *t = gotimer_heap_at(&F.h, 0);

		ASSERT_TRUE(t->when >= last);
		last = t->when;
		gotimer_heap_delete(&F.h, 0);
		ASSERT_EQ(gotimer_heap_verify(&F.h), -1);
	}
}

static void heap_heapify_builds_valid_heap(void)
{
	unsigned int i, k;

	for (i = 0; i < 400; i++) {
		k = pick_free();
		F.timers[k].when = 1 + gt_rand(&F.rnd) % 100000;
		gotimer_heap_append(&F.h, &F.timers[k]);
		F.in_heap[k] = true;
		F.n_in++;
	}
	EXPECT_TRUE(gotimer_heap_verify(&F.h) != -1);
	gotimer_heap_heapify(&F.h);
	EXPECT_EQ(gotimer_heap_verify(&F.h), -1);
	EXPECT_EQ(gotimer_heap_at(&F.h, 0)->when, reference_min());
	expect_same_members();
}

static void heap_unordered_removal_then_heapify(void)
{
	unsigned int i;

	for (i = 0; i < 300; i++)
		push_random(1000);
	for (i = 0; i < F.h.len; i += 3) {
		F.in_heap[gotimer_heap_at(&F.h, i) - F.timers] = false;
		gotimer_heap_remove_unordered(&F.h, i);
		F.n_in--;
	}
	gotimer_heap_heapify(&F.h);
	EXPECT_EQ(gotimer_heap_verify(&F.h), -1);
	EXPECT_EQ(gotimer_heap_at(&F.h, 0)->when, reference_min());
	expect_same_members();
}

/* Every size 0..40 with every key pattern heapifies, and pops sorted. */
static void heap_small_sizes_exhaustive(void)
{
	unsigned int n, i, pat;

	for (n = 0; n <= 40; n++) {
		for (pat = 0; pat < 4; pat++) {
			heap_init();
			for (i = 0; i < n; i++) {
				F.timers[i].when = pat == 0 ? i + 1 :
						   pat == 1 ? n - i :
						   pat == 2 ? 7 :
						   1 + gt_rand(&F.rnd) % 5;
				gotimer_heap_append(&F.h, &F.timers[i]);
			}
			gotimer_heap_heapify(&F.h);
			ASSERT_EQ(gotimer_heap_verify(&F.h), -1);
			for (s64 last = 0; F.h.len;) {
				ASSERT_TRUE(gotimer_heap_at(&F.h, 0)->when >= last);
				last = gotimer_heap_at(&F.h, 0)->when;
				gotimer_heap_delete(&F.h, 0);
				ASSERT_EQ(gotimer_heap_verify(&F.h), -1);
			}
		}
	}
}

static void heap_verify_detects_broken_order_and_index(void)
{
	unsigned int i;
	s64 old;

	for (i = 0; i < 50; i++)
		push_random(1000);
	ASSERT_EQ(gotimer_heap_verify(&F.h), -1);
	old = gotimer_heap_at(&F.h, 5)->when;
	gotimer_heap_at(&F.h, 5)->when = gotimer_heap_at(&F.h, 1)->when - 1;
	EXPECT_EQ(gotimer_heap_verify(&F.h), 5);
	gotimer_heap_at(&F.h, 5)->when = old;
	EXPECT_EQ(gotimer_heap_verify(&F.h), -1);
	gotimer_heap_at(&F.h, 7)->idx = 3;
	EXPECT_EQ(gotimer_heap_verify(&F.h), 7);
	gotimer_heap_at(&F.h, 7)->idx = 7;
}

static const struct gt_case cases[] = {
	GT_CASE(heap_random_ops_match_reference),
	GT_CASE(heap_pops_come_out_sorted),
	GT_CASE(heap_heapify_builds_valid_heap),
	GT_CASE(heap_unordered_removal_then_heapify),
	GT_CASE(heap_small_sizes_exhaustive),
	GT_CASE(heap_verify_detects_broken_order_and_index),
};

int main(void)
{
	return gt_run("gotimer_heap", cases, ARRAY_SIZE(cases), heap_init,
		      heap_exit);
}
