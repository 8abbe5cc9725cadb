// SPDX-License-Identifier: GPL-2.0
/*
 * CPU hotplug, in one place: the workers' binding and the move of a dead
 * CPU's timers (Go: adoptTimers).
 *
 * CPUHP_AP_ONLINE_DYN: when a CPU comes up its workers are bound to it;
 * when it goes down they are unbound, not parked (worker.c), so the offline
 * never waits for a callback.
 *
 * CPUHP_BP_PREPARE_DYN: its teardown runs on a control CPU after the dead
 * CPU has stopped running anything, as the kernel's own timers_dead_cpu()
 * does, and moves every timer of the dead CPU's heap to a live CPU's heap.
 * No task runs on the dead CPU, so nothing [S5]-adds to its heap (only a
 * CPU's own tasks do); [S17] adds and the unbound workers' runs take the
 * heap lock, which gotimer_base_move() holds, and [S17] adds nothing once
 * the move has set ->offline.  That gives the "world stopped" Go's
 * moveTimers relies on.  Its prepare step, before the CPU comes up again,
 * lets the base take timers again.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include "internal.h"

static enum cpuhp_state gotimer_hp_state, gotimer_online_state;

static int gotimer_cpu_online(unsigned int cpu)
{
	gotimer_workers_bind(cpu);
	return 0;
}

static int gotimer_cpu_offline(unsigned int cpu)
{
	gotimer_workers_unbind(cpu);
	return 0;
}

/* Before a CPU comes up: its bases take re-armed timers again ([S17]). */
static int gotimer_cpu_prepare(unsigned int cpu)
{
	gotimer_base_online(gotimer_cpu_base(cpu));
	gotimer_base_online(gotimer_cpu_unpinned_base(cpu));
	return 0;
}

/* Move every timer of dead @from to live @to, waiting for memory if need be. */
static void adopt_timers(struct gotimer_base *from, struct gotimer_base *to,
			 unsigned int cpu)
{
	unsigned int want;
	int moved;

	for (;;) {
		want = READ_ONCE(from->heap.len) + READ_ONCE(to->heap.len) + 1;
		if (gotimer_base_reserve(to, want, GFP_KERNEL)) {
			/* Losing timers is not an option: wait for memory. */
			pr_warn_ratelimited("gotimer: no memory to adopt cpu %u's timers, retrying\n",
					    cpu);
			msleep(20);
			continue;
		}
		moved = gotimer_base_move(from, to);
		if (moved >= 0)
			break;
	}
	/* gotimer_base_move() woke @to's worker if its earliest time fell. */
	gotimer_base_release(from);
}

static int gotimer_cpu_dead(unsigned int cpu)
{
	/* CPU hotplug is serialized: the online mask holds still. */
	int to = cpumask_any_but(cpu_online_mask, cpu);

	/* Each kind of timer to the base of its kind. */
	adopt_timers(gotimer_cpu_base(cpu), gotimer_cpu_base(to), cpu);
	adopt_timers(gotimer_cpu_unpinned_base(cpu),
		     gotimer_cpu_unpinned_base(to), cpu);
	return 0;
}

/**
 * gotimer_hotplug_init() - register the callbacks
 *
 * Called with cpus_read_lock() held, after gotimer_workers_start(): the
 * online callback runs now for every online CPU (binding its workers), and
 * no CPU comes or goes in between.
 *
 * Return: 0 or a negative errno (nothing registered).
 */
int gotimer_hotplug_init(void)
{
	int ret = cpuhp_setup_state_nocalls_cpuslocked(CPUHP_BP_PREPARE_DYN,
						       "gotimer:dead",
						       gotimer_cpu_prepare,
						       gotimer_cpu_dead);

	if (ret < 0)
		return ret;
	gotimer_hp_state = ret;
	ret = cpuhp_setup_state_cpuslocked(CPUHP_AP_ONLINE_DYN, "gotimer:online",
					   gotimer_cpu_online,
					   gotimer_cpu_offline);
	if (ret < 0) {
		cpuhp_remove_state_nocalls_cpuslocked(gotimer_hp_state);
		return ret;
	}
	gotimer_online_state = ret;
	return 0;
}

/**
 * gotimer_hotplug_exit() - unregister them
 *
 * _nocalls: removing the states is not a CPU death, and the live CPUs'
 * timers (and workers) must stay where they are.
 */
void gotimer_hotplug_exit(void)
{
	cpuhp_remove_state_nocalls(gotimer_online_state);
	cpuhp_remove_state_nocalls(gotimer_hp_state);
}
