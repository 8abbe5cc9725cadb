# SPDX-License-Identifier: GPL-2.0
# Guest side of scripts/nullblk (make nullblk), run by /bin/sh after
# gotimer.ko is loaded; scripts/nullblk prepends the settings:
#   RUNTIME (s per fio run), MODES (null_blk irqmode values), CNS
#   (completion_nsec values), QDS (fio iodepths).
# For every mode and completion time it loads /extra/null_blk.ko with one
# device, runs fio 4k random reads at each depth with one job per CPU, and
# prints fio's JSON output, gzipped and in base64, on lines
# "NBJ MODE.CNS.QD <base64>", after "NBRUN mode=.. cns=.. qd=.. rc=..";
# the gotimer mode's context counts on "NBSTATS cns=.. <gotimer_stats>".
# MODES may be empty (no fio runs).  Around each gotimer run, gotimer's
# own totals: "NBGT MODE.CNS.QD before|after fired=.. wakeups=.. ...".
# The host (scripts/nullblk-report) decodes and checks them.
ncpu=$(grep -c '^processor' /proc/cpuinfo)

gt_totals() { # gt_totals KEY before|after
	local f line="NBGT $1 $2"
	for f in fired wakeups takeovers postponed worker_demotions; do
		line="$line $f=$(cat /sys/kernel/gotimer/$f 2>/dev/null || echo -1)"
	done
	echo "$line"
}

# As scripts/bench: under TCG every hrtimer expires on the tick until the
# switch to high resolution (~1.6 s into boot); wait for it, bounded.
i=0
while ! grep -q 'hres_active *: 1' /proc/timer_list ||
      grep -q 'hres_active *: 0' /proc/timer_list; do
	i=$((i + 1))
	if [ $i -gt 300 ]; then
		echo "nullblk: hres_active never 1 on every CPU"
		exit 1
	fi
	sleep 0.1
done

status=0
for mode in $MODES; do
	for cns in $CNS; do
		if ! insmod /extra/null_blk.ko nr_devices=1 queue_mode=2 gb=1 \
			irqmode="$mode" completion_nsec="$cns" \
			submit_queues="$ncpu" hw_queue_depth=256; then
			echo "nullblk: insmod null_blk irqmode=$mode failed"
			exit 1
		fi
		for qd in $QDS; do
			rc=0
			[ "$mode" != 3 ] || gt_totals "$mode.$cns.$qd" before
			fio --name=nullb --filename=/dev/nullb0 --rw=randread \
				--bs=4k --direct=1 --ioengine=libaio \
				--iodepth="$qd" --numjobs="$ncpu" --thread \
				--cpus_allowed="0-$((ncpu - 1))" \
				--cpus_allowed_policy=split \
				--group_reporting --time_based \
				--runtime="$RUNTIME" --norandommap \
				--randrepeat=0 --output-format=json \
				--output=/tmp/fio.json || rc=$?
			[ "$mode" != 3 ] || gt_totals "$mode.$cns.$qd" after
			echo "NBRUN mode=$mode cns=$cns qd=$qd rc=$rc"
			[ "$rc" = 0 ] || status=1
			gzip -c /tmp/fio.json | base64 |
				sed "s/^/NBJ $mode.$cns.$qd /"
		done
		if [ "$mode" = 3 ]; then
			echo "NBSTATS cns=$cns $(cat /sys/module/null_blk/parameters/gotimer_stats)"
		fi
		rmmod null_blk || { echo "nullblk: rmmod null_blk failed"; exit 1; }
	done
done

# TEARDOWN=1 (the boot test, under KASAN): a configfs device on gotimer is
# powered off, then removed, while fio has reads in flight; then the
# module is unloaded.  Every request's timer must be stopped before blk-mq
# frees it ("NBTEARDOWN pass|fail detail"; KASAN and the console scan do
# the rest).
if [ "${TEARDOWN:-0}" = 1 ]; then
	td=/sys/kernel/config/nullb/td
	why=
	mount -t configfs none /sys/kernel/config 2>/dev/null
	insmod /extra/null_blk.ko nr_devices=0 || why="insmod failed"
	if [ -z "$why" ]; then
		mkdir $td &&
		echo 3 > $td/irqmode &&
		echo 100000 > $td/completion_nsec &&
		echo "$ncpu" > $td/submit_queues &&
		echo 64 > $td/hw_queue_depth &&
		echo 1024 > $td/size &&
		echo 1 > $td/power || why="configfs setup failed"
	fi
	# A configfs device's disk is named after its directory: /dev/td.
	[ -n "$why" ] || [ -b /dev/td ] || why="no /dev/td after power on"
	if [ -z "$why" ]; then
		fio --name=td --filename=/dev/td --rw=randread --bs=4k \
			--direct=1 --ioengine=libaio --iodepth=64 \
			--numjobs="$ncpu" --thread --time_based --runtime=10 \
			--output=/tmp/td.txt &
		fio_pid=$!
		# Until reads are in flight (bounded: 600 looks).
		i=0
		inflight=0
		while [ "$inflight" = 0 ] && [ $i -lt 600 ]; do
			read -r inflight w < /sys/block/td/inflight || break
			i=$((i + 1))
			[ "$inflight" != 0 ] || sleep 0.05
		done
		[ "${inflight:-0}" -gt 0 ] || why="no read ever in flight"
		t0=$(cut -d' ' -f1 /proc/uptime)
		echo 0 > $td/power || why="${why:+$why, }power off failed"
		t1=$(cut -d' ' -f1 /proc/uptime)
		# fio sees its device gone and stops with errors.
		wait $fio_pid
		echo "NBTEARDOWN-INFO reads in flight at power off: $inflight, power off took $t0..$t1 s uptime, fio exit $?, ended at $(cut -d' ' -f1 /proc/uptime) s"
		rmdir $td || why="rmdir failed"
	fi
	rmmod null_blk || why="${why:+$why, }rmmod failed"
	if [ -z "$why" ]; then
		echo "NBTEARDOWN pass"
	else
		echo "NBTEARDOWN fail $why"
		status=1
	fi
fi
echo "NBDONE"
exit $status
