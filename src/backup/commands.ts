// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// Dynamo: Back Up File — a dated copy beside the file (`<file>.<YYYY-MM-DD>.bak`, never overwriting one),
// from the editor title / editor / Explorer context menus or the palette (the active editor's file).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { backupFile, BackupError } from '../core/util/backup';
import { appendGitignore, BACKUP_PATTERN, ignoreStatus, type IgnoreStatus } from '../core/util/gitignore';
import type { Logger } from '../core/util/logger';
import { Commands } from '../platform/commandIds';
import type { CommandTable } from '../platform/commands';
import { getConfig } from '../platform/config';
import { confirm, notify } from '../platform/confirm';

export const BackupButtons = {
  open: 'Open Backup',
  reveal: 'Reveal in Explorer',
  addToGitignore: `Add ${BACKUP_PATTERN} to .gitignore`,
  dontAskAgain: "Don't Ask Again",
  saveAndBackUp: 'Save and Back Up',
  backUpSaved: 'Back Up Saved Version',
} as const;

const name = (p: string) => path.basename(p);

/** The uri of the active editor tab: a text editor, else a custom or notebook editor's resource. */
function activeResource(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc) return doc.uri;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: unknown } | undefined;
  return input?.uri instanceof vscode.Uri ? input.uri : undefined;
}

/** What an invocation means: the Explorer's (uri, uris), a menu's uri, or (palette) the active editor's file. */
function targetsOf(arg: unknown, args: unknown): vscode.Uri[] {
  const many = Array.isArray(args) ? args.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : [];
  let uris = many.length > 0 ? many : arg instanceof vscode.Uri ? [arg] : [];
  if (uris.length === 0 && arg === undefined) {
    const active = activeResource();
    uris = active ? [active] : [];
  }
  const seen = new Set<string>();
  return uris.filter((u) => !seen.has(u.toString()) && (seen.add(u.toString()), true));
}

/** The open document of `uri` with unsaved changes, if any (text or notebook). */
function dirtyDocument(uri: vscode.Uri): { save(): Thenable<boolean> } | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((d) => d.isDirty && d.uri.toString() === key) ?? vscode.workspace.notebookDocuments.find((d) => d.isDirty && d.uri.toString() === key);
}

async function reveal(uri: vscode.Uri): Promise<void> {
  if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
  else await vscode.commands.executeCommand('revealFileInOS', uri);
}

/** The repositories (one entry per .gitignore) of `files` whose git does not ignore *.bak yet. */
async function unignoredRepositories(files: readonly string[], log: Logger): Promise<IgnoreStatus[]> {
  const out = new Map<string, IgnoreStatus>();
  for (const f of files) {
    try {
      const s = await ignoreStatus(f);
      if (s && !s.ignored) out.set(s.gitignore, s);
    } catch (e) {
      log.warn(`Back Up File: could not tell whether git ignores ${BACKUP_PATTERN} beside ${f}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return [...out.values()];
}

async function addToGitignore(repos: readonly IgnoreStatus[], log: Logger): Promise<void> {
  for (const r of repos) {
    const open = vscode.workspace.textDocuments.find((d) => d.isDirty && d.uri.scheme === 'file' && d.uri.fsPath === r.gitignore);
    if (open) {
      void notify('warning', `${r.gitignore} has unsaved changes, so ${BACKUP_PATTERN} was not added to it: save it (or add the line yourself) first.`);
      continue;
    }
    if (await appendGitignore(r.gitignore)) {
      log.info(`Back Up File: added ${BACKUP_PATTERN} to ${r.gitignore}`);
      vscode.window.setStatusBarMessage(`Added ${BACKUP_PATTERN} to ${path.relative(path.dirname(r.root), r.gitignore)}`, 5000);
    }
  }
}

export function backupCommands(log: Logger): CommandTable {
  return {
    /** Resolves with the backups made (their paths); the notification's buttons are handled after that. */
    [Commands.backupFile]: async (arg?: unknown, args?: unknown): Promise<string[]> => {
      const targets = targetsOf(arg, args);
      if (targets.length === 0) {
        void notify('info', 'Back Up File: open a file, or select files in the Explorer, to back up.');
        return [];
      }
      const refused = targets.filter((u) => u.scheme !== 'file');
      if (refused.length > 0) {
        const u = refused[0] as vscode.Uri;
        void notify('error', u.scheme === 'untitled' ? `"${u.path}" has never been saved, so there is no file to back up: save it first.` : `Only files on disk can be backed up; ${u.toString(true)} is not one.`);
        return [];
      }

      const dirty = targets.map((u) => ({ u, doc: dirtyDocument(u) })).filter((x) => x.doc);
      if (dirty.length > 0) {
        const names = dirty.map((x) => name(x.u.fsPath));
        const choice = await confirm(
          dirty.length === 1 ? `${names[0]} has unsaved changes.` : `${dirty.length} files have unsaved changes: ${names.join(', ')}.`,
          'The backup is a copy of the file on disk. Save first to include the unsaved changes, or back up the version last saved.',
          BackupButtons.saveAndBackUp,
          BackupButtons.backUpSaved,
        );
        if (choice !== BackupButtons.saveAndBackUp && choice !== BackupButtons.backUpSaved) return [];
        if (choice === BackupButtons.saveAndBackUp) {
          for (const x of dirty) {
            if (!(await x.doc?.save())) {
              void notify('error', `${x.u.fsPath} could not be saved, so nothing was backed up.`);
              return [];
            }
          }
        }
      }

      const now = new Date();
      const done: { file: string; backup: string }[] = [];
      const failed: string[] = [];
      for (const u of targets) {
        try {
          const backup = await backupFile(u.fsPath, now);
          log.info(`Back Up File: ${u.fsPath} → ${backup}`);
          done.push({ file: u.fsPath, backup });
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          if (e instanceof BackupError && e.code !== 'failed') log.warn(`Back Up File: ${message}`);
          else log.error(e instanceof Error ? e : message);
          failed.push(message);
        }
      }
      if (failed.length > 0) void notify('error', failed.length === 1 ? (failed[0] as string) : `${failed.length} files were not backed up: ${failed.join(' ')}`);
      if (done.length === 0) return [];

      const repos = getConfig('backup.offerGitignore') ? await unignoredRepositories(done.map((d) => d.file), log) : [];
      let message = done.length === 1 ? `Backed up to ${name(done[0]!.backup)}.` : `Backed up ${done.length} files: ${done.map((d) => name(d.backup)).join(', ')}.`;
      if (repos.length > 0) message += ` Git does not ignore ${BACKUP_PATTERN} in ${repos.map((r) => name(r.root)).join(', ')}: add it to .gitignore?`;
      const buttons: string[] = [...(done.length === 1 ? [BackupButtons.open] : []), BackupButtons.reveal, ...(repos.length > 0 ? [BackupButtons.addToGitignore, BackupButtons.dontAskAgain] : [])];
      const first = vscode.Uri.file(done[0]!.backup);
      // not awaited: the command is done when the backups are; a notification may stay open for long
      void notify('info', message, ...buttons).then(async (button) => {
        try {
          if (button === BackupButtons.open) await vscode.commands.executeCommand('vscode.open', first);
          else if (button === BackupButtons.reveal) await reveal(first);
          else if (button === BackupButtons.addToGitignore) await addToGitignore(repos, log);
          else if (button === BackupButtons.dontAskAgain) await vscode.workspace.getConfiguration('dynamo').update('backup.offerGitignore', false, vscode.ConfigurationTarget.Global);
        } catch (e) {
          const m = e instanceof Error ? e.message : String(e);
          log.error(e instanceof Error ? e : m);
          void notify('error', `Back Up File: ${button}: ${m}`);
        }
      });
      return done.map((d) => d.backup);
    },
  };
}
