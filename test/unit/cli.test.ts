// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { formatTable } from '../../src/cli/main';
import { classifyContainer } from '../../src/core/docker/discovery';

const root = join(__dirname, '../..');
const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, DOCKER_HOST: '' } });

describe('dynamo-dev CLI', function () {
  this.timeout(30000);
  it('prints usage and exits 0 for --help', () => {
    const r = cli('--help');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage: dynamo-dev <command>/);
    assert.match(r.stdout, /containers/);
  });
  it('exits 2 with one line for a usage error', () => {
    const r = cli('containers', '--bogus');
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /Unknown option '--bogus'.*dynamo-dev --help/);
    assert.equal(cli('frobnicate').status, 2);
  });
  it('exits 1 with one actionable line when the engine is unreachable', () => {
    const r = cli('containers', '--json', '--host', 'unix:///nonexistent/docker.sock');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /^dynamo-dev: Docker engine not reachable at unix:\/\/\/nonexistent\/docker.sock \(from --host\): the socket \/nonexistent\/docker.sock does not exist\. .*Pass --host/);
  });
  it('rejects a malformed --host before connecting', () => {
    const r = cli('containers', '--host', 'not a url');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /is not an endpoint: use unix:\/\/\//);
  });
  it('prints --version from package.json', () => {
    const r = cli('--version');
    assert.equal(r.status, 0);
    assert.match(r.stdout.trim(), /^\d+\.\d+\.\d+/);
  });
  it('formats a table with optional mounts', () => {
    const c = classifyContainer({ Id: 'a'.repeat(64), Names: ['/vsc-dynamo1-abc-1'], Image: 'vsc-dynamo1-abc', State: 'running', Status: 'Up 5 minutes', Labels: { 'devcontainer.local_folder': '/h/dynamo1', 'devcontainer.config_file': '/h/dynamo1/.devcontainer/sglang/devcontainer.json' }, Mounts: [{ Type: 'bind', Source: '/h/notes', Destination: '/home/dynamo/notes', RW: false }] });
    const lines = formatTable([c], true).split('\n');
    assert.match(lines[0] ?? '', /^NAME\s+FRAMEWORK\s+STATE\s+UPTIME\s+FOLDER\s+IMAGE$/);
    assert.match(lines[1] ?? '', /^vsc-dynamo1-abc-1\s+sglang\s+running\s+5 minutes\s+\/h\/dynamo1\s+vsc-dynamo1-abc$/);
    assert.equal(lines[2], '    /h/notes → /home/dynamo/notes (ro)');
    assert.equal(formatTable([], false), 'No dev containers found.');
  });
});
