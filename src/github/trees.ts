// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// The PR Checks view (the PR's check runs and commit statuses grouped by workflow / check suite,
// failures first; an Actions job expands to its steps) and the Workflow Runs view (the runs of the
// head SHA and of the branch; run → jobs → steps). Both read CiModel; every node that can be acted on
// carries an ActionTarget for the commands.
import * as vscode from 'vscode';
import { groupChecks, type Bucket, type Check, type CheckGroup } from '../core/github/checks';
import type { WorkflowRunSummary } from '../core/github/prChecks';
import { stepDurationMs, type RawJob, type RawStep } from '../core/github/runs';
import type { CiModel, CiState } from './ciModel';

/** What a command needs from the node it was invoked on. */
export interface ActionTarget {
  repo: string;
  label: string;
  runId: number | null;
  jobId: number | null;
  url: string | null;
  /** queued / in progress */
  running: boolean;
  failed: boolean;
}

export type CiNode =
  | { kind: 'group'; group: CheckGroup; repo: string }
  | { kind: 'check'; check: Check; repo: string; target: ActionTarget }
  | { kind: 'section'; label: string; runs: WorkflowRunSummary[]; repo: string }
  | { kind: 'run'; run: WorkflowRunSummary; repo: string; target: ActionTarget }
  | { kind: 'job'; job: RawJob; repo: string; target: ActionTarget }
  | { kind: 'step'; step: RawStep }
  | { kind: 'message'; text: string };

const FAILED = new Set(['failure', 'cancelled', 'timed_out', 'startup_failure', 'action_required']);

export function bucketIcon(bucket: Bucket): vscode.ThemeIcon {
  switch (bucket) {
    case 'success':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'failure':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'pending':
      return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('testing.iconQueued'));
    case 'skipped':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('testing.iconSkipped'));
    default:
      return new vscode.ThemeIcon('circle-outline');
  }
}

function runBucket(status: string | null, conclusion: string | null): Bucket {
  if (status !== 'completed') return 'pending';
  if (conclusion === 'success') return 'success';
  if (conclusion === 'skipped') return 'skipped';
  if (conclusion !== null && FAILED.has(conclusion)) return 'failure';
  return 'neutral';
}

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

function countsText(g: CheckGroup): string {
  const c = g.counts;
  const parts = [c.failure ? `${c.failure} failed` : '', c.pending ? `${c.pending} pending` : '', c.success ? `${c.success} passed` : '', c.skipped ? `${c.skipped} skipped` : ''];
  return parts.filter(Boolean).join(' · ');
}

/** Context value flags the menus in package.json test with regexes (`viewItem =~ /:failed/`). */
function contextValue(base: string, t: ActionTarget): string {
  return [base, t.runId !== null ? ':run' : '', t.jobId !== null ? ':job' : '', t.failed ? ':failed' : '', t.running ? ':running' : ':completed', t.url ? ':url' : ''].join('');
}

abstract class CiTree implements vscode.TreeDataProvider<CiNode>, vscode.Disposable {
  protected readonly emitter = new vscode.EventEmitter<CiNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly sub: vscode.Disposable;

  constructor(protected readonly model: CiModel) {
    this.sub = model.onDidChange(() => this.emitter.fire(undefined));
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }

  abstract roots(state: CiState): CiNode[];

  getChildren(node?: CiNode): CiNode[] | Promise<CiNode[]> {
    if (!node) return this.roots(this.model.state);
    switch (node.kind) {
      case 'group':
        return node.group.checks.map((check) => checkNode(check, node.repo));
      case 'section':
        return node.runs.map((run) => runNode(run, node.repo));
      case 'check':
        return node.check.runId !== null && node.check.jobId !== null ? this.stepsOf(node.repo, node.check.runId, node.check.jobId) : [];
      case 'run':
        return this.jobsOf(node.repo, node.run);
      case 'job':
        return (node.job.steps ?? []).map((step) => ({ kind: 'step', step }));
      default:
        return [];
    }
  }

  private async jobsOf(repo: string, run: WorkflowRunSummary): Promise<CiNode[]> {
    try {
      const jobs = await this.model.runJobs(repo, run.id);
      if (jobs.length === 0) return [{ kind: 'message', text: 'No jobs yet' }];
      return jobs.map((job) => jobNode(job, repo));
    } catch (e) {
      return [{ kind: 'message', text: `Could not list the jobs: ${(e as Error).message}` }];
    }
  }

  private async stepsOf(repo: string, runId: number, jobId: number): Promise<CiNode[]> {
    try {
      const job = (await this.model.runJobs(repo, runId)).find((j) => j.id === jobId);
      if (!job) return [{ kind: 'message', text: 'This job belongs to an earlier attempt of the run' }];
      const steps = job.steps ?? [];
      return steps.length ? steps.map((step) => ({ kind: 'step', step })) : [{ kind: 'message', text: 'No steps yet' }];
    } catch (e) {
      return [{ kind: 'message', text: `Could not list the steps: ${(e as Error).message}` }];
    }
  }

  getTreeItem(node: CiNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        const item = new vscode.TreeItem(node.group.label, node.group.state === 'failure' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `group:${node.group.key}`;
        item.description = countsText(node.group);
        item.iconPath = bucketIcon(node.group.state === 'none' ? 'neutral' : node.group.state);
        item.contextValue = 'group';
        return item;
      }
      case 'check': {
        const c = node.check;
        const expandable = c.runId !== null && c.jobId !== null;
        const item = new vscode.TreeItem(c.name, expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `check:${c.source}:${c.id ?? c.name}:${c.groupKey}`;
        const req = c.required === true ? 'required' : c.required === false ? 'optional' : 'required: unknown';
        item.description = [formatDuration(c.durationMs), req].filter(Boolean).join(' · ');
        item.iconPath = bucketIcon(c.bucket);
        item.tooltip = new vscode.MarkdownString(undefined, true);
        item.tooltip.appendText(`${c.workflow ? `${c.workflow} / ` : ''}${c.name}\n${c.status}${c.conclusion ? ` · ${c.conclusion}` : ''} · ${req}`);
        item.contextValue = contextValue('check', node.target);
        return item;
      }
      case 'section': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `section:${node.label}`;
        item.description = `${node.runs.length} run${node.runs.length === 1 ? '' : 's'}`;
        item.contextValue = 'section';
        return item;
      }
      case 'run': {
        const r = node.run;
        const item = new vscode.TreeItem(r.name ?? `run ${r.id}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `run:${r.id}:${r.attempt}:${r.status}`;
        item.description = [r.status === 'completed' ? (r.conclusion ?? 'completed') : (r.status ?? ''), r.event ?? '', r.attempt > 1 ? `attempt ${r.attempt}` : '', r.branch ?? ''].filter(Boolean).join(' · ');
        item.iconPath = bucketIcon(runBucket(r.status, r.conclusion));
        item.contextValue = contextValue('run', node.target);
        return item;
      }
      case 'job': {
        const j = node.job;
        const item = new vscode.TreeItem(j.name, (j.steps ?? []).length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `job:${j.id}:${j.status}`;
        item.description = [j.status === 'completed' ? (j.conclusion ?? '') : j.status, formatDuration(stepDurationMs(j))].filter(Boolean).join(' · ');
        item.iconPath = bucketIcon(runBucket(j.status, j.conclusion));
        item.contextValue = contextValue('job', node.target);
        return item;
      }
      case 'step': {
        const s = node.step;
        const item = new vscode.TreeItem(`${s.number}. ${s.name}`, vscode.TreeItemCollapsibleState.None);
        item.description = [s.status === 'completed' ? (s.conclusion ?? '') : s.status, formatDuration(stepDurationMs(s))].filter(Boolean).join(' · ');
        item.iconPath = bucketIcon(runBucket(s.status, s.conclusion));
        item.contextValue = 'step';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        item.contextValue = 'message';
        return item;
      }
    }
  }
}

function checkNode(check: Check, repo: string): CiNode {
  return {
    kind: 'check',
    check,
    repo,
    target: { repo, label: check.name, runId: check.runId, jobId: check.jobId, url: check.url, running: check.bucket === 'pending', failed: check.bucket === 'failure' },
  };
}

function runNode(run: WorkflowRunSummary, repo: string): CiNode {
  const bucket = runBucket(run.status, run.conclusion);
  return { kind: 'run', run, repo, target: { repo, label: run.name ?? `run ${run.id}`, runId: run.id, jobId: null, url: run.url, running: bucket === 'pending', failed: bucket === 'failure' } };
}

function jobNode(job: RawJob, repo: string): CiNode {
  const bucket = runBucket(job.status, job.conclusion);
  return { kind: 'job', job, repo, target: { repo, label: job.name, runId: job.run_id, jobId: job.id, url: job.html_url, running: bucket === 'pending', failed: bucket === 'failure' } };
}

export class ChecksTree extends CiTree {
  roots(state: CiState): CiNode[] {
    if (!state.checks) return [];
    const repo = state.checks.repo;
    return groupChecks(state.checks.checks).map((group) => ({ kind: 'group', group, repo }));
  }
}

export class RunsTree extends CiTree {
  roots(state: CiState): CiNode[] {
    const checks = state.checks;
    if (!checks) return [];
    const out: CiNode[] = [];
    const seen = new Set(checks.runs.map((r) => r.id));
    out.push({ kind: 'section', label: `Commit ${checks.headSha.slice(0, 7)}${checks.pr !== null ? ` (head of PR #${checks.pr})` : ''}`, runs: checks.runs, repo: checks.repo });
    const branch = state.branchRuns.filter((r) => !seen.has(r.id));
    const name = state.folder?.branch;
    if (name && branch.length > 0) out.push({ kind: 'section', label: `Branch ${name}`, runs: branch, repo: checks.repo });
    return out;
  }
}

export interface TreeSnapshotNode {
  label: string;
  description: string;
  contextValue: string;
  icon: string | null;
  children?: TreeSnapshotNode[];
}

/** The tree as plain data, expanded to `depth` levels (for the test API). */
export async function snapshotTree(tree: vscode.TreeDataProvider<CiNode>, depth: number, node?: CiNode): Promise<TreeSnapshotNode[]> {
  const kids = (await tree.getChildren(node)) ?? [];
  const out: TreeSnapshotNode[] = [];
  for (const k of kids) {
    const item = await tree.getTreeItem(k);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    const entry: TreeSnapshotNode = {
      label,
      description: typeof item.description === 'string' ? item.description : '',
      contextValue: item.contextValue ?? '',
      icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : null,
    };
    if (depth > 1 && item.collapsibleState !== vscode.TreeItemCollapsibleState.None) entry.children = await snapshotTree(tree, depth - 1, k);
    out.push(entry);
  }
  return out;
}
