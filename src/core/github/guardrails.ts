// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * Re-run guardrails (Dynamo's `/retest` rules): never while any workflow run for the same head SHA
 * is still queued or running, never past the attempt cap, and only when there are failed jobs,
 * which are listed for the confirmation text.
 */

/** The fields of a workflow run (`GET /repos/{o}/{r}/actions/runs…`) that are used. */
export interface RunInfo {
  id: number;
  name?: string | null;
  head_sha?: string | null;
  status: string | null;
  conclusion: string | null;
  run_attempt?: number | null;
  html_url?: string | null;
}

/** The fields of a job (`GET /repos/{o}/{r}/actions/runs/{id}/jobs`) that are used. */
export interface JobInfo {
  id: number;
  name: string;
  status: string | null;
  conclusion: string | null;
  html_url?: string | null;
}

export interface FailedJob {
  id: number;
  name: string;
  conclusion: string;
  url: string | null;
}

export interface RerunDecision {
  allowed: boolean;
  reason: string;
  failedJobs: FailedJob[];
  /** The attempt a re-run would create, when known. */
  nextAttempt: number | null;
}

export interface RerunInput {
  /** The run to re-run. */
  runId: number;
  /** Workflow runs for the head SHA (others are ignored when `headSha` is given). */
  runs: readonly RunInfo[];
  /** Jobs of the run to re-run (latest attempt). */
  jobs: readonly JobInfo[];
  headSha?: string | null;
  /** Default 3: a run whose `run_attempt` has reached this is not re-run again. */
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 3;

const ACTIVE = new Set(['queued', 'in_progress', 'waiting', 'requested', 'pending']);
/** Conclusions `rerun-failed-jobs` re-runs (failed and cancelled jobs plus their dependents). */
const RERUNNABLE = new Set(['failure', 'cancelled', 'timed_out', 'startup_failure']);

const short = (sha: string): string => sha.slice(0, 7);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function evaluateRerun(input: RerunInput): RerunDecision {
  const maxAttempts = Math.max(1, Math.floor(input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS));
  const target = input.runs.find((r) => r.id === input.runId);
  const headSha = input.headSha ?? target?.head_sha ?? null;
  const failedJobs: FailedJob[] = input.jobs
    .filter((j) => j.status === 'completed' && j.conclusion !== null && RERUNNABLE.has(j.conclusion))
    .map((j) => ({ id: j.id, name: j.name, conclusion: j.conclusion as string, url: j.html_url ?? null }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const deny = (reason: string, nextAttempt: number | null = null): RerunDecision => ({ allowed: false, reason, failedJobs, nextAttempt });

  if (!target) return deny(`Workflow run ${input.runId} was not found${headSha ? ` for ${short(headSha)}` : ''}.`);

  const sameSha = headSha ? input.runs.filter((r) => !r.head_sha || r.head_sha === headSha) : input.runs;
  const active = sameSha.filter((r) => r.status !== null && ACTIVE.has(r.status));
  if (active.length > 0) {
    const names = active.map((r) => r.name || `run ${r.id}`).join(', ');
    return deny(`${plural(active.length, 'workflow run')} still in progress${headSha ? ` for ${short(headSha)}` : ''} (${names}); wait for ${active.length === 1 ? 'it' : 'them'} to finish.`);
  }

  const attempt = Math.max(1, target.run_attempt ?? 1);
  const label = target.name ? `"${target.name}"` : `run ${target.id}`;
  if (attempt >= maxAttempts) {
    return deny(`${label} has already run ${plural(attempt, 'attempt')} (limit ${maxAttempts}); look at the failure instead of re-running again.`);
  }
  if (target.conclusion === 'success') return deny(`${label} succeeded; nothing to re-run.`, attempt + 1);
  if (failedJobs.length === 0) return deny(`${label} has no failed jobs to re-run.`, attempt + 1);

  return {
    allowed: true,
    reason: `Re-run ${plural(failedJobs.length, 'failed job')} of ${label} (attempt ${attempt + 1} of ${maxAttempts}).`,
    failedJobs,
    nextAttempt: attempt + 1,
  };
}

/** Confirmation text: the reason, then one line per failed job (the first `limit`, then "+K more"). */
export function confirmationText(decision: RerunDecision, limit = 10): string {
  const lines = [decision.reason];
  for (const j of decision.failedJobs.slice(0, limit)) lines.push(`  • ${j.name} (${j.conclusion.replace(/_/g, ' ')})`);
  if (decision.failedJobs.length > limit) lines.push(`  … +${decision.failedJobs.length - limit} more`);
  return lines.join('\n');
}
