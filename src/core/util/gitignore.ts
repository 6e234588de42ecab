// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * Whether git already ignores backups (`*.bak`) for a file's repository, read from the ignore files
 * (no git binary), and adding the pattern to the repository's `.gitignore`. Only the plain forms of a
 * pattern are recognised (`*.bak`, `**\/*.bak`, `/**\/*.bak`, and their `!` negations); a file that
 * spells it differently just gets the offer to add the plain line.
 */
import { homedir } from 'node:os';
import { readFile, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { findGitDirs, parseGitConfig } from '../github/remote';
import { writeFileAtomic } from './atomicWrite';

export const BACKUP_PATTERN = '*.bak';

/** The line forms that mean `pattern` at any depth (git trims trailing spaces, not leading ones). */
function forms(pattern: string): Set<string> {
  return new Set([pattern, `**/${pattern}`, `/**/${pattern}`]);
}

/** true: the text's last line about `pattern` ignores it; false: it re-includes it (`!`); null: no line. */
export function gitignoreVerdict(text: string, pattern = BACKUP_PATTERN): boolean | null {
  const same = forms(pattern);
  let verdict: boolean | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').replace(/(?<!\\)[ \t]+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    if (same.has(line)) verdict = true;
    else if (line.startsWith('!') && same.has(line.slice(1))) verdict = false;
  }
  return verdict;
}

/** Whether a .gitignore text ignores `pattern` (e.g. has a `*.bak` or `**\/*.bak` line not undone by a later `!*.bak`). */
export function gitignoreCovers(text: string, pattern = BACKUP_PATTERN): boolean {
  return gitignoreVerdict(text, pattern) === true;
}

/**
 * `text` with `pattern` on a line of its own at the end: a newline added first when the text lacks a
 * trailing one, the text's own line ending (CRLF or LF) used.
 */
export function withGitignoreLine(text: string, pattern = BACKUP_PATTERN): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = text === '' || text.endsWith('\n') ? text : text + eol;
  return `${body}${pattern}${eol}`;
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return null;
    throw e;
  }
}

/**
 * Appends `pattern` to the .gitignore at `file` (created when missing) unless it already ignores it;
 * true when it was added. Written atomically (a temporary file and a rename, the mode kept, no dated
 * backup of the .gitignore); a symbolic link is followed, so the link stays a link.
 */
export async function appendGitignore(file: string, pattern = BACKUP_PATTERN): Promise<boolean> {
  const target = await realpath(file).catch(() => file);
  const text = (await readText(target)) ?? '';
  if (gitignoreCovers(text, pattern)) return false;
  await writeFileAtomic(target, withGitignoreLine(text, pattern), undefined, { backup: false });
  return true;
}

export interface IgnoreStatus {
  /** The working tree's top folder. */
  root: string;
  /** `<root>/.gitignore`, where the pattern is added (it may not exist yet). */
  gitignore: string;
  /** Whether git already ignores `pattern` next to the file. */
  ignored: boolean;
  /** The ignore file that decided, when one did. */
  decidedBy: string | null;
}

export interface IgnoreEnv {
  /** Default: the user's home folder. */
  home?: string;
  /** Default: $XDG_CONFIG_HOME, else `<home>/.config`. */
  xdgConfigHome?: string;
}

const expandHome = (p: string, home: string): string => (p === '~' ? home : p.startsWith('~/') ? join(home, p.slice(2)) : p);

/** The global excludes file: `core.excludesFile` from the repository's, the user's or the XDG git config, else `<xdg>/git/ignore`. */
async function globalExcludes(commonDir: string, root: string, env: IgnoreEnv): Promise<string> {
  const home = env.home ?? homedir();
  const xdg = env.xdgConfigHome ?? (process.env.XDG_CONFIG_HOME || join(home, '.config'));
  // later files override earlier ones, as git reads them: XDG, ~/.gitconfig, then the repository's
  let value: string | null = null;
  for (const cfg of [join(xdg, 'git', 'config'), join(home, '.gitconfig'), join(commonDir, 'config')]) {
    for (const e of parseGitConfig((await readText(cfg)) ?? '')) if (e.section === 'core' && e.sub === null && e.key === 'excludesfile') value = e.value;
  }
  if (value === null || value === '' || value === 'true') return join(xdg, 'git', 'ignore');
  const p = expandHome(value, home);
  return isAbsolute(p) ? p : resolve(root, p);
}

/**
 * Whether git ignores `pattern` (default `*.bak`) beside `file`: the .gitignore files from the file's
 * folder up to the working tree's top (the nearest decides), then `.git/info/exclude`, then the global
 * excludes file. Null when the file is not in a git repository.
 */
export async function ignoreStatus(file: string, pattern = BACKUP_PATTERN, env: IgnoreEnv = {}): Promise<IgnoreStatus | null> {
  const dirs = await findGitDirs(dirname(resolve(file)));
  if (!dirs) return null;
  const root = dirs.root;
  const gitignore = join(root, '.gitignore');
  const candidates: string[] = [];
  // nearest folder first; the file is at or below the root (findGitDirs walked up from its folder)
  for (let dir = dirname(resolve(file)); ; dir = dirname(dir)) {
    candidates.push(join(dir, '.gitignore'));
    const rel = relative(root, dir);
    if (rel === '' || rel.startsWith('..') || rel.split(sep).includes('..') || dirname(dir) === dir) break;
  }
  candidates.push(join(dirs.commonDir, 'info', 'exclude'));
  candidates.push(await globalExcludes(dirs.commonDir, root, env));
  for (const c of candidates) {
    const text = await readText(c);
    const verdict = text === null ? null : gitignoreVerdict(text, pattern);
    if (verdict !== null) return { root, gitignore, ignored: verdict, decidedBy: c };
  }
  return { root, gitignore, ignored: false, decidedBy: null };
}
