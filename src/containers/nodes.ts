// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import * as vscode from 'vscode';
import { isRunning, uptimeOf, type ContainerGroup, type MatchKind } from '../core/docker/discovery';
import type { ContainerInfo, Mount } from '../core/docker/model';

export interface FolderRef {
  name: string;
  path: string;
  uri: vscode.Uri;
}

export type Node =
  | { kind: 'group'; group: ContainerGroup<FolderRef> }
  | { kind: 'container'; container: ContainerInfo; folder: FolderRef | null; match: MatchKind | null }
  | { kind: 'mount'; container: ContainerInfo; mount: Mount };

const FRAMEWORK_LABEL: Record<string, string> = { vllm: 'vLLM', sglang: 'SGLang', trtllm: 'TensorRT-LLM', unknown: 'unknown framework' };

export function frameworkLabel(fw: string): string {
  return FRAMEWORK_LABEL[fw] ?? fw;
}

export function stateDescription(c: ContainerInfo): string {
  if (c.state === 'running') {
    const up = uptimeOf(c);
    return up ? `up ${up}` : 'running';
  }
  if (c.state === 'exited') {
    const m = /^Exited \((-?\d+)\)\s*(.*)$/.exec(c.status);
    return m ? `exited (${m[1]}) ${m[2] ?? ''}`.trim() : 'exited';
  }
  return c.state;
}

function containerIcon(c: ContainerInfo): vscode.ThemeIcon {
  if (c.state === 'running') return new vscode.ThemeIcon('vm-running', new vscode.ThemeColor('charts.green'));
  if (c.state === 'paused') return new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('charts.yellow'));
  if (c.state === 'restarting') return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.yellow'));
  return new vscode.ThemeIcon('vm-outline', new vscode.ThemeColor('disabledForeground'));
}

function containerTooltip(c: ContainerInfo, folder: FolderRef | null, match: MatchKind | null): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  const row = (label: string, value: string | null | undefined) => {
    if (!value) return;
    md.appendMarkdown(`**${label}:** `);
    md.appendText(value);
    md.appendMarkdown('  \n');
  };
  md.appendMarkdown('$(vm) ');
  md.appendText(c.name);
  md.appendMarkdown('\n\n');
  row('ID', c.shortId);
  row('Image', c.image);
  row('State', c.status || c.state);
  row('Framework', c.framework === 'unknown' ? 'unknown' : `${frameworkLabel(c.framework)} (from ${c.frameworkSource === 'configFile' ? 'the devcontainer.json path' : 'the image tag'})`);
  row('Host folder', c.localFolder ?? (c.folderName ? `${c.folderName} (from the image name)` : null));
  row('Workspace folder', folder ? `${folder.name}${match === 'folderName' ? ' (matched by folder name)' : ''}` : null);
  row('Config', c.configFile);
  row('Remote user', c.remoteUser);
  row('Mounts', String(c.mounts.length));
  return md;
}

export function toTreeItem(node: Node): vscode.TreeItem {
  switch (node.kind) {
    case 'group': {
      const g = node.group;
      const item = new vscode.TreeItem(g.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${g.kind}:${g.folder?.path ?? ''}`;
      const running = g.containers.filter((x) => isRunning(x.container)).length;
      item.description = g.kind === 'stopped' ? `${g.containers.length}` : `${running}/${g.containers.length} running`;
      item.iconPath = new vscode.ThemeIcon(g.kind === 'workspace' ? 'root-folder' : g.kind === 'stopped' ? 'circle-slash' : g.kind === 'nonDev' ? 'package' : 'folder');
      if (g.folder) item.tooltip = g.folder.path;
      item.contextValue = `${g.kind}Group`;
      item.accessibilityInformation = { label: `${g.label}, ${g.kind === 'stopped' ? `${g.containers.length} stopped` : `${running} of ${g.containers.length} running`}` };
      return item;
    }
    case 'container': {
      const c = node.container;
      const item = new vscode.TreeItem(c.name, c.mounts.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.id = `container:${c.id}`;
      item.description = `${c.framework} · ${stateDescription(c)}`;
      item.iconPath = containerIcon(c);
      item.tooltip = containerTooltip(c, node.folder, node.match);
      item.contextValue = isRunning(c) ? 'runningContainer' : 'stoppedContainer';
      item.accessibilityInformation = { label: `${c.name}, ${frameworkLabel(c.framework)}, ${stateDescription(c)}` };
      return item;
    }
    case 'mount': {
      const m = node.mount;
      const item = new vscode.TreeItem(m.destination, vscode.TreeItemCollapsibleState.None);
      item.id = `mount:${node.container.id}:${m.destination}`;
      const src = m.type === 'bind' ? m.source : `${m.type} ${m.name ?? m.source}`;
      item.description = `← ${src}${m.readOnly ? ' (read-only)' : ''}`;
      item.iconPath = new vscode.ThemeIcon(m.readOnly ? 'lock' : m.type === 'bind' ? 'file-symlink-directory' : 'database');
      item.tooltip = `${m.type} mount\nhost: ${m.source}\ncontainer: ${m.destination}\n${m.readOnly ? 'read-only' : 'read-write'}`;
      item.contextValue = 'mount';
      item.accessibilityInformation = { label: `${m.destination} from ${src}${m.readOnly ? ', read-only' : ''}` };
      return item;
    }
  }
}
