// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * The docs image build of a checkout (`docker build -t docs-builder -f container/Dockerfile.docs .`), run
 * with argv (no shell), its Sphinx problem lines rewritten from the container's `/workspace/` to the
 * checkout's path, and judged as the notes say: exit 0, "build succeeded", no warnings.
 */
import { spawn } from 'node:child_process';
import { docsVerdict, rewriteContainerPath, type DocsVerdict } from './sphinx';

export const DOCS_DOCKERFILE = 'container/Dockerfile.docs';

/** Runs argv, hands each output line (stdout and stderr) to `onLine`, resolves with the exit code. */
export function runLines(cmd: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; signal?: AbortSignal }, onLine: (l: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const abort = () => child.kill('SIGTERM');
    opts.signal?.addEventListener('abort', abort, { once: true });
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const parts = (rest + chunk).split(/\r?\n/);
        rest = parts.pop() ?? '';
        parts.forEach(onLine);
      });
      stream.on('end', () => {
        if (rest) onLine(rest);
        rest = '';
      });
    }
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new Error(`${cmd} was not found: install the Docker CLI, or give its path (dynamo.docker.path / --docker)`) : e));
    child.on('close', (code, signal) => {
      opts.signal?.removeEventListener('abort', abort);
      resolve(code ?? (signal ? 130 : 1));
    });
  });
}

export interface DocsBuildOptions {
  root: string;
  docker: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** `docker build --no-cache`: run Sphinx even when nothing changed. */
  noCache?: boolean;
  onLine: (line: string) => void;
}

export async function runDocsBuild(o: DocsBuildOptions): Promise<{ code: number; verdict: DocsVerdict }> {
  const env = { ...o.env };
  // Debian's docker.io has no buildx: the classic builder prints the RUN output the same way.
  const buildx = await runLines(o.docker, ['buildx', 'version'], { cwd: o.root, env }, () => undefined).catch(() => 1);
  if (buildx !== 0 && env['DOCKER_BUILDKIT'] === undefined) {
    env['DOCKER_BUILDKIT'] = '0';
    o.onLine('(docker buildx is not installed: using the classic builder)');
  }
  const args = ['build', ...(buildx === 0 ? ['--progress=plain'] : []), ...(o.noCache ? ['--no-cache'] : []), '-t', 'docs-builder', '-f', DOCS_DOCKERFILE, '.'];
  o.onLine(`$ ${o.docker} ${args.join(' ')}`);
  const seen: string[] = [];
  const code = await runLines(o.docker, args, { cwd: o.root, env, ...(o.signal ? { signal: o.signal } : {}) }, (l) => {
    const host = rewriteContainerPath(l, '/workspace', o.root);
    seen.push(host);
    o.onLine(host);
  });
  const verdict = docsVerdict(seen, o.signal?.aborted ? null : code);
  return { code: verdict.ok ? 0 : code === 0 ? 1 : code, verdict };
}
