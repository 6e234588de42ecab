#!/usr/bin/env bash
# SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
# SPDX-License-Identifier: Apache-2.0
#
# Builds the small root filesystem the Docker test tiers run their containers from, offline, out of the
# Debian packages already installed on this host (no registry, no mirror), then imports it into the
# engine that DOCKER_HOST (or the default socket) points at.
#
#   scripts/build-test-rootfs.sh [--no-import] OUT.tar
#
# Image name: $DYNAMO_TEST_IMAGE, default dynamo-dev-test-base:latest. The import is skipped when the
# image already exists. The tarball holds bash, dash, coreutils, grep, sed, findutils, procps, python3,
# curl and ca-certificates with their dependency closure (perl, dpkg and debconf left out), merged-/usr
# symlinks, /tmp with mode 1777 and users root, ubuntu (1000) and dynamo (1001).
set -euo pipefail

IMPORT=1
if [ "${1:-}" = "--no-import" ]; then IMPORT=0; shift; fi
if [ $# -ne 1 ]; then
  echo "usage: $0 [--no-import] OUT.tar" >&2
  exit 2
fi
OUT=$1
IMAGE=${DYNAMO_TEST_IMAGE:-dynamo-dev-test-base:latest}
ROOTS=(bash dash coreutils grep sed findutils procps python3 curl ca-certificates)
# Never copied, even when something depends on them: the image runs no maintainer scripts.
SKIP_RE='^(perl|perl-base|perl-modules-[0-9.]+|libperl[0-9.]+|libgdbm-compat[0-9]+|debconf|dpkg|init-system-helpers|usr-is-merged)$'

die() { echo "build-test-rootfs: $*" >&2; exit 1; }
command -v dpkg-query >/dev/null || die "needs a Debian host (dpkg-query not found)"
for d in bin sbin lib; do
  [ "$(readlink "/$d")" = "usr/$d" ] || die "needs a merged-/usr host (/$d is not a symlink to usr/$d)"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dynamo-rootfs.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
STAGE=$WORK/root

# --- 1. dependency closure, from the local dpkg database only --------------------------------------
# installed packages, and which installed package provides each virtual name
dpkg-query -W -f='${Package}\t${db:Status-Abbrev}\t${Provides}\n' \
  | awk -F'\t' '$2 ~ /^ii/ { print $1 "\t" $1; n = split($3, p, /, */); for (i = 1; i <= n; i++) { sub(/ .*/, "", p[i]); if (p[i] != "") print p[i] "\t" $1 } }' \
  > "$WORK/provides"

resolve() { # name -> installed package providing it (first hit), or nothing
  awk -F'\t' -v n="$1" '$1 == n { print $2; exit }' "$WORK/provides"
}

declare -A SEEN=()
QUEUE=()
for p in "${ROOTS[@]}"; do
  r=$(resolve "$p")
  [ -n "$r" ] || die "package $p is not installed on this host (run scripts/setup.sh)"
  QUEUE+=("$r")
done
while [ ${#QUEUE[@]} -gt 0 ]; do
  pkg=${QUEUE[0]}
  QUEUE=("${QUEUE[@]:1}")
  [ -n "${SEEN[$pkg]:-}" ] && continue
  [[ $pkg =~ $SKIP_RE ]] && continue
  SEEN[$pkg]=1
  deps=$(dpkg-query -W -f='${Pre-Depends}, ${Depends}' "$pkg")
  # one dependency per line; "a | b" alternatives: the first one that is installed
  while IFS= read -r alt; do
    [ -n "$alt" ] || continue
    IFS='|' read -ra choices <<< "$alt"
    for c in "${choices[@]}"; do
      name=$(sed -E 's/\(.*\)//; s/:[a-z0-9]+//; s/[[:space:]]//g' <<< "$c")
      [ -n "$name" ] || continue
      r=$(resolve "$name")
      if [ -n "$r" ]; then QUEUE+=("$r"); break; fi
    done
  done < <(tr ',' '\n' <<< "$deps")
done
printf '%s\n' "${!SEEN[@]}" | sort > "$WORK/packages"

# --- 2. the packages' files, with /bin /sbin /lib /lib64 spelled as their /usr targets --------------
# (the staging directory is tarred once at the end, so every path is in the tarball exactly once)
xargs dpkg -L < "$WORK/packages" \
  | grep '^/.' \
  | grep -Ev '^/usr/share/(doc|doc-base|man|info|locale|lintian|bug|bash-completion)(/|$)' \
  | sed -E 's#^/(bin|sbin|lib|lib64)(/|$)#/usr/\1\2#; s#^/##' \
  | grep -Ev '^(usr|bin|sbin|lib|lib64)$' \
  | sort -u > "$WORK/files"
mkdir -p "$STAGE"
tar -C / --no-recursion --ignore-failed-read -cf - -T "$WORK/files" 2>/dev/null | tar -C "$STAGE" -xpf -

# --- 3. skeleton ----------------------------------------------------------------------------------
for d in bin sbin lib lib64; do
  rm -rf "${STAGE:?}/$d"
  mkdir -p "$STAGE/usr/$d"
  ln -s "usr/$d" "$STAGE/$d"
done
[ -e "$STAGE/usr/bin/sh" ] || ln -s dash "$STAGE/usr/bin/sh"
mkdir -p "$STAGE"/{etc,proc,sys,dev,run,root,home,tmp,var/tmp,etc/ssl/certs}
chmod 1777 "$STAGE/tmp" "$STAGE/var/tmp"
chmod 0700 "$STAGE/root"
cat > "$STAGE/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
ubuntu:x:1000:1000:ubuntu:/home/ubuntu:/bin/bash
dynamo:x:1001:1001:dynamo:/home/dynamo:/bin/bash
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat > "$STAGE/etc/group" <<'EOF'
root:x:0:
ubuntu:x:1000:
dynamo:x:1001:
nogroup:x:65534:
EOF
for u in ubuntu:1000 dynamo:1001; do
  mkdir -p "$STAGE/home/${u%%:*}"
  chown "${u#*:}:${u#*:}" "$STAGE/home/${u%%:*}"
done
[ -f /etc/ssl/certs/ca-certificates.crt ] && cp -L /etc/ssl/certs/ca-certificates.crt "$STAGE/etc/ssl/certs/"

mkdir -p "$(dirname "$OUT")"
tar -C "$STAGE" --numeric-owner -cf "$OUT.partial" .
mv "$OUT.partial" "$OUT"
echo "build-test-rootfs: $(wc -l < "$WORK/packages") packages, $(wc -l < "$WORK/files") paths, $(du -h "$OUT" | cut -f1) -> $OUT"

# --- 4. import --------------------------------------------------------------------------------------
[ "$IMPORT" = 1 ] || exit 0
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "build-test-rootfs: image $IMAGE already exists, not importing"
  exit 0
fi
docker import -c 'CMD ["/bin/bash"]' "$OUT" "$IMAGE" >/dev/null
echo "build-test-rootfs: imported $IMAGE"
