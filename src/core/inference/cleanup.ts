// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * "Clean up inference processes" on its own (the `dynamo` task and the Containers view): the narrow part
 * of kill_dynamo_processes.sh (§4.1 steps 1–2). Stops the Dynamo processes holding the given ports and
 * those matching the narrow patterns (SIGTERM, SIGKILL after the grace), never a broad `pkill -f vllm`,
 * never an IDE server or our own tools; then reports which ports are free.
 */
import { busyPorts, isInferenceProcess, type ContainerShell, type Proc } from './containerOps';

export interface CleanupReport {
  /** What was signalled (the Dynamo processes found). */
  stopped: Proc[];
  /** PIDs among them that needed SIGKILL. */
  killed: number[];
  /** Ports with a listener afterwards, and who holds them (never touched: not Dynamo processes). */
  busy: { port: number; owners: Proc[] }[];
  freePorts: number[];
}

export const DEFAULT_CLEANUP_PORTS: readonly number[] = [8000, 8081, 8082];

export async function cleanupInference(shell: ContainerShell, opts: { ports?: readonly number[]; graceMs?: number; onLine?: (line: string) => void } = {}): Promise<CleanupReport> {
  const ports = [...new Set(opts.ports ?? DEFAULT_CLEANUP_PORTS)];
  const say = opts.onLine ?? (() => undefined);
  const targets = new Map<number, Proc>();
  for (const b of await busyPorts(shell, ports)) {
    for (const o of b.owners) if (isInferenceProcess(o.cmdline)) targets.set(o.pid, o);
  }
  for (const p of await shell.processes()) if (isInferenceProcess(p.cmdline)) targets.set(p.pid, p);
  const stopped = [...targets.values()].sort((a, b) => a.pid - b.pid);
  if (stopped.length === 0) say(`No Dynamo inference processes in ${shell.containerName}.`);
  for (const p of stopped) say(`Stopping ${p.pid}: ${p.cmdline.slice(0, 120)}`);
  const killed = await shell.stopPids(
    stopped.map((p) => p.pid),
    opts.graceMs ?? 3000,
  );
  if (killed.length) say(`SIGKILL needed for ${killed.join(', ')}`);
  const busy = await busyPorts(shell, ports);
  const freePorts = ports.filter((p) => !busy.some((b) => b.port === p));
  if (freePorts.length) say(`Free: port${freePorts.length === 1 ? '' : 's'} ${freePorts.join(', ')}`);
  for (const b of busy) {
    say(`Still in use: port ${b.port} by ${b.owners.map((o) => `${o.pid} (${o.cmdline.slice(0, 80)})`).join(', ') || 'a process outside the container (the host network)'}; not a Dynamo process, left alone`);
  }
  return { stopped, killed, busy, freePorts };
}
