// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import type { Mount } from './model';

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** The rest of `p` below `root` ('' for `root` itself), or null when `p` is not inside `root`. Whole path segments only. */
function relativeInside(root: string, p: string): string | null {
  const r = trimSlash(root);
  const q = trimSlash(p);
  if (q === r) return '';
  if (r === '/') return q.startsWith('/') ? q.slice(1) : null;
  return q.startsWith(r + '/') ? q.slice(r.length + 1) : null;
}

function join(root: string, rest: string): string {
  if (rest === '') return trimSlash(root);
  return trimSlash(root) === '/' ? '/' + rest : trimSlash(root) + '/' + rest;
}

export interface Translation {
  path: string;
  mount: Mount;
  /** True when the path lies on a read-only mount, so writes there will fail. */
  readOnly: boolean;
}

/** Bind mounts only: a volume's source is engine-internal and means nothing to the user's editor. */
function bindMounts(mounts: readonly Mount[]): Mount[] {
  return mounts.filter((m) => m.type === 'bind' && m.source !== '');
}

/**
 * Host path → container path through the container's bind mounts. The mount with the longest matching
 * source wins (a file mounted inside a mounted folder); null when no mount covers the path.
 */
export function hostToContainer(hostPath: string, mounts: readonly Mount[]): Translation | null {
  let best: { m: Mount; rest: string } | null = null;
  for (const m of bindMounts(mounts)) {
    const rest = relativeInside(m.source, hostPath);
    if (rest !== null && (best === null || trimSlash(m.source).length > trimSlash(best.m.source).length)) best = { m, rest };
  }
  return best ? { path: join(best.m.destination, best.rest), mount: best.m, readOnly: best.m.readOnly } : null;
}

/** Container path → host path; the mount with the longest matching destination wins. */
export function containerToHost(containerPath: string, mounts: readonly Mount[]): Translation | null {
  let best: { m: Mount; rest: string } | null = null;
  for (const m of bindMounts(mounts)) {
    const rest = relativeInside(m.destination, containerPath);
    if (rest !== null && (best === null || trimSlash(m.destination).length > trimSlash(best.m.destination).length)) best = { m, rest };
  }
  return best ? { path: join(best.m.source, best.rest), mount: best.m, readOnly: best.m.readOnly } : null;
}
