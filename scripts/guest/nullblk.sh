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
# The host (scripts/nullblk-report) decodes and checks them.
ncpu=$(grep -c '^processor' /proc/cpuinfo)

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
			fio --name=nullb --filename=/dev/nullb0 --rw=randread \
				--bs=4k --direct=1 --ioengine=libaio \
				--iodepth="$qd" --numjobs="$ncpu" --thread \
				--cpus_allowed="0-$((ncpu - 1))" \
				--cpus_allowed_policy=split \
				--group_reporting --time_based \
				--runtime="$RUNTIME" --norandommap \
				--randrepeat=0 --output-format=json \
				--output=/tmp/fio.json || rc=$?
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
echo "NBDONE"
exit $status
