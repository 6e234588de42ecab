// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import { parseNumber, type Family } from './parser';

export interface Bucket {
  /** Upper bound (`le`), +Infinity for the last bucket. */
  le: number;
  /** Cumulative count of observations ≤ le. */
  count: number;
}

/**
 * The q-quantile estimated from cumulative buckets, as PromQL's `histogram_quantile` does: linear
 * interpolation inside the bucket that holds the rank, the lower bound of the first bucket taken as 0,
 * and the highest finite bound when the rank falls in the +Inf bucket. NaN without a +Inf bucket, with
 * fewer than two buckets or with no observations.
 */
export function histogramQuantile(q: number, input: readonly Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...input].filter((b) => !Number.isNaN(b.le)).sort((a, b) => a.le - b.le);
  // Same upper bound twice (two label sets summed before this call should not, but a capture might): add up.
  const buckets: Bucket[] = [];
  for (const b of sorted) {
    const last = buckets[buckets.length - 1];
    if (last && last.le === b.le) last.count += b.count;
    else buckets.push({ le: b.le, count: b.count });
  }
  if (buckets.length < 2) return NaN;
  const top = buckets[buckets.length - 1];
  if (!top || top.le !== Infinity) return NaN;
  // Cumulative counts must not decrease; scrapes racing with observations can break that slightly.
  for (let i = 1; i < buckets.length; i++) {
    const prev = buckets[i - 1];
    const cur = buckets[i];
    if (prev && cur && cur.count < prev.count) cur.count = prev.count;
  }
  const observations = top.count;
  if (!(observations > 0)) return NaN;
  let rank = q * observations;
  let b = buckets.length - 1;
  for (let i = 0; i < buckets.length - 1; i++) {
    if ((buckets[i]?.count ?? 0) >= rank) {
      b = i;
      break;
    }
  }
  if (b === buckets.length - 1) return buckets[buckets.length - 2]?.le ?? NaN;
  const cur = buckets[b] as Bucket;
  if (b === 0 && cur.le <= 0) return cur.le;
  let start = 0;
  let count = cur.count;
  if (b > 0) {
    const prev = buckets[b - 1] as Bucket;
    start = prev.le;
    count -= prev.count;
    rank -= prev.count;
  }
  return start + (cur.le - start) * (rank / count);
}

export interface HistogramStats {
  /** Number of label sets (series) summed. */
  series: number;
  count: number;
  sum: number;
  /** sum / count; null when count is 0. */
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  buckets: Bucket[];
}

/** The labels of a series without `le` / `quantile`, as a stable key. */
export function seriesKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .filter((k) => k !== 'le' && k !== 'quantile')
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',');
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Count, sum, mean (Σsum / Σcount over the selected label sets) and p50/p90/p99 (from the buckets summed
 * per `le`, like `histogram_quantile(q, sum by (le) (...))`) of a histogram family. `select` picks label
 * sets (e.g. one model). Works whatever the order of _bucket/_sum/_count lines.
 */
export function histogramStats(family: Family, select: (labels: Record<string, string>) => boolean = () => true): HistogramStats {
  const base = family.name;
  const series = new Set<string>();
  let count = 0;
  let sum = 0;
  const perLe = new Map<number, number>();
  for (const s of family.samples) {
    if (!select(s.labels)) continue;
    if (s.name === base + '_bucket') {
      const le = parseNumber(s.labels.le ?? '');
      if (le === undefined || Number.isNaN(le)) continue;
      perLe.set(le, (perLe.get(le) ?? 0) + s.value);
      series.add(seriesKey(s.labels));
    } else if (s.name === base + '_sum') {
      sum += s.value;
      series.add(seriesKey(s.labels));
    } else if (s.name === base + '_count') {
      count += s.value;
      series.add(seriesKey(s.labels));
    }
  }
  const buckets = [...perLe].map(([le, c]) => ({ le, count: c })).sort((a, b) => a.le - b.le);
  const q = (p: number) => (count > 0 ? finiteOrNull(histogramQuantile(p, buckets)) : null);
  return { series: series.size, count, sum, mean: count > 0 ? sum / count : null, p50: q(0.5), p90: q(0.9), p99: q(0.99), buckets };
}
