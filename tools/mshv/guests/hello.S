/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hello.S - the smallest useful guest: print a string on COM1 and halt.
 *
 * 16-bit real mode, loaded and entered at 0x1000 with CS = DS = 0.
 */
	.code16
	.text
	.globl	_start
_start:
	mov	$message, %si
	mov	$0x3f8, %dx		/* COM1 transmit register */
next:
	lodsb				/* AL = DS:[SI++] */
	cmp	$0, %al
	je	done
	out	%al, (%dx)
	jmp	next
done:
	hlt

message:
	.asciz	"Hello from an hvsim guest!\n"
