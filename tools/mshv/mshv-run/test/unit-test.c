// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of mshv-run's pure parts: the MMIO instruction decoder,
 * the split virtqueue, virtio-blk request handling, the bzImage boot
 * setup and the MP table.  No /dev/mshv needed.
 *
 *   make -C tools/mshv test    # builds and runs build/mshv-run-unit-test
 *
 * Output is TAP; the exit status is the number of failed checks (capped).
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "../boot.h"
#include "../devices.h"
#include "../insn.h"
#include "../virtio_blk.h"
#include "../virtq.h"
#include "../vmm.h"
#include "x64_boot.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static unsigned int tests, failures;

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	tests++;
	if (!ok)
		failures++;
	printf("%s %u - ", ok ? "ok" : "not ok", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* ---------------------------------------------------------------- */

struct insn_case {
	const char *name;
	__u8 bytes[16];
	unsigned int count;
	int rc;
	unsigned int len, size;
	bool write;
	int reg;
	bool high8;
};

static const struct insn_case insn_cases[] = {
	{ "mov %eax,(%rdx)", { 0x89, 0x02 }, 2, 0, 2, 4, true, 0, false },
	{ "mov (%rdi),%eax", { 0x8b, 0x07 }, 2, 0, 2, 4, false, 0, false },
	{ "mov %r9d,0x10(%rax)", { 0x44, 0x89, 0x48, 0x10 }, 4, 0, 4, 4, true, 9, false },
	{ "mov (%rax),%rcx (REX.W)", { 0x48, 0x8b, 0x08 }, 3, 0, 3, 8, false, 1, false },
	{ "mov %ax,(%rdx) (66)", { 0x66, 0x89, 0x02 }, 3, 0, 3, 2, true, 0, false },
	{ "mov %bh,(%rsi)", { 0x88, 0x3e }, 2, 0, 2, 1, true, 3, true },
	{ "mov %dil,(%rsi) (REX)", { 0x40, 0x88, 0x3e }, 3, 0, 3, 1, true, 7, false },
	{ "movzbl 0x4(%rdx),%eax", { 0x0f, 0xb6, 0x42, 0x04 }, 4, 0, 4, 1, false, 0, false },
	{ "movzwl (%rax,%rbx,1),%ecx", { 0x0f, 0xb7, 0x0c, 0x18 }, 4, 0, 4, 2, false, 1, false },
	{ "mov disp32(%rip),%eax", { 0x8b, 0x05, 1, 2, 3, 4 }, 6, 0, 6, 4, false, 0, false },
	{ "movl $0x12345678,0x8(%rax)",
	  { 0xc7, 0x40, 0x08, 0x78, 0x56, 0x34, 0x12 }, 7, 0, 7, 4, true, -1, false },
	{ "movb $0x1,(%rax)", { 0xc6, 0x00, 0x01 }, 3, 0, 3, 1, true, -1, false },
	{ "mov %eax,%ebx (register form)", { 0x89, 0xc3 }, 2, -1, 0, 0, false, 0, false },
	{ "add (%rax),%eax (unknown)", { 0x03, 0x00 }, 2, -1, 0, 0, false, 0, false },
	{ "truncated disp32", { 0x8b, 0x80, 1, 2 }, 4, -1, 0, 0, false, 0, false },
};

static void test_insn(void)
{
	struct mmio_insn insn;
	unsigned int i;
	__u64 gprs[16] = { 0x1122334455667788ULL, 0, 0, 0xaabbccddeeff0011ULL };

	for (i = 0; i < ARRAY_SIZE(insn_cases); i++) {
		const struct insn_case *c = &insn_cases[i];
		int rc = mmio_decode(c->bytes, c->count, &insn);

		if (c->rc) {
			check(rc != 0, "insn: %s is rejected", c->name);
			continue;
		}
		check(!rc && insn.len == c->len && insn.size == c->size &&
		      insn.write == c->write && insn.reg == c->reg &&
		      insn.high8 == c->high8,
		      "insn: %s (len %u size %u reg %d)", c->name, insn.len,
		      insn.size, insn.reg);
	}

	/* Loads: 32-bit zero-extends, 16-bit merges, MOVSX sign-extends. */
	mmio_decode((const __u8 *)"\x8b\x07", 2, &insn);
	check(mmio_load_result(&insn, ~0ULL, 0x80000001) == 0x80000001,
	      "insn: 32-bit load zero-extends");
	mmio_decode((const __u8 *)"\x66\x8b\x07", 3, &insn);
	check(mmio_load_result(&insn, 0x1111111111111111ULL, 0xabcd) ==
	      0x111111111111abcdULL, "insn: 16-bit load merges");
	mmio_decode((const __u8 *)"\x48\x0f\xbe\x07", 4, &insn);
	check(mmio_load_result(&insn, 0, 0x80) == 0xffffffffffffff80ULL,
	      "insn: movsbq sign-extends to 64 bits");
	mmio_decode((const __u8 *)"\x8a\x27", 2, &insn);	/* mov (%rdi),%ah */
	check(mmio_load_result(&insn, 0x1234, 0x56) == 0x5634,
	      "insn: load into AH");
	mmio_decode((const __u8 *)"\x88\x3e", 2, &insn);
	check(mmio_store_value(&insn, gprs) == 0x00,
	      "insn: store of BH takes bits 15:8 of RBX");
	mmio_decode((const __u8 *)"\x66\x89\x02", 3, &insn);
	check(mmio_store_value(&insn, gprs) == 0x7788,
	      "insn: 16-bit store truncates");
}

/* ---------------------------------------------------------------- */

#define MEM_SIZE	BIT(20)
#define DESC_GPA	0x1000
#define AVAIL_GPA	0x2000
#define USED_GPA	0x3000
#define QSIZE		16

struct desc {
	__u64 addr;
	__u32 len;
	__u16 flags, next;
};

static void vq_init(struct virtq *vq, void *ram)
{
	memset(ram, 0, MEM_SIZE);
	memset(vq, 0, sizeof(*vq));
	vq->size = QSIZE;
	vq->ready = true;
	vq->desc = DESC_GPA;
	vq->avail = AVAIL_GPA;
	vq->used = USED_GPA;
}

/* Post a chain of (gpa, len, writable) triples; returns its head. */
static __u16 vq_post(void *ram, __u16 head, unsigned int n, const __u64 *seg)
{
	struct desc *d = (struct desc *)((char *)ram + DESC_GPA);
	__u16 *avail = (__u16 *)((char *)ram + AVAIL_GPA);
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct desc *e = &d[head + i];

		e->addr = seg[3 * i];
		e->len = seg[3 * i + 1];
		e->flags = (seg[3 * i + 2] ? VIRTQ_DESC_F_WRITE : 0) |
			   (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0);
		e->next = head + i + 1;
	}
	avail[2 + (avail[1] % QSIZE)] = head;
	avail[1]++;
	return head;
}

static void test_virtq(void)
{
	void *ram = calloc(1, MEM_SIZE);
	struct guest_mem mem = { ram, MEM_SIZE };
	static struct virtq_elem elem;
	struct virtq vq;
	__u16 *used = (__u16 *)((char *)ram + USED_GPA);
	__u64 seg[] = { 0x10000, 16, 0, 0x11000, 512, 1, 0x12000, 1, 1 };
	struct desc *d = (struct desc *)((char *)ram + DESC_GPA);
	char buf[8];

	vq_init(&vq, ram);
	check(virtq_pop(&vq, &mem, &elem) == 0, "virtq: empty ring pops nothing");
	vq_post(ram, 3, 3, seg);
	check(virtq_pop(&vq, &mem, &elem) == 1 && elem.head == 3 &&
	      elem.nr_out == 1 && elem.nr_in == 2 &&
	      elem.out[0].iov_base == (char *)ram + 0x10000 &&
	      elem.in[0].iov_len == 512, "virtq: 1 readable + 2 writable segments");
	check(virtq_pop(&vq, &mem, &elem) == 0, "virtq: taken once");
	check(virtq_push(&vq, &mem, elem.head, 513) == 0 && used[1] == 1 &&
	      ((__u32 *)(used + 2))[0] == 3 && ((__u32 *)(used + 2))[1] == 513,
	      "virtq: used ring gets id and length");
	check(virtq_needs_interrupt(&vq, &mem), "virtq: interrupt wanted");
	((__u16 *)((char *)ram + AVAIL_GPA))[0] = VIRTQ_AVAIL_F_NO_INTERRUPT;
	check(!virtq_needs_interrupt(&vq, &mem), "virtq: NO_INTERRUPT honoured");

	/* Malformed: a buffer outside RAM, a loop, readable after writable. */
	vq_init(&vq, ram);
	seg[0] = MEM_SIZE - 8;
	vq_post(ram, 0, 1, seg);
	check(virtq_pop(&vq, &mem, &elem) < 0, "virtq: buffer past RAM rejected");
	vq_init(&vq, ram);
	seg[0] = 0x10000;
	vq_post(ram, 0, 2, seg);
	d[1].flags |= VIRTQ_DESC_F_NEXT;
	d[1].next = 0;
	check(virtq_pop(&vq, &mem, &elem) < 0, "virtq: descriptor loop rejected");
	vq_init(&vq, ram);
	{
		__u64 bad[] = { 0x10000, 8, 1, 0x11000, 8, 0 };

		vq_post(ram, 0, 2, bad);
	}
	check(virtq_pop(&vq, &mem, &elem) < 0,
	      "virtq: readable after writable rejected");
	vq_init(&vq, ram);
	((__u16 *)((char *)ram + AVAIL_GPA))[1] = QSIZE + 1;
	check(virtq_pop(&vq, &mem, &elem) < 0,
	      "virtq: avail index running ahead rejected");

	/* iov helpers across segment boundaries */
	{
		char a[3] = { 0 }, b[5] = { 0 };
		struct iovec v[2] = { { a, 3 }, { b, 5 } };

		check(iov_from_buf(v, 2, 2, "wxyz", 4) == 4 && a[2] == 'w' &&
		      !memcmp(b, "xyz", 3), "iov: copy in at an offset");
		check(iov_to_buf(v, 2, 2, buf, 4) == 4 && !memcmp(buf, "wxyz", 4),
		      "iov: copy out at an offset");
	}
	free(ram);
}

/* ---------------------------------------------------------------- */

static void blk_req(void *ram, struct virtq_elem *e, __u32 type, __u64 sector,
		    unsigned int data_len, bool data_writable)
{
	struct virtio_blk_req_hdr *h = (void *)((char *)ram + 0x10000);

	h->type = type;
	h->reserved = 0;
	h->sector = sector;
	e->nr_out = 1;
	e->nr_in = 0;
	e->out[0] = (struct iovec){ h, sizeof(*h) };
	if (data_len) {
		struct iovec v = { (char *)ram + 0x20000, data_len };

		if (data_writable)
			e->in[e->nr_in++] = v;
		else
			e->out[e->nr_out++] = v;
	}
	e->in[e->nr_in++] = (struct iovec){ (char *)ram + 0x30000, 1 };
}

static void test_blk(void)
{
	char path[] = "/tmp/mshv-run-blk-XXXXXX";
	void *ram = calloc(1, MEM_SIZE);
	static struct virtq_elem e;
	__u8 *status = (__u8 *)ram + 0x30000;
	char *data = (char *)ram + 0x20000, file[1024];
	int fd = mkstemp(path);
	__u32 len;

	unlink(path);
	if (fd < 0 || ftruncate(fd, 8 * 512))
		check(false, "blk: temporary file");

	memset(data, 'A', 1024);
	blk_req(ram, &e, VIRTIO_BLK_T_OUT, 2, 1024, false);
	len = virtio_blk_request(fd, 8, &e);
	check(len == 1 && *status == VIRTIO_BLK_S_OK &&
	      pread(fd, file, 1024, 1024) == 1024 && file[0] == 'A' &&
	      file[1023] == 'A', "blk: OUT writes sectors 2-3 of the file");

	memset(data, 0, 1024);
	blk_req(ram, &e, VIRTIO_BLK_T_IN, 2, 1024, true);
	len = virtio_blk_request(fd, 8, &e);
	check(len == 1025 && *status == VIRTIO_BLK_S_OK && data[0] == 'A' &&
	      data[1023] == 'A', "blk: IN reads them back (len %u)", len);

	blk_req(ram, &e, VIRTIO_BLK_T_IN, 7, 1024, true);
	virtio_blk_request(fd, 8, &e);
	check(*status == VIRTIO_BLK_S_IOERR, "blk: read past the end fails");

	blk_req(ram, &e, VIRTIO_BLK_T_OUT, 0, 100, false);
	virtio_blk_request(fd, 8, &e);
	check(*status == VIRTIO_BLK_S_IOERR, "blk: partial sector fails");

	blk_req(ram, &e, VIRTIO_BLK_T_FLUSH, 0, 0, false);
	virtio_blk_request(fd, 8, &e);
	check(*status == VIRTIO_BLK_S_OK, "blk: FLUSH succeeds");

	blk_req(ram, &e, VIRTIO_BLK_T_GET_ID, 0, 20, true);
	len = virtio_blk_request(fd, 8, &e);
	check(*status == VIRTIO_BLK_S_OK && len == 21 &&
	      !strcmp(data, "mshv-run"), "blk: GET_ID returns the serial");

	blk_req(ram, &e, 42, 0, 0, false);
	virtio_blk_request(fd, 8, &e);
	check(*status == VIRTIO_BLK_S_UNSUPP, "blk: unknown type UNSUPP");
	close(fd);
	free(ram);
}

/* ---------------------------------------------------------------- */

static __u32 rd32(const void *p, unsigned int off)
{
	__u32 v;

	memcpy(&v, (const char *)p + off, 4);
	return v;
}

static void test_boot(void)
{
	size_t ram_size = 128ULL << 20;
	void *ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	static __u8 k[0x4000];
	struct linux_image img = { k, sizeof(k), "initrd!", 7, "console=ttyS0" };
	const char *err = NULL;
	__u8 *bp = (__u8 *)ram + BOOT_PARAMS_GPA;
	__u64 entry = 0, e820;
	__u16 v;

	/* A fake bzImage: 1 setup sector, protocol 2.15, 64-bit entry. */
	k[BP_SETUP_SECTS] = 1;
	k[BP_BOOT_FLAG] = 0x55;
	k[BP_BOOT_FLAG + 1] = 0xaa;
	k[BP_JUMP] = 0xeb;
	k[BP_JUMP + 1] = 0x6a;		/* header ends at 0x26c */
	memcpy(k + BP_HEADER, "HdrS", 4);
	v = 0x20f;
	memcpy(k + BP_VERSION, &v, 2);
	v = XLF_KERNEL_64;
	memcpy(k + BP_XLOADFLAGS, &v, 2);
	memcpy(k + BP_INITRD_ADDR_MAX, &(__u32){ 0x7fffffff }, 4);
	memcpy(k + BP_CMDLINE_SIZE, &(__u32){ 2047 }, 4);
	memcpy(k + BP_PREF_ADDRESS, &(__u64){ 0x1000000 }, 8);
	memcpy(k + BP_INIT_SIZE, &(__u32){ 0x100000 }, 4);
	k[0x400] = 0xf4;		/* first byte of the protected-mode part */

	check(!linux_setup(ram, ram_size, &img, &entry, &err),
	      "boot: fake bzImage accepted (%s)", err ? err : "no error");
	check(entry == 0x1000200, "boot: 64-bit entry at pref_address + 0x200");
	check(((__u8 *)ram)[0x1000000] == 0xf4,
	      "boot: protected-mode part at pref_address");
	check(bp[BP_TYPE_OF_LOADER] == 0xff &&
	      (bp[BP_LOADFLAGS] & (LOADED_HIGH | CAN_USE_HEAP)) ==
	      (LOADED_HIGH | CAN_USE_HEAP), "boot: loader type and flags");
	check(rd32(bp, BP_CMD_LINE_PTR) == BOOT_CMDLINE_GPA &&
	      !strcmp((char *)ram + BOOT_CMDLINE_GPA, "console=ttyS0"),
	      "boot: command line");
	check(rd32(bp, BP_RAMDISK_SIZE) == 7 &&
	      rd32(bp, BP_RAMDISK_IMAGE) + 7 <= ram_size &&
	      !(rd32(bp, BP_RAMDISK_IMAGE) & 0xfff) &&
	      !memcmp((char *)ram + rd32(bp, BP_RAMDISK_IMAGE), "initrd!", 7),
	      "boot: initramfs page-aligned at the top of RAM");
	memcpy(&e820, bp + BP_E820_TABLE + 3 * 20 + 8, 8);
	check(bp[BP_E820_ENTRIES] == 4 && e820 == ram_size - BOOT_HIGH_GPA,
	      "boot: e820 has 4 entries, RAM above 1 MiB to the end");
	check(!memcmp(bp + BP_HEADER, "HdrS", 4), "boot: setup header copied");
	check(*x64_pte(ram, 0) & X64_PTE_P && rd32(ram, BDA_BASE_MEM_KB) % 65536 == 639,
	      "boot: page 0 mapped, BIOS data area says 639 KiB");

	k[BP_XLOADFLAGS] = 0;
	check(linux_setup(ram, ram_size, &img, &entry, &err) && err,
	      "boot: a kernel without 64-bit entry is refused (%s)", err);
	k[BP_XLOADFLAGS] = XLF_KERNEL_64;
	img.initrd_len = 127ULL << 20;
	check(linux_setup(ram, ram_size, &img, &entry, &err),
	      "boot: an initramfs overlapping the kernel is refused");
	img.initrd_len = 7;
	k[BP_BOOT_FLAG] = 0;
	check(linux_setup(ram, ram_size, &img, &entry, &err),
	      "boot: no boot flag, no bzImage");
	munmap(ram, ram_size);
}

static void test_mptable(void)
{
	static __u8 ram[0x100000];
	int len = mptable_write(ram, sizeof(ram), 0xf0000, 2);
	__u8 sum = 0, *hdr = ram + 0xf0010;
	__u16 hlen;
	int i;

	check(len > 0 && !memcmp(ram + 0xf0000, "_MP_", 4) &&
	      rd32(ram, 0xf0004) == 0xf0010, "mptable: floating pointer");
	for (i = 0; i < 16; i++)
		sum += ram[0xf0000 + i];
	check(!sum, "mptable: floating pointer checksum");
	memcpy(&hlen, hdr + 4, 2);
	for (sum = 0, i = 0; i < hlen; i++)
		sum += hdr[i];
	check(!memcmp(hdr, "PCMP", 4) && !sum, "mptable: table checksum");
	check(hdr[44] == 0 && hdr[45] == 0 && (hdr[47] & 3) == 3 &&
	      hdr[64] == 0 && hdr[65] == 1 && (hdr[67] & 3) == 1,
	      "mptable: CPU 0 is the BSP, CPU 1 an AP");
	check(hdr[84 + 16] == 2 && hdr[84 + 17] == 2 &&
	      rd32(hdr, 84 + 20) == IOAPIC_BASE, "mptable: I/O APIC id 2");
	check(mptable_write(ram, sizeof(ram), 0xffff0, 2) < 0,
	      "mptable: refuses to run past RAM");
}

int main(void)
{
	printf("TAP version 13\n");
	test_insn();
	test_virtq();
	test_blk();
	test_boot();
	test_mptable();
	printf("1..%u\n# %u failed\n", tests, failures);
	return failures > 100 ? 100 : failures;
}
