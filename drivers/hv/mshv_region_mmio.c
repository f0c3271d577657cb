// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: guest memory regions backed by device memory.
 *
 * When the user range of MSHV_SET_GUEST_MEMORY lies in a VM_IO |
 * VM_PFNMAP mapping (a PCI BAR mmap()ed through sysfs or VFIO, say), there
 * are no struct pages to pin: the region maps the host frames behind the
 * mapping, which must be consecutive, uncached.  System RAM is refused
 * there: a PFN mapping of RAM belongs to some driver that may free it, and
 * nothing would keep it alive while the guest maps it.  The frames are
 * read once, when the region is mapped; the VMM keeps the mapping alive
 * (as it keeps the device) for as long as the region exists.
 */

#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/sched.h>

#include "mshv_root.h"

/**
 * mshv_region_is_mmio() - does a user range lie in a device mapping?
 * @uaddr: start of the range, page aligned
 * @size: its size, page aligned, nonzero
 *
 * Return: 1 if the range starts in a VM_IO | VM_PFNMAP mapping that also
 * holds the rest of it, 0 if it starts elsewhere (pinning decides about
 * the rest), -EINVAL if it starts in such a mapping but leaves it or the
 * mapping is VM_IO without VM_PFNMAP.
 */
int mshv_region_is_mmio(u64 uaddr, u64 size)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int ret = 0;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, uaddr);
	if (vma && (vma->vm_flags & (VM_IO | VM_PFNMAP))) {
		ret = 1;
		if (!(vma->vm_flags & VM_PFNMAP) ||
		    size > vma->vm_end - uaddr)
			ret = -EINVAL;
	}
	mmap_read_unlock(mm);
	return ret;
}

/* The host frame behind @addr, faulting it in once if need be. */
static int mshv_mmio_pfn(struct vm_area_struct *vma, unsigned long addr,
			 bool write, u64 *pfn)
{
	struct follow_pfnmap_args args = { .vma = vma, .address = addr };
	int ret;

	ret = follow_pfnmap_start(&args);
	if (ret) {
		ret = fixup_user_fault(vma->vm_mm, addr,
				       write ? FAULT_FLAG_WRITE : 0, NULL);
		if (ret)
			return ret;
		ret = follow_pfnmap_start(&args);
		if (ret)
			return ret;
	}
	*pfn = args.pfn;
	if (write && !args.writable)
		ret = -EFAULT;
	follow_pfnmap_end(&args);
	return ret;
}

/**
 * mshv_region_mmio_resolve() - find the host frames of an MMIO region
 * @mr: a new MSHV_REGION_MMIO region
 *
 * Sets @mr->mmio_pfn.  Nothing is pinned, so there is nothing to undo.
 *
 * Return: 0; -EINVAL if the mapping changed under us, its frames are not
 * consecutive or any of them is system RAM; -EFAULT if a frame cannot be
 * found (or is read-only while the region is writable).
 */
int mshv_region_mmio_resolve(struct mshv_mem_region *mr)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	u64 i, pfn, first = 0;
	int ret = 0;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, mr->uaddr);
	if (!vma || !(vma->vm_flags & VM_PFNMAP) ||
	    mr->nr_pages > (vma->vm_end - mr->uaddr) >> PAGE_SHIFT) {
		ret = -EINVAL;
		goto out;
	}
	for (i = 0; i < mr->nr_pages; i++) {
		ret = mshv_mmio_pfn(vma, mr->uaddr + i * PAGE_SIZE,
				    mr->writable, &pfn);
		if (ret)
			goto out;
		if (!i)
			first = pfn;
		if (pfn != first + i) {
			ret = -EINVAL;
			goto out;
		}
		cond_resched();
	}
	if (region_intersects(PFN_PHYS(first), mr->nr_pages << PAGE_SHIFT,
			      IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) !=
	    REGION_DISJOINT) {
		ret = -EINVAL;
		goto out;
	}
	mr->mmio_pfn = first;
out:
	mmap_read_unlock(mm);
	return ret;
}
