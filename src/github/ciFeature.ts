// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// CI at a glance, VS Code side: the two views, the status-bar indicator, job logs in read-only editors,
// and the commands (sign-in, Show Checks for PR…, Open on GitHub, Show Log, Re-run Failed Jobs, Re-run
// Run, Cancel Run). The logic lives in src/core/github; this file renders and asks.
import * as vscode from 'vscode';
import { parseApiBase } from '../core/github/apiBase';
import { GitHubClient } from '../core/github/client';
import { ciIndicator, parseChecksInput, type Indicator } from '../core/github/indicator';
import { cleanJobLog, fetchJobLog } from '../core/github/logs';
import { confirmationText } from '../core/github/guardrails';
import { executeRerun, planRerun } from '../core/github/prChecks';
import { cancelRun, rerunRun } from '../core/github/runs';
import { redactedMessage } from '../core/github/redact';
import type { Logger } from '../core/util/logger';
import { Commands, Views } from '../platform/commandIds';
import type { CommandTable } from '../platform/commands';
import { getConfig } from '../platform/config';
import { confirm, notify } from '../platform/confirm';
import { GitHubAuth } from './auth';
import { CiModel, type CiState } from './ciModel';
import { GitContext } from './gitContext';
import { ChecksTree, RunsTree, snapshotTree, type ActionTarget, type CiNode, type TreeSnapshotNode } from './trees';

export const LOG_SCHEME = 'dynamo-gh-log';

export interface GitHubApi {
  /** Refreshes now and resolves with what the views and the status bar show. */
  refresh(): Promise<GitHubSnapshot>;
  snapshot(): Promise<GitHubSnapshot>;
  /** Request counters of the current client. */
  stats(): { requests: number; notModified: number; pointsSpent: number };
}

export interface GitHubSnapshot {
  phase: CiState['phase'];
  repo: string | null;
  pr: number | null;
  headSha: string | null;
  branch: string | null;
  state: string | null;
  error: string | null;
  tokenSource: string | null;
  statusBar: { visible: boolean; text: string; tooltip: string; background: string | null; command: string | null };
  checks: TreeSnapshotNode[];
  runs: TreeSnapshotNode[];
  viewMessage: string | null;
  /** The PR Checks view is showing (e.g. after a click on the status-bar item). */
  checksVisible: boolean;
}

function targetOf(node: unknown): ActionTarget | null {
  const n = node as CiNode | undefined;
  if (n && (n.kind === 'check' || n.kind === 'run' || n.kind === 'job')) return n.target;
  return null;
}

export class CiFeature implements vscode.Disposable {
  readonly auth: GitHubAuth;
  readonly git: GitContext;
  readonly model: CiModel;
  private readonly checksTree: ChecksTree;
  private readonly runsTree: RunsTree;
  private readonly checksView: vscode.TreeView<CiNode>;
  private readonly runsView: vscode.TreeView<CiNode>;
  private readonly item: vscode.StatusBarItem;
  private readonly logs = new Map<string, string>();
  private readonly logsChanged = new vscode.EventEmitter<vscode.Uri>();
  private readonly subs: vscode.Disposable[] = [];
  private indicator: Indicator | null = null;

  constructor(
    secrets: vscode.SecretStorage,
    private readonly logger: Logger,
  ) {
    this.auth = new GitHubAuth(secrets, logger);
    this.git = new GitContext(() => getConfig('github.remotes'));
    this.model = new CiModel(this.auth, this.git, logger);
    this.checksTree = new ChecksTree(this.model);
    this.runsTree = new RunsTree(this.model);
    this.checksView = vscode.window.createTreeView(Views.prChecks, { treeDataProvider: this.checksTree, showCollapseAll: true });
    this.runsView = vscode.window.createTreeView(Views.runs, { treeDataProvider: this.runsTree, showCollapseAll: true });
    this.item = vscode.window.createStatusBarItem('dynamo.ci', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Dynamo CI';
    this.item.command = Commands.githubFocusChecks;
    this.subs.push(
      this.auth,
      this.git,
      this.model,
      this.checksTree,
      this.runsTree,
      this.checksView,
      this.runsView,
      this.item,
      this.logsChanged,
      vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, { onDidChange: this.logsChanged.event, provideTextDocumentContent: (uri) => this.logs.get(uri.toString()) ?? '' }),
      // a job log can be megabytes: keep its text only while its document is open
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === LOG_SCHEME) this.logs.delete(d.uri.toString());
      }),
      this.model.onDidChange((s) => this.render(s)),
      this.model.onDidFinish((checks) => {
        if (!getConfig('github.notifyWhenChecksFinish') || checks.pr === null) return;
        const text = `PR #${checks.pr}: checks ${checks.state === 'success' ? 'passed' : checks.state === 'failure' ? `finished with ${checks.counts.failure} failed` : 'finished'}.`;
        void notify(checks.state === 'failure' ? 'warning' : 'info', text, 'Show Checks').then((b) => {
          if (b) void vscode.commands.executeCommand(Commands.githubFocusChecks);
        });
      }),
      this.model.onAuthFailure(({ message, saml }) => void this.promptSignIn(message, saml)),
    );
    this.render(this.model.state);
    this.model.start();
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
  }

  private viewMessage(s: CiState): string | undefined {
    switch (s.phase) {
      case 'starting':
        return 'Looking for the pull request…';
      case 'no-folder':
        return 'Open a folder with a GitHub repository, or use Show Checks for PR….';
      case 'no-repo':
        return `${s.folder?.folder.name ?? 'This folder'} has no GitHub remote (${getConfig('github.remotes').join(', ')}). Use Show Checks for PR… for any repository.`;
      case 'no-token':
        return undefined; // the welcome view offers the sign-in buttons
      case 'no-pr':
        return s.folder?.branch ? `No open pull request for ${s.folder.branch}; showing the checks of ${s.checks?.headSha.slice(0, 7) ?? 'HEAD'}.` : 'Detached HEAD: showing the checks of its commit.';
      case 'error':
        return `Last refresh failed: ${s.error ?? 'unknown error'}`;
      default:
        return undefined;
    }
  }

  private render(s: CiState): void {
    void vscode.commands.executeCommand('setContext', 'dynamo.github.phase', s.phase);
    void vscode.commands.executeCommand('setContext', 'dynamo.github.manualTarget', s.target.kind === 'manual');
    const message = this.viewMessage(s);
    this.checksView.message = message;
    this.runsView.message = message;
    const c = s.checks;
    const where = c ? `${c.repo}${c.pr !== null ? ` #${c.pr}` : ''} @ ${c.headSha.slice(0, 7)}` : undefined;
    this.checksView.description = where;
    this.runsView.description = where;
    const ind = ciIndicator({ checks: c, error: s.error, rateLimit: this.model.rateLimit, lowRemaining: 100 });
    this.indicator = ind;
    if (!ind.visible || !getConfig('github.statusBar')) {
      this.item.hide();
      return;
    }
    this.item.text = ind.text;
    const md = new vscode.MarkdownString(ind.tooltip.join('\n\n'), true);
    md.isTrusted = false;
    this.item.tooltip = md;
    this.item.backgroundColor = ind.severity === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : ind.severity === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: ind.tooltip.slice(0, 2).join('. ').replace(/[*`\\]/g, '') };
    this.item.show();
  }

  private async promptSignIn(message: string, saml: boolean): Promise<void> {
    const base = this.model.apiBase;
    const buttons = [...(this.auth.providerFor(base) ? ['Sign in to GitHub'] : []), 'Sign in with a Token', ...(saml ? ['Authorize for SSO'] : [])];
    const choice = await notify('error', message, ...buttons);
    if (choice === 'Sign in to GitHub') await vscode.commands.executeCommand(Commands.githubSignIn);
    else if (choice === 'Sign in with a Token') await vscode.commands.executeCommand(Commands.githubSignInWithToken);
    else if (choice === 'Authorize for SSO') {
      const url = /https:\/\/\S+/.exec(message)?.[0]?.replace(/[.,)]+$/, '');
      await vscode.env.openExternal(vscode.Uri.parse(url ?? 'https://github.com/settings/tokens'));
    }
  }

  private async client(): Promise<GitHubClient> {
    const c = await this.model.getClient();
    if (!c) {
      void this.promptSignIn('Dynamo needs a GitHub token for this.', false);
      throw new Error('No GitHub token: sign in to GitHub first (Dynamo: Sign in to GitHub…).');
    }
    return c;
  }

  private async afterAction(): Promise<void> {
    // The runs change state on GitHub's side within seconds; ask now and let the fast poll follow.
    await this.model.refresh();
  }

  commands(): CommandTable {
    return {
      [Commands.githubRefresh]: () => this.model.refresh(),
      [Commands.githubFocusChecks]: () => vscode.commands.executeCommand(`${Views.prChecks}.focus`),
      [Commands.githubSignIn]: async () => {
        const base = this.model.apiBase;
        if (this.auth.providerFor(base)) {
          if (await this.auth.signInWithSession(base, this.model.state.errorKind === 'auth' || this.model.state.errorKind === 'saml')) return;
        }
        await vscode.commands.executeCommand(Commands.githubSignInWithToken);
      },
      [Commands.githubSignInWithToken]: async (given?: string) => {
        const base = parseApiBase(this.model.apiBase);
        if (!base.ok) throw new Error(`dynamo.github.apiUrl: ${base.error}`);
        const token =
          typeof given === 'string'
            ? given
            : await vscode.window.showInputBox({
                title: `Sign in to GitHub with a Token (${base.tokenHost})`,
                prompt: 'A fine-grained or classic personal access token with the repo and workflow scopes. It is kept in VS Code\'s secret storage and sent only to ' + base.base,
                password: true,
                ignoreFocusOut: true,
                validateInput: (v) => (/^\S{20,}$/.test(v.trim()) ? undefined : 'A token is one word of at least 20 characters.'),
              });
        if (!token) return;
        const probe = new GitHubClient({ apiBase: base.base, token: token.trim() });
        let login: string;
        try {
          login = (await probe.get<{ login: string }>('/user')).login;
        } catch (e) {
          throw new Error(`The token was not stored: ${redactedMessage(e, [token])}`);
        }
        await this.auth.storeToken(base.base, token.trim());
        void notify('info', `Signed in to ${base.tokenHost} as ${login} with a token (kept in VS Code's secret storage).`);
      },
      [Commands.githubSignOut]: async () => {
        const had = await this.auth.forgetToken(this.model.apiBase);
        void notify('info', had ? 'The stored GitHub token was removed.' : 'No GitHub token was stored by Dynamo; VS Code sessions are managed from the Accounts menu.');
      },
      [Commands.githubShowChecksForPr]: async (given?: string) => {
        const defaultRepo = this.model.state.folder?.repo ?? this.model.state.checks?.repo ?? null;
        const text =
          typeof given === 'string'
            ? given
            : await vscode.window.showInputBox({
                title: 'Show Checks for PR…',
                prompt: `A PR number${defaultRepo ? ` in ${defaultRepo}` : ''}, owner/repo#N, a PR or commit URL, or a commit SHA`,
                ignoreFocusOut: true,
                validateInput: (v) => {
                  const r = parseChecksInput(v, defaultRepo);
                  return r.ok ? undefined : r.error;
                },
              });
        if (!text) return;
        const r = parseChecksInput(text, defaultRepo);
        if (!r.ok) throw new Error(r.error);
        await this.model.setTarget('pr' in r ? { kind: 'manual', repo: r.repo, pr: r.pr } : { kind: 'manual', repo: r.repo, sha: r.sha });
        await vscode.commands.executeCommand(`${Views.prChecks}.focus`);
      },
      [Commands.githubShowCurrentBranch]: () => this.model.setTarget({ kind: 'auto' }),
      [Commands.githubOpenOnGitHub]: async (node?: unknown) => {
        const t = targetOf(node);
        const url = t?.url ?? (t?.runId ? `https://github.com/${t.repo}/actions/runs/${t.runId}` : null);
        if (!url) throw new Error('Nothing to open: choose a check, run or job in the PR Checks or Workflow Runs view.');
        await vscode.env.openExternal(vscode.Uri.parse(url));
      },
      [Commands.githubShowLog]: (node?: unknown) => this.showLog(targetOf(node)),
      [Commands.githubRerunFailedJobs]: (node?: unknown) => this.rerunFailed(targetOf(node)),
      [Commands.githubRerunRun]: async (node?: unknown) => {
        const t = targetOf(node);
        if (!t?.runId) throw new Error('Choose a workflow run (or a check of one) to re-run.');
        const ok = await confirm(`Re-run every job of "${t.label}"?`, `Workflow run ${t.runId} in ${t.repo}. Failed and successful jobs run again.`, 'Re-run Run');
        if (!ok) return;
        const r = await rerunRun(await this.client(), t.repo, t.runId, { maxAttempts: getConfig('github.maxRerunAttempts') });
        if (!r.ok) return void notify('warning', r.reason);
        void notify('info', `Re-run requested for "${t.label}".`);
        await this.afterAction();
      },
      [Commands.githubCancelRun]: async (node?: unknown) => {
        const t = targetOf(node);
        if (!t?.runId) throw new Error('Choose a workflow run (or a check of one) to cancel.');
        const ok = await confirm(`Cancel "${t.label}"?`, `Workflow run ${t.runId} in ${t.repo}: its queued and running jobs stop.`, 'Cancel Run');
        if (!ok) return;
        const r = await cancelRun(await this.client(), t.repo, t.runId);
        if (!r.ok) return void notify('warning', r.reason);
        void notify('info', `Cancellation requested for "${t.label}".`);
        await this.afterAction();
      },
    };
  }

  /** Re-run Failed Jobs of one run (a node), or of every failed run of the PR (view title). */
  private async rerunFailed(t: ActionTarget | null): Promise<void> {
    const s = this.model.state;
    const repo = t?.repo ?? s.checks?.repo;
    if (!repo) throw new Error('No pull request or run to re-run: open a folder with a PR, or use Show Checks for PR….');
    const client = await this.client();
    const target = t?.runId ? { repo, runId: t.runId } : s.checks?.pr ? { repo, pr: s.checks.pr } : null;
    if (!target) throw new Error('Choose a failed run: this commit has no pull request.');
    const plan = await vscode.window.withProgress({ location: { viewId: Views.prChecks }, title: 'Checking the failed jobs…' }, () => planRerun(client, target, { maxAttempts: getConfig('github.maxRerunAttempts') }));
    const allowed = plan.items.filter((i) => i.decision.allowed);
    if (allowed.length === 0) {
      const why = plan.reason ?? plan.items.map((i) => i.decision.reason).join(' ');
      void notify('warning', why || 'Nothing to re-run.');
      return;
    }
    const refused = plan.items.filter((i) => !i.decision.allowed);
    const jobs = allowed.reduce((n, i) => n + i.decision.failedJobs.length, 0);
    const detail = [...allowed.map((i) => confirmationText(i.decision)), ...refused.map((i) => `Not re-run: ${i.decision.reason}`)].join('\n\n');
    const ok = await confirm(`Re-run ${jobs} failed job${jobs === 1 ? '' : 's'} in ${allowed.length} workflow run${allowed.length === 1 ? '' : 's'}?`, detail, 'Re-run Failed Jobs');
    if (!ok) return;
    const done = await executeRerun(client, { ...plan, items: allowed });
    void notify('info', `Re-run requested for ${done.length} workflow run${done.length === 1 ? '' : 's'} (${jobs} failed job${jobs === 1 ? '' : 's'}).`);
    await this.afterAction();
  }

  private async showLog(t: ActionTarget | null): Promise<void> {
    if (!t?.jobId) throw new Error('Choose an Actions job (a check run of a workflow, or a job in Workflow Runs) to show its log.');
    const client = await this.client();
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Downloading the log of ${t.label}…` }, () => fetchJobLog(client, t.repo, t.jobId!));
    if (result.kind === 'not-finished') {
      void notify('info', `The log of "${t.label}" is not available yet: the job is ${result.status.replace(/_/g, ' ')}. GitHub publishes a job's log when it finishes.`, 'Open on GitHub').then((b) => {
        if (b && t.url) void vscode.env.openExternal(vscode.Uri.parse(t.url));
      });
      return;
    }
    if (result.kind === 'expired') {
      void notify('warning', `The log of "${t.label}" has expired or was deleted (GitHub keeps logs for a limited time, 90 days by default).`);
      return;
    }
    const clean = cleanJobLog(result.text);
    // Two header lines, then the log: line L of the cleaned log is line L + 2 of the document.
    const errorLines = clean.errors.map((e) => e.line + 2);
    const header = [
      `# ${t.label} · ${t.repo} · job ${t.jobId}`,
      errorLines.length ? `# ${errorLines.length} error line${errorLines.length === 1 ? '' : 's'}: ${errorLines.slice(0, 20).join(', ')}${errorLines.length > 20 ? ', …' : ''}` : '# no error lines',
    ];
    const safe = t.label.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'job';
    const uri = vscode.Uri.from({ scheme: LOG_SCHEME, path: `/${t.repo}/${safe}-${t.jobId}.log` });
    this.logs.set(uri.toString(), `${header.join('\n')}\n${clean.text}`);
    this.logsChanged.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'log');
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const first = clean.errors[0];
    if (first) {
      const pos = new vscode.Position(first.line + 1, 0); // 0-based: document line first.line + 2
      editor.selection = new vscode.Selection(pos, pos);
      editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
    }
  }

  readonly api: GitHubApi = {
    refresh: async () => {
      await this.model.refresh();
      return this.api.snapshot();
    },
    snapshot: async () => {
      const s = this.model.state;
      const bg = this.item.backgroundColor instanceof vscode.ThemeColor ? (this.item.backgroundColor as vscode.ThemeColor & { id: string }).id : null;
      const tooltip = this.item.tooltip instanceof vscode.MarkdownString ? this.item.tooltip.value : String(this.item.tooltip ?? '');
      return {
        phase: s.phase,
        repo: s.checks?.repo ?? s.folder?.repo ?? null,
        pr: s.checks?.pr ?? null,
        headSha: s.checks?.headSha ?? null,
        branch: s.folder?.branch ?? null,
        state: s.checks?.state ?? null,
        error: s.error,
        tokenSource: s.tokenSource,
        statusBar: { visible: Boolean(this.indicator?.visible && getConfig('github.statusBar')), text: this.item.text, tooltip, background: bg, command: typeof this.item.command === 'string' ? this.item.command : null },
        checks: await snapshotTree(this.checksTree, 3),
        runs: await snapshotTree(this.runsTree, 3),
        viewMessage: this.checksView.message ?? null,
        checksVisible: this.checksView.visible,
      };
    },
    stats: () => this.model.stats,
  };
}
