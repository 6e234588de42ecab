// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// What a Collect Metrics run is asked to do, checked before anything runs: frameworks from the allowed
// list, numbers in range, model names and paths without shell or control characters.
import { FRAMEWORKS } from '../docker/model';
import { placeholdersOf } from './shell';

export type Framework = (typeof FRAMEWORKS)[number];
export { FRAMEWORKS };
export type SoakEngine = 'script' | 'builtin';

/** The original procedure's command (dynamo-utils CLAUDE.md §3.1.1), run under nohup with all output in `${log}`. */
export const DEFAULT_SERVER_COMMAND = '${utils}/inference.sh --framework ${framework}';
/** soak_fe.py with the original's `--max-tokens 1000 --requests_per_worker 5`, plus workers and port. */
export const DEFAULT_SOAK_COMMAND = 'python3 ${utils}/soak_fe.py --max-tokens ${maxTokens} --requests_per_worker ${requestsPerWorker} --workers ${workers} --port ${frontendPort}';
/** Where soak_fe.py writes one line per attempt (overwritten each run). */
export const SOAK_LOG = '/tmp/soak_llm.log';
/** Places a utils folder (the one holding inference.sh) is found when no mount says otherwise. */
export const UTILS_CANDIDATES = ['/home/dynamo/utils', '/utils', '/workspace/dynamo-utils', '/workspace/.utils', '/workspace/_'];

export const PLACEHOLDERS = ['framework', 'utils', 'log', 'frontendPort', 'backendPort', 'model', 'maxTokens', 'requestsPerWorker', 'workers'] as const;

export interface CollectRequest {
  /** Container name or id. */
  container: string;
  frameworks: Framework[];
  maxTokens: number;
  requestsPerWorker: number;
  workers: number;
  soak: SoakEngine;
  /** Host folder for the captures; default from the container's mounts. */
  notesDir?: string;
  /** Container folder holding inference.sh; default from the mounts and the usual places. */
  utilsDir?: string;
  /** Passed as `--model` to inference.sh (default commands only) and used by the built-in soak. */
  model?: string;
  readyTimeoutSeconds: number;
  soakTimeoutSeconds: number;
  /** Seconds each GET of /metrics may take (default 60). */
  scrapeTimeoutSeconds?: number;
  keepRunning: boolean;
  serverCommand: string;
  soakCommand: string;
  /** Extra environment for the server (e.g. DYN_LOGGING_JSONL=true); passed as exec environment, never through a shell. */
  serverEnv: Record<string, string>;
  frontendPort: number;
  backendPort: number;
}

export const DEFAULTS: Omit<CollectRequest, 'container' | 'frameworks'> = {
  maxTokens: 1000,
  requestsPerWorker: 5,
  workers: 1,
  soak: 'script',
  readyTimeoutSeconds: 300,
  soakTimeoutSeconds: 900,
  scrapeTimeoutSeconds: 60,
  keepRunning: false,
  serverCommand: DEFAULT_SERVER_COMMAND,
  soakCommand: DEFAULT_SOAK_COMMAND,
  serverEnv: {},
  frontendPort: 8000,
  backendPort: 8081,
};

export class InvalidRequestError extends Error {}

export function isFramework(x: string): x is Framework {
  return (FRAMEWORKS as readonly string[]).includes(x);
}

/** `vllm`, `all`, `vllm,sglang` → frameworks in the procedure's order (vllm → sglang → trtllm). */
export function parseFrameworks(text: string): Framework[] {
  const parts = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (parts.length === 0) throw new InvalidRequestError('no framework given: use vllm, sglang, trtllm or all');
  const set = new Set<Framework>();
  for (const p of parts) {
    if (p === 'all') FRAMEWORKS.forEach((f) => set.add(f));
    else if (isFramework(p)) set.add(p);
    else throw new InvalidRequestError(`unknown framework "${printable(p)}": use vllm, sglang, trtllm or all`);
  }
  return FRAMEWORKS.filter((f) => set.has(f));
}

/** A value as it may be quoted in an error message: control characters shown, length capped. */
export function printable(s: string, max = 80): string {
  const t = JSON.stringify(s).slice(1, -1);
  return t.length > max ? t.slice(0, max) + '…' : t;
}

const MODEL = /^[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,199}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkInt(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new InvalidRequestError(`${name} must be a whole number from ${min} to ${max} (got ${printable(String(v))})`);
}

function checkAbsolute(name: string, p: string): void {
  if (!p.startsWith('/') || /[\0\n\r]/.test(p)) throw new InvalidRequestError(`${name} must be an absolute path without newlines (got "${printable(p)}")`);
}

/** Throws an {@link InvalidRequestError} saying what is wrong and how to fix it; returns the request otherwise. */
export function validateRequest(r: CollectRequest): CollectRequest {
  if (!r.container) throw new InvalidRequestError('no container given: pass a container name or id');
  if (/[\0\n\r]/.test(r.container)) throw new InvalidRequestError(`"${printable(r.container)}" is not a container name or id (it holds a line break or NUL)`);
  if (r.frameworks.length === 0) throw new InvalidRequestError('no framework given: use vllm, sglang, trtllm or all');
  for (const f of r.frameworks) if (!isFramework(f)) throw new InvalidRequestError(`unknown framework "${printable(String(f))}": use vllm, sglang, trtllm or all`);
  checkInt('max tokens', r.maxTokens, 1, 1_000_000);
  checkInt('requests per worker', r.requestsPerWorker, 1, 100_000);
  checkInt('workers', r.workers, 1, 1024);
  checkInt('ready timeout (seconds)', r.readyTimeoutSeconds, 1, 86_400);
  checkInt('soak timeout (seconds)', r.soakTimeoutSeconds, 1, 86_400);
  if (r.scrapeTimeoutSeconds !== undefined) checkInt('scrape timeout (seconds)', r.scrapeTimeoutSeconds, 1, 3_600);
  checkInt('frontend port', r.frontendPort, 1, 65535);
  checkInt('backend port', r.backendPort, 1, 65534);
  if (r.frontendPort === r.backendPort) throw new InvalidRequestError(`the frontend and backend ports must differ (both ${r.frontendPort})`);
  if (r.soak !== 'script' && r.soak !== 'builtin') throw new InvalidRequestError(`soak must be "script" or "builtin" (got "${printable(String(r.soak))}")`);
  if (r.model !== undefined && !MODEL.test(r.model)) throw new InvalidRequestError(`model "${printable(r.model)}" is not a Hugging Face id or path (letters, digits, . _ / : @ + - only)`);
  if (r.notesDir !== undefined) checkAbsolute('the notes folder', r.notesDir);
  if (r.utilsDir !== undefined) checkAbsolute('the utils folder', r.utilsDir);
  for (const [k, v] of Object.entries(r.serverEnv)) {
    if (!ENV_NAME.test(k)) throw new InvalidRequestError(`environment variable name "${printable(k)}" is not valid (letters, digits and _ only)`);
    if (typeof v !== 'string' || v.includes('\0')) throw new InvalidRequestError(`environment variable ${k} must be a string without NUL bytes`);
  }
  for (const [what, t] of [
    ['the server command', r.serverCommand],
    ['the soak command', r.soakCommand],
  ] as const) {
    if (t.trim() === '') throw new InvalidRequestError(`${what} is empty`);
    for (const p of placeholdersOf(t)) if (!(PLACEHOLDERS as readonly string[]).includes(p)) throw new InvalidRequestError(`${what} uses unknown placeholder \${${p}}; known: ${PLACEHOLDERS.map((n) => '${' + n + '}').join(', ')}`);
  }
  return r;
}
