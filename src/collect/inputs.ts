// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// The plain parts of "Dynamo: Collect Metrics…" in VS Code (no `vscode` import, unit-tested): the soak
// parameters as typed in the quick input, the default container and notes folder, what the progress
// notification and the closing message say.
import { basename } from 'node:path';
import { isRunning, matchWorkspaceFolder, type WorkspaceFolderRef } from '../core/docker/discovery';
import type { ContainerInfo, Mount } from '../core/docker/model';
import { STEP_TITLES, type CollectEvent, type CollectResult, type StepRecord } from '../core/inference/collect';
import { DEFAULTS, FRAMEWORKS, type CollectRequest, type Framework } from '../core/inference/options';

export interface SoakParams {
  maxTokens: number;
  requestsPerWorker: number;
  workers: number;
}

export const DEFAULT_SOAK_PARAMS: SoakParams = { maxTokens: DEFAULTS.maxTokens, requestsPerWorker: DEFAULTS.requestsPerWorker, workers: DEFAULTS.workers };

/** The same ranges as the core's validateRequest. */
const RANGES: Record<keyof SoakParams, { min: number; max: number; what: string }> = {
  maxTokens: { min: 1, max: 1_000_000, what: 'max tokens' },
  requestsPerWorker: { min: 1, max: 100_000, what: 'requests per worker' },
  workers: { min: 1, max: 1024, what: 'workers' },
};
const ORDER: (keyof SoakParams)[] = ['maxTokens', 'requestsPerWorker', 'workers'];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `1000 tokens × 5 requests × 1 worker`. */
export function formatSoakParams(p: SoakParams): string {
  const n = (x: number, one: string) => `${x} ${one}${x === 1 ? '' : 's'}`;
  return `${n(p.maxTokens, 'token')} × ${n(p.requestsPerWorker, 'request')} × ${n(p.workers, 'worker')}`;
}

function unitOf(word: string): keyof SoakParams | null {
  const w = word.toLowerCase();
  if (/^(t|toks?|tokens?|max[-_]?tokens?)$/.test(w)) return 'maxTokens';
  if (/^(r|reqs?|requests?|requests?[-_]per[-_]worker|rpw)$/.test(w)) return 'requestsPerWorker';
  if (/^(w|workers?)$/.test(w)) return 'workers';
  return null;
}

/**
 * Reads `1000 tokens × 5 requests × 1 worker`, `1000 x 5 x 1`, `1000×5×1`, `1000, 5, 1`, `1000 5 1` or
 * labelled numbers in any order (`5 requests × 2 workers × 200 tokens`); a number without a unit takes the
 * next free place in the order tokens, requests, workers; missing ones keep `base`. Returns the
 * parameters, or a message saying what is wrong.
 */
export function parseSoakParams(text: string, base: SoakParams = DEFAULT_SOAK_PARAMS): SoakParams | { error: string } {
  const t = text.trim();
  if (t === '') return { error: 'Type the soak parameters, e.g. "1000 tokens × 5 requests × 1 worker".' };
  const given: Partial<SoakParams> = {};
  const unlabelled: number[] = [];
  // a number and its unit; an `x` right after a number is the separator (`1000x5x1`)
  const re = /(\d+)\s*([a-z][a-z_-]*)?/gi;
  for (const m of t.matchAll(re)) {
    const value = Number(m[1]);
    const word = m[2] && m[2].toLowerCase() !== 'x' ? m[2] : '';
    if (word) {
      const unit = unitOf(word);
      if (!unit) return { error: `Unknown unit "${word.slice(0, 20)}": use tokens, requests or workers.` };
      if (given[unit] !== undefined) return { error: `${cap(RANGES[unit].what)} given twice.` };
      given[unit] = value;
    } else unlabelled.push(value);
  }
  const rest = t.replace(re, ' ').trim();
  if (!/^[\s×*,;x]*$/i.test(rest)) return { error: `"${rest.slice(0, 40)}" is not a number with a unit: type e.g. "1000 tokens × 5 requests × 1 worker".` };
  if (given.maxTokens === undefined && given.requestsPerWorker === undefined && given.workers === undefined && unlabelled.length === 0) return { error: 'Type the soak parameters, e.g. "1000 tokens × 5 requests × 1 worker".' };
  for (const v of unlabelled) {
    const free = ORDER.find((k) => given[k] === undefined);
    if (!free) return { error: 'Too many numbers: give max tokens × requests per worker × workers.' };
    given[free] = v;
  }
  const out = { ...base, ...given };
  for (const k of ORDER) {
    const r = RANGES[k];
    const v = out[k];
    if (!Number.isSafeInteger(v) || v < r.min || v > r.max) return { error: `${cap(r.what)} must be a whole number from ${r.min} to ${r.max.toLocaleString('en-US')} (got ${v}).` };
  }
  return out;
}

/**
 * The container a run defaults to: the one of the active editor's workspace folder, else of the first
 * workspace folder (by `local_folder` before a folder-name match), else the one used last, else the only
 * running one, else the first. Only running dev containers count.
 */
export function defaultContainer(containers: readonly ContainerInfo[], folders: readonly WorkspaceFolderRef[], opts: { activeFolder?: string | undefined; remembered?: string | undefined } = {}): ContainerInfo | undefined {
  const running = runningDevContainers(containers);
  const ofFolder = (path: string | undefined) => {
    if (!path) return undefined;
    const matches = running.map((c) => ({ c, m: matchWorkspaceFolder(c, folders) })).filter((x) => x.m?.folder.path === path);
    return (matches.find((x) => x.m?.kind === 'localFolder') ?? matches[0])?.c;
  };
  return ofFolder(opts.activeFolder) ?? ofFolder(folders[0]?.path) ?? running.find((c) => c.name === opts.remembered) ?? running[0];
}

/** Running dev containers, by name. */
export function runningDevContainers(containers: readonly ContainerInfo[]): ContainerInfo[] {
  return containers.filter((c) => c.isDevContainer && isRunning(c)).sort((a, b) => a.name.localeCompare(b.name));
}

export type FrameworkChoice = Framework | 'all';

/** The framework choices: the container's framework first, then the others, then all of them. */
export function frameworkChoices(detected: string | undefined): FrameworkChoice[] {
  const first = FRAMEWORKS.find((f) => f === detected);
  return [...(first ? [first] : []), ...FRAMEWORKS.filter((f) => f !== first), 'all'];
}

export function frameworksOf(choice: FrameworkChoice): Framework[] {
  return choice === 'all' ? [...FRAMEWORKS] : [choice];
}

/** `all (vllm → sglang → trtllm)` for the quick pick and messages. */
export function frameworkChoiceLabel(choice: FrameworkChoice): string {
  return choice === 'all' ? `all (${FRAMEWORKS.join(' → ')})` : choice;
}

/**
 * Host folders a run on this container can save to, best first: a writable bind mount whose container
 * path ends in `/notes` (what the core picks by itself), then `<source>/notes` of other writable bind
 * mounts when `exists` says that folder is there (the utils folder's `notes/`).
 */
export function notesCandidates(mounts: readonly Mount[], exists: (hostPath: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const writableBinds = mounts.filter((m) => m.type === 'bind' && !m.readOnly && m.source);
  for (const m of writableBinds) if (basename(m.destination) === 'notes') out.push(m.source);
  for (const m of mounts.filter((x) => x.type === 'bind' && x.source && basename(x.destination) !== 'notes')) {
    const p = `${m.source.replace(/\/+$/, '')}/notes`;
    if (!m.readOnly && exists(p) && !out.includes(p)) out.push(p);
  }
  return out;
}

/** The backend captures among a run's files (what Compare opens): `metrics-<fw>.log` and `-decode.log`, not the frontend's or the soak reports. */
export function capturesToCompare(files: readonly string[]): string[] {
  return files.filter((f) => /(^|[\\/])metrics-(vllm|sglang|trtllm)(-decode)?\.log$/.test(f));
}

/** `metrics-vllm.log, metrics-vllm-frontend.log, …`: the saved files' names. */
export function savedNames(files: readonly string[], max = 6): string {
  const names = files.map((f) => basename(f));
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
}

/** The step that failed (the first one), if any. */
export function failedStep(result: CollectResult): StepRecord | undefined {
  return result.steps.find((s) => s.status === 'failed');
}

/** One line for the error message: `vllm: Wait until ready failed: the model was not ready within 300 s …`. */
export function failureLine(result: CollectResult): string {
  const s = failedStep(result);
  if (s) return `${s.framework ? `${s.framework}: ` : ''}${STEP_TITLES[s.name]} failed: ${firstLine(s.detail)}`;
  return firstLine(result.error ?? 'unknown error');
}

export function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/** What a run is doing, as the progress notification and the status bar say it. */
export class RunStatus {
  step: StepRecord | null = null;
  stepStarted = 0;
  soak: { done: number; total: number; failed: number } | null = null;
  cancelling = false;
  finishedSteps = 0;

  constructor(
    readonly frameworks: readonly Framework[],
    private readonly expectedRequests: number,
  ) {}

  /** Every step a run goes through, for the progress bar's increments. */
  get totalSteps(): number {
    return 1 + this.frameworks.length * 6;
  }

  /** Takes an event; returns true when what is shown changes. */
  take(e: CollectEvent, now = Date.now()): boolean {
    if (e.type === 'step') {
      if (e.step.status === 'running') {
        this.step = e.step;
        this.stepStarted = now;
        this.soak = null;
      } else {
        this.finishedSteps++;
        if (this.step?.name === e.step.name && this.step.framework === e.step.framework) this.step = e.step;
      }
      return true;
    }
    if (e.type === 'soakProgress') {
      this.soak = { done: e.done, total: e.total, failed: e.failed };
      return true;
    }
    return false;
  }

  /** `vllm: Wait until ready (12 s)…`, `vllm: Soak test: 3/5 requests (8 s)…`, `Cancelling: cleaning up…`. */
  message(now = Date.now()): string {
    if (this.cancelling) return this.step?.name === 'cleanup' ? `Cancelling: cleaning up${this.step.framework ? ` ${this.step.framework}` : ''}…` : 'Cancelling: cleaning up…';
    if (!this.step) return 'Starting…';
    const secs = Math.max(0, Math.floor((now - this.stepStarted) / 1000));
    const where = this.step.framework ? `${this.step.framework}: ` : '';
    let what: string = STEP_TITLES[this.step.name];
    if (this.step.name === 'soak') {
      if (this.soak) what += `: ${this.soak.done}/${this.soak.total} requests${this.soak.failed ? `, ${this.soak.failed} failed` : ''}`;
      else what += `: ${this.expectedRequests} request${this.expectedRequests === 1 ? '' : 's'}`;
    }
    return `${where}${what} (${secs} s)…`;
  }

  /** `vllm · soak` for the status bar. */
  short(): string {
    if (this.cancelling) return 'cancelling';
    if (!this.step) return 'starting';
    return `${this.step.framework ? `${this.step.framework} · ` : ''}${this.step.name === 'preflight' ? 'checks' : this.step.name}`;
  }
}

/** A step line for the output channel: `✓ [vllm] Wait until ready (3.2 s): model Qwen/…`. */
export function formatStepLine(s: StepRecord): string {
  const where = s.framework ? `[${s.framework}] ` : '';
  const mark = { running: '…', ok: '✓', warning: '!', failed: '✗', cancelled: '✗', skipped: '-' }[s.status];
  const head = `${mark} ${where}${STEP_TITLES[s.name]}`;
  if (s.status === 'running') return head;
  return `${head} (${s.seconds.toFixed(1)} s, ${s.status})${s.detail ? `: ${s.detail}` : ''}`;
}

/** The `dynamo-dev collect` command line doing the same (settings that differ from the defaults included). */
export function cliEquivalent(container: string, req: CollectRequest): string {
  const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const args = ['dynamo-dev', 'collect', '--container', q(container), '--framework', req.frameworks.length === 3 ? 'all' : req.frameworks.join(',')];
  const num = (flag: string, v: number, d: number) => v !== d && args.push(flag, String(v));
  num('--max-tokens', req.maxTokens, DEFAULTS.maxTokens);
  num('--requests-per-worker', req.requestsPerWorker, DEFAULTS.requestsPerWorker);
  num('--workers', req.workers, DEFAULTS.workers);
  if (req.soak !== DEFAULTS.soak) args.push('--soak', req.soak);
  if (req.notesDir) args.push('--notes', q(req.notesDir));
  if (req.utilsDir) args.push('--utils', q(req.utilsDir));
  num('--ready-timeout', req.readyTimeoutSeconds, DEFAULTS.readyTimeoutSeconds);
  num('--soak-timeout', req.soakTimeoutSeconds, DEFAULTS.soakTimeoutSeconds);
  num('--frontend-port', req.frontendPort, DEFAULTS.frontendPort);
  num('--backend-port', req.backendPort, DEFAULTS.backendPort);
  for (const [k, v] of Object.entries(req.serverEnv)) args.push('--env', q(`${k}=${v}`));
  if (req.serverCommand !== DEFAULTS.serverCommand) args.push('--server-command', q(req.serverCommand));
  if (req.soakCommand !== DEFAULTS.soakCommand) args.push('--soak-command', q(req.soakCommand));
  if (req.keepRunning) args.push('--keep-running');
  return args.join(' ');
}
