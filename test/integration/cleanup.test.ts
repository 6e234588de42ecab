// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// "Clean up inference processes" on its own (the `dynamo` cleanup task), against the fake Dynamo stack in a
// real dev container: the stack's processes go, look-alikes that are not Dynamo servers stay.
import * as assert from 'node:assert/strict';
import { cleanupInference } from '../../src/core/inference/cleanup';
import { ContainerShell } from '../../src/core/inference/containerOps';
import { BE_PORT, closeCollectFixture, exec, FAST_ENV, FE_PORT, killInContainer, leftovers, listenInContainer, openCollectFixture, portInUse, type CollectFixture } from './collectHelpers';

/** Starts a process whose command line is exactly `argv` (python3 sleeping), detached; resolves its PID. */
async function lookAlike(c: CollectFixture, argv0: string, ...args: string[]): Promise<number> {
  const r = await exec(c, ['sh', '-c', 'nohup python3 -c "import time; time.sleep(600)" "$@" > /dev/null 2>&1 < /dev/null & echo $!', argv0, ...args]);
  return Number(r.stdout.trim());
}

const alive = async (c: CollectFixture, pid: number) => (await exec(c, ['sh', '-c', 'st=$(cut -d")" -f2 /proc/$1/stat 2>/dev/null | cut -c2); [ -n "$st" ] && [ "$st" != Z ]', 'sh', String(pid)])).exitCode === 0;

describe('Clean up inference processes (real engine, fake Dynamo stack)', function () {
  this.timeout(90000);
  let c: CollectFixture;
  let shell: ContainerShell;
  const spare: number[] = [];

  before(async function () {
    this.timeout(120000);
    c = await openCollectFixture('cleanup');
    shell = new ContainerShell(c.docker, c.id, c.name);
  });
  after(async function () {
    this.timeout(60000);
    for (const pid of spare) await killInContainer(c, pid).catch(() => undefined);
    await closeCollectFixture(c);
  });

  it('stops the running stack (frontend and worker, by pattern and by port) and leaves look-alikes and foreign listeners alone', async () => {
    await exec(c, ['sh', '-c', 'cd /home/dynamo/utils && nohup ./inference.sh --framework vllm > /tmp/inference-vllm.log 2>&1 < /dev/null &'], FAST_ENV);
    for (let i = 0; i < 200 && !((await portInUse(FE_PORT)) && (await portInUse(BE_PORT))); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok((await leftovers(c)).dynamo.length >= 2, 'the stack runs');
    // a pytest of test_vllm.py and an IDE server mentioning dynamo.frontend: a broad pkill would hit both
    const pytest = await lookAlike(c, 'pytest', 'tests/test_vllm.py', 'sglang');
    const ide = await lookAlike(c, 'node', '/home/dynamo/.vscode-server/bin/server.js', 'python', '-m', 'dynamo.frontend');
    const foreign = await listenInContainer(c, 8082);
    spare.push(pytest, ide, foreign);

    const lines: string[] = [];
    const r = await cleanupInference(shell, { onLine: (l) => lines.push(l) });
    assert.ok(r.stopped.some((p) => /-m dynamo\.frontend/.test(p.cmdline)), lines.join('\n'));
    assert.ok(r.stopped.some((p) => /-m dynamo\.vllm/.test(p.cmdline)), lines.join('\n'));
    assert.ok(!r.stopped.some((p) => [pytest, ide, foreign].includes(p.pid)), 'no look-alike was signalled');
    assert.deepEqual(r.killed, [], 'SIGTERM was enough');
    assert.deepEqual(r.freePorts, [FE_PORT, BE_PORT]);
    assert.deepEqual(r.busy.map((b) => [b.port, b.owners.map((o) => o.pid)]), [[8082, [foreign]]]);
    assert.ok(lines.some((l) => /^Still in use: port 8082 by \d+ \(python3 -c import socket.*not a Dynamo process, left alone$/.test(l)), lines.join('\n'));
    assert.deepEqual((await leftovers(c)).dynamo.filter((l) => !l.startsWith(`${ide} `)), [], 'only the IDE look-alike (which mentions -m dynamo.frontend) is left');
    for (const pid of [pytest, ide, foreign]) assert.equal(await alive(c, pid), true, `PID ${pid} survived`);
  });

  it('says so when there is nothing to stop, and touches nothing', async () => {
    const lines: string[] = [];
    const r = await cleanupInference(shell, { ports: [FE_PORT], onLine: (l) => lines.push(l) });
    assert.deepEqual(r.stopped.filter((p) => !spare.includes(p.pid)), []);
    assert.equal(lines[0], `No Dynamo inference processes in ${c.name}.`);
    for (const pid of spare) assert.equal(await alive(c, pid), true);
  });

  it('SIGKILLs a Dynamo process that ignores SIGTERM after the grace period', async () => {
    const r0 = await exec(c, ['sh', '-c', 'nohup python3 -c "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)" -m dynamo.sglang > /dev/null 2>&1 < /dev/null & echo $!']);
    const pid = Number(r0.stdout.trim());
    // python3 -c … -m dynamo.sglang: sys.argv holds "-m dynamo.sglang", which is what the narrow pattern sees
    const r = await cleanupInference(shell, { ports: [], graceMs: 500 });
    assert.deepEqual(r.stopped.map((p) => p.pid), [pid]);
    assert.deepEqual(r.killed, [pid]);
    assert.equal(await alive(c, pid), false);
  });
});
