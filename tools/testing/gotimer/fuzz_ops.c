// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the input is a sequence of timer operations on a few
 * "CPUs" (gt_bases[]) and timers, run single-threaded on the fake clock.
 * Every operation's result is checked against a reference model, and after
 * every operation the whole state is checked against the model and against
 * the invariants of module/status.c's transition table.  A mismatch prints
 * the operation, timer and CPU and abort()s, which libFuzzer reports.
 *
 * The model keeps, per timer: pending or not, the CPU whose heap holds a
 * pending timer, its effective when, period, function and seq, and for a
 * stopped timer the one heap it may still sit in (a stopped timer is dropped
 * lazily, so the model lets the code choose when; it is then Removed).
 *
 *  - modify/reset return 1 iff pending, else 0 (-EINVAL for when <= 0,
 *    period < 0, reset of a timer never given a function; -ENOMEM when a
 *    heap must grow and allocation fails), and leave the timer pending at
 *    the new time: on the CPU that held it if it was pending or still sits
 *    stopped in a heap [S6, S7], else on the current CPU [S5].
 *  - stop returns true iff pending [S1-S4].
 *  - run-due on a CPU fires exactly the pending timers of that CPU whose
 *    effective when <= now, each once, earliest first, with delay_ns =
 *    now - when; one-shot ones end Removed [S11], periodic ones stay pending
 *    at when + period * (1 + (now - when) / period), clamped to S64_MAX
 *    [S12].  Nothing fires early or on another CPU.
 *  - move-all (hotplug.c's CPU-dead step: reserve, gotimer_base_move(),
 *    gotimer_base_release()) returns the number of pending timers of the
 *    dying CPU; they stay pending, same when, on the receiving CPU [S13,
 *    S14]; its stopped timers are dropped [S15] and its heap array freed.
 *    Without room it returns -ENOSPC and changes nothing.
 *  - settle (clean head / adjust) changes no timer's pending state or time
 *    [S8-S10].
 *
 * The checks after each operation: each heap's order and idx
 * (gotimer_heap_verify()), every slot a Waiting or Modified timer owned by
 * that heap, deleted/ntimers/timer0_when/modified_earliest consistent with
 * the heap, no timer Locked, no warning or bad timer, preemption count 0,
 * and each timer's status and fields as the model says.
 *
 * gotimer_stop_sync() [S16] is in stopsync.c, which is kernel-only and not
 * in the harness: not covered here.
 *
 * Input: byte 0 picks the number of CPUs (2-4) and timers (4-16), then
 * each operation is an opcode byte (value % 16) and its argument bytes; a
 * missing byte reads as 0.  gen_fuzz_corpus.py writes the seeds and has the
 * same table.
 *
 *   0-2  modify  tid when period action   tid bit 7 picks the function
 *   3    modify with the next allocation failing, same arguments
 *   4-5  reset   tid when
 *   6-8  stop    tid
 *   9-10 run-due cpu
 *   11   advance the clock  amount
 *   12   set the current CPU  cpu
 *   13   move-all  from to   (reserve, move, release, as hotplug.c)
 *   14   move-all  from to   (first without reserving: may be -ENOSPC)
 *   15   settle  b           cpu b & 3, b >> 2 & 3: clean head, adjust,
 *                            forced adjust, forced adjust at time 0
 *
 * A timer's callback does what its modify's action byte says, on the CPU
 * that runs it, always to a time after now: action & 7 is 0-2 nothing,
 * 3 modify itself as one-shot, 4 stop itself, 5 reset itself, 6 stop
 * timer j, 7 reset timer j, with j = (action >> 3) % timers and the new time
 * now + 1 + (action >> 3).
 *
 * Build and run: make fuzz FUZZ_SECONDS=60; make test replays fuzz_corpus.
 * GOTIMER_FUZZ_TRACE=1 build/fuzz/fuzz_ops FILE logs each step of FILE.
 */
#include <stdarg.h>
#include "harness.h"

typedef uint8_t u8;	/* gotimer_port.h has no u8 */

#define FZ_MAX_CPUS	4
#define FZ_MAX_TIMERS	16
#define FZ_T0		1000			/* gotimer_now() must be > 0 */
#define FZ_NOW_MAX	(S64_MAX - (1LL << 20))	/* so that now + 255 fits */

enum {
	FZ_MODIFY = 0,
	FZ_MODIFY_NOMEM = 3,
	FZ_RESET = 4,
	FZ_STOP = 6,
	FZ_RUN = 9,
	FZ_ADVANCE = 11,
	FZ_SET_CPU = 12,
	FZ_MOVE = 13,
	FZ_MOVE_NORESERVE = 14,
	FZ_SETTLE = 15,
};

struct fz_timer {
	struct gotimer t;
	/* the reference model */
	bool armed;		/* given a function: reset works */
	bool pending;
	int cpu;		/* pending: the heap that holds it */
	int linger;		/* stopped: the heap it may still sit in, or -1 */
	s64 when;		/* pending: the effective time */
	s64 period;
	gotimer_func_t f;
	uintptr_t seq;
	u8 action;		/* what its callback does */
};

static struct {
	struct fz_timer tm[FZ_MAX_TIMERS];
	unsigned int ntimers;
	unsigned int ncpus;
	int cur;		/* the CPU operations run on */
	s64 now;		/* the fake clock */
	unsigned int gen;	/* makes every modify's seq new */
	int run_cpu;		/* CPU in gt_run_due(), -1 outside */
	unsigned int run_fired;
	int cb_tid;		/* timer whose callback runs, -1 none */
	unsigned int opno;	/* for messages */
	const char *opname;
} fz;

static bool fz_trace;		/* GOTIMER_FUZZ_TRACE set: log each step */

#define FZ_TRACE(fmt, ...) do {						\
	if (fz_trace)							\
		fprintf(stderr, "%*s" fmt "\n", fz.cb_tid >= 0 ? 4 : 0, "", \
			##__VA_ARGS__);					\
} while (0)

struct fz_input {
	const u8 *p;
	size_t len;
};

static u8 fz_byte(struct fz_input *in)
{
	if (!in->len)
		return 0;
	in->len--;
	return *in->p++;
}

static void __attribute__((noreturn, format(printf, 3, 4)))
fz_bug(int line, int tid, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "gotimer fuzz: MISMATCH at op %u (%s), timer %d, cpu %d, now %lld",
		fz.opno, fz.opname, tid, fz.cur, fz.now);
	if (fz.cb_tid >= 0)
		fprintf(stderr, ", in the callback of timer %d", fz.cb_tid);
	fprintf(stderr, ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " [%s:%d]\n", __FILE__, line);
	abort();
}

#define FZ_EXPECT(cond, tid, fmt, ...) do {				\
	if (unlikely(!(cond)))						\
		fz_bug(__LINE__, tid, fmt, ##__VA_ARGS__);		\
} while (0)

static s64 fz_add(s64 a, s64 b)
{
	s64 r;

	if (__builtin_add_overflow(a, b, &r))
		return S64_MAX;
	return r;
}

/* now - 40 to now + 209, plus the edges. */
static s64 fz_when(u8 b)
{
	switch (b) {
	case 255:
		return 0;			/* -EINVAL */
	case 254:
		return -1;			/* -EINVAL */
	case 253:
		return 1;			/* long past */
	case 252:
		return S64_MAX;			/* never */
	case 251:
		return S64_MAX - 1;
	case 250:
		return fz_add(fz.now, 1LL << 40);
	default:
		return fz.now + b - 40;
	}
}

/* Mostly one-shot; small, larger and overflowing periods; -1 is invalid. */
static s64 fz_period(u8 b)
{
	if (b < 128)
		return 0;
	if (b < 240)
		return b - 127;
	if (b < 252)
		return (b - 239) * 1000LL;
	switch (b) {
	case 252:
		return 1LL << 40;
	case 253:
		return S64_MAX / 3;
	case 254:
		return S64_MAX;
	default:
		return -1;
	}
}

/* The documented catch-up rule, in 128 bits so that it cannot overflow. */
static s64 fz_periodic_next(s64 when, s64 period, s64 now)
{
	__int128 n = (now - when) / period + 1;
	__int128 next = (__int128)when + n * period;

	return next > S64_MAX ? S64_MAX : (s64)next;
}

static int fz_cpu_of(struct gotimer_base *base, int tid)
{
	long i;

	if (!base)
		return -1;
	i = base - gt_bases;
	FZ_EXPECT(i >= 0 && i < fz.ncpus, tid, "base %p is no CPU's", base);
	return i;
}

static int fz_tid_of(struct gotimer *t)
{
	long i = (struct fz_timer *)t - fz.tm;

	FZ_EXPECT(i >= 0 && i < fz.ntimers && &fz.tm[i].t == t, -1,
		  "heap holds %p, not one of our timers", t);
	return i;
}

static s64 fz_effective_when(struct gotimer *t, int s)
{
	return s == GOTIMER_MODIFIED ? t->nextwhen : t->when;
}

static void fz_check_base(unsigned int c)
{
	struct gotimer_base *b = &gt_bases[c];
	struct gotimer_heap *h = &b->heap;
	s64 me = atomic64_read(&b->modified_earliest);
	unsigned int i, deleted = 0;
	int bad;

	raw_spin_lock(&b->lock);
	bad = gotimer_heap_verify(h);
	FZ_EXPECT(bad < 0, -1, "cpu %u heap invariant broken at slot %d of %u",
		  c, bad, h->len);
	FZ_EXPECT(h->len <= h->cap, -1, "cpu %u len %u > cap %u", c, h->len,
		  h->cap);
	for (i = 0; i < h->len; i++) {
		struct gotimer *t = gotimer_heap_at(h, i);
		int tid = fz_tid_of(t);
		int s = atomic_read(&t->status);

		FZ_EXPECT(t->base == b, tid, "in cpu %u's heap, owned by %d", c,
			  fz_cpu_of(t->base, tid));
		FZ_EXPECT(s == GOTIMER_WAITING || s == GOTIMER_MODIFIED, tid,
			  "status %d in cpu %u's heap", s, c);
		if (s == GOTIMER_MODIFIED && !t->nextwhen)
			deleted++;
		/* A timer moved earlier than its key must not be missed. */
		if (s == GOTIMER_MODIFIED && t->nextwhen && t->nextwhen < t->when)
			FZ_EXPECT(me && me <= t->nextwhen, tid,
				  "modified earlier to %lld, modified_earliest %lld",
				  t->nextwhen, me);
	}
	FZ_EXPECT(atomic_read(&b->deleted) == deleted, -1,
		  "cpu %u deleted %d, heap holds %u stopped", c,
		  atomic_read(&b->deleted), deleted);
	FZ_EXPECT(atomic_read(&b->ntimers) == h->len, -1,
		  "cpu %u ntimers %d, len %u", c, atomic_read(&b->ntimers), h->len);
	FZ_EXPECT(atomic64_read(&b->timer0_when) == (h->len ? gotimer_heap_at(h, 0)->when : 0),
		  -1, "cpu %u timer0_when %lld is stale", c,
		  atomic64_read(&b->timer0_when));
	if (fz.run_cpu != (int)c)
		FZ_EXPECT(!gt_worker(b, 0)->current_timer, -1,
			  "cpu %u current_timer is set outside a run", c);
	raw_spin_unlock(&b->lock);
}

/* The whole state against the model and the invariants; resolves linger. */
static void fz_check_all(void)
{
	unsigned int c, i, slots = 0, owned = 0;

	FZ_EXPECT(gt_preempt_count == 0, -1, "preempt count %d", gt_preempt_count);
	for (c = 0; c < fz.ncpus; c++) {
		fz_check_base(c);
		slots += gt_bases[c].heap.len;
	}
	for (i = 0; i < fz.ntimers; i++) {
		struct fz_timer *m = &fz.tm[i];
		struct gotimer *t = &m->t;
		int s = atomic_read(&t->status);
		int on = fz_cpu_of(t->base, i);

		if (on >= 0) {
			struct gotimer_heap *h = &gt_bases[on].heap;

			owned++;
			FZ_EXPECT(t->idx < h->len && gotimer_heap_at(h, t->idx) == t, i,
				  "owned by cpu %d but not in its slot %u", on, t->idx);
		}
		if (m->armed)
			FZ_EXPECT(t->period == m->period && t->f == m->f &&
				  t->arg == m && t->seq == m->seq, i,
				  "period/f/arg/seq %lld/%p/%p/%#lx, model %lld/%p/%p/%#lx",
				  t->period, t->f, t->arg, (unsigned long)t->seq,
				  m->period, m->f, m, (unsigned long)m->seq);
		else
			FZ_EXPECT(!t->f, i, "never armed but has a function");
		if (m->pending) {
			FZ_EXPECT(s == GOTIMER_WAITING ||
				  (s == GOTIMER_MODIFIED && t->nextwhen), i,
				  "pending in the model, status %d nextwhen %lld",
				  s, t->nextwhen);
			FZ_EXPECT(on == m->cpu, i, "pending on cpu %d, model %d",
				  on, m->cpu);
			FZ_EXPECT(fz_effective_when(t, s) == m->when, i,
				  "when %lld, model %lld", fz_effective_when(t, s),
				  m->when);
		} else if (s == GOTIMER_REMOVED) {
			FZ_EXPECT(on < 0, i, "Removed but owned by cpu %d", on);
			m->linger = -1;		/* dropped: stays so till modified */
		} else {
			FZ_EXPECT(s == GOTIMER_MODIFIED && !t->nextwhen, i,
				  "not pending in the model, status %d nextwhen %lld",
				  s, t->nextwhen);
			FZ_EXPECT(m->linger >= 0 && on == m->linger, i,
				  "stopped timer in cpu %d's heap, model allows %d",
				  on, m->linger);
		}
	}
	FZ_EXPECT(slots == owned, -1, "heaps hold %u slots, timers claim %u",
		  slots, owned);
	FZ_EXPECT(!atomic_long_read(&gt_warnings), -1, "%ld warnings",
		  atomic_long_read(&gt_warnings));
	FZ_EXPECT(!atomic_long_read(&gotimer_bad_timers), -1, "%ld bad timers",
		  atomic_long_read(&gotimer_bad_timers));
}

/* Where a modify puts timer @m: its heap if it still sits in one [S6/S7]. */
static int fz_dest(struct fz_timer *m)
{
	if (m->pending)
		return m->cpu;
	if (m->linger >= 0 && !READ_ONCE(m->t.base))
		m->linger = -1;			/* dropped lazily meanwhile */
	return m->linger >= 0 ? m->linger : fz.cur;
}

static void fz_fire_a(void *arg, uintptr_t seq, s64 delay_ns);
static void fz_fire_b(void *arg, uintptr_t seq, s64 delay_ns);

static void fz_armed(struct fz_timer *m, int cpu, s64 when)
{
	m->armed = true;
	m->pending = true;
	m->cpu = cpu;
	m->linger = -1;
	m->when = when;
}

static void fz_modify(unsigned int i, s64 when, s64 period, bool use_b,
		      u8 action, bool nomem)
{
	struct fz_timer *m = &fz.tm[i];
	struct gotimer_heap *h = &gt_bases[fz.cur].heap;
	gotimer_func_t f = use_b ? fz_fire_b : fz_fire_a;
	uintptr_t seq;
	int dest = fz_dest(m);
	int want, got;

	fz.gen++;
	seq = (uintptr_t)fz.gen << 8 | i;

	want = when <= 0 || period < 0 ? -EINVAL : m->pending;
	/* The heap must grow only for a Removed timer and a full heap [S5]. */
	if (nomem && want >= 0 && !READ_ONCE(m->t.base) && h->len >= h->cap)
		want = -ENOMEM;
	if (nomem)
		atomic_long_set(&gt_alloc_fail, 1);
	got = gotimer_modify(&m->t, when, period, f, m, seq);
	atomic_long_set(&gt_alloc_fail, 0);
	FZ_TRACE("%u: cpu %d modify%s t%u when %lld period %lld action %u -> %d",
		 fz.opno, fz.cur, nomem ? "-nomem" : "", i, when, period,
		 action, got);
	FZ_EXPECT(got == want, i, "modify(when %lld, period %lld) returned %d, model %d",
		  when, period, got, want);
	if (got < 0)
		return;
	fz_armed(m, dest, when);
	m->period = period;
	m->f = f;
	m->seq = seq;
	m->action = action;
}

static void fz_reset(unsigned int i, s64 when)
{
	struct fz_timer *m = &fz.tm[i];
	int dest = fz_dest(m);
	int want = when <= 0 || !m->armed ? -EINVAL : m->pending;
	int got = gotimer_reset(&m->t, when);

	FZ_TRACE("%u: cpu %d reset t%u when %lld -> %d", fz.opno, fz.cur, i,
		 when, got);
	FZ_EXPECT(got == want, i, "reset(when %lld) returned %d, model %d",
		  when, got, want);
	if (got >= 0)
		fz_armed(m, dest, when);
}

static void fz_stop(unsigned int i)
{
	struct fz_timer *m = &fz.tm[i];
	bool got = gotimer_stop(&m->t);

	FZ_TRACE("%u: stop t%u -> %d", fz.opno, i, got);
	FZ_EXPECT(got == m->pending, i, "stop returned %d, model %d", got,
		  m->pending);
	if (m->pending) {
		m->pending = false;
		m->linger = m->cpu;
	}
}

/* What a callback does: always to a time after now, so it is not run again. */
static void fz_action(unsigned int i)
{
	struct fz_timer *m = &fz.tm[i];
	unsigned int j = (m->action >> 3) % fz.ntimers;
	s64 when = fz.now + 1 + (m->action >> 3);

	switch (m->action & 7) {
	case 3:
		fz_modify(i, when, 0, m->f == fz_fire_b, 0, false);
		break;
	case 4:
		fz_stop(i);
		break;
	case 5:
		fz_reset(i, when);
		break;
	case 6:
		fz_stop(j);
		break;
	case 7:
		fz_reset(j, when);
		break;
	default:
		return;
	}
	fz_check_all();
}

static void fz_fire(gotimer_func_t fn, void *arg, uintptr_t seq, s64 delay_ns)
{
	struct fz_timer *m = arg;
	struct gotimer *t = &m->t;
	int c = fz.run_cpu, i = fz_tid_of(t), s, saved = fz.cb_tid;
	unsigned int j;

	FZ_EXPECT(c >= 0, i, "callback outside gt_run_due()");
	FZ_EXPECT(m->pending, i, "fired, but not pending in the model");
	FZ_EXPECT(m->cpu == c, i, "fired on cpu %d, model has it on %d", c, m->cpu);
	FZ_EXPECT(m->when <= fz.now, i, "fired early: when %lld", m->when);
	FZ_EXPECT(fn == m->f && seq == m->seq, i, "fired with a stale f or seq %#lx, model %#lx",
		  (unsigned long)seq, (unsigned long)m->seq);
	FZ_EXPECT(delay_ns == fz.now - m->when, i, "delay_ns %lld for when %lld",
		  delay_ns, m->when);
	FZ_EXPECT(READ_ONCE(gt_worker(&gt_bases[c], 0)->current_timer) == t, i,
		  "the worker's current_timer is not the timer");
	FZ_EXPECT(gt_preempt_count == 0, i, "callback with preempt count %d",
		  gt_preempt_count);
	for (j = 0; j < fz.ntimers; j++) {
		struct fz_timer *o = &fz.tm[j];

		if (j != i && o->pending && o->cpu == c)
			FZ_EXPECT(o->when >= m->when, j,
				  "due at %lld, still waits while timer %d (when %lld) fires",
				  o->when, i, m->when);
	}
	FZ_TRACE("  fire t%u when %lld delay %lld", i, m->when, delay_ns);
	s = atomic_read(&t->status);
	if (m->period) {
		/* [S12] */
		m->when = fz_periodic_next(m->when, m->period, fz.now);
		FZ_EXPECT(s == GOTIMER_WAITING && t->when == m->when, i,
			  "periodic: status %d when %lld in its callback, model %lld",
			  s, t->when, m->when);
	} else {
		/* [S11] */
		FZ_EXPECT(s == GOTIMER_REMOVED && !t->base, i,
			  "one-shot: status %d in its callback", s);
		m->pending = false;
		m->linger = -1;
	}
	fz.run_fired++;
	fz.cb_tid = i;
	fz_check_all();
	fz_action(i);
	fz.cb_tid = saved;
}

static void fz_fire_a(void *arg, uintptr_t seq, s64 delay_ns)
{
	fz_fire(fz_fire_a, arg, seq, delay_ns);
}

static void fz_fire_b(void *arg, uintptr_t seq, s64 delay_ns)
{
	fz_fire(fz_fire_b, arg, seq, delay_ns);
}

static void fz_set_cpu(int c)
{
	fz.cur = c;
	gt_set_cpu(c);
}

static void fz_run(int c)
{
	int saved = fz.cur;
	unsigned int ran, i;

	fz_set_cpu(c);		/* callbacks run on the CPU of the heap */
	FZ_TRACE("%u: run-due cpu %d now %lld", fz.opno, c, fz.now);
	fz.run_cpu = c;
	fz.run_fired = 0;
	ran = gt_run_due(&gt_bases[c], fz.now);
	fz.run_cpu = -1;
	FZ_EXPECT(ran == fz.run_fired, -1, "run_due returned %u, %u callbacks ran",
		  ran, fz.run_fired);
	for (i = 0; i < fz.ntimers; i++) {
		struct fz_timer *m = &fz.tm[i];

		if (m->pending && m->cpu == c)
			FZ_EXPECT(m->when > fz.now, i, "due at %lld, not run", m->when);
	}
	fz_set_cpu(saved);
}

static void fz_advance(u8 b)
{
	s64 d;

	if (b < 200)
		d = b;
	else if (b < 250)
		d = (b - 199) * 1000LL;
	else if (b < 255)
		d = 1LL << (20 + 8 * (b - 250));
	else
		d = FZ_NOW_MAX;
	fz.now = min(fz_add(fz.now, d), FZ_NOW_MAX);
	gt_fake_now = fz.now;
	FZ_TRACE("%u: now %lld", fz.opno, fz.now);
}

/*
 * CPU @from goes down: everything moves to @to, @from's base is closed and
 * its heap array freed, as in hotplug.c.  @from comes back online at once
 * (gotimer_base_online()): CPU hotplug is serialized, so no other base is
 * closed when the next move picks its adopter.  The closed base's own
 * window (arms sent to the adopter) is test_stress's.
 */
static void fz_move(int from, int to, bool reserve_first)
{
	struct gotimer_base *bf = &gt_bases[from], *bt = &gt_bases[to];
	unsigned int lf = bf->heap.len, lt = bt->heap.len, want = 0, i;
	int got;

	for (i = 0; i < fz.ntimers; i++)
		if (fz.tm[i].pending && fz.tm[i].cpu == from)
			want++;
	if (!reserve_first) {
		bool room = bt->heap.cap >= lt + lf + 1;

		got = gotimer_base_move(bf, bt);
		if (room)
			goto moved;
		FZ_EXPECT(got == -ENOSPC, -1, "move %d->%d without room returned %d",
			  from, to, got);
		FZ_EXPECT(bf->heap.len == lf && bt->heap.len == lt, -1,
			  "move %d->%d: -ENOSPC but the heaps changed", from, to);
		fz_check_all();
	}
	got = gotimer_base_reserve(bt, lt + lf + 1, GFP_KERNEL);
	FZ_EXPECT(!got, -1, "reserve returned %d", got);
	got = gotimer_base_move(bf, bt);
moved:
	FZ_TRACE("%u: move cpu %d -> %d (%u + %u slots) -> %d", fz.opno, from,
		 to, lf, lt, got);
	FZ_EXPECT(got == (int)want, -1, "move %d->%d returned %d, model %u pending",
		  from, to, got, want);
	FZ_EXPECT(bf->heap.len == 0, -1, "move left %u timers on cpu %d",
		  bf->heap.len, from);
	/* Closed: its CPU's arms go to @to until it is back (timer.c). */
	FZ_EXPECT(bf->offline && bf->adopter == bt, -1,
		  "move %d->%d left cpu %d open", from, to, from);
	/* The dead CPU keeps no heap memory; it grows again once back. */
	gotimer_base_release(bf);
	FZ_EXPECT(!bf->heap.slots && !bf->heap.cap, -1,
		  "cpu %d keeps %u slots after release", from, bf->heap.cap);
	/* Back online at once (hotplug.c's prepare and online steps). */
	gotimer_base_online(bf);
	for (i = 0; i < fz.ntimers; i++) {
		struct fz_timer *m = &fz.tm[i];

		if (m->pending && m->cpu == from)
			m->cpu = to;		/* [S13], [S14] */
		else if (!m->pending && m->linger == from)
			m->linger = -1;		/* [S15] */
	}
}

static void fz_settle(u8 b)
{
	struct gotimer_base *base = &gt_bases[(b & 3) % fz.ncpus];

	FZ_TRACE("%u: settle cpu %ld kind %d", fz.opno, (long)(base - gt_bases),
		 b >> 2 & 3);
	raw_spin_lock(&base->lock);
	switch (b >> 2 & 3) {
	case 0:
		gotimer_clean_head(base, UINT_MAX);
		break;
	case 1:
		gotimer_adjust(base, fz.now, false);
		break;
	case 2:
		gotimer_adjust(base, fz.now, true);
		break;
	default:
		gotimer_adjust(base, 0, true);
		break;
	}
	raw_spin_unlock(&base->lock);
}

static void fz_op(struct fz_input *in)
{
	u8 op = fz_byte(in) % 16, b, w, p, a;
	unsigned int tid;
	int from, to;

	switch (op) {
	case FZ_MODIFY ... FZ_MODIFY_NOMEM:
		b = fz_byte(in);
		w = fz_byte(in);
		p = fz_byte(in);
		a = fz_byte(in);
		tid = (b & 0x7f) % fz.ntimers;
		fz.opname = op == FZ_MODIFY_NOMEM ? "modify-nomem" : "modify";
		fz_modify(tid, fz_when(w), fz_period(p), b & 0x80, a,
			  op == FZ_MODIFY_NOMEM);
		break;
	case FZ_RESET ... FZ_RESET + 1:
		fz.opname = "reset";
		tid = fz_byte(in) % fz.ntimers;
		fz_reset(tid, fz_when(fz_byte(in)));
		break;
	case FZ_STOP ... FZ_STOP + 2:
		fz.opname = "stop";
		fz_stop(fz_byte(in) % fz.ntimers);
		break;
	case FZ_RUN ... FZ_RUN + 1:
		fz.opname = "run-due";
		fz_run(fz_byte(in) % fz.ncpus);
		break;
	case FZ_ADVANCE:
		fz.opname = "advance";
		fz_advance(fz_byte(in));
		break;
	case FZ_SET_CPU:
		fz.opname = "set-cpu";
		fz_set_cpu(fz_byte(in) % fz.ncpus);
		FZ_TRACE("%u: set-cpu %d", fz.opno, fz.cur);
		break;
	case FZ_MOVE:
	case FZ_MOVE_NORESERVE:
		fz.opname = op == FZ_MOVE ? "move" : "move-noreserve";
		from = fz_byte(in) % fz.ncpus;
		to = fz_byte(in) % fz.ncpus;
		if (to == from)
			to = (from + 1) % fz.ncpus;
		fz_move(from, to, op == FZ_MOVE_NORESERVE);
		break;
	case FZ_SETTLE:
		fz.opname = "settle";
		fz_settle(fz_byte(in));
		break;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fz_input in = { data, size };
	u8 cfg = fz_byte(&in);
	unsigned int i;

	/* Nothing may leak from the previous input: start from scratch. */
	memset(&fz, 0, sizeof(fz));
	fz.ncpus = 2 + cfg % 3;
	fz.ntimers = 4 + (cfg / 3) % 13;
	fz.run_cpu = -1;
	fz.cb_tid = -1;
	fz.opname = "setup";
	fz_trace = !!getenv("GOTIMER_FUZZ_TRACE");
	FZ_TRACE("# %u cpus, %u timers", fz.ncpus, fz.ntimers);
	for (i = 0; i < FZ_MAX_TIMERS; i++) {
		gotimer_init(&fz.tm[i].t);
		fz.tm[i].linger = -1;
	}
	gt_bases_init(FZ_MAX_CPUS);
	fz_set_cpu(0);
	fz.now = FZ_T0;
	gt_fake_now = fz.now;
	atomic_long_set(&gt_alloc_fail, 0);
	gotimer_verify_heaps = true;

	while (in.len) {
		fz.opno++;
		fz_op(&in);
		fz_check_all();
	}

	/* Stop everything, drain every heap: the next input starts clean. */
	fz.opno++;
	fz.opname = "teardown";
	for (i = 0; i < fz.ntimers; i++)
		fz_stop(i);
	fz_check_all();
	for (i = 0; i < FZ_MAX_CPUS; i++)
		FZ_EXPECT(!gt_drain_base(&gt_bases[i]), -1, "cpu %u did not drain", i);
	for (i = 0; i < fz.ntimers; i++)
		FZ_EXPECT(atomic_read(&fz.tm[i].t.status) == GOTIMER_REMOVED &&
			  !fz.tm[i].t.base, i, "not Removed after the drain");
	return 0;
}
