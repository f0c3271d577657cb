// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for the /dev/mshv selftests; see include/mshv_util.h.
 */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#include "mshv_util.h"

void mshv_assert_fail(const char *file, int line, const char *expr,
		      const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "# ==== Test Assertion Failure ====\n");
	fprintf(stderr, "#   %s:%d: %s\n", file, line, expr);
	fprintf(stderr, "#   errno=%d (%s)\n#   ", err, strerror(err));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(KSFT_FAIL);
}

bool mshv_dev_present(void)
{
	return access(MSHV_DEV_PATH, F_OK) == 0;
}

int mshv_open_dev(void)
{
	int fd = open(MSHV_DEV_PATH, O_RDWR | O_CLOEXEC);

	TEST_ASSERT(fd >= 0, "open(%s)", MSHV_DEV_PATH);
	return fd;
}

/**
 * mshv_partition_args() - fill in a valid MSHV_CREATE_PARTITION argument
 * @args: the argument; large enough for both layouts
 * @v2: use the v2 layout (MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES), disabling
 *	no processor or XSAVE feature
 */
void mshv_partition_args(struct mshv_create_partition_v2 *args, bool v2)
{
	memset(args, 0, sizeof(*args));
	args->pt_flags = 1ULL << MSHV_PT_BIT_LAPIC;
	args->pt_isolation = MSHV_PT_ISOLATION_NONE;
	if (v2) {
		args->pt_flags |= 1ULL << MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES;
		args->pt_num_cpu_fbanks = MSHV_NUM_CPU_FEATURES_BANKS;
	}
}

int __mshv_create_partition(int dev_fd, const void *args)
{
	return ioctl(dev_fd, MSHV_CREATE_PARTITION, args);
}

int mshv_create_partition(int dev_fd, bool v2)
{
	struct mshv_create_partition_v2 args;
	int fd;

	mshv_partition_args(&args, v2);
	fd = __mshv_create_partition(dev_fd, &args);
	TEST_ASSERT(fd >= 0, "MSHV_CREATE_PARTITION (%s)", v2 ? "v2" : "v1");
	return fd;
}

int __mshv_initialize_partition(int pt_fd)
{
	return ioctl(pt_fd, MSHV_INITIALIZE_PARTITION);
}

/* Open /dev/mshv, create a partition and initialize it. */
void mshv_vm_create(struct mshv_vm *vm, bool v2)
{
	vm->dev_fd = mshv_open_dev();
	vm->fd = mshv_create_partition(vm->dev_fd, v2);
	TEST_ASSERT(__mshv_initialize_partition(vm->fd) == 0,
		    "MSHV_INITIALIZE_PARTITION");
}

void mshv_vm_destroy(struct mshv_vm *vm)
{
	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->dev_fd >= 0)
		close(vm->dev_fd);
	vm->fd = -1;
	vm->dev_fd = -1;
}

int __mshv_set_guest_memory(int pt_fd, __u64 gpa, __u64 size, void *hva,
			    __u8 flags)
{
	struct mshv_user_mem_region region = {
		.size = size,
		.guest_pfn = gpa / GUEST_PAGE_SIZE,
		.userspace_addr = (__u64)(unsigned long)hva,
		.flags = flags,
	};

	return ioctl(pt_fd, MSHV_SET_GUEST_MEMORY, &region);
}

/* Anonymous, zeroed, page-aligned memory to back guest RAM. */
void *mshv_alloc_guest_mem(__u64 size)
{
	void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	TEST_ASSERT(mem != MAP_FAILED, "mmap(%llu bytes)",
		    (unsigned long long)size);
	return mem;
}

/*
 * Anonymous memory of @size bytes starting on a 2 MiB boundary (so that
 * it can be backed by THPs); the rest of the mapping is trimmed.
 */
void *mshv_alloc_2m_aligned(__u64 size)
{
	const __u64 sz_2m = 0x200000;
	char *p = mmap(NULL, size + sz_2m, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	__u64 head;

	TEST_ASSERT(p != MAP_FAILED, "mmap(%llu bytes)",
		    (unsigned long long)size);
	head = (sz_2m - ((unsigned long)p & (sz_2m - 1))) & (sz_2m - 1);
	if (head)
		munmap(p, head);
	munmap(p + head + size, sz_2m - head);
	return p + head;
}

/*
 * The host frame behind @addr, from /proc/self/pagemap; 0 if the page is
 * not present or the frame numbers are hidden (not CAP_SYS_ADMIN).
 */
__u64 mshv_host_pfn(const void *addr)
{
	__u64 e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, sizeof(e),
		  (unsigned long)addr / sysconf(_SC_PAGESIZE) * 8) != sizeof(e))
		e = 0;
	close(fd);
	return (e & (1ULL << 63)) ? e & ((1ULL << 55) - 1) : 0;
}

/* Allocate @size bytes and map them writable and executable at @gpa. */
void *mshv_map_guest_mem(int pt_fd, __u64 gpa, __u64 size)
{
	void *mem = mshv_alloc_guest_mem(size);
	int ret;

	ret = __mshv_set_guest_memory(pt_fd, gpa, size, mem,
				      BIT(MSHV_SET_MEM_BIT_WRITABLE) |
				      BIT(MSHV_SET_MEM_BIT_EXECUTABLE));
	TEST_ASSERT(ret == 0, "MSHV_SET_GUEST_MEMORY gpa 0x%llx size 0x%llx",
		    (unsigned long long)gpa, (unsigned long long)size);
	return mem;
}

int __mshv_create_vp(int pt_fd, __u32 index)
{
	struct mshv_create_vp args = { .vp_index = index };

	return ioctl(pt_fd, MSHV_CREATE_VP, &args);
}

/* mmap one of the VP's pages (MSHV_VP_MMAP_OFFSET_*); MAP_FAILED on error. */
void *mshv_mmap_vp_page(int vp_fd, unsigned int page)
{
	return mmap(NULL, GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		    vp_fd, (off_t)page * sysconf(_SC_PAGESIZE));
}

void mshv_vcpu_create(struct mshv_vcpu *vcpu, int pt_fd, __u32 index)
{
	vcpu->index = index;
	vcpu->fd = __mshv_create_vp(pt_fd, index);
	TEST_ASSERT(vcpu->fd >= 0, "MSHV_CREATE_VP %u", index);
	vcpu->regs = mshv_mmap_vp_page(vcpu->fd,
				       MSHV_VP_MMAP_OFFSET_REGISTERS);
	TEST_ASSERT(vcpu->regs != MAP_FAILED, "mmap register page");
	vcpu->msg = mshv_mmap_vp_page(vcpu->fd,
				      MSHV_VP_MMAP_OFFSET_INTERCEPT_MESSAGE);
	TEST_ASSERT(vcpu->msg != MAP_FAILED, "mmap intercept message page");
}

/* Unmap the VP's pages and close its fd: the mappings hold the VP too. */
void mshv_vcpu_destroy(struct mshv_vcpu *vcpu)
{
	if (vcpu->regs && vcpu->regs != MAP_FAILED)
		munmap(vcpu->regs, GUEST_PAGE_SIZE);
	if (vcpu->msg && vcpu->msg != MAP_FAILED)
		munmap(vcpu->msg, GUEST_PAGE_SIZE);
	if (vcpu->fd >= 0)
		close(vcpu->fd);
	vcpu->regs = NULL;
	vcpu->msg = NULL;
	vcpu->fd = -1;
}

/* MSHV_RUN_VP, retried on EINTR; the message is copied to @msg. */
void mshv_run_vp(int vp_fd, struct hv_message *msg)
{
	struct mshv_run_vp run;
	int ret;

	static_assert(sizeof(run.msg_buf) == sizeof(*msg));
	do {
		ret = ioctl(vp_fd, MSHV_RUN_VP, &run);
	} while (ret < 0 && errno == EINTR);
	TEST_ASSERT(ret == 0, "MSHV_RUN_VP");
	memcpy(msg, run.msg_buf, sizeof(*msg));
}

/**
 * __mshv_hvcall() - issue a hypercall through MSHV_ROOT_HVCALL
 * @fd: /dev/mshv, partition or VP fd
 * @code: HVCALL_* code
 * @reps: rep count, 0 for a simple hypercall
 * @in: input; its first u64 is replaced by the kernel with the partition id
 * @in_sz: bytes of input
 * @out: output buffer or NULL
 * @out_sz: bytes of output
 * @status: if not NULL, receives the hypervisor status written back
 *
 * Return: the ioctl result: 0, or -1 with errno set.
 */
int __mshv_hvcall(int fd, __u16 code, __u16 reps, void *in, __u16 in_sz,
		  void *out, __u16 out_sz, __u16 *status)
{
	struct mshv_root_hvcall args = {
		.code = code,
		.reps = reps,
		.in_sz = in_sz,
		.out_sz = out_sz,
		.in_ptr = (__u64)(unsigned long)in,
		.out_ptr = (__u64)(unsigned long)out,
	};
	int ret;

	ret = ioctl(fd, MSHV_ROOT_HVCALL, &args);
	if (status)
		*status = args.status;
	return ret;
}

/* The hypercall input and output pages are at most one page each. */
#define MAX_REG_REPS	((GUEST_PAGE_SIZE - sizeof(struct hv_input_set_vp_registers)) / \
			 sizeof(struct hv_register_assoc))

int __mshv_get_regs(int fd, __u32 vp_index, const __u32 *names,
		    union hv_register_value *values, unsigned int count,
		    __u16 *status)
{
	__u64 in[GUEST_PAGE_SIZE / sizeof(__u64)];
	struct hv_input_get_vp_registers *input = (void *)in;
	size_t in_sz = sizeof(*input) + count * sizeof(__u32);

	TEST_ASSERT(count && count <= MAX_REG_REPS, "%u registers", count);
	memset(in, 0, sizeof(in));
	input->vp_index = vp_index;
	memcpy(input->names, names, count * sizeof(__u32));
	return __mshv_hvcall(fd, HVCALL_GET_VP_REGISTERS, count, in, in_sz,
			     values, count * sizeof(*values), status);
}

int __mshv_set_regs(int fd, __u32 vp_index,
		    const struct hv_register_assoc *assocs,
		    unsigned int count, __u16 *status)
{
	__u64 in[GUEST_PAGE_SIZE / sizeof(__u64)];
	struct hv_input_set_vp_registers *input = (void *)in;
	size_t in_sz = sizeof(*input) + count * sizeof(*assocs);

	TEST_ASSERT(count && count <= MAX_REG_REPS, "%u registers", count);
	memset(in, 0, sizeof(in));
	input->vp_index = vp_index;
	memcpy(input->elements, assocs, count * sizeof(*assocs));
	return __mshv_hvcall(fd, HVCALL_SET_VP_REGISTERS, count, in, in_sz,
			     NULL, 0, status);
}

__u64 mshv_get_reg(int fd, __u32 vp_index, __u32 name)
{
	union hv_register_value value;
	__u16 status;
	int ret;

	ret = __mshv_get_regs(fd, vp_index, &name, &value, 1, &status);
	TEST_ASSERT(ret == 0, "GET_VP_REGISTERS 0x%x: status 0x%x",
		    name, status);
	return value.reg64;
}

void mshv_set_reg(int fd, __u32 vp_index, __u32 name, __u64 value)
{
	struct hv_register_assoc assoc = {
		.name = name,
		.value.reg64 = value,
	};
	__u16 status;
	int ret;

	ret = __mshv_set_regs(fd, vp_index, &assoc, 1, &status);
	TEST_ASSERT(ret == 0, "SET_VP_REGISTERS 0x%x: status 0x%x",
		    name, status);
}

static void real_mode_segment(struct hv_register_assoc *assoc, __u32 name,
			      __u16 attributes)
{
	memset(assoc, 0, sizeof(*assoc));
	assoc->name = name;
	assoc->value.segment.base = 0;
	assoc->value.segment.limit = 0xffff;
	assoc->value.segment.selector = 0;
	assoc->value.segment.attributes = attributes;
}

/**
 * __mshv_set_real_mode() - point a VP at real-mode code
 * @fd: partition or VP fd
 * @vp_index: the VP
 * @rip: first instruction (CS base is 0, so this is a guest physical address)
 *
 * CS is an accessed, readable code segment (attributes 0x9b), DS/ES/SS are
 * writable data segments (0x93), all with selector 0, base 0, limit 0xffff.
 *
 * Return: the raw result of SET_VP_REGISTERS through MSHV_ROOT_HVCALL.
 */
int __mshv_set_real_mode(int fd, __u32 vp_index, __u64 rip)
{
	struct hv_register_assoc regs[7];
	__u16 status;

	real_mode_segment(&regs[0], HV_X64_REGISTER_CS, 0x9b);
	real_mode_segment(&regs[1], HV_X64_REGISTER_DS, 0x93);
	real_mode_segment(&regs[2], HV_X64_REGISTER_ES, 0x93);
	real_mode_segment(&regs[3], HV_X64_REGISTER_SS, 0x93);
	memset(&regs[4], 0, 3 * sizeof(regs[0]));
	regs[4].name = HV_X64_REGISTER_RIP;
	regs[4].value.reg64 = rip;
	regs[5].name = HV_X64_REGISTER_RFLAGS;
	regs[5].value.reg64 = 0x2;
	regs[6].name = HV_X64_REGISTER_RSP;
	regs[6].value.reg64 = GUEST_STACK_TOP;
	return __mshv_set_regs(fd, vp_index, regs, 7, &status);
}

/* The same, asserting success. */
void mshv_set_real_mode(int fd, __u32 vp_index, __u64 rip)
{
	TEST_ASSERT(__mshv_set_real_mode(fd, vp_index, rip) == 0,
		    "SET_VP_REGISTERS (real mode)");
}

/* Copy @len bytes of guest code to guest address @gpa of RAM at GPA 0. */
void mshv_load_guest(void *mem, __u64 gpa, const void *code, size_t len)
{
	memcpy((char *)mem + gpa, code, len);
}

int __mshv_get_property(int fd, __u32 code, __u64 *value, __u16 *status)
{
	struct hv_input_get_partition_property in = {
		.property_code = code,
	};
	struct hv_output_get_partition_property out = { 0 };
	int ret;

	ret = __mshv_hvcall(fd, HVCALL_GET_PARTITION_PROPERTY, 0, &in,
			    sizeof(in), &out, sizeof(out), status);
	if (!ret && value)
		*value = out.property_value;
	return ret;
}

int __mshv_set_property(int fd, __u32 code, __u64 value, __u16 *status)
{
	struct hv_input_set_partition_property in = {
		.property_code = code,
		.property_value = value,
	};

	return __mshv_hvcall(fd, HVCALL_SET_PARTITION_PROPERTY, 0, &in,
			     sizeof(in), NULL, 0, status);
}

__u64 mshv_get_property(int fd, __u32 code)
{
	__u16 status = 0;
	__u64 value = 0;
	int ret;

	ret = __mshv_get_property(fd, code, &value, &status);
	TEST_ASSERT(ret == 0, "GET_PARTITION_PROPERTY 0x%x: status 0x%x",
		    code, status);
	return value;
}

void mshv_set_property(int fd, __u32 code, __u64 value)
{
	__u16 status = 0;
	int ret;

	ret = __mshv_set_property(fd, code, value, &status);
	TEST_ASSERT(ret == 0,
		    "SET_PARTITION_PROPERTY 0x%x = 0x%llx: status 0x%x",
		    code, (unsigned long long)value, status);
}

static int vp_state_ioctl(int vp_fd, unsigned long cmd, __u8 type,
			  const void *buf, __u32 *buf_sz)
{
	struct mshv_get_set_vp_state args = {
		.type = type,
		.buf_sz = *buf_sz,
		.buf_ptr = (__u64)(unsigned long)buf,
	};
	int ret;

	ret = ioctl(vp_fd, cmd, &args);
	*buf_sz = args.buf_sz;
	return ret;
}

int __mshv_get_vp_state(int vp_fd, __u8 type, void *buf, __u32 *buf_sz)
{
	return vp_state_ioctl(vp_fd, MSHV_GET_VP_STATE, type, buf, buf_sz);
}

int __mshv_set_vp_state(int vp_fd, __u8 type, const void *buf,
			__u32 *buf_sz)
{
	return vp_state_ioctl(vp_fd, MSHV_SET_VP_STATE, type, buf, buf_sz);
}

void *mshv_alloc_state_buf(size_t size)
{
	void *buf = NULL;

	TEST_ASSERT(posix_memalign(&buf, GUEST_PAGE_SIZE, size) == 0,
		    "posix_memalign(%zu)", size);
	memset(buf, 0, size);
	return buf;
}

/**
 * read_num_file() - read a number from a sysfs or debugfs file
 * @path: the file
 *
 * Return: the number (decimal, or hex with 0x; a debugfs bool "Y"/"N" as
 * 1/0), or -1 if the file cannot be read.
 */
long long read_num_file(const char *path)
{
	char buf[64];
	ssize_t len;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	if (buf[0] == 'Y' || buf[0] == 'N')
		return buf[0] == 'Y';
	return strtoll(buf, NULL, 0);
}

/**
 * write_num_file() - write a number to a sysfs or debugfs file
 * @path: the file
 * @value: written in decimal, which kstrtoull() with base 0 and boolean
 *	module parameters ("0"/"1") both take
 *
 * Return: 0, or -1 if the file cannot be written or refuses the value.
 */
int write_num_file(const char *path, unsigned long long value)
{
	char buf[32];
	int fd, len, ret;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = snprintf(buf, sizeof(buf), "%llu\n", value);
	ret = write(fd, buf, len) == len ? 0 : -1;
	close(fd);
	return ret;
}

bool hvsim_root_scheduler(void)
{
	char buf[8] = "";
	ssize_t len;
	int fd;

	fd = open("/sys/module/hvsim/parameters/scheduler",
		  O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return len <= 0 || !strncmp(buf, "root", 4);
}

long hvsim_counter(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", HVSIM_DEBUGFS_DIR, name);
	return read_num_file(path);
}

/**
 * mshv_wait_idle() - wait until no partition of an earlier test is left
 *
 * The harness stops waiting for a test it killed on timeout, so that
 * test's process may still be tearing its partitions down (releasing
 * pinned pages, withdrawing deposits) when the next test starts and reads
 * its baseline of a global counter.  Both mshv_root (partitions not yet
 * destroyed to the end: its pages are unpinned after the hypervisor
 * deleted the partition) and hvsim count them; a counter that cannot be
 * read counts as 0.
 *
 * Return: true once neither counts a partition, false if some are still
 * there after MSHV_IDLE_WAIT_S seconds.
 */
bool mshv_wait_idle(void)
{
	time_t end = time(NULL) + MSHV_IDLE_WAIT_S;

	while (hvsim_counter("partitions") > 0 ||
	       read_num_file(MSHV_DEBUGFS_DIR "/partitions") > 0) {
		if (time(NULL) > end)
			return false;
		usleep(1000);
	}
	return true;
}

long hvsim_hypercall_count(__u16 code)
{
	char line[128], name[64];
	unsigned int c;
	long n, found = 0;
	FILE *f;

	f = fopen(HVSIM_DEBUGFS_DIR "/hypercalls", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%x %63s %ld", &c, name, &n) == 3 &&
		    c == code)
			found = n;
	fclose(f);
	return found;
}

int __mshv_set_msi_routing(int pt_fd, const struct mshv_user_irq_entry *e,
			   __u32 nr)
{
	struct mshv_user_irq_table *t;
	int ret, err;

	t = calloc(1, sizeof(*t) + nr * sizeof(*e));
	TEST_ASSERT(t, "calloc");
	t->nr = nr;
	if (nr)
		memcpy(t->entries, e, nr * sizeof(*e));
	ret = ioctl(pt_fd, MSHV_SET_MSI_ROUTING, t);
	err = errno;
	free(t);
	errno = err;
	return ret;
}

int __mshv_irqfd(int pt_fd, int fd, int resamplefd, __u32 gsi, __u32 flags)
{
	struct mshv_user_irqfd args = {
		.fd = fd, .resamplefd = resamplefd, .gsi = gsi, .flags = flags,
	};

	return ioctl(pt_fd, MSHV_IRQFD, &args);
}

int __mshv_ioeventfd(int pt_fd, int efd, __u64 addr, __u32 len,
		     __u32 flags, __u64 datamatch)
{
	struct mshv_user_ioeventfd args = {
		.datamatch = datamatch, .addr = addr, .len = len,
		.fd = efd, .flags = flags,
	};

	return ioctl(pt_fd, MSHV_IOEVENTFD, &args);
}

/*
 * The sum of counter @rel (a path such as "irq/dropped") over the
 * partitions this process has open: each has its directory
 * MSHV_DEBUGFS_PT_DIR/<pid>-<fd>.  0 without partitions; -1 if mshv_root
 * has no such directory (no debugfs) or a counter is not readable.
 */
long mshv_pt_counter(const char *rel)
{
	char prefix[32], path[512];
	struct dirent *d;
	long sum = 0, v;
	DIR *dir;

	dir = opendir(MSHV_DEBUGFS_PT_DIR);
	if (!dir)
		return -1;
	snprintf(prefix, sizeof(prefix), "%d-", getpid());
	while ((d = readdir(dir))) {
		if (strncmp(d->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", MSHV_DEBUGFS_PT_DIR,
			 d->d_name, rel);
		v = read_num_file(path);
		if (v < 0) {
			sum = -1;
			break;
		}
		sum += v;
	}
	closedir(dir);
	return sum;
}

long mshv_irq_counter(const char *name)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "irq/%s", name);
	return mshv_pt_counter(rel);
}

const char *mshv_tracefs(void)
{
	if (access("/sys/kernel/tracing/trace", W_OK) == 0)
		return "/sys/kernel/tracing";
	if (access("/sys/kernel/debug/tracing/trace", W_OK) == 0)
		return "/sys/kernel/debug/tracing";
	return NULL;
}

int mshv_trace_write(const char *dir, const char *file, const char *s)
{
	char path[256];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return ret;
}

const char *mshv_trace_read(const char *dir)
{
	static char buf[65536];
	char path[256];
	ssize_t n, len = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/trace", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return "";
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return buf;
}

long mshv_pinned_pages(void)
{
	return read_num_file(MSHV_DEBUGFS_DIR "/pinned_pages");
}

long mshv_leaked_pages(void)
{
	return read_num_file(MSHV_DEBUGFS_DIR "/leaked_pages");
}

int mshv_pt_switch(int pt_fd, const char *name, bool on)
{
	char path[256], old = 0;
	int fd, ret = -1;

	snprintf(path, sizeof(path), "%s/%d-%d/%s", MSHV_DEBUGFS_PT_DIR,
		 getpid(), pt_fd, name);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* A debugfs bool reads "Y" or "N" and takes "1" or "0". */
	if (read(fd, &old, 1) == 1 && (old == 'Y' || old == 'N') &&
	    pwrite(fd, on ? "1\n" : "0\n", 2, 0) == 2)
		ret = old == 'Y';
	close(fd);
	return ret;
}

int mshv_set_movable(int pt_fd, bool on)
{
	return mshv_pt_switch(pt_fd, "movable_regions", on);
}

/*
 * The knobs mshv_fail_nth_setup() sets to 0: fail allocations that may
 * reclaim and order-0 pages too, silently (no stack dump per failure).
 */
static const char * const fail_knobs[MSHV_FAIL_NR_KNOBS] = {
	MSHV_FAILSLAB_DIR "/ignore-gfp-wait",
	MSHV_FAIL_PAGE_DIR "/ignore-gfp-wait",
	MSHV_FAIL_PAGE_DIR "/min-order",
	MSHV_FAILSLAB_DIR "/verbose",
	MSHV_FAIL_PAGE_DIR "/verbose",
};

/* Whether this kernel has fail-nth with failslab and fail_page_alloc. */
bool mshv_fail_nth_present(void)
{
	return !access(MSHV_FAIL_NTH_PATH, W_OK) &&
	       !access(MSHV_FAILSLAB_DIR, F_OK) &&
	       !access(MSHV_FAIL_PAGE_DIR, F_OK);
}

static int fail_nth_write(struct mshv_fail_nth *f, unsigned int n)
{
	char buf[16];
	int len;

	len = snprintf(buf, sizeof(buf), "%u", n);
	return pwrite(f->fd, buf, len, 0) == len ? 0 : -1;
}

/* The eventfd of a fresh eventfd() is one GFP_KERNEL allocation. */
static bool fail_nth_bites(struct mshv_fail_nth *f)
{
	unsigned int left;
	int efd;

	mshv_fail_nth_arm(f, 1);
	efd = eventfd(0, EFD_CLOEXEC);
	left = mshv_fail_nth_disarm(f);
	if (efd >= 0)
		close(efd);
	return efd < 0 && !left;
}

/**
 * mshv_fail_nth_setup() - get ready to fail allocations of this thread
 * @f: filled in; released with mshv_fail_nth_cleanup()
 *
 * Saves the failslab and fail_page_alloc knobs and lifts their
 * exemptions, opens this thread's fail-nth (once: opening or closing it
 * between arming and the call under test would use up the count) and
 * checks that failing the first allocation of an eventfd() works.
 *
 * Return: 0, or -1 with everything put back.
 */
int mshv_fail_nth_setup(struct mshv_fail_nth *f)
{
	f->nr_saved = 0;
	f->fd = -1;
	while (f->nr_saved < MSHV_FAIL_NR_KNOBS) {
		const char *knob = fail_knobs[f->nr_saved];
		long long old = read_num_file(knob);

		if (old < 0)
			goto err;
		f->saved[f->nr_saved++] = old;
		if (write_num_file(knob, 0))
			goto err;
	}
	f->fd = open(MSHV_FAIL_NTH_PATH, O_RDWR | O_CLOEXEC);
	if (f->fd < 0 || !fail_nth_bites(f))
		goto err;
	return 0;

err:
	mshv_fail_nth_cleanup(f);
	return -1;
}

/**
 * mshv_fail_nth_cleanup() - undo mshv_fail_nth_setup()
 * @f: as set up, possibly in part
 */
void mshv_fail_nth_cleanup(struct mshv_fail_nth *f)
{
	if (f->nr_saved == MSHV_FAIL_NR_KNOBS && f->fd >= 0) {
		fail_nth_write(f, 0);
		close(f->fd);
	}
	f->fd = -1;
	while (f->nr_saved) {
		f->nr_saved--;
		write_num_file(fail_knobs[f->nr_saved], f->saved[f->nr_saved]);
	}
}

/**
 * mshv_fail_nth_arm() - fail the @n-th allocation from now on
 * @f: set up
 * @n: 1 for the next allocation of this thread; 0 disarms
 */
void mshv_fail_nth_arm(struct mshv_fail_nth *f, unsigned int n)
{
	TEST_ASSERT(!fail_nth_write(f, n), "write %u to %s", n,
		    MSHV_FAIL_NTH_PATH);
}

/**
 * mshv_fail_nth_disarm() - stop failing allocations
 * @f: set up
 *
 * Return: what was left of the count: 0 if the allocation it was armed
 * for happened (and failed), else the allocations still to come.
 */
unsigned int mshv_fail_nth_disarm(struct mshv_fail_nth *f)
{
	char buf[16] = "";
	unsigned int left;

	TEST_ASSERT(pread(f->fd, buf, sizeof(buf) - 1, 0) > 0, "read %s",
		    MSHV_FAIL_NTH_PATH);
	left = strtoul(buf, NULL, 10);
	mshv_fail_nth_arm(f, 0);
	return left;
}
