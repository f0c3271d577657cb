# SPDX-License-Identifier: GPL-2.0
#
# mshv: /dev/mshv for the Microsoft Hypervisor root partition, and hvsim.
#
#   make            build the modules (against Debian's 6.12 headers) and tools
#   make run        main job: boot QEMU, load hvsim + mshv_root, run a guest
#   make check      every test, in QEMU; ends with "N passed, N failed"
#   make vm-run CMD='...' FILES='...'   run any program in the test VM
#   make bench      benchmarks in the test VM (3 GiB RAM): tables, ratios
#   make bench-engines  hvsim's engines (interp, svm) against KVM only
#   make bench-boot     Linux boot and virtio-blk: mshv-run against QEMU/KVM
#   make intree-kunit  overlay onto linux-source-6.12, run KUnit via kunit.py
#   make export-series  the repository as a patch series against
#                       linux-source-6.12 in build/series/
#   make check-series   that series: each step builds, checkpatch, git am
#   make fuzz SEED=1 N=100000  a /dev/mshv fuzzing campaign in the test VM
#
# KDIR=<kernel build tree> overrides the kernel to build against.

KPATHS	:= tools/mshv/vm/kernel-paths.sh
KDIR	?= $(shell bash $(KPATHS) KDIR 2>/dev/null)
V	?= 0

KBUILD_ARGS := -C $(KDIR) M=$(CURDIR) CONFIG_MSHV_ROOT=m CONFIG_MSHV_HVSIM=m \
	       CONFIG_MSHV_HVSIM_X86_INTERP=y

MODULES := drivers/hv/mshv_root.ko drivers/hv/hvsim/hvsim.ko

.PHONY: all modules tools deps run run-hello check vm-run clean sparse w1 \
	checkpatch intree-kunit bench bench-engines bench-boot fuzz fuzz-build \
	export-series check-series

all: modules tools

modules:
	$(MAKE) $(KBUILD_ARGS) modules

tools:
	$(MAKE) -C tools/mshv
	$(MAKE) -C tools/mshv/bench
	$(MAKE) -C tools/testing/selftests
	$(MAKE) -C tools/testing/selftests/mshv/fuzz

deps:
	bash tools/mshv/vm/install-deps.sh

# W=1 and sparse (C=2 rechecks every file) builds; any warning fails.
w1:
	bash tools/mshv/scripts/build-checked.sh w1 $(KBUILD_ARGS)

sparse:
	bash tools/mshv/scripts/build-checked.sh sparse $(KBUILD_ARGS)

checkpatch:
	bash tools/mshv/scripts/checkpatch.sh

# Boot Debian's kernel through /dev/mshv (hvsim's SVM engine) in the
# test VM; run-hello shows the 16-bit test program instead.
run: deps
	$(MAKE) all
	bash tools/mshv/scripts/run-linux.sh

run-hello: deps
	$(MAKE) all
	bash tools/mshv/scripts/run-hello.sh

check: deps
	bash tools/mshv/scripts/check.sh

# CMD reaches the guest shell unchanged (through the environment).
vm-run: export MSHV_VM_CMD = $(CMD)
vm-run: modules
	bash tools/mshv/vm/vm-run.sh --modules "$(MODULES)" \
		--files "$(FILES)" -- "$$MSHV_VM_CMD"

# Benchmarks, one boot: guest memory (mshv-mem-bench; room for 1 GiB of
# hugetlb pages besides the rest), VP exits (mshv-bench), dirty bitmaps
# (mshv-dirty-bench), then interrupt injection on the fast and the slow
# path (mshv-irq-bench) and movable memory faults (mshv-movable-bench),
# both built with the selftests.
BENCH_BINS := tools/mshv/bench/build/mshv-mem-bench \
	      tools/mshv/bench/build/mshv-bench \
	      tools/mshv/bench/build/mshv-dirty-bench \
	      tools/testing/selftests/mshv/build/mshv-irq-bench \
	      tools/testing/selftests/mshv/build/mshv-movable-bench
# Last, hvsim's execution engines against KVM (mshv-engine-bench): the
# same guest with engine=interp and three times with engine=svm, then
# three times through /dev/kvm (Debian's kvm_amd and what it needs, from
# the host's /lib/modules, with enable_virt_at_load=0: EFER.SVME stays
# free for hvsim until KVM has a VM); a table of the best run of each
# engine with the ratios to KVM ends the output.  All of hvsim's runs
# come first: from the first KVM run on, "mshv-engine-bench -H" holds one
# KVM VM (KVM VMs coming and going patch static keys in __schedule(),
# which under QEMU's TCG once left a stale INT3 and panicked the test
# VM), and a KVM VM keeps EFER.SVME set.
KVM_KO_DIR = /lib/modules/$(shell bash $(KPATHS) KREL 2>/dev/null)/kernel
KVM_KOS := virt/lib/irqbypass drivers/crypto/ccp/ccp arch/x86/kvm/kvm \
	   arch/x86/kvm/kvm-amd
BENCH_KVM := build/bench-kvm
ENGINE_SVM := ./mshv-engine-bench -e interp && \
	      for i in 1 2 3; do ./mshv-engine-bench -e svm || exit 1; done
KVM_HOLD := insmod bench-kvm/irqbypass.ko && insmod bench-kvm/ccp.ko && \
	    insmod bench-kvm/kvm.ko enable_virt_at_load=0 && \
	    insmod bench-kvm/kvm-amd.ko && mkfifo /tmp/kvm-hold && \
	    { ./mshv-engine-bench -H >/tmp/kvm-hold & } && \
	    read -r held </tmp/kvm-hold && echo \$$held
ENGINE_KVM := for i in 1 2 3; do ./mshv-engine-bench -e kvm || exit 1; done && \
	      ./mshv-engine-bench -s
ENGINE_BENCH := $(ENGINE_SVM) && $(KVM_HOLD) && $(ENGINE_KVM)
$(BENCH_KVM):
	rm -rf $@.tmp && mkdir -p $@.tmp
	for m in $(KVM_KOS); do \
		xz -dc $(KVM_KO_DIR)/$$m.ko.xz >$@.tmp/$$(basename $$m).ko \
			|| exit 1; \
	done
	mv $@.tmp $@
# Then the Linux boot (tools/mshv/bench/boot-bench.sh): Debian's kernel
# and the guest-linux initramfs through mshv-run (engine=svm, with
# hvsim's runs) and through the host's qemu-system-x86_64 with KVM (with
# KVM's), staged into the test VM with its libraries and firmware
# (stage-qemu.sh): boot time, virtio-blk MB/s, exits per second, ratios.
BENCH_QEMU := build/bench-qemu
BENCH_GUEST := build/bench-boot/guest.cpio.gz
BOOT_VMLINUZ = $(shell bash $(KPATHS) VMLINUZ 2>/dev/null)
BOOT_FILES = tools/mshv/build/mshv-run $(BOOT_VMLINUZ) $(BENCH_GUEST) \
	     $(BENCH_QEMU) tools/mshv/bench/boot-bench.sh
BOOT_RUNS ?= 3
BOOT_ARGS = -r $(BOOT_RUNS) $(notdir $(BOOT_VMLINUZ)) guest.cpio.gz
BOOT_MSHV = ./boot-bench.sh -o mshv $(BOOT_ARGS)
BOOT_KVM = ./boot-bench.sh -o qemu_kvm $(BOOT_ARGS) && ./boot-bench.sh -t
$(BENCH_QEMU): tools/mshv/bench/stage-qemu.sh
	bash tools/mshv/bench/stage-qemu.sh $@
$(BENCH_GUEST): tools/mshv/guest-linux/init.sh \
		tools/mshv/guest-linux/mkinitramfs.sh
	bash tools/mshv/guest-linux/mkinitramfs.sh $@
bench: deps modules tools $(BENCH_KVM) $(BENCH_QEMU) $(BENCH_GUEST)
	bash tools/mshv/vm/vm-run.sh --mem 3G --timeout 2400 \
		--modules "$(MODULES)" \
		--files "$(BENCH_BINS) tools/mshv/bench/build/mshv-engine-bench $(BENCH_KVM) $(BOOT_FILES)" \
		-- "./mshv-mem-bench $(BENCH_ARGS) && ./mshv-bench && \
		    ./mshv-dirty-bench && ./mshv-irq-bench && \
		    ./mshv-movable-bench && $(ENGINE_SVM) && $(BOOT_MSHV) && \
		    $(KVM_HOLD) && $(ENGINE_KVM) && $(BOOT_KVM)"
# Only the engine comparison.
bench-engines: deps modules tools $(BENCH_KVM)
	bash tools/mshv/vm/vm-run.sh --timeout 900 --modules "$(MODULES)" \
		--files "tools/mshv/bench/build/mshv-engine-bench $(BENCH_KVM)" \
		-- "$(ENGINE_BENCH)"
# Only the Linux boot comparison.
bench-boot: deps modules tools $(BENCH_KVM) $(BENCH_QEMU) $(BENCH_GUEST)
	bash tools/mshv/vm/vm-run.sh --mem 2G --timeout 1500 \
		--modules "$(MODULES)" \
		--files "tools/mshv/bench/build/mshv-engine-bench $(BENCH_KVM) $(BOOT_FILES)" \
		-- "$(BOOT_MSHV) && $(KVM_HOLD) && $(BOOT_KVM)"

# The /dev/mshv fuzzer (tools/testing/selftests/mshv/fuzz/): SEED, N ops,
# THREADS; the campaign stops at FUZZ_TIME seconds at the latest.  The
# console log (build/fuzz/console-SEED.log) is scanned for kernel splats
# whatever the fuzzer's verdict; either one failing fails the target.
SEED	?= 1
N	?= 100000
THREADS	?= 2
FUZZ_TIME ?= 3000
FUZZ_LOG := build/fuzz/console-$(SEED).log
FUZZ_BIN := tools/testing/selftests/mshv/fuzz/build/mshv-fuzz

fuzz-build:
	$(MAKE) -C tools/testing/selftests/mshv/fuzz

fuzz: deps modules fuzz-build
	bash tools/mshv/vm/vm-run.sh --timeout $$(($(FUZZ_TIME) + 300)) \
		--log $(FUZZ_LOG) --modules "$(MODULES)" --files "$(FUZZ_BIN)" \
		-- "./mshv-fuzz --seed $(SEED) --ops $(N) --threads $(THREADS) \
		    --time-limit $(FUZZ_TIME)"; \
	rc=$$?; bash tools/mshv/vm/scan-log.sh $(FUZZ_LOG) && exit $$rc

# In-tree mode: overlay the repo onto Debian's linux-source-6.12 and run
# the KUnit suites with kunit.py (add --debug for KASAN/lockdep).
intree-kunit: deps
	bash tools/mshv/intree/kunit.sh $(KUNIT_ARGS)

# The repository as a git format-patch series against linux-source-6.12
# (tools/mshv/intree/export-series.sh), and its test (about 15 minutes,
# so not part of make check).
export-series: deps
	bash tools/mshv/intree/export-series.sh

check-series: deps
	bash tools/mshv/intree/check-series.sh

clean:
	$(MAKE) $(KBUILD_ARGS) clean
	$(MAKE) -C tools/mshv clean
	$(MAKE) -C tools/mshv/bench clean
	$(MAKE) -C tools/testing/selftests clean
	$(MAKE) -C tools/testing/selftests/mshv/fuzz clean
	rm -rf build
