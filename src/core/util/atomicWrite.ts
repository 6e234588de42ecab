// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { chmod, rename, rm, stat, writeFile } from 'node:fs/promises';
import { backupFile, backupName } from './backup';

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * The first free `<file>.<YYYY-MM-DD>.bak` (`.1.bak`, `.2.bak`… when taken) at this moment. Only a
 * hint: another process may take it next; backupFile() claims a name without that race.
 */
export async function backupPath(file: string, now = new Date()): Promise<string> {
  for (let n = 0; ; n++) if (!(await exists(backupName(file, now, n)))) return backupName(file, now, n);
}

export interface WriteOptions {
  /** Keep the replaced content as a dated backup (default true). */
  backup?: boolean;
}

/**
 * Writes `data` to `file` so that a crash leaves either the old or the new content, never half of it:
 * a temporary file in the same folder, then a rename. A replaced file keeps its permission bits, and
 * (unless `backup: false`) its old content is first kept as a dated backup that never overwrites
 * another; the backup's path is returned (null when there was nothing to keep).
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, now = new Date(), opts: WriteOptions = {}): Promise<string | null> {
  let mode: number | null = null;
  try {
    mode = (await stat(file)).mode & 0o7777;
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw e;
  }
  // a hard link is exact and cheap: `file` itself is replaced by the rename below, never edited in place
  const backup = mode !== null && opts.backup !== false ? await backupFile(file, now, { link: true }) : null;
  const tmp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    await writeFile(tmp, data, { flag: 'wx' });
    if (mode !== null) await chmod(tmp, mode);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return backup;
}
