// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import * as vscode from 'vscode';
import { soakReportPathFor } from '../core/inference/soakReport';
import { FRAMEWORK_LABELS } from '../core/metrics/catalog';
import type { Logger } from '../core/util/logger';
import { Commands } from '../platform/commandIds';
import type { CommandTable } from '../platform/commands';
import type { CapturesTree, MetricsNode } from './capturesTree';
import { ComparePanel } from './comparePanel';

const isNode = (x: unknown): x is MetricsNode => typeof x === 'object' && x !== null && 'kind' in x && ((x as MetricsNode).kind === 'capture' || (x as MetricsNode).kind === 'folder');

function uriOf(x: unknown): vscode.Uri | undefined {
  if (x instanceof vscode.Uri) return x;
  if (isNode(x) && x.kind === 'capture') return vscode.Uri.file(x.capture.path);
  return undefined;
}

/**
 * The files a Compare invocation means: an explorer multi-selection (uri, uris), a tree item with the
 * tree's selection, or the checked captures; from the palette, a quick pick.
 */
export async function comparisonTargets(tree: CapturesTree, arg?: unknown, args?: unknown): Promise<vscode.Uri[] | undefined> {
  const fromArgs = (Array.isArray(args) ? args : arg !== undefined ? [arg] : []).map(uriOf).filter((u): u is vscode.Uri => !!u);
  const checked = tree.checkedCaptures();
  let files: vscode.Uri[];
  if (arg instanceof vscode.Uri) files = fromArgs;
  else if (fromArgs.length > 0) files = [...checked, ...fromArgs];
  else if (checked.length > 0) files = checked;
  else {
    const selected = tree.view.selection.map(uriOf).filter((u): u is vscode.Uri => !!u);
    if (selected.length > 0) files = selected;
    else {
      const all = await tree.allCaptures();
      const browse = { label: '$(folder-opened) Browse for capture files…', browse: true as const };
      const items = all.map((c) => ({ label: c.name, description: FRAMEWORK_LABELS[c.framework], detail: c.folder, uri: c.uri, picked: false }));
      const picked = await vscode.window.showQuickPick<{ label: string; uri?: vscode.Uri; browse?: true }>([...items, browse], { canPickMany: true, placeHolder: 'Captures to compare (metrics-<framework>.log)', matchOnDetail: true });
      if (!picked || picked.length === 0) return undefined;
      files = picked.filter((p) => p.uri).map((p) => p.uri as vscode.Uri);
      if (picked.some((p) => p.browse)) {
        const more = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Compare', filters: { 'Metrics captures': ['log', 'prom', 'txt'], 'All files': ['*'] } });
        files.push(...(more ?? []));
      }
    }
  }
  const seen = new Set<string>();
  return files.filter((u) => !seen.has(u.toString()) && (seen.add(u.toString()), true));
}

export function metricsCommands(tree: CapturesTree, extensionUri: vscode.Uri, log: Logger): CommandTable {
  return {
    [Commands.metricsCompare]: async (arg?: unknown, args?: unknown) => {
      const files = await comparisonTargets(tree, arg, args);
      if (!files) return undefined;
      if (files.length === 0) {
        void vscode.window.showInformationMessage('Check the captures to compare in the Metrics view, or select capture files in the Explorer.');
        return undefined;
      }
      return ComparePanel.open(extensionUri, files, log);
    },
    [Commands.metricsRefresh]: () => tree.refresh(),
    [Commands.metricsOpenRaw]: async (node?: MetricsNode) => {
      const uri = uriOf(node);
      if (uri) await vscode.window.showTextDocument(uri, { preview: true });
    },
    [Commands.metricsReveal]: async (node?: MetricsNode) => {
      const uri = node?.kind === 'folder' ? vscode.Uri.file(node.folder.path) : uriOf(node);
      if (!uri) return;
      if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
      else await vscode.commands.executeCommand('revealFileInOS', uri);
    },
    [Commands.metricsDelete]: async (node?: MetricsNode, nodes?: MetricsNode[]) => {
      const targets = (nodes && nodes.length > 0 ? nodes : node ? [node] : []).map(uriOf).filter((u): u is vscode.Uri => !!u);
      if (targets.length === 0) return;
      const names = targets.map((u) => u.path.split('/').pop()).join(', ');
      const ok = await vscode.window.showWarningMessage(`Move ${targets.length === 1 ? names : `${targets.length} captures (${names})`} to the trash?`, { modal: true }, 'Move to Trash');
      if (ok !== 'Move to Trash') return;
      for (const uri of targets) {
        try {
          await vscode.workspace.fs.delete(uri, { useTrash: true });
        } catch (e) {
          throw new Error(`Could not move ${uri.fsPath} to the trash (${e instanceof Error ? e.message : String(e)}); nothing was deleted.`);
        }
        // its client-side soak report goes with it, so it is never shown beside another capture later
        const soak = vscode.Uri.file(soakReportPathFor(uri.fsPath));
        await vscode.workspace.fs.delete(soak, { useTrash: true }).then(undefined, () => undefined);
      }
      await tree.refresh();
    },
  };
}
