#!/usr/bin/env bash
# SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
# SPDX-License-Identifier: Apache-2.0
#
# Installs everything a fresh Debian 12 machine lacks to build, run and test the extension:
#   - Debian packages: docker.io (the engine the tests start privately), chromium (UI tests), python3
#     and procps (copied into the test image),
#     libkrb5-dev + pkg-config (code-server's native add-ons build from source here)
#   - the project's npm packages (npm ci)
#   - code-server 4.100.3 (VS Code 1.100) and 4.139.1 (newest, on Node 24 from npm) into .vscode-test/
#   - the bundles (npm run build)
# Idempotent: each step is skipped when already done. Needs root (or sudo) for apt.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

APT_PACKAGES=(docker.io chromium libkrb5-dev pkg-config ca-certificates curl python3 procps)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt: installing ${missing[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  step "apt: ${APT_PACKAGES[*]} already installed"
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund
else
  step "npm packages already installed"
fi

step "code-server (VS Code 1.100 and newest)"
bash scripts/install-code-server.sh

step "build"
npm run --silent build
echo "setup done"
