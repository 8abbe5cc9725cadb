/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every per-CPU value gotimer shows in sysfs, declared once.  sysfs.c makes
 * /sys/kernel/gotimer/cpuN/NAME of each row, and /sys/kernel/gotimer/NAME,
 * the sum over the possible CPUs, of each row with TOTAL 1; debugfs.c
 * prints the rows of a base in timer_list; scripts/check-abi checks that
 * Documentation/ABI/testing/sysfs-kernel-gotimer describes exactly these
 * files.  A new counter is one row here and one entry there.
 *
 * GOTIMER_BASE_STATS(X) calls X(NAME, BASE, TOTAL, READ) per row:
 *   NAME   the file name
 *   BASE   STAT_PINNED or STAT_UNPINNED: which of the CPU's two bases
 *   TOTAL  1 if the top directory has the sum, 0 if not (times)
 *   READ   how to read it from "struct gotimer_base *b" (the row's base)
 *          or "struct gotimer_pool *p" (the CPU's pool) without the heap
 *          lock: an atomic as the core reads it; a counter one thread
 *          writes with WRITE_ONCE() with READ_ONCE(); a counter written
 *          under the heap lock with data_race(), since a word-sized
 *          snapshot that is a little stale is all a reader gets anyway
 */
#ifndef _GOTIMER_STATS_H
#define _GOTIMER_STATS_H

#include "pool.h"

enum { STAT_PINNED, STAT_UNPINNED };

#define GOTIMER_BASE_STATS(X)						\
	X(timers,		STAT_PINNED,	1, atomic_read(&b->ntimers)) \
	X(stopped,		STAT_PINNED,	1, atomic_read(&b->deleted)) \
	X(next_when_ns,		STAT_PINNED,	0,			\
	  atomic64_read(&b->timer0_when))				\
	X(modified_earliest_ns,	STAT_PINNED,	0,			\
	  atomic64_read(&b->modified_earliest))				\
	X(fired,		STAT_PINNED,	1, data_race(b->fired))	\
	X(moved_in,		STAT_PINNED,	1, data_race(b->moved_in)) \
	X(moved_out,		STAT_PINNED,	1, data_race(b->moved_out)) \
	X(adjusted,		STAT_PINNED,	1, data_race(b->adjusted)) \
	X(corrupt,		STAT_PINNED,	1,			\
	  atomic_long_read(&b->corrupt))				\
	X(wakeups,		STAT_PINNED,	1, READ_ONCE(p->wakeups)) \
	X(missed_wakes,		STAT_PINNED,	1,			\
	  atomic_long_read(&b->missed_wakes))				\
	X(takeovers,		STAT_PINNED,	1, data_race(p->takeovers)) \
	X(postponed,		STAT_PINNED,	1, data_race(b->postponed)) \
	X(unpinned_timers,	STAT_UNPINNED,	1, atomic_read(&b->ntimers)) \
	X(unpinned_fired,	STAT_UNPINNED,	1, data_race(b->fired))	\
	X(stolen,		STAT_UNPINNED,	1, data_race(b->stolen)) \
	X(steal_requests,	STAT_UNPINNED,	1,			\
	  READ_ONCE(p->steal_requests))

enum gotimer_base_stat {
#define STAT_ID(name, base, total, read) GOTIMER_STAT_##name,
	GOTIMER_BASE_STATS(STAT_ID)
#undef STAT_ID
	GOTIMER_NR_BASE_STATS
};

/**
 * gotimer_base_stat_read() - one row of GOTIMER_BASE_STATS, read from @b
 * @b: the row's base (pinned or unpinned) of some CPU
 * @p: that CPU's pool
 * @st: the row
 *
 * Return: its value now, read as the row says.
 */
static inline s64 gotimer_base_stat_read(struct gotimer_base *b,
					 struct gotimer_pool *p,
					 enum gotimer_base_stat st)
{
	switch (st) {
#define STAT_READ(name, base, total, read) case GOTIMER_STAT_##name: return read;
	GOTIMER_BASE_STATS(STAT_READ)
#undef STAT_READ
	case GOTIMER_NR_BASE_STATS:
		break;
	}
	return 0;
}

#endif /* _GOTIMER_STATS_H */
