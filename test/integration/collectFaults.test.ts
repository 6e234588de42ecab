// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Collect Metrics when things go wrong, for real: the fake Dynamo stack's fault knobs (never ready, a
// crash before and during the soak, HTTP 500s, empty and slow /metrics), ports already taken, a server
// that starts processes while being stopped, the container stopped mid-run, and the Docker engine
// restarted mid-run. Every case must end with a clear error naming the failed step, a clean-up that left
// nothing running or bound, and the notes folder byte for byte as it was.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { CollectResult } from '../../src/core/inference/collect';
import {
  assertNothingLeft,
  assertSameFiles,
  BE_PORT,
  closeCollectFixture,
  closeServer,
  exec,
  failedStep,
  FE_PORT,
  killInContainer,
  leftovers,
  listenInContainer,
  listenOn,
  LOCK_DIR,
  openCollectFixture,
  portInUse,
  request,
  runCollect,
  seedNotes,
  snapshot,
  stepList,
  stepOf,
  type CollectFixture,
} from './collectHelpers';
import { dockerdProcess, engineAnswers, privateEngineOf, restartContainers, restartPrivateEngine, runningContainers, secondPrivateEngine, startDockerd, startedForThisRun, type DockerdProcess, type PrivateEngine } from './engineRestart';

const STEPS = ['start', 'ready', 'soak', 'scrape', 'save', 'cleanup'];

describe('Collect Metrics: faults, conflicts, a container or engine going away (real engine)', function () {
  this.timeout(90000);
  let c: CollectFixture;
  let seeded: Map<string, Buffer>;
  const listeners = new Set<Server>();
  const inContainer = new Set<number>();

  async function rescue(fx: CollectFixture): Promise<void> {
    const left = await leftovers(fx).catch(() => null);
    const pids = [...(left?.marked ?? []), ...(left?.dynamo ?? [])].map((l) => l.split(' ')[0]!);
    if (pids.length) await exec(fx, ['kill', '-KILL', ...pids]).catch(() => undefined);
    await exec(fx, ['rm', '-rf', LOCK_DIR]).catch(() => undefined);
  }

  /** The failed step and the clean-up after it: a clear error, nothing left, notes untouched. */
  async function assertFailedCleanly(result: CollectResult, step: string, error: RegExp): Promise<void> {
    assert.equal(result.cancelled, false);
    assert.match(result.error ?? '', error);
    const failed = failedStep(result);
    assert.equal(failed.name, step, stepList(result).join(', '));
    assert.equal(failed.detail, result.error, 'the step says what the run says');
    const fw = result.frameworks[0]?.framework ?? 'vllm';
    const done = ['run:preflight:ok', ...STEPS.slice(0, STEPS.indexOf(step)).map((s) => `${fw}:${s}:ok`)];
    assert.deepEqual(stepList(result), [...done, `${fw}:${step}:failed`, `${fw}:cleanup:ok`], 'the clean-up follows the failed step');
    assert.match(stepOf(result, 'cleanup').detail, /^(stopped \d+ process(es)? of this run|no process of this run was left); ports 8000, 8081 free$/);
    assert.deepEqual(result.files, []);
    await assertNothingLeft(c);
    assertSameFiles(c.notes, seeded);
  }

  before(async function () {
    this.timeout(120000);
    c = await openCollectFixture('faults');
  });
  beforeEach(async () => {
    rmSync(c.notes, { recursive: true, force: true });
    seeded = seedNotes(c.notes);
    await exec(c, ['sh', '-c', 'rm -f /tmp/inference-*.log']);
  });
  afterEach(async function () {
    this.timeout(30000);
    for (const s of [...listeners]) {
      await closeServer(s);
      listeners.delete(s);
    }
    for (const pid of [...inContainer]) {
      await killInContainer(c, pid).catch(() => undefined);
      inContainer.delete(pid);
    }
    await rescue(c);
  });
  after(async function () {
    this.timeout(60000);
    await closeCollectFixture(c);
  });

  describe('fault knobs of the fake stack', () => {
    it('FAKE_DYNAMO_NEVER_READY with a 3 s ready timeout: ready fails naming the timeout, with the last log lines', async () => {
      const { result } = await runCollect(c, request(c, { readyTimeoutSeconds: 3, serverEnv: { FAKE_DYNAMO_NEVER_READY: '1' } }));
      await assertFailedCleanly(result, 'ready', /^the model was not ready within 3 s \(no "added model" line, \/v1\/models empty\)\. Last lines of \/tmp\/inference-vllm\.log:\n/);
      const tail = result.error!.split('\n').slice(1);
      assert.ok(tail.length >= 5 && tail.length <= 15, `a log tail: ${tail.length} lines`);
      assert.ok(tail.every((l) => l.startsWith('  ')), 'indented');
      assert.ok(tail.some((l) => /INFO dynamo\.vllm\.main: Loading model weights\.\.\. model="Qwen\/Qwen3-0\.6B"$/.test(l)), result.error!);
    });

    it('FAKE_DYNAMO_CRASH_AFTER before the model is ready: ready fails with the ERROR line', async () => {
      const { result } = await runCollect(c, request(c, { serverEnv: { FAKE_DYNAMO_LOAD_MS: '5000', FAKE_DYNAMO_CRASH_AFTER: '0.5' } }));
      await assertFailedCleanly(
        result,
        'ready',
        /^the server logged an error: \S+ ERROR dynamo\.vllm\.main: EngineCore encountered a fatal error: CUDA error: an illegal memory access was encountered \(fake fault FAKE_DYNAMO_CRASH_AFTER=0\.5\) before the model was ready\. Last lines of \/tmp\/inference-vllm\.log:\n/,
      );
      assert.equal(result.frameworks[0]?.model, null);
    });

    it('FAKE_DYNAMO_CRASH_AFTER during the soak: the soak fails at once with the ERROR line (no 5 s requests waited out)', async () => {
      const { result, events } = await runCollect(c, request(c, { frameworks: ['sglang'], serverEnv: { FAKE_DYNAMO_CRASH_AFTER: '3', FAKE_DYNAMO_TOKENS_PER_SEC: '10' } }));
      await assertFailedCleanly(result, 'soak', /^the server logged an error: \S+ ERROR dynamo\.sglang\.main: EngineCore encountered a fatal error: .*FAKE_DYNAMO_CRASH_AFTER=3\) during the soak \(0\/2 requests done\)\. Last lines of \/tmp\/inference-sglang\.log:\n/);
      assert.ok(result.error!.includes('Engine died unexpectedly; exiting with status 1'));
      // stopped by the guard: soak_fe.py prints this line when it has gone through all its requests, even failed ones
      const soakLines = events.flatMap((e) => (e.type === 'log' && e.source === 'soak' ? [e.line] : []));
      assert.ok(soakLines.length > 0, 'the soak output was streamed');
      assert.ok(!soakLines.some((l) => l.includes('All requests completed')), soakLines.join('\n'));
    });

    it('FAKE_DYNAMO_HTTP_500=0.5: the soak fails naming HTTP 500, though soak_fe.py printed its success line', async () => {
      const { result } = await runCollect(c, request(c, { frameworks: ['trtllm'], serverEnv: { FAKE_DYNAMO_HTTP_500: '0.5' } }));
      await assertFailedCleanly(result, 'soak', /^\d+ failed request attempts? \(HTTP 500 ×\d+\), [0-2]\/2 requests succeeded, per \/tmp\/soak_llm\.log \(soak_fe\.py still printed "All requests completed successfully\."\): nothing saved$/);
    });

    it('FAKE_DYNAMO_METRICS_EMPTY: the scrape fails on the empty body; nothing saved', async () => {
      const { result } = await runCollect(c, request(c, { serverEnv: { FAKE_DYNAMO_METRICS_EMPTY: '1' } }));
      await assertFailedCleanly(result, 'scrape', /^the backend's \/metrics on port 8081 answered with an empty body: nothing saved, existing captures kept$/);
    });

    it('FAKE_DYNAMO_METRICS_SLOW beyond the scrape timeout: the scrape fails naming the timeout', async () => {
      const { result } = await runCollect(c, request(c, { scrapeTimeoutSeconds: 1, serverEnv: { FAKE_DYNAMO_METRICS_SLOW: '6' } }));
      await assertFailedCleanly(result, 'scrape', /^the backend's \/metrics on port 8081 could not be read: no answer from 127\.0\.0\.1:8081\/metrics within 1 s$/);
    });

    it('a scrape timeout that is not a whole number of seconds from 1 to 3600 is refused up front', async () => {
      for (const scrapeTimeoutSeconds of [0, 1.5, 3601, Number.NaN]) {
        const { result } = await runCollect(c, request(c, { scrapeTimeoutSeconds }));
        assert.deepEqual(stepList(result), ['run:preflight:failed']);
        assert.match(result.error ?? '', /^scrape timeout \(seconds\) must be a whole number from 1 to 3600 \(got .*\)$/);
      }
      const left = await leftovers(c);
      assert.deepEqual([left.marked, left.dynamo, left.ports], [[], [], []]);
    });
  });

  describe('ports', () => {
    /** Pre-flight refused: nothing was started at all (no server log), the lock was released. */
    async function assertNothingStarted(result: CollectResult, allowPorts: number[]): Promise<void> {
      assert.deepEqual(stepList(result), ['run:preflight:failed']);
      assert.equal((await exec(c, ['sh', '-c', 'ls /tmp/inference-*.log'])).stdout, '', 'no server was started');
      await assertNothingLeft(c, allowPorts);
      assertSameFiles(c.notes, seeded);
    }

    it('port 8000 taken on the host: pre-flight fails naming the port and that its owner is outside the container', async () => {
      listeners.add(await listenOn(FE_PORT));
      const { result } = await runCollect(c, request(c));
      assert.match(result.error ?? '', new RegExp(`^port 8000 is in use by a process not visible in the container \\(on the host or in another container sharing its network\\) in container ${c.name}: stop that server first`));
      await assertNothingStarted(result, [FE_PORT]);
    });

    it('port 8000 taken in the container: pre-flight names the owner (PID and command line)', async () => {
      const pid = await listenInContainer(c, FE_PORT);
      inContainer.add(pid);
      const { result } = await runCollect(c, request(c));
      assert.match(result.error ?? '', new RegExp(`^port 8000 is in use by pid ${pid} \\(python3 -c import socket, sys, time .*\\) in container ${c.name}: stop that server first`));
      await assertNothingStarted(result, [FE_PORT]);
      assert.deepEqual((await leftovers(c)).ports, [FE_PORT], 'the owner was left alone');
    });

    it('port 8081 taken before the run: pre-flight refuses (it wants both ports free)', async () => {
      listeners.add(await listenOn(BE_PORT));
      const { result } = await runCollect(c, request(c));
      assert.match(result.error ?? '', /^port 8081 is in use by a process not visible in the container/);
      await assertNothingStarted(result, [BE_PORT]);
    });

    it('port 8081 taken right after the pre-flight: inference.sh moves the backend to 8082, and the run scrapes 8082', async () => {
      let taking: Promise<Server> | null = null;
      const { result } = await runCollect(c, request(c), {
        onEvent: (e) => {
          if (e.type === 'step' && e.step.name === 'preflight' && e.step.status === 'ok') taking = listenOn(BE_PORT);
        },
      });
      assert.ok(taking);
      listeners.add(await (taking as Promise<Server>));
      assert.equal(result.error, null, result.error ?? '');
      assert.deepEqual(stepList(result), ['run:preflight:ok', ...STEPS.map((s) => `vllm:${s}:ok`)]);
      assert.match(stepOf(result, 'ready').detail, /; backend port 8082; /);
      assert.match(stepOf(result, 'scrape').detail, /^port 8082: \d+ lines; frontend port 8000: \d+ lines$/);
      assert.match(stepOf(result, 'cleanup').detail, /; ports 8000, 8082 free$/);
      const capture = readFileSync(join(c.notes, 'metrics-vllm.log'), 'utf8');
      assert.match(capture, /^vllm:e2e_request_latency_seconds_count\{.*\} 2(\.0)?$/m, 'the vllm worker on 8082 was scraped');
      assert.equal(await portInUse(BE_PORT), true, 'our listener on 8081 was left alone');
      await assertNothingLeft(c, [BE_PORT]);
    });
  });

  it('a process the server starts while it is being stopped is stopped too, without waiting for SIGKILL', async () => {
    // like inference.sh caught half-way, whose TERM trap does not exit: here the trap starts one more process
    const serverCommand = '${utils}/inference.sh --framework ${framework} & trap "sleep 300 & exit 0" TERM; while :; do sleep 0.2; done';
    const { result } = await runCollect(c, request(c, { serverCommand, requestsPerWorker: 1 }));
    assert.equal(result.error, null, result.error ?? '');
    const cleanup = stepOf(result, 'cleanup');
    assert.equal(cleanup.status, 'ok');
    assert.match(cleanup.detail, /^stopped \d+ processes of this run; ports 8000, 8081 free$/, 'no "needed SIGKILL"');
    await assertNothingLeft(c);
  });

  describe('the container or the engine goes away mid-run', () => {
    /**
     * Runs a soak of 5 s per request and calls `disrupt` 1 s into it; the run must end with an error naming
     * the loss, a clean-up that reports nothing left (as a warning), and no exception.
     */
    async function runDisrupted(fx: CollectFixture, disrupt: () => Promise<unknown>): Promise<{ result: CollectResult; ms: number; disrupted: Promise<unknown> }> {
      let disrupted: Promise<unknown> | null = null;
      const run = await runCollect(fx, request(fx, { serverEnv: { FAKE_DYNAMO_TOKENS_PER_SEC: '10' } }), {
        onEvent: (e) => {
          if (e.type === 'step' && e.step.name === 'soak' && e.step.status === 'running') {
            disrupted = new Promise((r) => setTimeout(r, 1000)).then(disrupt);
            disrupted.catch(() => undefined);
          }
        },
      });
      assert.ok(disrupted, stepList(run.result).join(', '));
      return { ...run, disrupted };
    }

    /** After the container is running again: nothing survived, and a new run works (the lock left behind is taken over). */
    async function assertUsableAgain(fx: CollectFixture): Promise<void> {
      const left = await leftovers(fx);
      assert.deepEqual([left.marked, left.dynamo, left.ports], [[], [], []], 'a restarted container runs none of it');
      const again = await runCollect(fx, request(fx, { requestsPerWorker: 1, maxTokens: 10 }));
      assert.equal(again.result.error, null, again.result.error ?? '');
      await assertNothingLeft(fx);
    }

    it('docker stop during the soak: "container … is not running", the clean-up reports nothing left, no exception', async () => {
      const container = c.docker.getContainer(c.id);
      const { result, disrupted } = await runDisrupted(c, () => container.stop({ t: 2 }));
      await disrupted;
      try {
        assert.equal(result.cancelled, false);
        // from the failed exec itself (409), or from the state check after a soak killed with 137
        assert.match(result.error ?? '', new RegExp(`^container ${c.name} is not running any more \\((exited, exit code \\d+\\); |Container [0-9a-f]+ is not running)`));
        assert.equal(failedStep(result).name, 'soak');
        const cleanup = stepOf(result, 'cleanup');
        assert.equal(cleanup.status, 'warning');
        assert.match(cleanup.detail, new RegExp(`^container ${c.name} is not running any more \\(Container [0-9a-f]+ is not running\\): nothing of this run is left running$`));
        assert.deepEqual(result.files, []);
        assertSameFiles(c.notes, seeded);
        assert.equal((await container.inspect()).State.Running, false);
      } finally {
        if (!(await container.inspect()).State.Running) await container.start();
      }
      await assertUsableAgain(c);
    });

    /*
     * The engine restart. The engine the tests run against is restarted only when it is the private dockerd
     * scripts/with-docker.mjs started for this very run (CI, `npm test`, `npm run test:integration` on a
     * machine without a system engine): nobody else uses it, and with-docker.mjs stops it by its pidfile,
     * which the restarted dockerd rewrites. Any other engine (a system or remote one, or a private one
     * reused through DOCKER_HOST, which other runs may share) is never restarted: then this test starts a
     * second private dockerd of its own (with-docker.mjs's startPrivateDockerd; needs root and dockerd, like
     * the harness), copies the test image into it, makes a fixture there and restarts that one. Either way
     * the same assertions run; the test is never skipped.
     */
    describe('the Docker engine restarted', () => {
      let engine: PrivateEngine;
      let proc: DockerdProcess;
      let fx: CollectFixture;
      let docker: Docker;
      let second: Awaited<ReturnType<typeof secondPrivateEngine>> | null = null;
      let secondRoot: string | null = null;
      let wasRunning: string[] = [];

      before(async function () {
        this.timeout(180000);
        const own = privateEngineOf(process.env.DOCKER_HOST);
        if (own && startedForThisRun(own)) {
          engine = own;
          fx = c;
          docker = c.docker;
        } else {
          const fixtures = await import('../support/fixtures.mjs');
          second = await secondPrivateEngine(c.docker, fixtures.testImage());
          const found = privateEngineOf(second.url);
          assert.ok(found, `the second engine at ${second.url} is a private one`);
          engine = found;
          docker = second.docker;
          secondRoot = mkdtempSync(join(tmpdir(), 'dynamo-it-engine-'));
          const made = await fixtures.createDevContainerFixture({ root: secondRoot, prefix: fixtures.uniquePrefix('dyn-it-engine'), docker, fakeDynamo: true });
          fx = { root: secondRoot, fx: made, docker, id: made.containers.dynamo1.id, name: made.containers.dynamo1.name, notes: join(made.root, 'notes') };
        }
        proc = dockerdProcess(engine);
      });

      after(async function () {
        this.timeout(120000);
        // whatever happened above, the engine answers again and its containers run as before
        if (!(await engineAnswers(engine))) await startDockerd(engine, proc);
        await restartContainers(docker, wasRunning);
        if (second) {
          await fx.fx.cleanup().catch(() => undefined);
          await second.destroy();
          if (secondRoot) rmSync(secondRoot, { recursive: true, force: true });
        }
      });

      it('mid-soak: the run fails naming the loss, the clean-up waits for the engine and reports the container stopped, no exception', async () => {
        this.timeout(120000);
        if (fx !== c) seedNotes(fx.notes);
        const before = snapshot(fx.notes);
        wasRunning = await runningContainers(docker);
        assert.ok(wasRunning.includes(fx.id));
        const { result, disrupted } = await runDisrupted(fx, () => restartPrivateEngine(engine, proc));
        const times = (await disrupted) as Awaited<ReturnType<typeof restartPrivateEngine>>;
        assert.notEqual(times.newPid, times.oldPid);
        assert.equal(result.cancelled, false);
        assert.match(result.error ?? '', new RegExp(`^(the Docker engine stopped answering \\(\\w+\\)|container ${fx.name} is not running any more \\(.*\\))`), result.error ?? '');
        assert.equal(failedStep(result).name, 'soak');
        const cleanup = stepOf(result, 'cleanup');
        assert.equal(cleanup.status, 'warning', cleanup.detail);
        assert.match(cleanup.detail, new RegExp(`^container ${fx.name} is not running any more \\(.*\\): nothing of this run is left running$`));
        assert.deepEqual(result.files, []);
        assertSameFiles(fx.notes, before);

        // the engine answers again; its containers were stopped by the restart and are started again
        assert.ok(await engineAnswers(engine));
        assert.equal((await docker.getContainer(fx.id).inspect()).State.Running, false);
        const started = await restartContainers(docker, wasRunning);
        assert.ok(started.includes(fx.id));
        for (const id of wasRunning) assert.equal((await docker.getContainer(id).inspect()).State.Running, true, `container ${id.slice(0, 12)} runs again`);
        await assertUsableAgain(fx);
      });
    });
  });
});
