// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import { open as openFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { detectFramework, FRAMEWORK_LABELS, type CaptureFramework } from '../core/metrics/catalog';
import { findNotesFolders, formatBytes, listCaptureFiles, type CaptureFile, type NotesFolder } from '../core/metrics/notes';
import { parseExposition } from '../core/metrics/parser';
import { coalesced } from '../core/util/coalesce';
import { debounce } from '../core/util/debounce';
import type { Logger } from '../core/util/logger';
import type { ContainersModel } from '../containers/containersModel';
import { Views } from '../platform/commandIds';
import { getConfig, onConfigChange } from '../platform/config';

export type MetricsNode = { kind: 'folder'; folder: NotesFolder; captures: CaptureFile[] } | { kind: 'capture'; folder: NotesFolder; capture: CaptureFile; framework: CaptureFramework };

/** Reads the head of a file whose name does not say its framework (cached per path and mtime). */
async function sniffFramework(file: CaptureFile): Promise<CaptureFramework> {
  const fh = await openFile(file.path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(file.size, 256 * 1024));
    await fh.read(buf, 0, buf.length, 0);
    const text = buf.toString('utf8');
    const cut = text.lastIndexOf('\n');
    return detectFramework(parseExposition(cut > 0 ? text.slice(0, cut + 1) : text).families).framework;
  } finally {
    await fh.close();
  }
}

function when(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export interface MetricsSnapshot {
  folders: { path: string; source: string; container: string | null; captures: { path: string; name: string; framework: CaptureFramework; size: number; checked: boolean }[] }[];
}

/** The Metrics view: notes folders and the captures in them, kept current by file watchers. */
export class CapturesTree implements vscode.TreeDataProvider<MetricsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MetricsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<MetricsNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private watchers: vscode.Disposable[] = [];
  private roots: MetricsNode[] = [];
  private readonly checked = new Set<string>();
  private readonly sniffed = new Map<string, CaptureFramework>();
  private readonly lister = coalesced(() => this.list());
  /** False until the view (or a command) first asks: nothing is read at activation. */
  private listed = false;
  /** The dev containers' bind-mount sources last seen: only a change there can change the notes folders. */
  private mountKey = '';
  private readonly refreshSoon = debounce(() => void this.refresh(), 250);

  constructor(
    private readonly containers: ContainersModel,
    private readonly log: Logger,
  ) {
    this.view = vscode.window.createTreeView(Views.metrics, { treeDataProvider: this, canSelectMany: true, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changed,
      this.refreshSoon,
      this.view.onDidChangeCheckboxState((e) => {
        for (const [node, state] of e.items) {
          if (node.kind !== 'capture') continue;
          if (state === vscode.TreeItemCheckboxState.Checked) this.checked.add(node.capture.path);
          else this.checked.delete(node.capture.path);
        }
      }),
      onConfigChange(['notesFolders'], () => void this.refresh()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh()),
      // Container mounts name notes folders: follow the Containers model, but only when they change
      // (it refreshes on every Docker event).
      containers.onDidChange(() => {
        if (this.listed && this.currentMountKey() !== this.mountKey) this.refreshSoon.trigger();
      }),
    );
  }

  /** Lists the folders and their captures now; concurrent calls share one listing. */
  refresh(): Promise<void> {
    return this.lister.run();
  }

  private currentMountKey(): string {
    const state = this.containers.state;
    if (state.kind !== 'ok') return '';
    return state.containers
      .filter((c) => c.isDevContainer)
      .flatMap((c) => c.mounts.filter((m) => m.type === 'bind').map((m) => `${c.name}\0${m.source}\0${m.destination}`))
      .sort()
      .join('\n');
  }

  private async list(): Promise<void> {
    this.listed = true;
    this.mountKey = this.currentMountKey();
    const state = this.containers.state;
    const folders = await findNotesFolders({
      configured: getConfig('notesFolders'),
      workspaceFolders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file' || f.uri.scheme === 'vscode-remote').map((f) => f.uri.fsPath),
      containers: state.kind === 'ok' ? state.containers : [],
    });
    const roots: MetricsNode[] = [];
    for (const folder of folders) {
      const captures = await listCaptureFiles(folder.path);
      for (const c of captures) {
        if (c.framework) continue;
        const key = `${c.path}:${c.mtimeMs}`;
        if (!this.sniffed.has(key)) {
          try {
            this.sniffed.set(key, await sniffFramework(c));
          } catch (e) {
            this.log.warn(`Cannot read ${c.path}: ${e instanceof Error ? e.message : String(e)}`);
            this.sniffed.set(key, 'unknown');
          }
        }
      }
      roots.push({ kind: 'folder', folder, captures });
    }
    for (const p of [...this.checked]) if (!roots.some((r) => r.kind === 'folder' && r.captures.some((c) => c.path === p))) this.checked.delete(p);
    this.roots = roots;
    this.watch(folders);
    this.view.message = folders.length === 0 ? 'No notes folder found. Captures are read from each workspace folder\'s notes/, the notes folders mounted into dev containers, or the folders in "dynamo.notesFolders".' : undefined;
    this.changed.fire(undefined);
  }

  private watch(folders: NotesFolder[]): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    for (const f of folders) {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(f.path), '*'));
      const trigger = () => this.refreshSoon.trigger();
      this.watchers.push(w, w.onDidCreate(trigger), w.onDidDelete(trigger), w.onDidChange(trigger));
    }
  }

  frameworkOf(c: CaptureFile): CaptureFramework {
    return c.framework ?? this.sniffed.get(`${c.path}:${c.mtimeMs}`) ?? 'unknown';
  }

  async getChildren(node?: MetricsNode): Promise<MetricsNode[]> {
    if (!node) {
      if (!this.listed) await this.refresh();
      return this.roots;
    }
    if (node.kind === 'folder') return node.captures.map((capture) => ({ kind: 'capture', folder: node.folder, capture, framework: this.frameworkOf(capture) }));
    return [];
  }

  getParent(node: MetricsNode): MetricsNode | undefined {
    if (node.kind === 'folder') return undefined;
    return this.roots.find((r) => r.kind === 'folder' && r.folder.path === node.folder.path);
  }

  getTreeItem(node: MetricsNode): vscode.TreeItem {
    if (node.kind === 'folder') {
      const name = node.folder.path.split(/[\\/]/).slice(-2).join('/');
      const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `notes:${node.folder.path}`;
      item.description = `${node.captures.length} capture${node.captures.length === 1 ? '' : 's'}${node.folder.container ? ` · mounted in ${node.folder.container}` : ''}`;
      item.tooltip = `${node.folder.path}\n${node.folder.source === 'setting' ? 'from dynamo.notesFolders' : node.folder.source === 'workspace' ? 'the workspace folder\'s notes/' : `a notes folder mounted into ${node.folder.container ?? 'a dev container'}`}`;
      item.iconPath = new vscode.ThemeIcon('folder-library');
      item.resourceUri = vscode.Uri.file(node.folder.path);
      item.contextValue = 'notesFolder';
      return item;
    }
    const c = node.capture;
    const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.None);
    item.id = `capture:${c.path}`;
    item.description = `${FRAMEWORK_LABELS[node.framework]} · ${when(c.mtimeMs)} · ${formatBytes(c.size)}`;
    item.tooltip = new vscode.MarkdownString().appendText(`${c.path}\n${FRAMEWORK_LABELS[node.framework]}, ${formatBytes(c.size)}, modified ${when(c.mtimeMs)}${c.soakReport ? `\nClient-side soak report beside it: ${c.soakReport.split(/[\\/]/).pop()}` : ''}`);
    item.iconPath = new vscode.ThemeIcon('pulse');
    item.resourceUri = vscode.Uri.file(c.path);
    item.contextValue = 'capture';
    item.checkboxState = { state: this.checked.has(c.path) ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked, tooltip: 'Include in the comparison' };
    item.accessibilityInformation = { label: `${c.name}, ${FRAMEWORK_LABELS[node.framework]}, ${formatBytes(c.size)}, ${this.checked.has(c.path) ? 'checked' : 'not checked'}` };
    return item;
  }

  /** Captures chosen for comparison: the checked ones. */
  checkedCaptures(): vscode.Uri[] {
    return [...this.checked].map((p) => vscode.Uri.file(p));
  }

  setChecked(paths: readonly string[]): void {
    this.checked.clear();
    for (const p of paths) this.checked.add(p);
    this.changed.fire(undefined);
  }

  async allCaptures(): Promise<{ uri: vscode.Uri; name: string; framework: CaptureFramework; folder: string; mtimeMs: number }[]> {
    if (!this.listed) await this.refresh();
    return this.roots.flatMap((r) => (r.kind === 'folder' ? r.captures.map((c) => ({ uri: vscode.Uri.file(c.path), name: c.name, framework: this.frameworkOf(c), folder: r.folder.path, mtimeMs: c.mtimeMs })) : []));
  }

  /** What the view shows; listed afresh unless `cached` (then only a running listing is awaited). */
  async snapshot(opts: { cached?: boolean } = {}): Promise<MetricsSnapshot> {
    if (!opts.cached) await this.refresh();
    else await this.lister.settled();
    return {
      folders: this.roots.flatMap((r) =>
        r.kind === 'folder'
          ? [{ path: r.folder.path, source: r.folder.source, container: r.folder.container ?? null, captures: r.captures.map((c) => ({ path: c.path, name: c.name, framework: this.frameworkOf(c), size: c.size, checked: this.checked.has(c.path) })) }]
          : [],
      ),
    };
  }

  dispose(): void {
    for (const w of this.watchers) w.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
