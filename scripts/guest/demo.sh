# SPDX-License-Identifier: GPL-2.0
# Guest script of "make run": arm timers on every CPU and show where they
# went and how many fired.
set -e
insmod /modules/gotimer_demo.ko nr_timers=4000 spread_ms=500
rmmod gotimer_demo
