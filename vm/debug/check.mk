# SPDX-License-Identifier: GPL-2.0
#
# The detector stages of `make check` (not of check-quick): qotd on a 7.3
# kernel with KASAN, lockdep, kmemleak, UBSAN, fault injection and KUnit
# (debug), on a 6.1 kernel with KCSAN (kcsan) and on a 7.3 kernel built
# with Clang and KMSAN (kmsan). See vm/debug/stage.sh and
# vm/debug/README.md. Included by the top Makefile.
#
#   make check                      ... host stock install debug kcsan kmsan
#   make check CHECK_STAGES=debug   the debug stage alone
#   make check-debug                the debug stage alone, as well
#   make check-kcsan                the KCSAN kernel's stage alone
#   make check-kmsan                the KMSAN kernel's stage alone
#
# DEBUG_TIMEOUT  seconds the debug guest may run (default 3600; it needs
#                about 17 minutes on a quiet machine here, and ran past
#                2400 s while other guests loaded both cores)
# KCSAN_TIMEOUT  seconds the kcsan guest may run (default 1800)
# KMSAN_TIMEOUT  seconds the kmsan guest may run (default 1800)
# QOTD_DEBUG_PHASES  some phases only, e.g. kunit,guest (default all)

DEBUG_TIMEOUT ?= 3600
STAGE_debug = QOTD_TIMEOUT=$(DEBUG_TIMEOUT) vm/debug/stage.sh
CHECK_STAGES += debug

# The KCSAN kernel (vm/debug/kcsan.config): the guest suite, the stress
# test and the racing loads. QOTD_DEBUG_PHASES does not apply to it.
KCSAN_TIMEOUT ?= 1800
STAGE_kcsan = QOTD_TIMEOUT=$(KCSAN_TIMEOUT) QOTD_DEBUG_KERNEL=kcsan QOTD_DEBUG_NAME=kcsan \
	QOTD_DEBUG_PHASES=guest,stress,lockless,loadrace vm/debug/stage.sh
CHECK_STAGES += kcsan

# The KMSAN kernel: the KUnit suite and the guest tests that can show an
# uninitialised byte (vm/debug/stage.sh names them).
KMSAN_TIMEOUT ?= 1800
STAGE_kmsan = QOTD_TIMEOUT=$(KMSAN_TIMEOUT) QOTD_DEBUG_KERNEL=kmsan QOTD_DEBUG_NAME=kmsan \
	vm/debug/stage.sh
CHECK_STAGES += kmsan

.PHONY: check-debug check-kcsan check-kmsan
check-debug: deps
	@$(call run-stages,debug)

check-kcsan: deps
	@$(call run-stages,kcsan)

check-kmsan: deps
	@$(call run-stages,kmsan)
