// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// The built-in load generator: the soak against an OpenAI-compatible frontend (Dynamo's), measured on the
// client side. `workers` concurrent workers each send `requestsPerWorker` requests one after the other,
// with the bodies soak_fe.py sends, and every request's TTFT, inter-token gaps, end-to-end latency and
// output tokens are taken from the response as it streams in. The result is a SoakReport.
//
// Unlike soak_fe.py, a failed request is NOT retried (soak_fe.py resends it with the same id after a
// connection error, HTTP 400/404, and waits for /v1/models again): a failure is counted and the worker
// goes on with its next request, so the report says exactly what the server did.
//
// undici is loaded on first use (`await import('undici')`, bundled into dist/vendor/undici.js), never at
// activation. Requests go through one keep-alive Pool with a connection per worker and the raw dispatch
// API: the response body arrives as Buffers that are cut into SSE lines in place, one timestamp per
// chunk, one JSON.parse per event, no streams or per-token strings beyond the event's data.
import type { Dispatcher } from 'undici';
import { percentiles, SOAK_SCHEMA, type SoakReport, type SoakRequest } from './soakReport';

export interface LoadProgress {
  /** Requests finished (succeeded or failed). */
  done: number;
  total: number;
  failed: number;
  /** Output tokens of the successful requests so far. */
  outputTokens: number;
}

export interface LoadOptions {
  /** e.g. http://127.0.0.1:8000 (a trailing `/` or `/v1` is ignored). */
  baseUrl: string;
  /** Default: the first id of GET /v1/models, retried until it lists one (modelWaitMs) or the signal aborts. */
  model?: string;
  /** Concurrent workers (≥ 1), one connection each. */
  workers: number;
  /** Sequential requests per worker (≥ 1). */
  requestsPerWorker: number;
  maxTokens: number;
  /** Default true (SSE); false: one JSON response per request (no TTFT, no ITL). */
  stream?: boolean;
  /** Default chat: POST /v1/chat/completions; completions: POST /v1/completions. */
  api?: 'chat' | 'completions';
  /** Per request, default 120000. */
  requestTimeoutMs?: number;
  /** How long to wait for /v1/models to list a model, default 30000. */
  modelWaitMs?: number;
  /** Cancels: in-flight requests are aborted (and left out of the report), the promise resolves with what was measured. */
  signal?: AbortSignal;
  /** After every finished request. */
  onProgress?: (p: LoadProgress) => void;
  /** Copied into the report. */
  framework?: string;
}

export type LoadReport = SoakReport & { cancelled: boolean };

/** What requests.errors counts: `HTTP <status>` or one of these. */
export type LoadErrorKind = `HTTP ${number}` | 'connection' | 'timeout' | 'incomplete stream' | 'stream error' | 'invalid response';

const SYSTEM_PROMPT = 'You are a helpful assistant.';
const MODEL_RETRY_MS = 250;
const MODEL_ATTEMPT_TIMEOUT_MS = 5000;
const ERROR_BODY_BYTES = 1024;
const EMPTY = Buffer.alloc(0);

// ---------------------------------------------------------------------------------------------------
// Server-sent events

/**
 * Incremental SSE parser over raw body chunks: lines end in LF or CRLF (either may be split across
 * chunks; UTF-8 never has 0x0A inside a character, so lines are cut on bytes and decoded whole), `data:`
 * lines of an event are joined with `\n`, a blank line dispatches the event. `event:` names the event's
 * type; comments and other fields are skipped. At the end of the body a pending event is dispatched even
 * without its blank line.
 */
export class SseParser {
  private carry: Buffer | null = null;
  private data: string | null = null;
  private event: string | null = null;

  constructor(private readonly onEvent: (data: string, event: string | null) => void) {}

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.carry !== null) {
      buf = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    const n = buf.length;
    let start = 0;
    while (start < n) {
      const nl = buf.indexOf(10, start);
      if (nl === -1) break;
      this.line(buf, start, nl > start && buf[nl - 1] === 13 ? nl - 1 : nl);
      start = nl + 1;
    }
    // A copy: the rest of a line is kept past this call, the chunk's memory is undici's.
    if (start < n) this.carry = Buffer.from(buf.subarray(start));
  }

  end(): void {
    const c = this.carry;
    this.carry = null;
    if (c !== null) this.line(c, 0, c.length > 0 && c[c.length - 1] === 13 ? c.length - 1 : c.length);
    this.line(EMPTY, 0, 0);
  }

  private line(buf: Buffer, s: number, e: number): void {
    if (s === e) {
      const data = this.data;
      const event = this.event;
      this.data = null;
      this.event = null;
      if (data !== null) this.onEvent(data, event);
      return;
    }
    const c0 = buf[s];
    // data:
    if (c0 === 0x64 && e - s >= 5 && buf[s + 1] === 0x61 && buf[s + 2] === 0x74 && buf[s + 3] === 0x61 && buf[s + 4] === 0x3a) {
      const v = s + 5 < e && buf[s + 5] === 0x20 ? s + 6 : s + 5;
      const value = buf.toString('utf8', v, e);
      this.data = this.data === null ? value : this.data + '\n' + value;
    } else if (c0 === 0x65 && e - s >= 6 && buf.toString('latin1', s, s + 6) === 'event:') {
      this.event = buf.toString('utf8', s + 6 < e && buf[s + 6] === 0x20 ? s + 7 : s + 6, e);
    }
    // `:` comments, id:, retry: and unknown fields are of no use here
  }
}

// ---------------------------------------------------------------------------------------------------
// One request

interface Outcome extends SoakRequest {
  kind?: LoadErrorKind;
  /** Seconds between successive content chunks. */
  gaps: number[] | null;
}

/** The parts of a chunk or response this reads (anything else in it is ignored). */
interface Choice {
  delta?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown } | null;
  message?: { content?: unknown } | null;
  text?: unknown;
  finish_reason?: unknown;
}
interface OpenAiObject {
  choices?: Choice[];
  usage?: { completion_tokens?: unknown } | null;
  error?: unknown;
  object?: unknown;
  message?: unknown;
}

function errorText(x: unknown): string {
  if (typeof x === 'string') return x;
  if (x && typeof x === 'object') {
    const o = x as { message?: unknown; error?: unknown };
    if (typeof o.message === 'string') return o.message;
    if (o.error !== undefined) return errorText(o.error);
  }
  return 'error';
}

function short(s: string, n = 160): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

/** One exchange, driven by undici's dispatch callbacks; settles exactly once (null: cancelled). */
class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  private abortReason: Error | null = null;
  private settled = false;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly t0 = performance.now();
  private status = 0;
  private headersSeen = false;
  private sse: SseParser | null = null;
  private body: Buffer[] | null = null;
  private bodyBytes = 0;
  /** Arrival time of the chunk being parsed. */
  private now = 0;
  private first = -1;
  private last = -1;
  private gaps: number[] | null = null;
  private contentChunks = 0;
  private usageTokens: number | null = null;
  private sawDone = false;
  private finished = false;
  private streamError: string | null = null;

  constructor(
    private readonly worker: number,
    private readonly request: number,
    private readonly stream: boolean,
    timeoutMs: number,
    private readonly resolve: (o: Outcome | null) => void,
  ) {
    this.timer = setTimeout(() => {
      this.fail('timeout', `timeout after ${timeoutMs / 1000} s`, performance.now());
      this.abort(new Error('request timeout'));
    }, timeoutMs);
  }

  /** Cancelled by the caller: settles at once (left out of the report) and closes the connection. */
  cancel(): void {
    this.settle(null);
    this.abort(new Error('cancelled'));
  }

  private abort(reason: Error): void {
    if (this.abortReason) return;
    this.abortReason = reason;
    this.controller?.abort(reason); // not connected yet: onRequestStart aborts it
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortReason) controller.abort(this.abortReason);
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.status = statusCode;
    this.headersSeen = true;
    if (statusCode < 200 || statusCode >= 300) {
      this.body = [];
      return;
    }
    const ct = headers['content-type'];
    // A server that ignores "stream": true answers with one JSON body; read it as such.
    const json = typeof ct === 'string' && ct.includes('json');
    if (this.stream && !json) {
      this.sse = new SseParser((data, event) => this.onEvent(data, event));
      this.gaps = [];
    } else this.body = [];
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    if (this.sse !== null) {
      this.now = performance.now();
      this.sse.push(chunk);
    } else if (this.body !== null) {
      const ok = this.status >= 200 && this.status < 300;
      if (ok || this.bodyBytes < ERROR_BODY_BYTES) {
        this.body.push(chunk);
        this.bodyBytes += chunk.length;
      }
    }
  }

  onResponseEnd(): void {
    if (this.settled) return;
    const end = performance.now();
    const status = this.status;
    if (status < 200 || status >= 300) {
      let detail = '';
      if (this.body && this.bodyBytes > 0) {
        const text = Buffer.concat(this.body).toString('utf8', 0, Math.min(this.bodyBytes, ERROR_BODY_BYTES));
        try {
          detail = errorText(JSON.parse(text));
        } catch {
          detail = text;
        }
        detail = detail && detail !== 'error' ? `: ${short(detail, 120)}` : '';
      }
      this.fail(`HTTP ${status}`, `HTTP ${status}${detail}`, end);
      return;
    }
    if (this.sse !== null) {
      this.now = end;
      this.sse.end();
      if (!this.sawDone && !this.finished) this.fail('incomplete stream', this.streamError ? `incomplete stream: ${short(this.streamError)}` : 'stream ended without [DONE] or finish_reason', end);
      else if (this.streamError !== null) this.fail('stream error', short(this.streamError), end);
      else this.succeed(this.usageTokens ?? this.contentChunks, end);
      return;
    }
    // One JSON response (stream false, or a server that ignored stream true).
    let obj: OpenAiObject;
    try {
      obj = JSON.parse(Buffer.concat(this.body ?? []).toString('utf8')) as OpenAiObject;
    } catch {
      this.fail('invalid response', 'response is not JSON', end);
      return;
    }
    if (!obj || typeof obj !== 'object' || obj.error !== undefined || obj.object === 'error') {
      this.fail('stream error', short(errorText(obj)), end);
      return;
    }
    if (!Array.isArray(obj.choices)) {
      this.fail('invalid response', 'response has no choices', end);
      return;
    }
    const n = obj.usage?.completion_tokens;
    this.succeed(typeof n === 'number' ? n : null, end);
  }

  onResponseError(_c: Dispatcher.DispatchController | undefined, err: Error): void {
    if (this.settled) return;
    const end = performance.now();
    const msg = err.message || (err as { code?: string }).code || String(err);
    if (this.headersSeen && this.status >= 200 && this.status < 300) this.fail('incomplete stream', `incomplete stream: ${short(msg)}`, end);
    else if (this.headersSeen) this.fail(`HTTP ${this.status}`, `HTTP ${this.status}`, end);
    else this.fail('connection', short(msg), end);
  }

  /** Only from the SSE parser, inside onResponseData/onResponseEnd: `this.now` is the chunk's arrival. */
  private onEvent(data: string, event: string | null): void {
    if (event === 'error') {
      this.streamError = this.parseError(data);
      return;
    }
    if (data === '[DONE]') {
      this.sawDone = true;
      return;
    }
    let obj: OpenAiObject;
    try {
      obj = JSON.parse(data) as OpenAiObject;
    } catch {
      return; // not JSON: skip, like soak_fe.py
    }
    if (obj === null || typeof obj !== 'object') return;
    if ((obj.error !== undefined && obj.error !== null) || obj.object === 'error') {
      this.streamError = errorText(obj);
      return;
    }
    const c = obj.choices?.[0];
    if (c) {
      let text: unknown;
      const d = c.delta;
      if (d) {
        text = d.content;
        if (typeof text !== 'string' || text.length === 0) text = d.reasoning_content;
        if (typeof text !== 'string' || text.length === 0) text = d.reasoning;
      } else text = c.text;
      if (typeof text === 'string' && text.length > 0) {
        const t = this.now;
        if (this.first < 0) this.first = t;
        else this.gaps!.push((t - this.last) / 1000);
        this.last = t;
        this.contentChunks++;
      }
      if (c.finish_reason !== undefined && c.finish_reason !== null) this.finished = true;
    }
    const n = obj.usage?.completion_tokens;
    if (typeof n === 'number') this.usageTokens = n;
  }

  private parseError(data: string): string {
    try {
      return errorText(JSON.parse(data));
    } catch {
      return data;
    }
  }

  private base(end: number): Outcome {
    return {
      worker: this.worker,
      request: this.request,
      ok: false,
      status: this.status,
      ttft: this.first >= 0 ? (this.first - this.t0) / 1000 : null,
      e2e: (end - this.t0) / 1000,
      outputTokens: null,
      gaps: null,
    };
  }

  private succeed(outputTokens: number | null, end: number): void {
    const o = this.base(end);
    o.ok = true;
    o.outputTokens = outputTokens;
    o.gaps = this.gaps;
    this.settle(o);
  }

  private fail(kind: LoadErrorKind, error: string, end: number): void {
    const o = this.base(end);
    if (this.sse !== null) o.outputTokens = this.usageTokens ?? this.contentChunks; // what arrived before it broke
    o.error = error;
    o.kind = kind;
    this.settle(o);
  }

  private settle(o: Outcome | null): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.resolve(o);
  }
}

// ---------------------------------------------------------------------------------------------------
// The run

function prompt(request: number, worker: number): string {
  return `Tell me 3 knock knock jokes. (${request} / ${worker})`;
}

/** soak_fe.py's bodies (plus stream_options when streaming, which servers may ignore). */
export function requestBody(api: 'chat' | 'completions', model: string, worker: number, request: number, stream: boolean, maxTokens: number): string {
  const text = prompt(request, worker);
  const body: Record<string, unknown> =
    api === 'chat'
      ? { model, messages: [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: text }], stream, max_tokens: maxTokens }
      : { model, prompt: text, stream, max_tokens: maxTokens };
  if (stream) body.stream_options = { include_usage: true };
  return JSON.stringify(body);
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be an integer ≥ 1 (got ${v})`);
  return v;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The first model /v1/models lists, asked again every 250 ms; null when cancelled, throws after waitMs. */
async function discoverModel(pool: Dispatcher, path: string, url: string, waitMs: number, signal: AbortSignal | undefined): Promise<string | null> {
  const deadline = performance.now() + waitMs;
  let last = 'no answer';
  for (;;) {
    if (signal?.aborted) return null;
    const left = deadline - performance.now();
    const timeout = Math.max(1, Math.min(MODEL_ATTEMPT_TIMEOUT_MS, left));
    try {
      const res = await pool.request({ method: 'GET', path, signal, headersTimeout: timeout, bodyTimeout: timeout, headers: { accept: 'application/json' } });
      const text = await res.body.text();
      if (res.statusCode === 200) {
        const id = (JSON.parse(text) as { data?: { id?: unknown }[] } | null)?.data?.[0]?.id;
        if (typeof id === 'string' && id !== '') return id;
        last = 'no model listed yet';
      } else last = `HTTP ${res.statusCode}`;
    } catch (e) {
      if (signal?.aborted) return null;
      last = e instanceof Error ? e.message || (e as { code?: string }).code || e.name : String(e);
    }
    const rest = deadline - performance.now();
    if (rest <= 0) throw new Error(`No model at ${url} after ${(waitMs / 1000).toFixed(1)} s (${last})`);
    await sleep(Math.min(MODEL_RETRY_MS, rest), signal);
  }
}

export async function runLoad(opts: LoadOptions): Promise<LoadReport> {
  const workers = positiveInt('workers', opts.workers);
  const requestsPerWorker = positiveInt('requestsPerWorker', opts.requestsPerWorker);
  const maxTokens = positiveInt('maxTokens', opts.maxTokens);
  const stream = opts.stream ?? true;
  const api = opts.api ?? 'chat';
  // setTimeout takes at most 2^31 − 1 ms (more fires at once)
  const timeoutMs = Math.min(Math.max(1, opts.requestTimeoutMs ?? 120_000), 2 ** 31 - 1);
  const signal = opts.signal;
  const base = new URL(opts.baseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error(`Not an http(s) URL: ${opts.baseUrl}`);
  const prefix = base.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  const path = `${prefix}/v1/${api === 'chat' ? 'chat/completions' : 'completions'}`;
  const target = base.origin + path;
  const total = workers * requestsPerWorker;

  const perRequest: SoakRequest[] = [];
  const errors: Record<string, number> = {};
  const ttfts: number[] = [];
  const e2es: number[] = [];
  const itls: number[] = [];
  const rates: number[] = [];
  let succeeded = 0;
  let failed = 0;
  let tokens = 0;
  let tokensKnown = 0;
  let model: string | null = opts.model ?? null;
  let startedAt = new Date();
  let t0 = performance.now();
  let t1 = t0;
  let cancelled = false;

  const { Pool } = await import('undici');
  // headers/body timeouts off: the per-request timer covers the whole exchange.
  const pool = new Pool(base.origin, { connections: workers, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 0, bodyTimeout: 0 });
  const inflight = new Set<Exchange>();
  const onAbort = () => {
    for (const x of [...inflight]) x.cancel();
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const record = (o: Outcome) => {
    const { kind, gaps, ...r } = o;
    perRequest.push(r);
    if (r.ok) {
      succeeded++;
      e2es.push(r.e2e);
      if (r.ttft !== null) ttfts.push(r.ttft);
      if (gaps) for (let i = 0; i < gaps.length; i++) itls.push(gaps[i]!);
      if (r.outputTokens !== null) {
        tokens += r.outputTokens;
        tokensKnown++;
        // (e2e − TTFT); without a TTFT (one JSON response), over e2e.
        rates.push(r.outputTokens / (r.e2e - (r.ttft ?? 0)));
      }
    } else {
      failed++;
      const k = kind ?? 'connection';
      errors[k] = (errors[k] ?? 0) + 1;
    }
    if (opts.onProgress) {
      try {
        opts.onProgress({ done: succeeded + failed, total, failed, outputTokens: tokens });
      } catch {
        // a progress display must not stop the run
      }
    }
  };

  const headers = { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' };
  const send = (worker: number, request: number, m: string): Promise<Outcome | null> =>
    new Promise((resolve) => {
      const body = requestBody(api, m, worker, request, stream, maxTokens);
      const x: Exchange = new Exchange(worker, request, stream, timeoutMs, (o) => {
        inflight.delete(x);
        resolve(o);
      });
      inflight.add(x);
      pool.dispatch({ origin: base.origin, method: 'POST', path, headers, body }, x);
    });

  try {
    if (model === null && !signal?.aborted) model = await discoverModel(pool, `${prefix}/v1/models`, `${base.origin}${prefix}/v1/models`, opts.modelWaitMs ?? 30_000, signal);
    startedAt = new Date();
    t0 = performance.now();
    if (model !== null && !signal?.aborted) {
      const m = model;
      const worker = async (w: number) => {
        for (let r = 1; r <= requestsPerWorker; r++) {
          if (signal?.aborted) return;
          const o = await send(w, r, m);
          if (o === null) return;
          record(o);
        }
      };
      await Promise.all(Array.from({ length: workers }, (_, i) => worker(i + 1)));
    }
    t1 = performance.now();
    cancelled = signal?.aborted ?? false;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    for (const x of [...inflight]) x.cancel();
    // Also closes the idle keep-alive connections (and any request still queued after a timeout).
    await pool.destroy().catch(() => undefined);
  }

  const wallSeconds = (t1 - t0) / 1000;
  const outputTokens = succeeded > 0 && tokensKnown === 0 ? null : tokens;
  return {
    schema: SOAK_SCHEMA,
    engine: 'builtin',
    framework: opts.framework ?? 'unknown',
    model,
    target,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date(startedAt.getTime() + (t1 - t0)).toISOString(),
    wallSeconds,
    params: { maxTokens, requestsPerWorker, workers, stream },
    requests: { total: perRequest.length, succeeded, failed, errors },
    outputTokens,
    throughput: {
      requestsPerSecond: wallSeconds > 0 ? succeeded / wallSeconds : 0,
      outputTokensPerSecond: outputTokens === null ? null : wallSeconds > 0 ? outputTokens / wallSeconds : 0,
    },
    ttft: percentiles(ttfts),
    itl: percentiles(itls),
    e2e: percentiles(e2es),
    tokensPerSecond: percentiles(rates),
    perRequest,
    cancelled,
  };
}
