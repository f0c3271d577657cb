/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arith.S - compute the first 20 Fibonacci numbers and print them in
 * decimal on COM1, then halt.  Exercises CALL/RET, PUSH/POP, LOOP, DIV
 * and conditional jumps.
 *
 * 16-bit real mode, loaded and entered at 0x1000 with CS = DS = SS = 0
 * and SP near the top of the first 64 KiB.
 */
	.code16
	.text
	.globl	_start
_start:
	mov	$title, %si
	call	puts
	mov	$0, %di			/* DI = fib(n) */
	mov	$1, %bp			/* BP = fib(n + 1) */
	mov	$20, %cx
1:	push	%cx
	mov	%di, %ax
	call	print_dec
	mov	$' ', %al
	call	putc
	mov	%di, %ax		/* (DI, BP) = (BP, DI + BP) */
	add	%bp, %ax
	mov	%bp, %di
	mov	%ax, %bp
	pop	%cx
	loop	1b
	mov	$'\n', %al
	call	putc
	hlt

/* putc: write AL to COM1.  Preserves every register. */
putc:
	push	%dx
	mov	$0x3f8, %dx
	out	%al, (%dx)
	pop	%dx
	ret

/* puts: write the NUL-terminated string at DS:SI.  Clobbers AL, SI. */
puts:
	lodsb
	cmp	$0, %al
	je	1f
	call	putc
	jmp	puts
1:	ret

/* print_dec: write AX in decimal.  Clobbers AX, BX, CX, DX. */
print_dec:
	mov	$10, %bx
	mov	$0, %cx
1:	mov	$0, %dx			/* DX:AX / 10 */
	div	%bx			/* AX = quotient, DX = last digit */
	push	%dx
	inc	%cx
	cmp	$0, %ax
	jne	1b
2:	pop	%ax			/* most significant digit first */
	add	$'0', %al
	call	putc
	loop	2b
	ret

title:
	.asciz	"Fibonacci: "
