# SPDX-License-Identifier: GPL-2.0
# Guest script of "make run": arm timers on every CPU and show where they
# went and how many fired.
set -e
TR=/sys/kernel/tracing
echo 1 > $TR/events/gotimer/enable
insmod /modules/gotimer_demo.ko nr_timers=4000 spread_ms=500
echo 0 > $TR/events/gotimer/enable
echo "--- a few gotimer trace events:"
grep -m 3 gotimer_modify $TR/trace
grep -m 3 gotimer_expire_entry $TR/trace
rmmod gotimer_demo
echo "--- /sys/kernel/gotimer totals:"
for f in timers fired adjusted; do echo "$f: $(cat /sys/kernel/gotimer/$f)"; done
