# SPDX-License-Identifier: GPL-2.0
#
# The debug stage of `make check` (not of check-quick): qotd on a kernel
# with KASAN, lockdep, kmemleak, fault injection and KUnit. See
# vm/debug/stage.sh and vm/debug/README.md. Included by the top Makefile.
#
#   make check                      ... host stock install debug
#   make check CHECK_STAGES=debug   the debug stage alone
#   make check-debug                the debug stage alone, as well
#
# DEBUG_TIMEOUT  seconds the debug guest may run (default 2400; it needs
#                about 11 minutes here)
# QOTD_DEBUG_PHASES  some phases only, e.g. kunit,guest (default all)

DEBUG_TIMEOUT ?= 2400
STAGE_debug = QOTD_TIMEOUT=$(DEBUG_TIMEOUT) vm/debug/stage.sh
CHECK_STAGES += debug

.PHONY: check-debug
check-debug: deps
	@$(call run-stages,debug)
