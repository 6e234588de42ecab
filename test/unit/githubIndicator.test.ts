// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import * as assert from 'node:assert/strict';
import { aggregateChecks, type RawCheckRun } from '../../src/core/github/checks';
import { ciIndicator, escapeMarkdown, parseChecksInput } from '../../src/core/github/indicator';
import type { PrChecks } from '../../src/core/github/prChecks';

const SHA = 'abcdef0123456789abcdef0123456789abcdef01';

function run(name: string, status: RawCheckRun['status'], conclusion: RawCheckRun['conclusion'] = null): RawCheckRun {
  return { id: name.length * 1000 + (conclusion?.length ?? 0), name, status, conclusion, check_suite: { id: 1 }, started_at: null, completed_at: null, details_url: null, html_url: null, app: { slug: 'github-actions' } } as RawCheckRun;
}

function prChecks(runs: RawCheckRun[], required: Record<string, boolean> | null, pr: number | null = 7): PrChecks {
  const s = aggregateChecks({ checkRuns: runs, required });
  return { repo: 'ai-dynamo/dynamo', pr, headSha: SHA, state: s.state, counts: s.counts, checks: s.checks, runs: [], requiredState: s.requiredState };
}

describe('CI status-bar indicator', () => {
  it('is hidden without a PR (a commit without one, or nothing loaded)', () => {
    assert.equal(ciIndicator({ checks: null }).visible, false);
    assert.equal(ciIndicator({ checks: prChecks([run('a', 'completed', 'success')], null, null) }).visible, false);
  });

  it('counts passed / failed / pending, and takes the error background only when a required check failed', () => {
    const runs = [run('build', 'completed', 'failure'), run('lint', 'completed', 'success'), run('docs', 'in_progress')];
    const requiredFailed = ciIndicator({ checks: prChecks(runs, { build: true, lint: false, docs: false }) });
    assert.equal(requiredFailed.text, '$(error) #7 $(check) 1 $(x) 1 $(clock) 1');
    assert.equal(requiredFailed.severity, 'error');
    const optionalFailed = ciIndicator({ checks: prChecks(runs, { build: false, lint: true, docs: false }) });
    assert.equal(optionalFailed.severity, 'warning');
    const unknown = ciIndicator({ checks: prChecks(runs, null) });
    assert.equal(unknown.severity, 'warning', 'unknown required-ness never claims a required failure');
    assert.ok(unknown.tooltip.some((l) => l.startsWith('Required checks: unknown')));
    const green = ciIndicator({ checks: prChecks([run('lint', 'completed', 'success')], { lint: true }) });
    assert.equal(green.severity, 'none');
    assert.equal(green.text, '$(pass-filled) #7 $(check) 1 $(x) 0 $(clock) 0');
  });

  it('lists failing checks in the tooltip, required first, escaped, capped', () => {
    const runs = [run('opt [x](javascript:alert(1))', 'completed', 'failure'), run('req', 'completed', 'failure'), ...Array.from({ length: 12 }, (_, i) => run(`f${i}`, 'completed', 'failure'))];
    const ind = ciIndicator({ checks: prChecks(runs, { req: true }), listLimit: 3 });
    const i = ind.tooltip.indexOf('Failing:');
    assert.deepEqual(ind.tooltip.slice(i + 1, i + 5), ['- **required** req', ind.tooltip[i + 2], ind.tooltip[i + 3], '- … and 11 more']);
    const hostile = ind.tooltip.find((l) => l.includes('javascript'));
    assert.ok(!hostile || !/\]\(javascript/.test(hostile), 'no live link');
    assert.equal(escapeMarkdown('[a](b) *c* `d`'), '\\[a\\]\\(b\\) \\*c\\* \\`d\\`');
  });

  it('shows the quota when low, and an error when nothing could be loaded', () => {
    const now = Date.UTC(2026, 0, 1);
    const ind = ciIndicator({ checks: prChecks([run('a', 'completed', 'success')], null), rateLimit: { limited: false, notBefore: null, remaining: 40, resetAt: now + 30 * 60000 }, now });
    assert.ok(ind.tooltip.includes('$(dashboard) GitHub API quota low: 40 requests left, resets in 30 min'));
    const plenty = ciIndicator({ checks: prChecks([run('a', 'completed', 'success')], null), rateLimit: { limited: false, notBefore: null, remaining: 4000, resetAt: now + 60000 }, now });
    assert.ok(!plenty.tooltip.some((l) => l.includes('quota')));
    const err = ciIndicator({ checks: null, error: 'Could not reach api.github.com/repos: ENOTFOUND.' });
    assert.equal(err.visible, true);
    assert.equal(err.severity, 'warning');
    assert.match(err.tooltip[0]!, /^CI status unavailable: Could not reach api\\\.github\\\.com/);
  });
});

describe('Show Checks for PR… input', () => {
  const ok = (text: string, repo: string | null = 'ai-dynamo/dynamo') => parseChecksInput(text, repo);
  it('accepts PR numbers, owner/repo#N, PR and commit URLs, and SHAs', () => {
    assert.deepEqual(ok('1234'), { ok: true, repo: 'ai-dynamo/dynamo', pr: 1234 });
    assert.deepEqual(ok(' #99 '), { ok: true, repo: 'ai-dynamo/dynamo', pr: 99 });
    assert.deepEqual(ok('NVIDIA/TensorRT-LLM#5'), { ok: true, repo: 'NVIDIA/TensorRT-LLM', pr: 5 });
    assert.deepEqual(ok('https://github.com/ai-dynamo/dynamo/pull/4242/files'), { ok: true, repo: 'ai-dynamo/dynamo', pr: 4242 });
    assert.deepEqual(ok('https://ghe.example.com/team/proj/pull/3'), { ok: true, repo: 'team/proj', pr: 3 });
    assert.deepEqual(ok(`https://github.com/o/r/commit/${SHA.toUpperCase()}`), { ok: true, repo: 'o/r', sha: SHA });
    assert.deepEqual(ok('abcdef0'), { ok: true, repo: 'ai-dynamo/dynamo', sha: 'abcdef0' });
    assert.deepEqual(ok('#1234567'), { ok: true, repo: 'ai-dynamo/dynamo', pr: 1234567 });
    assert.deepEqual(ok('1234567'), { ok: true, repo: 'ai-dynamo/dynamo', sha: '1234567' }, 'seven digits are a short SHA');
  });
  it('refuses the rest with a sentence', () => {
    for (const [text, re] of [
      ['', /^Type a PR number/],
      ['#0', /^PR numbers start at 1/],
      ['pull/12', /is neither a PR number/],
      ['https://github.com/o/r/pull/abc', /is not a pull request number/],
      ['https://github.com/o/r/commit/xyz', /is not a commit SHA/],
      ['../x#3', /is not a repository/],
      ['$(rm -rf /)', /is neither/],
    ] as const) {
      const r = ok(text);
      assert.equal(r.ok, false, text);
      assert.match((r as { error: string }).error, re, text);
    }
    assert.match((parseChecksInput('12', null) as { error: string }).error, /^No GitHub repository for the current folder/);
  });
});
