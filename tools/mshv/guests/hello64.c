// SPDX-License-Identifier: GPL-2.0
/*
 * hello64 - a freestanding 64-bit guest for mshv-run: prints a greeting
 * and a few 64-bit results on COM1, then halts.  mshv-run starts it in
 * long mode at _start (see x64_boot.h in tools/testing/selftests/mshv/
 * include/ for the machine state); it is linked at 1 MiB by hello64.lds.
 */
#include <linux/types.h>

#define COM1_THR	0x3f8
#define COM1_LSR	0x3fd
#define LSR_THRE	0x20

void _start(void) __attribute__((noreturn, section(".text.start")));

static inline void outb(__u16 port, __u8 value)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline __u8 inb(__u16 port)
{
	__u8 value;

	__asm__ __volatile__("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static void putc(char c)
{
	while (!(inb(COM1_LSR) & LSR_THRE))
		;
	outb(COM1_THR, c);
}

static void puts(const char *s)
{
	while (*s)
		putc(*s++);
}

/* Unsigned decimal; 64-bit DIV. */
static void putu64(__u64 v)
{
	char buf[21];
	int i = sizeof(buf) - 1;

	buf[i] = '\0';
	do {
		buf[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	puts(&buf[i]);
}

static __u64 fib(unsigned int n)
{
	__u64 a = 0, b = 1;

	while (n--) {
		__u64 t = a + b;

		a = b;
		b = t;
	}
	return a;
}

void _start(void)
{
	puts("Hello from 64-bit C!\n");
	puts("fib(90) = ");
	putu64(fib(90));
	puts("\n2^63 = ");
	putu64(1ULL << 63);
	puts("\n");
	for (;;)
		__asm__ __volatile__("hlt");
}
