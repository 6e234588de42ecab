// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

describe('dynamo-dev parse and compare', function () {
  this.timeout(30000);
  const fx = (f: string) => join(root, 'test/fixtures/metrics', f);
  it('parse --json dumps families and samples, with NaN and infinities as strings', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'dyn-parse-')), 'x.prom');
    writeFileSync(f, '# HELP a doc\n# TYPE a gauge\na{x="1"} NaN 1700000000000\nb +Inf\nbad line here\n');
    const r = cli('parse', f, '--json');
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.families[0], { name: 'a', type: 'gauge', help: 'doc', unit: '', samples: [{ name: 'a', labels: { x: '1' }, value: 'NaN', timestamp: 1700000000000 }] });
    assert.equal(j.families[1].samples[0].value, '+Inf');
    assert.deepEqual(j.diagnostics, [{ line: 5, message: 'invalid value "line" for bad' }]);
  });
  it('compare --format json has the documented keys, in seconds', () => {
    const r = cli('compare', fx('ai-dynamo--vllm-worker.prom'), fx('ai-dynamo--sglang-worker.prom'), '--format', 'json', '--baseline', 'sglang');
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.ok(Array.isArray(j.findings) && j.findings.length > 0);
    const v = j.captures[0];
    for (const k of ['file', 'framework', 'totalLines', 'uniqueMetrics', 'dynamoLines', 'promptTokens', 'generationTokens', 'requests', 'ttft', 'e2e', 'itl', 'tpot', 'throughput', 'diagnostics']) assert.ok(k in v, k);
    for (const k of ['count', 'sum', 'mean', 'p50', 'p90', 'p99']) assert.equal(typeof v.ttft[k], 'number', k);
    assert.equal(v.framework, 'vllm');
    assert.equal(j.captures[1].tpot, null);
    assert.equal(j.baseline, fx('ai-dynamo--sglang-worker.prom'));
  });
  it('compare names a missing file and exits 1; a malformed file still compares', () => {
    const r = cli('compare', fx('ai-dynamo--vllm-worker.prom'), '/nonexistent/metrics-trtllm.log');
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim(), 'dynamo-dev: /nonexistent/metrics-trtllm.log: no such file');
    const ok = cli('compare', fx('ai-dynamo--vllm-worker.prom'), fx('../prom-vectors/invalid_05.json'), '--format', 'markdown');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /invalid_05\.json has \d+ malformed lines? \(first: line 1:/);
  });
  it('rejects a bad --format, --stat or --baseline with exit 2', () => {
    assert.equal(cli('compare', fx('ai-dynamo--vllm-worker.prom'), '--format', 'xml').status, 2);
    assert.equal(cli('compare', fx('ai-dynamo--vllm-worker.prom'), '--stat', 'p42').status, 2);
    const b = cli('compare', fx('ai-dynamo--vllm-worker.prom'), '--baseline', 'trtllm');
    assert.equal(b.status, 2);
    assert.match(b.stderr, /matches none of the captures \(frameworks: vllm\)/);
  });
});
