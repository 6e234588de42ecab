// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import type Dockerode from 'dockerode';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export interface ExecOptions {
  /** argv, passed to the engine as is: no shell on our side, so no quoting issues. */
  cmd: readonly string[];
  env?: Record<string, string>;
  workingDir?: string;
  user?: string;
  /** Kills the command (and everything it started) after this long. */
  timeoutMs?: number;
  signal?: AbortSignal;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** Output kept in the result, per stream (the callbacks still see everything). Default 8 MiB. */
  maxBuffer?: number;
  /** Time between SIGTERM and SIGKILL when killing. Default 2000 ms. */
  killGraceMs?: number;
}

export interface ExecResult {
  /** null when the command was killed before it reported an exit code. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  cancelled: boolean;
  /** true when a stream outgrew `maxBuffer` and was cut. */
  truncated: boolean;
  durationMs: number;
}

/** The environment variable that marks every process an exec starts, so a cancel kills exactly those. */
export const EXEC_MARKER = 'DYNAMO_DEV_EXEC_ID';

/**
 * Kills the processes whose environment holds `${EXEC_MARKER}=<id>`: the exec'd command and its
 * descendants, nothing else. The id is passed as an argument, never spliced into the script.
 */
export const KILL_SCRIPT = [
  'm="' + EXEC_MARKER + '=$1"; g="$2"',
  'pids() { for d in /proc/[0-9]*; do if tr "\\0" "\\n" < "$d/environ" 2>/dev/null | grep -qxF "$m"; then echo "${d#/proc/}"; fi; done; }',
  'p=$(pids); [ -z "$p" ] && exit 0',
  'kill -TERM $p 2>/dev/null',
  'i=0; while [ $i -lt "$g" ]; do sleep 0.1; p=$(pids); [ -z "$p" ] && exit 0; i=$((i+1)); done',
  'kill -KILL $p 2>/dev/null; exit 0',
].join('\n');

class Collector extends Writable {
  private readonly decoder = new StringDecoder('utf8');
  text = '';
  truncated = false;
  constructor(
    private readonly limit: number,
    private readonly onChunk?: (chunk: string) => void,
  ) {
    super();
  }
  private take(s: string): void {
    if (s === '') return;
    this.onChunk?.(s);
    if (this.text.length < this.limit) {
      const room = this.limit - this.text.length;
      this.text += s.length > room ? s.slice(0, room) : s;
      if (s.length > room) this.truncated = true;
    } else this.truncated = true;
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.take(this.decoder.write(chunk));
    cb();
  }
  flushDecoder(): void {
    this.take(this.decoder.end());
  }
}

async function waitForExit(exec: Dockerode.Exec): Promise<number | null> {
  for (let i = 0; i < 100; i++) {
    const info = await exec.inspect();
    if (!info.Running) return info.ExitCode ?? null;
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
}

/** Kills what an exec started, by its marker; resolves once they are gone (or were SIGKILLed). */
export async function killExec(container: Dockerode.Container, execId: string, graceMs = 2000): Promise<void> {
  const exec = await container.exec({ Cmd: ['sh', '-c', KILL_SCRIPT, 'dynamo-kill', execId, String(Math.max(1, Math.round(graceMs / 100)))], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  stream.resume();
  await new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  });
}

/**
 * Runs a command in a container with stdout and stderr demultiplexed and streamed, and returns its exit
 * code. On timeout or abort, every process the command started is killed (SIGTERM, then SIGKILL).
 */
export async function execInContainer(docker: Dockerode, containerId: string, opts: ExecOptions): Promise<ExecResult> {
  const started = Date.now();
  const container = docker.getContainer(containerId);
  const execId = randomUUID();
  const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`);
  env.push(`${EXEC_MARKER}=${execId}`);
  if (opts.signal?.aborted) return { exitCode: null, stdout: '', stderr: '', timedOut: false, cancelled: true, truncated: false, durationMs: 0 };
  const exec = await container.exec({
    Cmd: [...opts.cmd],
    Env: env,
    AttachStdout: true,
    AttachStderr: true,
    ...(opts.workingDir ? { WorkingDir: opts.workingDir } : {}),
    ...(opts.user ? { User: opts.user } : {}),
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const limit = opts.maxBuffer ?? 8 * 1024 * 1024;
  const out = new Collector(limit, opts.onStdout);
  const err = new Collector(limit, opts.onStderr);
  docker.modem.demuxStream(stream, out, err);

  let timedOut = false;
  let cancelled = false;
  let killing: Promise<void> | undefined;
  const kill = () => {
    killing ??= killExec(container, execId, opts.killGraceMs ?? 2000).finally(() => stream.destroy());
  };
  const onAbort = () => {
    cancelled = true;
    kill();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  // an abort while the exec was being created and started fired no listener: act on it now
  if (opts.signal?.aborted) onAbort();
  const timer = opts.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        kill();
      }, opts.timeoutMs)
    : undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
      stream.on('error', (e: Error) => (killing ? resolve() : reject(e)));
    });
    if (killing) await killing;
  } finally {
    if (timer) clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
  out.flushDecoder();
  err.flushDecoder();
  const exitCode = await waitForExit(exec);
  return { exitCode, stdout: out.text, stderr: err.text, timedOut, cancelled, truncated: out.truncated || err.truncated, durationMs: Date.now() - started };
}
