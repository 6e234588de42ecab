// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// "Dynamo: Collect Metrics…" in the real workbench (code-server, started by test/ui/runUi.mjs), with the
// keyboard only until the closing message: the command palette, the five quick-input steps (Enter on the
// defaults, the soak parameters typed), the cancellable progress notification naming the framework and
// step, the status bar item, then the "Saved metrics-vllm.log, …" notification whose Compare button opens
// the Compare view on the new capture; then a second run cancelled from its notification. The runs are
// real: the fake Dynamo stack in the fixture's dynamo1 container (test/fake-dynamo), captures saved to the
// fixture's notes folder (removed again afterwards). The container uses the host network: the runs use two
// free ports (workspace settings) instead of 8000/8081. Screenshots go to test-results/ui/collect-*.png.
import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, portInUse } from '../support/net.cjs';
import { failedShotName, openPage, sleep, until } from './support.mjs';

const URL_ = process.env.DYNAMO_UI_URL;
const SHOTS = process.env.DYNAMO_UI_SHOTS || join(import.meta.dirname, '..', '..', 'test-results', 'ui');
const fx = JSON.parse(process.env.DYNAMO_UI_FIXTURE || 'null');

describe(`Collect Metrics in the workbench (VS Code ${process.env.DYNAMO_UI_VSCODE_VERSION ?? '?'})`, function () {
  this.timeout(240000);
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** @type {import('playwright-core').Page} */
  let page;
  const pageErrors = [];
  const notes = fx ? join(fx.root, 'notes') : '';
  const workspaceFile = fx ? join(fx.root, 'dynamo.code-workspace') : '';
  const name = fx?.containers.dynamo1.name;
  let workspaceBefore = '';
  let notesBefore = new Set();

  const shot = async (shotName) => {
    await page.screenshot({ path: join(SHOTS, `collect-${shotName}.png`) });
  };
  const widget = () => page.locator('.quick-input-widget');
  const quickTitle = () => widget().locator('.quick-input-title');
  const focusedRow = () => widget().locator('.quick-input-list .monaco-list-row.focused');
  const input = () => widget().locator('input[type="text"]');
  /** Waits for the quick input of step `step` (the title ends with "(step/total)"). */
  const step = async (step, total, titleRe) => {
    const title = await until(async () => {
      const t = ((await quickTitle().textContent({ timeout: 2000 })) ?? '').trim();
      return (await widget().isVisible()) && t.includes(`(${step}/${total})`) ? t : null;
    }, `quick input step ${step}/${total}`);
    assert.match(title, titleRe);
    return title;
  };
  const toasts = () => page.locator('.notifications-toasts .notification-toast');

  /** Palette → the five steps, Enter on the defaults and the soak parameters typed; `first`: check and screenshot each step. */
  const collectThroughPicks = async (first, soak = '400 tokens × 5 requests × 1 worker', soakPrompt = '5 requests of up to 400 tokens') => {
    const shotIf = (n) => (first ? shot(n) : undefined);
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input().waitFor({ timeout: 10000 });
    await input().fill('>Dynamo: Collect Metrics');
    await widget().locator('.quick-input-list .monaco-list-row', { hasText: 'Dynamo: Collect Metrics…' }).first().waitFor({ timeout: 10000 });
    await shotIf('palette');
    await page.keyboard.press('Enter');

    await step(1, 5, /^Collect Metrics \(1\/5\)$/);
    await until(async () => ((await focusedRow().textContent()) ?? '').includes(name), `${name} to be the default container`, 10000);
    assert.ok((await widget().locator('.quick-input-list .monaco-list-row', { hasText: fx.containers.stopped.name }).count()) === 0, 'a stopped container is offered');
    await shotIf('step1-container');
    await page.keyboard.press('Enter');

    await step(2, 5, new RegExp(`^Collect Metrics on ${name} \\(2/5\\)$`));
    await until(async () => /^\s*vllm/.test((await focusedRow().textContent()) ?? ''), 'vllm to be the default framework', 10000);
    // the first label of each row (a recycled row may keep a hidden detail label of the previous step)
    const frameworks = await widget()
      .locator('.quick-input-list .monaco-list-row')
      .evaluateAll((rows) => rows.map((r) => (r.querySelector('.label-name')?.textContent ?? '').trim()));
    assert.deepEqual(frameworks, ['vllm', 'sglang', 'trtllm', 'all (vllm → sglang → trtllm)']);
    await shotIf('step2-framework');
    await page.keyboard.press('Enter');

    await step(3, 5, /: soak \(3\/5\)$/);
    if (first) assert.equal(await input().inputValue(), '1000 tokens × 5 requests × 1 worker');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('lots');
    await widget().locator('.quick-input-message', { hasText: /not a number/ }).waitFor({ timeout: 10000 });
    await shotIf('step3-invalid');
    await page.keyboard.press('Enter'); // refused
    await sleep(300);
    assert.match((await quickTitle().textContent()) ?? '', /\(3\/5\)/);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(soak);
    await widget().locator('.quick-input-message', { hasText: soakPrompt }).waitFor({ timeout: 10000 });
    await shotIf('step3-soak');
    await page.keyboard.press('Enter');

    await step(4, 5, /: soak engine \(4\/5\)$/);
    await until(async () => /soak_fe\.py/.test((await focusedRow().textContent()) ?? ''), 'soak_fe.py to be the default soak engine', 10000);
    await shotIf('step4-engine');
    await page.keyboard.press('Enter');

    await step(5, 5, /: save to \(5\/5\)$/);
    await until(async () => ((await focusedRow().textContent()) ?? '').includes(notes), `${notes} to be the default notes folder`, 10000);
    await shotIf('step5-notes');
    await page.keyboard.press('Enter');
    await widget().waitFor({ state: 'hidden', timeout: 10000 });
  };
  /** The fake inference.sh (like the real one) fails when port 8000 is taken, whatever the frontend port. */
  const port8000Free = () => until(async () => !(await portInUse(8000)), 'port 8000 to be free (another test run on this machine uses it)', 180000, 1000);

  before(async function () {
    assert.ok(URL_ && fx, 'run through test/ui/runUi.mjs (DYNAMO_UI_URL / DYNAMO_UI_FIXTURE are not set)');
    mkdirSync(SHOTS, { recursive: true });
    notesBefore = new Set(readdirSync(notes));
    const frontend = await freePort();
    let backend = await freePort();
    while (backend === frontend || backend === frontend + 1) backend = await freePort();
    workspaceBefore = readFileSync(workspaceFile, 'utf8');
    const ws = JSON.parse(workspaceBefore);
    ws.settings = { ...(ws.settings ?? {}), 'dynamo.collect.frontendPort': frontend, 'dynamo.collect.backendPort': backend };
    writeFileSync(workspaceFile, JSON.stringify(ws, null, 2));
    ({ browser, page } = await openPage());
    page.on('pageerror', (e) => pageErrors.push(e.message.split('\n')[0]));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await shot(failedShotName(this.currentTest.title)).catch(() => undefined);
    }
  });

  after(async () => {
    if (pageErrors.length > 0) console.log(`    (uncaught page errors seen: ${pageErrors.slice(0, 5).join(' | ')})`);
    await browser?.close();
    if (workspaceBefore) writeFileSync(workspaceFile, workspaceBefore);
    if (notes) for (const f of readdirSync(notes)) if (!notesBefore.has(f)) rmSync(join(notes, f), { force: true });
  });

  it('goes through the quick picks from the command palette with the keyboard', async () => {
    await page.goto(URL_, { waitUntil: 'domcontentloaded', timeout: 90000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator('.activitybar').getByRole('tab', { name: 'Dynamo' }).waitFor({ timeout: 60000 });
    await port8000Free();
    await collectThroughPicks(true);
  });

  it('shows a cancellable progress notification naming the framework and step, and a status bar item', async () => {
    const progress = toasts().filter({ hasText: `Collect Metrics on ${name}` });
    const text = await until(async () => {
      const t = (await progress.first().textContent({ timeout: 1000 })) ?? '';
      return /vllm: (Start the server|Wait until ready|Soak test|Scrape \/metrics|Save the capture|Clean up)[^(]*\(\d+ s\)…/.test(t) ? t : null;
    }, 'the progress notification to name a vllm step', 60000, 100);
    assert.match(text, /Collect Metrics on /);
    assert.equal(await progress.first().locator('.monaco-button', { hasText: 'Cancel' }).count(), 1, 'the progress notification has no Cancel button');
    const status = page.locator('.statusbar-item', { hasText: 'Collect Metrics:' });
    assert.match((await status.first().textContent({ timeout: 10000 })) ?? '', /Collect Metrics: (checks|vllm · \w+)/);
    await shot('progress');
  });

  it('ends with "Saved metrics-vllm.log, …", whose Compare opens the Compare view on the new capture', async () => {
    const done = toasts().filter({ hasText: /Saved metrics-vllm\.log/ });
    const clash = toasts().filter({ hasText: /failed: .*Port 8000 is already in use/ });
    for (let attempt = 0; ; attempt++) {
      await done.or(clash).first().waitFor({ timeout: 120000 });
      if ((await done.count()) > 0) break;
      if (attempt >= 2) assert.fail(`the run failed ${attempt + 1} times because port 8000 was taken: ${await clash.first().textContent()}`);
      console.log('      (port 8000 was taken by another test run meanwhile; collecting again)');
      await clash.first().hover();
      await clash.first().locator('.codicon-notifications-clear, .codicon-close').first().click();
      await clash.first().waitFor({ state: 'detached', timeout: 10000 });
      await port8000Free();
      await collectThroughPicks(false);
    }
    const message = (await done.first().locator('.notification-list-item-message').textContent()) ?? '';
    assert.equal(message, `Saved metrics-vllm.log, metrics-vllm-frontend.log, metrics-vllm.soak.json in ${notes}`);
    const buttons = (await done.first().locator('.monaco-button').allTextContents()).map((t) => t.trim()).filter(Boolean);
    assert.deepEqual(buttons.slice(0, 3), ['Compare', 'Show in Metrics View', 'Open Folder']);
    assert.equal(await page.locator('.statusbar-item', { hasText: 'Collect Metrics:' }).count(), 0, 'the status bar item stays after the run');
    await shot('done');
    await done.first().locator('.monaco-button', { hasText: 'Compare' }).click();

    await page.locator('.tabs-container [role="tab"]', { hasText: 'Compare: vLLM' }).waitFor({ timeout: 30000 });
    const outer = await (await page.locator('iframe.webview.ready').elementHandle({ timeout: 30000 }))?.contentFrame();
    assert.ok(outer, 'no webview frame');
    const inner = await (await outer.locator('iframe#active-frame').elementHandle({ timeout: 30000 }))?.contentFrame();
    assert.ok(inner, 'no active frame in the webview');
    const heads = await until(
      () =>
        inner.evaluate(() => {
          const ths = [...document.querySelectorAll('table#comparison thead th[data-framework]')];
          return ths.length > 0 ? ths.map((th) => ({ framework: th.getAttribute('data-framework'), file: th.querySelector('button')?.textContent ?? '', models: th.querySelector('.models')?.textContent ?? '' })) : null;
        }),
      'the Compare table to show the new capture',
    );
    assert.deepEqual(heads, [{ framework: 'vllm', file: 'metrics-vllm.log', models: 'Qwen/Qwen3-0.6B' }]);
    const rows = await inner.evaluate(() => [...document.querySelectorAll('table#comparison tbody tr[data-row]')].map((tr) => tr.getAttribute('data-row')));
    assert.ok(rows.includes('ttft.mean') && rows.includes('totalLines'), rows.join(', '));
    await shot('compare');
  });

  it('Cancel on the progress notification stops the run and says it is cleaning up', async () => {
    const progress = toasts().filter({ hasText: /Collect Metrics on .*vllm: Soak test/ });
    const clash = toasts().filter({ hasText: /failed: .*Port 8000 is already in use/ });
    for (let attempt = 0; ; attempt++) {
      await page.keyboard.press('Escape');
      await port8000Free();
      await collectThroughPicks(false, '2000 tokens × 30 requests × 1 worker', '30 requests of up to 2000 tokens');
      await progress.or(clash).first().waitFor({ timeout: 60000 });
      if ((await progress.count()) > 0) break;
      if (attempt >= 2) assert.fail(`the run failed ${attempt + 1} times because port 8000 was taken: ${await clash.first().textContent()}`);
      console.log('      (port 8000 was taken by another test run meanwhile; collecting again)');
      await clash.first().hover();
      await clash.first().locator('.codicon-notifications-clear, .codicon-close').first().click();
      await clash.first().waitFor({ state: 'detached', timeout: 10000 });
    }
    await shot('soak');
    await progress.first().locator('.monaco-button', { hasText: 'Cancel' }).click();
    // the workbench closes the cancelled notification; one without Cancel says what happens now
    const cleaning = toasts().filter({ hasText: new RegExp(`Collect Metrics on ${name}: Cancelling: cleaning up`) });
    await cleaning.first().waitFor({ timeout: 10000 });
    assert.equal(await cleaning.first().locator('.monaco-button', { hasText: 'Cancel' }).count(), 0);
    assert.match((await page.locator('.statusbar-item', { hasText: 'Collect Metrics:' }).first().textContent()) ?? '', /Collect Metrics: cancelling/);
    await sleep(250); // the toast fades in
    await shot('cancelling');
    const cancelled = toasts().filter({ hasText: new RegExp(`Collect Metrics on ${name} cancelled; clean-up: stopped \\d+ process`) });
    await cancelled.first().waitFor({ timeout: 60000 });
    await shot('cancelled');
    await until(async () => (await page.locator('.statusbar-item', { hasText: 'Collect Metrics:' }).count()) === 0, 'the status bar item to go', 10000);
  });
});
