// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// execInContainer against a real container: streams, exit codes, env/cwd/user, streaming, timeout and
// cancellation (which must kill every process the command started), and output limits.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { DevContainerFixture, waitFor as WaitFor } from '../support/fixtures.mjs' with { 'resolution-mode': 'import' };
import type { DockerClient } from '../../src/core/docker/client';
import { execInContainer, type ExecOptions, type ExecResult } from '../../src/core/docker/exec';
import { closeFixture, openFixture } from './fixtureContext';

describe('execInContainer (real engine)', function () {
  this.timeout(60000);
  let root: string;
  let fx: DevContainerFixture;
  let client: DockerClient;
  let waitFor: typeof WaitFor;

  const run = (opts: ExecOptions): Promise<ExecResult> => execInContainer(client.docker, fx.containers.dynamo1.id, opts);

  /** Command lines of the container's live processes that contain `token` (zombies have none). */
  async function processesWith(token: string): Promise<string[]> {
    const r = await run({ cmd: ['ps', '-eo', 'pid=,stat=,args='], timeoutMs: 15000 });
    assert.equal(r.exitCode, 0, `ps failed: ${r.stderr}`);
    return r.stdout
      .split('\n')
      .filter((l) => l.includes(token))
      .map((l) => l.trim());
  }

  /** The shell, the background child and the foreground child of {@link treeCommand}. */
  const isWholeTree = (lines: string[], token: string) =>
    lines.length === 3 && lines.some((l) => l.includes(`bg-${token}`)) && lines.some((l) => l.includes(`fg-${token}`)) && lines.some((l) => l.split(/\s+/)[2] === 'sh');

  /**
   * A shell (whose argv carries `token` too) that starts a background python (which ignores SIGTERM, so only SIGKILL ends it, and whose
   * output is detached from the exec) and then a foreground python; both carry `token` in their argv.
   */
  const treeCommand = (token: string) => [
    'sh',
    '-c',
    'python3 -c "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(300)" "bg-$1" </dev/null >/dev/null 2>&1 &\n' +
      'echo started\n' +
      'python3 -c "import time; time.sleep(300)" "fg-$1"',
    'sh',
    token,
  ];

  before(async function () {
    this.timeout(120000);
    const fixtures = await import('../support/fixtures.mjs');
    waitFor = fixtures.waitFor;
    ({ root, fx, client } = await openFixture('exec'));
  });

  after(async function () {
    this.timeout(60000);
    await closeFixture({ root, fx });
  });

  it('keeps stdout and stderr apart and reports the exit code', async () => {
    const r = await run({ cmd: ['sh', '-c', 'echo out1; echo err1 >&2; echo out2; echo err2 >&2; exit 3'] });
    assert.equal(r.stdout, 'out1\nout2\n');
    assert.equal(r.stderr, 'err1\nerr2\n');
    assert.equal(r.exitCode, 3);
    assert.equal(r.timedOut, false);
    assert.equal(r.cancelled, false);
    assert.equal(r.truncated, false);
    assert.ok(r.durationMs >= 0 && r.durationMs < 20000);
  });

  it('reports exit codes 0 and 42, and a failure for a missing binary', async () => {
    const ok = await run({ cmd: ['true'] });
    assert.equal(ok.exitCode, 0);
    assert.equal(ok.stdout, '');
    const py = await run({ cmd: ['python3', '-c', 'import sys; print("bye"); sys.exit(42)'] });
    assert.equal(py.exitCode, 42);
    assert.equal(py.stdout, 'bye\n');
    const missing = await run({ cmd: ['/no/such/binary'] });
    assert.ok(missing.exitCode !== null && missing.exitCode !== 0, `exit code ${missing.exitCode}`);
  });

  it('passes argv through untouched (no shell on our side)', async () => {
    const args = ['a b', '$HOME', "it's", '"q"', '*', ''];
    const r = await run({ cmd: ['python3', '-c', 'import json, sys; print(json.dumps(sys.argv[1:]))', ...args] });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), args);
  });

  it('honours env, workingDir and user', async () => {
    const script = 'printf "%s|%s|%s|%s" "$GREETING" "$(pwd)" "$(id -u)" "$(id -un)"';
    const asUbuntu = await run({ cmd: ['sh', '-c', script], env: { GREETING: 'hello world; $HOME' }, workingDir: '/home/dynamo/notes', user: 'ubuntu' });
    assert.equal(asUbuntu.exitCode, 0, asUbuntu.stderr);
    assert.equal(asUbuntu.stdout, 'hello world; $HOME|/home/dynamo/notes|1000|ubuntu');
    const asDynamo = await run({ cmd: ['sh', '-c', script], workingDir: '/tmp', user: '1001:1001' });
    assert.equal(asDynamo.stdout, '|/tmp|1001|dynamo');
    const asDefault = await run({ cmd: ['sh', '-c', script] });
    assert.equal(asDefault.stdout, '|/|0|root');
  });

  it('streams output to the callbacks while the command is still running', async () => {
    const chunks: { stream: 'out' | 'err'; text: string; at: number }[] = [];
    const t0 = Date.now();
    const r = await run({
      cmd: ['sh', '-c', 'echo one; sleep 1; echo two >&2; sleep 1; echo three'],
      onStdout: (text) => chunks.push({ stream: 'out', text, at: Date.now() - t0 }),
      onStderr: (text) => chunks.push({ stream: 'err', text, at: Date.now() - t0 }),
    });
    const ended = Date.now() - t0;
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, 'one\nthree\n');
    assert.equal(r.stderr, 'two\n');
    assert.equal(chunks.filter((c) => c.stream === 'out').map((c) => c.text).join(''), 'one\nthree\n');
    assert.equal(chunks.filter((c) => c.stream === 'err').map((c) => c.text).join(''), 'two\n');
    const first = chunks[0];
    assert.ok(first && first.text.startsWith('one'), 'the first chunk is the first line');
    assert.ok(first.at < ended - 1500, `first chunk at ${first.at} ms, command ended at ${ended} ms`);
    const two = chunks.find((c) => c.stream === 'err');
    assert.ok(two && two.at < ended - 500, `stderr chunk at ${two?.at} ms, command ended at ${ended} ms`);
  });

  it('on timeout, kills the command and the background child it started (SIGKILL for one ignoring SIGTERM)', async () => {
    const token = `tmo-${randomBytes(6).toString('hex')}`;
    const pending = run({ cmd: treeCommand(token), timeoutMs: 3000, killGraceMs: 500 });
    // both processes are really there before the timeout fires (so the check below can fail)
    await waitFor(async () => isWholeTree(await processesWith(token), token), { timeoutMs: 2500, intervalMs: 100, what: 'the shell and both children to run' });
    const r = await pending;
    assert.equal(r.timedOut, true);
    assert.equal(r.cancelled, false);
    assert.notEqual(r.exitCode, 0);
    assert.equal(r.stdout, 'started\n');
    assert.ok(r.durationMs >= 3000 && r.durationMs < 15000, `took ${r.durationMs} ms`);
    assert.deepEqual(await processesWith(token), [], 'no process of the timed-out command is left');
  });

  it('on abort, kills the command and its background child, and reports cancelled', async () => {
    const token = `abt-${randomBytes(6).toString('hex')}`;
    const ac = new AbortController();
    const pending = run({ cmd: treeCommand(token), signal: ac.signal, killGraceMs: 500 });
    await waitFor(async () => isWholeTree(await processesWith(token), token), { timeoutMs: 10000, intervalMs: 100, what: 'the shell and both children to run' });
    const abortedAt = Date.now();
    ac.abort();
    const r = await pending;
    assert.equal(r.cancelled, true);
    assert.equal(r.timedOut, false);
    assert.notEqual(r.exitCode, 0);
    assert.ok(Date.now() - abortedAt < 10000, `returned ${Date.now() - abortedAt} ms after the abort`);
    assert.deepEqual(await processesWith(token), [], 'no process of the cancelled command is left');
  });

  it('with an already aborted signal, runs nothing', async () => {
    const marker = `/tmp/never-${randomBytes(6).toString('hex')}`;
    const ac = new AbortController();
    ac.abort();
    const r = await run({ cmd: ['touch', marker], signal: ac.signal });
    assert.equal(r.cancelled, true);
    assert.equal(r.exitCode, null);
    const check = await run({ cmd: ['test', '-e', marker] });
    assert.equal(check.exitCode, 1, 'the command did not run');
  });

  it('returns multi-MB output whole, and cuts it at maxBuffer while the callback still sees everything', async () => {
    const size = 5 * 1000 * 1000;
    const cmd = ['python3', '-c', `import sys; sys.stdout.write("x" * ${size}); sys.stderr.write("done")`];
    const whole = await run({ cmd });
    assert.equal(whole.exitCode, 0);
    assert.equal(whole.stdout.length, size);
    assert.ok(/^x+$/.test(whole.stdout));
    assert.equal(whole.stderr, 'done');
    assert.equal(whole.truncated, false);

    let seen = 0;
    const cut = await run({ cmd, maxBuffer: 1024 * 1024, onStdout: (c) => (seen += c.length) });
    assert.equal(cut.exitCode, 0);
    assert.equal(cut.truncated, true);
    assert.equal(cut.stdout.length, 1024 * 1024);
    assert.equal(seen, size);
    assert.equal(cut.stderr, 'done');
  });

  it('decodes multi-byte UTF-8 split across stream chunks', async () => {
    const n = 1500000; // 3 MB of two-byte characters: many chunk boundaries fall inside one
    const r = await run({ cmd: ['python3', '-c', `import sys; sys.stdout.write("\\u00e9" * ${n})`], env: { PYTHONIOENCODING: 'utf-8' } });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout.length, n);
    assert.equal(r.stdout, 'é'.repeat(n));
  });
});
