// SPDX-License-Identifier: GPL-2.0
/*
 * gotimer_demo.ko: arm a few thousand timers spread over every online CPU,
 * print each CPU's heap count, wait until all have fired, print how many
 * fired where.  Used by "make run".
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "../module/internal.h"

static unsigned int nr_timers = 4000;
module_param(nr_timers, uint, 0444);
MODULE_PARM_DESC(nr_timers, "Timers to arm over all online CPUs (default: 4000)");

static unsigned int spread_ms = 500;
module_param(spread_ms, uint, 0444);
MODULE_PARM_DESC(spread_ms, "Fire times spread over this many ms (default: 500)");

struct demo_timer {
	struct gotimer t;
	int armed_cpu;
};

static struct demo_timer *timers;
static atomic_t fired_on[NR_CPUS];
static atomic_t remaining;
static DECLARE_COMPLETION(all_fired);

static void demo_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	atomic_inc(&fired_on[raw_smp_processor_id()]);
	if (atomic_dec_and_test(&remaining))
		complete(&all_fired);
}

struct arm_work {
	unsigned int first, count;
	int errors;
};

static long arm_on_this_cpu(void *data)
{
	struct arm_work *w = data;
	struct rnd_state rnd;
	s64 now = gotimer_now();
	unsigned int i;

	prandom_seed_state(&rnd, w->first);
	for (i = w->first; i < w->first + w->count; i++) {
		s64 when = now + (prandom_u32_state(&rnd) % spread_ms + 1) * NSEC_PER_MSEC;

		timers[i].armed_cpu = raw_smp_processor_id();
		if (gotimer_modify(&timers[i].t, when, 0, demo_fire, NULL, i))
			w->errors++;
	}
	return 0;
}

static void gotimer_demo_stop_all(void)
{
	unsigned int i;

	for (i = 0; i < nr_timers; i++)
		gotimer_stop_sync(&timers[i].t);
	kvfree(timers);
}

static int __init gotimer_demo_init(void)
{
	unsigned int ncpus = num_online_cpus(), per_cpu, i = 0;
	struct arm_work w;
	int cpu, errors = 0;

	if (!nr_timers || !spread_ms)
		return -EINVAL;
	timers = kvcalloc(nr_timers, sizeof(*timers), GFP_KERNEL);
	if (!timers)
		return -ENOMEM;
	atomic_set(&remaining, nr_timers);

	cpus_read_lock();
	per_cpu = DIV_ROUND_UP(nr_timers, ncpus);
	for_each_online_cpu(cpu) {
		w.first = i;
		w.count = min(per_cpu, nr_timers - i);
		w.errors = 0;
		work_on_cpu(cpu, arm_on_this_cpu, &w);
		errors += w.errors;
		i += w.count;
	}
	for_each_online_cpu(cpu)
		pr_info("gotimer-demo: cpu%d heap=%d\n", cpu,
			atomic_read(&gotimer_cpu_base(cpu)->ntimers));
	cpus_read_unlock();

	if (errors)
		pr_err("gotimer-demo: %d arms failed\n", errors);
	if (!errors && !wait_for_completion_timeout(&all_fired, 120 * HZ))
		pr_err("gotimer-demo: %d timers did not fire in time\n",
		       atomic_read(&remaining));
	/* The last callbacks may still be returning: wait for them too. */
	for (i = 0; i < nr_timers; i++)
		gotimer_stop_sync(&timers[i].t);
	for_each_online_cpu(cpu)
		pr_info("gotimer-demo: cpu%d fired=%d\n", cpu,
			atomic_read(&fired_on[cpu]));
	pr_info("gotimer-demo: armed=%u fired=%u\n", nr_timers,
		nr_timers - atomic_read(&remaining));
	if (errors || atomic_read(&remaining)) {
		gotimer_demo_stop_all();
		return -ETIMEDOUT;
	}
	return 0;
}

static void __exit gotimer_demo_exit(void)
{
	gotimer_demo_stop_all();
}

module_init(gotimer_demo_init);
module_exit(gotimer_demo_exit);

MODULE_IMPORT_NS(GOTIMER_INTERNAL);
MODULE_DESCRIPTION("gotimer demo: arm timers on every CPU");
MODULE_LICENSE("GPL");
