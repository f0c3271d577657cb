#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make run`: boot the test VM, load hvsim and mshv_root, and run the
# hello guest through mshv-run; its serial output appears on the terminal.
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top"
exec bash tools/mshv/vm/vm-run.sh \
	--modules "drivers/hv/mshv_root.ko drivers/hv/hvsim/hvsim.ko" \
	--files "tools/mshv/build/mshv-run tools/mshv/build/hello.bin" \
	--log build/run/console.log \
	-- ./mshv-run hello.bin
