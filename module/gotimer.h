/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gotimer - Go runtime style timers for kernel modules.
 *
 * Each CPU owns a 4-ary min-heap of timers run by a per-CPU kernel thread
 * "gotimer/N".  Modifying or stopping a timer that already sits in a heap is
 * O(1) and lazy: it only changes the timer, never the heap.  See
 * Documentation/gotimer.rst for the design and the state machine.
 *
 * This is the only header other modules include.
 */
#ifndef _GOTIMER_H
#define _GOTIMER_H

#include <linux/types.h>
#include <linux/atomic.h>

/**
 * typedef gotimer_func_t - a gotimer callback
 * @arg: the @arg given to gotimer_modify()
 * @seq: the @seq given to gotimer_modify()
 * @delay_ns: how late the call is: now - when, never negative
 *
 * Runs in task context, in a "gotimer/N" kernel thread, with no gotimer
 * lock held: on the CPU whose heap holds the timer, or, for a timer made
 * with GOTIMER_UNPINNED, on any online CPU.  It may sleep and may call any
 * gotimer function on any timer, its own included.
 */
typedef void (*gotimer_func_t)(void *arg, uintptr_t seq, s64 delay_ns);

struct gotimer_base;
struct gotimer_worker;

/*
 * GOTIMER_UNPINNED - the timer may fire on any online CPU (gotimer_init_flags())
 *
 * Without it (a zero-filled timer) a timer fires on the CPU that armed it,
 * or where its callback last ran.  An unpinned timer is queued on the
 * arming CPU too, but when that CPU's workers are busy, asleep in a
 * callback or kept off the CPU by a higher-priority task, another CPU's
 * worker runs it (Documentation/gotimer.rst, "Unpinned timers").
 */
#define GOTIMER_UNPINNED	0x1U
#define GOTIMER_FLAGS_MASK	GOTIMER_UNPINNED

/**
 * struct gotimer - a timer
 *
 * A zero-filled struct gotimer is a valid idle timer.  All fields belong to
 * gotimer: use the functions below.
 */
struct gotimer {
	/* private: */
	atomic_t status;		/* enum gotimer_status, also the lock */
	unsigned int idx;		/* slot in base's heap, under its lock */
	unsigned int flags;		/* GOTIMER_UNPINNED, set while idle; shut down */
	struct gotimer_base *base;	/* owner heap, NULL if in none */
	struct gotimer_base *run_base;	/* where its callback last ran */
	struct gotimer_worker *run_worker; /* the worker that ran it there */
	s64 when;			/* heap key */
	s64 period;			/* 0 = one-shot */
	/* Modified: the new when, 0 = stopped; Waiting: when before [S18] or 0 */
	s64 nextwhen;
	gotimer_func_t f;
	void *arg;
	uintptr_t seq;
};

void gotimer_init(struct gotimer *t);
int gotimer_init_flags(struct gotimer *t, unsigned int flags);
s64 gotimer_now(void);
int gotimer_modify(struct gotimer *t, s64 when, s64 period,
		   gotimer_func_t f, void *arg, uintptr_t seq);
int gotimer_reset(struct gotimer *t, s64 when);
bool gotimer_stop(struct gotimer *t);
bool gotimer_stop_sync(struct gotimer *t);
bool gotimer_pending(const struct gotimer *t);
bool gotimer_shutdown(struct gotimer *t);
bool gotimer_shutdown_sync(struct gotimer *t);
int gotimer_reserve(unsigned int n);

#endif /* _GOTIMER_H */
