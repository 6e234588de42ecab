// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * Dated backups beside a file: `<file>.<YYYY-MM-DD>.bak`, then `.1.bak`, `.2.bak`… A backup never
 * overwrites anything: each name is claimed with an exclusive create (COPYFILE_EXCL, or link(), which
 * fails on an existing name too), and a taken name moves on to the next counter, so two backups made at
 * the same moment (two windows, the CLI and the extension) each get their own file.
 */
import { constants } from 'node:fs';
import { copyFile, link, stat } from 'node:fs/promises';

/** The local calendar date, `YYYY-MM-DD`: the day the user sees on their clock, not UTC's. */
export function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `<file>.<YYYY-MM-DD>.bak` for n = 0, else `<file>.<YYYY-MM-DD>.<n>.bak`. */
export function backupName(file: string, now: Date, n = 0): string {
  return `${file}.${localDate(now)}${n === 0 ? '' : `.${n}`}.bak`;
}

/** A backup that could not be made, with a message fit to show as is. */
export class BackupError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'not-a-file' | 'failed',
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

const codeOf = (e: unknown): string | undefined => (e as { code?: string } | null)?.code;

/** More than any folder holds in one day; a guard against a file system that always says EEXIST. */
const MAX_COUNTER = 100000;

export interface BackupOptions {
  /**
   * Make the backup a hard link to `file` when the file system allows it (cheap and exact). Only right
   * when the caller then *replaces* `file` by a rename (writeFileAtomic): a file edited in place would
   * change its linked backup too.
   */
  link?: boolean;
}

/**
 * Copies `file` to the first free `<file>.<YYYY-MM-DD>[.<n>].bak` beside it and returns that path. The
 * copy keeps the file's permission bits. A missing file, or a folder, is a BackupError saying so.
 */
export async function backupFile(file: string, now = new Date(), opts: BackupOptions = {}): Promise<string> {
  let st;
  try {
    st = await stat(file);
  } catch (e) {
    if (codeOf(e) === 'ENOENT' || codeOf(e) === 'ENOTDIR') throw new BackupError(`${file} does not exist, so there is nothing to back up.`, 'not-found');
    throw new BackupError(`Could not read ${file}: ${e instanceof Error ? e.message : String(e)}`, 'failed');
  }
  if (st.isDirectory()) throw new BackupError(`${file} is a folder: only files can be backed up.`, 'not-a-file');
  if (!st.isFile()) throw new BackupError(`${file} is not a regular file (a device, socket or pipe), so it cannot be backed up.`, 'not-a-file');
  let useLink = opts.link === true;
  for (let n = 0; n < MAX_COUNTER; n++) {
    const dest = backupName(file, now, n);
    try {
      if (useLink) {
        try {
          await link(file, dest);
          return dest;
        } catch (e) {
          if (codeOf(e) === 'EEXIST') throw e;
          useLink = false; // no hard links here (another file system, FAT, a share…): copy instead
        }
      }
      // COPYFILE_EXCL: fails with EEXIST instead of replacing a file that appeared meanwhile
      await copyFile(file, dest, constants.COPYFILE_EXCL);
      return dest;
    } catch (e) {
      if (codeOf(e) === 'EEXIST') continue;
      if (codeOf(e) === 'ENOENT' && !(await stat(file).then(() => true, () => false))) throw new BackupError(`${file} was removed while it was being backed up.`, 'not-found');
      throw new BackupError(`Could not back up ${file} to ${dest}: ${e instanceof Error ? e.message : String(e)}`, 'failed');
    }
  }
  throw new BackupError(`Could not back up ${file}: every backup name for ${localDate(now)} up to .${MAX_COUNTER - 1}.bak is taken.`, 'failed');
}
