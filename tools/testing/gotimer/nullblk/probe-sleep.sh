# SPDX-License-Identifier: GPL-2.0
# Guest script: what context does null_blk's queue_rq() run in?  With
# gotimer_probe_sleep=1 the patched null_blk calls gotimer_reserve(), which
# may sleep, from queue_rq() before each gotimer arm; on the debug flavor
# (CONFIG_DEBUG_ATOMIC_SLEEP) the kernel reports where that is invalid.
# Not a test (it makes the console dirty on purpose): the evidence behind
# Documentation/benchmarks.rst, "null_blk under fio".  From the top of the
# tree, after make test-modules (debug flavor):
#   scripts/nullblk-build $(scripts/build-kernel debug) build/nullblk-debug
#   scripts/qemu-run --no-check --cpus 2 --module build/nullblk-debug/null_blk.ko \
#     --binary /usr/bin/fio --script tools/testing/gotimer/nullblk/probe-sleep.sh
# (--no-check: the reports are the point; qemu-run would fail on them).
insmod /extra/null_blk.ko nr_devices=1 queue_mode=2 irqmode=3 \
	completion_nsec=10000 submit_queues=2 gotimer_probe_sleep=1 || exit 1
fio --name=probe --filename=/dev/nullb0 --rw=randread --bs=4k --direct=1 \
	--ioengine=libaio --iodepth=4 --numjobs=1 --thread --time_based \
	--runtime=1 --output=/dev/null
echo "nullblk-probe: $(cat /sys/module/null_blk/parameters/gotimer_stats)"
rmmod null_blk
