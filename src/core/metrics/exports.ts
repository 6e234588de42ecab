// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import { HISTOGRAM_KEYS } from './catalog';
import type { CaptureSummary, LatencySummary } from './capture';
import { cellDisplay, ratioPhrase, type Comparison, type Row } from './compare';
import { oneLine, soakReportOf, type SoakAttachment } from './soak';
import type { Percentiles } from '../inference/soakReport';

/** A soak report without its per-request list (the comparison's JSON stays small). */
function soakToJson(a: SoakAttachment) {
  if ('error' in a) return { file: a.file, error: a.error };
  const r = a.report;
  const pct = (p: Percentiles | null | undefined) => (p ? { count: p.count, mean: p.mean, min: p.min, p50: p.p50, p90: p.p90, p99: p.p99, max: p.max } : null);
  return {
    file: a.file,
    engine: r.engine,
    framework: r.framework,
    model: r.model ?? null,
    target: r.target,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    wallSeconds: r.wallSeconds,
    params: r.params,
    requests: r.requests,
    outputTokens: r.outputTokens ?? null,
    throughput: { requestsPerSecond: r.throughput.requestsPerSecond, outputTokensPerSecond: r.throughput.outputTokensPerSecond ?? null },
    ttft: pct(r.ttft),
    itl: pct(r.itl),
    e2e: pct(r.e2e),
    tokensPerSecond: pct(r.tokensPerSecond),
  };
}

/** The JSON shape of one capture (CLI `compare --format json`, the JSON export); `soak` only when a report sits beside it. */
export function captureToJson(c: CaptureSummary) {
  const lat = (l: LatencySummary | null) => (l ? { metric: l.metric, count: l.count, sum: l.sum, mean: l.mean, p50: l.p50, p90: l.p90, p99: l.p99 } : null);
  return {
    file: c.file,
    framework: c.framework,
    frameworkLabel: c.frameworkLabel,
    detection: c.detection,
    format: c.format,
    totalLines: c.totalLines,
    sampleLines: c.sampleLines,
    uniqueMetrics: c.uniqueMetrics,
    dynamoLines: c.dynamoLines,
    dynamoLinesByGroup: c.dynamoLinesByGroup,
    models: c.models,
    promptTokens: c.promptTokens,
    generationTokens: c.generationTokens,
    generationTokensEstimated: c.generationTokensEstimated,
    requests: c.requests,
    requestsBy: c.requestsBy,
    ttft: lat(c.latency.ttft),
    e2e: lat(c.latency.e2e),
    itl: lat(c.latency.itl),
    tpot: lat(c.latency.tpot),
    queue: lat(c.latency.queue),
    prefill: lat(c.latency.prefill),
    decode: lat(c.latency.decode),
    inference: lat(c.latency.inference),
    kvCacheUsage: c.kvCacheUsage,
    prefixCacheHitRate: c.prefixCacheHitRate,
    throughput: c.throughput,
    diagnostics: c.diagnostics,
    ...(c.soak ? { soak: soakToJson(c.soak) } : {}),
  };
}

export function comparisonToJson(cmp: Comparison): { captures: ReturnType<typeof captureToJson>[]; baseline: string | null; findings: string[] } {
  return { captures: cmp.captures.map(captureToJson), baseline: cmp.captures[cmp.baseline]?.file ?? null, findings: cmp.findings };
}

function mdEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const row = (cmp: Comparison, id: string): Row | undefined => cmp.rows.find((r) => r.id === id);

function cellText(r: Row | undefined, i: number): string {
  const cell = r?.cells[i];
  if (!r || !cell) return 'N/A';
  const text = mdEscape(cellDisplay(r, cell));
  return cell.best ? `**${text}**` : text;
}

/**
 * The table of the original notes (Framework, Total Lines, Unique Metrics, Dynamo Metrics, Request
 * Duration, TTFT, Throughput), extended with ITL and TPOT, then the findings as a list. Best values bold.
 */
export function toMarkdown(cmp: Comparison, stat: 'mean' | 'p50' | 'p90' | 'p99' = 'mean'): string {
  const statNote = stat === 'mean' ? '' : ` (${stat})`;
  const header = ['Framework', 'Total Lines', 'Unique Metrics', 'Dynamo Metrics', `Request Duration${statNote}`, `TTFT${statNote}`, `ITL${statNote}`, `TPOT${statNote}`, 'Throughput', 'vs baseline (duration)'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  const e2e = row(cmp, `e2e.${stat}`);
  cmp.captures.forEach((c, i) => {
    const prefixes = c.metricPrefixes.map((p) => `${p}*`).join(', ');
    const base = i === cmp.baseline ? 'baseline' : e2e ? ratioPhrase(e2e, e2e.cells[i]?.ratioToBaseline ?? null) || 'N/A' : 'N/A';
    const cells = [
      mdEscape(c.frameworkLabel),
      String(c.totalLines),
      `${c.uniqueMetrics}${prefixes ? ` (${prefixes})` : ''}`,
      `${c.dynamoLines} lines`,
      cellText(e2e, i),
      cellText(row(cmp, `ttft.${stat}`), i),
      cellText(row(cmp, `itl.${stat}`), i),
      cellText(row(cmp, `tpot.${stat}`), i),
      cellText(row(cmp, 'throughput.computed'), i),
      base,
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  });
  const out = [lines.join('\n')];
  if (cmp.rows.some((r) => r.id.startsWith('soak.'))) out.push(soakMarkdown(cmp, stat));
  if (cmp.findings.length > 0) out.push(cmp.findings.map((f) => `- ${mdEscape(f)}`).join('\n'));
  return out.join('\n\n') + '\n';
}

/** The client-side table (only when a capture has a soak report beside it). */
function soakMarkdown(cmp: Comparison, stat: 'mean' | 'p50' | 'p90' | 'p99'): string {
  const statNote = stat === 'mean' ? '' : ` (${stat})`;
  const header = ['Framework (client side)', 'Soak', 'Requests (ok/total)', 'Failed', `Request Duration${statNote}`, `TTFT${statNote}`, `ITL${statNote}`, 'Output Throughput', 'vs baseline (duration)'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  const e2e = row(cmp, `soak.e2e.${stat}`);
  cmp.captures.forEach((c, i) => {
    const has = soakReportOf(c.soak) !== null;
    const base = i === cmp.baseline ? 'baseline' : e2e ? ratioPhrase(e2e, e2e.cells[i]?.ratioToBaseline ?? null) || 'N/A' : 'N/A';
    const cells = [
      mdEscape(c.frameworkLabel),
      cellText(row(cmp, 'soak.engine'), i),
      cellText(row(cmp, 'soak.requests'), i),
      cellText(row(cmp, 'soak.failed'), i),
      cellText(e2e, i),
      cellText(row(cmp, `soak.ttft.${stat}`), i),
      cellText(row(cmp, `soak.itl.${stat}`), i),
      cellText(row(cmp, 'soak.outputTokensPerSecond'), i),
      has ? base : 'N/A',
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  });
  return lines.join('\n');
}

function csvField(v: string | number | null | undefined | boolean): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN') : String(v);
  // Quote what needs it, and defuse spreadsheet formulas (=, +, -, @ at the start of text).
  const safe = typeof v === 'string' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const SOAK_STATS = ['mean', 'p50', 'p90', 'p99'] as const;

/** The soak columns (appended only when a capture has a soak report, readable or not, beside it). */
const SOAK_CSV_HEADER = [
  'soak_file',
  'soak_engine',
  'soak_model',
  'soak_requests_total',
  'soak_requests_succeeded',
  'soak_requests_failed',
  ...(['ttft', 'itl', 'e2e'] as const).flatMap((k) => SOAK_STATS.map((s) => `soak_${k}_${s}_s`)),
  'soak_output_tok_s',
  'soak_error',
];

function soakCsvValues(a: SoakAttachment | undefined): (string | number | null)[] {
  if (!a) return SOAK_CSV_HEADER.map(() => null);
  const r = soakReportOf(a);
  if (!r) return [a.file, ...SOAK_CSV_HEADER.slice(1, -1).map(() => null), 'error' in a ? a.error : null];
  return [
    a.file,
    r.engine,
    typeof r.model === 'string' ? oneLine(r.model) : null,
    r.requests.total,
    r.requests.succeeded,
    r.requests.failed,
    ...(['ttft', 'itl', 'e2e'] as const).flatMap((k) => SOAK_STATS.map((s) => r[k]?.[s] ?? null)),
    r.throughput.outputTokensPerSecond ?? null,
    null,
  ];
}

/** One row per capture, every figure in base units (seconds, tokens, tokens/s). */
export function toCsv(cmp: Comparison): string {
  const stats = ['count', 'sum', 'mean', 'p50', 'p90', 'p99'] as const;
  const soak = cmp.captures.some((c) => c.soak);
  const header = [
    'file',
    'framework',
    'total_lines',
    'sample_lines',
    'unique_metrics',
    'dynamo_lines',
    'requests',
    'prompt_tokens',
    'generation_tokens',
    'generation_tokens_estimated',
    ...HISTOGRAM_KEYS.flatMap((k) => stats.map((s) => `${k}_${s}${s === 'count' ? '' : '_s'}`)),
    'throughput_computed_tok_s',
    'throughput_reported_tok_s',
    'kv_cache_usage',
    'prefix_cache_hit_rate',
    'diagnostics',
    ...(soak ? SOAK_CSV_HEADER : []),
  ];
  const lines = [header.join(',')];
  for (const c of cmp.captures) {
    const vals: (string | number | null | boolean)[] = [
      c.file,
      c.framework,
      c.totalLines,
      c.sampleLines,
      c.uniqueMetrics,
      c.dynamoLines,
      c.requests,
      c.promptTokens,
      c.generationTokens,
      c.generationTokensEstimated,
      ...HISTOGRAM_KEYS.flatMap((k) => stats.map((s) => c.latency[k]?.[s] ?? null)),
      c.throughput.computed,
      c.throughput.reported,
      c.kvCacheUsage,
      c.prefixCacheHitRate,
      c.diagnostics.length,
      ...(soak ? soakCsvValues(c.soak) : []),
    ];
    lines.push(vals.map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** Control characters (terminal escapes, newlines) from a file's text shown as `?` in a terminal. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** A plain-text table for terminals: rows are metrics, columns are captures. */
export function toTable(cmp: Comparison, stats: readonly string[] = ['mean']): string {
  const rows = cmp.rows.filter((r) => !r.stat || stats.includes(r.stat));
  const head = ['', ...cmp.captures.map((c, i) => `${c.frameworkLabel}${i === cmp.baseline ? ' (baseline)' : ''}`)];
  const body = rows.map((r) => [
    r.label,
    ...r.cells.map((cell, i) => {
      const v = printable(cellDisplay(r, cell));
      const ratio = i === cmp.baseline ? '' : ratioPhrase(r, cell.ratioToBaseline);
      return `${cell.best ? '*' : ''}${v}${r.better && ratio && ratio !== 'same' ? ` (${ratio})` : ''}`;
    }),
  ]);
  const all = [head, ...body];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const out = [fmt(head), ...body.map(fmt)];
  out.push('', '* best value in the row');
  if (cmp.findings.length > 0) out.push('', ...cmp.findings.map((f) => `- ${printable(f)}`));
  return out.join('\n') + '\n';
}
