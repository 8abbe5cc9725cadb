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
#include <linux/lockdep_types.h>

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
#ifdef CONFIG_LOCKDEP
	/* its callback, held by the worker around it (gotimer_init()) */
	struct lockdep_map lockdep_map;
#endif
};

void __gotimer_init(struct gotimer *t, const char *name,
		    struct lock_class_key *key);
int __gotimer_init_flags(struct gotimer *t, unsigned int flags,
			 const char *name, struct lock_class_key *key);

/**
 * gotimer_init() - make @t a valid idle timer
 * @t: the timer
 *
 * Equivalent to zero-filling it, which also makes a shut-down timer
 * (gotimer_shutdown()) usable again, and gives @t the lockdep class of
 * this call site, as timer_setup() does: with CONFIG_PROVE_LOCKING the
 * worker holds that class around @t's callback and gotimer_stop_sync()
 * takes it, so that stop_sync under a lock the callback takes is reported
 * the first time both orders are seen, and stop_sync under a lock only
 * another class's callbacks take is not.  A zero-filled timer never given
 * to gotimer_init() has no class and is not checked.  Must not be used on
 * a pending timer.
 */
#define gotimer_init(t)							\
	do {								\
		static struct lock_class_key __key;			\
									\
		__gotimer_init((t), #t, &__key);			\
	} while (0)

/**
 * gotimer_init_flags() - make @t a valid idle timer with @flags
 * @t: the timer
 * @flags: 0 (as gotimer_init()), or GOTIMER_UNPINNED: @t may fire on any
 *	online CPU, run by whichever CPU's worker is free when its own CPU's
 *	are busy, asleep in a callback or kept off the CPU
 *
 * As gotimer_init(), lockdep class included, with @flags: as
 * timer_setup()'s TIMER_PINNED, but the other way round: a zero-filled
 * timer stays pinned.  Must not be used on a pending timer, nor on one
 * whose callback may still run (gotimer_stop_sync() it first).
 *
 * Return: 0, or -EINVAL for an unknown flag (@t is then unchanged).
 */
#define gotimer_init_flags(t, flags)					\
	({								\
		static struct lock_class_key __key;			\
									\
		__gotimer_init_flags((t), (flags), #t, &__key);		\
	})

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
