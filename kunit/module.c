// SPDX-License-Identifier: GPL-2.0
/*
 * gotimer_kunit.ko: the KUnit suites, one file each.  The suites reach
 * gotimer's internals through the GOTIMER_INTERNAL symbol namespace.
 */
#include <linux/module.h>
#include "compat.h"

MODULE_IMPORT_NS(GOTIMER_INTERNAL);
MODULE_DESCRIPTION("gotimer KUnit tests");
MODULE_LICENSE("GPL");
