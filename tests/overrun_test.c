// SPDX-License-Identifier: GPL-2.0
/*
 * gotimer_overrun.ko: a periodic gotimer whose callback outlasts its period
 * must not starve its CPU (issue 12, defect 3).  On a PREEMPT_NONE or
 * PREEMPT_VOLUNTARY kernel a worker that never yields soft-locks its CPU;
 * a SCHED_FIFO worker that never drops its priority starves every
 * SCHED_NORMAL task there.
 *
 * At load, on CPU @cpu, a SCHED_NORMAL kthread sleeps 10 ms in a loop for
 * @seconds with nothing else there (the baseline), then again for @seconds
 * while a periodic gotimer of @period_us busy-waits @busy_us in each call.
 * The two counts of wake-ups are measured in one boot and compared: the
 * run passes if the loaded count is at least half the baseline.  The
 * soft-lockup detector and RCU's stall warnings, which the console scan
 * fails on, judge the rest.  Prints one line
 *
 *   gotimer-overrun: baseline=N loaded=M callbacks=C demotions=D result=PASS|FAIL
 *
 * and the result is also in /sys/module/gotimer_overrun/parameters/result.
 */
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include "internal.h"
#include "param.h"

gt_param(cpu, 1, 0, 65535, 0444, "The CPU to load (online)");
gt_param(seconds, 60, 1, 3600, 0444, "Length of each phase, s");
gt_param(period_us, 200, 1, 1000000, 0444, "Period of the timer, us");
gt_param(busy_us, 400, 1, 10000, 0444, "Busy time of each callback, us");
static char *result = "none";
module_param(result, charp, 0444);
MODULE_PARM_DESC(result, "PASS or FAIL once loaded");

static atomic_long_t callbacks;

static void busy_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	atomic_long_inc(&callbacks);
	udelay(busy_us);
}

struct sleeper {
	s64 until;
	unsigned long wakeups;
	struct completion done;
};

static int sleeper_fn(void *arg)
{
	struct sleeper *s = arg;

	while (gotimer_now() < s->until) {
		usleep_range(10000, 10050);
		s->wakeups++;
	}
	complete(&s->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

/* One phase: the number of 10 ms sleeps a task on @cpu got in @seconds. */
static long sleeper_phase(void)
{
	struct sleeper s = { .until = gotimer_now() + (s64)seconds * NSEC_PER_SEC };
	struct task_struct *task;

	init_completion(&s.done);
	task = kthread_create_on_cpu(sleeper_fn, &s, cpu, "gotimer_sleeper/%u");
	if (IS_ERR(task))
		return PTR_ERR(task);
	wake_up_process(task);
	wait_for_completion(&s.done);
	kthread_stop(task);
	return s.wakeups;
}

static long arm_on_cpu(void *arg)
{
	struct gotimer *t = arg;

	return gotimer_modify(t, gotimer_now() + (s64)period_us * NSEC_PER_USEC,
			      (s64)period_us * NSEC_PER_USEC, busy_fire, NULL, 0);
}

static int __init overrun_init(void)
{
	long demotions = atomic_long_read(&gotimer_worker_demotions);
	struct gotimer *t;
	long base, loaded, ret;

	/* The ranges are checked on write (param.h); online is checked here. */
	if (cpu >= nr_cpu_ids || !cpu_online(cpu)) {
		pr_err("gotimer_overrun: cpu %u is not online\n", cpu);
		return -EINVAL;
	}
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	base = sleeper_phase();
	if (base < 0) {
		kfree(t);
		return base;
	}
	ret = work_on_cpu(cpu, arm_on_cpu, t);
	if (ret < 0) {
		kfree(t);
		return ret;
	}
	loaded = sleeper_phase();
	gotimer_stop_sync(t);
	kfree(t);
	if (loaded < 0)
		return loaded;
	result = loaded * 2 >= base ? "PASS" : "FAIL";
	pr_info("gotimer-overrun: cpu=%u period_us=%u busy_us=%u seconds=%u baseline=%ld loaded=%ld callbacks=%ld demotions=%ld result=%s\n",
		cpu, period_us, busy_us, seconds, base, loaded,
		atomic_long_read(&callbacks),
		atomic_long_read(&gotimer_worker_demotions) - demotions, result);
	return 0;
}

static void __exit overrun_exit(void)
{
}

module_init(overrun_init);
module_exit(overrun_exit);

MODULE_DESCRIPTION("gotimer: a periodic callback longer than its period must not starve its CPU");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(GOTIMER_INTERNAL);
