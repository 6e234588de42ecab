// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// dynamo-dev docs-build and dynamo-dev cleanup: the procedures behind the `dynamo` tasks of the same names
// (the extension runs these, so a task's exit code is a real process's).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connectDocker } from '../core/docker/client';
import { cliEnvFor, resolveEndpoint } from '../core/docker/endpoint';
import { cleanupInference, DEFAULT_CLEANUP_PORTS } from '../core/inference/cleanup';
import { ContainerShell } from '../core/inference/containerOps';
import { DOCS_DOCKERFILE, runDocsBuild } from '../core/tasks/docsBuild';

export const TASKS_USAGE = `  docs-build            Build the docs image (docker build -t docs-builder -f ${DOCS_DOCKERFILE} .) and
                        judge it: exit 0 only with "build succeeded" and no Sphinx warning; warning lines
                        name the checkout's files (container /workspace/ paths rewritten).
    --path <dir>        The checkout (default: the current directory).
    --no-cache          Rebuild without Docker's layer cache (Sphinx runs even when nothing changed).
    --docker <path>     The docker CLI (default docker).
    --host <endpoint>   Docker endpoint (default: DOCKER_HOST, the docker context, /var/run/docker.sock).
  cleanup               Stop the Dynamo inference processes in a dev container: the narrow patterns of
                        kill_dynamo_processes.sh and the owners of the ports (SIGTERM, SIGKILL after 3 s);
                        never a broad pkill. Exit 0 when the ports are free, 1 when one is still in use.
    --container <n>     The container (name or id).
    --ports <p,…>       Ports whose Dynamo owners are stopped too (default 8000,8081,8082).
    --host <endpoint>   Docker endpoint.`;

export class TasksUsageError extends Error {}

export async function docsBuildCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { path: { type: 'string' }, docker: { type: 'string' }, host: { type: 'string' }, 'no-cache': { type: 'boolean' } }, strict: true, allowPositionals: false });
  const root = resolve(values.path ?? process.cwd());
  if (!existsSync(join(root, ...DOCS_DOCKERFILE.split('/')))) throw new TasksUsageError(`${root} has no ${DOCS_DOCKERFILE} (newer Dynamo branches use Fern docs)`);
  const env: NodeJS.ProcessEnv = { ...process.env, ...cliEnvFor(resolveEndpoint(values.host, process.env, 'flag')) };
  const ac = new AbortController();
  const onInt = () => ac.abort();
  process.once('SIGINT', onInt);
  try {
    const { code, verdict } = await runDocsBuild({ root, docker: values.docker ?? 'docker', env, signal: ac.signal, noCache: values['no-cache'] === true, onLine: (l) => process.stdout.write(`${l}\n`) });
    process.stdout.write(`\n${verdict.summary}\n`);
    return ac.signal.aborted ? 130 : code;
  } finally {
    process.removeListener('SIGINT', onInt);
  }
}

export async function cleanupCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { container: { type: 'string' }, ports: { type: 'string' }, host: { type: 'string' } }, strict: true, allowPositionals: false });
  if (!values.container) throw new TasksUsageError('cleanup needs --container <name|id>');
  let ports = [...DEFAULT_CLEANUP_PORTS];
  if (values.ports !== undefined) {
    ports = values.ports.split(',').map((p) => Number(p.trim()));
    if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw new TasksUsageError(`--ports must be port numbers separated by commas (got "${values.ports}")`);
  }
  const client = await connectDocker(resolveEndpoint(values.host, process.env, 'flag'), { audience: 'cli' });
  const info = await client.docker
    .getContainer(values.container)
    .inspect()
    .catch((e: { statusCode?: number }) => {
      if (e.statusCode === 404) throw new TasksUsageError(`no container "${values.container}"`);
      throw e;
    });
  const name = info.Name.replace(/^\//, '');
  if (!info.State?.Running) {
    process.stdout.write(`Container ${name} is not running: nothing to clean up.\n`);
    return 0;
  }
  process.stdout.write(`Cleaning up inference processes in ${name} (ports ${ports.join(', ')})\n`);
  const r = await cleanupInference(new ContainerShell(client.docker, info.Id, name), { ports, onLine: (l) => process.stdout.write(`${l}\n`) });
  return r.busy.length === 0 ? 0 : 1;
}
