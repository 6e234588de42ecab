// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// The `dynamo` task type (Terminal → Run Task, and tasks.json): a framework's image sanity check and the
// full parallel build with the checkout's own builder (under nohup: they survive the window), the docs
// image build with Sphinx warnings as Problems, the broken-links check, and the narrow clean-up of
// inference processes in a dev container. The procedures are in src/core; this file makes tasks of them.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isRunning } from '../core/docker/discovery';
import { DEFAULT_CLEANUP_PORTS } from '../core/inference/cleanup';
import { builderArgs, defaultLogRoot, detectBuilder, FRAMEWORKS, isReadableFile, logPathFor, NOHUP_RUNNER, type BuildAction } from '../core/tasks/builders';
import { DOCS_DOCKERFILE } from '../core/tasks/docsBuild';
import type { ContainersTree } from '../containers/containersTree';
import { getConfig } from '../platform/config';

export const TASK_TYPE = 'dynamo';
export const BROKEN_LINKS_SCRIPT = '.github/workflows/detect_broken_links.py';
export const SPHINX_MATCHERS = ['$dynamo-sphinx', '$dynamo-sphinx-file'];

export interface DynamoTaskDefinition extends vscode.TaskDefinition {
  type: 'dynamo';
  task: 'sanity-check' | 'build-all' | 'docs' | 'broken-links' | 'cleanup';
  framework?: string;
  container?: string;
  ports?: number[];
  noCache?: boolean;
}

/** A task terminal that says why a task definition cannot run, and fails. */
class RefusalPty implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;

  constructor(private readonly why: string) {}

  open(): void {
    this.writer.fire(`\x1b[31m${this.why}\x1b[0m\r\n`);
    this.closer.fire(1);
  }

  close(): void {
    // nothing runs
  }
}

export class DynamoTaskProvider implements vscode.TaskProvider {
  constructor(
    private readonly tree: ContainersTree,
    private readonly extensionPath: string,
  ) {}

  async provideTasks(): Promise<vscode.Task[]> {
    const tasks: vscode.Task[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const root = folder.uri.fsPath;
      if (await detectBuilder(root)) {
        for (const fw of FRAMEWORKS) tasks.push(await this.make({ type: TASK_TYPE, task: 'sanity-check', framework: fw }, folder));
        tasks.push(await this.make({ type: TASK_TYPE, task: 'build-all' }, folder));
      }
      if (await isReadableFile(path.join(root, ...DOCS_DOCKERFILE.split('/')))) tasks.push(await this.make({ type: TASK_TYPE, task: 'docs' }, folder));
      if (await isReadableFile(path.join(root, ...BROKEN_LINKS_SCRIPT.split('/')))) tasks.push(await this.make({ type: TASK_TYPE, task: 'broken-links' }, folder));
    }
    // one clean-up task per running dev container, in its folder when it maps to one
    for (const g of this.tree.groups()) {
      for (const { container } of g.containers) {
        if (!isRunning(container)) continue;
        const folder = g.folder ? vscode.workspace.workspaceFolders?.find((f) => f.uri.fsPath === g.folder!.path) : undefined;
        tasks.push(await this.make({ type: TASK_TYPE, task: 'cleanup', container: container.name }, folder ?? vscode.TaskScope.Workspace));
      }
    }
    return tasks;
  }

  async resolveTask(task: vscode.Task): Promise<vscode.Task | undefined> {
    const def = task.definition as DynamoTaskDefinition;
    if (def.type !== TASK_TYPE) return undefined;
    const scope = task.scope && typeof task.scope === 'object' ? task.scope : (vscode.workspace.workspaceFolders?.[0] ?? vscode.TaskScope.Workspace);
    return this.make(def, scope);
  }

  /** A task for a definition (from this provider or tasks.json); a bad definition becomes a task that says why. */
  async make(def: DynamoTaskDefinition, scope: vscode.WorkspaceFolder | vscode.TaskScope.Workspace): Promise<vscode.Task> {
    const folder = typeof scope === 'object' ? scope : undefined;
    try {
      return await this.build(def, scope, folder);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return new vscode.Task(def, scope, nameOf(def), TASK_TYPE, new vscode.CustomExecution(async () => new RefusalPty(why)));
    }
  }

  private async build(def: DynamoTaskDefinition, scope: vscode.WorkspaceFolder | vscode.TaskScope.Workspace, folder: vscode.WorkspaceFolder | undefined): Promise<vscode.Task> {
    const name = nameOf(def);
    const needFolder = () => {
      if (!folder) throw new Error(`The "${def.task}" task needs a workspace folder (the Dynamo checkout).`);
      return folder.uri.fsPath;
    };
    switch (def.task) {
      case 'sanity-check':
      case 'build-all': {
        const root = needFolder();
        const builder = await detectBuilder(root);
        if (!builder) throw new Error(`${folder!.name} has neither container/build_images.py nor dynamo_docker_builder.py: no image builder to run.`);
        const args = builderArgs(builder.kind, def.task as BuildAction, { framework: def.framework, email: getConfig('tasks.buildEmail') });
        const logRoot = getConfig('tasks.logFolder').trim() || defaultLogRoot();
        const log = logPathFor(logRoot, folder!.name, def.task === 'sanity-check' ? `sanity-${def.framework}` : 'build-all');
        const exec = new vscode.ProcessExecution('/bin/sh', ['-c', NOHUP_RUNNER, 'dynamo-dev', log, getConfig('tasks.python'), builder.script, ...args], { cwd: root });
        const t = new vscode.Task(def, scope, name, TASK_TYPE, exec, []);
        t.group = vscode.TaskGroup.Build;
        t.detail = `${builder.script} ${args.join(' ')} (nohup; log in ${path.dirname(log)})`;
        return t;
      }
      case 'docs': {
        const root = needFolder();
        if (!(await isReadableFile(path.join(root, ...DOCS_DOCKERFILE.split('/'))))) throw new Error(`${folder!.name} has no ${DOCS_DOCKERFILE}: this checkout has no Sphinx docs image (newer branches use Fern).`);
        const t = new vscode.Task(def, scope, name, TASK_TYPE, this.cli(['docs-build', '--path', root, '--docker', getConfig('docker.path'), ...(def.noCache ? ['--no-cache'] : [])], root), SPHINX_MATCHERS);
        t.group = vscode.TaskGroup.Build;
        t.detail = `docker build -t docs-builder -f ${DOCS_DOCKERFILE} . — passes with "build succeeded" and no warnings`;
        t.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
        return t;
      }
      case 'broken-links': {
        const root = needFolder();
        const logRoot = getConfig('tasks.logFolder').trim() || defaultLogRoot();
        const report = logPathFor(logRoot, folder!.name, 'broken-links').replace(/\.log$/, '.json');
        const exec = new vscode.ProcessExecution('/bin/sh', ['-c', 'mkdir -p "$(dirname "$1")" && shift && exec "$@"', 'dynamo-dev', report, getConfig('tasks.python'), BROKEN_LINKS_SCRIPT, '--verbose', '--format', 'json', '--check-symlinks', '--output', report, '.'], { cwd: root });
        const t = new vscode.Task(def, scope, name, TASK_TYPE, exec, []);
        t.group = vscode.TaskGroup.Test;
        t.detail = `${BROKEN_LINKS_SCRIPT} (report: ${report})`;
        return t;
      }
      case 'cleanup': {
        const container = def.container?.trim();
        if (!container) throw new Error('The "cleanup" task needs "container": the name or id of a dev container.');
        const ports = def.ports ?? [...DEFAULT_CLEANUP_PORTS];
        if (!Array.isArray(ports) || ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw new Error(`"ports" must be a list of port numbers (got ${JSON.stringify(def.ports)}).`);
        const t = new vscode.Task(def, scope, name, TASK_TYPE, this.cli(['cleanup', '--container', container, '--ports', ports.join(',')], folder?.uri.fsPath), []);
        t.detail = `Stops Dynamo inference processes (narrow patterns, ports ${ports.join(', ')}) in ${container}; nothing else`;
        return t;
      }
      default:
        throw new Error(`Unknown dynamo task "${String((def as { task?: unknown }).task)}": use sanity-check, build-all, docs, broken-links or cleanup.`);
    }
  }

  /**
   * `dynamo-dev <args>` with the extension's own Node (VS Code's Electron as Node): the task's exit code
   * is a real process's, and the procedure is the CLI's. The Docker endpoint setting is passed on.
   */
  private cli(args: string[], cwd: string | undefined): vscode.ProcessExecution {
    const host = getConfig('docker.host').trim();
    return new vscode.ProcessExecution(process.execPath, [path.join(this.extensionPath, 'dist', 'cli.js'), ...args, ...(host ? ['--host', host] : [])], {
      ...(cwd ? { cwd } : {}),
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
  }
}

export function nameOf(def: DynamoTaskDefinition): string {
  switch (def.task) {
    case 'sanity-check':
      return `Image sanity check (${def.framework ?? '?'})`;
    case 'build-all':
      return 'Build all images (parallel)';
    case 'docs':
      return 'Docs build (Sphinx)';
    case 'broken-links':
      return 'Broken links check';
    case 'cleanup':
      return `Clean up inference processes (${def.container ?? '?'})`;
    default:
      return `dynamo: ${String((def as { task?: unknown }).task)}`;
  }
}
