/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mshv-run Linux boot: the x86 boot protocol, 64-bit entry
 * (Documentation/arch/x86/boot.rst).
 */
#ifndef MSHV_RUN_BOOT_H
#define MSHV_RUN_BOOT_H

#include <stddef.h>
#include <linux/types.h>

/* Low memory of a Linux guest, next to x64_boot.h's structures. */
#define BOOT_PARAMS_GPA		0xc000ULL
#define BOOT_CMDLINE_GPA	0xd000ULL
#define BOOT_CMDLINE_MAX	0x3000U
#define BOOT_EBDA_GPA		0x9fc00ULL
#define BOOT_BIOS_GPA		0xf0000ULL	/* the MP table goes here */
#define BOOT_HIGH_GPA		0x100000ULL
#define BDA_EBDA_SEG		0x40e	/* BIOS data area: EBDA segment */
#define BDA_BASE_MEM_KB		0x413	/* BIOS data area: base memory, KiB */

/* Offsets in struct boot_params (arch/x86/include/uapi/asm/bootparam.h). */
#define BP_EXT_RAMDISK_IMAGE	0x0c0
#define BP_EXT_RAMDISK_SIZE	0x0c4
#define BP_EXT_CMD_LINE_PTR	0x0c8
#define BP_E820_ENTRIES		0x1e8
#define BP_HDR			0x1f1
#define BP_SETUP_SECTS		0x1f1
#define BP_BOOT_FLAG		0x1fe
#define BP_JUMP			0x200
#define BP_HEADER		0x202
#define BP_VERSION		0x206
#define BP_TYPE_OF_LOADER	0x210
#define BP_LOADFLAGS		0x211
#define BP_CODE32_START		0x214
#define BP_RAMDISK_IMAGE	0x218
#define BP_RAMDISK_SIZE		0x21c
#define BP_HEAP_END_PTR		0x224
#define BP_CMD_LINE_PTR		0x228
#define BP_INITRD_ADDR_MAX	0x22c
#define BP_KERNEL_ALIGNMENT	0x230
#define BP_XLOADFLAGS		0x236
#define BP_CMDLINE_SIZE		0x238
#define BP_PREF_ADDRESS		0x258
#define BP_INIT_SIZE		0x260
#define BP_E820_TABLE		0x2d0
#define BP_E820_MAX		128

#define E820_RAM		1
#define E820_RESERVED		2

#define LOADED_HIGH		0x01
#define CAN_USE_HEAP		0x80
#define XLF_KERNEL_64		0x01

struct linux_image {
	const void *kernel;
	size_t kernel_len;
	const void *initrd;
	size_t initrd_len;
	const char *cmdline;
};

int linux_setup(void *ram, __u64 ram_size, const struct linux_image *img,
		__u64 *entry, const char **error);

#endif /* MSHV_RUN_BOOT_H */
