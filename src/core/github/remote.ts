// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * Which GitHub repository and branch a folder is: remote URLs parsed into host/owner/name, the
 * remote to use picked by preference, and the repository state (branch, HEAD SHA, remotes, the
 * branch's upstream remote) read straight from the `.git` files, without a git binary. Handles
 * `.git` files (worktrees, submodules), packed refs, `url.<base>.insteadOf` and quoted config.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export interface RemoteRepo {
  /** Lower-cased host name, without port or credentials: `github.com`, `ghe.example.com`. */
  host: string;
  owner: string;
  name: string;
}

/** One path segment of a GitHub owner or repository name (the `parseRepo` rule). */
const SEGMENT = /^[A-Za-z0-9_.-]+$/;

/** `owner/name(.git)(/)` → parts, or null unless it is exactly two valid segments. */
function ownerName(path: string): { owner: string; name: string } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  const parts = decoded.replace(/^\//, '').replace(/\/$/, '').replace(/\.git$/, '').split('/');
  if (parts.length !== 2) return null;
  const [owner, name] = parts as [string, string];
  for (const s of [owner, name]) if (!SEGMENT.test(s) || s === '.' || s === '..') return null;
  return { owner, name };
}

/**
 * A remote URL → `{host, owner, name}`: `https://github.com/o/r(.git)(/)` (also http, `user@`, a port),
 * `git@github.com:o/r.git` (scp-like), `ssh://git@host(:port)/o/r.git`, `git://host/o/r.git`, any host
 * (GitHub Enterprise). Null for local paths, `file://`, and anything that is not exactly owner/name.
 */
export function parseRemoteUrl(url: string): RemoteRepo | null {
  const raw = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!['https', 'http', 'ssh', 'git', 'git+ssh', 'ssh+git'].includes(scheme)) return null;
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      return null;
    }
    const host = u.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const repo = host ? ownerName(u.pathname) : null;
    return repo && { host, ...repo };
  }
  // scp-like `[user@]host:path`: a colon before any slash; a one-letter "host" is a Windows drive.
  const scp = /^(?:[^@/:]+@)?(\[[^\]/]+\]|[^@/:[\]]+):(.*)$/.exec(raw);
  if (!scp || (scp[1] as string).length === 1) return null;
  const host = (scp[1] as string).toLowerCase().replace(/^\[|\]$/g, '');
  const repo = ownerName(scp[2] as string);
  return repo && { host, ...repo };
}

export interface GitRemote {
  name: string;
  fetchUrl?: string | null;
  pushUrl?: string | null;
}

/**
 * The first remote named in `preference` (in that order) whose fetch URL, else push URL, parses;
 * otherwise the first parsable remote in list order; null when none is a GitHub-style remote.
 */
export function pickRemote(remotes: readonly GitRemote[], preference: readonly string[]): (RemoteRepo & { remote: string }) | null {
  const parsed = (r: GitRemote): (RemoteRepo & { remote: string }) | null => {
    const repo = (r.fetchUrl ? parseRemoteUrl(r.fetchUrl) : null) ?? (r.pushUrl ? parseRemoteUrl(r.pushUrl) : null);
    return repo && { ...repo, remote: r.name };
  };
  for (const name of preference) {
    const r = remotes.find((x) => x.name === name);
    const p = r && parsed(r);
    if (p) return p;
  }
  for (const r of remotes) {
    const p = parsed(r);
    if (p) return p;
  }
  return null;
}

// ---- git config ---------------------------------------------------------------------------------

export interface ConfigEntry {
  /** Lower-cased section name: `remote`, `branch`, `url`. */
  section: string;
  /** Subsection as written (`[remote "origin"]`; the legacy `[remote.origin]` form is lower-cased). */
  sub: string | null;
  /** Lower-cased key name. */
  key: string;
  /** The value with quotes and escapes resolved; `true` for a key written without `=`. */
  value: string;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', b: '\b', '\\': '\\', '"': '"' };

/**
 * A git config file's entries in file order (one linear scan): `[section "sub"]` and `[section.sub]`
 * headers, `#`/`;` comments, case-insensitive names, quoted values, escapes and `\`-newline
 * continuations. Malformed lines are skipped (git would refuse the file; here it just yields less).
 */
export function parseGitConfig(text: string): ConfigEntry[] {
  const out: ConfigEntry[] = [];
  const n = text.length;
  let i = 0;
  let section: string | null = null;
  let sub: string | null = null;
  const skipLine = () => {
    while (i < n && text[i] !== '\n') i++;
  };
  while (i < n) {
    const c = text[i] as string;
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
      i++;
    } else if (c === '#' || c === ';') {
      skipLine();
    } else if (c === '[') {
      // Section header; a key may follow on the same line.
      const m = /\[\s*([A-Za-z0-9.-]+)\s*(?:"((?:[^"\\\n]|\\.)*)")?\s*\]/y;
      m.lastIndex = i;
      const h = m.exec(text);
      if (!h) {
        section = null;
        skipLine();
        continue;
      }
      i = m.lastIndex;
      const name = h[1] as string;
      if (h[2] !== undefined) {
        section = name.toLowerCase();
        sub = h[2].replace(/\\(.)/g, '$1');
      } else {
        const dot = name.indexOf('.');
        section = (dot < 0 ? name : name.slice(0, dot)).toLowerCase();
        sub = dot < 0 ? null : name.slice(dot + 1).toLowerCase();
      }
    } else {
      const k = /([A-Za-z][A-Za-z0-9-]*)[ \t]*/y;
      k.lastIndex = i;
      const km = k.exec(text);
      if (!km || section === null) {
        skipLine();
        continue;
      }
      i = k.lastIndex;
      const key = (km[1] as string).toLowerCase();
      let value = 'true';
      if (text[i] === '=') {
        i++;
        let v = '';
        let keep = 0; // length of `v` that is not trailing unquoted whitespace
        let quoted = false;
        while (i < n) {
          const ch = text[i] as string;
          // The value ends with the line (an unterminated quote too, for this reader).
          if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) break;
          i++;
          if (ch === '\\') {
            const e = text[i];
            if (e === '\n') i++;
            else if (e === '\r' && text[i + 1] === '\n') i += 2;
            else if (e !== undefined && ESCAPES[e] !== undefined) {
              v += ESCAPES[e];
              keep = v.length;
              i++;
            }
          } else if (ch === '"') {
            quoted = !quoted;
            keep = v.length;
          } else if (!quoted && (ch === '#' || ch === ';')) {
            skipLine();
          } else if (!quoted && (ch === ' ' || ch === '\t')) {
            if (v.length > 0) v += ch; // leading whitespace is dropped, trailing trimmed below
          } else {
            v += ch;
            keep = v.length;
          }
        }
        value = v.slice(0, keep);
      } else if (text[i] !== undefined && text[i] !== '\n' && text[i] !== '\r' && text[i] !== '#' && text[i] !== ';') {
        skipLine(); // `key junk`: not a key line
        continue;
      }
      out.push({ section, sub, key, value });
    }
  }
  return out;
}

/** `url.<base>.insteadOf` (or `pushInsteadOf`): the longest matching prefix is replaced by its base. */
function rewriteUrl(url: string, rules: readonly [prefix: string, base: string][]): string | null {
  let best: [string, string] | null = null;
  for (const r of rules) if (url.startsWith(r[0]) && (!best || r[0].length > best[0].length)) best = r;
  return best ? best[1] + url.slice(best[0].length) : null;
}

/** Remotes in order of first appearance, URLs rewritten by insteadOf, and `branch.<b>.remote`. */
export function remotesFromConfig(entries: readonly ConfigEntry[]): { remotes: GitRemote[]; branchRemotes: Map<string, string> } {
  const insteadOf: [string, string][] = [];
  const pushInsteadOf: [string, string][] = [];
  const byName = new Map<string, { url: string | null; pushurl: string | null }>();
  const branchRemotes = new Map<string, string>();
  for (const e of entries) {
    if (e.section === 'url' && e.sub !== null && e.key === 'insteadof') insteadOf.push([e.value, e.sub]);
    else if (e.section === 'url' && e.sub !== null && e.key === 'pushinsteadof') pushInsteadOf.push([e.value, e.sub]);
    else if (e.section === 'branch' && e.sub !== null && e.key === 'remote') branchRemotes.set(e.sub, e.value);
    else if (e.section === 'remote' && e.sub !== null && (e.key === 'url' || e.key === 'pushurl')) {
      const r = byName.get(e.sub) ?? { url: null, pushurl: null };
      // Fetch uses the first url; an explicit pushurl wins over the rest.
      if (e.key === 'url') r.url ??= e.value;
      else r.pushurl ??= e.value;
      byName.set(e.sub, r);
    }
  }
  const remotes = [...byName].map(([name, r]): GitRemote => {
    const fetchUrl = r.url === null ? null : (rewriteUrl(r.url, insteadOf) ?? r.url);
    const pushUrl = r.pushurl !== null ? (rewriteUrl(r.pushurl, insteadOf) ?? r.pushurl) : r.url === null ? null : rewriteUrl(r.url, pushInsteadOf);
    return { name, fetchUrl, pushUrl };
  });
  return { remotes, branchRemotes };
}

// ---- repository files ---------------------------------------------------------------------------

export interface GitState {
  /** The working tree's top folder (where `.git` is). */
  root: string;
  /** Current branch; null when HEAD is detached. */
  branch: string | null;
  /** HEAD's commit; null on a branch without commits yet (or refs this reader cannot read, e.g. reftable). */
  sha: string | null;
  remotes: GitRemote[];
  /** `branch.<branch>.remote`; null when detached, unset, or `.` (a local branch). */
  upstreamRemote: string | null;
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

async function kind(path: string): Promise<'dir' | 'file' | null> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : null;
  } catch {
    return null;
  }
}

export interface GitDirs {
  root: string;
  /** HEAD and per-worktree refs. */
  gitDir: string;
  /** Branches, packed-refs and config (the main repository's `.git` for a worktree). */
  commonDir: string;
}

/** The nearest `.git` at or above `folder`; a `.git` file is followed (`gitdir:`, then `commondir`). */
export async function findGitDirs(folder: string): Promise<GitDirs | null> {
  for (let dir = resolve(folder); ; ) {
    const dotGit = join(dir, '.git');
    const k = await kind(dotGit);
    let gitDir: string | null = null;
    if (k === 'dir') gitDir = dotGit;
    else if (k === 'file') {
      const target = /^gitdir:\s*(.+?)\s*$/m.exec((await readText(dotGit)) ?? '')?.[1];
      // A broken gitfile is an error for git too, not a reason to look further up.
      if (!target) return null;
      gitDir = isAbsolute(target) ? target : resolve(dir, target);
      if ((await kind(gitDir)) !== 'dir') return null;
    }
    if (gitDir && (await kind(join(gitDir, 'HEAD'))) === 'file') {
      const common = (await readText(join(gitDir, 'commondir')))?.trim();
      const commonDir = common ? (isAbsolute(common) ? common : resolve(gitDir, common)) : gitDir;
      return { root: dir, gitDir, commonDir };
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Per-worktree refs live in the worktree's git dir, every other ref in the common dir. */
const perWorktree = (ref: string): boolean => ref === 'HEAD' || /^refs\/(?:bisect|worktree|rewritten)\//.test(ref);

/** A safe ref name to read from disk: under refs/, no `..` component, no backslash or NUL. */
const safeRef = (ref: string): boolean => /^refs\/[^\\\0]+$/.test(ref) && !ref.split('/').some((s) => s === '' || s === '.' || s === '..');

function packedRef(packed: string | null, ref: string): string | null {
  if (!packed) return null;
  for (const line of packed.split('\n')) {
    if (line.startsWith('#') || line.startsWith('^')) continue;
    const sp = line.indexOf(' ');
    if (sp > 0 && line.slice(sp + 1).trimEnd() === ref) {
      const sha = line.slice(0, sp);
      return SHA.test(sha) ? sha : null;
    }
  }
  return null;
}

/** A ref's commit: the loose ref (following symbolic refs), else packed-refs; null when it has none. */
async function resolveRef(dirs: GitDirs, ref: string, packed: { text: string | null; read: boolean }, depth = 0): Promise<string | null> {
  if (depth > 5 || !safeRef(ref)) return null;
  const loose = (await readText(join(perWorktree(ref) ? dirs.gitDir : dirs.commonDir, ref)))?.trim();
  if (loose !== undefined) {
    const sym = /^ref:\s*(\S+)$/.exec(loose);
    if (sym) return resolveRef(dirs, sym[1] as string, packed, depth + 1);
    if (SHA.test(loose)) return loose;
  }
  if (!packed.read) {
    packed.text = await readText(join(dirs.commonDir, 'packed-refs'));
    packed.read = true;
  }
  return packedRef(packed.text, ref);
}

/**
 * The repository state of `folder` (or its nearest parent with a `.git`), read from the files:
 * HEAD (a branch, or a detached SHA), the branch's commit (loose or packed), the remotes and the
 * branch's upstream remote from `config`. Null when there is no repository.
 */
export async function readGitState(folder: string): Promise<GitState | null> {
  const dirs = await findGitDirs(folder);
  if (!dirs) return null;
  const head = ((await readText(join(dirs.gitDir, 'HEAD'))) ?? '').trim();
  const packed = { text: null as string | null, read: false };
  let branch: string | null = null;
  let sha: string | null = null;
  const sym = /^ref:\s*(\S+)$/.exec(head);
  if (sym) {
    const ref = sym[1] as string;
    if (ref.startsWith('refs/heads/')) branch = ref.slice('refs/heads/'.length);
    sha = await resolveRef(dirs, ref, packed);
  } else if (SHA.test(head)) {
    sha = head;
  }
  const { remotes, branchRemotes } = remotesFromConfig(parseGitConfig((await readText(join(dirs.commonDir, 'config'))) ?? ''));
  const upstream = branch === null ? null : (branchRemotes.get(branch) ?? null);
  return { root: dirs.root, branch, sha, remotes, upstreamRemote: upstream === '.' ? null : upstream };
}
