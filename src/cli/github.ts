// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// `dynamo-dev checks` and `dynamo-dev rerun`: CI at a glance from a terminal, on the same core as the extension.
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { parseApiBase } from '../core/github/apiBase';
import type { Check } from '../core/github/checks';
import { GitHubClient } from '../core/github/client';
import { confirmationText } from '../core/github/guardrails';
import { executeRerun, loadChecks, parseRepo, planRerun, type PrChecks, type RerunPlan } from '../core/github/prChecks';
import { redactSecrets } from '../core/github/redact';
import { pickRemote, readGitState } from '../core/github/remote';
import { resolveToken } from '../core/github/tokens';

export const GITHUB_USAGE = `  checks                CI at a glance for a pull request or commit: check runs, commit statuses and
                        workflow runs of the head SHA (runs are found by SHA, so Dynamo's
                        pull-request/<N> mirror-branch runs are included).
    --repo <owner/name> Repository, e.g. ai-dynamo/dynamo. Default: the current directory's git
                        repository (its origin remote, else upstream, else the first GitHub-style one).
    --pr N | --sha S | --branch B   What to look at (a branch means its open pull request). Without
                        --repo and all three: the current branch (a detached HEAD needs --sha).
    --api-url <url>     GitHub API base (default GITHUB_API_URL, else the remote's host when the
                        repository comes from git, else https://api.github.com; GitHub Enterprise:
                        https://HOST/api/v3).
    --json              Print {repo, pr, headSha, state, counts: {success, failure, pending, skipped,
                        neutral}, checks: [{name, workflow, source, status, conclusion, required, url,
                        runId}], runs: [{id, name, event, branch, status, conclusion, attempt, url}]}.
                        Exit codes: 0 success (or no checks), 1 failure, 2 pending, 3 usage error,
                        4 API, authentication or network error.
  rerun                 Re-run the failed jobs of a workflow run (or of every failed run of a PR's head
                        SHA), only when no run for that SHA is still in progress and the attempt cap
                        is not reached.
    --repo <owner/name> Repository.
    --run ID | --pr N   The workflow run, or the pull request.
    --failed            Re-run failed jobs only (required; the only mode).
    --max-attempts N    Attempt cap (default 3).
    --yes               Do not ask; without it the jobs are listed and confirmation is asked on a
                        terminal (refused when not interactive).
    --api-url <url>     GitHub API base.
                        Exit codes: 0 re-run, 1 refused (guardrails or not confirmed), 3 usage error
                        (or no --yes when not interactive), 4 API, authentication or network error.
  Both use the token from GH_TOKEN / GITHUB_TOKEN (GH_ENTERPRISE_TOKEN for other hosts),
  ~/.config/github-token, gh's hosts.yml or \`gh auth token\`; it is never printed.`;

export const EXIT_USAGE = 3;
export const EXIT_ERROR = 4;

class GitHubUsageError extends Error {}

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
  /** Where `checks` looks for the git repository when --repo is not given (`process` provides it). */
  cwd?: () => string;
}

function positiveInt(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new GitHubUsageError(`${flag} takes a positive whole number, not "${v}"`);
  return Number(v);
}

async function makeClient(apiUrl: string | undefined, env: NodeJS.ProcessEnv, needToken: boolean): Promise<{ client: GitHubClient; token: string | null }> {
  const setting = apiUrl ?? env['GITHUB_API_URL'] ?? '';
  const parsed = parseApiBase(setting);
  if (!parsed.ok) throw new GitHubUsageError(parsed.error);
  const resolved = await resolveToken({ apiBase: parsed.base, env });
  if (!resolved && needToken) {
    throw new Error(`no GitHub token for ${parsed.tokenHost}: set ${parsed.kind === 'github.com' ? 'GH_TOKEN' : 'GH_ENTERPRISE_TOKEN'} or run "gh auth login${parsed.kind === 'github.com' ? '' : ` --hostname ${parsed.tokenHost}`}"`);
  }
  const token = resolved?.token ?? null;
  return { client: new GitHubClient({ apiBase: parsed.base, token, userAgent: 'dynamo-dev-cli' }), token };
}

/** Hosts whose API is api.github.com (`ssh.github.com` is SSH over port 443). */
const DOTCOM = new Set(['github.com', 'www.github.com', 'ssh.github.com']);

/**
 * The repository (and, when `wantBranch`, the branch) of the git checkout at `cwd`, for `checks`
 * without --repo: the origin remote, else upstream, else the first GitHub-style remote.
 */
async function repoHere(cwd: string, wantBranch: boolean): Promise<{ repo: string; host: string; branch: string | undefined }> {
  const state = await readGitState(cwd);
  if (!state) throw new GitHubUsageError(`no --repo given and ${cwd} is not in a git repository: pass --repo owner/name`);
  const remote = pickRemote(state.remotes, ['origin', 'upstream']);
  if (!remote) throw new GitHubUsageError(`no --repo given and the git repository at ${state.root} has no GitHub remote: pass --repo owner/name`);
  if (wantBranch && state.branch === null) {
    const at = state.sha ? ` at ${state.sha.slice(0, 12)}` : '';
    throw new GitHubUsageError(`HEAD is detached${at} in ${state.root}, so there is no branch to look up: pass --sha${state.sha ? ` ${state.sha}` : ' S'} (or --pr N)`);
  }
  return { repo: `${remote.owner}/${remote.name}`, host: remote.host, branch: wantBranch ? (state.branch ?? undefined) : undefined };
}

export function checksToJson(r: PrChecks) {
  const { total: _total, ...counts } = r.counts;
  return {
    repo: r.repo,
    pr: r.pr,
    headSha: r.headSha,
    state: r.state,
    counts,
    checks: r.checks.map((c) => ({ name: c.name, workflow: c.workflow, source: c.source, status: c.status, conclusion: c.conclusion, required: c.required, url: c.url, runId: c.runId })),
    // The documented keys only (the summary carries more).
    runs: r.runs.map((x) => ({ id: x.id, name: x.name, event: x.event, branch: x.branch, status: x.status, conclusion: x.conclusion, attempt: x.attempt, url: x.url })),
  };
}

const MARK: Record<Check['bucket'], string> = { failure: '✗', pending: '…', success: '✓', skipped: '-', neutral: '○' };

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

/** A readable summary: header line, then checks (failures first, as aggregated), then workflow runs. */
export function formatChecks(r: PrChecks): string {
  const c = r.counts;
  const out = [
    `${r.repo}${r.pr !== null ? ` #${r.pr}` : ''} @ ${r.headSha.slice(0, 12)}: ${r.state} (${c.failure} failed, ${c.pending} pending, ${c.success} passed, ${c.skipped} skipped, ${c.neutral} neutral)`,
  ];
  if (r.checks.length === 0) out.push('No checks.');
  else {
    const rows = [['', 'CHECK', 'WORKFLOW', 'RESULT', 'REQUIRED', 'URL']];
    for (const k of r.checks) {
      rows.push([MARK[k.bucket], k.name, k.workflow ?? (k.source === 'status' ? '(status)' : '-'), k.conclusion ?? k.status, k.required === null ? '?' : k.required ? 'yes' : 'no', k.url ?? '']);
    }
    out.push('', table(rows));
  }
  if (r.runs.length > 0) {
    const rows = [['RUN', 'WORKFLOW', 'EVENT', 'BRANCH', 'STATUS', 'ATTEMPT']];
    for (const run of r.runs) rows.push([String(run.id), run.name ?? '-', run.event ?? '-', run.branch ?? '-', run.conclusion ?? run.status ?? '-', String(run.attempt)]);
    out.push('', table(rows));
  }
  return out.join('\n');
}

function fail(io: CliIo, e: unknown, token: string | null): number {
  const msg = redactSecrets(e instanceof Error ? e.message : String(e), [token]);
  if (e instanceof GitHubUsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    io.stderr.write(`dynamo-dev: ${msg}. Run "dynamo-dev --help".\n`);
    return EXIT_USAGE;
  }
  io.stderr.write(`dynamo-dev: ${msg}\n`);
  return EXIT_ERROR;
}

export async function checksCommand(args: string[], io: CliIo = process): Promise<number> {
  let token: string | null = null;
  try {
    const { values } = parseArgs({
      args,
      options: { repo: { type: 'string' }, pr: { type: 'string' }, sha: { type: 'string' }, branch: { type: 'string' }, 'api-url': { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
    const env = io.env ?? process.env;
    const given = [values.pr, values.sha, values.branch].filter((v) => v !== undefined).length;
    if (given > 1 || (given === 0 && values.repo !== undefined)) throw new GitHubUsageError('checks needs exactly one of --pr, --sha or --branch');
    if (values.sha !== undefined && !/^[0-9a-f]{7,40}$/i.test(values.sha)) throw new GitHubUsageError(`--sha takes a commit SHA, not "${values.sha}"`);
    const pr = positiveInt('--pr', values.pr);
    let repo = values.repo;
    let branch = values.branch;
    let apiUrl = values['api-url'];
    if (repo === undefined) {
      // From the current checkout: its GitHub remote, its API host unless one is set, its branch unless a target is given.
      const here = await repoHere(io.cwd ? io.cwd() : process.cwd(), given === 0);
      repo = here.repo;
      branch ??= here.branch;
      if (apiUrl === undefined && !env['GITHUB_API_URL'] && !DOTCOM.has(here.host)) apiUrl = `https://${here.host}`;
    }
    try {
      parseRepo(repo);
    } catch (e) {
      throw new GitHubUsageError((e as Error).message);
    }
    const made = await makeClient(apiUrl, env, false);
    token = made.token;
    const result = await loadChecks(made.client, { repo, pr, sha: values.sha, branch });
    io.stdout.write((values.json ? JSON.stringify(checksToJson(result), null, 2) : formatChecks(result)) + '\n');
    return result.state === 'failure' ? 1 : result.state === 'pending' ? 2 : 0;
  } catch (e) {
    return fail(io, e, token);
  }
}

function formatPlan(plan: RerunPlan): string {
  if (plan.items.length === 0) return plan.reason ?? 'Nothing to re-run.';
  return plan.items.map((i) => `${i.run.name ?? 'run'} (run ${i.run.id}, attempt ${i.run.attempt}): ${confirmationText(i.decision)}`).join('\n');
}

async function confirm(io: CliIo, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin ?? process.stdin, output: io.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export async function rerunCommand(args: string[], io: CliIo = process): Promise<number> {
  let token: string | null = null;
  try {
    const { values } = parseArgs({
      args,
      options: { repo: { type: 'string' }, run: { type: 'string' }, pr: { type: 'string' }, failed: { type: 'boolean' }, yes: { type: 'boolean' }, 'max-attempts': { type: 'string' }, 'api-url': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    if (!values.repo) throw new GitHubUsageError('rerun needs --repo owner/name');
    try {
      parseRepo(values.repo);
    } catch (e) {
      throw new GitHubUsageError((e as Error).message);
    }
    if ((values.run === undefined) === (values.pr === undefined)) throw new GitHubUsageError('rerun needs exactly one of --run or --pr');
    if (!values.failed) throw new GitHubUsageError('rerun only re-runs failed jobs: pass --failed');
    const runId = positiveInt('--run', values.run);
    const pr = positiveInt('--pr', values.pr);
    const maxAttempts = positiveInt('--max-attempts', values['max-attempts']);
    const made = await makeClient(values['api-url'], io.env ?? process.env, true);
    token = made.token;
    const plan = await planRerun(made.client, { repo: values.repo, runId, pr }, { maxAttempts });
    const allowed = plan.items.filter((i) => i.decision.allowed);
    io.stdout.write(formatPlan(plan) + '\n');
    if (allowed.length === 0) return 1;
    if (!values.yes) {
      if (!(io.stdin ?? process.stdin).isTTY) {
        io.stderr.write('dynamo-dev: not re-running without --yes when not interactive.\n');
        return EXIT_USAGE;
      }
      if (!(await confirm(io, `Re-run failed jobs of ${allowed.length} run${allowed.length === 1 ? '' : 's'}? [y/N] `))) {
        io.stdout.write('Not re-run.\n');
        return 1;
      }
    }
    const done = await executeRerun(made.client, plan);
    io.stdout.write(`Re-run requested for run${done.length === 1 ? '' : 's'} ${done.join(', ')}.\n`);
    return 0;
  } catch (e) {
    return fail(io, e, token);
  }
}
