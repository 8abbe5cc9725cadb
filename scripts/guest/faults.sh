# SPDX-License-Identifier: GPL-2.0
#
# Guest script for "scripts/flavor-check faults" (runs after gotimer.ko is
# loaded, on the fault-injection + kmemleak kernel flavor):
#
#  1. kmemleak is cleared of whatever boot left behind;
#  2. the KUnit suites run (no fault injection: they check exact values);
#  3. a torture round with CPU on/off runs while allocations fail, all
#     scoped to the torture, on/off and gotimer worker threads (task-filter,
#     make-it-fail): FAILSLAB and FAIL_PAGE_ALLOC fail real allocations made
#     from gotimer.ko's own text (require-start/-end), i.e. heap growth in
#     modify (process and callback context) and in the CPU-dead migration;
#     gotimer's own fail_gotimer_grow makes gotimer_base_reserve() return
#     -ENOMEM in any task, also when the heap has room, which makes CPU
#     offlines (their move of the timers reserves in the cpuhp thread) fail
#     with -ENOMEM.  The torture accounting must stay exact, modifies must
#     have failed, and offlines must have been refused;
#  4. a second torture round with no on/off thread: with fail_gotimer_grow
#     at 100 %, "echo 0 > cpu1/online" while cpu1 holds timers must fail
#     with ENOMEM and leave cpu1 online (the CPU-dead callback never
#     allocates: an offline that cannot reserve is refused); with it at
#     0 the offline goes through; the accounting stays exact (no timer
#     lost, doubled or early);
#  5. torture, KUnit and gotimer are unloaded, kmemleak scans: no leak.
#
# Each step prints "GOTIMER-CASE: NAME pass|fail [detail]" for the host.
#
: "${TORTURE_SECONDS:=60}"
T=/sys/kernel/gotimer_torture
KL=/sys/kernel/debug/kmemleak
FI="/sys/kernel/debug/failslab /sys/kernel/debug/fail_page_alloc"

fails=0
case_result() { # NAME pass|fail [detail]
	echo "GOTIMER-CASE: $1 $2${3:+ $3}" > /dev/kmsg
	[ "$2" = pass ] || fails=$((fails + 1))
}

# Mark every gotimer thread (load threads, on/off thread, control thread
# share the name prefix; the workers are gotimer/N) as fault-injectable.
mark_threads() {
	for c in /proc/[0-9]*/comm; do
		case "$(cat "$c" 2>/dev/null)" in
		gotimer*) echo 1 > "${c%comm}make-it-fail" 2>/dev/null ;;
		esac
	done
}

echo scan > $KL
echo clear > $KL

insmod /modules/gotimer_kunit.ko
echo 1 > /sys/module/gotimer/parameters/verify_heaps

# gotimer.ko's text: from its lowest text symbol to the end of the page
# holding its highest (module text is page-aligned and page-sized).
syms=$(grep -E ' [tT] .*\[gotimer\]$' /proc/kallsyms | cut -d' ' -f1 | sort)
lo=$(echo "$syms" | head -n1)
hi=$(echo "$syms" | tail -n1)
start=$(printf '%#x' $((0x$lo)))
end=$(printf '%#x' $(( (0x$hi | 0xfff) + 1 )))
echo "faults: failing allocations under gotimer.ko text $start..$end"
for f in $FI; do
	echo 0 > $f/verbose		# a stack dump per failure would flood the console
	echo 1 > $f/task-filter
	echo "$start" > $f/require-start
	echo "$end" > $f/require-end
	echo 0 > $f/ignore-gfp-wait	# GFP_KERNEL fails too, not only GFP_ATOMIC
	echo 1 > $f/interval
	echo -1 > $f/times
	echo 25 > $f/probability
done
FF=/sys/kernel/debug/fail_gotimer_grow
echo 0 > $FF/verbose
# No task filter here: CPU-dead callbacks run in a kworker (cpu_down runs
# _cpu_down through work_on_cpu()), and only gotimer's heap growth fails.
echo 0 > $FF/task-filter
echo 1 > $FF/interval
echo -1 > $FF/times
echo 25 > $FF/probability
echo 0 > /sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem
echo 0 > /sys/kernel/debug/fail_page_alloc/min-order

insmod /modules/gotimer_torture.ko duration="$TORTURE_SECONDS" onoff_interval_ms=100 min_onoff=100
while [ "$(cat $T/running)" = 1 ]; do
	mark_threads
	sleep 1
done
for f in $FI $FF; do echo 0 > $f/probability; done

for f in armed fired stopped lost dup early after_sync enomem onoff onoff_errors; do
	eval "tt_$f=$(cat $T/$f)"
	echo "torture $f=$(cat $T/$f)"
done
for f in timers moved_in moved_out corrupt bad_timers; do
	echo "sysfs $f=$(cat /sys/kernel/gotimer/$f)"
done
res=$(cat $T/result)
[ "$res" = SUCCESS ] && case_result faults-torture-accounting pass ||
	case_result faults-torture-accounting fail "result=$res"
# Fault injection that injected nothing proves nothing.
[ "$tt_enomem" -gt 0 ] && case_result faults-enomem-seen pass "enomem=$tt_enomem" ||
	case_result faults-enomem-seen fail "no modify failed"
refused=$(dmesg | grep -c 'offline refused')
[ "$tt_onoff_errors" -gt 0 ] && [ "$refused" -gt 0 ] &&
	case_result faults-hotplug-refused pass \
		"onoff_errors=$tt_onoff_errors, $refused (ratelimited) refusals" ||
	case_result faults-hotplug-refused fail "onoff_errors=$tt_onoff_errors refusals=$refused"
rmmod gotimer_torture

# 4. An offline with no memory at all, with timers armed on that CPU.
C=/sys/devices/system/cpu/cpu1/online
insmod /modules/gotimer_torture.ko duration=10 onoff_interval_ms=0
# Wait (a condition, not a time) until cpu1 holds timers.
while [ "$(cat /sys/kernel/gotimer/cpu1/timers)" = 0 ] && [ "$(cat $T/running)" = 1 ]; do
	sleep 0.1
done
held=$(cat /sys/kernel/gotimer/cpu1/timers)
echo 100 > $FF/probability
err=$( { echo 0 > $C; } 2>&1 ) && down_rc=0 || down_rc=$?
still=$(cat $C)
echo 0 > $FF/probability
echo "faults: offline of cpu1 holding $held timers, fail_gotimer_grow=100:" \
	"status $down_rc ($err), online=$still"
echo 0 > $C && down2_rc=0 || down2_rc=$?
echo 1 > $C
while [ "$(cat $T/running)" = 1 ]; do sleep 1; done
for f in armed fired lost dup early enomem; do
	echo "torture2 $f=$(cat $T/$f)"
done
res=$(cat $T/result)
rmmod gotimer_torture
if [ "$held" -gt 0 ] && [ "$down_rc" != 0 ] && [ "$still" = 1 ] &&
	echo "$err" | grep -q 'Cannot allocate memory' &&
	[ "$down2_rc" = 0 ] && [ "$res" = SUCCESS ]; then
	case_result faults-offline-enomem-refused pass "held=$held"
else
	case_result faults-offline-enomem-refused fail \
		"held=$held status=$down_rc online=$still then=$down2_rc result=$res"
fi

rmmod gotimer_kunit
rmmod gotimer

# kmemleak reports objects only once they are older than its minimum age
# (5 s) and unreferenced in two scans; wait that age out, then scan.
sleep 6
echo scan > $KL
echo scan > $KL
leaks=$(grep -c '^unreferenced object' $KL)
if [ "$leaks" = 0 ]; then
	case_result faults-kmemleak pass
else
	cat $KL
	case_result faults-kmemleak fail "$leaks unreferenced objects"
fi
exit "$fails"
