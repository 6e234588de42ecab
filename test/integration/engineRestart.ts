// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Restarting a Docker engine under a running test, for the "engine restarted mid-run" case. Only a
// private dockerd of scripts/with-docker.mjs is ever restarted: its directory (socket, pidfile, data and
// exec roots, log) is /tmp/dynamo-dev-test-docker/<owner pid>/ (or $DYNAMO_TEST_DOCKER_DIR/<owner pid>/),
// and everything needed to start it again is read from the running process: argv, environment (PATH
// finds containerd and runc), working directory, and where stdout/stderr go (the dockerd.log it was
// started with). A restarted dockerd rewrites its --pidfile, and with-docker.mjs stops its engine by
// that pidfile, so the harness still stops (and cleans up after) the new process at the end.
//
// A system engine (/var/run/docker.sock, a remote one), and a private one another harness started and
// that DOCKER_HOST merely reuses (it may serve other test runs), are never touched: `secondPrivateEngine`
// then starts a throw-away private dockerd with with-docker.mjs's own startPrivateDockerd and copies the
// test image into it, and the test runs against that one (see collectFaults.test.ts).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Docker from 'dockerode';
import { isAlive } from '../support/proc.cjs';

export interface PrivateEngine {
  /** The engine's directory (socket, dockerd.pid, data, exec, dockerd.log). */
  dir: string;
  /** DOCKER_HOST form, `unix://<dir>/docker.sock`. */
  url: string;
  socket: string;
}

/** What it takes to start a dockerd again exactly as it was started. */
export interface DockerdProcess {
  pid: number;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** Where its stdout and stderr go (a file path), null for anything we cannot reopen. */
  stdout: string | null;
  stderr: string | null;
}

function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch (_e) {
    return null;
  }
}

/** The socket path of a `unix://` DOCKER_HOST (or a bare path), else null. */
function socketOf(dockerHost: string | undefined): string | null {
  if (!dockerHost) return null;
  if (dockerHost.startsWith('/')) return dockerHost;
  const m = /^unix:\/\/(\/.*)$/.exec(dockerHost);
  return m ? m[1]! : null;
}

/**
 * The private dockerd of scripts/with-docker.mjs that `dockerHost` talks to, or null when it is any other
 * engine (then it must not be restarted). Checks the layout with-docker.mjs makes: `<base>/<pid>/docker.sock`
 * beside a `dockerd.pid` whose process runs dockerd with `--pidfile` and `-H` naming exactly these files.
 */
export function privateEngineOf(dockerHost: string | undefined): PrivateEngine | null {
  const given = socketOf(dockerHost);
  if (!given || !given.endsWith('/docker.sock')) return null;
  const socket = resolve(given);
  const dir = dirname(socket);
  const base = resolve(process.env.DYNAMO_TEST_DOCKER_DIR || '/tmp/dynamo-dev-test-docker');
  if (dirname(dir) !== base || !/^\d+$/.test(dir.slice(base.length + 1))) return null;
  const pid = readPid(join(dir, 'dockerd.pid'));
  if (!pid || !isAlive(pid)) return null;
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  if (!/(^|\/)dockerd$/.test(argv[0] ?? '')) return null;
  const arg = (flag: string) => argv[argv.indexOf(flag) + 1];
  if (!argv.includes('--pidfile') || arg('--pidfile') !== join(dir, 'dockerd.pid') || arg('-H') !== `unix://${socket}`) return null;
  return { dir, url: `unix://${socket}`, socket };
}

/**
 * Whether the harness that owns `engine` (the `<owner pid>` of its directory) is an ancestor of this
 * process: then the engine was started for this very test run (CI; `npm test`; `npm run test:integration`
 * without DOCKER_HOST) and nobody else uses it. A private engine reused through DOCKER_HOST from another
 * harness may be shared with other test runs, and is not restarted.
 */
export function startedForThisRun(engine: PrivateEngine): boolean {
  const owner = Number(basename(engine.dir));
  for (let pid = process.pid, hops = 0; pid > 1 && hops < 64; hops++) {
    if (pid === owner) return true;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch (_e) {
      return false;
    }
  }
  return false;
}

/** Reads the running dockerd of `engine` from /proc: argv, environment, working folder, output files. */
export function dockerdProcess(engine: PrivateEngine): DockerdProcess {
  const pid = readPid(join(engine.dir, 'dockerd.pid'));
  if (!pid || !isAlive(pid)) throw new Error(`no running dockerd for ${engine.dir}`);
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  if (argv.at(-1) === '') argv.pop();
  const env: Record<string, string> = {};
  for (const kv of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
    const eq = kv.indexOf('=');
    if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const target = (fd: number) => {
    try {
      const t = readlinkSync(`/proc/${pid}/fd/${fd}`);
      return t.startsWith('/') && !t.endsWith(' (deleted)') ? t : null;
    } catch (_e) {
      return null;
    }
  };
  return { pid, argv, env, cwd: readlinkSync(`/proc/${pid}/cwd`), stdout: target(1), stderr: target(2) };
}

/** Whether the engine at `socket` answers /_ping within `timeoutMs`. */
async function answers(docker: Docker, timeoutMs = 2000): Promise<boolean> {
  try {
    await Promise.race([docker.ping(), new Promise((_r, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs))]);
    return true;
  } catch (_e) {
    return false;
  }
}

async function until(what: string, timeoutMs: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whether the engine at `engine.socket` answers /_ping. */
export async function engineAnswers(engine: PrivateEngine, timeoutMs = 2000): Promise<boolean> {
  return existsSync(engine.socket) && (await answers(new Docker({ socketPath: engine.socket }), timeoutMs));
}

/** SIGTERM to the dockerd (it stops its containers and its containerd); resolves once it and its containerd are gone. */
export async function stopDockerd(engine: PrivateEngine, p: DockerdProcess): Promise<void> {
  process.kill(p.pid, 'SIGTERM');
  await until(`dockerd ${p.pid} to exit`, 60000, () => !isAlive(p.pid));
  // its managed containerd goes with it; wait for that too, so the new dockerd starts a fresh one
  const containerd = readPid(join(engine.dir, 'exec', 'containerd', 'containerd.pid'));
  if (containerd) {
    const mine = () => {
      try {
        return readFileSync(`/proc/${containerd}/cmdline`, 'utf8').includes(engine.dir);
      } catch (_e) {
        return false;
      }
    };
    await until(`containerd ${containerd} to exit`, 20000, () => !isAlive(containerd) || !mine());
  }
}

/**
 * Starts dockerd with the very command line, environment, working folder and output files `p` had,
 * detached in its own session (so it outlives this process, like the first one did, and is outside the
 * test runner's process group); resolves with its PID once it answers and has written its pidfile.
 */
export async function startDockerd(engine: PrivateEngine, p: DockerdProcess): Promise<number> {
  const fds: number[] = [];
  const open = (file: string | null) => {
    if (!file) return 'ignore' as const;
    const fd = openSync(file, 'a');
    fds.push(fd);
    return fd;
  };
  let child;
  try {
    child = spawn(p.argv[0]!, p.argv.slice(1), { detached: true, stdio: ['ignore', open(p.stdout), open(p.stderr)], env: p.env, cwd: p.cwd });
  } finally {
    for (const fd of fds) closeSync(fd);
  }
  child.unref();
  let exited: string | null = null;
  child.once('exit', (code, signal) => (exited = String(signal ?? code)));
  child.once('error', (e) => (exited = e.message));
  await until('the restarted dockerd to answer', 60000, async () => {
    if (exited !== null) throw new Error(`the restarted dockerd exited (${exited}); see ${p.stderr ?? 'its log'}`);
    return engineAnswers(engine, 1000);
  });
  const pid = readPid(join(engine.dir, 'dockerd.pid'));
  if (pid !== child.pid) throw new Error(`the restarted dockerd (PID ${child.pid}) did not write its pidfile (it holds ${pid})`);
  return pid;
}

export interface RestartTimes {
  /** ms from SIGTERM until the old dockerd was gone. */
  stopMs: number;
  /** ms from the new start until it answered. */
  startMs: number;
  oldPid: number;
  newPid: number;
}

/**
 * Restarts the private dockerd: {@link stopDockerd}, then {@link startDockerd} with what it ran with.
 * Containers are left as the restart leaves them (stopped): see {@link restartContainers}.
 */
export async function restartPrivateEngine(engine: PrivateEngine, p: DockerdProcess = dockerdProcess(engine)): Promise<RestartTimes> {
  const t0 = Date.now();
  await stopDockerd(engine, p);
  const t1 = Date.now();
  const newPid = await startDockerd(engine, p);
  return { stopMs: t1 - t0, startMs: Date.now() - t1, oldPid: p.pid, newPid };
}

/** Starts the given containers (ids) that are not running; returns the ones it started. */
export async function restartContainers(docker: Docker, ids: readonly string[]): Promise<string[]> {
  const started: string[] = [];
  for (const id of ids) {
    const c = docker.getContainer(id);
    const info = await c.inspect().catch(() => null);
    if (!info || info.State.Running) continue;
    await c.start();
    started.push(id);
  }
  return started;
}

/** Ids of the engine's running containers. */
export async function runningContainers(docker: Docker): Promise<string[]> {
  return (await docker.listContainers()).map((c) => c.Id);
}

interface WithDockerModule {
  startPrivateDockerd(): Promise<{ dir: string; url: string; pid: number }>;
  destroyEngineDir(dir: string): void;
}

/**
 * A private dockerd of this process (with-docker.mjs's startPrivateDockerd: needs root and dockerd), with
 * the test image copied in from `from` (docker save | docker load, no rebuild). `destroy()` stops it
 * and deletes its directory.
 */
export async function secondPrivateEngine(from: Docker, image: string): Promise<PrivateEngine & { docker: Docker; destroy(): Promise<void> }> {
  const wd = (await import(pathToFileURL(join(__dirname, '..', '..', 'scripts', 'with-docker.mjs')).href)) as WithDockerModule;
  const started = await wd.startPrivateDockerd();
  const socket = started.url.replace(/^unix:\/\//, '');
  const docker = new Docker({ socketPath: socket });
  const destroy = async () => {
    for (const c of await docker.listContainers({ all: true }).catch(() => [])) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    wd.destroyEngineDir(started.dir);
  };
  try {
    const tar = await from.getImage(image).get();
    const load = await docker.loadImage(tar);
    await new Promise<void>((res, rej) => docker.modem.followProgress(load, (e) => (e ? rej(e) : res())));
    await docker.getImage(image).inspect();
  } catch (e) {
    await destroy();
    throw e;
  }
  return { dir: started.dir, url: started.url, socket, docker, destroy };
}
