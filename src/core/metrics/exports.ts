// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import { HISTOGRAM_KEYS } from './catalog';
import type { CaptureSummary, LatencySummary } from './capture';
import { formatValue, ratioPhrase, type Comparison, type Row } from './compare';

/** The JSON shape of one capture (CLI `compare --format json`, the JSON export). */
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
  const text = (cell.estimated && cell.value !== null ? '≈' : '') + formatValue(cell.value, r.unit);
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
  if (cmp.findings.length > 0) out.push(cmp.findings.map((f) => `- ${mdEscape(f)}`).join('\n'));
  return out.join('\n\n') + '\n';
}

function csvField(v: string | number | null | undefined | boolean): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN') : String(v);
  // Quote what needs it, and defuse spreadsheet formulas (=, +, -, @ at the start of text).
  const safe = typeof v === 'string' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One row per capture, every figure in base units (seconds, tokens, tokens/s). */
export function toCsv(cmp: Comparison): string {
  const stats = ['count', 'sum', 'mean', 'p50', 'p90', 'p99'] as const;
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
    ];
    lines.push(vals.map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** A plain-text table for terminals: rows are metrics, columns are captures. */
export function toTable(cmp: Comparison, stats: readonly string[] = ['mean']): string {
  const rows = cmp.rows.filter((r) => !r.stat || stats.includes(r.stat));
  const head = ['', ...cmp.captures.map((c, i) => `${c.frameworkLabel}${i === cmp.baseline ? ' (baseline)' : ''}`)];
  const body = rows.map((r) => [
    r.label,
    ...r.cells.map((cell, i) => {
      const v = (cell.estimated && cell.value !== null ? '≈' : '') + formatValue(cell.value, r.unit);
      const ratio = i === cmp.baseline ? '' : ratioPhrase(r, cell.ratioToBaseline);
      return `${cell.best ? '*' : ''}${v}${r.better && ratio && ratio !== 'same' ? ` (${ratio})` : ''}`;
    }),
  ]);
  const all = [head, ...body];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const out = [fmt(head), ...body.map(fmt)];
  out.push('', '* best value in the row');
  if (cmp.findings.length > 0) out.push('', ...cmp.findings.map((f) => `- ${f}`));
  return out.join('\n') + '\n';
}
