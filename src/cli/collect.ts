// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// `dynamo-dev collect`: the Collect Metrics procedure from a terminal, on the same core as the extension.
import { parseArgs } from 'node:util';
import { connectDocker } from '../core/docker/client';
import { isRunning, matchWorkspaceFolder } from '../core/docker/discovery';
import { isLocalEndpoint, resolveEndpoint } from '../core/docker/endpoint';
import type { ContainerInfo } from '../core/docker/model';
import { collectMetrics, STEP_TITLES, type CollectEvent, type CollectResult } from '../core/inference/collect';
import { DEFAULTS, InvalidRequestError, parseFrameworks, type CollectRequest, type Framework } from '../core/inference/options';

export const COLLECT_USAGE = `  collect               Start an inference server in a dev container, wait until it is ready, soak it,
                        scrape /metrics into <notes>/metrics-<framework>.log, and clean up.
    --container <c>     Container name or id (default: the dev container of the current folder).
    --framework <f>     vllm, sglang, trtllm, all (vllm → sglang → trtllm) or a comma list
                        (default: the container's framework).
    --max-tokens N      Tokens per request (default 1000).
    --requests-per-worker N   Requests per soak worker (default 5).
    --workers N         Concurrent soak workers (default 1).
    --soak <s>          script (soak_fe.py in the container, default) or builtin (client-side TTFT, ITL,
                        e2e and tok/s, saved as metrics-<framework>.soak.json).
    --notes <dir>       Host folder for the captures (default: the container's mounted notes folder).
    --utils <dir>       Container folder holding inference.sh (default: found from the mounts).
    --model <m>         Model passed to inference.sh (--model) and the soak.
    --ready-timeout S   Seconds to wait for the model (default 300).
    --soak-timeout S    Seconds the soak may take (default 900).
    --scrape-timeout S  Seconds each GET of /metrics may take (default 60).
    --env K=V           Extra environment for the server (repeatable), e.g. DYN_LOGGING_JSONL=true.
    --server-command T  Server command template (default '${DEFAULTS.serverCommand}').
    --soak-command T    Soak command template (placeholders \${utils} \${framework} \${maxTokens} …).
    --keep-running      Leave the last framework's server running.
    --verbose           Echo the server and soak output to stderr.
    --json              Print {steps: [{name, framework, status, seconds, detail}], files, error}.
    --host <endpoint>   Docker endpoint.`;

export class CollectUsageError extends Error {}

function int(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) throw new CollectUsageError(`${name} takes a whole number, not "${v}"`);
  return Number(v);
}

/** The dev container for `cwd`: its local folder is cwd or holds it, else the only running one. */
export function pickContainer(list: readonly ContainerInfo[], cwd: string): ContainerInfo {
  const running = list.filter((c) => c.isDevContainer && isRunning(c));
  const byFolder = running.filter((c) => c.localFolder && (cwd === c.localFolder || cwd.startsWith(c.localFolder + '/')));
  if (byFolder.length >= 1) return byFolder.sort((a, b) => (b.localFolder?.length ?? 0) - (a.localFolder?.length ?? 0))[0]!;
  const byName = running.filter((c) => matchWorkspaceFolder(c, [{ name: cwd.split('/').pop() ?? '', path: cwd }]));
  if (byName.length === 1) return byName[0]!;
  if (running.length === 1) return running[0]!;
  if (running.length === 0) throw new CollectUsageError('no running dev container: start one, or pass --container');
  throw new CollectUsageError(`several dev containers run (${running.map((c) => c.name).join(', ')}): pass --container`);
}

function formatStep(e: Extract<CollectEvent, { type: 'step' }>['step']): string {
  const where = e.framework ? `[${e.framework}] ` : '';
  const mark = { running: '…', ok: '✓', warning: '!', failed: '✗', cancelled: '✗', skipped: '-' }[e.status];
  const head = `${mark} ${where}${STEP_TITLES[e.name]}`;
  if (e.status === 'running') return head;
  return `${head} (${e.seconds.toFixed(1)} s)${e.detail ? `: ${e.detail}` : ''}`;
}

export async function collectCommand(args: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      container: { type: 'string' },
      framework: { type: 'string' },
      'max-tokens': { type: 'string' },
      'requests-per-worker': { type: 'string' },
      workers: { type: 'string' },
      soak: { type: 'string' },
      notes: { type: 'string' },
      utils: { type: 'string' },
      model: { type: 'string' },
      'ready-timeout': { type: 'string' },
      'soak-timeout': { type: 'string' },
      'scrape-timeout': { type: 'string' },
      env: { type: 'string', multiple: true },
      'server-command': { type: 'string' },
      'soak-command': { type: 'string' },
      'frontend-port': { type: 'string' },
      'backend-port': { type: 'string' },
      'keep-running': { type: 'boolean' },
      verbose: { type: 'boolean' },
      json: { type: 'boolean' },
      host: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const soak = values.soak ?? DEFAULTS.soak;
  if (soak !== 'script' && soak !== 'builtin') throw new CollectUsageError(`--soak takes script or builtin, not "${soak}"`);
  const serverEnv: Record<string, string> = {};
  for (const kv of values.env ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new CollectUsageError(`--env takes NAME=VALUE, not "${kv}"`);
    serverEnv[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const endpoint = resolveEndpoint(values.host, process.env, 'flag');
  const client = await connectDocker(endpoint, { audience: 'cli' });
  let container = values.container;
  let frameworks: Framework[] | null = values.framework ? parseFrameworksOrUsage(values.framework) : null;
  if (!container || !frameworks) {
    const list = await client.listContainers();
    const picked = container ? list.find((c) => c.name === container || c.id.startsWith(container!)) : pickContainer(list, process.cwd());
    container ??= picked?.name;
    if (!frameworks) {
      if (!picked || picked.framework === 'unknown') throw new CollectUsageError(`cannot tell the framework of container ${container}: pass --framework vllm, sglang, trtllm or all`);
      frameworks = [picked.framework];
    }
  }
  const req: CollectRequest = {
    ...DEFAULTS,
    container: container!,
    frameworks,
    maxTokens: int('--max-tokens', values['max-tokens'], DEFAULTS.maxTokens),
    requestsPerWorker: int('--requests-per-worker', values['requests-per-worker'], DEFAULTS.requestsPerWorker),
    workers: int('--workers', values.workers, DEFAULTS.workers),
    soak,
    readyTimeoutSeconds: int('--ready-timeout', values['ready-timeout'], DEFAULTS.readyTimeoutSeconds),
    soakTimeoutSeconds: int('--soak-timeout', values['soak-timeout'], DEFAULTS.soakTimeoutSeconds),
    scrapeTimeoutSeconds: int('--scrape-timeout', values['scrape-timeout'], DEFAULTS.scrapeTimeoutSeconds ?? 60),
    frontendPort: int('--frontend-port', values['frontend-port'], DEFAULTS.frontendPort),
    backendPort: int('--backend-port', values['backend-port'], DEFAULTS.backendPort),
    keepRunning: values['keep-running'] === true,
    serverCommand: values['server-command'] ?? DEFAULTS.serverCommand,
    soakCommand: values['soak-command'] ?? DEFAULTS.soakCommand,
    serverEnv,
    ...(values.notes !== undefined ? { notesDir: values.notes } : {}),
    ...(values.utils !== undefined ? { utilsDir: values.utils } : {}),
    ...(values.model !== undefined ? { model: values.model } : {}),
  };
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  const ac = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      io.stderr.write('\nInterrupted: cleaning up (press Ctrl-C again to leave without cleaning up)…\n');
      ac.abort();
    } else process.exit(130);
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  let result: CollectResult;
  try {
    result = await collectMetrics(req, { docker: client.docker, localEngine: isLocalEndpoint(endpoint) }, {
      signal: ac.signal,
      onEvent: (e) => {
        if (e.type === 'step' && (e.step.status !== 'running' || tty)) io.stderr.write(formatStep(e.step) + '\n');
        else if (e.type === 'log' && values.verbose) io.stderr.write(`  ${e.source === 'soak' ? 'soak' : 'server'}| ${e.line}\n`);
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
  if (values.json) {
    io.stdout.write(JSON.stringify({ steps: result.steps, files: result.files, error: result.error, container: result.container, notesDir: result.notesDir, frameworks: result.frameworks }, null, 2) + '\n');
  } else if (result.files.length > 0) {
    io.stdout.write(result.files.join('\n') + '\n');
  }
  if (result.cancelled) return 130;
  if (result.error) {
    // the failed step's line above holds the details (log tail); this is the one-line summary
    if (!values.json) io.stderr.write(`dynamo-dev: collect failed: ${result.error.split('\n')[0]}\n`);
    return 1;
  }
  return 0;
}

function parseFrameworksOrUsage(text: string): Framework[] {
  try {
    return parseFrameworks(text);
  } catch (e) {
    if (e instanceof InvalidRequestError) throw new CollectUsageError(e.message);
    throw e;
  }
}
