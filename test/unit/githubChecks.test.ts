// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import {
  aggregateChecks,
  bucketOf,
  dedupeChecks,
  normalizeCheckRun,
  normalizeStatus,
  parseActionsUrl,
  type RawCheckRun,
  type RawStatus,
} from '../../src/core/github/checks';

let nextId = 1000;
function run(p: Partial<RawCheckRun> & { name: string }, suite = 1, runId = 500): RawCheckRun {
  const id = p.id ?? nextId++;
  return {
    id,
    status: 'completed',
    conclusion: 'success',
    started_at: '2026-01-01T10:00:00Z',
    completed_at: '2026-01-01T10:05:00Z',
    check_suite: { id: suite },
    app: { slug: 'github-actions' },
    html_url: `https://github.com/o/r/actions/runs/${runId}/job/${id}`,
    details_url: `https://github.com/o/r/actions/runs/${runId}/job/${id}`,
    ...p,
  };
}

describe('check normalisation', () => {
  it('maps a completed Actions check run', () => {
    const c = normalizeCheckRun(run({ id: 77, name: 'build (amd64)' }, 9, 123), { workflowByRunId: new Map([[123, 'NVIDIA Dynamo Github Validation']]) });
    assert.deepEqual(
      { name: c.name, workflow: c.workflow, source: c.source, status: c.status, conclusion: c.conclusion, bucket: c.bucket, required: c.required, runId: c.runId, jobId: c.jobId, durationMs: c.durationMs, groupKey: c.groupKey },
      { name: 'build (amd64)', workflow: 'NVIDIA Dynamo Github Validation', source: 'check-run', status: 'completed', conclusion: 'success', bucket: 'success', required: null, runId: 123, jobId: 77, durationMs: 300_000, groupKey: 'suite:9' },
    );
    assert.equal(c.url, 'https://github.com/o/r/actions/runs/123/job/77');
  });

  it('takes the workflow from a record keyed by run id, or the app name for other apps', () => {
    assert.equal(normalizeCheckRun(run({ name: 'x' }, 1, 42), { workflowByRunId: { '42': 'pre-merge' } }).workflow, 'pre-merge');
    const ext = normalizeCheckRun({ name: 'DCO', status: 'completed', conclusion: 'success', app: { slug: 'dco', name: 'DCO App' }, details_url: 'https://dco.example/x' });
    assert.equal(ext.workflow, 'DCO App');
    assert.equal(ext.runId, null);
    assert.equal(ext.jobId, null);
    assert.equal(ext.groupKey, 'app:dco');
  });

  it('running checks have no conclusion and a live duration only when `now` is given', () => {
    const r = run({ name: 't', status: 'in_progress', conclusion: null, completed_at: null });
    assert.equal(normalizeCheckRun(r).durationMs, null);
    const c = normalizeCheckRun(r, { now: Date.parse('2026-01-01T10:00:42Z') });
    assert.equal(c.durationMs, 42_000);
    assert.equal(c.bucket, 'pending');
    assert.equal(c.conclusion, null);
    // The 0001-01-01 sentinel means "not started".
    assert.equal(normalizeCheckRun(run({ name: 'q', status: 'queued', conclusion: null, started_at: '0001-01-01T00:00:00Z' }), { now: 1 }).durationMs, null);
  });

  it('reads run/job ids from Actions URLs', () => {
    assert.deepEqual(parseActionsUrl('https://github.com/o/r/actions/runs/12/job/34'), { runId: 12, jobId: 34 });
    assert.deepEqual(parseActionsUrl('https://github.com/o/r/actions/runs/12/attempts/2/jobs/35'), { runId: 12, jobId: 35 });
    assert.deepEqual(parseActionsUrl('https://github.com/o/r/actions/runs/12'), { runId: 12, jobId: null });
    assert.deepEqual(parseActionsUrl('https://gitlab.example/p/-/pipelines/9'), { runId: null, jobId: null });
    assert.deepEqual(parseActionsUrl(null), { runId: null, jobId: null });
  });

  const buckets: [string, string | null, string][] = [
    ['completed', 'success', 'success'],
    ['completed', 'failure', 'failure'],
    ['completed', 'cancelled', 'failure'],
    ['completed', 'timed_out', 'failure'],
    ['completed', 'action_required', 'failure'],
    ['completed', 'startup_failure', 'failure'],
    ['completed', 'skipped', 'skipped'],
    ['completed', 'neutral', 'neutral'],
    ['completed', 'stale', 'neutral'],
    ['completed', null, 'neutral'],
    ['queued', null, 'pending'],
    ['in_progress', null, 'pending'],
    ['waiting', null, 'pending'],
    ['requested', null, 'pending'],
    ['pending', null, 'pending'],
  ];
  for (const [status, conclusion, bucket] of buckets) {
    it(`${status}/${conclusion} → ${bucket}`, () => {
      assert.equal(bucketOf(status, conclusion), bucket);
      assert.equal(normalizeCheckRun(run({ name: 'n', status, conclusion })).bucket, bucket);
    });
  }

  it('maps commit statuses, including "skipped" descriptions and Actions target URLs', () => {
    const s = (state: string, extra: Partial<RawStatus> = {}): RawStatus => ({ context: 'ci/gitlab', state, target_url: 'https://gitlab.example/p/1', ...extra });
    assert.equal(normalizeStatus(s('success')).bucket, 'success');
    assert.equal(normalizeStatus(s('failure')).bucket, 'failure');
    assert.equal(normalizeStatus(s('error')).bucket, 'failure');
    assert.equal(normalizeStatus(s('error')).conclusion, 'error');
    const p = normalizeStatus(s('pending'));
    assert.equal(p.bucket, 'pending');
    assert.equal(p.status, 'pending');
    assert.equal(p.conclusion, null);
    assert.equal(normalizeStatus(s('success', { description: 'Skipped: docs only' })).bucket, 'skipped');
    const a = normalizeStatus(s('failure', { target_url: 'https://github.com/o/r/actions/runs/5/job/6' }));
    assert.deepEqual([a.source, a.runId, a.jobId, a.workflow, a.groupKey], ['status', 5, 6, null, 'status']);
  });
});

describe('de-duplication of re-run attempts', () => {
  it('keeps the newest attempt of a name within a suite, and both across suites', () => {
    const old = run({ id: 10, name: 'test', conclusion: 'failure' }, 1);
    const rerun = run({ id: 20, name: 'test', conclusion: 'success', started_at: '2026-01-01T11:00:00Z' }, 1);
    const other = run({ id: 15, name: 'test', conclusion: 'failure' }, 2);
    for (const order of [[old, rerun, other], [rerun, other, old]]) {
      const s = aggregateChecks({ checkRuns: order });
      assert.equal(s.superseded, 1);
      assert.deepEqual(s.checks.map((c) => [c.groupKey, c.id]).sort(), [['suite:1', 20], ['suite:2', 15]]);
    }
  });

  it('a running re-run supersedes the failed attempt, so the state is pending', () => {
    const s = aggregateChecks({
      checkRuns: [run({ id: 1, name: 'e2e', conclusion: 'failure' }), run({ id: 2, name: 'e2e', status: 'in_progress', conclusion: null, completed_at: null })],
    });
    assert.equal(s.state, 'pending');
    assert.deepEqual(s.counts, { success: 0, failure: 0, pending: 1, skipped: 0, neutral: 0, total: 1 });
  });

  it('without ids, the later start wins; statuses use their update time', () => {
    const a = normalizeCheckRun({ name: 'x', status: 'completed', conclusion: 'failure', started_at: '2026-01-01T10:00:00Z', check_suite: { id: 3 } });
    const b = normalizeCheckRun({ name: 'x', status: 'completed', conclusion: 'success', started_at: '2026-01-01T12:00:00Z', check_suite: { id: 3 } });
    assert.equal(dedupeChecks([b, a]).checks[0]?.conclusion, 'success');
    assert.equal(dedupeChecks([a, b]).checks[0]?.conclusion, 'success');
    const s1 = normalizeStatus({ context: 'gl', state: 'failure', updated_at: '2026-01-01T10:00:00Z' });
    const s2 = normalizeStatus({ context: 'gl', state: 'pending', updated_at: '2026-01-01T11:00:00Z' });
    const d = dedupeChecks([s1, s2]);
    assert.equal(d.superseded, 1);
    assert.equal(d.checks[0]?.bucket, 'pending');
  });

  it('a status and a check run with the same name are both kept', () => {
    const s = aggregateChecks({ checkRuns: [run({ name: 'lint' })], statuses: [{ context: 'lint', state: 'failure' }] });
    assert.equal(s.checks.length, 2);
    assert.equal(s.state, 'failure');
  });
});

describe('aggregateChecks', () => {
  it('is "none" with no checks', () => {
    const s = aggregateChecks({});
    assert.equal(s.state, 'none');
    assert.equal(s.requiredState, null);
    assert.deepEqual(s.groups, []);
  });

  for (const conclusion of ['failure', 'cancelled', 'timed_out', 'action_required', 'startup_failure']) {
    it(`${conclusion} makes the overall state failure even with pending checks`, () => {
      const s = aggregateChecks({ checkRuns: [run({ name: 'a' }), run({ name: 'b', conclusion }), run({ name: 'c', status: 'queued', conclusion: null })] });
      assert.equal(s.state, 'failure');
      assert.equal(s.checks[0]?.name, 'b');
    });
  }

  it('pending when something is pending and nothing failed; success with skipped/neutral', () => {
    assert.equal(aggregateChecks({ checkRuns: [run({ name: 'a' }), run({ name: 'b', status: 'waiting', conclusion: null })] }).state, 'pending');
    assert.equal(aggregateChecks({ statuses: [{ context: 'x', state: 'pending' }], checkRuns: [run({ name: 'a' })] }).state, 'pending');
    assert.equal(aggregateChecks({ checkRuns: [run({ name: 'a' }), run({ name: 'b', conclusion: 'skipped' }), run({ name: 'c', conclusion: 'neutral' })] }).state, 'success');
  });

  it('required-only state from the isRequired map (names matched loosely), unknown without it', () => {
    const checkRuns = [
      run({ name: 'backend-status-check' }),
      run({ name: 'flaky optional', conclusion: 'failure' }),
      run({ name: 'Docs  Build', status: 'in_progress', conclusion: null }),
      run({ name: 'brand new check' }),
    ];
    const required = new Map([
      ['backend-status-check', true],
      ['flaky optional', false],
      ['docs build', true],
    ]);
    const s = aggregateChecks({ checkRuns, required });
    assert.equal(s.state, 'failure');
    assert.equal(s.requiredState, 'pending');
    assert.deepEqual(s.requiredCounts, { success: 1, failure: 0, pending: 1, skipped: 0, neutral: 0, total: 2 });
    const byName = Object.fromEntries(s.checks.map((c) => [c.name, c.required]));
    assert.deepEqual(byName, { 'backend-status-check': true, 'flaky optional': false, 'Docs  Build': true, 'brand new check': null });
    // Record form; required failure → required failure.
    const s2 = aggregateChecks({ checkRuns: [run({ name: 'gate', conclusion: 'timed_out' })], required: { gate: true } });
    assert.equal(s2.requiredState, 'failure');
    // Known, but nothing required.
    assert.equal(aggregateChecks({ checkRuns: [run({ name: 'x' })], required: { x: false } }).requiredState, 'none');
    assert.equal(aggregateChecks({ checkRuns }).requiredState, null);
  });

  it('sorts failures, then pending, neutral, success, skipped; required first within a bucket; names naturally', () => {
    const s = aggregateChecks({
      checkRuns: [
        run({ name: 'z ok' }),
        run({ name: 'skip me', conclusion: 'skipped' }),
        run({ name: 'test 10', conclusion: 'failure' }),
        run({ name: 'test 9', conclusion: 'failure' }),
        run({ name: 'a req fail', conclusion: 'failure' }),
        run({ name: 'neutral', conclusion: 'neutral' }),
        run({ name: 'running', status: 'in_progress', conclusion: null }),
        run({ name: 'gate', conclusion: 'failure' }),
      ],
      required: { gate: true },
    });
    assert.deepEqual(
      s.checks.map((c) => c.name),
      ['gate', 'a req fail', 'test 9', 'test 10', 'running', 'neutral', 'z ok', 'skip me'],
    );
  });

  it('groups by suite with the workflow name, failing groups first, statuses in their own group', () => {
    const s = aggregateChecks({
      checkRuns: [run({ name: 'a' }, 1, 100), run({ name: 'b' }, 1, 100), run({ name: 'c', conclusion: 'failure' }, 2, 200)],
      statuses: [{ context: 'gitlab', state: 'success' }],
      workflowByRunId: { 100: 'Copyright checks', 200: 'Pre Merge' },
    });
    assert.deepEqual(
      s.groups.map((g) => [g.label, g.state, g.counts.total]),
      [['Pre Merge', 'failure', 1], ['Commit statuses', 'success', 1], ['Copyright checks', 'success', 2]],
    );
  });

  it('handles 300+ check runs with superseded attempts', () => {
    const runs: RawCheckRun[] = [];
    const suites = 8;
    const perSuite = 40;
    // 320 latest attempts: every 16th fails, every 20th is still queued, every 25th skipped.
    for (let s = 0; s < suites; s++) {
      for (let j = 0; j < perSuite; j++) {
        const i = s * perSuite + j;
        const conclusion = i % 16 === 0 ? 'failure' : i % 25 === 0 ? 'skipped' : 'success';
        const queued = i % 20 === 7;
        runs.push(run({ id: 100_000 + i, name: `job ${j}`, status: queued ? 'queued' : 'completed', conclusion: queued ? null : conclusion }, s + 1, 900 + s));
      }
    }
    // 50 older failed attempts that the above supersede (lower ids), shuffled in.
    for (let k = 0; k < 50; k++) {
      const s = k % suites;
      const j = (k * 7) % perSuite;
      runs.splice((k * 13) % runs.length, 0, run({ id: 50_000 + k, name: `job ${j}`, conclusion: 'failure' }, s + 1, 900 + s));
    }
    assert.ok(runs.length >= 370);
    const s = aggregateChecks({ checkRuns: runs });
    assert.equal(s.superseded, 50);
    assert.equal(s.checks.length, 320);
    const latest = Array.from({ length: 320 }, (_v, i) => i);
    const failures = latest.filter((i) => i % 20 !== 7 && i % 16 === 0).length;
    const pending = latest.filter((i) => i % 20 === 7).length;
    const skipped = latest.filter((i) => i % 20 !== 7 && i % 16 !== 0 && i % 25 === 0).length;
    assert.deepEqual(s.counts, { success: 320 - failures - pending - skipped, failure: failures, pending, skipped, neutral: 0, total: 320 });
    assert.equal(s.state, 'failure');
    assert.ok(s.checks.slice(0, failures).every((c) => c.bucket === 'failure'));
    assert.ok(s.checks.every((c) => c.id !== null && c.id >= 100_000), 'no superseded attempt survives');
    assert.equal(s.groups.length, suites);
    assert.equal(s.groups.reduce((n, g) => n + g.counts.total, 0), 320);
  });
});
