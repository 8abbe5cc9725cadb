// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "gotimer_hotplug": a CPU holding timers in every state goes
 * offline; its timers move to a live CPU (Go's adoptTimers/moveTimers, rows
 * [S13]-[S15] of module/status.c) and none is lost, early, or doubled.
 */
#include <kunit/test.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include "internal.h"

#define MS ((s64)NSEC_PER_MSEC)	/* s64: 3000 * MS overflows a 32-bit long */

#ifndef KUNIT_CASE_SLOW		/* before 6.6 every case ran at one speed */
#define KUNIT_CASE_SLOW KUNIT_CASE
#endif

enum hp_kind { HP_WAITING, HP_EARLIER, HP_LATER, HP_STOPPED, HP_PERIODIC,
	       HP_DUE_SOON, HP_NR_KINDS };

#define HP_PER_KIND	400
#define HP_TIMERS	(HP_PER_KIND * HP_NR_KINDS)
#define HP_PERIOD	(200 * MS)

struct hp_timer {
	struct gotimer t;
	enum hp_kind kind;
	s64 when;		/* the time it must not fire before */
	atomic_t fired;
	atomic_t early;
	s64 first_when;		/* periodic: its first time */
	atomic_t off_period;	/* periodic: next time not first + k * period */
	int fired_cpu;
};

struct hp_fixture {
	struct hp_timer *timers;
	int victim;
	s64 t0;
	atomic_t oneshot_left;
	wait_queue_head_t wq;
	struct kunit *test;
};

static void hp_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct hp_fixture *f = arg;
	struct hp_timer *h = &f->timers[seq];
	s64 now = gotimer_now();

	if (now < h->when)
		atomic_inc(&h->early);
	if (h->kind == HP_PERIODIC) {
		/* The worker set the next time before calling us (row [S12]). */
		s64 next = READ_ONCE(h->t.when);
		s32 off;

		div_s64_rem(next - h->first_when, HP_PERIOD, &off);
		if (off)
			atomic_inc(&h->off_period);
		h->when = next;
	}
	WRITE_ONCE(h->fired_cpu, raw_smp_processor_id());
	if (atomic_inc_return(&h->fired) == 1 && h->kind != HP_PERIODIC &&
	    atomic_dec_and_test(&f->oneshot_left))
		wake_up_all(&f->wq);
	else if (h->kind == HP_PERIODIC)
		wake_up_all(&f->wq);
}

/* Runs on the victim CPU: every timer lands in its heap (row [S5]). */
static long hp_arm_on_victim(void *data)
{
	struct hp_fixture *f = data;
	struct rnd_state rnd;
	unsigned int i;

	prandom_seed_state(&rnd, 0x407);
	f->t0 = gotimer_now();
	for (i = 0; i < HP_TIMERS; i++) {
		struct hp_timer *h = &f->timers[i];
		s64 spread = (prandom_u32_state(&rnd) % 1000) * MS;
		s64 when = f->t0 + 3000 * MS + spread;
		int ret = 0;

		h->kind = i % HP_NR_KINDS;
		h->first_when = when;
		switch (h->kind) {
		case HP_WAITING:
			ret = gotimer_modify(&h->t, when, 0, hp_fire, f, i);
			break;
		case HP_EARLIER:	/* Modified, nextwhen < when */
			ret = gotimer_modify(&h->t, when + 3600000 * MS, 0, hp_fire, f, i);
			ret |= gotimer_modify(&h->t, when, 0, hp_fire, f, i) != 1;
			break;
		case HP_LATER:		/* Modified, nextwhen > when */
			/*
			 * 1 ms before: the arming of all HP_TIMERS may take
			 * over a second on a loaded TCG host, and a first time
			 * already past would fire before the second modify.
			 */
			ret = gotimer_modify(&h->t, when - MS, 0, hp_fire, f, i);
			ret |= gotimer_modify(&h->t, when, 0, hp_fire, f, i) != 1;
			break;
		case HP_STOPPED:	/* Modified, nextwhen == 0 */
			ret = gotimer_modify(&h->t, when, 0, hp_fire, f, i);
			ret |= !gotimer_stop(&h->t);
			break;
		case HP_PERIODIC:
			ret = gotimer_modify(&h->t, when, HP_PERIOD, hp_fire, f, i);
			break;
		case HP_DUE_SOON:	/* likely due while the CPU goes down */
			when = f->t0 + (prandom_u32_state(&rnd) % 50) * MS;
			ret = gotimer_modify(&h->t, when, 0, hp_fire, f, i);
			break;
		default:
			break;
		}
		h->when = when;
		if (ret)
			return -EIO;
	}
	return 0;
}

static int pick_victim(void)
{
	int cpu, victim = -1;

	for_each_online_cpu(cpu)
		if (cpu != 0)
			victim = cpu;
	return victim;
}

static int verify_base(struct gotimer_base *base)
{
	int ret;

	raw_spin_lock(&base->lock);
	ret = gotimer_base_verify(base);
	raw_spin_unlock(&base->lock);
	return ret;
}

static void offline_moves_every_timer_and_loses_none(struct kunit *test)
{
	struct hp_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct gotimer_base *vb;
	unsigned long moved_out;
	long left;
	int cpu, receiver = -1;
	unsigned int i;
	long bad = atomic_long_read(&gotimer_bad_timers);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->victim = pick_victim();
	if (f->victim < 0)
		kunit_skip(test, "needs two online CPUs");
	f->timers = kvcalloc(HP_TIMERS, sizeof(*f->timers), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->timers);
	init_waitqueue_head(&f->wq);
	atomic_set(&f->oneshot_left, 4 * HP_PER_KIND);	/* W, E, L, D */
	vb = gotimer_cpu_base(f->victim);
	moved_out = vb->moved_out;

	if (work_on_cpu(f->victim, hp_arm_on_victim, f)) {
		/* Nothing may keep firing into the fixture once it is freed. */
		for (i = 0; i < HP_TIMERS; i++)
			gotimer_stop_sync(&f->timers[i].t);
		kvfree(f->timers);
		KUNIT_FAIL(test, "arming on cpu %d failed", f->victim);
		return;
	}
	KUNIT_ASSERT_EQ(test, remove_cpu(f->victim), 0);

	/* The victim's heap is empty and stays so while it is offline. */
	KUNIT_EXPECT_EQ(test, READ_ONCE(vb->heap.len), 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&vb->deleted), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&vb->timer0_when), 0);
	KUNIT_EXPECT_GT(test, vb->moved_out, moved_out);
	/* ... and holds no heap memory (gotimer_base_release()). */
	KUNIT_EXPECT_EQ(test, READ_ONCE(vb->heap.cap), 0U);
	KUNIT_EXPECT_PTR_EQ(test, vb->heap.slots, NULL);
	for_each_online_cpu(cpu) {
		KUNIT_EXPECT_EQ(test, verify_base(gotimer_cpu_base(cpu)), 0);
		if (gotimer_cpu_base(cpu)->moved_in)
			receiver = cpu;
	}
	KUNIT_EXPECT_GE(test, receiver, 0);

	/* Every one-shot fires; periodic ones fire at least twice. */
	left = wait_event_timeout(f->wq, atomic_read(&f->oneshot_left) == 0,
				  120 * HZ);
	KUNIT_EXPECT_GT(test, left, 0L);
	for (i = 0; i < HP_TIMERS; i++) {
		struct hp_timer *h = &f->timers[i];

		if (h->kind != HP_PERIODIC)
			continue;
		left = wait_event_timeout(f->wq, atomic_read(&h->fired) >= 2,
					  120 * HZ);
		KUNIT_EXPECT_GT(test, left, 0L);
	}
	/* Stop the periodic ones, then anything doubled would show. */
	for (i = 0; i < HP_TIMERS; i++)
		gotimer_stop_sync(&f->timers[i].t);

	for (i = 0; i < HP_TIMERS; i++) {
		struct hp_timer *h = &f->timers[i];
		int fired = atomic_read(&h->fired);

		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&h->early), 0,
				    "timer %u (kind %d) fired early", i, h->kind);
		switch (h->kind) {
		case HP_STOPPED:
			KUNIT_EXPECT_EQ_MSG(test, fired, 0, "stopped timer %u fired", i);
			break;
		case HP_PERIODIC:
			KUNIT_EXPECT_GE(test, fired, 2);
			KUNIT_EXPECT_EQ(test, h->t.period, HP_PERIOD);
			KUNIT_EXPECT_EQ(test, atomic_read(&h->off_period), 0);
			break;
		default:
			KUNIT_EXPECT_EQ_MSG(test, fired, 1, "timer %u (kind %d)", i, h->kind);
			break;
		}
		if (fired && h->kind != HP_DUE_SOON)
			KUNIT_EXPECT_NE(test, h->fired_cpu, f->victim);
	}
	KUNIT_EXPECT_EQ(test, atomic_long_read(&gotimer_bad_timers), bad);

	KUNIT_ASSERT_EQ(test, add_cpu(f->victim), 0);
	kvfree(f->timers);
}

struct online_check {
	struct gotimer t;
	struct completion done;
	int fired_cpu;
	struct gotimer_base *armed_base;
};

static void online_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct online_check *c = arg;

	c->fired_cpu = raw_smp_processor_id();
	complete(&c->done);
}

static long online_arm(void *data)
{
	struct online_check *c = data;

	c->armed_base = gotimer_cpu_base(raw_smp_processor_id());
	return gotimer_modify(&c->t, gotimer_now() + 10 * MS, 0, online_fire, c, 0);
}

static void cpu_back_online_takes_and_fires_timers(struct kunit *test)
{
	struct online_check *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	int victim = pick_victim();

	KUNIT_ASSERT_NOT_NULL(test, c);
	if (victim < 0)
		kunit_skip(test, "needs two online CPUs");
	init_completion(&c->done);
	KUNIT_ASSERT_EQ(test, remove_cpu(victim), 0);
	KUNIT_ASSERT_EQ(test, add_cpu(victim), 0);
	KUNIT_ASSERT_EQ(test, work_on_cpu(victim, online_arm, c), 0L);
	KUNIT_EXPECT_PTR_EQ(test, c->armed_base, gotimer_cpu_base(victim));
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&c->done, 60 * HZ), 0UL);
	KUNIT_EXPECT_EQ(test, c->fired_cpu, victim);
	KUNIT_EXPECT_FALSE(test, gotimer_stop_sync(&c->t));
}

#define RACE_TIMERS	512

struct race_timer {
	struct gotimer t;
	atomic_t activations;	/* modify returned 0: a new pending instance */
	atomic_t ends;		/* stop returned true, or it fired */
	atomic_t early;
};

struct race_fixture {
	struct race_timer *timers;
	int victim;
	bool done;
	atomic_t ops;
};

static void race_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct race_timer *r = arg;

	if (gotimer_now() < (s64)seq)
		atomic_inc(&r->early);
	atomic_inc(&r->ends);
}

static int race_modify(struct race_timer *r, s64 when)
{
	int ret = gotimer_modify(&r->t, when, 0, race_fire, r, (uintptr_t)when);

	if (ret == 0)
		atomic_inc(&r->activations);
	return ret;
}

static long race_arm_on_victim(void *data)
{
	struct race_fixture *f = data;
	s64 now = gotimer_now();
	unsigned int i;

	for (i = 0; i < RACE_TIMERS; i++)
		if (race_modify(&f->timers[i], now + (5000 + i) * MS))
			return -EIO;
	return 0;
}

static int race_thread(void *data)
{
	struct race_fixture *f = data;
	struct rnd_state rnd;
	unsigned int n;

	prandom_seed_state(&rnd, raw_smp_processor_id());
	for (n = 0; n < 100000 && !READ_ONCE(f->done); n++) {
		struct race_timer *r = &f->timers[prandom_u32_state(&rnd) % RACE_TIMERS];
		u32 op = prandom_u32_state(&rnd) % 4;
		s64 now = gotimer_now();

		if (op == 0) {
			if (gotimer_stop(&r->t))
				atomic_inc(&r->ends);
		} else {
			/* earlier (may be due at once) or later */
			race_modify(r, now + (op == 1 ? 0 : 1000 + (s64)op * 500) * MS);
		}
		atomic_inc(&f->ops);
		if (!(n % 64))
			cond_resched();
	}
	return 0;
}

static void modify_and_stop_racing_offline_land_on_live_heap(struct kunit *test)
{
	struct race_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct task_struct **threads;
	struct gotimer_base *vb;
	long bad = atomic_long_read(&gotimer_bad_timers);
	int cpu, ret;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->victim = pick_victim();
	if (f->victim < 0)
		kunit_skip(test, "needs two online CPUs");
	vb = gotimer_cpu_base(f->victim);
	f->timers = kvcalloc(RACE_TIMERS, sizeof(*f->timers), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->timers);
	KUNIT_ASSERT_EQ(test, work_on_cpu(f->victim, race_arm_on_victim, f), 0L);
	threads = kunit_kcalloc(test, nr_cpu_ids, sizeof(*threads), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, threads);

	for_each_online_cpu(cpu) {
		if (cpu == f->victim)
			continue;
		threads[cpu] = kthread_run_on_cpu(race_thread, f, cpu, "gt-race/%u");
		KUNIT_ASSERT_FALSE(test, IS_ERR(threads[cpu]));
		get_task_struct(threads[cpu]);
	}
	ret = remove_cpu(f->victim);
	WRITE_ONCE(f->done, true);
	for_each_possible_cpu(cpu) {
		if (!threads[cpu])
			continue;
		kthread_stop(threads[cpu]);
		put_task_struct(threads[cpu]);
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_GT(test, atomic_read(&f->ops), 0);

	/* Nothing pending was left on, or later added to, the dead CPU. */
	KUNIT_EXPECT_EQ(test, READ_ONCE(vb->heap.len), 0U);
	for (i = 0; i < RACE_TIMERS; i++) {
		struct gotimer_base *b = READ_ONCE(f->timers[i].t.base);

		KUNIT_EXPECT_TRUE_MSG(test, b != vb, "timer %u still on cpu%d", i, f->victim);
	}
	for_each_online_cpu(cpu)
		KUNIT_EXPECT_EQ(test, verify_base(gotimer_cpu_base(cpu)), 0);

	/* Exact accounting: every instance armed ended exactly once. */
	for (i = 0; i < RACE_TIMERS; i++) {
		struct race_timer *r = &f->timers[i];

		if (gotimer_stop_sync(&r->t))
			atomic_inc(&r->ends);
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&r->activations),
				    atomic_read(&r->ends), "timer %u", i);
		KUNIT_EXPECT_EQ(test, atomic_read(&r->early), 0);
	}
	KUNIT_EXPECT_EQ(test, atomic_long_read(&gotimer_bad_timers), bad);
	KUNIT_ASSERT_EQ(test, add_cpu(f->victim), 0);
	kvfree(f->timers);
}

/*
 * Issue 13, item 3: a periodic timer of the victim whose callback takes
 * cpus_read_lock() and sleeps, while the victim goes offline and online
 * OFFLINE_CYCLES times.  cpu_down() holds cpus_write_lock(); had it to wait
 * for the callback (smpboot parking the worker), it would wait for a
 * callback that waits for it.  Every offline must return, the timer keep
 * firing, never twice at once, never early.
 */
#define OFFLINE_CYCLES	20
#define LOCKER_PERIOD	(5 * MS)
#define LOCKER_SLEEP_MS	2

struct locker {
	struct gotimer t;
	s64 next_when;		/* the time its next run must not beat */
	atomic_t inside;
	atomic_t overlaps;
	atomic_t early;
	atomic_t runs;
};

static void locker_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct locker *l = arg;

	if (atomic_inc_return(&l->inside) > 1)
		atomic_inc(&l->overlaps);
	if (gotimer_now() < READ_ONCE(l->next_when))
		atomic_inc(&l->early);
	/* [S12] set the next time before the call. */
	WRITE_ONCE(l->next_when, READ_ONCE(l->t.when));
	cpus_read_lock();
	msleep(LOCKER_SLEEP_MS);
	cpus_read_unlock();
	atomic_inc(&l->runs);
	atomic_dec(&l->inside);
}

static long locker_arm(void *data)
{
	struct locker *l = data;

	l->next_when = gotimer_now() + MS;
	return gotimer_modify(&l->t, l->next_when, LOCKER_PERIOD, locker_fire, l, 0);
}

static void offline_while_callback_sleeps_in_cpus_read_lock(struct kunit *test)
{
	struct locker *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	int victim = pick_victim(), i, j, runs;

	KUNIT_ASSERT_NOT_NULL(test, l);
	if (victim < 0)
		kunit_skip(test, "needs two online CPUs");
	KUNIT_ASSERT_EQ(test, work_on_cpu(victim, locker_arm, l), 0L);
	for (i = 0; i < OFFLINE_CYCLES; i++) {
		/* Offline while a run is inside (or about to be). */
		runs = atomic_read(&l->runs);
		for (j = 0; j < 20000 && atomic_read(&l->runs) == runs &&
		     !atomic_read(&l->inside); j++)
			usleep_range(200, 400);
		KUNIT_ASSERT_EQ_MSG(test, remove_cpu(victim), 0, "cycle %d", i);
		KUNIT_ASSERT_EQ_MSG(test, add_cpu(victim), 0, "cycle %d", i);
	}
	/* It still fires: two more runs after the last cycle. */
	runs = atomic_read(&l->runs);
	for (i = 0; i < 4000 && atomic_read(&l->runs) < runs + 2; i++)
		usleep_range(5000, 6000);
	KUNIT_EXPECT_GE(test, atomic_read(&l->runs), runs + 2);
	KUNIT_EXPECT_TRUE(test, gotimer_stop_sync(&l->t));
	KUNIT_EXPECT_EQ(test, atomic_read(&l->inside), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&l->overlaps), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&l->early), 0);
	kunit_info(test, "%d offline/online cycles, %d runs\n", OFFLINE_CYCLES,
		   atomic_read(&l->runs));
}

static struct kunit_case hotplug_cases[] = {
	KUNIT_CASE_SLOW(offline_moves_every_timer_and_loses_none),
	KUNIT_CASE(cpu_back_online_takes_and_fires_timers),
	KUNIT_CASE_SLOW(modify_and_stop_racing_offline_land_on_live_heap),
	KUNIT_CASE_SLOW(offline_while_callback_sleeps_in_cpus_read_lock),
	{}
};

static struct kunit_suite hotplug_suite = {
	.name = "gotimer_hotplug",
	.test_cases = hotplug_cases,
};

kunit_test_suite(hotplug_suite);
