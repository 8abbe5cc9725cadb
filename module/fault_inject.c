// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection for heap growth, as block (fail_make_request) and futex
 * (fail_futex) own theirs: with CONFIG_FAULT_INJECTION_DEBUG_FS,
 * /sys/kernel/debug/fail_gotimer_grow/ takes the usual knobs
 * (Documentation/fault-injection/fault-injection.rst: probability,
 * interval, times, task-filter, ...), and gotimer_base_reserve() then fails
 * with -ENOMEM on demand, even when the heap has room.  That reaches what
 * FAILSLAB cannot: the CPU-dead migration reserves every time, but
 * allocates only when the receiving heap is short.  (fail_function would
 * do the same, but on 6.12 its kprobe handler draws random numbers in
 * int3 context, which lockdep reports against the RNG's lock.)
 */
#include <linux/debugfs.h>
#include <linux/fault-inject.h>
#include "internal.h"

static DECLARE_FAULT_ATTR(fail_gotimer_grow);
static struct dentry *fail_gotimer_grow_dir;

/**
 * gotimer_should_fail_grow() - should this heap growth fail?
 * @want: slots asked for
 *
 * Return: true if fault injection says so.
 */
bool gotimer_should_fail_grow(unsigned int want)
{
	return should_fail(&fail_gotimer_grow, want);
}

/**
 * gotimer_fault_inject_init() - create /sys/kernel/debug/fail_gotimer_grow
 *
 * A failure (no debugfs) only means no fault injection: not an error.
 */
void gotimer_fault_inject_init(void)
{
	struct dentry *dir;

	dir = fault_create_debugfs_attr("fail_gotimer_grow", NULL,
					&fail_gotimer_grow);
	if (!IS_ERR(dir))
		fail_gotimer_grow_dir = dir;
}

/**
 * gotimer_fault_inject_exit() - remove it
 */
void gotimer_fault_inject_exit(void)
{
	debugfs_remove_recursive(fail_gotimer_grow_dir);
	fail_gotimer_grow_dir = NULL;
}
