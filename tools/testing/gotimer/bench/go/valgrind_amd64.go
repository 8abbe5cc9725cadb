// SPDX-License-Identifier: GPL-2.0

package main

// clientRequest is in valgrind_amd64.s.
func clientRequest(args *[6]uint64) uint64
