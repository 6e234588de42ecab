// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// The client-side side of a metrics run: what the soak saw, per request and in percentiles. Saved beside
// the capture as `metrics-<framework>.soak.json` so the comparison can put client-side numbers next to
// the server's. Written by the built-in load generator (TTFT, ITL, e2e, tokens/s) and, with less in it,
// from soak_fe.py's per-request log (e2e only).

export const SOAK_SCHEMA = 'dynamo-dev/soak@1';

export interface Percentiles {
  count: number;
  mean: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface SoakRequest {
  worker: number;
  request: number;
  ok: boolean;
  /** HTTP status, 0 when the request never got one (connection error, timeout). */
  status: number;
  /** Seconds from sending the request to the first content token; null when unknown. */
  ttft: number | null;
  /** Seconds from sending to the end of the response. */
  e2e: number;
  /** Output tokens (the response's usage when given, else content chunks); null when unknown. */
  outputTokens: number | null;
  error?: string;
}

export interface SoakReport {
  schema: typeof SOAK_SCHEMA;
  engine: 'builtin' | 'script';
  framework: string;
  model: string | null;
  /** The URL the load went to (builtin) or the script's command line (script). */
  target: string;
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
  params: { maxTokens: number; requestsPerWorker: number; workers: number; stream: boolean };
  requests: { total: number; succeeded: number; failed: number; errors: Record<string, number> };
  outputTokens: number | null;
  /** Successful requests and output tokens per wall-clock second. */
  throughput: { requestsPerSecond: number; outputTokensPerSecond: number | null };
  ttft: Percentiles | null;
  /** Inter-token latency: gaps between content chunks after the first, all requests pooled. */
  itl: Percentiles | null;
  e2e: Percentiles | null;
  /** Per request: output tokens ÷ (e2e − TTFT), the decode rate a user sees. */
  tokensPerSecond: Percentiles | null;
  perRequest: SoakRequest[];
}

/** Nearest-rank percentiles of `values` (empty → null). Sorts a copy. */
export function percentiles(values: readonly number[]): Percentiles | null {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const at = (q: number) => v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))]!;
  let sum = 0;
  for (const x of v) sum += x;
  return { count: v.length, mean: sum / v.length, min: v[0]!, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: v[v.length - 1]! };
}

/** `/tmp/soak_llm.log` line of soak_fe.py: `YYYY-MM-DD HH:MM:SS.mmm worker_<w> request_<r> duration_<x>s status_<SUCCESS|ERROR(<code>)>[ response=…]`. */
export const SOAK_LOG_LINE = /^(\S+ \S+) worker_(\d+) request_(\d+) duration_([\d.]+)s status_(SUCCESS|ERROR\((\d+)\))/;

export interface SoakLogSummary {
  /** Every attempt, in log order. */
  attempts: SoakRequest[];
  /** Distinct (worker, request) pairs that succeeded at least once. */
  succeeded: number;
  /** Failed attempts, and how many per status (`HTTP 500`, `connection`). */
  failedAttempts: number;
  errors: Record<string, number>;
  /** Lines that did not look like a soak log line (ignored, counted so a wrong file is noticed). */
  otherLines: number;
}

/** Reads soak_fe.py's per-request log: the reliable failure count (its summary and exit code are not). */
export function parseSoakLog(text: string): SoakLogSummary {
  const attempts: SoakRequest[] = [];
  const ok = new Set<string>();
  const errors: Record<string, number> = {};
  let failedAttempts = 0;
  let otherLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = SOAK_LOG_LINE.exec(line);
    if (!m) {
      otherLines++;
      continue;
    }
    const worker = Number(m[2]);
    const request = Number(m[3]);
    const success = m[5] === 'SUCCESS';
    const status = success ? 200 : Number(m[6]);
    attempts.push({ worker, request, ok: success, status, ttft: null, e2e: Number(m[4]), outputTokens: null });
    if (success) ok.add(`${worker}/${request}`);
    else {
      failedAttempts++;
      const kind = status === 0 ? 'connection' : `HTTP ${status}`;
      errors[kind] = (errors[kind] ?? 0) + 1;
    }
  }
  return { attempts, succeeded: ok.size, failedAttempts, errors, otherLines };
}

/** Whether `x` looks like a SoakReport this version can read (the comparison skips anything else). */
export function isSoakReport(x: unknown): x is SoakReport {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Partial<SoakReport>;
  return r.schema === SOAK_SCHEMA && (r.engine === 'builtin' || r.engine === 'script') && typeof r.requests === 'object' && r.requests !== null && Array.isArray(r.perRequest);
}

/** `metrics-vllm.log` → `metrics-vllm.soak.json` (beside it). */
export function soakReportPathFor(capturePath: string): string {
  return capturePath.replace(/\.(log|txt|prom)$/i, '') + '.soak.json';
}
