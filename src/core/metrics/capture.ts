// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// What one /metrics capture says, normalised across frameworks.
import {
  catalogFor,
  DEFAULT_FRONTEND_PREFIX,
  detectFramework,
  FRAMEWORK_LABELS,
  frameworkPrefixes,
  HISTOGRAM_KEYS,
  isCreatedFamily,
  type CaptureFramework,
  type CounterKey,
  type Detection,
  type GaugeKey,
  type HistogramKey,
} from './catalog';
import { histogramStats, seriesKey, type HistogramStats } from './histogram';
import { parseExposition, type Diagnostic, type ExpositionFormat, type Family, type ParseResult } from './parser';
import type { SoakAttachment } from './soak';

/** A histogram's statistics, with the family they come from (so a reader can check them). */
export type LatencySummary = Pick<HistogramStats, 'count' | 'sum' | 'mean' | 'p50' | 'p90' | 'p99'> & { metric: string };

export interface CaptureSummary {
  file: string;
  framework: CaptureFramework;
  frameworkLabel: string;
  detection: Detection;
  format: ExpositionFormat;
  totalLines: number;
  sampleLines: number;
  /** Families with the framework's prefix, `_created` companions not counted. */
  uniqueMetrics: number;
  /** The framework prefixes actually found (`trtllm_` or `trtllm:`; empty for unprefixed names). */
  metricPrefixes: string[];
  /** Sample lines of `dynamo_*` metrics (all groups), and per group (`component`, `frontend`, …). */
  dynamoLines: number;
  dynamoLinesByGroup: Record<string, number>;
  /** Model names seen in the latency metrics (`model_name` or `model` label). */
  models: string[];
  latency: Record<HistogramKey, LatencySummary | null>;
  promptTokens: number | null;
  generationTokens: number | null;
  /** True when generationTokens is estimated from TPOT ((Σe2e − Σttft) ÷ mean TPOT + requests): no token counter. */
  generationTokensEstimated: boolean;
  requests: number | null;
  /** Requests by finished reason (engines) or status (frontend), when the counter has that label. */
  requestsBy: Record<string, number> | null;
  kvCacheUsage: number | null;
  prefixCacheHitRate: number | null;
  throughput: {
    /** Generated tokens ÷ Σ end-to-end seconds (tokens/s); equals wall-clock throughput for one sequential client. */
    computed: number | null;
    /** The engine's own throughput gauge (instantaneous), e.g. `sglang:gen_throughput`. */
    reported: number | null;
  };
  /** Per model, the latency figures (only when a capture serves several models). */
  perModel: Record<string, Partial<Record<HistogramKey, LatencySummary | null>>>;
  /** Every family name (no `_created`), for the metric inventory. */
  inventory: { name: string; type: string; help: string }[];
  diagnostics: Diagnostic[];
  /**
   * The client-side soak report saved beside the capture (`metrics-<fw>.soak.json`), or why it cannot be
   * used; absent when there is none. Attached by whoever read the files (see loadSoakReport), not by summarize.
   */
  soak?: SoakAttachment;
}

export interface AnalyzeOptions {
  /** Override `DYN_METRICS_PREFIX`-style frontend prefixes; default `dynamo_frontend_`. */
  frontendPrefix?: string;
  /** Force a framework instead of detecting it. */
  framework?: CaptureFramework;
}

const modelOf = (labels: Record<string, string>): string | undefined => labels.model_name ?? labels.model;

function pick(byName: ReadonlyMap<string, Family>, candidates: readonly string[] | undefined, hasData: (f: Family) => boolean): Family | undefined {
  for (const name of candidates ?? []) {
    const f = byName.get(name);
    if (f && hasData(f)) return f;
  }
  return undefined;
}

const histogramHasData = (f: Family) => f.samples.some((s) => s.name === f.name + '_count' || s.name === f.name + '_sum');

function latency(f: Family | undefined, select?: (l: Record<string, string>) => boolean): LatencySummary | null {
  if (!f) return null;
  const st: HistogramStats = histogramStats(f, select);
  if (st.series === 0) return null;
  return { metric: f.name, count: st.count, sum: st.sum, mean: st.mean, p50: st.p50, p90: st.p90, p99: st.p99 };
}

/** The counter's own samples (`x_total` or `x`), never its `_created`. */
function counterSamples(f: Family) {
  const total = f.name.endsWith('_total') ? f.name : f.name + '_total';
  return f.samples.filter((s) => s.name === total || s.name === f.name);
}

export function summarize(parsed: ParseResult, file: string, opts: AnalyzeOptions = {}): CaptureSummary {
  const frontendPrefix = opts.frontendPrefix ?? DEFAULT_FRONTEND_PREFIX;
  const byName = new Map(parsed.families.map((f) => [f.name, f]));
  const detected = detectFramework(parsed.families, file, frontendPrefix);
  const detection: Detection = opts.framework ? { framework: opts.framework, source: 'content', fromFileName: detected.fromFileName, conflict: null } : detected;
  const fw = detection.framework;
  const cat = catalogFor(fw, frontendPrefix);
  const real = parsed.families.filter((f) => !isCreatedFamily(f, byName));
  const prefixes = frameworkPrefixes(fw, frontendPrefix);
  const uniqueMetrics = fw === 'trtllm' && !real.some((f) => prefixes.some((p) => f.name.startsWith(p)))
    ? real.filter((f) => !f.name.startsWith('dynamo_') && !f.name.includes(':')).length // unprefixed trtllm-serve names
    : real.filter((f) => prefixes.some((p) => f.name.startsWith(p))).length;

  const metricPrefixes = prefixes.filter((p) => real.some((f) => f.name.startsWith(p)));
  let dynamoLines = 0;
  const dynamoLinesByGroup: Record<string, number> = {};
  for (const f of parsed.families) {
    if (!f.name.startsWith('dynamo_')) continue;
    const group = f.name.startsWith(frontendPrefix) ? 'frontend' : (f.name.slice('dynamo_'.length).split('_')[0] ?? 'other');
    dynamoLines += f.samples.length;
    dynamoLinesByGroup[group] = (dynamoLinesByGroup[group] ?? 0) + f.samples.length;
  }
  if (frontendPrefix !== DEFAULT_FRONTEND_PREFIX && !frontendPrefix.startsWith('dynamo_')) {
    for (const f of parsed.families) {
      if (!f.name.startsWith(frontendPrefix)) continue;
      dynamoLines += f.samples.length;
      dynamoLinesByGroup.frontend = (dynamoLinesByGroup.frontend ?? 0) + f.samples.length;
    }
  }

  const histFamilies = {} as Record<HistogramKey, Family | undefined>;
  const lat = {} as Record<HistogramKey, LatencySummary | null>;
  const models = new Set<string>();
  for (const k of HISTOGRAM_KEYS) {
    const f = pick(byName, cat.histograms[k], histogramHasData);
    histFamilies[k] = f;
    lat[k] = latency(f);
    for (const s of f?.samples ?? []) {
      const m = modelOf(s.labels);
      if (m !== undefined) models.add(m);
    }
  }

  const counter = (k: CounterKey): { total: number; family: Family } | null => {
    const f = pick(byName, cat.counters[k], (x) => counterSamples(x).length > 0);
    if (!f) return null;
    return { total: counterSamples(f).reduce((a, s) => a + (Number.isFinite(s.value) ? s.value : 0), 0), family: f };
  };
  const tokenFromHistogram = (k: 'promptTokens' | 'generationTokens'): number | null => {
    const f = pick(byName, cat.tokenHistograms?.[k], histogramHasData);
    return f ? histogramStats(f).sum : null;
  };
  const prompt = counter('promptTokens');
  const gen = counter('generationTokens');
  const req = counter('requests');
  const promptTokens = prompt?.total ?? tokenFromHistogram('promptTokens');
  let generationTokens = gen?.total ?? tokenFromHistogram('generationTokens');
  let generationTokensEstimated = false;
  if (generationTokens === null && lat.e2e && lat.ttft && lat.tpot?.mean && lat.e2e.count > 0 && lat.e2e.count === lat.ttft.count) {
    // Each request produces 1 token at TTFT, then one every TPOT until it ends.
    generationTokens = Math.round((lat.e2e.sum - lat.ttft.sum) / lat.tpot.mean + lat.e2e.count);
    generationTokensEstimated = true;
  }
  let requestsBy: Record<string, number> | null = null;
  if (req && cat.requestsBy) {
    requestsBy = {};
    for (const s of counterSamples(req.family)) {
      const k = s.labels[cat.requestsBy] ?? '';
      requestsBy[k] = (requestsBy[k] ?? 0) + s.value;
    }
  }
  const requests = req?.total ?? lat.e2e?.count ?? null;

  const gauge = (k: GaugeKey, combine: 'mean' | 'sum'): number | null => {
    const f = pick(byName, cat.gauges[k], (x) => x.samples.length > 0);
    if (!f) return null;
    const vals = f.samples.filter((s) => s.name === f.name && Number.isFinite(s.value)).map((s) => s.value);
    if (vals.length === 0) return null;
    const total = vals.reduce((a, b) => a + b, 0);
    return combine === 'sum' ? total : total / vals.length;
  };
  let prefixCacheHitRate = gauge('prefixCacheHitRate', 'mean');
  if (prefixCacheHitRate === null) {
    for (const [hitsName, queriesName] of cat.prefixCacheCounters ?? []) {
      const hits = byName.get(hitsName);
      const queries = byName.get(queriesName);
      if (!hits || !queries) continue;
      const q = counterSamples(queries).reduce((a, s) => a + s.value, 0);
      if (q > 0) prefixCacheHitRate = counterSamples(hits).reduce((a, s) => a + s.value, 0) / q;
      break;
    }
  }
  const e2eSum = lat.e2e?.sum ?? 0;
  const computed = generationTokens !== null && e2eSum > 0 ? generationTokens / e2eSum : null;

  const perModel: CaptureSummary['perModel'] = {};
  if (models.size > 1) {
    for (const m of models) {
      const sel = (l: Record<string, string>) => modelOf(l) === m;
      perModel[m] = Object.fromEntries(HISTOGRAM_KEYS.map((k) => [k, latency(histFamilies[k], sel)]));
    }
  }

  return {
    file,
    framework: fw,
    frameworkLabel: FRAMEWORK_LABELS[fw],
    detection,
    format: parsed.format,
    totalLines: parsed.totalLines,
    sampleLines: parsed.sampleLines,
    uniqueMetrics,
    metricPrefixes,
    dynamoLines,
    dynamoLinesByGroup,
    models: [...models].sort(),
    latency: lat,
    promptTokens,
    generationTokens,
    generationTokensEstimated,
    requests,
    requestsBy,
    kvCacheUsage: gauge('kvCacheUsage', 'mean'),
    prefixCacheHitRate,
    throughput: { computed, reported: gauge('reportedThroughput', 'sum') },
    perModel,
    inventory: real.map((f) => ({ name: f.name, type: f.type, help: f.help })),
    diagnostics: parsed.diagnostics,
  };
}

/** `c` with the soak report found beside it (unchanged when there is none). */
export function withSoak(c: CaptureSummary, soak: SoakAttachment | null | undefined): CaptureSummary {
  return soak ? { ...c, soak } : c;
}

/** Parses and summarises one capture. */
export function analyzeCapture(text: string, file: string, opts: AnalyzeOptions = {}): CaptureSummary {
  return summarize(parseExposition(text), file, opts);
}

export interface CounterDelta {
  name: string;
  labels: Record<string, string>;
  before: number;
  after: number;
  /** after − before, or after itself when the counter was reset in between. */
  delta: number;
  /** delta ÷ seconds. */
  rate: number | null;
  reset: boolean;
}

/** Per-series counter increases between two captures of the same server taken `seconds` apart. */
export function counterDeltas(before: ParseResult, after: ParseResult, seconds: number): CounterDelta[] {
  const prev = new Map<string, number>();
  for (const f of before.families) if (f.type === 'counter') for (const s of counterSamples(f)) prev.set(`${s.name}{${seriesKey(s.labels)}}`, s.value);
  const out: CounterDelta[] = [];
  for (const f of after.families) {
    if (f.type !== 'counter') continue;
    for (const s of counterSamples(f)) {
      const b = prev.get(`${s.name}{${seriesKey(s.labels)}}`);
      if (b === undefined) continue;
      const reset = s.value < b;
      const delta = reset ? s.value : s.value - b;
      out.push({ name: s.name, labels: s.labels, before: b, after: s.value, delta, rate: seconds > 0 ? delta / seconds : null, reset });
    }
  }
  return out;
}
