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

KBUILD_ARGS := -C $(KDIR) M=$(CURDIR) CONFIG_MSHV_ROOT=m CONFIG_MSHV_HVSIM=m

MODULES := drivers/hv/mshv_root.ko drivers/hv/hvsim/hvsim.ko

.PHONY: all modules tools deps run run-hello check vm-run clean sparse w1 \
	checkpatch intree-kunit bench bench-engines fuzz fuzz-build \
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
# same guest with engine=interp, engine=svm, then through /dev/kvm once
# Debian's kvm_amd (and what it needs) is loaded from the host's
# /lib/modules; a table with the ratios to KVM ends the output.
KVM_KO_DIR = /lib/modules/$(shell bash $(KPATHS) KREL 2>/dev/null)/kernel
KVM_KOS := virt/lib/irqbypass drivers/crypto/ccp/ccp arch/x86/kvm/kvm \
	   arch/x86/kvm/kvm-amd
BENCH_KVM := build/bench-kvm
ENGINE_BENCH := ./mshv-engine-bench -e interp && \
		./mshv-engine-bench -e svm && \
		for m in irqbypass ccp kvm kvm-amd; do \
			insmod bench-kvm/\$$m.ko || exit 1; done && \
		./mshv-engine-bench -e kvm && ./mshv-engine-bench -s
$(BENCH_KVM):
	rm -rf $@.tmp && mkdir -p $@.tmp
	for m in $(KVM_KOS); do \
		xz -dc $(KVM_KO_DIR)/$$m.ko.xz >$@.tmp/$$(basename $$m).ko \
			|| exit 1; \
	done
	mv $@.tmp $@
bench: deps modules tools $(BENCH_KVM)
	bash tools/mshv/vm/vm-run.sh --mem 3G --timeout 1500 \
		--modules "$(MODULES)" \
		--files "$(BENCH_BINS) tools/mshv/bench/build/mshv-engine-bench $(BENCH_KVM)" \
		-- "./mshv-mem-bench $(BENCH_ARGS) && ./mshv-bench && \
		    ./mshv-dirty-bench && ./mshv-irq-bench && \
		    ./mshv-movable-bench && $(ENGINE_BENCH)"
# Only the engine comparison.
bench-engines: deps modules tools $(BENCH_KVM)
	bash tools/mshv/vm/vm-run.sh --timeout 900 --modules "$(MODULES)" \
		--files "tools/mshv/bench/build/mshv-engine-bench $(BENCH_KVM)" \
		-- "$(ENGINE_BENCH)"

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
