// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { evaluateRerun, type RunInfo } from '../../src/core/github/guardrails';
import { summarizeRun } from '../../src/core/github/prChecks';
import { stepDurationMs } from '../../src/core/github/runs';

const SHA = 'abcdef0123456789abcdef0123456789abcdef01';

describe('workflow runs: pure parts', () => {
  it('stepDurationMs: completed span, running span up to now, unknown, GitHub rounding and placeholders', () => {
    const done = { status: 'completed', started_at: '2026-01-01T10:00:00Z', completed_at: '2026-01-01T10:01:30Z' };
    assert.equal(stepDurationMs(done), 90_000);
    const now = Date.parse('2026-01-01T10:00:05Z');
    assert.equal(stepDurationMs({ status: 'in_progress', started_at: '2026-01-01T10:00:00Z', completed_at: null }, now), 5_000);
    assert.equal(stepDurationMs({ status: 'in_progress', started_at: '2026-01-01T10:00:00Z' }), null, 'running without now');
    assert.equal(stepDurationMs({ status: 'queued', started_at: null, completed_at: null }, now), null);
    assert.equal(stepDurationMs({ status: 'completed', started_at: '2026-01-01T10:00:01Z', completed_at: '2026-01-01T10:00:00Z' }), 0, 'rounded step times never go negative');
    assert.equal(stepDurationMs({ status: 'completed', started_at: '0001-01-01T00:00:00Z', completed_at: '2026-01-01T10:00:00Z' }), null);
    assert.equal(stepDurationMs({ status: 'completed', started_at: 'garbage', completed_at: '2026-01-01T10:00:00Z' }), null);
    assert.equal(stepDurationMs({ status: 'completed', started_at: '2026-01-01T10:00:00Z', completed_at: null }, now), null, 'completed without an end is unknown');
  });

  it('summarizeRun carries the head SHA and times', () => {
    const s = summarizeRun({
      id: 7, name: 'Pre Merge', head_sha: SHA, status: 'completed', conclusion: 'failure', run_attempt: 2, html_url: 'https://github.com/o/r/actions/runs/7',
      event: 'push', head_branch: 'main', created_at: '2026-01-01T10:00:00Z', updated_at: '2026-01-01T10:05:00Z', run_started_at: '2026-01-01T10:02:00Z',
    });
    assert.deepEqual(s, {
      id: 7, name: 'Pre Merge', event: 'push', branch: 'main', status: 'completed', conclusion: 'failure', attempt: 2, url: 'https://github.com/o/r/actions/runs/7',
      headSha: SHA, createdAt: '2026-01-01T10:00:00Z', updatedAt: '2026-01-01T10:05:00Z', runStartedAt: '2026-01-01T10:02:00Z',
    });
    assert.deepEqual([summarizeRun({ id: 1, status: null, conclusion: null }).headSha, summarizeRun({ id: 1, status: null, conclusion: null }).runStartedAt], [null, null]);
  });

  // rerunRun reuses evaluateRerun without jobs and treats a refusal with an unknown next attempt as one
  // that applies to a whole-run re-run. This pins that contract.
  it('the guardrails leave nextAttempt null exactly for the refusals that apply to any re-run', () => {
    const run = (p: Partial<RunInfo> & { id: number }): RunInfo => ({ name: `wf ${p.id}`, head_sha: SHA, status: 'completed', conclusion: 'failure', run_attempt: 1, ...p });
    const ask = (runs: RunInfo[], maxAttempts = 3) => evaluateRerun({ runId: 1, runs, jobs: [], headSha: SHA, maxAttempts });
    const blocking = [
      ask([run({ id: 2 })]), // not found
      ask([run({ id: 1, status: 'in_progress', conclusion: null })]),
      ask([run({ id: 1 }), run({ id: 2, status: 'queued', conclusion: null })]),
      ask([run({ id: 1, run_attempt: 3 })]),
      ask([run({ id: 1, run_attempt: 1 })], 1),
    ];
    for (const d of blocking) assert.deepEqual([d.allowed, d.nextAttempt], [false, null], d.reason);
    const failedJobsOnly = [ask([run({ id: 1, conclusion: 'success' })]), ask([run({ id: 1 })]), ask([run({ id: 1, conclusion: 'cancelled', run_attempt: 2 })])];
    for (const d of failedJobsOnly) assert.equal(d.allowed === false && d.nextAttempt !== null, true, d.reason);
  });
});
