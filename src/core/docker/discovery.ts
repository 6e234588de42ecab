// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import type { ContainerInfo, Mount, RawContainer, RawMount } from './model';
import { detectFramework, normalizeFolderName, parseVscImageName } from './naming';

export const LABEL_LOCAL_FOLDER = 'devcontainer.local_folder';
export const LABEL_CONFIG_FILE = 'devcontainer.config_file';
export const LABEL_METADATA = 'devcontainer.metadata';

function basename(p: string): string {
  // local_folder is a host path: POSIX on Linux hosts, but Windows paths when Docker Desktop runs there.
  const parts = p.replace(/[\\/]+$/, '').split(/[\\/]/);
  return parts[parts.length - 1] ?? '';
}

export function toMount(raw: RawMount): Mount {
  return {
    source: raw.Source ?? '',
    destination: raw.Destination,
    readOnly: raw.RW === false,
    type: raw.Type ?? 'bind',
    name: raw.Name ?? null,
  };
}

/** `remoteUser` (else `containerUser`) from the JSON array in the `devcontainer.metadata` label; the last entry wins. */
export function remoteUserFromMetadata(label: string | undefined): string | null {
  if (!label) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(label);
  } catch (_e) {
    return null; // A malformed label is not ours to fix; the container is still listed.
  }
  const entries = Array.isArray(parsed) ? parsed : [parsed];
  let user: string | null = null;
  for (const entry of entries) {
    if (entry && typeof entry === 'object') {
      const e = entry as Record<string, unknown>;
      if (typeof e.remoteUser === 'string') user = e.remoteUser;
      else if (typeof e.containerUser === 'string' && user === null) user = e.containerUser;
    }
  }
  return user;
}

/** Turns one ContainerSummary into what the tree and the CLI show. Never throws on odd input. */
export function classifyContainer(raw: RawContainer): ContainerInfo {
  const labels = raw.Labels ?? {};
  const localFolder = labels[LABEL_LOCAL_FOLDER]?.trim() || null;
  const configFile = labels[LABEL_CONFIG_FILE]?.trim() || null;
  const image = raw.Image ?? '';
  const vsc = parseVscImageName(image);
  const isDevContainer = localFolder !== null || vsc !== null;
  const folderName = localFolder ? basename(localFolder) || null : (vsc?.folder ?? null);
  const { framework, source } = detectFramework(configFile, [image]);
  const rawName = raw.Names?.[0] ?? '';
  const name = rawName.replace(/^\//, '') || raw.Id.slice(0, 12);
  return {
    id: raw.Id,
    shortId: raw.Id.slice(0, 12),
    name,
    image,
    state: raw.State ?? 'unknown',
    status: raw.Status ?? '',
    created: typeof raw.Created === 'number' ? new Date(raw.Created * 1000).toISOString() : null,
    isDevContainer,
    localFolder,
    folderName,
    configFile,
    framework,
    frameworkSource: source,
    remoteUser: remoteUserFromMetadata(labels[LABEL_METADATA]),
    mounts: (raw.Mounts ?? []).map(toMount).sort((a, b) => a.destination.localeCompare(b.destination)),
  };
}

export function isRunning(c: Pick<ContainerInfo, 'state'>): boolean {
  return c.state === 'running' || c.state === 'paused' || c.state === 'restarting';
}

/** "Up 3 hours (healthy)" → "3 hours (healthy)"; empty for a container that is not up. */
export function uptimeOf(c: Pick<ContainerInfo, 'status' | 'state'>): string {
  const m = /^Up\s+(.*)$/i.exec(c.status);
  return isRunning(c) && m ? (m[1] ?? '') : '';
}

export interface WorkspaceFolderRef {
  name: string;
  /** Absolute host path of the folder. */
  path: string;
}

export type MatchKind = 'localFolder' | 'folderName';

function samePath(a: string, b: string): boolean {
  const norm = (p: string) => (p.length > 1 ? p.replace(/[\\/]+$/, '') : p);
  return norm(a) === norm(b);
}

/**
 * The workspace folder a container belongs to: the exact `local_folder` path first, else the folder whose
 * name matches the container's folder name (from `local_folder` or the `vsc-<folder>-<hash>` image).
 */
export function matchWorkspaceFolder<F extends WorkspaceFolderRef>(c: ContainerInfo, folders: readonly F[]): { folder: F; kind: MatchKind } | null {
  if (c.localFolder) {
    const exact = folders.find((f) => samePath(f.path, c.localFolder ?? ''));
    if (exact) return { folder: exact, kind: 'localFolder' };
  }
  const names = [parseVscImageName(c.image)?.folder, c.folderName].filter((n): n is string => !!n).map(normalizeFolderName);
  for (const n of names) {
    const byName = folders.find((f) => normalizeFolderName(basename(f.path)) === n || normalizeFolderName(f.name) === n);
    if (byName) return { folder: byName, kind: 'folderName' };
  }
  return null;
}

export interface ContainerGroup<F extends WorkspaceFolderRef> {
  kind: 'workspace' | 'other' | 'stopped' | 'nonDev';
  folder: F | null;
  label: string;
  containers: { container: ContainerInfo; match: MatchKind | null }[];
}

function byStateThenName(a: { container: ContainerInfo }, b: { container: ContainerInfo }): number {
  const ra = isRunning(a.container) ? 0 : 1;
  const rb = isRunning(b.container) ? 0 : 1;
  return ra - rb || a.container.name.localeCompare(b.container.name);
}

/**
 * Groups for the Containers view: one per workspace folder of this window (in window order, only those
 * with containers), then running dev containers of other folders, then stopped ones of other folders,
 * then (when asked for) containers that are not dev containers.
 */
export function groupContainers<F extends WorkspaceFolderRef>(containers: readonly ContainerInfo[], folders: readonly F[], includeNonDev = false): ContainerGroup<F>[] {
  const perFolder = new Map<F, ContainerGroup<F>>();
  const other: ContainerGroup<F> = { kind: 'other', folder: null, label: 'Other dev containers', containers: [] };
  const stopped: ContainerGroup<F> = { kind: 'stopped', folder: null, label: 'Stopped dev containers', containers: [] };
  const nonDev: ContainerGroup<F> = { kind: 'nonDev', folder: null, label: 'Other containers', containers: [] };
  for (const c of containers) {
    if (!c.isDevContainer) {
      if (includeNonDev) nonDev.containers.push({ container: c, match: null });
      continue;
    }
    const m = matchWorkspaceFolder(c, folders);
    if (m) {
      let g = perFolder.get(m.folder);
      if (!g) {
        g = { kind: 'workspace', folder: m.folder, label: m.folder.name, containers: [] };
        perFolder.set(m.folder, g);
      }
      g.containers.push({ container: c, match: m.kind });
    } else if (isRunning(c)) {
      other.containers.push({ container: c, match: null });
    } else {
      stopped.containers.push({ container: c, match: null });
    }
  }
  const groups: ContainerGroup<F>[] = [];
  for (const f of folders) {
    const g = perFolder.get(f);
    if (g) groups.push(g);
  }
  for (const g of [other, stopped, nonDev]) if (g.containers.length > 0) groups.push(g);
  for (const g of groups) g.containers.sort(byStateThenName);
  return groups;
}

