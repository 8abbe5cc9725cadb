// SPDX-License-Identifier: GPL-2.0
/*
 * gotimer: Go runtime style timers for kernel modules.  Module init, exit
 * and parameters.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include "internal.h"

module_param_named(verify_heaps, gotimer_verify_heaps, bool, 0644);
MODULE_PARM_DESC(verify_heaps,
		 "Check every heap's invariant after each change (Go's verifyTimers); slow (default: off)");

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
	return 0;

err_hotplug:
	gotimer_hotplug_exit();
err_workers:
	gotimer_workers_stop();
	return ret;
}

static void __exit gotimer_module_exit(void)
{
	gotimer_sysfs_exit();
	gotimer_hotplug_exit();
	gotimer_workers_stop();
}

module_init(gotimer_module_init);
module_exit(gotimer_module_exit);

MODULE_DESCRIPTION("Go runtime style per-CPU timer heaps");
MODULE_LICENSE("GPL");
