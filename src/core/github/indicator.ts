// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * What the status-bar CI indicator shows for a PR's checks, as plain data (the VS Code side only renders
 * it), and the parsing of what a user types into "Show Checks for PR…".
 */
import type { Check } from './checks';
import type { RateLimitInfo } from './polling';
import type { PrChecks } from './prChecks';
import { parseRepo } from './prChecks';

export type Severity = 'error' | 'warning' | 'none';

export interface Indicator {
  visible: boolean;
  /** Status-bar text with codicons, e.g. `$(error) #1234 $(check) 12 $(x) 2 $(clock) 3`. */
  text: string;
  severity: Severity;
  /** Markdown lines for the tooltip (already escaped). */
  tooltip: string[];
  /** The failing checks, required first (what the tooltip lists). */
  failing: Check[];
}

export interface IndicatorInput {
  checks: PrChecks | null;
  /** Why the last refresh failed (shown instead of the counts when nothing was loaded yet). */
  error?: string | null;
  rateLimit?: RateLimitInfo | null;
  /** At or below this many remaining requests the quota is shown. */
  lowRemaining?: number;
  now?: number;
  /** How many failing checks the tooltip lists by name. */
  listLimit?: number;
}

/** Escapes Markdown so a check name (which anyone with push access chooses) renders literally. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$]/g, (c) => `\\${c}`);
}

const STATE_ICON = { success: '$(pass-filled)', failure: '$(error)', pending: '$(sync~spin)', none: '$(circle-outline)' } as const;

export function ciIndicator(input: IndicatorInput): Indicator {
  const { checks } = input;
  const limit = input.listLimit ?? 10;
  const quota = quotaLine(input.rateLimit ?? null, input.lowRemaining ?? 100, input.now ?? Date.now());
  if (!checks || checks.pr === null) {
    if (input.error && !checks) return { visible: true, text: '$(warning) CI', severity: 'warning', tooltip: [`CI status unavailable: ${escapeMarkdown(input.error)}`, ...(quota ? [quota] : [])], failing: [] };
    return { visible: false, text: '', severity: 'none', tooltip: [], failing: [] };
  }
  const c = checks.counts;
  const failing = checks.checks.filter((x) => x.bucket === 'failure').sort((a, b) => Number(b.required === true) - Number(a.required === true));
  const requiredFailed = checks.requiredState === 'failure';
  // Required-ness unknown (no GraphQL answer): any failure is only a warning, never an "error" claim.
  const severity: Severity = requiredFailed ? 'error' : c.failure > 0 ? 'warning' : 'none';
  const text = `${STATE_ICON[checks.state]} #${checks.pr} $(check) ${c.success} $(x) ${c.failure} $(clock) ${c.pending}`;
  const sha = checks.headSha.slice(0, 7);
  const tooltip: string[] = [`**PR #${checks.pr}** · ${escapeMarkdown(checks.repo)} @ \`${sha}\``, `${c.success} passed, ${c.failure} failed, ${c.pending} pending${c.skipped ? `, ${c.skipped} skipped` : ''}${c.neutral ? `, ${c.neutral} neutral` : ''}`];
  if (checks.requiredState === null) tooltip.push('Required checks: unknown (GitHub did not say which are required)');
  else if (requiredFailed) tooltip.push('$(error) A required check failed');
  if (failing.length > 0) {
    tooltip.push('Failing:');
    for (const f of failing.slice(0, limit)) tooltip.push(`- ${f.required === true ? '**required** ' : ''}${escapeMarkdown(f.workflow ? `${f.workflow} / ${f.name}` : f.name)}`);
    if (failing.length > limit) tooltip.push(`- … and ${failing.length - limit} more`);
  }
  if (input.error) tooltip.push(`$(warning) Last refresh failed: ${escapeMarkdown(input.error)}`);
  if (quota) tooltip.push(quota);
  tooltip.push('Click to show the PR Checks view');
  return { visible: true, text, severity, tooltip, failing };
}

function quotaLine(rl: RateLimitInfo | null, low: number, now: number): string | null {
  if (!rl || rl.remaining === null || rl.remaining > low) return null;
  const mins = rl.resetAt !== null ? Math.max(0, Math.ceil((rl.resetAt - now) / 60000)) : null;
  return `$(dashboard) GitHub API quota low: ${rl.remaining} requests left${mins !== null ? `, resets in ${mins} min` : ''}`;
}

export type ChecksInput = { ok: true; repo: string; pr: number } | { ok: true; repo: string; sha: string } | { ok: false; error: string };

/**
 * What "Show Checks for PR…" accepts: `1234`, `#1234`, `owner/repo#1234`, a PR or commit URL
 * (`https://github.com/o/r/pull/1234`, `…/commit/<sha>`, GitHub Enterprise hosts too), or a commit SHA
 * (7–40 hex digits). `defaultRepo` is used when the text names no repository.
 */
export function parseChecksInput(text: string, defaultRepo: string | null): ChecksInput {
  const t = text.trim();
  if (!t) return { ok: false, error: 'Type a PR number, a PR or commit URL, or a commit SHA.' };
  const url = /^https?:\/\/[^/\s]+\/([^/\s]+)\/([^/\s]+)\/(pull|commit)\/([^/\s?#]+)/i.exec(t);
  if (url) {
    const repo = `${url[1]}/${url[2]}`;
    try {
      parseRepo(repo);
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
    if (url[3]!.toLowerCase() === 'pull') {
      if (!/^\d+$/.test(url[4]!)) return { ok: false, error: `"${url[4]}" is not a pull request number.` };
      return { ok: true, repo, pr: Number(url[4]) };
    }
    if (!/^[0-9a-f]{7,40}$/i.test(url[4]!)) return { ok: false, error: `"${url[4]}" is not a commit SHA.` };
    return { ok: true, repo, sha: url[4]!.toLowerCase() };
  }
  const named = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)#(\d+)$/.exec(t);
  if (named) {
    try {
      parseRepo(named[1]!);
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
    return { ok: true, repo: named[1]!, pr: Number(named[2]) };
  }
  const repo = defaultRepo;
  const noRepo = { ok: false as const, error: 'No GitHub repository for the current folder: use owner/repo#N or a PR URL.' };
  const num = /^#?(\d{1,9})$/.exec(t);
  // A 7+ digit all-decimal string is a PR number only with '#'; GitHub PR numbers stay well below that.
  if (num && (t.startsWith('#') || t.length < 7)) {
    if (!repo) return noRepo;
    if (Number(num[1]) < 1) return { ok: false, error: 'PR numbers start at 1.' };
    return { ok: true, repo, pr: Number(num[1]) };
  }
  if (/^[0-9a-f]{7,40}$/i.test(t)) {
    if (!repo) return noRepo;
    return { ok: true, repo, sha: t.toLowerCase() };
  }
  return { ok: false, error: `"${t.slice(0, 80)}" is neither a PR number, a PR or commit URL, nor a commit SHA.` };
}
