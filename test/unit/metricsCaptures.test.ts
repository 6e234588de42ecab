// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The real captures read exactly (expected values: metrics-fixture-facts of the reference material), and
// the framework model across renames and prefixes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCapture, counterDeltas, type CaptureSummary } from '../../src/core/metrics/capture';
import { detectFramework, frameworkFromFileName } from '../../src/core/metrics/catalog';
import { parseExposition } from '../../src/core/metrics/parser';

const fixture = (name: string) => join(__dirname, '../fixtures/metrics', name);
const load = (name: string): CaptureSummary => analyzeCapture(readFileSync(fixture(name), 'utf8'), name);
const close = (actual: number | null | undefined, expected: number, what: string) => {
  assert.ok(actual !== null && actual !== undefined, `${what} is missing`);
  assert.ok(Math.abs(actual - expected) <= Math.abs(expected) * 5e-6, `${what}: ${actual} ≠ ${expected}`);
};

describe('real captures', () => {
  it('vLLM worker', () => {
    const c = load('ai-dynamo--vllm-worker.prom');
    assert.equal(c.framework, 'vllm');
    assert.deepEqual([c.totalLines, c.sampleLines, c.uniqueMetrics, c.dynamoLines], [712, 474, 30, 95]);
    close(c.latency.ttft?.mean, 0.207198, 'TTFT mean');
    assert.deepEqual([c.latency.ttft?.count, c.latency.ttft?.sum], [2, 0.4143967628479004]);
    close(c.latency.e2e?.mean, 1.78683, 'E2E mean');
    close(c.latency.itl?.mean, 0.00528404, 'ITL mean');
    assert.equal(c.latency.itl?.count, 598);
    close(c.latency.tpot?.mean, 0.00528404, 'TPOT mean');
    assert.equal(c.latency.itl?.metric, 'vllm:inter_token_latency_seconds');
    assert.equal(c.latency.tpot?.metric, 'vllm:request_time_per_output_token_seconds');
    assert.equal(c.generationTokens, 600);
    assert.equal(c.promptTokens, 66);
    assert.equal(c.requests, 2);
    assert.deepEqual(c.requestsBy, { stop: 0, length: 2, abort: 0, error: 0 });
    assert.equal(c.kvCacheUsage, 0);
    close(c.throughput.computed, 600 / 3.5736520290374756, 'computed throughput');
    assert.deepEqual(c.models, ['Qwen/Qwen3-0.6B']);
    assert.deepEqual(c.diagnostics, []);
    // 119 families in all: 30 vllm: + 54 lmcache: + 10 dynamo_ + 25 _created companions.
    assert.equal(parseExposition(readFileSync(fixture('ai-dynamo--vllm-worker.prom'), 'utf8')).families.length, 119);
    assert.equal(c.inventory.length, 94);
  });
  it('SGLang worker (_sum before the buckets)', () => {
    const c = load('ai-dynamo--sglang-worker.prom');
    assert.equal(c.framework, 'sglang');
    assert.deepEqual([c.totalLines, c.sampleLines, c.uniqueMetrics, c.dynamoLines], [331, 227, 42, 23]);
    close(c.latency.ttft?.mean, 1.55738, 'TTFT');
    close(c.latency.e2e?.mean, 2.17123, 'E2E');
    close(c.latency.itl?.mean, 0.00205304, 'ITL');
    assert.equal(c.latency.tpot, null);
    assert.equal(c.generationTokens, 300);
    assert.equal(c.promptTokens, 33);
    assert.equal(c.throughput.reported, 0);
  });
  it('TensorRT-LLM worker (trtllm_ prefix, _count before _sum)', () => {
    const c = load('ai-dynamo--trtllm-worker.prom');
    assert.equal(c.framework, 'trtllm');
    assert.deepEqual([c.totalLines, c.sampleLines, c.uniqueMetrics, c.dynamoLines], [164, 124, 5, 23]);
    assert.deepEqual(c.metricPrefixes, ['trtllm_']);
    close(c.latency.ttft?.mean, 0.0339765, 'TTFT');
    close(c.latency.e2e?.mean, 0.865016, 'E2E');
    close(c.latency.tpot?.mean, 0.00277939, 'TPOT');
    assert.equal(c.latency.itl, null);
    assert.deepEqual(c.requestsBy, { length: 2 });
    // No token counter: (Σe2e − Σttft) / mean TPOT + requests = (1.730031 − 0.067953) / 0.00277939 + 2 ≈ 600.
    assert.equal(c.generationTokens, 600);
    assert.equal(c.generationTokensEstimated, true);
  });
  it('Dynamo frontend', () => {
    const c = load('ai-dynamo--dynamo-frontend.prom');
    assert.equal(c.framework, 'dynamo');
    assert.deepEqual([c.totalLines, c.sampleLines, c.uniqueMetrics, c.dynamoLines], [121, 89, 16, 89]);
    close(c.latency.ttft?.mean, 1.56257, 'TTFT');
    close(c.latency.e2e?.mean, 2.17765, 'request duration');
    close(c.latency.itl?.mean, 0.00204914, 'ITL');
    assert.equal(c.generationTokens, 300);
    assert.deepEqual(c.requestsBy, { success: 1 });
  });
  it('SGLang production doc sample (old time_per_output_token name)', () => {
    const c = load('sgl-project--sglang--production_metrics-doc.prom');
    assert.equal(c.uniqueMetrics, 12);
    close(c.latency.ttft?.mean, 213.654, 'TTFT');
    close(c.latency.e2e?.mean, 277.529, 'E2E');
    close(c.latency.itl?.mean, 0.117145, 'ITL');
    assert.equal(c.latency.itl?.metric, 'sglang:time_per_output_token_seconds');
    assert.equal(c.generationTokens, 7557572);
    assert.equal(c.promptTokens, 8128902);
    close(c.throughput.reported, 86.50814177726902, 'gen_throughput');
  });
  it('the two documentation samples', () => {
    const sys = load('wxsms-dynamo--system-metrics-example-doc.prom');
    assert.deepEqual([sys.totalLines, sys.sampleLines, sys.dynamoLines], [40, 20, 19]);
    const trt = load('wxsms-dynamo--trtllm-illustrative-doc.prom');
    assert.equal(trt.framework, 'trtllm');
    assert.deepEqual([trt.totalLines, trt.sampleLines, trt.uniqueMetrics], [29, 15, 5]);
    close(trt.latency.ttft?.mean, 0.0583333, 'TTFT');
    close(trt.latency.e2e?.mean, 0.301333, 'E2E');
    close(trt.latency.tpot?.mean, 0.0833333, 'TPOT');
    // This hand-written sample has no +Inf bucket: the mean is exact, percentiles cannot be estimated.
    assert.equal(trt.latency.ttft?.p50, null);
  });
});

const hist = (name: string, labels: string, buckets: [string, number][], sum: number, count: number) =>
  `# TYPE ${name} histogram\n` + buckets.map(([le, c]) => `${name}_bucket{${labels}${labels ? ',' : ''}le="${le}"} ${c}`).join('\n') + `\n${name}_sum{${labels}} ${sum}\n${name}_count{${labels}} ${count}\n`;

describe('framework model across renames', () => {
  it('vLLM ≤0.11: time_per_output_token_seconds is inter-token latency, gpu_cache_usage_perc is KV usage', () => {
    const text = hist('vllm:time_per_output_token_seconds', 'model_name="m"', [['0.01', 9], ['+Inf', 10]], 0.05, 10) + '# TYPE vllm:gpu_cache_usage_perc gauge\nvllm:gpu_cache_usage_perc{model_name="m"} 0.25\n';
    const c = analyzeCapture(text, 'metrics-vllm.log');
    assert.equal(c.latency.itl?.metric, 'vllm:time_per_output_token_seconds');
    assert.equal(c.latency.itl?.mean, 0.005);
    assert.equal(c.latency.tpot, null);
    assert.equal(c.kvCacheUsage, 0.25);
  });
  it('vLLM: new names win over old ones when both exist', () => {
    const text = hist('vllm:inter_token_latency_seconds', 'model_name="m"', [['+Inf', 2]], 0.02, 2) + hist('vllm:time_per_output_token_seconds', 'model_name="m"', [['+Inf', 2]], 4, 2);
    assert.equal(analyzeCapture(text, 'x').latency.itl?.metric, 'vllm:inter_token_latency_seconds');
  });
  it('vLLM prefix-cache hit rate from the hits and queries counters', () => {
    const text = '# TYPE vllm:prefix_cache_queries_total counter\nvllm:prefix_cache_queries_total{model_name="m"} 200\n# TYPE vllm:prefix_cache_hits_total counter\nvllm:prefix_cache_hits_total{model_name="m"} 50\n';
    assert.equal(analyzeCapture(text, 'metrics-vllm.log').prefixCacheHitRate, 0.25);
  });
  it('TensorRT-LLM with the trtllm: prefix (Dynamo, late 2025) and without prefix (older trtllm-serve)', () => {
    for (const prefix of ['trtllm:', '']) {
      const text = hist(`${prefix}time_to_first_token_seconds`, 'model_name="m"', [['+Inf', 4]], 0.04, 4) + hist(`${prefix}e2e_request_latency_seconds`, 'model_name="m"', [['+Inf', 4]], 4, 4);
      const c = analyzeCapture(text, 'capture.log');
      assert.equal(c.framework, 'trtllm', `prefix "${prefix}"`);
      assert.equal(c.latency.ttft?.mean, 0.01);
      assert.equal(c.uniqueMetrics, 2);
    }
  });
  it('OpenMetrics counters (family without _total, _created samples) count once', () => {
    const text = '# TYPE vllm:generation_tokens counter\nvllm:generation_tokens_total{model_name="m"} 42\nvllm:generation_tokens_created{model_name="m"} 1.7e9\n# EOF\n';
    const c = analyzeCapture(text, 'x');
    assert.equal(c.generationTokens, 42);
  });
  it('a re-prefixed Dynamo frontend (DYN_METRICS_PREFIX)', () => {
    const text = hist('myfe_time_to_first_token_seconds', 'model="m"', [['+Inf', 1]], 0.5, 1) + hist('myfe_request_duration_seconds', 'model="m"', [['+Inf', 1]], 2, 1) + '# TYPE myfe_output_tokens_total counter\nmyfe_output_tokens_total{model="m"} 100\n';
    const c = analyzeCapture(text, 'fe.log', { frontendPrefix: 'myfe_' });
    assert.equal(c.framework, 'dynamo');
    assert.equal(c.latency.ttft?.mean, 0.5);
    assert.equal(c.throughput.computed, 50);
    assert.equal(c.dynamoLines, 7);
  });
  it('per model, and aggregated over models', () => {
    const text = hist('vllm:e2e_request_latency_seconds', 'model_name="a"', [['1', 1], ['+Inf', 1]], 0.5, 1).replace(/^# TYPE.*\n/, '# TYPE vllm:e2e_request_latency_seconds histogram\n') + hist('vllm:e2e_request_latency_seconds', 'model_name="b"', [['1', 0], ['+Inf', 3]], 9, 3).replace(/^# TYPE.*\n/, '');
    const c = analyzeCapture(text, 'metrics-vllm.log');
    assert.deepEqual(c.models, ['a', 'b']);
    assert.equal(c.latency.e2e?.mean, 9.5 / 4);
    assert.equal(c.perModel.a?.e2e?.mean, 0.5);
    assert.equal(c.perModel.b?.e2e?.mean, 3);
  });
});

describe('framework detection', () => {
  it('from the file name', () => {
    assert.equal(frameworkFromFileName('/notes/metrics-vllm.log'), 'vllm');
    assert.equal(frameworkFromFileName('metrics-trtllm-2026-11-27.log'), 'trtllm');
    assert.equal(frameworkFromFileName('METRICS-SGLANG.LOG'), 'sglang');
    assert.equal(frameworkFromFileName('fe.log'), 'dynamo');
    assert.equal(frameworkFromFileName('metrics-vllm-frontend.log'), 'dynamo', 'the frontend capture of a vLLM run');
    assert.equal(frameworkFromFileName('metrics.log'), null);
  });
  it('content beats the file name, and the conflict is reported', () => {
    const fams = parseExposition('# TYPE sglang:gen_throughput gauge\nsglang:gen_throughput 1\n').families;
    const d = detectFramework(fams, 'metrics-vllm.log');
    assert.equal(d.framework, 'sglang');
    assert.match(d.conflict ?? '', /file name says vLLM but the metrics are SGLang's/);
  });
  it('falls back to the file name when the content says nothing', () => {
    const d = detectFramework(parseExposition('up 1\n').families, 'metrics-trtllm.log');
    assert.deepEqual([d.framework, d.source], ['trtllm', 'fileName']);
    assert.equal(detectFramework([], 'x.log').framework, 'unknown');
  });
});

describe('counter deltas', () => {
  it('per series, with rates and resets', () => {
    const a = parseExposition('# TYPE x_total counter\nx_total{m="a"} 10\nx_total{m="b"} 100\n# TYPE g gauge\ng 5\n');
    const b = parseExposition('# TYPE x_total counter\nx_total{m="a"} 40\nx_total{m="b"} 7\nx_total{m="c"} 1\n# TYPE g gauge\ng 9\n');
    const d = counterDeltas(a, b, 10);
    assert.deepEqual(
      d.map((x) => [x.labels.m, x.delta, x.rate, x.reset]),
      [
        ['a', 30, 3, false],
        ['b', 7, 0.7, true],
      ],
    );
    assert.equal(counterDeltas(a, b, 0)[0]?.rate, null);
  });
});
