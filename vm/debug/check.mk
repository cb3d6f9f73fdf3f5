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
# DEBUG_TIMEOUT  seconds the debug guest may run (default 3600; it needs
#                about 11 minutes on a quiet machine here, and ran past
#                2400 s while other guests loaded both cores)
# QOTD_DEBUG_PHASES  some phases only, e.g. kunit,guest (default all)

DEBUG_TIMEOUT ?= 3600
STAGE_debug = QOTD_TIMEOUT=$(DEBUG_TIMEOUT) vm/debug/stage.sh
CHECK_STAGES += debug

.PHONY: check-debug
check-debug: deps
	@$(call run-stages,debug)
