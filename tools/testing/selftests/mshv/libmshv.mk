# SPDX-License-Identifier: GPL-2.0
#
# The mshv selftest library, for the Makefiles of the tests of the driver
# (tools/testing/selftests/mshv/) and of hvsim
# (tools/testing/selftests/drivers/hv/hvsim/): included after the
# kernel's lib.mk, which set $(OUTPUT) and the test program lists.
#
#   LIBMSHV_OBJS  helpers for /dev/mshv (lib/mshv_util.c) and a VP run by
#                 a thread of its own (lib/vp_thread.c), linked into
#                 every test program
#   VM64_OBJS     64-bit C guests (include/vm64.h): the host side, the
#                 long-mode builder and ELF loader (lib/x64_boot.c,
#                 lib/elf_load.c; mshv-run builds them too), and the
#                 freestanding guest library
#
# The hypervisor's values and layouts come from include/hyperv.h and
# include/hyperv_root.h, never from the kernel's include/hyperv/.
#   GUEST64_PROGS the programs of $(TEST_GEN_PROGS) built from X_test.c
#                 and X_guest.c (the guest side), set by the includer
#
# Static programs: the test VM has no C library.

MSHV_SELFTESTS := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
MSHV_TOP := $(abspath $(MSHV_SELFTESTS)/../../../..)

# The harness macros trip two -Wextra warnings in code we do not own:
# unused parameters (TEST(), signal handlers) and setjmp "clobbered"
# locals in TEST_F() (they are not used after the longjmp).
CFLAGS += -Wall -Wextra -Werror -Wno-unused-parameter -Wno-clobbered \
	  -O2 -g $(KHDR_INCLUDES) -I$(MSHV_SELFTESTS)/include \
	  -I$(KSFT_DIR) -I.
LDFLAGS += -static -pthread

LOCAL_HDRS += $(wildcard $(MSHV_SELFTESTS)/include/*.h *.h) \
	      $(MSHV_TOP)/include/uapi/linux/mshv.h

LIBMSHV_OBJS := $(OUTPUT)/lib/mshv_util.o $(OUTPUT)/lib/vp_thread.o
VM64_OBJS := $(OUTPUT)/lib/vm64.o $(OUTPUT)/lib/x64_boot.o \
	     $(OUTPUT)/lib/elf_load.o $(OUTPUT)/guest/guest_x86.o
EXTRA_CLEAN += $(OUTPUT)/lib $(OUTPUT)/guest

$(OUTPUT)/lib/%.o: $(MSHV_SELFTESTS)/lib/%.c $(LOCAL_HDRS)
	@mkdir -p $(dir $@)
	$(call msg,CC,,$@)
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

# Guest code runs in the partition without libc: freestanding, and no
# object may call anything but the guest library (e.g. a memcpy the
# compiler emitted for a struct copy).
GUEST_CFLAGS := -Wall -Wextra -Werror -Wno-unused-parameter -O2 -g \
	   -ffreestanding -fno-builtin -fno-stack-protector \
	   -mgeneral-regs-only -fno-pic -fno-pie -mno-red-zone \
	   -fno-tree-loop-distribute-patterns -fcf-protection=none \
	   $(KHDR_INCLUDES) -I$(MSHV_SELFTESTS)/include -I.
GUEST_CHECK = bad=$$(nm -u $@ | awk '{ print $$2 }' | grep -v '^guest_'); \
	if [ -n "$$bad" ]; then \
		echo "$@: guest code must not call: $$bad" >&2; exit 1; \
	fi

$(OUTPUT)/guest/guest_x86.o: $(MSHV_SELFTESTS)/lib/guest_x86.c $(LOCAL_HDRS)
	@mkdir -p $(dir $@)
	$(call msg,CC,guest,$@)
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<
	@$(GUEST_CHECK)

$(OUTPUT)/guest/%.o: %.c $(LOCAL_HDRS)
	@mkdir -p $(dir $@)
	$(call msg,CC,guest,$@)
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<
	@$(GUEST_CHECK)

# lib.mk's rule links every prerequisite that is not in $(LOCAL_HDRS)
# (its own prerequisites only have the headers known before it).
$(TEST_GEN_PROGS): $(LIBMSHV_OBJS) $(LOCAL_HDRS)
$(filter $(GUEST64_PROGS:%=$(OUTPUT)/%),$(TEST_GEN_PROGS)): \
	$(OUTPUT)/%_test: $(OUTPUT)/guest/%_guest.o $(VM64_OBJS)

.DELETE_ON_ERROR:
.SECONDARY:
