// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Seeded fuzzing: random and mutated expositions never make the parser throw, every sample of the valid
// part survives, and parse cost grows linearly with input size.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseExposition } from '../../src/core/metrics/parser';
import { seededRandom } from '../support/random';

const ALPHABET = 'abc_:{}="\\,# \t\n\r01.5e+-InfNaN_bucketle';
const real = readFileSync(join(__dirname, '../fixtures/metrics/ai-dynamo--vllm-worker.prom'), 'utf8');
const realLines = real.split('\n');

describe('parser fuzzing (seeded)', function () {
  this.timeout(120000);
  it('never throws on 3000 random inputs, and every diagnostic points at a real line', () => {
    const r = seededRandom(1);
    for (let i = 0; i < 3000; i++) {
      const len = Math.floor(r() * 400);
      let s = '';
      for (let j = 0; j < len; j++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
      const res = parseExposition(s);
      const lines = s.split('\n').length;
      for (const d of res.diagnostics) assert.ok(d.line >= 1 && d.line <= lines, `diagnostic line ${d.line} of ${lines} for ${JSON.stringify(s)}`);
    }
  });

  it('keeps every sample of the valid part when garbage lines are mixed in (2000 mutated captures)', () => {
    const r = seededRandom(2);
    const garbage = ['metric{label=bla} 1', '{"x"} 1', 'a b c d e', '# TYPE x bogus', 'x{a="unterminated', '}}}', 'x 0x1p-3', '#HELP', '\t\t', 'name{a="1",a="2"} 3', 'x NaNa', '# HELP', 'le{le=}'];
    const expected = parseExposition(real).families.flatMap((f) => f.samples.map((s) => `${s.name}${JSON.stringify(s.labels)}=${s.value}`));
    const want = new Map<string, number>();
    for (const k of expected) want.set(k, (want.get(k) ?? 0) + 1);
    for (let i = 0; i < 2000; i++) {
      const out: string[] = [];
      for (const line of realLines) {
        if (r() < 0.05) out.push(garbage[Math.floor(r() * garbage.length)] as string);
        out.push(line);
      }
      const res = parseExposition(out.join(r() < 0.5 ? '\n' : '\r\n'));
      const got = new Map<string, number>();
      for (const f of res.families) for (const s of f.samples) got.set(`${s.name}${JSON.stringify(s.labels)}=${s.value}`, (got.get(`${s.name}${JSON.stringify(s.labels)}=${s.value}`) ?? 0) + 1);
      for (const [k, n] of want) assert.ok((got.get(k) ?? 0) >= n, `sample lost: ${k}`);
    }
  });

  it('grows linearly on adversarial shapes (a complexity check: a cost ratio, not a time limit)', () => {
    const shapes: Record<string, (n: number) => string> = {
      'many TYPE lines interleaved with samples': (n) => Array.from({ length: n }, (_, i) => `# TYPE f${i} counter\nf${i % 97}_total{a="${i}"} 1\n`).join(''),
      'long label values full of escapes': (n) => `x{a="${'\\"\\\\'.repeat(n * 8)}"} 1\n`,
      'many underscores in names': (n) => Array.from({ length: n }, (_, i) => `${'a_'.repeat(40)}${i} 1\n`).join(''),
      'unterminated quotes on every line': (n) => 'x{a="oops\n'.repeat(n),
      'many labels on one line': (n) => `x{${Array.from({ length: n }, (_, i) => `l${i}="v"`).join(',')}} 1\n`,
    };
    const cost = (text: string) => {
      let best = Infinity;
      for (let k = 0; k < 3; k++) {
        const t = performance.now();
        parseExposition(text);
        best = Math.min(best, performance.now() - t);
      }
      return best;
    };
    for (const [name, make] of Object.entries(shapes)) {
      const small = make(1000);
      const big = make(64000); // 64× the input
      cost(small); // warm up the JIT
      // Linear work gives ~64; quadratic would give ~4096. 512 leaves room for GC and a busy machine (the
      // best of three measurements, each the best of three runs, so one descheduled run does not decide).
      let ratio = Infinity;
      for (let attempt = 0; attempt < 3 && ratio >= 512; attempt++) ratio = Math.min(ratio, cost(big) / Math.max(cost(small), 0.05));
      assert.ok(ratio < 512, `${name}: 64× the input cost ${ratio.toFixed(1)}× the time`);
    }
  });
});
