// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * GitHub Actions job logs: fetched through the client (the 302 to the log host goes without the
 * token), told apart when not finished or expired, and cleaned into readable text (no ANSI, no
 * timestamps, `##[group]`/`##[error]` markers made readable) with the lines that look like failures.
 * Everything is linear in the size of the log.
 */
import { HttpError, NotFoundError, type GitHubClient } from './client';
import { parseRepo } from './prChecks';

export interface CleanLog {
  /** The cleaned log; ends with a newline when the raw log did. */
  text: string;
  /** 1-based line numbers (in `text`) of `##[error]` lines and lines that look like failures. */
  errors: { line: number; text: string }[];
  /** Number of lines in `text` (a final newline does not start another). */
  lines: number;
}

/**
 * ANSI escape sequences: CSI (`ESC [` or U+009B, parameters, intermediates, final: colours, cursor
 * moves), string sequences (OSC `ESC ]`, DCS `ESC P`, SOS/PM/APC) up to BEL, ST (`ESC \`) or the end
 * of the line, other `ESC` + intermediates + final (`ESC ( B`, `ESC =`), and a lone ESC. Parameter,
 * intermediate and final byte ranges are disjoint, so failed attempts cost no more than the run they
 * scanned: linear overall.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANSI = /(?:\x1b\[|\u009b)[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]|\x1b/g;
/** C0 controls other than tab, newline and carriage return, and DEL (after ANSI removal). */
// eslint-disable-next-line no-control-regex -- as above
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
/** The timestamp GitHub puts before every line: `2025-01-31T12:34:56.1234567Z `. */
const TIMESTAMP = /^\uFEFF?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z(?: |$)/;
/** Runner log commands: `##[group]Title`, `##[error]msg`, … */
const COMMAND = /^##\[(group|endgroup|error|warning|notice|debug|command|section)\]/i;
const LABEL: Record<string, string> = { error: 'Error: ', warning: 'Warning: ', notice: 'Notice: ', debug: 'Debug: ', group: '▶ ', command: '$ ', section: '' };

/**
 * What a failure line looks like (case matters): `Error:` / `ValueError:` at the start (Node, Python,
 * pytest's `E   …`), `error:` at the start or after `file:line:` / `file(l,c):` (cargo, gcc, tsc's
 * `error TS2322:`), rustc's `error[E0308]`, `ERROR` and `FAILED` as whole words (not `0 FAILED`, not
 * `ERROR_CODE` or `LEVEL=ERROR`), a Python traceback, `npm ERR!`, and a non-zero exit code. Every
 * alternative is anchored or starts at a fixed token, so a line is tested in linear time.
 */
const FAILURE = new RegExp(
  [
    String.raw`^\s*(?:E\s+)?(?:[A-Za-z_][\w.]*)?Error:(?:\s|$)`,
    String.raw`(?:^\s*|[:)]\s*)error(?:\[E\d+\]|\s+[A-Z]{1,4}\d+)?:`,
    String.raw`\berror\[E\d+\]`,
    String.raw`(?<![\w=-])ERROR(?![\w-])`,
    String.raw`(?<![\w-])(?<!\b0 )FAILED(?![\w-])`,
    String.raw`^\s*Traceback \(most recent call last\):`,
    String.raw`\bnpm ERR!`,
    String.raw`Process completed with exit code (?!0\b)\d+`,
  ].join('|'),
);

/** True when a cleaned line looks like a failure (see FAILURE). */
export function looksLikeFailure(line: string): boolean {
  return FAILURE.test(line);
}

/**
 * A raw job log made readable: BOM, ANSI sequences, control characters and per-line timestamps
 * removed, CRLF → LF (a lone CR keeps what a terminal would show: the text after it), `##[group]T` →
 * `▶ T`, `##[endgroup]` dropped, `##[error]m` → `Error: m` (warning, notice, debug alike, `##[command]c`
 * → `$ c`); `errors` lists `##[error]` lines and lines that look like failures.
 */
export function cleanJobLog(raw: string): CleanLog {
  if (raw === '') return { text: '', errors: [], lines: 0 };
  const stripped = raw.replace(ANSI, '').replace(CONTROL, '');
  const src = stripped.split('\n');
  const endsWithNewline = src.length > 1 && src[src.length - 1] === '';
  if (endsWithNewline) src.pop();
  const out: string[] = [];
  const errors: CleanLog['errors'] = [];
  for (let line of src) {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    line = line.replace(TIMESTAMP, '');
    if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    const cr = line.lastIndexOf('\r');
    if (cr >= 0) line = line.slice(cr + 1) || line.slice(0, cr).split('\r').filter(Boolean).pop() || '';
    let isError = false;
    const cmd = COMMAND.exec(line);
    if (cmd) {
      const name = (cmd[1] as string).toLowerCase();
      if (name === 'endgroup') continue;
      isError = name === 'error';
      line = LABEL[name] + line.slice(cmd[0].length);
    }
    out.push(line);
    if (isError || FAILURE.test(line)) errors.push({ line: out.length, text: line });
  }
  const text = out.join('\n') + (endsWithNewline && out.length > 0 ? '\n' : '');
  return { text, errors, lines: out.length };
}

export type JobLogResult = { kind: 'ok'; text: string } | { kind: 'not-finished'; status: string } | { kind: 'expired' };

/**
 * A job's raw log. GitHub answers 410 once the log has expired, and 404 both while the job has not
 * finished and after a completed job's log is gone: the job itself tells which. Other errors
 * (authentication, rate limits, an unknown job) propagate.
 */
export async function fetchJobLog(client: GitHubClient, repo: string, jobId: number): Promise<JobLogResult> {
  const r = parseRepo(repo);
  const base = `/repos/${encodeURIComponent(r.owner)}/${encodeURIComponent(r.name)}/actions/jobs/${jobId}`;
  try {
    return { kind: 'ok', text: await client.getText(`${base}/logs`) };
  } catch (e) {
    if (e instanceof HttpError && e.status === 410) return { kind: 'expired' };
    if (!(e instanceof NotFoundError)) throw e;
  }
  const job = await client.get<{ status: string | null }>(base);
  const status = job.status ?? 'unknown';
  return status === 'completed' ? { kind: 'expired' } : { kind: 'not-finished', status };
}
