# SPDX-License-Identifier: GPL-2.0
#
# make              build the modules against KDIR (default: the running
#                   kernel's /lib/modules/$(uname -r)/build)
# make check        install what is missing (as root), build or reuse the
#                   test kernel, run KUnit and the boot test in QEMU
# make run          boot the test kernel, arm timers on every CPU, show stats
# make torture DURATION=600   a long torture run with CPU on/off in QEMU
# make utest        the core compiled natively under sanitizers (seconds)
# make model-check  the Spin models (MUTANTS=1: and their mutants)
# make lint         checkpatch, sparse, W=1, kernel-doc, htmldocs (also part
#                   of check)
# make htmldocs     Documentation/ as HTML (Sphinx -W) in build/htmldocs
# make bench        gotimer vs hrtimer vs timer_list (bench kernel flavor)
# make dkms-check   dkms add/build/remove against Debian's 6.1 headers
# make check-matrix the other kernels (Debian 12's stock and RT 6.1; 6.12
#                   KCSAN, fault injection + kmemleak, PREEMPT_RT);
#                   MATRIX="stock kcsan" picks entries (scripts/check-matrix)
# make kdir         print the test kernel's build directory (builds it)
# make clean

KDIR ?= /lib/modules/$(shell uname -r)/build
FLAVOR ?= debug
RESULTS ?= $(CURDIR)/build/test-results

.PHONY: all modules clean check run kdir deps test-modules torture bench lint dkms-check check-matrix utest model-check htmldocs

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules
	@cp Module.symvers module/Module.symvers

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -f module/Module.symvers
	rm -rf build

deps:
	@scripts/install-deps

kdir:
	@scripts/build-kernel $(FLAVOR)

# The test kernel's modules: built against the cached test kernel.
test-modules: deps
	$(MAKE) modules KDIR=$$(scripts/build-kernel $(FLAVOR))

lint: test-modules
	scripts/lint --flavor $(FLAVOR)

# Sphinx, warnings as errors; kernel-doc through the kernel's extension.
htmldocs: deps
	@scripts/htmldocs --flavor $(FLAVOR)

# Spin models of the lock-free protocols (tools/testing/gotimer/model);
# MUTANTS=1 also checks that every recorded mutant is caught.
model-check:
	$(MAKE) -C tools/testing/gotimer model-check $(if $(MUTANTS),MUTANTS=1)

# The heap and state machine compiled natively, under ASan/UBSan and TSan.
utest: deps
	$(MAKE) -C tools/testing/gotimer test

check: test-modules
	$(MAKE) -C tools/testing/gotimer test
	$(MAKE) model-check
	scripts/lint --flavor $(FLAVOR)
	scripts/boot-test --flavor $(FLAVOR) --out $(RESULTS)

# A longer torture run with CPU on/off: make torture DURATION=600
DURATION ?= 600
torture: test-modules
	@mkdir -p build
	@printf '%s\n' \
	  'insmod /modules/gotimer_torture.ko duration=$(DURATION) onoff_interval_ms=100' \
	  'while [ "$$(cat /sys/kernel/gotimer_torture/running)" = 1 ]; do sleep 5; done' \
	  'grep -qx SUCCESS /sys/kernel/gotimer_torture/result' > build/torture.sh
	scripts/qemu-run --flavor $(FLAVOR) --script build/torture.sh \
	  --timeout $$(( $(DURATION) + 900 ))

# The benchmark, on the bench kernel flavor (no debug options).
bench: deps
	$(MAKE) modules KDIR=$$(scripts/build-kernel bench)
	scripts/bench $(BENCH_ARGS)

# DKMS add/build/remove against Debian 12's own 6.1 headers.
dkms-check:
	scripts/dkms-check

# The kernel matrix.  So far: Debian 12's own 6.1 kernel (headers and image
# from Debian's packages) with a torture round and CPU on/off, and 6.12 with
# KCSAN (KUnit + torture with CPU on/off, zero data-race reports).
check-matrix:
	scripts/check-matrix $(MATRIX)

run: test-modules
	scripts/qemu-run --flavor $(FLAVOR) --script scripts/guest/demo.sh --timeout 600
