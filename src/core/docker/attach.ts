// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// Open Folder in Container: the `vscode-remote://attached-container+…` folder URI the Dev Containers
// extension resolves to "a window attached to this running container", and the container folder to open.
//
// The URI form is not part of a documented API; what this module builds rests on:
//  - microsoft/vscode-remote-release#5867 (Dev Containers maintainer chrmarti, 2021-11-22): not officially
//    supported, but `code --folder-uri vscode-remote://attached-container+<container id or name>/<path>`
//    works; #8764 (2023-08-31), the same maintainer's answer to "document the vscode-remote URI scheme";
//  - the form Dev Containers itself writes when you attach through its UI, as observed with `code --verbose`
//    (gist awesomebytes/8494fb216c42bc4a2fcaef6b4937a07e; vscode-remote-release#6832): the authority is
//    `attached-container+` followed by the lowercase hexadecimal of the UTF-8 bytes of the JSON text
//    `{"containerName":"/<name>"}` (Docker's own form of the name, with its leading slash); the URI path is
//    the folder inside the container. A bare name (#10446: `attached-container+test6`) is not accepted;
//  - from a Remote-SSH window the container lives on the SSH host, and the authority names that window's
//    authority after an `@` (`attached-container+<hex>@ssh-remote+<host>`), as Dev Containers writes for a
//    container attached from an SSH window (coder/coder#16426). The parent part is this window's own
//    authority, copied as VS Code reports it (vscode.env.remoteAuthority), never rebuilt.
import type { ContainerInfo } from './model';
import { hostToContainer } from './paths';

/** The Dev Containers extension: Microsoft's, and the fork Cursor ships. */
export const DEV_CONTAINERS_EXTENSION_IDS = ['ms-vscode-remote.remote-containers', 'anysphere.remote-containers'] as const;
/** A command both Dev Containers builds register ("Attach to Running Container…"): seen when the extension runs in another extension host. */
export const DEV_CONTAINERS_ATTACH_COMMAND = 'remote-containers.attachToRunningContainer';

export const REMOTE_SCHEME = 'vscode-remote';
const AUTHORITY_PREFIX = 'attached-container+';

/** The authority prefixes of windows that already run inside a container. */
const CONTAINER_AUTHORITIES = [AUTHORITY_PREFIX, 'dev-container+'];

/**
 * The part of this window's remote authority an attached-container authority must name after `@`, or null.
 * - a local window, or a web server's `host:port` (no `<resolver>+`): null;
 * - a window that is itself in a container (`dev-container+…`, `attached-container+…`): its own parent, if any;
 * - any other managed remote (`ssh-remote+box`, `wsl+Ubuntu`, `tunnel+…`): that authority.
 */
export function parentAuthorityOf(remoteAuthority: string | null | undefined): string | null {
  if (!remoteAuthority || !remoteAuthority.includes('+')) return null;
  if (CONTAINER_AUTHORITIES.some((p) => remoteAuthority.startsWith(p))) {
    const at = remoteAuthority.indexOf('@');
    return at >= 0 ? remoteAuthority.slice(at + 1) || null : null;
  }
  return remoteAuthority;
}

/** `attached-container+<hex of {"containerName":"/<name>"}>[@<parent>]`. */
export function attachedContainerAuthority(containerName: string, parentAuthority: string | null = null): string {
  const name = containerName.replace(/^\/+/, '');
  if (name === '') throw new Error('a container name is needed to attach to a container');
  const hex = Buffer.from(JSON.stringify({ containerName: `/${name}` }), 'utf8').toString('hex');
  return `${AUTHORITY_PREFIX}${hex}${parentAuthority ? `@${parentAuthority}` : ''}`;
}

/** A container folder as a URI path: absolute, POSIX separators, no trailing slash (but `/`). */
export function normalizeContainerPath(p: string): string {
  const abs = ('/' + p.replace(/\\/g, '/')).replace(/\/{2,}/g, '/');
  return abs.length > 1 ? abs.replace(/\/+$/, '') : abs;
}

export interface AttachTarget {
  scheme: typeof REMOTE_SCHEME;
  authority: string;
  path: string;
  /** The whole URI, unencoded: `vscode-remote://attached-container+<hex>[@parent]/<path>`. */
  uri: string;
}

/** The folder URI that opens `containerPath` in a window attached to `containerName`. */
export function attachTarget(containerName: string, containerPath: string, parentAuthority: string | null = null): AttachTarget {
  const authority = attachedContainerAuthority(containerName, parentAuthority);
  const path = normalizeContainerPath(containerPath);
  return { scheme: REMOTE_SCHEME, authority, path, uri: `${REMOTE_SCHEME}://${authority}${path}` };
}

/** Which container folder to open, and why (the UI says it). */
export type AttachFolder =
  /** The container path of this window's workspace folder of the container, through a bind mount. */
  | { kind: 'workspaceFolder'; path: string; hostPath: string; readOnly: boolean }
  /** The container path of the container's `devcontainer.local_folder`, through a bind mount. */
  | { kind: 'localFolder'; path: string; hostPath: string; readOnly: boolean }
  /** No bind mount holds either: the remote user's home folder in the container. */
  | { kind: 'home'; path: string; hostPath: null; readOnly: false }
  /** Neither mapped and the home folder is unknown: the container's root. */
  | { kind: 'root'; path: '/'; hostPath: null; readOnly: false };

/**
 * The folder to open in the container: the workspace folder this window has for the container (mapped
 * through its bind mounts), else its `devcontainer.local_folder` label's folder, else `home` (the remote
 * user's home folder, read from the container by the caller; null when unknown), else `/`.
 */
export function chooseAttachFolder(c: Pick<ContainerInfo, 'mounts' | 'localFolder'>, workspaceFolderPath: string | null, home: string | null = null): AttachFolder {
  for (const [kind, hostPath] of [
    ['workspaceFolder', workspaceFolderPath],
    ['localFolder', c.localFolder],
  ] as const) {
    if (!hostPath) continue;
    const t = hostToContainer(hostPath, c.mounts);
    if (t) return { kind, path: normalizeContainerPath(t.path), hostPath, readOnly: t.readOnly };
  }
  const h = home?.trim();
  if (h && h.startsWith('/')) return { kind: 'home', path: normalizeContainerPath(h), hostPath: null, readOnly: false };
  return { kind: 'root', path: '/', hostPath: null, readOnly: false };
}

/** One sentence for the dialog: which folder opens and why. */
export function describeAttachFolder(f: AttachFolder, user: string | null): string {
  switch (f.kind) {
    case 'workspaceFolder':
      return `Opens ${f.path}, the container path of the workspace folder ${f.hostPath}${f.readOnly ? ' (a read-only mount)' : ''}.`;
    case 'localFolder':
      return `Opens ${f.path}, the container path of ${f.hostPath} (the folder the container was created for)${f.readOnly ? ' (a read-only mount)' : ''}.`;
    case 'home':
      return `No bind mount of the container holds its workspace folder, so this opens ${f.path}, the home folder of ${user ?? 'the container\'s default user'} in the container.`;
    case 'root':
      return 'No bind mount of the container holds its workspace folder and its home folder could not be read, so this opens the container\'s root folder /.';
  }
}

/** The shell command (argv) that prints the user's home folder in the container; run as that user. */
export const HOME_COMMAND = ['sh', '-c', 'printf %s "$HOME"'];
