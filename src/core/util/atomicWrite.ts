// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { copyFile, link, rename, rm, stat, writeFile } from 'node:fs/promises';

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return false;
    throw e;
  }
}

/** `<file>.<YYYY-MM-DD>.bak`, or `.1.bak`, `.2.bak`… when that exists: a backup never overwrites another. */
export async function backupPath(file: string, now = new Date()): Promise<string> {
  const base = `${file}.${isoDate(now)}`;
  if (!(await exists(`${base}.bak`))) return `${base}.bak`;
  for (let i = 1; ; i++) if (!(await exists(`${base}.${i}.bak`))) return `${base}.${i}.bak`;
}

/**
 * Writes `data` to `file` so that a crash leaves either the old or the new content, never half of it:
 * a temporary file in the same folder, then a rename. When `file` exists its old content is first kept
 * as a dated backup; the backup's path is returned (null when there was nothing to keep).
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, now = new Date()): Promise<string | null> {
  let backup: string | null = null;
  if (await exists(file)) {
    backup = await backupPath(file, now);
    try {
      await link(file, backup); // cheap and exact when the file system allows it
    } catch (_e) {
      await copyFile(file, backup);
    }
  }
  const tmp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    await writeFile(tmp, data, { flag: 'wx' });
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return backup;
}
