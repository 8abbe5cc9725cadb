// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU values of /sys/kernel/gotimer, declared once (stats.h).
 */
#include <linux/export.h>
#include <linux/stddef.h>
#include "stats.h"

#define BASE_ROW(nm, field, how, sum)					\
	{ .name = nm, .where = GOTIMER_IN_BASE, .read = how,		\
	  .offset = offsetof(struct gotimer_base, field), .total = sum }
#define UBASE_ROW(nm, field, how)					\
	{ .name = nm, .where = GOTIMER_IN_UNPINNED_BASE, .read = how,	\
	  .offset = offsetof(struct gotimer_base, field), .total = true }
#define POOL_ROW(nm, field, how)					\
	{ .name = nm, .where = GOTIMER_IN_POOL, .read = how,		\
	  .offset = offsetof(struct gotimer_pool, field), .total = true }

const struct gotimer_stat_row gotimer_stat_rows[GOTIMER_NR_STATS] = {
	[GOTIMER_STAT_TIMERS] =
		BASE_ROW("timers", ntimers, GOTIMER_READ_ATOMIC, true),
	[GOTIMER_STAT_STOPPED] =
		BASE_ROW("stopped", deleted, GOTIMER_READ_ATOMIC, true),
	[GOTIMER_STAT_NEXT_WHEN] =
		BASE_ROW("next_when_ns", timer0_when, GOTIMER_READ_ATOMIC64, false),
	[GOTIMER_STAT_MODIFIED_EARLIEST] =
		BASE_ROW("modified_earliest_ns", modified_earliest,
			 GOTIMER_READ_ATOMIC64, false),
	[GOTIMER_STAT_FIRED] =
		BASE_ROW("fired", fired, GOTIMER_READ_LOCKED, true),
	[GOTIMER_STAT_MOVED_IN] =
		BASE_ROW("moved_in", moved_in, GOTIMER_READ_LOCKED, true),
	[GOTIMER_STAT_MOVED_OUT] =
		BASE_ROW("moved_out", moved_out, GOTIMER_READ_LOCKED, true),
	[GOTIMER_STAT_ADJUSTED] =
		BASE_ROW("adjusted", adjusted, GOTIMER_READ_LOCKED, true),
	[GOTIMER_STAT_CORRUPT] =
		BASE_ROW("corrupt", corrupt, GOTIMER_READ_ATOMIC_LONG, true),
	[GOTIMER_STAT_WAKEUPS] =
		POOL_ROW("wakeups", wakeups, GOTIMER_READ_ONCE),
	[GOTIMER_STAT_MISSED_WAKES] =
		BASE_ROW("missed_wakes", missed_wakes, GOTIMER_READ_ATOMIC_LONG, true),
	[GOTIMER_STAT_TAKEOVERS] =
		POOL_ROW("takeovers", takeovers, GOTIMER_READ_LOCKED),
	[GOTIMER_STAT_POSTPONED] =
		BASE_ROW("postponed", postponed, GOTIMER_READ_LOCKED, true),
	[GOTIMER_STAT_UNPINNED_TIMERS] =
		UBASE_ROW("unpinned_timers", ntimers, GOTIMER_READ_ATOMIC),
	[GOTIMER_STAT_UNPINNED_FIRED] =
		UBASE_ROW("unpinned_fired", fired, GOTIMER_READ_LOCKED),
	[GOTIMER_STAT_STOLEN] =
		UBASE_ROW("stolen", stolen, GOTIMER_READ_LOCKED),
	[GOTIMER_STAT_STEAL_REQUESTS] =
		POOL_ROW("steal_requests", steal_requests, GOTIMER_READ_ONCE),
};

/* Read @row's field at @p as the row says. */
static s64 stat_read(const struct gotimer_stat_row *row, const void *p)
{
	const void *f = p + row->offset;

	switch (row->read) {
	case GOTIMER_READ_ATOMIC:
		return atomic_read(f);
	case GOTIMER_READ_ATOMIC64:
		return atomic64_read(f);
	case GOTIMER_READ_ATOMIC_LONG:
		return atomic_long_read(f);
	case GOTIMER_READ_ONCE:
		return READ_ONCE(*(const unsigned long *)f);
	case GOTIMER_READ_LOCKED:
		/* benign: a stale snapshot of a counter kept under a lock */
		return data_race(*(const unsigned long *)f);
	}
	return 0;
}

/**
 * gotimer_stat() - one per-CPU value of /sys/kernel/gotimer
 * @cpu: a possible CPU
 * @st: its row, an enum gotimer_stat_id
 *
 * What cpuN/NAME shows; the tests and the missed-wake detector read the
 * counters this way too, instead of reaching into a base or a pool.
 *
 * Return: the value, read without the heap lock as its row says; 0 for an
 * unknown row.
 */
s64 gotimer_stat(int cpu, unsigned int st)
{
	const struct gotimer_stat_row *row;
	const void *p;

	if (st >= GOTIMER_NR_STATS)
		return 0;
	row = &gotimer_stat_rows[st];
	switch (row->where) {
	case GOTIMER_IN_BASE:
		p = gotimer_cpu_base(cpu);
		break;
	case GOTIMER_IN_UNPINNED_BASE:
		p = gotimer_cpu_unpinned_base(cpu);
		break;
	default:
		p = per_cpu_ptr(&gotimer_pools, cpu);
		break;
	}
	return stat_read(row, p);
}
EXPORT_SYMBOL_NS_GPL(gotimer_stat, GOTIMER_INTERNAL);
