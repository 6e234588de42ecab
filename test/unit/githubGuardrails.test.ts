// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { confirmationText, evaluateRerun, type JobInfo, type RunInfo } from '../../src/core/github/guardrails';

const SHA = 'abcdef0123456789abcdef0123456789abcdef01';
const OTHER = '1111111111111111111111111111111111111111';

const runOf = (p: Partial<RunInfo> & { id: number }): RunInfo => ({ name: `wf ${p.id}`, head_sha: SHA, status: 'completed', conclusion: 'failure', run_attempt: 1, ...p });
const job = (id: number, name: string, conclusion: string | null, status = 'completed'): JobInfo => ({ id, name, status, conclusion, html_url: `https://github.com/o/r/actions/runs/1/job/${id}` });

describe('re-run guardrails', () => {
  const jobs = [job(1, 'build', 'success'), job(2, 'test (vllm)', 'failure'), job(3, 'test (sglang)', 'cancelled'), job(4, 'lint', 'skipped'), job(5, 'deploy', 'timed_out')];

  it('allows a failed run on attempt 1 and lists its failed jobs', () => {
    const d = evaluateRerun({ runId: 1, runs: [runOf({ id: 1, name: 'Pre Merge' }), runOf({ id: 2, conclusion: 'success' })], jobs });
    assert.equal(d.allowed, true);
    assert.equal(d.nextAttempt, 2);
    assert.deepEqual(d.failedJobs.map((j) => [j.id, j.conclusion]), [[5, 'timed_out'], [3, 'cancelled'], [2, 'failure']]);
    assert.equal(d.reason, 'Re-run 3 failed jobs of "Pre Merge" (attempt 2 of 3).');
    assert.equal(d.failedJobs[2]?.url, 'https://github.com/o/r/actions/runs/1/job/2');
  });

  for (const status of ['in_progress', 'queued', 'waiting', 'requested', 'pending']) {
    it(`refuses while another run for the head SHA is ${status}`, () => {
      const d = evaluateRerun({ runId: 1, runs: [runOf({ id: 1 }), runOf({ id: 2, name: 'Docs', status, conclusion: null })], jobs });
      assert.equal(d.allowed, false);
      assert.match(d.reason, /1 workflow run still in progress for abcdef0 \(Docs\)/);
      assert.equal(d.failedJobs.length, 3, 'failed jobs are still listed');
    });
  }

  it('ignores runs for other SHAs when checking for activity', () => {
    const d = evaluateRerun({ runId: 1, runs: [runOf({ id: 1 }), runOf({ id: 9, head_sha: OTHER, status: 'in_progress', conclusion: null })], jobs });
    assert.equal(d.allowed, true);
    const d2 = evaluateRerun({ runId: 1, headSha: SHA, runs: [runOf({ id: 1 }), runOf({ id: 8, status: 'queued', conclusion: null }), runOf({ id: 7, status: 'queued', conclusion: null })], jobs });
    assert.equal(d2.allowed, false);
    assert.match(d2.reason, /2 workflow runs still in progress/);
  });

  it('caps attempts: run_attempt >= maxAttempts is refused', () => {
    assert.equal(evaluateRerun({ runId: 1, runs: [runOf({ id: 1, run_attempt: 2 })], jobs }).allowed, true);
    const d = evaluateRerun({ runId: 1, runs: [runOf({ id: 1, name: 'Pre Merge', run_attempt: 3 })], jobs });
    assert.equal(d.allowed, false);
    assert.match(d.reason, /"Pre Merge" has already run 3 attempts \(limit 3\)/);
    assert.equal(evaluateRerun({ runId: 1, runs: [runOf({ id: 1, run_attempt: 3 })], jobs, maxAttempts: 5 }).allowed, true);
    assert.equal(evaluateRerun({ runId: 1, runs: [runOf({ id: 1, run_attempt: 1 })], jobs, maxAttempts: 1 }).allowed, false);
  });

  it('refuses when there is nothing to re-run, or the run is unknown', () => {
    const ok = [job(1, 'build', 'success'), job(2, 'x', 'skipped'), job(3, 'y', 'failure', 'in_progress')];
    const none = evaluateRerun({ runId: 1, runs: [runOf({ id: 1 })], jobs: ok });
    assert.equal(none.allowed, false);
    assert.match(none.reason, /no failed jobs/);
    const succeeded = evaluateRerun({ runId: 1, runs: [runOf({ id: 1, conclusion: 'success' })], jobs });
    assert.equal(succeeded.allowed, false);
    assert.match(succeeded.reason, /succeeded/);
    const missing = evaluateRerun({ runId: 42, runs: [runOf({ id: 1 })], jobs, headSha: SHA });
    assert.equal(missing.allowed, false);
    assert.match(missing.reason, /42 was not found for abcdef0/);
  });

  it('confirmation text lists failed jobs, truncated with a count', () => {
    const many = Array.from({ length: 12 }, (_v, i) => job(i + 1, `shard ${String(i + 1).padStart(2, '0')}`, 'failure'));
    const d = evaluateRerun({ runId: 1, runs: [runOf({ id: 1, name: 'Tests' })], jobs: many });
    const text = confirmationText(d, 10);
    const lines = text.split('\n');
    assert.equal(lines[0], 'Re-run 12 failed jobs of "Tests" (attempt 2 of 3).');
    assert.equal(lines[1], '  • shard 01 (failure)');
    assert.equal(lines.length, 12);
    assert.equal(lines[11], '  … +2 more');
    assert.equal(confirmationText(evaluateRerun({ runId: 1, runs: [runOf({ id: 1 })], jobs: [job(1, 'a', 'timed_out')] })).split('\n')[1], '  • a (timed out)');
  });
});
