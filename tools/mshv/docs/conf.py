# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration for building Documentation/virt/mshv/ on its own
# (tools/mshv/scripts/check-docs.sh).  In a kernel tree the pages are part
# of "make htmldocs" and this file is not used.  The kernel's own Sphinx
# extensions and scripts/kernel-doc come from linux-source-6.12; their
# directory is passed in MSHV_KERNEL_SPHINX.

import os
import sys

_ksrc = os.environ['MSHV_KERNEL_SPHINX']
sys.path.insert(0, os.path.join(_ksrc, 'Documentation', 'sphinx'))

project = 'mshv'
extensions = ['kerneldoc']
primary_domain = 'c'
highlight_language = 'none'
kerneldoc_bin = os.path.join(_ksrc, 'scripts', 'kernel-doc')
kerneldoc_srctree = os.environ['MSHV_SRCTREE']
master_doc = 'index'
html_theme = 'alabaster'
