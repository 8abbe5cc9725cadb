/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gotimer trace events, in the style of include/trace/events/timer.h:
 * /sys/kernel/tracing/events/gotimer/.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM gotimer

#if !defined(_GOTIMER_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _GOTIMER_TRACE_H

#include <linux/tracepoint.h>

#define show_gotimer_status(s)					\
	__print_symbolic(s,					\
			 { 0, "Removed" },			\
			 { 1, "Waiting" },			\
			 { 2, "Locked" },			\
			 { 3, "Modified" })

/**
 * gotimer_modify - called when a timer is armed or re-armed
 * @t:		the timer
 * @cpu:	the CPU whose heap holds it (-1 for a private base)
 * @old:	its status before
 * @new:	its status after
 * @when:	the time asked for
 * @period:	the period asked for
 */
TRACE_EVENT(gotimer_modify,
	TP_PROTO(struct gotimer *t, int cpu, int old, int new, s64 when, s64 period),
	TP_ARGS(t, cpu, old, new, when, period),
	TP_STRUCT__entry(
		__field(void *, timer)
		__field(int, cpu)
		__field(int, old)
		__field(int, new)
		__field(s64, when)
		__field(s64, period)
	),
	TP_fast_assign(
		__entry->timer = t;
		__entry->cpu = cpu;
		__entry->old = old;
		__entry->new = new;
		__entry->when = when;
		__entry->period = period;
	),
	TP_printk("timer=%p cpu=%d %s -> %s when=%lld period=%lld",
		  __entry->timer, __entry->cpu, show_gotimer_status(__entry->old),
		  show_gotimer_status(__entry->new), __entry->when, __entry->period)
);

/**
 * gotimer_stop - called when a timer is stopped
 * @t:		the timer
 * @old:	its status before
 * @pending:	whether it was pending
 */
TRACE_EVENT(gotimer_stop,
	TP_PROTO(struct gotimer *t, int old, bool pending),
	TP_ARGS(t, old, pending),
	TP_STRUCT__entry(
		__field(void *, timer)
		__field(int, old)
		__field(bool, pending)
	),
	TP_fast_assign(
		__entry->timer = t;
		__entry->old = old;
		__entry->pending = pending;
	),
	TP_printk("timer=%p was %s pending=%d", __entry->timer,
		  show_gotimer_status(__entry->old), __entry->pending)
);

/**
 * gotimer_expire_entry - called right before a timer's callback runs
 * @t:		the timer
 * @f:		its callback
 * @cpu:	the CPU of the heap that held it (-1 for a private base)
 * @when:	the time it was due
 * @delay_ns:	how late the callback is
 *
 * As timer_expire_entry and hrtimer_expire_entry: with
 * gotimer_expire_exit it brackets the callback, and names its function.
 */
TRACE_EVENT(gotimer_expire_entry,
	TP_PROTO(struct gotimer *t, gotimer_func_t f, int cpu, s64 when,
		 s64 delay_ns),
	TP_ARGS(t, f, cpu, when, delay_ns),
	TP_STRUCT__entry(
		__field(void *, timer)
		__field(void *, function)
		__field(int, cpu)
		__field(s64, when)
		__field(s64, delay_ns)
	),
	TP_fast_assign(
		__entry->timer = t;
		__entry->function = f;
		__entry->cpu = cpu;
		__entry->when = when;
		__entry->delay_ns = delay_ns;
	),
	TP_printk("timer=%p function=%ps cpu=%d when=%lld delay_ns=%lld",
		  __entry->timer, __entry->function, __entry->cpu,
		  __entry->when, __entry->delay_ns)
);

/**
 * gotimer_expire_exit - called right after a timer's callback returned
 * @t:		the timer's address, only recorded: the callback may have
 *		freed it
 */
TRACE_EVENT(gotimer_expire_exit,
	TP_PROTO(struct gotimer *t),
	TP_ARGS(t),
	TP_STRUCT__entry(
		__field(void *, timer)
	),
	TP_fast_assign(
		__entry->timer = t;
	),
	TP_printk("timer=%p", __entry->timer)
);

/**
 * gotimer_move - called when a dead CPU's heap moved to a live one
 * @from:	the dead CPU
 * @to:		the receiving CPU
 * @moved:	timers moved
 * @dropped:	stopped timers dropped
 */
TRACE_EVENT(gotimer_move,
	TP_PROTO(int from, int to, unsigned int moved, unsigned int dropped),
	TP_ARGS(from, to, moved, dropped),
	TP_STRUCT__entry(
		__field(int, from)
		__field(int, to)
		__field(unsigned int, moved)
		__field(unsigned int, dropped)
	),
	TP_fast_assign(
		__entry->from = from;
		__entry->to = to;
		__entry->moved = moved;
		__entry->dropped = dropped;
	),
	TP_printk("cpu%d -> cpu%d moved=%u dropped=%u", __entry->from,
		  __entry->to, __entry->moved, __entry->dropped)
);

#endif /* _GOTIMER_TRACE_H */

/* Out of tree: the header lives beside the sources. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE gotimer_trace
#include <trace/define_trace.h>
