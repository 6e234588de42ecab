// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The Compare panel's host-side pieces: view model, message validation, notes folders, atomic export.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCapture } from '../../src/core/metrics/capture';
import { compareCaptures } from '../../src/core/metrics/compare';
import { expandPath, findNotesFolders, isCaptureFileName, listCaptureFiles } from '../../src/core/metrics/notes';
import { buildViewModel } from '../../src/core/metrics/viewModel';
import { backupPath, writeFileAtomic } from '../../src/core/util/atomicWrite';
import { classifyContainer } from '../../src/core/docker/discovery';
import { isPanelState, parseWebviewMessage } from '../../src/shared/protocol';

const fixtures = join(__dirname, '../fixtures/metrics');
const real = (fw: string) => analyzeCapture(readFileSync(join(fixtures, `ai-dynamo--${fw}-worker.prom`), 'utf8'), `/notes/metrics-${fw}.log`);

describe('Compare view model from the real captures', () => {
  const vm = buildViewModel(compareCaptures(['vllm', 'sglang', 'trtllm'].map(real), { baseline: 0 }), [{ file: '/notes/metrics-gone.log', reason: 'no such file' }]);
  const row = (id: string) => vm.rows.find((r) => r.id === id);
  it('has one column per capture, named by file and framework', () => {
    assert.deepEqual(
      vm.captures.map((c) => [c.name, c.frameworkLabel, c.models]),
      [
        ['metrics-vllm.log', 'vLLM', ['Qwen/Qwen3-0.6B']],
        ['metrics-sglang.log', 'SGLang', ['Qwen/Qwen3-0.6B']],
        ['metrics-trtllm.log', 'TensorRT-LLM', ['Qwen/Qwen3-0.6B']],
      ],
    );
  });
  it('starts with the rows of the original notes, then latency by statistic', () => {
    assert.deepEqual(vm.rows.slice(0, 3).map((r) => [r.id, r.group]), [
      ['totalLines', 'overview'],
      ['uniqueMetrics', 'overview'],
      ['dynamoLines', 'overview'],
    ]);
    assert.deepEqual(row('totalLines')?.cells.map((c) => c.text), ['712', '331', '164']);
    assert.deepEqual(row('ttft.p90')?.stat, 'p90');
    assert.equal(row('ttft.mean')?.group, 'latency');
    assert.equal(row('throughput.computed')?.group, 'throughput');
  });
  it('formats cells with best marks and ratios against the baseline', () => {
    assert.deepEqual(row('ttft.mean')?.cells.map((c) => [c.text, c.best, c.ratio, c.source]), [
      ['207ms', false, '', 'vllm:time_to_first_token_seconds'],
      ['1.56s', false, '7.5× slower', 'sglang:time_to_first_token_seconds'],
      ['34.0ms', true, '6.1× faster', 'trtllm_time_to_first_token_seconds'],
    ]);
    assert.deepEqual(row('throughput.computed')?.cells.map((c) => c.text), ['168 tok/s', '138 tok/s', '≈347 tok/s']);
    assert.deepEqual(row('totalLines')?.cells.map((c) => c.ratio), ['', '', ''], 'no ratios on rows without a direction');
  });
  it('has bar charts for the latency statistics and throughput', () => {
    const ttft = vm.charts.find((c) => c.id === 'ttft.mean');
    assert.deepEqual(ttft?.bars.map((b) => [b.label, b.text, b.best]), [
      ['vLLM', '207ms', false],
      ['SGLang', '1.56s', false],
      ['TensorRT-LLM', '34.0ms', true],
    ]);
    assert.equal(vm.charts.find((c) => c.id === 'throughput.computed')?.better, 'higher');
    assert.equal(vm.charts.some((c) => c.id === 'itl.mean'), true);
  });
  it('makes the metric inventory inspectable: 5 TRT-LLM metrics, 30 vLLM', () => {
    const fam = (n: string) => vm.inventory.families.find((f) => f.name === n);
    assert.deepEqual(fam('vllm:time_to_first_token_seconds')?.presentIn, [true, false, false]);
    assert.deepEqual(fam('dynamo_component_requests_total')?.presentIn, [true, true, true]);
    assert.equal(vm.inventory.families.filter((f) => f.name.startsWith('trtllm_')).length, 5);
    assert.equal(vm.inventory.families.filter((f) => f.name.startsWith('vllm:')).length, 30);
    assert.equal(vm.inventory.families.some((f) => f.name.endsWith('_created')), false);
    assert.deepEqual(vm.inventory.counts, [94, 52, 15]);
  });
  it('keeps unreadable files and diagnostics visible', () => {
    assert.deepEqual(vm.unreadable, [{ file: '/notes/metrics-gone.log', reason: 'no such file' }]);
    const bad = analyzeCapture('vllm:x{a="b"} 1\nnot a sample line at all\n', '/notes/metrics-bad.log');
    const v2 = buildViewModel(compareCaptures([bad]));
    assert.equal(v2.captures[0]?.diagnostics.length, 1);
    assert.match(v2.findings.join('\n'), /metrics-bad\.log has 1 malformed line/);
  });
  it('is plain data that survives postMessage', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(vm)), vm);
  });
});

describe('webview messages are validated', () => {
  it('accepts the declared messages only', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'setBaseline', index: 2 }), { type: 'setBaseline', index: 2 });
    assert.deepEqual(parseWebviewMessage({ type: 'export', format: 'csv', stat: 'p90', extra: 1 }), { type: 'export', format: 'csv', stat: 'p90' });
    for (const bad of [null, 'ready', { type: 'setBaseline', index: -1 }, { type: 'setBaseline', index: 1.5 }, { type: 'export', format: 'exe', stat: 'mean' }, { type: 'export', format: 'csv', stat: 'p42' }, { type: 'eval', code: 'x' }, { type: 'openFile', index: '0' }]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });
  it('checks restored panel state', () => {
    assert.equal(isPanelState({ files: ['/a.log'], baseline: 0, stat: 'mean' }), true);
    assert.equal(isPanelState({ files: [1], baseline: 0, stat: 'mean' }), false);
    assert.equal(isPanelState({ files: [], baseline: 0, stat: 'median' }), false);
    assert.equal(isPanelState(undefined), false);
  });
});

describe('notes folders and capture files', () => {
  const root = mkdtempSync(join(tmpdir(), 'dyn-notes-'));
  const ws = join(root, 'dynamo1');
  mkdirSync(join(ws, 'notes'), { recursive: true });
  mkdirSync(join(root, 'utils', 'notes'), { recursive: true });
  mkdirSync(join(root, 'devnotes'), { recursive: true });
  const container = classifyContainer({
    Id: 'c'.repeat(64),
    Names: ['/vsc-dynamo1-abc-1'],
    Image: 'vsc-dynamo1-abc',
    State: 'running',
    Labels: { 'devcontainer.local_folder': ws },
    Mounts: [
      { Type: 'bind', Source: join(root, 'utils'), Destination: '/home/dynamo/utils', RW: false },
      { Type: 'bind', Source: join(root, 'devnotes'), Destination: '/home/dynamo/notes', RW: true },
      { Type: 'bind', Source: ws, Destination: '/workspace', RW: true },
      { Type: 'volume', Name: 'h', Source: '/var/lib/docker/volumes/h/_data', Destination: '/home/dynamo/.commandhistory', RW: true },
    ],
  });
  it('finds the workspace notes/, <utils>/notes and a mounted notes folder, each once', async () => {
    const found = await findNotesFolders({ configured: [], workspaceFolders: [ws], containers: [container] });
    assert.deepEqual(
      found.map((f) => [f.path, f.source, f.container ?? null]).sort(),
      [
        [join(root, 'devnotes'), 'container', 'vsc-dynamo1-abc-1'],
        [join(root, 'utils', 'notes'), 'container', 'vsc-dynamo1-abc-1'],
        [join(ws, 'notes'), 'workspace', null],
      ].sort(),
    );
  });
  it('uses exactly the configured folders when set (~ and relative paths expanded, missing ones skipped)', async () => {
    const found = await findNotesFolders({ configured: ['devnotes', '/nonexistent/notes'], workspaceFolders: [root], containers: [container] });
    assert.deepEqual(found.map((f) => [f.path, f.source]), [[join(root, 'devnotes'), 'setting']]);
    assert.equal(expandPath('~/x', undefined, '/home/u'), '/home/u/x');
  });
  it('lists capture files only, newest first', async () => {
    const dir = join(ws, 'notes');
    writeFileSync(join(dir, 'metrics-vllm.log'), 'a 1\n');
    writeFileSync(join(dir, 'worker.prom'), 'a 1\n');
    writeFileSync(join(dir, 'todo.txt'), 'not metrics');
    writeFileSync(join(dir, 'metrics-vllm.soak.json'), '{}');
    writeFileSync(join(dir, 'metrics-vllm.soak.log'), 'soak log');
    const files = await listCaptureFiles(dir);
    assert.deepEqual(files.map((f) => f.name).sort(), ['metrics-vllm.log', 'worker.prom']);
    assert.equal(files.find((f) => f.name === 'metrics-vllm.log')?.framework, 'vllm');
    assert.equal(files.find((f) => f.name === 'worker.prom')?.framework, null);
    assert.deepEqual(await listCaptureFiles(join(root, 'missing')), []);
    assert.equal(isCaptureFileName('METRICS-SGLANG.TXT'), true);
    assert.equal(isCaptureFileName('inference-vllm.log'), false);
  });
});

describe('atomic export writes', () => {
  it('writes a new file, and keeps a dated backup of a replaced one, never overwriting a backup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dyn-atomic-'));
    const f = join(dir, 'comparison.csv');
    const now = new Date(2026, 10, 27, 12); // backups are named by the local date
    assert.equal(await writeFileAtomic(f, 'one', now), null);
    assert.equal(await writeFileAtomic(f, 'two', now), `${f}.2026-11-27.bak`);
    assert.equal(await writeFileAtomic(f, 'three', now), `${f}.2026-11-27.1.bak`);
    assert.equal(readFileSync(f, 'utf8'), 'three');
    assert.equal(readFileSync(`${f}.2026-11-27.bak`, 'utf8'), 'one');
    assert.equal(readFileSync(`${f}.2026-11-27.1.bak`, 'utf8'), 'two');
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes('.tmp-')), [], 'no temporary file left');
    assert.equal(await backupPath(join(dir, 'fresh.csv'), now), join(dir, 'fresh.csv.2026-11-27.bak'));
  });
  it('leaves the old content when the write fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dyn-atomic-'));
    await assert.rejects(writeFileAtomic(join(dir, 'missing-dir', 'x.csv'), 'data'));
    assert.deepEqual(readdirSync(dir), []);
  });
});
