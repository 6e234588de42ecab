// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type EndpointSource = 'setting' | 'flag' | 'DOCKER_HOST' | 'docker context' | 'default';

export interface DockerEndpoint {
  /** As written by the user, e.g. `unix:///var/run/docker.sock`. */
  url: string;
  source: EndpointSource;
  /** Name of the docker context it came from, when `source` is `docker context`. */
  context?: string;
  socketPath?: string;
  host?: string;
  port?: number;
  protocol?: 'http' | 'https' | 'ssh';
  username?: string;
  /** Directory holding ca.pem / cert.pem / key.pem for TLS. */
  certPath?: string;
}

export const DEFAULT_SOCKET = '/var/run/docker.sock';

export class EndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointError';
  }
}

/** Parses `unix://`, `npipe://`, `tcp://`, `http(s)://`, `ssh://` and bare socket paths. */
export function parseEndpoint(url: string, source: EndpointSource, env: NodeJS.ProcessEnv = {}): DockerEndpoint {
  const u = url.trim();
  if (u.startsWith('/')) return { url: u, source, socketPath: u };
  const m = /^([a-z]+):\/\/(.*)$/i.exec(u);
  if (!m) throw new EndpointError(`Docker host "${u}" (from ${source}) is not an endpoint: use unix:///path/to/docker.sock, tcp://host:port or ssh://user@host.`);
  const scheme = (m[1] ?? '').toLowerCase();
  const rest = m[2] ?? '';
  if (scheme === 'unix') {
    if (!rest.startsWith('/')) throw new EndpointError(`Docker host "${u}" (from ${source}) needs an absolute socket path, e.g. unix:///var/run/docker.sock.`);
    return { url: u, source, socketPath: rest };
  }
  if (scheme === 'npipe') return { url: u, source, socketPath: rest.replace(/\//g, '\\') };
  if (scheme === 'tcp' || scheme === 'http' || scheme === 'https' || scheme === 'ssh') {
    let parsed: URL;
    try {
      parsed = new URL((scheme === 'tcp' ? 'http' : scheme) + '://' + rest);
    } catch (_e) {
      throw new EndpointError(`Docker host "${u}" (from ${source}) is not a valid URL.`);
    }
    const tls = scheme === 'https' || (scheme === 'tcp' && !!env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '0');
    const protocol = scheme === 'ssh' ? 'ssh' : tls ? 'https' : 'http';
    const defaultPort = protocol === 'ssh' ? 22 : protocol === 'https' ? 2376 : 2375;
    return {
      url: u,
      source,
      host: parsed.hostname,
      port: parsed.port ? Number(parsed.port) : defaultPort,
      protocol,
      ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
      ...(tls ? { certPath: env.DOCKER_CERT_PATH || join(homedir(), '.docker') } : {}),
    };
  }
  throw new EndpointError(`Docker host "${u}" (from ${source}) uses the unsupported scheme "${scheme}://".`);
}

/** The current `docker context`'s endpoint, when one other than `default` is selected. */
export function contextEndpoint(env: NodeJS.ProcessEnv, readFile: (p: string) => string = (p) => readFileSync(p, 'utf8')): { name: string; host: string } | null {
  const configDir = env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
  let name = env.DOCKER_CONTEXT;
  if (!name) {
    let config: unknown;
    try {
      config = JSON.parse(readFile(join(configDir, 'config.json')));
    } catch (_e) {
      return null; // No readable docker CLI config: nothing to honour.
    }
    const current = (config as { currentContext?: unknown }).currentContext;
    name = typeof current === 'string' ? current : undefined;
  }
  if (!name || name === 'default') return null;
  const id = createHash('sha256').update(name).digest('hex');
  let meta: unknown;
  try {
    meta = JSON.parse(readFile(join(configDir, 'contexts', 'meta', id, 'meta.json')));
  } catch (_e) {
    throw new EndpointError(`The docker context "${name}" is selected but its metadata (${join(configDir, 'contexts', 'meta', id, 'meta.json')}) cannot be read. Run "docker context ls" to check it.`);
  }
  const host = (meta as { Endpoints?: { docker?: { Host?: unknown } } }).Endpoints?.docker?.Host;
  if (typeof host !== 'string' || host === '') return null;
  return { name, host };
}

/** The explicit value (VS Code setting or CLI flag) first, then DOCKER_HOST, then the current docker context, then the default socket. */
export function resolveEndpoint(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env, explicitSource: 'setting' | 'flag' = 'setting'): DockerEndpoint {
  if (explicit && explicit.trim() !== '') return parseEndpoint(explicit, explicitSource, env);
  if (env.DOCKER_HOST && env.DOCKER_HOST.trim() !== '') return parseEndpoint(env.DOCKER_HOST, 'DOCKER_HOST', env);
  const ctx = contextEndpoint(env);
  if (ctx) return { ...parseEndpoint(ctx.host, 'docker context', env), context: ctx.name };
  return { url: 'unix://' + DEFAULT_SOCKET, source: 'default', socketPath: DEFAULT_SOCKET };
}

export function describeEndpoint(e: DockerEndpoint): string {
  const from = e.source === 'docker context' ? `docker context "${e.context ?? ''}"` : e.source === 'setting' ? 'setting dynamo.docker.host' : e.source === 'flag' ? '--host' : e.source;
  return `${e.url} (from ${from})`;
}

/** The environment a `docker` CLI child process needs to reach the same engine. */
export function cliEnvFor(e: DockerEndpoint): Record<string, string> {
  if (e.source === 'default' || e.source === 'docker context') return {};
  return { DOCKER_HOST: e.socketPath && !e.url.includes('://') ? 'unix://' + e.socketPath : e.url };
}

/** The engine runs on this machine (a socket, or TCP to a loopback address), so its containers' ports may be reachable from here. */
export function isLocalEndpoint(e: DockerEndpoint): boolean {
  if (e.socketPath) return true;
  if (e.username) return false; // ssh://
  return e.host === '127.0.0.1' || e.host === 'localhost' || e.host === '::1';
}
