// SPDX-License-Identifier: GPL-2.0
/*
 * The same operations as bench_gotimer.c on libuv's timers: one loop, its
 * binary heap (a pointer-linked tree), uv_timer_start() to arm and re-arm
 * (on an active timer it is uv_timer_stop() + insert, exactly what
 * uv_timer_again() does), uv_timer_stop() to stop.  libuv counts time in
 * ms from the loop's cached time, so the offsets of bench.h are used in ms.
 *
 * Fire tests use a second loop whose cached time (uv_loop_t.time, what
 * uv_now() returns) is moved back by the span of the timers before they are
 * armed: uv_run() then updates the time to the real one and finds all of
 * them due, in random order, without waiting.
 *
 * Protocol and operations: bench.h.  There is no move in libuv.
 */
#include <stdbool.h>
#include <uv.h>
#include "bench.h"

#define MS	1000000LL

struct ubench {
	struct nb_cfg *c;
	bool cg;			/* callgrind mode: no timing, no restore */
	unsigned int n, b;		/* pending timers, batch size */
	unsigned int draw;		/* times drawn per batch: >= b */
	uv_loop_t loop, fire_loop;
	uv_timer_t *t;			/* n pending, then draw idle */
	uv_timer_t *ft;			/* n fire-test timers on fire_loop */
	long long *off;			/* pending i fires at HOUR + off[i] */
	uint64_t *rel;			/* per batch: the op's new timeouts */
	unsigned int *perm;
	long long ovh;
};

static long nb_fired;

static void fire_cb(uv_timer_t *h)
{
	__atomic_fetch_add(&nb_fired, 1, __ATOMIC_SEQ_CST);
}

static uint64_t to_ms(long long ns)
{
	return ns / MS;
}

static double op_arm(struct ubench *u)
{
	uint64_t s = nb_stream(u->c, 1 + NB_ARM);
	uv_timer_t *idle = u->t + u->n;
	unsigned int done, b, j, ops = u->c->ops;
	long long t0, total = 0;
	bool warm = !u->cg;	/* an untimed first batch, as bench_gotimer */

	for (done = 0; done < ops; done += warm ? 0 : b, warm = false) {
		b = u->b < ops - done ? u->b : ops - done;
		for (j = 0; j < (b > u->draw ? b : u->draw); j++)
			u->rel[j] = to_ms(NB_HOUR_NS + nb_rand(&s) % NB_HOUR_NS);
		nb_cg_begin(u->c);
		t0 = nb_now();
		for (j = 0; j < b; j++)
			uv_timer_start(&idle[j], fire_cb, u->rel[j], 0);
		if (!warm)
			total += nb_now() - t0 - u->ovh;
		nb_cg_end(u->c);
		if (u->cg)
			return 0;
		for (j = 0; j < b; j++)
			uv_timer_stop(&idle[j]);
	}
	return (double)total / ops;
}

static double op_pending(struct ubench *u, enum nb_op op)
{
	uint64_t s = nb_stream(u->c, 1 + op);
	unsigned int done, b, j, ops = u->c->ops, *p = u->perm;
	long long t0, total = 0;
	uint64_t *rel = u->rel;

	for (done = 0; done < ops; done += b) {
		b = u->b < ops - done ? u->b : ops - done;
		nb_shuffle_prefix(p, u->n, b > u->draw ? b : u->draw, &s);
		for (j = 0; j < (b > u->draw ? b : u->draw); j++) {
			long long o = u->off[p[j]];

			rel[j] = to_ms(op == NB_MOD_LATER ? 2 * NB_HOUR_NS + o :
				       op == NB_MOD_EARLIER ? NB_HOUR_NS / 2 + o :
				       NB_HOUR_NS + o);
		}
		nb_cg_begin(u->c);
		t0 = nb_now();
		switch (op) {
		case NB_MOD_LATER:
		case NB_MOD_EARLIER:
			for (j = 0; j < b; j++)
				uv_timer_start(&u->t[p[j]], fire_cb, rel[j], 0);
			break;
		case NB_STOP:
			for (j = 0; j < b; j++)
				uv_timer_stop(&u->t[p[j]]);
			break;
		default:
			for (j = 0; j < b; j++) {
				uv_timer_stop(&u->t[p[j]]);
				uv_timer_start(&u->t[p[j]], fire_cb, rel[j], 0);
			}
			break;
		}
		total += nb_now() - t0 - u->ovh;
		nb_cg_end(u->c);
		if (u->cg)
			return 0;
		if (op == NB_STOP_REARM)
			continue;
		for (j = 0; j < b; j++)
			uv_timer_start(&u->t[p[j]], fire_cb,
				       to_ms(NB_HOUR_NS + u->off[p[j]]), 0);
	}
	return (double)total / ops;
}

static double op_fire(struct ubench *u, bool churn)
{
	enum nb_op op = churn ? NB_CHURN_RUN : NB_RUN_DUE;
	uint64_t s = nb_stream(u->c, 1 + op), span;
	unsigned int n = u->n, q = churn ? n / 4 : 0, i, j, r;
	unsigned int reps = u->cg ? 1 : nb_fire_reps(u->c);
	unsigned int *p = u->perm;
	uint64_t *noff = nb_calloc(q, sizeof(*noff));
	long long t0, total = 0;

	uv_update_time(&u->fire_loop);
	/* the loop time is a monotonic clock: it cannot go back past boot */
	span = uv_now(&u->fire_loop) - 1000;
	if (span > NB_HOUR_NS / MS)
		span = NB_HOUR_NS / MS;
	/* rep 0 is a warm-up, as in go/main.go */
	for (r = 0; r <= reps; r++) {
		uv_update_time(&u->fire_loop);
		u->fire_loop.time -= span + 1;	/* see the top of the file */
		for (i = 0; i < n; i++)
			uv_timer_start(&u->ft[i], fire_cb, nb_rand(&s) % span, 0);
		if (churn) {
			nb_shuffle_prefix(p, n, 2 * q, &s);
			for (j = 0; j < q; j++)
				noff[j] = nb_rand(&s) % span;
		}
		nb_fired = 0;
		if (u->cg && !u->c->k && r == reps)
			break;
		if (r == reps)
			nb_cg_begin(u->c);
		t0 = nb_now();
		for (j = 0; j < q; j++)
			uv_timer_start(&u->ft[p[j]], fire_cb, noff[j], 0);
		for (j = 0; j < q; j++)
			uv_timer_stop(&u->ft[p[q + j]]);
		uv_run(&u->fire_loop, UV_RUN_NOWAIT);
		if (r)
			total += nb_now() - t0 - u->ovh;
		if (r == reps)
			nb_cg_end(u->c);
		if (nb_fired != n - q) {
			fprintf(stderr, "libuv %s: fired %ld of %u\n",
				nb_op_key[op], nb_fired, n - q);
			total = -1;
			break;
		}
	}
	free(noff);
	return total < 0 ? -1 : (double)total / ((double)reps * n);
}

static double run_op(struct ubench *u, enum nb_op op)
{
	switch (op) {
	case NB_ARM:
		return op_arm(u);
	case NB_RUN_DUE:
		return op_fire(u, false);
	case NB_CHURN_RUN:
		return op_fire(u, true);
	case NB_MOVE:
		return -2;	/* no equivalent */
	default:
		return op_pending(u, op);
	}
}

int main(int argc, char **argv)
{
	struct nb_cfg c;
	struct ubench *u = nb_calloc(1, sizeof(*u));
	unsigned int i;
	uint64_t s;
	int op;

	nb_parse(argc, argv, &c);
	u->c = &c;
	u->cg = c.only >= 0;
	u->n = c.n;
	if (u->cg) {
		if (c.only == NB_MOVE)
			return 0;
		c.ops = c.k ? c.k : 1;
		if (c.only < NB_RUN_DUE && c.k > nb_cg_draw(&c)) {
			fprintf(stderr, "callgrind mode: K must be <= N/5\n");
			return 2;
		}
	}
	u->b = u->cg ? c.ops : nb_batch(&c);
	/* callgrind mode: the setup must not depend on k */
	u->draw = u->cg ? nb_cg_draw(&c) : u->b;
	u->t = nb_calloc(u->n + u->draw, sizeof(*u->t));
	u->ft = nb_calloc(u->n, sizeof(*u->ft));
	u->off = nb_calloc(u->n, sizeof(*u->off));
	u->rel = nb_calloc(u->draw, sizeof(*u->rel));
	u->perm = nb_perm_new(u->n);

	if (uv_loop_init(&u->loop) || uv_loop_init(&u->fire_loop)) {
		fprintf(stderr, "uv_loop_init failed\n");
		return 1;
	}
	for (i = 0; i < u->n + u->draw; i++)
		uv_timer_init(&u->loop, &u->t[i]);
	for (i = 0; i < u->n; i++)
		uv_timer_init(&u->fire_loop, &u->ft[i]);
	s = nb_stream(&c, 0);
	for (i = 0; i < u->n; i++)
		u->off[i] = nb_rand(&s) % NB_HOUR_NS;
	if (!u->cg || c.only < NB_RUN_DUE)
		for (i = 0; i < u->n; i++)
			uv_timer_start(&u->t[i], fire_cb,
				       to_ms(NB_HOUR_NS + u->off[i]), 0);
	u->ovh = u->cg ? 0 : nb_clock_overhead();

	if (u->cg) {
		run_op(u, c.only);
		return 0;
	}
	printf("I,libuv,clock_overhead_ns,%lld\n", u->ovh);
	for (op = 0; op < NB_NR; op++)
		if (op != NB_MOVE)
			nb_report(&c, op, "libuv", run_op(u, op));
	return 0;
}
