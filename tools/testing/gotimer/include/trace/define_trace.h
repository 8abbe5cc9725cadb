/* SPDX-License-Identifier: GPL-2.0 */
/* Stub: module/gotimer_trace.h includes this last; trace events are no-ops here. */
