// SPDX-License-Identifier: GPL-2.0
/*
 * CPU hotplug, in one place: the workers' binding and the move of a
 * departing CPU's timers (Go: adoptTimers).
 *
 * CPUHP_AP_ONLINE_DYN, teardown: runs on the departing CPU, in task context,
 * and a failure aborts the offline (the CPU stays online and the write to
 * its "online" file fails with that error).  It picks the adopter (an
 * online housekeeping CPU, pool.c), reserves room in the adopter's heaps
 * with GFP_KERNEL, moves every timer there and closes the departing CPU's
 * bases (->offline), then unbinds the CPU's workers (pool.c): the
 * offline never waits for a callback.  No memory: -ENOMEM, nothing moved
 * that is not already safely in the adopter's heap, both bases open again.
 *
 * Why nothing is added to a closed base: its own CPU's tasks add to it
 * ([S5]) with preemption off from the look at ->offline to the add, and
 * this teardown runs on that CPU in a preemptible task, so it closes the
 * base between two such adds, never inside one; after it, [S5] sends the
 * timer to the adopter (timer.c).  [S17] adds from other CPUs look at
 * ->offline under the heap lock, which gotimer_base_move() holds.  So once
 * the CPU is dead its bases are empty.
 *
 * CPUHP_BP_PREPARE_DYN, teardown: runs on a control CPU after the CPU is
 * dead, with cpus_write_lock() held, possibly on the suspend path
 * (freeze_secondary_cpus(), GFP_NOIO): it allocates nothing and never
 * waits; it frees the dead CPU's (empty) heap arrays.  Its prepare step,
 * before the CPU comes up again, opens the bases; so does the online
 * step, which also runs when an offline is rolled back.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include "internal.h"

static enum cpuhp_state gotimer_hp_state, gotimer_online_state;

static void open_bases(unsigned int cpu)
{
	struct gotimer_base *b;

	for_each_cpu_base(b, cpu)
		gotimer_base_online(b);
}

static int gotimer_cpu_online(unsigned int cpu)
{
	open_bases(cpu);
	gotimer_workers_bind(cpu);
	return 0;
}

/*
 * Move every timer of @from to @to and close @from.  The reserve allocates
 * with no gotimer lock held; the move fails only if @to grew meanwhile
 * (its own CPU's adds), and each reserve at least doubles @to's capacity
 * when it grows it, so the loop ends.
 */
static int adopt_timers(struct gotimer_base *from, struct gotimer_base *to)
{
	unsigned int want;
	int err;

	do {
		want = READ_ONCE(from->heap.len) + READ_ONCE(to->heap.len) + 1;
		err = gotimer_base_reserve(to, want, GFP_KERNEL);
		if (err)
			return err;
	} while (gotimer_base_move(from, to) < 0);
	return 0;
}

static int gotimer_cpu_offline(unsigned int cpu)
{
	/* CPU hotplug is serialized: the online mask holds still. */
	unsigned int to = gotimer_adopter_cpu(cpu), k;
	int err = 0;

	/* Each kind of timer to the base of its kind. */
	for (k = 0; k < GOTIMER_NR_BASES && !err; k++)
		err = adopt_timers(gotimer_cpu_bases(cpu) + k,
				   gotimer_cpu_bases(to) + k);
	if (err) {
		pr_info_ratelimited("gotimer: no memory to move cpu %u's timers to cpu %u: offline refused\n",
				    cpu, to);
		open_bases(cpu);
		return err;
	}
	gotimer_workers_unbind(cpu);
	return 0;
}

/* Before a CPU comes up: its bases take timers again. */
static int gotimer_cpu_prepare(unsigned int cpu)
{
	open_bases(cpu);
	return 0;
}

/* The CPU is dead and its bases empty (see above): free their arrays. */
static int gotimer_cpu_dead(unsigned int cpu)
{
	struct gotimer_base *b;

	/*
	 * A timer left here would still be run by the CPU's unbound workers:
	 * not lost, but a broken rule, so say so.
	 */
	for_each_cpu_base(b, cpu) {
		WARN_ONCE(READ_ONCE(b->heap.len),
			  "gotimer: dead cpu %u still holds %u %stimers\n", cpu,
			  READ_ONCE(b->heap.len), b->unpinned ? "unpinned " : "");
		gotimer_base_release(b);
	}
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
