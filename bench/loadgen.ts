// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Benchmark: the built-in load generator's maximum request and token rate (src/core/inference/loadgen.ts)
// against the peer measured in the same run, the fake stack's soak_fe.py (the Python original, streaming,
// same workers / requests / max tokens), on loopback, with the fake stack run on the host (no Docker):
//   - the fake Dynamo frontend (test/fake-dynamo, Python http.server with TCP_NODELAY, so each SSE chunk
//     leaves at once, as from Dynamo's frontend),
//   - a small Node SSE server in a child process, sending the fake frontend's chunks as fast as it can:
//     not a Dynamo stand-in, a server fast enough to show each client's own ceiling.
// The generator's pace is 10M tokens/s and TTFT 0, so only the HTTP work is measured. Both clients are
// timed the same way: successful completions per second between the first and the last completion (ours
// from onProgress, soak_fe.py from the timestamps of its per-request log, moved to a temp file by a launcher).
// soak_fe.py with one worker prints every response (as the original does; to /dev/null here), a cost it
// always pays. Nothing here is asserted; ratios are ours ÷ soak_fe.py (above 1: ours is faster).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../test/support/net.cjs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runLoad } from '../src/core/inference/loadgen';
import { parseSoakLog, SOAK_LOG_LINE } from '../src/core/inference/soakReport';

const root = resolve(__dirname, '..');
const fakeDir = join(root, 'test/fake-dynamo');
const MODEL = 'Qwen/Qwen3-0.6B';

export interface ClientRate {
  requests: number;
  failed: number;
  requestsPerSecond: number;
  outputTokensPerSecond: number;
}

export interface LoadgenBenchRow {
  target: string;
  workers: number;
  requestsPerWorker: number;
  maxTokens: number;
  ours: ClientRate;
  peer: ClientRate;
  /** ours ÷ soak_fe.py, requests per second. */
  ratio: number;
}

export interface LoadgenBenchResult {
  cpus: number;
  reps: number;
  rows: LoadgenBenchRow[];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A child whose stderr tail is kept (and drained, so it never blocks on a full pipe). */
interface Child {
  name: string;
  proc: ChildProcess;
  tail(): string;
  exited: Promise<number | null>;
}

function start(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const proc = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<number | null>((r) => {
    proc.on('exit', (code) => r(code));
    proc.on('error', () => r(-1));
  });
  return { name, proc, tail: () => err, exited };
}

/** SIGTERM, then SIGKILL after 3 s: only the processes this bench started, by their own handle. */
async function stop(c: Child): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  c.proc.kill('SIGTERM');
  const done = await Promise.race([c.exited.then(() => true), sleep(3000).then(() => false)]);
  if (!done) {
    c.proc.kill('SIGKILL');
    await c.exited;
  }
}

async function waitForModel(url: string, child: Child, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null) throw new Error(`${child.name} exited: ${child.tail()}`);
    try {
      const res = await fetch(`${url}/v1/models`);
      const j = (await res.json()) as { data?: { id?: string }[] };
      if (j.data?.[0]?.id) return;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new Error(`${child.name}: no model at ${url} after ${ms} ms: ${child.tail()}`);
}

/** Completions per second between the first and the last completion. */
function spanRate(times: number[]): number {
  if (times.length < 2) return 0;
  const s = [...times].sort((a, b) => a - b);
  return (s.length - 1) / ((s[s.length - 1]! - s[0]!) / 1000);
}

async function ours(url: string, workers: number, requestsPerWorker: number, maxTokens: number): Promise<ClientRate> {
  const times: number[] = [];
  let lastFailed = 0;
  const r = await runLoad({
    baseUrl: url,
    model: MODEL,
    workers,
    requestsPerWorker,
    maxTokens,
    onProgress: (p) => {
      // successful completions only, like the soak log's SUCCESS lines
      if (p.failed === lastFailed) times.push(performance.now());
      lastFailed = p.failed;
    },
  });
  const rps = spanRate(times);
  const tokensPerRequest = r.requests.succeeded > 0 ? (r.outputTokens ?? 0) / r.requests.succeeded : 0;
  return { requests: r.requests.total, failed: r.requests.failed, requestsPerSecond: rps, outputTokensPerSecond: rps * tokensPerRequest };
}

/** soak_fe.py, unchanged but for its log path (a temp file instead of /tmp/soak_llm.log). */
async function peer(dir: string, port: number, workers: number, requestsPerWorker: number, maxTokens: number): Promise<ClientRate> {
  const log = join(dir, `soak-${port}-${workers}.log`);
  const launcher = join(dir, 'soak_launcher.py');
  writeFileSync(
    launcher,
    [
      'import sys',
      'sys.path.insert(0, sys.argv[1])',
      'log = sys.argv[2]',
      'sys.argv = ["soak_fe.py"] + sys.argv[3:]',
      'import soak_fe',
      '_init = soak_fe.LoadTestConfig.__init__',
      'def _init_log(self):',
      '    _init(self)',
      '    self.log_file = log',
      'soak_fe.LoadTestConfig.__init__ = _init_log',
      'soak_fe.main()',
      '',
    ].join('\n'),
  );
  const args = [launcher, fakeDir, log, '--port', String(port), '--workers', String(workers), '--requests_per_worker', String(requestsPerWorker), '--max-tokens', String(maxTokens), '--stream', '--duration_sec', '600'];
  const c = start('soak_fe.py', 'python3', args, { ...process.env, PYTHONDONTWRITEBYTECODE: '1' });
  const code = await c.exited;
  if (code !== 0) throw new Error(`soak_fe.py exited ${code}: ${c.tail()}`);
  const text = readFileSync(log, 'utf8');
  const summary = parseSoakLog(text);
  const times: number[] = [];
  for (const line of text.split('\n')) {
    const m = SOAK_LOG_LINE.exec(line);
    if (m && m[5] === 'SUCCESS') times.push(new Date(m[1]!.replace(' ', 'T')).getTime());
  }
  const rps = spanRate(times);
  // the fake frontend and the Node server send exactly max_tokens tokens per request
  return { requests: summary.attempts.length, failed: summary.failedAttempts, requestsPerSecond: rps, outputTokensPerSecond: rps * maxTokens };
}

/** The Node server: the fake frontend's chunk shapes, every token its own write, usage when asked. */
const NODE_SERVER = `
const http = require('node:http');
const model = ${JSON.stringify(MODEL)};
const toks = ['Sure', '!', ' Here', ' are', ' three', ' knock', '-', 'knock', ' jokes', ':\\n\\n'];
const server = http.createServer({ keepAliveTimeout: 60000 }, (req, res) => {
  if (req.method === 'GET' && req.url === '/v1/models') {
    res.setHeader('content-type', 'application/json');
    return res.end(JSON.stringify({ object: 'list', data: [{ id: model, object: 'object', created: 1, owned_by: 'nvidia' }] }));
  }
  const parts = [];
  req.on('data', (d) => parts.push(d));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    const chat = req.url === '/v1/chat/completions';
    const n = body.max_tokens || 100;
    const id = (chat ? 'chatcmpl-' : 'cmpl-') + Math.random().toString(16).slice(2);
    const created = Math.floor(Date.now() / 1000);
    const object = chat ? 'chat.completion.chunk' : 'text_completion';
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (let i = 0; i < n; i++) {
      const t = toks[i % toks.length];
      const choice = chat ? { index: 0, delta: { content: t, role: 'assistant' }, finish_reason: null } : { index: 0, text: t, finish_reason: null, logprobs: null };
      res.write('data: ' + JSON.stringify({ id, choices: [choice], created, model, object }) + '\\n\\n');
    }
    const last = chat ? { index: 0, delta: {}, finish_reason: 'length' } : { index: 0, text: '', finish_reason: 'length', logprobs: null };
    res.write('data: ' + JSON.stringify({ id, choices: [last], created, model, object }) + '\\n\\n');
    if (body.stream_options && body.stream_options.include_usage) res.write('data: ' + JSON.stringify({ id, choices: [], created, model, object, usage: { prompt_tokens: 33, completion_tokens: n, total_tokens: 33 + n } }) + '\\n\\n');
    res.end('data: [DONE]\\n\\n');
  });
});
server.listen(Number(process.argv[1]), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

/** The run with the median request rate. */
function medianRate(xs: ClientRate[]): ClientRate {
  const s = [...xs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return s[Math.floor(s.length / 2)]!;
}

export async function benchLoadgen(opts: { maxTokens?: number; reps?: number } = {}): Promise<LoadgenBenchResult | null> {
  const maxTokens = opts.maxTokens ?? 100;
  const reps = opts.reps ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'dynamo-bench-loadgen-'));
  const children: Child[] = [];
  try {
    const [systemPort, fePort, nodePort] = [await freePort(), await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PYTHONPATH: fakeDir,
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
      FAKE_DYNAMO_DISCOVERY_DIR: join(dir, 'discovery'),
      FAKE_DYNAMO_TOKENS_PER_SEC: '10000000',
      FAKE_DYNAMO_TTFT_MS: '0',
      FAKE_DYNAMO_LOAD_MS: '0',
      DYN_SYSTEM_PORT: String(systemPort),
    };
    const worker = start('fake vllm worker', 'python3', ['-m', 'dynamo.vllm', '--model', MODEL], env);
    children.push(worker);
    const early = await Promise.race([worker.exited.then((c) => `exited ${c}`), sleep(300).then(() => null)]);
    if (early !== null) {
      console.log(`\nLoad generator: the fake stack did not start (python3 needed): worker ${early}: ${worker.tail()}`);
      return null;
    }
    // both frontends watch the same discovery dir, so both route to the one worker
    const fe = start('fake frontend', 'python3', ['-m', 'dynamo.frontend', '--http-port', String(fePort)], env);
    children.push(fe);
    const node = start('node SSE server', process.execPath, ['-e', NODE_SERVER, String(nodePort)], { ...process.env });
    children.push(node);
    const url = (p: number) => `http://127.0.0.1:${p}`;
    await Promise.all([waitForModel(url(fePort), fe), waitForModel(url(nodePort), node)]);

    const targets: { name: string; port: number }[] = [
      { name: 'fake Dynamo frontend', port: fePort },
      { name: 'Node SSE server (client ceiling)', port: nodePort },
    ];
    // warm-up: JIT for ours, imports and page cache for the Python side
    for (const t of targets) {
      await ours(url(t.port), 2, 10, maxTokens);
      await peer(dir, t.port, 2, 5, maxTokens);
    }

    const plan = [
      { workers: 1, requestsPerWorker: 200 },
      { workers: 8, requestsPerWorker: 50 },
    ];
    const rows: LoadgenBenchRow[] = [];
    console.log(`\nLoad generator vs soak_fe.py, streaming chat, ${maxTokens} tokens per request, generator pace 10M tokens/s, TTFT 0, on ${cpus().length} CPUs shared by clients and servers (load average ${loadavg()[0]!.toFixed(1)} before the runs)`);
    console.log(`  rate = successful completions per second between the first and the last, median of ${reps} runs; ratio = ours ÷ soak_fe.py`);
    for (const t of targets) {
      for (const p of plan) {
        const rpw = p.requestsPerWorker;
        const as: ClientRate[] = [];
        const bs: ClientRate[] = [];
        for (let i = 0; i < reps; i++) {
          // alternate which client goes first
          if (i % 2 === 0) as.push(await ours(url(t.port), p.workers, rpw, maxTokens));
          bs.push(await peer(dir, t.port, p.workers, rpw, maxTokens));
          if (i % 2 === 1) as.push(await ours(url(t.port), p.workers, rpw, maxTokens));
        }
        const a = medianRate(as);
        const b = medianRate(bs);
        const ratio = a.requestsPerSecond / b.requestsPerSecond;
        rows.push({ target: t.name, workers: p.workers, requestsPerWorker: rpw, maxTokens, ours: a, peer: b, ratio });
        const fmt = (x: ClientRate) => `${x.requestsPerSecond.toFixed(0).padStart(5)} req/s ${(x.outputTokensPerSecond / 1000).toFixed(1).padStart(6)} k tok/s${x.failed ? ` (${x.failed} failed)` : ''}`;
        console.log(`  ${t.name.padEnd(33)} ${String(p.workers).padStart(2)} workers × ${String(rpw).padStart(3)}: ours ${fmt(a)} | soak_fe.py ${fmt(b)} | ratio ${ratio.toFixed(2)}`);
      }
    }
    const row = (t: number, workers: number) => rows.find((r) => r.target === targets[t]!.name && r.workers === workers);
    for (const p of plan) {
      for (const t of [0]) {
        const r = row(t, p.workers);
        const ceiling = row(1, p.workers);
        if (!r || !ceiling || ceiling.ours.requestsPerSecond < 1.5 * r.ours.requestsPerSecond) continue;
        const same = Math.abs(r.ratio - 1) < 0.2 ? '; both clients hit the same ceiling' : '';
        console.log(`  note: ${r.target}, ${p.workers} workers: the frontend is the bottleneck, not ours (ours does ${ceiling.ours.requestsPerSecond.toFixed(0)} req/s against the Node server)${same}.`);
      }
    }
    return { cpus: cpus().length, reps, rows };
  } finally {
    for (const c of children.reverse()) await stop(c);
    rmSync(dir, { recursive: true, force: true });
  }
}
