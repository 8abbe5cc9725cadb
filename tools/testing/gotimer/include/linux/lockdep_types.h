/* SPDX-License-Identifier: GPL-2.0 */
/* The userspace port has no lockdep: a class key is empty, as without it. */
#ifndef _GT_LINUX_LOCKDEP_TYPES_H
#define _GT_LINUX_LOCKDEP_TYPES_H
struct lock_class_key { };
#endif
