// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import {
  type GitHubServer, type Json, MESSAGES, assertValidResponse, fakeSha, makeCheckRun, makeJob, makePullRequest, makeWorkflowRun,
  startGitHubServer, validateResponse,
} from '../support/githubServer';

interface Res { status: number; headers: Headers; body: unknown; text: string }

async function call(gh: GitHubServer, path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Res> {
  const res = await fetch(path.startsWith('http') ? path : `${gh.url}${path}`, { ...init, headers: { authorization: 'Bearer t0ken', ...init.headers } });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) { body = JSON.parse(text); }
  return { status: res.status, headers: res.headers, body, text };
}

const R = '/repos/{owner}/{repo}';
const repo = '/repos/ai-dynamo/dynamo';

describe('GitHub stand-in (test/support/githubServer)', function () {
  this.timeout(30000);
  let gh: GitHubServer;
  const head = fakeSha('feat/ci-glance');
  let failedRun: Json, failedJobs: Json[], runningJobs: Json[];

  beforeEach(async () => {
    gh = await startGitHubServer({ token: 't0ken' });
    gh.addPull({ number: 42, head: 'feat/ci-glance', headSha: head, title: 'feat: CI at a glance' });
    gh.addPull({ number: 43, head: 'fix/other', state: 'closed' });
    ({ run: failedRun, jobs: failedJobs } = gh.addWorkflowRun({
      headSha: head, branch: 'feat/ci-glance', name: 'Pre Merge', status: 'completed', conclusion: 'failure',
      jobs: [{ name: 'build' }, { name: 'test (vllm)', conclusion: 'failure' }, { name: 'lint', conclusion: 'success' }],
    }));
    ({ jobs: runningJobs } = gh.addWorkflowRun({
      headSha: head, branch: 'feat/ci-glance', name: 'Nightly', status: 'in_progress',
      jobs: [{ name: 'gpu-tests', status: 'in_progress' }, { name: 'docs', status: 'queued' }],
    }));
    gh.addStatus(head, { context: 'ci/gitlab', state: 'pending' });
    gh.addStatus(head, { context: 'ci/gitlab', state: 'success' });
    gh.addStatus(head, { context: 'license/cla', state: 'success', description: null, targetUrl: null });
    gh.setRequiredChecks(['build', 'ci/gitlab']);
  });
  afterEach(async () => { await gh.close(); });

  describe('OpenAPI validation', () => {
    it('every endpoint\'s responses validate against GitHub\'s OpenAPI description', async () => {
      const cases: [string, string, string, number][] = [
        ['GET', `${R}/pulls`, `${repo}/pulls?head=ai-dynamo:feat/ci-glance&state=open`, 200],
        ['GET', `${R}/pulls/{pull_number}`, `${repo}/pulls/42`, 200],
        ['GET', `${R}/pulls/{pull_number}`, `${repo}/pulls/999`, 404],
        ['GET', `${R}/commits/{ref}/check-runs`, `${repo}/commits/${head}/check-runs?per_page=100`, 200],
        ['GET', `${R}/commits/{ref}/status`, `${repo}/commits/${head}/status`, 200],
        ['GET', `${R}/commits/{ref}/statuses`, `${repo}/commits/${head}/statuses`, 200],
        ['GET', `${R}/actions/runs`, `${repo}/actions/runs?head_sha=${head}&branch=feat/ci-glance&per_page=100`, 200],
        ['GET', `${R}/actions/runs/{run_id}`, `${repo}/actions/runs/${failedRun.id}`, 200],
        ['GET', `${R}/actions/runs/{run_id}/jobs`, `${repo}/actions/runs/${failedRun.id}/jobs`, 200],
        ['GET', `${R}/actions/runs/{run_id}/jobs`, `${repo}/actions/runs/${gh.runs[0]!.id}/jobs`, 200],
        ['GET', `${R}/actions/jobs/{job_id}`, `${repo}/actions/jobs/${failedJobs[1]!.id}`, 200],
        ['GET', `${R}/actions/jobs/{job_id}`, `${repo}/actions/jobs/${runningJobs[1]!.id}`, 200],
        ['GET', `${R}/actions/jobs/{job_id}/logs`, `${repo}/actions/jobs/${failedJobs[1]!.id}/logs`, 302],
        ['GET', '/rate_limit', '/rate_limit', 200],
        ['GET', '/user', '/user', 200],
        ['POST', `${R}/actions/runs/{run_id}/rerun-failed-jobs`, `${repo}/actions/runs/${failedRun.id}/rerun-failed-jobs`, 201],
        ['POST', `${R}/actions/runs/{run_id}/rerun`, `${repo}/actions/runs/${failedRun.id}/rerun`, 201],
        ['POST', `${R}/actions/runs/{run_id}/cancel`, `${repo}/actions/runs/${gh.runs[0]!.id}/cancel`, 202],
        ['POST', `${R}/actions/runs/{run_id}/cancel`, `${repo}/actions/runs/${gh.runs[0]!.id}/cancel`, 409],
      ];
      // Non-empty lists are validated (checked before the POSTs requeue jobs), not just empty ones.
      const checks = (await call(gh, `${repo}/commits/${head}/check-runs`)).body as Json;
      assert.equal(checks.total_count, 5);
      const runs = (await call(gh, `${repo}/actions/runs?head_sha=${head}`)).body as Json;
      assert.equal(runs.workflow_runs.length, 2);
      const jobs = (await call(gh, `${repo}/actions/runs/${failedRun.id}/jobs`)).body as Json;
      assert.equal(jobs.jobs[1].steps.length, 4);
      assert.equal(jobs.jobs[1].steps[2].conclusion, 'failure');
      for (const [method, template, path, status] of cases) {
        const res = await call(gh, path, { method, redirect: 'manual' });
        assert.equal(res.status, status, `${method} ${path}`);
        assertValidResponse(method, template, status, status === 302 ? undefined : res.body);
      }
    });

    it('rejects a body with a required property removed (top level and nested), wrong types and bad enums', () => {
      const ctx = { api: 'http://127.0.0.1:1', owner: 'ai-dynamo', repo: 'dynamo' };
      const wrap = (cr: Json) => ({ total_count: 1, check_runs: [cr] });
      const checkRuns = `${R}/commits/{ref}/check-runs`;
      assert.deepEqual(validateResponse('GET', checkRuns, 200, wrap(makeCheckRun(ctx, { name: 'x', headSha: head }))), []);

      const noName = makeCheckRun(ctx, { name: 'x', headSha: head });
      delete noName.name;
      assert.deepEqual(validateResponse('GET', checkRuns, 200, wrap(noName)), ["$.check_runs[0]: missing required property 'name'"]);

      const noOwnerLogin = makeCheckRun(ctx, { name: 'x', headSha: head });
      delete noOwnerLogin.app.owner.login;
      assert.match(validateResponse('GET', checkRuns, 200, wrap(noOwnerLogin)).join('\n'), /\$\.check_runs\[0\]\.app\.owner: matches none of oneOf .*missing required property 'login'/);

      assert.match(validateResponse('GET', checkRuns, 200, wrap({ ...makeCheckRun(ctx, { name: 'x', headSha: head }), status: 'done' })).join(), /"done" is not one of/);
      assert.match(validateResponse('GET', checkRuns, 200, wrap({ ...makeCheckRun(ctx, { name: 'x', headSha: head }), id: '1' })).join(), /\$\.check_runs\[0\]\.id: expected integer, got string/);
      assert.match(validateResponse('GET', checkRuns, 200, wrap({ ...makeCheckRun(ctx, { name: 'x', headSha: head }), name: null })).join(), /name: expected string, got null/);

      const pr = makePullRequest(ctx, { number: 1, head: 'b' });
      delete pr.head.repo.clone_url;
      assert.deepEqual(validateResponse('GET', `${R}/pulls/{pull_number}`, 200, pr), ["$.head.repo: missing required property 'clone_url'"]);

      const run = makeWorkflowRun(ctx, { headSha: head });
      const job = makeJob(ctx, run, { name: 'j' });
      delete job.steps[0].number;
      assert.deepEqual(validateResponse('GET', `${R}/actions/runs/{run_id}/jobs`, 200, { total_count: 1, jobs: [job] }), ["$.jobs[0].steps[0]: missing required property 'number'"]);
      delete run.head_commit.tree_id;
      assert.deepEqual(validateResponse('GET', `${R}/actions/runs/{run_id}`, 200, run), ["$.head_commit: missing required property 'tree_id'"]);

      assert.match(validateResponse('POST', `${R}/actions/runs/{run_id}/rerun`, 201, { ok: true }).join(), /unexpected property 'ok'/);
      assert.deepEqual(validateResponse('GET', `${R}/actions/jobs/{job_id}/logs`, 302, 'body').length, 1);
      assert.throws(() => validateResponse('GET', '/nope', 200, {}), /no operation GET \/nope/);
      assert.throws(() => assertValidResponse('GET', checkRuns, 200, wrap(noName)), /missing required property 'name'/);
    });
  });

  describe('pagination', () => {
    it('pages 300 check runs by 100 with next/last/prev/first Link headers and total_count', async () => {
      const sha = fakeSha('many');
      gh.addCheckRuns(sha, 300, { conclusions: ['success', 'failure', null], status: 'completed' });
      const seen = new Set<number>();
      let next: string | undefined = `${gh.url}${repo}/commits/${sha}/check-runs?per_page=100`;
      const links: string[] = [];
      while (next) {
        const res = await call(gh, next);
        assert.equal(res.status, 200);
        const body = res.body as Json;
        assert.equal(body.total_count, 300);
        assert.equal(body.check_runs.length, 100);
        assertValidResponse('GET', `${R}/commits/{ref}/check-runs`, 200, body);
        for (const c of body.check_runs) { seen.add(c.id); }
        const link = res.headers.get('link') ?? '';
        links.push(link);
        next = /<([^>]+)>; rel="next"/.exec(link)?.[1];
      }
      assert.equal(seen.size, 300);
      const u = (page: number) => `${gh.url}${repo}/commits/${sha}/check-runs?per_page=100&page=${page}`;
      assert.deepEqual(links, [
        `<${u(2)}>; rel="next", <${u(3)}>; rel="last"`,
        `<${u(1)}>; rel="prev", <${u(3)}>; rel="next", <${u(3)}>; rel="last", <${u(1)}>; rel="first"`,
        `<${u(2)}>; rel="prev", <${u(1)}>; rel="first"`,
      ]);
      const def = await call(gh, `${repo}/commits/${sha}/check-runs`);
      assert.equal((def.body as Json).check_runs.length, 30, 'default per_page is 30');
      const clamped = await call(gh, `${repo}/commits/${sha}/check-runs?per_page=500&page=3`);
      assert.equal((clamped.body as Json).check_runs.length, 100, 'per_page is capped at 100');
      const beyond = await call(gh, `${repo}/commits/${sha}/check-runs?per_page=100&page=9`);
      assert.equal((beyond.body as Json).check_runs.length, 0);
    });

    it('paginates workflow runs and jobs, filtering runs by head_sha and branch', async () => {
      for (let i = 0; i < 5; i++) { gh.addWorkflowRun({ headSha: fakeSha(`r${i}`), branch: 'main', jobs: Array.from({ length: 3 }, (_, j) => ({ name: `j${j}` })) }); }
      const p1 = await call(gh, `${repo}/actions/runs?branch=main&per_page=2`);
      assert.equal((p1.body as Json).total_count, 5);
      assert.equal((p1.body as Json).workflow_runs.length, 2);
      assert.match(p1.headers.get('link') ?? '', /branch=main&per_page=2&page=3>; rel="last"/);
      assert.equal(((await call(gh, `${repo}/actions/runs?head_sha=${fakeSha('r3')}`)).body as Json).total_count, 1);
      const jobs = await call(gh, `${repo}/actions/runs/${gh.runs[0]!.id}/jobs?per_page=2&page=2`);
      assert.equal((jobs.body as Json).total_count, 3);
      assert.deepEqual((jobs.body as Json).jobs.map((j: Json) => j.name), ['j2']);
    });

    it('filters pulls by head owner:branch and state', async () => {
      const open = (await call(gh, `${repo}/pulls?head=ai-dynamo:feat/ci-glance&state=open`)).body as Json[];
      assert.deepEqual(open.map(p => p.number), [42]);
      assert.equal(open[0]!.head.sha, head);
      assert.deepEqual((await call(gh, `${repo}/pulls?head=someone:feat/ci-glance`)).body, []);
      assert.deepEqual(((await call(gh, `${repo}/pulls?state=all`)).body as Json[]).map(p => p.number), [42, 43]);
      assert.equal((await call(gh, '/repos/other/repo/pulls')).status, 404);
    });
  });

  describe('ETags and rate limits', () => {
    it('answers If-None-Match with 304 and no body, without spending the rate limit', async () => {
      const path = `${repo}/commits/${head}/check-runs`;
      const a = await call(gh, path);
      const etag = a.headers.get('etag');
      assert.match(etag ?? '', /^"[0-9a-f]{40}"$/);
      assert.equal(a.headers.get('x-ratelimit-remaining'), '4999');
      const b = await call(gh, path, { headers: { 'if-none-match': etag! } });
      assert.equal(b.status, 304);
      assert.equal(b.text, '');
      assert.equal(b.headers.get('etag'), etag);
      assert.equal(b.headers.get('x-ratelimit-remaining'), '4999');
      assert.equal(gh.rate.core.used, 1);
      gh.addCheckRun({ name: 'late', headSha: head });
      const c = await call(gh, path, { headers: { 'if-none-match': etag! } });
      assert.equal(c.status, 200);
      assert.notEqual(c.headers.get('etag'), etag);
      assert.equal(c.headers.get('x-ratelimit-remaining'), '4998');
    });

    it('sends x-ratelimit-* headers on every response and counts only non-304 API calls', async () => {
      const res = await call(gh, '/user');
      for (const h of ['limit', 'remaining', 'used', 'reset', 'resource']) { assert.ok(res.headers.get(`x-ratelimit-${h}`), h); }
      assert.equal(res.headers.get('x-ratelimit-resource'), 'core');
      assert.equal(res.headers.get('x-ratelimit-used'), '1');
      const rl = await call(gh, '/rate_limit');
      assert.equal((rl.body as Json).rate.remaining, 4999);
      assert.equal((await call(gh, '/rate_limit')).headers.get('x-ratelimit-remaining'), '4999', 'GET /rate_limit is free');
      const g = await call(gh, '/graphql', { method: 'POST', body: JSON.stringify({ query: 'query { statusCheckRollup isRequired }', variables: { owner: 'ai-dynamo', repo: 'dynamo', number: 42 } }) });
      assert.equal(g.headers.get('x-ratelimit-resource'), 'graphql');
      assert.equal(gh.rate.graphql.remaining, 4999);
      assert.equal(gh.rate.core.remaining, 4999);
      const nf = await call(gh, `${repo}/pulls/999`);
      assert.equal(nf.headers.get('x-ratelimit-remaining'), '4998');
    });

    it('answers 403 (or 429) with x-ratelimit-remaining: 0 when exhausted', async () => {
      gh.setRateLimit({ remaining: 1 });
      assert.equal((await call(gh, '/user')).status, 200);
      const res = await call(gh, '/user');
      assert.equal(res.status, 403);
      assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
      assert.match((res.body as Json).message, /^API rate limit exceeded/);
      assertValidResponse('GET', '/user', 403, res.body);
      assert.equal((await call(gh, '/rate_limit')).status, 200, '/rate_limit still answers');
      const gh429 = await startGitHubServer({ exhaustedStatus: 429 });
      try {
        gh429.setRateLimit({ remaining: 0 });
        const r = await call(gh429, '/user');
        assert.equal(r.status, 429);
        assert.equal(r.headers.get('x-ratelimit-remaining'), '0');
      } finally { await gh429.close(); }
    });
  });

  describe('faults', () => {
    const cases: [Parameters<GitHubServer['fault']>[1]['kind'], number, string][] = [
      ['badCredentials', 401, MESSAGES.badCredentials],
      ['saml', 403, MESSAGES.saml],
      ['notFound', 404, 'Not Found'],
      ['serverError', 500, 'Server Error'],
      ['badGateway', 502, 'Server Error'],
      ['secondaryRateLimit', 403, MESSAGES.secondary],
      ['rateLimited', 403, MESSAGES.primary],
    ];
    for (const [kind, status, message] of cases) {
      it(`${kind} → ${status}`, async () => {
        gh.fault(`${R}/pulls/{pull_number}`, { kind, times: 1 });
        const res = await call(gh, `${repo}/pulls/42`);
        assert.equal(res.status, status);
        assert.equal((res.body as Json).message, message);
        assert.ok(res.headers.get('x-ratelimit-limit'));
        assertValidResponse('GET', '/user', 401, res.body); // the documented Basic Error schema
        if (kind === 'saml') { assert.match(res.headers.get('x-github-sso') ?? '', /^required; url=https:\/\/github.com\/orgs\/ai-dynamo\/sso/); }
        if (kind === 'secondaryRateLimit') { assert.equal(res.headers.get('retry-after'), '60'); }
        if (kind === 'rateLimited') { assert.equal(res.headers.get('x-ratelimit-remaining'), '0'); }
        assert.equal((await call(gh, `${repo}/pulls/42`)).status, 200, 'times: 1 affects one request');
      });
    }

    it('matches by method + template, RegExp or *, delays, and can be removed', async () => {
      gh.fault(`POST ${R}/actions/runs/{run_id}/rerun`, { kind: 'serverError' });
      assert.equal((await call(gh, `${repo}/actions/runs/${failedRun.id}/rerun`, { method: 'POST' })).status, 500);
      assert.equal((await call(gh, `${repo}/actions/runs/${failedRun.id}`)).status, 200);
      const remove = gh.fault(/^GET \/user$/, { kind: 'secondaryRateLimit', retryAfter: 7 });
      const sec = await call(gh, '/user');
      assert.equal(sec.status, 403);
      assert.equal(sec.headers.get('retry-after'), '7');
      remove();
      assert.equal((await call(gh, '/user')).status, 200);
      gh.fault('*', { delayMs: 150, times: 1 });
      const t0 = Date.now();
      assert.equal((await call(gh, '/user')).status, 200);
      assert.ok(Date.now() - t0 >= 140, 'delayed');
      gh.fault('*', { kind: 'notFound' });
      assert.equal((await call(gh, '/rate_limit')).status, 404);
      gh.clearFaults();
      assert.equal((await call(gh, '/rate_limit')).status, 200);
    });

    it('accepts only the configured token, as Bearer or token', async () => {
      assert.equal((await call(gh, '/user', { headers: { authorization: 'token t0ken' } })).status, 200);
      const wrong = await call(gh, '/user', { headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401);
      assert.equal((wrong.body as Json).message, 'Bad credentials');
      assertValidResponse('GET', '/user', 401, wrong.body);
      const res = await fetch(`${gh.url}/user`);
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as Json).message, 'Requires authentication');
      const open = await startGitHubServer();
      try { assert.equal((await fetch(`${open.url}/user`)).status, 200, 'no token configured: anything goes'); } finally { await open.close(); }
    });
  });

  describe('actions', () => {
    it('rerun-failed-jobs answers 201, is recorded, and requeues only the failed jobs (run_attempt + 1)', async () => {
      const res = await call(gh, `${repo}/actions/runs/${failedRun.id}/rerun-failed-jobs`, { method: 'POST', body: '{"enable_debug_logging":false}' });
      assert.equal(res.status, 201);
      assert.deepEqual(res.body, {});
      assert.deepEqual(gh.actions, [{ kind: 'rerun-failed-jobs', runId: failedRun.id, body: '{"enable_debug_logging":false}' }]);
      const run = (await call(gh, `${repo}/actions/runs/${failedRun.id}`)).body as Json;
      assert.equal(run.run_attempt, 2);
      assert.equal(run.status, 'queued');
      assert.equal(run.conclusion, null);
      assertValidResponse('GET', `${R}/actions/runs/{run_id}`, 200, run);
      const jobs = ((await call(gh, `${repo}/actions/runs/${failedRun.id}/jobs`)).body as Json).jobs as Json[];
      assert.deepEqual(jobs.map(j => [j.name, j.status, j.conclusion]), [['build', 'completed', 'success'], ['test (vllm)', 'queued', null], ['lint', 'completed', 'success']]);
      const check = ((await call(gh, `${repo}/commits/${head}/check-runs?check_name=test%20(vllm)`)).body as Json).check_runs[0];
      assert.equal(check.status, 'queued');
      assert.equal((await call(gh, `${repo}/actions/jobs/${failedJobs[1]!.id}/logs`, { redirect: 'manual' })).status, 404, 'no log while queued');
    });

    it('rerun requeues every job; cancel completes the pending ones as cancelled, then 409', async () => {
      assert.equal((await call(gh, `${repo}/actions/runs/${failedRun.id}/rerun`, { method: 'POST' })).status, 201);
      assert.ok(gh.jobs.get(failedRun.id)!.every(j => j.status === 'queued'));
      const running = gh.runs[0]!;
      assert.equal((await call(gh, `${repo}/actions/runs/${running.id}/cancel`, { method: 'POST' })).status, 202);
      assert.deepEqual(runningJobs.map(j => j.conclusion), ['cancelled', 'cancelled']);
      assert.equal(running.conclusion, 'cancelled');
      const again = await call(gh, `${repo}/actions/runs/${running.id}/cancel`, { method: 'POST' });
      assert.equal(again.status, 409);
      assert.deepEqual(gh.actions.map(a => a.kind), ['rerun', 'cancel']);
      assert.equal((await call(gh, `${repo}/actions/runs/999/rerun`, { method: 'POST' })).status, 404);
    });
  });

  describe('job logs', () => {
    it('redirects (302) to a log URL on another origin that serves text/plain', async () => {
      const job = failedJobs[1]!;
      const res = await call(gh, `${repo}/actions/jobs/${job.id}/logs`, { redirect: 'manual' });
      assert.equal(res.status, 302);
      const location = res.headers.get('location')!;
      assert.ok(location.startsWith(`${gh.logsUrl}/jobs/${job.id}/log?sig=`));
      const log = await fetch(location);
      assert.equal(log.status, 200);
      assert.match(log.headers.get('content-type') ?? '', /^text\/plain/);
      assert.match(await log.text(), /##\[error\]Process completed with exit code 101/);
      assert.equal((await fetch(location.replace(/sig=[^&]+/, 'sig=forged'))).status, 404);
      gh.setJobLog(job.id, 'custom log\n');
      assert.equal(await (await fetch(location)).text(), 'custom log\n');
    });

    it('GET /actions/jobs/{job_id} answers the stored job as it changes; 404 (Basic Error) for an unknown job', async () => {
      const path = `${repo}/actions/jobs/${failedJobs[1]!.id}`;
      const job = (await call(gh, path)).body as Json;
      assert.deepEqual([job.id, job.run_id, job.name, job.status, job.conclusion], [failedJobs[1]!.id, failedRun.id, 'test (vllm)', 'completed', 'failure']);
      assert.equal(job.steps.length, 4);
      await call(gh, `${repo}/actions/runs/${failedRun.id}/rerun-failed-jobs`, { method: 'POST' });
      const requeued = (await call(gh, path)).body as Json;
      assert.deepEqual([requeued.status, requeued.conclusion, requeued.run_attempt], ['queued', null, 2]);
      assertValidResponse('GET', `${R}/actions/jobs/{job_id}`, 200, requeued);
      const unknown = await call(gh, `${repo}/actions/jobs/1`);
      assert.equal(unknown.status, 404);
      assertValidResponse('GET', '/user', 401, unknown.body); // GitHub documents only the 200; this is its Basic Error body
      assert.equal((await call(gh, `/repos/other/repo/actions/jobs/${failedJobs[1]!.id}`)).status, 404);
    });

    it('410 Gone for an expired log, 404 while the job is in progress or unknown', async () => {
      gh.setJobLog(failedJobs[0]!.id, null);
      const gone = await call(gh, `${repo}/actions/jobs/${failedJobs[0]!.id}/logs`, { redirect: 'manual' });
      assert.equal(gone.status, 410);
      assert.equal((gone.body as Json).message, 'Gone');
      assert.equal((await call(gh, `${repo}/actions/jobs/${runningJobs[0]!.id}/logs`, { redirect: 'manual' })).status, 404);
      assert.equal((await call(gh, `${repo}/actions/jobs/1/logs`, { redirect: 'manual' })).status, 404);
    });

    it('records whether the token was forwarded to the log server', async () => {
      const res = await call(gh, `${repo}/actions/jobs/${failedJobs[1]!.id}/logs`); // fetch follows the redirect itself
      assert.equal(res.status, 200);
      const toLogs = gh.requests.filter(r => r.server === 'logs');
      assert.equal(toLogs.length, 1);
      assert.equal(toLogs[0]!.authorization, undefined, 'fetch drops Authorization on a cross-origin redirect');
    });
  });

  describe('request log', () => {
    it('records method, path, query, headers (incl. authorization), body, route and status', async () => {
      await call(gh, `${repo}/actions/runs?head_sha=${head}&per_page=5`, { headers: { 'x-github-api-version': '2022-11-28' } });
      await call(gh, `${repo}/actions/runs/${failedRun.id}/rerun-failed-jobs`, { method: 'POST', body: '{}' });
      const [a, b] = gh.requests;
      assert.deepEqual([a!.method, a!.path, a!.query, a!.route, a!.status], ['GET', `${repo}/actions/runs`, { head_sha: head, per_page: '5' }, `${R}/actions/runs`, 200]);
      assert.equal(a!.headers['x-github-api-version'], '2022-11-28');
      assert.equal(a!.authorization, 'Bearer t0ken');
      assert.deepEqual([b!.method, b!.body, b!.status], ['POST', '{}', 201]);
      assert.equal(gh.requestsTo(`POST ${R}/actions/runs/{run_id}/rerun-failed-jobs`).length, 1);
      assert.ok(gh.requests.every(r => r.server === 'api'));
    });
  });

  describe('GraphQL statusCheckRollup', () => {
    const query = 'query($owner: String!, $repo: String!, $number: Int!, $after: String) { repository(owner: $owner, name: $repo) { pullRequest(number: $number) { commits(last: 1) { nodes { commit { statusCheckRollup { contexts(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { __typename ... on CheckRun { name isRequired(pullRequestNumber: $number) } ... on StatusContext { context isRequired(pullRequestNumber: $number) } } } } } } } } } }';
    const gql = async (variables: Json, q = query) => (await call(gh, '/graphql', { method: 'POST', body: JSON.stringify({ query: q, variables }) })).body as Json;

    it('answers isRequired per check run name and status context, paginated by first/after', async () => {
      const body = await gql({ owner: 'ai-dynamo', repo: 'dynamo', number: 42 });
      const contexts = body.data.repository.pullRequest.commits.nodes[0].commit.statusCheckRollup.contexts;
      const required = Object.fromEntries(contexts.nodes.map((n: Json) => [n.name ?? n.context, n.isRequired]));
      assert.deepEqual(required, { 'build': true, 'test (vllm)': false, 'lint': false, 'gpu-tests': false, 'docs': false, 'ci/gitlab': true, 'license/cla': false });
      assert.equal(contexts.pageInfo.hasNextPage, false);
      const p1 = await gql({ owner: 'ai-dynamo', repo: 'dynamo', number: 42, first: 4 });
      const c1 = p1.data.repository.pullRequest.commits.nodes[0].commit.statusCheckRollup.contexts;
      assert.equal(c1.nodes.length, 4);
      assert.equal(c1.pageInfo.hasNextPage, true);
      const p2 = await gql({ owner: 'ai-dynamo', repo: 'dynamo', number: 42, first: 4, after: c1.pageInfo.endCursor });
      const c2 = p2.data.repository.pullRequest.commits.nodes[0].commit.statusCheckRollup.contexts;
      assert.equal(c2.nodes.length, 3, '5 check runs + 2 status contexts (latest per context) = 7');
      assert.equal(c2.pageInfo.hasNextPage, false);
    });

    it('answers GraphQL errors for unknown PRs, repositories and queries', async () => {
      assert.equal((await gql({ owner: 'ai-dynamo', repo: 'dynamo', number: 7 })).data.repository.pullRequest, null);
      assert.equal((await gql({ owner: 'x', repo: 'y', number: 42 })).data.repository, null);
      assert.match((await gql({}, 'query { viewer { login } }')).errors[0].message, /only answers statusCheckRollup/);
    });
  });
});
