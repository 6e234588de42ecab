// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// CI at a glance in the real workbench (code-server started by test/ui/runUi.mjs, Chromium through
// playwright-core): the GitHub API stand-in (test/support/github/server.ts, bundled here with esbuild) is
// dynamo.github.apiUrl, the fixture's third folder becomes a git repository on a PR's branch. By keyboard
// and mouse: "Sign in to GitHub with a Token" from the palette, the status-bar item showing the failing PR
// on the error background, a click on it focusing the PR Checks view, the tree's rows, and Re-run Failed
// Jobs from a failed check's context menu, confirmed in the real modal dialog, reaching the server.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { failedShotName, openPage, until } from './support.mjs';

const URL_ = process.env.DYNAMO_UI_URL;
const SHOTS = process.env.DYNAMO_UI_SHOTS || join(import.meta.dirname, '..', '..', 'test-results', 'ui');
const fx = JSON.parse(process.env.DYNAMO_UI_FIXTURE || 'null');
const TOKEN = 'ghp_uiTierTestToken0123456789abcdefghij';
const BRANCH = 'feature/ci-glance';
const PR = 4242;
const HEAD = 'c0ffee'.padEnd(40, '2');

/** The TypeScript test server, bundled to an ES module in a temporary folder and imported. */
async function loadServerModule() {
  const dir = mkdtempSync(join(tmpdir(), 'dynamo-ui-gh-'));
  const outfile = join(dir, 'server.mjs');
  await esbuild.build({ entryPoints: [resolve(import.meta.dirname, '..', 'support', 'github', 'server.ts')], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning' });
  const mod = await import(pathToFileURL(outfile).href);
  rmSync(dir, { recursive: true, force: true });
  return mod;
}

describe(`CI at a glance in the workbench (VS Code ${process.env.DYNAMO_UI_VSCODE_VERSION ?? '?'})`, function () {
  this.timeout(180000);
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** @type {import('playwright-core').Page} */
  let page;
  let gh;
  let failedRunId = 0;
  const workspaceFile = fx ? join(fx.root, 'dynamo.code-workspace') : '';
  const repoDir = fx ? fx.workspaceFolders[2].path : '';
  let workspaceBefore = '';

  const shot = (n) => page.screenshot({ path: join(SHOTS, `github-${n}.png`) });
  const widget = () => page.locator('.quick-input-widget');
  const input = () => widget().locator('input').first();
  const ciItem = () => page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: `#${PR}` });
  const git = (...args) => execFileSync('git', args, { cwd: repoDir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });

  before(async function () {
    assert.ok(URL_ && fx, 'run through test/ui/runUi.mjs (DYNAMO_UI_URL / DYNAMO_UI_FIXTURE are not set)');
    mkdirSync(SHOTS, { recursive: true });
    const { startGitHubServer } = await loadServerModule();
    gh = await startGitHubServer({ token: TOKEN });
    const failed = gh.addWorkflowRun({ headSha: HEAD, branch: `pull-request/${PR}`, event: 'push', name: 'ci.yml', status: 'completed', conclusion: 'failure', jobs: [{ name: 'rust-tests', conclusion: 'failure' }, { name: 'lint' }] });
    failedRunId = failed.run.id;
    gh.addWorkflowRun({ headSha: HEAD, branch: BRANCH, event: 'pull_request', name: 'pre-merge.yml', status: 'completed', conclusion: 'success', jobs: [{ name: 'build (vllm)' }] });
    gh.setRequiredChecks(['rust-tests']);
    gh.addPull({ number: PR, head: BRANCH, headSha: HEAD });

    rmSync(join(repoDir, '.git'), { recursive: true, force: true });
    git('init', '-q', '-b', BRANCH);
    git('remote', 'add', 'origin', `https://github.com/${gh.owner}/${gh.repo}.git`);
    git('commit', '-q', '--allow-empty', '-m', 'work');

    workspaceBefore = readFileSync(workspaceFile, 'utf8');
    const ws = JSON.parse(workspaceBefore);
    ws.settings = { ...(ws.settings ?? {}), 'dynamo.github.apiUrl': gh.url };
    writeFileSync(workspaceFile, JSON.stringify(ws, null, 2));
    ({ browser, page } = await openPage());
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await shot(failedShotName(this.currentTest.title)).catch(() => undefined);
  });

  after(async () => {
    await browser?.close();
    if (workspaceBefore) writeFileSync(workspaceFile, workspaceBefore);
    if (repoDir) rmSync(join(repoDir, '.git'), { recursive: true, force: true });
    await gh?.close();
  });

  it('signs in with a token typed into the palette command, and the status bar shows the failing PR on the error background', async () => {
    await page.goto(URL_, { waitUntil: 'domcontentloaded', timeout: 90000 });
    await page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: 90000 });
    // the welcome view of PR Checks offers sign-in (no token anywhere yet): open the Dynamo container
    await until(async () => (await page.locator('.activitybar .action-item a[aria-label^="Dynamo"]').count()) > 0, 'the Dynamo activity-bar entry', 60000);
    await page.locator('.activitybar .action-item a[aria-label^="Dynamo"]').first().click();
    // PR Checks starts collapsed (the Containers view comes first): expand it
    const header = page.locator('.pane-header', { hasText: 'PR Checks' }).first();
    await header.waitFor({ timeout: 30000 });
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    await page.locator('.welcome-view-content', { hasText: 'Sign in to GitHub to see the checks' }).first().waitFor({ timeout: 30000 });
    await shot('signed-out');
    assert.equal(await ciItem().count(), 0, 'no status-bar item without a token');

    await page.keyboard.press('F1');
    await input().waitFor({ timeout: 10000 });
    await input().fill('>Dynamo: Sign in to GitHub with a Token');
    await widget().locator('.quick-input-list .monaco-list-row', { hasText: 'Sign in to GitHub with a Token' }).first().waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
    await until(async () => /Sign in to GitHub with a Token/.test((await widget().locator('.quick-input-title').textContent()) ?? ''), 'the token input box', 10000);
    assert.equal(await input().getAttribute('type'), 'password', 'the token is not shown while typed');
    await input().fill(TOKEN);
    await page.keyboard.press('Enter');
    await widget().waitFor({ state: 'hidden', timeout: 10000 });

    await ciItem().first().waitFor({ timeout: 30000 });
    const text = (await ciItem().first().innerText()).replace(/\s+/g, ' ').trim();
    assert.match(text, new RegExp(`^#${PR} 2 1 0$`), `status-bar text: ${text}`);
    const cls = (await ciItem().first().getAttribute('class')) ?? '';
    assert.match(cls, /error-kind/, `the error background (a required check failed): ${cls}`);
    await shot('status-bar');
    // the token went to the API host only, with the Bearer scheme
    assert.ok(gh.requests.filter((r) => r.server === 'api' && r.route !== '/user').every((r) => r.authorization === `Bearer ${TOKEN}`));
    assert.ok(gh.requests.filter((r) => r.server === 'logs').every((r) => r.authorization === undefined));
  });

  it('a click on the status-bar item focuses the PR Checks view, whose failing group lists the failure first', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').first().click();
    await ciItem().first().click();
    const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'PR Checks' }) });
    const rows = pane.locator('.monaco-list-row');
    await until(async () => (await rows.count()) >= 3, 'the PR Checks rows', 30000);
    const labels = await rows.evaluateAll((els) => els.map((e) => (e.querySelector('.label-name')?.textContent ?? '').trim()));
    assert.deepEqual(labels.slice(0, 3), ['ci.yml', 'rust-tests', 'lint']);
    assert.match((await rows.nth(1).innerText()).replace(/\s+/g, ' '), /^rust-tests\s*\d+m \d\ds · required$/);
    await shot('pr-checks');
  });

  it('Re-run Failed Jobs from the failed check\'s context menu asks in a modal dialog, then reaches GitHub', async () => {
    const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'PR Checks' }) });
    const row = pane.locator('.monaco-list-row', { hasText: 'rust-tests' }).first();
    await row.click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item', { hasText: 'Re-run Failed Jobs' }).first();
    await item.waitFor({ timeout: 10000 });
    await shot('context-menu');
    await item.click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15000 });
    const said = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(said, /Re-run 1 failed job in 1 workflow run\?/);
    assert.match(said, /rust-tests \(failure\)/);
    await shot('confirm');
    assert.equal(gh.actions.length, 0, 'nothing sent before the confirmation');
    await dialog.locator('.monaco-button', { hasText: 'Re-run Failed Jobs' }).first().click();
    await until(() => gh.actions.length > 0, 'the re-run request', 15000);
    assert.deepEqual(gh.actions.map((a) => [a.kind, a.runId]), [['rerun-failed-jobs', failedRunId]]);
    // the views refresh after the action: the re-queued job is pending, nothing failed any more
    await until(async () => /^#4242 2 0 1$/.test((await ciItem().first().innerText()).replace(/\s+/g, ' ').trim()) || null, 'the status bar to show the re-run job as pending', 15000);
    assert.doesNotMatch((await ciItem().first().getAttribute('class')) ?? '', /error-kind/);
    await shot('rerun-requested');
  });
});
