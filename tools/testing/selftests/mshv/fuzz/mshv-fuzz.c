// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-fuzz: a seeded, bounded, structure-aware fuzzer for /dev/mshv.
 *
 *   mshv-fuzz [--seed S] [--ops N] [--threads T] [--run-ops R]
 *             [--time-limit SECONDS] [--hang SECONDS] [--teardown SECONDS]
 *             [--verbose] [--max-region BYTES]
 *
 * T threads share one table of file descriptors (/dev/mshv, partitions,
 * VPs, eventfds) and one table of mappings (guest memory, VP pages) and
 * issue N operations in all, picked at random from a seeded generator:
 * every ioctl of every fd kind with valid, boundary and mutated arguments,
 * unknown ioctl numbers, bad pointers, MSHV_ROOT_HVCALL with random codes,
 * VP mmaps at random offsets, writes to the shared VP pages while VPs run a
 * small real-mode guest, interrupts through MSI routes and irqfds, closes in
 * random order, and forks whose child uses the inherited fds.
 *
 * The operations are grouped in runs of R.  After each run every fd is
 * closed and every mapping unmapped, and the invariants are checked once
 * teardown is done (polled, with a deadline): hvsim's partitions, vps,
 * deposited_pages and mapped_pages counters and mshv_root's pinned_pages
 * are back to their values at the start, leaked_pages did not change.
 *
 * User pointers handed to the kernel always point into a per-thread
 * scratch area followed by a guard page (or are deliberately bad), so the
 * kernel can never write over the fuzzer's own data; guest memory is
 * bounded (at most MAPS buffers of at most 2 MiB).
 *
 * Ends with one TAP line, "ok - mshv-fuzz seed S: N ops", or "not ok - ..."
 * and exit status 1 on an invariant failure or a hang (no operation
 * finished for --hang seconds).  --time-limit is a safety bound only: when
 * it expires the campaign stops early and says so.  --max-region caps the
 * size of every MSHV_SET_GUEST_MEMORY region, to keep a campaign going
 * past a known bug with absurd sizes.
 */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "mshv_util.h"

#define PAGE		4096UL
#define MAX_THREADS	16
#define SLOTS		8	/* fds per kind */
#define MAPS		24	/* mappings */
#define GUEST_BUF_MAX	0x200000UL
#define GUEST_IMAGE_SZ	0x10000UL
#define REGION_LOG	16	/* recently mapped regions, for unmapping */
#define KICK_US		2000	/* period of the signal that ends runs */

/* Per-thread scratch: ARG | IN | OUT, then a guard page. */
#define SCRATCH_PAGES	32
#define SCRATCH_SZ	(SCRATCH_PAGES * PAGE)
#define AREA_ARG	0
#define AREA_IN		1
#define AREA_OUT	2
static const unsigned long area_off[] = { 0, PAGE, 16 * PAGE };
static const unsigned long area_len[] = { PAGE, 15 * PAGE, 16 * PAGE };

#define KERNEL_PTR	0xffff888000000000ULL
#define NONCANON_PTR	0x8000000000000000ULL

/* --------------------------- random numbers --------------------------- */

struct rng {
	__u64 s;
};

/* splitmix64: every seed, thread and run gets an independent stream. */
static __u64 rnd64(struct rng *r)
{
	__u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static __u32 rnd(struct rng *r, __u32 n)
{
	return n ? (__u32)(rnd64(r) % n) : 0;
}

/* True with probability @pct percent. */
static bool chance(struct rng *r, unsigned int pct)
{
	return rnd(r, 100) < pct;
}

static const __u64 interesting[] = {
	0, 1, 2, 7, 8, 0xf, 0x10, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000,
	0x1001, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000,
	0xfffffffe, 0xffffffff, 0x100000000ULL, 0x7fffffffffffffffULL,
	0x8000000000000000ULL, 0xfffffffffffff000ULL, ~0ULL,
};

static __u64 rnd_interesting(struct rng *r)
{
	return interesting[rnd(r, ARRAY_SIZE(interesting))];
}

/* Mutate a few bytes, bits or aligned fields of @buf. */
static void mutate(struct rng *r, void *buf, size_t len)
{
	unsigned char *b = buf;
	unsigned int n = 1 + rnd(r, 3);
	size_t off;
	__u64 v;

	if (!len)
		return;
	while (n--) {
		off = rnd(r, len);
		switch (rnd(r, 5)) {
		case 0:
			b[off] ^= 1u << rnd(r, 8);
			break;
		case 1:
			b[off] = rnd(r, 256);
			break;
		case 2:
			off &= ~3UL;
			v = rnd_interesting(r);
			memcpy(b + off, &v, len - off < 4 ? len - off : 4);
			break;
		case 3:
			off &= ~7UL;
			v = chance(r, 50) ? rnd_interesting(r) : rnd64(r);
			memcpy(b + off, &v, len - off < 8 ? len - off : 8);
			break;
		default:
			memset(b + off, chance(r, 50) ? 0 : 0xff,
			       1 + rnd(r, len - off < 8 ? len - off : 8));
			break;
		}
	}
}

/* ------------------------------ tables ------------------------------ */

enum fd_kind { K_DEV, K_PT, K_VP, K_EVENT, K_NR };
static const char *const kind_name[K_NR] = {
	"dev", "partition", "vp", "eventfd",
};

struct slot {
	int fd;
	__u32 vp_index;
};

static struct slot slots[K_NR][SLOTS];
static pthread_mutex_t tbl_lock = PTHREAD_MUTEX_INITIALIZER;

enum map_kind { M_NONE, M_GUEST, M_VP };

struct map {
	int kind;
	char *addr;
	size_t len;
	bool writable;
	unsigned long pgoff;	/* VP page index */
};

static struct map maps[MAPS];
/* Readers use a mapping (scribble, load a guest); munmap takes it for write. */
static pthread_rwlock_t map_lock = PTHREAD_RWLOCK_INITIALIZER;

/* Regions mapped recently, so that unmaps can name them exactly. */
struct region {
	bool used;
	__u64 gfn, size, uaddr;
};

static struct region regions[REGION_LOG];
static unsigned int region_next;

/* ----------------------------- counters ----------------------------- */

static long ioctls[K_NR];
static long errs[256];
static long n_sigfaults, n_swept, n_runs_ok, n_msgs;
static long ops_done;		/* operations finished, all threads */
static long ops_started;	/* operations handed out */
static volatile int stop;	/* time limit reached */

#define INC(x)		__atomic_add_fetch(&(x), 1, __ATOMIC_RELAXED)
#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)

/* ------------------------------ threads ----------------------------- */

struct thr {
	int id;
	pthread_t tid;
	pid_t ktid;
	volatile int running;
	struct rng rng;
	char *scratch;
	const char *volatile op;
	sigjmp_buf jb;
	volatile int guarded;
	long ops_limit;		/* of this run, shared counter */
};

static __thread struct thr *self;
/* Held while kicking, and when a worker says it stops running. */
static pthread_mutex_t kick_lock = PTHREAD_MUTEX_INITIALIZER;
static struct thr thrs[MAX_THREADS];
static int nthreads = 2;
static char *ro_page;
static int verbose;

static void on_kick(int sig)
{
}

/* SIGSEGV/SIGBUS in a guarded access to a shared page: counted, survived. */
static void on_fault(int sig)
{
	if (self && self->guarded) {
		self->guarded = 0;
		siglongjmp(self->jb, 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static long fz_ioctl(int kind, int fd, unsigned long cmd, void *arg)
{
	long ret = ioctl(fd, cmd, arg);

	INC(ioctls[kind]);
	if (ret < 0)
		INC(errs[errno & 0xff]);
	return ret;
}

/* Put an fd in a random slot of @kind; an fd already there is closed. */
/* This run's partitions pin their RAM regions (movable_regions=N). */
static bool pinned_run;

static void put_fd(struct rng *r, int kind, int fd, __u32 vp_index)
{
	struct slot *s;

	if (fd < 0)
		return;
	/* Before another thread can see it: no region exists yet. */
	if (kind == K_PT && pinned_run)
		mshv_set_movable(fd, false);
	pthread_mutex_lock(&tbl_lock);
	s = &slots[kind][rnd(r, SLOTS)];
	if (s->fd >= 0)
		close(s->fd);
	s->fd = fd;
	s->vp_index = vp_index;
	pthread_mutex_unlock(&tbl_lock);
}

/*
 * An fd of @kind (-1 if there is none).  The fd may be closed, even reused,
 * by another thread before it is used: that is part of the test.
 */
static int pick_fd(struct rng *r, int kind, __u32 *vp_index)
{
	unsigned int i, start = rnd(r, SLOTS);
	int fd = -1;

	pthread_mutex_lock(&tbl_lock);
	for (i = 0; i < SLOTS; i++) {
		struct slot *s = &slots[kind][(start + i) % SLOTS];

		if (s->fd >= 0) {
			fd = s->fd;
			if (vp_index)
				*vp_index = s->vp_index;
			break;
		}
	}
	pthread_mutex_unlock(&tbl_lock);
	return fd;
}

static int add_map(struct rng *r, int kind, void *addr, size_t len,
		   bool writable, unsigned long pgoff)
{
	struct map *m;

	pthread_rwlock_wrlock(&map_lock);
	m = &maps[rnd(r, MAPS)];
	if (m->kind != M_NONE)
		munmap(m->addr, m->len);
	m->kind = kind;
	m->addr = addr;
	m->len = len;
	m->writable = writable;
	m->pgoff = pgoff;
	pthread_rwlock_unlock(&map_lock);
	return 0;
}

/* A mapping of @kind (M_NONE: any); map_lock held for read on success. */
static struct map *get_map(struct rng *r, int kind)
{
	unsigned int i, start = rnd(r, MAPS);

	pthread_rwlock_rdlock(&map_lock);
	for (i = 0; i < MAPS; i++) {
		struct map *m = &maps[(start + i) % MAPS];

		if (m->kind != M_NONE && (kind == M_NONE || m->kind == kind))
			return m;
	}
	pthread_rwlock_unlock(&map_lock);
	return NULL;
}

static void put_map(void)
{
	pthread_rwlock_unlock(&map_lock);
}

/* ------------------------------ pointers ----------------------------- */

/*
 * Copy @len bytes of @src to @area of the scratch space, mostly at a
 * place where all of it fits, sometimes at a bad or partly bad pointer,
 * and return the user pointer to hand to the kernel.
 */
static __u64 place(struct rng *r, int area, const void *src, size_t len)
{
	char *base = self->scratch + area_off[area];
	char *end = self->scratch + SCRATCH_SZ;
	char *p;

	if (len > area_len[area] && area != AREA_OUT)
		len = area_len[area];
	switch (rnd(r, 100)) {
	case 0 ... 84:
		p = area == AREA_OUT && len <= area_len[area] ?
		    end - len : base;
		break;
	case 85 ... 87:
		return 0;
	case 88 ... 89:
		return KERNEL_PTR + rnd(r, 0x1000000) * 8;
	case 90 ... 91:
		return (__u64)(unsigned long)end;	/* guard page */
	case 92 ... 94:
		/* Straddles the guard: copies fault part way. */
		p = end - (len > 1 ? len / 2 : 1);
		if (src)
			memcpy(p, src, end - p);
		return (__u64)(unsigned long)p;
	case 95 ... 96:
		return (__u64)(unsigned long)ro_page;
	case 97:
		return NONCANON_PTR;
	default:
		p = base + 1 + rnd(r, 7);		/* unaligned */
		break;
	}
	if (p + len > end)
		len = end - p;
	if (src)
		memcpy(p, src, len);
	return (__u64)(unsigned long)p;
}

/* ------------------------------- guest ------------------------------- */

/*
 * Real-mode guest at GUEST_CODE_GPA (0x1000), RAM at GPA 0:
 *
 *	xor %ax,%ax
 * 1:	inc %ax
 *	out %al,$0x80			PIO intercept
 *	mov %ax,0x2000			dirty a page
 *	mov 0x3000,%bx
 *	mov $0x2000,%bx; mov %bx,%es
 *	mov %al,%es:0			GPA 0x20000: unmapped (or ioeventfd)
 *	sti; hlt			wait for an interrupt
 *	jmp 1b
 *
 * Every IVT entry points at an iret at 0x1800.
 */
static const __u8 guest_code[] = {
	0x31, 0xc0, 0x40, 0xe6, 0x80, 0xa3, 0x00, 0x20,
	0x8b, 0x1e, 0x00, 0x30, 0xbb, 0x00, 0x20, 0x8e,
	0xc3, 0x26, 0xa2, 0x00, 0x00, 0xfb, 0xf4, 0xeb,
	0xe9,
};

#define GUEST_IRET	0x1800
#define GUEST_MMIO_GPA	0x20000ULL

static void guest_image(__u8 *mem)
{
	unsigned int v;

	for (v = 0; v < 256; v++) {
		mem[v * 4] = GUEST_IRET & 0xff;
		mem[v * 4 + 1] = GUEST_IRET >> 8;
		mem[v * 4 + 2] = 0;
		mem[v * 4 + 3] = 0;
	}
	mem[GUEST_IRET] = 0xcf;
	memcpy(mem + GUEST_CODE_GPA, guest_code, sizeof(guest_code));
}

/* Point a VP at the guest (no assertion: the fd may be gone by now). */
static int set_real_mode(int fd, __u32 vp_index)
{
	INC(ioctls[K_PT]);
	return __mshv_set_real_mode(fd, vp_index, GUEST_CODE_GPA);
}

/* -------------------------- argument pieces -------------------------- */

static __u32 rnd_vp_index(struct rng *r)
{
	static const __u32 odd[] = { 255, 256, 2047, 2048, 0xfffffffe,
				     0xffffffff };

	if (chance(r, 85))
		return rnd(r, 4);
	if (chance(r, 50))
		return odd[rnd(r, ARRAY_SIZE(odd))];
	return (__u32)rnd64(r);
}

static const __u32 reg_names[] = {
	HV_X64_REGISTER_RAX, HV_X64_REGISTER_RBX, HV_X64_REGISTER_RSP,
	HV_X64_REGISTER_RIP, HV_X64_REGISTER_RFLAGS, HV_X64_REGISTER_CR0,
	HV_X64_REGISTER_CR3, HV_X64_REGISTER_CR4, HV_X64_REGISTER_CR8,
	HV_X64_REGISTER_EFER, HV_X64_REGISTER_CS, HV_X64_REGISTER_SS,
	HV_X64_REGISTER_DS, HV_X64_REGISTER_ES, HV_X64_REGISTER_TR,
	HV_X64_REGISTER_IDTR, HV_X64_REGISTER_GDTR, HV_X64_REGISTER_APIC_BASE,
	HV_X64_REGISTER_DR7, HV_X64_REGISTER_XMM0, HV_X64_REGISTER_TSC,
	HV_X64_REGISTER_PAT, HV_X64_REGISTER_HYPERCALL,
	HV_X64_REGISTER_DELIVERABILITY_NOTIFICATIONS,
};

static __u32 rnd_reg_name(struct rng *r)
{
	if (chance(r, 90))
		return reg_names[rnd(r, ARRAY_SIZE(reg_names))];
	return (__u32)rnd64(r);
}

/* Property codes from Microsoft's published definitions (facts sheet). */
static const __u32 prop_codes[] = {
	0x10000, 0x10001, 0x20005, 0x50005, 0x50017, 0x60002, 0x60006,
	0x60007, 0x60008, 0x60009, 0x6000a, 0x6000b, 0x90007, 0x90009,
};

static const __u16 hv_codes[] = {
	HVCALL_GET_PARTITION_PROPERTY, HVCALL_SET_PARTITION_PROPERTY,
	HVCALL_INSTALL_INTERCEPT, HVCALL_GET_VP_REGISTERS,
	HVCALL_SET_VP_REGISTERS, HVCALL_TRANSLATE_VIRTUAL_ADDRESS,
	HVCALL_CLEAR_VIRTUAL_INTERRUPT, HVCALL_REGISTER_INTERCEPT_RESULT,
	HVCALL_ASSERT_VIRTUAL_INTERRUPT, HVCALL_SIGNAL_EVENT_DIRECT,
	HVCALL_POST_MESSAGE_DIRECT, HVCALL_GET_GPA_PAGES_ACCESS_STATES,
	HVCALL_GET_VP_CPUID_VALUES, HVCALL_GET_PARTITION_PROPERTY_EX,
	/* not allowed through the passthrough */
	HVCALL_CREATE_PARTITION, HVCALL_DELETE_PARTITION,
	HVCALL_DEPOSIT_MEMORY, HVCALL_WITHDRAW_MEMORY, HVCALL_MAP_GPA_PAGES,
	HVCALL_UNMAP_GPA_PAGES, HVCALL_CREATE_VP, HVCALL_DELETE_VP,
	HVCALL_DISPATCH_VP, HVCALL_MAP_VP_STATE_PAGE, HVCALL_SET_VP_STATE,
};

/* ----------------------------- operations ---------------------------- */

static void op_open_dev(struct rng *r)
{
	static const int modes[] = { O_RDWR, O_RDONLY, O_WRONLY };
	int fd = open(MSHV_DEV_PATH, modes[rnd(r, 3)] | O_CLOEXEC);

	put_fd(r, K_DEV, fd, 0);
}

static void op_create_partition(struct rng *r)
{
	struct mshv_create_partition_v2 a;
	int dev = pick_fd(r, K_DEV, NULL);
	long fd;

	if (dev < 0) {
		op_open_dev(r);
		return;
	}
	mshv_partition_args(&a, chance(r, 50));
	if (chance(r, 30))
		a.pt_flags |= 1ULL << rnd(r, MSHV_PT_BIT_COUNT);
	if (chance(r, 10))
		a.pt_num_cpu_fbanks = rnd(r, 4);
	if (chance(r, 10))
		a.pt_cpu_fbanks[0] = rnd64(r);
	if (chance(r, 15))
		mutate(r, &a, sizeof(a));
	fd = fz_ioctl(K_DEV, dev, MSHV_CREATE_PARTITION,
		      (void *)(unsigned long)place(r, AREA_ARG, &a,
						   sizeof(a)));
	if (fd >= 0)
		put_fd(r, K_PT, fd, 0);
}

static void op_init_partition(struct rng *r)
{
	int fd = pick_fd(r, K_PT, NULL);

	if (fd >= 0)
		fz_ioctl(K_PT, fd, MSHV_INITIALIZE_PARTITION,
			 (void *)(unsigned long)rnd64(r));
}

static void op_create_vp(struct rng *r)
{
	struct mshv_create_vp a = { .vp_index = rnd_vp_index(r) };
	int pt = pick_fd(r, K_PT, NULL);
	long fd;

	if (pt < 0)
		return;
	fd = fz_ioctl(K_PT, pt, MSHV_CREATE_VP,
		      (void *)(unsigned long)place(r, AREA_ARG, &a,
						   sizeof(a)));
	if (fd >= 0)
		put_fd(r, K_VP, fd, a.vp_index);
}

/* Sizes stay small unless the range is one the kernel must refuse. */
static __u64 rnd_region_size(struct rng *r, __u64 buf_len)
{
	static const __u64 odd[] = { 0, 1, 0x800, 0x1001,
				     0xfffffffffffff000ULL,
				     0x8000000000000000ULL, ~0ULL };

	switch (rnd(r, 10)) {
	case 0 ... 5:
		return buf_len;
	case 6:
		return (1 + rnd(r, buf_len / PAGE)) * PAGE;
	case 7:
		return buf_len + PAGE * (1 + rnd(r, 16));	/* runs off */
	case 8:
		return 0x10000000;	/* 256 MiB: pin fails, array small */
	default:
		return odd[rnd(r, ARRAY_SIZE(odd))];
	}
}

static __u64 rnd_gfn(struct rng *r)
{
	static const __u64 odd[] = { 0xfffff, 0x100000, 0xfffffffffULL,
				     0x1000000000ULL, 0xfffffffffffffULL,
				     ~0ULL };

	switch (rnd(r, 10)) {
	case 0 ... 3:
		return 0;
	case 4 ... 7:
		return rnd(r, 0x40) * (chance(r, 50) ? 0x10 : 1);
	case 8:
		return 0x200 * rnd(r, 8);	/* 2 MiB aligned */
	default:
		return odd[rnd(r, ARRAY_SIZE(odd))];
	}
}

static __u64 max_region;	/* --max-region: 0 for no limit */

/*
 * Region sizes between 256 MiB and 2^52 would make the driver allocate an
 * array of that many pages / 512: bounded.  Larger ones (which the kernel
 * should refuse) pass unless --max-region caps every size.
 */
static __u64 cap_size(__u64 size)
{
	if (size > 0x10000000 && size < (1ULL << 52))
		size = 0x10000000;
	if (max_region && size > max_region)
		size = max_region;
	return size;
}

static void log_region(__u64 gfn, __u64 size, __u64 uaddr)
{
	pthread_mutex_lock(&tbl_lock);
	regions[region_next] = (struct region){ true, gfn, size, uaddr };
	region_next = (region_next + 1) % REGION_LOG;
	pthread_mutex_unlock(&tbl_lock);
}

static void op_map_memory(struct rng *r)
{
	struct mshv_user_mem_region a = { 0 };
	int pt = pick_fd(r, K_PT, NULL);
	__u64 len = PAGE;
	struct map *m;

	if (pt < 0)
		return;
	m = get_map(r, chance(r, 85) ? M_GUEST : M_NONE);
	if (m) {
		a.userspace_addr = (__u64)(unsigned long)m->addr;
		len = m->len;
		put_map();	/* it may go away: the kernel copes */
	}
	if (chance(r, 10))
		a.userspace_addr = chance(r, 50) ? KERNEL_PTR :
				   (__u64)(unsigned long)ro_page;
	else if (chance(r, 5))
		a.userspace_addr += 1 + rnd(r, PAGE - 1);
	a.size = rnd_region_size(r, len);
	a.guest_pfn = rnd_gfn(r);
	a.flags = rnd(r, 4);	/* WRITABLE, EXECUTABLE */
	if (chance(r, 10))
		a.flags = rnd(r, 256);
	if (chance(r, 5))
		a.rsvd[rnd(r, 7)] = 1 + rnd(r, 255);
	if (chance(r, 10))
		mutate(r, &a, sizeof(a));
	/* A mutation must not turn this into a huge allocation. */
	a.size = cap_size(a.size);
	if (!fz_ioctl(K_PT, pt, MSHV_SET_GUEST_MEMORY,
		      (void *)(unsigned long)place(r, AREA_ARG, &a,
						   sizeof(a))))
		log_region(a.guest_pfn, a.size, a.userspace_addr);
}

static void op_unmap_memory(struct rng *r)
{
	struct mshv_user_mem_region a = { 0 };
	int pt = pick_fd(r, K_PT, NULL);
	struct region *g;

	if (pt < 0)
		return;
	pthread_mutex_lock(&tbl_lock);
	g = &regions[rnd(r, REGION_LOG)];
	if (g->used) {
		a.guest_pfn = g->gfn;
		a.size = g->size;
		a.userspace_addr = g->uaddr;
	}
	pthread_mutex_unlock(&tbl_lock);
	a.flags = BIT(MSHV_SET_MEM_BIT_UNMAP) | rnd(r, 4);
	if (chance(r, 15))
		mutate(r, &a, sizeof(a));
	a.size = cap_size(a.size);
	fz_ioctl(K_PT, pt, MSHV_SET_GUEST_MEMORY,
		 (void *)(unsigned long)place(r, AREA_ARG, &a, sizeof(a)));
}

static __u32 rnd_gsi(struct rng *r)
{
	if (chance(r, 90))
		return rnd(r, 8);
	return chance(r, 50) ? 4095 + rnd(r, 3) : (__u32)rnd64(r);
}

static void op_irqfd(struct rng *r)
{
	struct mshv_user_irqfd a;
	int pt = pick_fd(r, K_PT, NULL);

	if (pt < 0)
		return;
	a.fd = pick_fd(r, K_EVENT, NULL);
	a.resamplefd = chance(r, 30) ? pick_fd(r, K_EVENT, NULL) : -1;
	a.gsi = rnd_gsi(r);
	a.flags = 0;
	if (chance(r, 30))
		a.flags |= BIT(MSHV_IRQFD_BIT_DEASSIGN);
	if (a.resamplefd >= 0 && chance(r, 70))
		a.flags |= BIT(MSHV_IRQFD_BIT_RESAMPLE);
	if (chance(r, 10))
		mutate(r, &a, sizeof(a));
	fz_ioctl(K_PT, pt, MSHV_IRQFD,
		 (void *)(unsigned long)place(r, AREA_ARG, &a, sizeof(a)));
}

static void op_ioeventfd(struct rng *r)
{
	static const __u32 lens[] = { 0, 1, 2, 4, 8, 3, 16 };
	struct mshv_user_ioeventfd a = { 0 };
	int pt = pick_fd(r, K_PT, NULL);

	if (pt < 0)
		return;
	a.fd = pick_fd(r, K_EVENT, NULL);
	a.addr = chance(r, 60) ? GUEST_MMIO_GPA : rnd_interesting(r);
	a.len = lens[rnd(r, ARRAY_SIZE(lens))];
	a.datamatch = rnd(r, 4);
	a.flags = rnd(r, 8);
	if (chance(r, 5))
		a.rsvd[rnd(r, 4)] = 1;
	if (chance(r, 10))
		mutate(r, &a, sizeof(a));
	fz_ioctl(K_PT, pt, MSHV_IOEVENTFD,
		 (void *)(unsigned long)place(r, AREA_ARG, &a, sizeof(a)));
}

static void op_msi_routing(struct rng *r)
{
	struct mshv_user_irq_table *t;
	__u32 nr = rnd(r, 9), i, cap;
	int pt = pick_fd(r, K_PT, NULL);
	char *buf = self->scratch + PAGE;

	if (pt < 0)
		return;
	if (chance(r, 5))
		nr = chance(r, 50) ? 4096 + rnd(r, 2) : (__u32)rnd64(r);
	cap = (SCRATCH_SZ - PAGE - sizeof(*t)) / sizeof(t->entries[0]);
	t = (void *)buf;
	t->nr = nr;
	t->rsvd = chance(r, 3);
	for (i = 0; i < nr && i < cap; i++) {
		struct mshv_user_irq_entry *e = &t->entries[i];

		e->gsi = nr > 64 ? i : rnd_gsi(r);
		e->address_lo = MSI_ADDR(rnd(r, 4)) |
				(chance(r, 5) ? MSI_ADDR_LOGICAL : 0);
		e->address_hi = chance(r, 3);
		e->data = 0x20 + rnd(r, 0xe0);
		if (chance(r, 10))
			e->data |= MSI_DATA_LEVEL;
		if (chance(r, 10))
			e->data |= rnd(r, 8) << 8;	/* delivery mode */
		if (chance(r, 3))
			e->data = (__u32)rnd64(r);
	}
	if (chance(r, 10))
		mutate(r, t, sizeof(*t) + (nr < 8 ? nr : 8) * sizeof(*t->entries));
	fz_ioctl(K_PT, pt, MSHV_SET_MSI_ROUTING,
		 chance(r, 90) ? (void *)t :
		 (void *)(unsigned long)place(r, AREA_ARG, t, sizeof(*t)));
}

static void op_gpap(struct rng *r)
{
	struct mshv_gpap_access_bitmap a = { 0 };
	int pt = pick_fd(r, K_PT, NULL);
	__u64 bytes;

	if (pt < 0)
		return;
	a.access_type = rnd(r, 3);
	a.access_op = rnd(r, 4);
	a.page_count = chance(r, 80) ? 1 + rnd(r, 0x400) :
		       rnd_interesting(r);
	a.gpap_base = chance(r, 80) ? rnd(r, 0x20) : rnd_gfn(r);
	bytes = (a.page_count + 7) / 8;
	a.bitmap_ptr = place(r, AREA_OUT, NULL,
			     bytes > area_len[AREA_OUT] ? area_len[AREA_OUT] :
			     bytes);
	if (chance(r, 5))
		a.rsvd[rnd(r, 6)] = 1;
	if (chance(r, 10))
		mutate(r, &a, sizeof(a));
	fz_ioctl(K_PT, pt, MSHV_GET_GPAP_ACCESS_BITMAP,
		 (void *)(unsigned long)place(r, AREA_ARG, &a, sizeof(a)));
}

/* Hypercall input: partition id (overwritten), then something plausible. */
static void hvcall_input(struct rng *r, __u16 code, __u16 reps, __u64 *in,
			 size_t words)
{
	size_t i;

	for (i = 0; i < words; i++)
		in[i] = chance(r, 70) ? 0 : rnd64(r);
	if (words < 3)
		return;
	switch (code) {
	case HVCALL_GET_PARTITION_PROPERTY:
	case HVCALL_SET_PARTITION_PROPERTY:
	case HVCALL_GET_PARTITION_PROPERTY_EX:
		in[1] = chance(r, 85) ? prop_codes[rnd(r, ARRAY_SIZE(prop_codes))]
				      : rnd64(r) & 0xffffffff;
		in[2] = chance(r, 50) ? rnd(r, 2) : rnd_interesting(r);
		break;
	case HVCALL_GET_VP_REGISTERS:
		in[1] = rnd_vp_index(r);
		for (i = 0; i < reps && 4 + i < words * 2; i++)
			((__u32 *)in)[4 + i] = rnd_reg_name(r);
		break;
	case HVCALL_SET_VP_REGISTERS:
		in[1] = rnd_vp_index(r);
		for (i = 0; i < reps && 2 + 4 * i + 3 < words; i++) {
			in[2 + 4 * i] = rnd_reg_name(r);
			in[2 + 4 * i + 2] = chance(r, 50) ? rnd_interesting(r) :
					    rnd64(r);
		}
		break;
	default:
		in[1] = chance(r, 50) ? rnd_vp_index(r) : rnd64(r);
		break;
	}
}

static void op_hvcall(struct rng *r)
{
	static const int kinds[] = { K_DEV, K_PT, K_PT, K_VP, K_VP };
	struct mshv_root_hvcall a = { 0 };
	int kind = kinds[rnd(r, ARRAY_SIZE(kinds))];
	__u64 in[PAGE / 8];
	int fd = pick_fd(r, kind, NULL);
	size_t words;

	if (fd < 0)
		return;
	if (chance(r, 80))
		a.code = hv_codes[rnd(r, chance(r, 80) ? 14 :
				       ARRAY_SIZE(hv_codes))];
	else
		a.code = rnd(r, 0x200);
	a.reps = chance(r, 60) ? 0 : (chance(r, 80) ? 1 + rnd(r, 16) :
				     rnd_interesting(r));
	a.in_sz = chance(r, 80) ? 8 * (1 + rnd(r, 32)) :
		  (__u16)rnd_interesting(r);
	a.out_sz = chance(r, 50) ? 0 : (chance(r, 80) ? 8 * rnd(r, 64) :
					(__u16)rnd_interesting(r));
	words = a.in_sz / 8 < ARRAY_SIZE(in) ? a.in_sz / 8 : ARRAY_SIZE(in);
	if (words < 4)
		words = 4;
	hvcall_input(r, a.code, a.reps, in, words);
	a.in_ptr = place(r, AREA_IN, in, a.in_sz > PAGE ? PAGE : a.in_sz);
	a.out_ptr = a.out_sz || chance(r, 5) ?
		    place(r, AREA_OUT, NULL, a.out_sz) : 0;
	if (chance(r, 3))
		a.status = 1 + rnd(r, 0xffff);
	if (chance(r, 3))
		a.rsvd[rnd(r, 6)] = 1;
	if (chance(r, 10))
		mutate(r, &a, sizeof(a));
	fz_ioctl(kind, fd, MSHV_ROOT_HVCALL,
		 (void *)(unsigned long)place(r, AREA_ARG, &a, sizeof(a)));
}

/* Step over the intercepted instruction, through the passthrough. */
static void skip_insn(int fd, __u32 vp_index, const struct hv_message *msg)
{
	const struct hv_x64_intercept_message_header *h =
		(const void *)msg->u.payload;
	struct hv_register_assoc rip = { .name = HV_X64_REGISTER_RIP };
	unsigned int len = h->instruction_length_cr8 & 0xf;
	__u16 status;

	if (!len)
		return;
	rip.value.reg64 = h->rip + len;
	INC(ioctls[K_VP]);
	__mshv_set_regs(fd, vp_index, &rip, 1, &status);
}

static void op_run_vp(struct rng *r)
{
	unsigned int i, n = 1 + rnd(r, 8);
	struct hv_message *msg;
	__u32 vp_index = 0;
	int fd = pick_fd(r, K_VP, &vp_index);
	__u64 arg;

	if (fd < 0)
		return;
	for (i = 0; i < n && !stop; i++) {
		arg = place(r, AREA_OUT, NULL, sizeof(struct mshv_run_vp));
		if (fz_ioctl(K_VP, fd, MSHV_RUN_VP,
			     (void *)(unsigned long)arg)) {
			if (errno != EINTR && errno != EAGAIN)
				break;
			continue;
		}
		INC(n_msgs);
		msg = (void *)(self->scratch + SCRATCH_SZ -
			       sizeof(struct mshv_run_vp));
		if ((unsigned long)arg != (unsigned long)msg)
			continue;
		switch (msg->header.message_type) {
		case HVMSG_X64_IO_PORT_INTERCEPT:
		case HVMSG_UNMAPPED_GPA:
		case HVMSG_GPA_INTERCEPT:
			if (chance(r, 90))
				skip_insn(fd, vp_index, msg);
			break;
		case HVMSG_X64_HALT:
			break;
		default:
			if (chance(r, 20))
				set_real_mode(fd, vp_index);
			break;
		}
	}
}

static void op_vp_state(struct rng *r)
{
	static const __u32 sizes[] = { 0, 1, 0xfff, 0x1000, 0x2000, 0x3000,
				       0x10000, 0x11000, 0x100000,
				       0xffffffff };
	struct mshv_get_set_vp_state a = { 0 };
	int fd = pick_fd(r, K_VP, NULL);
	bool set = chance(r, 40);
	char *end = self->scratch + SCRATCH_SZ;

	if (fd < 0)
		return;
	a.type = chance(r, 90) ? rnd(r, MSHV_VP_STATE_COUNT) : rnd(r, 256);
	a.buf_sz = chance(r, 50) ? 0x1000 * (1 + rnd(r, 4)) :
		   sizes[rnd(r, ARRAY_SIZE(sizes))];
	if (a.buf_sz <= area_len[AREA_OUT])
		a.buf_ptr = (__u64)(unsigned long)(end -
						   ((a.buf_sz + PAGE - 1) & ~(PAGE - 1)));
	else
		a.buf_ptr = (__u64)(unsigned long)(self->scratch +
						   area_off[AREA_OUT]);
	if (chance(r, 10))
		a.buf_ptr = place(r, AREA_OUT, NULL, a.buf_sz);
	if (set && chance(r, 30))
		mutate(r, (void *)(unsigned long)(self->scratch +
						  area_off[AREA_OUT]),
		       area_len[AREA_OUT]);
	if (chance(r, 5))
		a.rsvd[rnd(r, 3)] = 1;
	if (chance(r, 10))
		mutate(r, &a, sizeof(a));
	fz_ioctl(K_VP, fd, set ? MSHV_SET_VP_STATE : MSHV_GET_VP_STATE,
		 (void *)(unsigned long)place(r, AREA_ARG, &a, sizeof(a)));
}

/* Read the first byte of a fresh mapping; a SIGBUS/SIGSEGV is counted. */
static void touch(const volatile char *p)
{
	self->guarded = 1;
	if (sigsetjmp(self->jb, 1)) {
		INC(n_sigfaults);
		return;
	}
	(void)*p;
	self->guarded = 0;
}

static void op_vp_mmap(struct rng *r)
{
	static const int prots[] = { PROT_READ | PROT_WRITE, PROT_READ,
				     PROT_WRITE, PROT_READ | PROT_EXEC,
				     PROT_NONE };
	int kind = chance(r, 90) ? K_VP : rnd(r, K_NR);
	int fd = pick_fd(r, kind, NULL);
	unsigned long pgoff;
	size_t len;
	int prot;
	void *p;

	if (fd < 0)
		return;
	pgoff = chance(r, 85) ? rnd(r, MSHV_VP_MMAP_OFFSET_COUNT + 1) :
		(chance(r, 50) ? rnd_interesting(r) & 0xfffffff : rnd(r, 64));
	len = chance(r, 85) ? PAGE : PAGE * rnd(r, 4);
	prot = chance(r, 80) ? prots[0] : prots[rnd(r, ARRAY_SIZE(prots))];
	p = mmap(NULL, len, prot, chance(r, 90) ? MAP_SHARED : MAP_PRIVATE,
		 fd, (off_t)(pgoff * PAGE));
	if (p == MAP_FAILED) {
		INC(errs[errno & 0xff]);
		return;
	}
	if (prot & PROT_READ)
		touch(p);
	add_map(r, M_VP, p, len, prot & PROT_WRITE && prot & PROT_READ,
		pgoff);
}

static void op_munmap(struct rng *r)
{
	struct map *m;

	pthread_rwlock_wrlock(&map_lock);
	m = &maps[rnd(r, MAPS)];
	if (m->kind != M_NONE) {
		munmap(m->addr, m->len);
		m->kind = M_NONE;
	}
	pthread_rwlock_unlock(&map_lock);
}

/* Scribble over a VP page (or guest memory) that the kernel shares. */
static void op_scribble(struct rng *r)
{
	struct map *m = get_map(r, chance(r, 85) ? M_VP : M_GUEST);
	volatile __u8 *p;
	unsigned int n, i;
	size_t off;
	__u64 v;

	if (!m)
		return;
	if (!m->writable) {
		put_map();
		return;
	}
	p = (volatile __u8 *)m->addr;
	n = 1 + rnd(r, 16);
	self->guarded = 1;
	if (sigsetjmp(self->jb, 1)) {
		INC(n_sigfaults);
		put_map();
		return;
	}
	for (i = 0; i < n; i++) {
		off = rnd(r, m->len);
		/* Aim at the register page's header and vector list. */
		if (m->kind == M_VP && m->pgoff == 0 && chance(r, 40)) {
			static const size_t hot[] = {
				0, 2, 3, 4,
				offsetof(struct hv_vp_register_page, rip),
				offsetof(struct hv_vp_register_page, rflags),
				offsetof(struct hv_vp_register_page,
					 segment_registers),
				offsetof(struct hv_vp_register_page,
					 interrupt_vector_count),
				offsetof(struct hv_vp_register_page,
					 interrupt_vectors),
			};
			off = hot[rnd(r, ARRAY_SIZE(hot))];
		}
		v = chance(r, 50) ? rnd_interesting(r) : rnd64(r);
		switch (rnd(r, 4)) {
		case 0:
			p[off] = v;
			break;
		case 1:
			off &= ~1UL;
			*(volatile __u16 *)(p + off) = v;
			break;
		case 2:
			off &= ~3UL;
			*(volatile __u32 *)(p + off) = v;
			break;
		default:
			off &= ~7UL;
			*(volatile __u64 *)(p + off) = v;
			break;
		}
	}
	self->guarded = 0;
	put_map();
}

static void op_eventfd(struct rng *r)
{
	__u64 v = 1;
	int fd;

	if (chance(r, 25)) {
		fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK |
			     (chance(r, 20) ? EFD_SEMAPHORE : 0));
		put_fd(r, K_EVENT, fd, 0);
		return;
	}
	fd = pick_fd(r, K_EVENT, NULL);
	if (fd < 0)
		return;
	if (chance(r, 30)) {
		if (read(fd, &v, sizeof(v)) < 0)
			INC(errs[errno & 0xff]);
		return;
	}
	if (chance(r, 5))
		v = chance(r, 50) ? ~0ULL : rnd64(r);
	if (write(fd, &v, sizeof(v)) < 0)
		INC(errs[errno & 0xff]);
}

static void op_close(struct rng *r)
{
	struct slot *s;

	pthread_mutex_lock(&tbl_lock);
	s = &slots[rnd(r, K_NR)][rnd(r, SLOTS)];
	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
	pthread_mutex_unlock(&tbl_lock);
}

static const unsigned long known_cmds[] = {
	MSHV_CREATE_PARTITION, MSHV_INITIALIZE_PARTITION, MSHV_CREATE_VP,
	MSHV_SET_GUEST_MEMORY, MSHV_IRQFD, MSHV_IOEVENTFD,
	MSHV_SET_MSI_ROUTING, MSHV_GET_GPAP_ACCESS_BITMAP, MSHV_ROOT_HVCALL,
	MSHV_RUN_VP, MSHV_GET_VP_STATE, MSHV_SET_VP_STATE,
	MSHV_CHECK_EXTENSION, MSHV_CREATE_VTL, MSHV_ADD_VTL0_MEMORY,
	MSHV_SET_POLL_FILE, MSHV_RETURN_TO_LOWER_VTL, MSHV_GET_VP_REGISTERS,
	MSHV_SET_VP_REGISTERS, MSHV_SINT_SIGNAL_EVENT, MSHV_SINT_POST_MESSAGE,
	MSHV_SINT_SET_EVENTFD, MSHV_SINT_PAUSE_MESSAGE_STREAM,
	MSHV_HVCALL_SETUP, MSHV_HVCALL,
};

/* Commands that allocate in proportion to a field get it bounded. */
static void tame(unsigned long cmd, void *arg)
{
	struct mshv_user_mem_region *m = arg;

	if (cmd == MSHV_SET_GUEST_MEMORY)
		m->size = cap_size(m->size);
}

/* Any command, known or not, on any fd kind, with random bytes. */
static void op_raw_ioctl(struct rng *r)
{
	int kind = rnd(r, K_NR);
	int fd = pick_fd(r, kind, NULL);
	unsigned long cmd;
	char *arg = self->scratch;
	unsigned int i;
	long ret;

	if (fd < 0)
		return;
	switch (rnd(r, 4)) {
	case 0:
	case 1:
		cmd = known_cmds[rnd(r, ARRAY_SIZE(known_cmds))];
		if (chance(r, 20))	/* same number, other size/direction */
			cmd = _IOC(rnd(r, 4), MSHV_IOCTL, _IOC_NR(cmd),
				   rnd(r, 0x400));
		break;
	case 2:
		cmd = _IOC(rnd(r, 4), MSHV_IOCTL, rnd(r, 256), rnd(r, 0x400));
		break;
	default:
		cmd = (__u32)rnd64(r);
		break;
	}
	for (i = 0; i < PAGE / 8; i++)
		((__u64 *)arg)[i] = chance(r, 60) ? 0 : rnd64(r);
	tame(cmd, arg);
	ret = fz_ioctl(kind, fd, cmd,
		       chance(r, 90) ? (void *)arg :
		       (void *)(unsigned long)place(r, AREA_ARG, NULL, 0));
	if (ret > 2 && cmd == MSHV_CREATE_PARTITION)
		put_fd(r, K_PT, ret, 0);
	else if (ret > 2 && cmd == MSHV_CREATE_VP)
		put_fd(r, K_VP, ret, *(__u32 *)arg);
}

static void op_guest_mem(struct rng *r)
{
	static const size_t sizes[] = { PAGE, 4 * PAGE, GUEST_IMAGE_SZ,
					GUEST_BUF_MAX };
	size_t len = sizes[rnd(r, ARRAY_SIZE(sizes))];
	struct map *m;
	void *p;

	if (chance(r, 40)) {
		/* Throw pages away under a region, or make them read-only. */
		m = get_map(r, M_GUEST);
		if (!m)
			return;
		if (chance(r, 70))
			madvise(m->addr, m->len, MADV_DONTNEED);
		else
			m->writable = !!mprotect(m->addr, m->len, PROT_READ);
		put_map();
		return;
	}
	if (len == GUEST_BUF_MAX)
		p = mshv_alloc_2m_aligned(len);
	else
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return;
	if (len >= GUEST_IMAGE_SZ)
		guest_image(p);
	add_map(r, M_GUEST, p, len, true, 0);
}

/* A complete, working guest: partition, RAM, VPs, pages, MSIs, irqfd. */
static void op_setup_guest(struct rng *r)
{
	struct mshv_user_mem_region mr = { 0 };
	struct mshv_user_irq_entry e[4];
	struct mshv_create_partition_v2 a;
	int dev, pt, vp, ev;
	unsigned int i, nvp = 1 + rnd(r, 2);
	unsigned long pgoff;
	void *mem, *pg;

	dev = open(MSHV_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return;
	mshv_partition_args(&a, true);
	pt = fz_ioctl(K_DEV, dev, MSHV_CREATE_PARTITION, &a);
	put_fd(r, K_DEV, dev, 0);
	if (pt < 0)
		return;
	put_fd(r, K_PT, pt, 0);
	fz_ioctl(K_PT, pt, MSHV_INITIALIZE_PARTITION, NULL);
	mem = mmap(NULL, GUEST_IMAGE_SZ, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return;
	guest_image(mem);
	add_map(r, M_GUEST, mem, GUEST_IMAGE_SZ, true, 0);
	mr.size = GUEST_IMAGE_SZ;
	mr.userspace_addr = (__u64)(unsigned long)mem;
	mr.flags = BIT(MSHV_SET_MEM_BIT_WRITABLE) |
		   BIT(MSHV_SET_MEM_BIT_EXECUTABLE);
	if (!fz_ioctl(K_PT, pt, MSHV_SET_GUEST_MEMORY, &mr))
		log_region(0, mr.size, mr.userspace_addr);
	for (i = 0; i < nvp; i++) {
		struct mshv_create_vp c = { .vp_index = i };

		vp = fz_ioctl(K_PT, pt, MSHV_CREATE_VP, &c);
		if (vp < 0)
			continue;
		put_fd(r, K_VP, vp, i);
		set_real_mode(pt, i);
		for (pgoff = MSHV_VP_MMAP_OFFSET_REGISTERS;
		     pgoff <= MSHV_VP_MMAP_OFFSET_INTERCEPT_MESSAGE; pgoff++) {
			pg = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				  MAP_SHARED, vp, pgoff * PAGE);
			if (pg != MAP_FAILED)
				add_map(r, M_VP, pg, PAGE, true, pgoff);
		}
	}
	for (i = 0; i < ARRAY_SIZE(e); i++) {
		e[i].gsi = i;
		e[i].address_lo = MSI_ADDR(i % nvp);
		e[i].address_hi = 0;
		e[i].data = 0x30 + i;
	}
	__mshv_set_msi_routing(pt, e, ARRAY_SIZE(e));
	INC(ioctls[K_PT]);
	ev = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ev >= 0) {
		__mshv_irqfd(pt, ev, -1, rnd(r, 4), 0);
		INC(ioctls[K_PT]);
		put_fd(r, K_EVENT, ev, 0);
	}
}

static void op_set_regs(struct rng *r)
{
	struct hv_register_assoc a = { 0 };
	int kind = chance(r, 50) ? K_PT : K_VP;
	__u32 vp_index = 0;
	int fd = pick_fd(r, kind, &vp_index);
	__u16 status;

	if (fd < 0)
		return;
	if (kind == K_PT)
		vp_index = rnd_vp_index(r);
	if (chance(r, 50)) {
		set_real_mode(fd, vp_index);
		return;
	}
	a.name = rnd_reg_name(r);
	a.value.reg64 = chance(r, 50) ? rnd_interesting(r) : rnd64(r);
	INC(ioctls[kind]);
	__mshv_set_regs(fd, vp_index, &a, 1, &status);
}

/*
 * fork(): the child uses the fds and mappings it inherited (another mm)
 * for a moment, then exits, closing its copies.  SIGALRM bounds it.
 */
static void op_fork(struct rng *r)
{
	int pt = pick_fd(r, K_PT, NULL), vp = pick_fd(r, K_VP, NULL);
	struct mshv_user_mem_region mr = { 0 };
	struct mshv_run_vp run;
	__u64 seed = rnd64(r);
	pid_t pid;
	int st;

	pid = fork();
	if (pid < 0)
		return;
	if (!pid) {
		struct rng cr = { seed };

		alarm(2);
		mr.size = PAGE;
		mr.guest_pfn = 0x100 + rnd(&cr, 16);
		mr.userspace_addr = (__u64)(unsigned long)self->scratch;
		mr.flags = rnd(&cr, 4);
		if (pt >= 0)
			ioctl(pt, MSHV_SET_GUEST_MEMORY, &mr);
		if (vp >= 0 && chance(&cr, 50))
			ioctl(vp, MSHV_RUN_VP, &run);
		if (pt >= 0) {
			mr.flags = BIT(MSHV_SET_MEM_BIT_UNMAP);
			ioctl(pt, MSHV_SET_GUEST_MEMORY, &mr);
		}
		_exit(0);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

struct op {
	const char *name;
	void (*fn)(struct rng *r);
	unsigned int weight;
	long count;
};

#define OP(name, weight)	{ #name, op_##name, weight, 0 }

static struct op ops[] = {
	OP(open_dev, 2),
	OP(create_partition, 5),
	OP(init_partition, 4),
	OP(create_vp, 5),
	OP(map_memory, 8),
	OP(unmap_memory, 5),
	OP(irqfd, 5),
	OP(ioeventfd, 4),
	OP(msi_routing, 4),
	OP(gpap, 4),
	OP(hvcall, 12),
	OP(run_vp, 12),
	OP(vp_state, 5),
	OP(vp_mmap, 4),
	OP(munmap, 3),
	OP(scribble, 10),
	OP(eventfd, 8),
	OP(close, 5),
	OP(raw_ioctl, 8),
	OP(guest_mem, 4),
	OP(setup_guest, 2),
	OP(set_regs, 4),
	OP(fork, 1),
};

static struct op *pick_op(struct rng *r)
{
	unsigned int total = 0, i, x;

	for (i = 0; i < ARRAY_SIZE(ops); i++)
		total += ops[i].weight;
	x = rnd(r, total);
	for (i = 0; x >= ops[i].weight; i++)
		x -= ops[i].weight;
	return &ops[i];
}

/* ------------------------------- driver ------------------------------- */

static void *worker(void *arg)
{
	struct thr *t = arg;
	struct op *op;

	self = t;
	t->ktid = gettid();
	t->running = 1;
	while (!stop &&
	       __atomic_fetch_add(&ops_started, 1, __ATOMIC_RELAXED) <
	       t->ops_limit) {
		op = pick_op(&t->rng);
		t->op = op->name;
		op->fn(&t->rng);
		INC(op->count);
		INC(ops_done);
		t->op = "idle";
	}
	pthread_mutex_lock(&kick_lock);
	t->running = 0;
	pthread_mutex_unlock(&kick_lock);
	return NULL;
}

static time_t t_start;
static int time_limit = 600, hang_s = 60;
static __u64 seed = 1;
static long nops = 1000;

/* Say where a stuck worker is, with its kernel stack if readable. */
static void dump_thread(struct thr *t)
{
	char path[64], line[256];
	FILE *f;

	printf("# thread %d (tid %d) stuck in %s\n", t->id, t->ktid, t->op);
	snprintf(path, sizeof(path), "/proc/self/task/%d/stack", t->ktid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		printf("#   %s", line);
	fclose(f);
}

/*
 * The monitor: kicks the workers with SIGUSR1 every KICK_US so that runs
 * and other blocking calls end, enforces the time limit, and reports a
 * hang when no operation finishes for hang_s seconds.
 */
static void *monitor(void *arg)
{
	struct timespec ts = { 0, KICK_US * 1000 };
	long last = -1;
	time_t last_t = time(NULL);
	int i;

	for (;;) {
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&kick_lock);
		for (i = 0; i < nthreads; i++)
			if (thrs[i].running)
				pthread_kill(thrs[i].tid, SIGUSR1);
		pthread_mutex_unlock(&kick_lock);
		if (time(NULL) - t_start > time_limit)
			stop = 1;
		if (LOAD(ops_done) != last) {
			last = LOAD(ops_done);
			last_t = time(NULL);
			continue;
		}
		if (time(NULL) - last_t < hang_s)
			continue;
		for (i = 0; i < nthreads; i++)
			if (thrs[i].running)
				dump_thread(&thrs[i]);
		/* Every blocked task's stack on the console, too. */
		i = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);
		if (i >= 0 && write(i, "w", 1) == 1 && write(i, "l", 1) == 1)
			close(i);
		printf("not ok - mshv-fuzz seed %llu: hang, no operation finished in %d s after %ld ops\n",
		       (unsigned long long)seed, hang_s, last);
		fflush(stdout);
		_exit(1);
	}
	return NULL;
}

/* Close every fd and unmap every mapping, in random order. */
static void teardown(struct rng *r)
{
	unsigned int order[K_NR * SLOTS + MAPS], n = 0, i, j, tmp;
	DIR *d;
	struct dirent *de;

	for (i = 0; i < K_NR * SLOTS + MAPS; i++)
		order[n++] = i;
	for (i = n - 1; i > 0; i--) {
		j = rnd(r, i + 1);
		tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	for (i = 0; i < n; i++) {
		if (order[i] < K_NR * SLOTS) {
			struct slot *s = &slots[order[i] / SLOTS]
					       [order[i] % SLOTS];

			if (s->fd >= 0)
				close(s->fd);
			s->fd = -1;
		} else {
			struct map *m = &maps[order[i] - K_NR * SLOTS];

			if (m->kind != M_NONE)
				munmap(m->addr, m->len);
			m->kind = M_NONE;
		}
	}
	memset(regions, 0, sizeof(regions));

	/* fds the tables lost track of (created by raw ioctls, slot races). */
	d = opendir("/proc/self/fd");
	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[64], link[128];
		ssize_t len;
		int fd = atoi(de->d_name);

		if (fd <= 2 || fd == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		len = readlink(path, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = '\0';
		if (strstr(link, "mshv") || strstr(link, "eventfd")) {
			close(fd);
			n_swept++;
		}
	}
	closedir(d);
}

struct counters {
	long v[6];
};

static const char *const counter_names[] = {
	"partitions", "vps", "deposited_pages", "mapped_pages",
	"pinned_pages", "leaked_pages",
};

static void read_counters(struct counters *c)
{
	int i;

	for (i = 0; i < 4; i++)
		c->v[i] = hvsim_counter(counter_names[i]);
	c->v[4] = mshv_pinned_pages();
	c->v[5] = mshv_leaked_pages();
}

/* Poll until the counters are back to @base, at most @deadline_s seconds. */
static bool wait_counters(const struct counters *base, int deadline_s,
			  struct counters *now)
{
	struct timespec ts = { 0, 1000000 };
	time_t end = time(NULL) + deadline_s;

	for (;;) {
		read_counters(now);
		if (!memcmp(now, base, sizeof(*now)))
			return true;
		if (time(NULL) > end)
			return false;
		nanosleep(&ts, NULL);
	}
}

static void print_stats(double secs)
{
	static const struct {
		int e;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
		{ EIO, "EIO" }, { E2BIG, "E2BIG" }, { EBADF, "EBADF" },
		{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" }, { ENODEV, "ENODEV" },
		{ EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" }, { ENOTTY, "ENOTTY" },
		{ ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EBADFD, "EBADFD" },
		{ ETIMEDOUT, "ETIMEDOUT" }, { ENXIO, "ENXIO" },
		{ EOVERFLOW, "EOVERFLOW" },
	};
	unsigned int i, j;

	printf("# ioctls:");
	for (i = 0; i < K_NR; i++)
		printf(" %s %ld", kind_name[i], ioctls[i]);
	printf("\n# errors:");
	for (i = 0; i < ARRAY_SIZE(errs); i++) {
		if (!errs[i])
			continue;
		for (j = 0; j < ARRAY_SIZE(names) && names[j].e != (int)i; j++)
			;
		if (j < ARRAY_SIZE(names))
			printf(" %s %ld", names[j].name, errs[i]);
		else
			printf(" errno%u %ld", i, errs[i]);
	}
	printf("\n# ops:");
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		printf(" %s %ld", ops[i].name, ops[i].count);
	printf("\n# messages from MSHV_RUN_VP %ld, faults on shared pages %ld, fds swept %ld\n",
	       n_msgs, n_sigfaults, n_swept);
	printf("# %ld ops in %.1f s (%.0f ops/s), %d threads\n", ops_done,
	       secs, secs > 0 ? ops_done / secs : 0.0, nthreads);
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--seed S] [--ops N] [--threads T] [--run-ops R]\n"
		"       [--time-limit S] [--hang S] [--teardown S] [--verbose]\n"
		"       [--max-region BYTES]\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "ops", required_argument, NULL, 'n' },
		{ "threads", required_argument, NULL, 't' },
		{ "run-ops", required_argument, NULL, 'r' },
		{ "time-limit", required_argument, NULL, 'l' },
		{ "hang", required_argument, NULL, 'h' },
		{ "teardown", required_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "max-region", required_argument, NULL, 'm' },
		{ }
	};
	struct counters base, now;
	long run_ops = 1000, done_before;
	int teardown_s = 30, c, i, k, run = 0;
	struct sigaction sa = { 0 };
	struct timespec t0, t1;
	pthread_t mon;
	bool fail = false;
	struct rng r;

	while ((c = getopt_long(argc, argv, "s:n:t:r:l:h:d:vm:", lopts,
				NULL)) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			nops = strtol(optarg, NULL, 0);
			break;
		case 't':
			nthreads = atoi(optarg);
			break;
		case 'r':
			run_ops = strtol(optarg, NULL, 0);
			break;
		case 'l':
			time_limit = atoi(optarg);
			break;
		case 'h':
			hang_s = atoi(optarg);
			break;
		case 'd':
			teardown_s = atoi(optarg);
			break;
		case 'v':
			verbose = 1;
			break;
		case 'm':
			max_region = strtoull(optarg, NULL, 0);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (nthreads < 1 || nthreads > MAX_THREADS || nops < 0 ||
	    run_ops < 1 || time_limit < 1 || hang_s < 1 || optind != argc)
		usage(argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (!mshv_dev_present()) {
		printf("ok - mshv-fuzz seed %llu # SKIP %s not present\n",
		       (unsigned long long)seed, MSHV_DEV_PATH);
		return KSFT_SKIP;
	}
	if (!mshv_wait_idle()) {
		printf("not ok - mshv-fuzz seed %llu: partitions of an earlier test still exist\n",
		       (unsigned long long)seed);
		return 1;
	}
	read_counters(&base);
	printf("# mshv-fuzz seed %llu: %ld ops, %d threads, runs of %ld; start:",
	       (unsigned long long)seed, nops, nthreads, run_ops);
	for (i = 0; i < 6; i++)
		printf(" %s %ld", counter_names[i], base.v[i]);
	printf("\n");

	sa.sa_handler = on_kick;
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: calls see EINTR */
	sa.sa_handler = on_fault;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	ro_page = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	for (i = 0; i < nthreads; i++) {
		char *s = mmap(NULL, SCRATCH_SZ + PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (s == MAP_FAILED || ro_page == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		mprotect(s + SCRATCH_SZ, PAGE, PROT_NONE);
		thrs[i].id = i;
		thrs[i].scratch = s;
		thrs[i].op = "idle";
	}
	for (k = 0; k < K_NR; k++)
		for (i = 0; i < SLOTS; i++)
			slots[k][i].fd = -1;

	t_start = time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r.s = seed ^ 0x6d736876ULL;
	if (pthread_create(&mon, NULL, monitor, NULL)) {
		perror("pthread_create");
		return 1;
	}
	done_before = 0;
	while (done_before < nops && !stop && !fail) {
		long chunk = nops - done_before < run_ops ?
			     nops - done_before : run_ops;
		/* Every other run (at random) with pinned regions. */
		pinned_run = chance(&r, 50);
		__atomic_store_n(&ops_started, done_before, __ATOMIC_RELAXED);
		for (i = 0; i < nthreads; i++) {
			thrs[i].rng.s = seed * 0x100000001b3ULL +
					(__u64)run * 977 + i;
			thrs[i].ops_limit = done_before + chunk;
			/* Each run starts with one working guest. */
			if (i == 0) {
				self = &thrs[0];
				op_setup_guest(&thrs[0].rng);
				self = NULL;
			}
			if (pthread_create(&thrs[i].tid, NULL, worker,
					   &thrs[i])) {
				perror("pthread_create");
				return 1;
			}
		}
		for (i = 0; i < nthreads; i++)
			pthread_join(thrs[i].tid, NULL);
		done_before = LOAD(ops_done);
		teardown(&r);
		if (!wait_counters(&base, teardown_s, &now)) {
			fail = true;
			printf("# run %d (seed %llu): counters not back after %d s:",
			       run, (unsigned long long)seed, teardown_s);
			for (i = 0; i < 6; i++)
				if (now.v[i] != base.v[i])
					printf(" %s %ld (start %ld)",
					       counter_names[i], now.v[i],
					       base.v[i]);
			printf("\n");
		} else {
			n_runs_ok++;
			if (verbose)
				printf("# run %d: %ld ops, invariants hold\n",
				       run, done_before);
		}
		run++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_stats(t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (fail) {
		printf("not ok - mshv-fuzz seed %llu: %ld ops, invariants broken after run %d\n",
		       (unsigned long long)seed, ops_done, run - 1);
		return 1;
	}
	printf("ok - mshv-fuzz seed %llu: %ld ops%s\n",
	       (unsigned long long)seed, ops_done,
	       stop ? " (stopped at the time limit)" : "");
	return 0;
}
