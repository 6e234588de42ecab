// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Parser throughput on a ~20 MB synthetic exposition built from the real vLLM capture's families
// (all vllm: and dynamo_component_* families) with many label sets, family-contiguous like
// prometheus_client writes it. Peers in the same run: parse-prometheus-text-format (the package the
// original design named; kept only as this peer) and a bare split('\n') floor.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { histogramStats } from '../src/core/metrics/histogram';
import { parseExposition, type Family } from '../src/core/metrics/parser';

export function syntheticExposition(targetBytes: number): string {
  const real = readFileSync(join(__dirname, '../test/fixtures/metrics/ai-dynamo--vllm-worker.prom'), 'utf8');
  const blocks: { meta: string[]; samples: string[] }[] = [];
  let cur: { meta: string[]; samples: string[] } | undefined;
  for (const line of real.split('\n')) {
    if (line.startsWith('# HELP ')) {
      const name = line.split(' ')[2] ?? '';
      const keep = name.startsWith('vllm:') || name.startsWith('dynamo_component_');
      cur = keep ? { meta: [line], samples: [] } : undefined;
      if (cur) blocks.push(cur);
    } else if (line.startsWith('# TYPE ')) cur?.meta.push(line);
    else if (line !== '' && !line.startsWith('#')) cur?.samples.push(line);
  }
  const variant = (i: number, line: string) => line.replace(/(model_name|model)="[^"]*"/, `$1="org-${i}/model-${i}"`).replace(/engine="[^"]*"/, `engine="${i % 8}"`);
  const perVariant = blocks.reduce((n, b) => n + b.samples.reduce((m, line) => m + variant(100, line).length + 1, 0), 0);
  const variants = Math.max(1, Math.round(targetBytes / perVariant));
  const out: string[] = [];
  for (const b of blocks) {
    out.push(...b.meta);
    for (let i = 0; i < variants; i++) {
      for (const s of b.samples) {
        // New label values only (same label names): every line stays valid.
        out.push(variant(i, s));
      }
    }
  }
  return out.join('\n') + '\n';
}

export interface ParserBenchResult {
  megabytes: number;
  lines: number;
  runs: number;
  ours: { medianMs: number; mbPerS: number };
  peer: { medianMs: number; mbPerS: number };
  floor: { medianMs: number; mbPerS: number };
  /** A loop that only slices names/labels/values with indexOf and allocates the same objects, validating
   * nothing: the cost of producing one object per sample, which bounds any parser with this output. */
  allocationFloor: { medianMs: number; mbPerS: number };
  /** our throughput ÷ the peer's (target ≥ 5). */
  speedupVsPeer: number;
  /** our time ÷ the floor's (target ≤ 5). */
  timesFloor: number;
  /** Histogram averages each parser can compute for vllm:e2e_request_latency_seconds (the peer drops labelled _sum/_count). */
  correctness: { oursE2eCount: number; peerE2eCountSamples: number };
}

/** See ParserBenchResult.allocationFloor; correct only on well-formed input like the synthetic one. */
function allocationOnly(text: string): number {
  let count = 0;
  const out: { name: string; labels: Record<string, string>; value: number; line: number }[] = [];
  let start = 0;
  const n = text.length;
  while (start < n) {
    let eol = text.indexOf('\n', start);
    if (eol < 0) eol = n;
    if (text.charCodeAt(start) !== 35 && eol > start) {
      const brace = text.indexOf('{', start);
      const close = text.indexOf('}', brace);
      const labels: Record<string, string> = {};
      let p = brace + 1;
      while (p < close) {
        const eq = text.indexOf('=', p);
        const q = text.indexOf('"', eq + 2);
        labels[text.slice(p, eq)] = text.slice(eq + 2, q);
        p = q + 2;
      }
      const sp = text.indexOf(' ', close);
      out.push({ name: text.slice(start, brace), labels, value: +text.slice(sp + 1, eol), line: count++ });
    }
    start = eol + 1;
  }
  return out.length;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function time(fn: () => unknown, runs: number): number {
  fn(); // warm-up
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  return median(t);
}

export function benchParser(targetBytes = 20 * 1024 * 1024, runs = 7): ParserBenchResult {
  const text = syntheticExposition(targetBytes);
  const mb = Buffer.byteLength(text) / (1024 * 1024);
  const ours = time(() => parseExposition(text), runs);
  const peer = time(() => parsePrometheusTextFormat(text), runs);
  const floor = time(() => text.split('\n').length, runs);
  const allocation = time(() => allocationOnly(text), runs);
  const parsed = parseExposition(text);
  const e2e = parsed.families.find((f) => f.name === 'vllm:e2e_request_latency_seconds') as Family;
  const peerFamilies = parsePrometheusTextFormat(text) as { name: string; metrics: { count?: string }[] }[];
  const peerE2e = peerFamilies.find((f) => f.name === 'vllm:e2e_request_latency_seconds');
  return {
    megabytes: mb,
    lines: parsed.totalLines,
    runs,
    ours: { medianMs: ours, mbPerS: mb / (ours / 1000) },
    peer: { medianMs: peer, mbPerS: mb / (peer / 1000) },
    floor: { medianMs: floor, mbPerS: mb / (floor / 1000) },
    allocationFloor: { medianMs: allocation, mbPerS: mb / (allocation / 1000) },
    speedupVsPeer: peer / ours,
    timesFloor: ours / floor,
    correctness: { oursE2eCount: histogramStats(e2e).count, peerE2eCountSamples: peerE2e?.metrics.filter((m) => m.count !== undefined).length ?? 0 },
  };
}

if (require.main === module) {
  const r = benchParser();
  console.log(JSON.stringify(r, null, 2));
}
