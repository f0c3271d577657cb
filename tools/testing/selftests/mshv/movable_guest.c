// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code of movable_test: reads and writes guest memory as the VMM
 * commands (see movable.h), so that the VMM can check what the guest sees
 * of memory it changed behind the guest's back.
 */
#include "guest_x86.h"
#include "movable.h"

static __u64 mov_sum(__u64 gpa, __u64 count, __u64 stride)
{
	__u64 sum = 0, i;

	for (i = 0; i < count; i++)
		sum += *(volatile __u64 *)(gpa + i * stride);
	return sum;
}

void guest_movable(void)
{
	volatile struct mov_cmd *c = (void *)MOV_CMD_GPA;
	volatile __u64 *pass = (void *)MOV_PASS_GPA;

	for (;;) {
		switch (c->op) {
		case MOV_READ:
			GUEST_SYNC(MOV_READ, *(volatile __u64 *)c->gpa);
			break;
		case MOV_WRITE:
			*(volatile __u64 *)c->gpa = c->val;
			GUEST_SYNC(MOV_WRITE, c->val);
			break;
		case MOV_SUM:
			GUEST_SYNC(MOV_SUM, mov_sum(c->gpa, c->count,
						    c->val ? c->val : MOV_PAGE));
			break;
		case MOV_SPIN:
			for (;;) {
				mov_sum(c->gpa, c->count, MOV_PAGE);
				*pass += 1;
			}
		default:
			return;
		}
	}
}
