// SPDX-License-Identifier: GPL-2.0
/*
 * Scanner self-test for scripts/boot-test: a module whose only job is to
 * trigger one kernel warning, which scripts/check-log must catch.
 */
#include <linux/bug.h>
#include <linux/init.h>
#include <linux/module.h>

static int __init warn_module_init(void)
{
	WARN(1, "gotimer-selftest: deliberate warning\n");
	return 0;
}

static void __exit warn_module_exit(void)
{
}

module_init(warn_module_init);
module_exit(warn_module_exit);
MODULE_DESCRIPTION("gotimer test-harness self-test: deliberate WARN");
MODULE_LICENSE("GPL");
