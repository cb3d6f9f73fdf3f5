# SPDX-License-Identifier: GPL-2.0
#
# The kernel lines of `make check` (vm/kernels/stage.sh). Included by the
# top Makefile.
#
#   make check                    every line: 6.1 6.12 6.12-rt 7.3 7.3-clang
#   make check KERNELS="6.12 7.3" host checks and those lines only
#   make check-kernels            the lines other than 6.1 alone
#
# KERNELS  the lines to run. 6.1 is Debian 12's kernel: the stock stage,
#          the install stage and the debug kernel (vm/debug/) come with it;
#          each other line is a stage of its own, named after the line,
#          results and build directory alike (build/6.12/, ...). The host
#          checks always run (checkpatch uses the newest tree, 7.3's).
#          With 6.12 among them, the install stage also has DKMS build the
#          package's module for 6.12 and boots 6.12 with it.
# QOTD_ALLOCS_6_12, QOTD_ALLOCS_6_12_rt, QOTD_ALLOCS_7_3, QOTD_ALLOCS_7_3_clang
#          the alloc= strategies each line runs (see vm/kernels/stage.sh)

KERNEL_LINES := 6.12 6.12-rt 7.3 7.3-clang
KERNELS ?= 6.1 $(KERNEL_LINES)
ifneq ($(filter-out 6.1 $(KERNEL_LINES),$(KERNELS)),)
$(error KERNELS: unknown line(s) $(filter-out 6.1 $(KERNEL_LINES),$(KERNELS)); known: 6.1 $(KERNEL_LINES))
endif

$(foreach l,$(KERNEL_LINES),$(eval STAGE_$(l) = vm/kernels/stage.sh $(l)))
# Without 6.1, its stages (stock, install, debug, kcsan, kmsan) go; the other
# lines follow in order.
CHECK_STAGES := $(filter-out $(if $(filter 6.1,$(KERNELS)),,stock install debug kcsan kmsan),$(CHECK_STAGES)) \
	$(filter $(KERNELS),$(KERNEL_LINES))

.PHONY: kernel-deps check-kernels
# What the lines need comes before any stage: the install stage has DKMS
# build for 6.12, so its headers must be there by then.
kernel-deps:
	@vm/kernels/deps.sh $(filter $(KERNELS),$(KERNEL_LINES))
check: kernel-deps

check-kernels: deps kernel-deps
	@$(call run-stages,$(filter $(KERNELS),$(KERNEL_LINES)))
