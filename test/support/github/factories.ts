// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// Factories for GitHub REST payloads served by the GitHub stand-in. Each fills every property the
// OpenAPI description marks REQUIRED (checked by test/unit/githubServer.test.ts) with plausible values:
// API URLs point at the stand-in's base URL, html_url at https://github.com.
import { createHash } from 'node:crypto';

/* eslint-disable @typescript-eslint/no-explicit-any -- payloads are plain JSON */
export type Json = Record<string, any>;

/** Where the payload lives: `api` is the stand-in's base URL (no trailing slash). */
export interface RepoCtx { api: string; owner: string; repo: string }

export const HTML = 'https://github.com';
export type CheckStatus = 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
export type Conclusion = 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required';
export type StatusState = 'error' | 'failure' | 'pending' | 'success';

let seq = 100_000;
/** A process-unique positive id. */
export function nextId(): number { return ++seq; }

/** A GitHub-style (legacy format) base64 node id, e.g. `MDg6Q2hlY2tSdW4xMjM=` for CheckRun 123. */
export function nodeId(type: string, id: number): string {
  return Buffer.from(`0${String(type.length + 1).padStart(2, '0')}:${type}${id}`).toString('base64');
}

/** A deterministic 40-hex SHA derived from `seed`. */
export function fakeSha(seed: string): string { return createHash('sha1').update(seed).digest('hex'); }

/** ISO-8601 timestamp without milliseconds (GitHub style), `offsetSeconds` from now. */
export function iso(offsetSeconds = 0, now = Date.now()): string {
  return new Date(now + offsetSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The repository's last push, fixed for the process: on GitHub it moves only on a push, so bodies that
 * embed the repository (the combined status) keep their ETag between polls. */
const REPO_PUSHED_AT = iso(-600);

/** A "simple user" (owner, actor, creator, …). */
export function makeUser(api: string, login = 'dynamo-dev', id = 4242, type: 'User' | 'Organization' | 'Bot' = 'User'): Json {
  const u = `${api}/users/${login}`;
  return {
    login, id, node_id: nodeId(type === 'Organization' ? 'Organization' : 'User', id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`, gravatar_id: '',
    url: u, html_url: `${HTML}/${login}`,
    followers_url: `${u}/followers`, following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`, starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`, organizations_url: `${u}/orgs`, repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`, received_events_url: `${u}/received_events`,
    type, user_view_type: 'public', site_admin: false,
  };
}

/** GET /user for an authenticated user ("private user": includes plan and private counters). */
export function makeAuthenticatedUser(api: string, login = 'dynamo-dev', id = 4242): Json {
  return {
    ...makeUser(api, login, id),
    name: 'Dynamo Developer', company: 'NVIDIA', blog: '', location: null, email: null, hireable: null,
    bio: null, twitter_username: null, notification_email: null,
    public_repos: 12, public_gists: 0, followers: 3, following: 1,
    created_at: '2020-01-02T03:04:05Z', updated_at: iso(-86400),
    private_gists: 0, total_private_repos: 1, owned_private_repos: 1, disk_usage: 1024, collaborators: 0,
    two_factor_authentication: true,
    plan: { name: 'free', space: 976562499, private_repos: 10000, collaborators: 0 },
  };
}

/** A full repository (satisfies both "repository" and "minimal-repository"). */
export function makeRepository(ctx: RepoCtx, id = 600_000_001): Json {
  const full = `${ctx.owner}/${ctx.repo}`;
  const r = `${ctx.api}/repos/${full}`;
  return {
    id, node_id: nodeId('Repository', id), name: ctx.repo, full_name: full,
    owner: makeUser(ctx.api, ctx.owner, 170_000_001, 'Organization'),
    private: false, html_url: `${HTML}/${full}`, description: 'A datacenter scale distributed inference serving framework',
    fork: false, url: r,
    archive_url: `${r}/{archive_format}{/ref}`, assignees_url: `${r}/assignees{/user}`, blobs_url: `${r}/git/blobs{/sha}`,
    branches_url: `${r}/branches{/branch}`, collaborators_url: `${r}/collaborators{/collaborator}`,
    comments_url: `${r}/comments{/number}`, commits_url: `${r}/commits{/sha}`, compare_url: `${r}/compare/{base}...{head}`,
    contents_url: `${r}/contents/{+path}`, contributors_url: `${r}/contributors`, deployments_url: `${r}/deployments`,
    downloads_url: `${r}/downloads`, events_url: `${r}/events`, forks_url: `${r}/forks`,
    git_commits_url: `${r}/git/commits{/sha}`, git_refs_url: `${r}/git/refs{/sha}`, git_tags_url: `${r}/git/tags{/sha}`,
    git_url: `git://github.com/${full}.git`, ssh_url: `git@github.com:${full}.git`, clone_url: `${HTML}/${full}.git`,
    svn_url: `${HTML}/${full}`, mirror_url: null, hooks_url: `${r}/hooks`,
    issue_comment_url: `${r}/issues/comments{/number}`, issue_events_url: `${r}/issues/events{/number}`,
    issues_url: `${r}/issues{/number}`, keys_url: `${r}/keys{/key_id}`, labels_url: `${r}/labels{/name}`,
    languages_url: `${r}/languages`, merges_url: `${r}/merges`, milestones_url: `${r}/milestones{/number}`,
    notifications_url: `${r}/notifications{?since,all,participating}`, pulls_url: `${r}/pulls{/number}`,
    releases_url: `${r}/releases{/id}`, stargazers_url: `${r}/stargazers`, statuses_url: `${r}/statuses/{sha}`,
    subscribers_url: `${r}/subscribers`, subscription_url: `${r}/subscription`, tags_url: `${r}/tags`,
    teams_url: `${r}/teams`, trees_url: `${r}/git/trees{/sha}`,
    homepage: 'https://docs.nvidia.com/dynamo', language: 'Rust',
    forks: 500, forks_count: 500, stargazers_count: 5000, watchers: 5000, watchers_count: 5000, size: 40_000,
    default_branch: 'main', open_issues: 300, open_issues_count: 300, is_template: false, topics: [],
    has_issues: true, has_projects: true, has_wiki: false, has_pages: false, has_downloads: true, has_discussions: true,
    archived: false, disabled: false, visibility: 'public',
    pushed_at: REPO_PUSHED_AT, created_at: '2025-01-01T00:00:00Z', updated_at: REPO_PUSHED_AT,
    license: { key: 'apache-2.0', name: 'Apache License 2.0', spdx_id: 'Apache-2.0', url: `${ctx.api}/licenses/apache-2.0`, node_id: 'MDc6TGljZW5zZTI=' },
  };
}

export interface PullOptions {
  number: number;
  /** Head branch name. */
  head: string;
  headSha?: string;
  /** Owner of the head repository (a fork when not the base owner). Default: the base owner. */
  headOwner?: string;
  base?: string;
  baseSha?: string;
  title?: string;
  state?: 'open' | 'closed';
  draft?: boolean;
  merged?: boolean;
  user?: string;
}

/** A full pull request (GET /pulls/{n}); list items are the same object (a superset of "pull-request-simple"). */
export function makePullRequest(ctx: RepoCtx, o: PullOptions): Json {
  const full = `${ctx.owner}/${ctx.repo}`;
  const r = `${ctx.api}/repos/${full}`;
  const id = 2_000_000_000 + o.number;
  const user = makeUser(ctx.api, o.user ?? 'dynamo-dev');
  const headOwner = o.headOwner ?? ctx.owner;
  const headSha = o.headSha ?? fakeSha(`head:${o.head}`);
  const baseRef = o.base ?? 'main';
  const state = o.state ?? 'open';
  const merged = o.merged ?? false;
  const closedAt = state === 'closed' ? iso(-60) : null;
  const link = (href: string) => ({ href });
  return {
    url: `${r}/pulls/${o.number}`, id, node_id: nodeId('PullRequest', id), number: o.number,
    html_url: `${HTML}/${full}/pull/${o.number}`, diff_url: `${HTML}/${full}/pull/${o.number}.diff`,
    patch_url: `${HTML}/${full}/pull/${o.number}.patch`, issue_url: `${r}/issues/${o.number}`,
    commits_url: `${r}/pulls/${o.number}/commits`, review_comments_url: `${r}/pulls/${o.number}/comments`,
    review_comment_url: `${r}/pulls/comments{/number}`, comments_url: `${r}/issues/${o.number}/comments`,
    statuses_url: `${r}/statuses/${headSha}`,
    state, locked: false, title: o.title ?? `feat: ${o.head}`, user, body: 'Overview: …', labels: [], milestone: null,
    active_lock_reason: null, created_at: iso(-7200), updated_at: iso(-120), closed_at: closedAt,
    merged_at: merged ? closedAt : null, merge_commit_sha: fakeSha(`merge:${o.number}`),
    assignee: null, assignees: [], requested_reviewers: [], requested_teams: [], draft: o.draft ?? false,
    head: {
      label: `${headOwner}:${o.head}`, ref: o.head, sha: headSha, user: makeUser(ctx.api, headOwner),
      repo: makeRepository({ ...ctx, owner: headOwner }, headOwner === ctx.owner ? 600_000_001 : 600_000_002),
    },
    base: {
      label: `${ctx.owner}:${baseRef}`, ref: baseRef, sha: o.baseSha ?? fakeSha(`base:${baseRef}`),
      user: makeUser(ctx.api, ctx.owner, 170_000_001, 'Organization'), repo: makeRepository(ctx),
    },
    _links: {
      self: link(`${r}/pulls/${o.number}`), html: link(`${HTML}/${full}/pull/${o.number}`),
      issue: link(`${r}/issues/${o.number}`), comments: link(`${r}/issues/${o.number}/comments`),
      review_comments: link(`${r}/pulls/${o.number}/comments`), review_comment: link(`${r}/pulls/comments{/number}`),
      commits: link(`${r}/pulls/${o.number}/commits`), statuses: link(`${r}/statuses/${headSha}`),
    },
    author_association: 'MEMBER', auto_merge: null,
    merged, mergeable: true, rebaseable: true, mergeable_state: 'blocked', merged_by: null,
    comments: 0, review_comments: 0, maintainer_can_modify: false, commits: 1, additions: 10, deletions: 2, changed_files: 1,
  };
}

/** The GitHub Actions app as it appears on check runs. */
export function makeActionsApp(api: string): Json {
  return {
    id: 15368, slug: 'github-actions', node_id: 'MDM6QXBwMTUzNjg=',
    owner: makeUser(api, 'github', 9919, 'Organization'),
    name: 'GitHub Actions', description: 'Automate your workflow from idea to production',
    external_url: 'https://help.github.com/en/actions', html_url: `${HTML}/apps/github-actions`,
    created_at: '2018-07-30T09:30:17Z', updated_at: '2024-04-10T20:33:16Z',
    permissions: { actions: 'write', checks: 'write', contents: 'write', metadata: 'read', pull_requests: 'write', statuses: 'write' },
    events: ['check_run', 'check_suite', 'pull_request', 'push', 'workflow_dispatch'],
  };
}

export interface CheckRunOptions {
  name: string;
  headSha: string;
  status?: CheckStatus;
  /** Defaults to `success` when completed, `null` otherwise. */
  conclusion?: Conclusion | null;
  id?: number;
  /** Workflow job this check run belongs to (links details_url / html_url to the job). */
  runId?: number;
  jobId?: number;
  summary?: string | null;
}

export function makeCheckRun(ctx: RepoCtx, o: CheckRunOptions): Json {
  const full = `${ctx.owner}/${ctx.repo}`;
  const id = o.id ?? o.jobId ?? nextId();
  const status = o.status ?? 'completed';
  const done = status === 'completed';
  const html = o.runId ? `${HTML}/${full}/actions/runs/${o.runId}/job/${id}` : `${HTML}/${full}/runs/${id}`;
  return {
    id, node_id: nodeId('CheckRun', id), head_sha: o.headSha, external_id: '', name: o.name,
    url: `${ctx.api}/repos/${full}/check-runs/${id}`, html_url: html, details_url: html,
    status, conclusion: done ? (o.conclusion === undefined ? 'success' : o.conclusion) : null,
    started_at: status === 'queued' ? null : iso(-600), completed_at: done ? iso(-60) : null,
    output: {
      title: null, summary: o.summary ?? null, text: null, annotations_count: 0,
      annotations_url: `${ctx.api}/repos/${full}/check-runs/${id}/annotations`,
    },
    check_suite: { id: 30_000_000_000 + (o.runId ?? 0) },
    app: makeActionsApp(ctx.api), pull_requests: [],
  };
}

export interface StatusOptions { context: string; state?: StatusState; description?: string | null; targetUrl?: string | null; id?: number }

/** A commit status (the creator is included; the combined-status variant omits it). */
export function makeStatus(ctx: RepoCtx, sha: string, o: StatusOptions): Json {
  const id = o.id ?? nextId();
  return {
    url: `${ctx.api}/repos/${ctx.owner}/${ctx.repo}/statuses/${sha}`,
    avatar_url: 'https://avatars.githubusercontent.com/u/9919?v=4', id, node_id: nodeId('StatusContext', id),
    state: o.state ?? 'success', description: o.description === undefined ? 'Build finished.' : o.description,
    target_url: o.targetUrl === undefined ? `https://ci.example.com/builds/${id}` : o.targetUrl, context: o.context,
    created_at: iso(-300), updated_at: iso(-60), creator: makeUser(ctx.api, 'nv-ci-bot', 5151, 'Bot'),
  };
}

/** The combined state GitHub reports: failure if any error/failure, pending if any pending or none, else success. */
export function combinedState(statuses: Json[]): StatusState {
  if (statuses.some(s => s.state === 'error' || s.state === 'failure')) { return 'failure'; }
  if (!statuses.length || statuses.some(s => s.state === 'pending')) { return 'pending'; }
  return 'success';
}

export interface WorkflowRunOptions {
  headSha: string;
  branch?: string;
  /** Workflow name (also the run's `name`). */
  name?: string;
  path?: string;
  event?: string;
  status?: CheckStatus;
  conclusion?: Conclusion | null;
  id?: number;
  runNumber?: number;
  runAttempt?: number;
  workflowId?: number;
  displayTitle?: string;
}

export function makeWorkflowRun(ctx: RepoCtx, o: WorkflowRunOptions): Json {
  const full = `${ctx.owner}/${ctx.repo}`;
  const r = `${ctx.api}/repos/${full}`;
  const id = o.id ?? nextId();
  const status = o.status ?? 'completed';
  const workflowId = o.workflowId ?? 160_000_001;
  const actor = makeUser(ctx.api, 'dynamo-dev');
  return {
    id, name: o.name ?? 'Pre Merge', node_id: nodeId('WorkflowRun', id), check_suite_id: 30_000_000_000 + id,
    check_suite_node_id: nodeId('CheckSuite', 30_000_000_000 + id), head_branch: o.branch ?? 'main', head_sha: o.headSha,
    path: o.path ?? '.github/workflows/pre-merge.yml', run_number: o.runNumber ?? (id % 10_000), run_attempt: o.runAttempt ?? 1,
    event: o.event ?? 'pull_request', display_title: o.displayTitle ?? 'feat: CI at a glance', status,
    conclusion: status === 'completed' ? (o.conclusion === undefined ? 'success' : o.conclusion) : null,
    workflow_id: workflowId, url: `${r}/actions/runs/${id}`, html_url: `${HTML}/${full}/actions/runs/${id}`,
    pull_requests: [], created_at: iso(-900), updated_at: iso(-60), run_started_at: iso(-900),
    actor, triggering_actor: actor,
    jobs_url: `${r}/actions/runs/${id}/jobs`, logs_url: `${r}/actions/runs/${id}/logs`,
    check_suite_url: `${r}/check-suites/${30_000_000_000 + id}`, artifacts_url: `${r}/actions/runs/${id}/artifacts`,
    cancel_url: `${r}/actions/runs/${id}/cancel`, rerun_url: `${r}/actions/runs/${id}/rerun`,
    previous_attempt_url: null, workflow_url: `${r}/actions/workflows/${workflowId}`,
    head_commit: {
      id: o.headSha, tree_id: fakeSha(`tree:${o.headSha}`), message: o.displayTitle ?? 'feat: CI at a glance', timestamp: iso(-1000),
      author: { name: 'Dynamo Developer', email: 'dev@example.com' }, committer: { name: 'GitHub', email: 'noreply@github.com' },
    },
    repository: makeRepository(ctx), head_repository: makeRepository(ctx),
  };
}

export interface StepOptions { name: string; status?: 'queued' | 'in_progress' | 'completed'; conclusion?: Conclusion | null }

export interface JobOptions {
  name: string;
  status?: CheckStatus;
  conclusion?: Conclusion | null;
  id?: number;
  /** Steps; default: set up, checkout, a build step carrying the job's conclusion, complete. */
  steps?: StepOptions[];
  labels?: string[];
  /** Job log text served by the logs endpoint; default: a generated log. */
  log?: string;
}

export function makeStep(o: StepOptions, number: number, status: CheckStatus): Json {
  const s = o.status ?? (status === 'completed' ? 'completed' : status === 'in_progress' ? 'in_progress' : 'queued');
  return {
    name: o.name, status: s, conclusion: s === 'completed' ? (o.conclusion === undefined ? 'success' : o.conclusion) : null,
    number, started_at: s === 'queued' ? null : iso(-500 + number), completed_at: s === 'completed' ? iso(-100 + number) : null,
  };
}

export function makeJob(ctx: RepoCtx, run: Json, o: JobOptions): Json {
  const full = `${ctx.owner}/${ctx.repo}`;
  const r = `${ctx.api}/repos/${full}`;
  const id = o.id ?? nextId();
  const status = o.status ?? 'completed';
  const done = status === 'completed';
  const conclusion = done ? (o.conclusion === undefined ? 'success' : o.conclusion) : null;
  const stepSpecs = o.steps ?? (status === 'queued' ? [] : [
    { name: 'Set up job', conclusion: 'success' as const },
    { name: 'Run actions/checkout@v4', conclusion: 'success' as const },
    { name: 'Build and test', conclusion },
    { name: 'Complete job', conclusion: conclusion === 'success' ? 'success' as const : 'skipped' as const },
  ]);
  const started = status !== 'queued';
  return {
    id, run_id: run.id, workflow_name: run.name, head_branch: run.head_branch, run_url: `${r}/actions/runs/${run.id}`,
    run_attempt: run.run_attempt, node_id: nodeId('CheckRun', id), head_sha: run.head_sha, url: `${r}/actions/jobs/${id}`,
    html_url: `${HTML}/${full}/actions/runs/${run.id}/job/${id}`, status, conclusion,
    created_at: iso(-700), started_at: iso(-600), completed_at: done ? iso(-60) : null, name: o.name,
    steps: stepSpecs.map((s, i) => makeStep(s, i + 1, status)),
    check_run_url: `${r}/check-runs/${id}`, labels: o.labels ?? ['ubuntu-latest'],
    runner_id: started ? 7 : null, runner_name: started ? 'GitHub Actions 7' : null,
    runner_group_id: started ? 2 : null, runner_group_name: started ? 'GitHub Actions' : null,
  };
}

/** A plausible Actions job log (timestamped lines with ##[group] markers). */
export function defaultJobLog(job: Json): string {
  const t = '2026-01-01T00:00:0';
  const lines = [
    `${t}0.0000000Z ##[group]Runner Image`, `${t}0.0000001Z Image: ubuntu-24.04`, `${t}0.0000002Z ##[endgroup]`,
    `${t}1.0000000Z ##[group]Run ${job.name}`, `${t}1.0000001Z cargo test --workspace`, `${t}1.0000002Z ##[endgroup]`,
  ];
  if (job.conclusion === 'failure') {
    lines.push(`${t}2.0000000Z test result: FAILED. 41 passed; 1 failed`, `${t}2.0000001Z ##[error]Process completed with exit code 101.`);
  } else {
    lines.push(`${t}2.0000000Z test result: ok. 42 passed; 0 failed`);
  }
  return lines.join('\n') + '\n';
}

export interface Bucket { limit: number; remaining: number; reset: number; used: number }

/** GET /rate_limit body for the given buckets. */
export function makeRateLimit(core: Bucket, graphql: Bucket): Json {
  const reset = Math.floor(Date.now() / 1000) + 3600;
  const other = (limit: number) => ({ limit, remaining: limit, reset, used: 0 });
  return {
    resources: {
      core: { ...core }, graphql: { ...graphql }, search: other(30), code_search: other(10),
      integration_manifest: other(5000), source_import: other(100), code_scanning_upload: other(1000),
      actions_runner_registration: other(10000), scim: other(15000), dependency_snapshots: other(100),
      audit_log: other(1750), code_scanning_autofix: other(10),
    },
    rate: { ...core },
  };
}
