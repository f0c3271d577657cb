// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim x86 interpreter: linear to guest-physical translation.
 *
 * Walks the guest page tables on every access (there is no TLB, so
 * INVLPG and CR3 writes need no flushing): 32-bit paging with optional
 * 4 MiB pages (CR4.PSE), PAE paging (the four PDPTEs are read at walk
 * time rather than cached at CR3 load) and 4-level and 5-level
 * (CR4.LA57) paging with 2 MiB and 1 GiB pages.  U/S, R/W (with CR0.WP) and NX (EFER.NXE) are
 * enforced; accessed and dirty bits are set, one byte read-modify-write
 * per entry through the memory accessors, once the translation has
 * succeeded.  A page-table read from an unmapped GPA is an exit like
 * any other access, with exit->mem.walk set.  Successful translations
 * are remembered in the run's small struct hvsim_tlb.
 */

#include <kunit/visibility.h>
#include <linux/export.h>
#include <linux/string.h>

#include "cpu_internal.h"

#define HVSIM_PTE_P	BIT_ULL(0)
#define HVSIM_PTE_W	BIT_ULL(1)
#define HVSIM_PTE_U	BIT_ULL(2)
#define HVSIM_PTE_A	BIT_ULL(5)
#define HVSIM_PTE_D	BIT_ULL(6)
#define HVSIM_PTE_PS	BIT_ULL(7)
#define HVSIM_PTE_NX	BIT_ULL(63)
/* physical address bits of an entry (MAXPHYADDR 52) */
#define HVSIM_PTE_ADDR	GENMASK_ULL(51, 12)

struct hvsim_walk {
	u64 ent_gpa[5];
	u64 ent[5];
	unsigned int n;
	unsigned int esize;
	bool pae;
};

static int hvsim_read_ent(struct hvsim_insn *in, struct hvsim_walk *w,
			  u64 gpa, u64 lin, unsigned int acc)
{
	u8 b[8];
	int rc;

	rc = in->mem->read(in->mctx, gpa, b, w->esize);
	if (rc)
		return hvsim_mem_exit(in, rc, lin, gpa, acc & HVSIM_ACC_X,
				      true);
	w->ent_gpa[w->n] = gpa;
	w->ent[w->n++] = hvsim_le_get(b, w->esize);
	return 0;
}

static int hvsim_pf(struct hvsim_insn *in, u64 lin, unsigned int acc,
		    u32 ec, bool user)
{
	if (acc & HVSIM_ACC_W)
		ec |= HVSIM_PFEC_W;
	if (user)
		ec |= HVSIM_PFEC_U;
	if ((acc & HVSIM_ACC_X) && (in->st->efer & HVSIM_EFER_NXE) &&
	    (in->st->cr4 & HVSIM_CR4_PAE))
		ec |= HVSIM_PFEC_I;
	in->exc_cr2 = lin;
	return hvsim_raise(in, HVSIM_PF, ec);
}

/* Set A in every entry used and D in the leaf for a write. */
static int hvsim_set_ad(struct hvsim_insn *in, struct hvsim_walk *w, u64 lin,
			bool write)
{
	unsigned int i;
	int rc;

	for (i = 0; i < w->n; i++) {
		u64 e = w->ent[i];
		u8 b;

		/* PAE PDPTEs have no accessed bit */
		if (w->pae && i == 0)
			continue;
		e |= HVSIM_PTE_A;
		if (i == w->n - 1 && write)
			e |= HVSIM_PTE_D;
		if (e == w->ent[i])
			continue;
		b = e & 0xff;
		rc = in->mem->write(in->mctx, w->ent_gpa[i], &b, 1);
		if (rc)
			return hvsim_mem_exit(in, rc, lin, w->ent_gpa[i],
					      HVSIM_ACC_W, true);
	}
	return 0;
}

/**
 * hvsim_xlate() - translate a linear address
 * @in: instruction (its CPL decides user or supervisor access)
 * @lin: linear address
 * @acc: HVSIM_ACC_W (write), HVSIM_ACC_X (fetch), HVSIM_ACC_SYS
 *	(implicit supervisor access: descriptor tables, IDT, TSS);
 *	HVSIM_ACC_NOAD and HVSIM_ACC_NOPERM for hvsim_cpu_translate()
 * @gpa: the guest physical address
 *
 * Return: 0, HVSIM_EXC (#PF with CR2 and error code in @in) or an exit
 * reason (page-table read or A/D update failed).
 */
int __hvsim_hot hvsim_xlate(struct hvsim_insn *in, u64 lin, unsigned int acc, u64 *gpa)
{
	struct hvsim_cpu_state *st = in->st;
	bool user = in->cpl == 3 && !(acc & HVSIM_ACC_SYS);
	bool write = acc & HVSIM_ACC_W;
	bool nxe = st->efer & HVSIM_EFER_NXE;
	bool rw = true, us = true, nx = false;
	struct hvsim_walk w = { .n = 0, .esize = 8 };
	unsigned int level, shift, slot;
	u64 e, base, rsvd, tag;
	int rc;

	if (!(st->cr0 & HVSIM_CR0_PG)) {
		*gpa = lin;
		return 0;
	}
	if (!(st->efer & HVSIM_EFER_LMA))
		lin &= 0xffffffffULL;
	tag = (lin & ~0xfffULL) | 1 | (write ? 2 : 0) |
	      ((acc & HVSIM_ACC_X) ? 4 : 0) | (user ? 8 : 0);
	slot = (lin >> 12) % HVSIM_TLB_SIZE;
	if (in->tlb && in->tlb->tag[slot] == tag) {
		*gpa = in->tlb->gpa[slot] | (lin & 0xfff);
		return 0;
	}
	rsvd = nxe ? 0 : HVSIM_PTE_NX;
	if (st->efer & HVSIM_EFER_LMA) {
		/* 5-level paging: a PML5 table above the PML4 one */
		level = st->cr4 & HVSIM_CR4_LA57 ? 5 : 4;
		base = st->cr3 & HVSIM_PTE_ADDR;
	} else if (st->cr4 & HVSIM_CR4_PAE) {
		lin &= 0xffffffffULL;
		w.pae = true;
		rc = hvsim_read_ent(in, &w, (st->cr3 & 0xffffffe0ULL) +
				    (lin >> 30) * 8, lin, acc);
		if (rc)
			return rc;
		e = w.ent[0];
		if (!(e & HVSIM_PTE_P))
			return hvsim_pf(in, lin, acc, 0, user);
		if (e & 0x1e6)
			return hvsim_pf(in, lin, acc, HVSIM_PFEC_P |
					HVSIM_PFEC_RSVD, user);
		level = 2;
		base = e & HVSIM_PTE_ADDR;
	} else {
		lin &= 0xffffffffULL;
		w.esize = 4;
		level = 2;
		base = st->cr3 & 0xfffff000ULL;
	}

	for (; level; level--) {
		if (w.esize == 4)
			shift = level == 2 ? 22 : 12;
		else
			shift = 12 + 9 * (level - 1);
		rc = hvsim_read_ent(in, &w, base + ((lin >> shift) &
				    (w.esize == 4 ? 0x3ff : 0x1ff)) * w.esize,
				    lin, acc);
		if (rc)
			return rc;
		e = w.ent[w.n - 1];
		if (!(e & HVSIM_PTE_P))
			return hvsim_pf(in, lin, acc, 0, user);
		if (e & rsvd)
			return hvsim_pf(in, lin, acc, HVSIM_PFEC_P |
					HVSIM_PFEC_RSVD, user);
		rw &= !!(e & HVSIM_PTE_W);
		us &= !!(e & HVSIM_PTE_U);
		nx |= nxe && (e & HVSIM_PTE_NX);
		if (level == 1)
			break;
		if (!(e & HVSIM_PTE_PS)) {
			base = e & (w.esize == 4 ? 0xfffff000ULL :
				    HVSIM_PTE_ADDR);
			continue;
		}
		/*
		 * large page: PS is reserved in the PML5E and PML4E (and with
		 * 32-bit paging without PSE)
		 */
		if (level >= 4 || (w.esize == 4 &&
				   !(st->cr4 & HVSIM_CR4_PSE)))
			return hvsim_pf(in, lin, acc, HVSIM_PFEC_P |
					HVSIM_PFEC_RSVD, user);
		if (w.esize == 8 && (e & GENMASK_ULL(shift - 1, 13)))
			return hvsim_pf(in, lin, acc, HVSIM_PFEC_P |
					HVSIM_PFEC_RSVD, user);
		break;
	}

	if (!(acc & HVSIM_ACC_NOPERM) &&
	    ((user && !us) || ((acc & HVSIM_ACC_X) && nx) ||
	     (write && !rw && (user || (st->cr0 & HVSIM_CR0_WP)))))
		return hvsim_pf(in, lin, acc, HVSIM_PFEC_P, user);

	if (!(acc & HVSIM_ACC_NOAD)) {
		rc = hvsim_set_ad(in, &w, lin, write);
		if (rc)
			return rc;
	}
	if (w.esize == 4)
		e &= 0xffffffffULL;
	e &= ~HVSIM_PTE_NX & (w.esize == 4 ? 0xffffffffULL : HVSIM_PTE_ADDR |
			      GENMASK_ULL(11, 0));
	e &= ~GENMASK_ULL(11, 0);
	if (w.esize == 8 && level > 1)
		e &= ~GENMASK_ULL(shift - 1, 12);	/* PAT bit of large pages */
	if (w.esize == 4 && level > 1)
		e &= ~GENMASK_ULL(21, 12);
	*gpa = e + (lin & GENMASK_ULL(shift - 1, 0));
	if (in->tlb) {
		in->tlb->tag[slot] = tag;
		in->tlb->gpa[slot] = *gpa & ~0xfffULL;
	}
	return 0;
}

/**
 * hvsim_cpu_translate() - walk the guest page tables for the VMM
 * @st: register state (paging mode, CR3, CPL)
 * @mem: platform accessors (the walk reads and may update entries)
 * @ctx: passed to @mem callbacks
 * @gva: guest virtual (linear) address
 * @access: HVSIM_XLATE_* flags
 * @gpa: receives the guest physical address on success
 *
 * The walk of the instruction interpreter, without its translation cache:
 * the access is a read unless HVSIM_XLATE_WRITE/EXEC say otherwise, by the
 * current privilege level unless HVSIM_XLATE_USER/SUPERVISOR say
 * otherwise.  With paging off @gpa is @gva.  Accessed and dirty bits
 * are written only with HVSIM_XLATE_SET_AD.  Never sleeps (unless @mem
 * does).
 *
 * Return: enum hvsim_xlate_result.
 */
int hvsim_cpu_translate(const struct hvsim_cpu_state *st,
			const struct hvsim_mem_ops *mem, void *ctx, u64 gva,
			unsigned int access, u64 *gpa)
{
	struct hvsim_cpu_state work = *st;
	unsigned int acc = 0;
	struct hvsim_exit exit;
	struct hvsim_insn in;
	int rc;

	memset(&exit, 0, sizeof(exit));
	hvsim_insn_init(&in, &work, mem, ctx, &exit);
	if (access & HVSIM_XLATE_USER)
		in.cpl = 3;
	else if (access & HVSIM_XLATE_SUPERVISOR)
		in.cpl = 0;
	if (access & HVSIM_XLATE_WRITE)
		acc |= HVSIM_ACC_W;
	if (access & HVSIM_XLATE_EXEC)
		acc |= HVSIM_ACC_X;
	if (access & HVSIM_XLATE_PRIV_EXEMPT)
		acc |= HVSIM_ACC_NOPERM;
	if (!(access & HVSIM_XLATE_SET_AD))
		acc |= HVSIM_ACC_NOAD;

	rc = hvsim_xlate(&in, gva, acc, gpa);
	switch (rc) {
	case 0:
		return HVSIM_XLATE_OK;
	case HVSIM_EXC:
		if (in.exc_err & HVSIM_PFEC_RSVD)
			return HVSIM_XLATE_RESERVED;
		if (!(in.exc_err & HVSIM_PFEC_P))
			return HVSIM_XLATE_NOT_PRESENT;
		return HVSIM_XLATE_PRIVILEGE;
	case HVSIM_EXIT_GPA_INTERCEPT:
		return exit.mem.write ? HVSIM_XLATE_WALK_NO_WRITE :
					HVSIM_XLATE_WALK_NO_READ;
	default:
		return HVSIM_XLATE_WALK_UNMAPPED;
	}
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_cpu_translate);
