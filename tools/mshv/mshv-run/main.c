// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-run - a small VMM for /dev/mshv
 *
 * Two kinds of guest:
 *
 * - a Linux kernel (--kernel bzImage, --initrd, --cmdline): booted with
 *   the x86 64-bit boot protocol (boot.c) on N vCPUs (--smp), with an MP
 *   table (mptable.c), a 16550 UART and an I/O APIC (serial.c, ioapic.c),
 *   a PCI bus (pci.c) with virtio-console, virtio-rng and optionally a
 *   file-backed virtio-blk (--disk);
 * - a test program: a flat 16-bit real-mode binary, or a static 64-bit
 *   ELF executable (ET_EXEC, x86-64, recognised by its magic) started in
 *   long mode with the page tables and GDT of the selftests' library
 *   (tools/testing/selftests/mshv/lib/x64_boot.c).  It
 *   gets one vCPU and the COM1 port, and may not touch unmapped memory.
 *
 * The /dev/mshv steps, in order:
 *
 *   1. open /dev/mshv and create a partition (MSHV_CREATE_PARTITION, v2
 *      layout, with the LAPIC flag: the hypervisor emulates the local
 *      APICs), then MSHV_INITIALIZE_PARTITION;
 *   2. back guest RAM at GPA 0 with anonymous memory and hand it to the
 *      partition (MSHV_SET_GUEST_MEMORY); everything else in the address
 *      space is MMIO: accesses exit as unmapped-GPA intercepts;
 *   3. create the VPs (MSHV_CREATE_VP) and mmap their register pages;
 *   4. set VP 0's registers with the SET_VP_REGISTERS hypercall (through
 *      MSHV_ROOT_HVCALL); the others are sent an INIT with
 *      ASSERT_VIRTUAL_INTERRUPT, so they wait for the guest's SIPI;
 *   5. set up interrupt routes (MSHV_SET_MSI_ROUTING) with an irqfd each
 *      (MSHV_IRQFD), and the virtio doorbells (MSHV_IOEVENTFD);
 *   6. run each VP in its own thread (MSHV_RUN_VP, vcpu.c).
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
#include "hyperv_root.h"

#include "boot.h"
#include "devices.h"
#include "elf_load.h"
#include "vmm.h"
#include "x64_boot.h"

#define SZ_2M		0x200000ULL
#define DEFAULT_CMDLINE	"console=ttyS0 loglevel=6 pci=noearly panic=-1"

struct options {
	const char *guest;
	const char *kernel;
	const char *initrd;
	const char *cmdline;
	const char *disk;
	bool console_input_virtio;
	bool mem_given;
	bool no_thp;
	__u64 load_addr;
};

static struct options opts = { .load_addr = 0x1000 };

void die(const char *what)
{
	fprintf(stderr, "mshv-run: ");
	perror(what);
	exit(EXIT_ERROR);
}

static void print_usage(FILE *f, int status)
{
	fprintf(f,
		"usage: mshv-run [options] --kernel BZIMAGE\n"
		"       mshv-run [options] GUEST\n"
		"\n"
		"Boot a Linux kernel, or run a flat 16-bit real-mode binary or a\n"
		"static 64-bit ELF executable, on /dev/mshv. The guest's serial\n"
		"port (COM1) and virtio console write to stdout.\n"
		"\n"
		"  --kernel FILE     bzImage to boot (64-bit boot protocol)\n"
		"  --initrd FILE     initramfs for --kernel\n"
		"  --cmdline TEXT    kernel command line (default \"" DEFAULT_CMDLINE "\")\n"
		"  --disk FILE       virtio-blk disk backed by FILE (read/write)\n"
		"  --smp N           vCPUs for --kernel (default 1, at most %d)\n"
		"  --console DEV     where stdin goes: serial (default) or virtio\n"
		"  --load-addr ADDR  guest address of a flat binary and first\n"
		"                    instruction (default 0x1000; CS base is 0)\n"
		"  --mem SIZE        guest RAM at GPA 0; suffixes K, M, G (default\n"
		"                    512M with --kernel, 1M for a flat binary, the\n"
		"                    image rounded up to 2M for ELF)\n"
		"  --max-exits N     give up after N exits of one vCPU\n"
		"  --no-thp          back guest RAM with 4 KiB pages only\n"
		"                    (default: ask for transparent huge pages)\n"
		"  --stats           print the number of exits and their rate\n"
		"  --stamp           start each line of guest output with\n"
		"                    \"mshv-run@T \", T the VMM's CLOCK_MONOTONIC\n"
		"                    seconds at the line's first byte\n"
		"  -v, --verbose     log unemulated accesses and every exit\n"
		"  -h, --help        show this text\n"
		"\n"
		"Exit status: 0 guest halted or powered off, 1 ioctl/system error,\n"
		"2 guest crashed (unrecoverable exception, unmapped memory in a\n"
		"test program), 3 exit limit, 4 guest reset (reboot).\n",
		MAX_VCPUS);
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
void hvcall(struct vmm *vmm, __u16 code, __u16 reps, void *in, __u16 in_sz)
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

void *gpa_to_hva(struct vmm *vmm, __u64 gpa, __u64 len)
{
	if (gpa > vmm->ram_size || len > vmm->ram_size - gpa)
		return NULL;
	return (char *)vmm->ram + gpa;
}

static void set_property(struct vmm *vmm, __u32 code, __u64 value)
{
	struct hv_input_set_partition_property in = {
		.property_code = code,
		.property_value = value,
	};

	hvcall(vmm, HVCALL_SET_PARTITION_PROPERTY, 0, &in, sizeof(in));
}

/*
 * A Linux guest is told it runs on Hyper-V (CPUID 0x40000000..), with
 * the privileges a stock kernel needs to keep time without a PIT: the
 * frequency MSRs give it the TSC and local APIC timer rates (so it
 * calibrates nothing), the invariant-TSC control makes the TSC its
 * clocksource, and the hypercall and VP index MSRs are what its Hyper-V
 * setup touches first.  Both properties can only be set before the
 * partition is initialized.
 */
static void set_enlightenments(struct vmm *vmm)
{
	set_property(vmm, HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
		     HV_SYNTHETIC_PROC_FEATURE_HYPERVISOR_PRESENT |
		     HV_SYNTHETIC_PROC_FEATURE_HV1);
	set_property(vmm, HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS,
		     HV_MSR_HYPERCALL_AVAILABLE | HV_MSR_VP_INDEX_AVAILABLE |
		     HV_ACCESS_FREQUENCY_MSRS | HV_ACCESS_TSC_INVARIANT);
}

static void create_partition(struct vmm *vmm, bool linux_guest)
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
	if (linux_guest)
		set_enlightenments(vmm);
	if (ioctl(vmm->pt_fd, MSHV_INITIALIZE_PARTITION))
		die("MSHV_INITIALIZE_PARTITION");
}

/*
 * Guest RAM, 2 MiB aligned so that each 2 MiB of GPA space can be one
 * transparent huge page, which the hypervisor then maps (and hvsim's SVM
 * engine nests) as one large page; asked for with MADV_HUGEPAGE, or
 * refused with MADV_NOHUGEPAGE under --no-thp.  Either is only advice.
 */
static void alloc_ram(struct vmm *vmm)
{
	char *p = mmap(NULL, vmm->ram_size + SZ_2M, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	__u64 head;

	if (p == MAP_FAILED)
		die("mmap guest RAM");
	head = -(unsigned long)p & (SZ_2M - 1);
	if (head)
		munmap(p, head);
	munmap(p + head + vmm->ram_size, SZ_2M - head);
	vmm->ram = p + head;
	/* EINVAL: a kernel without THP, where there is nothing to ask. */
	if (madvise(vmm->ram, vmm->ram_size,
		    opts.no_thp ? MADV_NOHUGEPAGE : MADV_HUGEPAGE) &&
	    errno != EINVAL)
		die("madvise guest RAM");
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

/* Map a whole file read-only; *len receives its size. */
static void *map_file(const char *path, size_t *len)
{
	struct stat st;
	void *p;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st))
		die(path);
	*len = st.st_size;
	if (!st.st_size) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		die(path);
	close(fd);
	return p;
}

/* Copy a flat binary to @load_addr. */
static void load_flat(struct vmm *vmm, const char *path, __u64 load_addr)
{
	size_t len;
	void *p = map_file(path, &len);

	if (load_addr >= vmm->ram_size || len > vmm->ram_size - load_addr) {
		fprintf(stderr, "mshv-run: %s does not fit in RAM at 0x%llx\n",
			path, (unsigned long long)load_addr);
		exit(EXIT_ERROR);
	}
	if (len)
		memcpy((char *)vmm->ram + load_addr, p, len);
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

/* Send an INIT to VP @index: it waits for a SIPI instead of running. */
static void vcpu_park(struct vmm *vmm, unsigned int index)
{
	struct hv_input_assert_virtual_interrupt in = {
		.control.interrupt_type = HV_X64_INTERRUPT_TYPE_INIT,
		.dest_addr = index,
	};

	hvcall(vmm, HVCALL_ASSERT_VIRTUAL_INTERRUPT, 0, &in, sizeof(in));
}

/*
 * MSRs the hypervisor does not implement read as zero and ignore writes,
 * as for Cloud Hypervisor's guests, instead of #GP: a stock kernel reads
 * machine-check and microcode MSRs that CPUID says exist.
 */
static void set_msr_action(struct vmm *vmm)
{
	set_property(vmm, HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION,
		     HV_UNIMPLEMENTED_MSR_ACTION_IGNORE_WRITE_READ_ZERO);
}

/* The Linux guest: RAM, image, tables, devices, VPs. */
static void setup_linux(struct vmm *vmm, const struct options *o)
{
	struct hv_register_assoc regs[X64_NR_BOOT_REGS + 1] = { };
	struct linux_image img = {
		.cmdline = o->cmdline ? o->cmdline : DEFAULT_CMDLINE,
	};
	const char *error;
	unsigned int i, n;
	__u64 entry;

	set_msr_action(vmm);
	alloc_ram(vmm);
	img.kernel = map_file(o->kernel, &img.kernel_len);
	if (o->initrd)
		img.initrd = map_file(o->initrd, &img.initrd_len);
	if (linux_setup(vmm->ram, vmm->ram_size, &img, &entry, &error)) {
		fprintf(stderr, "mshv-run: %s: %s\n", o->kernel, error);
		exit(EXIT_ERROR);
	}
	if (mptable_write(vmm->ram, vmm->ram_size, BOOT_BIOS_GPA,
			  vmm->nr_vcpus) < 0) {
		fprintf(stderr, "mshv-run: no room for the MP table\n");
		exit(EXIT_ERROR);
	}
	register_ram(vmm);

	irq_init(vmm);
	serial_init(vmm, true);
	legacy_init(vmm);
	ioapic_init(vmm);
	pci_init(vmm);
	if (virtio_console_create(vmm) || virtio_rng_create(vmm) ||
	    (o->disk && virtio_blk_create(vmm, o->disk))) {
		fprintf(stderr, "mshv-run: cannot create the virtio devices\n");
		exit(EXIT_ERROR);
	}

	for (i = 0; i < vmm->nr_vcpus; i++)
		vcpu_create(vmm, i);
	/* Entry per the 64-bit boot protocol: RSI = the zero page. */
	n = x64_boot_regs(regs, entry, X64_STACK_TOP - 8);
	set_reg64(&regs[n++], HV_X64_REGISTER_RSI, BOOT_PARAMS_GPA);
	vcpu_set_regs(&vmm->vcpus[0], regs, n);
	for (i = 1; i < vmm->nr_vcpus; i++)
		vcpu_park(vmm, i);
}

/* A flat or ELF test program on one vCPU. */
static void setup_program(struct vmm *vmm, const struct options *o)
{
	struct hv_register_assoc regs[X64_NR_BOOT_REGS] = { };
	unsigned int n;

	if (is_elf(o->guest)) {
		__u64 entry = load_elf(vmm, o->guest, o->mem_given);

		/* RSP + 8 16-byte aligned, as at a C function's entry. */
		n = x64_boot_regs(regs, entry, X64_STACK_TOP - 8);
	} else {
		alloc_ram(vmm);
		load_flat(vmm, o->guest, o->load_addr);
		n = real_mode_regs(regs, o->load_addr, vmm->ram_size);
	}
	register_ram(vmm);
	serial_init(vmm, false);
	vcpu_create(vmm, 0);
	vcpu_set_regs(&vmm->vcpus[0], regs, n);
}

/* Host stdin to the guest's console, until EOF. */
static void *input_thread(void *arg)
{
	struct vmm *vmm = arg;
	const struct options *o = &opts;
	char buf[256];
	ssize_t n;

	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) > 0) {
		pthread_mutex_lock(&vmm->lock);
		if (o->console_input_virtio)
			virtio_console_input(vmm, buf, n);
		else
			serial_input(vmm, buf, n);
		pthread_mutex_unlock(&vmm->lock);
	}
	return NULL;
}

static void parse_options(int argc, char **argv, struct vmm *vmm,
			  struct options *o)
{
	static const struct option options[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "disk", required_argument, NULL, 'd' },
		{ "smp", required_argument, NULL, 's' },
		{ "console", required_argument, NULL, 'C' },
		{ "load-addr", required_argument, NULL, 'l' },
		{ "mem", required_argument, NULL, 'm' },
		{ "max-exits", required_argument, NULL, 'x' },
		{ "no-thp", no_argument, NULL, 'H' },
		{ "stats", no_argument, NULL, 'S' },
		{ "stamp", no_argument, NULL, 'T' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "vh", options, NULL)) != -1) {
		switch (opt) {
		case 'k':
			o->kernel = optarg;
			break;
		case 'i':
			o->initrd = optarg;
			break;
		case 'c':
			o->cmdline = optarg;
			break;
		case 'd':
			o->disk = optarg;
			break;
		case 's':
			vmm->nr_vcpus = parse_number(optarg, "vCPU count", false);
			if (!vmm->nr_vcpus || vmm->nr_vcpus > MAX_VCPUS)
				print_usage(stderr, EXIT_ERROR);
			break;
		case 'C':
			if (strcmp(optarg, "serial") && strcmp(optarg, "virtio"))
				print_usage(stderr, EXIT_ERROR);
			o->console_input_virtio = !strcmp(optarg, "virtio");
			break;
		case 'l':
			o->load_addr = parse_number(optarg, "load address", false);
			break;
		case 'm':
			vmm->ram_size = parse_number(optarg, "memory size", true);
			o->mem_given = true;
			break;
		case 'x':
			vmm->max_exits = parse_number(optarg, "exit count", false);
			break;
		case 'H':
			o->no_thp = true;
			break;
		case 'S':
			vmm->stats = true;
			break;
		case 'T':
			console_stamp_lines();
			break;
		case 'v':
			vmm->verbose = true;
			break;
		case 'h':
			print_usage(stdout, 0);
			break;
		default:
			print_usage(stderr, EXIT_ERROR);
		}
	}
	if (o->kernel ? optind != argc : optind != argc - 1)
		print_usage(stderr, EXIT_ERROR);
	if (!o->kernel)
		o->guest = argv[optind];
	if (!o->kernel && (o->initrd || o->cmdline || o->disk ||
			   vmm->nr_vcpus > 1)) {
		fprintf(stderr, "mshv-run: --initrd, --cmdline, --disk and --smp need --kernel\n");
		exit(EXIT_ERROR);
	}
	if (o->kernel && !o->mem_given)
		vmm->ram_size = 512ULL << 20;
	if (vmm->ram_size < 0x10000 || vmm->ram_size % MSHV_HV_PAGE_SIZE) {
		fprintf(stderr, "mshv-run: --mem must be a multiple of 4K and at least 64K\n");
		exit(EXIT_ERROR);
	}
	if (o->load_addr > 0xffff) {
		fprintf(stderr, "mshv-run: --load-addr must be below 64K (CS base is 0)\n");
		exit(EXIT_ERROR);
	}
}

int main(int argc, char **argv)
{
	static struct vmm vmm = {
		.ram_size = 1 << 20,
		.nr_vcpus = 1,
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.stop_lock = PTHREAD_MUTEX_INITIALIZER,
		.stop_cond = PTHREAD_COND_INITIALIZER,
	};
	struct options *o = &opts;
	pthread_t input;

	parse_options(argc, argv, &vmm, o);
	create_partition(&vmm, o->kernel);
	if (o->kernel)
		setup_linux(&vmm, o);
	else
		setup_program(&vmm, o);
	if (o->kernel && pthread_create(&input, NULL, input_thread, &vmm))
		die("pthread_create");
	/* Exiting closes the fds, which tears the partition down. */
	return vcpus_run(&vmm);
}
