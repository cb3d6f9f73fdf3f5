# SPDX-License-Identifier: GPL-2.0
#
# Installing qotd: the module, qotdctl, the manual pages and the udev rule,
# by hand or through DKMS, and the checks of all that. Included by the
# top-level Makefile, which sets KVER and KDIR; usable alone as well:
#   make -f mk/install.mk install
#
#   make install          build, then install into DESTDIR/PREFIX: both of
#     install-module        the module, then depmod
#     install-tools         qotdctl, the manual pages, the udev rule (and
#                           the group qotd); use with dkms-install
#   make uninstall        remove what install put there (also in two parts:
#                         uninstall-module, uninstall-tools)
#   make dkms-install     copy the sources to /usr/src/qotd-VERSION, then
#                         dkms add, build and install for KVER
#   make dkms-uninstall   dkms remove, then delete /usr/src/qotd-VERSION
#   make deb              build the Debian packages into build/deb/
#   make check-install    checks that change nothing outside build/
#   make check-system     checks that install into the running system and
#                         boot a guest (root; they clean up after themselves)
#
# Variables:
#   KVER          kernel release the module is for (default: Debian 12's
#                 6.1 image in /boot, vm/kver.sh; else the running kernel)
#   KDIR          its build tree (default /lib/modules/KVER/build)
#   DESTDIR       staging root: nothing outside it is touched. Without it,
#                 install also creates the group qotd if it is missing,
#                 and has udev apply the rule to devices that exist
#   PREFIX        /usr/local; qotdctl goes to PREFIX/bin, the manual pages
#                 to PREFIX/share/man
#   UDEVRULESDIR  PREFIX/lib/udev/rules.d: udev reads rules from
#                 /usr/local/lib/udev/rules.d and /usr/lib/udev/rules.d, so
#                 both PREFIX=/usr/local and PREFIX=/usr work; with any
#                 other PREFIX set it to one of those
#   MODDIR        /lib/modules/KVER/extra, where depmod looks for modules
#                 that are not part of the kernel

QOTD_TOP := $(patsubst %/,%,$(dir $(abspath $(dir $(lastword $(MAKEFILE_LIST))))))
QOTD_VERSION := $(strip $(shell cat '$(QOTD_TOP)/VERSION' 2>/dev/null))
QOTD_BUILD := $(QOTD_TOP)/build

# KVER is looked up at first use, once: on a fresh machine the kernel only
# arrives with vm/deps.sh. Nothing here expands it at parse time.
KVER ?= $(eval KVER := $$(shell '$(QOTD_TOP)/vm/kver.sh'))$(KVER)
KDIR ?= /lib/modules/$(KVER)/build

# Where no Debian kernel image is found (another distribution), KVER is
# empty: install for the running kernel then.
QOTD_KVER = $(or $(strip $(KVER)),$(shell uname -r))
QOTD_KDIR = $(if $(filter /lib/modules//build,$(KDIR)),/lib/modules/$(QOTD_KVER)/build,$(KDIR))

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d
MODDIR ?= /lib/modules/$(QOTD_KVER)/extra

DKMS ?= dkms
# depmod lives in /sbin, which a user's PATH may lack.
DEPMOD ?= $(firstword $(shell PATH="$$PATH:/usr/sbin:/sbin" command -v depmod 2>/dev/null) depmod)
DKMS_SRCDIR = /usr/src/qotd-$(QOTD_VERSION)

INSTALL ?= install

# The module is built in a copy of the sources under build/, never in driver/.
QOTD_INSTALL_KO = $(QOTD_BUILD)/install-$(QOTD_KVER)/driver/qotd.ko
QOTD_INSTALL_CTL = $(QOTD_BUILD)/install-qotdctl/qotdctl

# Run depmod on the tree the module went into: DESTDIR's, or the system's.
# A staging tree has no modules.order or modules.builtin*, which only
# matter on the target: depmod's complaints about them are dropped.
qotd_depmod = if ! command -v '$(DEPMOD)' >/dev/null 2>&1; then \
		echo 'qotd: no $(DEPMOD): run "depmod -a $(QOTD_KVER)" before loading qotd' >&2; \
	elif [ -n '$(DESTDIR)' ]; then \
		echo '$(DEPMOD) -a -b $(abspath $(DESTDIR)) $(QOTD_KVER)'; \
		out=$$('$(DEPMOD)' -a -b '$(abspath $(DESTDIR))' '$(QOTD_KVER)' 2>&1); rc=$$?; \
		printf '%s\n' "$$out" | grep -v -e '^$$' \
			-e 'could not open modules\.\(order\|builtin\)' >&2; \
		exit $$rc; \
	else \
		echo '$(DEPMOD) -a $(QOTD_KVER)'; '$(DEPMOD)' -a '$(QOTD_KVER)'; \
	fi

# Live system only: reread the rules now (udev would notice by itself a
# little later) and apply them to devices that exist already.
qotd_udev_reload = if [ -z '$(DESTDIR)' ] && [ -S /run/udev/control ] && \
		command -v udevadm >/dev/null 2>&1; then \
		udevadm control --reload || true; \
		udevadm trigger --action=change --subsystem-match=misc \
			--sysname-match='qotd[0-9]*' || true; \
	fi

# The DKMS source tree: the driver, the UAPI header it includes, VERSION
# (Kbuild reads it) and dkms.conf, whose version must be VERSION's.
define qotd_dkms_src
	@test -n '$(QOTD_VERSION)' || { echo 'qotd: cannot read VERSION' >&2; exit 1; }
	@grep -qx 'PACKAGE_VERSION="$(QOTD_VERSION)"' '$(QOTD_TOP)/dkms.conf' || \
		{ echo 'qotd: dkms.conf PACKAGE_VERSION differs from VERSION ($(QOTD_VERSION))' >&2; exit 1; }
	rm -rf '$(DESTDIR)$(DKMS_SRCDIR)'
	$(INSTALL) -d '$(DESTDIR)$(DKMS_SRCDIR)/driver' '$(DESTDIR)$(DKMS_SRCDIR)/include/uapi/linux'
	$(INSTALL) -m 0644 '$(QOTD_TOP)/dkms.conf' '$(QOTD_TOP)/VERSION' '$(DESTDIR)$(DKMS_SRCDIR)/'
	$(INSTALL) -m 0644 '$(QOTD_TOP)/driver/Kbuild' '$(QOTD_TOP)/driver/Makefile' \
		$(wildcard $(QOTD_TOP)/driver/*.c $(QOTD_TOP)/driver/*.h) \
		'$(DESTDIR)$(DKMS_SRCDIR)/driver/'
	$(INSTALL) -m 0644 '$(QOTD_TOP)/include/uapi/linux/qotd.h' \
		'$(DESTDIR)$(DKMS_SRCDIR)/include/uapi/linux/'
endef

# Forget what DKMS has of this version (built modules included).
define qotd_dkms_forget
	@if '$(DKMS)' status 'qotd/$(QOTD_VERSION)' 2>/dev/null | grep -q .; then \
		echo "$(DKMS) remove qotd/$(QOTD_VERSION) --all"; \
		'$(DKMS)' remove 'qotd/$(QOTD_VERSION)' --all; \
	fi
endef

# The checks get the kernel the Makefile chose.
qotd_check_env = KVER='$(QOTD_KVER)' KDIR='$(QOTD_KDIR)'

.PHONY: install install-module install-tools uninstall uninstall-module \
	uninstall-tools install-build qotd-install-module qotd-install-ctl \
	dkms-src dkms-install dkms-uninstall deb \
	check-install check-system

install-build: qotd-install-module qotd-install-ctl

# Under the top-level Makefile, whose deps target installs the packages the
# build and the checks need (vm/deps.sh), everything else waits for it.
ifneq ($(filter Makefile,$(notdir $(MAKEFILE_LIST))),)
qotd-install-module qotd-install-ctl dkms-install deb check-install check-system: deps
endif

qotd-install-module:
	'$(QOTD_TOP)/vm/build-module.sh' '$(QOTD_KDIR)' 'install-$(QOTD_KVER)'

qotd-install-ctl:
	$(MAKE) -C '$(QOTD_TOP)/qotdctl' O='$(dir $(QOTD_INSTALL_CTL))'

# The module alone: what DKMS does instead (use one or the other).
install-module: qotd-install-module
	$(INSTALL) -d '$(DESTDIR)$(MODDIR)'
	$(INSTALL) -m 0644 '$(QOTD_INSTALL_KO)' '$(DESTDIR)$(MODDIR)/qotd.ko'
	@$(qotd_depmod)

# Everything but the module. On the live system the group the udev rule
# names is created if missing.
install-tools: qotd-install-ctl
	$(INSTALL) -d '$(DESTDIR)$(BINDIR)' \
		'$(DESTDIR)$(MANDIR)/man1' '$(DESTDIR)$(MANDIR)/man4' \
		'$(DESTDIR)$(UDEVRULESDIR)'
	$(INSTALL) -m 0755 '$(QOTD_INSTALL_CTL)' '$(DESTDIR)$(BINDIR)/qotdctl'
	$(INSTALL) -m 0644 '$(QOTD_TOP)/man/qotdctl.1' '$(DESTDIR)$(MANDIR)/man1/qotdctl.1'
	$(INSTALL) -m 0644 '$(QOTD_TOP)/man/qotd.4' '$(DESTDIR)$(MANDIR)/man4/qotd.4'
	$(INSTALL) -m 0644 '$(QOTD_TOP)/udev/60-qotd.rules' '$(DESTDIR)$(UDEVRULESDIR)/60-qotd.rules'
	@if [ -z '$(DESTDIR)' ] && ! getent group qotd >/dev/null; then \
		echo 'groupadd --system qotd'; groupadd --system qotd; \
	fi
	@$(qotd_udev_reload)

install: install-module install-tools

# A loaded module stays loaded.
uninstall-module:
	rm -f '$(DESTDIR)$(MODDIR)/qotd.ko'
	@rmdir '$(DESTDIR)$(MODDIR)' 2>/dev/null || true
	@if [ -d '$(DESTDIR)/lib/modules/$(QOTD_KVER)' ]; then $(qotd_depmod); fi

# The qotd group stays: files and memberships may refer to it. So do the
# directories.
uninstall-tools:
	rm -f '$(DESTDIR)$(BINDIR)/qotdctl' \
		'$(DESTDIR)$(MANDIR)/man1/qotdctl.1' '$(DESTDIR)$(MANDIR)/man4/qotd.4' \
		'$(DESTDIR)$(UDEVRULESDIR)/60-qotd.rules'
	@$(qotd_udev_reload)

uninstall: uninstall-module uninstall-tools

# DESTDIR=dir puts the tree under dir (the Debian package does that).
dkms-src:
	$(qotd_dkms_src)

# Running it again replaces what an earlier run installed.
dkms-install:
	$(qotd_dkms_forget)
	$(qotd_dkms_src)
	'$(DKMS)' add 'qotd/$(QOTD_VERSION)'
	'$(DKMS)' build 'qotd/$(QOTD_VERSION)' -k '$(QOTD_KVER)'
	'$(DKMS)' install 'qotd/$(QOTD_VERSION)' -k '$(QOTD_KVER)'

dkms-uninstall:
	$(qotd_dkms_forget)
	rm -rf '$(DKMS_SRCDIR)'

# dpkg-buildpackage writes beside the source tree: build from a copy.
deb:
	'$(QOTD_TOP)/tests/install/build-deb.sh' '$(QOTD_BUILD)/deb'

check-install:
	@$(qotd_check_env) '$(QOTD_TOP)/tests/install/run-all.sh' | '$(QOTD_TOP)/vm/tap-report.sh'

check-system:
	@$(qotd_check_env) '$(QOTD_TOP)/tests/install/run-all.sh' --system | '$(QOTD_TOP)/vm/tap-report.sh'
