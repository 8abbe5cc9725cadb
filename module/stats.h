/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every per-CPU value gotimer shows in sysfs, declared once, as a row of
 * gotimer_stat_rows[] (stats.c): its file name, which of the CPU's bases
 * (or its pool) holds it, how it is read, and whether the top directory
 * shows its sum.  sysfs.c makes /sys/kernel/gotimer/cpuN/NAME of each row
 * and /sys/kernel/gotimer/NAME of each summed one; debugfs.c prints the
 * counters in timer_list; the tests read them with gotimer_stat();
 * scripts/check-abi checks that Documentation/ABI/testing/
 * sysfs-kernel-gotimer describes exactly these files.  A new value is one
 * enum entry here, one row in stats.c and one entry in the ABI file.
 */
#ifndef _GOTIMER_STATS_H
#define _GOTIMER_STATS_H

#include "pool.h"

/* The rows, in the order of gotimer_stat_rows[] (and of the files). */
enum gotimer_stat_id {
	GOTIMER_STAT_TIMERS,
	GOTIMER_STAT_STOPPED,
	GOTIMER_STAT_NEXT_WHEN,
	GOTIMER_STAT_MODIFIED_EARLIEST,
	GOTIMER_STAT_FIRED,
	GOTIMER_STAT_MOVED_IN,
	GOTIMER_STAT_MOVED_OUT,
	GOTIMER_STAT_ADJUSTED,
	GOTIMER_STAT_CORRUPT,
	GOTIMER_STAT_WAKEUPS,
	GOTIMER_STAT_MISSED_WAKES,
	GOTIMER_STAT_TAKEOVERS,
	GOTIMER_STAT_POSTPONED,
	GOTIMER_STAT_UNPINNED_TIMERS,
	GOTIMER_STAT_UNPINNED_FIRED,
	GOTIMER_STAT_STOLEN,
	GOTIMER_STAT_STEAL_REQUESTS,
	GOTIMER_NR_STATS
};

/*
 * How a value is read without the heap lock: an atomic as the core reads
 * it; a counter only one thread writes (WRITE_ONCE()) with READ_ONCE(); a
 * counter written under the heap lock as a plain word, marked as a data
 * race: a word-sized snapshot that is a little stale is all a reader of a
 * counter gets anyway.
 */
enum gotimer_stat_read {
	GOTIMER_READ_ATOMIC,		/* atomic_t */
	GOTIMER_READ_ATOMIC64,		/* atomic64_t */
	GOTIMER_READ_ATOMIC_LONG,	/* atomic_long_t */
	GOTIMER_READ_ONCE,		/* unsigned long, one writer */
	GOTIMER_READ_LOCKED,		/* unsigned long, under the heap lock */
};

/* Where a row's field is. */
enum gotimer_stat_where {
	GOTIMER_IN_BASE,		/* the CPU's pinned base */
	GOTIMER_IN_UNPINNED_BASE,	/* its unpinned base */
	GOTIMER_IN_POOL,		/* its pool */
};

/**
 * struct gotimer_stat_row - one per-CPU value of /sys/kernel/gotimer
 * @name: the file name, in cpuN/ (and at the top if @total)
 * @where: which structure of the CPU holds it
 * @read: how it is read
 * @offset: its offset in that structure
 * @total: the top directory shows its sum over the possible CPUs (a
 *	counter; not for a time)
 */
struct gotimer_stat_row {
	const char *name;
	enum gotimer_stat_where where;
	enum gotimer_stat_read read;
	size_t offset;
	bool total;
};

extern const struct gotimer_stat_row gotimer_stat_rows[GOTIMER_NR_STATS];

#endif /* _GOTIMER_STATS_H */
