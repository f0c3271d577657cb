// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code of dirty_test: writes and reads an exact set of pages of
 * the scratch area per round, reporting each round with GUEST_SYNC().
 */
#include "guest_x86.h"
#include "dirty.h"

#define NR(a)	(sizeof(a) / sizeof((a)[0]))

static volatile __u64 *dirty_page(unsigned int n)
{
	/* Somewhere inside the page, not always at its start. */
	return (volatile __u64 *)(DIRTY_AREA_GPA + n * DIRTY_PAGE_SIZE +
				  (n * 8 % DIRTY_PAGE_SIZE));
}

void guest_dirty(void)
{
	static const unsigned int w1[] = DIRTY_W1, r1[] = DIRTY_R1;
	static const unsigned int w2[] = DIRTY_W2, w3[] = DIRTY_W3;
	__u64 sum = 0;
	unsigned int i;

	for (i = 0; i < NR(w1); i++)
		*dirty_page(w1[i]) = 0x1000 + i;
	for (i = 0; i < NR(r1); i++)
		sum += *dirty_page(r1[i]);
	GUEST_SYNC(1, sum);

	for (i = 0; i < NR(w2); i++)
		*dirty_page(w2[i]) = 0x2000 + i;
	GUEST_SYNC(2, *dirty_page(w2[0]));

	for (i = 0; i < NR(w3); i++)
		*dirty_page(w3[i]) = 0x3000 + i;
	GUEST_SYNC(3, *dirty_page(w3[0]));
}

/* Page n gets @iter at an offset that moves with @iter. */
void guest_dirty_loop(void)
{
	unsigned int iter, n;

	for (iter = 1; iter <= DIRTY_LOOP_ITERS; iter++)
		for (n = iter % 5; n < DIRTY_AREA_PAGES; n += iter % 4 + 1)
			*(volatile __u64 *)(DIRTY_AREA_GPA +
					    n * DIRTY_PAGE_SIZE +
					    iter * 8 % DIRTY_PAGE_SIZE) = iter;
}
