// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// A local stand-in for the parts of GitHub's REST API (and one GraphQL query) used by "CI at a glance".
// In-memory, scriptable state; ETags and 304s; rate-limit headers and exhaustion; faults on demand;
// every request recorded. Job logs are served from a second server (a different origin, like GitHub's
// blob storage) so tests can check that the token is not forwarded there.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Bucket, type CheckRunOptions, type Conclusion, type JobOptions, type Json, type PullOptions, type RepoCtx, type StatusOptions, type WorkflowRunOptions,
  combinedState, defaultJobLog, makeAuthenticatedUser, makeCheckRun, makeJob, makePullRequest, makeRateLimit,
  makeRepository, makeStatus, makeWorkflowRun,
} from './factories';

export interface RecordedRequest {
  /** `api` for the REST/GraphQL server, `logs` for the log-storage server. */
  server: 'api' | 'logs';
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  authorization: string | undefined;
  body: string;
  /** The route template matched, e.g. `/repos/{owner}/{repo}/pulls`, or undefined. */
  route: string | undefined;
  status?: number;
}

export type FaultKind = 'badCredentials' | 'saml' | 'notFound' | 'serverError' | 'badGateway' | 'secondaryRateLimit' | 'rateLimited';

export interface FaultSpec {
  /** What to answer; omit for a pure delay. */
  kind?: FaultKind;
  /** Delay before answering (ms); with no `kind` the normal response follows. */
  delayMs?: number;
  /** For secondaryRateLimit: the Retry-After seconds (default 60). */
  retryAfter?: number;
  /** How many matching requests to affect (default: all until removed). */
  times?: number;
}

export interface StartOptions {
  /** When set, only `Authorization: Bearer <token>` or `token <token>` is accepted (401 otherwise). */
  token?: string;
  owner?: string;
  repo?: string;
  /** Core and GraphQL limits (default 5000). */
  rateLimit?: number;
  /** Status when the primary rate limit is exhausted: 403 (default, as for tokens) or 429. */
  exhaustedStatus?: 403 | 429;
}

export interface RecordedAction { kind: 'rerun-failed-jobs' | 'rerun' | 'cancel'; runId: number; body: string }

interface Fault extends FaultSpec { pattern: string | RegExp; remaining: number }
interface Route { method: string; template: string; re: RegExp; handler: (m: Match) => Reply | Promise<Reply> }
interface Match { params: Record<string, string>; query: Record<string, string>; body: string; route: string }
interface Reply { status: number; body?: unknown; headers?: Record<string, string>; text?: string }

const DOCS = 'https://docs.github.com/rest';
export const MESSAGES = {
  badCredentials: 'Bad credentials',
  requiresAuth: 'Requires authentication',
  saml: 'Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.',
  notFound: 'Not Found',
  serverError: 'Server Error',
  secondary: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:1111:2222:3333:44444444.',
  primary: 'API rate limit exceeded for user ID 4242. If you reach out to GitHub Support for help, please include the request ID 0000:1111:2222:3333:44444444.',
} as const;
const err = (status: number, message: string, extra: Json = {}): Reply =>
  ({ status, body: { message, documentation_url: DOCS, status: String(status) }, ...extra });

const FAILED: ReadonlySet<unknown> = new Set<Conclusion | null>(['failure', 'cancelled', 'timed_out', 'action_required']);

export class GitHubServer {
  url = '';
  /** Origin of the log-storage server that job-log redirects point to. */
  logsUrl = '';
  readonly owner: string;
  readonly repo: string;
  readonly requests: RecordedRequest[] = [];
  readonly actions: RecordedAction[] = [];
  readonly rate: { core: Bucket; graphql: Bucket };
  readonly pulls: Json[] = [];
  readonly checkRuns = new Map<string, Json[]>();
  readonly statuses = new Map<string, Json[]>();
  readonly runs: Json[] = [];
  /** Jobs by run id. */
  readonly jobs = new Map<number, Json[]>();
  /** Log text by job id; `null` = expired (410). */
  readonly logs = new Map<number, string | null>();
  /** Check names (contexts) required by branch protection, reported by the GraphQL `isRequired`. */
  requiredChecks = new Set<string>();
  private faults: Fault[] = [];
  private readonly routes: Route[] = [];
  private readonly api = createServer((q, s) => void this.serve('api', q, s));
  private readonly logServer = createServer((q, s) => void this.serve('logs', q, s));
  private readonly opts: StartOptions;

  constructor(opts: StartOptions = {}) {
    this.opts = opts;
    this.owner = opts.owner ?? 'ai-dynamo';
    this.repo = opts.repo ?? 'dynamo';
    const reset = Math.floor(Date.now() / 1000) + 3600;
    const limit = opts.rateLimit ?? 5000;
    this.rate = { core: { limit, remaining: limit, used: 0, reset }, graphql: { limit, remaining: limit, used: 0, reset } };
    this.defineRoutes();
  }

  async listen(): Promise<this> {
    const start = (srv: Server) => new Promise<string>(resolve => srv.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(srv.address() as AddressInfo).port}`)));
    this.url = await start(this.api);
    this.logsUrl = await start(this.logServer);
    return this;
  }

  async close(): Promise<void> {
    for (const srv of [this.api, this.logServer]) {
      srv.closeAllConnections();
      await new Promise<void>(resolve => srv.close(() => resolve()));
    }
  }

  get ctx(): RepoCtx { return { api: this.url, owner: this.owner, repo: this.repo }; }

  // ---- scripting -------------------------------------------------------------------------------

  addPull(o: PullOptions): Json {
    const pr = makePullRequest(this.ctx, o);
    this.pulls.push(pr);
    return pr;
  }

  addCheckRun(o: CheckRunOptions): Json {
    const run = makeCheckRun(this.ctx, o);
    const list = this.checkRuns.get(o.headSha) ?? [];
    list.push(run);
    this.checkRuns.set(o.headSha, list);
    return run;
  }

  /** Adds `n` completed check runs named `check-1`…; `conclusions` cycles (default all success). */
  addCheckRuns(sha: string, n: number, o: { conclusions?: (Conclusion | null)[]; status?: CheckRunOptions['status']; prefix?: string } = {}): Json[] {
    const conclusions = o.conclusions?.length ? o.conclusions : ['success' as const];
    return Array.from({ length: n }, (_, i) => this.addCheckRun({
      name: `${o.prefix ?? 'check'}-${i + 1}`, headSha: sha, status: o.status ?? 'completed', conclusion: conclusions[i % conclusions.length],
    }));
  }

  addStatus(sha: string, o: StatusOptions): Json {
    const st = makeStatus(this.ctx, sha, o);
    this.statuses.set(sha, [st, ...(this.statuses.get(sha) ?? [])]); // newest first, as GitHub lists them
    return st;
  }

  /** Adds a workflow run with its jobs; each job also gets a check run on the head SHA (same id, as on GitHub). */
  addWorkflowRun(o: WorkflowRunOptions & { jobs?: JobOptions[] }): { run: Json; jobs: Json[] } {
    const run = makeWorkflowRun(this.ctx, o);
    this.runs.unshift(run); // newest first
    const jobs = (o.jobs ?? []).map(j => {
      const job = makeJob(this.ctx, run, j);
      if (j.log !== undefined) { this.logs.set(job.id, j.log); }
      this.addCheckRun({ name: job.name, headSha: run.head_sha, status: job.status, conclusion: job.conclusion, jobId: job.id, runId: run.id });
      return job;
    });
    this.jobs.set(run.id, jobs);
    return { run, jobs };
  }

  /** Sets a job's log text, or `null` to make it expired (410 Gone). */
  setJobLog(jobId: number, text: string | null): void { this.logs.set(jobId, text); }

  setRequiredChecks(names: Iterable<string>): void { this.requiredChecks = new Set(names); }

  /** Sets the core (default) or GraphQL rate-limit bucket. */
  setRateLimit(b: Partial<Bucket>, resource: 'core' | 'graphql' = 'core'): void { Object.assign(this.rate[resource], b); }

  /**
   * Injects a fault. `pattern`: a route template (`/repos/{owner}/{repo}/pulls`), optionally prefixed by a
   * method (`POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs`), `*` for every request,
   * or a RegExp tested against `METHOD /actual/path`. Returns a function removing it.
   */
  fault(pattern: string | RegExp, spec: FaultSpec): () => void {
    const f: Fault = { ...spec, pattern, remaining: spec.times ?? Infinity };
    this.faults.push(f);
    return () => { this.faults = this.faults.filter(x => x !== f); };
  }

  clearFaults(): void { this.faults = []; }

  /** Requests to the API server matching a route template (optionally `METHOD template`). */
  requestsTo(pattern: string): RecordedRequest[] { return this.requests.filter(r => r.server === 'api' && this.faultMatches(pattern, r)); }

  findRun(id: number): Json | undefined { return this.runs.find(r => r.id === id); }

  /** A stored job of any run. */
  findJob(id: number): Json | undefined {
    for (const jobs of this.jobs.values()) { const job = jobs.find(j => j.id === id); if (job) { return job; } }
    return undefined;
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  private async serve(server: 'api' | 'logs', req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) { chunks.push(c as Buffer); }
    const u = new URL(req.url ?? '/', 'http://x');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) { if (v !== undefined) { headers[k] = Array.isArray(v) ? v.join(', ') : v; } }
    const method = req.method ?? 'GET';
    const rec: RecordedRequest = {
      server, method, path: u.pathname, query: Object.fromEntries(u.searchParams), headers,
      authorization: headers.authorization, body: Buffer.concat(chunks).toString('utf8'), route: undefined,
    };
    this.requests.push(rec);
    let reply: Reply;
    try {
      reply = server === 'logs' ? this.serveLog(rec) : await this.handle(rec);
    } catch (e) {
      reply = err(500, `${MESSAGES.serverError}: ${(e as Error).message}`);
    }
    rec.status = reply.status;
    this.send(res, reply);
  }

  private async handle(rec: RecordedRequest): Promise<Reply> {
    let route: Route | undefined;
    let params: Record<string, string> = {};
    for (const r of this.routes) {
      const m = r.method === rec.method ? r.re.exec(rec.path) : null;
      if (m) { route = r; params = m.groups ?? {}; break; }
    }
    rec.route = route?.template;
    const resource = route?.template === '/graphql' ? 'graphql' : 'core';
    const bucket = this.rate[resource];
    const rateHeaders = () => ({
      'x-ratelimit-limit': String(bucket.limit), 'x-ratelimit-remaining': String(bucket.remaining),
      'x-ratelimit-used': String(bucket.used), 'x-ratelimit-reset': String(bucket.reset), 'x-ratelimit-resource': resource,
    });
    const withRate = (r: Reply): Reply => ({ ...r, headers: { ...rateHeaders(), ...r.headers } });

    const fault = this.faults.find(f => f.remaining > 0 && this.faultMatches(f.pattern, rec));
    if (fault) {
      fault.remaining--;
      if (fault.delayMs) { await new Promise(resolve => setTimeout(resolve, fault.delayMs)); }
      if (fault.kind) { return withRate(this.faultReply(fault)); }
    }

    if (this.opts.token !== undefined) {
      const auth = rec.authorization;
      if (!auth) { return withRate(err(401, MESSAGES.requiresAuth)); }
      if (auth !== `Bearer ${this.opts.token}` && auth !== `token ${this.opts.token}`) { return withRate(err(401, MESSAGES.badCredentials)); }
    }
    if (!route) { return withRate(err(404, MESSAGES.notFound)); }
    if (params.owner !== undefined && (params.owner !== this.owner || params.repo !== this.repo)) { return withRate(err(404, MESSAGES.notFound)); }

    const counts = route.template !== '/rate_limit'; // GET /rate_limit does not count against the limit
    if (counts && bucket.remaining <= 0) {
      const status = this.opts.exhaustedStatus ?? 403;
      return withRate({ ...err(status, MESSAGES.primary), headers: { 'retry-after': String(Math.max(0, bucket.reset - Math.floor(Date.now() / 1000))) } });
    }
    const reply = await route.handler({ params, query: rec.query, body: rec.body, route: route.template });

    if (rec.method === 'GET' && reply.status === 200) {
      const etag = `"${createHash('sha256').update(reply.text ?? JSON.stringify(reply.body)).digest('hex').slice(0, 40)}"`;
      reply.headers = { ...reply.headers, etag };
      const inm = rec.headers['if-none-match'];
      if (inm && inm.split(',').map(s => s.trim().replace(/^W\//, '')).includes(etag)) {
        return withRate({ status: 304, headers: { etag } }); // conditional hit: not counted
      }
    }
    if (counts && reply.status !== 304) { bucket.remaining--; bucket.used++; }
    return withRate(reply);
  }

  private faultMatches(pattern: string | RegExp, rec: RecordedRequest): boolean {
    if (pattern instanceof RegExp) { return pattern.test(`${rec.method} ${rec.path}`); }
    if (pattern === '*') { return true; }
    const [a, b] = pattern.split(' ');
    return b === undefined ? rec.route === a : rec.method === a && rec.route === b;
  }

  private faultReply(f: Fault): Reply {
    switch (f.kind) {
      case 'badCredentials': return err(401, MESSAGES.badCredentials);
      case 'saml': return err(403, MESSAGES.saml, { headers: { 'x-github-sso': `required; url=https://github.com/orgs/${this.owner}/sso?authorization_request=AZSCKtL4U8yX` } });
      case 'notFound': return err(404, MESSAGES.notFound);
      case 'serverError': return err(500, MESSAGES.serverError);
      case 'badGateway': return { status: 502, body: { message: 'Server Error' } };
      case 'secondaryRateLimit': return err(403, MESSAGES.secondary, { headers: { 'retry-after': String(f.retryAfter ?? 60) } });
      case 'rateLimited': return { ...err(this.opts.exhaustedStatus ?? 403, MESSAGES.primary), headers: { 'x-ratelimit-remaining': '0' } };
      default: return err(500, MESSAGES.serverError);
    }
  }

  private send(res: ServerResponse, r: Reply): void {
    const headers: Record<string, string> = { 'x-github-media-type': 'github.v3; format=json', 'x-github-request-id': '0000:1111:2222:3333:44444444', ...r.headers };
    let payload = '';
    if (r.text !== undefined) { payload = r.text; headers['content-type'] ??= 'text/plain; charset=utf-8'; }
    else if (r.body !== undefined) { payload = JSON.stringify(r.body); headers['content-type'] = 'application/json; charset=utf-8'; }
    if (r.status === 304) { payload = ''; }
    headers['content-length'] = String(Buffer.byteLength(payload));
    res.writeHead(r.status, headers);
    res.end(payload);
  }

  private serveLog(rec: RecordedRequest): Reply {
    const m = /^\/jobs\/(\d+)\/log$/.exec(rec.path);
    const text = m ? this.logs.get(Number(m[1])) : undefined;
    if (!m || rec.query.sig !== `sig-${m[1]}` || text === null || text === undefined) {
      return { status: 404, text: '<?xml version="1.0" encoding="utf-8"?><Error><Code>BlobNotFound</Code></Error>', headers: { 'content-type': 'application/xml' } };
    }
    return { status: 200, text };
  }

  // ---- routes ----------------------------------------------------------------------------------

  private on(method: string, template: string, handler: Route['handler']): void {
    const re = new RegExp(`^${template.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);
    this.routes.push({ method, template, re, handler });
  }

  private defineRoutes(): void {
    const R = '/repos/{owner}/{repo}';
    this.on('GET', `${R}/pulls`, ({ query }) => {
      const state = query.state ?? 'open';
      let list = this.pulls.filter(p => state === 'all' || p.state === state);
      if (query.head) { list = list.filter(p => p.head.label === query.head || (!query.head!.includes(':') && p.head.ref === query.head)); }
      if (query.base) { list = list.filter(p => p.base.ref === query.base); }
      return this.page(list, query, `${R}/pulls`, items => items);
    });
    this.on('GET', `${R}/pulls/{pull_number}`, ({ params }) => {
      const pr = this.pulls.find(p => p.number === Number(params.pull_number));
      return pr ? { status: 200, body: pr } : err(404, MESSAGES.notFound);
    });
    this.on('GET', `${R}/commits/{ref}/check-runs`, ({ params, query }) => {
      let list = this.checkRuns.get(this.resolveRef(params.ref!)) ?? [];
      if (query.check_name) { list = list.filter(c => c.name === query.check_name); }
      if (query.status) { list = list.filter(c => c.status === query.status); }
      return this.page(list, query, `${R}/commits/${params.ref}/check-runs`, items => ({ total_count: list.length, check_runs: items }));
    });
    this.on('GET', `${R}/commits/{ref}/status`, ({ params, query }) => {
      const sha = this.resolveRef(params.ref!);
      const latest = this.latestStatuses(sha);
      const repository = makeRepository(this.ctx);
      return this.page(latest, query, `${R}/commits/${params.ref}/status`, items => ({
        state: combinedState(latest), statuses: items.map(({ creator: _creator, ...s }) => s), sha, total_count: latest.length,
        repository, commit_url: `${this.url}${R.replace('{owner}', this.owner).replace('{repo}', this.repo)}/commits/${sha}`,
        url: `${this.url}/repos/${this.owner}/${this.repo}/commits/${sha}/status`,
      }));
    });
    this.on('GET', `${R}/commits/{ref}/statuses`, ({ params, query }) =>
      this.page(this.statuses.get(this.resolveRef(params.ref!)) ?? [], query, `${R}/commits/${params.ref}/statuses`, items => items));
    this.on('GET', `${R}/actions/runs`, ({ query }) => {
      let list = this.runs;
      if (query.head_sha) { list = list.filter(r => r.head_sha === query.head_sha); }
      if (query.branch) { list = list.filter(r => r.head_branch === query.branch); }
      if (query.event) { list = list.filter(r => r.event === query.event); }
      if (query.status) { list = list.filter(r => r.status === query.status || r.conclusion === query.status); }
      return this.page(list, query, `${R}/actions/runs`, items => ({ total_count: list.length, workflow_runs: items }));
    });
    this.on('GET', `${R}/actions/runs/{run_id}`, ({ params }) => {
      const run = this.findRun(Number(params.run_id));
      return run ? { status: 200, body: run } : err(404, MESSAGES.notFound);
    });
    this.on('GET', `${R}/actions/runs/{run_id}/jobs`, ({ params, query }) => {
      const jobs = this.jobs.get(Number(params.run_id));
      if (!jobs) { return err(404, MESSAGES.notFound); }
      return this.page(jobs, query, `${R}/actions/runs/${params.run_id}/jobs`, items => ({ total_count: jobs.length, jobs: items }));
    });
    this.on('GET', `${R}/actions/jobs/{job_id}`, ({ params }) => {
      const job = this.findJob(Number(params.job_id));
      return job ? { status: 200, body: job } : err(404, MESSAGES.notFound);
    });
    this.on('GET', `${R}/actions/jobs/{job_id}/logs`, ({ params }) => {
      const id = Number(params.job_id);
      const job = this.findJob(id);
      if (!job || job.status !== 'completed') { return err(404, MESSAGES.notFound); } // no log until the job finishes
      if (this.logs.get(id) === null) { return err(410, 'Gone'); }
      if (!this.logs.has(id)) { this.logs.set(id, defaultJobLog(job)); }
      return { status: 302, headers: { location: `${this.logsUrl}/jobs/${id}/log?sig=sig-${id}&se=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}` } };
    });
    this.on('POST', `${R}/actions/runs/{run_id}/rerun-failed-jobs`, m => this.rerun(m, 'rerun-failed-jobs'));
    this.on('POST', `${R}/actions/runs/{run_id}/rerun`, m => this.rerun(m, 'rerun'));
    this.on('POST', `${R}/actions/runs/{run_id}/cancel`, ({ params, body }) => {
      const run = this.findRun(Number(params.run_id));
      if (!run) { return err(404, MESSAGES.notFound); }
      if (run.status === 'completed') { return err(409, 'Cannot cancel a workflow run that is completed.'); }
      this.actions.push({ kind: 'cancel', runId: run.id, body });
      for (const job of this.jobs.get(run.id) ?? []) {
        if (job.status !== 'completed') { this.setJobState(run, job, 'completed', 'cancelled'); }
      }
      Object.assign(run, { status: 'completed', conclusion: 'cancelled', updated_at: new Date().toISOString() });
      return { status: 202, body: {} };
    });
    this.on('GET', '/rate_limit', () => ({ status: 200, body: makeRateLimit(this.rate.core, this.rate.graphql) }));
    this.on('GET', '/user', () => ({ status: 200, body: makeAuthenticatedUser(this.url) }));
    this.on('POST', '/graphql', ({ body }) => this.graphql(body));
  }

  /** The newest status per context (statuses are stored newest first). */
  private latestStatuses(sha: string): Json[] {
    const all = this.statuses.get(sha) ?? [];
    return all.filter((s, i) => all.findIndex(t => t.context === s.context) === i);
  }

  /** A branch name resolves to the head SHA of the open PR (or run) on it; anything else is taken as a SHA. */
  private resolveRef(ref: string): string {
    return this.pulls.find(p => p.head.ref === ref)?.head.sha ?? this.runs.find(r => r.head_branch === ref)?.head_sha ?? ref;
  }

  private rerun({ params, body }: Match, kind: 'rerun-failed-jobs' | 'rerun'): Reply {
    const run = this.findRun(Number(params.run_id));
    if (!run) { return err(404, MESSAGES.notFound); }
    this.actions.push({ kind, runId: run.id, body });
    run.run_attempt = (run.run_attempt ?? 1) + 1;
    run.previous_attempt_url = `${run.url}/attempts/${run.run_attempt - 1}`;
    for (const job of this.jobs.get(run.id) ?? []) {
      if (kind === 'rerun' || FAILED.has(job.conclusion)) { this.setJobState(run, job, 'queued', null); }
    }
    Object.assign(run, { status: 'queued', conclusion: null, updated_at: new Date().toISOString(), run_started_at: new Date().toISOString() });
    return { status: 201, body: {} };
  }

  private setJobState(run: Json, job: Json, status: string, conclusion: string | null): void {
    const done = status === 'completed';
    Object.assign(job, {
      status, conclusion, run_attempt: run.run_attempt, completed_at: done ? new Date().toISOString() : null,
      ...(status === 'queued' ? { steps: [], runner_id: null, runner_name: null, runner_group_id: null, runner_group_name: null } : {}),
    });
    if (status === 'queued') { this.logs.delete(job.id); }
    const check = (this.checkRuns.get(run.head_sha) ?? []).find(c => c.id === job.id);
    if (check) { Object.assign(check, { status, conclusion, completed_at: job.completed_at, ...(status === 'queued' ? { started_at: null } : {}) }); }
  }

  /** Paginates `items` GitHub-style: per_page (default 30, max 100), page (1-based), Link with next/last/first/prev. */
  private page(items: Json[], query: Record<string, string>, path: string, wrap: (items: Json[]) => unknown): Reply {
    const perPage = Math.min(100, Math.max(1, Number(query.per_page) || 30));
    const pageNo = Math.max(1, Number(query.page) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const concrete = path.replace('{owner}', this.owner).replace('{repo}', this.repo);
    const link = (p: number, rel: string) => {
      const q = new URLSearchParams({ ...query, per_page: String(perPage), page: String(p) });
      return `<${this.url}${concrete}?${q}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (pageNo > 1) { links.push(link(pageNo - 1, 'prev')); }
    if (pageNo < last) { links.push(link(pageNo + 1, 'next'), link(last, 'last')); }
    if (pageNo > 1) { links.push(link(1, 'first')); }
    return { status: 200, body: wrap(items.slice((pageNo - 1) * perPage, pageNo * perPage)), headers: links.length ? { link: links.join(', ') } : {} };
  }

  /**
   * Minimal GraphQL: understands only a statusCheckRollup query for one PR's head commit, e.g.
   *
   *   query($owner: String!, $repo: String!, $number: Int!, $after: String) {
   *     repository(owner: $owner, name: $repo) { pullRequest(number: $number) {
   *       commits(last: 1) { nodes { commit { oid statusCheckRollup { state contexts(first: 100, after: $after) {
   *         pageInfo { hasNextPage endCursor }
   *         nodes { __typename
   *           ... on CheckRun { databaseId name status conclusion detailsUrl isRequired(pullRequestNumber: $number) }
   *           ... on StatusContext { context state targetUrl isRequired(pullRequestNumber: $number) } } } } } } } } } }
   *
   * The query text is not parsed: it must mention `statusCheckRollup` and `isRequired`; variables `owner`,
   * `repo` (or `name`), `number` (or `pr`/`pullRequestNumber`), optional `first` (default 100) and `after`
   * select the data. Every field above is returned whatever the selection. Other queries get a GraphQL error.
   */
  private graphql(raw: string): Reply {
    let req: { query?: string; variables?: Record<string, unknown> };
    try { req = JSON.parse(raw) as typeof req; } catch { return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS } }; }
    const q = req.query ?? '';
    if (!q.includes('statusCheckRollup') || !q.includes('isRequired')) {
      return { status: 200, body: { errors: [{ message: 'The GitHub stand-in only answers statusCheckRollup/isRequired queries' }] } };
    }
    const v = req.variables ?? {};
    const owner = v.owner, repo = v.repo ?? v.name, number = Number(v.number ?? v.pr ?? v.pullRequestNumber);
    if (owner !== this.owner || repo !== this.repo) {
      return { status: 200, body: { data: { repository: null }, errors: [{ type: 'NOT_FOUND', path: ['repository'], message: `Could not resolve to a Repository with the name '${String(owner)}/${String(repo)}'.` }] } };
    }
    const pr = this.pulls.find(p => p.number === number);
    if (!pr) {
      return { status: 200, body: { data: { repository: { pullRequest: null } }, errors: [{ type: 'NOT_FOUND', path: ['repository', 'pullRequest'], message: `Could not resolve to a PullRequest with the number of ${number}.` }] } };
    }
    const sha = pr.head.sha as string;
    const upper = (s: string | null) => (s === null ? null : s.toUpperCase());
    const all: Json[] = [
      ...(this.checkRuns.get(sha) ?? []).map(c => ({
        __typename: 'CheckRun', databaseId: c.id, name: c.name, status: upper(c.status), conclusion: upper(c.conclusion),
        detailsUrl: c.details_url, isRequired: this.requiredChecks.has(c.name),
      })),
      ...this.latestStatuses(sha).map(s => ({
        __typename: 'StatusContext', context: s.context, state: upper(s.state), targetUrl: s.target_url, isRequired: this.requiredChecks.has(s.context),
      })),
    ];
    const first = Math.min(100, Number(v.first) || 100);
    const start = typeof v.after === 'string' ? Number(Buffer.from(v.after, 'base64').toString().replace('cursor:', '')) : 0;
    const nodes = all.slice(start, start + first);
    const end = start + nodes.length;
    const rollupState = all.some(n => ['FAILURE', 'ERROR', 'TIMED_OUT', 'CANCELLED', 'ACTION_REQUIRED'].includes(String(n.conclusion ?? n.state)))
      ? 'FAILURE' : all.some(n => n.status !== undefined ? n.status !== 'COMPLETED' : n.state === 'PENDING') ? 'PENDING' : 'SUCCESS';
    return {
      status: 200, body: { data: { repository: { pullRequest: { commits: { nodes: [{ commit: { oid: sha, statusCheckRollup: { state: rollupState, contexts: {
        totalCount: all.length,
        pageInfo: { hasNextPage: end < all.length, endCursor: nodes.length ? Buffer.from(`cursor:${end}`).toString('base64') : null },
        nodes,
      } } } }] } } } } },
    };
  }
}

/** Starts the stand-in on 127.0.0.1 (random ports). Remember `await gh.close()`. */
export async function startGitHubServer(opts: StartOptions = {}): Promise<GitHubServer> {
  return new GitHubServer(opts).listen();
}

