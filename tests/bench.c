// SPDX-License-Identifier: GPL-2.0
/*
 * gotimer_bench.ko: gotimer against the peers a kernel developer would pick
 * instead -- hrtimer (hard and HRTIMER_MODE_SOFT), timer_list and
 * delayed_work on system_wq -- in one boot, on one measuring CPU holding N
 * pending timers of each kind.
 *
 * Every figure is ns per operation, the median of @rounds rounds (with min
 * and max), and a ratio against the peers measured in the same run.
 * Random times come from a fixed seed and are drawn before the timed
 * loops.  Output: "gotimer-bench:" table lines and "gotimer-bench-csv:"
 * lines (scripts/bench collects both).  insmod returns when done.
 */
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/hardirq.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include "stats.h"
#include "param.h"

gt_param(nmax, 100000, 100, 10000000, 0444, "Largest N: 100, 1000, ... up to this");
gt_param(rounds, 5, 1, 15, 0444, "Rounds per figure, the median is reported");
gt_param(ops, 1000, 1, 1000000, 0444, "Timed operations per round");
gt_param(hotplug_n, 100000, 0, 10000000, 0444, "Timers on a CPU taken offline, 0 = skip");
gt_param(storm_n, 100000, 0, 10000000, 0444, "Timers in the reset storm, 0 = skip");
gt_param(late_rounds, 3, 0, 15, 0444,
	 "Rounds of the lateness rows, peers interleaved, at most rounds");
gt_param(late_n, 1000, 1, 10000000, 0444, "Timers in the lateness rows, at most nmax");
gt_param(wake_n, 10000, 1, 100000000, 0444, "Timers in the wake-up rows, at most 10 * nmax");
gt_param(spread_ms, 1000, 1, 3600000, 0444,
	 "Lateness and wake-up timers are spread over this; nmax < 1000 (smoke runs) uses 100");
gt_param(wake_slack_ns, 1000000, 0, 1000000000, 0444,
	 "The slack of the second wake-up row, for gotimer (slack_ns) and hrtimer (range)");
gt_param(hol_rounds, 10, 1, 100, 0444,
	 "Rounds of the head-of-line blocking rows, 20 timers each; nmax < 1000 (smoke runs) uses 1");
static char *rows = "all";
module_param(rows, charp, 0444);
MODULE_PARM_DESC(rows, "Comma-separated rows to run: ops,cross,fire,spread,late,wake,hol,hotplug,storm or all (default: all)");

/* Is row @name in the rows parameter? */
static bool row_on(const char *name)
{
	size_t len = strlen(name);
	const char *p = rows;

	if (!strcmp(rows, "all"))
		return true;
	while (p && *p) {
		if (!strncmp(p, name, len) && (p[len] == ',' || !p[len]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

#define HOUR_NS		(3600LL * NSEC_PER_SEC)
#define MAX_ROUNDS	15
enum fac { F_GOTIMER, F_HRTIMER, F_HRSOFT, F_TIMER_LIST, F_DWORK, F_FLOOR, F_NR };
#define F_PEERS	F_FLOOR		/* the timer facilities, floor excluded */
static const char * const fac_name[F_NR] = {
	"gotimer", "hrtimer", "hr-soft", "timer_list", "dwork", "floor" };

enum op { OP_ARM, OP_MOD_LATER, OP_MOD_EARLIER, OP_STOP, OP_STOP_REARM,
	  OP_SYNC_IDLE, OP_SYNC_PENDING, OP_NR };
static const char * const op_name[OP_NR] = {
	"arm idle", "modify later", "modify earlier", "stop", "stop+re-arm",
	"stop_sync idle", "stop_sync pending" };

/* The bare cost of a status lock round trip, on N cache-cold objects. */
struct floor_obj {
	atomic_t status;
	char pad[sizeof(struct gotimer) - sizeof(atomic_t)];
};

struct bench {
	unsigned int n, cap;		/* pending timers, array size */
	unsigned int inited;		/* timers initialised: cap or 0 */
	struct gotimer *gt;
	struct hrtimer *hr;
	struct hrtimer *hs;		/* HRTIMER_MODE_SOFT */
	struct timer_list *tl;
	struct delayed_work *dw;	/* on system_wq, bound to cpu */
	struct floor_obj *fl;
	int cpu;			/* the measuring CPU */
	s64 *when;			/* random times, drawn up front */
	unsigned int *pick;		/* random pending indices */
	struct rnd_state rnd;
	s64 base_ns;
};

static void gt_fire(void *arg, uintptr_t seq, s64 delay_ns) { }
static enum hrtimer_restart hr_fire(struct hrtimer *h) { return HRTIMER_NORESTART; }
static void tl_fire(struct timer_list *t) { }
static void dw_fire_note(struct work_struct *w);

static int cmp_s64(const void *a, const void *b)
{
	s64 x = *(const s64 *)a, y = *(const s64 *)b;

	return x < y ? -1 : x > y;
}

struct stat3 { s64 med, min, max; };

/* A round that measured nothing (a timer may fire early: < 0 is data). */
#define VOID_ROUND	S64_MIN

/* Move the values of rounds that measured to the front of @v: how many. */
static unsigned int valid_only(s64 *v, unsigned int n)
{
	unsigned int i, k = 0;

	for (i = 0; i < n; i++)
		if (v[i] != VOID_ROUND)
			v[k++] = v[i];
	return k;
}

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
	case F_HRSOFT:
		hrtimer_start_range_ns(&b->hs[i], ns_to_ktime(when), 0,
				       HRTIMER_MODE_ABS_PINNED_SOFT);
		break;
	case F_TIMER_LIST:
		mod_timer(&b->tl[i], jiffies + nsecs_to_jiffies(when - b->base_ns));
		break;
	case F_DWORK:
		mod_delayed_work_on(b->cpu, system_wq, &b->dw[i],
				    nsecs_to_jiffies(when - b->base_ns));
		break;
	default:
		break;
	}
}

/*
 * The synchronous stop each peer offers: gotimer_stop_sync(),
 * hrtimer_cancel(), timer_delete_sync(), cancel_delayed_work_sync().
 * None of these timers is due (an hour ahead), so no callback is waited
 * for: what is measured is the cost of making sure, which for gotimer used
 * to be a look at every possible CPU's ->running (issue 13, item 2).
 */
static void sync_one(struct bench *b, enum fac f, unsigned int i)
{
	switch (f) {
	case F_GOTIMER:
		gotimer_stop_sync(&b->gt[i]);
		break;
	case F_HRTIMER:
		hrtimer_cancel(&b->hr[i]);
		break;
	case F_HRSOFT:
		hrtimer_cancel(&b->hs[i]);
		break;
	case F_TIMER_LIST:
		timer_delete_sync(&b->tl[i]);
		break;
	case F_DWORK:
		cancel_delayed_work_sync(&b->dw[i]);
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
	case F_HRSOFT:
		hrtimer_try_to_cancel(&b->hs[i]);
		break;
	case F_TIMER_LIST:
		timer_delete(&b->tl[i]);
		break;
	case F_DWORK:
		cancel_delayed_work(&b->dw[i]);
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
	case OP_SYNC_IDLE:	/* idle timers: nothing to take out */
		t0 = ktime_get_ns();
		for (i = 0; i < ops; i++)
			sync_one(b, f, b->n + i);
		t1 = ktime_get_ns();
		break;
	case OP_SYNC_PENDING:	/* out of the heap, then back */
		t0 = ktime_get_ns();
		for (i = 0; i < ops; i++)
			sync_one(b, f, b->pick[i]);
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
	b->cpu = raw_smp_processor_id();	/* bound: work_on_cpu() */
	b->gt = kvcalloc(b->cap, sizeof(*b->gt), GFP_KERNEL);
	b->hr = kvcalloc(b->cap, sizeof(*b->hr), GFP_KERNEL);
	b->hs = kvcalloc(b->cap, sizeof(*b->hs), GFP_KERNEL);
	b->tl = kvcalloc(b->cap, sizeof(*b->tl), GFP_KERNEL);
	b->dw = kvcalloc(b->cap, sizeof(*b->dw), GFP_KERNEL);
	b->fl = kvcalloc(b->cap, sizeof(*b->fl), GFP_KERNEL);
	b->when = kvcalloc(b->cap, sizeof(*b->when), GFP_KERNEL);
	b->pick = kvcalloc(ops, sizeof(*b->pick), GFP_KERNEL);
	if (!b->gt || !b->hr || !b->hs || !b->tl || !b->dw || !b->fl ||
	    !b->when || !b->pick)
		return -ENOMEM;
	for (i = 0; i < b->cap; i++) {
		hrtimer_setup(&b->hr[i], hr_fire, CLOCK_MONOTONIC,
			      HRTIMER_MODE_ABS_PINNED);
		hrtimer_setup(&b->hs[i], hr_fire, CLOCK_MONOTONIC,
			      HRTIMER_MODE_ABS_PINNED_SOFT);
		timer_setup(&b->tl[i], tl_fire, TIMER_PINNED);
		INIT_DELAYED_WORK(&b->dw[i], dw_fire_note);
	}
	b->inited = b->cap;
	return 0;
}

static void bench_free(struct bench *b)
{
	unsigned int i;

	for (i = 0; i < b->inited; i++) {
		gotimer_stop_sync(&b->gt[i]);
		hrtimer_cancel(&b->hr[i]);
		hrtimer_cancel(&b->hs[i]);
		timer_delete_sync(&b->tl[i]);
		cancel_delayed_work_sync(&b->dw[i]);
		if (!(i % 4096))
			cond_resched();
	}
	kvfree(b->gt);
	kvfree(b->hr);
	kvfree(b->hs);
	kvfree(b->tl);
	kvfree(b->dw);
	kvfree(b->fl);
	kvfree(b->when);
	kvfree(b->pick);
	memset(b, 0, sizeof(*b));
}

/* "a / b" as "1.23x" into @buf; "-" if either is unknown (< 0). */
static const char *ratio(char *buf, size_t len, s64 a, s64 b)
{
	s64 h;

	if (a < 0 || b < 0) {
		strscpy(buf, "-", len);
		return buf;
	}
	h = a * 100 / max(b, 1LL);
	scnprintf(buf, len, "%lld.%02lldx", h / 100, h % 100);
	return buf;
}

#define RBUF	16

static void print_row(const char *what, unsigned int n, struct stat3 *s)
{
	char r[F_NR][RBUF];
	int f;

	for (f = F_HRTIMER; f < F_NR; f++)
		ratio(r[f], RBUF, s[F_GOTIMER].med, s[f].med);
	pr_info("gotimer-bench: %-15s N=%-7u gotimer %5lld [%lld..%lld]  hrtimer %5lld  hr-soft %5lld  timer_list %5lld  dwork %5lld  floor %4lld  | vs hrtimer %s  hr-soft %s  timer_list %s  dwork %s  floor %s\n",
		what, n, s[F_GOTIMER].med, s[F_GOTIMER].min, s[F_GOTIMER].max,
		s[F_HRTIMER].med, s[F_HRSOFT].med, s[F_TIMER_LIST].med,
		s[F_DWORK].med, s[F_FLOOR].med, r[F_HRTIMER], r[F_HRSOFT],
		r[F_TIMER_LIST], r[F_DWORK], r[F_FLOOR]);
	pr_info("gotimer-bench-csv: %s,%u,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld\n",
		what, n,
		s[F_GOTIMER].med, s[F_GOTIMER].min, s[F_GOTIMER].max,
		s[F_HRTIMER].med, s[F_HRTIMER].min, s[F_HRTIMER].max,
		s[F_HRSOFT].med, s[F_HRSOFT].min, s[F_HRSOFT].max,
		s[F_TIMER_LIST].med, s[F_TIMER_LIST].min, s[F_TIMER_LIST].max,
		s[F_DWORK].med, s[F_DWORK].min, s[F_DWORK].max,
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
	for (f = 0; f < F_PEERS; f++)
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

/* --- fire throughput, lateness and wake-ups ---------------------------- */
static atomic_t fired_count;
static unsigned int fire_target;
static s64 *lateness;		/* per timer: callback time - when */
static s64 fire_first_ns, fire_last_ns;
static unsigned long fire_first_jiffies;
static DECLARE_COMPLETION(fire_done);
static struct bench *fire_bench;

#ifdef CONFIG_X86_LOCAL_APIC
/* The wake-up rows' hrtimers: local timer interrupts that ran one of them. */
static unsigned int wake_last_irq;
static unsigned int wake_irqs;
#endif

static void note_fire(unsigned int i)
{
	s64 now = ktime_get_ns();
	int k;

	if (lateness)
		lateness[i] = now - fire_bench->when[i];
	k = atomic_inc_return(&fired_count);
	if (k == 1) {
		WRITE_ONCE(fire_first_ns, now);
		WRITE_ONCE(fire_first_jiffies, jiffies);
	}
	if (k == fire_target) {
		WRITE_ONCE(fire_last_ns, now);
		complete(&fire_done);
	}
}

static void gt_fire_note(void *arg, uintptr_t seq, s64 delay_ns)
{
	note_fire(seq);
}

static enum hrtimer_restart hr_fire_note(struct hrtimer *h)
{
	note_fire(h - fire_bench->hr);
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart hs_fire_note(struct hrtimer *h)
{
	note_fire(h - fire_bench->hs);
	return HRTIMER_NORESTART;
}

#ifdef CONFIG_X86_LOCAL_APIC
static enum hrtimer_restart hr_wake_note(struct hrtimer *h)
{
	/* hard irq on the measuring CPU: the only writer */
	unsigned int irq = this_cpu_read(irq_stat.apic_timer_irqs);

	if (irq != wake_last_irq) {
		wake_last_irq = irq;
		wake_irqs++;
	}
	note_fire(h - fire_bench->hr);
	return HRTIMER_NORESTART;
}
#endif

static void tl_fire_note(struct timer_list *t)
{
	note_fire(t - fire_bench->tl);
}

static void dw_fire_note(struct work_struct *w)
{
	struct delayed_work *d = to_delayed_work(w);

	/* the ops rows arm delayed work an hour ahead: it never runs there */
	if (READ_ONCE(fire_bench))
		note_fire(d - fire_bench->dw);
}

/*
 * The start of a jiffy peer's burst: a timer_list armed last with the same
 * expires sits first in the same wheel bucket, so it runs just before the
 * delayed_work timers that queue the works.
 */
static s64 marker_ns;
static struct timer_list fire_marker;

static void marker_fire(struct timer_list *t)
{
	WRITE_ONCE(marker_ns, ktime_get_ns());
}

static void fire_reset(unsigned int n)
{
	atomic_set(&fired_count, 0);
	fire_target = n;
	reinit_completion(&fire_done);
}

static bool fire_wait(void)
{
	return wait_for_completion_timeout(&fire_done, 300 * HZ);
}

/*
 * Arm timer @i of @f to fire at b->when[i] (gotimer, hrtimers) or at
 * jiffy @expires (timer_list, delayed_work), with the noting callbacks.
 */
static void arm_fire(struct bench *b, enum fac f, unsigned int i,
		     unsigned long expires)
{
	unsigned long now;

	switch (f) {
	case F_GOTIMER:
		gotimer_modify(&b->gt[i], b->when[i], 0, gt_fire_note, NULL, i);
		break;
	case F_HRTIMER:
		b->hr[i].function = hr_fire_note;
		hrtimer_start_range_ns(&b->hr[i], ns_to_ktime(b->when[i]), 0,
				       HRTIMER_MODE_ABS_PINNED);
		break;
	case F_HRSOFT:
		b->hs[i].function = hs_fire_note;
		hrtimer_start_range_ns(&b->hs[i], ns_to_ktime(b->when[i]), 0,
				       HRTIMER_MODE_ABS_PINNED_SOFT);
		break;
	case F_TIMER_LIST:
		b->tl[i].function = tl_fire_note;
		mod_timer(&b->tl[i], expires);
		break;
	case F_DWORK:
		now = jiffies;
		mod_delayed_work_on(b->cpu, system_wq, &b->dw[i],
				    time_after(expires, now) ? expires - now : 0);
		break;
	default:
		break;
	}
}

static bool jiffy_fac(enum fac f)
{
	return f == F_TIMER_LIST || f == F_DWORK;
}

/* The jiffy a timer_list or delayed_work must expire at to fire after @when. */
static unsigned long when_jiffies(s64 when)
{
	s64 d = when - ktime_get_ns();

	return jiffies + (d > 0 ? nsecs_to_jiffies(d) : 0) + 1;
}

/*
 * The ktime of a jiffies edge: jiffies advances on a grid of TICK_NSEC
 * (periodic tick), so the earliest of a few observed edges, projected back
 * to one reference jiffy, is that edge's time plus the least observing
 * delay.
 */
static s64 jiffy_grid(unsigned long *jref)
{
	s64 best = S64_MAX;
	unsigned long j0, j;
	int k;

	*jref = jiffies;
	for (k = 0; k < 3; k++) {
		j0 = jiffies;
		while (!time_after(jiffies, j0))
			cpu_relax();
		j = jiffies;
		best = min_t(s64, best,
			     (s64)ktime_get_ns() - (s64)(j - *jref) * TICK_NSEC);
	}
	return best;
}

/*
 * The jiffy peers' lead: 500 jiffies is in level 1 of the wheel (deltas of
 * 63 to 503 jiffies, 8-jiffy buckets), whose bucket for @expires is the same
 * for every timer armed while the delta stays >= 63.
 */
#define FIRE_LEAD_J	500
#define FIRE_SPREAD_NS	1000
#define FIRE_LVL1_MIN	63
#define FIRE_LVL1_GRAN	8

/*
 * N timers of @f due at one instant: ns per callback from the start of the
 * burst to its last callback.  The start is the first callback (gotimer,
 * hrtimers, timer_list) or the marker that runs first in delayed_work's
 * wheel bucket, so neither a thread's wake-up nor the tick's granularity
 * is spread over the N callbacks; *first gets the first callback's (or the
 * marker's) lateness from the due instant, which for the jiffy peers is
 * the tick of @expires' bucket on the jiffies grid (approximate under
 * TCG).  All jiffy timers are armed within level 1 of the wheel, so they
 * share one bucket.  With @spread_ns, the hrtimer-based peers' timers are
 * due at pseudo-random offsets within @spread_ns of the instant, in no
 * order, so that popping each costs a whole sift of the heap (or a
 * rebalancing of the rbtree); the jiffy peers share their bucket anyway.
 * VOID_ROUND if the arming outlasted the lead or the callbacks did not come.
 */
static s64 fire_burst(struct bench *b, enum fac f, unsigned int n, s64 *first,
		      unsigned int spread_ns)
{
	s64 due, start;
	unsigned long jref = 0, expires = 0;
	unsigned int i;
	bool late;

	fire_reset(n);
	WRITE_ONCE(marker_ns, 0);
	if (jiffy_fac(f)) {
		due = jiffy_grid(&jref);
		expires = jiffies + FIRE_LEAD_J;
		/* the bucket's tick: rounded up to the level's granularity */
		due += (s64)((expires / FIRE_LVL1_GRAN + 1) * FIRE_LVL1_GRAN - jref) * TICK_NSEC;
	} else {
		due = ktime_get_ns() + 200 * NSEC_PER_MSEC + n * 10000LL;
		/* spread: the same pseudo-random offsets in every round and peer */
		for (i = 0; i < n; i++)
			b->when[i] = due + (spread_ns ? i * 2654435761U % spread_ns : 0);
	}
	for (i = 0; i < n; i++)
		arm_fire(b, f, i, expires);
	if (f == F_DWORK)
		mod_timer(&fire_marker, expires);
	if (jiffy_fac(f))
		late = !time_before(jiffies + FIRE_LVL1_MIN, expires);
	else
		late = ktime_get_ns() >= due;
	if (!fire_wait() || late)
		return VOID_ROUND;
	start = f == F_DWORK ? READ_ONCE(marker_ns) : READ_ONCE(fire_first_ns);
	if (!start)
		return VOID_ROUND;
	*first = start - due;
	return (READ_ONCE(fire_last_ns) - start) / n;
}

static void bench_fire_throughput(struct bench *b, unsigned int n,
				  unsigned int spread_ns)
{
	const char *row = spread_ns ? "fire-spread" : "fire";
	s64 v[F_PEERS][MAX_ROUNDS], first[F_PEERS][MAX_ROUNDS];
	struct stat3 s[F_PEERS], s1[F_PEERS];
	char r1[RBUF], r2[RBUF];
	unsigned int r;
	int f;

	timer_setup(&fire_marker, marker_fire, TIMER_PINNED);
	for (r = 0; r < rounds; r++)
		for (f = 0; f < F_PEERS; f++) {
			first[f][r] = VOID_ROUND;
			v[f][r] = fire_burst(b, f, n, &first[f][r], spread_ns);
			if (v[f][r] == VOID_ROUND)
				pr_warn("gotimer-bench: %s N=%u %s: arming outlasted the lead or no callbacks; round void\n",
					row, n, fac_name[f]);
			cond_resched();
		}
	for (f = 0; f < F_PEERS; f++) {
		unsigned int k = valid_only(v[f], rounds);

		s[f] = (struct stat3){ -1, -1, -1 };
		s1[f] = s[f];
		if (k) {
			s[f] = summarize(v[f], k);
			s1[f] = summarize(first[f], valid_only(first[f], rounds));
		}
		pr_info("gotimer-bench: %s N=%-6u %-10s %5lld ns/callback [%lld..%lld] (%u rounds), burst began %lld us after due\n",
			row, n, fac_name[f], s[f].med, s[f].min, s[f].max, k, s1[f].med / 1000);
		pr_info("gotimer-bench-csv: %s %s,%u,%lld,%lld,%lld,%lld,%u\n", row, fac_name[f], n,
			s[f].med, s[f].min, s[f].max, s1[f].med, k);
	}
	pr_info("gotimer-bench: %s N=%-6u gotimer vs hrtimer %s  vs dwork %s\n",
		row, n, ratio(r1, RBUF, s[F_GOTIMER].med, s[F_HRTIMER].med),
		ratio(r2, RBUF, s[F_GOTIMER].med, s[F_DWORK].med));
	timer_delete_sync(&fire_marker);
}

static int busy_fn(void *unused)
{
	while (!kthread_should_stop()) {
		cpu_relax();
		cond_resched();
	}
	return 0;
}

/* A SCHED_NORMAL busy loop on every online CPU; NULL entries if none. */
static struct task_struct **busy_start(void)
{
	struct task_struct **t = kcalloc(nr_cpu_ids, sizeof(*t), GFP_KERNEL);
	int cpu;

	if (!t)
		return NULL;
	for_each_online_cpu(cpu) {
		t[cpu] = kthread_create_on_cpu(busy_fn, NULL, cpu, "gt-bench-busy/%u");
		if (IS_ERR(t[cpu]))
			t[cpu] = NULL;
		else
			wake_up_process(t[cpu]);
	}
	return t;
}

static void busy_stop(struct task_struct **t)
{
	int cpu;

	for (cpu = 0; t && cpu < nr_cpu_ids; cpu++)
		if (t[cpu])
			kthread_stop(t[cpu]);
	kfree(t);
}

/* Lateness of @n timers of @f at start + off[i]: p50, p99 and max in ns. */
static int late_run(struct bench *b, enum fac f, unsigned int n,
		    const s64 *off, s64 *p)
{
	s64 start = ktime_get_ns() + 100 * NSEC_PER_MSEC;
	unsigned int i;

	fire_reset(n);
	for (i = 0; i < n; i++) {
		b->when[i] = start + off[i];
		arm_fire(b, f, i, jiffy_fac(f) ? when_jiffies(b->when[i]) : 0);
	}
	if (!fire_wait())
		return -ETIMEDOUT;
	sort(lateness, n, sizeof(*lateness), cmp_s64, NULL);
	p[0] = lateness[n / 2];
	p[1] = lateness[n * 99 / 100];
	p[2] = lateness[n - 1];
	return 0;
}

/*
 * The lateness rows' distribution: every measured round's samples counted
 * in buckets, 4 per octave from 2^LD_SHIFT ns (gotimer_log_bucket()).  Bucket 0 holds lateness
 * below 1024 ns (early callbacks included); bucket k >= 1 holds [lo(k),
 * lo(k + 1)) with lo(k) = (4 + (k - 1) % 4) << ((k - 1) / 4 + LD_SHIFT - 2),
 * the last one everything above too.
 */
#define LD_SHIFT	10
#define LD_OCT		29		/* up to 2^39 ns, past fire_wait() */
#define LD_NR		(1 + 4 * LD_OCT)
#define LD_LINE		1024

struct late_dist {
	u32 c[LD_NR];
	u32 samples, early;
};

static unsigned int ld_bucket(s64 v)
{
	return gotimer_log_bucket(v, LD_SHIFT, 2, LD_NR);
}

static void ld_add(struct late_dist *d, const s64 *v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		d->c[ld_bucket(v[i])]++;
		d->early += v[i] < 0;
	}
	d->samples += n;
}

/*
 * "latedist COND PEER,N,samples,early,first,c[first],...,c[last]": the
 * buckets from the first to the last non-empty one (none if no samples).
 */
static void ld_print(char *buf, const char *cond, enum fac f, unsigned int n,
		     const struct late_dist *d)
{
	int first = 0, last = -1, k, len;

	for (k = 0; k < LD_NR; k++) {
		if (!d->c[k])
			continue;
		if (last < 0)
			first = k;
		last = k;
	}
	len = scnprintf(buf, LD_LINE, "latedist %s %s,%u,%u,%u,%d", cond,
			fac_name[f], n, d->samples, d->early, first);
	for (k = first; k <= last; k++)
		len += scnprintf(buf + len, LD_LINE - len, ",%u", d->c[k]);
	pr_info("gotimer-bench-csv: %s\n", buf);
}

/*
 * Lateness, idle and with a busy loop on every CPU: each round runs every
 * peer once (interleaved, so a host stall hits one peer's round, not one
 * peer); p50 and p99 are the medians of the rounds', max the largest.
 * The latedist lines give each peer's distribution over all its rounds.
 */
static void bench_lateness(struct bench *b, unsigned int n, s64 spread)
{
	static const char * const cond[2] = { "idle", "load" };
	unsigned int nr = clamp(late_rounds, 1U, rounds);
	s64 p[2][F_PEERS][3], (*pr)[3][MAX_ROUNDS], *off;
	struct task_struct **busy = NULL;
	struct late_dist *dist;
	char r[5][RBUF], *line;
	struct rnd_state rnd;
	unsigned int i, k;
	int c, f, q;

	pr = kcalloc(F_PEERS, sizeof(*pr), GFP_KERNEL);
	off = kvcalloc(n, sizeof(*off), GFP_KERNEL);
	lateness = kvcalloc(n, sizeof(*lateness), GFP_KERNEL);
	dist = kcalloc(F_PEERS, sizeof(*dist), GFP_KERNEL);
	line = kmalloc(LD_LINE, GFP_KERNEL);
	if (!pr || !off || !lateness || !dist || !line)
		goto out;
	/* every peer gets the same n offsets */
	prandom_seed_state(&rnd, 0x1a7e);
	for (i = 0; i < n; i++)
		off[i] = (s64)(prandom_u32_state(&rnd) % (u32)(spread / 1000)) * 1000;
	for (c = 0; c < 2; c++) {
		if (c)
			busy = busy_start();
		memset(dist, 0, F_PEERS * sizeof(*dist));
		for (i = 0; i < nr; i++)
			for (f = 0; f < F_PEERS; f++) {
				s64 one[3] = { VOID_ROUND, VOID_ROUND, VOID_ROUND };

				if (!late_run(b, f, n, off, one))
					ld_add(&dist[f], lateness, n);
				for (q = 0; q < 3; q++)
					pr[f][q][i] = one[q];
			}
		if (c) {
			busy_stop(busy);
			busy = NULL;
		}
		for (f = 0; f < F_PEERS; f++) {
			for (q = 0; q < 3; q++) {
				k = valid_only(pr[f][q], nr);
				/* -1: no round measured (printed, and no ratio) */
				p[c][f][q] = k ? (q < 2 ? summarize(pr[f][q], k).med :
						  summarize(pr[f][q], k).max) : -1;
			}
			pr_info("gotimer-bench: lateness %s %-10s N=%u over %lld ms, %u rounds: p50 %lld us, p99 %lld us, max %lld us\n",
				cond[c], fac_name[f], n, spread / NSEC_PER_MSEC, nr,
				p[c][f][0] / 1000, p[c][f][1] / 1000, p[c][f][2] / 1000);
			pr_info("gotimer-bench-csv: lateness %s %s,%u,%lld,%lld,%lld\n",
				cond[c], fac_name[f], n, p[c][f][0], p[c][f][1], p[c][f][2]);
		}
		for (f = 0; f < F_PEERS; f++)
			ld_print(line, cond[c], f, n, &dist[f]);
		pr_info("gotimer-bench: lateness %s p99: gotimer vs hrtimer %s  hr-soft %s  timer_list %s  dwork %s%s%s\n",
			cond[c],
			ratio(r[0], RBUF, p[c][F_GOTIMER][1], p[c][F_HRTIMER][1]),
			ratio(r[1], RBUF, p[c][F_GOTIMER][1], p[c][F_HRSOFT][1]),
			ratio(r[2], RBUF, p[c][F_GOTIMER][1], p[c][F_TIMER_LIST][1]),
			ratio(r[3], RBUF, p[c][F_GOTIMER][1], p[c][F_DWORK][1]),
			c ? "  own idle " : "",
			c ? ratio(r[4], RBUF, p[1][F_GOTIMER][1], p[0][F_GOTIMER][1]) : "");
	}
out:
	kfree(line);
	kfree(dist);
	kvfree(lateness);
	lateness = NULL;
	kvfree(off);
	kfree(pr);
}

/* The hrtimer peer's own worker: one kthread sleeping to each deadline. */
struct sleeper_arg {
	const s64 *when;	/* sorted */
	unsigned int n;
	u64 slack;
	unsigned int wakeups;
	struct completion done;
};

static int sleeper_fn(void *p)
{
	struct sleeper_arg *a = p;
	unsigned int i = 0;
	ktime_t t;

	sched_set_fifo_low(current);	/* as gotimer's worker */
	while (i < a->n) {
		if (a->when[i] > ktime_get_ns()) {
			t = ns_to_ktime(a->when[i]);
			set_current_state(TASK_UNINTERRUPTIBLE);
			schedule_hrtimeout_range(&t, a->slack, HRTIMER_MODE_ABS);
			a->wakeups++;
		}
		while (i < a->n && a->when[i] <= ktime_get_ns())
			i++;
	}
	complete(&a->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/* Wake-ups of n timers at start + off[i]: gotimer, hrtimer, sleeper. */
static void wake_run(struct bench *b, unsigned int n, const s64 *off,
		     unsigned long slack, s64 *w)
{
	struct gotimer_base *base = gotimer_cpu_base(b->cpu);
	struct sleeper_arg sa = { b->when, n, slack, 0 };
	struct task_struct *t;
	unsigned long w0;
	s64 start;
	unsigned int i;

	w[0] = -1;
	w[1] = -1;
	w[2] = -1;
	/* gotimer: its worker's wake-ups, counted by the worker */
	WRITE_ONCE(gotimer_slack_ns, slack);
	fire_reset(n);
	start = ktime_get_ns() + 50 * NSEC_PER_MSEC;
	for (i = 0; i < n; i++) {
		b->when[i] = start + off[i];
		arm_fire(b, F_GOTIMER, i, 0);
	}
	/* the arming's own wake-ups (an earlier head) are not counted */
	w0 = gotimer_stat(base->cpu, GOTIMER_STAT_WAKEUPS);
	if (fire_wait()) {
		msleep(20);
		w[0] = gotimer_stat(base->cpu, GOTIMER_STAT_WAKEUPS) - w0;
	}
#ifdef CONFIG_X86_LOCAL_APIC
	/* hrtimer: n timers with a range, the interrupts that ran any */
	fire_reset(n);
	wake_irqs = 0;
	wake_last_irq = per_cpu(irq_stat, b->cpu).apic_timer_irqs;
	start = ktime_get_ns() + 50 * NSEC_PER_MSEC;
	for (i = 0; i < n; i++) {
		b->when[i] = start + off[i];
		b->hr[i].function = hr_wake_note;
		hrtimer_start_range_ns(&b->hr[i], ns_to_ktime(b->when[i]), slack,
				       HRTIMER_MODE_ABS_PINNED);
	}
	if (fire_wait())
		w[1] = READ_ONCE(wake_irqs);
#endif
	/* sleeper: what gotimer's worker does, with hrtimer alone */
	start = ktime_get_ns() + 50 * NSEC_PER_MSEC;
	for (i = 0; i < n; i++)
		b->when[i] = start + off[i];
	sort(b->when, n, sizeof(*b->when), cmp_s64, NULL);
	init_completion(&sa.done);
	t = kthread_create_on_cpu(sleeper_fn, &sa, b->cpu, "gt-bench-sleep/%u");
	if (IS_ERR(t))
		return;
	wake_up_process(t);
	wait_for_completion(&sa.done);
	kthread_stop(t);
	w[2] = sa.wakeups;
}

static s64 per_s(s64 count, s64 spread)
{
	return count < 0 ? -1 : count * NSEC_PER_SEC / spread;
}

static void bench_wakeups(unsigned int n, s64 spread)
{
	struct bench b = {};
	unsigned long slack[2] = { 0, wake_slack_ns }, old;
	s64 w[2][3], *off = NULL;
	char r[2][RBUF];
	struct rnd_state rnd;
	unsigned int i;
	int k;

	off = kvcalloc(n, sizeof(*off), GFP_KERNEL);
	if (!off || bench_alloc(&b, n))
		goto out;
	fire_bench = &b;
	old = READ_ONCE(gotimer_slack_ns);	/* the slack_ns parameter */
	prandom_seed_state(&rnd, 0x3a4e);
	for (i = 0; i < n; i++)
		off[i] = (s64)(prandom_u32_state(&rnd) % (u32)(spread / 1000)) * 1000;
	for (k = 0; k < 2; k++) {
		wake_run(&b, n, off, slack[k], w[k]);
		pr_info("gotimer-bench: wake-ups N=%u over %lld ms, slack %lu ns: gotimer %lld/s  hrtimer %lld/s  sleeper %lld/s  (counts %lld / %lld / %lld) | gotimer vs hrtimer %s  vs sleeper %s\n",
			n, spread / NSEC_PER_MSEC, slack[k], per_s(w[k][0], spread),
			per_s(w[k][1], spread), per_s(w[k][2], spread),
			w[k][0], w[k][1], w[k][2],
			ratio(r[0], RBUF, w[k][0], w[k][1]),
			ratio(r[1], RBUF, w[k][0], w[k][2]));
		pr_info("gotimer-bench-csv: wake-ups slack %lu,%u,%lld,%lld,%lld,%lld\n",
			slack[k], n, spread, w[k][0], w[k][1], w[k][2]);
	}
	WRITE_ONCE(gotimer_slack_ns, old);
out:
	fire_bench = NULL;
	bench_free(&b);
	kvfree(off);
}

static void bench_fire(void)
{
	struct bench b = {};
	unsigned int n, top = min(nmax, 100000U), nl = min(late_n, nmax);
	s64 spread = (nmax < 1000 ? 100 : spread_ms) * NSEC_PER_MSEC;

	if (bench_alloc(&b, max(top, nl)))
		goto out;
	fire_bench = &b;
	if (row_on("fire")) {
		if (top < 10000)
			bench_fire_throughput(&b, top, 0);
		for (n = 10000; n <= top; n *= 10)
			bench_fire_throughput(&b, n, 0);
	}
	/* N due within 1 us in no order: every pop a whole sift */
	if (row_on("spread"))
		bench_fire_throughput(&b, min(top, 10000U), FIRE_SPREAD_NS);
	if (row_on("late") && nl)
		bench_lateness(&b, nl, max(spread, (s64)NSEC_PER_MSEC));
out:
	fire_bench = NULL;
	bench_free(&b);
	if (row_on("wake") && wake_n)
		bench_wakeups(min(wake_n, nmax * 10), max(spread, (s64)NSEC_PER_MSEC));
}

/* --- head-of-line blocking and stealing (issue 16) --------------------- */
/*
 * On the measuring CPU: a sleeper due at t0 + 1 ms whose callback sleeps
 * S ms, and HOL_N timers due at t0 + 2 ms + i * 2.4 ms, all inside a 50 ms
 * sleep; S = 0 arms no sleeper (the reference).  The "hog" condition arms
 * no sleeper but wakes a SCHED_FIFO thread on this CPU, above the gotimer
 * workers, that spins until the HOL_N callbacks have all run.  Peers:
 * gotimer pinned (armed from this CPU), gotimer unpinned (the HOL_N
 * timers GOTIMER_UNPINNED, the sleeper pinned), delayed_work queued with
 * queue_delayed_work_on() on this CPU's system_wq, which a
 * concurrency-managed pool serves with a new kworker when one sleeps, and
 * delayed_work on system_unbound_wq (the kernel's "run it anywhere").  A
 * hog keeps a pinned peer from running at all, so the hog condition runs
 * only the two unpinned ones.  The sleep is usleep_range(), an hrtimer
 * sleep: msleep(1) sleeps 2 jiffies, 4-8 ms at HZ=250.  Lateness is the
 * clock at the callback's entry minus the intended time; delayed_work is
 * armed for the first jiffy after it (when_jiffies()), as in the lateness
 * rows, so its figures include the tick granularity.
 */
#define HOL_N		20
#define HOL_MAX_ROUNDS	100
#define HOL_LEAD_NS	(20 * NSEC_PER_MSEC)
#define HOL_SLEEPER_NS	NSEC_PER_MSEC
#define HOL_FIRST_NS	(2 * NSEC_PER_MSEC)
#define HOL_STEP_NS	2400000LL
#define HOL_NCOND	4
#define HOL_HOG		3		/* the condition with the FIFO hog */
static const unsigned int hol_sleep_ms[HOL_NCOND] = { 0, 1, 50, 0 };
static const char * const hol_cond[HOL_NCOND] = { "none", "1ms", "50ms", "hog" };

enum hol_peer { HP_GOTIMER, HP_UNPINNED, HP_DWORK, HP_DWORK_UNBOUND, HP_NR };
static const char * const hol_peer_name[HP_NR] = {
	"gotimer", "gt-unpin", "dwork", "dw-unbnd",
};

static bool hol_runs(enum hol_peer k, int c)
{
	return c != HOL_HOG || k == HP_UNPINNED || k == HP_DWORK_UNBOUND;
}

struct hol {
	struct gotimer gt[HOL_N + 1];		/* [HOL_N]: the sleeper */
	struct delayed_work dw[HOL_N + 1];
	s64 when[HOL_N + 1];
	s64 *late;				/* this run's HOL_N samples */
	s64 slept_ns;				/* the sleeper's sleep */
	unsigned int sleep_us;
	atomic_t left;
	struct completion done;
};

static struct hol *hol;

static void hol_note(unsigned int i, s64 now)
{
	if (i == HOL_N) {
		if (hol->sleep_us) {
			usleep_range(hol->sleep_us, hol->sleep_us + 10);
			WRITE_ONCE(hol->slept_ns, ktime_get_ns() - now);
		}
	} else {
		hol->late[i] = now - hol->when[i];
	}
	if (atomic_dec_and_test(&hol->left))
		complete(&hol->done);
}

static void hol_gt_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	hol_note(seq, gotimer_now());
}

static void hol_dw_fire(struct work_struct *w)
{
	hol_note(to_delayed_work(w) - hol->dw, ktime_get_ns());
}

enum hol_count { HC_TAKEOVERS, HC_POSTPONED, HC_STOLEN, HC_REQUESTS, HC_NR };

/* A counter summed over every CPU (both bases for the postponed ones). */
static unsigned long hol_total(enum hol_count which)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct gotimer_base *base = gotimer_cpu_base(cpu);
		struct gotimer_base *ubase = gotimer_cpu_unpinned_base(cpu);

		switch (which) {
		case HC_TAKEOVERS:
			sum += gotimer_stat(cpu, GOTIMER_STAT_TAKEOVERS);
			break;
		case HC_POSTPONED:
			/* benign: as above */
			sum += data_race(base->postponed + ubase->postponed);
			break;
		case HC_STOLEN:
			/* benign: as above */
			sum += data_race(ubase->stolen);
			break;
		case HC_REQUESTS:
			sum += gotimer_stat(cpu, GOTIMER_STAT_STEAL_REQUESTS);
			break;
		case HC_NR:
			break;
		}
	}
	return sum;
}

/* The hog: spins on its CPU until the run's callbacks have all come. */
static int hol_hog_fn(void *data)
{
	while (atomic_read(&hol->left) && !kthread_should_stop())
		cpu_relax();
	while (!kthread_should_stop())
		schedule_timeout_idle(HZ);
	return 0;
}

/* Arm run @k's timers: the sleeper last, first in a bucket it shares. */
static void hol_arm(int cpu, enum hol_peer k, unsigned int n)
{
	struct workqueue_struct *wq = k == HP_DWORK ? system_wq : system_unbound_wq;
	unsigned int i;
	s64 now;

	for (i = 0; i < n; i++) {
		if (k == HP_GOTIMER || k == HP_UNPINNED) {
			gotimer_modify(&hol->gt[i], hol->when[i], 0, hol_gt_fire, NULL, i);
			continue;
		}
		now = ktime_get_ns();
		queue_delayed_work_on(k == HP_DWORK ? cpu : WORK_CPU_UNBOUND, wq,
				      &hol->dw[i], hol->when[i] > now ?
				      nsecs_to_jiffies(hol->when[i] - now) + 1 : 0);
	}
}

/* One run of peer @k with condition @c: samples into @late. */
static int hol_run(int cpu, enum hol_peer k, int c, s64 *late)
{
	s64 t0 = ktime_get_ns() + HOL_LEAD_NS;
	unsigned int i, ms = hol_sleep_ms[c], n = ms ? HOL_N + 1 : HOL_N;
	struct task_struct *hog = NULL;
	int ret = 0;

	hol->late = late;
	hol->sleep_us = ms * USEC_PER_MSEC;
	hol->slept_ns = 0;
	atomic_set(&hol->left, n);
	reinit_completion(&hol->done);
	/* Idle, callbacks returned: the timers may change kind. */
	for (i = 0; i < HOL_N; i++) {
		gotimer_stop_sync(&hol->gt[i]);
		gotimer_init_flags(&hol->gt[i], k == HP_UNPINNED ? GOTIMER_UNPINNED : 0);
		hol->when[i] = t0 + HOL_FIRST_NS + i * HOL_STEP_NS;
	}
	hol->when[HOL_N] = t0 + HOL_SLEEPER_NS;
	if (c == HOL_HOG) {
		hog = kthread_create(hol_hog_fn, NULL, "gotimer-hog/%d", cpu);
		if (IS_ERR(hog))
			return PTR_ERR(hog);
		kthread_bind(hog, cpu);
		sched_set_fifo(hog);	/* above the workers' sched_set_fifo_low() */
	}
	hol_arm(cpu, k, n);
	if (ktime_get_ns() >= t0 + HOL_SLEEPER_NS)
		pr_warn("gotimer-bench: hol %s %s: arming outlasted the lead\n",
			hol_peer_name[k], hol_cond[c]);
	if (hog)
		wake_up_process(hog);
	if (!wait_for_completion_timeout(&hol->done, 30 * HZ))
		ret = -ETIMEDOUT;
	if (hog)
		kthread_stop(hog);
	return ret;
}

/* Each round's largest lateness, in round order: is a tail one stall? */
static void hol_round_max(enum hol_peer k, int c, const s64 *v, unsigned int nr)
{
	char *buf = kmalloc(8 * HOL_MAX_ROUNDS, GFP_KERNEL);
	size_t len = 0;
	unsigned int r, i;

	if (!buf)
		return;
	buf[0] = 0;
	for (r = 0; r < nr; r++) {
		s64 m = v[r * HOL_N];

		for (i = 1; i < HOL_N; i++)
			m = max(m, v[r * HOL_N + i]);
		len += scnprintf(buf + len, 8 * HOL_MAX_ROUNDS - len, " %lld", m / 1000);
	}
	pr_info("gotimer-bench: hol %-8s %-4s max per round, us:%s\n",
		hol_peer_name[k], hol_cond[c], buf);
	kfree(buf);
}

static void bench_hol(int cpu)
{
	unsigned int nr = nmax < 1000 ? 1 : clamp(hol_rounds, 1U, (unsigned int)HOL_MAX_ROUNDS);
	unsigned long cnt[HP_NR][HOL_NCOND][HC_NR] = {}, before[HC_NR];
	s64 *late[HP_NR][HOL_NCOND] = {}, *slept[HP_NR][HOL_NCOND] = {};
	unsigned int got[HP_NR][HOL_NCOND] = {}, r, i;
	s64 p50[HP_NR][HOL_NCOND] = {};
	char r1[RBUF], r2[RBUF], r3[RBUF], r4[RBUF];
	int c, k, j;

	hol = kzalloc(sizeof(*hol), GFP_KERNEL);
	if (!hol)
		return;
	init_completion(&hol->done);
	for (i = 0; i <= HOL_N; i++)
		INIT_DELAYED_WORK(&hol->dw[i], hol_dw_fire);
	for (k = 0; k < HP_NR; k++)
		for (c = 0; c < HOL_NCOND; c++) {
			late[k][c] = kvcalloc(nr * HOL_N, sizeof(s64), GFP_KERNEL);
			slept[k][c] = kvcalloc(nr, sizeof(s64), GFP_KERNEL);
			if (!late[k][c] || !slept[k][c])
				goto out;
		}
	/* rounds interleave every peer and condition: a host stall hits one run */
	for (r = 0; r < nr; r++)
		for (c = 0; c < HOL_NCOND; c++)
			for (k = 0; k < HP_NR; k++) {
				if (!hol_runs(k, c))
					continue;
				for (j = 0; j < HC_NR; j++)
					before[j] = hol_total(j);
				if (hol_run(cpu, k, c, late[k][c] + got[k][c] * HOL_N)) {
					pr_warn("gotimer-bench: hol %s %s: callbacks did not come\n",
						hol_peer_name[k], hol_cond[c]);
					goto out;
				}
				for (j = 0; j < HC_NR; j++)
					cnt[k][c][j] += hol_total(j) - before[j];
				slept[k][c][got[k][c]] = hol->slept_ns;
				got[k][c]++;
				cond_resched();
			}
	for (c = 0; c < HOL_NCOND; c++)
		for (k = 0; k < HP_NR; k++) {
			unsigned int n = got[k][c] * HOL_N;
			s64 *v = late[k][c], sl;
			bool gt = k == HP_GOTIMER || k == HP_UNPINNED;
			long tk = gt ? (long)cnt[k][c][HC_TAKEOVERS] : -1;
			long pp = gt ? (long)cnt[k][c][HC_POSTPONED] : -1;

			if (!n)
				continue;
			hol_round_max(k, c, v, got[k][c]);
			sort(v, n, sizeof(*v), cmp_s64, NULL);
			sl = summarize(slept[k][c], got[k][c]).med;
			p50[k][c] = v[n / 2];
			pr_info("gotimer-bench: hol %-8s %-4s %u timers x %u rounds: p50 %lld us, p99 %lld us, max %lld us; sleeper slept %lld us (median); takeovers %ld, postponed %ld\n",
				hol_peer_name[k], hol_cond[c], HOL_N, got[k][c],
				v[n / 2] / 1000, v[n * 99 / 100] / 1000, v[n - 1] / 1000,
				sl / 1000, tk, pp);
			pr_info("gotimer-bench-csv: hol %s %s,%u,%lld,%lld,%lld,%u,%ld,%ld,%lld\n",
				hol_peer_name[k], hol_cond[c], HOL_N, v[n / 2],
				v[n * 99 / 100], v[n - 1], n, tk, pp, sl);
			if (k != HP_UNPINNED)
				continue;
			/* Steal rate: of the callbacks, how many another CPU ran. */
			pr_info("gotimer-bench: hol steal %-4s: %lu of %u callbacks stolen, %lu steal requests; steal_us=%u\n",
				hol_cond[c], cnt[k][c][HC_STOLEN], n,
				cnt[k][c][HC_REQUESTS], READ_ONCE(gotimer_steal_us));
			pr_info("gotimer-bench-csv: hol-steal %s,%u,%lu,%lu\n",
				hol_cond[c], n, cnt[k][c][HC_STOLEN],
				cnt[k][c][HC_REQUESTS]);
		}
	pr_info("gotimer-bench: hol p50, 50 ms sleeper: gotimer vs its 1 ms sleeper %s (goal <= 2x)  vs dwork %s (goal <= 1x); takeover_us=%u\n",
		ratio(r1, RBUF, p50[HP_GOTIMER][2], p50[HP_GOTIMER][1]),
		ratio(r2, RBUF, p50[HP_GOTIMER][2], p50[HP_DWORK][2]),
		READ_ONCE(gotimer_takeover_us));
	pr_info("gotimer-bench: hol p50, FIFO hog: unpinned vs unpinned unhogged %s (goal <= 2x)  vs dw-unbnd hogged %s; 50 ms sleeper: unpinned vs pinned %s\n",
		ratio(r3, RBUF, p50[HP_UNPINNED][HOL_HOG], p50[HP_UNPINNED][0]),
		ratio(r4, RBUF, p50[HP_UNPINNED][HOL_HOG], p50[HP_DWORK_UNBOUND][HOL_HOG]),
		ratio(r1, RBUF, p50[HP_UNPINNED][2], p50[HP_GOTIMER][2]));
out:
	for (i = 0; i <= HOL_N; i++) {
		gotimer_stop_sync(&hol->gt[i]);
		cancel_delayed_work_sync(&hol->dw[i]);
	}
	for (k = 0; k < HP_NR; k++)
		for (c = 0; c < HOL_NCOND; c++) {
			kvfree(late[k][c]);
			kvfree(slept[k][c]);
		}
	kfree(hol);
	hol = NULL;
}

/* --- worker CPU time: idle, and under a reset storm ------------------- */
static u64 workers_runtime(void)
{
	u64 sum = 0;
	int cpu;

	for_each_online_cpu(cpu) {
		struct task_struct *w = gotimer_runner_task(cpu);

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
	int k;

	/* scripts/bench waits for hres_active in /proc/timer_list; check too */
	for (k = 0; k < 100 && READ_ONCE(hrtimer_resolution) != HIGH_RES_NSEC; k++)
		msleep(100);
	pr_info("gotimer-bench: rounds=%u ops=%u nmax=%u rows=%s vcpus=%u hres=%s; ns/op, median [min..max] of rounds; floor = preempt_disable+cmpxchg+store+preempt_enable; dwork = delayed_work on system_wq\n",
		rounds, ops, nmax, rows, num_online_cpus(),
		READ_ONCE(hrtimer_resolution) == HIGH_RES_NSEC ? "on" : "OFF");
	pr_info("gotimer-bench: memory per armed timer: gotimer %zu+%zu (heap slot), hrtimer %zu, timer_list %zu, delayed_work %zu bytes\n",
		sizeof(struct gotimer), sizeof(struct gotimer *),
		sizeof(struct hrtimer), sizeof(struct timer_list),
		sizeof(struct delayed_work));
	pr_info("gotimer-bench-csv: memory,%zu,%zu,%zu,%zu\n",
		sizeof(struct gotimer) + sizeof(struct gotimer *),
		sizeof(struct hrtimer), sizeof(struct timer_list),
		sizeof(struct delayed_work));
	if (row_on("ops"))
		for (n = 100; n <= nmax; n *= 10)
			if (bench_ops_at(n))
				pr_err("gotimer-bench: N=%u: out of memory\n", n);
	if (row_on("cross"))
		bench_cross(min(nmax, 100000U), smp_processor_id());
	bench_fire();
	if (row_on("hol"))
		bench_hol(smp_processor_id());
	if (hotplug_n && row_on("hotplug"))
		bench_hotplug(hotplug_n);
	if (storm_n && row_on("storm"))
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
MODULE_DESCRIPTION("gotimer benchmark against hrtimer, timer_list and delayed_work");
MODULE_LICENSE("GPL");
