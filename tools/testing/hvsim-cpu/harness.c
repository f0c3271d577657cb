// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace harness for hvsim's x86 interpreter: runs the shared test
 * vectors (drivers/hv/hvsim/cpu_test_vectors.h) and the differential flag
 * tests (diff.c) and reports TAP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_test_vectors.h"
#include "harness.h"

static unsigned int tap_n, tap_failed;

void tap_result(const char *name, int fail, const char *msg)
{
	tap_n++;
	if (fail) {
		tap_failed++;
		printf("not ok %u %s\n# %s\n", tap_n, name, msg);
	} else {
		printf("ok %u %s\n", tap_n, name);
	}
}

int main(void)
{
	static u8 ram[HVT_MEM_SIZE];
	char msg[256];
	size_t i;

	printf("TAP version 13\n1..%zu\n",
	       HVT_NR_VECTORS + 4 + diff_count() + FUZZ_COUNT);
	for (i = 0; i < HVT_NR_VECTORS; i++) {
		msg[0] = 0;
		tap_result(hvt_vec_at(i)->name,
			   hvt_run(hvt_vec_at(i), ram, msg, sizeof(msg)),
			   msg);
	}
	msg[0] = 0;
	tap_result("interrupt_delivery",
		   hvt_interrupt_test(ram, msg, sizeof(msg)), msg);
	msg[0] = 0;
	tap_result("interrupt_window",
		   hvt_irq_window_test(ram, msg, sizeof(msg)), msg);
	msg[0] = 0;
	tap_result("nmi", hvt_nmi_test(ram, msg, sizeof(msg)), msg);
	msg[0] = 0;
	tap_result("translate_and_exception_intercepts",
		   hvt_xlate_test(ram, msg, sizeof(msg)), msg);
	diff_run();
	fuzz_run();
	printf("# %u passed, %u failed\n", tap_n - tap_failed, tap_failed);
	return tap_failed ? 1 : 0;
}
