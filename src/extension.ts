// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import * as vscode from 'vscode';
import { ContainersModel } from './containers/containersModel';
import { ContainersTree, type ContainersSnapshot } from './containers/containersTree';
import { containerCommands, INSPECT_SCHEME, InspectDocuments } from './containers/commands';
import { Commands } from './platform/commandIds';
import { registerCommands } from './platform/commands';
import { createLogger } from './platform/log';

/** Returned from activate(); used by the extension-host tests. */
export interface DynamoApi {
  containers: {
    /** What the Containers view shows. Lists afresh when the view is hidden (it is not refreshed then). */
    snapshot(opts?: { cached?: boolean }): Promise<ContainersSnapshot>;
    refresh(): Promise<void>;
  };
}

export function activate(context: vscode.ExtensionContext): DynamoApi {
  const { channel, logger } = createLogger();
  context.subscriptions.push(channel);
  logger.info(`Dynamo Dev Tools ${String(context.extension.packageJSON.version)} on VS Code ${vscode.version}`);

  const model = new ContainersModel(logger);
  const tree = new ContainersTree(model);
  context.subscriptions.push(
    model,
    tree,
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, new InspectDocuments(model)),
    ...registerCommands(
      {
        ...containerCommands(model, tree, logger),
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
    },
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
