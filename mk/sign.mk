# SPDX-License-Identifier: GPL-2.0
#
# Signing the module, for kernels that check signatures (Secure Boot,
# CONFIG_MODULE_SIG_FORCE). Included by the top-level Makefile.
#
#   make sign             build qotd.ko for KDIR, then sign it (and any
#                         other module built beside it) with the tree's
#                         scripts/sign-file
#   make sign SIGN_KEY=key.pem SIGN_CERT=cert.der
#
# Variables:
#   SIGN_KEY    private key, PEM; default DKMS's /var/lib/dkms/mok.key
#   SIGN_CERT   its X.509 certificate; default /var/lib/dkms/mok.pub
#   SIGN_KO     the modules to sign; default build/module/driver/*.ko
# The kernel must trust the certificate: under Secure Boot, enrol it once
# with `mokutil --import SIGN_CERT` and reboot.

SIGN_KEY ?= /var/lib/dkms/mok.key
SIGN_CERT ?= /var/lib/dkms/mok.pub

.PHONY: sign
sign: module
	vm/sign-module.sh '$(KDIR)' '$(SIGN_KEY)' '$(SIGN_CERT)' \
		$(or $(SIGN_KO),$(wildcard $(BUILD)/module/driver/*.ko))
