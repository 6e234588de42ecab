// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The Compare view (issue 4) in the real extension host: the Compare command with Explorer-style
// arguments, the panel's model against the metrics engine, the Metrics tree over `dynamo.notesFolders`
// and its file watcher, a panel following a compared file on disk, and unreadable / malformed captures.
// Expected figures come from the engine itself (src/core/metrics, as the CLI computes them); a few
// published ones (712 lines, TTFT 34.0ms "6.1× faster", …) are spelled out as well.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { summarize, withSoak } from '../../src/core/metrics/capture';
import { compareCaptures } from '../../src/core/metrics/compare';
import { parseExposition } from '../../src/core/metrics/parser';
import { loadSoakReport } from '../../src/core/metrics/soak';
import { buildViewModel } from '../../src/core/metrics/viewModel';
import type { CompareViewModel, RowView } from '../../src/shared/protocol';
import { activate, closeCompareTabs, compareTabs, realCapture, repoRoot, waitFor, type DynamoApi } from './helpers';

type Fw = 'vllm' | 'sglang' | 'trtllm';

/** What the engine makes of `files` (read from disk now): the model a panel must show. */
function engineModel(files: string[], baseline = 0, unreadable: { file: string; reason: string }[] = []): CompareViewModel {
  const captures = files.map((f) => summarize(parseExposition(readFileSync(f, 'utf8')), f));
  return buildViewModel(compareCaptures(captures, { baseline }), unreadable);
}

/** engineModel with the soak report beside each capture (metrics-vllm.soak.json), as the panel reads them. */
async function engineModelWithSoak(files: string[], baseline = 0): Promise<CompareViewModel> {
  const captures = await Promise.all(files.map(async (f) => withSoak(summarize(parseExposition(readFileSync(f, 'utf8')), f), await loadSoakReport(f))));
  return buildViewModel(compareCaptures(captures, { baseline }));
}

function row(m: CompareViewModel, id: string): RowView {
  const r = m.rows.find((x) => x.id === id);
  assert.ok(r, `no row ${id} in the model (rows: ${m.rows.map((x) => x.id).join(', ')})`);
  return r;
}

const texts = (m: CompareViewModel, id: string) => row(m, id).cells.map((c) => c.text);
const values = (m: CompareViewModel, id: string) => row(m, id).cells.map((c) => c.value);
const ratios = (m: CompareViewModel, id: string) => row(m, id).cells.map((c) => c.ratio);
const bests = (m: CompareViewModel, id: string) => row(m, id).cells.map((c) => c.best);
const filesOf = (m: CompareViewModel | undefined) => (m ? m.captures.map((c) => c.file) : []);
const sameFiles = (m: CompareViewModel | undefined, files: readonly string[]) => !!m && JSON.stringify(filesOf(m)) === JSON.stringify(files);
/** Rows the panel shows for one statistic (what `rows` in compare()'s answer counts). */
const visibleRows = (m: CompareViewModel, stat = 'mean') => m.rows.filter((r) => r.stat === null || r.stat === stat).length;

describe('Metrics: the Compare view and the Metrics tree', function () {
  this.timeout(90000);
  let api: DynamoApi;
  let dir: string;
  const cap: Record<Fw, string> = { vllm: '', sglang: '', trtllm: '' };
  const cfg = () => vscode.workspace.getConfiguration('dynamo');

  before(async () => {
    api = await activate();
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'dynamo-metrics-ext-')));
    for (const fw of ['vllm', 'sglang', 'trtllm'] as const) {
      cap[fw] = join(dir, `metrics-${fw}.log`);
      copyFileSync(realCapture(fw), cap[fw]);
    }
    await closeCompareTabs();
  });

  after(async () => {
    api?.metrics.setChecked([]);
    await cfg().update('notesFolders', undefined, vscode.ConfigurationTarget.Global);
    await closeCompareTabs().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Dynamo: Compare Metrics with Explorer arguments (uri, uris) opens a Compare webview tab showing the engine model', async () => {
    const files = [cap.vllm, cap.sglang, cap.trtllm];
    const uris = files.map((f) => vscode.Uri.file(f));
    await vscode.commands.executeCommand('dynamo.metrics.compare', uris[0], uris);
    const tab = await waitFor(() => compareTabs().find((t) => t.label === 'Compare: vLLM · SGLang · TensorRT-LLM'), 'a Compare webview tab titled "Compare: vLLM · SGLang · TensorRT-LLM"', 30000);
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    assert.ok(tab.isActive, 'the Compare tab is not the active tab of its group');
    const model = await waitFor(() => api.metrics.panels().find((m) => sameFiles(m, files)), 'the panel of the three captures to have a model');
    assert.deepEqual(model, engineModel(files));
    assert.deepEqual(
      model.captures.map((c) => [c.framework, c.frameworkLabel, c.name]),
      [
        ['vllm', 'vLLM', 'metrics-vllm.log'],
        ['sglang', 'SGLang', 'metrics-sglang.log'],
        ['trtllm', 'TensorRT-LLM', 'metrics-trtllm.log'],
      ],
    );
  });

  it('compare() paints a table whose rows and cells are the engine numbers (vLLM baseline)', async () => {
    const files = [cap.vllm, cap.sglang, cap.trtllm];
    const r = await api.metrics.compare(files);
    const expected = engineModel(files);
    assert.deepEqual(r.model, expected);
    assert.equal(r.rows, visibleRows(expected), 'rows painted by the webview (mean statistic)');
    const m = r.model;
    assert.equal(m.baseline, 0);
    assert.deepEqual(m.unreadable, []);
    assert.deepEqual(
      m.captures.map((c) => c.models),
      [['Qwen/Qwen3-0.6B'], ['Qwen/Qwen3-0.6B'], ['Qwen/Qwen3-0.6B']],
    );
    // The published figures of these three captures.
    assert.deepEqual(values(m, 'totalLines'), [712, 331, 164]);
    assert.deepEqual(values(m, 'uniqueMetrics'), [30, 42, 5]);
    assert.deepEqual(values(m, 'dynamoLines'), [95, 23, 23]);
    assert.deepEqual(texts(m, 'ttft.mean'), ['207ms', '1.56s', '34.0ms']);
    assert.deepEqual(bests(m, 'ttft.mean'), [false, false, true]);
    assert.deepEqual(ratios(m, 'ttft.mean'), ['', '7.5× slower', '6.1× faster']);
    assert.deepEqual(texts(m, 'e2e.mean'), ['1.79s', '2.17s', '865ms']);
    assert.deepEqual(texts(m, 'throughput.computed'), ['168 tok/s', '138 tok/s', '≈347 tok/s']);
    assert.deepEqual(bests(m, 'throughput.computed'), [false, false, true]);
    // Each latency metric has one row per statistic; the painted table shows one statistic.
    for (const stat of ['mean', 'p50', 'p90', 'p99']) assert.ok(m.rows.some((x) => x.id === `ttft.${stat}` && x.stat === stat), `ttft.${stat}`);
    assert.ok(r.rows < m.rows.length, `painted ${r.rows} of ${m.rows.length} rows: only the mean latency rows should show`);
    assert.ok(
      m.findings.some((f) => f.startsWith('TensorRT-LLM has the lowest mean time to first token: 34.0ms, 6.1× faster than vLLM (207ms)')),
      m.findings.join('\n'),
    );
    assert.ok(m.charts.some((c) => c.id === 'ttft.mean' && c.bars.length === 3));
  });

  describe('with dynamo.notesFolders set', () => {
    let notes: string;
    const n = (name: string) => join(notes, name);

    before(async () => {
      notes = join(dir, 'notes');
      mkdirSync(notes);
      copyFileSync(realCapture('vllm'), n('metrics-vllm.log'));
      copyFileSync(realCapture('sglang'), n('capture.prom')); // the name does not say: the content does
      writeFileSync(n('server.log'), 'not a metrics capture\n');
      writeFileSync(n('todo.txt'), 'neither\n');
      await cfg().update('notesFolders', [notes], vscode.ConfigurationTarget.Global);
    });

    after(async () => {
      api.metrics.setChecked([]);
      await cfg().update('notesFolders', undefined, vscode.ConfigurationTarget.Global);
    });

    it('lists exactly that folder and its two captures, with their frameworks', async () => {
      const snap = await waitFor(async () => {
        const s = await api.metrics.snapshot();
        return s.folders.length === 1 && s.folders[0]?.path === notes ? s : undefined;
      }, `the Metrics tree to list only ${notes}`);
      const folder = snap.folders[0];
      assert.ok(folder);
      assert.equal(folder.source, 'setting');
      assert.equal(folder.container, null);
      assert.deepEqual(
        [...folder.captures].sort((a, b) => a.name.localeCompare(b.name)),
        [
          { path: n('capture.prom'), name: 'capture.prom', framework: 'sglang', size: statSync(n('capture.prom')).size, checked: false },
          { path: n('metrics-vllm.log'), name: 'metrics-vllm.log', framework: 'vllm', size: statSync(n('metrics-vllm.log')).size, checked: false },
        ],
      );
    });

    it('follows the folder on disk without a refresh: a new capture appears, a deleted one disappears', async () => {
      // A watcher on a folder VS Code did not watch before goes live asynchronously (in code-server, in
      // the server's watcher process; seconds on a busy machine), and events before that are not
      // delivered to anyone. Make sure the notes folder's watcher is live with a probe capture, rewritten
      // until the tree shows it, before timing the real changes.
      const probe = n('metrics-probe.prom');
      const tProbe = Date.now();
      await waitFor(
        async () => {
          copyFileSync(realCapture('vllm'), probe);
          await new Promise((r) => setTimeout(r, 1500));
          const s = await api.metrics.snapshot({ cached: true });
          return s.folders[0]?.captures.some((c) => c.name === 'metrics-probe.prom');
        },
        'the notes folder watcher to report a probe capture',
        60000,
        0,
      );
      unlinkSync(probe);
      await waitFor(async () => {
        const s = await api.metrics.snapshot({ cached: true });
        return !s.folders[0]?.captures.some((c) => c.name === 'metrics-probe.prom');
      }, 'the probe capture to disappear from the Metrics tree');

      const t0 = Date.now();
      copyFileSync(realCapture('trtllm'), n('metrics-trtllm.log'));
      const added = await waitFor(async () => {
        const s = await api.metrics.snapshot({ cached: true });
        return s.folders[0]?.captures.find((c) => c.name === 'metrics-trtllm.log');
      }, 'metrics-trtllm.log to appear in the Metrics tree (file watcher)');
      assert.equal(added.framework, 'trtllm');
      assert.equal(added.path, n('metrics-trtllm.log'));
      const appearMs = Date.now() - t0;

      const t1 = Date.now();
      unlinkSync(n('capture.prom'));
      const after = await waitFor(async () => {
        const s = await api.metrics.snapshot({ cached: true });
        const names = s.folders[0]?.captures.map((c) => c.name) ?? [];
        return names.includes('capture.prom') ? undefined : names;
      }, 'capture.prom to disappear from the Metrics tree (file watcher)');
      assert.deepEqual([...after].sort(), ['metrics-trtllm.log', 'metrics-vllm.log']);
      console.log(`      (watcher live after ${t0 - tProbe} ms; then a capture added showed after ${appearMs} ms, one removed went after ${Date.now() - t1} ms)`);
    });

    it('keeps up with captures arriving one after another (each arrival relists the folder)', async () => {
      // The view relists on every change and sets up its watchers again each time: captures written a
      // moment apart (a capture script scraping several workers) must all show up.
      const names = ['metrics-burst-1.log', 'metrics-burst-2.log', 'metrics-burst-3.log', 'metrics-burst-4.log'];
      for (const name of names) {
        copyFileSync(realCapture('sglang'), n(name));
        await new Promise((r) => setTimeout(r, 400));
      }
      try {
        await waitFor(async () => {
          const s = await api.metrics.snapshot({ cached: true });
          const listed = s.folders[0]?.captures.map((c) => c.name) ?? [];
          return names.every((x) => listed.includes(x));
        }, `all of ${names.join(', ')} to appear in the Metrics tree (file watcher)`);
      } finally {
        for (const name of names) rmSync(n(name), { force: true });
      }
      await waitFor(async () => {
        const s = await api.metrics.snapshot({ cached: true });
        return !s.folders[0]?.captures.some((c) => c.name.startsWith('metrics-burst-'));
      }, 'the burst captures to disappear again');
    });

    it('Compare Metrics without arguments compares the checked captures, in the order they were checked', async () => {
      const files = [n('metrics-trtllm.log'), n('metrics-vllm.log')];
      api.metrics.setChecked(files);
      const snap = await api.metrics.snapshot({ cached: true });
      assert.deepEqual(
        snap.folders[0]?.captures.filter((c) => c.checked).map((c) => c.path).sort(),
        [...files].sort(),
      );
      await vscode.commands.executeCommand('dynamo.metrics.compare');
      const model = await waitFor(() => api.metrics.panels().find((m) => sameFiles(m, files)), 'a panel comparing the checked captures');
      assert.deepEqual(model, engineModel(files));
      await waitFor(() => compareTabs().find((t) => t.label === 'Compare: TensorRT-LLM · vLLM'), 'the tab "Compare: TensorRT-LLM · vLLM"');
      assert.deepEqual(texts(model, 'ttft.mean'), ['34.0ms', '207ms']);
      assert.deepEqual(ratios(model, 'ttft.mean'), ['', '6.1× slower']);
    });
  });

  it('reloads an open panel when a compared file changes on disk, without reopening it', async () => {
    const live = join(dir, 'live');
    mkdirSync(live);
    const files = [join(live, 'metrics-vllm.log'), cap.trtllm];
    copyFileSync(realCapture('vllm'), files[0] as string);
    const r = await api.metrics.compare(files);
    assert.deepEqual(texts(r.model, 'ttft.mean'), ['207ms', '34.0ms']);
    const panels = api.metrics.panels().length;
    const tabs = compareTabs().length;

    const text = readFileSync(files[0] as string, 'utf8');
    const sumLine = /^(vllm:time_to_first_token_seconds_sum\{[^}]*\}) 0\.4143967628479004$/m;
    assert.match(text, sumLine, 'the vLLM capture has the TTFT _sum line this test rewrites');
    writeFileSync(files[0] as string, text.replace(sumLine, '$1 4.143967628479004'));
    const expected = engineModel(files);
    assert.deepEqual(texts(expected, 'ttft.mean'), ['2.07s', '34.0ms'], 'the engine on the rewritten capture');

    const t0 = Date.now();
    const updated = await waitFor(() => api.metrics.panels().find((m) => !!m && sameFiles(m, files) && row(m, 'ttft.mean').cells[0]?.text === '2.07s'), 'the open panel to show the new TTFT (2.07s)');
    console.log(`      (panel reloaded ${Date.now() - t0} ms after the write)`);
    assert.deepEqual(updated, expected);
    assert.deepEqual(ratios(updated, 'ttft.mean'), ['', '61.0× faster']);
    assert.equal(api.metrics.panels().length, panels, 'a panel was opened or closed');
    assert.equal(compareTabs().length, tabs, 'a tab was opened or closed');
  });

  it('adds client-side rows when a soak report appears beside a compared capture, and follows it on disk', async () => {
    const live = join(dir, 'soak');
    mkdirSync(live);
    const files = [join(live, 'metrics-vllm.log'), join(live, 'metrics-sglang.log')];
    copyFileSync(realCapture('vllm'), files[0] as string);
    copyFileSync(realCapture('sglang'), files[1] as string);
    const report = join(live, 'metrics-vllm.soak.json');
    const hasClientRows = (m: CompareViewModel) => m.rows.some((x) => x.id.startsWith('soak.'));
    const r = await api.metrics.compare(files);
    assert.equal(hasClientRows(r.model), false, 'no client-side rows without a soak report');

    const t0 = Date.now();
    copyFileSync(join(repoRoot(), 'test', 'fixtures', 'soak', 'metrics-vllm.soak.json'), report);
    const shown = await waitFor(() => api.metrics.panels().find((m) => !!m && sameFiles(m, files) && hasClientRows(m)), 'the open panel to show client-side rows for the new soak report');
    console.log(`      (panel picked the soak report up ${Date.now() - t0} ms after it was written)`);
    assert.deepEqual(shown, await engineModelWithSoak(files));
    assert.equal(row(shown, 'soak.ttft.mean').group, 'client');
    assert.deepEqual(texts(shown, 'soak.requests'), ['19/20', 'N/A']);
    assert.deepEqual(texts(shown, 'soak.engine'), ['builtin', 'N/A']);
    assert.ok(shown.findings.some((f) => f.startsWith("vLLM: the client-side TTFT (p50 245ms) is 12.2× the server's")), shown.findings.join('\n'));

    writeFileSync(report, '{"schema": "dynamo-dev/soak@1", garbled');
    const broken = await waitFor(() => api.metrics.panels().find((m) => !!m && sameFiles(m, files) && m.captures[0]?.soakProblem), 'the open panel to report the garbled soak report');
    assert.equal(broken.captures[0]?.soakProblem?.file, report);
    assert.match(broken.captures[0]?.soakProblem?.reason ?? '', /^not valid JSON \(/);
    assert.equal(hasClientRows(broken), false);
    assert.deepEqual(broken.unreadable, [], 'the report is not a compared file');
    assert.deepEqual(broken, await engineModelWithSoak(files));

    unlinkSync(report);
    const gone = await waitFor(() => api.metrics.panels().find((m) => !!m && sameFiles(m, files) && !m.captures[0]?.soakProblem), 'the open panel to drop the deleted soak report');
    assert.deepEqual(gone, engineModel(files));
  });

  it('lists a missing file among the compared ones as unreadable and compares the others', async () => {
    const missing = join(dir, 'metrics-missing.log');
    const r = await api.metrics.compare([cap.vllm, missing, cap.trtllm]);
    const unreadable = [{ file: missing, reason: 'no such file' }];
    assert.deepEqual(r.model.unreadable, unreadable);
    assert.deepEqual(filesOf(r.model), [cap.vllm, cap.trtllm]);
    assert.deepEqual(r.model, engineModel([cap.vllm, cap.trtllm], 0, unreadable));
    assert.equal(r.rows, visibleRows(r.model));
    await waitFor(() => compareTabs().find((t) => t.label === 'Compare: vLLM · TensorRT-LLM'), 'the tab "Compare: vLLM · TensorRT-LLM"');
  });

  it('compares a malformed capture (a real one plus garbage lines) and carries its diagnostics', async () => {
    const bad = join(dir, 'metrics-sglang-bad.log');
    const garbage = ['this line is not a sample', 'sglang:broken{model_name="Qwen/Qwen3-0.6B" 1', 'sglang:no_value{model_name="Qwen/Qwen3-0.6B"}', '{"unterminated 1', 'sglang:bad_value{model_name="Qwen/Qwen3-0.6B"} twelve'];
    const clean = readFileSync(realCapture('sglang'), 'utf8');
    writeFileSync(bad, `${garbage[0]}\n${clean}${clean.endsWith('\n') ? '' : '\n'}${garbage.slice(1).join('\n')}\n`);

    const r = await api.metrics.compare([cap.vllm, bad]);
    const m = r.model;
    assert.deepEqual(m, engineModel([cap.vllm, bad]));
    const diags = m.captures[1]?.diagnostics ?? [];
    assert.equal(diags.length, garbage.length, `one diagnostic per garbage line: ${JSON.stringify(diags)}`);
    const cleanLines = clean.split('\n').length - (clean.endsWith('\n') ? 1 : 0);
    assert.deepEqual(
      diags.map((d) => d.line),
      [1, cleanLines + 2, cleanLines + 3, cleanLines + 4, cleanLines + 5],
    );
    assert.ok(diags.every((d) => d.message.length > 0));
    assert.ok(
      m.findings.some((f) => f.startsWith(`${bad} has ${garbage.length} malformed lines (first: line 1`)),
      m.findings.join('\n'),
    );
    // The rest was read: every figure but the line count is the clean capture's.
    const reference = engineModel([cap.vllm, cap.sglang]);
    assert.equal(m.captures[1]?.framework, 'sglang');
    for (const ref of reference.rows) {
      const got = row(m, ref.id);
      if (ref.id === 'totalLines') assert.equal(got.cells[1]?.value, (ref.cells[1]?.value ?? 0) + garbage.length);
      else assert.deepEqual(got.cells[1]?.value, ref.cells[1]?.value, `row ${ref.id}`);
    }
    assert.equal(m.rows.length, reference.rows.length);
  });
});
