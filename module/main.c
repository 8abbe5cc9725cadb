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
	if (ret) {
		gotimer_workers_stop();
		return ret;
	}
	return 0;
}

static void __exit gotimer_module_exit(void)
{
	gotimer_hotplug_exit();
	gotimer_workers_stop();
}

module_init(gotimer_module_init);
module_exit(gotimer_module_exit);

MODULE_DESCRIPTION("Go runtime style per-CPU timer heaps");
MODULE_LICENSE("GPL");
