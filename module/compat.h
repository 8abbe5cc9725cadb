/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gotimer on the kernels it supports, 6.1 to 6.17: one shim per interface
 * that changed in that range, each guarded by the version that changed it,
 * so that the code itself is written against the newest interface.
 *
 * Compiled here: the branches for 6.1 (Debian 12's headers, make
 * dkms-check) and 6.12 (the test kernels).  The branches for 6.13 and later
 * were only read against those kernels' own include/linux/ headers
 * (Documentation/gotimer.rst, "Kernel versions").
 */
#ifndef _GOTIMER_COMPAT_H
#define _GOTIMER_COMPAT_H

#include <linux/hrtimer.h>
#include <linux/timer.h>
#include <linux/version.h>

/*
 * 6.13 turned the namespace argument of EXPORT_SYMBOL_NS_GPL() and
 * MODULE_IMPORT_NS() into a string literal (before, the macros stringified
 * a bare word).  gotimer writes the bare word GOTIMER_INTERNAL everywhere;
 * from 6.13 on it stands for the string.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define GOTIMER_INTERNAL "GOTIMER_INTERNAL"
#endif

/*
 * hrtimer_setup() (6.13) sets the callback along with the clock and mode;
 * 6.15 removed hrtimer_init().  Before 6.13, the same in two steps.  A
 * macro, not a definition of that name: a kernel with hrtimer_setup()
 * backported keeps its own declaration.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
static inline void
gotimer_hrtimer_setup(struct hrtimer *timer,
		      enum hrtimer_restart (*function)(struct hrtimer *),
		      clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}

#define hrtimer_setup gotimer_hrtimer_setup
#endif

/* timer_delete_sync() is 6.2's name for del_timer_sync(), removed in 6.15. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define timer_delete_sync del_timer_sync
#endif

#endif /* _GOTIMER_COMPAT_H */
