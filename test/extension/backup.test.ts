// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Dynamo: Back Up File in the real extension host: files in the fixture's workspace folders, a git
// repository made with the git binary for the .gitignore offer, the notification's buttons answered
// through the prompts test API.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { activate, type DynamoApi, waitFor } from './helpers';

const BACKUP = 'dynamo.backupFile';
const DATED = /\.(\d{4}-\d\d-\d\d)\.bak$/;

describe('Back Up File (workspace files, a real git repository)', function () {
  this.timeout(60000);
  let api: DynamoApi;
  let plain: string; // in the first workspace folder, not in a git repository
  let repo: string; // a git repository inside the second workspace folder
  const made: string[] = [];

  const backUp = async (...args: unknown[]) => (await vscode.commands.executeCommand<string[]>(BACKUP, ...args)) ?? [];
  const lastShown = () => api.prompts.shown().at(-1);
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });
  const offerCfg = () => vscode.workspace.getConfiguration('dynamo.backup');

  before(async () => {
    api = await activate();
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.ok(folders.length >= 2, 'the fixture workspace has several folders');
    plain = mkdtempSync(join(folders[0]!.uri.fsPath, 'backup-test-'));
    repo = mkdtempSync(join(folders[1]!.uri.fsPath, 'backup-repo-'));
    made.push(plain, repo);
    git(repo, 'init', '-q');
  });

  afterEach(() => {
    api.prompts.answer(null);
    api.prompts.answerNotifications(null);
  });

  after(async () => {
    // our editors only; one left with unsaved changes by a failed test is reverted first (no save dialog)
    const ours = (u: vscode.Uri) => made.some((d) => u.fsPath.startsWith(d + '/'));
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && ours(d.uri))) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && ours(t.input.uri));
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
    await offerCfg().update('offerGitignore', undefined, vscode.ConfigurationTarget.Global);
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });

  it('backs up a file twice the same day: <file>.<date>.bak, then .1.bak; the original and the first backup stay byte-identical', async () => {
    const f = join(plain, 'notes.txt');
    const v1 = Buffer.from('first version\n\u0000\u00ff binary tail', 'latin1');
    writeFileSync(f, v1);
    api.prompts.answerNotifications([]); // every notification resolves at once, unclicked
    const [first] = await backUp(vscode.Uri.file(f));
    assert.ok(first, 'a backup was made');
    const date = DATED.exec(first)?.[1];
    assert.equal(first, `${f}.${date}.bak`);
    assert.deepEqual(readFileSync(first), v1);
    assert.deepEqual(readFileSync(f), v1, 'the original is unchanged');
    const shown = lastShown()!;
    assert.equal(shown.kind, 'info');
    assert.equal(shown.message, `Backed up to notes.txt.${date}.bak.`);
    assert.deepEqual(shown.buttons, ['Open Backup', 'Reveal in Explorer'], 'no .gitignore offer outside a git repository');

    writeFileSync(f, 'second version\n');
    const [second] = await backUp(vscode.Uri.file(f));
    assert.equal(second, `${f}.${date}.1.bak`);
    assert.equal(readFileSync(second!, 'utf8'), 'second version\n');
    assert.deepEqual(readFileSync(first), v1, 'the existing .bak is byte-identical');
    assert.equal(readFileSync(f, 'utf8'), 'second version\n');
    assert.deepEqual(readdirSync(plain).sort(), ['notes.txt', `notes.txt.${date}.1.bak`, `notes.txt.${date}.bak`]);
  });

  it('"Open Backup" opens the backup in an editor', async () => {
    const f = join(plain, 'open-me.md');
    writeFileSync(f, '# open me\n');
    api.prompts.answerNotifications(['Open Backup']);
    const [b] = await backUp(vscode.Uri.file(f));
    const editor = await waitFor(() => vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === b), 'the backup open in an editor');
    assert.equal(editor.document.getText(), '# open me\n');
  });

  it('in a git repository without *.bak ignored, offers to add it; answering appends it once, and the next backup does not ask', async () => {
    mkdirSync(join(repo, 'src'));
    const f = join(repo, 'src', 'app.py');
    writeFileSync(f, 'print("hi")\n');
    writeFileSync(join(repo, '.gitignore'), 'node_modules/'); // no trailing newline
    api.prompts.answerNotifications(['Add *.bak to .gitignore']);
    const [b] = await backUp(vscode.Uri.file(f));
    const shown = lastShown()!;
    assert.equal(shown.message, `Backed up to ${basename(b!)}. Git does not ignore *.bak in ${basename(repo)}: add it to .gitignore?`);
    assert.deepEqual(shown.buttons, ['Open Backup', 'Reveal in Explorer', 'Add *.bak to .gitignore', "Don't Ask Again"]);
    await waitFor(() => readFileSync(join(repo, '.gitignore'), 'utf8') === 'node_modules/\n*.bak\n', 'the .gitignore to gain *.bak', 10000);
    // git itself now ignores the backup (exit 0 = ignored)
    assert.equal(spawnSync('git', ['check-ignore', '-q', b!], { cwd: repo }).status, 0, `git check-ignore ${b}`);
    assert.deepEqual(readdirSync(repo).filter((n) => n.startsWith('.gitignore')), ['.gitignore'], 'no backup of the .gitignore, no temporary file');

    const before = api.prompts.shown().length;
    api.prompts.answerNotifications(['Add *.bak to .gitignore']); // not offered, so never clicked
    const [again] = await backUp(vscode.Uri.file(f));
    assert.match(again!, /\.1\.bak$/);
    const later = api.prompts.shown().slice(before);
    assert.equal(later.length, 1, JSON.stringify(later));
    assert.equal(later[0]!.message, `Backed up to ${basename(again!)}.`);
    assert.deepEqual(later[0]!.buttons, ['Open Backup', 'Reveal in Explorer']);
    assert.equal(readFileSync(join(repo, '.gitignore'), 'utf8'), 'node_modules/\n*.bak\n', '*.bak added once');
  });

  it('"Don\'t Ask Again" turns the offer off (user setting)', async () => {
    const other = mkdtempSync(join(vscode.workspace.workspaceFolders![1]!.uri.fsPath, 'backup-repo2-'));
    made.push(other);
    git(other, 'init', '-q');
    const f = join(other, 'README.md');
    writeFileSync(f, 'readme\n');
    api.prompts.answerNotifications(["Don't Ask Again"]);
    await backUp(vscode.Uri.file(f));
    assert.ok(lastShown()!.buttons.includes("Don't Ask Again"));
    await waitFor(() => offerCfg().inspect<boolean>('offerGitignore')?.globalValue === false, 'dynamo.backup.offerGitignore to be false in the user settings', 10000);
    api.prompts.answerNotifications([]);
    const [b] = await backUp(vscode.Uri.file(f));
    assert.equal(lastShown()!.message, `Backed up to ${basename(b!)}.`, 'not offered again');
    assert.equal(readdirSync(other).includes('.gitignore'), false, 'nothing was added');
    await offerCfg().update('offerGitignore', undefined, vscode.ConfigurationTarget.Global);
  });

  it('explorer-style (uri, uris) arguments back up each selected file', async () => {
    const a = join(plain, 'a.json');
    const c = join(plain, 'c.yaml');
    writeFileSync(a, '{"a": 1}\n');
    writeFileSync(c, 'c: 3\n');
    api.prompts.answerNotifications([]);
    const made2 = await backUp(vscode.Uri.file(a), [vscode.Uri.file(a), vscode.Uri.file(c)]);
    assert.equal(made2.length, 2);
    assert.match(made2[0]!, new RegExp(`^${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\d{4}-\\d\\d-\\d\\d\\.bak$`));
    assert.equal(readFileSync(made2[0]!, 'utf8'), '{"a": 1}\n');
    assert.equal(readFileSync(made2[1]!, 'utf8'), 'c: 3\n');
    assert.equal(lastShown()!.message, `Backed up 2 files: ${basename(made2[0]!)}, ${basename(made2[1]!)}.`);
    assert.deepEqual(lastShown()!.buttons, ['Reveal in Explorer']);
  });

  it('a folder or a missing file is refused with a clear error, and nothing is written', async () => {
    const sub = join(plain, 'folder');
    mkdirSync(sub);
    api.prompts.answerNotifications([]);
    assert.deepEqual(await backUp(vscode.Uri.file(sub)), []);
    assert.equal(lastShown()!.kind, 'error');
    assert.equal(lastShown()!.message, `${sub} is a folder: only files can be backed up.`);
    assert.deepEqual(await backUp(vscode.Uri.file(join(plain, 'missing.txt'))), []);
    assert.equal(lastShown()!.message, `${join(plain, 'missing.txt')} does not exist, so there is nothing to back up.`);
    assert.deepEqual(readdirSync(sub), []);
    assert.equal(readdirSync(plain).some((n) => n.startsWith('missing.txt')), false);
  });

  it('an editor with unsaved changes: asks; Cancel backs up nothing, "Back Up Saved Version" the disk file, "Save and Back Up" saves first (palette: the active editor)', async () => {
    const f = join(plain, 'draft.txt');
    writeFileSync(f, 'on disk\n');
    const doc = await vscode.workspace.openTextDocument(f);
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), 'typed ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(doc.isDirty);
    api.prompts.answerNotifications([]);

    api.prompts.answer([undefined]); // Cancel
    assert.deepEqual(await backUp(), []);
    const asked = api.prompts.shown().filter((m) => m.kind === 'confirm').at(-1)!;
    assert.equal(asked.message, 'draft.txt has unsaved changes.');
    assert.match(asked.detail ?? '', /^The backup is a copy of the file on disk\./);
    assert.deepEqual(asked.buttons, ['Save and Back Up', 'Back Up Saved Version']);
    assert.equal(readdirSync(plain).some((n) => n.startsWith('draft.txt.')), false, 'cancelled: no backup');

    api.prompts.answer(['Back Up Saved Version']);
    const [saved] = await backUp();
    assert.equal(readFileSync(saved!, 'utf8'), 'on disk\n');
    assert.ok(doc.isDirty, 'the editor still has its unsaved changes');

    api.prompts.answer(['Save and Back Up']);
    const [withEdits] = await backUp(doc.uri);
    assert.equal(readFileSync(withEdits!, 'utf8'), 'typed on disk\n');
    assert.equal(readFileSync(f, 'utf8'), 'typed on disk\n');
    assert.equal(doc.isDirty, false);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
