// SPDX-License-Identifier: GPL-2.0
//
// A valgrind client request (valgrind.h's VALGRIND_DO_CLIENT_REQUEST_EXPR
// for amd64): the magic preamble (four rotations of DI that leave it
// unchanged) and XCHGQ BX, BX, with AX pointing at {request, 5 args}.
// Outside valgrind it does nothing and returns 0.

#include "textflag.h"

// func clientRequest(args *[6]uint64) uint64
TEXT ·clientRequest(SB), NOSPLIT, $0-16
	MOVQ	args+0(FP), AX
	XORQ	DX, DX
	ROLQ	$3, DI
	ROLQ	$13, DI
	ROLQ	$61, DI
	ROLQ	$51, DI
	XCHGQ	BX, BX
	MOVQ	DX, ret+8(FP)
	RET
