// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseGitConfig, parseRemoteUrl, pickRemote, readGitState, remotesFromConfig, type GitRemote } from '../../src/core/github/remote';

const SHA1 = 'a'.repeat(40);
const SHA2 = '0123456789abcdef0123456789abcdef01234567';

describe('remote URLs', () => {
  const cases: [string, string, string, string][] = [
    ['https://github.com/ai-dynamo/dynamo', 'github.com', 'ai-dynamo', 'dynamo'],
    ['https://github.com/ai-dynamo/dynamo.git', 'github.com', 'ai-dynamo', 'dynamo'],
    ['https://github.com/ai-dynamo/dynamo/', 'github.com', 'ai-dynamo', 'dynamo'],
    ['https://github.com/ai-dynamo/dynamo.git/', 'github.com', 'ai-dynamo', 'dynamo'],
    ['  https://GitHub.COM/Ai-Dynamo/Dynamo.git\n', 'github.com', 'Ai-Dynamo', 'Dynamo'],
    ['http://github.com/o/r', 'github.com', 'o', 'r'],
    ['https://keivenc@github.com/o/r.git', 'github.com', 'o', 'r'],
    ['https://user:secret@github.com/o/r.git', 'github.com', 'o', 'r'],
    ['https://ghe.example.com:8443/o/r.git', 'ghe.example.com', 'o', 'r'],
    ['git@github.com:ai-dynamo/dynamo.git', 'github.com', 'ai-dynamo', 'dynamo'],
    ['git@github.com:ai-dynamo/dynamo', 'github.com', 'ai-dynamo', 'dynamo'],
    ['git@github.com:/o/r.git', 'github.com', 'o', 'r'],
    ['github.com:o/r.git', 'github.com', 'o', 'r'],
    ['org-123@ssh.github.com:o/r.git', 'ssh.github.com', 'o', 'r'],
    ['ssh://git@github.com/o/r.git', 'github.com', 'o', 'r'],
    ['ssh://git@github.com:22/o/r.git', 'github.com', 'o', 'r'],
    ['ssh://git@GHE.corp.example:2222/Team/Repo.git', 'ghe.corp.example', 'Team', 'Repo'],
    ['git+ssh://git@github.com/o/r.git', 'github.com', 'o', 'r'],
    ['git://github.com/o/r.git', 'github.com', 'o', 'r'],
    ['https://github.example.ghe.com/o/my.repo_1', 'github.example.ghe.com', 'o', 'my.repo_1'],
    ['https://github.com/o/r%2Dx', 'github.com', 'o', 'r-x'],
  ];
  for (const [url, host, owner, name] of cases) {
    it(`parses ${JSON.stringify(url)}`, () => assert.deepEqual(parseRemoteUrl(url), { host, owner, name }));
  }

  const rejected = [
    '', '/home/dev/dynamo', './dynamo', '../dynamo', '~/dynamo', 'file:///srv/git/o/r.git', 'file://host/o/r.git',
    'C:\\src\\dynamo', 'C:/src/o/r', 'D:o/r', 'https://github.com/o', 'https://github.com/', 'https://github.com/o/r/tree/main',
    'https://github.com//o/r', 'git@github.com:o', 'git@github.com:a/b/c.git', 'ftp://github.com/o/r', 'https://github.com/o/..',
    'https://github.com/o/%E0%A4%A', 'ssh://git@host/~user/r.git', 'git@github.com:o/r r', 'https:///o/r', 'not a url',
  ];
  for (const url of rejected) {
    it(`rejects ${JSON.stringify(url)}`, () => assert.equal(parseRemoteUrl(url), null));
  }
});

describe('pickRemote', () => {
  const remotes: GitRemote[] = [
    { name: 'local', fetchUrl: '/srv/mirror.git' },
    { name: 'fork', fetchUrl: 'git@github.com:me/dynamo.git' },
    { name: 'upstream', fetchUrl: 'https://github.com/ai-dynamo/dynamo.git' },
    { name: 'origin', fetchUrl: '../elsewhere', pushUrl: 'git@github.com:me/dynamo-push.git' },
  ];

  it('takes the first preferred remote that parses, fetch URL before push URL', () => {
    assert.deepEqual(pickRemote(remotes, ['origin', 'upstream']), { host: 'github.com', owner: 'me', name: 'dynamo-push', remote: 'origin' });
    assert.deepEqual(pickRemote(remotes, ['upstream', 'origin']), { host: 'github.com', owner: 'ai-dynamo', name: 'dynamo', remote: 'upstream' });
    assert.equal(pickRemote([{ name: 'origin', fetchUrl: 'https://github.com/a/b', pushUrl: 'https://github.com/c/d' }], ['origin'])?.owner, 'a');
  });

  it('falls back to the first parsable remote in list order, else null', () => {
    assert.equal(pickRemote(remotes, ['nope'])?.remote, 'fork');
    assert.equal(pickRemote(remotes, [])?.remote, 'fork');
    assert.equal(pickRemote([{ name: 'origin', fetchUrl: '/x' }, { name: 'u', fetchUrl: null, pushUrl: null }], ['origin']), null);
    assert.equal(pickRemote([], ['origin']), null);
  });
});

describe('git config reader', () => {
  it('reads quoted subsections, comments, whitespace, case-insensitive names, escapes and continuations', () => {
    const text = [
      '\uFEFF# a comment',
      '[core]',
      '\trepositoryformatversion = 0',
      '  bare',
      '[Remote "origin"]  ; trailing comment',
      '    URL   =   https://github.com/ai-dynamo/dynamo.git   # comment',
      '\tfetch = +refs/heads/*:refs/remotes/origin/*',
      '[remote "my \\"odd\\" name"] url = "git@github.com:o/r.git" ',
      '[remote.Legacy]',
      '\turl = "https://github.com/a/b;c#d" ; real comment',
      '[branch "Feat/X"]',
      '\tremote = upstream',
      '\tmerge = refs/heads/feat/x',
      '[alias]',
      '\tlg = log \\',
      '  --oneline\\t"  quoted  " end',
      'garbage line here',
      '[section',
      'orphan = 1',
    ].join('\r\n');
    const e = parseGitConfig(text);
    const get = (section: string, sub: string | null, key: string) => e.filter((x) => x.section === section && x.sub === sub && x.key === key).map((x) => x.value);
    assert.deepEqual(get('core', null, 'repositoryformatversion'), ['0']);
    assert.deepEqual(get('core', null, 'bare'), ['true']);
    assert.deepEqual(get('remote', 'origin', 'url'), ['https://github.com/ai-dynamo/dynamo.git']);
    assert.deepEqual(get('remote', 'origin', 'fetch'), ['+refs/heads/*:refs/remotes/origin/*']);
    assert.deepEqual(get('remote', 'my "odd" name', 'url'), ['git@github.com:o/r.git']);
    assert.deepEqual(get('remote', 'legacy', 'url'), ['https://github.com/a/b;c#d']);
    assert.deepEqual(get('branch', 'Feat/X', 'remote'), ['upstream']);
    assert.deepEqual(get('alias', null, 'lg'), ['log   --oneline\t  quoted   end']);
    assert.equal(e.some((x) => x.key === 'orphan' || x.key === 'garbage'), false, 'malformed lines are skipped');
  });

  it('keeps remotes in order, takes the first url, applies insteadOf / pushInsteadOf (longest prefix)', () => {
    const { remotes, branchRemotes } = remotesFromConfig(parseGitConfig([
      '[url "git@github.com:"]', '\tinsteadOf = gh:', '\tpushInsteadOf = https://github.com/',
      '[url "https://github.com/ai-dynamo/"]', '\tinsteadOf = gh:ai-dynamo/',
      '[remote "upstream"]', '\turl = gh:ai-dynamo/dynamo.git', '\turl = https://mirror/x.git',
      '[remote "origin"]', '\turl = https://github.com/me/dynamo.git',
      '[remote "both"]', '\tpushurl = gh:me/push.git', '\turl = gh:me/fetch.git',
      '[branch "main"]', '\tremote = origin',
    ].join('\n')));
    assert.deepEqual(remotes, [
      { name: 'upstream', fetchUrl: 'https://github.com/ai-dynamo/dynamo.git', pushUrl: null },
      { name: 'origin', fetchUrl: 'https://github.com/me/dynamo.git', pushUrl: 'git@github.com:me/dynamo.git' },
      { name: 'both', fetchUrl: 'git@github.com:me/fetch.git', pushUrl: 'git@github.com:me/push.git' },
    ]);
    assert.deepEqual([...branchRemotes], [['main', 'origin']]);
  });
});

describe('readGitState (hand-written repository files)', () => {
  let dir: string;
  beforeEach(() => { dir = realpathSync(mkdtempSync(join(tmpdir(), 'dynamo-gitstate-'))); });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const CONFIG = '[core]\n\tbare = false\n[remote "origin"]\n\turl = git@github.com:me/dynamo.git\n[remote "upstream"]\n\turl = https://github.com/ai-dynamo/dynamo.git\n[branch "feat/x"]\n\tremote = upstream\n[branch "local"]\n\tremote = .\n';

  it('finds .git in the nearest parent; branch from HEAD, sha from the loose ref, remotes and upstream from config', async () => {
    write('repo/.git/HEAD', 'ref: refs/heads/feat/x\n');
    write('repo/.git/refs/heads/feat/x', `${SHA1}\n`);
    write('repo/.git/packed-refs', `# pack-refs with: peeled fully-peeled sorted\n${SHA2} refs/heads/feat/x\n`);
    write('repo/.git/config', CONFIG);
    mkdirSync(join(dir, 'repo/src/deep'), { recursive: true });
    assert.deepEqual(await readGitState(join(dir, 'repo/src/deep')), {
      root: join(dir, 'repo'), branch: 'feat/x', sha: SHA1, upstreamRemote: 'upstream',
      remotes: [
        { name: 'origin', fetchUrl: 'git@github.com:me/dynamo.git', pushUrl: null },
        { name: 'upstream', fetchUrl: 'https://github.com/ai-dynamo/dynamo.git', pushUrl: null },
      ],
    });
  });

  it('reads packed-refs (skipping peeled lines), a branch without commits, a detached HEAD, a `.` upstream', async () => {
    write('repo/.git/config', CONFIG);
    write('repo/.git/packed-refs', `# pack-refs with: peeled\n${SHA2} refs/heads/main\n^${SHA1}\n${SHA1} refs/heads/local\n${SHA2} refs/tags/v1\n`);
    write('repo/.git/HEAD', 'ref: refs/heads/local\n');
    const local = await readGitState(join(dir, 'repo'));
    assert.deepEqual([local?.branch, local?.sha, local?.upstreamRemote], ['local', SHA1, null]);
    write('repo/.git/HEAD', 'ref: refs/heads/unborn\n');
    assert.deepEqual((await readGitState(join(dir, 'repo')))?.sha, null);
    write('repo/.git/HEAD', `${SHA2}\n`);
    const detached = await readGitState(join(dir, 'repo'));
    assert.deepEqual([detached?.branch, detached?.sha, detached?.upstreamRemote], [null, SHA2, null]);
    write('repo/.git/HEAD', 'ref: refs/heads/../../../../etc/passwd\n');
    assert.equal((await readGitState(join(dir, 'repo')))?.sha, null, 'a ref leaving refs/ is not read');
  });

  it('follows a `.git` file to a worktree git dir, with refs and config from its commondir', async () => {
    write('main/.git/config', CONFIG);
    write('main/.git/HEAD', 'ref: refs/heads/main\n');
    write('main/.git/refs/heads/wt', `${SHA2}\n`);
    write('main/.git/worktrees/wt/HEAD', 'ref: refs/heads/wt\n');
    write('main/.git/worktrees/wt/commondir', '../..\n');
    write('wt/.git', `gitdir: ${join(dir, 'main/.git/worktrees/wt')}\n`);
    const s = await readGitState(join(dir, 'wt'));
    assert.deepEqual([s?.root, s?.branch, s?.sha, s?.remotes.length], [join(dir, 'wt'), 'wt', SHA2, 2]);
    // A relative gitdir (submodules write one) without commondir: everything from that git dir.
    write('super/.git/modules/sub/HEAD', `${SHA1}\n`);
    write('super/.git/modules/sub/config', '[remote "origin"]\n\turl = https://github.com/o/sub\n');
    write('super/sub/.git', 'gitdir: ../.git/modules/sub\n');
    const sub = await readGitState(join(dir, 'super/sub'));
    assert.deepEqual([sub?.root, sub?.sha, sub?.remotes], [join(dir, 'super/sub'), SHA1, [{ name: 'origin', fetchUrl: 'https://github.com/o/sub', pushUrl: null }]]);
  });

  it('null without a repository, for a broken `.git` file; a `.git` folder without HEAD is skipped', async () => {
    assert.equal(await readGitState(dir), null);
    assert.equal(await readGitState(join(dir, 'does/not/exist')), null);
    write('broken/.git', 'gitdir: /nonexistent/worktrees/x\n');
    assert.equal(await readGitState(join(dir, 'broken')), null);
    write('junk/.git', 'not a gitfile\n');
    assert.equal(await readGitState(join(dir, 'junk')), null);
    write('outer/.git/HEAD', `${SHA1}\n`);
    write('outer/inner/.git/description', 'no HEAD here\n');
    assert.equal((await readGitState(join(dir, 'outer/inner')))?.root, join(dir, 'outer'));
  });
});

describe('readGitState (repositories made by git)', function () {
  this.timeout(30000);
  let dir: string;
  const env = { ...process.env, HOME: '', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  const git = (cwd: string, ...args: string[]) => execFileSync('/usr/bin/git', args, { cwd, env, encoding: 'utf8' }).trim();

  before(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'dynamo-gitreal-')));
    env.HOME = dir;
  });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  it('agrees with git: branch, loose then packed refs, detached HEAD, a worktree, an empty repository', async () => {
    const repo = join(dir, 'repo');
    mkdirSync(join(repo, 'src'), { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    const empty = await readGitState(join(repo, 'src'));
    assert.deepEqual([empty?.root, empty?.branch, empty?.sha, empty?.remotes], [repo, 'main', null, []]);

    git(repo, 'commit', '-q', '--allow-empty', '-m', 'one');
    git(repo, 'remote', 'add', 'origin', 'https://github.com/me/dynamo.git');
    git(repo, 'remote', 'add', 'upstream', 'git@github.com:ai-dynamo/dynamo.git');
    git(repo, 'checkout', '-q', '-b', 'feat/x');
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'two');
    git(repo, 'config', 'branch.feat/x.remote', 'upstream');
    const head = git(repo, 'rev-parse', 'HEAD');
    const loose = await readGitState(join(repo, 'src'));
    assert.deepEqual(loose, {
      root: repo, branch: 'feat/x', sha: head, upstreamRemote: 'upstream',
      remotes: [
        { name: 'origin', fetchUrl: 'https://github.com/me/dynamo.git', pushUrl: null },
        { name: 'upstream', fetchUrl: 'git@github.com:ai-dynamo/dynamo.git', pushUrl: null },
      ],
    });
    assert.deepEqual(pickRemote(loose!.remotes, ['origin', 'upstream']), { host: 'github.com', owner: 'me', name: 'dynamo', remote: 'origin' });

    git(repo, 'pack-refs', '--all');
    assert.equal(existsSync(join(repo, '.git/refs/heads/feat/x')), false, 'the loose ref is gone');
    assert.equal((await readGitState(repo))?.sha, head, 'from packed-refs');

    git(repo, 'checkout', '-q', '--detach', 'HEAD~1');
    const detached = await readGitState(repo);
    assert.deepEqual([detached?.branch, detached?.sha, detached?.upstreamRemote], [null, git(repo, 'rev-parse', 'HEAD'), null]);

    const wt = join(dir, 'wt');
    git(repo, 'worktree', 'add', '-q', '-b', 'wt-branch', wt, 'feat/x');
    git(wt, 'commit', '-q', '--allow-empty', '-m', 'three');
    const w = await readGitState(wt);
    assert.deepEqual([w?.root, w?.branch, w?.sha, w?.remotes.map((r) => r.name)], [wt, 'wt-branch', git(wt, 'rev-parse', 'HEAD'), ['origin', 'upstream']]);
    git(repo, 'pack-refs', '--all');
    assert.equal((await readGitState(wt))?.sha, git(wt, 'rev-parse', 'HEAD'), 'worktree branch from the common packed-refs');
    assert.equal((await readGitState(repo))?.branch, null, 'the main checkout is still detached');
  });
});
