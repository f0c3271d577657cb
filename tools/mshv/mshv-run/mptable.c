// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-run MP table (Intel MultiProcessor Specification 1.4): how a guest
 * without ACPI learns its processors, its I/O APIC and how the ISA
 * interrupts reach it.
 *
 * The floating pointer structure and the configuration table are written
 * at @gpa (in the BIOS area, 0xf0000..0xfffff, where Linux scans for the
 * "_MP_" signature).  The table lists:
 *
 *   - one processor entry per vCPU, APIC id = VP index, VP 0 the BSP;
 *   - bus 0 "PCI" and bus 1 "ISA";
 *   - one I/O APIC, id nr_cpus, at IOAPIC_BASE;
 *   - ISA IRQs 0..15 on I/O APIC pins 0..15, except IRQ 0 on pin 2 (as
 *     on a PC), all "conforming" (ISA: edge, active high);
 *   - LINT0 ExtINT and LINT1 NMI on every local APIC.
 *
 * PCI devices use MSI-X, so there are no PCI interrupt entries.
 */
#include <string.h>

#include "devices.h"
#include "vmm.h"

#define MPC_PROCESSOR	0
#define MPC_BUS		1
#define MPC_IOAPIC	2
#define MPC_INTSRC	3
#define MPC_LINTSRC	4

#define MP_INT		0
#define MP_NMI		1
#define MP_EXTINT	3

#define BUS_PCI		0
#define BUS_ISA		1

struct mpf {
	char signature[4];	/* "_MP_" */
	__u32 physptr;
	__u8 length;		/* in 16-byte units */
	__u8 specification;
	__u8 checksum;
	__u8 feature[5];
} __packed;

struct mpc_header {
	char signature[4];	/* "PCMP" */
	__u16 length;
	__u8 spec;
	__u8 checksum;
	char oem[8];
	char product[12];
	__u32 oemptr;
	__u16 oemsize;
	__u16 count;
	__u32 lapic;
	__u16 ext_length;
	__u8 ext_checksum;
	__u8 reserved;
} __packed;

struct mpc_cpu {
	__u8 type;
	__u8 apicid;
	__u8 apicver;
	__u8 cpuflag;		/* bit 0 enabled, bit 1 boot processor */
	__u32 cpufeature;
	__u32 featureflag;
	__u32 reserved[2];
} __packed;

struct mpc_bus {
	__u8 type;
	__u8 busid;
	char bustype[6];
} __packed;

struct mpc_ioapic {
	__u8 type;
	__u8 apicid;
	__u8 apicver;
	__u8 flags;		/* bit 0 enabled */
	__u32 apicaddr;
} __packed;

struct mpc_intsrc {
	__u8 type;
	__u8 irqtype;
	__u16 irqflag;
	__u8 srcbus;
	__u8 srcbusirq;
	__u8 dstapic;
	__u8 dstirq;
} __packed;

static __u8 checksum(const void *p, unsigned int len)
{
	const __u8 *b = p;
	__u8 sum = 0;

	while (len--)
		sum += *b++;
	return -sum;
}

/**
 * mptable_write() - write the floating pointer and MP configuration table
 * @ram: guest RAM at GPA 0
 * @ram_size: its size
 * @gpa: where (16-byte aligned, below 1 MiB)
 * @nr_cpus: number of processors
 *
 * Return: the bytes used, or -1 if they do not fit in RAM.
 */
int mptable_write(void *ram, __u64 ram_size, __u64 gpa, unsigned int nr_cpus)
{
	unsigned int size = sizeof(struct mpf) + sizeof(struct mpc_header) +
			    nr_cpus * sizeof(struct mpc_cpu) +
			    2 * sizeof(struct mpc_bus) +
			    sizeof(struct mpc_ioapic) +
			    18 * sizeof(struct mpc_intsrc);
	__u8 *base = (__u8 *)ram + gpa, *p;
	struct mpc_header *hdr;
	struct mpf *mpf;
	unsigned int i, count = 0;
	__u8 ioapic_id = nr_cpus;

	if (gpa + size > ram_size || gpa & 15)
		return -1;
	memset(base, 0, size);
	mpf = (struct mpf *)base;
	hdr = (struct mpc_header *)(mpf + 1);
	p = (__u8 *)(hdr + 1);

	for (i = 0; i < nr_cpus; i++) {
		struct mpc_cpu *c = (struct mpc_cpu *)p;

		c->type = MPC_PROCESSOR;
		c->apicid = i;
		c->apicver = 0x14;
		c->cpuflag = 1 | (i == 0 ? 2 : 0);
		c->cpufeature = 0x600;	/* family 6 */
		c->featureflag = 1 << 9;	/* APIC present */
		p += sizeof(*c);
		count++;
	}
	for (i = 0; i < 2; i++) {
		struct mpc_bus *b = (struct mpc_bus *)p;

		b->type = MPC_BUS;
		b->busid = i;
		memcpy(b->bustype, i == BUS_PCI ? "PCI   " : "ISA   ", 6);
		p += sizeof(*b);
		count++;
	}
	{
		struct mpc_ioapic *io = (struct mpc_ioapic *)p;

		io->type = MPC_IOAPIC;
		io->apicid = ioapic_id;
		io->apicver = 0x11;
		io->flags = 1;
		io->apicaddr = IOAPIC_BASE;
		p += sizeof(*io);
		count++;
	}
	for (i = 0; i < 16; i++) {
		struct mpc_intsrc *s = (struct mpc_intsrc *)p;

		s->type = MPC_INTSRC;
		s->irqtype = MP_INT;
		s->srcbus = BUS_ISA;
		s->srcbusirq = i;
		s->dstapic = ioapic_id;
		s->dstirq = i == 0 ? 2 : i;
		p += sizeof(*s);
		count++;
	}
	for (i = 0; i < 2; i++) {
		struct mpc_intsrc *s = (struct mpc_intsrc *)p;

		s->type = MPC_LINTSRC;
		s->irqtype = i ? MP_NMI : MP_EXTINT;
		s->srcbus = BUS_ISA;
		s->dstapic = 0xff;	/* every local APIC */
		s->dstirq = i;		/* LINT0, LINT1 */
		p += sizeof(*s);
		count++;
	}

	memcpy(hdr->signature, "PCMP", 4);
	hdr->length = p - (__u8 *)hdr;
	hdr->spec = 4;
	memcpy(hdr->oem, "MSHV    ", 8);
	memcpy(hdr->product, "mshv-run    ", 12);
	hdr->count = count;
	hdr->lapic = LAPIC_BASE;
	hdr->checksum = checksum(hdr, hdr->length);

	memcpy(mpf->signature, "_MP_", 4);
	mpf->physptr = gpa + sizeof(*mpf);
	mpf->length = 1;
	mpf->specification = 4;
	mpf->checksum = checksum(mpf, sizeof(*mpf));
	return p - base;
}
