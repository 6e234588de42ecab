// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// The CI state behind the PR Checks and Workflow Runs views and the status-bar indicator: which PR (the
// active folder's branch, or one chosen with "Show Checks for PR…"), its checks and runs, and the poll
// loop (core nextDelay: fast while pending, slow when settled, paused while the window is unfocused,
// immediate on a HEAD change; conditional requests, so a settled PR costs no rate limit).
import * as vscode from 'vscode';
import { parseApiBase } from '../core/github/apiBase';
import { AuthError, GitHubClient, GitHubError, NetworkError, NotFoundError, RateLimitError, type CachedBody } from '../core/github/client';
import { EtagCache } from '../core/github/etagCache';
import { nextDelay } from '../core/github/polling';
import { loadChecks, type PrChecks, type WorkflowRunSummary } from '../core/github/prChecks';
import { loadBranchRuns, loadRunJobs, type RawJob } from '../core/github/runs';
import type { ResolvedToken } from '../core/github/tokens';
import type { Logger } from '../core/util/logger';
import { getConfig, onConfigChange } from '../platform/config';
import type { GitHubAuth } from './auth';
import type { FolderContext, GitContext } from './gitContext';

export type Target = { kind: 'auto' } | { kind: 'manual'; repo: string; pr?: number; sha?: string };

export type Phase = 'starting' | 'no-folder' | 'no-repo' | 'no-token' | 'no-pr' | 'ok' | 'error';

export interface CiState {
  phase: Phase;
  target: Target;
  /** The folder the automatic target follows (null for a manual target or no folder). */
  folder: FolderContext | null;
  checks: PrChecks | null;
  branchRuns: WorkflowRunSummary[];
  /** The last refresh's error (the previous data is kept). */
  error: string | null;
  errorKind: 'auth' | 'saml' | 'rate-limit' | 'network' | 'other' | null;
  tokenSource: string | null;
  refreshedAt: number | null;
}

export class CiModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CiState>();
  readonly onDidChange = this.changed.event;
  private readonly subs: vscode.Disposable[] = [this.changed];
  private readonly cache = new EtagCache<CachedBody>();
  private client: GitHubClient | null = null;
  private clientKey = '';
  private token: ResolvedToken | null | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private lastPollAt: number | null = null;
  private consecutiveErrors = 0;
  private lastHead = '';
  private readonly jobs = new Map<string, Promise<RawJob[]>>();
  private readonly finished = new vscode.EventEmitter<PrChecks>();
  /** Fires when a PR's checks go from pending to settled. */
  readonly onDidFinish = this.finished.event;
  /** Fires once per distinct auth failure, so the prompt is not repeated every poll. */
  private readonly authFailed = new vscode.EventEmitter<{ message: string; saml: boolean }>();
  readonly onAuthFailure = this.authFailed.event;
  private lastAuthKey = '';
  private disposed = false;

  state: CiState = { phase: 'starting', target: { kind: 'auto' }, folder: null, checks: null, branchRuns: [], error: null, errorKind: null, tokenSource: null, refreshedAt: null };

  constructor(
    private readonly auth: GitHubAuth,
    private readonly git: GitContext,
    private readonly logger: Logger,
  ) {
    this.subs.push(
      this.finished,
      this.authFailed,
      auth.onDidChange(() => {
        this.token = undefined;
        this.lastAuthKey = '';
        void this.refresh();
      }),
      // The Git extension reports every working-tree change and the editor changes often: ask GitHub only
      // when the folder, its repository, branch or HEAD commit really changed.
      git.onDidChange(() => void this.refreshIfHeadMoved()),
      vscode.window.onDidChangeActiveTextEditor(() => void this.refreshIfHeadMoved()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refreshIfHeadMoved()),
      git.onDidPush(() => void this.refresh()),
      vscode.window.onDidChangeWindowState((s) => {
        if (s.focused) this.schedule();
      }),
      onConfigChange(['github.apiUrl'], () => {
        this.token = undefined;
        void this.refresh();
      }),
      onConfigChange(['github.remotes'], () => void this.refresh()),
      onConfigChange(['github.pollPendingSeconds', 'github.pollSettledSeconds'], () => this.schedule()),
    );
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.subs.forEach((d) => d.dispose());
  }

  get apiBase(): string {
    return getConfig('github.apiUrl');
  }

  /** Request counters of the current client (the test API and the log read them). */
  get stats(): { requests: number; notModified: number; pointsSpent: number } {
    return { ...(this.client?.stats ?? { requests: 0, notModified: 0, pointsSpent: 0 }) };
  }

  get rateLimit() {
    return this.client?.rateLimit ?? null;
  }

  setTarget(target: Target): Promise<void> {
    this.state = { ...this.state, target, checks: null, branchRuns: [], error: null, errorKind: null };
    this.changed.fire(this.state);
    return this.refresh();
  }

  /** Starts polling (the first refresh runs now). */
  start(): void {
    void this.refresh();
  }

  /** Where the automatic target is: folder, repository, branch and HEAD commit. */
  private static headKey(f: FolderContext | null): string {
    return f ? `${f.folder.uri.toString()}\u0000${f.repo}\u0000${f.branch}\u0000${f.sha}` : '';
  }

  /** A refresh when the automatic target's folder or HEAD moved since the last one (local reads only otherwise). */
  private async refreshIfHeadMoved(): Promise<void> {
    if (this.state.target.kind !== 'auto') return;
    if (CiModel.headKey(await this.pickFolder()) !== this.lastHead) await this.refresh();
  }

  /** One refresh now. A call while one runs waits for a fresh one after it (callers see current data); calls meanwhile share that. */
  refresh(): Promise<void> {
    if (this.running) {
      this.queued ??= this.running.then(() => {
        this.queued = null;
        return this.refresh();
      });
      return this.queued;
    }
    this.running = this.doRefresh()
      .catch((e: unknown) => this.logger.error(e instanceof Error ? e : String(e)))
      .finally(() => {
        this.running = null;
        if (!this.queued) this.schedule();
      });
    return this.running;
  }

  /** A client for the API base and the current token (re-resolved after an auth change or a 401). */
  async getClient(): Promise<GitHubClient | null> {
    const base = parseApiBase(this.apiBase);
    if (!base.ok) throw new Error(`dynamo.github.apiUrl: ${base.error}`);
    if (this.token === undefined) {
      this.token = await this.auth.token(base.base);
      this.logger.info(this.token ? `GitHub: using the token from ${this.token.source} for ${base.base}` : `GitHub: no token for ${base.base}`);
    }
    if (!this.token) return null;
    const key = `${base.base}\u0000${this.token.token}`;
    if (!this.client || this.clientKey !== key) {
      this.client = new GitHubClient({ apiBase: base.base, token: this.token.token, etagCache: this.cache, userAgent: 'dynamo-dev-tools-vscode' });
      this.clientKey = key;
    }
    return this.client;
  }

  /** Jobs (with steps) of a run, shared by both views; re-asked on each refresh (conditional: 304s are free). */
  runJobs(repo: string, runId: number): Promise<RawJob[]> {
    const key = `${repo}#${runId}@${this.state.refreshedAt ?? 0}`;
    let p = this.jobs.get(key);
    if (!p) {
      p = (async () => {
        const client = await this.getClient();
        if (!client) return [];
        return loadRunJobs(client, repo, runId);
      })();
      p.catch(() => this.jobs.delete(key));
      if (this.jobs.size > 200) this.jobs.clear();
      this.jobs.set(key, p);
    }
    return p;
  }

  private activeFolder(): vscode.WorkspaceFolder | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const byEditor = uri ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
    return byEditor ?? vscode.workspace.workspaceFolders?.[0];
  }

  /** The active editor's folder when it is a GitHub repository, else the first folder that is one. */
  private async pickFolder(): Promise<FolderContext | null> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) return null;
    const active = this.activeFolder();
    const first = active ? await this.git.forFolder(active) : null;
    if (first?.repo) return first;
    for (const f of folders) {
      if (f === active) continue;
      const ctx = await this.git.forFolder(f);
      if (ctx.repo) return ctx;
    }
    return first ?? (await this.git.forFolder(folders[0]!));
  }

  private update(patch: Partial<CiState>): void {
    this.state = { ...this.state, ...patch };
    this.changed.fire(this.state);
  }

  private async doRefresh(): Promise<void> {
    const target = this.state.target;
    let folder: FolderContext | null = null;
    if (target.kind === 'auto') {
      folder = await this.pickFolder();
      this.lastHead = CiModel.headKey(folder);
      if (!folder) return this.update({ phase: 'no-folder', folder: null, checks: null, branchRuns: [], error: null, errorKind: null });
      if (!folder.repo) return this.update({ phase: 'no-repo', folder, checks: null, branchRuns: [], error: null, errorKind: null });
    }
    let client: GitHubClient | null;
    try {
      client = await this.getClient();
    } catch (e) {
      return this.update({ phase: 'error', folder, error: (e as Error).message, errorKind: 'other' });
    }
    if (!client) return this.update({ phase: 'no-token', folder, checks: null, branchRuns: [], error: null, errorKind: null, tokenSource: null });
    this.lastPollAt = Date.now();
    const previous = this.state.checks;
    try {
      let checks: PrChecks;
      let branch: string | null = null;
      if (target.kind === 'manual') {
        checks = await loadChecks(client, target.pr !== undefined ? { repo: target.repo, pr: target.pr } : { repo: target.repo, sha: target.sha! });
      } else {
        const repo = folder!.repo!;
        branch = folder!.branch;
        if (branch) {
          try {
            const owner = repo.split('/')[0];
            const head = folder!.headOwner && folder!.headOwner !== owner ? `${folder!.headOwner}:${branch}` : branch;
            checks = await loadChecks(client, { repo, branch: head });
          } catch (e) {
            if (!(e instanceof NotFoundError) || !folder!.sha) throw e;
            // No PR for this branch: the local HEAD's checks (push runs), and no status-bar item.
            checks = await loadChecks(client, { repo, sha: folder!.sha });
          }
        } else if (folder!.sha) {
          checks = await loadChecks(client, { repo, sha: folder!.sha });
        } else {
          return this.update({ phase: 'no-pr', folder, checks: null, branchRuns: [], error: null, errorKind: null });
        }
      }
      const branchRuns = branch ? await loadBranchRuns(client, checks.repo, branch).catch(() => this.state.branchRuns) : [];
      this.consecutiveErrors = 0;
      this.lastAuthKey = '';
      this.update({ phase: checks.pr === null && target.kind === 'auto' ? 'no-pr' : 'ok', folder, checks, branchRuns, error: null, errorKind: null, tokenSource: this.token?.source ?? null, refreshedAt: Date.now() });
      if (previous && previous.headSha === checks.headSha && previous.state === 'pending' && checks.state !== 'pending') this.finished.fire(checks);
    } catch (e) {
      this.consecutiveErrors++;
      const message = e instanceof Error ? e.message : String(e);
      const errorKind: CiState['errorKind'] =
        e instanceof AuthError ? (e.sso ? 'saml' : 'auth') : e instanceof RateLimitError ? 'rate-limit' : e instanceof NetworkError || (e instanceof GitHubError && (e.status ?? 0) >= 500) ? 'network' : 'other';
      this.logger.warn(`GitHub: ${message}`);
      if (e instanceof AuthError) {
        // Once per token and kind: the failing request (and so the message) can differ from poll to poll.
        const key = `${e.sso}\u0000${this.token?.source ?? ''}`;
        if (key !== this.lastAuthKey) {
          this.lastAuthKey = key;
          this.authFailed.fire({ message, saml: e.sso });
        }
        // The token may have been replaced meanwhile (gh auth login, a new session): resolve again next time.
        this.token = undefined;
      }
      this.update({ phase: 'error', folder, error: message, errorKind });
    }
  }

  private schedule(): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.state.phase === 'no-folder' || this.state.phase === 'no-repo' || this.state.phase === 'no-token') return; // events restart it
    const pending = this.state.checks?.state === 'pending';
    const delay = nextDelay({
      now: Date.now(),
      focused: vscode.window.state.focused,
      pending,
      lastPollAt: this.lastPollAt,
      rateLimit: this.client?.rateLimit ?? null,
      consecutiveErrors: this.consecutiveErrors,
      config: { fastMs: getConfig('github.pollPendingSeconds') * 1000, slowMs: getConfig('github.pollSettledSeconds') * 1000 },
    });
    if (delay === 'paused') return; // onDidChangeWindowState schedules again on focus
    this.timer = setTimeout(() => void this.refresh(), delay);
  }
}
