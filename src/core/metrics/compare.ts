// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// The cross-framework comparison: the original notes' columns and more, the best value per row, ratios
// against a baseline capture, and findings in plain words. Pure data; exports and views render it.
import { HISTOGRAM_KEYS, HISTOGRAM_LABELS } from './catalog';
import type { CaptureSummary, LatencySummary } from './capture';
import { oneLine, percentileStat, soakReportOf } from './soak';

export type Better = 'lower' | 'higher' | null;
/** `text` rows hold words (the soak engine), not numbers: their cells have `text` and a null value. */
export type Unit = 'count' | 'lines' | 'seconds' | 'tokens' | 'tokensPerSecond' | 'fraction' | 'text';
export type Stat = 'mean' | 'p50' | 'p90' | 'p99';

export interface Cell {
  value: number | null;
  /** value ÷ baseline value, when both exist. */
  ratioToBaseline: number | null;
  best: boolean;
  /** An estimate rather than a measurement (shown with "≈"). */
  estimated?: boolean;
  /** Where the number came from (metric name), for tooltips. */
  source?: string;
  /** What to show instead of the formatted value (`19/20` requests, `builtin`). */
  text?: string;
}

export interface Row {
  id: string;
  label: string;
  unit: Unit;
  better: Better;
  /** Rows of one latency metric, by statistic; undefined for plain rows. */
  stat?: Stat;
  cells: Cell[];
}

export interface Comparison {
  captures: CaptureSummary[];
  baseline: number;
  rows: Row[];
  findings: string[];
}

const STATS: readonly Stat[] = ['mean', 'p50', 'p90', 'p99'];

export function formatSeconds(s: number): string {
  const a = Math.abs(s);
  if (a === 0) return '0s';
  if (a < 1e-3) return `${(s * 1e6).toPrecision(3)}µs`;
  if (a < 1) return `${(s * 1e3).toPrecision(3)}ms`;
  return `${s.toPrecision(3)}s`;
}

export function formatValue(v: number | null, unit: Unit): string {
  if (v === null || !Number.isFinite(v)) return 'N/A';
  switch (unit) {
    case 'seconds':
      return formatSeconds(v);
    case 'tokensPerSecond':
      return `${v === 0 ? 0 : v >= 100 ? Math.round(v) : v.toPrecision(3)} tok/s`;
    case 'fraction':
      return `${(v * 100).toFixed(1)}%`;
    default:
      return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  }
}

/** A cell as people read it: `≈347 tok/s`, `19/20`, `builtin`, `N/A`. */
export function cellDisplay(r: Pick<Row, 'unit'>, cell: Cell): string {
  if (cell.text !== undefined) return cell.text;
  return (cell.estimated && cell.value !== null ? '≈' : '') + formatValue(cell.value, r.unit);
}

/** "2.7× faster" style phrase for a cell against the baseline. */
export function ratioPhrase(row: Pick<Row, 'better' | 'unit'>, ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio) || ratio <= 0) return '';
  if (Math.abs(ratio - 1) < 0.005) return 'same';
  if (row.better === 'lower') return ratio < 1 ? `${(1 / ratio).toFixed(1)}× ${row.unit === 'seconds' ? 'faster' : 'lower'}` : `${ratio.toFixed(1)}× ${row.unit === 'seconds' ? 'slower' : 'higher'}`;
  if (row.better === 'higher') return ratio > 1 ? `${ratio.toFixed(1)}× higher` : `${(1 / ratio).toFixed(1)}× lower`;
  return `${ratio.toFixed(2)}×`;
}

type CellInput = { value: number | null; estimated?: boolean; source?: string; text?: string };

function makeRow(id: string, label: string, unit: Unit, better: Better, values: CellInput[], baseline: number, stat?: Stat): Row {
  const base = values[baseline]?.value ?? null;
  const finite = values.map((v) => (v.value !== null && Number.isFinite(v.value) ? v.value : null));
  const present = finite.filter((v): v is number => v !== null);
  let bestValue: number | null = null;
  if (better && present.length > 1) bestValue = better === 'lower' ? Math.min(...present) : Math.max(...present);
  const cells = values.map((v, i) => {
    const cell: Cell = {
      value: finite[i] ?? null,
      ratioToBaseline: finite[i] !== null && base !== null && base !== 0 && Number.isFinite(base) ? (finite[i] as number) / base : null,
      best: bestValue !== null && finite[i] === bestValue,
    };
    if (v.estimated) cell.estimated = true;
    if (v.source) cell.source = v.source;
    if (v.text !== undefined) cell.text = v.text;
    return cell;
  });
  const row: Row = { id, label, unit, better, cells };
  if (stat) row.stat = stat;
  return row;
}

function latencyStat(l: LatencySummary | null, stat: Stat): { value: number | null; source?: string } {
  if (!l) return { value: null };
  return { value: l[stat], source: l.metric };
}

export interface CompareOptions {
  /** Index of the baseline capture; default 0. */
  baseline?: number;
}

export function compareCaptures(captures: CaptureSummary[], opts: CompareOptions = {}): Comparison {
  const baseline = Math.min(Math.max(0, opts.baseline ?? 0), Math.max(0, captures.length - 1));
  const rows: Row[] = [];
  const add = (r: Row) => rows.push(r);
  add(makeRow('totalLines', 'Total lines', 'lines', null, captures.map((c) => ({ value: c.totalLines })), baseline));
  add(makeRow('uniqueMetrics', 'Unique framework metrics', 'count', null, captures.map((c) => ({ value: c.uniqueMetrics })), baseline));
  add(makeRow('dynamoLines', 'Dynamo metric lines', 'lines', null, captures.map((c) => ({ value: c.dynamoLines })), baseline));
  add(makeRow('requests', 'Requests', 'count', null, captures.map((c) => ({ value: c.requests })), baseline));
  add(makeRow('promptTokens', 'Prompt tokens', 'tokens', null, captures.map((c) => ({ value: c.promptTokens })), baseline));
  add(makeRow('generationTokens', 'Generated tokens', 'tokens', null, captures.map((c) => ({ value: c.generationTokens, estimated: c.generationTokensEstimated })), baseline));
  for (const key of HISTOGRAM_KEYS) {
    if (captures.every((c) => c.latency[key] === null)) continue;
    for (const stat of STATS) {
      add(makeRow(`${key}.${stat}`, `${HISTOGRAM_LABELS[key]} (${stat})`, 'seconds', 'lower', captures.map((c) => latencyStat(c.latency[key], stat)), baseline, stat));
    }
  }
  add(makeRow('throughput.computed', 'Throughput (tokens ÷ request time)', 'tokensPerSecond', 'higher', captures.map((c) => ({ value: c.throughput.computed, estimated: c.generationTokensEstimated })), baseline));
  if (captures.some((c) => c.throughput.reported !== null)) {
    add(makeRow('throughput.reported', 'Throughput reported by the engine', 'tokensPerSecond', null, captures.map((c) => ({ value: c.throughput.reported })), baseline));
  }
  if (captures.some((c) => c.kvCacheUsage !== null)) add(makeRow('kvCacheUsage', 'KV-cache usage', 'fraction', null, captures.map((c) => ({ value: c.kvCacheUsage })), baseline));
  if (captures.some((c) => c.prefixCacheHitRate !== null)) add(makeRow('prefixCacheHitRate', 'Prefix-cache hit rate', 'fraction', 'higher', captures.map((c) => ({ value: c.prefixCacheHitRate })), baseline));
  rows.push(...soakRows(captures, baseline));
  return { captures, baseline, rows, findings: findings(captures, rows) };
}

/** The soak report's latencies, as the latency rows show theirs. */
export const SOAK_LATENCY_LABELS = { ttft: 'Client time to first token', itl: 'Client inter-token latency', e2e: 'Client request duration (end to end)' } as const;

/**
 * The client-side rows (ids `soak.*`), after the server-side ones: present only when at least one
 * capture has a soak report beside it. N/A where a report lacks the figure (a script soak has no TTFT).
 */
function soakRows(captures: readonly CaptureSummary[], baseline: number): Row[] {
  const reports = captures.map((c) => soakReportOf(c.soak));
  if (reports.every((r) => r === null)) return [];
  const source = (i: number) => (captures[i]?.soak?.file ?? '').split(/[\\/]/).pop() ?? '';
  const cells = (f: (r: NonNullable<(typeof reports)[number]>, i: number) => CellInput): CellInput[] => reports.map((r, i) => (r ? f(r, i) : { value: null }));
  const out: Row[] = [];
  for (const key of ['ttft', 'itl', 'e2e'] as const) {
    for (const stat of STATS) {
      out.push(makeRow(`soak.${key}.${stat}`, `${SOAK_LATENCY_LABELS[key]} (${stat})`, 'seconds', 'lower', cells((r, i) => ({ value: percentileStat(r[key], stat), source: source(i) })), baseline, stat));
    }
  }
  out.push(makeRow('soak.outputTokensPerSecond', 'Client output throughput (tokens ÷ wall time)', 'tokensPerSecond', 'higher', cells((r, i) => ({ value: r.throughput.outputTokensPerSecond ?? null, source: source(i) })), baseline));
  out.push(makeRow('soak.requests', 'Client requests succeeded / total', 'count', null, cells((r, i) => ({ value: r.requests.succeeded, text: `${r.requests.succeeded}/${r.requests.total}`, source: source(i) })), baseline));
  out.push(makeRow('soak.failed', 'Client failed requests', 'count', null, cells((r, i) => ({ value: r.requests.failed, source: source(i) })), baseline));
  out.push(makeRow('soak.engine', 'Soak engine', 'text', null, cells((r) => ({ value: null, text: r.engine, source: r.target })), baseline));
  out.push(makeRow('soak.model', 'Soak model', 'text', null, cells((r, i) => (typeof r.model === 'string' ? { value: null, text: r.model, source: source(i) } : { value: null })), baseline));
  return out;
}

const name = (c: CaptureSummary, all: readonly CaptureSummary[]): string => {
  const same = all.filter((x) => x.frameworkLabel === c.frameworkLabel).length > 1;
  return same ? `${c.frameworkLabel} (${c.file.split(/[\\/]/).pop()})` : c.frameworkLabel;
};

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function leaderFinding(rows: readonly Row[], id: string, what: string, caps: readonly CaptureSummary[]): string | null {
  const row = rows.find((r) => r.id === id);
  if (!row) return null;
  const present = row.cells.map((c, i) => ({ c, i })).filter((x) => x.c.value !== null);
  if (present.length < 2) return null;
  const best = present.find((x) => x.c.best);
  if (!best) return null;
  const others = present
    .filter((x) => x !== best)
    .map((x) => {
      const r = row.better === 'lower' ? (x.c.value as number) / (best.c.value as number) : (best.c.value as number) / (x.c.value as number);
      const who = `${name(caps[x.i] as CaptureSummary, caps)} (${formatValue(x.c.value, row.unit)})`;
      if (r < 1.05) return `about the same as ${who}`;
      return `${r.toFixed(1)}× ${row.better === 'lower' ? (row.unit === 'seconds' ? 'faster' : 'lower') : 'higher'} than ${who}`;
    });
  const est = best.c.estimated ? ' (estimated)' : '';
  return `${name(caps[best.i] as CaptureSummary, caps)} has the ${what}: ${formatValue(best.c.value, row.unit)}${est}, ${list(others)}.`;
}

function findings(caps: readonly CaptureSummary[], rows: readonly Row[]): string[] {
  const out: string[] = [];
  if (caps.length === 0) return out;
  for (const [id, what] of [
    ['ttft.mean', 'lowest mean time to first token'],
    ['e2e.mean', 'shortest mean request duration'],
    ['throughput.computed', 'highest throughput'],
    ['itl.mean', 'lowest mean inter-token latency'],
  ] as const) {
    const f = leaderFinding(rows, id, what, caps);
    if (f) out.push(f);
  }
  const reqs = caps.map((c) => c.requests);
  if (caps.length > 1 && new Set(reqs).size > 1) {
    out.push(`The captures served different numbers of requests (${list(caps.map((c) => `${name(c, caps)} ${c.requests ?? 'unknown'}`))}): compare averages and percentiles, not totals.`);
  }
  const missing: string[] = [];
  for (const key of ['ttft', 'itl', 'tpot', 'e2e'] as const) {
    if (!caps.some((c) => c.latency[key])) continue;
    const without = caps.filter((c) => !c.latency[key]).map((c) => name(c, caps));
    if (without.length > 0) missing.push(`${HISTOGRAM_LABELS[key].toLowerCase()} in ${list(without)}`);
  }
  if (missing.length > 0) out.push(`Not measured: ${missing.join('; ')}.`);
  for (const c of caps) {
    const { computed, reported } = c.throughput;
    if (reported === null) continue;
    if (reported === 0 && computed !== null) {
      out.push(`${name(c, caps)}'s own throughput gauge reads 0 tok/s: it is instantaneous and the server was idle when scraped; the computed ${formatValue(computed, 'tokensPerSecond')} is the figure to use.`);
    } else if (computed !== null && reported > 0) {
      // Relative to what was delivered, as in the original notes ("460 reported, 361 actual: 27% discrepancy").
      const gap = (reported - computed) / computed;
      if (Math.abs(gap) >= 0.1) {
        out.push(`${name(c, caps)} reports ${formatValue(reported, 'tokensPerSecond')} but delivered ${formatValue(computed, 'tokensPerSecond')} (generated tokens ÷ request time): the gauge ${gap > 0 ? 'overstates' : 'understates'} throughput by ${Math.round(Math.abs(gap) * 100)}%.`);
      }
    }
  }
  out.push(...soakFindings(caps));
  const estimated = caps.filter((c) => c.generationTokensEstimated).map((c) => name(c, caps));
  if (estimated.length > 0) out.push(`${list(estimated)} ${estimated.length > 1 ? 'have' : 'has'} no token counter: generated tokens are estimated from time per output token, so throughput there is approximate.`);
  if (caps.length > 1) out.push(`Framework metrics exposed: ${list(caps.map((c) => `${name(c, caps)} ${c.uniqueMetrics}`))}.`);
  for (const c of caps) {
    if (c.detection.conflict) out.push(`${c.file}: ${c.detection.conflict}; the content was trusted.`);
    if (c.diagnostics.length > 0) {
      const first = c.diagnostics[0];
      out.push(`${c.file} has ${c.diagnostics.length} malformed line${c.diagnostics.length > 1 ? 's' : ''} (first: line ${first?.line}: ${first?.message}); the rest was read.`);
    }
    if (c.framework === 'unknown') out.push(`${c.file}: no vLLM, SGLang, TensorRT-LLM or Dynamo frontend metrics found.`);
    if (c.soak && 'error' in c.soak) out.push(`${c.soak.file} was not used: ${c.soak.error}. No client-side figures for ${name(c, caps)}.`);
  }
  return out;
}

/** A client-side TTFT more than this many times the server's is worth a sentence. */
const CLIENT_TTFT_GAP = 2;

function soakFindings(caps: readonly CaptureSummary[]): string[] {
  const out: string[] = [];
  for (const c of caps) {
    const r = soakReportOf(c.soak);
    if (!r) continue;
    const client = r.ttft?.p50 ?? null;
    const server = c.latency.ttft?.p50 ?? null;
    if (client !== null && server !== null && Number.isFinite(client) && Number.isFinite(server) && server > 0 && client > CLIENT_TTFT_GAP * server) {
      out.push(`${name(c, caps)}: the client-side TTFT (p50 ${formatSeconds(client)}) is ${(client / server).toFixed(1)}× the server's (p50 ${formatSeconds(server)}): the difference is time spent in the frontend and the network, not in the engine.`);
    }
    const { failed, total } = r.requests;
    if (failed > 0) {
      const kinds = Object.entries(r.requests.errors)
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      const shown = kinds.slice(0, 3).map(([kind, n]) => {
        const k = oneLine(kind);
        return `${k.length > 60 ? `${k.slice(0, 59)}…` : k} ×${n}`;
      });
      if (kinds.length > 3) shown.push(`${kinds.length - 3} more kinds`);
      out.push(`${name(c, caps)}'s soak had ${failed} failed request${failed === 1 ? '' : 's'} of ${total}${shown.length > 0 ? ` (${shown.join(', ')})` : ''}: its client-side figures come from a run that did not fully succeed.`);
    }
  }
  return out;
}
