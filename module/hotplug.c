// SPDX-License-Identifier: GPL-2.0
/*
 * CPU hotplug (Go: adoptTimers): when a CPU is dead, every timer in its heap
 * moves to a live CPU's heap.
 *
 * The state is CPUHP_BP_PREPARE_DYN, whose teardown runs on a control CPU
 * after the dead CPU has stopped running anything, as the kernel's own
 * timers_dead_cpu() does.  By then the dead CPU's worker is parked
 * (smpboot parks it at CPUHP_AP_SMPBOOT_THREADS) and no task can run there,
 * so nothing adds to its heap any more: only its own CPU adds idle timers to
 * a heap.  That gives the "world stopped" Go's moveTimers relies on.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include "internal.h"

static enum cpuhp_state gotimer_hp_state;

/* Before a CPU comes up: its base takes re-armed timers again ([S17]). */
static int gotimer_cpu_prepare(unsigned int cpu)
{
	gotimer_base_online(gotimer_cpu_base(cpu));
	return 0;
}

static int gotimer_cpu_dead(unsigned int cpu)
{
	struct gotimer_base *from = gotimer_cpu_base(cpu);
	struct gotimer_base *to;
	unsigned int want;
	int moved;

	/* CPU hotplug is serialized: the online mask holds still. */
	to = gotimer_cpu_base(cpumask_any_but(cpu_online_mask, cpu));
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
	return 0;
}

/**
 * gotimer_hotplug_init() - register the CPU-dead callback
 *
 * Return: 0 or a negative errno.
 */
int gotimer_hotplug_init(void)
{
	int ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "gotimer:dead",
					    gotimer_cpu_prepare, gotimer_cpu_dead);

	if (ret < 0)
		return ret;
	gotimer_hp_state = ret;
	return 0;
}

/**
 * gotimer_hotplug_exit() - unregister it
 *
 * _nocalls: removing the state is not a CPU death, and the live CPUs'
 * timers must stay where they are.
 */
void gotimer_hotplug_exit(void)
{
	cpuhp_remove_state_nocalls(gotimer_hp_state);
}
