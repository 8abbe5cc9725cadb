/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the native benchmarks of gotimer's core and of libuv share with each
 * other (and, in Go, with go/main.go): the command line, the random
 * streams, the operations and their batching, the clock and the output.
 *
 * One process measures one implementation at one N for one round:
 *
 *   bench_X N OPS SEED              every operation once, one "R," line each
 *   bench_X N OPS SEED OP K         callgrind mode: set up, do K of OP, exit
 *
 * Times: a pending timer fires at HOUR + off, off uniform in [0, HOUR), ns
 * (libuv: the same value in ms).  "Relative" times are added to a fixed
 * base by gotimer (fake clock), to the loop time by libuv and to the
 * current time by Go.
 */
#ifndef _GT_NATIVE_BENCH_H
#define _GT_NATIVE_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define NB_HAVE_CALLGRIND
#endif
#endif
#ifndef NB_HAVE_CALLGRIND
#define CALLGRIND_ZERO_STATS	do { } while (0)
#define CALLGRIND_DUMP_STATS	do { } while (0)
#endif

#define NB_SEC_NS	1000000000LL
#define NB_HOUR_NS	(3600LL * NB_SEC_NS)
/* Fire tests: N timers due within this span (ns), random order. */
#define NB_FIRE_SPAN_NS	(5LL * 1000000)

enum nb_op {
	NB_ARM, NB_MOD_LATER, NB_MOD_EARLIER, NB_STOP, NB_STOP_REARM,
	NB_RUN_DUE, NB_CHURN_RUN, NB_MOVE, NB_NR
};

static const char * const nb_op_key[NB_NR] = {
	"arm", "mod-later", "mod-earlier", "stop", "stop-rearm",
	"run-due", "churn-run-due", "move",
};

struct nb_cfg {
	unsigned int n;		/* pending timers */
	unsigned int ops;	/* operations per round */
	uint64_t seed;
	int only;		/* callgrind mode: the one op, else -1 */
	unsigned int k;		/* callgrind mode: how many of it */
};

/* xorshift64*, as gt_rand() in harness.h and xorshift() in go/main.go */
static inline uint64_t nb_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* Stream 0: the pending timers' offsets; stream 1 + op: that op's draws. */
static inline uint64_t nb_stream(const struct nb_cfg *c, unsigned int stream)
{
	uint64_t s = c->seed ^ ((uint64_t)c->n * 0x100000001B3ULL) ^
		     ((uint64_t)(stream + 1) * 0x9E3779B97F4A7C15ULL);

	return s ? s : 1;
}

static inline long long nb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * NB_SEC_NS + ts.tv_nsec;
}

static int nb_cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* The median cost of the two clock reads around an empty timed region. */
static inline long long nb_clock_overhead(void)
{
	long long v[101];
	unsigned int i;

	for (i = 0; i < 101; i++) {
		long long t0 = nb_now();

		v[i] = nb_now() - t0;
	}
	qsort(v, 101, sizeof(v[0]), nb_cmp_ll);
	return v[50];
}

/*
 * Operations on pending timers run in batches of at most N/10 (so that
 * arming at most grows the heap by a tenth) of distinct timers.
 */
static inline unsigned int nb_batch(const struct nb_cfg *c)
{
	unsigned int b = c->n / 10;

	if (b < 1)
		b = 1;
	return b < c->ops ? b : c->ops;
}

/*
 * Callgrind mode: times and timers drawn for N/5 operations whatever K is,
 * so that two runs differ in nothing but the K operations.
 */
static inline unsigned int nb_cg_draw(const struct nb_cfg *c)
{
	return c->n / 5;
}

/* Fire tests repeat until ops timers have fired, at least once. */
static inline unsigned int nb_fire_reps(const struct nb_cfg *c)
{
	unsigned int r = c->ops / c->n;

	return r ? r : 1;
}

/*
 * Partial Fisher-Yates: perm[0..b) becomes b distinct random entries of
 * perm[0..n).  The caller initialises perm to 0..n-1 once.
 */
static inline void nb_shuffle_prefix(unsigned int *perm, unsigned int n,
				     unsigned int b, uint64_t *s)
{
	unsigned int j;

	for (j = 0; j < b; j++) {
		unsigned int k = j + nb_rand(s) % (n - j);
		unsigned int x = perm[j];

		perm[j] = perm[k];
		perm[k] = x;
	}
}

static inline unsigned int *nb_perm_new(unsigned int n)
{
	unsigned int *p = malloc(n * sizeof(*p));
	unsigned int i;

	if (!p) {
		perror("malloc");
		exit(2);
	}
	for (i = 0; i < n; i++)
		p[i] = i;
	return p;
}

static inline void *nb_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		perror("calloc");
		exit(2);
	}
	return p;
}

static inline void nb_usage(const char *prog)
{
	fprintf(stderr, "usage: %s N OPS SEED [OP K]\n  OP:", prog);
	for (int i = 0; i < NB_NR; i++)
		fprintf(stderr, " %s", nb_op_key[i]);
	fprintf(stderr, "\n");
	exit(2);
}

static inline void nb_parse(int argc, char **argv, struct nb_cfg *c)
{
	int i;

	if (argc != 4 && argc != 6)
		nb_usage(argv[0]);
	c->n = strtoul(argv[1], NULL, 0);
	c->ops = strtoul(argv[2], NULL, 0);
	c->seed = strtoull(argv[3], NULL, 0);
	c->only = -1;
	c->k = 0;
	if (argc == 6) {
		for (i = 0; i < NB_NR; i++)
			if (!strcmp(argv[4], nb_op_key[i]))
				c->only = i;
		if (c->only < 0)
			nb_usage(argv[0]);
		c->k = strtoul(argv[5], NULL, 0);
	}
	if (c->n < 10 || !c->ops)
		nb_usage(argv[0]);
}

/*
 * Callgrind mode: count the instructions of the measured region alone.
 * native-bench.sh reads the first dump (every thread's counts since the
 * zeroing); outside valgrind these are a few no-op instructions.
 */
static inline void nb_cg_begin(const struct nb_cfg *c)
{
	if (c->only >= 0)
		CALLGRIND_ZERO_STATS;
}

static inline void nb_cg_end(const struct nb_cfg *c)
{
	if (c->only >= 0)
		CALLGRIND_DUMP_STATS;
}

/* One result line: R,op,N,impl,ns per op (negative: the round failed). */
static inline void nb_report(const struct nb_cfg *c, enum nb_op op,
			     const char *impl, double ns)
{
	printf("R,%s,%u,%s,%.1f\n", nb_op_key[op], c->n, impl, ns);
	fflush(stdout);
}

#endif /* _GT_NATIVE_BENCH_H */
