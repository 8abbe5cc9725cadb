/* SPDX-License-Identifier: GPL-2.0 */
/* Stub: the userspace port provides everything the core needs. */
#include "gotimer_port.h"
