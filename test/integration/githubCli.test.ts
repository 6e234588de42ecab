// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The GitHub REST client, loadChecks/rerun and the `checks` / `rerun` CLI against the local GitHub stand-in (no Docker).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AuthError, GitHubClient, HttpError, NotFoundError, RateLimitError } from '../../src/core/github/client';
import { loadChecks, rerunFailed } from '../../src/core/github/prChecks';
import { type GitHubServer, fakeSha, startGitHubServer } from '../support/githubServer';

const root = join(__dirname, '../..');
const TOKEN = 'ghp_TESTtokenDYNAMOdev0123456789abcdef';
const WRONG = 'ghp_WRONGtokenDYNAMOdev9876543210fedcba';
const REPO = 'ai-dynamo/dynamo';
const R = '/repos/{owner}/{repo}';
const home = mkdtempSync(join(tmpdir(), 'dynamo-gh-cli-'));

interface CliResult { code: number | null; stdout: string; stderr: string }

/** tsx by absolute URL, so the CLI also starts in folders outside the project. */
const TSX = pathToFileURL(require.resolve('tsx')).href;

/** Runs the CLI asynchronously (the stand-in lives in this process, so spawnSync would starve it). */
function cli(args: string[], token: string | undefined = TOKEN, cwd = root): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, GH_CONFIG_DIR: join(home, 'gh'), NO_COLOR: '1' };
  if (token !== undefined) { env.GH_ENTERPRISE_TOKEN = token; }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, join(root, 'src/cli/main.ts'), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function assertNoToken(...texts: string[]): void {
  for (const t of texts) {
    assert.ok(!t.includes(TOKEN), 'the token never appears');
    assert.ok(!t.includes(WRONG), 'the wrong token never appears');
  }
}

describe('GitHub client, checks and rerun (CLI) against the stand-in', function () {
  this.timeout(60000);
  let gh: GitHubServer;
  let client: GitHubClient;
  const head = fakeSha('feat/ci-glance');

  beforeEach(async () => {
    gh = await startGitHubServer({ token: TOKEN });
    client = new GitHubClient({ apiBase: gh.url, token: TOKEN });
    gh.addPull({ number: 42, head: 'feat/ci-glance', headSha: head });
  });
  afterEach(async () => { await gh.close(); });

  /** A failed Pre Merge run (build ok, test failed) on the PR's head, plus the pull-request/42 mirror run. */
  function scriptFailure(): { runId: number; mirrorId: number } {
    const { run } = gh.addWorkflowRun({
      headSha: head, branch: 'feat/ci-glance', name: 'Pre Merge', status: 'completed', conclusion: 'failure',
      jobs: [{ name: 'build' }, { name: 'test (vllm)', conclusion: 'failure' }],
    });
    const { run: mirror } = gh.addWorkflowRun({ headSha: head, branch: 'pull-request/42', name: 'GitLab mirror', event: 'push', jobs: [{ name: 'gpu-tests' }] });
    gh.addStatus(head, { context: 'ci/gitlab', state: 'pending' });
    gh.addStatus(head, { context: 'ci/gitlab', state: 'success' });
    gh.setRequiredChecks(['build', 'ci/gitlab']);
    return { runId: run.id, mirrorId: mirror.id };
  }

  describe('loadChecks', () => {
    it('finds the PR by branch, by number and takes a SHA as is; merges statuses, mirror runs by SHA, required from GraphQL', async () => {
      const { runId, mirrorId } = scriptFailure();
      const byBranch = await loadChecks(client, { repo: REPO, branch: 'feat/ci-glance' });
      const byNumber = await loadChecks(client, { repo: REPO, pr: 42 });
      const bySha = await loadChecks(client, { repo: REPO, sha: head });
      for (const r of [byBranch, byNumber, bySha]) {
        assert.equal(r.headSha, head);
        assert.equal(r.state, 'failure');
        assert.deepEqual(r.counts, { success: 3, failure: 1, pending: 0, skipped: 0, neutral: 0, total: 4 });
        assert.deepEqual(r.runs.map((x) => [x.id, x.branch, x.event]).sort(), [[runId, 'feat/ci-glance', 'pull_request'], [mirrorId, 'pull-request/42', 'push']].sort());
      }
      assert.equal(byBranch.pr, 42);
      assert.equal(byNumber.pr, 42);
      assert.equal(bySha.pr, null);
      const first = byNumber.checks[0]!;
      assert.deepEqual([first.name, first.bucket, first.workflow, first.runId], ['test (vllm)', 'failure', 'Pre Merge', runId]);
      const status = byNumber.checks.find((c) => c.source === 'status')!;
      assert.deepEqual([status.name, status.conclusion, status.required], ['ci/gitlab', 'success', true], 'newest status per context, required');
      assert.equal(byNumber.checks.find((c) => c.name === 'build')!.required, true);
      assert.equal(byNumber.checks.find((c) => c.name === 'gpu-tests')!.workflow, 'GitLab mirror');
      assert.equal(byNumber.checks.find((c) => c.name === 'test (vllm)')!.required, false);
      assert.equal(bySha.checks[0]!.required, null, 'no PR → required unknown');
      assert.equal(gh.requestsTo(`${R}/actions/runs`).every((q) => q.query.head_sha === head && q.query.branch === undefined), true, 'runs always by SHA');
      // The mirror branch name resolves to the PR when no PR has it as head.
      assert.equal((await loadChecks(client, { repo: REPO, branch: 'pull-request/42' })).pr, 42);
      await assert.rejects(loadChecks(client, { repo: REPO, branch: 'nope' }), NotFoundError);
    });

    it('collects 320 check runs over 4 pages of 100', async () => {
      const sha = fakeSha('many');
      gh.addCheckRuns(sha, 320, { conclusions: ['success', 'success', 'failure', 'skipped'] });
      const r = await loadChecks(client, { repo: REPO, sha });
      assert.deepEqual(r.counts, { success: 160, failure: 80, pending: 0, skipped: 80, neutral: 0, total: 320 });
      const pages = gh.requestsTo(`${R}/commits/{ref}/check-runs`).map((q) => [q.query.per_page, q.query.page ?? '1']);
      assert.deepEqual(pages, [['100', '1'], ['100', '2'], ['100', '3'], ['100', '4']]);
    });

    it('a second identical call is answered by 304s and spends no rate-limit points', async () => {
      scriptFailure();
      gh.addCheckRuns(head, 150, { prefix: 'extra' });
      const a = await loadChecks(client, { repo: REPO, pr: 42 });
      const used = gh.rate.core.used + gh.rate.graphql.used;
      const spent = client.stats.pointsSpent;
      const sent = client.stats.requests;
      const logged = gh.requests.length;
      const b = await loadChecks(client, { repo: REPO, pr: 42 });
      assert.deepEqual(b, a);
      const second = gh.requests.slice(logged);
      assert.ok(second.length >= 5, 'pull, 2 check-run pages, status, runs');
      assert.deepEqual([...new Set(second.map((q) => q.status))], [304]);
      assert.ok(second.every((q) => q.headers['if-none-match']));
      assert.equal(gh.rate.core.used + gh.rate.graphql.used, used, 'server: no points');
      assert.equal(client.stats.pointsSpent, spent, 'client: no points');
      assert.equal(client.stats.requests - sent, second.length);
      assert.equal(client.stats.notModified, second.length);
      gh.addCheckRun({ name: 'late', headSha: head });
      const c = await loadChecks(client, { repo: REPO, pr: 42 });
      assert.equal(c.counts.total, a.counts.total + 1, 'a change is seen');
    });
  });

  describe('client errors and the token', () => {
    it('401 → AuthError asking to sign in again; SAML 403 → AuthError for SSO; secondary limit → RateLimitError; 5xx → HttpError', async () => {
      const pull = `${R}/pulls/{pull_number}`;
      const bad = new GitHubClient({ apiBase: gh.url, token: WRONG });
      const e401 = await bad.get('/repos/ai-dynamo/dynamo/pulls/42').catch((e: unknown) => e);
      assert.ok(e401 instanceof AuthError);
      assert.equal(e401.status, 401);
      assert.match(e401.message, /sign in to GitHub again/);
      assertNoToken(e401.message, String(e401.stack));

      gh.fault(pull, { kind: 'saml', times: 1 });
      const saml = await client.get('/repos/ai-dynamo/dynamo/pulls/42').catch((e: unknown) => e);
      assert.ok(saml instanceof AuthError);
      assert.equal(saml.sso, true);
      assert.match(saml.message, /authorise the token for SSO at https:\/\/github.com\/orgs\/ai-dynamo\/sso/);

      gh.fault(pull, { kind: 'secondaryRateLimit', retryAfter: 90, times: 1 });
      const t0 = Date.now();
      const rl = await client.get('/repos/ai-dynamo/dynamo/pulls/42').catch((e: unknown) => e);
      assert.ok(rl instanceof RateLimitError);
      assert.equal(rl.secondary, true);
      assert.ok(rl.resetAt! >= t0 + 89_000 && rl.resetAt! <= Date.now() + 91_000, 'reset from Retry-After');
      assert.equal(client.rateLimit?.limited, true);

      gh.fault(pull, { kind: 'serverError', times: 1 });
      const e500 = await client.get('/repos/ai-dynamo/dynamo/pulls/42').catch((e: unknown) => e);
      assert.ok(e500 instanceof HttpError && !(e500 instanceof RateLimitError) && !(e500 instanceof AuthError));
      assert.equal(e500.status, 500);
      assert.ok((await client.get<{ number: number }>('/repos/ai-dynamo/dynamo/pulls/42')).number === 42);
    });

    it('sends the token to the API host only: a job-log redirect to another host goes without it', async () => {
      const { jobs } = gh.addWorkflowRun({ headSha: head, conclusion: 'failure', jobs: [{ name: 'test', conclusion: 'failure', log: 'the log\n' }] });
      const text = await client.getText(`/repos/ai-dynamo/dynamo/actions/jobs/${jobs[0]!.id}/logs`);
      assert.equal(text, 'the log\n');
      const api = gh.requests.filter((q) => q.server === 'api');
      const logs = gh.requests.filter((q) => q.server === 'logs');
      assert.equal(api[0]!.authorization, `Bearer ${TOKEN}`);
      assert.equal(api[0]!.headers['x-github-api-version'], '2022-11-28');
      assert.equal(api[0]!.headers['accept'], '*/*');
      assert.equal(logs.length, 1);
      assert.equal(logs[0]!.authorization, undefined);
      assert.equal(logs[0]!.headers['x-github-api-version'], undefined);
      assert.equal(client.stats.requests, 1, 'the log host is not counted');
    });
  });

  describe('rerunFailed', () => {
    it('refuses while a run for the SHA is in progress, at the attempt cap, and POSTs only when allowed', async () => {
      const { runId } = scriptFailure();
      const { run: nightly } = gh.addWorkflowRun({ headSha: head, name: 'Nightly', status: 'in_progress', jobs: [{ name: 'gpu', status: 'in_progress' }] });
      const busy = await rerunFailed(client, { repo: REPO, runId });
      assert.deepEqual(busy.rerun, []);
      assert.match(busy.plan.items[0]!.decision.reason, /still in progress.*Nightly/);
      Object.assign(nightly, { status: 'completed', conclusion: 'success' });
      const capped = await rerunFailed(client, { repo: REPO, pr: 42 }, { maxAttempts: 1 });
      assert.deepEqual(capped.rerun, []);
      assert.match(capped.plan.items[0]!.decision.reason, /limit 1/);
      assert.equal(gh.actions.length, 0, 'nothing reached the server');
      const ok = await rerunFailed(client, { repo: REPO, pr: 42 });
      assert.deepEqual(ok.rerun, [runId]);
      assert.deepEqual(ok.plan.items[0]!.decision.failedJobs.map((j) => j.name), ['test (vllm)']);
      assert.deepEqual(gh.actions.map((a) => [a.kind, a.runId]), [['rerun-failed-jobs', runId]]);
    });
  });

  describe('CLI', () => {
    it('checks --json: exact shape, exit 1 on failure, 2 pending, 0 success; the token never shows', async () => {
      const { runId } = scriptFailure();
      const r = await cli(['checks', '--repo', REPO, '--pr', '42', '--api-url', gh.url, '--json']);
      assert.equal(r.code, 1, r.stderr);
      assertNoToken(r.stdout, r.stderr);
      const j = JSON.parse(r.stdout) as Record<string, unknown> & { checks: Record<string, unknown>[]; runs: Record<string, unknown>[] };
      assert.deepEqual(Object.keys(j), ['repo', 'pr', 'headSha', 'state', 'counts', 'checks', 'runs']);
      assert.deepEqual([j.repo, j.pr, j.headSha, j.state], [REPO, 42, head, 'failure']);
      assert.deepEqual(j.counts, { success: 3, failure: 1, pending: 0, skipped: 0, neutral: 0 });
      assert.deepEqual(j.checks[0], {
        name: 'test (vllm)', workflow: 'Pre Merge', source: 'check-run', status: 'completed', conclusion: 'failure', required: false,
        url: j.checks[0]!.url, runId,
      });
      assert.match(String(j.checks[0]!.url), new RegExp(`/actions/runs/${runId}/job/`));
      assert.deepEqual(Object.keys(j.runs[0]!), ['id', 'name', 'event', 'branch', 'status', 'conclusion', 'attempt', 'url']);
      assert.ok(j.checks.some((c) => c.source === 'status'));

      const table = await cli(['checks', '--repo', REPO, '--branch', 'feat/ci-glance', '--api-url', gh.url]);
      assert.equal(table.code, 1);
      const lines = table.stdout.split('\n');
      assert.match(lines[0]!, /^ai-dynamo\/dynamo #42 @ [0-9a-f]{12}: failure \(1 failed, 0 pending, 3 passed/);
      assert.match(lines[3]!, /^✗\s+test \(vllm\)\s+Pre Merge\s+failure/, 'failures first');

      gh.addCheckRun({ name: 'slow', headSha: head, status: 'in_progress', conclusion: null });
      for (const c of gh.checkRuns.get(head)!) { if (c.conclusion === 'failure') { c.conclusion = 'success'; } }
      assert.equal((await cli(['checks', '--repo', REPO, '--sha', head, '--api-url', gh.url, '--json'])).code, 2);
      for (const c of gh.checkRuns.get(head)!) { if (c.status !== 'completed') { Object.assign(c, { status: 'completed', conclusion: 'success' }); } }
      assert.equal((await cli(['checks', '--repo', REPO, '--sha', head, '--api-url', gh.url])).code, 0);
    });

    it('checks: usage errors exit 3, a rejected token exits 4 with a sign-in hint and no token', async () => {
      const usage = await cli(['checks', '--repo', REPO, '--pr', '1', '--sha', 'abc1234', '--api-url', gh.url]);
      assert.equal(usage.code, 3);
      assert.match(usage.stderr, /exactly one of --pr, --sha or --branch/);
      const bad = await cli(['checks', '--repo', REPO, '--pr', '42', '--api-url', gh.url, '--json'], WRONG);
      assert.equal(bad.code, 4);
      assert.equal(bad.stdout, '');
      assert.match(bad.stderr, /401 Bad credentials.*sign in to GitHub again/);
      assertNoToken(bad.stdout, bad.stderr);
      assert.ok(gh.requests.some((q) => q.authorization === `Bearer ${WRONG}`), 'the token was sent to the API host');
    });

    it('checks without --repo: the current checkout\'s GitHub remote and branch (a repository made by git); clear usage errors', async () => {
      scriptFailure();
      const dir = realpathSync(mkdtempSync(join(tmpdir(), 'dynamo-gh-checkout-')));
      const gitEnv = { ...process.env, HOME: home, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
      const git = (cwd: string, ...args: string[]) => execFileSync('/usr/bin/git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();
      const repo = join(dir, 'dynamo');
      mkdirSync(join(repo, 'components/router'), { recursive: true });
      git(repo, 'init', '-q', '-b', 'main');
      git(repo, 'commit', '-q', '--allow-empty', '-m', 'base');
      git(repo, 'remote', 'add', 'fork', 'git@github.com:someone/dynamo.git');
      git(repo, 'remote', 'add', 'origin', `https://github.com/${REPO}.git`);
      git(repo, 'checkout', '-q', '-b', 'feat/ci-glance');

      const r = await cli(['checks', '--api-url', gh.url, '--json'], TOKEN, join(repo, 'components/router'));
      assert.equal(r.code, 1, r.stderr);
      const j = JSON.parse(r.stdout) as { repo: string; pr: number; headSha: string; state: string };
      assert.deepEqual([j.repo, j.pr, j.headSha, j.state], [REPO, 42, head, 'failure']);
      assert.deepEqual(gh.requestsTo(`${R}/pulls`).map((q) => q.query.head), ['ai-dynamo:feat/ci-glance'], 'the PR was found by the checked-out branch');
      const table = await cli(['checks', '--api-url', gh.url], TOKEN, repo);
      assert.match(table.stdout, /^ai-dynamo\/dynamo #42 @ [0-9a-f]{12}: failure/);
      const byPr = await cli(['checks', '--pr', '42', '--api-url', gh.url, '--json'], TOKEN, repo);
      assert.equal((JSON.parse(byPr.stdout) as { pr: number }).pr, 42, 'a target without --repo takes the repository from git');

      git(repo, 'checkout', '-q', '--detach');
      const sha = git(repo, 'rev-parse', 'HEAD');
      const detached = await cli(['checks', '--api-url', gh.url], TOKEN, repo);
      assert.equal(detached.code, 3);
      assert.equal(detached.stdout, '');
      assert.ok(detached.stderr.includes(`HEAD is detached at ${sha.slice(0, 12)} in ${repo}, so there is no branch to look up: pass --sha ${sha} (or --pr N)`), detached.stderr);
      assert.equal((await cli(['checks', '--sha', head, '--api-url', gh.url, '--json'], TOKEN, repo)).code, 1, '--sha works on a detached HEAD');

      const outside = await cli(['checks', '--api-url', gh.url], TOKEN, dir);
      assert.equal(outside.code, 3);
      assert.match(outside.stderr, new RegExp(`no --repo given and ${dir} is not in a git repository: pass --repo owner/name`));
      git(repo, 'remote', 'remove', 'fork');
      git(repo, 'remote', 'set-url', 'origin', '/srv/git/dynamo.git');
      const local = await cli(['checks', '--pr', '42', '--api-url', gh.url], TOKEN, repo);
      assert.equal(local.code, 3);
      assert.match(local.stderr, /the git repository at .* has no GitHub remote: pass --repo owner\/name/);
      // A GitHub Enterprise remote picks its host's API when none is set (nothing answers on 127.0.0.1:443).
      git(repo, 'remote', 'set-url', 'origin', `git@127.0.0.1:${REPO}.git`);
      const ghe = await cli(['checks', '--pr', '42'], TOKEN, repo);
      assert.equal(ghe.code, 4);
      assert.match(ghe.stderr, /Could not reach 127\.0\.0\.1\/repos\/ai-dynamo\/dynamo\/pulls\/42/);
      const usage = await cli(['checks', '--repo', REPO, '--api-url', gh.url], TOKEN, repo);
      assert.equal(usage.code, 3, 'with --repo a target is still required');
      assert.match(usage.stderr, /exactly one of --pr, --sha or --branch/);
      assertNoToken(r.stdout, r.stderr, detached.stderr, outside.stderr, local.stderr, ghe.stderr);
      rmSync(dir, { recursive: true, force: true });
    });

    it('rerun: refused by guardrails (exit 1), refused without --yes when not interactive (exit 3), --yes POSTs (exit 0)', async () => {
      const { runId } = scriptFailure();
      const { run: nightly } = gh.addWorkflowRun({ headSha: head, name: 'Nightly', status: 'in_progress' });
      const args = ['rerun', '--repo', REPO, '--run', String(runId), '--failed', '--api-url', gh.url];
      const busy = await cli([...args, '--yes']);
      assert.equal(busy.code, 1);
      assert.match(busy.stdout, /still in progress/);
      Object.assign(nightly, { status: 'completed', conclusion: 'success' });
      const capped = await cli([...args, '--yes', '--max-attempts', '1']);
      assert.equal(capped.code, 1);
      assert.match(capped.stdout, /limit 1/);
      const noYes = await cli(args);
      assert.equal(noYes.code, 3);
      assert.match(noYes.stdout, /Re-run 1 failed job.*\n.*test \(vllm\)/);
      assert.match(noYes.stderr, /without --yes/);
      assert.equal(gh.actions.length, 0, 'nothing re-run so far');
      const yes = await cli([...args, '--yes']);
      assert.equal(yes.code, 0, yes.stderr);
      assert.match(yes.stdout, new RegExp(`Re-run requested for run ${runId}`));
      assert.deepEqual(gh.actions.map((a) => [a.kind, a.runId]), [['rerun-failed-jobs', runId]]);
      assertNoToken(busy.stdout, busy.stderr, capped.stdout, noYes.stdout, noYes.stderr, yes.stdout, yes.stderr);
      assert.equal((await cli(['rerun', '--repo', REPO, '--run', String(runId), '--api-url', gh.url])).code, 3, '--failed is required');
    });
  });
});
