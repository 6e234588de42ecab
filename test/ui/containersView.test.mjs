// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Drives the real workbench (code-server, started by test/ui/runUi.mjs) the way a user would: the Dynamo
// activity-bar tab, the Containers tree, a context-menu action and the command palette. The steps run in
// order on one page; each saves a screenshot to test-results/ui/.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { escapeRe, failedShotName, openPage, sleep } from './support.mjs';

const URL_ = process.env.DYNAMO_UI_URL;
const SHOTS = process.env.DYNAMO_UI_SHOTS || join(import.meta.dirname, '..', '..', 'test-results', 'ui');
const fx = JSON.parse(process.env.DYNAMO_UI_FIXTURE || 'null');

/** Polls `read` until its value matches `re` and stays the same for `quietMs`; returns that value. */
async function settled(read, re, quietMs = 1500, timeoutMs = 30000) {
  const until = Date.now() + timeoutMs;
  let last;
  let since = Date.now();
  while (Date.now() < until) {
    const v = await read();
    if (v !== last) [last, since] = [v, Date.now()];
    else if (re.test(v) && Date.now() - since >= quietMs) return v;
    await sleep(250);
  }
  throw new Error(`timed out waiting for a settled value matching ${re} (last: ${JSON.stringify(last)})`);
}

describe(`Dynamo Containers view in the workbench (VS Code ${process.env.DYNAMO_UI_VSCODE_VERSION ?? '?'})`, function () {
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** @type {import('playwright-core').Page} */
  let page;
  let shotNo = 0;
  const pageErrors = [];

  const shot = async (name) => {
    shotNo += 1;
    const file = join(SHOTS, `${String(shotNo).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    return file;
  };
  const sidebar = () => page.locator('#workbench\\.parts\\.sidebar');
  /** A row of the Containers tree whose label is exactly `label`. */
  const row = (label) =>
    sidebar()
      .locator('.monaco-list-row[role="treeitem"]')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRe(label)}\\s*$`) }) });
  const descriptionOf = async (label) => (await row(label).locator('.label-description').textContent())?.trim() ?? '';
  const activeEditor = () => page.locator('.editor-group-container.active');

  before(async function () {
    assert.ok(URL_ && fx, 'run through test/ui/runUi.mjs (DYNAMO_UI_URL / DYNAMO_UI_FIXTURE are not set)');
    mkdirSync(SHOTS, { recursive: true });
    ({ browser, page } = await openPage());
    page.on('pageerror', (e) => pageErrors.push(e.message.split('\n')[0]));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const name = failedShotName(this.currentTest.title);
      await shot(name).catch(() => undefined);
    }
  });

  after(async () => {
    if (pageErrors.length > 0) console.log(`    (uncaught page errors seen: ${pageErrors.slice(0, 5).join(' | ')})`);
    await browser?.close();
  });

  it('loads the workbench with the three-folder fixture workspace', async () => {
    await page.goto(URL_, { waitUntil: 'domcontentloaded', timeout: 90000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    // The extension contributes a view container: its tab appears once the extension host registered it.
    await page.locator('.activitybar').getByRole('tab', { name: 'Dynamo' }).waitFor({ timeout: 60000 });
    await shot('workbench');
  });

  it('opens the Dynamo view from the activity bar and lists the fixture containers in their groups', async () => {
    await page.locator('.activitybar').getByRole('tab', { name: 'Dynamo' }).click();
    // With two views (Containers, Metrics) the side bar is titled "Dynamo" and each view has a pane header.
    await sidebar().locator('.pane-header', { hasText: /Containers/i }).waitFor({ timeout: 20000 });
    const c = fx.containers;
    for (const label of ['dynamo1', 'dynamo2', 'dynamo3', 'Other dev containers', c.dynamo1.name, c.dynamo2.name, c.stopped.name, c.other.name]) {
      await row(label).waitFor({ timeout: 30000 });
    }
    assert.equal(await row(c.unrelated.name).count(), 0, 'a container that is not a dev container is listed');
    // Group order: the workspace folders first, in window order, then other dev containers.
    const labels = await sidebar().locator('.monaco-list-row[role="treeitem"][aria-level="1"] .label-name').allTextContents();
    assert.deepEqual(
      labels.map((l) => l.trim()).filter((l) => ['dynamo1', 'dynamo2', 'dynamo3', 'Other dev containers'].includes(l)),
      ['dynamo1', 'dynamo2', 'dynamo3', 'Other dev containers'],
    );
    assert.match(await descriptionOf(c.dynamo1.name), /^vllm · up /);
    assert.match(await descriptionOf(c.stopped.name), /^trtllm · exited/);
    assert.match(await descriptionOf(c.other.name), /^sglang · up /);
    // Widen the side bar like a user would (drag its sash), so the screenshots show whole rows.
    const box = await page.locator('#workbench\\.parts\\.sidebar').boundingBox();
    if (box) {
      const x = box.x + box.width + 1;
      const y = box.y + box.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x + 360, y, { steps: 8 });
      await page.mouse.up();
    }
    await shot('dynamo-view');
  });

  it('expands a container to show its mounts, the read-only one marked', async () => {
    const container = row(fx.containers.dynamo1.name);
    assert.equal(await container.getAttribute('aria-expanded'), 'false');
    await container.click();
    await page.waitForFunction(
      (name) => [...document.querySelectorAll('#workbench\\.parts\\.sidebar .monaco-list-row[role="treeitem"]')].some((r) => r.textContent?.includes(name) && r.getAttribute('aria-expanded') === 'true'),
      fx.containers.dynamo1.name,
      { timeout: 10000 },
    );
    for (const m of ['/workspace', '/home/dynamo/utils', '/home/dynamo/notes']) await row(m).waitFor({ timeout: 10000 });
    assert.match(await descriptionOf('/home/dynamo/utils'), /utils \(read-only\)$/);
    assert.doesNotMatch(await descriptionOf('/workspace'), /read-only/);
    assert.match(await descriptionOf('/workspace'), new RegExp(`${escapeRe(fx.root)}/dynamo1$`));
    await shot('mounts');
  });

  it('runs Inspect from the context menu of a container: a read-only JSON editor with its id opens', async () => {
    const c = fx.containers.dynamo1;
    await row(c.name).click({ button: 'right' });
    const menu = page.getByRole('menuitem', { name: 'Inspect', exact: true });
    await menu.waitFor({ timeout: 10000 });
    for (const item of ['Open Shell', 'Show Logs', 'Stop', 'Copy ID']) assert.equal(await page.getByRole('menuitem', { name: item, exact: true }).count(), 1, `context menu item ${item}`);
    await shot('context-menu');
    await menu.click();
    const tab = page.locator('.tabs-container [role="tab"]', { hasText: `${c.name}.json` });
    await tab.waitFor({ timeout: 20000 });
    const lines = activeEditor().locator('.view-lines');
    await lines.filter({ hasText: c.id }).waitFor({ timeout: 20000 });
    assert.match(await lines.innerText(), new RegExp(`"Id":\\s+"${c.id}"`));
    // Typing is refused: the editor is read-only.
    await lines.click();
    await page.keyboard.press('End');
    await page.keyboard.type('zz');
    await page.locator('.monaco-editor-overlaymessage', { hasText: /read-only/i }).waitFor({ timeout: 10000 });
    assert.doesNotMatch(await lines.innerText(), /zz/);
    await shot('inspect');
  });

  it('runs "Dynamo: Refresh" from the command palette and the tree is listed afresh', async () => {
    const other = fx.containers.other.name;
    // The uptime in a row's description ("sglang · up 12 seconds") is Docker's status text as of the last
    // listing, so a new listing changes it. Restart the container first so the text counts seconds (not
    // "About a minute"), and let the listing its events trigger settle: then only Refresh can change it.
    await new Docker().getContainer(fx.containers.other.id).restart({ t: 1 });
    const before = await settled(() => descriptionOf(other), /^sglang · up (Less than a second|\d+ seconds?)$/);
    await page.waitForTimeout(2000); // Docker's uptime text has one-second resolution
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input[type="text"]');
    await input.waitFor({ timeout: 10000 });
    await input.fill('>Dynamo: Refresh');
    const entry = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dynamo: Refresh' }).first();
    await entry.waitFor({ timeout: 10000 });
    await shot('palette');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
    await page.waitForFunction(
      ([name, old]) => {
        const r = [...document.querySelectorAll('#workbench\\.parts\\.sidebar .monaco-list-row[role="treeitem"]')].find((x) => x.querySelector('.label-name')?.textContent?.trim() === name);
        const d = r?.querySelector('.label-description')?.textContent?.trim();
        return !!d && d !== old;
      },
      [other, before],
      { timeout: 15000 },
    );
    assert.match(await descriptionOf(other), /^sglang · up /);
    assert.equal(await page.locator('.notifications-toasts .notification-toast').filter({ hasText: /error|failed/i }).count(), 0, 'an error notification appeared');
    await shot('refreshed');
  });
});
