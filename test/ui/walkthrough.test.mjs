// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The "Get started with Dynamo Dev Tools" walkthrough in the real workbench (code-server started by
// test/ui/runUi.mjs, Chromium through playwright-core): opened from the palette like a user would, its first
// step shown and already checked off (the fixture's engine answers), its button running Check Docker
// Connection; and Open Folder in Container from a container's context menu in a workbench without the
// Dev Containers extension: the message, and its button opening the Extensions view on that extension.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { escapeRe, failedShotName, openPage, until } from './support.mjs';

const URL_ = process.env.DYNAMO_UI_URL;
const SHOTS = process.env.DYNAMO_UI_SHOTS || join(import.meta.dirname, '..', '..', 'test-results', 'ui');
const fx = JSON.parse(process.env.DYNAMO_UI_FIXTURE || 'null');
const TITLE = 'Get started with Dynamo Dev Tools';

describe(`Walkthrough and Open Folder in Container in the workbench (VS Code ${process.env.DYNAMO_UI_VSCODE_VERSION ?? '?'})`, function () {
  this.timeout(120000);
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** @type {import('playwright-core').Page} */
  let page;

  const shot = (n) => page.screenshot({ path: join(SHOTS, `walkthrough-${n}.png`) });
  const widget = () => page.locator('.quick-input-widget');
  const input = () => widget().locator('input').first();
  const toast = (re) => page.locator('.notifications-toasts .notification-toast', { hasText: re });
  const editor = () => page.locator('.editor-group-container.active');

  /** Runs a palette command by its title. */
  async function palette(title) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input().waitFor({ timeout: 10000 });
    await input().fill(`>${title}`);
    await widget().locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
  }

  before(async () => {
    assert.ok(URL_ && fx, 'run through test/ui/runUi.mjs (DYNAMO_UI_URL / DYNAMO_UI_FIXTURE are not set)');
    mkdirSync(SHOTS, { recursive: true });
    ({ browser, page } = await openPage());
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await shot(failedShotName(this.currentTest.title)).catch(() => undefined);
  });

  after(async () => {
    await browser?.close();
  });

  /** The walkthrough's step button of `id` (docker, containers, …) in the Welcome editor. */
  const step = (id) => editor().locator(`.getting-started-step[data-step-id="dynamo-dev.dynamo-dev-tools#dynamo.gettingStarted#${id}"]`);
  const checked = async (id) => (await step(id).getAttribute('aria-checked')) === 'true';
  const sidebar = () => page.locator('#workbench\\.parts\\.sidebar');

  it('"Welcome: Open Walkthrough…" lists it; it opens on its first step, already checked off because Docker answers', async () => {
    await page.goto(URL_, { waitUntil: 'domcontentloaded', timeout: 90000 });
    await page.locator('.activitybar').getByRole('tab', { name: 'Dynamo' }).waitFor({ timeout: 90000 });
    await palette('Welcome: Open Walkthrough...');
    const entry = widget().locator('.quick-input-list .monaco-list-row', { hasText: TITLE }).first();
    await entry.waitFor({ timeout: 15000 });
    await shot('picker');
    await entry.click();
    await editor().locator('.gettingStartedSlideDetails h2.category-title', { hasText: TITLE }).waitFor({ timeout: 20000 });
    const titles = await editor().locator('.gettingStartedSlideDetails .getting-started-step .step-title').allInnerTexts();
    assert.deepEqual(
      titles.map((t) => t.trim()),
      ['Check that Docker is reachable', 'Find your dev containers', 'Collect metrics from a dev container', 'Compare captures', 'Sign in to GitHub to see PR checks'],
    );
    assert.equal(await step('docker').getAttribute('aria-expanded'), 'true', 'the first step is not the open one');
    assert.match(await step('docker').innerText(), /Check Docker Connection/);
    // onContext:dynamo.docker.state == ok || … : the fixture's engine answered, so the step is done
    await until(() => checked('docker'), 'the Docker step to be checked off', 20000);
    assert.equal(await checked('collect'), false);
    // its media: media/walkthrough/docker.md, rendered in a webview frame next to the steps
    const md = await until(async () => {
      for (const f of page.frames()) {
        const text = await f.evaluate(() => document.body?.innerText ?? '').catch(() => '');
        if (text.includes('Which Docker engine')) return text;
      }
      return null;
    }, "the Docker step's notes (media/walkthrough/docker.md) beside the steps", 30000);
    assert.match(md, /permission denied/);
    await shot('opened');
  });

  it('its "Check Docker Connection" button reports the engine; "Show Containers" opens the view, which checks off the second step', async () => {
    await step('docker').locator('.monaco-button', { hasText: 'Check Docker Connection' }).click();
    const note = toast(/Docker is reachable at/).first();
    await note.waitFor({ timeout: 20000 });
    const text = (await note.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Docker is reachable at \S+ \(from [^)]+\): \d+ dev containers?, \d+ running\./);
    await shot('check-docker');
    assert.equal(await checked('containers'), false, 'the Containers step was done before the view was shown');
    await note.locator('.monaco-button', { hasText: 'Show Containers' }).click();
    await sidebar().locator('.pane-header', { hasText: /Containers/i }).waitFor({ timeout: 20000 });
    await sidebar().locator('.monaco-list-row[role="treeitem"]', { hasText: fx.containers.dynamo1.name }).first().waitFor({ timeout: 30000 });
    await until(() => checked('containers'), 'the Containers step to be checked off once the view was shown', 20000);
  });

  it('Open Folder in Container from a container\'s context menu, without Dev Containers: the message, and its button shows the extension', async () => {
    const row = sidebar().locator('.monaco-list-row[role="treeitem"]', { hasText: fx.containers.dynamo1.name }).first();
    await row.hover();
    // the inline button next to Open Shell
    await row.locator('.action-label[aria-label="Open Folder in Container"]').waitFor({ timeout: 10000 });
    await row.click({ button: 'right' });
    const item = page.getByRole('menuitem', { name: 'Open Folder in Container', exact: true });
    await item.waitFor({ timeout: 10000 });
    await shot('context-menu');
    await item.click();
    const note = toast(/needs the Dev Containers extension/).first();
    await note.waitFor({ timeout: 20000 });
    assert.match((await note.innerText()).replace(/\s+/g, ' '), new RegExp(escapeRe('Open Folder in Container needs the Dev Containers extension (ms-vscode-remote.remote-containers), which is not installed.')));
    await shot('not-installed');
    await note.locator('.monaco-button', { hasText: 'Show Dev Containers Extension' }).click();
    // the Extensions view, searching for exactly that extension
    await sidebar().locator('.composite.title', { hasText: /Extensions/i }).waitFor({ timeout: 20000 });
    await until(async () => (await sidebar().locator('.extensions-search-container, .suggest-input-container').first().innerText()).includes('ms-vscode-remote.remote-containers'), 'the Extensions search box to hold the extension id', 20000);
    await shot('extensions-view');
  });
});
