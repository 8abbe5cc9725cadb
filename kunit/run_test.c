// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "gotimer_run": timers firing through the real per-CPU
 * "gotimer/N" workers, callbacks that act on timers, gotimer_stop_sync()
 * against running callbacks, and the periodic catch-up rule [S12] on a
 * private base.  Row names [Sn] refer to the transition table in
 * module/status.c.
 *
 * No test sleeps in place of synchronization: every wait is on a completion
 * or a condition, with a generous timeout that only turns a hang into a
 * failure.  "Fence" timers use the per-CPU when order: a one-shot timer
 * armed on the CPU of a timer T with a later when than T's runs only after
 * the worker has passed T's when, so once the fence ran, T has run or has
 * been dropped.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/prandom.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include "internal.h"

#ifndef KUNIT_CASE_SLOW		/* before 6.6 every case ran at one speed */
#define KUNIT_CASE_SLOW KUNIT_CASE
#endif

/* Failure guard only: no test needs more than a fraction of this. */
#define RUN_TIMEOUT		(60 * HZ)

#define ORDER_PER_CPU		150
#define ORDER_SPREAD_NS		(30 * NSEC_PER_MSEC)
#define ORDER_SEED		0x676f74696d6572ULL
#define PERIOD_NS		(2 * NSEC_PER_MSEC)
#define FAR_FUTURE_NS		(3600LL * NSEC_PER_SEC)

/* The CPU N of a "gotimer/N" worker running the caller, or -1. */
static int worker_cpu_of_current(void)
{
	return gotimer_current_worker_cpu();
}

/* Is @t in @base's heap?  Looks under the heap lock. */
static bool in_heap(struct gotimer_base *base, struct gotimer *t)
{
	bool found = false;
	unsigned int i;

	raw_spin_lock(&base->lock);
	for (i = 0; i < base->heap.len; i++)
		if (gotimer_heap_at(&base->heap, i) == t)
			found = true;
	raw_spin_unlock(&base->lock);
	return found;
}

/*
 * Arming on a given CPU.  The timers of one batch are armed from a kworker
 * bound to that CPU with preemption off, so the CPU's worker cannot run a
 * callback before the whole batch sits in its heap.  The heap is grown
 * beforehand, so no arming needs to allocate.
 */
struct arm_req {
	struct gotimer *t;
	s64 when;
	s64 period;
	gotimer_func_t f;
	void *arg;
	uintptr_t seq;
	int ret;	/* gotimer_modify()'s */
	int cpu;	/* t->base->cpu right after arming, -1 if not armed */
};

struct arm_batch {
	struct arm_req *reqs;
	unsigned int n;
};

static long arm_batch_here(void *data)
{
	struct arm_batch *b = data;
	struct gotimer_base *base = gotimer_cpu_base(smp_processor_id());
	unsigned int i;
	int err;

	err = gotimer_base_reserve(base, READ_ONCE(base->heap.len) + b->n,
				   GFP_KERNEL);
	if (err)
		return err;
	preempt_disable();
	for (i = 0; i < b->n; i++) {
		struct arm_req *r = &b->reqs[i];

		r->ret = gotimer_modify(r->t, r->when, r->period, r->f,
					r->arg, r->seq);
		r->cpu = r->ret == 0 && r->t->base ? r->t->base->cpu : -1;
	}
	preempt_enable();
	return 0;
}

static void arm_on_cpu(struct kunit *test, int cpu, struct arm_req *reqs,
		       unsigned int n)
{
	struct arm_batch b = { .reqs = reqs, .n = n };
	unsigned int i;

	KUNIT_EXPECT_EQ(test, work_on_cpu(cpu, arm_batch_here, &b), 0);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, reqs[i].ret, 0, "arming timer %u", i);
		KUNIT_EXPECT_EQ_MSG(test, reqs[i].cpu, cpu, "heap of timer %u", i);
	}
}

/* Two distinct online CPUs if there are two, else the same one twice. */
static void two_cpus(int *a, int *b)
{
	*a = cpumask_first(cpu_online_mask);
	*b = cpumask_next(*a, cpu_online_mask);
	if (*b >= nr_cpu_ids)
		*b = *a;
}

/* ---- fires_in_when_order_per_cpu ---- */

struct order_ctx;

struct order_rec {
	struct gotimer t;
	struct order_ctx *ctx;
	s64 when;
	int arm_ret;
	int heap_cpu;		/* t.base->cpu right after arming */
	/* written by the callback */
	int fired;
	int ran_cpu;
	int comm_cpu;		/* N of "gotimer/N", -1 outside a worker */
	s64 seq_when;
	s64 ran_at;
	s64 delay;
	s64 prev_when;		/* when of the previous callback on ran_cpu */
};

struct order_ctx {
	struct order_rec *recs;
	s64 *last_when;		/* per CPU, written by that CPU's worker */
	atomic_t left;		/* armed, not yet run, plus one bias */
	struct completion done;
	struct rnd_state rnd;
};

struct order_arm {
	struct order_ctx *ctx;
	unsigned int first;
	unsigned int n;
};

static void order_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct order_rec *r = arg;
	struct order_ctx *ctx = r->ctx;
	int cpu = raw_smp_processor_id();

	r->ran_at = gotimer_now();
	r->ran_cpu = cpu;
	r->comm_cpu = worker_cpu_of_current();
	r->seq_when = (s64)seq;
	r->delay = delay_ns;
	r->prev_when = ctx->last_when[cpu];
	ctx->last_when[cpu] = r->when;
	r->fired++;
	if (atomic_dec_and_test(&ctx->left))
		complete(&ctx->done);
}

static long order_arm_here(void *data)
{
	struct order_arm *a = data;
	struct order_ctx *ctx = a->ctx;
	struct gotimer_base *base = gotimer_cpu_base(smp_processor_id());
	unsigned int i;
	s64 start;
	int err;

	err = gotimer_base_reserve(base, READ_ONCE(base->heap.len) + a->n,
				   GFP_KERNEL);
	if (err)
		return err;
	/* This CPU's worker runs nothing until every timer is armed. */
	preempt_disable();
	start = gotimer_now();
	for (i = a->first; i < a->first + a->n; i++) {
		struct order_rec *r = &ctx->recs[i];

		r->ctx = ctx;
		r->when = start + 1 +
			  prandom_u32_state(&ctx->rnd) % ORDER_SPREAD_NS;
		atomic_inc(&ctx->left);
		r->arm_ret = gotimer_modify(&r->t, r->when, 0, order_fn, r,
					    (uintptr_t)r->when);
		if (r->arm_ret) {
			atomic_dec(&ctx->left);	/* the bias keeps it > 0 */
			r->heap_cpu = -1;
			continue;
		}
		r->heap_cpu = READ_ONCE(r->t.base)->cpu;
	}
	preempt_enable();
	return 0;
}

static void fires_in_when_order_per_cpu(struct kunit *test)
{
	unsigned int ncpus = num_online_cpus(), n, i, armed_cpus = 0;
	unsigned int bad_cpu = 0, bad_thread = 0, early = 0, bad_delay = 0;
	unsigned int bad_order = 0, bad_count = 0, bad_seq = 0;
	struct order_ctx *ctx;
	struct order_rec *r;
	bool all_ran;
	int cpu;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	n = ncpus * ORDER_PER_CPU;
	ctx->recs = kunit_kcalloc(test, n, sizeof(*ctx->recs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->recs);
	ctx->last_when = kunit_kcalloc(test, nr_cpu_ids,
				       sizeof(*ctx->last_when), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->last_when);
	init_completion(&ctx->done);
	atomic_set(&ctx->left, 1);
	prandom_seed_state(&ctx->rnd, ORDER_SEED);

	for_each_online_cpu(cpu) {
		struct order_arm a = {
			.ctx = ctx,
			.first = armed_cpus * ORDER_PER_CPU,
			.n = ORDER_PER_CPU,
		};

		if (armed_cpus == ncpus)
			break;
		KUNIT_EXPECT_EQ(test, work_on_cpu(cpu, order_arm_here, &a), 0);
		armed_cpus++;
	}
	KUNIT_EXPECT_EQ(test, armed_cpus, ncpus);
	n = armed_cpus * ORDER_PER_CPU;

	if (atomic_dec_and_test(&ctx->left))
		complete(&ctx->done);
	all_ran = wait_for_completion_timeout(&ctx->done, RUN_TIMEOUT);
	KUNIT_EXPECT_TRUE_MSG(test, all_ran, "%d timers never ran",
			      atomic_read(&ctx->left));

	for (i = 0; i < n; i++) {
		r = &ctx->recs[i];
		/* All have run: none is pending any more. */
		KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&r->t));
		KUNIT_EXPECT_EQ_MSG(test, r->arm_ret, 0, "arming timer %u", i);
		if (r->arm_ret)
			continue;
		if (r->fired != 1 && !bad_count++)
			kunit_info(test, "timer %u ran %d times\n", i, r->fired);
		if (r->fired != 1)
			continue;
		if (r->ran_cpu != r->heap_cpu && !bad_cpu++)
			kunit_info(test, "timer %u: heap of cpu %d, ran on cpu %d\n",
				   i, r->heap_cpu, r->ran_cpu);
		if (r->comm_cpu != r->heap_cpu && !bad_thread++)
			kunit_info(test, "timer %u: heap of cpu %d, ran in worker %d\n",
				   i, r->heap_cpu, r->comm_cpu);
		/* seq is a uintptr_t: the when's low 32 bits on i386 */
		if (r->seq_when != (s64)(uintptr_t)r->when && !bad_seq++)
			kunit_info(test, "timer %u: seq %lld, when %lld\n",
				   i, r->seq_when, r->when);
		if (r->ran_at < r->when && !early++)
			kunit_info(test, "timer %u ran %lld ns before its when\n",
				   i, r->when - r->ran_at);
		if ((r->delay < 0 || r->delay > r->ran_at - r->when) &&
		    !bad_delay++)
			kunit_info(test, "timer %u: delay_ns %lld, ran %lld ns after when\n",
				   i, r->delay, r->ran_at - r->when);
		if (r->prev_when > r->when && !bad_order++)
			kunit_info(test, "timer %u (when %lld) ran after one with when %lld on cpu %d\n",
				   i, r->when, r->prev_when, r->ran_cpu);
	}
	KUNIT_EXPECT_EQ_MSG(test, bad_count, 0, "timers not run exactly once");
	KUNIT_EXPECT_EQ_MSG(test, bad_cpu, 0, "callbacks on a foreign CPU");
	KUNIT_EXPECT_EQ_MSG(test, bad_thread, 0, "callbacks outside their CPU's worker");
	KUNIT_EXPECT_EQ_MSG(test, bad_seq, 0, "callbacks with a wrong seq");
	KUNIT_EXPECT_EQ_MSG(test, early, 0, "callbacks before their when");
	KUNIT_EXPECT_EQ_MSG(test, bad_delay, 0, "delay_ns inconsistent with when");
	KUNIT_EXPECT_EQ_MSG(test, bad_order, 0, "callbacks out of when order on a CPU");
}

/* ---- [S12] on a private base ---- */

struct private_ctx {
	struct gotimer *t;
	struct task_struct *task;
	int calls;
	bool in_caller;
	uintptr_t seq;
	s64 delay;
	int status_in_cb;
	s64 when_in_cb;
};

static void private_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct private_ctx *c = arg;

	c->calls++;
	c->in_caller = current == c->task;
	c->seq = seq;
	c->delay = delay_ns;
	c->status_in_cb = atomic_read(&c->t->status);
	c->when_in_cb = c->t->when;
}

/* A worker of no pool, to run a private base by hand (run.c). */
static struct gotimer_worker *solo_worker(struct kunit *test)
{
	struct gotimer_worker *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, w);
	gotimer_worker_init_solo(w, 0);
	return w;
}

/*
 * Arm a periodic timer at @when on a private base, run the base at @now,
 * expect one callback in this thread and the timer Waiting at @next, still
 * in the base's heap.  Stops it and destroys the base.
 */
static void run_periodic_once(struct kunit *test, s64 when, s64 period,
			      s64 now, s64 next)
{
	struct gotimer_worker *w = solo_worker(test);
	struct gotimer_base *b;
	struct private_ctx *c;
	struct gotimer *t;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->t = t;
	c->task = current;
	gotimer_base_init(b, -1);

	KUNIT_EXPECT_EQ(test, gotimer_modify_on(b, t, when, period, private_fn,
						c, 42), 0);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(t->base), b);
	KUNIT_EXPECT_EQ(test, gotimer_run_due(b, now, w), 1U);
	KUNIT_EXPECT_EQ(test, c->calls, 1);
	KUNIT_EXPECT_TRUE(test, c->in_caller);
	KUNIT_EXPECT_EQ(test, c->seq, (uintptr_t)42);
	/* delay_ns is measured on the real clock, not against @now. */
	KUNIT_EXPECT_GE(test, c->delay, 0LL);
	/* [S12]: rescheduled and Waiting before the callback ran. */
	KUNIT_EXPECT_EQ(test, c->status_in_cb, GOTIMER_WAITING);
	KUNIT_EXPECT_EQ(test, c->when_in_cb, next);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->status), GOTIMER_WAITING);
	KUNIT_EXPECT_EQ(test, t->when, next);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(t->base), b);
	KUNIT_EXPECT_EQ(test, b->heap.len, 1U);
	if (b->heap.len == 1)
		KUNIT_EXPECT_PTR_EQ(test, gotimer_heap_at(&b->heap, 0), t);
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->timer0_when), next);

	/* Not due again before @next. */
	if (next > now)
		KUNIT_EXPECT_EQ(test, gotimer_run_due(b, next - 1, w), 0U);
	KUNIT_EXPECT_EQ(test, c->calls, 1);

	/* [S1] then [S16]: stop_sync takes it out of the private heap. */
	KUNIT_EXPECT_TRUE(test, gotimer_stop_sync(t));
	KUNIT_EXPECT_NULL(test, READ_ONCE(t->base));
	KUNIT_EXPECT_EQ(test, atomic_read(&t->status), GOTIMER_REMOVED);
	KUNIT_EXPECT_EQ(test, b->heap.len, 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->deleted), 0);
	KUNIT_EXPECT_EQ(test, gotimer_run_due(b, S64_MAX, w), 0U);
	KUNIT_EXPECT_EQ(test, c->calls, 1);
	gotimer_base_destroy(b);
}

static void periodic_catch_up_skips_missed_periods(struct kunit *test)
{
	/* Due exactly: one period on. */
	KUNIT_EXPECT_EQ(test, gotimer_periodic_next(100, 10, 100), 110LL);
	/* Late within the first period: still the next slot. */
	KUNIT_EXPECT_EQ(test, gotimer_periodic_next(100, 10, 109), 110LL);
	/* Late by exactly one period: that slot has passed too. */
	KUNIT_EXPECT_EQ(test, gotimer_periodic_next(100, 10, 110), 120LL);
	/* Missed 110, 120 and 130: skips them all, no burst. */
	KUNIT_EXPECT_EQ(test, gotimer_periodic_next(100, 10, 135), 140LL);
	KUNIT_EXPECT_EQ(test, gotimer_periodic_next(1, 1, 1000000), 1000001LL);

	/* [S12]: when 1000, period 100, run at 1550: one call, next 1600. */
	run_periodic_once(test, 1000, 100, 1550, 1600);
}

static void periodic_overflow_clamps_to_s64_max(struct kunit *test)
{
	/* when + period overflows. */
	KUNIT_EXPECT_EQ(test, gotimer_periodic_next(S64_MAX - 5, 10,
						    S64_MAX - 5), S64_MAX);
	/* Lands exactly on S64_MAX: no overflow, no clamp needed. */
	KUNIT_EXPECT_EQ(test, gotimer_periodic_next(S64_MAX - 10, 10,
						    S64_MAX - 10), S64_MAX);
	/* periods * period overflows: 3 * (S64_MAX / 2). */
	KUNIT_EXPECT_EQ(test, gotimer_periodic_next(1, S64_MAX / 2,
						    S64_MAX - 1), S64_MAX);
	/* A huge period on its own: when + period overflows. */
	KUNIT_EXPECT_EQ(test, gotimer_periodic_next(2, S64_MAX, 2), S64_MAX);

	/* [S12] with the clamp on a private base. */
	run_periodic_once(test, S64_MAX - 5, 10, S64_MAX - 5, S64_MAX);
}

/* ---- periodic_timer_fires_until_stopped_from_own_callback ---- */

struct self_stop_ctx {
	struct gotimer t;
	struct gotimer fence;
	int calls;		/* written only by t's callback */
	bool stop_ret;
	int fence_ret;
	int cpu;
	int fence_cpu;
	int calls_at_fence;
	struct completion fence_done;
};

static void self_stop_fence_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct self_stop_ctx *c = arg;

	c->calls_at_fence = READ_ONCE(c->calls);
	c->fence_cpu = raw_smp_processor_id();
	complete(&c->fence_done);
}

static void self_stop_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct self_stop_ctx *c = arg;

	WRITE_ONCE(c->calls, c->calls + 1);
	if (c->calls != 5)
		return;
	c->cpu = raw_smp_processor_id();
	/* [S1]: a periodic timer is Waiting again while its callback runs. */
	c->stop_ret = gotimer_stop(&c->t);
	/*
	 * The fence goes to this CPU's heap; its when is later than the
	 * stopped timer's next when (at most one period from now).
	 */
	c->fence_ret = gotimer_modify(&c->fence, gotimer_now() + 2 * PERIOD_NS,
				      0, self_stop_fence_fn, c, 0);
}

static void periodic_timer_fires_until_stopped_from_own_callback(struct kunit *test)
{
	struct self_stop_ctx *c;
	bool fenced;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	init_completion(&c->fence_done);

	KUNIT_EXPECT_EQ(test, gotimer_modify(&c->t, gotimer_now() + PERIOD_NS,
					     PERIOD_NS, self_stop_fn, c, 0), 0);
	fenced = wait_for_completion_timeout(&c->fence_done, RUN_TIMEOUT);
	KUNIT_EXPECT_TRUE_MSG(test, fenced, "fence never ran; %d calls",
			      READ_ONCE(c->calls));

	KUNIT_EXPECT_TRUE(test, c->stop_ret);
	KUNIT_EXPECT_EQ(test, c->fence_ret, 0);
	KUNIT_EXPECT_EQ(test, c->fence_cpu, c->cpu);
	KUNIT_EXPECT_EQ(test, c->calls_at_fence, 5);
	/* The worker passed its when: the stopped timer left the heap [S8]. */
	if (fenced) {
		KUNIT_EXPECT_EQ(test, atomic_read(&c->t.status), GOTIMER_REMOVED);
		KUNIT_EXPECT_NULL(test, READ_ONCE(c->t.base));
	}
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&c->t));
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&c->fence));
	KUNIT_EXPECT_EQ(test, c->calls, 5);
}

/* ---- callback_rearms_itself ---- */

#define REARM_FIRES	4

struct rearm_ctx {
	struct gotimer t;
	int calls;
	int ret[REARM_FIRES - 1];
	int status_in_cb[REARM_FIRES];
	bool base_in_cb[REARM_FIRES];
	uintptr_t seq[REARM_FIRES];
	int cpu[REARM_FIRES];
	struct completion done;
};

static void rearm_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct rearm_ctx *c = arg;
	int i = c->calls++;

	if (i >= REARM_FIRES)
		return;
	c->status_in_cb[i] = atomic_read(&c->t.status);
	c->base_in_cb[i] = READ_ONCE(c->t.base);
	c->seq[i] = seq;
	c->cpu[i] = raw_smp_processor_id();
	if (i + 1 < REARM_FIRES)
		c->ret[i] = gotimer_modify(&c->t, gotimer_now() + NSEC_PER_MSEC,
					   0, rearm_fn, c, i + 1);
	else
		complete(&c->done);
}

static void callback_rearms_itself(struct kunit *test)
{
	struct rearm_ctx *c;
	int i;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	init_completion(&c->done);

	KUNIT_EXPECT_EQ(test, gotimer_modify(&c->t, gotimer_now() + NSEC_PER_MSEC,
					     0, rearm_fn, c, 0), 0);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&c->done, RUN_TIMEOUT));
	/* The last callback re-armed nothing: nothing is pending. */
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&c->t));
	KUNIT_EXPECT_EQ(test, c->calls, REARM_FIRES);
	for (i = 0; i < REARM_FIRES; i++) {
		/* [S11]: out of the heap and Removed while the callback runs. */
		KUNIT_EXPECT_EQ(test, c->status_in_cb[i], GOTIMER_REMOVED);
		KUNIT_EXPECT_FALSE(test, c->base_in_cb[i]);
		/* Each call is the instance the previous call armed. */
		KUNIT_EXPECT_EQ(test, c->seq[i], (uintptr_t)i);
		/* Re-armed from its worker, it stays on that CPU. */
		KUNIT_EXPECT_EQ(test, c->cpu[i], c->cpu[0]);
		/* [S5]: re-arming a Removed timer starts a new instance. */
		if (i + 1 < REARM_FIRES)
			KUNIT_EXPECT_EQ(test, c->ret[i], 0);
	}
}

/* ---- callback_stops_another_timer ---- */

struct stop_other_ctx {
	struct gotimer a, b, fence;
	s64 b_when;
	int a_calls, b_calls;
	bool stop_ret;
	int fence_ret;
	int a_cpu, fence_cpu;
	struct completion fence_done;
};

static void stop_other_b_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct stop_other_ctx *c = arg;

	WRITE_ONCE(c->b_calls, c->b_calls + 1);
}

static void stop_other_fence_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct stop_other_ctx *c = arg;

	c->fence_cpu = raw_smp_processor_id();
	complete(&c->fence_done);
}

static void stop_other_a_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct stop_other_ctx *c = arg;

	c->a_calls++;
	c->a_cpu = raw_smp_processor_id();
	c->stop_ret = gotimer_stop(&c->b);	/* [S1] */
	/* On this CPU, after B's when: runs only once B is settled. */
	c->fence_ret = gotimer_modify(&c->fence, c->b_when + 1, 0,
				      stop_other_fence_fn, c, 0);
}

static void callback_stops_another_timer(struct kunit *test)
{
	struct stop_other_ctx *c;
	struct arm_req reqs[2];
	int cpu, unused;
	bool fenced;
	s64 now;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	init_completion(&c->fence_done);
	two_cpus(&cpu, &unused);

	/* Both on one CPU, armed before its worker can run either. */
	now = gotimer_now();
	c->b_when = now + 20 * NSEC_PER_MSEC;
	reqs[0] = (struct arm_req){ .t = &c->b, .when = c->b_when,
				    .f = stop_other_b_fn, .arg = c };
	reqs[1] = (struct arm_req){ .t = &c->a, .when = now + NSEC_PER_MSEC,
				    .f = stop_other_a_fn, .arg = c };
	arm_on_cpu(test, cpu, reqs, ARRAY_SIZE(reqs));

	fenced = wait_for_completion_timeout(&c->fence_done, RUN_TIMEOUT);
	KUNIT_EXPECT_TRUE(test, fenced);
	KUNIT_EXPECT_EQ(test, c->a_calls, 1);
	KUNIT_EXPECT_TRUE(test, c->stop_ret);
	KUNIT_EXPECT_EQ(test, c->fence_ret, 0);
	KUNIT_EXPECT_EQ(test, c->a_cpu, cpu);
	KUNIT_EXPECT_EQ(test, c->fence_cpu, cpu);
	KUNIT_EXPECT_EQ(test, READ_ONCE(c->b_calls), 0);
	/* B's when has passed on its CPU: it was dropped [S8]/[S10]. */
	KUNIT_EXPECT_EQ(test, atomic_read(&c->b.status), GOTIMER_REMOVED);
	KUNIT_EXPECT_NULL(test, READ_ONCE(c->b.base));

	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&c->a));
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&c->b));
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&c->fence));
	KUNIT_EXPECT_EQ(test, c->b_calls, 0);
}

/* ---- callback_moves_another_timer_earlier ---- */

struct move_ctx {
	struct gotimer a, b;
	int mod_ret;
	s64 b_new_when;
	int b_calls;
	int b_cpu;
	s64 b_ran_at;
	struct completion a_done;
	struct completion b_done;
};

static void move_b_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct move_ctx *c = arg;

	c->b_ran_at = gotimer_now();
	c->b_cpu = raw_smp_processor_id();
	c->b_calls++;
	complete(&c->b_done);
}

static void move_a_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct move_ctx *c = arg;

	c->b_new_when = gotimer_now();
	/* [S6] with an earlier when: B's (sleeping) worker must be woken. */
	c->mod_ret = gotimer_modify(&c->b, c->b_new_when, 0, move_b_fn, c, 0);
	/* B may well have run by now, on its own CPU. */
	complete(&c->a_done);
}

static void callback_moves_another_timer_earlier(struct kunit *test)
{
	struct move_ctx *c;
	struct arm_req req;
	int a_cpu, b_cpu;
	bool ran;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	init_completion(&c->a_done);
	init_completion(&c->b_done);
	two_cpus(&a_cpu, &b_cpu);

	req = (struct arm_req){ .t = &c->b,
				.when = gotimer_now() + FAR_FUTURE_NS,
				.f = move_b_fn, .arg = c };
	arm_on_cpu(test, b_cpu, &req, 1);
	req = (struct arm_req){ .t = &c->a,
				.when = gotimer_now() + NSEC_PER_MSEC,
				.f = move_a_fn, .arg = c };
	arm_on_cpu(test, a_cpu, &req, 1);

	ran = wait_for_completion_timeout(&c->b_done, RUN_TIMEOUT);
	KUNIT_EXPECT_TRUE_MSG(test, ran, "timer moved earlier never ran");
	ran = wait_for_completion_timeout(&c->a_done, RUN_TIMEOUT);
	KUNIT_EXPECT_TRUE(test, ran);
	KUNIT_EXPECT_EQ(test, c->mod_ret, 1);
	KUNIT_EXPECT_EQ(test, c->b_calls, 1);
	/* Modifying a pending timer leaves it in its heap. */
	KUNIT_EXPECT_EQ(test, c->b_cpu, b_cpu);
	KUNIT_EXPECT_GE(test, c->b_ran_at, c->b_new_when);

	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&c->a));
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&c->b));
	KUNIT_EXPECT_EQ(test, c->b_calls, 1);
}

/* ---- stop_sync_waits_for_running_callback_then_kfree ---- */

struct slow_ctx {
	struct completion started;
	wait_queue_head_t wq;
	bool sync_called;
	struct task_struct *task;
	bool saw_waiter;
	bool timed_out;
};

struct slow_obj {
	struct gotimer t;
	struct slow_ctx *ctx;
	unsigned long work[32];
	int finished;
};

static void slow_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct slow_obj *o = arg;
	struct slow_ctx *c = o->ctx;
	unsigned long deadline;
	unsigned int i;

	complete(&c->started);
	if (!wait_event_timeout(c->wq, READ_ONCE(c->sync_called), RUN_TIMEOUT))
		c->timed_out = true;
	/*
	 * The test calls gotimer_stop_sync() right after setting
	 * sync_called; once it no longer runs, it sleeps in there waiting
	 * for this callback (a preempted task stays TASK_RUNNING).
	 */
	deadline = jiffies + RUN_TIMEOUT;
	for (;;) {
		if (!task_is_running(c->task)) {
			c->saw_waiter = true;
			break;
		}
		if (time_after(jiffies, deadline)) {
			c->timed_out = true;
			break;
		}
		cond_resched();
	}
	for (i = 0; i < 10000; i++) {
		o->work[i % ARRAY_SIZE(o->work)] += i;
		if (!(i % 512))
			cond_resched();
	}
	WRITE_ONCE(o->finished, 1);
}

static void stop_sync_waits_for_running_callback_then_kfree(struct kunit *test)
{
	struct slow_ctx *c;
	struct slow_obj *o;
	bool started;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	o = kzalloc(sizeof(*o), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	init_completion(&c->started);
	init_waitqueue_head(&c->wq);
	c->task = current;
	o->ctx = c;

	KUNIT_EXPECT_EQ(test, gotimer_modify(&o->t, gotimer_now() + NSEC_PER_MSEC,
					     0, slow_fn, o, 0), 0);
	started = wait_for_completion_timeout(&c->started, RUN_TIMEOUT);
	KUNIT_EXPECT_TRUE_MSG(test, started, "callback never started");

	WRITE_ONCE(c->sync_called, true);
	wake_up(&c->wq);
	/* [S11] removed it before the callback: not pending. */
	KUNIT_EXPECT_EQ(test, gotimer_stop_sync(&o->t), !started);
	/* Had it not waited, this read and the kfree race the callback. */
	KUNIT_EXPECT_EQ(test, READ_ONCE(o->finished), started ? 1 : 0);
	kfree(o);
	if (started) {
		KUNIT_EXPECT_FALSE(test, c->timed_out);
		KUNIT_EXPECT_TRUE(test, c->saw_waiter);
	}
}

/* ---- stop_sync_from_own_callback_returns_and_may_free ---- */

struct self_free_ctx {
	atomic_t calls;		/* outlives the object */
	bool sync_ret;
	int status_after;
	bool base_after;
	int fence_ret;
	int cpu;
	int fence_cpu;
	int calls_at_fence;
	struct gotimer fence;
	struct completion done;
	struct completion fence_done;
};

struct self_free_obj {
	struct gotimer t;
	unsigned long payload[8];
};

static void self_free_fence_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct self_free_ctx *c = arg;

	c->calls_at_fence = atomic_read(&c->calls);
	c->fence_cpu = raw_smp_processor_id();
	complete(&c->fence_done);
}

/* @seq is the context, so that a stray second call never reads @arg. */
static void self_free_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct self_free_ctx *c = (struct self_free_ctx *)seq;
	struct self_free_obj *o = arg;

	if (atomic_inc_return(&c->calls) != 1)
		return;
	c->cpu = raw_smp_processor_id();
	o->payload[0]++;
	/* Periodic, so still pending [S12]: [S1] then [S16], no wait. */
	c->sync_ret = gotimer_stop_sync(&o->t);
	c->status_after = atomic_read(&o->t.status);
	c->base_after = READ_ONCE(o->t.base);
	kfree(o);
	/* After the freed timer's next when, on this CPU. */
	c->fence_ret = gotimer_modify(&c->fence, gotimer_now() + 3 * PERIOD_NS,
				      0, self_free_fence_fn, c, 0);
	complete(&c->done);
}

static void stop_sync_from_own_callback_returns_and_may_free(struct kunit *test)
{
	struct self_free_ctx *c;
	struct self_free_obj *o;
	bool done, fenced;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	o = kzalloc(sizeof(*o), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	init_completion(&c->done);
	init_completion(&c->fence_done);

	KUNIT_EXPECT_EQ(test, gotimer_modify(&o->t, gotimer_now() + PERIOD_NS,
					     PERIOD_NS, self_free_fn, o,
					     (uintptr_t)c), 0);
	done = wait_for_completion_timeout(&c->done, RUN_TIMEOUT);
	KUNIT_EXPECT_TRUE_MSG(test, done, "callback never finished (deadlock?)");
	if (!done) {
		/* Neither ran nor freed it: a hang, so leak rather than race. */
		if (!atomic_read(&c->calls) && gotimer_stop_sync(&o->t))
			kfree(o);
		return;
	}
	fenced = wait_for_completion_timeout(&c->fence_done, RUN_TIMEOUT);
	KUNIT_EXPECT_TRUE(test, fenced);
	KUNIT_EXPECT_TRUE(test, c->sync_ret);
	KUNIT_EXPECT_EQ(test, c->status_after, GOTIMER_REMOVED);
	KUNIT_EXPECT_FALSE(test, c->base_after);
	KUNIT_EXPECT_EQ(test, c->fence_ret, 0);
	KUNIT_EXPECT_EQ(test, c->fence_cpu, c->cpu);
	KUNIT_EXPECT_EQ(test, c->calls_at_fence, 1);
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&c->fence));
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 1);
}

/* ---- stop_sync and the heap ---- */

struct idle_obj {
	struct gotimer t;
	atomic_t calls;
};

static void idle_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct idle_obj *o = arg;

	atomic_inc(&o->calls);
}

/* Arm @o far in the future from this task; returns the heap it went to. */
static struct gotimer_base *arm_far(struct kunit *test, struct idle_obj *o)
{
	struct gotimer_base *base;

	KUNIT_EXPECT_EQ(test, gotimer_modify(&o->t, gotimer_now() + FAR_FUTURE_NS,
					     0, idle_fn, o, 0), 0);
	/* Nothing moves a far-future timer: its base stays put. */
	base = READ_ONCE(o->t.base);
	KUNIT_EXPECT_NOT_NULL(test, base);
	return base;
}

static void stop_sync_of_pending_timer_removes_it_from_heap(struct kunit *test)
{
	struct gotimer_base *base;
	struct idle_obj *o;

	o = kunit_kzalloc(test, sizeof(*o), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	base = arm_far(test, o);
	if (base)
		KUNIT_EXPECT_TRUE(test, in_heap(base, &o->t));

	KUNIT_EXPECT_TRUE(test, gotimer_stop_sync(&o->t));	/* [S1], [S16] */
	KUNIT_EXPECT_NULL(test, READ_ONCE(o->t.base));
	KUNIT_EXPECT_EQ(test, atomic_read(&o->t.status), GOTIMER_REMOVED);
	if (base)
		KUNIT_EXPECT_FALSE(test, in_heap(base, &o->t));
	/* Already out [S4]. */
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&o->t));
	KUNIT_EXPECT_EQ(test, atomic_read(&o->calls), 0);
}

/*
 * On a private base: a real worker may drop a stopped timer from its heap
 * at any time [S10], which would race with the in_heap() checks.
 */
static void stop_sync_of_stopped_timer_removes_it_from_heap(struct kunit *test)
{
	struct gotimer_worker *w = solo_worker(test);
	struct gotimer_base *b;
	struct idle_obj *o;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	o = kunit_kzalloc(test, sizeof(*o), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	gotimer_base_init(b, -1);

	KUNIT_EXPECT_EQ(test, gotimer_modify_on(b, &o->t, 1000, 0, idle_fn, o,
						0), 0);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(o->t.base), b);

	/* [S1]: lazily stopped, still in the heap. */
	KUNIT_EXPECT_TRUE(test, gotimer_stop(&o->t));
	KUNIT_EXPECT_EQ(test, atomic_read(&o->t.status), GOTIMER_MODIFIED);
	KUNIT_EXPECT_EQ(test, o->t.nextwhen, 0LL);
	KUNIT_EXPECT_TRUE(test, in_heap(b, &o->t));
	KUNIT_EXPECT_EQ(test, atomic_read(&b->deleted), 1);

	/* [S3] then [S16]: not pending, but taken out of the heap. */
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&o->t));
	KUNIT_EXPECT_NULL(test, READ_ONCE(o->t.base));
	KUNIT_EXPECT_EQ(test, atomic_read(&o->t.status), GOTIMER_REMOVED);
	KUNIT_EXPECT_FALSE(test, in_heap(b, &o->t));
	KUNIT_EXPECT_EQ(test, b->heap.len, 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->deleted), 0);
	KUNIT_EXPECT_EQ(test, gotimer_run_due(b, S64_MAX, w), 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&o->calls), 0);
	gotimer_base_destroy(b);
}

/*
 * A callback the worker has already taken out of the heap, but not yet
 * called, must still hold stop_sync() back: the worker publishes ->running
 * before it unlocks the timer ([S11]).  The timer is due at once on CPU x
 * while CPU y stop_syncs it; a fence timer on x, armed after stop_sync
 * returned, runs after any callback x had already popped, so a callback
 * that ran after stop_sync returned is counted.
 */
struct popped {
	struct gotimer t, fence;
	atomic_t runs;
	struct completion fenced;
	int after_return;
};

static void popped_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	atomic_inc(&((struct popped *)arg)->runs);
}

static void popped_fence_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	complete(&((struct popped *)arg)->fenced);
}

static long popped_arm(void *arg)
{
	struct popped *p = arg;

	return gotimer_modify(&p->t, gotimer_now(), 0, popped_fire, p, 0);
}

static long popped_fence(void *arg)
{
	struct popped *p = arg;

	return gotimer_modify(&p->fence, gotimer_now(), 0, popped_fence_fire, p, 0);
}

static long popped_stop_sync(void *arg)
{
	struct popped *p = arg;
	int before;

	gotimer_stop_sync(&p->t);
	before = atomic_read(&p->runs);
	/* anything after this point ran after stop_sync returned */
	return before;
}

static void stop_sync_holds_back_a_popped_callback(struct kunit *test)
{
	struct popped *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	int x = -1, y = -1, cpu, i, before;

	KUNIT_ASSERT_NOT_NULL(test, p);
	for_each_online_cpu(cpu) {
		if (x < 0)
			x = cpu;
		else if (y < 0)
			y = cpu;
	}
	if (y < 0)
		kunit_skip(test, "needs two online CPUs");
	init_completion(&p->fenced);
	for (i = 0; i < 200; i++) {
		KUNIT_ASSERT_EQ(test, work_on_cpu(x, popped_arm, p), 0L);
		before = work_on_cpu(y, popped_stop_sync, p);
		reinit_completion(&p->fenced);
		KUNIT_ASSERT_EQ(test, work_on_cpu(x, popped_fence, p), 0L);
		KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&p->fenced, 60 * HZ), 0UL);
		if (atomic_read(&p->runs) != before)
			p->after_return++;
		gotimer_stop_sync(&p->fence);
	}
	KUNIT_EXPECT_EQ_MSG(test, p->after_return, 0,
			    "callbacks ran after gotimer_stop_sync() returned");
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&p->t));
}

static struct kunit_case gotimer_run_cases[] = {
	KUNIT_CASE(fires_in_when_order_per_cpu),
	KUNIT_CASE(periodic_catch_up_skips_missed_periods),
	KUNIT_CASE(periodic_overflow_clamps_to_s64_max),
	KUNIT_CASE(periodic_timer_fires_until_stopped_from_own_callback),
	KUNIT_CASE(callback_rearms_itself),
	KUNIT_CASE(callback_stops_another_timer),
	KUNIT_CASE(callback_moves_another_timer_earlier),
	KUNIT_CASE(stop_sync_waits_for_running_callback_then_kfree),
	KUNIT_CASE(stop_sync_from_own_callback_returns_and_may_free),
	KUNIT_CASE(stop_sync_of_pending_timer_removes_it_from_heap),
	KUNIT_CASE(stop_sync_of_stopped_timer_removes_it_from_heap),
	KUNIT_CASE_SLOW(stop_sync_holds_back_a_popped_callback),
	{}
};

static struct kunit_suite gotimer_run_suite = {
	.name = "gotimer_run",
	.test_cases = gotimer_run_cases,
};

kunit_test_suite(gotimer_run_suite);
