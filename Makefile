# SPDX-License-Identifier: GPL-2.0
#
# make              build the modules against KDIR (default: the running
#                   kernel's /lib/modules/$(uname -r)/build)
# make check        install what is missing (as root), build or reuse the
#                   test kernel, run KUnit and the boot test in QEMU
# make run          boot Debian 12's own kernel (FLAVOR=debug: the test
#                   kernel), arm timers on every CPU, show stats
# make torture DURATION=600   a long torture run with CPU on/off in QEMU
# make utest        the core compiled natively under sanitizers (seconds)
# make model-check  the Spin models (MUTANTS=1: and their mutants)
# make lint         checkpatch, sparse, W=1, kernel-doc, htmldocs (also part
#                   of check)
# make htmldocs     Documentation/ as HTML (Sphinx -W) in build/htmldocs
# make bench        gotimer vs hrtimer vs timer_list (bench kernel flavor)
# make nullblk      null_blk's completions on gotimer vs hrtimer, softirq
#                   and inline, driven by fio (bench kernel flavor)
# make dkms-check   dkms add/build/remove against Debian's 6.1 headers
# make check-matrix the other kernels (Debian 12's stock and RT 6.1; 6.12
#                   KCSAN, fault injection + kmemleak, PREEMPT_RT, arm64,
#                   i386); MATRIX="stock kcsan" picks entries
#                   (scripts/check-matrix)
# FLAVOR=arm64 or FLAVOR=i386 (make run, test-modules, kdir): the test
#                   kernel of that architecture, cross-built, booted in its
#                   QEMU
# make kdir         print the test kernel's build directory (installs what
#                   is missing, builds it; FLAVOR=stock: Debian's headers)
# make clean
#
# The test targets are quiet: the kernel build, the modules' build and the
# guest consoles go to logs under build/ (named on screen) behind progress
# lines, and the terminal shows what the step is for (make run: the demo's
# table and trace excerpt; make check: KUnit's per-suite summary and the
# results; make bench: the tables).  On failure the tail of the log is
# shown.  V=1 shows everything (and makes kbuild verbose).

KDIR ?= /lib/modules/$(shell uname -r)/build
# make run boots Debian 12's own kernel (nothing to build but gotimer)
# unless a FLAVOR is given; every other target defaults to debug.
RUN_FLAVOR := $(if $(filter undefined,$(origin FLAVOR)),stock,$(FLAVOR))
FLAVOR ?= debug
RESULTS ?= $(CURDIR)/build/test-results

ifeq ($(V),1)
Q :=
QUIET :=
else
Q := @
QUIET := 1
# Read by scripts/build-kernel, boot-test, bench and logrun (scripts/lib.sh).
export GOTIMER_QUIET := 1
endif
LOGRUN := scripts/logrun

.PHONY: all modules clean check run kdir deps test-modules torture bench nullblk lint dkms-check check-matrix utest model-check htmldocs

all: modules

# module/.built-for records the kernel build dir and gotimer.ko's hash, so
# that scripts/qemu-run can refuse modules built for another flavor.
# kbuild's clean of M=$(CURDIR) deletes every *.s and *.mod file under it,
# sources included (tools/testing/gotimer/bench/go/valgrind_amd64.s and
# go.mod): clean only the directories kbuild builds in, then its files at
# the top.  $(1): the kernel dir.
KBUILD_DIRS := module tests kunit samples
# A cross-built test kernel's ARCH= and compiler (the arm64 and i386
# flavors), read from its .config; nothing for an x86-64 one.
karch_args = $(shell . scripts/lib.sh && kernel_make_args $(1))
kbuild_clean = for d in $(KBUILD_DIRS); do \
		$(MAKE) -C $(1) M=$(CURDIR)/$$d $(call karch_args,$(1)) clean > /dev/null 2>&1 || true; \
	done; \
	rm -f Module.symvers modules.order .module-common.o \
		.Module.symvers.cmd .modules.order.cmd ..module-common.o.cmd

# Objects built against another kernel dir go first: kbuild decides by
# command line and mtimes, and a .mod.o whose command is the same for two
# flavors (struct module differs) would otherwise be kept.
modules:
	$(Q)prev=$$(cut -d' ' -f1 module/.built-for 2>/dev/null || true); \
	now=$$(cd $(KDIR) && pwd -P); \
	if [ -n "$$prev" ] && [ "$$prev" != "$$now" ]; then \
		echo "modules: last built for $$prev: cleaning first"; \
		$(call kbuild_clean,$(KDIR)); \
	fi
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(call karch_args,$(KDIR)) modules
	@cp Module.symvers module/Module.symvers
	@echo "$$(cd $(KDIR) && pwd -P) $$(sha256sum < module/gotimer.ko | cut -d' ' -f1)" > module/.built-for

# With the kernel dir the objects were built for, which kbuild's clean needs.
clean:
	kdir=$$(cut -d' ' -f1 module/.built-for 2>/dev/null || true); \
	$(call kbuild_clean,$${kdir:-$(KDIR)})
	rm -f module/Module.symvers module/.built-for
	rm -rf build

deps:
	@scripts/install-deps

# Installs what is missing first (as root), so that on a fresh host
# "make -s kdir" prints the directory rather than a missing package.
# FLAVOR=stock: Debian 12's own headers (what "make run" builds against).
ifeq ($(FLAVOR),stock)
kdir:
	@scripts/install-deps --run
	@scripts/stock-kernel --kdir
else
kdir: deps
	@scripts/build-kernel $(FLAVOR)
endif

# The test kernel's modules: built against the cached test kernel.
test-modules: deps
	$(Q)kdir=$$(scripts/build-kernel $(FLAVOR)) && \
	$(LOGRUN) build/modules-$(FLAVOR).log "make: modules for the $(FLAVOR) kernel" \
		$(MAKE) modules KDIR=$$kdir

lint: test-modules
	$(Q)scripts/lint --flavor $(FLAVOR)

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
	$(Q)$(LOGRUN) build/utest.log "make check: native tests (tools/testing/gotimer)" \
		$(MAKE) -C tools/testing/gotimer test
	$(Q)$(LOGRUN) build/model-check.log "make check: Spin models" $(MAKE) model-check
	$(Q)$(LOGRUN) build/lint.log "make check: lint" scripts/lint --flavor $(FLAVOR)
	$(Q)scripts/boot-test --flavor $(FLAVOR) --out $(RESULTS)

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
	$(Q)$(MAKE) --no-print-directory test-modules FLAVOR=bench
	$(Q)scripts/bench $(BENCH_ARGS)

# null_blk patched with a gotimer completion mode (tools/testing/gotimer/
# nullblk), fio in the guest: a line per run, a table, build/nullblk/
# results.csv and nullblk.png.  NULLBLK_ARGS: scripts/nullblk's options.
nullblk: deps
	$(Q)$(MAKE) --no-print-directory test-modules FLAVOR=bench
	$(Q)scripts/nullblk $(NULLBLK_ARGS)

# DKMS add/build/remove against Debian 12's own 6.1 headers.
dkms-check:
	scripts/dkms-check

# The kernel matrix.  So far: Debian 12's own 6.1 kernel (headers and image
# from Debian's packages) with a torture round and CPU on/off, and 6.12 with
# KCSAN (KUnit + torture with CPU on/off, zero data-race reports).
check-matrix:
	scripts/check-matrix $(MATRIX)

RUN_SHOW := $(if $(QUIET),--quiet --log build/run-console.log --show 'gotimer-demo:')
ifeq ($(RUN_FLAVOR),stock)
# Debian's 6.1 headers and image, gotimer built in build/run-stock.
run:
	$(Q)scripts/run-stock $(RUN_SHOW)
else
run: test-modules
	$(Q)scripts/qemu-run --flavor $(FLAVOR) --script scripts/guest/demo.sh --timeout 600 $(RUN_SHOW)
endif
