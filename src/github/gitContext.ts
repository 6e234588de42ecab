// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// "Where am I" for a workspace folder: owner/repo from its remotes (dynamo.github.remotes, origin then
// upstream by default), HEAD branch and SHA. Through the built-in Git extension's API when it knows the
// folder's repository; otherwise the repository files are read directly (core readGitState), e.g. while
// the Git extension is still opening the repository, is disabled, or has no git binary to run.
import * as vscode from 'vscode';
import { pickRemote, readGitState, type GitRemote } from '../core/github/remote';

export interface FolderContext {
  folder: vscode.WorkspaceFolder;
  /** owner/name, or null when no remote points at GitHub. */
  repo: string | null;
  /** The owner of the branch's push remote (for `pulls?head=owner:branch` on forks). */
  headOwner: string | null;
  remote: string | null;
  branch: string | null;
  sha: string | null;
  via: 'git-extension' | 'files';
}

/** The subset of the Git extension's API (extensions/git/src/api/git.d.ts, version 1) used here. */
interface GitApi {
  repositories: GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
  onDidOpenRepository: vscode.Event<GitRepository>;
  onDidCloseRepository: vscode.Event<GitRepository>;
}
interface GitRepository {
  rootUri: vscode.Uri;
  state: {
    HEAD: { name?: string; commit?: string; upstream?: { remote: string; name: string } } | undefined;
    remotes: { name: string; fetchUrl?: string; pushUrl?: string }[];
    onDidChange: vscode.Event<void>;
  };
}

export class GitContext implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when HEAD, a branch, the remotes or the set of repositories may have changed (callers compare). */
  readonly onDidChange = this.changed.event;
  private readonly pushed = new vscode.EventEmitter<void>();
  /** Fires when a remote-tracking ref changed: a `git push` (or fetch) from any terminal. */
  readonly onDidPush = this.pushed.event;
  private readonly subs: vscode.Disposable[] = [this.changed, this.pushed];
  private api: GitApi | null = null;
  private readonly watched = new WeakSet<GitRepository>();

  constructor(private readonly remotePreference: () => string[]) {
    // What a terminal's `git checkout` / `git commit` writes (also all the file fallback reads), and what
    // `git push` writes: the remote-tracking refs.
    const local = vscode.workspace.createFileSystemWatcher('**/.git/{HEAD,refs/heads/**,packed-refs,config}');
    const remote = vscode.workspace.createFileSystemWatcher('**/.git/refs/remotes/**');
    const fire = () => this.changed.fire();
    const push = () => this.pushed.fire();
    this.subs.push(local, local.onDidChange(fire), local.onDidCreate(fire), local.onDidDelete(fire), remote, remote.onDidChange(push), remote.onDidCreate(push));
    void this.connect();
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
  }

  private async connect(): Promise<void> {
    const ext = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi }>('vscode.git');
    if (!ext) return;
    try {
      const exports = ext.isActive ? ext.exports : await ext.activate();
      this.api = exports.getAPI(1);
    } catch {
      return; // git disabled or missing: the file reader does the work
    }
    const watch = (r: GitRepository) => {
      if (this.watched.has(r)) return;
      this.watched.add(r);
      this.subs.push(r.state.onDidChange(() => this.changed.fire()));
    };
    this.api.repositories.forEach(watch);
    this.subs.push(
      this.api.onDidOpenRepository((r) => {
        watch(r);
        this.changed.fire();
      }),
      this.api.onDidCloseRepository(() => this.changed.fire()),
    );
    this.changed.fire();
  }

  async forFolder(folder: vscode.WorkspaceFolder): Promise<FolderContext> {
    const prefs = this.remotePreference();
    const repo = this.api?.getRepository(folder.uri) ?? null;
    if (repo && repo.state.HEAD) {
      const head = repo.state.HEAD;
      const remotes: GitRemote[] = repo.state.remotes.map((r) => ({ name: r.name, fetchUrl: r.fetchUrl ?? null, pushUrl: r.pushUrl ?? null }));
      return this.make(folder, remotes, prefs, head.name ?? null, head.commit ?? null, head.upstream?.remote ?? null, 'git-extension');
    }
    const state = await readGitState(folder.uri.fsPath).catch(() => null);
    if (!state) return { folder, repo: null, headOwner: null, remote: null, branch: null, sha: null, via: 'files' };
    return this.make(folder, state.remotes, prefs, state.branch, state.sha, state.upstreamRemote, 'files');
  }

  private make(folder: vscode.WorkspaceFolder, remotes: GitRemote[], prefs: string[], branch: string | null, sha: string | null, upstream: string | null, via: FolderContext['via']): FolderContext {
    const picked = pickRemote(remotes, prefs);
    const pushed = upstream ? pickRemote(remotes.filter((r) => r.name === upstream), [upstream]) : null;
    return {
      folder,
      repo: picked ? `${picked.owner}/${picked.name}` : null,
      headOwner: pushed?.owner ?? picked?.owner ?? null,
      remote: picked?.remote ?? null,
      branch,
      sha,
      via,
    };
  }
}
