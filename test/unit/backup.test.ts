// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Back Up File's core: dated backup names (local date, counter), never overwriting one (also when two
// backups race), the file's mode kept, clear errors; whether git ignores *.bak beside a file, and adding it.
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/core/util/atomicWrite';
import { backupFile, BackupError, backupName, localDate } from '../../src/core/util/backup';
import { appendGitignore, gitignoreCovers, ignoreStatus, withGitignoreLine } from '../../src/core/util/gitignore';

const DAY = new Date(2026, 10, 27, 23, 30); // 27 November, late evening local time

describe('backup names', () => {
  it('use the local calendar date, zero-padded', () => {
    assert.equal(localDate(new Date(2026, 0, 5, 0, 0, 1)), '2026-01-05');
    assert.equal(localDate(new Date(2026, 11, 31, 23, 59, 59)), '2026-12-31');
    assert.equal(localDate(DAY), '2026-11-27', 'late evening is still the same day, whatever UTC says');
  });
  it('are <file>.<date>.bak, then <file>.<date>.<n>.bak', () => {
    assert.equal(backupName('/w/a.txt', DAY), '/w/a.txt.2026-11-27.bak');
    assert.equal(backupName('/w/a.txt', DAY, 1), '/w/a.txt.2026-11-27.1.bak');
    assert.equal(backupName('/w/.env', DAY, 12), '/w/.env.2026-11-27.12.bak');
  });
});

describe('backupFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dyn-backup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies the file beside it; the same day again gets .1.bak, .2.bak, the original unchanged', async () => {
    const f = join(dir, 'notes.md');
    writeFileSync(f, 'v1');
    assert.equal(await backupFile(f, DAY), `${f}.2026-11-27.bak`);
    writeFileSync(f, 'v2');
    assert.equal(await backupFile(f, DAY), `${f}.2026-11-27.1.bak`);
    assert.equal(await backupFile(f, DAY), `${f}.2026-11-27.2.bak`);
    assert.equal(readFileSync(`${f}.2026-11-27.bak`, 'utf8'), 'v1');
    assert.equal(readFileSync(`${f}.2026-11-27.1.bak`, 'utf8'), 'v2');
    assert.equal(readFileSync(`${f}.2026-11-27.2.bak`, 'utf8'), 'v2');
    assert.equal(readFileSync(f, 'utf8'), 'v2');
    assert.equal(await backupFile(f, new Date(2026, 10, 28, 0, 5)), `${f}.2026-11-28.bak`, 'a new day starts again without a counter');
  });

  it('never overwrites an existing backup, whatever it holds; a free lower name is used first', async () => {
    const f = join(dir, 'config.yaml');
    writeFileSync(f, 'current');
    const old = Buffer.from([0, 1, 2, 255, 254, 10]);
    writeFileSync(`${f}.2026-11-27.bak`, old);
    writeFileSync(`${f}.2026-11-27.2.bak`, 'second');
    assert.equal(await backupFile(f, DAY), `${f}.2026-11-27.1.bak`);
    assert.equal(await backupFile(f, DAY), `${f}.2026-11-27.3.bak`);
    assert.deepEqual(readFileSync(`${f}.2026-11-27.bak`), old, 'byte-identical');
    assert.equal(readFileSync(`${f}.2026-11-27.2.bak`, 'utf8'), 'second');
  });

  it('two (or twenty) backups at the same moment each get their own file', async () => {
    const f = join(dir, 'race.txt');
    const content = 'x'.repeat(256 * 1024); // big enough that the copies overlap in time
    writeFileSync(f, content);
    const paths = await Promise.all(Array.from({ length: 20 }, () => backupFile(f, DAY)));
    assert.equal(new Set(paths).size, 20, `distinct names: ${paths.join(', ')}`);
    assert.deepEqual(new Set(paths), new Set(Array.from({ length: 20 }, (_, n) => backupName(f, DAY, n))));
    for (const p of paths) assert.equal(readFileSync(p, 'utf8'), content, p);
    assert.equal(readdirSync(dir).length, 21);
  });

  it('keeps the file mode', async () => {
    for (const mode of [0o751, 0o600, 0o444]) {
      const f = join(dir, `m${mode.toString(8)}`);
      writeFileSync(f, 'data');
      chmodSync(f, mode);
      const b = await backupFile(f, DAY);
      assert.equal(statSync(b).mode & 0o777, mode, `${mode.toString(8)} → ${(statSync(b).mode & 0o777).toString(8)}`);
    }
  });

  it('backs up what a symbolic link points at, as a regular file', async () => {
    const target = join(dir, 'target.txt');
    writeFileSync(target, 'through the link');
    const f = join(dir, 'link.txt');
    symlinkSync(target, f);
    const b = await backupFile(f, DAY);
    assert.equal(b, `${f}.2026-11-27.bak`);
    assert.ok(lstatSync(b).isFile());
    assert.equal(readFileSync(b, 'utf8'), 'through the link');
  });

  it('a folder or a missing file is a clear error, and nothing is created', async () => {
    mkdirSync(join(dir, 'sub'));
    await assert.rejects(backupFile(join(dir, 'sub'), DAY), (e: unknown) => e instanceof BackupError && e.code === 'not-a-file' && /sub is a folder: only files can be backed up/.test(e.message));
    await assert.rejects(backupFile(join(dir, 'gone.txt'), DAY), (e: unknown) => e instanceof BackupError && e.code === 'not-found' && /gone\.txt does not exist/.test(e.message));
    await assert.rejects(backupFile(join(dir, 'gone', 'deeper.txt'), DAY), (e: unknown) => e instanceof BackupError && e.code === 'not-found');
    assert.deepEqual(readdirSync(dir), ['sub']);
    assert.deepEqual(readdirSync(join(dir, 'sub')), []);
  });
});

describe('writeFileAtomic and its backups', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dyn-atomic2-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('concurrent replacements each keep their own backup, none overwritten', async () => {
    const f = join(dir, 'out.csv');
    writeFileSync(f, 'original');
    const backups = await Promise.all(['a', 'b', 'c', 'd'].map((x) => writeFileAtomic(f, x, DAY)));
    assert.equal(new Set(backups).size, 4, backups.join(', '));
    assert.ok(backups.every((b) => b !== null && /\.2026-11-27(\.\d)?\.bak$/.test(b)));
    // every backup holds a content the file had; the original is among them
    const held = backups.map((b) => readFileSync(b as string, 'utf8'));
    assert.ok(held.includes('original'), held.join(','));
    assert.ok(held.every((h) => ['original', 'a', 'b', 'c', 'd'].includes(h)));
  });

  it('keeps the replaced file\'s mode, and writes no backup with backup: false', async () => {
    const f = join(dir, 'run.sh');
    writeFileSync(f, '#!/bin/sh\n');
    chmodSync(f, 0o750);
    assert.equal(await writeFileAtomic(f, '#!/bin/sh\necho hi\n', DAY, { backup: false }), null);
    assert.equal(statSync(f).mode & 0o777, 0o750);
    assert.equal(readFileSync(f, 'utf8'), '#!/bin/sh\necho hi\n');
    assert.deepEqual(readdirSync(dir), ['run.sh'], 'no backup, no temporary file');
    const b = await writeFileAtomic(f, 'v3', DAY);
    assert.equal(b, `${f}.2026-11-27.bak`);
    assert.equal(readFileSync(b, 'utf8'), '#!/bin/sh\necho hi\n');
    assert.equal(statSync(f).mode & 0o777, 0o750);
  });
});

describe('gitignore coverage of *.bak', () => {
  it('recognises *.bak, **/*.bak and /**/*.bak lines, trailing spaces and CRLF included', () => {
    for (const t of ['*.bak', '*.bak\n', 'node_modules/\n**/*.bak\n', '/**/*.bak', '*.bak   \n', 'dist\r\n*.bak\r\n', '# backups\n*.bak']) assert.equal(gitignoreCovers(t), true, JSON.stringify(t));
  });
  it('does not count comments, anchored or other patterns, directory-only or leading-space lines', () => {
    for (const t of ['', '# *.bak', '/*.bak', '*.bak/', ' *.bak', 'foo.bak', '*.bakx', '*.BAK', 'bak', 'src/*.bak']) assert.equal(gitignoreCovers(t), false, JSON.stringify(t));
  });
  it('the last line decides: a later !*.bak re-includes, a later *.bak ignores again', () => {
    assert.equal(gitignoreCovers('*.bak\n!*.bak\n'), false);
    assert.equal(gitignoreCovers('!*.bak\n*.bak\n'), true);
    assert.equal(gitignoreCovers('**/*.bak\n!**/*.bak\n'), false);
  });
  it('works for another pattern', () => {
    assert.equal(gitignoreCovers('*.orig\n', '*.orig'), true);
    assert.equal(gitignoreCovers('*.orig\n'), false);
  });
});

describe('adding *.bak to a .gitignore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dyn-gitignore-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('puts the pattern on a line of its own, in the text\'s line ending', () => {
    assert.equal(withGitignoreLine(''), '*.bak\n');
    assert.equal(withGitignoreLine('node_modules'), 'node_modules\n*.bak\n');
    assert.equal(withGitignoreLine('node_modules\n'), 'node_modules\n*.bak\n');
    assert.equal(withGitignoreLine('a\r\nb'), 'a\r\nb\r\n*.bak\r\n');
    assert.equal(withGitignoreLine('a\n\n'), 'a\n\n*.bak\n');
  });

  it('creates a missing .gitignore, appends once, keeps the rest and the mode, and leaves no backup or temporary file', async () => {
    const gi = join(dir, '.gitignore');
    assert.equal(await appendGitignore(gi), true);
    assert.equal(readFileSync(gi, 'utf8'), '*.bak\n');
    assert.equal(await appendGitignore(gi), false, 'already there');
    assert.equal(readFileSync(gi, 'utf8'), '*.bak\n');

    writeFileSync(gi, '# build\ndist/\n!keep.bak'); // no trailing newline
    chmodSync(gi, 0o640);
    assert.equal(await appendGitignore(gi), true);
    assert.equal(readFileSync(gi, 'utf8'), '# build\ndist/\n!keep.bak\n*.bak\n');
    assert.equal(statSync(gi).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir), ['.gitignore']);
  });

  it('follows a symbolic link, so the link stays a link', async () => {
    mkdirSync(join(dir, 'shared'));
    writeFileSync(join(dir, 'shared', 'ignore'), 'dist/\n');
    symlinkSync(join('shared', 'ignore'), join(dir, '.gitignore'));
    assert.equal(await appendGitignore(join(dir, '.gitignore')), true);
    assert.ok(lstatSync(join(dir, '.gitignore')).isSymbolicLink());
    assert.equal(readlinkSync(join(dir, '.gitignore')), join('shared', 'ignore'));
    assert.equal(readFileSync(join(dir, 'shared', 'ignore'), 'utf8'), 'dist/\n*.bak\n');
  });
});

describe('whether git ignores *.bak beside a file', () => {
  let dir: string;
  let env: { home: string; xdgConfigHome: string };
  /** A minimal repository as git lays it out (`.git/HEAD` is what marks it). */
  const makeRepo = (root: string) => {
    mkdirSync(join(root, '.git', 'info'), { recursive: true });
    writeFileSync(join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dyn-ignored-'));
    env = { home: join(dir, 'home'), xdgConfigHome: join(dir, 'home', '.config') };
    mkdirSync(env.home);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('not in a repository: null', async () => {
    mkdirSync(join(dir, 'plain'));
    assert.equal(await ignoreStatus(join(dir, 'plain', 'a.txt'), undefined, env), null);
  });

  it('a repository without the pattern anywhere: not ignored, the root .gitignore named', async () => {
    const root = join(dir, 'repo');
    makeRepo(root);
    mkdirSync(join(root, 'src', 'deep'), { recursive: true });
    writeFileSync(join(root, '.gitignore'), 'node_modules/\n');
    assert.deepEqual(await ignoreStatus(join(root, 'src', 'deep', 'a.ts'), undefined, env), { root, gitignore: join(root, '.gitignore'), ignored: false, decidedBy: null });
  });

  it('the root .gitignore, a nearer .gitignore or .git/info/exclude can ignore it; the nearest file decides', async () => {
    const root = join(dir, 'repo');
    makeRepo(root);
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    const file = join(root, 'a', 'b', 'x.txt');
    writeFileSync(join(root, '.git', 'info', 'exclude'), '# git ls-files --others --exclude-from=.git/info/exclude\n*.bak\n');
    assert.deepEqual(await ignoreStatus(file, undefined, env), { root, gitignore: join(root, '.gitignore'), ignored: true, decidedBy: join(root, '.git', 'info', 'exclude') });
    writeFileSync(join(root, 'a', '.gitignore'), '!*.bak\n');
    assert.equal((await ignoreStatus(file, undefined, env))?.ignored, false, 'a nearer !*.bak re-includes');
    writeFileSync(join(root, 'a', 'b', '.gitignore'), '**/*.bak\n');
    assert.equal((await ignoreStatus(file, undefined, env))?.ignored, true);
    assert.equal((await ignoreStatus(join(root, 'top.txt'), undefined, env))?.ignored, true, 'info/exclude for a file at the root');
  });

  it('a worktree-style .git file is followed to the common dir\'s info/exclude', async () => {
    const main = join(dir, 'main');
    makeRepo(main);
    writeFileSync(join(main, '.git', 'info', 'exclude'), '*.bak\n');
    const wtGit = join(main, '.git', 'worktrees', 'wt');
    mkdirSync(wtGit, { recursive: true });
    writeFileSync(join(wtGit, 'HEAD'), 'ref: refs/heads/topic\n');
    writeFileSync(join(wtGit, 'commondir'), '../..\n');
    const wt = join(dir, 'wt');
    mkdirSync(wt);
    writeFileSync(join(wt, '.git'), `gitdir: ${wtGit}\n`);
    const s = await ignoreStatus(join(wt, 'f.txt'), undefined, env);
    assert.equal(s?.root, wt);
    assert.equal(s?.gitignore, join(wt, '.gitignore'));
    assert.equal(s?.ignored, true);
  });

  it('the global excludes file counts: the XDG default, or core.excludesFile from ~/.gitconfig', async () => {
    const root = join(dir, 'repo');
    makeRepo(root);
    const file = join(root, 'f.txt');
    assert.equal((await ignoreStatus(file, undefined, env))?.ignored, false);
    mkdirSync(join(env.xdgConfigHome, 'git'), { recursive: true });
    writeFileSync(join(env.xdgConfigHome, 'git', 'ignore'), '*.bak\n');
    assert.equal((await ignoreStatus(file, undefined, env))?.ignored, true);
    writeFileSync(join(env.home, '.gitconfig'), '[core]\n\texcludesFile = ~/my-ignores\n');
    assert.equal((await ignoreStatus(file, undefined, env))?.ignored, false, 'core.excludesFile replaces the XDG default');
    writeFileSync(join(env.home, 'my-ignores'), '**/*.bak\n');
    assert.equal((await ignoreStatus(file, undefined, env))?.ignored, true);
    writeFileSync(join(root, '.gitignore'), '!*.bak\n');
    assert.equal((await ignoreStatus(file, undefined, env))?.ignored, false, 'the repository\'s .gitignore wins over the global file');
  });
});
