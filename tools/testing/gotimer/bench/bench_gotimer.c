// SPDX-License-Identifier: GPL-2.0
/*
 * Native benchmark of gotimer's core: module/heap.c, status.c, base.c,
 * run.c and timer.c compiled unchanged against the userspace port
 * (gotimer_port.h, harness.c), on one thread.  "CPU" 0 holds the N pending
 * timers, "CPU" 1 receives them in the move test, "CPU" 2 holds the fire
 * tests' timers.  The clock is the harness's fake one, so timers never
 * fire by themselves: gt_run_due() runs them when told to.
 *
 * Protocol and operations: bench.h.  Results: Documentation/benchmarks.rst.
 */
#include "harness.h"
#include "bench.h"

#define BASE_NS		(1LL << 50)	/* gotimer_now() of the fake clock */

struct gbench {
	struct nb_cfg *c;
	bool cg;			/* callgrind mode: no timing, no restore */
	unsigned int n, b;		/* pending timers, batch size */
	unsigned int draw;		/* times drawn per batch: >= b */
	struct gotimer *t;		/* n pending, then draw idle */
	struct gotimer *ft;		/* n fire-test timers */
	s64 *off;			/* pending i fires at HOUR + off[i] */
	s64 *rel;			/* per batch: the op's new times */
	unsigned int *perm;
	long long ovh;			/* clock overhead per timed region */
};

static long nb_fired;

static void fire_cb(void *arg, uintptr_t seq, s64 delay_ns)
{
	__atomic_fetch_add(&nb_fired, 1, __ATOMIC_SEQ_CST);
}

/* Drop every stopped timer of @base and settle the modified ones. */
static void settle(struct gotimer_base *base)
{
	raw_spin_lock(&base->lock);
	gotimer_adjust(base, 0, true);
	raw_spin_unlock(&base->lock);
}

static double op_arm(struct gbench *g)
{
	uint64_t s = nb_stream(g->c, 1 + NB_ARM);
	struct gotimer *idle = g->t + g->n;
	unsigned int done, b, j, ops = g->c->ops;
	long long t0, total = 0;
	bool warm = !g->cg;	/* an untimed first batch grows the heap */
	bool again;

	for (done = 0; done < ops; done += warm ? 0 : b, warm = false) {
		b = min(g->b, ops - done);
		for (j = 0; j < max(b, g->draw); j++)
			g->rel[j] = NB_HOUR_NS + nb_rand(&s) % NB_HOUR_NS;
		nb_cg_begin(g->c);
		t0 = nb_now();
		for (j = 0; j < b; j++)
			gotimer_modify(&idle[j], BASE_NS + g->rel[j], 0, fire_cb,
				       NULL, j);
		if (!warm)
			total += nb_now() - t0 - g->ovh;
		nb_cg_end(g->c);
		if (g->cg)
			return 0;
		/* idle again: what gotimer_stop_sync() does, row [S16] */
		for (j = 0; j < b; j++) {
			do {
				gotimer_unheap(&idle[j], &again);
			} while (again);
		}
	}
	return (double)total / ops;
}

/* Modify later/earlier, stop, stop + re-arm of random pending timers. */
static double op_pending(struct gbench *g, enum nb_op op)
{
	uint64_t s = nb_stream(g->c, 1 + op);
	unsigned int done, b, j, ops = g->c->ops, *p = g->perm;
	long long t0, total = 0;
	s64 *rel = g->rel;

	for (done = 0; done < ops; done += b) {
		b = min(g->b, ops - done);
		nb_shuffle_prefix(p, g->n, max(b, g->draw), &s);
		for (j = 0; j < max(b, g->draw); j++) {
			s64 o = g->off[p[j]];

			rel[j] = op == NB_MOD_LATER ? 2 * NB_HOUR_NS + o :
				 op == NB_MOD_EARLIER ? NB_HOUR_NS / 2 + o :
				 NB_HOUR_NS + o;
		}
		nb_cg_begin(g->c);
		t0 = nb_now();
		switch (op) {
		case NB_MOD_LATER:
		case NB_MOD_EARLIER:
			for (j = 0; j < b; j++)
				gotimer_reset(&g->t[p[j]], BASE_NS + rel[j]);
			break;
		case NB_STOP:
			for (j = 0; j < b; j++)
				gotimer_stop(&g->t[p[j]]);
			break;
		default:
			for (j = 0; j < b; j++) {
				gotimer_stop(&g->t[p[j]]);
				gotimer_reset(&g->t[p[j]], BASE_NS + rel[j]);
			}
			break;
		}
		total += nb_now() - t0 - g->ovh;
		nb_cg_end(g->c);
		if (g->cg)
			return 0;
		if (op == NB_STOP_REARM)
			continue;
		for (j = 0; j < b; j++)	/* back to the original time */
			gotimer_reset(&g->t[p[j]],
				      BASE_NS + NB_HOUR_NS + g->off[p[j]]);
	}
	return (double)total / ops;
}

/*
 * N timers all due: run them (and, with @churn, first re-arm a random
 * quarter of them to other due times and stop another quarter, lazily).
 * ns per armed timer, everything gt_run_due() does included.
 */
static double op_fire(struct gbench *g, bool churn)
{
	enum nb_op op = churn ? NB_CHURN_RUN : NB_RUN_DUE;
	struct gotimer_base *fb = &gt_bases[2];
	uint64_t s = nb_stream(g->c, 1 + op);
	unsigned int n = g->n, q = churn ? n / 4 : 0, i, j, r, ran;
	unsigned int reps = g->cg ? 1 : nb_fire_reps(g->c);
	unsigned int *p = g->perm;
	s64 *noff = nb_calloc(q, sizeof(*noff));
	long long t0, total = 0;

	gt_set_cpu(2);
	/* rep 0 is a warm-up, as in go/main.go */
	for (r = 0; r <= reps; r++) {
		for (i = 0; i < n; i++)
			gotimer_modify(&g->ft[i],
				       BASE_NS + nb_rand(&s) % NB_FIRE_SPAN_NS,
				       0, fire_cb, NULL, i);
		if (churn) {
			nb_shuffle_prefix(p, n, 2 * q, &s);
			for (j = 0; j < q; j++)
				noff[j] = nb_rand(&s) % NB_FIRE_SPAN_NS;
		}
		nb_fired = 0;
		if (g->cg && !g->c->k && r == reps)
			break;
		if (r == reps)
			nb_cg_begin(g->c);
		t0 = nb_now();
		for (j = 0; j < q; j++)
			gotimer_reset(&g->ft[p[j]], BASE_NS + noff[j]);
		for (j = 0; j < q; j++)
			gotimer_stop(&g->ft[p[q + j]]);
		ran = gt_run_due(fb, BASE_NS + NB_FIRE_SPAN_NS);
		if (r)
			total += nb_now() - t0 - g->ovh;
		if (r == reps)
			nb_cg_end(g->c);
		if (ran != n - q || nb_fired != n - q || fb->heap.len) {
			fprintf(stderr, "gotimer %s: ran %u fired %ld left %u\n",
				nb_op_key[op], ran, nb_fired, fb->heap.len);
			total = -1;
			break;
		}
	}
	gt_set_cpu(0);
	free(noff);
	return total < 0 ? -1 : (double)total / ((double)reps * n);
}

/* gotimer_base_reserve() + gotimer_base_move() of N timers, per timer. */
static double op_move(struct gbench *g)
{
	struct gotimer_base *from = &gt_bases[0], *to = &gt_bases[1];
	unsigned int r, reps = g->cg ? 1 : nb_fire_reps(g->c);
	long long t0, total = 0;
	int moved;

	settle(from);		/* every timer Waiting */
	for (r = 0; r < reps; r++) {
		if (g->cg && !g->c->k)
			break;
		nb_cg_begin(g->c);
		t0 = nb_now();
		gotimer_base_reserve(to, READ_ONCE(to->heap.len) +
				     READ_ONCE(from->heap.len) + 1, GFP_KERNEL);
		moved = gotimer_base_move(from, to);
		total += nb_now() - t0 - g->ovh;
		nb_cg_end(g->c);
		if (moved != (int)g->n) {
			fprintf(stderr, "gotimer move: moved %d of %u\n", moved,
				g->n);
			return -1;
		}
		if (g->cg)
			break;
		/* back, and free the receiver's heap so that it grows again */
		gotimer_base_reserve(from, g->n + 1, GFP_KERNEL);
		gotimer_base_move(to, from);
		gotimer_base_destroy(to);
	}
	return (double)total / ((double)reps * g->n);
}

static double run_op(struct gbench *g, enum nb_op op)
{
	switch (op) {
	case NB_ARM:
		return op_arm(g);
	case NB_RUN_DUE:
		return op_fire(g, false);
	case NB_CHURN_RUN:
		return op_fire(g, true);
	case NB_MOVE:
		return op_move(g);
	default:
		return op_pending(g, op);
	}
}

int main(int argc, char **argv)
{
	struct nb_cfg c;
	struct gbench g = { .c = &c };
	unsigned int i, nidle;
	uint64_t s;
	int op;

	nb_parse(argc, argv, &c);
	g.cg = c.only >= 0;
	g.n = c.n;
	if (g.cg) {
		/* exactly k operations, in one batch */
		c.ops = c.k ? c.k : 1;
		if (c.only < NB_RUN_DUE && c.k > nb_cg_draw(&c)) {
			fprintf(stderr, "callgrind mode: K must be <= N/5\n");
			return 2;
		}
	}
	g.b = g.cg ? c.ops : nb_batch(&c);
	/* callgrind mode: the setup must not depend on k */
	g.draw = g.cg ? nb_cg_draw(&c) : g.b;
	nidle = g.draw;
	g.t = nb_calloc(g.n + nidle, sizeof(*g.t));
	g.ft = nb_calloc(g.n, sizeof(*g.ft));
	g.off = nb_calloc(g.n, sizeof(*g.off));
	g.rel = nb_calloc(g.draw, sizeof(*g.rel));
	g.perm = nb_perm_new(g.n);

	/* touch every timer now, as uv_timer_init() does: no page faults later */
	for (i = 0; i < g.n + nidle; i++)
		gotimer_init(&g.t[i]);
	for (i = 0; i < g.n; i++)
		gotimer_init(&g.ft[i]);
	gt_bases_init(3);
	gt_fake_now = BASE_NS;
	gt_set_cpu(0);
	s = nb_stream(&c, 0);
	for (i = 0; i < g.n; i++)
		g.off[i] = nb_rand(&s) % NB_HOUR_NS;
	if (!g.cg || c.only < NB_RUN_DUE || c.only == NB_MOVE)
		for (i = 0; i < g.n; i++)
			gotimer_modify(&g.t[i], BASE_NS + NB_HOUR_NS + g.off[i],
				       0, fire_cb, NULL, i);
	g.ovh = g.cg ? 0 : nb_clock_overhead();

	if (g.cg) {
		run_op(&g, c.only);
		return 0;
	}
	printf("I,gotimer,clock_overhead_ns,%lld\n", g.ovh);
	for (op = 0; op < NB_NR; op++)
		nb_report(&c, op, "gotimer", run_op(&g, op));
	if (atomic_long_read(&gt_warnings)) {
		fprintf(stderr, "gotimer: %ld warnings\n",
			atomic_long_read(&gt_warnings));
		return 1;
	}
	return 0;
}
