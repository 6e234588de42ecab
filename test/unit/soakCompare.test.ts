// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Client-side numbers next to the server's: the soak report beside a capture (metrics-vllm.log →
// metrics-vllm.soak.json) found and checked, the "Client-side (soak)" rows, their findings, the exports,
// the view model and the CLI. Reports: test/fixtures/soak (builtin vLLM, script SGLang).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCapture, withSoak, type CaptureSummary } from '../../src/core/metrics/capture';
import { compareCaptures, ratioPhrase, type Comparison } from '../../src/core/metrics/compare';
import { comparisonToJson, toCsv, toMarkdown, toTable } from '../../src/core/metrics/exports';
import { listCaptureFiles } from '../../src/core/metrics/notes';
import { loadSoakReport, parseSoakReport } from '../../src/core/metrics/soak';
import { buildViewModel } from '../../src/core/metrics/viewModel';

const root = join(__dirname, '../..');
const fixtures = join(root, 'test/fixtures');
const soakDir = join(fixtures, 'soak');
const capturePath = (fw: string) => join(fixtures, 'metrics', `ai-dynamo--${fw}-worker.prom`);
const expected = (f: string) => readFileSync(join(fixtures, 'metrics-expected', f), 'utf8');
/** Reads `metrics-<fw>.soak.json` from test/fixtures/soak, whatever folder the capture is said to be in. */
const fromFixtures = async (p: string) => {
  try {
    return await readFile(join(soakDir, p.split('/').pop() as string), 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return null;
    throw e;
  }
};
/** The real capture of `fw`, named `metrics-<fw>.log`, with the fixture soak report beside it (if any). */
async function capture(fw: 'vllm' | 'sglang' | 'trtllm'): Promise<CaptureSummary> {
  const c = analyzeCapture(readFileSync(capturePath(fw), 'utf8'), `metrics-${fw}.log`);
  return withSoak(c, await loadSoakReport(c.file, fromFixtures));
}
const three = async (): Promise<Comparison> => compareCaptures(await Promise.all((['vllm', 'sglang', 'trtllm'] as const).map(capture)), { baseline: 0 });
const rowOf = (cmp: Comparison, id: string) => {
  const r = cmp.rows.find((x) => x.id === id);
  assert.ok(r, `no row ${id}`);
  return r;
};
const vals = (cmp: Comparison, id: string) => rowOf(cmp, id).cells.map((c) => c.value);

describe('soak reports beside captures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dyn-soak-'));
  const put = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name.replace(/\.soak\.json$/, '.log'));
  };

  it('finds metrics-<fw>.soak.json beside metrics-<fw>.log and reads it', async () => {
    copyFileSync(join(soakDir, 'metrics-vllm.soak.json'), join(dir, 'metrics-vllm.soak.json'));
    const a = await loadSoakReport(join(dir, 'metrics-vllm.log'));
    assert.ok(a && 'report' in a, JSON.stringify(a));
    assert.equal(a.file, join(dir, 'metrics-vllm.soak.json'));
    assert.equal(a.report.engine, 'builtin');
    assert.deepEqual(a.report.requests, { total: 20, succeeded: 19, failed: 1, errors: { 'HTTP 503': 1 } });
    assert.equal(a.report.ttft?.p50, 0.2449);
  });
  it('a report much older than its capture (the capture was replaced by hand) is not used', async () => {
    copyFileSync(join(soakDir, 'metrics-vllm.soak.json'), join(dir, 'metrics-vllm.soak.json'));
    const capture = join(dir, 'metrics-vllm.log');
    const t = Date.parse('2026-11-27T12:00:00Z');
    const stale = await loadSoakReport(capture, undefined, () => ({ captureMs: t, reportMs: t - 16 * 60 * 1000 }));
    assert.ok(stale && 'error' in stale, JSON.stringify(stale));
    assert.match(stale.error, /^older than its capture \(report written 2026-11-27T11:44:00.000Z, capture 2026-11-27T12:00:00.000Z\)/);
    const fresh = await loadSoakReport(capture, undefined, () => ({ captureMs: t, reportMs: t - 14 * 60 * 1000 }));
    assert.ok(fresh && 'report' in fresh, 'within 15 minutes the report belongs to the capture');
    const newer = await loadSoakReport(capture, undefined, () => ({ captureMs: t, reportMs: t + 1000 }));
    assert.ok(newer && 'report' in newer, 'Collect Metrics writes the report after the capture');
  });
  it('is null when there is none (the normal case)', async () => {
    assert.equal(await loadSoakReport(join(dir, 'metrics-trtllm.log')), null);
    assert.equal(await loadSoakReport('/nonexistent/notes/metrics-vllm.log'), null);
  });
  it('turns a garbled, foreign or invalid report into a reason, never a throw', async () => {
    const cases: [string, string, RegExp][] = [
      ['metrics-garbled.soak.json', '{"schema": "dynamo-dev/soak@1", "engine": "builtin", \u001b[31m', /^not valid JSON \(.*\)$/],
      ['metrics-empty.soak.json', '', /^not valid JSON/],
      ['metrics-foreign.soak.json', '{"schema": "locust/report@2", "engine": "builtin"}', /^not a soak report \(schema "locust\/report@2", expected "dynamo-dev\/soak@1"\)$/],
      ['metrics-array.soak.json', '[1, 2, 3]', /^not a soak report \(schema missing/],
      ['metrics-partial.soak.json', '{"schema": "dynamo-dev/soak@1", "engine": "builtin"}', /^not a valid soak report \(engine, requests or perRequest missing or wrong\)$/],
    ];
    const vllm = JSON.parse(readFileSync(join(soakDir, 'metrics-vllm.soak.json'), 'utf8'));
    cases.push(['metrics-badcount.soak.json', JSON.stringify({ ...vllm, requests: { ...vllm.requests, failed: 'one' } }), /^not a valid soak report: requests\.failed is not a count$/]);
    cases.push(['metrics-badpct.soak.json', JSON.stringify({ ...vllm, ttft: { ...vllm.ttft, p50: '245ms' } }), /^not a valid soak report: ttft\.p50 is not a number$/]);
    cases.push(['metrics-badmodel.soak.json', JSON.stringify({ ...vllm, model: { name: 'x' } }), /^not a valid soak report: model is neither a string nor null$/]);
    for (const [name, text, reason] of cases) {
      const a = await loadSoakReport(put(name, text));
      assert.ok(a && 'error' in a, `${name}: ${JSON.stringify(a)}`);
      assert.equal(a.file, join(dir, name));
      assert.match(a.error, reason, name);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(a.error, /[\u0000-\u001f]/, 'control characters of the file are not passed on');
    }
    mkdirSync(join(dir, 'metrics-dir.soak.json'));
    const d = await loadSoakReport(join(dir, 'metrics-dir.log'));
    assert.deepEqual(d, { file: join(dir, 'metrics-dir.soak.json'), error: 'cannot be read (is a directory)' });
    const thrown = await loadSoakReport(join(dir, 'metrics-x.log'), () => Promise.reject(new Error('EIO: i/o error')));
    assert.deepEqual(thrown, { file: join(dir, 'metrics-x.soak.json'), error: 'cannot be read (EIO: i/o error)' });
  });
  it('accepts a report with a byte-order mark, and a script report without TTFT', () => {
    const text = readFileSync(join(soakDir, 'metrics-sglang.soak.json'), 'utf8');
    const r = parseSoakReport('\uFEFF' + text);
    assert.ok('report' in r);
    assert.equal(r.report.engine, 'script');
    assert.equal(r.report.ttft, null);
  });
  it('are listed beside their capture, never as captures', async () => {
    const d = mkdtempSync(join(tmpdir(), 'dyn-soak-list-'));
    writeFileSync(join(d, 'metrics-vllm.log'), 'a 1\n');
    writeFileSync(join(d, 'metrics-sglang.log'), 'a 1\n');
    copyFileSync(join(soakDir, 'metrics-vllm.soak.json'), join(d, 'metrics-vllm.soak.json'));
    const files = await listCaptureFiles(d);
    assert.deepEqual(files.map((f) => [f.name, f.soakReport]).sort(), [
      ['metrics-sglang.log', null],
      ['metrics-vllm.log', join(d, 'metrics-vllm.soak.json')],
    ]);
  });
});

describe('the client-side (soak) rows of the comparison', () => {
  it('come after the server-side rows, one per latency statistic, then throughput, requests, engine and model', async () => {
    const cmp = await three();
    const ids = cmp.rows.map((r) => r.id);
    const first = ids.findIndex((id) => id.startsWith('soak.'));
    assert.ok(first > ids.indexOf('throughput.computed') && ids.slice(first).every((id) => id.startsWith('soak.')), ids.join(', '));
    assert.deepEqual(ids.slice(first), [
      ...['ttft', 'itl', 'e2e'].flatMap((k) => ['mean', 'p50', 'p90', 'p99'].map((s) => `soak.${k}.${s}`)),
      'soak.outputTokensPerSecond',
      'soak.requests',
      'soak.failed',
      'soak.engine',
      'soak.model',
    ]);
    assert.equal(rowOf(cmp, 'soak.ttft.p90').stat, 'p90');
    assert.equal(rowOf(cmp, 'soak.ttft.p90').label, 'Client time to first token (p90)');
  });
  it('map mean/p50/p90/p99 to the report, with N/A where the report (or the capture) has none', async () => {
    const cmp = await three();
    assert.deepEqual(vals(cmp, 'soak.ttft.mean'), [0.2782684210526316, null, null]);
    assert.deepEqual(vals(cmp, 'soak.ttft.p50'), [0.2449, null, null]);
    assert.deepEqual(vals(cmp, 'soak.ttft.p99'), [0.6004, null, null]);
    assert.deepEqual(vals(cmp, 'soak.itl.p90'), [0.007023, null, null]);
    assert.deepEqual(vals(cmp, 'soak.e2e.p50'), [1.9974, 2.4576, null]);
    assert.deepEqual(vals(cmp, 'soak.e2e.mean'), [1.9766263157894735, 2.44282, null]);
    assert.deepEqual(vals(cmp, 'soak.outputTokensPerSecond'), [5700 / 20.412, null, null]);
    assert.deepEqual(vals(cmp, 'soak.requests'), [19, 10, null]);
    assert.deepEqual(vals(cmp, 'soak.failed'), [1, 0, null]);
    const table = toTable(cmp, ['p50']);
    const line = (label: string) => (table.split('\n').find((l) => l.startsWith(label)) ?? '').split(/\s{2,}/);
    assert.deepEqual(line('Client time to first token (p50)'), ['Client time to first token (p50)', '245ms', 'N/A', 'N/A']);
    assert.deepEqual(line('Client requests succeeded / total'), ['Client requests succeeded / total', '19/20', '10/10', 'N/A']);
    assert.deepEqual(line('Soak engine'), ['Soak engine', 'builtin', 'script', 'N/A']);
    assert.deepEqual(line('Soak model'), ['Soak model', 'Qwen/Qwen3-0.6B', 'N/A', 'N/A']);
    assert.deepEqual(line('Client output throughput (tokens ÷ wall time)'), ['Client output throughput (tokens ÷ wall time)', '279 tok/s', 'N/A', 'N/A']);
  });
  it('mark the best value and the ratio to the baseline as the other rows do', async () => {
    const cmp = await three();
    const e2e = rowOf(cmp, 'soak.e2e.p50');
    assert.equal(e2e.better, 'lower');
    assert.deepEqual(e2e.cells.map((c) => c.best), [true, false, false]);
    assert.equal(ratioPhrase(e2e, e2e.cells[1]?.ratioToBaseline ?? null), '1.2× slower');
    assert.equal(e2e.cells[2]?.ratioToBaseline, null);
    assert.equal(rowOf(cmp, 'soak.outputTokensPerSecond').better, 'higher');
    assert.deepEqual(rowOf(cmp, 'soak.ttft.p50').cells.map((c) => c.best), [false, false, false], 'no best with one value');
    for (const id of ['soak.requests', 'soak.failed', 'soak.engine', 'soak.model']) assert.equal(rowOf(cmp, id).better, null, id);
    // With SGLang as the baseline, vLLM's client request duration is the faster one.
    const swapped = compareCaptures(cmp.captures, { baseline: 1 });
    const e = rowOf(swapped, 'soak.e2e.mean');
    assert.equal(ratioPhrase(e, e.cells[0]?.ratioToBaseline ?? null), '1.2× faster');
    assert.equal(e.cells[0]?.source, 'metrics-vllm.soak.json');
  });
  it('say when the client waits far longer for the first token than the server, and when requests failed', async () => {
    const f = (await three()).findings;
    assert.ok(f.includes("vLLM: the client-side TTFT (p50 245ms) is 12.2× the server's (p50 20.0ms): the difference is time spent in the frontend and the network, not in the engine."), f.join('\n'));
    assert.ok(f.includes("vLLM's soak had 1 failed request of 20 (HTTP 503 ×1): its client-side figures come from a run that did not fully succeed."), f.join('\n'));
    assert.equal(f.filter((x) => /SGLang.*(client-side TTFT|soak had)/.test(x)).length, 0, 'a script report has no TTFT and no failures');
    // A sentence only when the client's TTFT p50 is over 2× the server's (20.0ms here).
    const c = analyzeCapture(readFileSync(capturePath('vllm'), 'utf8'), 'metrics-vllm.log');
    const withTtft = async (p50: number) => {
      const report = JSON.parse(readFileSync(join(soakDir, 'metrics-vllm.soak.json'), 'utf8'));
      report.ttft.p50 = p50;
      return compareCaptures([withSoak(c, await loadSoakReport(c.file, async () => JSON.stringify(report)))]).findings.filter((x) => x.includes('client-side TTFT'));
    };
    assert.deepEqual(await withTtft(0.039), []);
    assert.deepEqual(await withTtft(0.041), ["vLLM: the client-side TTFT (p50 41.0ms) is 2.0× the server's (p50 20.0ms): the difference is time spent in the frontend and the network, not in the engine."]);
  });
  it('are absent when no capture has a report, and the exports are those of before', async () => {
    const plain = compareCaptures((['vllm', 'sglang', 'trtllm'] as const).map((fw) => analyzeCapture(readFileSync(capturePath(fw), 'utf8'), `metrics-${fw}.log`)));
    assert.equal(plain.rows.some((r) => r.id.startsWith('soak.')), false);
    assert.doesNotMatch(toMarkdown(plain), /client side/);
    assert.doesNotMatch(toCsv(plain), /soak_/);
    assert.equal('soak' in (comparisonToJson(plain).captures[0] ?? {}), false);
  });
  it('an unusable report adds no rows, but a finding, a CSV error and a problem in the view', async () => {
    const trt = analyzeCapture(readFileSync(capturePath('trtllm'), 'utf8'), '/notes/metrics-trtllm.log');
    const bad = withSoak(trt, await loadSoakReport(trt.file, async () => '{"schema": "dynamo-dev/soak@1", "engine": "builtin",'));
    const cmp = compareCaptures([bad]);
    assert.equal(cmp.rows.some((r) => r.id.startsWith('soak.')), false);
    const finding = cmp.findings.find((x) => x.startsWith('/notes/metrics-trtllm.soak.json was not used: not valid JSON ('));
    assert.ok(finding, cmp.findings.join('\n'));
    assert.match(finding, /\. No client-side figures for TensorRT-LLM\.$/);
    const csv = toCsv(cmp).split('\r\n');
    assert.match(csv[0] ?? '', /,soak_file,soak_engine,.*,soak_error$/);
    assert.match(csv[1] ?? '', /,\/notes\/metrics-trtllm\.soak\.json,{19}"?not valid JSON/);
    assert.match((comparisonToJson(cmp).captures[0] as { soak?: { error?: string } }).soak?.error ?? '', /^not valid JSON/);
    const vm = buildViewModel(cmp);
    assert.deepEqual(vm.captures[0]?.soakProblem?.file, '/notes/metrics-trtllm.soak.json');
    assert.match(vm.captures[0]?.soakProblem?.reason ?? '', /^not valid JSON/);
    assert.deepEqual(vm.unreadable, [], 'a soak report is not a compared file (a restored panel would compare it)');
  });
});

describe('exports with client-side numbers', () => {
  it('Markdown: a client-side table after the notes table', async () => assert.equal(toMarkdown(await three()), expected('compare-soak.md')));
  it('Markdown for p90 uses the p90 client figures', async () => {
    const md = toMarkdown(await three(), 'p90');
    assert.match(md, /\| Framework \(client side\) \| Soak \| Requests \(ok\/total\) \| Failed \| Request Duration \(p90\) \| TTFT \(p90\) \| ITL \(p90\) \| Output Throughput \| vs baseline \(duration\) \|/);
    assert.match(md, /\| vLLM \| builtin \| 19\/20 \| 1 \| \*\*2\.22s\*\* \| 589ms \| 7\.02ms \| 279 tok\/s \| baseline \|/);
  });
  it('CSV: soak columns after the others', async () => assert.equal(toCsv(await three()), expected('compare-soak.csv')));
  it('JSON: each capture with its soak report, without the per-request list', async () => {
    const text = JSON.stringify(comparisonToJson(await three()), null, 2) + '\n';
    assert.equal(text, expected('compare-soak.json'));
    const j = JSON.parse(text);
    assert.equal(j.captures[0].soak.file, 'metrics-vllm.soak.json');
    assert.equal('perRequest' in j.captures[0].soak, false);
    assert.equal(j.captures[1].soak.engine, 'script');
    assert.equal(j.captures[1].soak.ttft, null);
    assert.equal('soak' in j.captures[2], false);
  });
  it('keeps a hostile report out of Markdown structure, spreadsheet formulas and the terminal', async () => {
    const hostile = JSON.parse(readFileSync(join(fixtures, 'hostile', 'metrics-xss.soak.json'), 'utf8'));
    hostile.model = '=HYPERLINK("http://x")|\u001b[2J';
    hostile.requests.errors = { 'a|b\nc\u001b[31m': 2 };
    const c = analyzeCapture(readFileSync(capturePath('vllm'), 'utf8'), 'metrics-vllm.log');
    const cmp = compareCaptures([withSoak(c, await loadSoakReport(c.file, async () => JSON.stringify(hostile)))]);
    assert.match(toCsv(cmp).split('\r\n')[1] ?? '', /,builtin,"'=HYPERLINK\(""http:\/\/x""\)\| \[2J",3,1,2,/);
    const md = toMarkdown(cmp);
    assert.match(md, /- vLLM's soak had 2 failed requests of 3 \(a\\\|b c \[31m ×2\)/);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(md + toCsv(cmp), /[\u0000-\u0009\u000b\u000c\u000e-\u001f]/);
    const table = toTable(cmp);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(table, /\u001b/);
    assert.match(table, /Soak model\s+=HYPERLINK\("http:\/\/x"\)\|\?\[2J/);
  });
});

describe('the Compare view model with soak reports', () => {
  it('puts the client rows in their own group, with text cells, charts and no ratio on neutral rows', async () => {
    const vm = buildViewModel(await three());
    const row = (id: string) => vm.rows.find((r) => r.id === id);
    assert.equal(row('soak.ttft.mean')?.group, 'client');
    assert.equal(row('soak.engine')?.group, 'client');
    assert.deepEqual(row('soak.requests')?.cells.map((c) => [c.text, c.value, c.ratio]), [
      ['19/20', 19, ''],
      ['10/10', 10, ''],
      ['N/A', null, ''],
    ]);
    assert.deepEqual(row('soak.engine')?.cells.map((c) => [c.text, c.value, c.source]), [
      ['builtin', null, 'http://localhost:8000/v1/chat/completions'],
      ['script', null, 'python3 /home/dynamo/utils/soak_fe.py --max-tokens 300 --requests_per_worker 5 --workers 2'],
      ['N/A', null, ''],
    ]);
    assert.deepEqual(row('soak.e2e.mean')?.cells.map((c) => [c.text, c.best, c.ratio]), [
      ['1.98s', true, ''],
      ['2.44s', false, '1.2× slower'],
      ['N/A', false, ''],
    ]);
    assert.deepEqual(
      vm.charts.map((c) => c.id).filter((id) => id.startsWith('soak.') || id.startsWith('throughput')),
      ['throughput.computed', 'soak.e2e.mean', 'soak.e2e.p50', 'soak.e2e.p90', 'soak.e2e.p99', 'soak.ttft.mean', 'soak.ttft.p50', 'soak.ttft.p90', 'soak.ttft.p99', 'soak.itl.mean', 'soak.itl.p50', 'soak.itl.p90', 'soak.itl.p99', 'soak.outputTokensPerSecond'],
    );
    assert.deepEqual(vm.captures.map((c) => c.soakProblem), [null, null, null]);
    assert.deepEqual(JSON.parse(JSON.stringify(vm)), vm);
  });
});

describe('dynamo-dev compare with soak reports', function () {
  this.timeout(30000);
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, DOCKER_HOST: '' } });
  const dir = mkdtempSync(join(tmpdir(), 'dyn-soak-cli-'));
  const f = (fw: string) => join(dir, `metrics-${fw}.log`);
  for (const fw of ['vllm', 'sglang', 'trtllm']) copyFileSync(capturePath(fw), f(fw));
  copyFileSync(join(soakDir, 'metrics-vllm.soak.json'), join(dir, 'metrics-vllm.soak.json'));
  copyFileSync(join(soakDir, 'metrics-sglang.soak.json'), join(dir, 'metrics-sglang.soak.json'));
  writeFileSync(join(dir, 'metrics-trtllm.soak.json'), 'garbage, not JSON\n');

  it('picks up the report beside each capture: client rows in the table, soak in the JSON', () => {
    const t = cli('compare', f('vllm'), f('sglang'), '--stat', 'p50');
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, /Client time to first token \(p50\)\s+245ms\s+N\/A\n/);
    assert.match(t.stdout, /Client request duration \(end to end\) \(p50\)\s+\*2\.00s\s+2\.46s \(1\.2× slower\)\n/);
    assert.match(t.stdout, /Soak engine\s+builtin\s+script\n/);
    assert.match(t.stdout, /- vLLM: the client-side TTFT \(p50 245ms\) is 12\.2× the server's/);
    assert.equal(t.stderr, '');
    const j = cli('compare', f('vllm'), f('sglang'), '--format', 'json');
    assert.equal(j.status, 0, j.stderr);
    const out = JSON.parse(j.stdout);
    assert.equal(out.captures[0].soak.file, join(dir, 'metrics-vllm.soak.json'));
    assert.deepEqual(out.captures[0].soak.requests, { total: 20, succeeded: 19, failed: 1, errors: { 'HTTP 503': 1 } });
    assert.equal(out.captures[1].soak.engine, 'script');
  });
  it('warns about an unusable report and still compares (exit 0)', () => {
    const r = cli('compare', f('vllm'), f('trtllm'), '--format', 'markdown');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`^dynamo-dev: warning: ${join(dir, 'metrics-trtllm.soak.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was not used: not valid JSON \\(`));
    assert.match(r.stdout, /\| Framework \(client side\) \|/);
    assert.match(r.stdout, /metrics-trtllm\.soak\.json was not used: not valid JSON .*No client-side figures for TensorRT-LLM\./);
  });
});
