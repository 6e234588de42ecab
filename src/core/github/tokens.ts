// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * The GitHub token chain without the VS Code session (the extension tries that first):
 * environment → ~/.config/github-token → gh's hosts.yml → `gh auth token`.
 * Only source names are ever reported or logged, never token values.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseApiBase } from './apiBase';
import { redactSecrets } from './redact';

export interface ResolvedToken {
  token: string;
  /** Where it came from, e.g. `GH_TOKEN`, `~/.config/gh/hosts.yml (github.com, user alice)`. */
  source: string;
}

/** Runs `gh` with the given arguments and resolves with its stdout; rejects on failure or absence. */
export type RunGh = (args: string[], env: NodeJS.ProcessEnv) => Promise<string>;

export interface ResolveTokenOptions {
  /** Host whose credentials apply (`github.com`, `ghe.example.com`). Defaults to the host of `apiBase`, else github.com. */
  host?: string;
  /** The API base setting; its host is used when `host` is not given. */
  apiBase?: string;
  env?: NodeJS.ProcessEnv;
  /** Home directory (tests pass a temporary one). */
  home?: string;
  /** `null` disables the gh fallback. Defaults to running `gh` via execFile with a timeout. */
  runGh?: RunGh | null;
  /** Receives one line per source that was tried and skipped (never a token). */
  onDiagnostic?: (line: string) => void;
}

export const GH_TIMEOUT_MS = 5000;

export const defaultRunGh: RunGh = (args, env) =>
  new Promise((resolve, reject) => {
    execFile('gh', args, { timeout: GH_TIMEOUT_MS, env, shell: false, windowsHide: true, maxBuffer: 64 * 1024 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(String(stdout));
    });
  });

/** The credentials host for an API base URL (`https://ghe.example.com/api/v3` → `ghe.example.com`). */
export function hostFromApiBase(apiBase: string | null | undefined): string {
  const r = parseApiBase(apiBase);
  return r.ok ? r.tokenHost : 'github.com';
}

function isGithubDotCom(host: string): boolean {
  return host === 'github.com' || host === 'api.github.com';
}

/** A usable token: the first non-empty line, trimmed, with no inner whitespace. */
export function cleanToken(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  const line = raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  if (!line || /\s/.test(line)) return null;
  return line;
}

// ---------------------------------------------------------------------------------------------
// A tiny YAML reader for gh's hosts.yml: nested block mappings of scalars only.

export type YamlValue = string | YamlMap;
export interface YamlMap {
  [key: string]: YamlValue;
}

/** The index of the first character outside single or double quotes for which `stop(i)` holds, or -1. */
function indexOutsideQuotes(s: string, stop: (i: number) => boolean): number {
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (stop(i)) {
      return i;
    }
  }
  return -1;
}

/** The line without a `#` comment (one that starts the line or follows white space, outside quotes). */
function stripComment(line: string): string {
  const at = indexOutsideQuotes(line, (i) => line[i] === '#' && (i === 0 || /\s/.test(line[i - 1] ?? '')));
  return at < 0 ? line : line.slice(0, at);
}

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) {
    return t.slice(1, -1).replace(/\\(["\\/nt])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
  }
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
  return t;
}

/** Splits `key: value` at the first colon outside quotes that is followed by space or end. */
function splitKeyValue(s: string): [string, string] | null {
  const at = indexOutsideQuotes(s, (i) => s[i] === ':' && (i === s.length - 1 || s[i + 1] === ' ' || s[i + 1] === '\t'));
  return at < 0 ? null : [unquote(s.slice(0, at)), s.slice(at + 1).trim()];
}

/**
 * Parses the subset of YAML gh writes to hosts.yml: indentation-nested `key: value` mappings,
 * comments, quoted keys/values, `---`. Anything else (lists, flow collections, anchors) is skipped.
 */
export function parseHostsYaml(text: string): YamlMap {
  const root: YamlMap = {};
  const stack: { indent: number; map: YamlMap }[] = [{ indent: -1, map: root }];
  for (const rawLine of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = stripComment(rawLine).replace(/\s+$/, '');
    if (!line.trim() || /^(---|\.\.\.)\s*$/.test(line)) continue;
    const indent = line.length - line.trimStart().length;
    const content = line.trim();
    if (content.startsWith('- ') || content === '-') continue;
    const kv = splitKeyValue(content);
    if (!kv) continue;
    while (stack.length > 1 && (stack[stack.length - 1]?.indent ?? -1) >= indent) stack.pop();
    const parent = stack[stack.length - 1]?.map ?? root;
    const [key, value] = kv;
    if (value === '' || value === '|' || value === '>') {
      const child: YamlMap = {};
      parent[key] = child;
      stack.push({ indent, map: child });
    } else if (value.startsWith('{') || value.startsWith('[') || value.startsWith('&') || value.startsWith('*')) {
      continue;
    } else {
      parent[key] = unquote(value);
    }
  }
  return root;
}

function asMap(v: YamlValue | undefined): YamlMap | null {
  return v && typeof v === 'object' ? v : null;
}

function asString(v: YamlValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

/**
 * The token for `host` in a parsed hosts.yml: the active user's (`user:`) entry under `users:`,
 * else the host's top-level `oauth_token`, else the first user under `users:` that has one.
 */
export function tokenFromHostsYaml(doc: YamlMap, host: string): { token: string; user: string | null } | null {
  const wanted = host.toLowerCase();
  const key = Object.keys(doc).find((k) => k.toLowerCase() === wanted);
  const entry = key === undefined ? null : asMap(doc[key]);
  if (!entry) return null;
  const activeUser = asString(entry['user']);
  const users = asMap(entry['users']);
  if (activeUser && users) {
    const t = cleanToken(asString(asMap(users[activeUser])?.['oauth_token']));
    if (t) return { token: t, user: activeUser };
  }
  const top = cleanToken(asString(entry['oauth_token']));
  if (top) return { token: top, user: activeUser };
  if (users) {
    for (const [name, u] of Object.entries(users)) {
      const t = cleanToken(asString(asMap(u)?.['oauth_token']));
      if (t) return { token: t, user: name };
    }
  }
  return null;
}

/** gh's config dir: $GH_CONFIG_DIR, else $XDG_CONFIG_HOME/gh, else ~/.config/gh. */
export function ghConfigDir(env: NodeJS.ProcessEnv, home: string): string {
  if (env['GH_CONFIG_DIR']) return env['GH_CONFIG_DIR'];
  if (env['XDG_CONFIG_HOME']) return path.join(env['XDG_CONFIG_HOME'], 'gh');
  return path.join(home, '.config', 'gh');
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw err;
  }
}

/**
 * Resolves a token for `host`, reporting the source's name. For github.com: GH_TOKEN, GITHUB_TOKEN,
 * ~/.config/github-token, hosts.yml, `gh auth token`. For other hosts gh's enterprise variables
 * (GH_ENTERPRISE_TOKEN, GITHUB_ENTERPRISE_TOKEN) replace the github.com ones and the single-line
 * file (which names no host) is not used, so a github.com token is never sent elsewhere.
 */
export async function resolveToken(opts: ResolveTokenOptions = {}): Promise<ResolvedToken | null> {
  const env = opts.env ?? process.env;
  const home = opts.home ?? os.homedir();
  const host = (opts.host ?? hostFromApiBase(opts.apiBase)).toLowerCase();
  const dotCom = isGithubDotCom(host);
  const credHost = dotCom ? 'github.com' : host;
  const seen: string[] = [];
  const diag = (line: string): void => opts.onDiagnostic?.(redactSecrets(line, seen));

  const envNames = dotCom ? ['GH_TOKEN', 'GITHUB_TOKEN'] : ['GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN'];
  for (const name of envNames) {
    const raw = env[name];
    if (raw === undefined) continue;
    seen.push(raw.trim());
    const t = cleanToken(raw);
    if (t) return { token: t, source: name };
    diag(`${name} is set but empty or malformed; ignored.`);
  }

  if (dotCom) {
    const file = path.join(home, '.config', 'github-token');
    try {
      const raw = await readIfExists(file);
      if (raw !== null) {
        seen.push(raw.trim());
        const t = cleanToken(raw);
        if (t) return { token: t, source: '~/.config/github-token' };
        diag('~/.config/github-token is empty; ignored.');
      }
    } catch (err) {
      diag(`Could not read ~/.config/github-token: ${(err as Error).message}`);
    }
  }

  const hostsFile = path.join(ghConfigDir(env, home), 'hosts.yml');
  const hostsLabel = env['GH_CONFIG_DIR'] || env['XDG_CONFIG_HOME'] ? hostsFile : '~/.config/gh/hosts.yml';
  try {
    const raw = await readIfExists(hostsFile);
    if (raw !== null) {
      const found = tokenFromHostsYaml(parseHostsYaml(raw), credHost);
      if (found) return { token: found.token, source: `${hostsLabel} (${credHost}${found.user ? `, user ${found.user}` : ''})` };
      diag(`${hostsLabel} has no oauth_token for ${credHost} (gh may keep it in the OS keyring).`);
    }
  } catch (err) {
    diag(`Could not read ${hostsLabel}: ${(err as Error).message}`);
  }

  const runGh = opts.runGh === undefined ? defaultRunGh : opts.runGh;
  if (runGh) {
    try {
      const out = await runGh(['auth', 'token', '--hostname', credHost], { ...env, GH_PROMPT_DISABLED: '1', NO_COLOR: '1' });
      seen.push(out.trim());
      const t = cleanToken(out);
      if (t) return { token: t, source: `gh auth token (${credHost})` };
      diag('gh auth token printed nothing.');
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: unknown };
      if (e.code === 'ENOENT') diag('gh is not installed; skipped.');
      else diag(`gh auth token failed: ${e.message ?? String(err)}`);
    }
  }
  return null;
}
