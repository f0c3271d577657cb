/* SPDX-License-Identifier: GPL-2.0 */
/*
 * elf_load - load a static x86-64 ELF executable into guest RAM
 *
 * Shared by mshv-run and the selftests' vm64 library (which loads the test
 * program itself, /proc/self/exe).  Only ET_EXEC x86-64 files are
 * accepted; every PT_LOAD segment is copied to guest RAM at its physical
 * address, which must equal its virtual address (the guest runs with an
 * identity map), and the part beyond the file contents (.bss) is zeroed.
 */
#ifndef MSHV_ELF_LOAD_H
#define MSHV_ELF_LOAD_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/**
 * struct elf_image - an opened ELF file
 * @fd: the file
 * @phdrs: its program headers (malloc'd)
 * @phnum: number of program headers
 * @entry: entry point
 * @lo: lowest address of a PT_LOAD segment
 * @hi: end of the highest PT_LOAD segment (exclusive)
 * @error: what was wrong when a function failed
 */
struct elf_image {
	int fd;
	Elf64_Phdr *phdrs;
	unsigned int phnum;
	__u64 entry;
	__u64 lo;
	__u64 hi;
	const char *error;
};

bool elf_has_magic(const void *buf, size_t len);
int elf_open(struct elf_image *img, const char *path);
int elf_load(struct elf_image *img, void *ram, __u64 ram_size);
void elf_close(struct elf_image *img);

#endif /* MSHV_ELF_LOAD_H */
