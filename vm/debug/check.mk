# SPDX-License-Identifier: GPL-2.0
#
# The debug stage of `make check` (not of check-quick): qotd on a kernel
# with KASAN, lockdep, kmemleak, fault injection and KUnit. See
# vm/debug/stage.sh and vm/debug/README.md. Included by the top Makefile.
#
#   make check                 ... host stock install debug
#   make check CHECK_STAGES=debug   the debug stage alone
#
# DEBUG_TIMEOUT  seconds the debug guest may run (default 2400; it needs
#                about 15 minutes here)

DEBUG_TIMEOUT ?= 2400
# make check runs the KUnit suite and the whole guest suite under the
# detectors; make check-debug runs every phase, fault injection, stress
# and load/unload cycles included.
STAGE_debug = QOTD_TIMEOUT=$(DEBUG_TIMEOUT) QOTD_DEBUG_NAME=debug-check \
	QOTD_DEBUG_PHASES=kunit,guest vm/debug/stage.sh
STAGE_debug-all = QOTD_TIMEOUT=$(DEBUG_TIMEOUT) vm/debug/stage.sh
CHECK_STAGES += debug

.PHONY: check-debug
check-debug: deps
	@$(call run-stages,debug-all)
