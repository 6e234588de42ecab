// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * A PR's (or commit's) CI at a glance over the REST client: the head SHA from a PR number or branch,
 * every check run and commit status of that SHA, GraphQL `isRequired` for a PR, and the workflow
 * runs of the SHA (always by SHA: Dynamo's `pull-request/<N>` mirror-branch runs carry no PR link).
 * Plus guarded "re-run failed jobs".
 */
import { aggregateChecks, type Check, type Counts, type OverallState, type RawCheckRun, type RawStatus } from './checks';
import { GitHubError, NotFoundError, type GitHubClient } from './client';
import { DEFAULT_MAX_ATTEMPTS, evaluateRerun, type JobInfo, type RerunDecision, type RunInfo } from './guardrails';

export interface RepoRef {
  owner: string;
  name: string;
}

/** `owner/name` → parts; throws on anything else. */
export function parseRepo(repo: string): RepoRef {
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repo.trim());
  if (!m || m[1] === '.' || m[1] === '..' || m[2] === '.' || m[2] === '..') throw new Error(`"${repo}" is not a repository: use owner/name, e.g. ai-dynamo/dynamo`);
  return { owner: m[1] as string, name: m[2] as string };
}

export interface ChecksTarget {
  repo: string;
  pr?: number;
  sha?: string;
  branch?: string;
  /** Ask GraphQL which checks are required (PRs only; default true). */
  required?: boolean;
}

export interface WorkflowRunSummary {
  id: number;
  name: string | null;
  event: string | null;
  branch: string | null;
  status: string | null;
  conclusion: string | null;
  attempt: number;
  url: string | null;
  headSha: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  /** Start of the latest attempt. */
  runStartedAt: string | null;
}

export interface PrChecks {
  repo: string;
  pr: number | null;
  headSha: string;
  state: OverallState;
  counts: Counts;
  checks: Check[];
  runs: WorkflowRunSummary[];
  /** State over required checks; null when unknown. */
  requiredState: OverallState | null;
}

interface RawPull {
  number: number;
  head: { sha: string; ref: string };
}

/** The fields of a workflow run (`GET /repos/{o}/{r}/actions/runs…`) that are used. */
export interface RawRun extends RunInfo {
  event?: string | null;
  head_branch?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  run_started_at?: string | null;
}

const enc = encodeURIComponent;
const repoPath = (r: RepoRef): string => `/repos/${enc(r.owner)}/${enc(r.name)}`;

/** The PR number and head SHA for a target. */
export async function resolveHead(client: GitHubClient, target: ChecksTarget): Promise<{ pr: number | null; headSha: string }> {
  const r = parseRepo(target.repo);
  if (target.pr !== undefined) {
    const pull = await client.get<RawPull>(`${repoPath(r)}/pulls/${target.pr}`);
    return { pr: pull.number, headSha: pull.head.sha };
  }
  if (target.sha !== undefined) return { pr: null, headSha: target.sha };
  if (target.branch !== undefined) {
    const head = target.branch.includes(':') ? target.branch : `${r.owner}:${target.branch}`;
    const pulls = await client.get<RawPull[]>(`${repoPath(r)}/pulls`, { head, state: 'open' });
    const pull = pulls[0];
    if (pull) return { pr: pull.number, headSha: pull.head.sha };
    // Dynamo's CI mirrors PR N to the branch pull-request/N.
    const mirror = /^pull-request\/(\d+)$/.exec(target.branch);
    if (mirror) return resolveHead(client, { repo: target.repo, pr: Number(mirror[1]) });
    throw new NotFoundError(`No open pull request for branch ${target.branch} in ${target.repo}; pass --sha for a commit without a PR.`);
  }
  throw new Error('Give a pull request, a commit SHA or a branch.');
}

const REQUIRED_QUERY = `query($owner: String!, $repo: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $repo) { pullRequest(number: $number) { commits(last: 1) { nodes { commit {
    statusCheckRollup { contexts(first: 100, after: $after) { pageInfo { hasNextPage endCursor }
      nodes { __typename
        ... on CheckRun { name isRequired(pullRequestNumber: $number) }
        ... on StatusContext { context isRequired(pullRequestNumber: $number) } } } } } } } } } }`;

interface Contexts {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: { name?: string; context?: string; isRequired?: boolean }[];
}

interface RollupData {
  repository: { pullRequest: { commits: { nodes: { commit: { statusCheckRollup: { contexts: Contexts } | null } }[] } } | null } | null;
}

/** isRequired by check name / status context for a PR; null when GraphQL cannot tell. */
export async function loadRequired(client: GitHubClient, repo: string, pr: number): Promise<Map<string, boolean> | null> {
  const r = parseRepo(repo);
  const out = new Map<string, boolean>();
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const res: { data: RollupData | null } = await client.graphql<RollupData>(REQUIRED_QUERY, { owner: r.owner, repo: r.name, number: pr, after });
    const contexts: Contexts | undefined = res.data?.repository?.pullRequest?.commits.nodes[0]?.commit.statusCheckRollup?.contexts;
    if (!contexts) return out.size > 0 ? out : null;
    for (const n of contexts.nodes) {
      const name = n.name ?? n.context;
      if (name !== undefined && typeof n.isRequired === 'boolean') out.set(name, (out.get(name) ?? false) || n.isRequired);
    }
    if (!contexts.pageInfo.hasNextPage || !contexts.pageInfo.endCursor) break;
    after = contexts.pageInfo.endCursor;
  }
  return out;
}

/** Workflow runs for a head SHA, all pages. */
export async function loadRuns(client: GitHubClient, repo: string, headSha: string): Promise<RawRun[]> {
  return client.paginate<RawRun>(`${repoPath(parseRepo(repo))}/actions/runs`, 'workflow_runs', { head_sha: headSha });
}

export function summarizeRun(run: RawRun): WorkflowRunSummary {
  return {
    id: run.id,
    name: run.name ?? null,
    event: run.event ?? null,
    branch: run.head_branch ?? null,
    status: run.status,
    conclusion: run.conclusion,
    attempt: Math.max(1, run.run_attempt ?? 1),
    url: run.html_url ?? null,
    headSha: run.head_sha ?? null,
    createdAt: run.created_at ?? null,
    updatedAt: run.updated_at ?? null,
    runStartedAt: run.run_started_at ?? null,
  };
}

/** GraphQL answers per client, reused while the head SHA and the set of check names are unchanged (GraphQL has no 304). */
const requiredMemo = new WeakMap<GitHubClient, Map<string, Map<string, boolean> | null>>();

async function requiredFor(client: GitHubClient, repo: string, pr: number, headSha: string, runs: readonly RawCheckRun[], statuses: readonly RawStatus[]): Promise<Map<string, boolean> | null> {
  const names = [...new Set([...runs.map((c) => c.name), ...statuses.map((s) => s.context)])].sort();
  const key = `${repo}#${pr}@${headSha}\u0000${names.join('\u0000')}`;
  let memo = requiredMemo.get(client);
  if (memo?.has(key)) return memo.get(key) ?? null;
  let required: Map<string, boolean> | null;
  try {
    required = await loadRequired(client, repo, pr);
  } catch (e) {
    // Required-ness is a nicety: GraphQL errors leave it unknown (not memoised); auth and rate limits still surface.
    if (e instanceof GitHubError && (e.status === null || e.status === 200 || e.status >= 500 || e.status === 404)) return null;
    throw e;
  }
  if (!memo) requiredMemo.set(client, (memo = new Map()));
  if (memo.size >= 50) memo.clear();
  memo.set(key, required);
  return required;
}

export async function loadChecks(client: GitHubClient, target: ChecksTarget): Promise<PrChecks> {
  const r = parseRepo(target.repo);
  const { pr, headSha } = await resolveHead(client, target);
  const base = `${repoPath(r)}/commits/${enc(headSha)}`;
  const [checkRuns, statuses, runs] = await Promise.all([
    client.paginate<RawCheckRun>(`${base}/check-runs`, 'check_runs'),
    client.paginate<RawStatus>(`${base}/status`, 'statuses'),
    loadRuns(client, target.repo, headSha),
  ]);
  const required = pr !== null && target.required !== false ? await requiredFor(client, target.repo, pr, headSha, checkRuns, statuses) : null;
  const workflowByRunId = new Map<number, string>();
  for (const run of runs) if (run.name) workflowByRunId.set(run.id, run.name);
  const summary = aggregateChecks({ checkRuns, statuses, required, workflowByRunId });
  return {
    repo: `${r.owner}/${r.name}`,
    pr,
    headSha,
    state: summary.state,
    counts: summary.counts,
    checks: summary.checks,
    runs: runs.map(summarizeRun),
    requiredState: summary.requiredState,
  };
}

export interface RerunTarget {
  repo: string;
  runId?: number;
  pr?: number;
}

export interface RerunPlanItem {
  run: WorkflowRunSummary;
  decision: RerunDecision;
}

export interface RerunPlan {
  repo: string;
  headSha: string;
  items: RerunPlanItem[];
  /** Why nothing is planned (e.g. a PR without failed runs); null otherwise. */
  reason: string | null;
}

const FAILED_RUN = new Set(['failure', 'cancelled', 'timed_out', 'startup_failure']);

/** What `rerun-failed-jobs` would do for a run, or for each failed run of a PR's head SHA, per the guardrails. */
export async function planRerun(client: GitHubClient, target: RerunTarget, opts: { maxAttempts?: number } = {}): Promise<RerunPlan> {
  const r = parseRepo(target.repo);
  let headSha: string;
  let targets: number[];
  let runs: RawRun[];
  if (target.runId !== undefined) {
    const run = await client.get<RawRun>(`${repoPath(r)}/actions/runs/${target.runId}`);
    headSha = run.head_sha ?? '';
    runs = headSha ? await loadRuns(client, target.repo, headSha) : [run];
    if (!runs.some((x) => x.id === run.id)) runs.push(run);
    targets = [run.id];
  } else if (target.pr !== undefined) {
    ({ headSha } = await resolveHead(client, { repo: target.repo, pr: target.pr }));
    runs = await loadRuns(client, target.repo, headSha);
    targets = runs.filter((x) => x.status === 'completed' && x.conclusion !== null && FAILED_RUN.has(x.conclusion)).map((x) => x.id);
    if (targets.length === 0) {
      return { repo: target.repo, headSha, items: [], reason: `No failed workflow runs for PR #${target.pr} (${headSha.slice(0, 7)}).` };
    }
  } else {
    throw new Error('Give a workflow run id or a pull request.');
  }
  const items: RerunPlanItem[] = [];
  for (const id of targets) {
    const jobs = await client.paginate<JobInfo>(`${repoPath(r)}/actions/runs/${id}/jobs`, 'jobs');
    const decision = evaluateRerun({ runId: id, runs, jobs, headSha, maxAttempts: opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS });
    const run = runs.find((x) => x.id === id) as RawRun;
    items.push({ run: summarizeRun(run), decision });
  }
  return { repo: target.repo, headSha, items, reason: null };
}

/** POSTs rerun-failed-jobs for every allowed item; returns the run ids re-run. */
export async function executeRerun(client: GitHubClient, plan: RerunPlan): Promise<number[]> {
  const r = parseRepo(plan.repo);
  const done: number[] = [];
  for (const item of plan.items) {
    if (!item.decision.allowed) continue;
    await client.post(`${repoPath(r)}/actions/runs/${item.run.id}/rerun-failed-jobs`);
    done.push(item.run.id);
  }
  return done;
}

/** Plan, then re-run what the guardrails allow. */
export async function rerunFailed(client: GitHubClient, target: RerunTarget, opts: { maxAttempts?: number } = {}): Promise<{ plan: RerunPlan; rerun: number[] }> {
  const plan = await planRerun(client, target, opts);
  return { plan, rerun: await executeRerun(client, plan) };
}
