// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanToken, hostFromApiBase, parseHostsYaml, resolveToken, type RunGh, tokenFromHostsYaml } from '../../src/core/github/tokens';

const TOK_A = 'gho_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const TOK_B = 'gho_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
const TOK_E = 'gho_EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE';

describe('hosts.yml reader', () => {
  it('reads the legacy single-user shape', () => {
    const doc = parseHostsYaml(`github.com:\n    oauth_token: ${TOK_A}\n    user: alice\n    git_protocol: https\n`);
    assert.deepEqual(tokenFromHostsYaml(doc, 'github.com'), { token: TOK_A, user: 'alice' });
  });

  it('honours `user:` among multiple users, whatever the order of keys', () => {
    const yml = [
      'github.com:',
      '    users:',
      '        alice:',
      `            oauth_token: ${TOK_A}`,
      '        bob:',
      `            oauth_token: ${TOK_B}`,
      '    git_protocol: ssh',
      '    user: bob',
    ].join('\n');
    assert.deepEqual(tokenFromHostsYaml(parseHostsYaml(yml), 'github.com'), { token: TOK_B, user: 'bob' });
    const aliceActive = yml.replace('user: bob', 'user: alice');
    assert.deepEqual(tokenFromHostsYaml(parseHostsYaml(aliceActive), 'github.com'), { token: TOK_A, user: 'alice' });
  });

  it('falls back to the top-level token, then the first user with one', () => {
    const top = `github.com:\n  users:\n    carol:\n  user: carol\n  oauth_token: ${TOK_A}\n`;
    assert.deepEqual(tokenFromHostsYaml(parseHostsYaml(top), 'github.com'), { token: TOK_A, user: 'carol' });
    const firstUser = `github.com:\n  users:\n    nobody: {}\n    dave:\n      oauth_token: ${TOK_B}\n`;
    assert.deepEqual(tokenFromHostsYaml(parseHostsYaml(firstUser), 'github.com'), { token: TOK_B, user: 'dave' });
  });

  it('keeps hosts apart (GHES) and matches host names case-insensitively', () => {
    const yml = `github.com:\n  oauth_token: ${TOK_A}\nGHE.Example.com:\n  oauth_token: ${TOK_E}\n  user: erin\n`;
    const doc = parseHostsYaml(yml);
    assert.equal(tokenFromHostsYaml(doc, 'ghe.example.com')?.token, TOK_E);
    assert.equal(tokenFromHostsYaml(doc, 'github.com')?.token, TOK_A);
    assert.equal(tokenFromHostsYaml(doc, 'other.example.com'), null);
  });

  it('copes with comments, quotes, CRLF, BOM, document markers and keyring-only entries', () => {
    const yml =
      '\uFEFF---\r\n# gh hosts\r\n"github.com": # trailing comment\r\n' +
      `    oauth_token: "${TOK_A}" # comment after a quoted value\r\n` +
      "    user: 'o''neil'\r\n" +
      '    weird: "a # not a comment"\r\n' +
      '    list:\r\n      - one\r\n' +
      'ghe.example.com:\r\n    user: keyring-user\r\n    git_protocol: https\r\n';
    const doc = parseHostsYaml(yml);
    assert.deepEqual(tokenFromHostsYaml(doc, 'github.com'), { token: TOK_A, user: "o'neil" });
    assert.equal((doc['github.com'] as Record<string, unknown>)['weird'], 'a # not a comment');
    assert.equal(tokenFromHostsYaml(doc, 'ghe.example.com'), null);
  });

  it('ignores empty and malformed tokens', () => {
    assert.equal(tokenFromHostsYaml(parseHostsYaml('github.com:\n  oauth_token: ""\n'), 'github.com'), null);
    assert.equal(tokenFromHostsYaml(parseHostsYaml('github.com:\n  oauth_token: "two words"\n'), 'github.com'), null);
    assert.equal(tokenFromHostsYaml(parseHostsYaml('github.com: plain\n'), 'github.com'), null);
    assert.equal(cleanToken('  \n  abc \n def'), 'abc');
    assert.equal(cleanToken('   '), null);
  });
});

describe('resolveToken', () => {
  let home: string;
  beforeEach(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'dyn-tok-'));
  });
  afterEach(async () => {
    await fs.rm(home, { recursive: true, force: true });
  });
  const writeHosts = async (text: string, dir = path.join(home, '.config', 'gh')): Promise<void> => {
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'hosts.yml'), text);
  };
  const writeTokenFile = async (text: string): Promise<void> => {
    await fs.mkdir(path.join(home, '.config'), { recursive: true });
    await fs.writeFile(path.join(home, '.config', 'github-token'), text);
  };
  const noGh: RunGh = () => Promise.reject(Object.assign(new Error('spawn gh ENOENT'), { code: 'ENOENT' }));

  it('prefers GH_TOKEN over GITHUB_TOKEN over the token file over hosts.yml', async () => {
    await writeTokenFile(`${TOK_A}\n`);
    await writeHosts(`github.com:\n  oauth_token: ${TOK_B}\n`);
    assert.deepEqual(await resolveToken({ env: { GH_TOKEN: ' t1 ', GITHUB_TOKEN: 't2' }, home, runGh: noGh }), { token: 't1', source: 'GH_TOKEN' });
    assert.deepEqual(await resolveToken({ env: { GITHUB_TOKEN: 't2' }, home, runGh: noGh }), { token: 't2', source: 'GITHUB_TOKEN' });
    assert.deepEqual(await resolveToken({ env: {}, home, runGh: noGh }), { token: TOK_A, source: '~/.config/github-token' });
    await fs.rm(path.join(home, '.config', 'github-token'));
    assert.deepEqual(await resolveToken({ env: {}, home, runGh: noGh }), { token: TOK_B, source: '~/.config/gh/hosts.yml (github.com)' });
  });

  it('skips an empty env var and an empty token file with a diagnostic', async () => {
    await writeTokenFile('\n  \n');
    const lines: string[] = [];
    const r = await resolveToken({ env: { GH_TOKEN: '  ' }, home, runGh: noGh, onDiagnostic: (l) => lines.push(l) });
    assert.equal(r, null);
    assert.ok(lines.some((l) => l.includes('GH_TOKEN')));
    assert.ok(lines.some((l) => l.includes('github-token')));
    assert.ok(lines.some((l) => l.includes('gh is not installed')));
  });

  it('falls back to `gh auth token --hostname` when hosts.yml has no token (keyring)', async () => {
    await writeHosts('github.com:\n  user: alice\n  git_protocol: https\n');
    const calls: string[][] = [];
    const runGh: RunGh = async (args, env) => {
      calls.push(args);
      assert.equal(env['GH_PROMPT_DISABLED'], '1');
      return `${TOK_A}\n`;
    };
    assert.deepEqual(await resolveToken({ env: {}, home, runGh }), { token: TOK_A, source: 'gh auth token (github.com)' });
    assert.deepEqual(calls, [['auth', 'token', '--hostname', 'github.com']]);
  });

  it('uses the GHES host from the API base, with enterprise env vars only', async () => {
    await writeTokenFile(TOK_A);
    await writeHosts(`github.com:\n  oauth_token: ${TOK_A}\nghe.example.com:\n  users:\n    erin:\n      oauth_token: ${TOK_E}\n  user: erin\n`);
    const apiBase = 'https://ghe.example.com/api/v3';
    // A github.com token in GH_TOKEN is never used for GHES.
    assert.deepEqual(await resolveToken({ apiBase, env: { GH_TOKEN: TOK_A }, home, runGh: null }), {
      token: TOK_E,
      source: '~/.config/gh/hosts.yml (ghe.example.com, user erin)',
    });
    assert.deepEqual(await resolveToken({ apiBase, env: { GH_ENTERPRISE_TOKEN: 'ent' }, home, runGh: null }), { token: 'ent', source: 'GH_ENTERPRISE_TOKEN' });
    const hosts: string[] = [];
    await writeHosts(`github.com:\n  oauth_token: ${TOK_A}\n`);
    assert.equal(
      await resolveToken({ apiBase, env: {}, home, runGh: async (a) => (hosts.push(a[3] ?? ''), '') }),
      null,
    );
    assert.deepEqual(hosts, ['ghe.example.com']);
  });

  it('honours GH_CONFIG_DIR and XDG_CONFIG_HOME for hosts.yml', async () => {
    const dir = path.join(home, 'custom-gh');
    await writeHosts(`github.com:\n  oauth_token: ${TOK_B}\n`, dir);
    const r = await resolveToken({ env: { GH_CONFIG_DIR: dir }, home, runGh: null });
    assert.equal(r?.token, TOK_B);
    assert.ok(r?.source.startsWith(dir));
    await writeHosts(`github.com:\n  oauth_token: ${TOK_A}\n`, path.join(home, 'xdg', 'gh'));
    assert.equal((await resolveToken({ env: { XDG_CONFIG_HOME: path.join(home, 'xdg') }, home, runGh: null }))?.token, TOK_A);
  });

  it('returns null when nothing is configured and gh is absent', async () => {
    assert.equal(await resolveToken({ env: {}, home, runGh: noGh }), null);
    assert.equal(await resolveToken({ env: {}, home, runGh: null }), null);
    // The real runner, with no gh on PATH: no throw, a diagnostic.
    const lines: string[] = [];
    assert.equal(await resolveToken({ env: { PATH: path.join(home, 'empty-bin') }, home, onDiagnostic: (l) => lines.push(l) }), null);
    assert.ok(lines.some((l) => l.includes('gh is not installed')), lines.join('\n'));
  });

  it('never puts a token into diagnostics, even when gh echoes it in an error', async () => {
    await writeHosts('github.com:\n  user: alice\n');
    const lines: string[] = [];
    const secret = 'not-shaped-like-a-token-12345';
    const runGh: RunGh = async () => {
      throw new Error(`Command failed: gh auth token\nbad token ${secret} and ${TOK_B}`);
    };
    const r = await resolveToken({ env: { GH_TOKEN: '' }, home, runGh, onDiagnostic: (l) => lines.push(l) });
    assert.equal(r, null);
    const all = lines.join('\n');
    assert.ok(all.includes('gh auth token failed'));
    assert.ok(!all.includes(TOK_B), all);
    assert.ok(all.includes('***'));
  });

  it('never reports the token as its source', async () => {
    for (const r of [
      await resolveToken({ env: { GH_TOKEN: TOK_A }, home, runGh: null }),
      await resolveToken({ env: {}, home, runGh: async () => TOK_A }),
    ]) {
      assert.equal(r?.token, TOK_A);
      assert.ok(!r?.source.includes(TOK_A));
    }
  });

  it('derives the credentials host from the API base', () => {
    assert.equal(hostFromApiBase(undefined), 'github.com');
    assert.equal(hostFromApiBase('https://api.github.com/'), 'github.com');
    assert.equal(hostFromApiBase('https://ghe.example.com/api/v3'), 'ghe.example.com');
    assert.equal(hostFromApiBase('https://api.acme.ghe.com'), 'acme.ghe.com');
    assert.equal(hostFromApiBase('ftp://nonsense'), 'github.com');
  });
});
