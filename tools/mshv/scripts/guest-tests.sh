#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test VM (busybox sh, in /mshv, with hvsim and mshv_root
# loaded): the selftests and the demo guests through mshv-run, first with
# hvsim's root scheduler, then again with scheduler=hyp, then (--svm)
# again with engine=svm (hardware virtualization); and a clean unload of
# both modules.  Every step prints TAP lines.

cd /mshv || exit 1

# --shuffle SEED PASSES: after the ordered run under the root scheduler,
# PASSES more passes over every single selftest in random order.
# --svm: then everything again with engine=svm, root scheduler (see the
# end); --svm-hyp: also with engine=svm and scheduler=hyp.
shuffle=""
svm=""
svm_hyp=""
while [ $# -gt 0 ]; do
	case $1 in
	--shuffle) shuffle="--shuffle $2 $3" && shift 3 ;;
	--svm) svm=1 && shift ;;
	--svm-hyp) svm_hyp=1 && shift ;;
	*) echo "guest-tests.sh: unknown option $1" && exit 2 ;;
	esac
done

kmemleak=/sys/kernel/debug/kmemleak
kunit=/sys/kernel/debug/kunit

# On the debug kernel: report the KUnit suites that ran when the KUnit
# modules (mshv_root_kunit, hvsim_kunit) were loaded after mshv_root and
# hvsim (their KTAP results are counted like every other TAP line), then
# unload those modules, which hold hvsim and mshv_root.
# No "echo clear" to kmemleak here: it also hides objects leaked while the
# modules were loaded, which is exactly what the final scan must catch.
if [ -d $kunit ]; then
	for r in $kunit/*/results; do
		[ -f "$r" ] && cat "$r"
	done
fi
for m in hvsim_kunit mshv_root_kunit; do
	[ -d "/sys/module/$m" ] || continue
	if rmmod "$m"; then
		echo "ok - rmmod $m"
	else
		echo "not ok - rmmod $m"
	fi
done

# The kselftest runner bounds each program with "timeout --foreground"
# when /usr/bin/timeout exists; busybox's timeout has no --foreground
# (the runner's own process group is all there is here), so give it one
# that drops the option.
if [ ! -e /usr/bin/timeout ]; then
	mkdir -p /usr/bin
	# shellcheck disable=SC2016 # the script's own $1 and $@
	printf '%s\n' '#!/bin/sh' '[ "$1" = --foreground ] && shift' \
		'exec /bin/busybox timeout "$@"' >/usr/bin/timeout
	chmod 755 /usr/bin/timeout
fi

# The runner writes its log to /dev/stdout, which only udev creates;
# devtmpfs has no such links.
for fd in 0:stdin 1:stdout 2:stderr; do
	[ -e "/dev/${fd#*:}" ] || ln -s "/proc/self/fd/${fd%:*}" "/dev/${fd#*:}"
done

# selftests MODEL [--shuffle SEED PASSES]: run every installed kselftest
# program (selftests/: make -C tools/testing/selftests install) through
# the kernel's runner, and time the run.
selftests() {
	model=$1
	shift
	start=$(date +%s)
	./selftests/run_mshv_selftests.sh "$@"
	echo "# selftests, $model scheduler: $(($(date +%s) - start)) s"
}

# shellcheck disable=SC2086 # $shuffle is empty or three words
selftests root $shuffle

# guest NAME EXPECTED: run a demo guest and check its serial output.
guest() {
	if out=$(./mshv-bin/mshv-run "mshv-bin/$1.bin" 2>/tmp/err) &&
		echo "$out" | grep -q "$2"; then
		echo "ok - mshv-run $1"
	else
		echo "not ok - mshv-run $1"
		cat /tmp/err
		echo "$out"
	fi
}

guest hello "Hello"
guest arith "Fibonacci: 0 1 1 2 3 5 8 13 .* 4181"
guest hello64 "fib(90) = 2880067194370816120"

# A short fuzzing campaign (one TAP line; its invariants are checked once
# every fd is closed).  MSHV_FUZZ_SEED in the guest's environment picks
# another seed; "make fuzz" runs long ones.
./mshv-bin/mshv-fuzz --seed "${MSHV_FUZZ_SEED:-1}" --ops 2000 --threads 2 \
	--time-limit 120

# Everything again with the hypervisor's scheduler: hvsim runs every VP on
# a thread of its own, the driver resumes VPs through their suspend
# registers (hvsim's scheduler=hyp).
if rmmod hvsim && insmod /modules/hvsim.ko scheduler=hyp &&
	[ "$(cat /sys/module/hvsim/parameters/scheduler)" = hyp ]; then
	echo "ok - hvsim reloaded with scheduler=hyp"
	selftests hyp
	guest hello "Hello"
	guest arith "Fibonacci: 0 1 1 2 3 5 8 13 .* 4181"
else
	echo "not ok - hvsim reloaded with scheduler=hyp"
fi

# With --svm (--svm-hyp): everything again on hardware virtualization
# (hvsim's engine=svm: AMD-V with nested paging, which QEMU's TCG
# emulates with -cpu max), root (hyp) scheduler, about 75 s each.  Where the CPU has no usable SVM, hvsim refuses
# engine=svm and the passes are skipped.
# svm_pass MODEL: reload hvsim with engine=svm and scheduler=MODEL.
svm_pass() {
	if ! rmmod hvsim; then
		echo "not ok - hvsim unloaded for engine=svm, scheduler=$1"
		return
	fi
	if ! insmod /modules/hvsim.ko engine=svm scheduler="$1"; then
		echo "ok - engine=svm, scheduler=$1 # SKIP no usable SVM"
		insmod /modules/hvsim.ko
		return
	fi
	echo "ok - hvsim reloaded with engine=svm, scheduler=$1"
	selftests "$1, engine=svm"
	guest hello "Hello"
	guest arith "Fibonacci: 0 1 1 2 3 5 8 13 .* 4181"
	guest hello64 "fib(90) = 2880067194370816120"
	grep -E '^(runs|vmexits|emulated|busy_fallbacks|invalid_fallbacks) ' \
		/sys/kernel/debug/hvsim/engine | sed 's/^/# svm /'
}
[ -n "$svm" ] && svm_pass root
[ -n "$svm_hyp" ] && svm_pass hyp

if rmmod hvsim && rmmod mshv_root; then
	echo "ok - modules unload"
else
	echo "not ok - modules unload"
fi

# After the unload every object of ours is gone: anything kmemleak finds
# now is a leak.  kmemleak ignores objects younger than 5 s and reports an
# object only once a second scan still finds it unreferenced (seen on this
# kernel: a deliberate leak showed up on the second scan only), so let the
# last objects age, then scan twice.  Properties of the tool, not a race.
if [ -w $kmemleak ]; then
	sleep 6
	echo scan >$kmemleak
	echo scan >$kmemleak
	# debugfs files report size 0, so read the report to test it.
	leaks=$(cat $kmemleak)
	if [ -n "$leaks" ]; then
		echo "not ok - kmemleak found leaks"
		echo "$leaks"
	else
		echo "ok - kmemleak: no leaks"
	fi
fi

# Failures were reported above as TAP lines; the VM run itself succeeded.
exit 0
