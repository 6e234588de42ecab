// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Collect Metrics end to end: the real procedure (src/core/inference/collect.ts) against the real engine
// and the fake Dynamo stack in a dev container: every framework, "all" with the built-in soak, backups of
// earlier captures, cancelling in each step, two runs on one container, hostile values, and the CLI.
// Faults, port conflicts and a container or engine going away are in collectFaults.test.ts.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:net';
import type { CollectEvent, CollectResult } from '../../src/core/inference/collect';
import { renderTemplate } from '../../src/core/inference/shell';
import { isSoakReport, type SoakReport } from '../../src/core/inference/soakReport';
import { parseExposition } from '../../src/core/metrics/parser';
import {
  assertEventOrder,
  assertNothingLeft,
  assertSameFiles,
  closeCollectFixture,
  closeServer,
  exec,
  leftovers,
  LOCK_DIR,
  MODEL,
  openCollectFixture,
  request,
  runCollect,
  seedNotes,
  snapshot,
  stepList,
  stepOf,
  type CollectFixture,
} from './collectHelpers';

const FRAMEWORKS = ['vllm', 'sglang', 'trtllm'] as const;
type Framework = (typeof FRAMEWORKS)[number];
const STEPS = ['start', 'ready', 'soak', 'scrape', 'save', 'cleanup'];
/** The engine's end-to-end latency histogram: its _count is the requests the worker served. */
const E2E: Record<Framework, string> = { vllm: 'vllm:e2e_request_latency_seconds', sglang: 'sglang:e2e_request_latency_seconds', trtllm: 'trtllm_e2e_request_latency_seconds' };
const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
/** test/fake-dynamo (what the fixture installs as the utils folder). */
const FAKE_DYNAMO_DIR = join(ROOT, 'test', 'fake-dynamo');

/** Σ of a family's samples named `<family><suffix>`. */
function total(text: string, family: string, suffix = ''): number {
  const f = parseExposition(text).families.find((x) => x.name === family);
  assert.ok(f, `family ${family} is in the capture`);
  const samples = f.samples.filter((s) => s.name === family + suffix);
  assert.ok(samples.length > 0, `${family}${suffix} has samples`);
  return samples.reduce((n, s) => n + s.value, 0);
}

function readSoak(file: string): SoakReport {
  const x: unknown = JSON.parse(readFileSync(file, 'utf8'));
  assert.ok(isSoakReport(x), `${file} is a soak report`);
  return x;
}

/** Newest modification time under `dir` (ms). */
function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newest(p) : st.mtimeMs);
  }
  return t;
}

describe('Collect Metrics: the real procedure on the fake Dynamo stack (real engine)', function () {
  this.timeout(90000);
  let c: CollectFixture;
  const listeners = new Set<Server>();

  /** Kills whatever a failed test left in the container, so the next test starts clean. */
  async function rescue(): Promise<void> {
    for (const s of [...listeners]) {
      await closeServer(s);
      listeners.delete(s);
    }
    const left = await leftovers(c).catch(() => null);
    const pids = [...(left?.marked ?? []), ...(left?.dynamo ?? [])].map((l) => l.split(' ')[0]!);
    if (pids.length) await exec(c, ['kill', '-KILL', ...pids]);
    await exec(c, ['rm', '-rf', LOCK_DIR]);
  }

  before(async function () {
    this.timeout(120000);
    c = await openCollectFixture('collect');
  });
  beforeEach(() => {
    rmSync(c.notes, { recursive: true, force: true });
    mkdirSync(c.notes, { recursive: true });
  });
  afterEach(async function () {
    this.timeout(30000);
    await rescue();
  });
  after(async function () {
    this.timeout(60000);
    await closeCollectFixture(c);
  });

  describe('the whole procedure', () => {
    for (const fw of FRAMEWORKS) {
      it(`${fw}: every step ok in order; capture, frontend capture and soak report saved; nothing left running`, async () => {
        const { result, events } = await runCollect(c, request(c, { frameworks: [fw] }));
        assert.equal(result.error, null, result.error ?? '');
        assert.equal(result.cancelled, false);
        assert.deepEqual(stepList(result), ['run:preflight:ok', ...STEPS.map((s) => `${fw}:${s}:ok`)]);
        assertEventOrder(result, events);
        assert.deepEqual(result.container, { id: c.id, name: c.name });
        assert.equal(result.notesDir, c.notes);
        assert.match(stepOf(result, 'preflight', null).detail, /utils \/home\/dynamo\/utils, notes .*ports 8000 and 8081 free, ports reachable from this machine at 127\.0\.0\.1/);
        assert.match(stepOf(result, 'ready').detail, /^model Qwen\/Qwen3-0\.6B after [\d.]+ s \("added model" in the log\); backend port 8081; \d+ processes/);
        assert.match(stepOf(result, 'soak').detail, /^2\/2 requests succeeded in [\d.]+ s, no failed attempts/);
        assert.match(stepOf(result, 'cleanup').detail, /^stopped \d+ process(es)? of this run; ports 8000, 8081 free$/);

        const capture = join(c.notes, `metrics-${fw}.log`);
        const frontend = join(c.notes, `metrics-${fw}-frontend.log`);
        const soak = join(c.notes, `metrics-${fw}.soak.json`);
        assert.deepEqual(result.files, [capture, frontend, soak]);
        assert.deepEqual(result.frameworks, [{ framework: fw, ok: true, files: [capture, frontend, soak], error: null, model: MODEL }]);
        assert.deepEqual(readdirSync(c.notes).sort(), [`metrics-${fw}-frontend.log`, `metrics-${fw}.log`, `metrics-${fw}.soak.json`]);

        const text = readFileSync(capture, 'utf8');
        const parsed = parseExposition(text);
        assert.deepEqual(parsed.diagnostics, []);
        assert.equal(total(text, E2E[fw], '_count'), 2, 'the worker served exactly the 2 soak requests');
        assert.ok(total(text, E2E[fw], '_sum') > 0);
        assert.ok(parsed.families.some((f) => f.name.startsWith('dynamo_component_')), 'the Dynamo component families are there too');
        const fe = readFileSync(frontend, 'utf8');
        assert.equal(total(fe, 'dynamo_frontend_requests_total'), 2);
        assert.equal(total(fe, 'dynamo_frontend_output_tokens_total'), 100, '2 requests × 50 tokens');

        const report = readSoak(soak);
        assert.equal(report.engine, 'script');
        assert.equal(report.framework, fw);
        assert.equal(report.model, MODEL);
        assert.deepEqual(report.requests, { total: 2, succeeded: 2, failed: 0, errors: {} });
        assert.deepEqual(report.params, { maxTokens: 50, requestsPerWorker: 2, workers: 1, stream: false });
        assert.equal(report.e2e?.count, 2);
        assert.ok(report.target.includes('soak_fe.py --max-tokens 50 --requests_per_worker 2 --workers 1 --port 8000'), report.target);
        assert.deepEqual(report.perRequest.map((r) => [r.worker, r.request, r.ok]), [
          [1, 1, true],
          [1, 2, true],
        ]);

        await assertNothingLeft(c);
      });
    }

    it('"all" with the built-in soak (2 workers): vllm → sglang → trtllm, each captured with client TTFT/ITL percentiles', async () => {
      const { result, events } = await runCollect(c, request(c, { frameworks: ['vllm', 'sglang', 'trtllm'], soak: 'builtin', workers: 2, maxTokens: 20 }));
      assert.equal(result.error, null, result.error ?? '');
      assert.deepEqual(stepList(result), ['run:preflight:ok', ...FRAMEWORKS.flatMap((fw) => STEPS.map((s) => `${fw}:${s}:ok`))]);
      assertEventOrder(result, events);
      assert.deepEqual(
        result.frameworks.map((f) => [f.framework, f.ok, f.error]),
        FRAMEWORKS.map((fw) => [fw, true, null]),
      );
      for (const fw of FRAMEWORKS) {
        const capture = join(c.notes, `metrics-${fw}.log`);
        assert.ok(result.files.includes(capture));
        assert.equal(total(readFileSync(capture, 'utf8'), E2E[fw], '_count'), 4, `${fw}: 2 workers × 2 requests`);
        assert.equal(total(readFileSync(join(c.notes, `metrics-${fw}-frontend.log`), 'utf8'), 'dynamo_frontend_output_tokens_total'), 80);
        const report = readSoak(join(c.notes, `metrics-${fw}.soak.json`));
        assert.equal(report.engine, 'builtin');
        assert.equal(report.framework, fw);
        assert.equal(report.target, 'http://127.0.0.1:8000/v1/chat/completions');
        assert.deepEqual(report.requests, { total: 4, succeeded: 4, failed: 0, errors: {} });
        assert.equal(report.outputTokens, 80);
        for (const [name, p] of Object.entries({ ttft: report.ttft, itl: report.itl, e2e: report.e2e })) {
          assert.ok(p, `${fw} ${name} percentiles`);
          assert.ok(p.count > 0 && p.min <= p.p50 && p.p50 <= p.p90 && p.p90 <= p.p99 && p.p99 <= p.max, `${fw} ${name}: ${JSON.stringify(p)}`);
        }
        assert.equal(report.ttft?.count, 4);
        assert.equal(report.itl?.count, 4 * 19, 'ITL gaps: 19 per 20-token response');
        assert.ok((report.ttft?.p50 ?? 0) >= 0.015, 'TTFT includes the fake 20 ms first-token delay');
        assert.match(stepOf(result, 'soak', fw).detail, /^4\/4 requests in [\d.]+ s; client TTFT p50 [\d.]+ ms, ITL p50 [\d.]+ ms, \d+ tok\/s$/);
      }
      await assertNothingLeft(c);
    });

    it('keeps an existing capture as <file>.<YYYY-MM-DD>.bak; with that taken, as .1.bak, the first .bak untouched', async () => {
      const day = new Date(2026, 2, 4, 5, 6, 7); // backups are named by the local date
      writeFileSync(join(c.notes, 'metrics-vllm.log'), 'old vllm capture\n');
      writeFileSync(join(c.notes, 'metrics-vllm.log.2026-03-04.bak'), 'older vllm capture\n');
      writeFileSync(join(c.notes, 'metrics-sglang.log'), 'old sglang capture\n');
      const { result } = await runCollect(c, request(c, { frameworks: ['vllm', 'sglang'], requestsPerWorker: 1 }), { now: () => day });
      assert.equal(result.error, null, result.error ?? '');
      const read = (f: string) => readFileSync(join(c.notes, f), 'utf8');
      assert.equal(read('metrics-vllm.log.2026-03-04.bak'), 'older vllm capture\n', 'the first backup is untouched');
      assert.equal(read('metrics-vllm.log.2026-03-04.1.bak'), 'old vllm capture\n');
      assert.equal(read('metrics-sglang.log.2026-03-04.bak'), 'old sglang capture\n');
      assert.equal(total(read('metrics-vllm.log'), E2E.vllm, '_count'), 1);
      assert.equal(total(read('metrics-sglang.log'), E2E.sglang, '_count'), 1);
      assert.ok(stepOf(result, 'save', 'vllm').detail.endsWith(`; kept the previous as ${join(c.notes, 'metrics-vllm.log.2026-03-04.1.bak')}`), stepOf(result, 'save', 'vllm').detail);
      assert.ok(stepOf(result, 'save', 'sglang').detail.endsWith(`; kept the previous as ${join(c.notes, 'metrics-sglang.log.2026-03-04.bak')}`));
      assert.equal(readSoak(join(c.notes, 'metrics-vllm.soak.json')).startedAt, day.toISOString());
      assert.deepEqual(readdirSync(c.notes).sort(), [
        'metrics-sglang-frontend.log',
        'metrics-sglang.log',
        'metrics-sglang.log.2026-03-04.bak',
        'metrics-sglang.soak.json',
        'metrics-vllm-frontend.log',
        'metrics-vllm.log',
        'metrics-vllm.log.2026-03-04.1.bak',
        'metrics-vllm.log.2026-03-04.bak',
        'metrics-vllm.soak.json',
      ]);
      await assertNothingLeft(c);
    });
  });

  describe('cancelling', () => {
    /**
     * Aborts `delayMs` after the event stream reports `step` of `framework` running, with the knobs that
     * make that step last; then the step is cancelled, the clean-up ran, nothing is left, notes untouched.
     */
    const cases: { step: 'start' | 'ready' | 'soak' | 'scrape'; env: Record<string, string>; delayMs: number; why: string }[] = [
      { step: 'start', env: {}, delayMs: 0, why: 'while the launch exec is being created' },
      { step: 'ready', env: { FAKE_DYNAMO_NEVER_READY: '1' }, delayMs: 700, why: 'the model never loads' },
      { step: 'soak', env: { FAKE_DYNAMO_TOKENS_PER_SEC: '10' }, delayMs: 700, why: '5 s per request' },
      { step: 'scrape', env: { FAKE_DYNAMO_METRICS_SLOW: '20' }, delayMs: 700, why: '/metrics answers after 20 s' },
    ];
    for (const k of cases) {
      it(`during ${k.step} (${k.why}): the step is cancelled, the clean-up runs, nothing is left, notes untouched`, async () => {
        const before = seedNotes(c.notes);
        const ac = new AbortController();
        let abortedAt = 0;
        await exec(c, ['rm', '-f', '/tmp/inference-vllm.log']);
        const { result, events } = await runCollect(c, request(c, { serverEnv: k.env }), {
          signal: ac.signal,
          onEvent: (e: CollectEvent) => {
            if (e.type === 'step' && e.step.name === k.step && e.step.status === 'running') {
              const abort = () => {
                abortedAt = Date.now();
                ac.abort();
              };
              if (k.delayMs === 0) setImmediate(abort);
              else setTimeout(abort, k.delayMs);
            }
          },
        });
        assert.ok(abortedAt > 0);
        assert.equal(result.cancelled, true);
        assert.equal(result.error, 'cancelled');
        const order = ['start', 'ready', 'soak', 'scrape'];
        const done = order.slice(0, order.indexOf(k.step)).map((s) => `vllm:${s}:ok`);
        const list = stepList(result);
        assert.deepEqual(list.slice(0, -1), ['run:preflight:ok', ...done, `vllm:${k.step}:cancelled`]);
        assert.match(list.at(-1)!, /^vllm:cleanup:ok$/);
        assert.equal(stepOf(result, k.step).detail, 'cancelled');
        assertEventOrder(result, events);
        assert.deepEqual(result.files, []);
        assert.deepEqual(result.frameworks, [{ framework: 'vllm', ok: false, files: [], error: 'cancelled', model: k.step === 'soak' || k.step === 'scrape' ? MODEL : null }]);
        await assertNothingLeft(c);
        assertSameFiles(c.notes, before);
      });
    }

    it('"all", between frameworks: vllm completes and is saved, sglang and trtllm never start', async () => {
      const before = seedNotes(c.notes, 'sglang');
      await exec(c, ['rm', '-f', '/tmp/inference-sglang.log', '/tmp/inference-trtllm.log']);
      const ac = new AbortController();
      const { result, events } = await runCollect(c, request(c, { frameworks: ['vllm', 'sglang', 'trtllm'], requestsPerWorker: 1 }), {
        signal: ac.signal,
        onEvent: (e) => {
          if (e.type === 'step' && e.step.framework === 'vllm' && e.step.name === 'cleanup' && e.step.status === 'running') ac.abort();
        },
      });
      assert.equal(result.cancelled, true);
      assert.equal(result.error, 'cancelled');
      assert.deepEqual(stepList(result), ['run:preflight:ok', ...STEPS.map((s) => `vllm:${s}:ok`)], 'the clean-up ran despite the cancel; nothing of sglang');
      assertEventOrder(result, events);
      assert.deepEqual(result.frameworks.map((f) => f.framework), ['vllm']);
      assert.deepEqual(result.files, ['metrics-vllm.log', 'metrics-vllm-frontend.log', 'metrics-vllm.soak.json'].map((f) => join(c.notes, f)));
      const after = snapshot(c.notes);
      for (const [k, v] of before) assert.ok(after.get(k)?.equals(v), `${k} (sglang's earlier capture) unchanged`);
      assert.deepEqual([...after.keys()].filter((k) => !k.includes('vllm')).sort(), [...before.keys()].sort(), 'nothing of sglang or trtllm written');
      for (const fw of ['sglang', 'trtllm']) assert.equal((await exec(c, ['test', '-e', `/tmp/inference-${fw}.log`])).exitCode, 1, `${fw} was never started`);
      await assertNothingLeft(c);
    });
  });

  describe('one run per container', () => {
    async function writeLock(owner: string): Promise<void> {
      const r = await exec(c, ['sh', '-c', 'mkdir -p "$1" && printf "%s\\n" "$2" > "$1/owner"', 'sh', LOCK_DIR, owner]);
      assert.equal(r.exitCode, 0, r.stderr);
    }
    const lockOwner = async () => (await exec(c, ['cat', `${LOCK_DIR}/owner`])).stdout;

    it('a second run while one is going is refused, naming the first; the first completes normally', async () => {
      let second: Promise<{ result: CollectResult }> | null = null;
      const first = await runCollect(c, request(c, { serverEnv: { FAKE_DYNAMO_TOKENS_PER_SEC: '200' } }), {
        onEvent: (e) => {
          if (e.type === 'step' && e.step.name === 'soak' && e.step.status === 'running') second ??= runCollect(c, request(c, { frameworks: ['sglang'] }));
        },
      });
      assert.ok(second);
      const { result } = await (second as Promise<{ result: CollectResult }>);
      assert.deepEqual(stepList(result), ['run:preflight:failed']);
      assert.match(result.error ?? '', new RegExp(`^a Collect Metrics run \\(vllm, started \\S+\\) is already going on container ${c.name}: wait for it to finish or cancel it$`));
      assert.equal(first.result.error, null, first.result.error ?? '');
      assert.deepEqual(stepList(first.result), ['run:preflight:ok', ...STEPS.map((s) => `vllm:${s}:ok`)]);
      assert.equal(existsSync(join(c.notes, 'metrics-sglang.log')), false);
      await assertNothingLeft(c);
    });

    it("a stale lock (this host, a dead process) is taken over; another host's lock is respected", async () => {
      const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
      await writeLock(`${hostname()}\t${dead}\t2026-01-01T00:00:00.000Z\tstale`);
      const taken = await runCollect(c, request(c, { requestsPerWorker: 1 }));
      assert.equal(taken.result.error, null, taken.result.error ?? '');
      await assertNothingLeft(c);

      const other = 'build-box-7\t4242\t2026-01-01T00:00:00.000Z\tother-host-run';
      await writeLock(other);
      await exec(c, ['rm', '-f', '/tmp/inference-vllm.log']);
      const refused = await runCollect(c, request(c));
      assert.deepEqual(stepList(refused.result), ['run:preflight:failed']);
      assert.match(refused.result.error ?? '', /^another Collect Metrics run \(process 4242 on build-box-7, started 2026-01-01T00:00:00\.000Z\) is using container \S+: wait for it to finish or cancel it \(or remove \/tmp\/dynamo-dev-collect\.lock in the container if that run is gone\)$/);
      assert.equal(await lockOwner(), other + '\n', 'the other host keeps its lock');
      assert.equal((await exec(c, ['test', '-e', '/tmp/inference-vllm.log'])).exitCode, 1, 'nothing was started');
      const left = await leftovers(c);
      assert.deepEqual([left.marked, left.dynamo, left.ports], [[], [], []]);
    });

    it('a lock this process left behind (its release could not reach a stopped container) is taken over', async () => {
      await writeLock(`${hostname()}\t${process.pid}\t2026-01-01T00:00:00.000Z\tleft-by-a-run-whose-container-stopped`);
      const { result } = await runCollect(c, request(c, { requestsPerWorker: 1 }));
      assert.equal(result.error, null, result.error ?? '');
      await assertNothingLeft(c);
    });
  });

  describe('hostile values run nothing extra', () => {
    const HOSTILE = [`x'; touch /tmp/pwned-1; '`, '$(touch /tmp/pwned-2)', '`touch /tmp/pwned-3`', 'a\ntouch /tmp/pwned-4', '"; touch /tmp/pwned-5; "'];
    const CANARIES = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `/tmp/pwned-${i}`);

    /** No canary file anywhere in the container (it may have run in any working folder) or in this host's /tmp. */
    async function assertNoCanary(): Promise<void> {
      const r = await exec(c, ['sh', '-c', "find / \\( -path /proc -o -path /sys -o -path /dev \\) -prune -o -name 'pwned-*' -print"]);
      assert.equal(r.stdout, '', 'no canary file in the container');
      assert.deepEqual(
        readdirSync('/tmp').filter((n) => n.startsWith('pwned-')),
        [],
        'no canary file in /tmp on this host',
      );
    }

    before(() => {
      for (const f of CANARIES) rmSync(f, { force: true });
    });
    afterEach(assertNoCanary);

    it('model, container, folders and environment names: rejected before anything runs, with a clear message', async () => {
      for (const model of HOSTILE) {
        const { result, events } = await runCollect(c, request(c, { model }));
        assert.deepEqual(stepList(result), ['run:preflight:failed']);
        assert.equal(events.length, 1);
        assert.equal(result.container, null, 'the container was not even looked at');
        assert.match(result.error ?? '', /^model ".*" is not a Hugging Face id or path \(letters, digits, \. _ \/ : @ \+ - only\)$/);
      }
      for (const notesDir of HOSTILE) {
        const { result } = await runCollect(c, request(c, { notesDir }));
        assert.match(result.error ?? '', /^the notes folder must be an absolute path without newlines/);
      }
      for (const utilsDir of [...HOSTILE, '/home/dynamo/utils\ntouch /tmp/pwned-6']) {
        const { result } = await runCollect(c, request(c, { utilsDir }));
        assert.match(result.error ?? '', /^the utils folder must be an absolute path without newlines/);
      }
      const badName = await runCollect(c, request(c, { serverEnv: { 'X; touch /tmp/pwned-7': '1' } }));
      assert.match(badName.result.error ?? '', /^environment variable name "X; touch \/tmp\/pwned-7" is not valid/);
      const nl = await runCollect(c, request(c, { container: `${c.name}\ntouch /tmp/pwned-8` }));
      assert.match(nl.result.error ?? '', /is not a container name or id \(it holds a line break or NUL\)$/);
      for (const container of HOSTILE.filter((h) => !h.includes('\n'))) {
        const { result } = await runCollect(c, request(c, { container }));
        assert.deepEqual(stepList(result), ['run:preflight:failed']);
        assert.match(result.error ?? '', /^(no container named "|cannot inspect container ")/, result.error ?? '');
      }
      const missing = await runCollect(c, request(c, { utilsDir: '/home/dynamo/utils/$(touch /tmp/pwned-9)' }));
      assert.equal(missing.result.error, `no inference.sh in /home/dynamo/utils/$(touch /tmp/pwned-9) in container ${c.name}`);
      const left = await leftovers(c);
      assert.deepEqual([left.marked, left.dynamo, left.ports], [[], [], []]);
    });

    it('a notes folder and a utils folder with shell syntax in their names are used literally (full run)', async () => {
      // a real folder with a hostile name inside the mounted utils folder, holding the fake stack
      const evil = `u $(touch pwned-u1) \`touch pwned-u2\` '; touch pwned-u3; '" ; touch pwned-u4; "`;
      const hostUtils = join(c.fx.root, 'utils', evil);
      cpSync(FAKE_DYNAMO_DIR, hostUtils, { recursive: true, filter: (src) => !src.includes('__pycache__') });
      const notesDir = join(c.fx.root, 'hostile', `notes $(touch /tmp/pwned-1) \`touch /tmp/pwned-2\` '; touch /tmp/pwned-3; '"; touch /tmp/pwned-5; "`);
      try {
        const { result } = await runCollect(c, request(c, { utilsDir: `/home/dynamo/utils/${evil}`, notesDir }));
        assert.equal(result.error, null, result.error ?? '');
        assert.equal(result.notesDir, notesDir);
        assert.deepEqual(readdirSync(notesDir).sort(), ['metrics-vllm-frontend.log', 'metrics-vllm.log', 'metrics-vllm.soak.json']);
        assert.ok(stepOf(result, 'start').detail.startsWith(`nohup '/home/dynamo/utils/${evil.replace(/'/g, `'\\''`)}'/inference.sh --framework vllm (launcher pid `), stepOf(result, 'start').detail);
        assert.equal(total(readFileSync(join(notesDir, 'metrics-vllm.log'), 'utf8'), E2E.vllm, '_count'), 2);
        await assertNothingLeft(c);
      } finally {
        rmSync(hostUtils, { recursive: true, force: true });
      }
    });

    it('server environment values reach the server literally (exec environment, no shell)', async () => {
      const serverEnv: Record<string, string> = { FAKE_DYNAMO_X: '$(touch /tmp/pwned-6)' };
      HOSTILE.forEach((v, i) => (serverEnv[`HOSTILE_${i}`] = v));
      // the server command writes its environment as JSON before it starts inference.sh
      const serverCommand = `python3 -c "import json, os, sys; json.dump(dict(os.environ), open(sys.argv[1], 'w'))" /tmp/server-env.json && \${utils}/inference.sh --framework \${framework}`;
      await exec(c, ['rm', '-f', '/tmp/server-env.json']);
      const { result } = await runCollect(c, request(c, { serverEnv, serverCommand, requestsPerWorker: 1 }));
      assert.equal(result.error, null, result.error ?? '');
      const env = JSON.parse((await exec(c, ['cat', '/tmp/server-env.json'])).stdout) as Record<string, string>;
      for (const [k, v] of Object.entries(serverEnv)) assert.equal(env[k], v, `${k} arrived as given`);
      assert.equal(env.FAKE_DYNAMO_LOAD_MS, '100');
      assert.equal(env.DYN_FRONTEND_PORT, '8000');
      assert.match(env.DYNAMO_DEV_RUN_ID ?? '', /^[0-9a-f-]{36}$/);
      await assertNothingLeft(c);
    });

    it('command templates: a placeholder becomes exactly one word with the literal value, under sh and bash', async () => {
      const values = [...HOSTILE, '', ' ', "'", "''", '\\', '$HOME', '*', '~', '-n', 'a b\tc', 'ü → ✓', '${model}', '!!'];
      const template = 'set -- ${model} ${utils}; printf "%s\\n" "$#"; printf "<%s>\\n" "$@"';
      for (const v of values) {
        const cmd = renderTemplate(template, { model: v, utils: v });
        for (const shell of ['sh', 'bash']) {
          const r = await exec(c, [shell, '-c', cmd]);
          assert.equal(r.exitCode, 0, `${shell}: ${r.stderr}`);
          assert.equal(r.stdout, `2\n<${v}>\n<${v}>\n`, `${shell} -c ${cmd}`);
        }
      }
    });
  });

  describe('dynamo-dev collect (the CLI bundle)', () => {
    before(function () {
      this.timeout(120000);
      // the test drives dist/cli.js, the shipped bundle: rebuild it when any source is newer
      const stale = !existsSync(CLI) || statSync(CLI).mtimeMs < Math.max(newest(join(ROOT, 'src')), statSync(join(ROOT, 'package.json')).mtimeMs);
      if (stale) {
        const r = spawnSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, encoding: 'utf8' });
        assert.equal(r.status, 0, `npm run build failed:\n${r.stdout}\n${r.stderr}`);
      }
    });

    interface CliRun {
      code: number | null;
      signal: NodeJS.Signals | null;
      stdout: string;
      stderr: string;
    }

    /** Runs `node dist/cli.js collect …` against the test engine; `onStderr` sees stderr as it comes. */
    function cli(args: string[], onStderr?: (all: string, child: ChildProcess) => void): Promise<CliRun> {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, 'collect', ...args], { cwd: ROOT, env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          stderr += d;
          onStderr?.(stderr, child);
        });
        child.on('error', reject);
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
      });
    }

    const base = () => ['--container', c.name, '--framework', 'vllm', '--max-tokens', '20', '--requests-per-worker', '1', '--env', 'FAKE_DYNAMO_LOAD_MS=100', '--scrape-timeout', '30', '--json'];

    it('--json: exit 0 and {steps, files, error: null}', async () => {
      const r = await cli(base());
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as CollectResult;
      assert.equal(out.error, null);
      assert.deepEqual(out.steps.map((s) => `${s.framework ?? 'run'}:${s.name}:${s.status}`), ['run:preflight:ok', ...STEPS.map((s) => `vllm:${s}:ok`)]);
      assert.deepEqual(out.files, ['metrics-vllm.log', 'metrics-vllm-frontend.log', 'metrics-vllm.soak.json'].map((f) => join(c.notes, f)));
      assert.equal(total(readFileSync(join(c.notes, 'metrics-vllm.log'), 'utf8'), E2E.vllm, '_count'), 1);
      assert.match(r.stderr, /^✓ \[vllm\] Save the capture \([\d.]+ s\): /m, 'progress lines on stderr');
      await assertNothingLeft(c);
    });

    it('a failing run: exit 1 and the error as a string; notes untouched', async () => {
      const before = seedNotes(c.notes);
      const r = await cli([...base(), '--env', 'FAKE_DYNAMO_METRICS_EMPTY=1']);
      assert.equal(r.code, 1, r.stderr);
      const out = JSON.parse(r.stdout) as CollectResult;
      assert.equal(typeof out.error, 'string');
      assert.match(out.error ?? '', /^the backend's \/metrics on port 8081 answered with an empty body: nothing saved, existing captures kept$/);
      assert.equal(out.steps.find((s) => s.status === 'failed')?.name, 'scrape');
      assertSameFiles(c.notes, before);
      await assertNothingLeft(c);
    });

    it('SIGINT while waiting for the model: exit 130 after the clean-up', async () => {
      const before = seedNotes(c.notes);
      let sent = false;
      const r = await cli([...base(), '--env', 'FAKE_DYNAMO_NEVER_READY=1'], (err, child) => {
        // stderr is not a terminal, so only finished steps are printed: the start line means "ready" runs
        if (!sent && /Start the server \(/.test(err)) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 700);
        }
      });
      assert.ok(sent, r.stderr);
      assert.equal(r.code, 130, r.stderr);
      assert.ok(r.stderr.includes('Interrupted: cleaning up (press Ctrl-C again to leave without cleaning up)…'), r.stderr);
      const out = JSON.parse(r.stdout) as CollectResult;
      assert.equal(out.error, 'cancelled');
      assert.deepEqual(out.steps.map((s) => `${s.framework ?? 'run'}:${s.name}:${s.status}`), ['run:preflight:ok', 'vllm:start:ok', 'vllm:ready:cancelled', 'vllm:cleanup:ok']);
      assert.match(r.stderr, /^✓ \[vllm\] Clean up \([\d.]+ s\): stopped \d+ process(es)? of this run; ports 8000, 8081 free$/m);
      assertSameFiles(c.notes, before);
      await assertNothingLeft(c);
    });

    it('a run from another process while this one runs is refused through the in-container lock (exit 1, naming this process)', async () => {
      let other: Promise<CliRun> | null = null;
      const first = await runCollect(c, request(c, { serverEnv: { FAKE_DYNAMO_TOKENS_PER_SEC: '20' } }), {
        onEvent: (e) => {
          if (e.type === 'step' && e.step.name === 'soak' && e.step.status === 'running') other ??= cli(base());
        },
      });
      assert.ok(other);
      const r = await (other as Promise<CliRun>);
      assert.equal(first.result.error, null, first.result.error ?? '');
      assert.equal(r.code, 1, r.stderr);
      const out = JSON.parse(r.stdout) as CollectResult;
      assert.deepEqual(out.steps.map((s) => `${s.name}:${s.status}`), ['preflight:failed']);
      assert.match(out.error ?? '', new RegExp(`^another Collect Metrics run \\(process ${process.pid} on ${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, started \\S+\\) is using container ${c.name}: `));
      await assertNothingLeft(c);
    });
  });
});
