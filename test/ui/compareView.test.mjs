// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The Compare view (issue 4) in the real workbench (code-server, started by test/ui/runUi.mjs): the three
// real captures are put into the fixture's notes folder (mounted into the dynamo1 container, which is how
// the Metrics view finds it), checked in the Metrics view and compared with the view's title button. The
// steps then read the table inside the webview's frames and check it against the metrics engine (the
// CLI's JSON and the engine's own view model), switch the baseline and the statistic, copy the Markdown
// table to the real clipboard, filter the inventory, reload the page (the serializer restores the panel)
// and compare a hostile capture. The vLLM and SGLang captures have client-side soak reports beside them
// (test/fixtures/soak), the hostile capture a hostile one. The steps run in order on one page; screenshots
// go to test-results/ui/compare-*.png.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { escapeRe, failedShotName, sleep, until } from './support.mjs';

const require = createRequire(import.meta.url);
const { launchChromium } = require('../support/codeShim.cjs');

const ROOT = resolve(import.meta.dirname, '..', '..');
const URL_ = process.env.DYNAMO_UI_URL;
const SHOTS = process.env.DYNAMO_UI_SHOTS || join(ROOT, 'test-results', 'ui');
const fx = JSON.parse(process.env.DYNAMO_UI_FIXTURE || 'null');

const FRAMEWORKS = ['vllm', 'sglang', 'trtllm'];
const HOSTILE_MODEL = '<img src=x onerror=alert(1)>';
const HOSTILE_HELP = '</script><script>alert(2)</script> Histogram of time to first token in seconds.';
const HOSTILE_NAME = 'vllm:<svg onload=alert(7)>';

/** The metrics engine (src/core/metrics), loaded through tsx: the source of truth for every figure. */
async function loadEngine() {
  const load = (m) => tsImport(join(ROOT, 'src', 'core', 'metrics', `${m}.ts`), import.meta.url);
  const [{ parseExposition }, { summarize, withSoak }, { compareCaptures }, { buildViewModel }, { toMarkdown }, { formatBytes }, { parseSoakReport }] = await Promise.all(['parser', 'capture', 'compare', 'viewModel', 'exports', 'notes', 'soak'].map(load));
  const { soakReportPathFor } = await tsImport(join(ROOT, 'src', 'core', 'inference', 'soakReport.ts'), import.meta.url);
  /** The soak report beside capture `f`, as loadSoakReport attaches it (read synchronously here). */
  const soakOf = (f) => {
    const file = soakReportPathFor(f);
    if (!existsSync(file)) return null;
    const r = parseSoakReport(readFileSync(file, 'utf8'));
    return 'report' in r ? { file, report: r.report } : { file, error: r.error };
  };
  return {
    formatBytes,
    /** The comparison and the Compare panel's view model for `files` (with their soak reports), as the extension computes them. */
    compare(files, baseline = 0) {
      const cmp = compareCaptures(
        files.map((f) => withSoak(summarize(parseExposition(readFileSync(f, 'utf8')), f), soakOf(f))),
        { baseline },
      );
      return { cmp, vm: buildViewModel(cmp), markdown: (stat = 'mean') => toMarkdown(cmp, stat) };
    },
  };
}

/** `dynamo-dev compare <files> --format json --baseline <b>` (the CLI on the same engine). */
function cliCompare(files, baseline) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'compare', ...files, '--format', 'json', '--baseline', baseline], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the CLI failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** What the webview table should show for `vm` and one statistic (read the same way as readPanel). */
function expectedTable(vm, stat) {
  return {
    heads: vm.captures.map((c, i) => ({ framework: c.framework, label: c.frameworkLabel, badge: i === vm.baseline, file: c.name, models: c.models.length > 0 ? c.models.join(', ') : null })),
    rows: vm.rows.filter((r) => r.stat === null || r.stat === stat).map((r) => ({ id: r.id, label: r.label, cells: r.cells.map((c) => ({ text: c.text, best: c.best, ratio: c.ratio })) })),
    findings: vm.findings,
    charts: vm.charts.filter((c) => c.stat === null || c.stat === stat).map((c) => ({ id: c.id, bars: c.bars.length })),
    baseline: String(vm.baseline),
    stat,
  };
}

/** Runs in the webview's document: the table, findings, charts and controls as text. */
function readPanelInPage() {
  const text = (e) => (e ? (e.textContent ?? '') : null);
  const table = document.querySelector('table#comparison');
  if (!table) return null;
  return {
    heads: [...table.querySelectorAll('thead th[data-framework]')].map((th) => ({
      framework: th.getAttribute('data-framework'),
      label: text(th.querySelector('.fw')?.firstChild ?? null),
      badge: th.querySelector('.badge') !== null,
      file: text(th.querySelector('button')),
      models: text(th.querySelector('.models')),
    })),
    rows: [...table.querySelectorAll('tbody tr[data-row]')].map((tr) => ({
      id: tr.getAttribute('data-row'),
      label: text(tr.querySelector('th')),
      cells: [...tr.querySelectorAll('td')].map((td) => ({ text: text(td.querySelector('.value')), best: td.classList.contains('best'), ratio: text(td.querySelector('.ratio')) ?? '' })),
    })),
    findings: [...document.querySelectorAll('#findings li')].map((li) => li.textContent),
    charts: [...document.querySelectorAll('#charts figure[data-chart]')].map((f) => ({ id: f.getAttribute('data-chart'), bars: f.querySelectorAll('rect').length })),
    baseline: document.querySelector('#baseline')?.value ?? null,
    stat: document.querySelector('input[name="stat"]:checked')?.value ?? null,
  };
}

/** Runs in the webview's document: the inventory rows (name, title = HELP text) and the count line. */
function readInventoryInPage() {
  const section = document.querySelector('#inventory');
  if (!section) return null;
  return {
    rows: [...section.querySelectorAll('tbody tr')].map((tr) => ({ name: tr.querySelector('th')?.textContent ?? '', help: tr.querySelector('th')?.getAttribute('title') ?? '' })),
    count: section.querySelector('.count')?.textContent ?? '',
  };
}

/**
 * Runs in the workbench page: the state of the Compare webview as the workbench last saved it (the
 * editor part's memento in IndexedDB), i.e. what the serializer will get after a reload; undefined when
 * no Compare editor is saved, null when one is saved without state.
 */
async function persistedCompareStateInPage() {
  const read = (db, store, key) =>
    new Promise((res, rej) => {
      const r = db.transaction(store, 'readonly').objectStore(store).get(key);
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
  for (const info of await globalThis.indexedDB.databases()) {
    if (!info.name?.startsWith('vscode-web-state-db-')) continue;
    const db = await new Promise((res, rej) => {
      const r = globalThis.indexedDB.open(info.name);
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    try {
      if (![...db.objectStoreNames].includes('ItemTable')) continue;
      const raw = await read(db, 'ItemTable', 'memento/workbench.parts.editor');
      if (typeof raw !== 'string') continue;
      const found = [];
      const walk = (node) => {
        if (!node || typeof node !== 'object') return;
        if (Array.isArray(node.editors)) for (const e of node.editors) if (e?.id === 'workbench.editors.webviewInput') found.push(JSON.parse(e.value));
        for (const v of Object.values(node)) walk(v);
      };
      walk(JSON.parse(raw));
      const input = found.find((x) => String(x.viewType).endsWith('dynamo.compare'));
      if (input) return typeof input.state === 'string' ? JSON.parse(input.state) : null;
    } finally {
      db.close();
    }
  }
  return undefined;
}

/** Runs in a document: what markup a hostile capture could have smuggled in. */
function markupInPage() {
  const all = [...document.querySelectorAll('*')];
  return {
    img: document.querySelectorAll('img').length,
    iframe: document.querySelectorAll('iframe').length,
    b: document.querySelectorAll('b').length,
    // VS Code injects one script of its own (#_vscodeApiScript, acquireVsCodeApi); the panel has one, with its nonce.
    scripts: [...document.querySelectorAll('script')].filter((s) => s.id !== '_vscodeApiScript').map((s) => `${(s.getAttribute('src') ?? 'inline').replace(/^.*\/(?=[^/]+$)/, '')} nonce=${s.nonce || s.getAttribute('nonce') ? 'yes' : 'no'}`),
    scriptTextWithAlert: [...document.querySelectorAll('script')].filter((s) => (s.textContent ?? '').includes('alert(')).length,
    onAttributes: all.flatMap((e) => [...e.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => `${e.tagName.toLowerCase()}[${a.name}]`)),
    /** Whether the init script that records alert/confirm/prompt calls runs in this document. */
    hooked: Array.isArray(globalThis.__dynamoDialogs),
    dialogs: globalThis.__dynamoDialogs ?? [],
  };
}

describe(`Compare view in the workbench (VS Code ${process.env.DYNAMO_UI_VSCODE_VERSION ?? '?'})`, function () {
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** @type {import('playwright-core').Page} */
  let page;
  /** @type {Awaited<ReturnType<typeof loadEngine>>} */
  let engine;
  const pageErrors = [];
  const dialogs = [];
  const notes = fx ? join(fx.root, 'notes') : '';
  const files = Object.fromEntries(FRAMEWORKS.map((f) => [f, join(notes, `metrics-${f}.log`)]));
  const three = () => FRAMEWORKS.map((f) => files[f]);
  const hostile = join(notes, 'metrics-xss.log');
  const soakFiles = ['metrics-vllm.soak.json', 'metrics-sglang.soak.json', 'metrics-xss.soak.json'].map((n) => join(notes, n));

  const shot = async (name, locator) => {
    const file = join(SHOTS, `compare-${name}.png`);
    await (locator ?? page).screenshot({ path: file });
    return file;
  };
  const sidebar = () => page.locator('#workbench\\.parts\\.sidebar');
  /** The Metrics pane of the Dynamo view container. */
  const metricsPane = () => sidebar().locator('.pane').filter({ has: page.locator('.pane-header', { hasText: /^\s*Metrics/ }) });
  const metricsRow = (label) =>
    metricsPane()
      .locator('.monaco-list-row[role="treeitem"]')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRe(label)}\\s*$`) }) });
  /** A tree item's check box (VS Code's Checkbox widget: the element itself carries the class and role). */
  const checkbox = (label) => metricsRow(label).locator('.custom-view-tree-node-item-checkbox').first();
  const isChecked = async (label) => {
    const cb = checkbox(label);
    const aria = await cb.getAttribute('aria-checked', { timeout: 10000 });
    return aria === null ? (await cb.getAttribute('class'))?.split(/\s+/).includes('checked') === true : aria === 'true';
  };
  const setChecked = async (label, want) => {
    if ((await isChecked(label)) === want) return;
    await checkbox(label).click();
    await until(async () => (await isChecked(label)) === want, `the check box of ${label} to be ${want ? 'checked' : 'cleared'}`, 10000);
  };
  /**
   * Sets several check boxes and waits until they all hold for a moment: a click that lands while the view
   * re-lists (a capture was just written) is re-rendered from the extension's state, which then says
   * whether the click counted; a box that flipped back is clicked again.
   */
  const setCheckedAll = async (wanted) => {
    await until(async () => {
      for (const [label, want] of Object.entries(wanted)) await setChecked(label, want);
      await sleep(700);
      for (const [label, want] of Object.entries(wanted)) if ((await isChecked(label)) !== want) return false;
      return true;
    }, `the check boxes ${JSON.stringify(wanted)} to hold`, 30000, 0);
  };
  const compareTab = (title) => page.locator('.tabs-container [role="tab"]', { hasText: title });
  /** The webview's inner document (two nested iframes), for locators. */
  const webview = () => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  /** The same document as a Frame, for evaluate(). */
  const webviewFrames = async () => {
    const outerEl = await page.locator('iframe.webview.ready').elementHandle({ timeout: 30000 });
    const outer = await outerEl?.contentFrame();
    if (!outer) throw new Error('no webview frame');
    const innerEl = await outer.locator('iframe#active-frame').elementHandle({ timeout: 30000 });
    const inner = await innerEl?.contentFrame();
    if (!inner) throw new Error('no active frame in the webview');
    return { outer, inner };
  };
  const readPanel = async () => (await webviewFrames()).inner.evaluate(readPanelInPage);
  const readInventory = async () => (await webviewFrames()).inner.evaluate(readInventoryInPage);
  /** Waits until the panel shows `expected` (as expectedTable builds it); fails with the difference. */
  const panelShows = async (expected, what) => {
    let last = null;
    try {
      return await until(async () => {
        last = await readPanel();
        return last && JSON.stringify(last) === JSON.stringify(expected) ? last : null;
      }, what, 20000);
    } catch (e) {
      if (!last) throw e;
      assert.deepEqual(last, expected, what);
      throw e;
    }
  };
  const runCommand = async (title) => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input[type="text"]');
    await input.waitFor({ timeout: 10000 });
    await input.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
  };
  const clickCompareTitleButton = async () => {
    const button = metricsPane().locator('.pane-header .actions [role="button"][aria-label="Compare Metrics"], .pane-header .actions a.action-label[aria-label="Compare Metrics"]').first();
    await metricsPane().locator('.pane-header').hover();
    await button.click({ timeout: 10000 });
  };

  before(async function () {
    assert.ok(URL_ && fx, 'run through test/ui/runUi.mjs (DYNAMO_UI_URL / DYNAMO_UI_FIXTURE are not set)');
    mkdirSync(SHOTS, { recursive: true });
    engine = await loadEngine();
    mkdirSync(notes, { recursive: true });
    for (const f of FRAMEWORKS) copyFileSync(join(ROOT, 'test', 'fixtures', 'metrics', `ai-dynamo--${f}-worker.prom`), files[f]);
    // Client-side soak reports beside the vLLM (builtin engine) and SGLang (script engine) captures.
    for (const f of ['vllm', 'sglang']) copyFileSync(join(ROOT, 'test', 'fixtures', 'soak', `metrics-${f}.soak.json`), join(notes, `metrics-${f}.soak.json`));
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, permissions: ['clipboard-read', 'clipboard-write'] });
    // Every frame (the webview's too) records alert/confirm/prompt calls, also the ones a sandbox without
    // allow-modals would swallow without a dialog event.
    await context.addInitScript(() => {
      const seen = (globalThis.__dynamoDialogs = []);
      for (const name of ['alert', 'confirm', 'prompt']) {
        const original = globalThis[name];
        globalThis[name] = function (...args) {
          seen.push(`${name}(${args.map(String).join(', ')})`);
          return typeof original === 'function' ? original.apply(this, args) : undefined;
        };
      }
    });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message.split('\n')[0]));
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss().catch(() => undefined);
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await shot(failedShotName(this.currentTest.title)).catch(() => undefined);
    }
  });

  after(async () => {
    if (pageErrors.length > 0) console.log(`    (uncaught page errors seen: ${pageErrors.slice(0, 5).join(' | ')})`);
    await browser?.close();
    if (notes) for (const f of [...three(), hostile, ...soakFiles]) rmSync(f, { force: true });
  });

  it('lists the captures of the notes folder mounted into dynamo1 in the Metrics view', async () => {
    await page.goto(URL_, { waitUntil: 'domcontentloaded', timeout: 90000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    const tab = page.locator('.activitybar').getByRole('tab', { name: 'Dynamo' });
    await tab.waitFor({ timeout: 60000 });
    await tab.click();
    await metricsPane().waitFor({ timeout: 20000 });
    // Collapse the Containers pane so the Metrics pane has the room.
    const containersHeader = sidebar().locator('.pane-header', { hasText: /^\s*Containers/ });
    if ((await containersHeader.getAttribute('aria-expanded')) === 'true') await containersHeader.click();
    const folderLabel = `${basename(fx.root)}/notes`;
    await metricsRow(folderLabel).waitFor({ timeout: 30000 });
    assert.equal(await metricsRow(folderLabel).locator('.label-description').textContent(), `3 captures · mounted in ${fx.containers.dynamo1.name}`);
    const labels = { vllm: 'vLLM', sglang: 'SGLang', trtllm: 'TensorRT-LLM' };
    const pad = (n) => String(n).padStart(2, '0');
    for (const f of FRAMEWORKS) {
      const name = basename(files[f]);
      await metricsRow(name).waitFor({ timeout: 20000 });
      const st = statSync(files[f]);
      const d = new Date(st.mtimeMs);
      const when = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
      assert.equal(await metricsRow(name).locator('.label-description').textContent(), `${labels[f]} · ${when} · ${engine.formatBytes(st.size)}`, `description of ${name}`);
      assert.equal(await isChecked(name), false, `${name} starts unchecked`);
    }
    await shot('metrics-view');
  });

  it('compares the checked vLLM, SGLang and TensorRT-LLM captures from the title button: the table shows the engine figures', async () => {
    await setCheckedAll(Object.fromEntries(FRAMEWORKS.map((f) => [basename(files[f]), true])));
    await shot('checked');
    await clickCompareTitleButton();
    await compareTab('Compare: vLLM · SGLang · TensorRT-LLM').waitFor({ timeout: 30000 });
    await webview().locator('table#comparison').waitFor({ timeout: 30000 });

    const { vm } = engine.compare(three(), 0);
    const shown = await panelShows(expectedTable(vm, 'mean'), 'the panel (vLLM baseline, means) against the engine view model');
    // The CLI on the same files says the same numbers.
    const cli = cliCompare(three(), 'vllm');
    const values = (id) => vm.rows.find((r) => r.id === id).cells.map((c) => c.value);
    assert.deepEqual(values('totalLines'), cli.captures.map((c) => c.totalLines));
    assert.deepEqual(values('uniqueMetrics'), cli.captures.map((c) => c.uniqueMetrics));
    assert.deepEqual(values('dynamoLines'), cli.captures.map((c) => c.dynamoLines));
    assert.deepEqual(values('ttft.mean'), cli.captures.map((c) => c.ttft?.mean ?? null));
    assert.deepEqual(values('e2e.mean'), cli.captures.map((c) => c.e2e?.mean ?? null));
    assert.deepEqual(values('throughput.computed'), cli.captures.map((c) => c.throughput.computed));
    assert.deepEqual(shown.findings, cli.findings);
    // The published figures, as the cells read.
    const cells = (id) => shown.rows.find((r) => r.id === id)?.cells ?? [];
    assert.deepEqual(cells('totalLines').map((c) => c.text), ['712', '331', '164']);
    assert.deepEqual(cells('uniqueMetrics').map((c) => c.text), ['30', '42', '5']);
    assert.deepEqual(cells('dynamoLines').map((c) => c.text), ['95', '23', '23']);
    assert.deepEqual(cells('ttft.mean').map((c) => c.text), ['207ms', '1.56s', '34.0ms']);
    assert.deepEqual(cells('ttft.mean').map((c) => c.best), [false, false, true]);
    assert.deepEqual(cells('ttft.mean').map((c) => c.ratio), ['', '7.5× slower', '6.1× faster']);
    assert.deepEqual(cells('e2e.mean').map((c) => c.text), ['1.79s', '2.17s', '865ms']);
    assert.deepEqual(cells('throughput.computed').map((c) => c.text), ['168 tok/s', '138 tok/s', '≈347 tok/s']);
    assert.deepEqual(shown.heads.map((h) => [h.framework, h.label, h.badge, h.models]), [
      ['vllm', 'vLLM', true, 'Qwen/Qwen3-0.6B'],
      ['sglang', 'SGLang', false, 'Qwen/Qwen3-0.6B'],
      ['trtllm', 'TensorRT-LLM', false, 'Qwen/Qwen3-0.6B'],
    ]);
    assert.ok(shown.charts.some((c) => c.id === 'ttft.mean' && c.bars === 3), JSON.stringify(shown.charts));
    // The client-side rows from the soak reports beside the vLLM and SGLang captures, in their own group.
    assert.deepEqual(cells('soak.requests').map((c) => c.text), ['19/20', '10/10', 'N/A']);
    assert.deepEqual(cells('soak.engine').map((c) => c.text), ['builtin', 'script', 'N/A']);
    assert.deepEqual(cells('soak.ttft.mean').map((c) => c.text), ['278ms', 'N/A', 'N/A']);
    assert.deepEqual(cells('soak.e2e.mean').map((c) => [c.text, c.best, c.ratio]), [
      ['1.98s', true, ''],
      ['2.44s', false, '1.2× slower'],
      ['N/A', false, ''],
    ]);
    assert.equal(await webview().locator('tr.group th', { hasText: /^Client-side \(soak\)$/ }).count(), 1);
    assert.ok(shown.findings.some((f) => f.startsWith("vLLM's soak had 1 failed request of 20")), shown.findings.join('\n'));
    assert.deepEqual(cli.captures.map((c) => c.soak?.engine ?? null), ['builtin', 'script', null]);
    assert.equal(await webview().locator('#charts figure[data-chart="ttft.mean"] svg').count(), 1);
    await shot('table');
    await shot('panel', page.locator('.editor-group-container.active'));
  });

  it('switches the baseline to TensorRT-LLM: the badge and the ratios move', async () => {
    await webview().locator('#baseline').selectOption('2');
    const { vm } = engine.compare(three(), 2);
    const shown = await panelShows(expectedTable(vm, 'mean'), 'the panel with TensorRT-LLM as the baseline');
    assert.deepEqual(shown.heads.map((h) => h.badge), [false, false, true]);
    assert.equal(await webview().locator('th[data-framework="trtllm"] .badge').textContent(), 'baseline');
    assert.equal(await webview().locator('th[data-framework="vllm"] .badge').count(), 0);
    const ttft = shown.rows.find((r) => r.id === 'ttft.mean');
    assert.deepEqual(ttft?.cells.map((c) => c.ratio), ['6.1× slower', '45.8× slower', '']);
    await shot('baseline-trtllm');
  });

  it('shows the p90 latency rows when p90 is picked, and the means again on mean', async () => {
    await webview().locator('label[for="stat-p90"]').click();
    const { vm } = engine.compare(three(), 2);
    const shown = await panelShows(expectedTable(vm, 'p90'), 'the panel showing p90');
    const ids = shown.rows.map((r) => r.id);
    assert.ok(ids.includes('ttft.p90') && ids.includes('e2e.p90') && ids.includes('itl.p90'), ids.join(', '));
    assert.deepEqual(
      ids.filter((id) => /\.(mean|p50|p99)$/.test(id)),
      [],
      'latency rows of other statistics are shown',
    );
    assert.deepEqual(
      ids.filter((id) => vm.rows.find((r) => r.id === id)?.stat !== null),
      vm.rows.filter((r) => r.stat === 'p90').map((r) => r.id),
    );
    assert.ok(ids.includes('soak.e2e.p90') && ids.includes('soak.engine'), ids.join(', '));
    assert.equal(await webview().locator('#stat-p90').isChecked(), true);
    await shot('p90');
    await webview().locator('label[for="stat-mean"]').click();
    await panelShows(expectedTable(vm, 'mean'), 'the panel showing means again');
  });

  it('copies the comparison as a Markdown table to the clipboard', async () => {
    await page.bringToFront();
    await page.evaluate(() => globalThis.navigator.clipboard.writeText('(clipboard before the copy)'));
    await webview().locator('#export-markdown').click();
    await until(async () => (await webview().locator('#notice').textContent()) === 'Markdown table copied to the clipboard.', 'the notice "Markdown table copied to the clipboard."', 15000);
    const expected = engine.compare(three(), 2).markdown('mean');
    const clip = await until(async () => {
      const t = await page.evaluate(() => globalThis.navigator.clipboard.readText());
      return t !== '(clipboard before the copy)' ? t : null;
    }, 'the clipboard to change', 15000);
    assert.equal(clip, expected);
    assert.ok(clip.startsWith('| Framework | Total Lines |'), clip);
    const lines = clip.split('\n');
    const cellsOf = (label) => (lines.find((l) => l.startsWith(`| ${label} |`)) ?? '').split('|').map((c) => c.trim());
    const ttftCol = cellsOf('Framework').indexOf('TTFT');
    assert.ok(ttftCol > 0, lines[0]);
    assert.deepEqual(
      ['vLLM', 'SGLang', 'TensorRT-LLM'].map((l) => cellsOf(l)[ttftCol]),
      ['207ms', '1.56s', '**34.0ms**'],
    );
    await shot('markdown-copied');
  });

  it('filters the metric inventory as one types', async () => {
    const { vm } = engine.compare(three(), 2);
    const families = vm.inventory.families;
    const all = await readInventory();
    assert.deepEqual(
      all.rows,
      families.map((f) => ({ name: f.name, help: f.help })),
    );
    assert.equal(all.count, `${families.length} of ${families.length} families`);
    const q = 'time_to_first';
    await webview().locator('#inventory-filter').fill(q);
    const want = families.filter((f) => f.name.toLowerCase().includes(q) || f.help.toLowerCase().includes(q));
    assert.ok(want.length >= 3 && want.length < families.length, `${want.length} families match ${q}`);
    const filtered = await until(async () => {
      const inv = await readInventory();
      return inv && inv.rows.length === want.length ? inv : null;
    }, `the inventory to show the ${want.length} families matching "${q}"`, 10000);
    assert.deepEqual(
      filtered.rows.map((r) => r.name),
      want.map((f) => f.name),
    );
    assert.equal(filtered.count, `${want.length} of ${families.length} families`);
    await webview().locator('#inventory').scrollIntoViewIfNeeded();
    await shot('inventory-filtered');
    await webview().locator('#inventory-filter').fill('');
    await until(async () => (await readInventory())?.rows.length === families.length, 'the whole inventory again', 10000);
  });

  it('restores the panel through its serializer after a reload of the page', async () => {
    // The web workbench saves editor state (webview state included) on an idle timer, and a page unload
    // cannot wait for that write: reload once the panel's last state (TensorRT-LLM baseline, means) is
    // saved, as it would be after a moment's pause.
    const t0 = Date.now();
    const saved = await until(
      async () => {
        const st = await page.evaluate(persistedCompareStateInPage);
        return st && st.baseline === 2 && st.stat === 'mean' ? st : null;
      },
      'the workbench to save the Compare panel state (baseline 2, mean)',
      30000,
      1000,
    );
    assert.deepEqual(saved, { files: three(), baseline: 2, stat: 'mean' });
    console.log(`      (panel state saved by the workbench ${Date.now() - t0} ms after the last step)`);
    await page.reload({ waitUntil: 'domcontentloaded', timeout: 90000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await compareTab('Compare: vLLM · SGLang · TensorRT-LLM').waitFor({ timeout: 60000 });
    await webview().locator('table#comparison').waitFor({ timeout: 60000 });
    const { vm } = engine.compare(three(), 2);
    await panelShows(expectedTable(vm, 'mean'), 'the restored panel (TensorRT-LLM baseline, means)');
    await shot('restored');
  });

  it('shows a hostile capture literally: no markup, no script, no dialog', async () => {
    copyFileSync(join(ROOT, 'test', 'fixtures', 'hostile', 'metrics-xss.log'), hostile);
    copyFileSync(join(ROOT, 'test', 'fixtures', 'hostile', 'metrics-xss.soak.json'), join(notes, 'metrics-xss.soak.json'));
    await runCommand('View: Close All Editors');
    await until(async () => (await page.locator('iframe.webview').count()) === 0, 'the Compare panel to close', 15000);
    const tab = page.locator('.activitybar').getByRole('tab', { name: 'Dynamo' });
    if ((await metricsPane().count()) === 0) await tab.click();
    await metricsRow('metrics-xss.log').waitFor({ timeout: 30000 });
    assert.match((await metricsRow('metrics-xss.log').locator('.label-description').textContent()) ?? '', /^vLLM · /);
    await setCheckedAll({ 'metrics-vllm.log': false, 'metrics-sglang.log': false, 'metrics-trtllm.log': true, 'metrics-xss.log': true });
    await clickCompareTitleButton();
    await compareTab('Compare: TensorRT-LLM · vLLM').waitFor({ timeout: 30000 });
    await webview().locator('table#comparison').waitFor({ timeout: 30000 });

    const { vm } = engine.compare([files.trtllm, hostile], 0);
    const shown = await panelShows(expectedTable(vm, 'mean'), 'the panel comparing TensorRT-LLM and the hostile capture');
    assert.equal(shown.heads[1]?.models, HOSTILE_MODEL);
    assert.equal(await webview().locator('th[data-framework="vllm"] .models').textContent(), HOSTILE_MODEL);
    // The hostile soak report beside it: its model, target and error kind as text.
    const soakModel = shown.rows.find((r) => r.id === 'soak.model');
    assert.deepEqual(soakModel?.cells.map((c) => c.text), ['N/A', HOSTILE_MODEL]);
    assert.equal(await webview().locator('tr[data-row="soak.model"] td').nth(1).locator('.value').textContent(), HOSTILE_MODEL);
    assert.equal(await webview().locator('tr[data-row="soak.engine"] td').nth(1).getAttribute('title'), 'http://localhost:8000/v1/chat/completions"><script>alert(3)</script>');
    assert.ok(shown.findings.includes("vLLM's soak had 2 failed requests of 3 (<img src=x onerror=alert(4)> ×2): its client-side figures come from a run that did not fully succeed."), shown.findings.join('\n'));

    const inv = await readInventory();
    const ttft = inv.rows.find((r) => r.name === 'vllm:time_to_first_token_seconds');
    assert.deepEqual(ttft, { name: 'vllm:time_to_first_token_seconds', help: HOSTILE_HELP });
    assert.ok(
      inv.rows.some((r) => r.name === HOSTILE_NAME),
      `the quoted metric name is not listed literally: ${JSON.stringify(inv.rows.map((r) => r.name))}`,
    );
    assert.deepEqual(
      inv.rows,
      vm.inventory.families.map((f) => ({ name: f.name, help: f.help })),
    );
    await webview().locator('#inventory-filter').fill('alert(2)');
    await until(async () => {
      const r = (await readInventory())?.rows ?? [];
      return r.length === 1 && r[0].name === 'vllm:time_to_first_token_seconds' && r[0].help === HOSTILE_HELP;
    }, 'the inventory filtered by "alert(2)" to show the family with that HELP text', 10000);
    await shot('hostile');
    await webview().locator('#inventory').scrollIntoViewIfNeeded();
    await shot('hostile-inventory');
    await webview().locator('#inventory-filter').fill('');

    const { outer, inner } = await webviewFrames();
    const got = await inner.evaluate(markupInPage);
    assert.deepEqual(
      { img: got.img, iframe: got.iframe, b: got.b, scripts: got.scripts, scriptTextWithAlert: got.scriptTextWithAlert, onAttributes: got.onAttributes, hooked: got.hooked, dialogs: got.dialogs },
      { img: 0, iframe: 0, b: 0, scripts: ['webview.js nonce=yes'], scriptTextWithAlert: 0, onAttributes: [], hooked: true, dialogs: [] },
      'markup from the hostile capture reached the webview document',
    );
    const outerGot = await outer.evaluate(markupInPage);
    assert.equal(outerGot.img, 0, 'an img element in the webview host frame');
    assert.deepEqual([outerGot.hooked, outerGot.dialogs], [true, []]);
    assert.deepEqual(await page.evaluate(() => globalThis.__dynamoDialogs ?? []), []);
    await sleep(500); // an onerror handler would have run by now
    assert.deepEqual(dialogs, [], 'a dialog opened');
    assert.deepEqual((await inner.evaluate(markupInPage)).dialogs, []);
    // Control: an alert() that does run in the webview document is recorded (whether or not the sandbox
    // lets it open a dialog), so the empty records above mean something.
    const control = await inner.evaluate(() => {
      globalThis.alert('control');
      return globalThis.__dynamoDialogs.splice(0);
    });
    assert.deepEqual(control, ['alert(control)']);
  });
});
