// SPDX-License-Identifier: GPL-2.0
/*
 * elf_load - load a static x86-64 ELF executable into guest RAM; see
 * elf_load.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "elf_load.h"

#define ELF_MAX_PHDRS	64

/* Does @buf start with the ELF magic? */
bool elf_has_magic(const void *buf, size_t len)
{
	return len >= SELFMAG && !memcmp(buf, ELFMAG, SELFMAG);
}

static int elf_fail(struct elf_image *img, int err, const char *why)
{
	img->error = why;
	return err;
}

static bool pread_all(int fd, void *buf, size_t len, off_t off)
{
	while (len) {
		ssize_t n = pread(fd, buf, len, off);

		if (n <= 0)
			return false;
		buf = (char *)buf + n;
		len -= n;
		off += n;
	}
	return true;
}

static int elf_check_header(struct elf_image *img, const Elf64_Ehdr *eh)
{
	if (!elf_has_magic(eh, sizeof(*eh)))
		return elf_fail(img, -ENOEXEC, "not an ELF file");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64)
		return elf_fail(img, -ENOEXEC, "not a 64-bit x86-64 ELF file");
	if (eh->e_type != ET_EXEC)
		return elf_fail(img, -ENOEXEC,
				"not ET_EXEC (position-dependent executable)");
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || !eh->e_phnum ||
	    eh->e_phnum > ELF_MAX_PHDRS)
		return elf_fail(img, -ENOEXEC, "bad program header table");
	return 0;
}

/* Check the PT_LOAD segments against the file and compute lo/hi. */
static int elf_check_segments(struct elf_image *img, __u64 file_size)
{
	unsigned int i, loads = 0;

	img->lo = ~0ULL;
	img->hi = 0;
	for (i = 0; i < img->phnum; i++) {
		const Elf64_Phdr *ph = &img->phdrs[i];

		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		if (ph->p_filesz > ph->p_memsz ||
		    ph->p_offset > file_size ||
		    ph->p_filesz > file_size - ph->p_offset)
			return elf_fail(img, -ENOEXEC,
					"PT_LOAD segment outside the file");
		if (ph->p_paddr != ph->p_vaddr)
			return elf_fail(img, -ENOEXEC,
					"PT_LOAD segment not identity mapped");
		if (ph->p_paddr + ph->p_memsz < ph->p_paddr)
			return elf_fail(img, -ENOEXEC,
					"PT_LOAD segment wraps around");
		if (ph->p_paddr < img->lo)
			img->lo = ph->p_paddr;
		if (ph->p_paddr + ph->p_memsz > img->hi)
			img->hi = ph->p_paddr + ph->p_memsz;
		loads++;
	}
	if (!loads)
		return elf_fail(img, -ENOEXEC, "no PT_LOAD segment");
	if (img->entry < img->lo || img->entry >= img->hi)
		return elf_fail(img, -ENOEXEC, "entry point outside the image");
	return 0;
}

/**
 * elf_open() - open an ELF executable and read its program headers
 * @img: filled in; pass to elf_close() whatever the result
 * @path: the file
 *
 * Return: 0; -ENOEXEC if the file is not a loadable x86-64 ET_EXEC file,
 * another negative errno if it could not be read (@img->error says why).
 */
int elf_open(struct elf_image *img, const char *path)
{
	Elf64_Ehdr eh;
	struct stat st;
	size_t size;
	int ret;

	memset(img, 0, sizeof(*img));
	img->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0 || fstat(img->fd, &st))
		return elf_fail(img, -errno, "cannot open or stat the file");
	if (!pread_all(img->fd, &eh, sizeof(eh), 0))
		return elf_fail(img, -ENOEXEC, "short ELF header");
	ret = elf_check_header(img, &eh);
	if (ret)
		return ret;
	img->entry = eh.e_entry;
	img->phnum = eh.e_phnum;
	size = img->phnum * sizeof(Elf64_Phdr);
	img->phdrs = malloc(size);
	if (!img->phdrs)
		return elf_fail(img, -ENOMEM, "out of memory");
	if (!pread_all(img->fd, img->phdrs, size, eh.e_phoff))
		return elf_fail(img, -ENOEXEC, "short program header table");
	return elf_check_segments(img, st.st_size);
}

/**
 * elf_load() - copy the PT_LOAD segments into guest RAM
 * @img: opened by elf_open()
 * @ram: guest RAM, mapped at GPA 0
 * @ram_size: its size; must cover @img->hi
 *
 * Return: 0, -E2BIG if the image does not fit, -EIO if reading failed.
 */
int elf_load(struct elf_image *img, void *ram, __u64 ram_size)
{
	unsigned int i;

	if (img->hi > ram_size)
		return elf_fail(img, -E2BIG, "image does not fit in guest RAM");
	for (i = 0; i < img->phnum; i++) {
		const Elf64_Phdr *ph = &img->phdrs[i];
		char *dst = (char *)ram + ph->p_paddr;

		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		if (!pread_all(img->fd, dst, ph->p_filesz, ph->p_offset))
			return elf_fail(img, -EIO, "cannot read a segment");
		memset(dst + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
	}
	return 0;
}

void elf_close(struct elf_image *img)
{
	if (img->fd >= 0)
		close(img->fd);
	free(img->phdrs);
	img->fd = -1;
	img->phdrs = NULL;
}
