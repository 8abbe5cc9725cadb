// SPDX-License-Identifier: GPL-2.0
/*
 * gotimer: Go runtime style timers for kernel modules.  Module init, exit
 * and parameters.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
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

static int __init gotimer_module_init(void)
{
	int ret;

	ret = gotimer_workers_start();
	if (ret)
		return ret;
	ret = gotimer_hotplug_init();
	if (ret)
		goto err_workers;
	ret = gotimer_sysfs_init();
	if (ret)
		goto err_hotplug;
	gotimer_fault_inject_init();
	return 0;

err_hotplug:
	gotimer_hotplug_exit();
err_workers:
	gotimer_workers_stop();
	return ret;
}

static void __exit gotimer_module_exit(void)
{
	gotimer_fault_inject_exit();
	gotimer_sysfs_exit();
	gotimer_hotplug_exit();
	gotimer_workers_stop();
}

module_init(gotimer_module_init);
module_exit(gotimer_module_exit);

MODULE_DESCRIPTION("Go runtime style per-CPU timer heaps");
MODULE_LICENSE("GPL");
