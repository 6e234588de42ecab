// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// The client-side soak report saved beside a capture (`metrics-vllm.log` → `metrics-vllm.soak.json`):
// found, read and checked here, so the comparison can put what the client saw next to what the server
// says. A missing report is normal; an unreadable or invalid one is a reason, never a crash.
import { readFile, stat } from 'node:fs/promises';
import { isSoakReport, SOAK_SCHEMA, soakReportPathFor, type Percentiles, type SoakReport } from '../inference/soakReport';

/** A soak report beside a capture: the report, or why it cannot be used. */
export type SoakAttachment = { file: string; report: SoakReport } | { file: string; error: string };

/** Reports larger than this are not read (a report of a long soak with every request is a few MB). */
export const SOAK_REPORT_MAX_BYTES = 64 * 1024 * 1024;

/** Reads one file; null when it does not exist. Throws with a readable message otherwise. */
export type SoakReader = (path: string) => Promise<string | null>;

/** Text from a report on one line, without control characters (terminal escapes stay out of every export). */
export function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

/** A message quoting the file (JSON.parse does) on one line, and not too long. */
function quote(s: string, max = 200): string {
  const t = oneLine(s);
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function checkPercentiles(p: unknown, what: string): string | null {
  if (p === null || p === undefined) return null; // not measured (a script soak has no TTFT)
  if (typeof p !== 'object') return `${what} is neither percentiles nor null`;
  const o = p as Record<string, unknown>;
  for (const k of ['count', 'mean', 'min', 'p50', 'p90', 'p99', 'max'] as const) if (!isNum(o[k])) return `${what}.${k} is not a number`;
  return null;
}

/** What is wrong with an object that passed isSoakReport, for the fields the comparison reads; null when nothing. */
function problemOf(r: SoakReport): string | null {
  const o = r as unknown as Record<string, unknown>;
  if (typeof o.framework !== 'string') return 'framework is not a string';
  if (o.model !== null && o.model !== undefined && typeof o.model !== 'string') return 'model is neither a string nor null';
  if (typeof o.target !== 'string') return 'target is not a string';
  const req = o.requests as Record<string, unknown>;
  for (const k of ['total', 'succeeded', 'failed'] as const) if (!isNum(req[k]) || (req[k] as number) < 0) return `requests.${k} is not a count`;
  if (typeof req.errors !== 'object' || req.errors === null || Array.isArray(req.errors)) return 'requests.errors is not an object';
  for (const [k, v] of Object.entries(req.errors)) if (!isNum(v)) return `requests.errors["${quote(k, 40)}"] is not a number`;
  const tp = o.throughput as Record<string, unknown> | null | undefined;
  if (typeof tp !== 'object' || tp === null) return 'throughput is missing';
  if (!isNum(tp.requestsPerSecond)) return 'throughput.requestsPerSecond is not a number';
  if (tp.outputTokensPerSecond !== null && tp.outputTokensPerSecond !== undefined && !isNum(tp.outputTokensPerSecond)) return 'throughput.outputTokensPerSecond is neither a number nor null';
  for (const k of ['ttft', 'itl', 'e2e', 'tokensPerSecond'] as const) {
    const p = checkPercentiles(o[k], k);
    if (p) return p;
  }
  return null;
}

/** The report in `text`, or why it is not one this version can use. */
export function parseSoakReport(text: string): { report: SoakReport } | { error: string } {
  let x: unknown;
  try {
    x = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { error: `not valid JSON (${quote(e instanceof Error ? e.message : String(e))})` };
  }
  if (!isSoakReport(x)) {
    const schema = typeof x === 'object' && x !== null ? (x as Record<string, unknown>).schema : undefined;
    if (schema !== SOAK_SCHEMA) return { error: `not a soak report (schema ${typeof schema === 'string' ? `"${quote(schema, 60)}"` : 'missing'}, expected "${SOAK_SCHEMA}")` };
    return { error: 'not a valid soak report (engine, requests or perRequest missing or wrong)' };
  }
  const problem = problemOf(x);
  return problem ? { error: `not a valid soak report: ${problem}` } : { report: x };
}

/** Node's reader: null for a missing file, a size limit, readable errors. */
export const readSoakFile: SoakReader = async (path) => {
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new Error('is a directory');
    if (st.size > SOAK_REPORT_MAX_BYTES) throw new Error(`is ${Math.round(st.size / 1048576)} MB; soak reports over ${SOAK_REPORT_MAX_BYTES / 1048576} MB are not read`);
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'EACCES') throw new Error('permission denied');
    throw e;
  }
};

/**
 * The soak report beside `capturePath` (see soakReportPathFor): null when there is none, else the
 * report or the reason it cannot be used. `read` reads a path (Node's file system by default; the
 * extension passes its workspace file system).
 */
/** A capture written this long after its report was replaced by hand: the report is not its own. (Collect
 * Metrics writes the report right after the capture; copies and checkouts give both files similar times.) */
export const SOAK_REPORT_STALE_MS = 15 * 60 * 1000;

/** Modification times of the capture and its report, when the caller knows them (both or none). */
export interface SoakMtimes {
  captureMs: number;
  reportMs: number;
}

export async function loadSoakReport(capturePath: string, read: SoakReader = readSoakFile, mtimes?: () => SoakMtimes | undefined): Promise<SoakAttachment | null> {
  const file = soakReportPathFor(capturePath);
  let text: string | null;
  try {
    text = await read(file);
  } catch (e) {
    return { file, error: `cannot be read (${quote(e instanceof Error ? e.message : String(e))})` };
  }
  if (text === null) return null;
  const r = parseSoakReport(text);
  if (!('report' in r)) return { file, error: r.error };
  const t = mtimes?.();
  if (t && t.captureMs - t.reportMs > SOAK_REPORT_STALE_MS) {
    return { file, error: `older than its capture (report written ${new Date(t.reportMs).toISOString()}, capture ${new Date(t.captureMs).toISOString()}), so it describes another run` };
  }
  return { file, report: r.report };
}

/** The usable report of an attachment, or null. */
export function soakReportOf(a: SoakAttachment | null | undefined): SoakReport | null {
  return a && 'report' in a ? a.report : null;
}

/** The figure of a percentile set the comparison's statistics name (mean, p50, p90, p99). */
export function percentileStat(p: Percentiles | null | undefined, stat: 'mean' | 'p50' | 'p90' | 'p99'): number | null {
  return p ? p[stat] : null;
}
