// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: transition table
 *
 * The per-timer status word, which doubles as the timer's lock (Go:
 * timer.lock/unlock and badTimer).
 *
 * Transition table.  This is the one copy; code and tests cite the rows.
 * "Locked" is held only between gotimer_status_lock() and an unlock, with
 * preemption off, and is never a row's result.  "pending" is what
 * gotimer_modify() and gotimer_stop() return: the timer was armed, not yet
 * run, not stopped.
 *
 * ===  =============  ===================  ===================  ===============================
 * row  operation      from                 to                   side effects
 * ===  =============  ===================  ===================  ===============================
 * S1   stop           Waiting              Modified nextwhen=0  deleted++; pending
 * S2   stop           Modified nextwhen>0  Modified nextwhen=0  deleted++; pending
 * S3   stop           Modified nextwhen=0  unchanged            not pending
 * S4   stop           Removed              Removed              not pending
 * S5   modify         Removed              Waiting              base = this CPU, idx = ADDING,
 *                                                               unlock; heap lock, lock again,
 *                                                               a Modified nextwhen>0 as S9,
 *                                                               add, unlock; preemption off
 *                                                               throughout
 * S6   modify         Waiting              Modified nextwhen=w  pending; if w < when: lower
 *                                                               modified_earliest, wake worker
 * S7   modify         Modified             Modified nextwhen=w  pending iff nextwhen was > 0
 *                                                               (else deleted--); earlier: S6
 * S8   clean head     Modified nextwhen=0  Removed              out of the heap, base = NULL,
 *                                                               deleted--
 * S9   clean head     Modified nextwhen>0  Waiting              when = nextwhen, nextwhen = 0,
 *                                                               sift down
 * S10  adjust (all)   Modified             Waiting or Removed   S9 / S8 for every slot, then
 *                                                               one O(n) heapify
 * S11  run one-shot   Waiting, due         Removed              out of the heap, base = NULL,
 *                                                               run_base = this base,
 *                                                               run_worker = w, w's
 *                                                               current_timer = t, callback
 * S12  run periodic   Waiting, due         Waiting              Go's catch-up when from the time
 *                                                               it was due (clamped to S64_MAX),
 *                                                               nextwhen = 0, sift down, run_base
 *                                                               and run_worker as S11, callback
 * S13  move           Waiting              Waiting              base = new, unlock, append
 * S14  move           Modified nextwhen>0  Waiting              when = nextwhen, nextwhen = 0,
 *                                                               then as S13
 * S15  move           Modified nextwhen=0  Removed              dropped, deleted--
 * S16  stop_sync      in base's heap       Removed              out of the heap, base = NULL
 * S17  modify         Removed, callback    Waiting              heap lock of run_base, then
 *                     running in another                        lock; base = run_base; add while
 *                     CPU's worker                              locked (one slot left free);
 *                                                               never concurrent with itself
 * S18  run            Waiting, due, its    Waiting              nextwhen = when unless set (the
 *                     callback still                            time it was due), when = now +
 *                     running in a worker                       takeover_us (saturated), sift
 *                                                               down; not run: never concurrent
 *                                                               with itself (run.c)
 * S19  run (stolen)   Waiting, due, in     Removed or Waiting   as S11 / S12 (S18 first), but
 *                     another CPU's                             run_base = the thief's own
 *                     unpinned base                             unpinned base, run_worker = the
 *                                                               thief; base unchanged (steal.c)
 * S20  shutdown       any                  as S1-S4             shut down (flags), then as
 *                                                               S1-S4 in the same section;
 *                                                               _sync: then as stop_sync
 * S21  modify         shut down            unchanged            refused: -ESHUTDOWN, nothing
 *                                                               changed (also S17's add)
 * ===  =============  ===================  ===================  ===============================
 *
 * A Waiting timer's nextwhen is 0, or the time it was due if S18 put it
 * off: S11 / S12 measure delay_ns and the next period from that time.
 *
 * "Shut down" is a flag beside the status (GOTIMER_SHUT_DOWN in ->flags),
 * set by S20 under the status lock and cleared only by gotimer_init():
 * every row that arms (S5, S6, S7, S17) is refused on a shut-down timer
 * (S21); the rows that stop, settle, run and move are unchanged.
 *
 * "move" runs when a CPU goes down (hotplug.c), "run" in the worker (run.c).
 * Unpinned timers (GOTIMER_UNPINNED) live only in unpinned bases, and their
 * run_base is always one; S5, S17 and the moves keep each kind in bases
 * of its kind.
 * Row S17 falls back to S5 when run_base is closed (->offline, hotplug.c).
 *
 * A Removed timer found in a heap, a timer whose base is not the heap that
 * holds it, or a status outside the enum is corruption: gotimer_bad_timer()
 * warns once, counts it, and the caller skips the timer without writing
 * through it.
 *
 * Lock order: base->lock (the heap lock), then a timer's status lock.  No
 * code holds two status locks at once.  S5 takes the status lock alone,
 * unlocks, then takes the heap lock and the status lock again for the add
 * (a modify or a stop may have come in between); S17 takes the heap lock,
 * then the status lock.
 */
#include "internal.h"

atomic_long_t gotimer_bad_timers = ATOMIC_LONG_INIT(0);
EXPORT_SYMBOL_NS_GPL(gotimer_bad_timers, GOTIMER_INTERNAL);

#ifdef CONFIG_DEBUG_LOCK_ALLOC
/*
 * One lockdep class for every timer's status lock, so PROVE_LOCKING checks
 * the order "heap lock, then status lock" as Go's lock ranking does.  It is
 * a spinning lock: nothing may sleep while holding it.
 */
static struct lock_class_key gotimer_status_key;
static struct lockdep_map gotimer_status_map = {
	.name = "gotimer_status",
	.key = &gotimer_status_key,
	.wait_type_inner = LD_WAIT_SPIN,
	.wait_type_outer = LD_WAIT_INV,
	.lock_type = LD_LOCK_NORMAL,
};

#define status_lock_acquire()	lock_map_acquire(&gotimer_status_map)
#define status_lock_release()	lock_map_release(&gotimer_status_map)
#else
#define status_lock_acquire()	do { } while (0)
#define status_lock_release()	do { } while (0)
#endif

/**
 * gotimer_bad_timer() - report a corrupt timer (Go: badTimer)
 * @base: the base where it was found, or NULL
 * @t: the timer (only its address is printed)
 * @why: what was wrong
 *
 * Warns once, counts.  The caller must not write through @t afterwards.
 */
void gotimer_bad_timer(struct gotimer_base *base, struct gotimer *t,
		       const char *why)
{
	atomic_long_inc(&gotimer_bad_timers);
	if (base)
		atomic_long_inc(&base->corrupt);
	WARN_ONCE(1, "gotimer: bad timer %p: %s\n", t, why);
}
EXPORT_SYMBOL_NS_GPL(gotimer_bad_timer, GOTIMER_INTERNAL);

/**
 * gotimer_status_lock() - lock a timer (Go: timer.lock)
 * @t: the timer
 *
 * Spins while another CPU holds @t, then disables preemption and claims it.
 * Preemption must stay off while @t is held: a task preempted while holding
 * it would leave any other task of its CPU spinning on it forever.
 *
 * Return: the status @t had.  GOTIMER_NR_STATUS if the status word is
 * corrupt; @t is then not locked and preemption is as it was.
 */
enum gotimer_status gotimer_status_lock(struct gotimer *t)
{
	int s;

	for (;;) {
		s = atomic_read(&t->status);
		if (s == GOTIMER_LOCKED) {
			cpu_relax();
			continue;
		}
		if (unlikely(s < 0 || s >= GOTIMER_NR_STATUS)) {
			gotimer_bad_timer(NULL, t, "status out of range");
			return GOTIMER_NR_STATUS;
		}
		preempt_disable();
		if (atomic_try_cmpxchg_acquire(&t->status, &s, GOTIMER_LOCKED))
			break;
		preempt_enable();
	}
	status_lock_acquire();
	return s;
}
EXPORT_SYMBOL_NS_GPL(gotimer_status_lock, GOTIMER_INTERNAL);

static __always_inline void status_set(struct gotimer *t, enum gotimer_status s)
{
	status_lock_release();
	if (unlikely(atomic_read(&t->status) != GOTIMER_LOCKED))
		gotimer_bad_timer(NULL, t, "unlock of a timer not locked");
	if (unlikely(s == GOTIMER_LOCKED || s >= GOTIMER_NR_STATUS)) {
		gotimer_bad_timer(NULL, t, "unlock to an invalid status");
		s = GOTIMER_REMOVED;
	}
	atomic_set_release(&t->status, s);
}

/**
 * gotimer_status_unlock() - unlock a timer and re-enable preemption
 * @t: a timer locked by gotimer_status_lock()
 * @s: its new status, never GOTIMER_LOCKED
 */
void gotimer_status_unlock(struct gotimer *t, enum gotimer_status s)
{
	status_set(t, s);
	preempt_enable();
}
EXPORT_SYMBOL_NS_GPL(gotimer_status_unlock, GOTIMER_INTERNAL);

/**
 * gotimer_status_unlock_keep_preempt() - unlock, leave preemption off
 * @t: a timer locked by gotimer_status_lock()
 * @s: its new status, never GOTIMER_LOCKED
 *
 * Go's "unlock with mp == nil": the caller re-enables preemption
 * itself, after the heap add that must not be separated from the unlock by
 * a migration to another CPU.
 */
void gotimer_status_unlock_keep_preempt(struct gotimer *t,
					enum gotimer_status s)
{
	status_set(t, s);
}
EXPORT_SYMBOL_NS_GPL(gotimer_status_unlock_keep_preempt, GOTIMER_INTERNAL);
