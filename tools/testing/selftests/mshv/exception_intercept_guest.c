// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code of exception_intercept_test: executes ud2 with its own #UD
 * handler installed; with the VMM intercepting #UD the handler never runs.
 */
#include "guest_x86.h"
#include "guest64_intercept.h"

static void ud_handler(struct guest_frame *frame)
{
	GUEST_SYNC(EI_HANDLED, frame->rip);
	frame->rip += 2;
}

void guest_ud2(void)
{
	guest_install_handler(GUEST_VEC_UD, ud_handler);
	/* ud2 (0f 0b) with a known RBX the intercept message must carry */
	__asm__ __volatile__("ud2" : : "b"(EI_RBX) : "memory");
	GUEST_SYNC(2);
}
