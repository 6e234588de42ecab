// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// Collect Metrics: the dynamo-utils metrics procedure (start inference.sh, wait for `added model`, soak,
// scrape /metrics, save notes/metrics-<fw>.log, clean up), one framework after another, through exec.
// Each step has its own timeout and failure message; cancelling runs the clean-up; only the processes the
// run started are stopped (by the marker in their environment), then only Dynamo processes still holding
// the run's ports.
import type Dockerode from 'dockerode';
import { randomUUID } from 'node:crypto';
import { access, constants, mkdir, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { toMount } from '../docker/discovery';
import type { Mount } from '../docker/model';
import { containerToHost } from '../docker/paths';
import { parseExposition } from '../metrics/parser';
import { writeFileAtomic } from '../util/atomicWrite';
import { nullLogger, type Logger } from '../util/logger';
import { busyPorts, ContainerGoneError, ContainerShell, EngineGoneError, isInferenceProcess, RUN_MARKER, type Proc } from './containerOps';
import { canConnect, fetchText, type Route } from './http';
import { runLoad } from './loadgen';
import { printable, SOAK_LOG, UTILS_CANDIDATES, validateRequest, type CollectRequest, type Framework } from './options';
import { LineSplitter, scanLogLine, Tail } from './serverLog';
import { renderTemplate, placeholdersOf } from './shell';
import { parseSoakLog, percentiles, SOAK_SCHEMA, soakReportPathFor, type SoakReport } from './soakReport';

export type StepId = 'preflight' | 'start' | 'ready' | 'soak' | 'scrape' | 'save' | 'cleanup';
export type StepStatus = 'running' | 'ok' | 'warning' | 'failed' | 'cancelled' | 'skipped';

export const STEP_TITLES: Record<StepId, string> = {
  preflight: 'Pre-flight checks',
  start: 'Start the server',
  ready: 'Wait until ready',
  soak: 'Soak test',
  scrape: 'Scrape /metrics',
  save: 'Save the capture',
  cleanup: 'Clean up',
};

export interface StepRecord {
  name: StepId;
  /** null for the run-wide pre-flight step. */
  framework: Framework | null;
  status: StepStatus;
  seconds: number;
  detail: string;
}

export type CollectEvent =
  | { type: 'step'; step: StepRecord }
  | { type: 'log'; framework: Framework; source: 'server' | 'soak'; line: string }
  | { type: 'soakProgress'; framework: Framework; done: number; total: number; failed: number };

export interface FrameworkOutcome {
  framework: Framework;
  ok: boolean;
  files: string[];
  error: string | null;
  model: string | null;
}

export interface CollectResult {
  steps: StepRecord[];
  /** Host paths saved (captures, soak reports), in order. */
  files: string[];
  error: string | null;
  cancelled: boolean;
  container: { id: string; name: string } | null;
  notesDir: string | null;
  frameworks: FrameworkOutcome[];
}

export interface CollectDeps {
  docker: Dockerode;
  /** The engine runs on this machine, so container ports may be reachable from here. */
  localEngine: boolean;
  logger?: Logger;
  now?: () => Date;
}

export interface CollectHooks {
  signal?: AbortSignal;
  onEvent?: (e: CollectEvent) => void;
}

/** A run on this container is already going (in this process or, through the lock, in another). */
export class RunConflictError extends Error {}
class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}
class StepError extends Error {}

const LOCK_DIR = '/tmp/dynamo-dev-collect.lock';
/** Steps that work in the container: their failures are checked for a container that stopped under them. */
const IN_CONTAINER: ReadonlySet<StepId> = new Set(['start', 'ready', 'soak', 'scrape']);
const POLL_MS = 200;
const CLEANUP_GRACE_MS = 8000;
/** Container id → what the run going on it in this process is (named when a second run is refused). */
const active = new Map<string, string>();
/** Owner lines of the in-container locks this process holds right now. */
const heldLocks = new Set<string>();

/** Container ids with a run going in this process. */
export function activeRuns(): ReadonlySet<string> {
  return new Set(active.keys());
}

const LOCK_ACQUIRE = `d="$1"; o="$2"
if mkdir "$d" 2>/dev/null; then printf '%s\\n' "$o" > "$d/owner"; echo ACQUIRED; else echo HELD; cat "$d/owner" 2>/dev/null; fi; exit 0`;
const LOCK_RELEASE = `d="$1"; o="$2"; [ "$(cat "$d/owner" 2>/dev/null)" = "$o" ] && rm -rf "$d"; exit 0`;
const LOCK_BREAK = `rm -rf "$1"; exit 0`;
/** Prints `@@alive <n>` (processes with the run's marker), then the log from byte `$2` on. */
const POLL_LOG = `log="$1"; off="$2"; m="$3"; self=$$; n=0
for d in /proc/[0-9]*; do [ "\${d#/proc/}" = "$self" ] && continue; if tr '\\0' '\\n' < "$d/environ" 2>/dev/null | grep -qxF "$m"; then n=$((n+1)); fi; done
echo "@@alive $n"; tail -c +"$((off+1))" "$log" 2>/dev/null; exit 0`;
/** Runs the server command under nohup, all output to the log, and returns at once with the launcher's PID. */
const START_SERVER = `cmd="$1"; log="$2"
if command -v bash >/dev/null 2>&1; then sh=bash; else sh=sh; fi
nohup "$sh" -c "$cmd" > "$log" 2>&1 < /dev/null &
echo "$!"`;

function seconds(ms: number): number {
  return Math.round(ms / 10) / 100;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function joinLines(lines: string, indent = '  '): string {
  return lines
    .split('\n')
    .map((l) => indent + l)
    .join('\n');
}

/** Watches inference.sh's log and the run's processes while the server runs. */
class ServerWatch {
  ready = false;
  model: string | null = null;
  backendPort: number;
  disagg = false;
  alive = -1;
  /** Set when the server printed an error, lost its model or exited. */
  failure: string | null = null;
  readonly tail = new Tail(15);
  private offset = 0;
  private readonly splitter = new LineSplitter();
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly listeners = new Set<() => void>();
  private engineError: Error | null = null;

  constructor(
    private readonly shell: ContainerShell,
    private readonly log: string,
    private readonly runId: string,
    private readonly onLine: (line: string) => void,
    backendPort: number,
  ) {
    this.backendPort = backendPort;
  }

  start(): void {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.pollOnce();
      } catch (e) {
        if (e instanceof ContainerGoneError || e instanceof EngineGoneError) {
          this.engineError = e;
          this.notify();
          return;
        }
        // a single failed poll is retried
      }
      this.notify();
      await new Promise<void>((r) => {
        const t = setTimeout(r, POLL_MS);
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
    }
  }

  async pollOnce(): Promise<void> {
    const r = await this.shell.script(POLL_LOG, [this.log, String(this.offset), `${RUN_MARKER}=${this.runId}`], { timeoutMs: 15000 });
    const text = r.stdout;
    const head = /^@@alive (\d+)\n/.exec(text);
    if (!head) return;
    this.alive = Number(head[1]);
    let body = text.slice(head[0].length);
    // consume complete lines only, so a multi-byte character cut at the end is read whole next time
    const lastNl = body.lastIndexOf('\n');
    body = lastNl >= 0 ? body.slice(0, lastNl + 1) : '';
    this.offset += Buffer.byteLength(body, 'utf8');
    for (const line of this.splitter.push(body)) this.line(line);
    if (this.alive === 0 && !this.failure) {
      // the log may hold a last unterminated line
      const rest = text.slice(head[0].length + body.length);
      if (rest) this.line(rest);
      this.failure = 'the server exited';
    }
  }

  private line(line: string): void {
    this.tail.add(line);
    this.onLine(line);
    const ev = scanLogLine(line);
    if (!ev) return;
    switch (ev.kind) {
      case 'ready':
        this.ready = true;
        this.model = ev.model || this.model;
        break;
      case 'backendPort':
        this.backendPort = ev.port;
        break;
      case 'disagg':
        this.disagg = true;
        break;
      case 'removed':
        if (this.ready) this.failure ??= `the frontend dropped the model: ${line.trim()}`;
        break;
      case 'error':
        this.failure ??= `the server logged an error: ${line.trim()}`;
        break;
    }
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Resolves when `cond` holds (checked after each poll), rejects on cancel, engine loss or timeout. */
  waitFor(cond: () => boolean, timeoutMs: number, signal: AbortSignal | undefined, onTimeout: () => Error): Promise<void> {
    return new Promise((resolve, reject) => {
      const finish = (err?: Error) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const check = () => {
        if (this.engineError) finish(this.engineError);
        else if (cond()) finish();
      };
      const onAbort = () => finish(new CancelledError());
      const timer = setTimeout(() => finish(onTimeout()), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) return finish(new CancelledError());
      this.listeners.add(check);
      check();
    });
  }

  /** Calls `fn` once the server fails (or right away if it has). Returns an unsubscribe. */
  onFailure(fn: (why: string) => void): () => void {
    const check = () => {
      if (this.failure) {
        this.listeners.delete(check);
        fn(this.failure);
      }
    };
    this.listeners.add(check);
    check();
    return () => this.listeners.delete(check);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop?.catch(() => undefined);
    for (const l of this.splitter.flush()) this.line(l);
  }
}

/** Runs the procedure for each framework in `req.frameworks`. Never throws: failures are in the result. */
export async function collectMetrics(reqIn: CollectRequest, deps: CollectDeps, hooks: CollectHooks = {}): Promise<CollectResult> {
  const log = deps.logger ?? nullLogger;
  const now = deps.now ?? (() => new Date());
  const signal = hooks.signal;
  const result: CollectResult = { steps: [], files: [], error: null, cancelled: false, container: null, notesDir: null, frameworks: [] };
  const emit = (e: CollectEvent) => {
    try {
      hooks.onEvent?.(e);
    } catch (err) {
      log.warn(`collect: event handler failed: ${errorText(err)}`);
    }
  };

  /** Runs one step: records it, emits running/final, maps exceptions to a status. */
  const step = async <T>(name: StepId, framework: Framework | null, body: (setDetail: (d: string, status?: StepStatus) => void) => Promise<T>): Promise<T> => {
    const rec: StepRecord = { name, framework, status: 'running', seconds: 0, detail: '' };
    const t0 = Date.now();
    let finalStatus: StepStatus = 'ok';
    emit({ type: 'step', step: { ...rec } });
    result.steps.push(rec);
    try {
      if (signal?.aborted && name !== 'cleanup') throw new CancelledError();
      const v = await body((d, s) => {
        rec.detail = d;
        if (s) finalStatus = s;
      });
      rec.status = finalStatus;
      return v;
    } catch (e0) {
      const e = e0 instanceof CancelledError || !IN_CONTAINER.has(name) ? e0 : await explainLoss(e0);
      rec.status = e instanceof CancelledError ? 'cancelled' : 'failed';
      if (!(e instanceof CancelledError) || rec.detail === '') rec.detail = e instanceof CancelledError ? 'cancelled' : errorText(e);
      throw e;
    } finally {
      rec.seconds = seconds(Date.now() - t0);
      log.info(`collect: ${framework ?? 'run'} ${name} ${rec.status} in ${rec.seconds}s${rec.detail ? `: ${rec.detail}` : ''}`);
      emit({ type: 'step', step: { ...rec } });
    }
  };

  /**
   * A step that failed because the container stopped under it (a soak killed with 137, a refused
   * connection) says so: the container's state is checked a few times, as the engine records the stop a
   * moment after the processes died.
   */
  async function explainLoss(e: unknown): Promise<unknown> {
    if (e instanceof ContainerGoneError || e instanceof EngineGoneError) return e;
    for (let i = 0; i < 3; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 250));
      let info: Dockerode.ContainerInspectInfo;
      try {
        info = await shell.inspect();
      } catch (lost) {
        if (lost instanceof ContainerGoneError) return new ContainerGoneError(`${lost.message}; ${errorText(e)}`);
        if (lost instanceof EngineGoneError) return new EngineGoneError(`${lost.message}; ${errorText(e)}`);
        return e;
      }
      if (!info.State.Running || info.State.Paused || info.State.Restarting) {
        return new ContainerGoneError(`container ${shell.containerName} is not running any more (${info.State.Status}${info.State.Running ? '' : `, exit code ${info.State.ExitCode}`}); ${errorText(e)}`);
      }
    }
    return e;
  }

  let req: CollectRequest;
  try {
    req = validateRequest(reqIn);
  } catch (e) {
    const rec: StepRecord = { name: 'preflight', framework: null, status: 'failed', seconds: 0, detail: errorText(e) };
    result.steps.push(rec);
    emit({ type: 'step', step: rec });
    result.error = errorText(e);
    return result;
  }

  let shell: ContainerShell;
  let containerKey = '';
  let lockOwner: string | null = null;
  let pre: Preflight;
  try {
    pre = await step('preflight', null, async (detail) => {
      let info: Dockerode.ContainerInspectInfo;
      try {
        info = await deps.docker.getContainer(req.container).inspect();
      } catch (e) {
        const status = (e as { statusCode?: number }).statusCode;
        if (status === 404) throw new StepError(`no container named "${printable(req.container)}": pick one from the Containers view or "dynamo-dev containers"`);
        throw new StepError(`cannot inspect container "${printable(req.container)}": ${errorText(e)}`);
      }
      const name = info.Name.replace(/^\//, '');
      result.container = { id: info.Id, name };
      if (!info.State.Running) throw new StepError(`container ${name} is not running (${info.State.Status}): start it first (Containers view → Start, or "docker start ${name}")`);
      const going = active.get(info.Id);
      if (going !== undefined) throw new RunConflictError(`a Collect Metrics run (${going}) is already going on container ${name}: wait for it to finish or cancel it`);
      active.set(info.Id, `${req.frameworks.join(', ')}, started ${now().toISOString()}`);
      containerKey = info.Id;
      shell = new ContainerShell(deps.docker, info.Id, name);
      // the lock first: a run from another process holds the ports too, and is named as a run, not as
      // a server to stop
      lockOwner = await acquireLock(shell, name, now());
      const p = await preflight(shell, info, req, deps);
      result.notesDir = p.notesDir;
      detail(`${name}: utils ${p.utils ?? '(not needed)'}, notes ${p.notesDir}, ports ${req.frontendPort} and ${req.backendPort} free, ${p.route.host ? `ports reachable from this machine at ${p.route.host}` : 'fetching inside the container'}`);
      return p;
    });
  } catch (e) {
    if (lockOwner) {
      await releaseLock(shell!, lockOwner).catch(() => undefined);
      heldLocks.delete(lockOwner);
    }
    if (containerKey) active.delete(containerKey);
    result.error = e instanceof CancelledError ? 'cancelled' : errorText(e);
    result.cancelled = e instanceof CancelledError;
    return result;
  }

  try {
    for (let i = 0; i < req.frameworks.length; i++) {
      const fw = req.frameworks[i]!;
      const last = i === req.frameworks.length - 1;
      const outcome = await runFramework(fw, last);
      result.frameworks.push(outcome);
      result.files.push(...outcome.files);
      if (signal?.aborted) break;
    }
  } finally {
    if (lockOwner) {
      await releaseLock(shell!, lockOwner).catch(() => undefined);
      heldLocks.delete(lockOwner);
    }
    active.delete(containerKey);
  }
  result.cancelled = signal?.aborted === true;
  const failed = result.frameworks.filter((f) => !f.ok);
  if (result.cancelled) result.error = 'cancelled';
  else if (failed.length > 0) result.error = failed.map((f) => (req.frameworks.length > 1 ? `${f.framework}: ${f.error}` : f.error)).join('\n');
  return result;

  async function runFramework(fw: Framework, last: boolean): Promise<FrameworkOutcome> {
    const outcome: FrameworkOutcome = { framework: fw, ok: false, files: [], error: null, model: null };
    const runId = randomUUID();
    const serverLog = `/tmp/inference-${fw}.log`;
    const vars = templateVars(req, fw, pre.utils ?? '', serverLog);
    let watch: ServerWatch | null = null;
    let started = false;
    let success = false;
    try {
      await step('start', fw, async (detail) => {
        if (fw !== req.frameworks[0]) await checkPorts(shell, [req.frontendPort, req.backendPort]);
        const cmd = withModel(renderTemplate(req.serverCommand, vars, 'the server command (dynamo.collect.serverCommand)'), req.model, req.serverCommand);
        const env = { ...req.serverEnv, DYN_FRONTEND_PORT: String(req.frontendPort), DYN_BACKEND_PORT: String(req.backendPort), [RUN_MARKER]: runId };
        const r = await shell.exec({ cmd: ['sh', '-c', START_SERVER, 'dynamo-dev', cmd, serverLog], env, timeoutMs: 30000, signal });
        started = true;
        if (r.cancelled) throw new CancelledError();
        if (r.exitCode !== 0) throw new StepError(`could not start the server (exit ${r.exitCode}): ${r.stderr.trim() || r.stdout.trim()}`);
        const launcher = Number(r.stdout.trim());
        watch = new ServerWatch(shell, serverLog, runId, (line) => emit({ type: 'log', framework: fw, source: 'server', line }), req.backendPort);
        watch.start();
        detail(`nohup ${cmd} (launcher pid ${Number.isFinite(launcher) ? launcher : '?'}), output in ${serverLog}`);
      });

      const w = watch as unknown as ServerWatch;
      await step('ready', fw, async (detail) => {
        const t0 = Date.now();
        let lastProbe = 0;
        let probing = false;
        let httpReady = false;
        const probe = async () => {
          probing = true;
          try {
            httpReady = await probeReady(shell, pre.route, req.frontendPort, signal);
          } catch (_e) {
            httpReady = false;
          } finally {
            probing = false;
          }
        };
        await w.waitFor(
          () => {
            if (w.ready || httpReady || w.failure) return true;
            // after the first seconds, also ask the frontend over HTTP every 2 s (logs can be filtered)
            if (!probing && Date.now() - t0 > 3000 && Date.now() - lastProbe > 2000) {
              lastProbe = Date.now();
              void probe();
            }
            return false;
          },
          req.readyTimeoutSeconds * 1000,
          signal,
          () => new StepError(`the model was not ready within ${req.readyTimeoutSeconds} s (no "added model" line, /v1/models empty). Last lines of ${serverLog}:\n${joinLines(w.tail.text())}`),
        );
        if (w.failure && !w.ready && !httpReady) throw new StepError(`${w.failure} before the model was ready. Last lines of ${serverLog}:\n${joinLines(w.tail.text())}`);
        const procs = await shell.markedProcesses(runId).catch(() => [] as Proc[]);
        outcome.model = w.model;
        detail(`${w.model ? `model ${w.model}` : 'the frontend lists a model'} after ${seconds(Date.now() - t0)} s (${w.ready ? '"added model" in the log' : '/v1/models and /health'}); backend port ${w.backendPort}; ${procs.length} processes: ${procs.map((p) => p.pid).join(' ')}`);
      });

      const report = await step('soak', fw, async (detail) => {
        const r = req.soak === 'builtin' ? await builtinSoak(fw, w, outcome.model) : await scriptSoak(fw, w);
        detail(r.detail);
        return r.report;
      });

      const scraped = await step('scrape', fw, async (detail) => {
        if (w.failure) throw new StepError(`${w.failure}; not scraping. Last lines of ${serverLog}:\n${joinLines(w.tail.text())}`);
        const ports = w.disagg ? [w.backendPort, w.backendPort + 1] : [w.backendPort];
        const backends: { port: number; text: string }[] = [];
        for (const port of ports) backends.push({ port, text: await scrape(port, 'backend') });
        let frontend: string | null = null;
        let note = '';
        try {
          frontend = await scrape(req.frontendPort, 'frontend');
        } catch (e) {
          note = `; frontend /metrics not saved: ${errorText(e)}`;
        }
        detail(`${backends.map((b) => `port ${b.port}: ${b.text.split('\n').length - 1} lines`).join(', ')}${frontend !== null ? `; frontend port ${req.frontendPort}: ${frontend.split('\n').length - 1} lines` : ''}${note}`, note ? 'warning' : undefined);
        return { backends, frontend };
      });

      await step('save', fw, async (detail) => {
        const notes = pre.notesDir;
        await mkdir(notes, { recursive: true });
        const saved: string[] = [];
        const backups: string[] = [];
        const write = async (file: string, text: string) => {
          const bak = await writeFileAtomic(file, text, now());
          saved.push(file);
          if (bak) backups.push(bak);
        };
        const main = join(notes, `metrics-${fw}.log`);
        await write(main, scraped.backends[0]!.text);
        if (scraped.backends[1]) await write(join(notes, `metrics-${fw}-decode.log`), scraped.backends[1].text);
        if (scraped.frontend !== null) await write(join(notes, `metrics-${fw}-frontend.log`), scraped.frontend);
        if (report) await write(soakReportPathFor(main), JSON.stringify(report, null, 2) + '\n');
        outcome.files.push(...saved);
        detail(`${saved.join(', ')}${backups.length ? `; kept the previous as ${backups.join(', ')}` : ''}`);
      });
      success = true;
      outcome.ok = true;
    } catch (e) {
      outcome.error = e instanceof CancelledError ? 'cancelled' : errorText(e);
    } finally {
      const keep = req.keepRunning && success && last;
      if (started) {
        await step('cleanup', fw, async (detail) => {
          const w = watch as ServerWatch | null;
          await w?.stop();
          if (keep) {
            const procs = await shell.markedProcesses(runId).catch(() => [] as Proc[]);
            detail(`left running (--keep-running): ${procs.map((p) => `${p.pid} ${p.cmdline.slice(0, 60)}`).join('; ')}; log ${serverLog}`, 'skipped');
            return;
          }
          const c = await cleanup(runId, w ? (w.disagg ? [req.frontendPort, w.backendPort, w.backendPort + 1] : [req.frontendPort, w.backendPort]) : [req.frontendPort, req.backendPort]);
          detail(c.text, c.status);
        }).catch((e) => {
          if (!outcome.error) outcome.error = `clean-up failed: ${errorText(e)}`;
          outcome.ok = false;
        });
      } else {
        const w = watch as ServerWatch | null;
        await w?.stop();
      }
    }
    return outcome;
  }

  async function scrape(port: number, what: string): Promise<string> {
    let r;
    try {
      r = await fetchText(shell, pre.route, port, '/metrics', (req.scrapeTimeoutSeconds ?? 60) * 1000, signal);
    } catch (e) {
      if (signal?.aborted) throw new CancelledError();
      throw new StepError(`the ${what}'s /metrics on port ${port} could not be read: ${errorText(e)}`);
    }
    if (r.status !== 200) throw new StepError(`the ${what}'s /metrics on port ${port} answered HTTP ${r.status}: ${r.body.slice(0, 200)}`);
    if (r.body.trim() === '') throw new StepError(`the ${what}'s /metrics on port ${port} answered with an empty body: nothing saved, existing captures kept`);
    const parsed = parseExposition(r.body);
    const samples = parsed.families.reduce((n, f) => n + f.samples.length, 0);
    if (samples === 0) throw new StepError(`the ${what}'s /metrics on port ${port} holds no samples (${parsed.diagnostics.length} malformed lines): nothing saved`);
    return r.body.endsWith('\n') ? r.body : r.body + '\n';
  }

  /** The soak's signal: aborts on Cancel (also one that came before the soak started) and when the server fails. */
  function soakGuard(w: ServerWatch): { signal: AbortSignal; serverFailure: () => string | null; dispose: () => void } {
    const ac = new AbortController();
    const onAbort = () => ac.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) ac.abort();
    let failure: string | null = null;
    const unsubscribe = w.onFailure((why) => {
      failure = why;
      ac.abort();
    });
    return {
      signal: ac.signal,
      serverFailure: () => failure,
      dispose: () => {
        unsubscribe();
        signal?.removeEventListener('abort', onAbort);
      },
    };
  }

  async function scriptSoak(fw: Framework, w: ServerWatch): Promise<{ report: SoakReport; detail: string }> {
    const vars = templateVars(req, fw, pre.utils ?? '', `/tmp/inference-${fw}.log`);
    const cmd = withModel(renderTemplate(req.soakCommand, vars, 'the soak command (dynamo.collect.soakCommand)'), req.model, req.soakCommand);
    await shell.exec({ cmd: ['rm', '-f', SOAK_LOG], timeoutMs: 10000 });
    const guard = soakGuard(w);
    const expected = req.workers * req.requestsPerWorker;
    const stdoutLines = new LineSplitter();
    const stderrLines = new LineSplitter();
    const t0 = Date.now();
    const startedAt = now();
    let r;
    try {
      r = await shell.exec({
        cmd: ['bash', '-c', cmd],
        timeoutMs: req.soakTimeoutSeconds * 1000,
        signal: guard.signal,
        onStdout: (c) => stdoutLines.push(c).forEach((line) => emit({ type: 'log', framework: fw, source: 'soak', line })),
        onStderr: (c) => stderrLines.push(c).forEach((line) => emit({ type: 'log', framework: fw, source: 'soak', line })),
      });
    } finally {
      guard.dispose();
    }
    const wall = (Date.now() - t0) / 1000;
    if (signal?.aborted) throw new CancelledError();
    const logText = (await shell.exec({ cmd: ['cat', SOAK_LOG], timeoutMs: 15000 })).stdout;
    const s = parseSoakLog(logText);
    const lastErr = r.stderr.trim().split('\n').slice(-5).join('\n');
    const said = r.stdout.includes('All requests completed successfully.');
    const serverFailure = guard.serverFailure();
    if (serverFailure) throw new StepError(`${serverFailure} during the soak (${s.succeeded}/${expected} requests done). Last lines of /tmp/inference-${fw}.log:\n${joinLines(w.tail.text())}`);
    if (r.timedOut) throw new StepError(`the soak did not finish within ${req.soakTimeoutSeconds} s (${s.succeeded}/${expected} requests succeeded, ${s.failedAttempts} failed attempts)`);
    if (r.exitCode !== 0) throw new StepError(`the soak command exited with ${r.exitCode}${lastErr ? `:\n${joinLines(lastErr)}` : ''}`);
    if (s.failedAttempts > 0 || s.succeeded < expected) {
      const kinds = formatErrorKinds(s.errors);
      throw new StepError(
        `${s.failedAttempts} failed request attempt${s.failedAttempts === 1 ? '' : 's'}${kinds ? ` (${kinds})` : ''}, ${s.succeeded}/${expected} requests succeeded, per ${SOAK_LOG}${said ? ' (soak_fe.py still printed "All requests completed successfully.")' : ''}: nothing saved`,
      );
    }
    const ok = s.attempts.filter((a) => a.ok);
    const report: SoakReport = {
      schema: SOAK_SCHEMA,
      engine: 'script',
      framework: fw,
      model: w.model,
      target: cmd,
      startedAt: startedAt.toISOString(),
      finishedAt: now().toISOString(),
      wallSeconds: wall,
      params: { maxTokens: req.maxTokens, requestsPerWorker: req.requestsPerWorker, workers: req.workers, stream: /--stream\b/.test(cmd) },
      requests: { total: s.attempts.length, succeeded: s.succeeded, failed: s.failedAttempts, errors: s.errors },
      outputTokens: null,
      throughput: { requestsPerSecond: wall > 0 ? s.succeeded / wall : 0, outputTokensPerSecond: null },
      ttft: null,
      itl: null,
      e2e: percentiles(ok.map((a) => a.e2e)),
      tokensPerSecond: null,
      perRequest: s.attempts,
    };
    return { report, detail: `${s.succeeded}/${expected} requests succeeded in ${wall.toFixed(1)} s, no failed attempts (per ${SOAK_LOG})` };
  }

  async function builtinSoak(fw: Framework, w: ServerWatch, model: string | null): Promise<{ report: SoakReport; detail: string }> {
    const host = pre.route.host;
    if (!host || !(await canConnect(host, req.frontendPort, 1000))) {
      throw new StepError(`the built-in load generator needs the frontend reachable from this machine, and ${host ?? 'the container'}:${req.frontendPort} is not (${deps.localEngine ? 'the frontend may listen on 127.0.0.1 in a container without host networking' : 'the Docker engine is on another machine'}): use the soak script instead`);
    }
    const guard = soakGuard(w);
    let report;
    try {
      report = await runLoad({
        baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${req.frontendPort}`,
        ...(req.model ?? model ? { model: (req.model ?? model)! } : {}),
        workers: req.workers,
        requestsPerWorker: req.requestsPerWorker,
        maxTokens: req.maxTokens,
        framework: fw,
        signal: guard.signal,
        requestTimeoutMs: Math.min(req.soakTimeoutSeconds * 1000, 600000),
        onProgress: (p) => emit({ type: 'soakProgress', framework: fw, done: p.done, total: p.total, failed: p.failed }),
      });
    } finally {
      guard.dispose();
    }
    if (signal?.aborted) throw new CancelledError();
    const serverFailure = guard.serverFailure();
    if (serverFailure) throw new StepError(`${serverFailure} during the soak. Last lines of /tmp/inference-${fw}.log:\n${joinLines(w.tail.text())}`);
    const expected = req.workers * req.requestsPerWorker;
    if (report.requests.failed > 0 || report.requests.succeeded < expected) {
      const kinds = formatErrorKinds(report.requests.errors);
      throw new StepError(`${report.requests.failed} of ${expected} requests failed${kinds ? ` (${kinds})` : ''}: nothing saved`);
    }
    const { cancelled: _c, ...clean } = report;
    const ms = (x: number | undefined) => (x === undefined ? '?' : `${(x * 1000).toFixed(1)} ms`);
    return {
      report: clean,
      detail: `${report.requests.succeeded}/${expected} requests in ${report.wallSeconds.toFixed(1)} s; client TTFT p50 ${ms(report.ttft?.p50)}, ITL p50 ${ms(report.itl?.p50)}, ${report.throughput.outputTokensPerSecond?.toFixed(0) ?? '?'} tok/s`,
    };
  }

  async function cleanup(runId: string, ports: number[]): Promise<{ text: string; status?: StepStatus }> {
    const parts: string[] = [];
    let status: StepStatus | undefined;
    let stopped;
    try {
      stopped = await retryOnEngineLoss(() => shell.stopMarked(runId, CLEANUP_GRACE_MS));
    } catch (e) {
      if (e instanceof ContainerGoneError) return { text: `${errorText(e)}: nothing of this run is left running`, status: 'warning' };
      throw e;
    }
    parts.push(stopped.signalled === 0 ? 'no process of this run was left' : `stopped ${stopped.signalled} process${stopped.signalled === 1 ? '' : 'es'} of this run${stopped.killed ? ` (${stopped.killed} needed SIGKILL: ${stopped.stubborn.map((o) => `${o.pid} ${o.cmdline.slice(0, 60)}`).join(', ')})` : ''}`);
    const unique = [...new Set(ports)];
    let busy: { port: number; owners: Proc[] }[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      busy = await busyPorts(shell, unique);
      if (busy.length === 0) break;
      const targets = busy.flatMap((b) => b.owners).filter((o) => isInferenceProcess(o.cmdline));
      if (targets.length > 0) {
        await shell.killPids([...new Set(targets.map((t) => t.pid))]);
        parts.push(`killed leftover ${targets.map((t) => `${t.pid} (${t.cmdline.slice(0, 60)})`).join(', ')} holding a port`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    if (busy.length === 0) parts.push(`port${unique.length > 1 ? 's' : ''} ${unique.join(', ')} free`);
    else {
      status = 'warning';
      parts.push(`still in use: ${busy.map((b) => `port ${b.port} by ${b.owners.map((o) => `${o.pid} (${o.cmdline.slice(0, 60)})`).join(', ') || 'an unknown process'}`).join('; ')}; not started by this run, left alone`);
    }
    return { text: parts.join('; '), status };
  }

  async function retryOnEngineLoss<T>(fn: () => Promise<T>): Promise<T> {
    const until = Date.now() + 30000;
    for (;;) {
      try {
        return await fn();
      } catch (e) {
        if (!(e instanceof EngineGoneError) || Date.now() > until) throw e;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
}

interface Preflight {
  utils: string | null;
  notesDir: string;
  route: Route;
}

async function preflight(shell: ContainerShell, info: Dockerode.ContainerInspectInfo, req: CollectRequest, deps: CollectDeps): Promise<Preflight> {
  const mounts = (info.Mounts ?? []).map((m) => toMount({ Type: m.Type, Name: m.Name, Source: m.Source, Destination: m.Destination, RW: m.RW, Mode: m.Mode }));
  const needsUtils = [req.serverCommand, req.soak === 'script' ? req.soakCommand : ''].some((t) => placeholdersOf(t).has('utils'));
  let utils: string | null = null;
  if (needsUtils) {
    const candidates = req.utilsDir ? [req.utilsDir] : [...new Set([...mounts.filter((m) => m.type === 'bind').map((m) => m.destination), ...UTILS_CANDIDATES])];
    utils = await shell.findUtils(candidates);
    if (!utils) {
      throw new StepError(
        req.utilsDir
          ? `no inference.sh in ${req.utilsDir} in container ${shell.containerName}`
          : `no inference.sh found in container ${shell.containerName} (looked in ${candidates.join(', ')}): mount your dynamo-utils folder, or give its container path (--utils / "dynamo.collect.utilsFolder")`,
      );
    }
  }
  const notesDir = await resolveNotes(req, mounts, utils, shell.containerName);
  await checkPorts(shell, [req.frontendPort, req.backendPort]);
  const networkMode = info.HostConfig?.NetworkMode ?? '';
  let host: string | null = null;
  if (deps.localEngine) {
    if (networkMode === 'host') host = '127.0.0.1';
    else {
      const nets = Object.values(info.NetworkSettings?.Networks ?? {});
      host = nets.map((n) => n.IPAddress).find((ip) => !!ip) ?? null;
    }
  }
  return { utils, notesDir, route: { host } };
}

async function resolveNotes(req: CollectRequest, mounts: readonly Mount[], utils: string | null, name: string): Promise<string> {
  let dir: string | null = req.notesDir ?? null;
  if (!dir) {
    const notesMount = mounts.find((m) => m.type === 'bind' && !m.readOnly && /(^|\/)notes\/?$/.test(m.destination));
    if (notesMount) dir = notesMount.source;
    else if (utils) {
      const t = containerToHost(`${utils}/notes`, mounts);
      if (t && !t.readOnly) dir = t.path;
    }
  }
  if (!dir) {
    throw new StepError(`container ${name} has no writable notes folder mounted (a bind mount ending in /notes, or a writable utils folder): give a host folder (--notes / the quick pick)`);
  }
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
  } catch (e) {
    throw new StepError(`the notes folder ${dir} cannot be written: ${errorText(e)}`);
  }
  return dir;
}

async function checkPorts(shell: ContainerShell, ports: readonly number[]): Promise<void> {
  const busy = await busyPorts(shell, ports);
  if (busy.length === 0) return;
  const what = busy
    .map((b) => `port ${b.port} is in use ${b.owners.length ? `by ${b.owners.map((o) => `pid ${o.pid} (${o.cmdline.slice(0, 80)})`).join(', ')}` : 'by a process not visible in the container (on the host or in another container sharing its network)'}`)
    .join('; ');
  const pids = busy.flatMap((b) => b.owners.map((o) => o.pid));
  const how = pids.length ? ` (e.g. "docker exec ${shell.containerName} kill ${[...new Set(pids)].join(' ')}", for a server an earlier run left with --keep-running)` : '';
  throw new StepError(`${what} in container ${shell.containerName}: stop that server first${how}, or use other ports ("dynamo.collect.frontendPort" / "dynamo.collect.backendPort", --frontend-port / --backend-port)`);
}

async function probeReady(shell: ContainerShell, route: Route, port: number, signal?: AbortSignal): Promise<boolean> {
  const models = await fetchText(shell, route, port, '/v1/models', 3000, signal);
  if (models.status !== 200) return false;
  const m = JSON.parse(models.body) as { data?: unknown[] };
  if (!Array.isArray(m.data) || m.data.length === 0) return false;
  const health = await fetchText(shell, route, port, '/health', 3000, signal);
  if (health.status !== 200) return false;
  const h = JSON.parse(health.body) as { endpoints?: unknown[]; instances?: { endpoint?: string }[] };
  return (Array.isArray(h.endpoints) && h.endpoints.some((e) => typeof e === 'string' && e.includes('generate'))) || (Array.isArray(h.instances) && h.instances.some((i) => i?.endpoint === 'generate'));
}

/** `HTTP 500 ×2, connection ×1`. */
function formatErrorKinds(errors: Record<string, number>): string {
  return Object.entries(errors)
    .map(([k, n]) => `${k} ×${n}`)
    .join(', ');
}

function templateVars(req: CollectRequest, fw: Framework, utils: string, log: string): Record<string, string> {
  return {
    framework: fw,
    utils,
    log,
    frontendPort: String(req.frontendPort),
    backendPort: String(req.backendPort),
    model: req.model ?? '',
    maxTokens: String(req.maxTokens),
    requestsPerWorker: String(req.requestsPerWorker),
    workers: String(req.workers),
  };
}

/** With a model and a template that does not place it, `--model <quoted>` is appended (inference.sh's flag). */
function withModel(cmd: string, model: string | undefined, template: string): string {
  return model && !placeholdersOf(template).has('model') ? `${cmd} --model ${renderTemplate('${model}', { model })}` : cmd;
}

/** The in-container lock, so two runs (extension and CLI, or two windows) never share a container. */
async function acquireLock(shell: ContainerShell, name: string, when: Date): Promise<string> {
  const owner = `${hostname()}\t${process.pid}\t${when.toISOString()}\t${randomUUID()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = await shell.script(LOCK_ACQUIRE, [LOCK_DIR, owner]);
    if (r.stdout.startsWith('ACQUIRED')) {
      heldLocks.add(owner);
      return owner;
    }
    const held = r.stdout.split('\n')[1] ?? '';
    const [host, pid, started] = held.split('\t');
    // a lock of this process that no run of it holds was left when the container (or the engine) stopped
    // mid-run: the release could not reach it, and /tmp survives a container restart
    const stale = !held || (host === hostname() && (!processAlive(Number(pid)) || (Number(pid) === process.pid && !heldLocks.has(held))));
    if (stale && attempt === 0) {
      await shell.script(LOCK_BREAK, [LOCK_DIR]);
      continue;
    }
    throw new RunConflictError(`another Collect Metrics run (process ${pid ?? '?'} on ${host ?? '?'}, started ${started ?? '?'}) is using container ${name}: wait for it to finish or cancel it (or remove ${LOCK_DIR} in the container if that run is gone)`);
  }
  throw new RunConflictError(`could not take the run lock ${LOCK_DIR} in container ${name}`);
}

async function releaseLock(shell: ContainerShell, owner: string): Promise<void> {
  await shell.script(LOCK_RELEASE, [LOCK_DIR, owner]);
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

