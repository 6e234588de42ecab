// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// Dynamo: Open Folder in Container: reopens a dev container's workspace folder in a window attached to the
// running container, through the Dev Containers extension's `vscode-remote://attached-container+…` URIs
// (how the URI is built, and what that rests on: src/core/docker/attach.ts).
import * as vscode from 'vscode';
import {
  attachTarget,
  chooseAttachFolder,
  DEV_CONTAINERS_ATTACH_COMMAND,
  DEV_CONTAINERS_EXTENSION_IDS,
  describeAttachFolder,
  HOME_COMMAND,
  parentAuthorityOf,
  type AttachFolder,
} from '../core/docker/attach';
import { isRunning } from '../core/docker/discovery';
import { describeEndpoint } from '../core/docker/endpoint';
import { execInContainer } from '../core/docker/exec';
import type { ContainerInfo } from '../core/docker/model';
import type { Logger } from '../core/util/logger';
import { confirm, notify } from '../platform/confirm';
import type { ContainersModel } from './containersModel';
import type { ContainersTree } from './containersTree';

/** Opens a folder URI; the default is VS Code's `vscode.openFolder`. The extension-host tests put a recorder here. */
export type FolderOpener = (uri: vscode.Uri, forceNewWindow: boolean) => Thenable<unknown>;

/** What the command did (its return value, for the tests). */
export type OpenInContainerOutcome =
  | { kind: 'opened'; uri: string; newWindow: boolean; folder: AttachFolder['kind']; path: string }
  | { kind: 'cancelled' }
  | { kind: 'noDevContainers'; extensionId: string; shownExtension: boolean };

export const NEW_WINDOW = 'Open in New Window';
export const THIS_WINDOW = 'Open in This Window';
export const START_AND_OPEN = 'Start and Open';
export const SHOW_EXTENSION = 'Show Dev Containers Extension';

const defaultOpener: FolderOpener = (uri, forceNewWindow) => vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow });

/** The Dev Containers extension to suggest here: Cursor ships its own build. */
function suggestedExtensionId(): string {
  return /cursor/i.test(vscode.env.appName) ? DEV_CONTAINERS_EXTENSION_IDS[1] : DEV_CONTAINERS_EXTENSION_IDS[0];
}

/**
 * This window's remote authority (`ssh-remote+box`), read from its workspace's `vscode-remote:` URIs
 * (`vscode.env.remoteAuthority` is not public API); null in a local window.
 */
export function windowRemoteAuthority(): string | null {
  if (!vscode.env.remoteName) return null;
  const uris = [vscode.workspace.workspaceFile, ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri)];
  return uris.find((u) => u?.scheme === 'vscode-remote')?.authority ?? null;
}

export class OpenInContainer {
  private opener: FolderOpener | null = null;

  constructor(
    private readonly model: ContainersModel,
    private readonly tree: ContainersTree,
    private readonly log: Logger,
  ) {}

  /** Test API: record the URI instead of opening it (null: open for real again). */
  setOpener(opener: FolderOpener | null): void {
    this.opener = opener;
  }

  /**
   * Whether a Dev Containers extension can resolve attached-container URIs: either id installed in this
   * extension host, or its attach command registered (in a Remote-SSH window it runs on the local side,
   * which `extensions.getExtension` does not see from here).
   */
  async devContainersPresent(): Promise<boolean> {
    if (DEV_CONTAINERS_EXTENSION_IDS.some((id) => vscode.extensions.getExtension(id) !== undefined)) return true;
    return (await vscode.commands.getCommands(true)).includes(DEV_CONTAINERS_ATTACH_COMMAND);
  }

  /** Says what to install, with a button that shows the extension in the Extensions view. */
  async explainMissing(): Promise<OpenInContainerOutcome> {
    const id = suggestedExtensionId();
    this.log.warn(`Open Folder in Container: no Dev Containers extension (${DEV_CONTAINERS_EXTENSION_IDS.join(' or ')}) in this window.`);
    const choice = await notify(
      'warning',
      `Open Folder in Container needs the Dev Containers extension (${id}), which is not installed. Install it from the Extensions view, then run Open Folder in Container again.`,
      SHOW_EXTENSION,
    );
    if (choice !== SHOW_EXTENSION) return { kind: 'noDevContainers', extensionId: id, shownExtension: false };
    await vscode.commands.executeCommand('workbench.extensions.search', id);
    return { kind: 'noDevContainers', extensionId: id, shownExtension: true };
  }

  /** The remote user's home folder in the (running) container, or null when it cannot be read. */
  private async homeFolder(c: ContainerInfo): Promise<string | null> {
    try {
      const client = await this.model.client();
      const r = await execInContainer(client.docker, c.id, { cmd: HOME_COMMAND, ...(c.remoteUser ? { user: c.remoteUser } : {}), timeoutMs: 10000 });
      if (r.exitCode === 0 && r.stdout.trim().startsWith('/')) return r.stdout.trim();
      this.log.warn(`Open Folder in Container: could not read the home folder in ${c.name} (exit ${String(r.exitCode)}${r.stderr ? `: ${r.stderr.trim().split('\n')[0]}` : ''}).`);
    } catch (e) {
      this.log.warn(`Open Folder in Container: could not read the home folder in ${c.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return null;
  }

  /** The folder to open: the workspace folder's container path, else local_folder's, else home, else `/`. */
  async folderFor(c: ContainerInfo): Promise<AttachFolder> {
    const ws = this.tree.folderOf(c)?.path ?? null;
    const mapped = chooseAttachFolder(c, ws);
    if (mapped.kind !== 'root') return mapped;
    return chooseAttachFolder(c, ws, await this.homeFolder(c));
  }

  /**
   * Opens the container's folder in a window attached to it. A stopped container is started first, after
   * asking; then the user picks a new window or this one (nothing is remembered).
   */
  async run(c: ContainerInfo, start: (c: ContainerInfo) => Promise<void>): Promise<OpenInContainerOutcome> {
    if (!(await this.devContainersPresent())) return this.explainMissing();
    if (!isRunning(c)) {
      const ok = await confirm(
        `${c.name} is not running. Start it and open its folder?`,
        'A window can only attach to a running container. Start runs the container as the Start action does; you then choose a new window or this one.',
        START_AND_OPEN,
      );
      if (ok !== START_AND_OPEN) return { kind: 'cancelled' };
      await start(c);
    }
    const folder = await this.folderFor(c);
    const target = attachTarget(c.name, folder.path, parentAuthorityOf(windowRemoteAuthority()));
    const endpoint = (await this.model.client()).endpoint;
    const detail = [
      describeAttachFolder(folder, c.remoteUser),
      // Dev Containers runs the docker CLI, which follows DOCKER_HOST and the docker context as we do; only our own setting can differ.
      ...(endpoint.source === 'setting' ? [`Dev Containers finds ${c.name} through its own Docker settings, not dynamo.docker.host: they must reach the same engine (${describeEndpoint(endpoint)}).`] : []),
    ].join('\n\n');
    const choice = await confirm(`Open ${folder.path} in ${c.name}?`, detail, NEW_WINDOW, THIS_WINDOW);
    if (choice !== NEW_WINDOW && choice !== THIS_WINDOW) return { kind: 'cancelled' };
    const newWindow = choice === NEW_WINDOW;
    const uri = vscode.Uri.from({ scheme: target.scheme, authority: target.authority, path: target.path });
    this.log.info(`Open Folder in Container: ${target.uri} in ${newWindow ? 'a new window' : 'this window'} (${folder.kind}).`);
    await (this.opener ?? defaultOpener)(uri, newWindow);
    return { kind: 'opened', uri: target.uri, newWindow, folder: folder.kind, path: folder.path };
  }
}
