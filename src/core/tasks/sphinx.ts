// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * Sphinx output of the docs image build (`docker build -f container/Dockerfile.docs .`): the problem
 * matcher's patterns (package.json `problemMatchers` holds the same sources; a unit test keeps them
 * equal), the rewrite of container paths (`/workspace/docs/…`) to the checkout's, and the verdict: the
 * build passes only with "build succeeded" and no warning.
 */

/** Optional BuildKit plain-progress prefix (`#12 3.456 `). */
const PREFIX = String.raw`^(?:#\d+ \d+(?:\.\d+)? )?`;
const LEVEL = '(WARNING|ERROR|CRITICAL|SEVERE)';

/** `path:line: WARNING: message` (also `path:docstring of x:line:`, the line is the last number). */
export const SPHINX_LINE_SOURCE = PREFIX + String.raw`(\S[^:]*?)(?::docstring of [^:]+)?:(\d+): ` + LEVEL + String.raw`: (.*)$`;
/** `path: WARNING: message` (no line number, e.g. "document isn't included in any toctree"). */
export const SPHINX_FILE_SOURCE = PREFIX + String.raw`(\S[^:]*?\.(?:md|rst|txt|ipynb|py|inc)): ` + LEVEL + String.raw`: (.*)$`;

export const SPHINX_LINE = new RegExp(SPHINX_LINE_SOURCE);
export const SPHINX_FILE = new RegExp(SPHINX_FILE_SOURCE);

export interface SphinxProblem {
  file: string;
  /** 1-based; null when the message names only the file. */
  line: number | null;
  severity: 'warning' | 'error';
  message: string;
}

export function parseSphinxLine(line: string): SphinxProblem | null {
  const m = SPHINX_LINE.exec(line);
  if (m) return { file: m[1]!, line: Number(m[2]), severity: m[3] === 'WARNING' ? 'warning' : 'error', message: m[4]! };
  const f = SPHINX_FILE.exec(line);
  if (f) return { file: f[1]!, line: null, severity: f[2] === 'WARNING' ? 'warning' : 'error', message: f[3]! };
  return null;
}

/** Replaces a leading `<containerRoot>/` path in a Sphinx problem line by the host checkout's path. */
export function rewriteContainerPath(line: string, containerRoot: string, hostRoot: string): string {
  const p = parseSphinxLine(line);
  if (!p) return line;
  const root = containerRoot.endsWith('/') ? containerRoot : `${containerRoot}/`;
  if (!p.file.startsWith(root)) return line;
  const host = hostRoot.endsWith('/') ? hostRoot : `${hostRoot}/`;
  const at = line.indexOf(p.file);
  return line.slice(0, at) + host + p.file.slice(root.length) + line.slice(at + p.file.length);
}

export interface DocsVerdict {
  ok: boolean;
  warnings: number;
  errors: number;
  succeeded: boolean;
  /** Docker reused cached layers and Sphinx printed nothing: the docs did not change since a build whose step passed. */
  cached: boolean;
  summary: string;
}

/** The docs check as the notes define it: exit 0, "build succeeded", and no warnings. */
export function docsVerdict(lines: readonly string[], exitCode: number | null): DocsVerdict {
  let warnings = 0;
  let errors = 0;
  let succeeded = false;
  let cached = false;
  let sphinxRan = false;
  for (const l of lines) {
    if (/^ ---> Using cache$|^#\d+ CACHED$/.test(l)) cached = true;
    if (/\bRunning Sphinx\b|\bbuild (succeeded|finished)\b/.test(l)) sphinxRan = true;
    const p = parseSphinxLine(l);
    if (p) {
      if (p.severity === 'warning') warnings++;
      else errors++;
    } else if (/\bWarning, treated as error:/.test(l)) {
      // -W: the next line holds the warning itself, counted there
    } else if (/\bbuild succeeded\b/.test(l)) succeeded = true;
  }
  if (exitCode === 0 && cached && !sphinxRan && warnings === 0 && errors === 0) {
    // Dynamo's docs build runs Sphinx with -W: a cached docs step is one that passed, for the same inputs.
    return { ok: true, warnings, errors, succeeded, cached: true, summary: 'Docs unchanged since the last build that passed (Docker reused its cached layers; Sphinx did not run again). Use --no-cache ("noCache": true) to run it anyway.' };
  }
  const ok = exitCode === 0 && succeeded && warnings === 0 && errors === 0;
  const counts = `${warnings} warning${warnings === 1 ? '' : 's'}, ${errors} error${errors === 1 ? '' : 's'}`;
  const summary = ok
    ? 'Docs build succeeded with no warnings.'
    : exitCode !== 0
      ? `Docs build failed (exit code ${exitCode ?? 'none'}; ${counts}). See the Problems view.`
      : succeeded
        ? `Docs build finished but is not clean: ${counts} (Sphinx runs with -W in CI). See the Problems view.`
        : `Docs build finished without "build succeeded" (${counts}).`;
  return { ok, warnings, errors, succeeded, cached: false, summary };
}
