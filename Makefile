# SPDX-License-Identifier: GPL-2.0
#
# qotd: the front door.
#
#   make              qotd.ko for the default kernel, and qotdctl
#   make check        host checks, the guest suite on Debian's kernel,
#                     installation, then everything on the detector
#                     kernels (vm/debug/) and the other kernel lines: one
#                     TAP stream, one "N passed, N failed" line, non-zero
#                     exit on any failure
#   make check-quick  host checks and the guest suite on Debian's kernel
#   make check-debug  the debug kernel stage alone (KASAN, lockdep, ...)
#   make check-kcsan  the KCSAN kernel stage alone
#   make check-kmsan  the KMSAN kernel stage alone
#   make check-kernels  the 6.12, 6.12-rt, 7.3 and 7.3-clang lines alone
#   make sign         sign qotd.ko (SIGN_KEY, SIGN_CERT; mk/sign.mk)
#   make demo         boot the guest and run the tutorial's session, live,
#                     with the driver's trace events; then the load's own
#                     allocation on a kernel that can trace it (vm/demo.sh)
#   make vm           boot the guest with the module loaded, into a shell
#                     (Ctrl-A x leaves QEMU)
#   make clean        remove build/
#
# Variables (make VAR=value):
#   KVER     kernel release; default: Debian 12's 6.1 (vm/kver.sh)
#   KDIR     kernel build tree; default: /lib/modules/$(KVER)/build
#   KERNEL   kernel image the guest boots; default: /boot/vmlinuz-$(KVER)
#   TIMEOUT  seconds before a guest that has not finished is killed (600)
#   DEMO_LOAD_KERNEL, DEMO_LOAD_KDIR  image and build tree of the kernel on
#            which make demo traces the load (default: a built 7.3 line)
#   KERNELS  kernel lines make check runs (default all: 6.1 6.12 6.12-rt
#            7.3 7.3-clang; see vm/kernels/check.mk)
#
# Everything built goes under build/. Packages come from vm/deps.sh, which
# every target runs first: it does nothing when all is installed.

BUILD := $(CURDIR)/build

# Looked up at each use (recursive =, a few milliseconds), never frozen at
# parse time: on a fresh machine the kernel only appears once vm/deps.sh
# has run, which is after this file is read.
KVER ?= $(shell vm/kver.sh 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build
KERNEL ?= /boot/vmlinuz-$(KVER)
TIMEOUT ?= $(or $(QOTD_TIMEOUT),600)
export DEMO_LOAD_KERNEL DEMO_LOAD_KDIR
export QOTD_TIMEOUT := $(TIMEOUT)

# The stages of a check. Each prints TAP on stdout and progress on stderr;
# they run in order and vm/tap-report.sh numbers and counts the lot.
# A guest suite for another kernel is one more stage:
#   STAGE_name = vm/guest-suite.sh name KERNEL-IMAGE KERNEL-BUILD-TREE
# added to CHECK_STAGES (and to QUICK_STAGES if it is quick); see the end.
# checkpatch.pl and ioctl-number.rst come from the newest kernel tree
# (vm/kernels/): its rules and its registry are the newest.
STAGE_host = QOTD_NEWEST_SRC=$$(vm/kernels/source.sh linux-source-7.3 trixie-backports sid | tail -n 1) \
	KDIR=$(KDIR) tests/host/run-all.sh
# The 6.1 line is pinned: the guest must boot the release KVER names,
# unless KERNEL names another image (another distribution's kernel, say).
STAGE_stock = $(if $(filter /boot/vmlinuz-$(KVER),$(KERNEL)),QOTD_EXPECT_RELEASE=$(KVER)) \
	vm/guest-suite.sh stock $(KERNEL) $(KDIR)
# Installing into this machine (make install, DKMS, the packages) and
# removing it again needs root; the rest of the install checks do not.
# With the 6.12 line in KERNELS, DKMS must also build the package's module
# for 6.12, which then loads in a 6.12 guest (tests/install/deb.sh).
STAGE_install = KVER=$(KVER) KDIR=$(KDIR) \
	$(if $(filter 6.12,$(KERNELS)),QOTD_DKMS_KVERS=$$(vm/kver.sh 6.12)) \
	tests/install/run-all.sh --system
QUICK_STAGES = host stock
CHECK_STAGES = $(QUICK_STAGES) install

# A stage that dies still leaves a failing test behind.
run-stages = { $(foreach s,$(1),$(STAGE_$(s)) || echo "not ok - stage $(s) died (exit $$?)";) } \
	| vm/tap-report.sh

.PHONY: all deps module qotdctl check check-quick demo vm clean

all: module qotdctl

deps:
	@vm/deps.sh

module: deps
	vm/build-module.sh $(KDIR) module
	@echo "module: $(BUILD)/module/driver/qotd.ko (for $(KDIR))"

qotdctl: deps
	$(MAKE) -C qotdctl O=$(BUILD)/qotdctl
	@echo "qotdctl: $(BUILD)/qotdctl/qotdctl"

check: deps
	@$(call run-stages,$(CHECK_STAGES))

check-quick: deps
	@$(call run-stages,$(QUICK_STAGES))

# In build/demo/ and build/vm/, apart from a check that may be running.
demo: deps
	@vm/demo.sh $(KERNEL) $(KDIR)

vm: deps
	@vm/interactive.sh shell vm $(KERNEL) $(KDIR)

clean:
	rm -rf $(BUILD)

# Fragments add targets (mk/*.mk: install, dkms, deb) or further check
# stages (vm/debug/check.mk: the suite on a debug kernel, say), e.g.
#   STAGE_debug = vm/guest-suite.sh debug IMAGE TREE
#   CHECK_STAGES += debug
# Included last, so that `all` stays the default goal.
-include $(wildcard mk/*.mk) vm/debug/check.mk vm/kernels/check.mk
