// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/gotimer: timer_list, every timer in every CPU's heap in
 * the manner of /proc/timer_list, and lateness, each CPU's histogram of how
 * late its callbacks were called.  Root only.
 *
 * timer_list must cope with a heap of a million timers, and the heap lock
 * is the raw spinlock the worker takes to fire them: it is never held
 * across the dump, nor across a page of output, and never while anything
 * sleeps.  The dump copies the fields of at most TL_CHUNK slots under the
 * lock into the reader's buffer, drops the lock, prints them (seq_file
 * fills at most one buffer, a page, per read()), and takes the next chunk
 * from the next slot index.  Under the heap lock a timer of the heap
 * cannot be freed (gotimer_stop_sync() takes it out under that lock first),
 * so its fields may be read then; no timer is touched after the lock is
 * dropped.  Between two chunks timers fire, come, go and move between
 * slots (a sift), so the dump is a best-effort snapshot: a timer may be
 * shown twice or not at all, as the header line says.
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/kallsyms.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "stats.h"

/* Slots copied per section under the heap lock. */
#define TL_CHUNK	64

static struct dentry *gotimer_debugfs_dir;

/* One slot's fields, as copied under the heap lock. */
struct tl_entry {
	s64 when;
	s64 nextwhen;
	s64 period;
	gotimer_func_t f;
	void *arg;
	unsigned int slot;
	unsigned int status;
};

/**
 * struct tl_iter - a reader of timer_list
 * @base_of: the CPU's base this file shows: pinned (timer_list) or
 *	unpinned (unpinned_timer_list)
 * @now: the clock when the dump started: every time is shown relative to it
 * @cpu: whose slots @snap holds, -1 for none
 * @first: the slot of @snap[0]
 * @n: entries in @snap
 * @line_cpu: the CPU of the base line being shown
 * @fname_of: the callback whose name @fname holds, so that a heap of timers
 *	with one callback costs one symbol lookup, not one per line
 * @fname: "%ps" of @fname_of
 * @snap: the current chunk
 *
 * Positions: 0 is the header; (cpu + 1) << 32 is @cpu's base line, and
 * ((cpu + 1) << 32) + 1 + slot is that slot.
 */
struct tl_iter {
	struct gotimer_base *(*base_of)(int cpu);
	s64 now;
	int cpu;
	unsigned int first;
	unsigned int n;
	int line_cpu;
	gotimer_func_t fname_of;
	char fname[KSYM_SYMBOL_LEN];
	struct tl_entry snap[TL_CHUNK];
};

#define TL_POS(cpu, rec)	((((loff_t)(cpu) + 1) << 32) | (rec))
#define TL_POS_CPU(pos)		((unsigned int)((pos) >> 32) - 1)
#define TL_POS_REC(pos)		((u32)(pos))

/*
 * Copy up to TL_CHUNK slots of @cpu's heap from @slot on.  The only place
 * the dump takes the heap lock: a bounded section that neither sleeps nor
 * prints.
 */
static unsigned int tl_take_chunk(struct tl_iter *it, int cpu, unsigned int slot)
{
	struct gotimer_base *base = it->base_of(cpu);
	struct gotimer_heap *h = &base->heap;
	unsigned int i, n = 0;

	cond_resched();		/* between chunks: a million timers take a while */
	raw_spin_lock(&base->lock);
	if (slot < h->len)
		n = min_t(unsigned int, h->len - slot, TL_CHUNK);
	for (i = 0; i < n; i++) {
		struct gotimer *t = gotimer_heap_at(h, slot + i);
		struct tl_entry *e = &it->snap[i];
		/*
		 * benign: a lazy modify or stop changes the fields under the
		 * timer's status lock alone, which is not taken here, so a dump
		 * may show a timer in the middle of such a change (on a 32-bit
		 * CPU even a when half-written): it is only printed.
		 */
		struct gotimer c = data_race(*t);

		e->slot = slot + i;
		e->status = atomic_read(&t->status);
		e->when = c.when;
		e->nextwhen = c.nextwhen;
		e->period = c.period;
		e->f = c.f;
		e->arg = c.arg;
	}
	raw_spin_unlock(&base->lock);
	it->cpu = cpu;
	it->first = slot;
	it->n = n;
	return n;
}

/* The record at *@pos, or the next one after it if that is gone. */
static void *tl_seek(struct tl_iter *it, loff_t *pos)
{
	for (;;) {
		unsigned int cpu = TL_POS_CPU(*pos), rec = TL_POS_REC(*pos), slot;

		if (cpu >= nr_cpu_ids)
			return NULL;
		if (!cpu_possible(cpu)) {
			cpu = cpumask_next(cpu, cpu_possible_mask);
			if (cpu >= nr_cpu_ids)
				return NULL;
			*pos = TL_POS(cpu, 0);
			rec = 0;
		}
		if (rec == 0) {
			it->line_cpu = cpu;
			return &it->line_cpu;
		}
		slot = rec - 1;
		if (it->cpu == cpu && slot >= it->first && slot < it->first + it->n)
			return &it->snap[slot - it->first];
		if (tl_take_chunk(it, cpu, slot))
			return &it->snap[0];
		*pos = TL_POS(cpu + 1, 0);	/* past the end of this heap */
	}
}

static void *tl_start(struct seq_file *m, loff_t *pos)
{
	struct tl_iter *it = m->private;

	if (*pos == 0) {
		it->now = gotimer_now();
		it->cpu = -1;
		return SEQ_START_TOKEN;
	}
	return tl_seek(it, pos);
}

static void *tl_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct tl_iter *it = m->private;

	if (v == SEQ_START_TOKEN)
		*pos = TL_POS(0, 0);
	else
		++*pos;
	return tl_seek(it, pos);
}

static void tl_stop(struct seq_file *m, void *v)
{
}

/* " KEY: +N ns" relative to the dump's now, or " KEY: NONE" for 0. */
static void tl_rel(struct seq_file *m, struct tl_iter *it, const char *key,
		   s64 t, const char *none)
{
	if (t == 0)
		seq_printf(m, " %s: %s\n", key, none);
	else
		seq_printf(m, " %s: %+lld ns\n", key, t - it->now);
}

static const char * const tl_status_names[GOTIMER_NR_STATUS] = {
	[GOTIMER_REMOVED]	= "removed",
	[GOTIMER_WAITING]	= "waiting",
	[GOTIMER_LOCKED]	= "locked",
	[GOTIMER_MODIFIED]	= "modified",
};

/*
 * The counters of gotimer_stat_rows[] (stats.h) of the kind of base @b is,
 * pinned (with the pool's) or unpinned; the heap's own values are shown
 * above, the times relative.
 */
static void tl_show_counters(struct seq_file *m, struct gotimer_base *b,
			     int cpu)
{
	unsigned int i;

	for (i = 0; i < GOTIMER_NR_STATS; i++) {
		const struct gotimer_stat_row *row = &gotimer_stat_rows[i];
		bool unpinned = row->where == GOTIMER_IN_UNPINNED_BASE;

		if (unpinned != b->unpinned || !row->total ||
		    i == GOTIMER_STAT_TIMERS || i == GOTIMER_STAT_STOPPED ||
		    i == GOTIMER_STAT_UNPINNED_TIMERS)
			continue;
		seq_printf(m, " %s: %lld\n", row->name, gotimer_stat(cpu, i));
	}
}

/*
 * The base's counters, read without the heap lock as sysfs reads them:
 * each a word-sized snapshot that may be a little stale.
 */
static void tl_show_base(struct seq_file *m, struct tl_iter *it, int cpu)
{
	struct gotimer_base *b = it->base_of(cpu);
	struct task_struct *task = gotimer_runner_task(cpu);
	bool in_cb;
	unsigned int runner = gotimer_runner_slot(cpu, &in_cb);
	s64 wake_at = atomic64_read(&b->wake_at);

	seq_printf(m, "cpu: %d%s\n", cpu, cpu_online(cpu) ? "" : " (offline)");
	seq_printf(m, " timers: %d\n", atomic_read(&b->ntimers));
	seq_printf(m, " stopped: %d\n", atomic_read(&b->deleted));
	tl_rel(m, it, "next_when", atomic64_read(&b->timer0_when), "none");
	tl_rel(m, it, "modified_earliest",
	       atomic64_read(&b->modified_earliest), "none");
	if (task)
		seq_printf(m, " runner: %u pid %d state %c %s\n", runner,
			   task_pid_nr(task), task_state_to_char(task),
			   in_cb ? "in-callback" :
			   wake_at ? "asleep" : "running");
	else
		seq_puts(m, " runner: none\n");
	if (wake_at == S64_MAX)
		seq_puts(m, " wake_at: never (no timer)\n");
	else
		tl_rel(m, it, "wake_at", wake_at, "awake");
	tl_show_counters(m, b, cpu);
}

static void tl_show_entry(struct seq_file *m, struct tl_iter *it,
			  const struct tl_entry *e)
{
	const char *status = e->status < GOTIMER_NR_STATUS ?
			     tl_status_names[e->status] : "corrupt";

	if (e->f != it->fname_of || !it->fname[0]) {
		snprintf(it->fname, sizeof(it->fname), "%ps", e->f);
		it->fname_of = e->f;
	}
	seq_printf(m, " #%u: %s, when %+lld ns", e->slot, status,
		   e->when - it->now);
	if (e->status == GOTIMER_MODIFIED && e->nextwhen)
		seq_printf(m, ", nextwhen %+lld ns", e->nextwhen - it->now);
	else if (e->status == GOTIMER_MODIFIED)
		seq_puts(m, ", stopped");
	seq_printf(m, ", period %lld ns, %s, arg %p\n", e->period, it->fname,
		   e->arg);
}

static int tl_show(struct seq_file *m, void *v)
{
	struct tl_iter *it = m->private;

	if (v == SEQ_START_TOKEN) {
		seq_printf(m, "gotimer timer_list: a best-effort snapshot, taken %u slots at a time under each heap lock; timers fire, come, go and move between slots meanwhile\n",
			   TL_CHUNK);
		seq_printf(m, "now at %lld nsecs\n", it->now);
		return 0;
	}
	if (v == &it->line_cpu)
		tl_show_base(m, it, it->line_cpu);
	else
		tl_show_entry(m, it, v);
	return 0;
}

static const struct seq_operations tl_seq_ops = {
	.start	= tl_start,
	.next	= tl_next,
	.stop	= tl_stop,
	.show	= tl_show,
};

static int tl_open(struct inode *inode, struct file *file)
{
	struct tl_iter *it = __seq_open_private(file, &tl_seq_ops, sizeof(*it));

	if (!it)
		return -ENOMEM;
	it->base_of = inode->i_private ? gotimer_cpu_unpinned_base : gotimer_cpu_base;
	it->now = gotimer_now();
	it->cpu = -1;
	return 0;
}

static const struct file_operations tl_fops = {
	.owner		= THIS_MODULE,
	.open		= tl_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= seq_release_private,
};

/* lateness: one record per possible CPU after a header; pos 0 = header. */
static void *late_seek(loff_t *pos)
{
	unsigned int cpu;

	if (*pos == 0)
		return SEQ_START_TOKEN;
	cpu = cpumask_next((int)*pos - 2, cpu_possible_mask);
	if (cpu >= nr_cpu_ids)
		return NULL;
	*pos = (loff_t)cpu + 1;
	return gotimer_cpu_base(cpu);
}

static void *late_start(struct seq_file *m, loff_t *pos)
{
	return late_seek(pos);
}

static void *late_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return late_seek(pos);
}

static void late_stop(struct seq_file *m, void *v)
{
}

static int late_show(struct seq_file *m, void *v)
{
	struct gotimer_base *base = v;
	struct gotimer_lateness l;
	unsigned int b;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "# callbacks per lateness bucket (delay_ns from its lower bound up to the next one), then the largest delay_ns\n");
		seq_puts(m, "floor_ns:");
		for (b = 0; b < GOTIMER_LATE_BUCKETS; b++)
			seq_printf(m, " %llu", gotimer_late_bucket_floor(b));
		seq_puts(m, "\n");
		return 0;
	}
	/* 33 words under the lock: a consistent row, and no race with run_head() */
	raw_spin_lock(&base->lock);
	l = base->late;
	raw_spin_unlock(&base->lock);
	seq_printf(m, "cpu%d:", base->cpu);
	for (b = 0; b < GOTIMER_LATE_BUCKETS; b++)
		seq_printf(m, " %lu", l.count[b]);
	seq_printf(m, " max %lld\n", l.max);
	return 0;
}

static const struct seq_operations late_seq_ops = {
	.start	= late_start,
	.next	= late_next,
	.stop	= late_stop,
	.show	= late_show,
};

static int late_open(struct inode *inode, struct file *file)
{
	return seq_open(file, &late_seq_ops);
}

/* Writing "0" or "reset" clears every CPU's histogram and maximum. */
static ssize_t late_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	char buf[8];
	int cpu;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (!sysfs_streq(buf, "0") && !sysfs_streq(buf, "reset"))
		return -EINVAL;
	for_each_possible_cpu(cpu) {
		struct gotimer_base *base = gotimer_cpu_base(cpu);

		raw_spin_lock(&base->lock);
		memset(&base->late, 0, sizeof(base->late));
		raw_spin_unlock(&base->lock);
	}
	return count;
}

static const struct file_operations late_fops = {
	.owner		= THIS_MODULE,
	.open		= late_open,
	.read		= seq_read,
	.write		= late_write,
	.llseek		= seq_lseek,
	.release	= seq_release,
};

/**
 * gotimer_debugfs_init() - create /sys/kernel/debug/gotimer
 *
 * Called once the bases exist.  A failure (no debugfs) only means no
 * debugging files: not an error.
 */
void gotimer_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("gotimer", NULL);

	if (IS_ERR(dir))
		return;
	debugfs_create_file("timer_list", 0400, dir, NULL, &tl_fops);
	/* Any non-NULL data: the unpinned bases (tl_open()). */
	debugfs_create_file("unpinned_timer_list", 0400, dir, dir, &tl_fops);
	debugfs_create_file("lateness", 0600, dir, NULL, &late_fops);
	gotimer_debugfs_dir = dir;
}

/**
 * gotimer_debugfs_exit() - remove /sys/kernel/debug/gotimer
 *
 * Before the workers stop: debugfs_remove_recursive() waits for readers
 * still inside a file operation.
 */
void gotimer_debugfs_exit(void)
{
	debugfs_remove_recursive(gotimer_debugfs_dir);
	gotimer_debugfs_dir = NULL;
}
