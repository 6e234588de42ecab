// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// Where metrics captures live: the notes folders, and the capture files in them.
import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { ContainerInfo } from '../docker/model';
import { soakReportPathFor } from '../inference/soakReport';
import { frameworkFromFileName, type CaptureFramework } from './catalog';

export interface NotesFolder {
  path: string;
  /** Why it is listed: the setting, a workspace folder's notes/, or a container mount. */
  source: 'setting' | 'workspace' | 'container';
  /** The container whose mount points here, for `container`. */
  container?: string;
}

/** `~` and `${workspaceFolder}`-free paths: `~/x` → home, relative → the first workspace folder. */
export function expandPath(p: string, workspaceRoot: string | undefined, home = homedir()): string {
  if (p === '~' || p.startsWith('~/')) return join(home, p.slice(1));
  if (isAbsolute(p)) return p;
  return resolve(workspaceRoot ?? home, p);
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch (_e) {
    return false; // missing or unreadable: not a notes folder we can list
  }
}

/**
 * The notes folders to list. With `configured` paths, exactly those. Otherwise each workspace folder's
 * `notes/`, and from dev containers' bind mounts: a mount whose container path ends in `/notes`
 * (`~/dev/notes` → `/home/dynamo/notes`), and `<source>/notes` of any mount that holds one
 * (`<utils>/notes`). Only existing folders, each once.
 */
export async function findNotesFolders(opts: { configured: readonly string[]; workspaceFolders: readonly string[]; containers: readonly ContainerInfo[]; home?: string }): Promise<NotesFolder[]> {
  const out: NotesFolder[] = [];
  const seen = new Set<string>();
  const add = async (path: string, source: NotesFolder['source'], container?: string) => {
    const p = resolve(path);
    if (seen.has(p) || !(await isDir(p))) return;
    seen.add(p);
    out.push(container ? { path: p, source, container } : { path: p, source });
  };
  if (opts.configured.length > 0) {
    for (const c of opts.configured) await add(expandPath(c, opts.workspaceFolders[0], opts.home), 'setting');
    return out;
  }
  for (const w of opts.workspaceFolders) await add(join(w, 'notes'), 'workspace');
  for (const c of opts.containers) {
    if (!c.isDevContainer) continue;
    for (const m of c.mounts) {
      if (m.type !== 'bind' || !m.source) continue;
      if (basename(m.destination) === 'notes') await add(m.source, 'container', c.name);
      else await add(join(m.source, 'notes'), 'container', c.name);
    }
  }
  return out;
}

/** `.prom` files, and `.log`/`.txt` files whose name says "metrics" (`metrics-vllm.log`). */
export function isCaptureFileName(name: string): boolean {
  const n = name.toLowerCase();
  if (n.endsWith('.prom')) return true;
  return (n.endsWith('.log') || n.endsWith('.txt')) && n.includes('metrics') && !n.includes('.soak.');
}

export interface CaptureFile {
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
  /** From the file name; null when the name does not say. */
  framework: CaptureFramework | null;
  /** The client-side soak report beside it (`metrics-vllm.soak.json`), when the folder has one. */
  soakReport: string | null;
}

/** Capture files directly in `folder`, newest first. */
export async function listCaptureFiles(folder: string): Promise<CaptureFile[]> {
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch (_e) {
    return []; // the folder went away between listing and reading; the watcher will refresh
  }
  const files: CaptureFile[] = [];
  const names = new Set(entries);
  for (const name of entries) {
    if (!isCaptureFileName(name)) continue;
    const path = join(folder, name);
    try {
      const st = await stat(path);
      const soak = soakReportPathFor(name);
      if (st.isFile()) files.push({ path, name, size: st.size, mtimeMs: st.mtimeMs, framework: frameworkFromFileName(name), soakReport: names.has(soak) ? join(folder, soak) : null });
    } catch (_e) {
      continue; // deleted meanwhile
    }
  }
  return files.sort((a, b) => b.mtimeMs - a.mtimeMs || a.name.localeCompare(b.name));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
