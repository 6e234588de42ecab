// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import type Dockerode from 'dockerode';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyContainer } from './discovery';
import { describeEndpoint, type DockerEndpoint } from './endpoint';
import type { ContainerInfo, RawContainer } from './model';

/** The engine could not be reached: says which endpoint was tried, what failed and what to do. */
export class DockerUnreachableError extends Error {
  constructor(
    readonly endpoint: DockerEndpoint,
    readonly reason: string,
    readonly hint: string,
    readonly code?: string,
  ) {
    super(`Docker engine not reachable at ${describeEndpoint(endpoint)}: ${reason}. ${hint}`);
    this.name = 'DockerUnreachableError';
  }
}

function errorCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

/** Who reads the error: the hints name the VS Code setting or the CLI flag. */
export type Audience = 'vscode' | 'cli';

export function unreachableError(endpoint: DockerEndpoint, e: unknown, audience: Audience = 'vscode'): DockerUnreachableError {
  const code = errorCode(e);
  const where = endpoint.socketPath ?? `${endpoint.host ?? ''}:${endpoint.port ?? ''}`;
  const knob = audience === 'cli' ? 'pass --host' : 'set "dynamo.docker.host"';
  const other = audience === 'cli' ? 'Pass --host (or set DOCKER_HOST) if your engine listens elsewhere.' : 'Set "dynamo.docker.host" (or DOCKER_HOST) if your engine listens elsewhere.';
  switch (code) {
    case 'ENOENT':
      return new DockerUnreachableError(endpoint, `the socket ${where} does not exist`, `Start Docker (e.g. "sudo systemctl start docker"). ${other}`, code);
    case 'EACCES':
    case 'EPERM':
      return new DockerUnreachableError(endpoint, `permission denied on ${where}`, `Add your user to the docker group ("sudo usermod -aG docker $USER", then log in again), or ${knob} to an engine you may use.`, code);
    case 'ECONNREFUSED':
      return new DockerUnreachableError(endpoint, `nothing is listening at ${where}`, `Start Docker (e.g. "sudo systemctl start docker"). ${other}`, code);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DockerUnreachableError(endpoint, `the host ${endpoint.host ?? ''} cannot be resolved`, other, code);
    case 'ETIMEDOUT':
      return new DockerUnreachableError(endpoint, 'the engine did not answer in time', `Check that Docker is healthy ("docker info"). ${other}`, code);
    default: {
      const msg = e instanceof Error ? e.message : String(e);
      return new DockerUnreachableError(endpoint, msg, `Check that Docker is running ("docker info"). ${other}`, code);
    }
  }
}

function tlsFiles(certPath: string): { ca: Buffer; cert: Buffer; key: Buffer } {
  return { ca: readFileSync(join(certPath, 'ca.pem')), cert: readFileSync(join(certPath, 'cert.pem')), key: readFileSync(join(certPath, 'key.pem')) };
}

/** dockerode is loaded on first use, not at activation. */
export async function createDockerode(endpoint: DockerEndpoint): Promise<Dockerode> {
  const { default: Docker } = await import('dockerode');
  if (endpoint.socketPath) return new Docker({ socketPath: endpoint.socketPath });
  const opts: Dockerode.DockerOptions = { host: endpoint.host ?? '127.0.0.1', port: endpoint.port ?? 2375, protocol: endpoint.protocol ?? 'http' };
  if (endpoint.username) opts.username = endpoint.username;
  if (endpoint.protocol === 'https' && endpoint.certPath) Object.assign(opts, tlsFiles(endpoint.certPath));
  return new Docker(opts);
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout()), ms);
    }),
  ]);
}

export interface ListOptions {
  /** Also return containers that are not dev containers. */
  includeNonDev?: boolean;
}

/** A connected engine. Obtain one with {@link connectDocker}. */
export class DockerClient {
  constructor(
    readonly docker: Dockerode,
    readonly endpoint: DockerEndpoint,
    readonly audience: Audience = 'vscode',
  ) {}

  async ping(timeoutMs = 5000): Promise<void> {
    const e = this.endpoint;
    try {
      await withTimeout(this.docker.ping(), timeoutMs, () => Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
    } catch (err) {
      throw unreachableError(e, err, this.audience);
    }
  }

  /** All containers (running and stopped) in one API call, classified. */
  async listContainers(opts: ListOptions = {}): Promise<ContainerInfo[]> {
    let raw: RawContainer[];
    try {
      raw = (await this.docker.listContainers({ all: true })) as RawContainer[];
    } catch (err) {
      if (errorCode(err)) throw unreachableError(this.endpoint, err, this.audience);
      throw err;
    }
    const all = raw.map(classifyContainer);
    const list = opts.includeNonDev ? all : all.filter((c) => c.isDevContainer);
    return list.sort((a, b) => a.name.localeCompare(b.name));
  }

  async inspect(id: string): Promise<Dockerode.ContainerInspectInfo> {
    return this.docker.getContainer(id).inspect();
  }

  async start(id: string): Promise<void> {
    await this.docker.getContainer(id).start();
  }

  async stop(id: string, timeoutSeconds = 10): Promise<void> {
    await this.docker.getContainer(id).stop({ t: timeoutSeconds });
  }
}

/** Connects and pings, so an unreachable engine fails here with a {@link DockerUnreachableError}. */
export async function connectDocker(endpoint: DockerEndpoint, opts: { pingTimeoutMs?: number; audience?: Audience } = {}): Promise<DockerClient> {
  const audience = opts.audience ?? 'vscode';
  let docker: Dockerode;
  try {
    docker = await createDockerode(endpoint);
  } catch (err) {
    throw unreachableError(endpoint, err, audience);
  }
  const client = new DockerClient(docker, endpoint, audience);
  await client.ping(opts.pingTimeoutMs ?? 5000);
  return client;
}
