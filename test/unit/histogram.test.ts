// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { histogramQuantile, histogramStats } from '../../src/core/metrics/histogram';
import { parseExposition } from '../../src/core/metrics/parser';

const b = (pairs: [number, number][]) => pairs.map(([le, count]) => ({ le, count }));
const near = (a: number, e: number) => assert.ok(Math.abs(a - e) < 1e-12, `${a} ≠ ${e}`);

describe('histogramQuantile (PromQL semantics, hand-computed)', () => {
  // 40 observations: 10 ≤ 0.1, 20 in (0.1, 0.5], 10 in (0.5, 1].
  const buckets = b([
    [0.1, 10],
    [0.5, 30],
    [1, 40],
    [Infinity, 40],
  ]);
  it('interpolates inside the bucket holding the rank', () => {
    near(histogramQuantile(0.5, buckets), 0.1 + (0.5 - 0.1) * (10 / 20)); // rank 20 → 0.3
    near(histogramQuantile(0.9, buckets), 0.5 + 0.5 * (6 / 10)); // rank 36 → 0.8
    near(histogramQuantile(0.99, buckets), 0.5 + 0.5 * (9.6 / 10)); // rank 39.6 → 0.98
    near(histogramQuantile(0.25, buckets), 0 + 0.1 * (10 / 10)); // rank 10 → exactly the first bound
  });
  it('takes 0 as the lower bound of the first bucket', () => {
    near(histogramQuantile(0.5, b([[0.5, 10], [Infinity, 10]])), 0.25);
  });
  it('returns the highest finite bound when the rank falls in +Inf', () => {
    assert.equal(histogramQuantile(0.9, b([[1, 5], [Infinity, 10]])), 1);
  });
  it('returns a first upper bound ≤ 0 as is', () => {
    assert.equal(histogramQuantile(0.5, b([[-1, 10], [Infinity, 10]])), -1);
  });
  it('handles unsorted input and repairs decreasing cumulative counts', () => {
    near(histogramQuantile(0.5, b([[Infinity, 40], [1, 40], [0.1, 10], [0.5, 30]])), 0.3);
    near(histogramQuantile(0.5, b([[0.1, 10], [0.5, 9], [Infinity, 20]])), 0.1 * (10 / 10));
  });
  it('is NaN or infinite where PromQL is', () => {
    assert.ok(Number.isNaN(histogramQuantile(0.5, b([[1, 3]]))), 'one bucket');
    assert.ok(Number.isNaN(histogramQuantile(0.5, b([[1, 3], [2, 4]]))), 'no +Inf bucket');
    assert.ok(Number.isNaN(histogramQuantile(0.5, b([[1, 0], [Infinity, 0]]))), 'no observations');
    assert.ok(Number.isNaN(histogramQuantile(NaN, buckets)));
    assert.equal(histogramQuantile(-0.1, buckets), -Infinity);
    assert.equal(histogramQuantile(1.1, buckets), Infinity);
  });
});

describe('histogramStats', () => {
  it('sums label sets per le, whatever the line order (SGLang writes _sum first, TRT-LLM _count before _sum)', () => {
    const text = [
      '# TYPE h histogram',
      'h_sum{m="a"} 2',
      'h_bucket{m="a",le="0.1"} 10',
      'h_bucket{m="a",le="+Inf"} 20',
      'h_count{m="a"} 20',
      'h_bucket{m="b",le="0.1"} 0',
      'h_bucket{m="b",le="+Inf"} 20',
      'h_count{m="b"} 20',
      'h_sum{m="b"} 38',
    ].join('\n');
    const [f] = parseExposition(text).families;
    assert.ok(f);
    const all = histogramStats(f);
    assert.deepEqual([all.series, all.count, all.sum, all.mean], [2, 40, 40, 1]);
    assert.deepEqual(all.buckets, [
      { le: 0.1, count: 10 },
      { le: Infinity, count: 40 },
    ]);
    near(all.p50 ?? NaN, 0.1); // rank 20 falls in +Inf → highest finite bound
    const a = histogramStats(f, (l) => l.m === 'a');
    assert.deepEqual([a.series, a.count, a.sum, a.mean], [1, 20, 2, 0.1]);
    near(a.p50 ?? NaN, 0.1);
  });
  it('gives null statistics for an empty histogram', () => {
    const [f] = parseExposition('# TYPE h histogram\nh_bucket{le="+Inf"} 0\nh_sum 0\nh_count 0\n').families;
    assert.ok(f);
    const s = histogramStats(f);
    assert.deepEqual([s.mean, s.p50, s.p90, s.p99], [null, null, null, null]);
  });
});
