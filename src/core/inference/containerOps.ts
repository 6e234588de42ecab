// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// The small things a metrics run does inside a container, each one exec with fixed scripts: values are
// always passed as arguments ("$1"…), never spliced into script text. Processes a run starts carry
// RUN_MARKER=<run id> in their environment, so "the processes this run started" is exact.
import type Dockerode from 'dockerode';
import { execInContainer, type ExecOptions, type ExecResult } from '../docker/exec';

/** Environment variable on every process a run starts (inherited by everything they start). */
export const RUN_MARKER = 'DYNAMO_DEV_RUN_ID';

/** The container stopped (or was removed) while the run needed it. */
export class ContainerGoneError extends Error {}
/** The Docker engine stopped answering while the run needed it. */
export class EngineGoneError extends Error {}

function statusOf(e: unknown): number | undefined {
  return (e as { statusCode?: number } | null)?.statusCode;
}
function codeOf(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

const ENGINE_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** Dockerode's errors in the run's words. */
export function classifyDockerError(e: unknown, container: string): Error {
  const status = statusOf(e);
  const msg = e instanceof Error ? e.message : String(e);
  if (status === 409 || status === 404 || /is not running|is restarting|is paused|No such container/i.test(msg)) {
    return new ContainerGoneError(`container ${container} is not running any more (${msg.replace(/^\(HTTP code \d+\)[^-]*-\s*/, '').trim()})`);
  }
  const code = codeOf(e);
  if ((code && ENGINE_CODES.has(code)) || /socket hang up|connect ECONNREFUSED/i.test(msg)) return new EngineGoneError(`the Docker engine stopped answering (${code ?? msg})`);
  return e instanceof Error ? e : new Error(msg);
}

export interface Proc {
  pid: number;
  /** Command line, arguments joined by spaces. */
  cmdline: string;
}

export interface Listener {
  port: number;
  inode: string;
}

/** Lists processes whose environment holds `$1`, as `pid<TAB>cmdline`; the script's own shell excluded. */
const MARKED_PROCS = `m="$1"; self=$$
for d in /proc/[0-9]*; do p=\${d#/proc/}; [ "$p" = "$self" ] && continue
  if tr '\\0' '\\n' < "$d/environ" 2>/dev/null | grep -qxF "$m"; then
    c=$(tr '\\0\\n' '  ' < "$d/cmdline" 2>/dev/null); [ -n "$c" ] && printf '%s\\t%s\\n' "$p" "$c"
  fi
done; exit 0`;

/**
 * Signals the processes whose environment holds `$1` with `$2`, waits up to `$3` tenths of a second for them
 * to go, then SIGKILLs the rest. Processes that appear meanwhile get the signal too: a launcher caught
 * half-way (inference.sh's trap does not exit) goes on starting servers after its own clean-up.
 */
const STOP_MARKED = `m="$1"; sig="$2"; g="$3"; self=$$
pids() { for d in /proc/[0-9]*; do p=\${d#/proc/}; [ "$p" = "$self" ] && continue; if tr '\\0' '\\n' < "$d/environ" 2>/dev/null | grep -qxF "$m"; then echo "$p"; fi; done; }
p=$(pids); [ -z "$p" ] && { echo "none"; exit 0; }
echo "signalled $(echo $p | wc -w)"
kill -"$sig" $p 2>/dev/null; sent=" $(echo $p) "
i=0; while [ $i -lt "$g" ]; do sleep 0.1; p=$(pids); [ -z "$p" ] && exit 0
  new=""; for x in $p; do case "$sent" in *" $x "*) ;; *) new="$new $x";; esac; done
  [ -n "$new" ] && { kill -"$sig" $new 2>/dev/null; sent="$sent$new "; }
  i=$((i+1)); done
echo "killed $(echo $p | wc -w)"; for x in $p; do printf 'stubborn\\t%s\\t%s\\n' "$x" "$(tr '\\0\\n' '  ' < /proc/$x/cmdline 2>/dev/null)"; done
kill -KILL $p 2>/dev/null; sleep 0.1; exit 0`;

/** `pid<TAB>cmdline` of every process (but this shell), kernel threads (empty cmdline) left out. */
const ALL_PROCS = `self=$$
for d in /proc/[0-9]*; do p=\${d#/proc/}; [ "$p" = "$self" ] && continue
  c=$(tr '\\0\\n' '  ' < "$d/cmdline" 2>/dev/null); [ -n "$c" ] && printf '%s\\t%s\\n' "$p" "$c"
done; exit 0`;

/** SIGTERM to the PIDs given after `$1` (tenths of a second to wait), SIGKILL to those still alive then; prints `killed <pids>`. */
const STOP_PIDS = `g="$1"; shift
alive() { for p in "$@"; do s=$(cat /proc/$p/stat 2>/dev/null) || continue; s=\${s##*) }; [ "\${s%% *}" = Z ] || printf ' %s' "$p"; done; }
kill -TERM "$@" 2>/dev/null; i=0
while [ $i -lt "$g" ]; do sleep 0.1; left=$(alive "$@"); [ -z "$left" ] && exit 0; i=$((i+1)); done
echo "killed$left"; kill -KILL $left 2>/dev/null; sleep 0.1; exit 0`;

/** `pid<TAB>cmdline` of the processes holding any of the socket inodes given as arguments. */
const SOCKET_OWNERS = `for f in /proc/[0-9]*/fd/*; do l=$(readlink "$f" 2>/dev/null) || continue
  case "$l" in socket:*) for i in "$@"; do if [ "$l" = "socket:[$i]" ]; then p=\${f#/proc/}; p=\${p%%/*}; printf '%s\\t%s\\n' "$p" "$(tr '\\0\\n' '  ' < /proc/$p/cmdline 2>/dev/null)"; fi; done;; esac
done | sort -u; exit 0`;

/** The first argument that is a folder holding inference.sh. */
const FIND_UTILS = `for d in "$@"; do if [ -f "$d/inference.sh" ]; then echo "$d"; exit 0; fi; done; exit 1`;

/** Everything runs through here so Docker errors read the same everywhere. */
export class ContainerShell {
  constructor(
    readonly docker: Dockerode,
    readonly containerId: string,
    readonly containerName: string,
  ) {}

  async exec(opts: ExecOptions): Promise<ExecResult> {
    try {
      return await execInContainer(this.docker, this.containerId, opts);
    } catch (e) {
      throw classifyDockerError(e, this.containerName);
    }
  }

  /** `sh -c <script> dynamo-dev <args…>`: the script is constant, the values are arguments. */
  async script(script: string, args: readonly string[], opts: Omit<ExecOptions, 'cmd'> = {}): Promise<ExecResult> {
    return this.exec({ timeoutMs: 30000, ...opts, cmd: ['sh', '-c', script, 'dynamo-dev', ...args] });
  }

  async inspect(): Promise<Dockerode.ContainerInspectInfo> {
    try {
      return await this.docker.getContainer(this.containerId).inspect();
    } catch (e) {
      throw classifyDockerError(e, this.containerName);
    }
  }

  async findUtils(candidates: readonly string[]): Promise<string | null> {
    if (candidates.length === 0) return null;
    const r = await this.script(FIND_UTILS, candidates);
    return r.exitCode === 0 ? r.stdout.trim() || null : null;
  }

  /** Every listening TCP port (IPv4 and IPv6) in the container's network namespace, exact numbers. */
  async listeners(): Promise<Listener[]> {
    const r = await this.exec({ cmd: ['cat', '/proc/net/tcp', '/proc/net/tcp6'], timeoutMs: 15000 });
    return parseProcNetTcp(r.stdout);
  }

  async socketOwners(inodes: readonly string[]): Promise<Proc[]> {
    if (inodes.length === 0) return [];
    const r = await this.script(SOCKET_OWNERS, inodes);
    return parseProcs(r.stdout);
  }

  async markedProcesses(runId: string): Promise<Proc[]> {
    const r = await this.script(MARKED_PROCS, [`${RUN_MARKER}=${runId}`]);
    return parseProcs(r.stdout);
  }

  /** SIGTERM (or `signal`) to the run's processes, SIGKILL to what is left after `graceMs`. Returns how many were signalled and SIGKILLed. */
  async stopMarked(runId: string, graceMs: number, signal = 'TERM'): Promise<{ signalled: number; killed: number; stubborn: Proc[] }> {
    const r = await this.script(STOP_MARKED, [`${RUN_MARKER}=${runId}`, signal, String(Math.max(1, Math.round(graceMs / 100)))], { timeoutMs: graceMs + 15000 });
    const signalled = Number(/signalled (\d+)/.exec(r.stdout)?.[1] ?? 0);
    const killed = Number(/killed (\d+)/.exec(r.stdout)?.[1] ?? 0);
    const stubborn = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('stubborn\t'))
      .map((l) => ({ pid: Number(l.split('\t')[1]), cmdline: (l.split('\t')[2] ?? '').trim() }));
    return { signalled, killed, stubborn };
  }

  /** Every process in the container (PID and command line). */
  async processes(): Promise<Proc[]> {
    const r = await this.script(ALL_PROCS, []);
    return parseProcs(r.stdout);
  }

  /** SIGTERM to exactly these PIDs, SIGKILL to those left after `graceMs`; returns the PIDs that needed SIGKILL. */
  async stopPids(pids: readonly number[], graceMs: number): Promise<number[]> {
    if (pids.length === 0) return [];
    const r = await this.script(STOP_PIDS, [String(Math.max(1, Math.round(graceMs / 100))), ...pids.map(String)], { timeoutMs: graceMs + 15000 });
    const m = /^killed((?: \d+)+)$/m.exec(r.stdout);
    return m ? m[1]!.trim().split(' ').map(Number) : [];
  }

  /** SIGKILLs exactly these PIDs (after the caller checked what they are). */
  async killPids(pids: readonly number[]): Promise<void> {
    if (pids.length === 0) return;
    await this.exec({ cmd: ['kill', '-KILL', ...pids.map(String)], timeoutMs: 10000 });
  }
}

export function parseProcs(text: string): Proc[] {
  const out: Proc[] = [];
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const pid = Number(line.slice(0, tab));
    if (Number.isInteger(pid) && pid > 0) out.push({ pid, cmdline: line.slice(tab + 1).trim() });
  }
  return out;
}

/** Listening sockets from /proc/net/tcp{,6} text: state 0A, local port in hex. */
export function parseProcNetTcp(text: string): Listener[] {
  const out: Listener[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== '0A') continue;
    const local = f[1]!;
    const colon = local.lastIndexOf(':');
    if (colon < 0) continue;
    const port = parseInt(local.slice(colon + 1), 16);
    if (Number.isInteger(port)) out.push({ port, inode: f[9]! });
  }
  return out;
}

/**
 * Patterns of processes that belong to a Dynamo inference stack (kill_dynamo_processes.sh §4.1 step 2,
 * its narrow entries only). They are matched only against the owner of a port this run used, after the
 * run's own processes were stopped: never a broad `pkill -f vllm`.
 */
export const NARROW_PATTERNS: readonly RegExp[] = [
  /python[0-9.]*\s.*\bdynamo\.frontend\b/,
  /python[0-9.]*\s.*\bdynamo\.(vllm|sglang|trtllm)\b/,
  /VLLM::EngineCore/,
  /VLLM::Worker/,
  /vllm\.entrypoints/,
  /sglang\.srt/,
  /mpi4py\.futures\.server/,
  /TRTLLM::EngineCore/,
];

/** IDE servers and our own tools are never matched, whatever their command line mentions. */
const NEVER: readonly RegExp[] = [/\.vscode-server/, /\.cursor-server/, /vscode-remote/, /code-server/, /dynamo-dev/];

export function isInferenceProcess(cmdline: string): boolean {
  if (NEVER.some((r) => r.test(cmdline))) return false;
  return NARROW_PATTERNS.some((r) => r.test(cmdline));
}

/** The listeners on each of `ports` in the container's network namespace, with their owners (empty when not visible). */
export async function busyPorts(shell: ContainerShell, ports: readonly number[]): Promise<{ port: number; owners: Proc[] }[]> {
  const listeners = await shell.listeners();
  const out: { port: number; owners: Proc[] }[] = [];
  for (const port of ports) {
    const inodes = listeners.filter((l) => l.port === port).map((l) => l.inode);
    if (inodes.length === 0) continue;
    out.push({ port, owners: await shell.socketOwners(inodes) });
  }
  return out;
}
