// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCapture } from '../../src/core/metrics/capture';
import { compareCaptures, formatValue, ratioPhrase } from '../../src/core/metrics/compare';
import { comparisonToJson, toCsv, toMarkdown, toTable } from '../../src/core/metrics/exports';

const dir = join(__dirname, '../fixtures');
const cap = (f: string) => analyzeCapture(readFileSync(join(dir, 'metrics', `ai-dynamo--${f}.prom`), 'utf8'), `ai-dynamo--${f}.prom`);
const expected = (f: string) => readFileSync(join(dir, 'metrics-expected', f), 'utf8');
const real = () => compareCaptures(['trtllm-worker', 'sglang-worker', 'vllm-worker', 'dynamo-frontend'].map(cap), { baseline: 2 });

describe('comparison of the real captures', () => {
  it('marks the best value per row and ratios against the baseline', () => {
    const cmp = real();
    const row = (id: string) => cmp.rows.find((r) => r.id === id);
    const ttft = row('ttft.mean');
    assert.deepEqual(ttft?.cells.map((c) => c.best), [true, false, false, false]);
    assert.equal(ttft?.cells[2]?.ratioToBaseline, 1);
    assert.equal(ratioPhrase(ttft!, ttft!.cells[0]!.ratioToBaseline), '6.1× faster');
    assert.equal(ratioPhrase(ttft!, ttft!.cells[1]!.ratioToBaseline), '7.5× slower');
    assert.deepEqual(row('throughput.computed')?.cells.map((c) => c.best), [true, false, false, false]);
    assert.equal(row('totalLines')?.cells.some((c) => c.best), false, 'no best for a neutral row');
    assert.equal(row('tpot.mean')?.cells[1]?.value, null);
  });
  it('says what matters in plain words', () => {
    const f = real().findings;
    assert.match(f[0] ?? '', /^TensorRT-LLM has the lowest mean time to first token: 34\.0ms, 45\.8× faster than SGLang \(1\.56s\), 6\.1× faster than vLLM \(207ms\)/);
    assert.ok(f.some((x) => /^Not measured: inter-token latency in TensorRT-LLM; time per output token \(per request\) in SGLang and Dynamo frontend\.$/.test(x)));
    assert.ok(f.some((x) => /SGLang's own throughput gauge reads 0 tok\/s/.test(x)));
    assert.ok(f.some((x) => /different numbers of requests/.test(x)));
  });
  it('reports a reported-vs-computed throughput gap like the 27 % SGLang one in the original notes', () => {
    // 5 requests × 1000 tokens in 13.84 s → 361 tok/s delivered; the engine's gauge said 460.
    const text = [
      '# TYPE sglang:e2e_request_latency_seconds histogram',
      'sglang:e2e_request_latency_seconds_sum{model_name="q"} 13.84',
      'sglang:e2e_request_latency_seconds_bucket{model_name="q",le="+Inf"} 5',
      'sglang:e2e_request_latency_seconds_count{model_name="q"} 5',
      '# TYPE sglang:generation_tokens_total counter',
      'sglang:generation_tokens_total{model_name="q"} 5000',
      '# TYPE sglang:gen_throughput gauge',
      'sglang:gen_throughput{model_name="q"} 460',
    ].join('\n');
    const cmp = compareCaptures([analyzeCapture(text, 'metrics-sglang.log')]);
    assert.ok(cmp.findings.includes('SGLang reports 460 tok/s but delivered 361 tok/s (generated tokens ÷ request time): the gauge overstates throughput by 27%.'), cmp.findings.join('\n'));
  });
  it('exports Markdown in the notes style', () => assert.equal(toMarkdown(real()), expected('compare.md')));
  it('exports CSV', () => assert.equal(toCsv(real()), expected('compare.csv')));
  it('exports JSON', () => assert.equal(JSON.stringify(comparisonToJson(real()), null, 2) + '\n', expected('compare.json')));
  it('prints a terminal table with the baseline named', () => {
    const t = toTable(real());
    assert.match(t.split('\n')[0] ?? '', /TensorRT-LLM\s+SGLang\s+vLLM \(baseline\)\s+Dynamo frontend/);
    assert.match(t, /Time to first token \(mean\)\s+\*34\.0ms \(6\.1× faster\)/);
  });
  it('keeps hostile text out of Markdown structure and spreadsheet formulas', () => {
    const c = analyzeCapture('# TYPE vllm:x gauge\nvllm:x 1\n', '=cmd|calc.log');
    const cmp = compareCaptures([c]);
    assert.match(toCsv(cmp).split('\r\n')[1] ?? '', /^'=cmd\|calc\.log,vllm,/);
    const md = toMarkdown(compareCaptures([{ ...c, frameworkLabel: 'a|b\nc' }]));
    assert.match(md, /\| a\\\|b c \|/);
  });
  it('formats values for people', () => {
    assert.equal(formatValue(0.0103, 'seconds'), '10.3ms');
    assert.equal(formatValue(2.19, 'seconds'), '2.19s');
    assert.equal(formatValue(0.0000094, 'seconds'), '9.40µs');
    assert.equal(formatValue(456.2, 'tokensPerSecond'), '456 tok/s');
    assert.equal(formatValue(null, 'seconds'), 'N/A');
    assert.equal(formatValue(0.275, 'fraction'), '27.5%');
  });
});
