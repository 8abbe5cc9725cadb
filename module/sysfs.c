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
#include "stats.h"

struct cpu_dir {
	struct kobject kobj;
	int cpu;
};

static struct kobject *gotimer_kobj;
static struct cpu_dir **cpu_dirs;

/*
 * One attribute per row of gotimer_stat_rows[] (stats.h) in each cpuN/,
 * and one per summed row at the top; made by gotimer_sysfs_init().
 */
struct stat_attr {
	struct kobj_attribute attr;
	enum gotimer_stat_id st;
};

#define to_stat_attr(a) container_of(a, struct stat_attr, attr)

static ssize_t cpu_stat_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct cpu_dir *d = container_of(kobj, struct cpu_dir, kobj);

	return sysfs_emit(buf, "%lld\n", gotimer_stat(d->cpu, to_stat_attr(attr)->st));
}

static ssize_t total_stat_show(struct kobject *kobj, struct kobj_attribute *attr,
			       char *buf)
{
	enum gotimer_stat_id st = to_stat_attr(attr)->st;
	s64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += gotimer_stat(cpu, st);
	return sysfs_emit(buf, "%lld\n", sum);
}

static struct stat_attr cpu_stats[GOTIMER_NR_STATS];
static struct stat_attr total_stats[GOTIMER_NR_STATS];

/* @a: the attribute of row @st, reading it with @show. */
static struct attribute *stat_attr_init(struct stat_attr *a,
					enum gotimer_stat_id st,
					ssize_t (*show)(struct kobject *,
							struct kobj_attribute *,
							char *))
{
	sysfs_attr_init(&a->attr.attr);
	a->attr.attr.name = gotimer_stat_rows[st].name;
	a->attr.attr.mode = 0444;
	a->attr.show = show;
	a->st = st;
	return &a->attr.attr;
}

static ssize_t online_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct cpu_dir *d = container_of(kobj, struct cpu_dir, kobj);

	return sysfs_emit(buf, "%d\n", cpu_online(d->cpu));
}

static struct kobj_attribute cpu_online_attr = __ATTR_RO(online);

/* online, then the rows; filled by gotimer_sysfs_init(). */
static struct attribute *cpu_attrs[1 + GOTIMER_NR_STATS + 1];
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
	struct gotimer_base *b;
	unsigned int val;
	int cpu, bad, ret;

	ret = kstrtouint(buf, 10, &val);
	if (ret)
		return ret;
	if (val != 1)
		return -EINVAL;
	ret = count;
	for_each_possible_cpu(cpu) {
		for_each_cpu_base(b, cpu) {
			raw_spin_lock(&b->lock);
			bad = gotimer_heap_verify(&b->heap);
			raw_spin_unlock(&b->lock);
			if (bad >= 0) {
				pr_err("gotimer: verify: cpu %d %sheap broken at slot %d\n",
				       cpu, b->unpinned ? "unpinned " : "", bad);
				ret = -EUCLEAN;
			}
		}
	}
	return ret;
}

static struct kobj_attribute verify_attr = __ATTR_WO(verify);

/* verify, bad_timers, worker_demotions, then the sums; see above. */
static struct attribute *top_attrs[3 + GOTIMER_NR_STATS + 1];

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
	unsigned int i, n = 0;
	int cpu, ret;

	cpu_attrs[0] = &cpu_online_attr.attr;
	top_attrs[n++] = &verify_attr.attr;
	top_attrs[n++] = &bad_timers_attr.attr;
	top_attrs[n++] = &worker_demotions_attr.attr;
	for (i = 0; i < GOTIMER_NR_STATS; i++) {
		cpu_attrs[1 + i] = stat_attr_init(&cpu_stats[i], i, cpu_stat_show);
		if (gotimer_stat_rows[i].total)
			top_attrs[n++] = stat_attr_init(&total_stats[i], i,
							total_stat_show);
	}
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
