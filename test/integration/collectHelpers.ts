// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// What the Collect Metrics suites (collect.test.ts, collectFaults.test.ts) share: the fake-Dynamo fixture,
// a request with small parameters, running the real procedure while recording its events, and the
// checks every test ends with: no process of the run, no Dynamo process, no bound port left in the
// container, and the notes folder exactly as it was.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { join, relative } from 'node:path';
import type Dockerode from 'dockerode';
import type { DevContainerFixture } from '../support/fixtures.mjs' with { 'resolution-mode': 'import' };
import { execInContainer, type ExecResult } from '../../src/core/docker/exec';
import { collectMetrics, type CollectEvent, type CollectHooks, type CollectResult, type StepRecord } from '../../src/core/inference/collect';
import { DEFAULTS, type CollectRequest } from '../../src/core/inference/options';
import { closeFixture, openFixture } from './fixtureContext';

import { portInUse } from '../support/net.cjs';

export { listenOn, portInUse } from '../support/net.cjs';

export const FE_PORT = 8000;
export const BE_PORT = 8081;
/** Ports the fake stack may bind (the backend moves to 8082 when 8081 is taken). */
export const STACK_PORTS = [FE_PORT, BE_PORT, BE_PORT + 1];
export const MODEL = 'Qwen/Qwen3-0.6B';
export const LOCK_DIR = '/tmp/dynamo-dev-collect.lock';
/** The worker "loads the model" this long: short runs. */
export const FAST_ENV = { FAKE_DYNAMO_LOAD_MS: '100' };

export interface CollectFixture {
  root: string;
  fx: DevContainerFixture;
  docker: Dockerode;
  /** The dev container with the fake stack (host network). */
  id: string;
  name: string;
  /** Host folder mounted at /home/dynamo/notes: the run's default notes folder. */
  notes: string;
}

export const closeServer = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));

export async function openCollectFixture(label: string): Promise<CollectFixture> {
  for (const port of STACK_PORTS) {
    if (await portInUse(port)) throw new Error(`127.0.0.1:${port} is in use on this host; the Collect Metrics tests need ports ${STACK_PORTS.join(', ')} free`);
  }
  const { root, fx, client } = await openFixture(label, { fakeDynamo: true });
  return { root, fx, docker: client.docker, id: fx.containers.dynamo1.id, name: fx.containers.dynamo1.name, notes: join(fx.root, 'notes') };
}

export async function closeCollectFixture(c: CollectFixture | undefined): Promise<void> {
  if (c) await closeFixture({ root: c.root, fx: c.fx });
}

/** The procedure with small parameters: 50 tokens, 2 requests, one worker, the script soak. */
export function request(c: CollectFixture, over: Partial<CollectRequest> = {}): CollectRequest {
  return {
    ...DEFAULTS,
    container: c.name,
    frameworks: ['vllm'],
    maxTokens: 50,
    requestsPerWorker: 2,
    workers: 1,
    readyTimeoutSeconds: 30,
    soakTimeoutSeconds: 60,
    ...over,
    serverEnv: { ...FAST_ENV, ...(over.serverEnv ?? {}) },
  };
}

export interface Run {
  result: CollectResult;
  events: CollectEvent[];
  ms: number;
}

/** Runs the real procedure against the engine; `onEvent` sees every event as it happens. */
export async function runCollect(c: CollectFixture, req: CollectRequest, hooks: CollectHooks & { now?: () => Date } = {}): Promise<Run> {
  const events: CollectEvent[] = [];
  const t0 = Date.now();
  const result = await collectMetrics(
    req,
    { docker: c.docker, localEngine: true, ...(hooks.now ? { now: hooks.now } : {}) },
    {
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      onEvent: (e) => {
        events.push(e);
        hooks.onEvent?.(e);
      },
    },
  );
  return { result, events, ms: Date.now() - t0 };
}

/** `vllm:soak:ok`, `run:preflight:ok`… in order. */
export function stepList(r: CollectResult): string[] {
  return r.steps.map((s) => `${s.framework ?? 'run'}:${s.name}:${s.status}`);
}

export function stepOf(r: CollectResult, name: StepRecord['name'], framework: string | null = r.frameworks[0]?.framework ?? null): StepRecord {
  const s = r.steps.find((x) => x.name === name && x.framework === framework);
  assert.ok(s, `no ${framework ?? 'run'} ${name} step in ${stepList(r).join(', ')}`);
  return s;
}

/** The one failed step (there must be exactly one). */
export function failedStep(r: CollectResult): StepRecord {
  const failed = r.steps.filter((s) => s.status === 'failed');
  assert.equal(failed.length, 1, `exactly one failed step: ${stepList(r).join(', ')}`);
  return failed[0]!;
}

/** Every step event came as `running` then its final status, steps one after another. */
export function assertEventOrder(r: CollectResult, events: readonly CollectEvent[]): void {
  const stepEvents = events.filter((e): e is Extract<CollectEvent, { type: 'step' }> => e.type === 'step').map((e) => `${e.step.framework ?? 'run'}:${e.step.name}:${e.step.status}`);
  const expected = stepList(r).flatMap((s) => {
    const [fw, name] = s.split(':');
    return [`${fw}:${name}:running`, s];
  });
  assert.deepEqual(stepEvents, expected);
}

export function exec(c: CollectFixture, cmd: string[], env?: Record<string, string>, timeoutMs = 30000): Promise<ExecResult> {
  return execInContainer(c.docker, c.id, { cmd, timeoutMs, ...(env ? { env } : {}) });
}

/**
 * Live processes of the container that belong to a run (DYNAMO_DEV_RUN_ID in their environment) or look
 * like Dynamo (`-m dynamo.`), as `pid cmdline`; zombies are not running and are left out.
 */
const LEFTOVERS = `self=$$
for d in /proc/[0-9]*; do p=\${d#/proc/}; [ "$p" = "$self" ] && continue
  st=$(cut -d')' -f2 "$d/stat" 2>/dev/null | cut -c2); [ -z "$st" ] || [ "$st" = Z ] && continue
  c=$(tr '\\0' ' ' < "$d/cmdline" 2>/dev/null)
  if tr '\\0' '\\n' < "$d/environ" 2>/dev/null | grep -q '^DYNAMO_DEV_RUN_ID='; then echo "marked $p $c"
  elif printf '%s' "$c" | grep -q -- '-m dynamo\\.'; then echo "dynamo $p $c"; fi
done; exit 0`;

export interface Leftovers {
  marked: string[];
  dynamo: string[];
  /** Listening TCP ports of STACK_PORTS in the container's network namespace (/proc/net/tcp{,6}). */
  ports: number[];
}

export async function leftovers(c: CollectFixture): Promise<Leftovers> {
  const r = await exec(c, ['sh', '-c', LEFTOVERS]);
  assert.equal(r.exitCode, 0, r.stderr);
  const lines = r.stdout.split('\n').filter(Boolean);
  const tcp = await exec(c, ['cat', '/proc/net/tcp', '/proc/net/tcp6']);
  const ports = new Set<number>();
  for (const line of tcp.stdout.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[3] !== '0A' || !f[1]) continue;
    const port = parseInt(f[1].slice(f[1].lastIndexOf(':') + 1), 16);
    if (STACK_PORTS.includes(port)) ports.add(port);
  }
  return {
    marked: lines.filter((l) => l.startsWith('marked ')).map((l) => l.slice(7)),
    dynamo: lines.filter((l) => l.startsWith('dynamo ')).map((l) => l.slice(7)),
    ports: [...ports].sort(),
  };
}

/** Nothing of any run is left: no marked or Dynamo process, no stack port bound (seen from the container and the host). */
export async function assertNothingLeft(c: CollectFixture, allowPorts: number[] = []): Promise<void> {
  const left = await leftovers(c);
  assert.deepEqual(left.marked, [], 'no process with the run marker is left');
  assert.deepEqual(left.dynamo, [], 'no `-m dynamo.` process is left');
  assert.deepEqual(left.ports.filter((p) => !allowPorts.includes(p)), [], 'no stack port is bound in the container');
  for (const port of STACK_PORTS) if (!allowPorts.includes(port)) assert.equal(await portInUse(port), false, `port ${port} is free on this host`);
  const lock = await exec(c, ['test', '-e', LOCK_DIR]);
  assert.notEqual(lock.exitCode, 0, `the run lock ${LOCK_DIR} was released`);
}

/** Every file under `dir` (relative path → bytes). */
export function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

export function assertSameFiles(dir: string, before: Map<string, Buffer>, what = 'the notes folder is byte-identical'): void {
  const after = snapshot(dir);
  assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort(), `${what}: same files`);
  for (const [k, v] of before) assert.ok(after.get(k)?.equals(v), `${what}: ${k} unchanged`);
}

/** A known capture (and its soak report) in the notes folder, to prove a failed run leaves them alone. */
export function seedNotes(dir: string, framework = 'vllm'): Map<string, Buffer> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `metrics-${framework}.log`), `# HELP known a capture from an earlier run\n# TYPE known gauge\nknown{run="earlier"} 42\n`);
  writeFileSync(join(dir, `metrics-${framework}.soak.json`), '{"earlier": true}\n');
  return snapshot(dir);
}

/** Starts `python3` listening on 127.0.0.1:`port` inside the container; resolves its PID once it listens. */
export async function listenInContainer(c: CollectFixture, port: number): Promise<number> {
  const py = 'import socket, sys, time\ns = socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ns.bind(("127.0.0.1", int(sys.argv[1])))\ns.listen()\ntime.sleep(600)';
  const r = await exec(c, ['sh', '-c', 'nohup python3 -c "$1" "$2" > /dev/null 2>&1 < /dev/null & echo $!', 'sh', py, String(port)]);
  assert.equal(r.exitCode, 0, r.stderr);
  const pid = Number(r.stdout.trim());
  for (let i = 0; i < 100 && !(await portInUse(port)); i++) await new Promise((res) => setTimeout(res, 50));
  assert.ok(await portInUse(port), `python3 (PID ${pid}) listens on ${port}`);
  return pid;
}

/** SIGKILLs a PID in the container and waits until it is gone. */
export async function killInContainer(c: CollectFixture, pid: number): Promise<void> {
  await exec(c, ['kill', '-KILL', String(pid)]);
  for (let i = 0; i < 100; i++) {
    const r = await exec(c, ['sh', '-c', 'st=$(cut -d")" -f2 /proc/$1/stat 2>/dev/null | cut -c2); [ -n "$st" ] && [ "$st" != Z ]', 'sh', String(pid)]);
    if (r.exitCode !== 0) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  assert.fail(`PID ${pid} is still running`);
}
