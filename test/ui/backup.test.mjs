// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Dynamo: Back Up File in the real workbench (code-server started by test/ui/runUi.mjs, Chromium through
// playwright-core): a file created in the first workspace folder, right-clicked in the Explorer, "Back Up
// File" from the context menu; the notification names the backup, the backup is on disk with the same
// bytes, and "Reveal in Explorer" selects it in the Explorer.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeRe, failedShotName, openPage, until } from './support.mjs';

const URL_ = process.env.DYNAMO_UI_URL;
const SHOTS = process.env.DYNAMO_UI_SHOTS || join(import.meta.dirname, '..', '..', 'test-results', 'ui');
const fx = JSON.parse(process.env.DYNAMO_UI_FIXTURE || 'null');

describe(`Back Up File from the Explorer (VS Code ${process.env.DYNAMO_UI_VSCODE_VERSION ?? '?'})`, function () {
  this.timeout(180000);
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** @type {import('playwright-core').Page} */
  let page;
  const dir = fx ? fx.workspaceFolders[0].path : '';
  const name = `backup-ui-${randomBytes(3).toString('hex')}.txt`;
  const content = `line one\nline two: ${randomBytes(8).toString('hex')}\n`;
  /** Files of `dir` this test made: the file and its backups. */
  const ours = () => readdirSync(dir).filter((n) => n === name || n.startsWith(`${name}.`));

  const shot = (n) => page.screenshot({ path: join(SHOTS, `backup-${n}.png`) });
  const explorer = () => page.locator('#workbench\\.parts\\.sidebar');
  const row = (label) => explorer().locator('.monaco-list-row[role="treeitem"]').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRe(label)}\\s*$`) }) });

  before(async function () {
    assert.ok(URL_ && fx, 'run through test/ui/runUi.mjs (DYNAMO_UI_URL / DYNAMO_UI_FIXTURE are not set)');
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(dir, name), content);
    ({ browser, page } = await openPage());
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await shot(failedShotName(this.currentTest.title)).catch(() => undefined);
  });

  after(async () => {
    await browser?.close();
    if (dir) for (const n of ours()) rmSync(join(dir, n), { force: true });
  });

  it('right-click a file in the Explorer → Back Up File: the notification names the backup, which is on disk with the same content', async () => {
    await page.goto(URL_, { waitUntil: 'domcontentloaded', timeout: 90000 });
    await page.locator('.activitybar').getByRole('tab', { name: 'Dynamo' }).waitFor({ timeout: 90000 }); // the extension is up
    // "View: Show Explorer" always shows it (a click on its activity-bar tab closes the side bar when it is open)
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input[type="text"]');
    await input.waitFor({ timeout: 10000 });
    await input.fill('>View: Show Explorer');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'View: Show Explorer' }).first().waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
    await page.locator('#workbench\\.view\\.explorer').waitFor({ timeout: 30000 });
    // the first folder of the multi-root workspace; expand it when it is collapsed
    const root = row(fx.workspaceFolders[0].name).first();
    await root.waitFor({ timeout: 30000 });
    if ((await root.getAttribute('aria-expanded')) === 'false') await root.click();
    const file = row(name).first();
    await file.waitFor({ timeout: 30000 });
    await file.click({ button: 'right' });
    const item = page.getByRole('menuitem', { name: 'Back Up File', exact: true });
    await item.waitFor({ timeout: 10000 });
    await shot('context-menu');
    await item.click();

    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: `Backed up to ${name}.` });
    await toast.waitFor({ timeout: 20000 });
    await shot('notification');
    const backups = ours().filter((n) => n !== name);
    assert.equal(backups.length, 1, `one backup beside the file: ${backups.join(', ')}`);
    const [backup] = backups;
    assert.match(backup, new RegExp(`^${escapeRe(name)}\\.\\d{4}-\\d\\d-\\d\\d\\.bak$`));
    assert.equal(readFileSync(join(dir, backup), 'utf8'), content, 'the backup has the same content');
    assert.equal(readFileSync(join(dir, name), 'utf8'), content, 'the original is unchanged');
    const said = (await toast.innerText()).replace(/\s+/g, ' ');
    assert.ok(said.includes(`Backed up to ${backup}.`), said);
    assert.doesNotMatch(said, /gitignore/, 'the fixture folder is not a git repository: no .gitignore offer');
    for (const b of ['Open Backup', 'Reveal in Explorer']) assert.equal(await toast.getByRole('button', { name: b, exact: true }).count(), 1, `button ${b}`);

    await toast.getByRole('button', { name: 'Reveal in Explorer', exact: true }).click();
    await until(async () => (await row(backup).first().getAttribute('aria-selected')) === 'true', `${backup} selected in the Explorer`, 20000);
    await shot('revealed');
  });
});
