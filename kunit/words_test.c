// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "gotimer_words": a 64-bit word gotimer reads without its lock
 * is read whole.  On a 32-bit CPU a plain or READ_ONCE() load of an s64 is
 * two 32-bit loads, and a store landing between them yields a value nobody
 * wrote; an atomic64_t is read in one piece.  One CPU stores two values
 * that differ in both halves, another reads through the accessors module/
 * uses until both have done a few million, and every value read must be
 * one of the two.  On a 64-bit CPU the
 * case passes whatever the accessors are; the i386 entry of check-matrix
 * runs it where it can fail.
 */
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include "pool.h"

/* At least this many reads, during at least this many write pairs. */
#define WORDS_READS	4000000
#define WORDS_WRITES	1000000
/* A torn read of one against the other gives 0x1_00000000 or 0x2_ffffffff. */
#define WORD_A		0x00000001ffffffffLL
#define WORD_B		0x0000000200000000LL

struct words_ctx {
	struct gotimer_pool *pool;
	atomic_t started;
	unsigned long writes;
};

static int words_writer(void *arg)
{
	struct words_ctx *c = arg;

	atomic_set(&c->started, 1);
	while (!kthread_should_stop()) {
		pool_set_steal_at(c->pool, WORD_A);
		pool_set_steal_at(c->pool, WORD_B);
		WRITE_ONCE(c->writes, c->writes + 1);
	}
	return 0;
}

/* ->steal_at, read by steal_timer_start() while another CPU's steal timer sets it. */
static void steal_at_is_read_whole(struct kunit *test)
{
	struct words_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	unsigned long reads = 0, torn = 0, writes0;
	struct task_struct *writer;
	s64 v, bad = 0;
	int cpu;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two online CPUs");
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->pool = kunit_kzalloc(test, sizeof(*c->pool), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->pool);
	pool_set_steal_at(c->pool, WORD_A);

	cpu = cpumask_any_but(cpu_online_mask, raw_smp_processor_id());
	writer = kthread_create(words_writer, c, "gotimer-words");
	KUNIT_ASSERT_FALSE(test, IS_ERR(writer));
	kthread_bind(writer, cpu);
	wake_up_process(writer);
	while (!atomic_read(&c->started))
		cpu_relax();

	/* Reads and writes overlap by count, whatever the vCPUs' speeds. */
	writes0 = READ_ONCE(c->writes);
	while (reads < WORDS_READS ||
	       READ_ONCE(c->writes) - writes0 < WORDS_WRITES) {
		v = pool_steal_at(c->pool);
		if (v != WORD_A && v != WORD_B) {
			torn++;
			bad = v;
		}
		reads++;
		if (!(reads % 65536))
			cond_resched();
	}
	writes0 = READ_ONCE(c->writes) - writes0;
	kthread_stop(writer);

	kunit_info(test, "%lu reads during %lu write pairs on CPU %d\n",
		   reads, writes0, cpu);
	KUNIT_EXPECT_EQ_MSG(test, torn, 0UL,
			    "%lu reads were half-written, e.g. %#llx",
			    torn, (unsigned long long)bad);
}

static struct kunit_case words_cases[] = {
	KUNIT_CASE(steal_at_is_read_whole),
	{}
};

static struct kunit_suite words_suite = {
	.name = "gotimer_words",
	.test_cases = words_cases,
};

kunit_test_suite(words_suite);
