// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The built-in load generator against a real local HTTP server (node:http) that serves /v1/models and
// OpenAI-style SSE with controlled timings. Times are only bounded from below (the server's own delays),
// or from above by amounts far larger than any scheduling noise. Lower bounds allow 1 ms per server
// sleep: libuv timers count from the loop's cached millisecond clock and may fire up to 1 ms early.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { freePort } from '../support/net.cjs';
import { runLoad, SseParser, type LoadOptions, type LoadProgress } from '../../src/core/inference/loadgen';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Received {
  method: string;
  url: string;
  raw: string;
  body: Record<string, unknown> | null;
  worker: number;
  request: number;
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  body: Record<string, unknown>;
  worker: number;
  request: number;
  /** 1-based count of generation requests seen so far. */
  n: number;
}

interface Fake {
  url: string;
  port: number;
  received: Received[];
  posts(): Received[];
  modelGets(): number;
  /** Sockets currently open (the server's side). */
  open: Set<Socket>;
  /** Responses closed by the client before the server ended them. */
  abortedResponses: number;
  close(): Promise<void>;
}

/** A fake OpenAI-compatible frontend; `generate` writes each generation response. */
async function fakeServer(generate: (c: Ctx) => Promise<void> | void, models: () => string[] = () => ['fake/model']): Promise<Fake> {
  const received: Received[] = [];
  const open = new Set<Socket>();
  let n = 0;
  const fake = {} as Fake;
  fake.abortedResponses = 0;
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const raw = Buffer.concat(parts).toString('utf8');
      let body: Record<string, unknown> | null = null;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
      } catch {
        body = null;
      }
      const text = JSON.stringify(body ?? {});
      const m = /\((\d+) \/ (\d+)\)/.exec(text);
      const request = m ? Number(m[1]) : 0;
      const worker = m ? Number(m[2]) : 0;
      received.push({ method: req.method ?? '', url: req.url ?? '', raw, body, worker, request });
      if (req.method === 'GET' && req.url === '/v1/models') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ object: 'list', data: models().map((id) => ({ id, object: 'model' })) }));
        return;
      }
      res.on('close', () => {
        if (!res.writableFinished) fake.abortedResponses++;
      });
      Promise.resolve(generate({ req, res, body: body ?? {}, worker, request, n: ++n })).catch(() => res.destroy());
    });
  });
  server.on('connection', (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    open,
    posts: () => received.filter((r) => r.method === 'POST'),
    modelGets: () => received.filter((r) => r.method === 'GET' && r.url === '/v1/models').length,
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  });
}

interface StreamShape {
  ttftMs?: number;
  tokens?: number;
  gapMs?: number;
  crlf?: boolean;
  /** Cut every event into several writes: mid-JSON, and between CR and LF. */
  split?: boolean;
  /** Send a usage chunk with this completion_tokens. */
  usage?: number;
  completions?: boolean;
  /** End the body after this many tokens, without finish_reason or [DONE]. */
  cutAfter?: number;
  /** Destroy the socket after this many tokens. */
  destroyAfter?: number;
}

/** Writes an SSE response like Dynamo's frontend (role-only first chunk, content chunks, finish, usage, [DONE]). */
async function sse(res: ServerResponse, s: StreamShape = {}): Promise<void> {
  const nl = s.crlf ? '\r\n' : '\n';
  const write = async (obj: unknown) => {
    const ev = `data: ${typeof obj === 'string' ? obj : JSON.stringify(obj)}${nl}${nl}`;
    if (!s.split) {
      res.write(ev);
      return;
    }
    // pieces: up to the middle of the JSON, up to the CR of the first line ending, the rest
    const mid = Math.floor(ev.length / 2);
    const cr = s.crlf ? ev.indexOf('\r\n') + 1 : ev.indexOf('\n');
    const cuts = [...new Set([3, mid, cr])].filter((c) => c > 0 && c < ev.length).sort((a, b) => a - b);
    let at = 0;
    for (const c of cuts) {
      res.write(ev.slice(at, c));
      at = c;
      await sleep(1);
    }
    res.write(ev.slice(at));
  };
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  const tokens = s.tokens ?? 10;
  await sleep(s.ttftMs ?? 0);
  if (!s.completions) await write({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
  res.write(`: keep-alive comment${nl}${nl}`);
  for (let i = 0; i < tokens; i++) {
    if (i > 0 && s.gapMs) await sleep(s.gapMs);
    if (s.cutAfter === i) {
      res.end();
      return;
    }
    if (s.destroyAfter === i) {
      res.destroy();
      return;
    }
    await write(s.completions ? { choices: [{ index: 0, text: `t${i} é`, finish_reason: null }] } : { choices: [{ index: 0, delta: { content: `t${i} é` }, finish_reason: null }] });
  }
  await write(s.completions ? { choices: [{ index: 0, text: '', finish_reason: 'length' }] } : { choices: [{ index: 0, delta: {}, finish_reason: 'length' }] });
  if (s.usage !== undefined) await write({ choices: [], usage: { prompt_tokens: 33, completion_tokens: s.usage, total_tokens: 33 + s.usage } });
  await write('[DONE]');
  res.end();
}

function json(res: ServerResponse, status: number, obj: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(obj));
}

describe('load generator (runLoad against a local HTTP server)', function () {
  this.timeout(20000);
  let fake: Fake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const opts = (o: Partial<LoadOptions>): LoadOptions => ({ baseUrl: fake!.url, workers: 1, requestsPerWorker: 1, maxTokens: 16, ...o });

  it('measures TTFT, ITL and tokens of streamed chat responses split across writes mid-line', async () => {
    fake = await fakeServer(({ res }) => sse(res, { ttftMs: 30, tokens: 10, gapMs: 5, split: true }));
    const progress: LoadProgress[] = [];
    const r = await runLoad(opts({ workers: 2, requestsPerWorker: 3, framework: 'vllm', onProgress: (p) => progress.push(p) }));
    assert.equal(r.schema, 'dynamo-dev/soak@1');
    assert.equal(r.engine, 'builtin');
    assert.equal(r.framework, 'vllm');
    assert.equal(r.model, 'fake/model', 'the first id of /v1/models');
    assert.equal(r.target, `${fake.url}/v1/chat/completions`);
    assert.equal(r.cancelled, false);
    assert.deepEqual(r.params, { maxTokens: 16, requestsPerWorker: 3, workers: 2, stream: true });
    assert.deepEqual(r.requests, { total: 6, succeeded: 6, failed: 0, errors: {} });
    assert.equal(fake.posts().length, 6);
    assert.deepEqual(fake.posts().map((p) => `${p.worker}/${p.request}`).sort(), ['1/1', '1/2', '1/3', '2/1', '2/2', '2/3']);
    for (const p of r.perRequest) {
      assert.equal(p.ok, true);
      assert.equal(p.status, 200);
      assert.equal(p.outputTokens, 10, 'no usage chunk: one token per content chunk (the empty role chunk is not one)');
      assert.ok(p.ttft !== null && p.ttft >= 0.029, `TTFT ${p.ttft} ≥ the server's 30 ms`);
      assert.ok(p.ttft < 2, `TTFT ${p.ttft} plausibly close to 30 ms`);
      assert.ok(p.e2e >= 0.065, `e2e ${p.e2e} ≥ 30 ms + 9 × 5 ms`);
      assert.ok(p.e2e > p.ttft);
    }
    assert.equal(r.outputTokens, 60);
    assert.equal(r.ttft?.count, 6);
    assert.ok(r.ttft!.min >= 0.029);
    assert.equal(r.itl?.count, 6 * 9, 'tokens − 1 gaps per request, pooled');
    assert.ok(r.itl!.mean > 0.001, `ITL mean ${r.itl!.mean} reflects the 5 ms gaps`);
    assert.equal(r.e2e?.count, 6);
    assert.equal(r.tokensPerSecond?.count, 6);
    assert.ok(r.tokensPerSecond!.max <= 10 / (9 * 0.004), 'decode rate bounded by the server pace (10 tokens over ≥ 9 × 5 ms)');
    assert.ok(r.wallSeconds >= 3 * 0.065, 'three sequential requests per worker');
    assert.ok(Math.abs(r.throughput.requestsPerSecond - 6 / r.wallSeconds) < 1e-9);
    assert.ok(Math.abs(r.throughput.outputTokensPerSecond! - 60 / r.wallSeconds) < 1e-9);
    assert.ok(Date.parse(r.finishedAt) >= Date.parse(r.startedAt));
    assert.deepEqual(progress.map((p) => p.done), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(progress[5], { done: 6, total: 6, failed: 0, outputTokens: 60 });
    // the chat body of soak_fe.py, plus stream_options
    const first = fake.posts().find((p) => p.worker === 2 && p.request === 3)!;
    assert.equal(first.url, '/v1/chat/completions');
    assert.deepEqual(first.body, {
      model: 'fake/model',
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Tell me 3 knock knock jokes. (3 / 2)' },
      ],
      stream: true,
      max_tokens: 16,
      stream_options: { include_usage: true },
    });
  });

  it('takes output tokens from the usage chunk when there is one, with CRLF line endings split between CR and LF', async () => {
    fake = await fakeServer(({ res }) => sse(res, { ttftMs: 20, tokens: 10, gapMs: 2, crlf: true, split: true, usage: 25 }));
    const r = await runLoad(opts({ workers: 2, requestsPerWorker: 2, model: 'given' }));
    assert.deepEqual(r.requests, { total: 4, succeeded: 4, failed: 0, errors: {} });
    assert.equal(fake.modelGets(), 0, 'a given model is not looked up');
    for (const p of r.perRequest) {
      assert.equal(p.outputTokens, 25, 'usage.completion_tokens wins over the 10 content chunks');
      assert.ok(p.ttft! >= 0.019);
    }
    assert.equal(r.outputTokens, 100);
    assert.equal(r.itl?.count, 4 * 9, 'ITL still counts gaps between content chunks');
    assert.equal(fake.posts()[0]!.body!.model, 'given');
  });

  it('reads CRLF streams without splits and without usage', async () => {
    fake = await fakeServer(({ res }) => sse(res, { tokens: 5, crlf: true }));
    const r = await runLoad(opts({ workers: 3, requestsPerWorker: 2 }));
    assert.equal(r.requests.succeeded, 6);
    assert.deepEqual(r.perRequest.map((p) => p.outputTokens), [5, 5, 5, 5, 5, 5]);
    assert.equal(r.itl?.count, 6 * 4);
  });

  it('counts HTTP 500 as failed with its status, and does not retry', async () => {
    fake = await fakeServer(({ res, n }) => (n % 2 === 0 ? json(res, 500, { message: 'Internal server error (fake fault)', type: 'Internal Server Error', code: 500 }) : sse(res, { tokens: 3 })));
    const r = await runLoad(opts({ workers: 2, requestsPerWorker: 3 }));
    assert.equal(fake.posts().length, 6, 'each request sent once');
    assert.deepEqual(r.requests, { total: 6, succeeded: 3, failed: 3, errors: { 'HTTP 500': 3 } });
    const bad = r.perRequest.filter((p) => !p.ok);
    assert.equal(bad.length, 3);
    for (const p of bad) {
      assert.equal(p.status, 500);
      assert.match(p.error ?? '', /^HTTP 500\b/);
      assert.ok(p.error!.length < 200, 'short error text');
      assert.equal(p.ttft, null);
    }
    assert.equal(r.ttft?.count, 3, 'percentiles over successful requests only');
    assert.equal(r.e2e?.count, 3);
    assert.equal(r.outputTokens, 9);
  });

  it('counts a refused connection as status 0, kind connection', async () => {
    const port = await freePort();
    const r = await runLoad({ baseUrl: `http://127.0.0.1:${port}`, model: 'm', workers: 2, requestsPerWorker: 2, maxTokens: 8 });
    assert.deepEqual(r.requests, { total: 4, succeeded: 0, failed: 4, errors: { connection: 4 } });
    for (const p of r.perRequest) {
      assert.equal(p.status, 0);
      assert.equal(p.ok, false);
      assert.match(p.error ?? '', /ECONNREFUSED/);
    }
    assert.equal(r.ttft, null);
    assert.equal(r.e2e, null);
    assert.equal(r.outputTokens, 0);
    assert.equal(r.throughput.requestsPerSecond, 0);
  });

  it('gives up on model discovery after modelWaitMs when nothing answers', async () => {
    const port = await freePort();
    const t = performance.now();
    await assert.rejects(runLoad({ baseUrl: `http://127.0.0.1:${port}`, workers: 1, requestsPerWorker: 1, maxTokens: 8, modelWaitMs: 300 }), /No model at http:\/\/127\.0\.0\.1:\d+\/v1\/models after 0\.3 s \(.*ECONNREFUSED/);
    assert.ok(performance.now() - t >= 300);
  });

  it('fails a stream that ends without [DONE] or finish_reason as incomplete stream', async () => {
    fake = await fakeServer(({ res, request }) => sse(res, request === 2 ? { tokens: 10, cutAfter: 3 } : { tokens: 4 }));
    const r = await runLoad(opts({ requestsPerWorker: 3 }));
    assert.deepEqual(r.requests, { total: 3, succeeded: 2, failed: 1, errors: { 'incomplete stream': 1 } });
    const bad = r.perRequest.find((p) => !p.ok)!;
    assert.equal(bad.request, 2);
    assert.equal(bad.status, 200);
    assert.equal(bad.outputTokens, 3, 'what arrived before the cut');
    assert.match(bad.error ?? '', /incomplete stream|without \[DONE\]/);
    assert.equal(r.itl?.count, 2 * 3, "the failed request's gaps are not pooled");
  });

  it('fails a stream whose connection drops mid-body as incomplete stream', async () => {
    fake = await fakeServer(({ res }) => sse(res, { tokens: 10, destroyAfter: 2 }));
    const r = await runLoad(opts({ requestsPerWorker: 2 }));
    assert.deepEqual(r.requests.errors, { 'incomplete stream': 2 });
    for (const p of r.perRequest) assert.equal(p.status, 200);
  });

  it("fails a stream that ends with the frontend's error event", async () => {
    fake = await fakeServer(({ res }) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"choices":[{"index":0,"delta":{"content":"Sure"}}]}\n\n');
      res.end('event: error\ndata: {"message":"Stream ended before generation completed","code":500}\n\n');
    });
    const r = await runLoad(opts({}));
    assert.deepEqual(r.requests.errors, { 'incomplete stream': 1 });
    assert.match(r.perRequest[0]!.error!, /Stream ended before generation completed/);
  });

  it('fails a stream that carries an error object even when it ends with [DONE]', async () => {
    fake = await fakeServer(({ res }) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"error":{"message":"boom","code":400}}\n\ndata: [DONE]\n\n');
    });
    const r = await runLoad(opts({}));
    assert.deepEqual(r.requests.errors, { 'stream error': 1 });
    assert.equal(r.perRequest[0]!.error, 'boom');
  });

  it('times out a request that never answers, and one that stalls mid-stream', async () => {
    fake = await fakeServer(async ({ res, request }) => {
      if (request === 1) return; // never answers
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"choices":[{"index":0,"delta":{"content":"a"}}]}\n\n'); // and stalls
    });
    const t = performance.now();
    const r = await runLoad(opts({ requestsPerWorker: 2, requestTimeoutMs: 250 }));
    assert.ok(performance.now() - t < 5000);
    assert.deepEqual(r.requests.errors, { timeout: 2 });
    const [a, b] = r.perRequest;
    assert.equal(a!.status, 0);
    assert.equal(b!.status, 200);
    // libuv timers count from the loop's cached time, so they may fire a little before 250 ms of performance.now()
    assert.ok(a!.e2e >= 0.24 && b!.e2e >= 0.24, `${a!.e2e} ${b!.e2e}`);
    assert.match(a!.error!, /timeout/);
  });

  it('waits for /v1/models to list a model before sending', async () => {
    const ready = performance.now() + 600;
    fake = await fakeServer(({ res }) => sse(res, { tokens: 2 }), () => (performance.now() < ready ? [] : ['late/model']));
    const r = await runLoad(opts({ requestsPerWorker: 2 }));
    assert.equal(r.model, 'late/model');
    assert.ok(fake.modelGets() >= 2, `asked ${fake.modelGets()} times`);
    assert.equal(r.requests.succeeded, 2);
    for (const p of fake.posts()) assert.equal(p.body!.model, 'late/model');
    const firstPost = fake.received.findIndex((x) => x.method === 'POST');
    assert.ok(fake.received.slice(0, firstPost).every((x) => x.url === '/v1/models'), 'nothing posted before the model was listed');
  });

  it('on abort resolves promptly with what was measured and closes its connections', async () => {
    // request 1 of each worker is quick, request 2 would take 10 s
    fake = await fakeServer(({ res, request }) => sse(res, request === 1 ? { tokens: 3 } : { tokens: 50, gapMs: 200 }));
    const ac = new AbortController();
    const run = runLoad(opts({ workers: 4, requestsPerWorker: 5, signal: ac.signal }));
    while (fake.posts().length < 8) await sleep(5);
    await sleep(100); // the slow responses are streaming
    assert.equal(fake.open.size, 4, 'one connection per worker');
    ac.abort();
    const r = await run;
    assert.equal(r.cancelled, true);
    assert.deepEqual(r.requests, { total: 4, succeeded: 4, failed: 0, errors: {} }, 'the finished requests; the aborted ones are left out');
    assert.ok(r.perRequest.every((p) => p.request === 1));
    assert.equal(fake.posts().length, 8, 'nothing sent after the abort');
    for (let i = 0; i < 100 && (fake.open.size > 0 || fake.abortedResponses < 4); i++) await sleep(10);
    assert.equal(fake.abortedResponses, 4, 'the server saw its in-flight responses closed');
    assert.equal(fake.open.size, 0, 'no connection left open');
  });

  it('an abort while waiting for a model resolves cancelled with nothing sent', async () => {
    fake = await fakeServer(() => undefined, () => []);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const r = await runLoad(opts({ signal: ac.signal }));
    assert.equal(r.cancelled, true);
    assert.equal(r.model, null);
    assert.equal(r.requests.total, 0);
    assert.equal(fake.posts().length, 0);
  });

  it('non-streaming: output tokens from usage, no TTFT or ITL, soak_fe.py body', async () => {
    fake = await fakeServer(({ res }) => json(res, 200, { id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'length' }], usage: { prompt_tokens: 33, completion_tokens: 7, total_tokens: 40 } }));
    const r = await runLoad(opts({ workers: 2, requestsPerWorker: 2, stream: false, maxTokens: 7 }));
    assert.deepEqual(r.requests, { total: 4, succeeded: 4, failed: 0, errors: {} });
    assert.equal(r.params.stream, false);
    for (const p of r.perRequest) {
      assert.equal(p.ttft, null);
      assert.equal(p.outputTokens, 7);
    }
    assert.equal(r.ttft, null);
    assert.equal(r.itl, null);
    assert.equal(r.e2e?.count, 4);
    assert.equal(r.outputTokens, 28);
    const p = fake.posts().find((x) => x.worker === 1 && x.request === 2)!;
    assert.equal(p.raw, JSON.stringify({ model: 'fake/model', messages: [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: 'Tell me 3 knock knock jokes. (2 / 1)' }], stream: false, max_tokens: 7 }));
  });

  it('completions API: posts /v1/completions with the soak_fe.py body and reads choices[0].text', async () => {
    fake = await fakeServer(({ res, body }) => (body.stream ? sse(res, { tokens: 6, completions: true, gapMs: 1 }) : json(res, 200, { object: 'text_completion', choices: [{ index: 0, text: 'hi', finish_reason: 'length' }], usage: { completion_tokens: 6 } })));
    const r = await runLoad(opts({ api: 'completions', workers: 2, requestsPerWorker: 1, maxTokens: 6 }));
    assert.equal(r.target, `${fake.url}/v1/completions`);
    assert.equal(r.requests.succeeded, 2);
    assert.deepEqual(r.perRequest.map((p) => p.outputTokens), [6, 6]);
    assert.equal(r.itl?.count, 2 * 5);
    const posts = fake.posts().sort((a, b) => a.worker - b.worker);
    assert.deepEqual(posts.map((p) => p.url), ['/v1/completions', '/v1/completions']);
    assert.equal(posts[1]!.raw, JSON.stringify({ model: 'fake/model', prompt: 'Tell me 3 knock knock jokes. (1 / 2)', stream: true, max_tokens: 6, stream_options: { include_usage: true } }));
    // and without streaming, exactly soak_fe.py's body
    const before = fake.posts().length;
    const r2 = await runLoad(opts({ api: 'completions', stream: false, model: 'm', maxTokens: 6 }));
    assert.equal(r2.requests.succeeded, 1);
    assert.equal(fake.posts()[before]!.raw, JSON.stringify({ model: 'm', prompt: 'Tell me 3 knock knock jokes. (1 / 1)', stream: false, max_tokens: 6 }));
  });

  it('accepts a base URL ending in / or /v1', async () => {
    fake = await fakeServer(({ res }) => sse(res, { tokens: 1 }));
    for (const suffix of ['/', '/v1', '/v1/']) {
      const r = await runLoad(opts({ baseUrl: fake.url + suffix }));
      assert.equal(r.requests.succeeded, 1, suffix);
      assert.equal(r.target, `${fake.url}/v1/chat/completions`);
    }
  });

  it('rejects bad parameters', async () => {
    await assert.rejects(runLoad({ baseUrl: 'http://127.0.0.1:1', workers: 0, requestsPerWorker: 1, maxTokens: 1 }), RangeError);
    await assert.rejects(runLoad({ baseUrl: 'http://127.0.0.1:1', workers: 1, requestsPerWorker: 1.5, maxTokens: 1 }), RangeError);
    await assert.rejects(runLoad({ baseUrl: 'ftp://127.0.0.1:1', workers: 1, requestsPerWorker: 1, maxTokens: 1 }), /Not an http/);
  });
});

describe('SseParser', () => {
  const collect = (chunks: Buffer[]) => {
    const out: [string, string | null][] = [];
    const p = new SseParser((d, e) => out.push([d, e]));
    for (const c of chunks) p.push(c);
    p.end();
    return out;
  };
  const text = 'data: {"a":"ü€😀"}\r\n\r\n: comment\n\nevent: error\ndata: {"message":"x"}\n\ndata: line1\ndata:line2\n\nid: 7\ndata: [DONE]';
  const expected: [string, string | null][] = [
    ['{"a":"ü€😀"}', null],
    ['{"message":"x"}', 'error'],
    ['line1\nline2', null],
    ['[DONE]', null],
  ];
  it('parses a whole body', () => {
    assert.deepEqual(collect([Buffer.from(text)]), expected);
  });
  it('parses the same body fed one byte at a time (split lines, CR/LF and UTF-8 characters)', () => {
    const b = Buffer.from(text);
    assert.deepEqual(collect([...b].map((x) => Buffer.from([x]))), expected);
  });
  it('does not keep a reference to a chunk it was given', () => {
    const out: string[] = [];
    const p = new SseParser((d) => out.push(d));
    const chunk = Buffer.from('data: abc');
    p.push(chunk);
    chunk.fill(0x78);
    p.push(Buffer.from('def\n\n'));
    assert.deepEqual(out, ['abcdef']);
  });
});
