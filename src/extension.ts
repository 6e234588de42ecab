// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import * as vscode from 'vscode';
import { backupCommands } from './backup/commands';
import { CollectMetrics, type CollectApi } from './collect/collectMetrics';
import { ContainersModel } from './containers/containersModel';
import { ContainersTree, type ContainersSnapshot } from './containers/containersTree';
import { containerCommands, INSPECT_SCHEME, InspectDocuments } from './containers/commands';
import { OpenInContainer, type FolderOpener } from './containers/openInContainer';
import { CiFeature, type GitHubApi } from './github/ciFeature';
import { DynamoTaskProvider, TASK_TYPE } from './tasks/taskProvider';
import { CapturesTree, type MetricsSnapshot } from './metrics/capturesTree';
import { metricsCommands } from './metrics/commands';
import { COMPARE_VIEW_TYPE, ComparePanel } from './metrics/comparePanel';
import { Commands } from './platform/commandIds';
import { registerCommands } from './platform/commands';
import { answerConfirmations, answerNotifications, shownMessages, type Shown } from './platform/confirm';
import { createLogger } from './platform/log';
import { isPanelState, type ComparePanelState, type CompareViewModel } from './shared/protocol';

/** Open Compare panels' states, kept by the extension too: the workbench saves a webview's own state only
 * on an idle timer, so a window reloaded right after a change restores a panel without state. */
const OPEN_PANELS_KEY = 'dynamo.compare.openPanels';

/** Returned from activate(); used by the extension-host tests. */
export interface DynamoApi {
  containers: {
    /** What the Containers view shows. Lists afresh when the view is hidden (it is not refreshed then). */
    snapshot(opts?: { cached?: boolean }): Promise<ContainersSnapshot>;
    refresh(): Promise<void>;
    /** Open Folder in Container opens its URI with this instead of vscode.openFolder (null: for real again). */
    setFolderOpener(opener: FolderOpener | null): void;
  };
  metrics: {
    /** What the Metrics view shows; listed afresh unless `cached`. */
    snapshot(opts?: { cached?: boolean }): Promise<MetricsSnapshot>;
    /** Opens a Compare panel and resolves once it has painted its table. */
    compare(files: string[]): Promise<{ model: CompareViewModel; rows: number; ms: number }>;
    /** The open Compare panels' models. */
    panels(): (CompareViewModel | undefined)[];
    setChecked(paths: string[]): void;
  };
  /** Dynamo: Collect Metrics… (see CollectApi): run with given answers, or drive the quick picks. */
  collect: CollectApi;
  /** CI at a glance: the PR Checks / Workflow Runs views and the status-bar indicator (see GitHubApi). */
  github: GitHubApi;
  /** Modal confirmations and notifications shown, and answers for the next confirmations / notifications. */
  prompts: { shown(): Shown[]; answer(next: (string | undefined)[] | null): void; answerNotifications(next: (string | undefined)[] | null): void };
}

/** Resolves with the next paint of `panel`. */
function nextPaint(panel: ComparePanel): Promise<{ rows: number; ms: number }> {
  return new Promise((resolve) => {
    const sub = panel.onDidPaint((e) => {
      sub.dispose();
      resolve(e);
    });
  });
}

export function activate(context: vscode.ExtensionContext): DynamoApi {
  const { channel, logger } = createLogger();
  context.subscriptions.push(channel);
  logger.info(`Dynamo Dev Tools ${String(context.extension.packageJSON.version)} on VS Code ${vscode.version}`);

  const model = new ContainersModel(logger);
  const tree = new ContainersTree(model);
  const attach = new OpenInContainer(model, tree, logger);
  const captures = new CapturesTree(model, logger);
  const collect = new CollectMetrics(context.workspaceState, model, tree, captures, logger);
  const ci = new CiFeature(context.secrets, logger);
  // Subscriptions are disposed in order: this flag is set before the panels close on shutdown, so a window
  // reload does not record "no panels open".
  let shuttingDown = false;
  context.subscriptions.push(
    { dispose: () => (shuttingDown = true) },
    model,
    tree,
    captures,
    collect,
    ci,
    vscode.tasks.registerTaskProvider(TASK_TYPE, new DynamoTaskProvider(tree, context.extensionPath)),
    { dispose: () => [...ComparePanel.panels].forEach((p) => p.dispose()) },
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, new InspectDocuments(model)),
    ComparePanel.onDidChangeState(() => {
      if (!shuttingDown) void context.workspaceState.update(OPEN_PANELS_KEY, [...ComparePanel.panels].map((p) => p.state));
    }),
    vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: unknown) {
        let restored: ComparePanelState | undefined = isPanelState(state) ? state : undefined;
        if (!restored) {
          // No state saved by the workbench: take an open panel's state that no revived panel has claimed.
          const saved = context.workspaceState.get<unknown[]>(OPEN_PANELS_KEY, []).filter(isPanelState);
          const claimed = new Set([...ComparePanel.panels].map((p) => JSON.stringify(p.state.files)));
          restored = saved.find((s) => !claimed.has(JSON.stringify(s.files)));
        }
        if (!restored) {
          logger.warn('A Compare panel came back from a window reload without its state; it was closed. Use Dynamo: Compare Metrics again.');
          panel.dispose();
          return;
        }
        ComparePanel.revive(panel, context.extensionUri, restored, logger);
      },
    }),
    ...registerCommands(
      {
        ...containerCommands(model, tree, logger, attach),
        ...metricsCommands(captures, context.extensionUri, logger),
        ...collect.commands(),
        ...ci.commands(),
        ...backupCommands(logger),
        [Commands.openDockerSettings]: () => vscode.commands.executeCommand('workbench.action.openSettings', 'dynamo.docker'),
        [Commands.showLog]: () => channel.show(),
      },
      logger,
      () => channel.show(),
    ),
  );
  // The first listing runs even while the view is hidden, so the welcome state is right when it opens;
  // it starts after activate() returns, so loading the Docker client never delays activation.
  const first = setTimeout(() => void model.refresh(), 0);
  context.subscriptions.push({ dispose: () => clearTimeout(first) });

  return {
    containers: {
      async snapshot(opts) {
        if ((!opts?.cached && !model.isVisible) || model.state.kind === 'loading') await model.refresh();
        await model.settled();
        return tree.snapshot();
      },
      refresh: () => model.refresh(),
      setFolderOpener: (opener) => attach.setOpener(opener),
    },
    metrics: {
      snapshot: (opts) => captures.snapshot(opts),
      async compare(files) {
        const panel = await ComparePanel.open(context.extensionUri, files.map((f) => vscode.Uri.file(f)), logger);
        const painted = await nextPaint(panel);
        const m = panel.currentModel;
        if (!m) throw new Error('the Compare panel has no model');
        return { model: m, ...painted };
      },
      panels: () => [...ComparePanel.panels].map((p) => p.currentModel),
      setChecked: (paths) => captures.setChecked(paths),
    },
    collect: collect.api,
    github: ci.api,
    prompts: { shown: shownMessages, answer: answerConfirmations, answerNotifications },
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
