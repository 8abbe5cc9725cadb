# SPDX-License-Identifier: GPL-2.0
# Guest script of samples/client (scripts/qemu-run --module
# gotimer_client.ko --script client-test.sh): load the client, which runs
# its timers at load, and check every value it reports.  Exits non-zero on
# the first wrong value.
insmod /extra/gotimer_client.ko ticks=5 || exit 1
P=/sys/module/gotimer_client/parameters
fail=0
check() { # check PARAM WANTED
	v=$(cat "$P/$1")
	if [ "$v" = "$2" ]; then
		echo "gotimer-client: $1=$v ok"
	else
		echo "gotimer-client: $1=$v, expected $2: FAIL"
		fail=1
	fi
}
check once_seq 7
check once_early 0
check ticks_seen 5
check tick_still_pending 0
check far_first_ret 0
check far_rearm_ret 1
check far_stop_ret 1
check far_sync_ret 0
check far_fired 0
rmmod gotimer_client || fail=1
[ "$fail" = 0 ] && echo "gotimer-client: PASS"
exit "$fail"
