// SPDX-License-Identifier: GPL-2.0
/*
 * gotimer_client.ko: a module of your own that uses gotimer, built out of
 * tree with gotimer.h as the only file it takes from gotimer (see the
 * Makefile next to it, and README.md, "Your module in the VM").
 *
 * At load it runs three timers, waits for what they do and reports it in
 * its read-only parameters (and one log line), which client-test.sh checks:
 *   once_seq            the seq a one-shot timer's callback got (7)
 *   once_early          1 if that callback ran before its time (0)
 *   ticks_seen          callbacks of a periodic timer that stops itself in
 *                       its @ticks-th callback (@ticks)
 *   tick_still_pending  1 if it was still pending after that (0)
 *   far_first_ret       gotimer_modify() of an idle timer an hour away (0)
 *   far_rearm_ret       gotimer_modify() of it again, pending (1)
 *   far_stop_ret        gotimer_stop() of it, pending (1)
 *   far_sync_ret        gotimer_stop_sync() of it then, stopped (0)
 *   far_fired           its callbacks (0)
 */
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/time64.h>

#include "gotimer.h"

static unsigned int ticks = 5;
module_param(ticks, uint, 0444);
MODULE_PARM_DESC(ticks, "Callbacks of the periodic timer, which then stops itself (default 5)");

static unsigned int period_ms = 2;
module_param(period_ms, uint, 0444);
MODULE_PARM_DESC(period_ms, "Period of the periodic timer, ms (default 2)");

/* What happened, -1 until known. */
static int once_seq = -1;
module_param(once_seq, int, 0444);
static int once_early = -1;
module_param(once_early, int, 0444);
static unsigned int ticks_seen;
module_param(ticks_seen, uint, 0444);
static int tick_still_pending = -1;
module_param(tick_still_pending, int, 0444);
static int far_first_ret = -1;
module_param(far_first_ret, int, 0444);
static int far_rearm_ret = -1;
module_param(far_rearm_ret, int, 0444);
static int far_stop_ret = -1;
module_param(far_stop_ret, int, 0444);
static int far_sync_ret = -1;
module_param(far_sync_ret, int, 0444);
static unsigned int far_fired;
module_param(far_fired, uint, 0444);

/* Zero-filled: valid idle timers, no init call needed. */
static struct gotimer once, tick, far;
static DECLARE_COMPLETION(once_done);
static DECLARE_COMPLETION(ticks_done);
static s64 once_when;

/* Task context, in a gotimer/N thread: may sleep, may call gotimer. */
static void once_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	once_seq = seq;
	once_early = gotimer_now() < once_when;
	complete(arg);
}

/* Never runs concurrently with itself, so ticks_seen needs no lock. */
static void tick_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	if (++ticks_seen == ticks) {
		gotimer_stop(&tick);
		complete(arg);
	}
}

static void far_fire(void *arg, uintptr_t seq, s64 delay_ns)
{
	far_fired++;
}

static void client_stop_all(void)
{
	gotimer_stop_sync(&once);
	gotimer_stop_sync(&tick);
	gotimer_stop_sync(&far);
}

static int __init gotimer_client_init(void)
{
	s64 period = (s64)period_ms * NSEC_PER_MSEC;
	int ret;

	if (!ticks || !period_ms)
		return -EINVAL;

	once_when = gotimer_now() + 10 * NSEC_PER_MSEC;
	ret = gotimer_modify(&once, once_when, 0, once_fire, &once_done, 7);
	if (ret < 0)
		goto out;
	ret = gotimer_modify(&tick, gotimer_now() + period, period, tick_fire,
			     &ticks_done, 0);
	if (ret < 0)
		goto out;

	far_first_ret = gotimer_modify(&far, gotimer_now() + 3600LL * NSEC_PER_SEC,
				       0, far_fire, NULL, 0);
	far_rearm_ret = gotimer_modify(&far, gotimer_now() + 3600LL * NSEC_PER_SEC,
				       0, far_fire, NULL, 0);
	far_stop_ret = gotimer_stop(&far);
	far_sync_ret = gotimer_stop_sync(&far);

	ret = -ETIMEDOUT;
	if (!wait_for_completion_timeout(&once_done, 10 * HZ) ||
	    !wait_for_completion_timeout(&ticks_done, 10 * HZ))
		goto out;
	/* Stopped by its own callback: nothing pending, nothing running after. */
	tick_still_pending = gotimer_stop_sync(&tick);

	pr_info("gotimer-client: once_seq=%d once_early=%d ticks_seen=%u tick_still_pending=%d far=%d,%d,%d,%d far_fired=%u\n",
		once_seq, once_early, ticks_seen, tick_still_pending,
		far_first_ret, far_rearm_ret, far_stop_ret, far_sync_ret,
		far_fired);
	return 0;
out:
	client_stop_all();
	pr_err("gotimer-client: failed: %d\n", ret);
	return ret;
}

static void __exit gotimer_client_exit(void)
{
	client_stop_all();
}

module_init(gotimer_client_init);
module_exit(gotimer_client_exit);
MODULE_DESCRIPTION("gotimer sample: an out-of-tree module using gotimer.h");
MODULE_LICENSE("GPL");
