// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-run Linux boot (see boot.h).
 *
 * A bzImage is a real-mode setup part ((setup_sects + 1) * 512 bytes,
 * the boot sector included) followed by the protected-mode kernel.  The
 * 64-bit boot protocol skips the setup code: the loader fills a zero page
 * (struct boot_params) with the image's setup header and the memory map,
 * command line and initramfs, copies the protected-mode kernel to its
 * preferred address, and enters it at that address + 0x200 in long mode
 * with identity-mapped page tables, RSI pointing at the zero page and
 * interrupts off.  The page tables and GDT are x64_boot.c's (identity
 * map of 4 GiB); the kernel replaces them early.
 *
 * Memory map given to the guest (e820):
 *
 *   0x00000 - 0x9fbff   RAM (page tables, zero page, command line)
 *   0x9fc00 - 0x9ffff   reserved (EBDA)
 *   0xf0000 - 0xfffff   reserved (the MP table)
 *   0x100000 - RAM end  RAM: kernel at its preferred address (16 MiB for
 *                       Debian's), the initramfs at the top
 */
#include <string.h>

#include "boot.h"
#include "vmm.h"
#include "x64_boot.h"

static __u8 get8(const void *p, unsigned int off)
{
	return ((const __u8 *)p)[off];
}

static __u16 get16(const void *p, unsigned int off)
{
	__u16 v;

	memcpy(&v, (const __u8 *)p + off, 2);
	return v;
}

static __u32 get32(const void *p, unsigned int off)
{
	__u32 v;

	memcpy(&v, (const __u8 *)p + off, 4);
	return v;
}

static __u64 get64(const void *p, unsigned int off)
{
	__u64 v;

	memcpy(&v, (const __u8 *)p + off, 8);
	return v;
}

static void put8(void *p, unsigned int off, __u8 v)
{
	((__u8 *)p)[off] = v;
}

static void put16(void *p, unsigned int off, __u16 v)
{
	memcpy((__u8 *)p + off, &v, 2);
}

static void put32(void *p, unsigned int off, __u32 v)
{
	memcpy((__u8 *)p + off, &v, 4);
}

static void e820_add(void *bp, __u64 addr, __u64 size, __u32 type)
{
	unsigned int n = get8(bp, BP_E820_ENTRIES);
	__u8 *e = (__u8 *)bp + BP_E820_TABLE + n * 20;

	memcpy(e, &addr, 8);
	memcpy(e + 8, &size, 8);
	memcpy(e + 16, &type, 4);
	put8(bp, BP_E820_ENTRIES, n + 1);
}

/**
 * linux_setup() - lay out a bzImage, its initramfs and command line in RAM
 * @ram: guest RAM at GPA 0
 * @ram_size: its size (at most MEM_HOLE_START)
 * @img: kernel image, optional initramfs, command line
 * @entry: receives the 64-bit entry point
 * @error: receives a message on failure
 *
 * Also builds x64_boot.c's page tables and GDT.  The caller starts VP 0
 * at @entry with x64_boot_regs() and RSI = BOOT_PARAMS_GPA.
 *
 * Return: 0, or -1 with @error set.
 */
int linux_setup(void *ram, __u64 ram_size, const struct linux_image *img,
		__u64 *entry, const char **error)
{
	const void *k = img->kernel;
	void *bp = (__u8 *)ram + BOOT_PARAMS_GPA;
	unsigned int setup_sects, hdr_end;
	__u64 load, init_size, pm_len, top, initrd_gpa = 0;
	size_t cmdline_len = strlen(img->cmdline) + 1;

	if (ram_size < 64ULL << 20 || ram_size > MEM_HOLE_START) {
		*error = "RAM must be between 64 MiB and 3 GiB";
		return -1;
	}
	if (img->kernel_len < 0x1000 || get16(k, BP_BOOT_FLAG) != 0xaa55 ||
	    memcmp((const __u8 *)k + BP_HEADER, "HdrS", 4)) {
		*error = "not a bzImage (no boot flag or HdrS header)";
		return -1;
	}
	if (get16(k, BP_VERSION) < 0x20c ||
	    !(get16(k, BP_XLOADFLAGS) & XLF_KERNEL_64)) {
		*error = "the kernel has no 64-bit entry point (boot protocol 2.12+)";
		return -1;
	}
	setup_sects = get8(k, BP_SETUP_SECTS) ? get8(k, BP_SETUP_SECTS) : 4;
	if ((setup_sects + 1) * 512ULL >= img->kernel_len) {
		*error = "truncated bzImage";
		return -1;
	}
	pm_len = img->kernel_len - (setup_sects + 1) * 512ULL;
	load = get64(k, BP_PREF_ADDRESS);
	if (load < BOOT_HIGH_GPA)
		load = BOOT_HIGH_GPA;
	init_size = get32(k, BP_INIT_SIZE);
	if (init_size < pm_len)
		init_size = pm_len;
	if (load + init_size > ram_size) {
		*error = "the kernel does not fit in RAM";
		return -1;
	}
	if (cmdline_len > BOOT_CMDLINE_MAX ||
	    cmdline_len > get32(k, BP_CMDLINE_SIZE) + 1ULL) {
		*error = "command line too long";
		return -1;
	}

	if (x64_build(ram, ram_size)) {
		*error = "cannot build the page tables";
		return -1;
	}
	/*
	 * Page 0 too: the decompressor reads the BIOS data area (base
	 * memory size, EBDA segment), which says 639 KiB, EBDA at 0x9fc00.
	 */
	*x64_pte(ram, 0) = X64_PTE_P | X64_PTE_RW;
	put16(ram, BDA_BASE_MEM_KB, BOOT_EBDA_GPA >> 10);
	put16(ram, BDA_EBDA_SEG, BOOT_EBDA_GPA >> 4);
	/* The zero page: the image's setup header, then what the loader sets. */
	memset(bp, 0, 0x1000);
	hdr_end = BP_JUMP + 2 + get8(k, BP_JUMP + 1);
	memcpy((__u8 *)bp + BP_HDR, (const __u8 *)k + BP_HDR, hdr_end - BP_HDR);
	put8(bp, BP_TYPE_OF_LOADER, 0xff);		/* undefined loader */
	put8(bp, BP_LOADFLAGS, get8(bp, BP_LOADFLAGS) | LOADED_HIGH |
	     CAN_USE_HEAP);
	put16(bp, BP_HEAP_END_PTR, 0xfe00);
	put32(bp, BP_CODE32_START, load);
	memcpy((__u8 *)ram + BOOT_CMDLINE_GPA, img->cmdline, cmdline_len);
	put32(bp, BP_CMD_LINE_PTR, BOOT_CMDLINE_GPA);
	put32(bp, BP_EXT_CMD_LINE_PTR, 0);

	memcpy((__u8 *)ram + load, (const __u8 *)k + (setup_sects + 1) * 512,
	       pm_len);

	if (img->initrd_len) {
		top = get32(k, BP_INITRD_ADDR_MAX) + 1ULL;
		if (top > ram_size)
			top = ram_size;
		if (img->initrd_len > top)
			goto no_room;
		initrd_gpa = (top - img->initrd_len) & ~0xfffULL;
		if (initrd_gpa < load + init_size)
			goto no_room;
		memcpy((__u8 *)ram + initrd_gpa, img->initrd, img->initrd_len);
		put32(bp, BP_RAMDISK_IMAGE, initrd_gpa);
		put32(bp, BP_RAMDISK_SIZE, img->initrd_len);
		put32(bp, BP_EXT_RAMDISK_IMAGE, initrd_gpa >> 32);
		put32(bp, BP_EXT_RAMDISK_SIZE, (__u64)img->initrd_len >> 32);
	}

	e820_add(bp, 0, BOOT_EBDA_GPA, E820_RAM);
	e820_add(bp, BOOT_EBDA_GPA, 0xa0000 - BOOT_EBDA_GPA, E820_RESERVED);
	e820_add(bp, BOOT_BIOS_GPA, BOOT_HIGH_GPA - BOOT_BIOS_GPA,
		 E820_RESERVED);
	e820_add(bp, BOOT_HIGH_GPA, ram_size - BOOT_HIGH_GPA, E820_RAM);

	*entry = load + 0x200;
	return 0;
no_room:
	*error = "the initramfs does not fit in RAM above the kernel";
	return -1;
}
