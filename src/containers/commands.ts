// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import * as vscode from 'vscode';
import { isRunning } from '../core/docker/discovery';
import { cliEnvFor, describeEndpoint } from '../core/docker/endpoint';
import type { ContainerInfo } from '../core/docker/model';
import { hostToContainer } from '../core/docker/paths';
import type { Logger } from '../core/util/logger';
import { Commands, Views } from '../platform/commandIds';
import type { CommandTable } from '../platform/commands';
import { getConfig } from '../platform/config';
import { notify } from '../platform/confirm';
import type { ContainersModel } from './containersModel';
import type { ContainersTree } from './containersTree';
import { frameworkLabel, stateDescription, type Node } from './nodes';
import type { OpenInContainer } from './openInContainer';

export const INSPECT_SCHEME = 'dynamo-inspect';

/** Read-only documents holding `docker inspect` JSON: `dynamo-inspect:/<name>.json?<id>`. */
export class InspectDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly model: ContainersModel) {}
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const client = await this.model.client();
    return JSON.stringify(await client.inspect(uri.query), null, 2) + '\n';
  }
}

/** In-container command for Open Shell: bash when the image has it, else sh. A constant, no user data in it. */
export const SHELL_COMMAND = ['sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi'];

/** Starts a container with a progress notification, then lists afresh (Start, and Open Folder in Container on a stopped one). */
export async function startContainer(model: ContainersModel, c: ContainerInfo): Promise<void> {
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Starting ${c.name}…` }, async () => {
    await (await model.client()).start(c.id);
  });
  await model.refresh();
}

export function containerCommands(model: ContainersModel, tree: ContainersTree, log: Logger, attach: OpenInContainer): CommandTable {
  const pick = async (node: Node | undefined, filter: (c: ContainerInfo) => boolean, placeHolder: string): Promise<ContainerInfo | undefined> => {
    if (node?.kind === 'container' || node?.kind === 'mount') return node.container;
    await model.refresh();
    const items = tree
      .groups()
      .flatMap((g) => g.containers.map((x) => ({ c: x.container, group: g.label })))
      .filter((x) => filter(x.c))
      .map((x) => ({ label: x.c.name, description: `${frameworkLabel(x.c.framework)} · ${stateDescription(x.c)}`, detail: x.group, c: x.c }));
    if (items.length === 0) {
      void vscode.window.showInformationMessage('No matching dev containers. Is the container running?');
      return undefined;
    }
    return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true }))?.c;
  };

  const terminal = async (name: string, args: string[]) => {
    const client = await model.client();
    const t = vscode.window.createTerminal({ name, shellPath: getConfig('docker.path'), shellArgs: args, env: cliEnvFor(client.endpoint), iconPath: new vscode.ThemeIcon('vm') });
    t.show();
    return t;
  };

  return {
    [Commands.containersRefresh]: () => model.refresh(),

    [Commands.containersOpenShell]: async (node?: Node) => {
      const c = await pick(node, isRunning, 'Open a shell in which container?');
      if (!c) return;
      const folder = tree.folderOf(c);
      const workdir = (folder && hostToContainer(folder.path, c.mounts)?.path) ?? (c.localFolder && hostToContainer(c.localFolder, c.mounts)?.path) ?? null;
      const args = ['exec', '-it'];
      if (c.remoteUser) args.push('-u', c.remoteUser);
      if (workdir) args.push('-w', workdir);
      args.push(c.id, ...SHELL_COMMAND);
      log.info(`Open Shell: ${getConfig('docker.path')} ${args.join(' ')}`);
      await terminal(`Shell: ${c.name}`, args);
    },

    [Commands.containersShowLogs]: async (node?: Node) => {
      const c = await pick(node, () => true, 'Show the logs of which container?');
      if (!c) return;
      await terminal(`Logs: ${c.name}`, ['logs', '--follow', '--tail', '1000', c.id]);
    },

    [Commands.containersInspect]: async (node?: Node) => {
      const c = await pick(node, () => true, 'Inspect which container?');
      if (!c) return;
      const uri = vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${c.name}.json`, query: c.id });
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'json');
      await vscode.window.showTextDocument(doc, { preview: true });
    },

    [Commands.containersStart]: async (node?: Node) => {
      const c = await pick(node, (x) => !isRunning(x), 'Start which container?');
      if (!c) return;
      await startContainer(model, c);
    },

    [Commands.containersOpenInContainer]: async (node?: Node) => {
      // Without Dev Containers there is nothing to pick a container for: say so first.
      if (!(await attach.devContainersPresent())) return attach.explainMissing();
      const c = await pick(node, () => true, 'Open the folder of which container, in a window attached to it?');
      if (!c) return { kind: 'cancelled' };
      return attach.run(c, (x) => startContainer(model, x));
    },

    [Commands.containersCheckDocker]: async () => {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Checking the Docker engine…' }, () => model.refresh());
      const s = model.state;
      if (s.kind === 'ok') {
        const dev = s.containers.filter((x) => x.isDevContainer);
        const running = dev.filter(isRunning).length;
        const where = describeEndpoint((await model.client()).endpoint);
        const message = `Docker is reachable at ${where}: ${dev.length} dev container${dev.length === 1 ? '' : 's'}, ${running} running.`;
        log.info(message);
        void notify('info', message, 'Show Containers').then((b) => {
          if (b === 'Show Containers') void vscode.commands.executeCommand(`${Views.containers}.focus`);
        });
        return { reachable: true, message };
      }
      const message = `Docker is not reachable: ${s.kind === 'unreachable' ? s.error : 'the listing did not finish'}`;
      void notify('error', message, 'Retry', 'Open Settings').then((b) => {
        if (b === 'Retry') void vscode.commands.executeCommand(Commands.containersCheckDocker);
        if (b === 'Open Settings') void vscode.commands.executeCommand(Commands.openDockerSettings);
      });
      return { reachable: false, message };
    },

    [Commands.containersStop]: async (node?: Node) => {
      const c = await pick(node, isRunning, 'Stop which container?');
      if (!c) return;
      if (getConfig('containers.confirmStop')) {
        const ok = await vscode.window.showWarningMessage(`Stop ${c.name}? Shells, servers and editor sessions attached to it will end.`, { modal: true }, 'Stop');
        if (ok !== 'Stop') return;
      }
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Stopping ${c.name}…` }, async () => {
        await (await model.client()).stop(c.id);
      });
      await model.refresh();
    },

    [Commands.containersCopyId]: async (node?: Node) => {
      const c = await pick(node, () => true, 'Copy the ID of which container?');
      if (!c) return;
      await vscode.env.clipboard.writeText(c.id);
      vscode.window.setStatusBarMessage(`Copied the ID of ${c.name}`, 3000);
    },

    [Commands.containersCopyPath]: async (node?: Node) => {
      if (node?.kind !== 'mount') return;
      await vscode.env.clipboard.writeText(node.mount.destination);
      vscode.window.setStatusBarMessage(`Copied ${node.mount.destination}`, 3000);
    },
  };
}
