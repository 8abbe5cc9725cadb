/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ranged module parameters, shared by gotimer's test modules: a write
 * outside [min, max] (a negative number included) is refused with -ERANGE,
 * one that does not parse with -EINVAL, each with a log line naming the
 * parameter and its range, and changes nothing.  A module that runs in
 * the background gives a lock and a "busy" flag: while the flag is set
 * every write is refused with -EBUSY, and a write changes the value under
 * the lock, so a run reads its parameters once, consistently.
 */
#ifndef _GOTIMER_TESTS_PARAM_H
#define _GOTIMER_TESTS_PARAM_H

#include <linux/kstrtox.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/sysfs.h>

/**
 * struct gt_param - an unsigned int module parameter with a range
 * @val: the value
 * @min: the least value accepted
 * @max: the greatest value accepted
 * @lock: taken around the busy check and the store, or NULL
 * @busy: refuse writes while *@busy, or NULL
 */
struct gt_param {
	unsigned int *val;
	unsigned int min, max;
	struct mutex *lock;	/* the busy check and the store, or NULL */
	const bool *busy;
};

static int gt_param_set(const char *buf, const struct kernel_param *kp)
{
	const struct gt_param *p = kp->arg;
	long long v;
	int ret;

	/* Signed, so that "-1" is out of range (-ERANGE), not malformed. */
	ret = kstrtoll(buf, 0, &v);
	if (!ret && (v < p->min || v > p->max))
		ret = -ERANGE;
	if (ret) {
		pr_err("%s: %s: want %u..%u, got '%.*s'\n", KBUILD_MODNAME,
		       kp->name, p->min, p->max, (int)strcspn(buf, "\n"), buf);
		return ret;
	}
	if (p->lock)
		mutex_lock(p->lock);
	if (p->busy && *p->busy)
		ret = -EBUSY;
	else
		WRITE_ONCE(*p->val, (unsigned int)v);
	if (p->lock)
		mutex_unlock(p->lock);
	return ret;
}

static int gt_param_get(char *buf, const struct kernel_param *kp)
{
	const struct gt_param *p = kp->arg;

	return sysfs_emit(buf, "%u\n", READ_ONCE(*p->val));
}

static const struct kernel_param_ops gt_param_ops = {
	.set = gt_param_set,
	.get = gt_param_get,
};

/*
 * gt_param_busy(name, def, lo, hi, lock, busy, perm, desc): unsigned int
 * @name, default @def, range [@lo, @hi], refused while *@busy (under
 * @lock); gt_param(name, def, lo, hi, perm, desc) for a module that takes
 * its parameters once, at load.  The description gets the range and the
 * default.
 */
#define gt_param_busy(name, def, lo, hi, lock, busy, perm, desc)	\
	static unsigned int name = def;					\
	static struct gt_param name##_param = {				\
		&name, lo, hi, lock, busy };				\
	module_param_cb(name, &gt_param_ops, &name##_param, perm);	\
	MODULE_PARM_DESC(name, desc " [" #lo ".." #hi "] (default: " #def ")")
#define gt_param(name, def, lo, hi, perm, desc) \
	gt_param_busy(name, def, lo, hi, NULL, NULL, perm, desc)

#endif /* _GOTIMER_TESTS_PARAM_H */
