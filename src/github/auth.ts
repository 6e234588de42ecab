// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// The GitHub token chain as the extension sees it: the VS Code GitHub session first (scopes repo and
// workflow; the github-enterprise provider when the API base is an Enterprise host), then the core chain
// shared with the CLI (environment, ~/.config/github-token, gh's hosts.yml, `gh auth token`), then a token
// the user stored with "Dynamo: Sign in to GitHub with a Token" (SecretStorage, one per API host).
// Only the source's name is ever logged.
import * as vscode from 'vscode';
import { parseApiBase } from '../core/github/apiBase';
import { resolveToken, type ResolvedToken } from '../core/github/tokens';
import type { Logger } from '../core/util/logger';

export const SESSION_SCOPES = ['repo', 'workflow'];
const SECRET_PREFIX = 'dynamo.github.token:';
/** A silent session lookup never prompts, but a provider that is still starting can be slow. */
const SESSION_TIMEOUT_MS = 3000;

export class GitHubAuth implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a session or the stored token changes: callers re-resolve. */
  readonly onDidChange = this.changed.event;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly logger: Logger,
    /** Test seam: the extension-host tests turn the VS Code session off (no GitHub provider there). */
    private readonly sessionsEnabled: () => boolean = () => true,
  ) {
    this.subs.push(
      this.changed,
      vscode.authentication.onDidChangeSessions((e) => {
        if (e.provider.id === 'github' || e.provider.id === 'github-enterprise') this.changed.fire();
      }),
      secrets.onDidChange((e) => {
        if (e.key.startsWith(SECRET_PREFIX)) this.changed.fire();
      }),
    );
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
  }

  /** The provider for an API base: `github` for github.com, `github-enterprise` when its host is the one VS Code is set up for. */
  providerFor(apiBase: string): 'github' | 'github-enterprise' | null {
    const base = parseApiBase(apiBase);
    if (!base.ok) return null;
    if (base.kind === 'github.com') return 'github';
    const uri = vscode.workspace.getConfiguration('github-enterprise').get<string>('uri', '');
    try {
      if (uri && new URL(uri).host.toLowerCase() === base.tokenHost) return 'github-enterprise';
    } catch {
      // not a URL: the provider is not set up
    }
    return null;
  }

  /** Resolves a token for `apiBase` without prompting; null when no source has one. */
  async token(apiBase: string): Promise<ResolvedToken | null> {
    const provider = this.sessionsEnabled() ? this.providerFor(apiBase) : null;
    if (provider) {
      const session = await withTimeout(Promise.resolve(vscode.authentication.getSession(provider, SESSION_SCOPES, { silent: true })), SESSION_TIMEOUT_MS).catch((e: unknown) => {
        this.logger.debug(`GitHub: no VS Code ${provider} session (${e instanceof Error ? e.message : String(e)})`);
        return undefined;
      });
      if (session) return { token: session.accessToken, source: `VS Code ${provider === 'github' ? 'GitHub' : 'GitHub Enterprise'} session (${session.account.label})` };
    }
    const chain = await resolveToken({ apiBase, onDiagnostic: (line) => this.logger.debug(`GitHub: ${line}`) });
    if (chain) return chain;
    const stored = await this.secrets.get(secretKey(apiBase));
    if (stored) return { token: stored, source: 'the token stored by "Sign in to GitHub with a Token"' };
    return null;
  }

  /** Interactive sign-in through VS Code's GitHub provider; false when there is none for this host or the user cancelled. */
  async signInWithSession(apiBase: string, forceNew = false): Promise<boolean> {
    const provider = this.providerFor(apiBase);
    if (!provider) return false;
    try {
      const session = await vscode.authentication.getSession(provider, SESSION_SCOPES, forceNew ? { forceNewSession: true } : { createIfNone: true });
      this.changed.fire();
      return Boolean(session);
    } catch (e) {
      this.logger.info(`GitHub: sign-in through VS Code did not complete (${e instanceof Error ? e.message : String(e)})`);
      return false;
    }
  }

  async storeToken(apiBase: string, token: string): Promise<void> {
    await this.secrets.store(secretKey(apiBase), token);
    this.changed.fire();
  }

  async forgetToken(apiBase: string): Promise<boolean> {
    const had = (await this.secrets.get(secretKey(apiBase))) !== undefined;
    await this.secrets.delete(secretKey(apiBase));
    this.changed.fire();
    return had;
  }
}

function secretKey(apiBase: string): string {
  const base = parseApiBase(apiBase);
  return SECRET_PREFIX + (base.ok ? base.base : apiBase);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
