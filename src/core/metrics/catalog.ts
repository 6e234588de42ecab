// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// One normalised catalog over the metric names of vLLM, SGLang, TensorRT-LLM and the Dynamo frontend,
// across their renames. Each entry lists candidate family names in order of preference (newest first).
import type { Family } from './parser';

export type CaptureFramework = 'vllm' | 'sglang' | 'trtllm' | 'dynamo' | 'unknown';

export const FRAMEWORK_LABELS: Record<CaptureFramework, string> = {
  vllm: 'vLLM',
  sglang: 'SGLang',
  trtllm: 'TensorRT-LLM',
  dynamo: 'Dynamo frontend',
  unknown: 'unknown',
};

export type HistogramKey = 'ttft' | 'itl' | 'tpot' | 'e2e' | 'queue' | 'prefill' | 'decode' | 'inference';
export type CounterKey = 'promptTokens' | 'generationTokens' | 'requests';
export type GaugeKey = 'kvCacheUsage' | 'prefixCacheHitRate' | 'reportedThroughput';

/** Every latency histogram of the catalog, in the order tables show them. */
export const HISTOGRAM_KEYS: readonly HistogramKey[] = ['e2e', 'ttft', 'itl', 'tpot', 'queue', 'prefill', 'decode', 'inference'];

export const HISTOGRAM_LABELS: Record<HistogramKey, string> = {
  ttft: 'Time to first token',
  itl: 'Inter-token latency',
  tpot: 'Time per output token (per request)',
  e2e: 'Request duration (end to end)',
  queue: 'Queue time',
  prefill: 'Prefill time',
  decode: 'Decode time',
  inference: 'Inference time',
};

interface FrameworkCatalog {
  histograms: Partial<Record<HistogramKey, readonly string[]>>;
  counters: Partial<Record<CounterKey, readonly string[]>>;
  /** Label that splits the requests counter (finished reason, status). */
  requestsBy?: string;
  gauges: Partial<Record<GaugeKey, readonly string[]>>;
  /** Counter pairs for a computed prefix-cache hit rate: [hits, queries]. */
  prefixCacheCounters?: readonly (readonly [string, string])[];
  /** A histogram whose _sum is the token total, when no counter exists (Dynamo frontend). */
  tokenHistograms?: Partial<Record<'promptTokens' | 'generationTokens', readonly string[]>>;
}

const VLLM: FrameworkCatalog = {
  histograms: {
    ttft: ['vllm:time_to_first_token_seconds'],
    // vLLM ≤0.11 exposed per-token latency as time_per_output_token_seconds; renamed to inter_token_latency_seconds.
    itl: ['vllm:inter_token_latency_seconds', 'vllm:time_per_output_token_seconds'],
    tpot: ['vllm:request_time_per_output_token_seconds'],
    e2e: ['vllm:e2e_request_latency_seconds'],
    queue: ['vllm:request_queue_time_seconds'],
    prefill: ['vllm:request_prefill_time_seconds'],
    decode: ['vllm:request_decode_time_seconds'],
    inference: ['vllm:request_inference_time_seconds'],
  },
  counters: {
    promptTokens: ['vllm:prompt_tokens_total', 'vllm:prompt_tokens'],
    generationTokens: ['vllm:generation_tokens_total', 'vllm:generation_tokens'],
    requests: ['vllm:request_success_total', 'vllm:request_success'],
  },
  requestsBy: 'finished_reason',
  gauges: {
    kvCacheUsage: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'],
    prefixCacheHitRate: ['vllm:gpu_prefix_cache_hit_rate'],
    reportedThroughput: ['vllm:avg_generation_throughput_toks_per_s'],
  },
  prefixCacheCounters: [
    ['vllm:prefix_cache_hits_total', 'vllm:prefix_cache_queries_total'],
    ['vllm:gpu_prefix_cache_hits_total', 'vllm:gpu_prefix_cache_queries_total'],
    ['vllm:prefix_cache_hits', 'vllm:prefix_cache_queries'],
  ],
};

const SGLANG: FrameworkCatalog = {
  histograms: {
    ttft: ['sglang:time_to_first_token_seconds'],
    itl: ['sglang:inter_token_latency_seconds', 'sglang:time_per_output_token_seconds'],
    e2e: ['sglang:e2e_request_latency_seconds'],
    queue: ['sglang:queue_time_seconds'],
  },
  counters: {
    promptTokens: ['sglang:prompt_tokens_total', 'sglang:prompt_tokens'],
    generationTokens: ['sglang:generation_tokens_total', 'sglang:generation_tokens'],
    requests: ['sglang:num_requests_total', 'sglang:num_requests'],
  },
  gauges: {
    kvCacheUsage: ['sglang:token_usage'],
    prefixCacheHitRate: ['sglang:cache_hit_rate'],
    reportedThroughput: ['sglang:gen_throughput'],
  },
};

/** TensorRT-LLM names without prefix; `trtllm_` (current), `trtllm:` (Dynamo, Oct–Nov 2025) and none (older trtllm-serve). */
const TRTLLM_BASE: FrameworkCatalog = {
  histograms: {
    ttft: ['time_to_first_token_seconds'],
    // TensorRT-LLM's time_per_output_token_seconds is observed once per request.
    tpot: ['time_per_output_token_seconds'],
    e2e: ['e2e_request_latency_seconds'],
    queue: ['request_queue_time_seconds'],
    prefill: ['request_prefill_time_seconds'],
    decode: ['request_decode_time_seconds'],
    inference: ['request_inference_time_seconds'],
  },
  counters: {
    promptTokens: ['prompt_tokens_total'],
    generationTokens: ['generation_tokens_total'],
    requests: ['request_success_total'],
  },
  requestsBy: 'finished_reason',
  gauges: {
    kvCacheUsage: ['kv_cache_utilization', 'kv_cache_usage_perc'],
    prefixCacheHitRate: ['kv_cache_hit_rate'],
  },
};
export const TRTLLM_PREFIXES = ['trtllm_', 'trtllm:', ''] as const;

function prefixed(c: FrameworkCatalog, prefixes: readonly string[]): FrameworkCatalog {
  const map = <K extends string>(r: Partial<Record<K, readonly string[]>>) =>
    Object.fromEntries(Object.entries(r).map(([k, names]) => [k, prefixes.flatMap((p) => (names as string[]).map((n) => p + n))])) as unknown as Partial<Record<K, readonly string[]>>;
  const out: FrameworkCatalog = { histograms: map(c.histograms), counters: map(c.counters), gauges: map(c.gauges) };
  if (c.requestsBy) out.requestsBy = c.requestsBy;
  return out;
}

export const DEFAULT_FRONTEND_PREFIX = 'dynamo_frontend_';

function frontendCatalog(prefix: string): FrameworkCatalog {
  return {
    histograms: {
      ttft: [`${prefix}time_to_first_token_seconds`],
      itl: [`${prefix}inter_token_latency_seconds`],
      e2e: [`${prefix}request_duration_seconds`],
    },
    counters: {
      generationTokens: [`${prefix}output_tokens_total`],
      requests: [`${prefix}requests_total`],
    },
    requestsBy: 'status',
    gauges: {},
    tokenHistograms: { promptTokens: [`${prefix}input_sequence_tokens`], generationTokens: [`${prefix}output_sequence_tokens`] },
  };
}

export function catalogFor(fw: CaptureFramework, frontendPrefix = DEFAULT_FRONTEND_PREFIX): FrameworkCatalog {
  switch (fw) {
    case 'vllm':
      return VLLM;
    case 'sglang':
      return SGLANG;
    case 'trtllm':
      return prefixed(TRTLLM_BASE, TRTLLM_PREFIXES);
    case 'dynamo':
      return frontendCatalog(frontendPrefix);
    case 'unknown':
      return { histograms: {}, counters: {}, gauges: {} };
  }
}

/** The family prefixes that count as "the framework's own" metrics. */
export function frameworkPrefixes(fw: CaptureFramework, frontendPrefix = DEFAULT_FRONTEND_PREFIX): string[] {
  switch (fw) {
    case 'vllm':
      return ['vllm:'];
    case 'sglang':
      return ['sglang:'];
    case 'trtllm':
      return ['trtllm_', 'trtllm:'];
    case 'dynamo':
      return [frontendPrefix === DEFAULT_FRONTEND_PREFIX ? 'dynamo_' : frontendPrefix];
    case 'unknown':
      return [];
  }
}

const UNPREFIXED_TRTLLM = new Set(['e2e_request_latency_seconds', 'time_to_first_token_seconds', 'time_per_output_token_seconds', 'request_queue_time_seconds', 'request_success_total', 'request_success']);

/** `_created` companions (prometheus_client's 0.0.4 output) are not metrics of their own. */
export function isCreatedFamily(f: Family, byName: ReadonlyMap<string, Family>): boolean {
  if (!f.name.endsWith('_created')) return false;
  const base = f.name.slice(0, -'_created'.length);
  return byName.has(base) || byName.has(base + '_total');
}

export interface Detection {
  framework: CaptureFramework;
  /** Where the answer came from. */
  source: 'content' | 'fileName' | 'none';
  /** The framework the file name claims, when it names one. */
  fromFileName: CaptureFramework | null;
  /** Set when the file name and the content disagree. */
  conflict: string | null;
}

/** `metrics-vllm.log`, `metrics-trtllm-2026-11-27.log`, `sglang.prom`, `fe.log` … */
export function frameworkFromFileName(fileName: string): CaptureFramework | null {
  const base = fileName.split(/[\\/]/).pop()?.toLowerCase() ?? '';
  const tokens = base.replace(/\.(log|prom|txt|metrics)$/, '').split(/[^a-z0-9]+/);
  // `metrics-vllm-frontend.log` is the frontend's capture of a vLLM run (Collect Metrics saves it so)
  if (tokens.includes('frontend')) return 'dynamo';
  if (tokens.includes('vllm')) return 'vllm';
  if (tokens.includes('sglang')) return 'sglang';
  if (tokens.includes('trtllm') || tokens.includes('tensorrt')) return 'trtllm';
  if (tokens.includes('fe') || tokens.includes('dynamo')) return 'dynamo';
  return null;
}

/** The framework of a capture from its families (engine prefixes weigh most), else from its file name. */
export function detectFramework(families: readonly Family[], fileName?: string, frontendPrefix = DEFAULT_FRONTEND_PREFIX): Detection {
  const counts: Record<CaptureFramework, number> = { vllm: 0, sglang: 0, trtllm: 0, dynamo: 0, unknown: 0 };
  for (const f of families) {
    if (f.name.startsWith('vllm:')) counts.vllm++;
    else if (f.name.startsWith('sglang:')) counts.sglang++;
    else if (f.name.startsWith('trtllm_') || f.name.startsWith('trtllm:') || UNPREFIXED_TRTLLM.has(f.name)) counts.trtllm++;
    else if (f.name.startsWith(frontendPrefix)) counts.dynamo++;
  }
  let fromContent: CaptureFramework = 'unknown';
  let best = 0;
  for (const fw of ['vllm', 'sglang', 'trtllm'] as const) {
    if (counts[fw] > best) {
      best = counts[fw];
      fromContent = fw;
    }
  }
  if (fromContent === 'unknown' && counts.dynamo > 0) fromContent = 'dynamo';
  const fromFileName = fileName ? frameworkFromFileName(fileName) : null;
  if (fromContent !== 'unknown') {
    const conflict = fromFileName && fromFileName !== fromContent ? `the file name says ${FRAMEWORK_LABELS[fromFileName]} but the metrics are ${FRAMEWORK_LABELS[fromContent]}'s` : null;
    return { framework: fromContent, source: 'content', fromFileName, conflict };
  }
  if (fromFileName) return { framework: fromFileName, source: 'fileName', fromFileName, conflict: null };
  return { framework: 'unknown', source: 'none', fromFileName: null, conflict: null };
}
