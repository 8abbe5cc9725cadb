// SPDX-License-Identifier: GPL-2.0
module gotimer-gobench

go 1.19
