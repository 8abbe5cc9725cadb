// SPDX-License-Identifier: GPL-2.0
/*
 * gotimer: Go runtime style timers for kernel modules.  Module init, exit
 * and parameters.
 */
#include <linux/cpu.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include "internal.h"

#define CREATE_TRACE_POINTS
#include "gotimer_trace.h"

/*
 * A strict bool: exactly 0, 1, n, y, N or Y with an optional newline.
 * param_set_bool() would take "yes please" or "1abc" for true.
 */
static int strict_bool_set(const char *val, const struct kernel_param *kp)
{
	size_t len = strlen(val);
	bool v;

	if (len && val[len - 1] == '\n')
		len--;
	if (len != 1 || !strchr("01nyNY", val[0]))
		return -EINVAL;
	v = val[0] == '1' || val[0] == 'y' || val[0] == 'Y';
	WRITE_ONCE(*(bool *)kp->arg, v);
	return 0;
}

static const struct kernel_param_ops strict_bool_ops = {
	.set = strict_bool_set,
	.get = param_get_bool,
};

module_param_cb(verify_heaps, &strict_bool_ops, &gotimer_verify_heaps, 0644);
MODULE_PARM_DESC(verify_heaps,
		 "Check every heap's invariant after each change (Go's verifyTimers); slow [0/1/n/y] (default: 0)");

module_param_named(worker_fifo, gotimer_worker_fifo, bool, 0444);
MODULE_PARM_DESC(worker_fifo,
		 "Run the gotimer/N workers SCHED_FIFO at the lowest RT priority, as ktimers/N; 0 = SCHED_NORMAL (default: 1)");

/* An unsigned int parameter with a range: out of it, -ERANGE and no change. */
struct uint_range_param {
	unsigned int *var;
	unsigned int min;
	unsigned int max;
};

static int uint_range_set(const char *val, const struct kernel_param *kp)
{
	const struct uint_range_param *p = kp->arg;
	unsigned int v;
	int ret = kstrtouint(val, 10, &v);

	if (ret)
		return ret;
	if (v < p->min || v > p->max)
		return -ERANGE;
	WRITE_ONCE(*p->var, v);
	return 0;
}

static int uint_range_get(char *buf, const struct kernel_param *kp)
{
	const struct uint_range_param *p = kp->arg;

	return sysfs_emit(buf, "%u\n", READ_ONCE(*p->var));
}

static const struct kernel_param_ops uint_range_ops = {
	.set = uint_range_set,
	.get = uint_range_get,
};

#define GOTIMER_UINT_PARAM(name, variable, lo, hi, perm)			\
	static const struct uint_range_param name##_range = {		\
		.var = &(variable), .min = (lo), .max = (hi),		\
	};								\
	module_param_cb(name, &uint_range_ops, (void *)&name##_range, perm)

GOTIMER_UINT_PARAM(fifo_budget_us, gotimer_fifo_budget_us, 100, 1000000, 0644);
MODULE_PARM_DESC(fifo_budget_us,
		 "A FIFO worker busy this long since it last slept drops to SCHED_NORMAL until it catches up, 100..1000000 (default: 2000)");

GOTIMER_UINT_PARAM(workers_per_cpu, gotimer_workers_per_cpu, 1,
		   GOTIMER_WORKERS_MAX, 0444);
MODULE_PARM_DESC(workers_per_cpu,
		 "Worker threads per CPU: one runs the due timers, the others take over while it is stuck in a callback, 1..4 (default: 2)");

GOTIMER_UINT_PARAM(takeover_us, gotimer_takeover_us, 50, 1000000, 0644);
MODULE_PARM_DESC(takeover_us,
		 "A standby worker takes over after the runner sat this long in one callback while a timer was due; also how long a due timer whose callback still runs is put off, 50..1000000 (default: 1000)");

GOTIMER_UINT_PARAM(steal_us, gotimer_steal_us, 20, 1000000, 0644);
MODULE_PARM_DESC(steal_us,
		 "Unpinned timers due this long and not yet run are run by another CPU's standby worker, 20..1000000 (default: 200)");

static int slack_set(const char *val, const struct kernel_param *kp)
{
	unsigned long v;
	int ret = kstrtoul(val, 10, &v);

	if (ret)
		return ret;
	if (v > NSEC_PER_SEC)
		return -ERANGE;
	WRITE_ONCE(gotimer_slack_ns, v);
	return 0;
}

static const struct kernel_param_ops slack_ops = {
	.set = slack_set,
	.get = param_get_ulong,
};

module_param_cb(slack_ns, &slack_ops, &gotimer_slack_ns, 0644);
MODULE_PARM_DESC(slack_ns,
		 "A worker may wake up to this late to run several timers in one wake-up, 0..1000000000; 0 = exact, as Go (default: 0)");

static int __init gotimer_module_init(void)
{
	int ret;

	/* No CPU comes or goes between the workers' start and their binding. */
	cpus_read_lock();
	ret = gotimer_workers_start();
	if (!ret) {
		ret = gotimer_hotplug_init();
		if (ret)
			gotimer_workers_stop();
	}
	cpus_read_unlock();
	if (ret)
		return ret;
	ret = gotimer_sysfs_init();
	if (ret)
		goto err_hotplug;
	gotimer_fault_inject_init();
	gotimer_debugfs_init();
	gotimer_watchdog_init();
	return 0;

err_hotplug:
	gotimer_hotplug_exit();
	gotimer_workers_stop();
	return ret;
}

static void __exit gotimer_module_exit(void)
{
	gotimer_watchdog_exit();
	gotimer_debugfs_exit();
	gotimer_fault_inject_exit();
	gotimer_sysfs_exit();
	gotimer_hotplug_exit();
	gotimer_workers_stop();
}

module_init(gotimer_module_init);
module_exit(gotimer_module_exit);

MODULE_DESCRIPTION("Go runtime style per-CPU timer heaps");
MODULE_LICENSE("GPL");
