// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/gotimer: per-CPU statistics, totals, and "verify".
 * See Documentation/ABI/testing/sysfs-kernel-gotimer.
 *
 * A directory cpuN exists for every possible CPU from load to unload, so
 * readers never race with directories coming and going; cpuN/online says
 * whether the CPU is online.  An offline CPU's heap is empty: its timers
 * moved to a live CPU when it went down.  Values are read without the heap lock:
 * each is a snapshot that may be stale by the time it is printed.
 */
#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include "internal.h"

struct cpu_dir {
	struct kobject kobj;
	int cpu;
};

static struct kobject *gotimer_kobj;
static struct cpu_dir **cpu_dirs;

enum base_stat_id { ST_TIMERS, ST_STOPPED, ST_NEXT, ST_MOD, ST_FIRED, ST_MOVED_IN,
	    ST_MOVED_OUT, ST_ADJUSTED, ST_CORRUPT, ST_WAKEUPS, ST_MISSED_WAKES,
	    ST_TAKEOVERS, ST_POSTPONED, ST_STOLEN, ST_STEAL_REQUESTS };

/*
 * The atomics are what the core itself reads without the lock.  The
 * unsigned long counters are written under the heap lock; sysfs reads them
 * without it, and a word-sized snapshot that is a little stale is fine.
 */
static s64 base_stat_read(struct gotimer_base *b, enum base_stat_id st)
{
	switch (st) {
	case ST_TIMERS:
		return atomic_read(&b->ntimers);
	case ST_STOPPED:
		return atomic_read(&b->deleted);
	case ST_NEXT:
		return atomic64_read(&b->timer0_when);
	case ST_MOD:
		return atomic64_read(&b->modified_earliest);
	case ST_CORRUPT:
		return atomic_long_read(&b->corrupt);
	case ST_MISSED_WAKES:
		return atomic_long_read(&b->missed_wakes);
	case ST_WAKEUPS:
		/* written by the worker alone, with WRITE_ONCE() */
		return READ_ONCE(b->wakeups);
	case ST_FIRED:
		/* benign: stale snapshot of a lock-protected counter */
		return data_race(b->fired);
	case ST_MOVED_IN:
		/* benign: as above */
		return data_race(b->moved_in);
	case ST_MOVED_OUT:
		/* benign: as above */
		return data_race(b->moved_out);
	case ST_ADJUSTED:
		/* benign: as above */
		return data_race(b->adjusted);
	case ST_TAKEOVERS:
		/* benign: as above */
		return data_race(b->takeovers);
	case ST_POSTPONED:
		/* benign: as above */
		return data_race(b->postponed);
	case ST_STOLEN:
		/* benign: as above */
		return data_race(b->stolen);
	case ST_STEAL_REQUESTS:
		/* written by the steal timer alone, with WRITE_ONCE() */
		return READ_ONCE(b->steal_requests);
	}
	return 0;
}

/* @unpinned: read the CPU's unpinned base, not its pinned one. */
struct stat_attr {
	struct kobj_attribute attr;
	enum base_stat_id st;
	bool unpinned;
};

static struct gotimer_base *stat_base(int cpu, const struct stat_attr *a)
{
	return a->unpinned ? gotimer_cpu_unpinned_base(cpu) : gotimer_cpu_base(cpu);
}

#define to_stat_attr(a) container_of(a, struct stat_attr, attr)

static ssize_t cpu_stat_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct cpu_dir *d = container_of(kobj, struct cpu_dir, kobj);

	struct stat_attr *a = to_stat_attr(attr);

	return sysfs_emit(buf, "%lld\n", base_stat_read(stat_base(d->cpu, a), a->st));
}

static ssize_t total_stat_show(struct kobject *kobj, struct kobj_attribute *attr,
			       char *buf)
{
	struct stat_attr *a = to_stat_attr(attr);
	s64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += base_stat_read(stat_base(cpu, a), a->st);
	return sysfs_emit(buf, "%lld\n", sum);
}

#define STAT_ATTR(var, name, show, id) \
	static struct stat_attr var = { __ATTR(name, 0444, show, NULL), id }
#define USTAT_ATTR(var, name, show, id) \
	static struct stat_attr var = { __ATTR(name, 0444, show, NULL), id, true }

STAT_ATTR(cpu_timers, timers, cpu_stat_show, ST_TIMERS);
STAT_ATTR(cpu_stopped, stopped, cpu_stat_show, ST_STOPPED);
STAT_ATTR(cpu_next_when, next_when_ns, cpu_stat_show, ST_NEXT);
STAT_ATTR(cpu_modified_earliest, modified_earliest_ns, cpu_stat_show, ST_MOD);
STAT_ATTR(cpu_fired, fired, cpu_stat_show, ST_FIRED);
STAT_ATTR(cpu_moved_in, moved_in, cpu_stat_show, ST_MOVED_IN);
STAT_ATTR(cpu_moved_out, moved_out, cpu_stat_show, ST_MOVED_OUT);
STAT_ATTR(cpu_adjusted, adjusted, cpu_stat_show, ST_ADJUSTED);
STAT_ATTR(cpu_corrupt, corrupt, cpu_stat_show, ST_CORRUPT);
STAT_ATTR(cpu_wakeups, wakeups, cpu_stat_show, ST_WAKEUPS);
STAT_ATTR(cpu_missed_wakes, missed_wakes, cpu_stat_show, ST_MISSED_WAKES);
STAT_ATTR(cpu_takeovers, takeovers, cpu_stat_show, ST_TAKEOVERS);
STAT_ATTR(cpu_postponed, postponed, cpu_stat_show, ST_POSTPONED);
USTAT_ATTR(cpu_unpinned_timers, unpinned_timers, cpu_stat_show, ST_TIMERS);
USTAT_ATTR(cpu_unpinned_fired, unpinned_fired, cpu_stat_show, ST_FIRED);
USTAT_ATTR(cpu_stolen, stolen, cpu_stat_show, ST_STOLEN);
USTAT_ATTR(cpu_steal_requests, steal_requests, cpu_stat_show, ST_STEAL_REQUESTS);

STAT_ATTR(total_timers, timers, total_stat_show, ST_TIMERS);
STAT_ATTR(total_stopped, stopped, total_stat_show, ST_STOPPED);
STAT_ATTR(total_fired, fired, total_stat_show, ST_FIRED);
STAT_ATTR(total_moved_in, moved_in, total_stat_show, ST_MOVED_IN);
STAT_ATTR(total_moved_out, moved_out, total_stat_show, ST_MOVED_OUT);
STAT_ATTR(total_adjusted, adjusted, total_stat_show, ST_ADJUSTED);
STAT_ATTR(total_corrupt, corrupt, total_stat_show, ST_CORRUPT);
STAT_ATTR(total_wakeups, wakeups, total_stat_show, ST_WAKEUPS);
STAT_ATTR(total_missed_wakes, missed_wakes, total_stat_show, ST_MISSED_WAKES);
STAT_ATTR(total_takeovers, takeovers, total_stat_show, ST_TAKEOVERS);
STAT_ATTR(total_postponed, postponed, total_stat_show, ST_POSTPONED);
USTAT_ATTR(total_unpinned_timers, unpinned_timers, total_stat_show, ST_TIMERS);
USTAT_ATTR(total_unpinned_fired, unpinned_fired, total_stat_show, ST_FIRED);
USTAT_ATTR(total_stolen, stolen, total_stat_show, ST_STOLEN);
USTAT_ATTR(total_steal_requests, steal_requests, total_stat_show, ST_STEAL_REQUESTS);

static ssize_t online_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct cpu_dir *d = container_of(kobj, struct cpu_dir, kobj);

	return sysfs_emit(buf, "%d\n", cpu_online(d->cpu));
}

static struct kobj_attribute cpu_online_attr = __ATTR_RO(online);

static struct attribute *cpu_attrs[] = {
	&cpu_online_attr.attr,
	&cpu_timers.attr.attr,
	&cpu_stopped.attr.attr,
	&cpu_next_when.attr.attr,
	&cpu_modified_earliest.attr.attr,
	&cpu_fired.attr.attr,
	&cpu_moved_in.attr.attr,
	&cpu_moved_out.attr.attr,
	&cpu_adjusted.attr.attr,
	&cpu_corrupt.attr.attr,
	&cpu_wakeups.attr.attr,
	&cpu_missed_wakes.attr.attr,
	&cpu_takeovers.attr.attr,
	&cpu_postponed.attr.attr,
	&cpu_unpinned_timers.attr.attr,
	&cpu_unpinned_fired.attr.attr,
	&cpu_stolen.attr.attr,
	&cpu_steal_requests.attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(cpu);

static void cpu_dir_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct cpu_dir, kobj));
}

static const struct kobj_type cpu_dir_ktype = {
	.release	= cpu_dir_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= cpu_groups,
};

static ssize_t bad_timers_show(struct kobject *kobj, struct kobj_attribute *attr,
			       char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&gotimer_bad_timers));
}

static struct kobj_attribute bad_timers_attr = __ATTR_RO(bad_timers);

static ssize_t worker_demotions_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&gotimer_worker_demotions));
}

static struct kobj_attribute worker_demotions_attr = __ATTR_RO(worker_demotions);

/*
 * Writing 1 checks every heap now.  A broken heap fails the write with
 * -EUCLEAN after a log line naming the CPU and the slot.
 */
static ssize_t verify_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	unsigned int val;
	int cpu, bad, ret;

	ret = kstrtouint(buf, 10, &val);
	if (ret)
		return ret;
	if (val != 1)
		return -EINVAL;
	ret = count;
	for_each_possible_cpu(cpu) {
		struct gotimer_base *bases[] = { gotimer_cpu_base(cpu),
						 gotimer_cpu_unpinned_base(cpu) };
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(bases); i++) {
			raw_spin_lock(&bases[i]->lock);
			bad = gotimer_heap_verify(&bases[i]->heap);
			raw_spin_unlock(&bases[i]->lock);
			if (bad >= 0) {
				pr_err("gotimer: verify: cpu %d %sheap broken at slot %d\n",
				       cpu, i ? "unpinned " : "", bad);
				ret = -EUCLEAN;
			}
		}
	}
	return ret;
}

static struct kobj_attribute verify_attr = __ATTR_WO(verify);

static struct attribute *top_attrs[] = {
	&verify_attr.attr,
	&bad_timers_attr.attr,
	&total_timers.attr.attr,
	&total_stopped.attr.attr,
	&total_fired.attr.attr,
	&total_moved_in.attr.attr,
	&total_moved_out.attr.attr,
	&total_adjusted.attr.attr,
	&total_corrupt.attr.attr,
	&total_wakeups.attr.attr,
	&total_missed_wakes.attr.attr,
	&total_takeovers.attr.attr,
	&total_postponed.attr.attr,
	&total_unpinned_timers.attr.attr,
	&total_unpinned_fired.attr.attr,
	&total_stolen.attr.attr,
	&total_steal_requests.attr.attr,
	&worker_demotions_attr.attr,
	NULL,
};

static const struct attribute_group top_group = {
	.attrs = top_attrs,
};

/**
 * gotimer_sysfs_init() - create /sys/kernel/gotimer
 *
 * Return: 0 or a negative errno, with nothing left behind.
 */
int gotimer_sysfs_init(void)
{
	int cpu, ret;

	gotimer_kobj = kobject_create_and_add("gotimer", kernel_kobj);
	if (!gotimer_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(gotimer_kobj, &top_group);
	if (ret)
		goto err;
	cpu_dirs = kcalloc(nr_cpu_ids, sizeof(*cpu_dirs), GFP_KERNEL);
	if (!cpu_dirs) {
		ret = -ENOMEM;
		goto err;
	}
	for_each_possible_cpu(cpu) {
		struct cpu_dir *d = kzalloc(sizeof(*d), GFP_KERNEL);

		if (!d) {
			ret = -ENOMEM;
			goto err;
		}
		d->cpu = cpu;
		ret = kobject_init_and_add(&d->kobj, &cpu_dir_ktype, gotimer_kobj,
					   "cpu%d", cpu);
		if (ret) {
			kobject_put(&d->kobj);
			goto err;
		}
		cpu_dirs[cpu] = d;
	}
	return 0;
err:
	gotimer_sysfs_exit();
	return ret;
}

/**
 * gotimer_sysfs_exit() - remove /sys/kernel/gotimer
 */
void gotimer_sysfs_exit(void)
{
	int cpu;

	if (cpu_dirs) {
		for_each_possible_cpu(cpu)
			if (cpu_dirs[cpu])
				kobject_put(&cpu_dirs[cpu]->kobj);
		kfree(cpu_dirs);
		cpu_dirs = NULL;
	}
	kobject_put(gotimer_kobj);
	gotimer_kobj = NULL;
}
