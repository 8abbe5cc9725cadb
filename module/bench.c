// SPDX-License-Identifier: GPL-2.0
/*
 * gotimer_bench.ko: gotimer against hrtimer and timer_list, in one boot, on
 * one measuring CPU holding N pending timers of each kind.
 *
 * Every figure is ns per operation, the median of @rounds rounds (with min
 * and max), and a ratio against hrtimer and timer_list measured in the same
 * run.  Random times come from a fixed seed and are drawn before the timed
 * loops.  Output: "gotimer-bench:" table lines and "gotimer-bench-csv:"
 * lines (scripts/bench collects both).  insmod returns when done.
 */
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include "internal.h"

static unsigned int nmax = 100000;
module_param(nmax, uint, 0444);
MODULE_PARM_DESC(nmax, "Largest N: 100, 1000, ... up to this (default: 100000)");
static unsigned int rounds = 5;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "Rounds per figure, the median is reported (default: 5)");
static unsigned int ops = 1000;
module_param(ops, uint, 0444);
MODULE_PARM_DESC(ops, "Timed operations per round (default: 1000)");
static unsigned int hotplug_n = 100000;
module_param(hotplug_n, uint, 0444);
MODULE_PARM_DESC(hotplug_n, "Timers on a CPU taken offline, 0 = skip (default: 100000)");
static unsigned int storm_n = 100000;
module_param(storm_n, uint, 0444);
MODULE_PARM_DESC(storm_n, "Timers in the reset storm, 0 = skip (default: 100000)");

#define HOUR_NS		(3600LL * NSEC_PER_SEC)
#define MAX_ROUNDS	15
enum fac { F_GOTIMER, F_HRTIMER, F_TIMER_LIST, F_FLOOR, F_NR };

enum op { OP_ARM, OP_MOD_LATER, OP_MOD_EARLIER, OP_STOP, OP_STOP_REARM, OP_NR };
static const char * const op_name[OP_NR] = {
	"arm idle", "modify later", "modify earlier", "stop", "stop+re-arm" };

/* The bare cost of a status lock round trip, on N cache-cold objects. */
struct floor_obj {
	atomic_t status;
	char pad[sizeof(struct gotimer) - sizeof(atomic_t)];
};

struct bench {
	unsigned int n, cap;		/* pending timers, array size */
	struct gotimer *gt;
	struct hrtimer *hr;
	struct timer_list *tl;
	struct floor_obj *fl;
	s64 *when;			/* random times, drawn up front */
	unsigned int *pick;		/* random pending indices */
	struct rnd_state rnd;
	s64 base_ns;
};

static void gt_fire(void *arg, uintptr_t seq, s64 delay_ns) { }
static enum hrtimer_restart hr_fire(struct hrtimer *h) { return HRTIMER_NORESTART; }
static void tl_fire(struct timer_list *t) { }

static int cmp_s64(const void *a, const void *b)
{
	s64 x = *(const s64 *)a, y = *(const s64 *)b;

	return x < y ? -1 : x > y;
}

struct stat3 { s64 med, min, max; };

static struct stat3 summarize(s64 *v, unsigned int n)
{
	struct stat3 s;

	sort(v, n, sizeof(*v), cmp_s64, NULL);
	s.min = v[0];
	s.max = v[n - 1];
	s.med = v[n / 2];
	return s;
}

static void draw(struct bench *b, s64 lo, s64 span)
{
	unsigned int i;

	for (i = 0; i < b->cap; i++)
		b->when[i] = lo + (s64)(prandom_u32_state(&b->rnd) % (u32)(span / 1000)) * 1000;
	for (i = 0; i < ops; i++)
		b->pick[i] = prandom_u32_state(&b->rnd) % b->n;
}

static void arm_one(struct bench *b, enum fac f, unsigned int i, s64 when)
{
	switch (f) {
	case F_GOTIMER:
		gotimer_modify(&b->gt[i], when, 0, gt_fire, NULL, i);
		break;
	case F_HRTIMER:
		hrtimer_start_range_ns(&b->hr[i], ns_to_ktime(when), 0,
				       HRTIMER_MODE_ABS_PINNED);
		break;
	case F_TIMER_LIST:
		mod_timer(&b->tl[i], jiffies + nsecs_to_jiffies(when - b->base_ns));
		break;
	default:
		break;
	}
}

static void stop_one(struct bench *b, enum fac f, unsigned int i)
{
	switch (f) {
	case F_GOTIMER:
		gotimer_stop(&b->gt[i]);
		break;
	case F_HRTIMER:
		hrtimer_try_to_cancel(&b->hr[i]);
		break;
	case F_TIMER_LIST:
		timer_delete(&b->tl[i]);
		break;
	default:
		break;
	}
}

static void floor_one(struct bench *b, unsigned int i)
{
	int old = 0;

	preempt_disable();
	if (atomic_try_cmpxchg_acquire(&b->fl[i].status, &old, 2))
		atomic_set_release(&b->fl[i].status, 0);
	preempt_enable();
}

/* One round of @op on facility @f: ns per operation. */
static s64 run_op(struct bench *b, enum fac f, enum op op)
{
	s64 t0, t1, far = b->base_ns + HOUR_NS;
	unsigned int i;

	if (f == F_FLOOR) {
		t0 = ktime_get_ns();
		for (i = 0; i < ops; i++)
			floor_one(b, b->pick[i]);
		return (ktime_get_ns() - t0) / ops;
	}
	switch (op) {
	case OP_ARM:		/* ops idle timers beyond the n pending ones */
		t0 = ktime_get_ns();
		for (i = 0; i < ops; i++)
			arm_one(b, f, b->n + i, b->when[b->n + i]);
		t1 = ktime_get_ns();
		for (i = 0; i < ops; i++)
			stop_one(b, f, b->n + i);
		break;
	case OP_MOD_LATER:
	case OP_MOD_EARLIER:
		t0 = ktime_get_ns();
		for (i = 0; i < ops; i++)
			arm_one(b, f, b->pick[i], op == OP_MOD_LATER ?
				far + b->when[i] - b->base_ns : b->when[i] - HOUR_NS / 2);
		t1 = ktime_get_ns();
		for (i = 0; i < ops; i++)	/* back to a mixed heap */
			arm_one(b, f, b->pick[i], b->when[b->pick[i]]);
		break;
	case OP_STOP:
		t0 = ktime_get_ns();
		for (i = 0; i < ops; i++)
			stop_one(b, f, b->pick[i]);
		t1 = ktime_get_ns();
		for (i = 0; i < ops; i++)
			arm_one(b, f, b->pick[i], b->when[b->pick[i]]);
		break;
	case OP_STOP_REARM:
	default:
		t0 = ktime_get_ns();
		for (i = 0; i < ops; i++) {
			stop_one(b, f, b->pick[i]);
			arm_one(b, f, b->pick[i], b->when[b->pick[i]]);
		}
		t1 = ktime_get_ns();
		break;
	}
	return (t1 - t0) / ops;
}

static int bench_alloc(struct bench *b, unsigned int n)
{
	unsigned int i;

	b->n = n;
	b->cap = n + ops;
	b->gt = kvcalloc(b->cap, sizeof(*b->gt), GFP_KERNEL);
	b->hr = kvcalloc(b->cap, sizeof(*b->hr), GFP_KERNEL);
	b->tl = kvcalloc(b->cap, sizeof(*b->tl), GFP_KERNEL);
	b->fl = kvcalloc(b->cap, sizeof(*b->fl), GFP_KERNEL);
	b->when = kvcalloc(b->cap, sizeof(*b->when), GFP_KERNEL);
	b->pick = kvcalloc(ops, sizeof(*b->pick), GFP_KERNEL);
	if (!b->gt || !b->hr || !b->tl || !b->fl || !b->when || !b->pick)
		return -ENOMEM;
	for (i = 0; i < b->cap; i++) {
		hrtimer_init(&b->hr[i], CLOCK_MONOTONIC, HRTIMER_MODE_ABS_PINNED);
		b->hr[i].function = hr_fire;
		timer_setup(&b->tl[i], tl_fire, TIMER_PINNED);
	}
	return 0;
}

static void bench_free(struct bench *b)
{
	unsigned int i;

	for (i = 0; b->gt && i < b->cap; i++) {
		gotimer_stop_sync(&b->gt[i]);
		hrtimer_cancel(&b->hr[i]);
		timer_delete_sync(&b->tl[i]);
	}
	kvfree(b->gt);
	kvfree(b->hr);
	kvfree(b->tl);
	kvfree(b->fl);
	kvfree(b->when);
	kvfree(b->pick);
	memset(b, 0, sizeof(*b));
}

static void print_row(const char *what, unsigned int n, struct stat3 *s)
{
	/* ratios in hundredths: gotimer / hrtimer, gotimer / timer_list, gotimer / floor */
	pr_info("gotimer-bench: %-15s N=%-7u gotimer %6lld [%lld..%lld]  hrtimer %6lld  timer_list %6lld  floor %4lld  | vs hrtimer %lld.%02lldx  vs timer_list %lld.%02lldx  vs floor %lld.%02lldx\n",
		what, n, s[F_GOTIMER].med, s[F_GOTIMER].min, s[F_GOTIMER].max,
		s[F_HRTIMER].med, s[F_TIMER_LIST].med, s[F_FLOOR].med,
		s[F_GOTIMER].med * 100 / max(s[F_HRTIMER].med, 1LL) / 100,
		s[F_GOTIMER].med * 100 / max(s[F_HRTIMER].med, 1LL) % 100,
		s[F_GOTIMER].med * 100 / max(s[F_TIMER_LIST].med, 1LL) / 100,
		s[F_GOTIMER].med * 100 / max(s[F_TIMER_LIST].med, 1LL) % 100,
		s[F_GOTIMER].med * 100 / max(s[F_FLOOR].med, 1LL) / 100,
		s[F_GOTIMER].med * 100 / max(s[F_FLOOR].med, 1LL) % 100);
	pr_info("gotimer-bench-csv: %s,%u,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld\n",
		what, n,
		s[F_GOTIMER].med, s[F_GOTIMER].min, s[F_GOTIMER].max,
		s[F_HRTIMER].med, s[F_HRTIMER].min, s[F_HRTIMER].max,
		s[F_TIMER_LIST].med, s[F_TIMER_LIST].min, s[F_TIMER_LIST].max,
		s[F_FLOOR].med, s[F_FLOOR].min, s[F_FLOOR].max);
}

/* The per-op table at one N, on the calling (measuring) CPU. */
static int bench_ops_at(unsigned int n)
{
	struct bench b = {};
	s64 v[F_NR][MAX_ROUNDS];
	struct stat3 s[F_NR];
	unsigned int i, r;
	int f, op, ret;

	ret = bench_alloc(&b, n);
	if (ret)
		goto out;
	prandom_seed_state(&b.rnd, 0x60714e5 + n);
	b.base_ns = ktime_get_ns();
	draw(&b, b.base_ns + HOUR_NS, HOUR_NS);
	for (f = 0; f < F_FLOOR; f++)
		for (i = 0; i < n; i++) {
			arm_one(&b, f, i, b.when[i]);
			if (!(i % 4096))
				cond_resched();
		}
	for (op = 0; op < OP_NR; op++) {
		for (r = 0; r < rounds; r++) {
			for (i = 0; i < ops; i++)
				b.pick[i] = prandom_u32_state(&b.rnd) % n;
			for (f = 0; f < F_NR; f++)
				v[f][r] = run_op(&b, f, op);
			cond_resched();
		}
		for (f = 0; f < F_NR; f++)
			s[f] = summarize(v[f], rounds);
		print_row(op_name[op], n, s);
	}
out:
	bench_free(&b);
	return ret;
}

/* --- cross-CPU modify: timers on the measuring CPU, modified elsewhere --- */
struct cross_arg {
	struct bench *b;
	unsigned int first;
	s64 ns;
	struct completion *go;
	struct completion done;
};

static int cross_thread(void *p)
{
	struct cross_arg *a = p;
	struct bench *b = a->b;
	s64 t0;
	unsigned int i;

	wait_for_completion(a->go);
	t0 = ktime_get_ns();
	for (i = 0; i < ops; i++) {
		unsigned int k = (a->first + i * 7919) % b->n;

		gotimer_modify(&b->gt[k], b->when[(k + i) % b->cap], 0, gt_fire, NULL, k);
	}
	a->ns = (ktime_get_ns() - t0) / ops;
	complete(&a->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static void bench_cross(unsigned int n, int home)
{
	struct bench b = {};
	struct cross_arg args[4];
	struct task_struct *tasks[4];
	DECLARE_COMPLETION_ONSTACK(go);
	int nthreads, cpu, k;
	unsigned int i;
	s64 sum;

	if (bench_alloc(&b, n))
		goto out;
	prandom_seed_state(&b.rnd, 0xc5055);
	b.base_ns = ktime_get_ns();
	draw(&b, b.base_ns + HOUR_NS, HOUR_NS);
	for (i = 0; i < n; i++)
		arm_one(&b, F_GOTIMER, i, b.when[i]);
	for (nthreads = 1; nthreads <= 4; nthreads *= 2) {
		reinit_completion(&go);
		k = 0;
		for_each_online_cpu(cpu) {
			if (k == nthreads)
				break;
			if (cpu == home && num_online_cpus() > nthreads)
				continue;
			args[k] = (struct cross_arg){ &b, k * (n / 4), 0, &go };
			init_completion(&args[k].done);
			tasks[k] = kthread_create_on_cpu(cross_thread, &args[k], cpu,
							 "gt-bench-x/%u");
			if (IS_ERR(tasks[k]))
				break;
			wake_up_process(tasks[k]);
			k++;
		}
		complete_all(&go);
		sum = 0;
		for (i = 0; i < k; i++) {
			/* kthread_stop() before it ran would skip the thread */
			wait_for_completion(&args[i].done);
			kthread_stop(tasks[i]);
			sum += args[i].ns;
		}
		if (k)
			pr_info("gotimer-bench: cross-CPU modify N=%u threads=%d: %lld ns/op per thread\n",
				n, k, sum / k);
		pr_info("gotimer-bench-csv: cross-cpu modify x%d,%u,%lld\n", k, n, k ? sum / k : 0);
	}
out:
	bench_free(&b);
}

/* --- hotplug: offline a CPU holding N gotimers, then N hrtimers ---------- */
struct hp_arm {
	struct bench *b;
	enum fac f;
};

static long hp_arm_fn(void *p)
{
	struct hp_arm *a = p;
	unsigned int i;

	for (i = 0; i < a->b->n; i++)
		arm_one(a->b, a->f, i, a->b->when[i]);
	return 0;
}

static void bench_hotplug(unsigned int n)
{
	struct bench b = {};
	int victim = -1, cpu, f;
	s64 ns[2] = {};

	for_each_online_cpu(cpu)
		if (cpu)
			victim = cpu;
	if (victim < 0 || bench_alloc(&b, n))
		goto out;
	b.base_ns = ktime_get_ns();
	prandom_seed_state(&b.rnd, 0x407);
	draw(&b, b.base_ns + HOUR_NS, HOUR_NS);
	for (f = F_GOTIMER; f <= F_HRTIMER; f++) {
		struct hp_arm a = { &b, f };
		s64 t0;

		work_on_cpu(victim, hp_arm_fn, &a);
		t0 = ktime_get_ns();
		if (remove_cpu(victim))
			goto out;
		ns[f] = ktime_get_ns() - t0;
		add_cpu(victim);
	}
	pr_info("gotimer-bench: offline a CPU holding N=%u timers: gotimer %lld us, hrtimer %lld us, ratio %lld.%02lldx\n",
		n, ns[0] / 1000, ns[1] / 1000, ns[0] * 100 / max(ns[1], 1LL) / 100,
		ns[0] * 100 / max(ns[1], 1LL) % 100);
	pr_info("gotimer-bench-csv: hotplug offline,%u,%lld,%lld\n", n, ns[0], ns[1]);
out:
	bench_free(&b);
}

/* --- fire throughput and lateness -------------------------------------- */
static atomic_t fired_count;
static unsigned int fire_target;
static s64 *lateness;		/* per timer: callback time - when */
static s64 fire_last_ns;
static DECLARE_COMPLETION(fire_done);

static void note_fire(unsigned int i, s64 when)
{
	s64 now = ktime_get_ns();

	if (lateness)
		lateness[i] = now - when;
	if (atomic_inc_return(&fired_count) == fire_target) {
		WRITE_ONCE(fire_last_ns, now);
		complete(&fire_done);
	}
}

static struct bench *fire_bench;

static void gt_fire_note(void *arg, uintptr_t seq, s64 delay_ns)
{
	note_fire(seq, fire_bench->when[seq]);
}

static enum hrtimer_restart hr_fire_note(struct hrtimer *h)
{
	unsigned int i = h - fire_bench->hr;

	note_fire(i, fire_bench->when[i]);
	return HRTIMER_NORESTART;
}

static void tl_fire_note(struct timer_list *t)
{
	unsigned int i = t - fire_bench->tl;

	note_fire(i, fire_bench->when[i]);
}

/*
 * Arm n timers of facility @f at the given times (b->when[]) and wait for
 * every callback.  Returns the time from the latest when to the last
 * callback, in ns; fills lateness[] if set.
 */
static s64 fire_all(struct bench *b, enum fac f, unsigned int n)
{
	s64 latest = 0;
	unsigned int i;

	atomic_set(&fired_count, 0);
	fire_target = n;
	reinit_completion(&fire_done);
	for (i = 0; i < n; i++) {
		latest = max(latest, b->when[i]);
		switch (f) {
		case F_GOTIMER:
			gotimer_modify(&b->gt[i], b->when[i], 0, gt_fire_note, NULL, i);
			break;
		case F_HRTIMER:
			b->hr[i].function = hr_fire_note;
			hrtimer_start_range_ns(&b->hr[i], ns_to_ktime(b->when[i]), 0,
					       HRTIMER_MODE_ABS_PINNED);
			break;
		default:
			b->tl[i].function = tl_fire_note;
			mod_timer(&b->tl[i], jiffies +
				  nsecs_to_jiffies(b->when[i] - ktime_get_ns()) + 1);
			break;
		}
	}
	if (!wait_for_completion_timeout(&fire_done, 300 * HZ))
		return -1;
	return READ_ONCE(fire_last_ns) - latest;
}

static void bench_fire(unsigned int n)
{
	static const char * const names[] = { "gotimer", "hrtimer", "timer_list" };
	struct bench b = {};
	s64 t[3], p50[3], p99[3], pmax[3];
	unsigned int i;
	int f;

	if (bench_alloc(&b, n))
		goto out;
	fire_bench = &b;
	/* throughput: all due at one time, 1 s from now, after the arming */
	for (f = F_GOTIMER; f <= F_TIMER_LIST; f++) {
		s64 due = ktime_get_ns() + NSEC_PER_SEC;

		for (i = 0; i < n; i++)
			b.when[i] = due;
		t[f] = fire_all(&b, f, n);
	}
	pr_info("gotimer-bench: fire throughput N=%u all due at once: last callback after gotimer %lld us, hrtimer %lld us, timer_list %lld us (%lld / %lld / %lld ns per timer)\n",
		n, t[0] / 1000, t[1] / 1000, t[2] / 1000, t[0] / n, t[1] / n, t[2] / n);
	pr_info("gotimer-bench-csv: fire throughput,%u,%lld,%lld,%lld\n", n, t[0], t[1], t[2]);

	/* lateness: 1000 timers spread over a second */
	n = min(n, 1000U);
	lateness = kvcalloc(n, sizeof(*lateness), GFP_KERNEL);
	if (!lateness)
		goto out;
	prandom_seed_state(&b.rnd, 0x1a7e);
	for (f = F_GOTIMER; f <= F_TIMER_LIST; f++) {
		s64 start = ktime_get_ns() + 100 * NSEC_PER_MSEC;

		for (i = 0; i < n; i++)
			b.when[i] = start + (prandom_u32_state(&b.rnd) % 1000000) * 1000LL;
		if (fire_all(&b, f, n) < 0)
			continue;
		sort(lateness, n, sizeof(*lateness), cmp_s64, NULL);
		p50[f] = lateness[n / 2];
		p99[f] = lateness[n * 99 / 100];
		pmax[f] = lateness[n - 1];
	}
	for (f = F_GOTIMER; f <= F_TIMER_LIST; f++) {
		pr_info("gotimer-bench: lateness %-10s N=%u over 1 s: p50 %lld us, p99 %lld us, max %lld us\n",
			names[f], n, p50[f] / 1000, p99[f] / 1000, pmax[f] / 1000);
		pr_info("gotimer-bench-csv: lateness %s,%u,%lld,%lld,%lld\n",
			names[f], n, p50[f], p99[f], pmax[f]);
	}
	kvfree(lateness);
	lateness = NULL;
out:
	fire_bench = NULL;
	bench_free(&b);
}

/* --- worker CPU time: idle, and under a reset storm ------------------- */
static u64 workers_runtime(void)
{
	u64 sum = 0;
	int cpu;

	for_each_online_cpu(cpu) {
		struct task_struct *w = READ_ONCE(gotimer_cpu_base(cpu)->worker);

		if (w)
			sum += READ_ONCE(w->se.sum_exec_runtime);
	}
	return sum;
}

static unsigned long adjusted_total(void)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		/* benign: a counter written under the heap lock, read once */
		sum += data_race(gotimer_cpu_base(cpu)->adjusted);
	}
	return sum;
}

struct storm_arg {
	struct bench *b;
	unsigned long end;
	unsigned long mods;
};

static int storm_thread(void *p)
{
	struct storm_arg *a = p;
	struct rnd_state rnd;

	prandom_seed_state(&rnd, raw_smp_processor_id());
	while (time_before(jiffies, a->end) && !kthread_should_stop()) {
		unsigned int i, k;

		for (i = 0; i < 256; i++) {
			k = prandom_u32_state(&rnd) % a->b->n;
			/* earlier or later, 1..2 s ahead: never due */
			gotimer_modify(&a->b->gt[k], ktime_get_ns() + NSEC_PER_SEC +
				       (prandom_u32_state(&rnd) % 1000) * NSEC_PER_MSEC,
				       0, gt_fire, NULL, k);
		}
		a->mods += 256;
		usleep_range(2000, 3000);
	}
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static void bench_workers(unsigned int n)
{
	struct bench b = {};
	struct storm_arg *args = kcalloc(nr_cpu_ids, sizeof(*args), GFP_KERNEL);
	struct task_struct **tasks = kcalloc(nr_cpu_ids, sizeof(*tasks), GFP_KERNEL);
	u64 rt0, rt1;
	unsigned long adj0, mods = 0;
	int cpu, secs = 5;
	unsigned int i;

	if (!args || !tasks || bench_alloc(&b, n))
		goto out;
	b.base_ns = ktime_get_ns();
	prandom_seed_state(&b.rnd, 0x5707);
	draw(&b, b.base_ns + HOUR_NS, HOUR_NS);
	for (i = 0; i < n; i++)
		arm_one(&b, F_GOTIMER, i, b.when[i]);

	rt0 = workers_runtime();
	msleep(1000);
	rt1 = workers_runtime();
	pr_info("gotimer-bench: idle workers with N=%u pending: %llu us CPU in 1 s\n",
		n, (rt1 - rt0) / 1000);
	pr_info("gotimer-bench-csv: idle worker cpu,%u,%llu\n", n, rt1 - rt0);

	adj0 = adjusted_total();
	rt0 = workers_runtime();
	for_each_online_cpu(cpu) {
		args[cpu] = (struct storm_arg){ &b, jiffies + secs * HZ, 0 };
		tasks[cpu] = kthread_create_on_cpu(storm_thread, &args[cpu], cpu,
						   "gt-bench-storm/%u");
		if (!IS_ERR(tasks[cpu]))
			wake_up_process(tasks[cpu]);
		else
			tasks[cpu] = NULL;
	}
	msleep(secs * 1000);
	for_each_online_cpu(cpu) {
		if (!tasks[cpu])
			continue;
		kthread_stop(tasks[cpu]);
		mods += args[cpu].mods;
	}
	rt1 = workers_runtime();
	pr_info("gotimer-bench: reset storm N=%u: %lu modifies in %d s, workers %llu us CPU per s, %lu adjust passes\n",
		n, mods, secs, (rt1 - rt0) / 1000 / secs, adjusted_total() - adj0);
	pr_info("gotimer-bench-csv: reset storm,%u,%lu,%llu,%lu\n", n, mods,
		(rt1 - rt0) / secs, adjusted_total() - adj0);
out:
	bench_free(&b);
	kfree(args);
	kfree(tasks);
}

static int bench_main(void *unused)
{
	unsigned int n;

	pr_info("gotimer-bench: rounds=%u ops=%u nmax=%u; ns/op, median [min..max] of rounds; floor = preempt_disable+cmpxchg+store+preempt_enable\n",
		rounds, ops, nmax);
	pr_info("gotimer-bench: memory per armed timer: gotimer %zu+%zu (heap slot), hrtimer %zu, timer_list %zu bytes\n",
		sizeof(struct gotimer), sizeof(struct gotimer *),
		sizeof(struct hrtimer), sizeof(struct timer_list));
	pr_info("gotimer-bench-csv: memory,%zu,%zu,%zu\n",
		sizeof(struct gotimer) + sizeof(struct gotimer *),
		sizeof(struct hrtimer), sizeof(struct timer_list));
	for (n = 100; n <= nmax; n *= 10)
		if (bench_ops_at(n))
			pr_err("gotimer-bench: N=%u: out of memory\n", n);
	bench_cross(min(nmax, 100000U), smp_processor_id());
	bench_fire(min(nmax, 100000U));
	if (hotplug_n)
		bench_hotplug(hotplug_n);
	if (storm_n)
		bench_workers(storm_n);
	pr_info("gotimer-bench: done\n");
	return 0;
}

static long bench_on_cpu(void *unused)
{
	return bench_main(NULL);
}

static int __init gotimer_bench_init(void)
{
	int cpu = num_online_cpus() > 1 ? 1 : 0;

	if (!rounds || rounds > MAX_ROUNDS || !ops || nmax < 100)
		return -EINVAL;
	/* The measuring CPU: its heap, hrtimer base and wheel get the N timers. */
	work_on_cpu(cpu, bench_on_cpu, NULL);
	return 0;
}

static void __exit gotimer_bench_exit(void)
{
}

module_init(gotimer_bench_init);
module_exit(gotimer_bench_exit);

MODULE_IMPORT_NS(GOTIMER_INTERNAL);
MODULE_DESCRIPTION("gotimer benchmark against hrtimer and timer_list");
MODULE_LICENSE("GPL");
