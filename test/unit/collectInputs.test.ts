// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The plain parts of "Dynamo: Collect Metrics…" (src/collect/inputs.ts): the soak parameters as typed,
// the default container and notes folder, the choices offered, and what progress and messages say.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  capturesToCompare,
  cliEquivalent,
  defaultContainer,
  failureLine,
  formatSoakParams,
  formatStepLine,
  frameworkChoiceLabel,
  frameworkChoices,
  frameworksOf,
  notesCandidates,
  parseSoakParams,
  RunStatus,
  runningDevContainers,
  savedNames,
} from '../../src/collect/inputs';
import { classifyContainer } from '../../src/core/docker/discovery';
import type { ContainerInfo, RawContainer } from '../../src/core/docker/model';
import type { CollectResult, StepRecord } from '../../src/core/inference/collect';
import { DEFAULTS, type CollectRequest } from '../../src/core/inference/options';

const raw: RawContainer[] = JSON.parse(readFileSync(join(__dirname, '../fixtures/docker/containers.json'), 'utf8'));
const all = raw.map(classifyContainer);
const byName = (n: string): ContainerInfo => {
  const c = all.find((x) => x.name === n);
  assert.ok(c, `no container ${n}`);
  return c;
};
const DYNAMO1 = 'vsc-dynamo1-5d9b0e2c41a7-uid-1';
const DYNAMO2 = 'epic_satoshi';
const CI = 'vsc-dynamo_ci-ffee00-features-1';

describe('Collect Metrics inputs', () => {
  describe('parseSoakParams', () => {
    const ok = (text: string, want: [number, number, number]) => {
      const r = parseSoakParams(text);
      assert.deepEqual(r, { maxTokens: want[0], requestsPerWorker: want[1], workers: want[2] }, text);
    };
    const bad = (text: string, re: RegExp) => {
      const r = parseSoakParams(text);
      assert.ok('error' in r, `${text} was accepted: ${JSON.stringify(r)}`);
      assert.match(r.error, re, text);
    };

    it('reads what formatSoakParams writes (the default shown in the box)', () => {
      assert.equal(formatSoakParams({ maxTokens: 1000, requestsPerWorker: 5, workers: 1 }), '1000 tokens × 5 requests × 1 worker');
      assert.equal(formatSoakParams({ maxTokens: 1, requestsPerWorker: 1, workers: 2 }), '1 token × 1 request × 2 workers');
      ok('1000 tokens × 5 requests × 1 worker', [1000, 5, 1]);
      ok(formatSoakParams({ maxTokens: 1, requestsPerWorker: 1, workers: 2 }), [1, 1, 2]);
    });

    it('takes the usual separators and bare numbers in the order tokens, requests, workers', () => {
      ok('1000 × 5 × 1', [1000, 5, 1]);
      ok('1000 x 5 x 1', [1000, 5, 1]);
      ok('1000x5x1', [1000, 5, 1]);
      ok('200X3X2', [200, 3, 2]);
      ok('1000*5*4', [1000, 5, 4]);
      ok('1000, 5, 1', [1000, 5, 1]);
      ok('  1000 5 2  ', [1000, 5, 2]);
      ok('1000 tok x 5 req x 2 w', [1000, 5, 2]);
    });

    it('takes labelled numbers in any order, and keeps the defaults for what is not given', () => {
      ok('5 requests × 2 workers × 200 tokens', [200, 5, 2]);
      ok('3 workers', [DEFAULTS.maxTokens, DEFAULTS.requestsPerWorker, 3]);
      ok('20 requests x 100', [100, 20, 1]);
      ok('64', [64, DEFAULTS.requestsPerWorker, DEFAULTS.workers]);
      assert.deepEqual(parseSoakParams('7 workers', { maxTokens: 10, requestsPerWorker: 2, workers: 1 }), { maxTokens: 10, requestsPerWorker: 2, workers: 7 });
    });

    it('says what is wrong, with the core validator’s ranges', () => {
      bad('', /Type the soak parameters/);
      bad('   ', /Type the soak parameters/);
      bad('lots', /"lots" is not a number/);
      bad('0 × 5 × 1', /^Max tokens must be a whole number from 1 to 1,000,000 \(got 0\)/);
      bad('1000 × 5 × 2000', /^Workers must be a whole number from 1 to 1,024/);
      bad('1000 × 0', /^Requests per worker must be a whole number from 1 to 100,000/);
      bad('1000 × 5 × 1 × 9', /Too many numbers/);
      bad('5 apples', /Unknown unit "apples"/);
      bad('5 tokens 6 tokens', /Max tokens given twice/);
      bad('-5', /is not a number/);
      bad('1.5 × 2', /is not a number/);
      bad('99999999999999999999', /^Max tokens must be/);
    });
  });

  describe('defaultContainer', () => {
    const folders = [
      { name: 'dynamo2', path: '/home/keivenc/dev/dynamo2' },
      { name: 'dynamo1', path: '/home/keivenc/dev/dynamo1' },
    ];

    it('lists only running dev containers, by name', () => {
      assert.deepEqual(
        runningDevContainers(all).map((c) => c.name),
        [DYNAMO2, CI, DYNAMO1].sort((a, b) => a.localeCompare(b)),
      );
    });

    it('takes the container of the active editor’s folder, then of the first folder', () => {
      assert.equal(defaultContainer(all, folders, { activeFolder: '/home/keivenc/dev/dynamo1' })?.name, DYNAMO1);
      // dynamo2's container is found by its image name (vsc-dynamo2-…) only
      assert.equal(defaultContainer(all, folders)?.name, DYNAMO2);
      assert.equal(defaultContainer(all, folders, { activeFolder: '/elsewhere', remembered: CI })?.name, DYNAMO2);
    });

    it('prefers the exact local_folder match over a folder-name match', () => {
      // same vsc-dynamo1-… image, no label: matched by folder name only, and first by name
      const twin = { ...byName(DYNAMO1), id: 'twin', name: 'a-twin', localFolder: null };
      const ws = [{ name: 'dynamo1', path: '/home/keivenc/dev/dynamo1' }];
      assert.equal(defaultContainer([twin], ws)?.name, 'a-twin');
      assert.equal(defaultContainer([twin, byName(DYNAMO1)], ws)?.name, DYNAMO1);
    });

    it('falls back to the one used last, then the first running one; never a stopped one', () => {
      assert.equal(defaultContainer(all, [], { remembered: CI })?.name, CI);
      assert.equal(defaultContainer(all, [], { remembered: 'gone' })?.name, runningDevContainers(all)[0]?.name);
      assert.equal(defaultContainer(all, [{ name: 'dynamo3', path: '/home/keivenc/dev/dynamo3' }])?.name, runningDevContainers(all)[0]?.name, 'dynamo3’s container is stopped');
      assert.equal(defaultContainer(all.filter((c) => c.state !== 'running'), folders), undefined);
    });
  });

  describe('choices and defaults', () => {
    it('offers the container’s framework first, then the others, then all', () => {
      assert.deepEqual(frameworkChoices('trtllm'), ['trtllm', 'vllm', 'sglang', 'all']);
      assert.deepEqual(frameworkChoices('vllm'), ['vllm', 'sglang', 'trtllm', 'all']);
      assert.deepEqual(frameworkChoices('unknown'), ['vllm', 'sglang', 'trtllm', 'all']);
      assert.equal(frameworkChoiceLabel('all'), 'all (vllm → sglang → trtllm)');
      assert.deepEqual(frameworksOf('all'), ['vllm', 'sglang', 'trtllm']);
      assert.deepEqual(frameworksOf('sglang'), ['sglang']);
    });

    it('defaults the notes folder to the writable mount ending in /notes, then a writable mount’s notes/', () => {
      assert.deepEqual(notesCandidates(byName(DYNAMO1).mounts), ['/home/keivenc/dev/notes']);
      const m = byName(DYNAMO2).mounts;
      assert.deepEqual(notesCandidates(m), []);
      assert.deepEqual(notesCandidates(m, (p) => p === '/home/keivenc/nvidia/dynamo-utils/notes'), ['/home/keivenc/nvidia/dynamo-utils/notes']);
      // a read-only utils mount's notes/ cannot be written
      assert.deepEqual(notesCandidates(byName(DYNAMO1).mounts, () => true), ['/home/keivenc/dev/notes', '/home/keivenc/dev/dynamo1/notes', '/home/keivenc/dev/dynamo1/target/.vllm/notes']);
      assert.deepEqual(notesCandidates([{ source: '/n', destination: '/home/dynamo/notes', readOnly: true, type: 'bind', name: null }]), []);
    });

    it('compares the backend captures of a run, not the frontend’s or the soak reports', () => {
      const files = ['/n/metrics-vllm.log', '/n/metrics-vllm-frontend.log', '/n/metrics-vllm.soak.json', '/n/metrics-sglang.log', '/n/metrics-sglang-decode.log'];
      assert.deepEqual(capturesToCompare(files), ['/n/metrics-vllm.log', '/n/metrics-sglang.log', '/n/metrics-sglang-decode.log']);
      assert.equal(savedNames(files.slice(0, 3)), 'metrics-vllm.log, metrics-vllm-frontend.log, metrics-vllm.soak.json');
      assert.equal(savedNames(files, 2), 'metrics-vllm.log, metrics-vllm-frontend.log and 3 more');
    });

    it('writes the dynamo-dev collect command line of a request, defaults left out', () => {
      const req: CollectRequest = { ...DEFAULTS, container: 'id', frameworks: ['vllm'] };
      assert.equal(cliEquivalent('dyn-1', req), 'dynamo-dev collect --container dyn-1 --framework vllm');
      assert.equal(
        cliEquivalent('dyn 1', { ...req, frameworks: ['vllm', 'sglang', 'trtllm'], maxTokens: 20, workers: 2, soak: 'builtin', notesDir: "/n/o'k", frontendPort: 18000, serverEnv: { DYN_LOGGING_JSONL: 'true' }, keepRunning: true }),
        `dynamo-dev collect --container 'dyn 1' --framework all --max-tokens 20 --workers 2 --soak builtin --notes '/n/o'\\''k' --frontend-port 18000 --env DYN_LOGGING_JSONL=true --keep-running`,
      );
    });
  });

  describe('progress', () => {
    const step = (name: StepRecord['name'], framework: StepRecord['framework'], status: StepRecord['status'], detail = '', seconds = 0): StepRecord => ({ name, framework, status, seconds, detail });

    it('names the framework, the step and the seconds in it; soak progress as requests done', () => {
      const s = new RunStatus(['vllm', 'sglang'], 5);
      assert.equal(s.totalSteps, 13);
      assert.equal(s.message(0), 'Starting…');
      assert.equal(s.short(), 'starting');
      s.take({ type: 'step', step: step('preflight', null, 'running') }, 0);
      assert.equal(s.message(1500), 'Pre-flight checks (1 s)…');
      assert.equal(s.short(), 'checks');
      s.take({ type: 'step', step: step('preflight', null, 'ok') }, 2000);
      s.take({ type: 'step', step: step('ready', 'vllm', 'running') }, 10_000);
      assert.equal(s.message(22_400), 'vllm: Wait until ready (12 s)…');
      assert.equal(s.short(), 'vllm · ready');
      s.take({ type: 'step', step: step('soak', 'vllm', 'running') }, 30_000);
      assert.equal(s.message(30_000), 'vllm: Soak test: 5 requests (0 s)…');
      assert.equal(s.take({ type: 'log', framework: 'vllm', source: 'soak', line: 'x' }), false);
      assert.equal(s.take({ type: 'soakProgress', framework: 'vllm', done: 3, total: 5, failed: 0 }), true);
      assert.equal(s.message(38_000), 'vllm: Soak test: 3/5 requests (8 s)…');
      s.take({ type: 'soakProgress', framework: 'vllm', done: 4, total: 5, failed: 1 });
      assert.equal(s.message(38_000), 'vllm: Soak test: 4/5 requests, 1 failed (8 s)…');
      assert.equal(s.short(), 'vllm · soak');
      assert.equal(s.finishedSteps, 1);
      s.cancelling = true;
      assert.equal(s.message(), 'Cancelling: cleaning up…');
      assert.equal(s.short(), 'cancelling');
      s.take({ type: 'step', step: step('cleanup', 'vllm', 'running') });
      assert.equal(s.message(), 'Cancelling: cleaning up vllm…');
    });

    it('puts the failed step’s first line in the failure message', () => {
      const result: CollectResult = {
        steps: [step('preflight', null, 'ok'), step('start', 'vllm', 'ok'), step('ready', 'vllm', 'failed', 'the model was not ready within 5 s. Last lines:\n  boom'), step('cleanup', 'vllm', 'ok')],
        files: [],
        error: 'the model was not ready within 5 s. Last lines:\n  boom',
        cancelled: false,
        container: { id: 'x', name: 'c' },
        notesDir: '/n',
        frameworks: [],
      };
      assert.equal(failureLine(result), 'vllm: Wait until ready failed: the model was not ready within 5 s. Last lines:');
      assert.equal(failureLine({ ...result, steps: [] }), 'the model was not ready within 5 s. Last lines:');
      assert.equal(formatStepLine(step('ready', 'vllm', 'ok', 'model Qwen', 3.25)), '✓ [vllm] Wait until ready (3.3 s, ok): model Qwen');
      assert.equal(formatStepLine(step('preflight', null, 'running')), '… Pre-flight checks');
    });
  });
});
