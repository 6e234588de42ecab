// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Job logs, a run's jobs, a branch's runs, whole-run re-run and cancel against the local GitHub stand-in (no Docker).
import assert from 'node:assert/strict';
import { AuthError, GitHubClient, HttpError, NotFoundError } from '../../src/core/github/client';
import { cleanJobLog, fetchJobLog } from '../../src/core/github/logs';
import { cancelRun, loadBranchRuns, loadRunJobs, rerunRun, stepDurationMs } from '../../src/core/github/runs';
import { type GitHubServer, type Json, fakeSha, startGitHubServer } from '../support/githubServer';

const TOKEN = 'ghp_TESTtokenDYNAMOflows0123456789abcdef';
const REPO = 'ai-dynamo/dynamo';
const R = '/repos/{owner}/{repo}';

describe('GitHub flows: job logs, run jobs, branch runs, re-run and cancel against the stand-in', function () {
  this.timeout(60000);
  let gh: GitHubServer;
  let client: GitHubClient;
  const head = fakeSha('feat/flows');

  beforeEach(async () => {
    gh = await startGitHubServer({ token: TOKEN });
    client = new GitHubClient({ apiBase: gh.url, token: TOKEN });
  });
  afterEach(async () => { await gh.close(); });

  const posts = () => gh.requests.filter((q) => q.method === 'POST');

  describe('fetchJobLog', () => {
    it('ok: the raw log through the redirect, without the token on the log host; it cleans into its failure lines', async () => {
      const { jobs } = gh.addWorkflowRun({ headSha: head, conclusion: 'failure', jobs: [{ name: 'build' }, { name: 'test (vllm)', conclusion: 'failure' }] });
      const res = await fetchJobLog(client, REPO, jobs[1]!.id);
      assert.equal(res.kind, 'ok');
      const text = (res as { text: string }).text;
      assert.match(text, /^2026-01-01T00:00:00\.0000000Z ##\[group\]Runner Image\n/);
      const logs = gh.requests.filter((q) => q.server === 'logs');
      assert.equal(logs.length, 1);
      assert.equal(logs[0]!.authorization, undefined, 'no token to the log host');
      const clean = cleanJobLog(text);
      assert.equal(clean.text.split('\n')[0], '▶ Runner Image');
      assert.deepEqual(clean.errors.map((e) => e.text), ['test result: FAILED. 41 passed; 1 failed', 'Error: Process completed with exit code 101.']);
      const custom = 'line one\n\x1b[31m##[error]custom failure\x1b[0m\n';
      gh.setJobLog(jobs[0]!.id, custom);
      assert.deepEqual(await fetchJobLog(client, REPO, jobs[0]!.id), { kind: 'ok', text: custom });
    });

    it('not-finished while the job is queued or running (404, then the job\'s status)', async () => {
      const { jobs } = gh.addWorkflowRun({ headSha: head, status: 'in_progress', jobs: [{ name: 'gpu', status: 'in_progress' }, { name: 'docs', status: 'queued' }] });
      assert.deepEqual(await fetchJobLog(client, REPO, jobs[0]!.id), { kind: 'not-finished', status: 'in_progress' });
      assert.deepEqual(await fetchJobLog(client, REPO, jobs[1]!.id), { kind: 'not-finished', status: 'queued' });
      assert.deepEqual(gh.requests.map((q) => [q.route, q.status]), [
        [`${R}/actions/jobs/{job_id}/logs`, 404], [`${R}/actions/jobs/{job_id}`, 200],
        [`${R}/actions/jobs/{job_id}/logs`, 404], [`${R}/actions/jobs/{job_id}`, 200],
      ]);
    });

    it('expired on 410 Gone, and on a 404 for a completed job', async () => {
      const { jobs } = gh.addWorkflowRun({ headSha: head, jobs: [{ name: 'old' }, { name: 'older' }] });
      gh.setJobLog(jobs[0]!.id, null);
      assert.deepEqual(await fetchJobLog(client, REPO, jobs[0]!.id), { kind: 'expired' });
      assert.equal(gh.requestsTo(`${R}/actions/jobs/{job_id}`).length, 0, '410 needs no second look');
      gh.fault(`${R}/actions/jobs/{job_id}/logs`, { kind: 'notFound', times: 1 });
      assert.deepEqual(await fetchJobLog(client, REPO, jobs[1]!.id), { kind: 'expired' });
      assert.equal(gh.requestsTo(`${R}/actions/jobs/{job_id}`).length, 1);
    });

    it('an unknown job, a rejected token and server errors propagate as typed errors without the token', async () => {
      await assert.rejects(fetchJobLog(client, REPO, 1), NotFoundError);
      const { jobs } = gh.addWorkflowRun({ headSha: head, jobs: [{ name: 'build' }] });
      const bad = await fetchJobLog(new GitHubClient({ apiBase: gh.url, token: 'ghp_WRONGtokenDYNAMOflows9876543210fedcb' }), REPO, jobs[0]!.id).catch((e: unknown) => e);
      assert.ok(bad instanceof AuthError);
      assert.ok(!bad.message.includes('ghp_WRONG'));
      gh.fault(`${R}/actions/jobs/{job_id}/logs`, { kind: 'serverError', times: 1 });
      const e500 = await fetchJobLog(client, REPO, jobs[0]!.id).catch((e: unknown) => e);
      assert.ok(e500 instanceof HttpError && e500.status === 500);
      gh.fault(`${R}/actions/jobs/{job_id}`, { kind: 'serverError', times: 1 });
      gh.fault(`${R}/actions/jobs/{job_id}/logs`, { kind: 'notFound', times: 1 });
      await assert.rejects(fetchJobLog(client, REPO, jobs[0]!.id), (e: unknown) => e instanceof HttpError && e.status === 500);
    });
  });

  describe('loadRunJobs and loadBranchRuns', () => {
    it('loadRunJobs: every job over pages of 100, with steps; the latest attempt after a re-run', async () => {
      const specs = Array.from({ length: 130 }, (_, i) => ({ name: `job-${i + 1}`, conclusion: i === 7 ? 'failure' as const : 'success' as const }));
      const { run } = gh.addWorkflowRun({ headSha: head, conclusion: 'failure', jobs: specs });
      const jobs = await loadRunJobs(client, REPO, run.id);
      assert.equal(jobs.length, 130);
      assert.deepEqual(gh.requestsTo(`${R}/actions/runs/{run_id}/jobs`).map((q) => [q.query.per_page, q.query.page ?? '1']), [['100', '1'], ['100', '2']]);
      const failed = jobs.find((j) => j.conclusion === 'failure')!;
      assert.deepEqual([failed.name, failed.run_id, failed.status, failed.run_attempt], ['job-8', run.id, 'completed', 1]);
      assert.deepEqual(failed.steps!.map((s) => [s.number, s.name, s.conclusion]), [[1, 'Set up job', 'success'], [2, 'Run actions/checkout@v4', 'success'], [3, 'Build and test', 'failure'], [4, 'Complete job', 'skipped']]);
      assert.ok(failed.steps!.every((s) => typeof stepDurationMs(s) === 'number'));
      await client.post(`/repos/${REPO}/actions/runs/${run.id}/rerun-failed-jobs`);
      const after = await loadRunJobs(client, REPO, run.id);
      const again = after.find((j) => j.id === failed.id)!;
      assert.deepEqual([again.status, again.conclusion, again.run_attempt, again.steps], ['queued', null, 2, []]);
      await assert.rejects(loadRunJobs(client, REPO, 999), NotFoundError);
    });

    it('loadBranchRuns: one request for the newest N runs of the branch, as summaries', async () => {
      for (let i = 0; i < 25; i++) gh.addWorkflowRun({ headSha: fakeSha(`b${i}`), branch: 'feat/flows', name: `Run ${i}`, status: i === 24 ? 'in_progress' : 'completed' });
      gh.addWorkflowRun({ headSha: fakeSha('other'), branch: 'main', name: 'Other' });
      const runs = await loadBranchRuns(client, REPO, 'feat/flows');
      assert.equal(runs.length, 20);
      assert.deepEqual(runs.slice(0, 2).map((r) => [r.name, r.status, r.conclusion, r.branch, r.headSha]), [['Run 24', 'in_progress', null, 'feat/flows', fakeSha('b24')], ['Run 23', 'completed', 'success', 'feat/flows', fakeSha('b23')]]);
      assert.ok(runs.every((r) => r.branch === 'feat/flows' && r.createdAt && r.updatedAt && r.runStartedAt && r.attempt === 1));
      assert.deepEqual((await loadBranchRuns(client, REPO, 'feat/flows', 5)).map((r) => r.name), ['Run 24', 'Run 23', 'Run 22', 'Run 21', 'Run 20']);
      assert.deepEqual(await loadBranchRuns(client, REPO, 'nope'), []);
      assert.deepEqual(gh.requestsTo(`${R}/actions/runs`).map((q) => [q.query.branch, q.query.per_page, q.query.page]), [['feat/flows', '20', undefined], ['feat/flows', '5', undefined], ['nope', '20', undefined]]);
    });
  });

  describe('rerunRun', () => {
    it('refuses (no POST) while the run or another run of its SHA is queued or running, and at the attempt cap', async () => {
      const { run } = gh.addWorkflowRun({ headSha: head, name: 'Pre Merge', status: 'in_progress' });
      const self = await rerunRun(client, REPO, run.id);
      assert.equal(self.ok, false);
      assert.match((self as { reason: string }).reason, /^1 workflow run still in progress for [0-9a-f]{7} \(Pre Merge\); wait for it to finish\.$/);
      Object.assign(run, { status: 'completed', conclusion: 'failure' });
      const { run: other } = gh.addWorkflowRun({ headSha: head, name: 'Nightly', status: 'queued' });
      gh.addWorkflowRun({ headSha: fakeSha('unrelated'), name: 'Elsewhere', status: 'in_progress' });
      assert.match((await rerunRun(client, REPO, run.id) as { reason: string }).reason, /still in progress .*\(Nightly\)/);
      Object.assign(other, { status: 'completed', conclusion: 'success' });
      run.run_attempt = 3;
      assert.deepEqual(await rerunRun(client, REPO, run.id), { ok: false, reason: '"Pre Merge" has already run 3 attempts (limit 3); look at the failure instead of re-running again.' });
      assert.match((await rerunRun(client, REPO, run.id, { maxAttempts: 2 }) as { reason: string }).reason, /limit 2/);
      assert.deepEqual(posts(), [], 'nothing was posted');
      assert.deepEqual(await rerunRun(client, REPO, run.id, { maxAttempts: 4 }), { ok: true });
      assert.deepEqual(gh.actions.map((a) => [a.kind, a.runId]), [['rerun', run.id]]);
    });

    it('re-runs a whole completed run, successful or not: every job is queued again', async () => {
      const { run, jobs } = gh.addWorkflowRun({ headSha: head, name: 'Pre Merge', conclusion: 'success', jobs: [{ name: 'build' }, { name: 'test' }] });
      assert.deepEqual(await rerunRun(client, REPO, run.id), { ok: true });
      assert.deepEqual(posts().map((q) => q.path), [`/repos/${REPO}/actions/runs/${run.id}/rerun`]);
      assert.deepEqual([run.status, run.run_attempt, jobs.map((j: Json) => j.status)], ['queued', 2, ['queued', 'queued']]);
      const second = await rerunRun(client, REPO, run.id);
      assert.match((second as { reason: string }).reason, /still in progress/, 'its own new attempt now blocks it');
      await assert.rejects(rerunRun(client, REPO, 999), NotFoundError);
    });
  });

  describe('cancelRun', () => {
    it('cancels a running run; refuses (no POST) a finished one', async () => {
      const { run, jobs } = gh.addWorkflowRun({ headSha: head, name: 'Nightly', status: 'in_progress', jobs: [{ name: 'gpu', status: 'in_progress' }, { name: 'build' }] });
      assert.deepEqual(await cancelRun(client, REPO, run.id), { ok: true });
      assert.deepEqual([run.status, run.conclusion, jobs.map((j: Json) => j.conclusion)], ['completed', 'cancelled', ['cancelled', 'success']]);
      assert.deepEqual(await cancelRun(client, REPO, run.id), { ok: false, reason: `"Nightly" (run ${run.id}) has already finished (cancelled); nothing to cancel.` });
      const { run: done } = gh.addWorkflowRun({ headSha: head, name: '', conclusion: 'timed_out' });
      assert.deepEqual(await cancelRun(client, REPO, done.id), { ok: false, reason: `Run ${done.id} has already finished (timed out); nothing to cancel.` });
      assert.deepEqual(gh.actions.map((a) => [a.kind, a.runId]), [['cancel', run.id]]);
      assert.equal(posts().length, 1);
      await assert.rejects(cancelRun(client, REPO, 999), NotFoundError);
    });

    it('a 409 (the run finished between the look and the POST) is a refusal with GitHub\'s message; other errors propagate', async () => {
      const { run } = gh.addWorkflowRun({ headSha: head, name: 'Nightly', status: 'in_progress' });
      // The run completes right after the client has seen it running.
      const racing = new GitHubClient({
        apiBase: gh.url, token: TOKEN,
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          if (init?.method === 'GET' && String(input).endsWith(`/actions/runs/${run.id}`)) Object.assign(run, { status: 'completed', conclusion: 'success' });
          return res;
        },
      });
      assert.deepEqual(await cancelRun(racing, REPO, run.id), { ok: false, reason: 'Cannot cancel a workflow run that is completed.' });
      assert.equal(posts().length, 1);
      const { run: live } = gh.addWorkflowRun({ headSha: head, status: 'queued' });
      gh.fault(`POST ${R}/actions/runs/{run_id}/cancel`, { kind: 'serverError', times: 1 });
      await assert.rejects(cancelRun(client, REPO, live.id), (e: unknown) => e instanceof HttpError && e.status === 500);
      assert.equal(live.status, 'queued');
    });
  });
});
