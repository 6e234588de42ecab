// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import * as vscode from 'vscode';
import { groupContainers, matchWorkspaceFolder } from '../core/docker/discovery';
import type { ContainerInfo } from '../core/docker/model';
import { ContextKeys, Views } from '../platform/commandIds';
import { getConfig } from '../platform/config';
import type { ContainersModel } from './containersModel';
import { toTreeItem, type FolderRef, type Node } from './nodes';

export function workspaceFolderRefs(): FolderRef[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file' || f.uri.scheme === 'vscode-remote').map((f) => ({ name: f.name, path: f.uri.fsPath, uri: f.uri }));
}

/** What the Containers view shows, as plain data (used by the test API and by quick picks). */
export interface ContainersSnapshot {
  state: 'loading' | 'ok' | 'empty' | 'unreachable';
  error: string | null;
  watching: boolean;
  groups: { label: string; kind: string; folder: string | null; containers: (ContainerInfo & { match: string | null })[] }[];
}

export class ContainersTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly model: ContainersModel) {
    this.view = vscode.window.createTreeView(Views.containers, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changed,
      this.view.onDidChangeVisibility((e) => model.setVisible(e.visible)),
      model.onDidChange(() => this.update()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.changed.fire(undefined)),
    );
    model.setVisible(this.view.visible);
  }

  private update(): void {
    const s = this.model.state;
    const key = s.kind === 'loading' ? undefined : s.kind === 'unreachable' ? 'unreachable' : s.containers.length === 0 ? 'empty' : 'ok';
    void vscode.commands.executeCommand('setContext', ContextKeys.dockerState, key);
    this.view.message = s.kind === 'unreachable' ? s.error : undefined;
    this.changed.fire(undefined);
  }

  groups() {
    const s = this.model.state;
    if (s.kind !== 'ok') return [];
    return groupContainers(s.containers, workspaceFolderRefs(), getConfig('containers.showNonDevContainers'));
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.groups().map((group) => ({ kind: 'group', group }));
    if (node.kind === 'group') return node.group.containers.map(({ container, match }) => ({ kind: 'container', container, folder: node.group.folder, match }));
    if (node.kind === 'container') return node.container.mounts.map((mount) => ({ kind: 'mount', container: node.container, mount }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return toTreeItem(node);
  }

  /** The workspace folder a container belongs to in this window, if any. */
  folderOf(c: ContainerInfo): FolderRef | null {
    return matchWorkspaceFolder(c, workspaceFolderRefs())?.folder ?? null;
  }

  snapshot(): ContainersSnapshot {
    const s = this.model.state;
    const groups = this.groups().map((g) => ({ label: g.label, kind: g.kind, folder: g.folder?.path ?? null, containers: g.containers.map((x) => ({ ...x.container, match: x.match })) }));
    if (s.kind === 'ok') return { state: s.containers.length === 0 ? 'empty' : 'ok', error: null, watching: this.model.isWatching, groups };
    return { state: s.kind, error: s.kind === 'unreachable' ? s.error : null, watching: this.model.isWatching, groups };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
