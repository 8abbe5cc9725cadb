# SPDX-License-Identifier: GPL-2.0
#
# make              build the modules against KDIR (default: the running
#                   kernel's /lib/modules/$(uname -r)/build)
# make check        install what is missing (as root), build or reuse the
#                   test kernel, run KUnit and the boot test in QEMU
# make run          boot the test kernel, arm timers on every CPU, show stats
# make kdir         print the test kernel's build directory (builds it)
# make clean

KDIR ?= /lib/modules/$(shell uname -r)/build
FLAVOR ?= debug
RESULTS ?= $(CURDIR)/build/test-results

.PHONY: all modules clean check run kdir deps test-modules

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

check: test-modules
	scripts/boot-test --flavor $(FLAVOR) --out $(RESULTS)

run: test-modules
	scripts/qemu-run --flavor $(FLAVOR) --script scripts/guest/demo.sh --timeout 600
