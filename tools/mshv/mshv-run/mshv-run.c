// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-run - a minimal VMM for /dev/mshv
 *
 * Runs a guest in a one-VP partition and emulates just enough of a COM1
 * serial port for the guest to print.  The guest is either a flat 16-bit
 * real-mode binary, or a static 64-bit ELF executable (ET_EXEC, x86-64,
 * recognised by its magic) that starts in long mode: its PT_LOAD segments
 * are loaded at their addresses and the VP gets the page tables, GDT, TSS
 * and register state of tools/mshv/lib/x64_boot.c (identity map of 4 GiB,
 * stack below X64_STACK_TOP).  The steps:
 *
 *   1. open /dev/mshv and create a partition (MSHV_CREATE_PARTITION, v2
 *      layout), then MSHV_INITIALIZE_PARTITION;
 *   2. back guest RAM at GPA 0 with anonymous memory and hand it to the
 *      partition (MSHV_SET_GUEST_MEMORY), copy the binary in (and for an
 *      ELF guest, build the long-mode structures);
 *   3. create VP 0 (MSHV_CREATE_VP) and mmap its register page;
 *   4. set the real-mode or long-mode register state with the
 *      SET_VP_REGISTERS hypercall (through MSHV_ROOT_HVCALL);
 *   5. loop on MSHV_RUN_VP and handle the message that ended each run.
 *
 * After an IO intercept the VP's RIP still points at the IN/OUT: the VMM
 * completes the access and moves RIP past it, here by writing the mmapped
 * register page and setting the matching "dirty" bits, which the
 * hypervisor loads before the next run.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <linux/mshv.h>
#include <hyperv/hvhdk.h>

#include "elf_load.h"
#include "x64_boot.h"

#define COM1_THR	0x3f8	/* transmit holding register (write) */
#define COM1_LSR	0x3fd	/* line status register (read) */
#define LSR_THR_EMPTY	0x60	/* THRE | TEMT: ready to send */

/* Exit codes. */
#define EXIT_HALTED	0
#define EXIT_ERROR	1	/* an ioctl or a system call failed */
#define EXIT_GUEST	2	/* the guest crashed */
#define EXIT_LIMIT	3	/* --max-exits reached */

#define SZ_2M		0x200000ULL

struct vmm {
	int dev_fd;
	int pt_fd;
	int vp_fd;
	void *ram;
	__u64 ram_size;
	struct hv_vp_register_page *regs;
	bool verbose;
};

static void die(const char *what)
{
	fprintf(stderr, "mshv-run: ");
	perror(what);
	exit(EXIT_ERROR);
}

static void print_usage(FILE *f, int status)
{
	fprintf(f,
		"usage: mshv-run [options] GUEST\n"
		"\n"
		"Run a flat 16-bit real-mode binary, or a static 64-bit ELF\n"
		"executable in long mode, on /dev/mshv. Bytes the guest writes\n"
		"to COM1 (port 0x3f8) go to stdout.\n"
		"\n"
		"  --load-addr ADDR  guest address of a flat binary and first\n"
		"                    instruction (default 0x1000; CS base is 0)\n"
		"  --mem SIZE        guest RAM at GPA 0, at least 64K (2M for\n"
		"                    ELF); suffixes K, M, G (default 1M, or for\n"
		"                    ELF the image rounded up to 2M)\n"
		"  --max-exits N     give up after N exits (default: no limit)\n"
		"  -v, --verbose     log ignored IO ports and every exit\n"
		"  -h, --help        show this text\n"
		"\n"
		"Exit status: 0 guest halted, 1 ioctl/system error, 2 guest\n"
		"crashed (unrecoverable exception, unmapped memory), 3 exit limit.\n");
	exit(status);
}

static __u64 parse_number(const char *s, const char *what, bool suffix)
{
	char *end;
	__u64 v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (suffix && *end) {
		int shift = 0;

		switch (*end) {
		case 'k': case 'K':
			shift = 10;
			break;
		case 'm': case 'M':
			shift = 20;
			break;
		case 'g': case 'G':
			shift = 30;
			break;
		}
		if (shift && !end[1] && v <= (~0ULL >> shift)) {
			v <<= shift;
			end++;
		}
	}
	if (errno || end == s || *end) {
		fprintf(stderr, "mshv-run: bad %s '%s'\n", what, s);
		print_usage(stderr, EXIT_ERROR);
	}
	return v;
}

/*
 * Issue a hypercall on the partition through the passthrough ioctl.  The
 * kernel fills in the partition id (the first 8 bytes of the input).
 */
static void hvcall(struct vmm *vmm, __u16 code, __u16 reps,
		   void *in, __u16 in_sz)
{
	struct mshv_root_hvcall args = {
		.code = code,
		.reps = reps,
		.in_sz = in_sz,
		.in_ptr = (__u64)(unsigned long)in,
	};

	if (ioctl(vmm->pt_fd, MSHV_ROOT_HVCALL, &args)) {
		fprintf(stderr, "mshv-run: hypercall 0x%x status 0x%x\n",
			code, args.status);
		die("MSHV_ROOT_HVCALL");
	}
}

static void create_partition(struct vmm *vmm)
{
	struct mshv_create_partition_v2 args = {
		.pt_flags = (1ULL << MSHV_PT_BIT_LAPIC) |
			    (1ULL << MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES),
		.pt_isolation = MSHV_PT_ISOLATION_NONE,
		/* Both banks given, all zero: disable no CPU feature. */
		.pt_num_cpu_fbanks = MSHV_NUM_CPU_FEATURES_BANKS,
	};

	vmm->dev_fd = open("/dev/mshv", O_RDWR | O_CLOEXEC);
	if (vmm->dev_fd < 0)
		die("/dev/mshv");
	vmm->pt_fd = ioctl(vmm->dev_fd, MSHV_CREATE_PARTITION, &args);
	if (vmm->pt_fd < 0)
		die("MSHV_CREATE_PARTITION");
	if (ioctl(vmm->pt_fd, MSHV_INITIALIZE_PARTITION))
		die("MSHV_INITIALIZE_PARTITION");
}

static void alloc_ram(struct vmm *vmm)
{
	vmm->ram = mmap(NULL, vmm->ram_size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vmm->ram == MAP_FAILED)
		die("mmap guest RAM");
}

static void register_ram(struct vmm *vmm)
{
	struct mshv_user_mem_region region = {
		.size = vmm->ram_size,
		.guest_pfn = 0,
		.userspace_addr = (__u64)(unsigned long)vmm->ram,
		.flags = (1 << MSHV_SET_MEM_BIT_WRITABLE) |
			 (1 << MSHV_SET_MEM_BIT_EXECUTABLE),
	};

	if (ioctl(vmm->pt_fd, MSHV_SET_GUEST_MEMORY, &region))
		die("MSHV_SET_GUEST_MEMORY");
}

/* Copy a flat binary to @load_addr. */
static void load_flat(struct vmm *vmm, const char *path, __u64 load_addr)
{
	struct stat st;
	ssize_t len;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st))
		die(path);
	if (load_addr >= vmm->ram_size ||
	    (__u64)st.st_size > vmm->ram_size - load_addr) {
		fprintf(stderr, "mshv-run: %s does not fit in RAM at 0x%llx\n",
			path, (unsigned long long)load_addr);
		exit(EXIT_ERROR);
	}
	len = read(fd, (char *)vmm->ram + load_addr, st.st_size);
	if (len != st.st_size)
		die(path);
	close(fd);
}

/* Does @path start with the ELF magic? */
static bool is_elf(const char *path)
{
	char magic[SELFMAG];
	ssize_t len;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(path);
	len = read(fd, magic, sizeof(magic));
	close(fd);
	return len == sizeof(magic) && elf_has_magic(magic, len);
}

static void elf_die(const char *path, const struct elf_image *img)
{
	fprintf(stderr, "mshv-run: %s: %s\n", path, img->error);
	exit(EXIT_ERROR);
}

/*
 * Size RAM for an ELF image (unless --mem was given), build the long-mode
 * structures and load the segments.  Returns the entry point.
 */
static __u64 load_elf(struct vmm *vmm, const char *path, bool mem_given)
{
	struct elf_image img;
	__u64 entry;

	if (elf_open(&img, path))
		elf_die(path, &img);
	if (img.lo < X64_FREE_GPA) {
		fprintf(stderr, "mshv-run: %s: loads at 0x%llx, below 0x%llx\n",
			path, (unsigned long long)img.lo, X64_FREE_GPA);
		exit(EXIT_ERROR);
	}
	if (!mem_given) {
		vmm->ram_size = img.hi > X64_MIN_RAM ? img.hi : X64_MIN_RAM;
		vmm->ram_size = (vmm->ram_size + SZ_2M - 1) & ~(SZ_2M - 1);
	}
	if (vmm->ram_size < X64_MIN_RAM) {
		fprintf(stderr, "mshv-run: an ELF guest needs --mem 2M at least\n");
		exit(EXIT_ERROR);
	}
	alloc_ram(vmm);
	if (x64_build(vmm->ram, vmm->ram_size) ||
	    elf_load(&img, vmm->ram, vmm->ram_size))
		elf_die(path, &img);
	entry = img.entry;
	elf_close(&img);
	return entry;
}

static void set_segment(struct hv_register_assoc *r, __u32 name, __u16 attr)
{
	r->name = name;
	r->value.segment.base = 0;
	r->value.segment.limit = 0xffff;
	r->value.segment.selector = 0;
	r->value.segment.attributes = attr;
}

static void set_reg64(struct hv_register_assoc *r, __u32 name, __u64 value)
{
	r->name = name;
	r->value.reg64 = value;
}

/* Real mode at @rip, CS base 0, stack at the top of the first 64K. */
static unsigned int real_mode_regs(struct hv_register_assoc *regs, __u64 rip,
				   __u64 ram_size)
{
	__u64 stack_top = ram_size < 0x10000 ? ram_size : 0x10000;

	/* Code segment: present, accessed, readable; data: writable. */
	set_segment(&regs[0], HV_X64_REGISTER_CS, 0x9b);
	set_segment(&regs[1], HV_X64_REGISTER_DS, 0x93);
	set_segment(&regs[2], HV_X64_REGISTER_ES, 0x93);
	set_segment(&regs[3], HV_X64_REGISTER_SS, 0x93);
	set_segment(&regs[4], HV_X64_REGISTER_FS, 0x93);
	set_segment(&regs[5], HV_X64_REGISTER_GS, 0x93);
	set_reg64(&regs[6], HV_X64_REGISTER_RIP, rip);
	set_reg64(&regs[7], HV_X64_REGISTER_RSP, stack_top - 0x10);
	set_reg64(&regs[8], HV_X64_REGISTER_RFLAGS, 0x2);	/* bit 1 is always 1 */
	return 9;
}

/* Create VP 0, map its register page and load @count registers. */
static void setup_vp(struct vmm *vmm, const struct hv_register_assoc *regs,
		     unsigned int count)
{
	struct mshv_create_vp vp = { .vp_index = 0 };
	struct {
		struct hv_input_set_vp_registers hdr;
		struct hv_register_assoc regs[X64_NR_BOOT_REGS];
	} in;

	vmm->vp_fd = ioctl(vmm->pt_fd, MSHV_CREATE_VP, &vp);
	if (vmm->vp_fd < 0)
		die("MSHV_CREATE_VP");
	vmm->regs = mmap(NULL, MSHV_HV_PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED, vmm->vp_fd,
			 MSHV_VP_MMAP_OFFSET_REGISTERS * sysconf(_SC_PAGESIZE));
	if (vmm->regs == MAP_FAILED)
		die("mmap register page");

	memset(&in, 0, sizeof(in));
	in.hdr.vp_index = 0;
	memcpy(in.regs, regs, count * sizeof(*regs));
	hvcall(vmm, HVCALL_SET_VP_REGISTERS, count, &in,
	       sizeof(in.hdr) + count * sizeof(*regs));
}

/* Emulate an IN or OUT, then step over it. */
static void handle_io(struct vmm *vmm,
		      const struct hv_x64_io_port_intercept_message *io)
{
	unsigned int size = io->access_info & HV_X64_IO_PORT_ACCESS_SIZE_MASK;
	__u64 mask = size >= 4 ? 0xffffffffULL : (1ULL << (size * 8)) - 1;
	struct hv_vp_register_page *regs = vmm->regs;

	if (io->access_info & HV_X64_IO_PORT_ACCESS_STRING_OP) {
		/* INS/OUTS would need RSI/RDI/RCX handling: not emulated. */
		if (vmm->verbose)
			fprintf(stderr, "mshv-run: string IO on port 0x%x ignored\n",
				io->port_number);
	} else if (io->header.intercept_access_type == HV_INTERCEPT_ACCESS_WRITE) {
		if (io->port_number == COM1_THR) {
			putchar(io->rax & 0xff);
			if ((io->rax & 0xff) == '\n')
				fflush(stdout);
		} else if (vmm->verbose) {
			fprintf(stderr, "mshv-run: out 0x%llx to port 0x%x ignored\n",
				(unsigned long long)(io->rax & mask),
				io->port_number);
		}
	} else {
		__u64 value = io->port_number == COM1_LSR ? LSR_THR_EMPTY : ~0ULL;

		if (vmm->verbose && io->port_number != COM1_LSR)
			fprintf(stderr, "mshv-run: in from port 0x%x: all ones\n",
				io->port_number);
		/* A 32-bit IN zero-extends into RAX; 8/16-bit ones merge. */
		if (size >= 4)
			regs->gp_registers[0] = value & mask;
		else
			regs->gp_registers[0] = (io->rax & ~mask) | (value & mask);
		regs->dirty |= 1U << HV_X64_REGISTER_CLASS_GENERAL;
	}

	regs->rip = io->header.rip + (io->header.instruction_length_cr8 & 0xf);
	regs->dirty |= 1U << HV_X64_REGISTER_CLASS_IP;
}

static int run_vp(struct vmm *vmm, unsigned long max_exits)
{
	struct mshv_run_vp run;
	struct hv_message *msg = (struct hv_message *)run.msg_buf;
	unsigned long exits = 0;

	while (!max_exits || exits < max_exits) {
		if (ioctl(vmm->vp_fd, MSHV_RUN_VP, &run)) {
			if (errno == EINTR)	/* a signal: just run again */
				continue;
			die("MSHV_RUN_VP");
		}
		exits++;
		if (vmm->verbose)
			fprintf(stderr, "mshv-run: exit %lu: message 0x%x\n",
				exits, msg->header.message_type);

		switch (msg->header.message_type) {
		case HVMSG_X64_IO_PORT_INTERCEPT:
			handle_io(vmm, (void *)msg->u.payload);
			break;
		case HVMSG_X64_HALT:
			fflush(stdout);
			fprintf(stderr, "mshv-run: guest halted\n");
			return EXIT_HALTED;
		case HVMSG_UNMAPPED_GPA: {
			struct hv_x64_memory_intercept_message *m =
				(void *)msg->u.payload;

			fflush(stdout);
			fprintf(stderr, "mshv-run: unmapped GPA 0x%llx (rip 0x%llx)\n",
				(unsigned long long)m->guest_physical_address,
				(unsigned long long)m->header.rip);
			return EXIT_GUEST;
		}
		case HVMSG_UNRECOVERABLE_EXCEPTION:
			fflush(stdout);
			fprintf(stderr, "mshv-run: unrecoverable exception (rip 0x%llx)\n",
				(unsigned long long)vmm->regs->rip);
			return EXIT_GUEST;
		default:
			fflush(stdout);
			fprintf(stderr, "mshv-run: unexpected message type 0x%x\n",
				msg->header.message_type);
			return EXIT_GUEST;
		}
	}
	fflush(stdout);
	fprintf(stderr, "mshv-run: stopped after %lu exits\n", max_exits);
	return EXIT_LIMIT;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "load-addr", required_argument, NULL, 'l' },
		{ "mem", required_argument, NULL, 'm' },
		{ "max-exits", required_argument, NULL, 'x' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct hv_register_assoc regs[X64_NR_BOOT_REGS];
	struct vmm vmm = { .ram_size = 1 << 20 };
	unsigned long max_exits = 0;
	__u64 load_addr = 0x1000;
	bool mem_given = false;
	unsigned int nregs;
	int opt;

	while ((opt = getopt_long(argc, argv, "vh", options, NULL)) != -1) {
		switch (opt) {
		case 'l':
			load_addr = parse_number(optarg, "load address", false);
			break;
		case 'm':
			vmm.ram_size = parse_number(optarg, "memory size", true);
			mem_given = true;
			break;
		case 'x':
			max_exits = parse_number(optarg, "exit count", false);
			break;
		case 'v':
			vmm.verbose = true;
			break;
		case 'h':
			print_usage(stdout, 0);
			break;
		default:
			print_usage(stderr, EXIT_ERROR);
		}
	}
	if (optind != argc - 1)
		print_usage(stderr, EXIT_ERROR);
	if (vmm.ram_size < 0x10000 || vmm.ram_size % MSHV_HV_PAGE_SIZE) {
		fprintf(stderr, "mshv-run: --mem must be a multiple of 4K and at least 64K\n");
		return EXIT_ERROR;
	}
	if (load_addr > 0xffff) {
		fprintf(stderr, "mshv-run: --load-addr must be below 64K (CS base is 0)\n");
		return EXIT_ERROR;
	}

	create_partition(&vmm);
	if (is_elf(argv[optind])) {
		__u64 entry = load_elf(&vmm, argv[optind], mem_given);

		/* RSP + 8 16-byte aligned, as at a C function's entry. */
		nregs = x64_boot_regs(regs, entry, X64_STACK_TOP - 8);
	} else {
		alloc_ram(&vmm);
		load_flat(&vmm, argv[optind], load_addr);
		nregs = real_mode_regs(regs, load_addr, vmm.ram_size);
	}
	register_ram(&vmm);
	setup_vp(&vmm, regs, nregs);
	/* Closing the fds on exit tears the partition down. */
	return run_vp(&vmm, max_exits);
}
