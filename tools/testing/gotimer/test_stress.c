// SPDX-License-Identifier: GPL-2.0
/*
 * Multi-threaded stress of modify/reset/stop/run/move with exact accounting,
 * as kunit/stress_test.c: NCPU threads, each a "CPU" owning gt_bases[cpu],
 * hammer shared timers and run their own base with the real clock.
 *
 * An instance begins when modify/reset returns 0 and ends exactly once:
 * stop returning true, its one-shot callback, or the final cleanup.  So for
 * every timer begun == ended.  Now and then a thread "goes offline", as
 * hotplug.c's offline step does on the departing CPU: it moves its whole
 * base to another CPU's (gotimer_base_reserve(), gotimer_base_move()),
 * which closes it.  Only a base's own thread [S5]-adds to it, so while
 * that thread is moving, nothing adds to the source, as move requires; the
 * target's owner may add concurrently, into the slot move leaves free.
 * The thread then goes on for a while with its base closed (its arms go to
 * the adopter, [S17] arms into it fall back to [S5]) and comes back up
 * (gotimer_base_online()).  One thread at a time is "going down", as CPU
 * hotplug is serialized, so the adopter is always open.  A closed base
 * must stay empty: a timer added there would be stranded on a dead CPU.
 *
 * Usage: test_stress [threads [ops [timers [seed]]]]
 */
#include <time.h>
#include "harness.h"

struct st_timer {
	struct gotimer t;
	bool uses_reset;
	int armed;		/* modified once: f is set from then on */
	atomic_long_t begun, ended, fired, early;
};

static struct st_timer *timers;
static unsigned int ncpu = 4, nops = 200000, ntimers = 256;
static u64 seed = 0x73747265737321ULL;
static atomic_long_t n_pending_hits, n_stops, n_moves, n_moved, n_enospc,
		     n_fires, n_rearm, n_errors, n_bad_cb,
		     n_reset_unarmed, n_closed_ops, n_closed_adds;
static __thread u64 rnd;
/* The CPU going down (-1: none): CPU hotplug is serialized. */
static int hp_cpu = -1;
/* Operations left before this thread's closed base comes back up. */
static __thread unsigned int closed_ops;

/* seq: when << 1 | periodic; reset keeps seq with period, so it stays true. */
static void st_fn(void *arg, uintptr_t seq, s64 delay_ns)
{
	struct st_timer *st = arg;
	struct gotimer_base *base = &gt_bases[gt_cpu];
	s64 now = gotimer_now();

	if (READ_ONCE(gt_worker(base, 0)->current_timer) != &st->t || preempt_count() != 0)
		atomic_long_inc(&n_bad_cb);
	if (!st->uses_reset && now < (s64)(seq >> 1))
		atomic_long_inc(&st->early);
	atomic_long_inc(&st->fired);
	atomic_long_inc(&n_fires);
	if (!(seq & 1))
		atomic_long_inc(&st->ended);	/* [S11] */
	/* Callbacks may re-arm their own timer. */
	if (gt_rand(&rnd) % 8 == 0) {
		s64 when = now + 1 + gt_rand(&rnd) % 100000;
		int ret = gotimer_modify(&st->t, when, 0, st_fn, st,
					 (uintptr_t)when << 1);

		if (ret == 0)
			atomic_long_inc(&st->begun);
		else if (ret != 1)
			atomic_long_inc(&n_errors);
		atomic_long_inc(&n_rearm);
	}
}

static void account(struct st_timer *st, int ret)
{
	if (ret >= 0)
		__atomic_store_n(&st->armed, 1, __ATOMIC_RELAXED);
	if (ret == 0)
		atomic_long_inc(&st->begun);
	else if (ret == 1)
		atomic_long_inc(&n_pending_hits);
	else
		atomic_long_inc(&n_errors);
}

static void go_offline(int cpu)
{
	struct gotimer_base *from = &gt_bases[cpu];
	struct gotimer_base *to = &gt_bases[(cpu + 1 + gt_rand(&rnd) % (ncpu - 1)) % ncpu];
	int moved, idle = -1;

	/* Another CPU is going down (or this one is): no hotplug now. */
	if (!__atomic_compare_exchange_n(&hp_cpu, &idle, cpu, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;

	for (;;) {
		unsigned int want = 8;

		/* Under the locks: others write len, plainly, under them. */
		raw_spin_lock(&to->lock);
		want += to->heap.len;
		raw_spin_unlock(&to->lock);
		raw_spin_lock(&from->lock);
		want += from->heap.len;
		raw_spin_unlock(&from->lock);

		if (gotimer_base_reserve(to, want, GFP_KERNEL)) {
			atomic_long_inc(&n_errors);
			__atomic_store_n(&hp_cpu, -1, __ATOMIC_RELEASE);
			return;
		}
		moved = gotimer_base_move(from, to);
		if (moved >= 0)
			break;
		atomic_long_inc(&n_enospc);	/* to's owner added meanwhile */
	}
	atomic_long_inc(&n_moves);
	atomic_long_add(moved, &n_moved);
	closed_ops = 1 + gt_rand(&rnd) % 400;
}

/* The closed base comes back up: it must still be empty. */
static void come_back(int cpu)
{
	struct gotimer_base *base = &gt_bases[cpu];
	unsigned int len;

	raw_spin_lock(&base->lock);
	len = base->heap.len;
	raw_spin_unlock(&base->lock);
	if (len)
		atomic_long_add(len, &n_closed_adds);
	gotimer_base_online(base);
	closed_ops = 0;
	__atomic_store_n(&hp_cpu, -1, __ATOMIC_RELEASE);
}

static void *st_thread(void *arg)
{
	int cpu = (int)(uintptr_t)arg;
	unsigned int i;

	gt_set_cpu(cpu);
	rnd = seed ^ ((u64)(cpu + 1) * 0x9E3779B97F4A7C15ULL);
	for (i = 0; i < nops; i++) {
		u64 r = gt_rand(&rnd);
		struct st_timer *st = &timers[(r >> 8) % ntimers];
		s64 now = gotimer_now();
		/* mostly near-due, so that callbacks race with modify and stop */
		s64 when = now + 1 + (r >> 24) % ((r >> 48) & 1 ? 20000 : 500000);
		unsigned int op = r % 100;

		if (closed_ops) {
			atomic_long_inc(&n_closed_ops);
			if (!--closed_ops)
				come_back(cpu);
		}
		if (op < 35) {
			bool periodic = (r >> 40) % 16 == 0;

			account(st, gotimer_modify(&st->t, when,
						   periodic ? 50000 : 0, st_fn,
						   st, (uintptr_t)when << 1 |
						   periodic));
		} else if (op < 45 && st->uses_reset) {
			/* -EINVAL only before the first modify gave it an f */
			int armed = __atomic_load_n(&st->armed, __ATOMIC_RELAXED);
			int ret = gotimer_reset(&st->t, when);

			if (ret == -EINVAL && !armed)
				atomic_long_inc(&n_reset_unarmed);
			else
				account(st, ret);
		} else if (op < 70) {
			if (gotimer_stop(&st->t)) {
				atomic_long_inc(&st->ended);
				atomic_long_inc(&n_stops);
			}
		} else if (op < 99 || ncpu < 2) {
			gt_run_due(&gt_bases[cpu], gotimer_now());
		} else {
			go_offline(cpu);
		}
	}
	if (closed_ops)
		come_back(cpu);
	return NULL;
}

static void *st_runner(void *arg)
{
	/* Let every base run what is left, then go idle. */
	int cpu = (int)(uintptr_t)arg;

	gt_set_cpu(cpu);
	rnd = seed + cpu;
	gt_run_due(&gt_bases[cpu], gotimer_now());
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[GT_NR_CPUS];
	long begun = 0, ended = 0, early = 0, fired = 0, bad_timers;
	unsigned int i, failed = 0;
	struct timespec t0, t1;

	if (argc > 1)
		ncpu = strtoul(argv[1], NULL, 0);
	if (argc > 2)
		nops = strtoul(argv[2], NULL, 0);
	if (argc > 3)
		ntimers = strtoul(argv[3], NULL, 0);
	if (argc > 4)
		seed = strtoull(argv[4], NULL, 0);
	if (ncpu < 1 || ncpu > GT_NR_CPUS || !ntimers) {
		fprintf(stderr, "usage: %s [threads(1-%d) [ops [timers [seed]]]]\n",
			argv[0], GT_NR_CPUS);
		return 2;
	}
	printf("# suite gotimer_stress: %u threads x %u ops, %u timers, seed %#llx\n",
	       ncpu, nops, ntimers, seed);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	timers = calloc(ntimers, sizeof(*timers));
	for (i = 0; i < ntimers; i++)
		timers[i].uses_reset = i & 1;
	gt_bases_init(ncpu);
	gotimer_verify_heaps = true;

	for (i = 0; i < ncpu; i++)
		pthread_create(&th[i], NULL, st_thread, (void *)(uintptr_t)i);
	for (i = 0; i < ncpu; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < ncpu; i++)
		pthread_create(&th[i], NULL, st_runner, (void *)(uintptr_t)i);
	for (i = 0; i < ncpu; i++)
		pthread_join(th[i], NULL);

	/* Quiet now: stop what is left; each true ends an instance. */
	for (i = 0; i < ntimers; i++)
		if (gotimer_stop(&timers[i].t))
			atomic_long_inc(&timers[i].ended);
	for (i = 0; i < ncpu; i++) {
		raw_spin_lock(&gt_bases[i].lock);
		if (gotimer_base_verify(&gt_bases[i])) {
			fprintf(stderr, "  FAIL cpu %u heap invariant\n", i);
			failed++;
		}
		raw_spin_unlock(&gt_bases[i].lock);
		if (gt_drain_base(&gt_bases[i])) {
			fprintf(stderr, "  FAIL cpu %u did not drain\n", i);
			failed++;
		}
	}
	for (i = 0; i < ntimers; i++) {
		struct st_timer *st = &timers[i];
		long b = atomic_long_read(&st->begun), e = atomic_long_read(&st->ended);

		if (b != e) {
			fprintf(stderr, "  FAIL timer %u: begun %ld ended %ld\n", i, b, e);
			failed++;
		}
		if (atomic_read(&st->t.status) != GOTIMER_REMOVED || st->t.base) {
			fprintf(stderr, "  FAIL timer %u: not Removed at the end\n", i);
			failed++;
		}
		begun += b;
		ended += e;
		early += atomic_long_read(&st->early);
		fired += atomic_long_read(&st->fired);
	}
	bad_timers = atomic_long_read(&gotimer_bad_timers);
	if (early || bad_timers || atomic_long_read(&n_errors) ||
	    atomic_long_read(&n_bad_cb) || atomic_long_read(&gt_warnings) ||
	    atomic_long_read(&n_closed_adds)) {
		fprintf(stderr, "  FAIL early %ld bad_timers %ld errors %ld bad_cb %ld warnings %ld added to a closed base %ld\n",
			early, bad_timers, atomic_long_read(&n_errors),
			atomic_long_read(&n_bad_cb), atomic_long_read(&gt_warnings),
			atomic_long_read(&n_closed_adds));
		failed++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# begun %ld ended %ld fired %ld stops %ld pending_hits %ld rearm %ld moves %ld (timers %ld, enospc retries %ld, ops on a closed base %ld)\n",
	       begun, ended, fired, atomic_long_read(&n_stops),
	       atomic_long_read(&n_pending_hits), atomic_long_read(&n_rearm),
	       atomic_long_read(&n_moves), atomic_long_read(&n_moved),
	       atomic_long_read(&n_enospc), atomic_long_read(&n_closed_ops));
	printf("%s 1 gotimer_stress.concurrent_modify_stop_run_move_accounting (%.2fs)\n",
	       failed ? "not ok" : "ok",
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(timers);
	return failed ? 1 : 0;
}
