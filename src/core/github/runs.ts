// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * Workflow runs and their jobs: a run's jobs (latest attempt), a branch's recent runs, and the two
 * run actions, whole-run re-run (under the same guardrails as Dynamo's `/retest`) and cancel, each
 * answering with a sentence instead of a POST when the action cannot apply.
 */
import { HttpError, type GitHubClient } from './client';
import { DEFAULT_MAX_ATTEMPTS, evaluateRerun } from './guardrails';
import { loadRuns, parseRepo, summarizeRun, type RawRun, type WorkflowRunSummary } from './prChecks';

/** A job step (`GET …/actions/runs/{id}/jobs` → `jobs[].steps[]`). */
export interface RawStep {
  name: string;
  status: string;
  conclusion: string | null;
  number: number;
  started_at?: string | null;
  completed_at?: string | null;
}

/** The fields of a job (`GET …/actions/runs/{id}/jobs` → `jobs[]`) that are used. */
export interface RawJob {
  id: number;
  run_id: number;
  name: string;
  status: string;
  conclusion: string | null;
  html_url: string | null;
  started_at?: string | null;
  completed_at?: string | null;
  run_attempt?: number;
  steps?: RawStep[];
}

export type RunActionResult = { ok: true } | { ok: false; reason: string };

const repoBase = (repo: string): string => {
  const r = parseRepo(repo);
  return `/repos/${encodeURIComponent(r.owner)}/${encodeURIComponent(r.name)}`;
};

const label = (run: RawRun): string => (run.name ? `"${run.name}" (run ${run.id})` : `Run ${run.id}`);

function parseTime(s: string | null | undefined): number | null {
  if (!s || s.startsWith('0001-01-01')) return null; // GitHub's "no time" placeholder
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : null;
}

/**
 * How long a step (or job) took in ms: start to completion; while it runs, start to `now` when given.
 * Null when not started or unknown. GitHub rounds step times, so a negative span counts as 0.
 */
export function stepDurationMs(step: { status?: string | null; started_at?: string | null; completed_at?: string | null }, now?: number): number | null {
  const started = parseTime(step.started_at);
  if (started === null) return null;
  const completed = parseTime(step.completed_at);
  if (completed !== null) return Math.max(0, completed - started);
  return step.status !== 'completed' && now !== undefined ? Math.max(0, now - started) : null;
}

/** Every job of a run's latest attempt (the API's default filter), all pages. */
export async function loadRunJobs(client: GitHubClient, repo: string, runId: number): Promise<RawJob[]> {
  return client.paginate<RawJob>(`${repoBase(repo)}/actions/runs/${runId}/jobs`, 'jobs');
}

/** The newest `limit` (1–100) workflow runs of a branch, one request. */
export async function loadBranchRuns(client: GitHubClient, repo: string, branch: string, limit = 20): Promise<WorkflowRunSummary[]> {
  const perPage = Math.min(100, Math.max(1, Math.floor(limit)));
  const body = await client.get<{ workflow_runs?: RawRun[] } | null>(`${repoBase(repo)}/actions/runs`, { branch, per_page: perPage });
  return (body?.workflow_runs ?? []).slice(0, perPage).map(summarizeRun);
}

/**
 * Re-runs a whole workflow run (`POST …/rerun`), refused (no POST) while that run or another run of
 * its head SHA is queued or in progress, or once it has reached `maxAttempts` attempts (default
 * DEFAULT_MAX_ATTEMPTS). A successful run may be re-run: this is not "re-run failed jobs".
 */
export async function rerunRun(client: GitHubClient, repo: string, runId: number, opts: { maxAttempts?: number } = {}): Promise<RunActionResult> {
  const base = repoBase(repo);
  const run = await client.get<RawRun>(`${base}/actions/runs/${runId}`);
  const headSha = run.head_sha ?? null;
  const others = headSha ? (await loadRuns(client, repo, headSha)).filter((x) => x.id !== run.id) : [];
  // The /retest guardrails, asked without jobs: a refusal that leaves the next attempt unknown (run
  // missing, a run of the SHA still active, attempt cap) applies to any re-run; the others (succeeded,
  // no failed jobs) only to re-running failed jobs.
  const decision = evaluateRerun({ runId: run.id, runs: [run, ...others], jobs: [], headSha, maxAttempts: opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS });
  if (!decision.allowed && decision.nextAttempt === null) return { ok: false, reason: decision.reason };
  if (run.status !== 'completed') return { ok: false, reason: `${label(run)} is ${run.status ?? 'not finished'}; re-run it once it has finished.` };
  await client.post(`${base}/actions/runs/${run.id}/rerun`);
  return { ok: true };
}

/** GitHub's own message out of the client's `GitHub answered 409 (<message>) for …` error text. */
function githubMessage(e: HttpError): string {
  return /^GitHub answered \d+ \((.+)\) for /s.exec(e.message)?.[1] ?? e.message;
}

/** Cancels a run (`POST …/cancel`); refused (no POST) when it has already finished; a 409 answer is a refusal with GitHub's message. */
export async function cancelRun(client: GitHubClient, repo: string, runId: number): Promise<RunActionResult> {
  const base = repoBase(repo);
  const run = await client.get<RawRun>(`${base}/actions/runs/${runId}`);
  if (run.status === 'completed') {
    return { ok: false, reason: `${label(run)} has already finished${run.conclusion ? ` (${run.conclusion.replace(/_/g, ' ')})` : ''}; nothing to cancel.` };
  }
  try {
    await client.post(`${base}/actions/runs/${run.id}/cancel`);
  } catch (e) {
    if (e instanceof HttpError && e.status === 409) return { ok: false, reason: githubMessage(e) };
    throw e;
  }
  return { ok: true };
}
