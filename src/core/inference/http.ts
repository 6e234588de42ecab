// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// GETs to the inference servers: straight from this machine when the container's port is reachable from
// here (host network, or a bridge address on a local engine), else inside the container with curl, or
// python3 when there is no curl.
import { request } from 'node:http';
import { connect } from 'node:net';
import type { ContainerShell } from './containerOps';

export interface HttpText {
  status: number;
  body: string;
  /** `host` when fetched from this machine, `curl`/`python3` when inside the container. */
  via: 'host' | 'curl' | 'python3';
}

export class FetchError extends Error {}

/** Whether host:port accepts a TCP connection within `timeoutMs`. */
export function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export function hostGet(host: string, port: number, path: string, timeoutMs: number, signal?: AbortSignal): Promise<HttpText> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method: 'GET', timeout: timeoutMs, signal, headers: { accept: 'text/plain, */*' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), via: 'host' }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new FetchError(`no answer from ${host}:${port}${path} within ${Math.round(timeoutMs / 1000)} s`)));
    req.on('error', reject);
    req.end();
  });
}

/** GET inside the container: curl, else python3. stdout is the body, a newline and the HTTP status. */
const CONTAINER_GET = `url="$1"; t="$2"
if command -v curl >/dev/null 2>&1; then
  echo "via curl" >&2
  exec curl -sS -m "$t" -w '\\n%{http_code}' "$url"
fi
if command -v python3 >/dev/null 2>&1; then
  echo "via python3" >&2
  exec python3 -c '
import sys, urllib.request, urllib.error
try:
    r = urllib.request.urlopen(sys.argv[1], timeout=float(sys.argv[2])); code = r.status; body = r.read()
except urllib.error.HTTPError as e:
    code = e.code; body = e.read()
except Exception as e:
    sys.stderr.write("%s\\n" % e); sys.exit(7)
sys.stdout.buffer.write(body + b"\\n%d" % code); sys.stdout.flush()
' "$url" "$t"
fi
echo "neither curl nor python3 is installed in the container" >&2; exit 127`;

export async function containerGet(shell: ContainerShell, port: number, path: string, timeoutMs: number, signal?: AbortSignal): Promise<HttpText> {
  const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  const r = await shell.script(CONTAINER_GET, [`http://127.0.0.1:${port}${path}`, seconds], { timeoutMs: timeoutMs + 10000, signal, maxBuffer: 256 * 1024 * 1024 });
  const via = /via (curl|python3)/.exec(r.stderr)?.[1] as 'curl' | 'python3' | undefined;
  if (r.exitCode === 127) throw new FetchError('neither curl nor python3 is installed in the container, and the port is not reachable from this machine');
  const nl = r.stdout.lastIndexOf('\n');
  const status = nl >= 0 ? Number(r.stdout.slice(nl + 1)) : 0;
  if (r.exitCode !== 0 || !status) {
    const why = r.stderr.split('\n').filter((l) => l.trim() && !/^via /.test(l)).pop() ?? (r.timedOut ? 'timed out' : `exit ${r.exitCode}`);
    throw new FetchError(`GET 127.0.0.1:${port}${path} in the container failed: ${why.trim()}`);
  }
  return { status, body: r.stdout.slice(0, nl), via: via ?? 'curl' };
}

/** Where the run fetches from: this machine (with the address) or the container. */
export interface Route {
  host: string | null;
}

/** GET from this machine when `route.host` reaches the port, else inside the container. */
export async function fetchText(shell: ContainerShell, route: Route, port: number, path: string, timeoutMs: number, signal?: AbortSignal): Promise<HttpText> {
  if (route.host && (await canConnect(route.host, port, 500))) {
    try {
      return await hostGet(route.host, port, path, timeoutMs, signal);
    } catch (e) {
      if (signal?.aborted) throw e;
      if (e instanceof FetchError) throw e;
      // connection went away between the probe and the GET: try from inside
    }
  }
  return containerGet(shell, port, path, timeoutMs, signal);
}
