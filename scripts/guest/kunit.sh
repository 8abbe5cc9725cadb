# SPDX-License-Identifier: GPL-2.0
#
# Guest script for scripts/boot-test (runs as /bin/sh inside QEMU after
# gotimer.ko is loaded).  KUnit runs gotimer's suites while the module
# loads and prints KTAP on the console; the host parses it.
set -e
insmod /modules/gotimer_kunit.ko
exit 0
