// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-run vCPUs: one thread per VP loops on MSHV_RUN_VP and completes
 * the intercept that ended each run.
 *
 * Port IO: the message carries port, size and RAX; an IN's result goes
 * into RAX.  MMIO (an unmapped-GPA or GPA intercept): the message
 * carries the GPA and the instruction bytes, which insn.c decodes.  In
 * both cases the VP's RIP still points at the instruction: the VMM moves
 * it past, writing the mmapped register page and setting the "dirty" bit
 * of each register class it changed; the hypervisor loads them before
 * the next run.
 *
 * Interrupts never come through here: devices signal irqfds, and the
 * hypervisor's local APIC delivers them.  Doorbells the VMM registered
 * with MSHV_IOEVENTFD do not exit either.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "mshv_bits.h"
#include <linux/mshv.h>

#include "insn.h"
#include "vmm.h"

#define HV_X64_REGISTER_CLASS_GENERAL_BIT	BIT(HV_X64_REGISTER_CLASS_GENERAL)
#define HV_X64_REGISTER_CLASS_IP_BIT		BIT(HV_X64_REGISTER_CLASS_IP)

int io_bus_add(struct io_bus *bus, const struct io_handler *h)
{
	if (bus->nr >= MAX_IO_HANDLERS)
		return -1;
	bus->h[bus->nr++] = *h;
	return 0;
}

/*
 * Dispatch an access to the handler covering @addr.  Return: false if no
 * handler claims it (reads then see all ones).
 */
bool io_bus_access(struct io_bus *bus, __u64 addr, void *data,
		   unsigned int size, bool write)
{
	unsigned int i;

	for (i = 0; i < bus->nr; i++) {
		struct io_handler *h = &bus->h[i];

		if (addr < h->base || addr - h->base >= h->len)
			continue;
		if (write) {
			if (h->write)
				h->write(h->opaque, addr - h->base, data, size);
		} else if (h->read) {
			h->read(h->opaque, addr - h->base, data, size);
		} else {
			memset(data, 0xff, size);
		}
		return true;
	}
	if (!write)
		memset(data, 0xff, size);
	return false;
}

void vcpu_create(struct vmm *vmm, unsigned int index)
{
	struct mshv_create_vp vp = { .vp_index = index };
	struct vcpu *vcpu = &vmm->vcpus[index];

	vcpu->vmm = vmm;
	vcpu->index = index;
	vcpu->fd = ioctl(vmm->pt_fd, MSHV_CREATE_VP, &vp);
	if (vcpu->fd < 0)
		die("MSHV_CREATE_VP");
	vcpu->regs = mmap(NULL, MSHV_HV_PAGE_SIZE, PROT_READ | PROT_WRITE,
			  MAP_SHARED, vcpu->fd,
			  MSHV_VP_MMAP_OFFSET_REGISTERS * sysconf(_SC_PAGESIZE));
	if (vcpu->regs == MAP_FAILED)
		die("mmap register page");
}

/* Load @count registers into the VP with the SET_VP_REGISTERS hypercall. */
void vcpu_set_regs(struct vcpu *vcpu, const struct hv_register_assoc *regs,
		   unsigned int count)
{
	struct {
		struct hv_input_set_vp_registers hdr;
		struct hv_register_assoc regs[32];
	} in;

	if (count > 32) {
		fprintf(stderr, "mshv-run: too many registers\n");
		exit(EXIT_ERROR);
	}
	memset(&in, 0, sizeof(in));
	in.hdr.vp_index = vcpu->index;
	memcpy(in.regs, regs, count * sizeof(*regs));
	hvcall(vcpu->vmm, HVCALL_SET_VP_REGISTERS, count, &in,
	       sizeof(in.hdr) + count * sizeof(*regs));
}

static void skip_insn(struct vcpu *vcpu, __u64 rip, unsigned int len)
{
	vcpu->regs->rip = rip + len;
	vcpu->regs->dirty |= HV_X64_REGISTER_CLASS_IP_BIT;
}

static void handle_io(struct vcpu *vcpu,
		      const struct hv_x64_io_port_intercept_message *io)
{
	unsigned int size = io->access_info & HV_X64_IO_PORT_ACCESS_SIZE_MASK;
	bool write = io->header.intercept_access_type == HV_INTERCEPT_ACCESS_WRITE;
	struct hv_vp_register_page *regs = vcpu->regs;
	struct vmm *vmm = vcpu->vmm;
	__u64 mask = size >= 4 ? 0xffffffffULL : (1ULL << (size * 8)) - 1;
	__u64 value = io->rax & mask;
	bool claimed;

	if (io->access_info & HV_X64_IO_PORT_ACCESS_STRING_OP) {
		/* INS/OUTS would need RSI/RDI/RCX handling: not emulated. */
		if (vmm->verbose)
			fprintf(stderr, "mshv-run: string IO on port 0x%x ignored\n",
				io->port_number);
		goto done;
	}
	pthread_mutex_lock(&vmm->lock);
	claimed = io_bus_access(&vmm->pio, io->port_number, &value, size,
				write);
	pthread_mutex_unlock(&vmm->lock);
	if (!claimed && vmm->verbose)
		fprintf(stderr, "mshv-run: %s port 0x%x (size %u) not emulated\n",
			write ? "out to" : "in from", io->port_number, size);
	if (!write) {
		/* A 32-bit IN zero-extends into RAX; 8/16-bit ones merge. */
		if (size >= 4)
			regs->gp_registers[0] = value & mask;
		else
			regs->gp_registers[0] = (io->rax & ~mask) | (value & mask);
		regs->dirty |= HV_X64_REGISTER_CLASS_GENERAL_BIT;
	}
done:
	skip_insn(vcpu, io->header.rip, io->header.instruction_length_cr8 & 0xf);
}

/* Return: false if the access cannot be emulated (the guest is stopped). */
static bool handle_mmio(struct vcpu *vcpu,
			const struct hv_x64_memory_intercept_message *m)
{
	struct hv_vp_register_page *regs = vcpu->regs;
	struct vmm *vmm = vcpu->vmm;
	__u64 gpa = m->guest_physical_address, value = 0;
	struct mmio_insn insn;
	bool claimed;

	if (mmio_decode(m->instruction_bytes, m->instruction_byte_count,
			&insn)) {
		fprintf(stderr,
			"mshv-run: cannot decode MMIO at 0x%llx (rip 0x%llx, %u bytes %02x %02x %02x %02x)\n",
			(unsigned long long)gpa,
			(unsigned long long)m->header.rip,
			m->instruction_byte_count, m->instruction_bytes[0],
			m->instruction_bytes[1], m->instruction_bytes[2],
			m->instruction_bytes[3]);
		return false;
	}
	if (insn.write) {
		__u64 gprs[16];

		memcpy(gprs, (void *)regs->gp_registers, sizeof(gprs));
		value = mmio_store_value(&insn, gprs);
	}
	pthread_mutex_lock(&vmm->lock);
	claimed = io_bus_access(&vmm->mmio, gpa, &value, insn.size,
				insn.write);
	pthread_mutex_unlock(&vmm->lock);
	if (!claimed && vmm->verbose)
		fprintf(stderr, "mshv-run: MMIO %s 0x%llx (size %u) not emulated\n",
			insn.write ? "write to" : "read from",
			(unsigned long long)gpa, insn.size);
	if (!insn.write) {
		regs->gp_registers[insn.reg] =
			mmio_load_result(&insn, regs->gp_registers[insn.reg],
					 value);
		regs->dirty |= HV_X64_REGISTER_CLASS_GENERAL_BIT;
	}
	skip_insn(vcpu, m->header.rip, insn.len);
	return true;
}

/* Handle the message that ended a run.  Return: -1 to go on, or an exit code. */
static int handle_exit(struct vcpu *vcpu, struct hv_message *msg)
{
	struct vmm *vmm = vcpu->vmm;

	switch (msg->header.message_type) {
	case HVMSG_X64_IO_PORT_INTERCEPT:
		handle_io(vcpu, (void *)msg->u.payload);
		return -1;
	case HVMSG_UNMAPPED_GPA:
	case HVMSG_GPA_INTERCEPT: {
		struct hv_x64_memory_intercept_message *m =
			(void *)msg->u.payload;

		if (vmm->mmio.nr && handle_mmio(vcpu, m))
			return -1;
		fflush(stdout);
		fprintf(stderr, "mshv-run: unmapped GPA 0x%llx (rip 0x%llx)\n",
			(unsigned long long)m->guest_physical_address,
			(unsigned long long)m->header.rip);
		return EXIT_GUEST;
	}
	case HVMSG_X64_HALT:
		/*
		 * HLT with interrupts disabled (with a local APIC, HLT with
		 * interrupts enabled waits inside the hypervisor): a guest
		 * that halted for good, as Linux does to power off without
		 * ACPI.
		 */
		fflush(stdout);
		fprintf(stderr, "mshv-run: guest halted\n");
		return EXIT_HALTED;
	case HVMSG_X64_APIC_EOI:
		return -1;	/* level-triggered EOI: nothing to resample */
	case HVMSG_UNRECOVERABLE_EXCEPTION:
		fflush(stdout);
		fprintf(stderr, "mshv-run: unrecoverable exception (rip 0x%llx)\n",
			(unsigned long long)vcpu->regs->rip);
		return EXIT_GUEST;
	default:
		fflush(stdout);
		fprintf(stderr, "mshv-run: unexpected message type 0x%x\n",
			msg->header.message_type);
		return EXIT_GUEST;
	}
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *vcpu = arg;
	struct vmm *vmm = vcpu->vmm;
	struct mshv_run_vp run;
	struct hv_message *msg = (struct hv_message *)run.msg_buf;
	int rc;

	for (;;) {
		if (__atomic_load_n(&vmm->stopping, __ATOMIC_ACQUIRE))
			return NULL;
		if (ioctl(vcpu->fd, MSHV_RUN_VP, &run)) {
			if (errno == EINTR)	/* a signal: just run again */
				continue;
			perror("mshv-run: MSHV_RUN_VP");
			vmm_stop(vmm, EXIT_ERROR);
			return NULL;
		}
		vcpu->exits++;
		if (vmm->verbose)
			fprintf(stderr, "mshv-run: vp %u exit %lu: message 0x%x\n",
				vcpu->index, vcpu->exits,
				msg->header.message_type);
		rc = handle_exit(vcpu, msg);
		if (rc >= 0) {
			vmm_stop(vmm, rc);
			return NULL;
		}
		if (vmm->max_exits && vcpu->exits >= vmm->max_exits) {
			fflush(stdout);
			fprintf(stderr, "mshv-run: stopped after %lu exits\n",
				vmm->max_exits);
			vmm_stop(vmm, EXIT_LIMIT);
			return NULL;
		}
	}
}

/**
 * vmm_stop() - end the run with @code (the first caller's code wins)
 * @vmm: the VMM
 * @code: process exit code
 */
void vmm_stop(struct vmm *vmm, int code)
{
	pthread_mutex_lock(&vmm->stop_lock);
	if (!vmm->stopping) {
		vmm->exit_code = code;
		__atomic_store_n(&vmm->stopping, true, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&vmm->stop_cond);
	}
	pthread_mutex_unlock(&vmm->stop_lock);
}

/*
 * Start one thread per vCPU and wait until one of them (or a device)
 * stops the guest.  The caller exits the process, which tears the
 * partition down with the fds; the other vCPU threads go with it.
 */
int vcpus_run(struct vmm *vmm)
{
	struct timespec t0, t1;
	unsigned long total = 0;
	unsigned int i;
	double secs;
	int code;

	clock_gettime(CLOCK_MONOTONIC, &t0);

	for (i = 0; i < vmm->nr_vcpus; i++)
		if (pthread_create(&vmm->vcpus[i].thread, NULL, vcpu_thread,
				   &vmm->vcpus[i]))
			die("pthread_create");
	pthread_mutex_lock(&vmm->stop_lock);
	while (!vmm->stopping)
		pthread_cond_wait(&vmm->stop_cond, &vmm->stop_lock);
	code = vmm->exit_code;
	pthread_mutex_unlock(&vmm->stop_lock);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (vmm->verbose || vmm->stats) {
		for (i = 0; i < vmm->nr_vcpus; i++)
			total += vmm->vcpus[i].exits;
		secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		fprintf(stderr, "mshv-run: %lu exits in %.2f s (%.0f/s)\n",
			total, secs, secs > 0 ? total / secs : 0);
	}
	return code;
}
