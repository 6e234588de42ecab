// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The fake Dynamo stack (test/fake-dynamo) in a real dev-container look-alike: the metrics procedure of
// dynamo-utils runs unchanged against it (inference.sh in the background, wait for `added model`,
// soak_fe.py, scrape :8081/metrics, stop), for each framework, and each fault knob does what it says.
// The container uses the host network, so the host reaches 127.0.0.1:8000/8081 directly.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { Server } from 'node:net';
import { join } from 'node:path';
import type { DevContainerFixture, waitFor as WaitFor } from '../support/fixtures.mjs' with { 'resolution-mode': 'import' };
import type { DockerClient } from '../../src/core/docker/client';
import { execInContainer, type ExecResult } from '../../src/core/docker/exec';
import { analyzeCapture } from '../../src/core/metrics/capture';
import { parseExposition, type Family } from '../../src/core/metrics/parser';
import { closeFixture, openFixture } from './fixtureContext';
import { listenOn, portInUse } from '../support/net.cjs';

const UTILS = '/home/dynamo/utils';
const INFERENCE = `${UTILS}/inference.sh`;
const SOAK = `${UTILS}/soak_fe.py`;
const FE_PORT = 8000;
const BE_PORT = 8081;
const MODEL = 'Qwen/Qwen3-0.6B';
const FRAMEWORKS = ['vllm', 'sglang', 'trtllm'] as const;
type Framework = (typeof FRAMEWORKS)[number];
const CAPTURES = join(__dirname, '..', 'fixtures', 'metrics');
const TEMPLATES = join(__dirname, '..', 'fake-dynamo', 'dynamo', '_fake', 'templates');
const CAPTURE_OF: Record<Framework | 'frontend', string> = {
  vllm: 'ai-dynamo--vllm-worker.prom',
  sglang: 'ai-dynamo--sglang-worker.prom',
  trtllm: 'ai-dynamo--trtllm-worker.prom',
  frontend: 'ai-dynamo--dynamo-frontend.prom',
};
/** Families the metrics comparison reads, per engine (names as in the real captures). */
const KEY_FAMILIES: Record<Framework, string[]> = {
  vllm: ['vllm:e2e_request_latency_seconds', 'vllm:time_to_first_token_seconds', 'vllm:inter_token_latency_seconds', 'vllm:request_time_per_output_token_seconds', 'vllm:generation_tokens_total', 'vllm:prompt_tokens_total', 'vllm:request_success_total'],
  sglang: ['sglang:e2e_request_latency_seconds', 'sglang:time_to_first_token_seconds', 'sglang:inter_token_latency_seconds', 'sglang:gen_throughput', 'sglang:generation_tokens_total', 'sglang:num_requests_total'],
  trtllm: ['trtllm_e2e_request_latency_seconds', 'trtllm_time_to_first_token_seconds', 'trtllm_time_per_output_token_seconds', 'trtllm_request_queue_time_seconds', 'trtllm_request_success_total'],
};
/** Where each exporter writes _sum and _count relative to the buckets. */
const LINE_ORDER: Record<Framework, string[]> = {
  vllm: ['_bucket', '_count', '_sum'],
  sglang: ['_sum', '_bucket', '_count'],
  trtllm: ['_bucket', '_count', '_sum'],
};
const TTFT_FAMILY: Record<Framework, string> = { vllm: 'vllm:time_to_first_token_seconds', sglang: 'sglang:time_to_first_token_seconds', trtllm: 'trtllm_time_to_first_token_seconds' };
/** The readiness regex of the reference (§2.4). */
const ADDED_MODEL = /\badded model\b.*?\bmodel_name=("?)([^"\s]+)\1/;
const SOAK_LINE = /^(\S+ \S+) worker_(\d+) request_(\d+) duration_([\d.]+)s status_(SUCCESS|ERROR\((\d+)\))(?: response=(.*))?$/;

interface HttpResult {
  status: number;
  body: string;
  ms: number;
}

/** A GET to the loopback interface only. */
function httpGet(port: number, path: string, timeoutMs = 10000): Promise<HttpResult> {
  return httpCall('GET', port, path, undefined, timeoutMs);
}

function httpCall(method: string, port: number, path: string, json: unknown, timeoutMs = 10000): Promise<HttpResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const body = json === undefined ? undefined : JSON.stringify(json);
    const req = request({ host: '127.0.0.1', port, path, method, timeout: timeoutMs, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, ms: Date.now() - t0 }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET 127.0.0.1:${port}${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

const closeServer = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));

/** Sample lines with their values (and pid labels) masked: what stays is names, labels and order. */
function shapeOf(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('lmcache:') && !/^# (HELP|TYPE) lmcache:/.test(l))
    .map((l) => (l.startsWith('#') ? l : l.replace(/ \S+$/, ' <v>').replace(/pid="\d+"/, 'pid="<pid>"')));
}

function family(families: readonly Family[], name: string): Family {
  const f = families.find((x) => x.name === name);
  assert.ok(f, `family ${name} is missing`);
  return f;
}

describe('fake Dynamo stack in a dev container (real engine)', function () {
  this.timeout(60000);
  let root: string;
  let fx: DevContainerFixture;
  let client: DockerClient;
  let waitFor: typeof WaitFor;
  /** inference.sh PIDs (in the container) that are still running. */
  const stacks = new Set<number>();
  const listeners = new Set<Server>();

  const run = (cmd: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ExecResult> =>
    execInContainer(client.docker, fx.containers.dynamo1.id, { cmd, timeoutMs: opts.timeoutMs ?? 30000, ...(opts.env ? { env: opts.env } : {}) });

  async function readFile(path: string): Promise<string> {
    const r = await run(['cat', path]);
    assert.equal(r.exitCode, 0, `cat ${path}: ${r.stderr}`);
    return r.stdout;
  }

  /** Whether the process runs (a zombie, waiting for PID 1 to reap it, does not). */
  async function isRunning(pid: number): Promise<boolean> {
    const r = await run(['cat', `/proc/${pid}/stat`]);
    if (r.exitCode !== 0) return false;
    return r.stdout.slice(r.stdout.lastIndexOf(')') + 2)[0] !== 'Z';
  }

  /** Command lines of the container's live processes started as `python3 -m dynamo.<x>`. */
  async function dynamoProcesses(): Promise<string[]> {
    const r = await run(['ps', '-eo', 'stat=,args=']);
    assert.equal(r.exitCode, 0, r.stderr);
    return r.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('Z') && / -m dynamo\./.test(l))
      .map((l) => l.replace(/^\S+\s+/, ''));
  }

  /** Starts inference.sh the way the procedure does: nohup, all output to the log, in the background. */
  async function startStack(log: string, args: string[], env: Record<string, string> = {}): Promise<number> {
    const script = 'log=$1; shift; nohup "$0" "$@" > "$log" 2>&1 < /dev/null & echo $!';
    const r = await run(['bash', '-c', script, INFERENCE, log, ...args], { env });
    assert.equal(r.exitCode, 0, r.stderr);
    const pid = Number(r.stdout.trim());
    assert.ok(Number.isInteger(pid) && pid > 1, `no PID from ${JSON.stringify(r.stdout)}`);
    stacks.add(pid);
    const cmdline = (await run(['cat', `/proc/${pid}/cmdline`])).stdout.split('\0');
    assert.ok(cmdline.includes(INFERENCE), `PID ${pid} is ${cmdline.join(' ')}`);
    return pid;
  }

  async function waitForLog(log: string, test: (text: string) => boolean, what: string, timeoutMs = 20000): Promise<string> {
    return waitFor(async () => {
      const text = await readFile(log);
      return test(text) ? text : undefined;
    }, { timeoutMs, intervalMs: 200, what });
  }

  /**
   * SIGTERM to inference.sh (its trap must stop its children), then the ports must be free again and no
   * dynamo process but `left` may remain.
   */
  async function stopStack(pid: number, ports = [FE_PORT, BE_PORT], left: string[] = []): Promise<void> {
    const r = await run(['kill', '-TERM', String(pid)]);
    assert.equal(r.exitCode, 0, r.stderr);
    await waitFor(async () => !(await isRunning(pid)), { timeoutMs: 15000, intervalMs: 100, what: `inference.sh (PID ${pid}) to exit` });
    stacks.delete(pid);
    await waitFor(async () => JSON.stringify(await dynamoProcesses()) === JSON.stringify(left), { timeoutMs: 10000, intervalMs: 100, what: `the dynamo processes to end (but ${left.join(', ') || 'none'})` });
    for (const port of ports) assert.equal(await portInUse(port), false, `port ${port} is free again`);
  }

  async function scrape(port: number): Promise<string> {
    const r = await httpGet(port, '/metrics');
    assert.equal(r.status, 200);
    return r.body;
  }

  function soakLog(text: string): { worker: number; request: number; status: string; response: string | undefined }[] {
    return text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const m = SOAK_LINE.exec(line);
        assert.ok(m, `soak log line ${JSON.stringify(line.slice(0, 200))}`);
        return { worker: Number(m[2]), request: Number(m[3]), status: m[5] ?? '', response: m[7] };
      });
  }

  before(async function () {
    this.timeout(120000);
    const fixtures = await import('../support/fixtures.mjs');
    waitFor = fixtures.waitFor;
    for (const port of [FE_PORT, BE_PORT, BE_PORT + 1]) {
      if (await portInUse(port)) throw new Error(`127.0.0.1:${port} is in use on this host; the fake Dynamo tests need ports ${FE_PORT}, ${BE_PORT} and ${BE_PORT + 1} free`);
    }
    ({ root, fx, client } = await openFixture('fake', { fakeDynamo: true }));
  });

  afterEach(async function () {
    this.timeout(30000);
    for (const s of [...listeners]) {
      await closeServer(s);
      listeners.delete(s);
    }
    for (const pid of [...stacks]) {
      await run(['kill', '-TERM', String(pid)]);
      await waitFor(async () => !(await isRunning(pid)), { timeoutMs: 10000, intervalMs: 100, what: `inference.sh (PID ${pid}) to exit` }).catch(() => run(['kill', '-KILL', String(pid)]));
      stacks.delete(pid);
    }
  });

  after(async function () {
    this.timeout(60000);
    await closeFixture({ root, fx });
  });

  it('ships the real captures unchanged as its metric templates', () => {
    for (const [name, capture] of Object.entries(CAPTURE_OF)) {
      const template = readFileSync(join(TEMPLATES, `${name}.prom`), 'utf8');
      const lines = template.split('\n');
      assert.match(lines[0] ?? '', /^# SPDX-FileCopyrightText: /);
      const body = lines.slice(lines.findIndex((l) => l.startsWith('# HELP '))).join('\n');
      assert.equal(body, readFileSync(join(CAPTURES, capture), 'utf8'), `${name}.prom is ${capture} below its header`);
    }
  });

  it('inference.sh: --help, unknown options, dry runs with auto-detection and aliases, no framework', async () => {
    const help = await run([INFERENCE, '--help']);
    assert.equal(help.exitCode, 0);
    assert.match(help.stdout, /^Usage: \/home\/dynamo\/utils\/inference\.sh \[OPTIONS\]$/m);
    for (const flag of ['--model MODEL', '--framework FRAMEWORK', '--disagg', '--dryrun, --dry-run', '--frontend', '--backend']) assert.ok(help.stdout.includes(flag), flag);

    const bad = await run([INFERENCE, '--bogus']);
    assert.equal(bad.exitCode, 1);
    assert.equal(bad.stdout.split('\n')[0], 'Unknown option: --bogus');

    const auto = await run([INFERENCE, '--dryrun'], { env: { FAKE_DYNAMO_AVAILABLE: 'sglang trtllm' } });
    assert.equal(auto.exitCode, 0, auto.stdout + auto.stderr);
    const lines = auto.stdout.split('\n');
    for (const l of [
      'Auto-detecting framework...',
      '✅ Auto-selected framework: trtllm',
      '+ DYN_LOG=info DYN_SYSTEM_PORT=8081 python3 -m dynamo.trtllm --model Qwen/Qwen3-0.6B --free-gpu-memory-fraction 0.24 --max-num-tokens 512 --max-batch-size 2 --publish-events-and-metrics',
      '+ env -u DYN_SYSTEM_PORT python3 -m dynamo.frontend --http-port 8000',
      '[DRY RUN] Launched frontend and trtllm processes. Press Ctrl+C to exit.',
    ]) {
      assert.ok(lines.includes(l), `dry run prints ${l}\n${auto.stdout}`);
    }
    assert.deepEqual(await dynamoProcesses(), [], 'a dry run starts nothing');

    const alias = await run([INFERENCE, '--dry-run', '--framework', 'vllm', '--model', 'tinyllama', '--gpu-mem-fraction', '0.5'], { env: { DYN_BACKEND_PORT: '9181' } });
    assert.equal(alias.exitCode, 0, alias.stdout);
    assert.ok(alias.stdout.includes('Using specified framework: vllm'));
    assert.ok(alias.stdout.includes('Using GPU memory fraction: 0.5'));
    assert.ok(
      alias.stdout.includes('+ DYN_LOG=info DYN_SYSTEM_PORT=9181 python3 -m dynamo.vllm --model TinyLlama/TinyLlama-1.1B-Chat-v1.0 --gpu-memory-utilization 0.5 --enforce-eager --no-enable-prefix-caching --max-num-seqs 2'),
      alias.stdout,
    );

    const none = await run([INFERENCE]);
    assert.equal(none.exitCode, 1);
    assert.ok(none.stdout.includes('❌ Auto-detection failed: No suitable framework found'), none.stdout);
    assert.ok(none.stdout.includes('❌ Error: Backend framework not available but both frontend and backend are needed'), none.stdout);
  });

  for (const fw of FRAMEWORKS) {
    it(`${fw}: inference.sh → added model → soak_fe.py → :8081/metrics → SIGTERM, as the seed procedure does it`, async () => {
      const log = `/tmp/inference-${fw}.log`;
      const pid = await startStack(log, ['--framework', fw]);
      const text = await waitForLog(log, (t) => ADDED_MODEL.test(t), `"added model" in ${log}`);
      assert.equal(ADDED_MODEL.exec(text)?.[2], MODEL);
      const logLines = text.split('\n');
      for (const l of [
        `Using specified framework: ${fw}`,
        'Running Dynamo inference in aggregation mode (single worker)',
        '✅ Port 8000 (frontend) is available',
        '✅ Port 8081 (backend) is available',
        `Launched frontend and ${fw} processes. Press Ctrl+C to exit.`,
        '+ env -u DYN_SYSTEM_PORT python3 -m dynamo.frontend --http-port 8000',
      ]) {
        assert.ok(logLines.includes(l), `log line ${l}\n${text}`);
      }
      assert.match(text, new RegExp(`^\\+ python3 -m dynamo\\.${fw} --model Qwen/Qwen3-0\\.6B `, 'm'));
      assert.match(text, /^\S+Z +INFO dynamo_llm::discovery::watcher: added model model_name="Qwen\/Qwen3-0\.6B" namespace="dynamo"$/m);
      assert.match(text, /(\w*Worker|worker) for (\S+) has been initialized/);

      // the processes look like Dynamo's to narrow patterns
      const procs = await dynamoProcesses();
      assert.ok(procs.includes('python3 -m dynamo.frontend --http-port 8000'), procs.join('\n'));
      assert.ok(procs.some((p) => p.startsWith(`python3 -m dynamo.${fw} --model ${MODEL} `)), procs.join('\n'));
      assert.ok(procs.some((p) => /python.*dynamo\.frontend/.test(p)) && procs.some((p) => new RegExp(`python.*dynamo\\.${fw}`).test(p)));

      // from the host: the HTTP probes Dynamo's own tests use
      const models = JSON.parse((await httpGet(FE_PORT, '/v1/models')).body) as { data: { id: string }[] };
      assert.deepEqual(models.data.map((m) => m.id), [MODEL]);
      const health = await httpGet(FE_PORT, '/health');
      assert.equal(health.status, 200);
      const h = JSON.parse(health.body) as { status: string; endpoints: string[]; instances: { endpoint: string }[] };
      assert.equal(h.status, 'healthy');
      assert.ok(h.endpoints.some((e) => e.includes('generate')) && h.instances.some((i) => i.endpoint === 'generate'));
      assert.deepEqual(JSON.parse((await httpGet(FE_PORT, '/live')).body), { message: 'Service is live', status: 'live' });
      assert.equal(JSON.parse((await httpGet(BE_PORT, '/health')).body).status, 'ready');

      // the load
      const soak = await run(['python3', SOAK, '--max-tokens', '50', '--requests_per_worker', '3'], { timeoutMs: 60000 });
      assert.equal(soak.exitCode, 0, soak.stderr);
      const out = soak.stdout.split('\n');
      const done = out.indexOf('All 3 requests completed before time limit.');
      assert.ok(done >= 0 && out[done + 1] === 'All requests completed successfully.', soak.stdout.slice(-500));
      assert.ok(out.includes('[1-1] RESPONSE JSON:'), 'one worker shows its responses');
      assert.ok(soak.stderr.includes(`ModelFetcher: Models found: ['${MODEL}']`), soak.stderr);
      const results = soakLog(await readFile('/tmp/soak_llm.log'));
      assert.deepEqual(results.map((r) => [r.worker, r.request, r.status]), [[1, 1, 'SUCCESS'], [1, 2, 'SUCCESS'], [1, 3, 'SUCCESS']]);
      const completionTokens = results.reduce((a, r) => a + (JSON.parse(r.response ?? '{}') as { usage: { completion_tokens: number } }).usage.completion_tokens, 0);
      assert.equal(completionTokens, 150);

      // the worker's metrics, as the extension reads them
      const text8081 = await scrape(BE_PORT);
      const s = analyzeCapture(text8081, `metrics-${fw}.log`);
      assert.equal(s.framework, fw);
      assert.equal(s.detection.source, 'content');
      assert.equal(s.detection.conflict, null);
      assert.deepEqual(s.diagnostics, []);
      assert.equal(s.requests, 3);
      assert.equal(s.generationTokens, completionTokens, 'generation tokens = Σ tokens served');
      assert.equal(s.generationTokensEstimated, fw === 'trtllm', 'TensorRT-LLM has no token counter: estimated from TPOT');
      assert.equal(s.promptTokens, fw === 'trtllm' ? null : 3 * 33);
      assert.deepEqual(s.models, [MODEL]);
      const lat = s.latency;
      assert.equal(lat.ttft?.count, 3);
      assert.equal(lat.e2e?.count, 3);
      if (fw === 'trtllm') assert.equal(lat.tpot?.count, 3);
      else assert.equal(lat.itl?.count, 3 * 49);
      if (fw === 'vllm') assert.equal(lat.tpot?.count, 3);
      assert.ok(lat.ttft && lat.e2e && lat.e2e.sum > lat.ttft.sum && lat.ttft.sum >= 3 * 0.02 * 0.9, `ttft ${lat.ttft?.sum} e2e ${lat.e2e?.sum}`);
      assert.ok(lat.e2e.sum >= 3 * (0.02 + 49 / 2000) * 0.9 && lat.e2e.sum < 3 * 2, `e2e sum ${lat.e2e.sum}`);
      if (lat.itl) assert.ok(Math.abs(lat.itl.sum - (lat.e2e.sum - lat.ttft.sum)) < 0.01, 'Σ ITL = Σ (e2e − TTFT)');
      if (fw !== 'sglang') assert.deepEqual(Object.entries(s.requestsBy ?? {}).filter(([, v]) => v > 0), [['length', 3]]);
      assert.ok((s.throughput.computed ?? 0) > 0);
      const parsed = parseExposition(text8081);
      for (const name of KEY_FAMILIES[fw]) family(parsed.families, name);
      const generate = family(parsed.families, 'dynamo_component_requests_total').samples.find((x) => x.labels.dynamo_endpoint === 'generate');
      assert.equal(generate?.value, 3);
      assert.equal(family(parsed.families, 'dynamo_component_request_duration_seconds').samples.find((x) => x.name.endsWith('_count') && x.labels.dynamo_endpoint === 'generate')?.value, 3);
      // same families, labels, bucket bounds and line order as the real capture: only values differ
      assert.deepEqual(shapeOf(text8081), shapeOf(readFileSync(join(CAPTURES, CAPTURE_OF[fw]), 'utf8')));
      const at = (suffix: string) => text8081.indexOf(`\n${TTFT_FAMILY[fw]}${suffix}{`);
      const order = LINE_ORDER[fw].map(at);
      assert.ok(order.every((i) => i > 0) && order[0]! < order[1]! && order[1]! < order[2]!, `${fw} writes ${LINE_ORDER[fw].join(' → ')}`);

      // step 4 of the procedure: the capture lands in the notes folder, which the host sees
      const save = await run(['bash', '-c', 'mkdir -p /home/dynamo/notes && curl -s localhost:8081/metrics > "/home/dynamo/notes/metrics-$0.log"', fw]);
      assert.equal(save.exitCode, 0, save.stderr);
      const notes = analyzeCapture(readFileSync(join(fx.root, 'notes', `metrics-${fw}.log`), 'utf8'), `metrics-${fw}.log`);
      assert.equal(notes.framework, fw);
      assert.equal(notes.detection.conflict, null);
      assert.equal(notes.requests, 3);
      assert.equal(notes.generationTokens, 150);
      assert.equal(notes.totalLines, s.totalLines);

      // the frontend's own metrics moved too
      const fe = analyzeCapture(await scrape(FE_PORT), 'fe.log');
      assert.equal(fe.framework, 'dynamo');
      assert.equal(fe.requests, 3);
      assert.deepEqual(fe.requestsBy, { success: 3 });
      assert.equal(fe.generationTokens, 150);
      assert.equal(fe.latency.ttft?.count, 3);

      await stopStack(pid);
      const final = await readFile(log);
      assert.ok(final.includes('Cleaning up...\n') && final.includes('Cleanup complete.\n'), final.slice(-400));
    });
  }

  it('streams SSE chunks and serves /v1/completions; JSONL logs; soak_fe.py --stream with 2 workers', async () => {
    const log = '/tmp/inference-stream.log';
    const pid = await startStack(log, ['--framework', 'vllm'], { DYN_LOGGING_JSONL: 'true' });
    await waitForLog(log, (t) => t.split('\n').some((l) => l.startsWith('{') && (JSON.parse(l) as { message?: string; model_name?: string }).message === 'added model'), 'a JSONL "added model" line');
    const added = (await readFile(log)).split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r.message === 'added model');
    assert.equal(added?.model_name, MODEL);

    const sse = await httpCall('POST', FE_PORT, '/v1/chat/completions', { model: MODEL, messages: [{ role: 'user', content: 'hi' }], max_tokens: 7, stream: true });
    assert.equal(sse.status, 200);
    const data = sse.body.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
    assert.equal(data.at(-1), '[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { choices: { delta: { content?: string }; finish_reason: string | null }[] });
    assert.equal(chunks.filter((c) => c.choices[0]?.delta.content).length, 7);
    assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, 'length');

    const soak = await run(['python3', SOAK, '--stream', '--version', 'v1_completion', '--workers', '2', '--requests_per_worker', '2', '--max-tokens', '20', '--verbose'], { timeoutMs: 60000 });
    assert.equal(soak.exitCode, 0, soak.stderr);
    assert.ok(soak.stdout.includes('All 4 requests completed before time limit.\nAll requests completed successfully.\n'));
    assert.ok(soak.stdout.includes('Total words:           0\n'), 'streamed responses count no words (as the original)');
    assert.ok(soak.stdout.includes('Successful requests:   4\n'));
    const results = soakLog(await readFile('/tmp/soak_llm.log'));
    assert.deepEqual(results.map((r) => `${r.worker}-${r.request}:${r.status}`).sort(), ['1-1:SUCCESS', '1-2:SUCCESS', '2-1:SUCCESS', '2-2:SUCCESS']);

    const s = analyzeCapture(await scrape(BE_PORT), 'metrics-vllm.log');
    assert.equal(s.requests, 5);
    assert.equal(s.generationTokens, 7 + 4 * 20);
    assert.equal(s.latency.itl?.count, 6 + 4 * 19);
    const fe = parseExposition(await scrape(FE_PORT));
    const byKind = Object.fromEntries(family(fe.families, 'dynamo_frontend_requests_total').samples.map((x) => [`${x.labels.endpoint}/${x.labels.request_type}/${x.labels.status}`, x.value]));
    assert.deepEqual(byKind, { 'chat_completions/stream/success': 1, 'completions/stream/success': 4 });

    // unlimited requests: progress every 5 s, then the time limit
    const timed = await run(['python3', SOAK, '--requests_per_worker', '0', '--duration', '6', '--max-tokens', '10'], { timeoutMs: 60000 });
    assert.equal(timed.exitCode, 0, timed.stderr);
    assert.match(timed.stdout, /^Elapsed: 5s, Active workers: 2, Requests completed: [1-9]\d*, Words\/sec: \d+\.\d, Chars\/sec: \d+\.\d$/m);
    assert.ok(timed.stdout.includes('\nTime limit reached. Stopping workers...\n'));
    assert.ok(!timed.stdout.includes('All requests completed successfully.'));
    await stopStack(pid);
  });

  it('--backend and --frontend started apart find each other; --disagg runs a prefill and a decode worker', async () => {
    const backend = await startStack('/tmp/inference-backend.log', ['--backend', '--framework', 'sglang']);
    const bLog = await waitForLog('/tmp/inference-backend.log', (t) => t.includes('has been initialized'), 'the worker to load');
    assert.ok(bLog.includes('Launched sglang backend process only. Press Ctrl+C to exit.\n'), bLog);
    const frontend = await startStack('/tmp/inference-frontend.log', ['--frontend']);
    const fLog = await waitForLog('/tmp/inference-frontend.log', (t) => ADDED_MODEL.test(t), '"added model"');
    assert.ok(fLog.includes('Launched frontend process only. Press Ctrl+C to exit.\n'), fLog);
    assert.ok(!fLog.includes('framework'), 'a frontend-only run detects no framework');
    const one = await run(['python3', SOAK, '--max-tokens', '8'], { timeoutMs: 60000 });
    assert.equal(one.exitCode, 0, one.stderr);
    assert.equal(analyzeCapture(await scrape(BE_PORT), 'metrics-sglang.log').generationTokens, 8);
    const workerCmd = (await dynamoProcesses()).filter((p) => p.includes('dynamo.sglang'));
    await stopStack(frontend, [FE_PORT], workerCmd);
    await stopStack(backend, [BE_PORT]);

    const log = '/tmp/inference-disagg.log';
    const pid = await startStack(log, ['--framework', 'vllm', '--disagg'], { FAKE_DYNAMO_PREFILL_WAIT_S: '0' });
    const text = await waitForLog(log, (t) => ADDED_MODEL.test(t), '"added model"');
    for (const l of ['Running Dynamo inference in disaggregated mode (prefill + decode workers)', 'Launching prefill worker on port 8081 (24% GPU memory)...', 'Prefill worker is ready!', 'Launching decode worker on port 8082 (24% GPU memory)...', 'Launched frontend and vllm processes (decode + prefill). Press Ctrl+C to exit.']) {
      assert.ok(text.split('\n').includes(l), `log line ${l}\n${text}`);
    }
    assert.match(text, /^\[PREFILL\] \+ python3 -m dynamo\.vllm --model Qwen\/Qwen3-0\.6B .*--is-prefill-worker/m);
    assert.match(text, /^\[DECODE\] \S+Z +INFO dynamo\.vllm\.main: vLLM worker for Qwen\/Qwen3-0\.6B has been initialized$/m);
    const procs = await dynamoProcesses();
    assert.ok(procs.includes('python3 -m dynamo.frontend --http-port 8000 --router-mode kv'), procs.join('\n'));
    assert.equal(procs.filter((p) => p.startsWith('python3 -m dynamo.vllm ')).length, 2);
    const soak = await run(['python3', SOAK, '--max-tokens', '12'], { timeoutMs: 60000 });
    assert.equal(soak.exitCode, 0, soak.stderr);
    assert.equal(analyzeCapture(await scrape(BE_PORT + 1), 'metrics-vllm.log').generationTokens, 12, 'the decode worker served it');
    assert.equal(analyzeCapture(await scrape(BE_PORT), 'metrics-vllm.log').requests, 0, 'the prefill worker only registered');
    await stopStack(pid, [FE_PORT, BE_PORT, BE_PORT + 1]);
  });

  it('FAKE_DYNAMO_NEVER_READY: no "added model", empty /v1/models, unhealthy; soak_fe.py waits until SIGTERM, then exits 130', async () => {
    const log = '/tmp/inference-never.log';
    const pid = await startStack(log, ['--framework', 'vllm'], { FAKE_DYNAMO_NEVER_READY: '1' });
    await waitFor(async () => (await httpGet(BE_PORT, '/health').catch(() => null))?.status === 503, { timeoutMs: 15000, intervalMs: 100, what: 'the worker system port' });
    await waitFor(async () => (await httpGet(FE_PORT, '/health').catch(() => null))?.status, { timeoutMs: 15000, intervalMs: 100, what: 'the frontend' });
    const models = await httpGet(FE_PORT, '/v1/models');
    assert.equal(models.status, 200);
    assert.deepEqual(JSON.parse(models.body).data, []);
    const health = await httpGet(FE_PORT, '/health');
    assert.equal(health.body, '{"instances":[],"message":"No endpoints available","status":"unhealthy"}');
    assert.deepEqual(JSON.parse((await httpGet(BE_PORT, '/health')).body), { status: 'notready', endpoints: [] });
    assert.equal(analyzeCapture(await scrape(BE_PORT), 'metrics-vllm.log').inventory.map((f) => f.name).join(), 'dynamo_component_uptime_seconds');

    // soak_fe.py waits for a model for ever; SIGTERM ends it with 130
    const script = 'python3 "$0" --max-tokens 5 > /tmp/soak-never.out 2>&1 < /dev/null & echo $! > /tmp/soak-never.pid; wait $!; echo $? > /tmp/soak-never.rc';
    const bg = await run(['bash', '-c', 'nohup bash -c "$1" "$0" > /dev/null 2>&1 < /dev/null &', SOAK, script]);
    assert.equal(bg.exitCode, 0, bg.stderr);
    const soakPid = Number((await waitFor(async () => (await run(['cat', '/tmp/soak-never.pid'])).stdout.trim(), { what: 'the soak PID' })));
    const waiting = await waitFor(async () => {
      const t = await readFile('/tmp/soak-never.out');
      return t.includes('ModelFetcher: No models found in response, retrying in 2.0 seconds... (attempt 1)') ? t : undefined;
    }, { timeoutMs: 15000, what: 'soak_fe.py to retry the model fetch' });
    assert.ok(waiting.includes('ModelFetcher: Fetching model information...'));
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(await isRunning(soakPid), true, 'soak_fe.py is still waiting');
    assert.equal((await run(['kill', '-TERM', String(soakPid)])).exitCode, 0);
    const rc = await waitFor(async () => (await run(['cat', '/tmp/soak-never.rc'])).stdout.trim(), { timeoutMs: 10000, what: 'soak_fe.py to exit' });
    assert.equal(rc, '130');
    assert.ok((await readFile('/tmp/soak-never.out')).includes('Load test interrupted and cleaned up.'));

    assert.ok(!ADDED_MODEL.test(await readFile(log)), 'no "added model" line');
    await stopStack(pid);
  });

  it('FAKE_DYNAMO_CRASH_AFTER: the worker dies with an ERROR line, the model goes away, inference.sh keeps waiting', async () => {
    const log = '/tmp/inference-crash.log';
    const pid = await startStack(log, ['--framework', 'sglang'], { FAKE_DYNAMO_CRASH_AFTER: '2.5' });
    await waitForLog(log, (t) => ADDED_MODEL.test(t), '"added model"');
    const text = await waitForLog(log, (t) => t.includes('removed model'), '"removed model"', 15000);
    assert.match(text, /^\S+Z ERROR dynamo\.sglang\.main: EngineCore encountered a fatal error: .*FAKE_DYNAMO_CRASH_AFTER=2\.5/m);
    assert.match(text, /INFO dynamo_llm::discovery::watcher: removed model model_name="Qwen\/Qwen3-0\.6B"/);
    const procs = await dynamoProcesses();
    assert.deepEqual(procs, ['python3 -m dynamo.frontend --http-port 8000'], 'only the frontend is left');
    assert.equal(await isRunning(pid), true, 'inference.sh still waits for the frontend (as the real one does)');
    assert.deepEqual(JSON.parse((await httpGet(FE_PORT, '/v1/models')).body).data, []);
    assert.equal(await portInUse(BE_PORT), false);
    const r = await httpCall('POST', FE_PORT, '/v1/chat/completions', { model: MODEL, messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 });
    assert.equal(r.status, 404);
    await stopStack(pid);
  });

  it('FAKE_DYNAMO_HTTP_500=0.5: soak_fe.py logs ERROR(500), retries, and still says "All requests completed successfully." with exit 0', async () => {
    const log = '/tmp/inference-500.log';
    // every attempt takes >= 500 ms, so soak_fe.py's 100 ms progress check never lets a 4th attempt slip in
    const pid = await startStack(log, ['--framework', 'trtllm'], { FAKE_DYNAMO_HTTP_500: '0.5', FAKE_DYNAMO_TTFT_MS: '500' });
    await waitForLog(log, (t) => ADDED_MODEL.test(t), '"added model"');
    const soak = await run(['python3', SOAK, '--max-tokens', '50', '--requests_per_worker', '3', '--verbose'], { timeoutMs: 60000 });
    assert.equal(soak.exitCode, 0, soak.stderr);
    assert.ok(soak.stdout.includes('All 3 requests completed before time limit.\nAll requests completed successfully.\n'), soak.stdout.slice(-1500));
    for (const l of ['Result:                ❌', 'Total requests:        3', 'Successful requests:   2', 'Failed requests:       1', 'Success rate:          66.7%', 'Detailed logs are in: /tmp/soak_llm.log']) {
      assert.ok(soak.stdout.split('\n').includes(l), `summary line ${l}`);
    }
    assert.ok(soak.stderr.includes('Worker 1: HTTP error 500'), soak.stderr);
    assert.ok(soak.stderr.includes('ModelFetcher: Model information invalidated, re-fetch requested'));
    const results = soakLog(await readFile('/tmp/soak_llm.log'));
    assert.deepEqual(results.map((r) => [r.request, r.status]), [[1, 'SUCCESS'], [2, 'ERROR(500)'], [2, 'SUCCESS']]);
    // failed attempts never reached the worker
    const s = analyzeCapture(await scrape(BE_PORT), 'metrics-trtllm.log');
    assert.equal(s.requests, 2);
    assert.equal(s.latency.e2e?.count, 2);
    const fe = analyzeCapture(await scrape(FE_PORT), 'fe.log');
    assert.equal(fe.requestsBy?.success, 2);
    assert.ok((fe.requestsBy?.error ?? 0) >= 1, 'the 4th attempt (another 500) may have been sent before soak_fe.py stopped');
    await stopStack(pid);
  });

  it('FAKE_DYNAMO_METRICS_EMPTY and _SLOW: /metrics answers 200 with nothing, late', async () => {
    const log = '/tmp/inference-empty.log';
    const pid = await startStack(log, ['--framework', 'vllm'], { FAKE_DYNAMO_METRICS_EMPTY: '1', FAKE_DYNAMO_METRICS_SLOW: '1.5' });
    await waitForLog(log, (t) => ADDED_MODEL.test(t), '"added model"');
    const r = await httpGet(BE_PORT, '/metrics');
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
    // the delay shows as behaviour: a client that waits 0.5 s gets no answer, one that waits longer does
    await assert.rejects(httpGet(BE_PORT, '/metrics', 500), /timed out/);
    const s = analyzeCapture(r.body, 'metrics-vllm.log');
    assert.equal(s.sampleLines, 0);
    assert.equal(s.requests, null);
    assert.equal(s.detection.source, 'fileName');
    assert.equal((await httpGet(BE_PORT, '/health')).status, 200, 'the rest of the worker is fine');
    await stopStack(pid);
  });

  it('ports already taken: frontend → ❌ and exit 1 (the trap trips over FRONTEND_PID); backend → moves to 8082', async () => {
    listeners.add(await listenOn(FE_PORT));
    const r = await run([INFERENCE, '--framework', 'vllm'], { timeoutMs: 30000 });
    assert.equal(r.exitCode, 1);
    const lines = r.stdout.split('\n');
    const i = lines.indexOf('❌ Error: Port 8000 (frontend) is already bound');
    assert.ok(i > 0, r.stdout);
    assert.deepEqual(lines.slice(i + 1, i + 3), ['Please free up this port before running the script.', 'Cleaning up...']);
    assert.match(r.stderr, /FRONTEND_PID: unbound variable/, 'the real script fails the same way in its EXIT trap');
    assert.ok(!r.stdout.includes('Launched'));
    assert.deepEqual(await dynamoProcesses(), []);
    for (const s of [...listeners]) {
      await closeServer(s);
      listeners.delete(s);
    }

    listeners.add(await listenOn(BE_PORT));
    const log = '/tmp/inference-port.log';
    const pid = await startStack(log, ['--framework', 'vllm']);
    const text = await waitForLog(log, (t) => ADDED_MODEL.test(t), '"added model"');
    assert.ok(text.includes('✅ Port 8082 (backend) is available\n  (original port 8081 was in use, incremented by +1)\n'), text);
    assert.match(text, /^\+ DYN_SYSTEM_PORT=8082$/m);
    assert.equal(analyzeCapture(await scrape(BE_PORT + 1), 'metrics-vllm.log').framework, 'vllm');
    await stopStack(pid, [FE_PORT, BE_PORT + 1]);
  });
});
