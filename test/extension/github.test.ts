// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// CI at a glance in the real extension host, with the local GitHub API stand-in as dynamo.github.apiUrl
// and a real git repository (made with the git binary) as one of the workspace folders.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { GitHubSnapshot } from '../../src/github/ciFeature';
import { startGitHubServer, type GitHubServer } from '../support/github/server';
import { activate, type DynamoApi, waitFor } from './helpers';

const TOKEN = 'ghp_extensionHostTestToken0123456789abcd';
const BRANCH = 'feature/ci-glance';
const PR = 4242;
const HEAD = 'c0ffee'.padEnd(40, '1');

describe('CI at a glance (GitHub API stand-in, a real git repository)', function () {
  this.timeout(60000);
  let api: DynamoApi;
  let gh: GitHubServer;
  let repoDir: string;
  let failedRunId: number;
  let failedJobId: number;
  let runningJobId: number;

  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoDir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
  const cfg = () => vscode.workspace.getConfiguration('dynamo.github');
  const find = (nodes: GitHubSnapshot['checks'], label: string) => nodes.find((n) => n.label === label);

  before(async () => {
    api = await activate();
    gh = await startGitHubServer({ token: TOKEN });
    // ci.yml: a failed run (one failed job, one passed), pre-merge: passed; plus a nightly still running on another commit.
    const failed = gh.addWorkflowRun({ headSha: HEAD, branch: `pull-request/${PR}`, event: 'push', name: 'ci.yml', status: 'completed', conclusion: 'failure', jobs: [{ name: 'rust-tests', conclusion: 'failure' }, { name: 'lint', conclusion: 'success' }] });
    failedRunId = failed.run.id as number;
    failedJobId = failed.jobs[0]!.id as number;
    gh.addWorkflowRun({ headSha: HEAD, branch: BRANCH, event: 'pull_request', name: 'pre-merge.yml', status: 'completed', conclusion: 'success', jobs: [{ name: 'build (vllm)' }, { name: 'build (sglang)' }] });
    gh.addStatus(HEAD, { context: 'ci/gitlab', state: 'success' });
    gh.setRequiredChecks(['rust-tests', 'build (vllm)']);
    gh.addPull({ number: PR, head: BRANCH, headSha: HEAD });
    const running = gh.addWorkflowRun({ headSha: 'f'.repeat(40), branch: BRANCH, event: 'push', name: 'nightly.yml', status: 'in_progress', conclusion: null, jobs: [{ name: 'long', status: 'in_progress', conclusion: null }] });
    runningJobId = running.jobs[0]!.id as number;

    const folder = vscode.workspace.workspaceFolders![2]!;
    repoDir = folder.uri.fsPath;
    rmSync(join(repoDir, '.git'), { recursive: true, force: true });
    git('init', '-q', '-b', BRANCH);
    git('remote', 'add', 'origin', `https://github.com/${gh.owner}/${gh.repo}.git`);
    git('commit', '-q', '--allow-empty', '-m', 'work');
    await cfg().update('apiUrl', gh.url, vscode.ConfigurationTarget.Global);
    await cfg().update('pollPendingSeconds', 3600, vscode.ConfigurationTarget.Global);
    await cfg().update('pollSettledSeconds', 3600, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.commands.executeCommand('dynamo.github.signOut');
    for (const k of ['apiUrl', 'pollPendingSeconds', 'pollSettledSeconds']) await cfg().update(k, undefined, vscode.ConfigurationTarget.Global);
    rmSync(join(repoDir, '.git'), { recursive: true, force: true });
    api.prompts.answer(null);
    await gh.close();
  });

  it('without a token: the views offer sign-in, nothing is sent to the API, no status-bar item', async () => {
    const s = await waitFor(async () => {
      const x = await api.github.refresh();
      return x.phase === 'no-token' ? x : null;
    }, 'the no-token state');
    assert.equal(s.repo, `${gh.owner}/${gh.repo}`, 'the folder was recognised from its origin remote');
    assert.equal(s.branch, BRANCH);
    assert.equal(s.statusBar.visible, false);
    assert.deepEqual(s.checks, []);
    assert.equal(gh.requests.filter((r) => r.server === 'api').length, 0);
  });

  it('a token GitHub rejects is not stored; a good one is, and it reaches only the API host', async () => {
    await vscode.commands.executeCommand('dynamo.github.signInWithToken', 'ghp_wrongwrongwrongwrongwrongwrong0000');
    assert.equal((await api.github.refresh()).phase, 'no-token', 'the rejected token was not kept');
    await vscode.commands.executeCommand('dynamo.github.signInWithToken', TOKEN);
    const s = await waitFor(async () => {
      const x = await api.github.refresh();
      return x.phase === 'ok' ? x : null;
    }, 'the checks of the PR');
    assert.match(s.tokenSource ?? '', /Sign in to GitHub with a Token/);
    assert.ok(api.prompts.shown().some((m) => m.kind === 'info' && /^Signed in to 127\.0\.0\.1(:\d+)? as \S+ with a token/.test(m.message)));
    const logs = gh.requests.filter((r) => r.server === 'logs');
    assert.ok(logs.every((r) => r.authorization === undefined));
    assert.ok(gh.requests.filter((r) => r.server === 'api' && r.path !== '/user').every((r) => r.authorization === `Bearer ${TOKEN}`));
  });

  it('the PR Checks view groups the checks of the PR head, failures first, with required-ness and steps', async () => {
    const s = await api.github.snapshot();
    assert.equal(s.pr, PR);
    assert.equal(s.headSha, HEAD, 'the PR head from the API, not the local commit');
    assert.equal(s.state, 'failure');
    assert.deepEqual(
      s.checks.map((g) => [g.label, g.description, g.icon]),
      [
        ['ci.yml', '1 failed · 1 passed', 'error'],
        ['Commit statuses', '1 passed', 'pass'],
        ['pre-merge.yml', '2 passed', 'pass'],
      ],
    );
    const ci = s.checks[0]!;
    assert.deepEqual(ci.children!.map((c) => c.label), ['rust-tests', 'lint'], 'the failure first');
    assert.match(ci.children![0]!.description, /· required$/);
    assert.match(ci.children![1]!.description, /· optional$/);
    assert.match(ci.children![0]!.contextValue, /^check:run:job:failed:completed:url$/);
    assert.deepEqual(ci.children![0]!.children!.map((st) => `${st.label} ${st.icon}`).slice(-2), ['3. Build and test error', '4. Complete job circle-slash']);
    const runs = s.runs;
    assert.deepEqual(runs.map((r) => r.label), [`Commit ${HEAD.slice(0, 7)} (head of PR #${PR})`, `Branch ${BRANCH}`]);
    assert.deepEqual(find(runs, `Branch ${BRANCH}`)!.children!.map((r) => `${r.label} ${r.icon}`), ['nightly.yml sync~spin']);
  });

  it('the status bar shows the failing PR on an error background, and clicking it focuses the PR Checks view', async () => {
    const s = await api.github.snapshot();
    assert.equal(s.statusBar.visible, true);
    assert.equal(s.statusBar.text, `$(error) #${PR} $(check) 4 $(x) 1 $(clock) 0`);
    assert.equal(s.statusBar.background, 'statusBarItem.errorBackground', 'a required check failed');
    assert.match(s.statusBar.tooltip, /Failing:\n\n- \*\*required\*\* ci\\\.yml \/ rust\\-tests/);
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor(async () => !(await api.github.snapshot()).checksVisible, 'the PR Checks view hidden');
    await vscode.commands.executeCommand(s.statusBar.command!);
    await waitFor(async () => (await api.github.snapshot()).checksVisible, 'the PR Checks view visible after the click');
  });

  it('an unchanged PR costs no rate limit on the next poll (conditional requests)', async () => {
    const before = api.github.stats();
    await api.github.refresh();
    const after = api.github.stats();
    assert.ok(after.requests > before.requests, 'it did ask');
    assert.equal(after.pointsSpent, before.pointsSpent, `every answer was a 304 (${after.notModified - before.notModified} of ${after.requests - before.requests})`);
  });

  it('Re-run Failed Jobs lists the failed jobs, sends nothing when cancelled, and POSTs rerun-failed-jobs once confirmed', async () => {
    api.prompts.answer([undefined]);
    await vscode.commands.executeCommand('dynamo.github.rerunFailedJobs');
    const asked = api.prompts.shown().filter((m) => m.kind === 'confirm').at(-1)!;
    assert.equal(asked.message, 'Re-run 1 failed job in 1 workflow run?');
    assert.match(asked.detail ?? '', /^Re-run 1 failed job of "ci\.yml" \(attempt 2 of 3\)\.\n {2}• rust-tests \(failure\)$/);
    assert.equal(gh.actions.length, 0, 'cancelled: nothing sent');
    api.prompts.answer(['Re-run Failed Jobs']);
    await vscode.commands.executeCommand('dynamo.github.rerunFailedJobs');
    assert.deepEqual(gh.actions.map((a) => [a.kind, a.runId]), [['rerun-failed-jobs', failedRunId]]);
    const s = await api.github.snapshot();
    assert.equal(s.state, 'pending', 'the views were refreshed after the re-run');
    assert.match(s.statusBar.text, /^\$\(sync~spin\) #4242 /);
  });

  it('refuses a second re-run while that run is in progress (the /retest guardrail), without asking', async () => {
    const confirmsBefore = api.prompts.shown().filter((m) => m.kind === 'confirm').length;
    await vscode.commands.executeCommand('dynamo.github.rerunFailedJobs', { kind: 'run', target: { repo: `${gh.owner}/${gh.repo}`, label: 'ci.yml', runId: failedRunId, jobId: null, url: null, running: true, failed: false } });
    assert.equal(api.prompts.shown().filter((m) => m.kind === 'confirm').length, confirmsBefore);
    assert.match(api.prompts.shown().at(-1)!.message, /still in progress/);
    assert.equal(gh.actions.length, 1);
  });

  it('Show Log opens the job log read-only with ANSI codes and timestamps gone and the cursor on the first error; a running job says so', async () => {
    gh.setJobLog(failedJobId, '\u001b[36;1m2026-01-01T00:00:00.0000000Z cargo test\u001b[0m\n2026-01-01T00:00:01.0000000Z test result: FAILED. 1 failed\n2026-01-01T00:00:02.0000000Z ##[error]Process completed with exit code 101.\n');
    // the run was re-queued above; finish it so the log is served
    const job = gh.findJob(failedJobId)!;
    Object.assign(job, { status: 'completed', conclusion: 'failure' });
    const node = { kind: 'job', target: { repo: `${gh.owner}/${gh.repo}`, label: 'rust-tests', runId: failedRunId, jobId: failedJobId, url: null, running: false, failed: true } };
    await vscode.commands.executeCommand('dynamo.github.showLog', node);
    const editor = await waitFor(() => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'dynamo-gh-log'), 'the log editor');
    const text = editor.document.getText();
    assert.ok(!text.includes('\u001b'), 'no escape codes');
    assert.ok(!/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/.test(text), 'no timestamps');
    assert.equal(editor.document.languageId, 'log');
    assert.equal(editor.document.lineAt(editor.selection.active.line).text, 'test result: FAILED. 1 failed', 'the cursor on the first error line');
    assert.equal(editor.document.lineAt(1).text, '# 2 error lines: 4, 5');
    assert.equal(editor.document.lineAt(4).text, 'Error: Process completed with exit code 101.');
    // read-only as a user sees it: typing into the editor changes nothing
    await vscode.window.showTextDocument(editor.document, { preserveFocus: false });
    await vscode.commands.executeCommand('type', { text: 'typed-by-test' });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(editor.document.getText(), text, 'typing changed the log document');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    await vscode.commands.executeCommand('dynamo.github.showLog', { kind: 'job', target: { ...node.target, label: 'long', jobId: runningJobId } });
    assert.match(api.prompts.shown().at(-1)!.message, /^The log of "long" is not available yet: the job is in progress\./);
  });

  it('Cancel Run asks, then POSTs cancel; when the re-run finishes green, the optional notification says so', async () => {
    await cfg().update('notifyWhenChecksFinish', true, vscode.ConfigurationTarget.Global);
    try {
      const nightly = gh.runs.find((r) => r.name === 'nightly.yml')!;
      api.prompts.answer(['Cancel Run']);
      await vscode.commands.executeCommand('dynamo.github.cancelRun', { kind: 'run', target: { repo: `${gh.owner}/${gh.repo}`, label: 'nightly.yml', runId: nightly.id, jobId: null, url: null, running: true, failed: false } });
      assert.deepEqual(gh.actions.at(-1), { kind: 'cancel', runId: nightly.id, body: '' });
      assert.equal(api.prompts.shown().filter((m) => m.kind === 'confirm').at(-1)!.message, 'Cancel "nightly.yml"?');
      // the re-run of ci.yml finishes green on GitHub's side
      assert.equal((await api.github.refresh()).state, 'pending');
      const run = gh.findRun(failedRunId)!;
      for (const job of gh.jobs.get(failedRunId)!) Object.assign(job, { status: 'completed', conclusion: 'success' });
      for (const c of gh.checkRuns.get(HEAD)!) if (c.status !== 'completed' || c.conclusion !== 'success') Object.assign(c, { status: 'completed', conclusion: 'success' });
      Object.assign(run, { status: 'completed', conclusion: 'success' });
      const s = await api.github.refresh();
      assert.equal(s.state, 'success');
      assert.equal(s.statusBar.background, null);
      assert.equal(api.prompts.shown().at(-1)!.message, `PR #${PR}: checks passed.`);
    } finally {
      await cfg().update('notifyWhenChecksFinish', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a token GitHub stops accepting leads to a sign-in prompt, once', async () => {
    const remove = gh.fault('*', { kind: 'badCredentials' });
    try {
      const shownBefore = api.prompts.shown().length;
      const s = await api.github.refresh();
      assert.equal(s.phase, 'error');
      await api.github.refresh();
      const prompts = api.prompts.shown().slice(shownBefore).filter((m) => m.kind === 'error');
      assert.equal(prompts.length, 1, 'not repeated on the next poll');
      assert.match(prompts[0]!.message, /^GitHub rejected the token \(401 Bad credentials\)/);
      assert.ok(prompts[0]!.buttons.includes('Sign in with a Token'));
      assert.ok(!prompts[0]!.message.includes(TOKEN));
    } finally {
      remove();
    }
    assert.equal((await api.github.refresh()).phase, 'ok');
  });

  it('follows HEAD: another branch without a PR hides the status-bar item; Show Checks for PR… still shows any PR', async () => {
    git('checkout', '-q', '-b', 'scratch');
    const s = await waitFor(async () => {
      const x = await api.github.snapshot();
      return x.branch === 'scratch' && x.phase === 'no-pr' ? x : null;
    }, 'the branch switch picked up without a manual refresh', 30000);
    assert.equal(s.statusBar.visible, false);
    assert.match(s.viewMessage ?? '', /^No open pull request for scratch/);
    await vscode.commands.executeCommand('dynamo.github.showChecksForPr', `#${PR}`);
    const m = await api.github.snapshot();
    assert.equal(m.pr, PR);
    assert.equal(m.checks.length, 3);
    await vscode.commands.executeCommand('dynamo.github.showCurrentBranch');
    git('checkout', '-q', BRANCH);
  });
});
