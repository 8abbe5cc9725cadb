# SPDX-License-Identifier: GPL-2.0
#
# Guest script for scripts/boot-test, stage 2 (runs after gotimer.ko is
# loaded): the bad-input table for every writable knob, CPU hotplug churn
# through sysfs under torture load, a torture run with its own CPU on/off,
# and rmmod of the torture module in the middle of a run.  Each case prints
# one line "GOTIMER-CASE: NAME pass|fail [detail]" for the host to count.
#
TORTURE_SECONDS=60	# then on until 200 CPU on/off operations are done
CHURN_OPS=60

T=/sys/kernel/gotimer_torture
TP=/sys/module/gotimer_torture/parameters

case_result() { # NAME pass|fail [detail]
	echo "GOTIMER-CASE: $1 $2${3:+ $3}" > /dev/kmsg
}

ncpus=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)

# --- bad input ------------------------------------------------------------
# write FILE VALUE: writes VALUE and a newline, as "echo VALUE > FILE"
# does, and prints the errno name of a failed write, or "ok".
write() {
	err=$( { echo "$2" > "$1"; } 2>&1 ) && { echo ok; return; }
	case "$err" in
	*"Invalid argument"*) echo EINVAL ;;
	*"out of range"*) echo ERANGE ;;
	*"resource busy"*) echo EBUSY ;;
	*"No such process"*) echo ESRCH ;;
	*"Argument list too long"*) echo E2BIG ;;
	*"needs cleaning"*) echo EUCLEAN ;;
	*) echo "other:$err" ;;
	esac
}

long=$(head -c 5000 /dev/zero | tr '\0' '1')
page1=$(head -c 4000 /dev/zero | tr '\0' '1')
bad_total=0
bad_fail=0
# expect FILE VALUE ERRNO [READBACK-FILE]: the write fails with ERRNO and
# the value read back (from FILE, or READBACK-FILE for write-only knobs) is
# unchanged.
expect() {
	f=$1 v=$2 want=$3 rb=${4:-$1}
	before=$(cat "$rb" 2>/dev/null)
	got=$(write "$f" "$v")
	after=$(cat "$rb" 2>/dev/null)
	bad_total=$((bad_total + 1))
	ok=0	# want may list alternatives: "E2BIG|ERANGE"
	for w in $(echo "$want" | tr '|' ' '); do
		[ "$got" = "$w" ] && ok=1
	done
	if [ "$ok" != 1 ] || [ "$before" != "$after" ]; then
		bad_fail=$((bad_fail + 1))
		echo "bad-input: $f <- '$(printf '%.20s' "$v")': got $got want $want; '$before' -> '$after'"
	fi
}

insmod /modules/gotimer_torture.ko autostart=0 duration=2 nthreads=2 ntimers=16
V=/sys/kernel/gotimer/verify
VH=/sys/module/gotimer/parameters/verify_heaps
for f in $V $T/start $T/stop; do
	expect $f "" EINVAL $T/running
	expect $f "abc" EINVAL $T/running
	expect $f "1abc" EINVAL $T/running
	expect $f "1 2" EINVAL $T/running
	expect $f "-1" EINVAL $T/running
	expect $f "2" EINVAL $T/running
	expect $f "1.0" EINVAL $T/running
	expect $f "99999999999999999999" ERANGE $T/running
	expect $f "$page1" ERANGE $T/running
	expect $f "$long" "E2BIG|ERANGE" $T/running
done
expect $T/stop 1 ESRCH $T/running
for v in "" abc 2 -1 yes "1abc" "y y" "$long"; do
	expect $VH "$v" "EINVAL|E2BIG"
done
# gotimer's numeric knobs: not a number, negative, overflow, out of range.
GP=/sys/module/gotimer/parameters
for p in slack_ns fifo_budget_us missed_wake_check_us missed_wake_margin_us; do
	expect $GP/$p "" EINVAL
	expect $GP/$p "abc" EINVAL
	expect $GP/$p "12abc" EINVAL
	expect $GP/$p "-1" EINVAL
	expect $GP/$p "99999999999999999999" ERANGE
	expect $GP/$p "$long" "E2BIG|ERANGE"
done
expect $GP/slack_ns 1000000001 ERANGE
expect $GP/fifo_budget_us 99 ERANGE
expect $GP/fifo_budget_us 1000001 ERANGE
expect $GP/missed_wake_check_us 99 ERANGE
expect $GP/missed_wake_check_us 1000001 ERANGE
expect $GP/missed_wake_margin_us 0 ERANGE
for p in $TP/*; do
	name=${p##*/}
	[ "$name" = autostart ] && continue	# read-only (0444)
	expect "$p" "" EINVAL
	expect "$p" "abc" EINVAL
	expect "$p" "12abc" EINVAL
	expect "$p" "0x" EINVAL
	expect "$p" "-1" ERANGE
	expect "$p" "99999999999999999999" ERANGE
	expect "$p" "1000000000" ERANGE
	expect "$p" "$long" "E2BIG|ERANGE"
done
# Good values are taken; and refused with EBUSY while a run is going on.
[ "$(write $TP/ntimers 17)" = ok ] && [ "$(cat $TP/ntimers)" = 17 ] ||
	{ bad_fail=$((bad_fail + 1)); echo "bad-input: a good value was refused"; }
bad_total=$((bad_total + 1))
echo 0 > $TP/duration
echo 1 > $T/start
expect $T/start 1 EBUSY $T/running
expect $TP/ntimers 20 EBUSY
expect $TP/duration 5 EBUSY
echo 1 > $T/stop
[ "$(cat $T/running)" = 0 ] || { bad_fail=$((bad_fail + 1)); echo "bad-input: stop did not stop"; }
bad_total=$((bad_total + 1))
echo 1 > $V || { bad_fail=$((bad_fail + 1)); echo "bad-input: verify of sound heaps failed"; }
rmmod gotimer_torture
if [ "$bad_fail" = 0 ]; then
	case_result bad-input-refused pass "$bad_total writes"
else
	case_result bad-input-refused fail "$bad_fail of $bad_total"
fi

# --- rmmod in the middle of a run ------------------------------------------
insmod /modules/gotimer_torture.ko duration=0 nthreads=4 ntimers=64
sleep 2
# Every torture timer was stop_sync'ed and freed: gotimer's heaps are empty.
if rmmod gotimer_torture && [ "$(cat /sys/kernel/gotimer/timers)" = 0 ]; then
	case_result torture-rmmod-mid-run pass
else
	case_result torture-rmmod-mid-run fail
fi

# --- hotplug churn through sysfs, under load --------------------------------
echo 1 > /sys/module/gotimer/parameters/verify_heaps
insmod /modules/gotimer_torture.ko duration=0 onoff_interval_ms=0
# Readers of every knob and writers of the writable ones, all along.
knob_load() {
	while [ ! -e /tmp/stop-knobs ]; do
		cat /sys/kernel/gotimer/cpu*/* /sys/kernel/gotimer/[a-uw-z]* \
			$T/[a-z]* /sys/module/gotimer/parameters/* $TP/* > /dev/null 2>&1
		echo 1 > /sys/kernel/gotimer/verify || echo "knob: verify failed" > /tmp/knob-errors
		echo "$1" > /sys/module/gotimer/parameters/verify_heaps
		echo 5 > $TP/ntimers 2>/dev/null	# EBUSY: a run is going on
	done
}
rm -f /tmp/stop-knobs /tmp/knob-errors
knob_load 1 & k1=$!
knob_load 0 & k2=$!
ops=0 errs=0 i=0
while [ $ops -lt "$CHURN_OPS" ]; do
	i=$((i + 1))
	if [ $((i % 8)) = 0 ]; then
		# down to CPU 0 alone, then all back
		for c in $(seq 1 $((ncpus - 1))); do
			echo 0 > /sys/devices/system/cpu/cpu$c/online && ops=$((ops + 1)) || errs=$((errs + 1))
		done
		[ "$(cat /sys/devices/system/cpu/online)" = 0 ] || errs=$((errs + 1))
		for c in $(seq 1 $((ncpus - 1))); do
			echo 1 > /sys/devices/system/cpu/cpu$c/online && ops=$((ops + 1)) || errs=$((errs + 1))
		done
		continue
	fi
	c=$((1 + i % (ncpus - 1)))
	f=/sys/devices/system/cpu/cpu$c/online
	if [ "$(cat $f)" = 1 ]; then echo 0 > $f; else echo 1 > $f; fi && ops=$((ops + 1)) || errs=$((errs + 1))
done
for c in $(seq 1 $((ncpus - 1))); do echo 1 > /sys/devices/system/cpu/cpu$c/online 2>/dev/null; done
touch /tmp/stop-knobs
wait $k1 $k2
[ -e /tmp/knob-errors ] && { cat /tmp/knob-errors; errs=$((errs + 1)); }
[ "$(cat $TP/ntimers)" = 64 ] || { echo "knob: ntimers changed during a run"; errs=$((errs + 1)); }
echo 1 > $T/stop
res=$(cat $T/result)
echo "churn: $ops sysfs on/off operations, $errs errors; torture: $res lost=$(cat $T/lost) dup=$(cat $T/dup) early=$(cat $T/early) armed=$(cat $T/armed) fired=$(cat $T/fired)"
rmmod gotimer_torture
echo 0 > /sys/module/gotimer/parameters/verify_heaps
if [ "$res" = SUCCESS ] && [ "$errs" = 0 ]; then
	case_result hotplug-sysfs-churn-under-load pass "$ops ops"
else
	case_result hotplug-sysfs-churn-under-load fail "$res, $errs errors"
fi

# --- torture with its own CPU on/off ----------------------------------------
insmod /modules/gotimer_torture.ko duration="$TORTURE_SECONDS" onoff_interval_ms=1 min_onoff=200
while [ "$(cat $T/running)" = 1 ]; do sleep 1; done
res=$(cat $T/result)
onoff=$(cat $T/onoff)
rmmod gotimer_torture
if [ "$res" = SUCCESS ] && [ "$onoff" -ge 200 ]; then
	case_result torture-with-cpu-onoff pass "$onoff on/off"
else
	case_result torture-with-cpu-onoff fail "$res, $onoff on/off (need 200)"
fi

# --- the missed-wake detector saw nothing in the whole stage ---------------
# It samples every worker (gotimer.missed_wake_check_us, set by qemu-run)
# for one asleep while a timer of its base is due; see module/watchdog.c.
watch=$(cat /sys/module/gotimer/parameters/missed_wake_check_us)
missed=$(cat /sys/kernel/gotimer/missed_wakes)
if [ "$watch" != 0 ] && [ "$missed" = 0 ]; then
	case_result missed-wakes-zero pass "sampled every $watch us"
else
	case_result missed-wakes-zero fail "missed_wakes=$missed, missed_wake_check_us=$watch"
fi

# --- the benchmark with a tiny N, so that it cannot rot ---------------------
if insmod /modules/gotimer_bench.ko nmax=100 rounds=1 ops=20 hotplug_n=100 storm_n=100 &&
   dmesg | grep -q 'gotimer-bench: done' && rmmod gotimer_bench; then
	case_result bench-smoke pass
else
	case_result bench-smoke fail
fi

# --- the demo of make run, as a smoke test, with the fire trace event on ----
TR=/sys/kernel/tracing
echo 1 > $TR/events/gotimer/gotimer_fire/enable
echo > $TR/trace
if insmod /modules/gotimer_demo.ko nr_timers=2000 spread_ms=200 && rmmod gotimer_demo; then
	case_result demo-arms-and-fires pass
else
	case_result demo-arms-and-fires fail
fi
echo 0 > $TR/events/gotimer/gotimer_fire/enable
fires=$(grep -c 'gotimer_fire: timer=.* cpu=[0-9]* when=[0-9]* delay_ns=[0-9]*' $TR/trace)
if [ "$fires" -ge 2000 ]; then
	case_result trace-fire-event pass "$fires events"
else
	case_result trace-fire-event fail "$fires events for 2000 fires"
fi
exit 0
