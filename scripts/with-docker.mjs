#!/usr/bin/env node
// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
//   node scripts/with-docker.mjs <cmd> [args…]
//
// Makes a Docker engine reachable, runs <cmd> with DOCKER_HOST and DYNAMO_TEST_IMAGE in its environment,
// tears down whatever it started (also on failure, SIGINT, SIGTERM) and exits with <cmd>'s exit code.
//
// Which engine: DOCKER_HOST when it answers /_ping (so nested calls reuse the outer engine), else
// /var/run/docker.sock when it answers, else a private dockerd with its own data root, exec root, pidfile
// and socket under $DYNAMO_TEST_DOCKER_DIR (default /tmp/dynamo-dev-test-docker/<pid>), overlay2 and no
// host networking changes (no iptables, no bridge; containers use --network host). Only the private
// dockerd is stopped at the end: by the PID in its pidfile (so a dockerd a test restarted, which has a new
// PID, is stopped too), then its leftover mounts are lazily unmounted and its directories deleted.
//
// DYNAMO_DOCKERD names the dockerd binary when it is not on PATH.
//
// The test base image ($DYNAMO_TEST_IMAGE, default dynamo-dev-test-base:latest) is built with
// scripts/build-test-rootfs.sh when the engine does not have it yet.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { constants, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isAlive } from '../test/support/proc.cjs';

const ROOT = resolve(import.meta.dirname, '..');
const DEFAULT_SOCKET = '/var/run/docker.sock';
const DEFAULT_IMAGE = 'dynamo-dev-test-base:latest';
const BASE_DIR = process.env.DYNAMO_TEST_DOCKER_DIR || '/tmp/dynamo-dev-test-docker';
const SETUP_HINT = 'run scripts/setup.sh (it installs docker.io), or set DOCKER_HOST to a running engine';

function log(msg) {
  process.stderr.write(`[with-docker] ${msg}\n`);
}

class WithDockerError extends Error {}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Engine directories this process created and has not destroyed yet (for exit paths). */
const liveDirs = new Set();

// ---------------------------------------------------------------------------------------------------
// Talking to an engine without the docker CLI

/** `unix:///x.sock`, `/x.sock`, `tcp://h:p`, `http://h:p` → http.request options; null for other schemes. */
function httpTarget(url) {
  if (url.startsWith('/')) return { socketPath: url };
  const m = /^([a-z]+):\/\/(.*)$/i.exec(url);
  if (!m) return null;
  const scheme = m[1].toLowerCase();
  if (scheme === 'unix') return { socketPath: m[2] };
  if (scheme === 'tcp' || scheme === 'http') {
    if (scheme === 'tcp' && process.env.DOCKER_TLS_VERIFY && process.env.DOCKER_TLS_VERIFY !== '0') return null;
    const u = new URL('http://' + m[2]);
    return { host: u.hostname, port: Number(u.port || 2375) };
  }
  return null;
}

/** One API request; resolves `{ status, body }`, or null when the engine cannot be reached in time. */
function engineRequest(target, method, path, timeoutMs = 3000) {
  return new Promise((done) => {
    const req = request({ ...target, method, path, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
      res.on('error', () => done(null));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => done(null));
    req.end();
  });
}

/** Whether the engine at `url` answers `/_ping`; schemes we cannot speak (ssh, TLS) are asked through the CLI. */
async function answers(url, timeoutMs = 3000) {
  const target = httpTarget(url);
  if (target) {
    if (target.socketPath && !existsSync(target.socketPath)) return false;
    const r = await engineRequest(target, 'GET', '/_ping', timeoutMs);
    return r !== null && r.status === 200;
  }
  const r = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { env: { ...process.env, DOCKER_HOST: url }, timeout: 15000, stdio: 'ignore' });
  return r.status === 0;
}

async function imageExists(url, image) {
  const target = httpTarget(url);
  if (target) {
    const r = await engineRequest(target, 'GET', `/images/${encodeURIComponent(image)}/json`, 10000);
    return r !== null && r.status === 200;
  }
  return spawnSync('docker', ['image', 'inspect', image], { env: { ...process.env, DOCKER_HOST: url }, stdio: 'ignore' }).status === 0;
}

// ---------------------------------------------------------------------------------------------------
// The private dockerd

function findExecutable(name) {
  const dirs = [...(process.env.PATH || '').split(delimiter), '/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin'];
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, name);
    try {
      if (statSync(p).isFile()) return p;
    } catch (_e) {
      // not in this directory
    }
  }
  return null;
}

function cmdlineOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch (_e) {
    return '';
  }
}

function readPid(file) {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch (_e) {
    return null;
  }
}

/** SIGTERM, wait, SIGKILL: only for a PID whose command line names our directory (PIDs get reused). */
function stopPid(pid, mustMention, graceMs) {
  if (!pid || !isAlive(pid) || !cmdlineOf(pid).includes(mustMention)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch (_e) {
    return;
  }
  const until = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < until) sleepSync(100);
  if (isAlive(pid)) {
    log(`PID ${pid} ignored SIGTERM for ${graceMs} ms; sending SIGKILL`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch (_e) {
      // already gone
    }
    const killUntil = Date.now() + 5000;
    while (isAlive(pid) && Date.now() < killUntil) sleepSync(50);
  }
}

function mountsUnder(dir) {
  let text = '';
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch (_e) {
    return [];
  }
  const decode = (s) => s.replace(/\\([0-7]{3})/g, (_m, o) => String.fromCharCode(parseInt(o, 8)));
  return text
    .split('\n')
    .map((line) => decode(line.split(' ')[4] ?? ''))
    .filter((mp) => mp === dir || mp.startsWith(dir + '/'))
    .sort((a, b) => b.length - a.length);
}

/**
 * Stops the dockerd of `dir` (and its managed containerd), unmounts what is left under `dir`, deletes `dir`.
 * The dockerd is found by its pidfile, not by the process this script spawned: a test may have restarted
 * the engine (test/integration/engineRestart.ts), and the new dockerd rewrote the pidfile. Returns the
 * PID it stopped (null when none ran).
 */
export function destroyEngineDir(dir) {
  liveDirs.delete(dir);
  const pid = readPid(join(dir, 'dockerd.pid'));
  stopPid(pid, dir, 20000);
  // dockerd normally stops its containerd itself; a SIGKILLed dockerd would leave it behind
  stopPid(readPid(join(dir, 'exec', 'containerd', 'containerd.pid')), dir, 5000);
  for (let attempt = 0; attempt < 3; attempt++) {
    for (const mp of mountsUnder(dir)) spawnSync('umount', ['-l', mp], { stdio: 'ignore' });
    try {
      rmSync(dir, { recursive: true, force: true });
      break;
    } catch (e) {
      if (attempt === 2) log(`could not delete ${dir}: ${e.message}`);
      sleepSync(200);
    }
  }
  try {
    rmdirSync(BASE_DIR); // only when empty: a concurrent run may still own a sibling directory
  } catch (_e) {
    // not empty, or already gone
  }
  return pid;
}

/** Directories of earlier runs whose owner process is gone (it was SIGKILLed): clean them up first. */
function reapStaleDirs() {
  let entries = [];
  try {
    entries = readdirSync(BASE_DIR);
  } catch (_e) {
    return;
  }
  for (const name of entries) {
    const owner = Number(name);
    if (!Number.isInteger(owner) || owner === process.pid || isAlive(owner)) continue;
    log(`cleaning up ${join(BASE_DIR, name)} left by an earlier run (PID ${owner} is gone)`);
    destroyEngineDir(join(BASE_DIR, name));
  }
}

/** Starts a private dockerd under $DYNAMO_TEST_DOCKER_DIR/<this pid>; stop it with destroyEngineDir(engine.dir). */
export async function startPrivateDockerd() {
  const override = process.env.DYNAMO_DOCKERD; // a dockerd outside PATH, or a missing one to test this message
  const dockerd = override ? (existsSync(override) ? override : null) : findExecutable('dockerd');
  if (!dockerd) throw new WithDockerError(`no Docker engine is reachable and dockerd is not installed: ${SETUP_HINT}.`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new WithDockerError(`no Docker engine is reachable, and starting a private dockerd needs root: run as root, or ${SETUP_HINT}.`);
  }
  reapStaleDirs();
  const dir = join(BASE_DIR, String(process.pid));
  rmSync(dir, { recursive: true, force: true });
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (_e) {
    mkdirSync(dir, { recursive: true, mode: 0o700 }); // a concurrent run's teardown removed the empty base dir in between
  }
  liveDirs.add(dir);
  const socket = join(dir, 'docker.sock');
  const logFile = join(dir, 'dockerd.log');
  const args = [
    '--data-root', join(dir, 'data'),
    '--exec-root', join(dir, 'exec'),
    '--pidfile', join(dir, 'dockerd.pid'),
    '-H', `unix://${socket}`,
    '--storage-driver=overlay2',
    '--iptables=false', '--ip6tables=false', '--ip-forward=false', '--ip-masq=false', '--bridge=none',
  ];
  const fd = openSync(logFile, 'a');
  const child = spawn(dockerd, args, { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  let exited = null;
  const reaped = new Promise((done) => {
    child.on('exit', (code, signal) => done((exited = signal ?? code)));
    child.on('error', (e) => done((exited = e.message)));
  });
  const engine = { dir, url: `unix://${socket}`, pid: child.pid, reaped };
  const started = Date.now();
  while (!(await answers(engine.url, 1000))) {
    if (exited !== null || Date.now() - started > 60000) {
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n') : '';
      destroyEngineDir(dir);
      throw new WithDockerError(`the private dockerd ${exited !== null ? `exited (${exited})` : 'did not answer within 60 s'}; its log ended with:\n${tail}`);
    }
    await sleep(100);
  }
  log(`private dockerd PID ${child.pid} ready at ${engine.url} in ${((Date.now() - started) / 1000).toFixed(1)} s (dir ${dir})`);
  return engine;
}

/** Force-removes every container of the private engine, so dockerd need not wait for them to stop. */
async function removeAllContainers(url) {
  const target = httpTarget(url);
  const r = await engineRequest(target, 'GET', '/containers/json?all=1', 10000);
  if (!r || r.status !== 200) return;
  let ids = [];
  try {
    ids = JSON.parse(r.body).map((c) => c.Id);
  } catch (_e) {
    return;
  }
  await Promise.all(ids.map((id) => engineRequest(target, 'DELETE', `/containers/${id}?force=1&v=1`, 15000)));
}

// ---------------------------------------------------------------------------------------------------

async function ensureImage(url) {
  const image = process.env.DYNAMO_TEST_IMAGE || DEFAULT_IMAGE;
  if (await imageExists(url, image)) return image;
  const tar = join(tmpdir(), `dynamo-test-rootfs-${process.pid}.tar`);
  const t0 = Date.now();
  try {
    const r = spawnSync('bash', [join(ROOT, 'scripts', 'build-test-rootfs.sh'), tar], {
      env: { ...process.env, DOCKER_HOST: url, DYNAMO_TEST_IMAGE: image },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (r.status !== 0) throw new WithDockerError(`building the test image ${image} failed (scripts/build-test-rootfs.sh exited ${r.status ?? r.signal}).`);
  } finally {
    rmSync(tar, { force: true });
  }
  if (!(await imageExists(url, image))) throw new WithDockerError(`the test image ${image} is still missing after scripts/build-test-rootfs.sh.`);
  log(`test image ${image} built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return image;
}

/**
 * Makes an engine reachable and the test image present. `env` holds DOCKER_HOST and DYNAMO_TEST_IMAGE
 * for child processes; `stop()` tears down what this call started (nothing when an engine was reused);
 * `stopSync()` does the same without removing containers first, for exit paths that cannot wait.
 */
export async function ensureDocker() {
  let engine = null;
  let url = null;
  const fromEnv = process.env.DOCKER_HOST?.trim();
  if (fromEnv && (await answers(fromEnv))) url = fromEnv;
  else {
    if (fromEnv) log(`DOCKER_HOST=${fromEnv} does not answer; looking for another engine`);
    if (await answers(DEFAULT_SOCKET)) url = `unix://${DEFAULT_SOCKET}`;
    else {
      engine = await startPrivateDockerd();
      url = engine.url;
    }
  }
  let stopped = false;
  const stopSync = () => {
    if (stopped || !engine) return;
    stopped = true;
    const t0 = Date.now();
    const pid = destroyEngineDir(engine.dir);
    const restarted = pid !== null && pid !== engine.pid ? ` (restarted since; it was PID ${engine.pid})` : '';
    log(`private dockerd PID ${pid ?? engine.pid}${restarted} stopped and ${engine.dir} removed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };
  const stop = async () => {
    if (stopped || !engine) return;
    await removeAllContainers(engine.url).catch(() => undefined);
    stopSync();
    // let the event loop reap the exited dockerd, so no zombie outlives this call
    await Promise.race([engine.reaped, sleep(2000)]);
  };
  try {
    const image = await ensureImage(url);
    return { env: { DOCKER_HOST: url, DYNAMO_TEST_IMAGE: image }, stop, stopSync, startedEngine: engine !== null };
  } catch (e) {
    stopSync();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------

async function main(argv) {
  if (argv.length === 0) {
    process.stderr.write('usage: node scripts/with-docker.mjs <cmd> [args…]\n');
    return 2;
  }
  let docker = null;
  let child = null;
  let signalled = null;
  // Without a terminal, <cmd> gets its own process group, so a signal (and the final sweep) reaches its
  // whole tree, not just its first process. On a terminal it stays in ours: Ctrl-C reaches it directly.
  const ownGroup = !process.stdin.isTTY;
  const signalChild = (sig) => {
    if (!child?.pid) return;
    try {
      if (ownGroup) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch (_e) {
      // already gone
    }
  };
  const onSignal = (sig) => {
    signalled ??= sig;
    if (child && child.exitCode === null && child.signalCode === null) {
      signalChild(sig);
      setTimeout(() => signalChild('SIGKILL'), 15000).unref();
    } else {
      process.exit(128 + (constants.signals[sig] ?? 1)); // the exit handler tears down
    }
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, onSignal);
  process.on('exit', () => {
    docker?.stopSync();
    for (const dir of [...liveDirs]) destroyEngineDir(dir); // an engine still starting up
  });

  try {
    docker = await ensureDocker();
  } catch (e) {
    log(e instanceof WithDockerError ? e.message : `cannot provide a Docker engine: ${e instanceof Error ? e.stack : String(e)}`);
    return 1;
  }
  if (signalled) {
    await docker.stop();
    return 128 + (constants.signals[signalled] ?? 1);
  }
  const binDir = join(ROOT, 'node_modules', '.bin');
  const env = { ...process.env, ...docker.env, PATH: [binDir, process.env.PATH ?? ''].join(delimiter) };
  const [cmd, ...args] = argv;
  const result = await new Promise((done) => {
    child = spawn(cmd, args, { stdio: 'inherit', env, detached: ownGroup });
    child.on('error', (e) => done({ code: 127, error: e }));
    child.on('exit', (code, signal) => done({ code, signal }));
  });
  if (result.error) log(`cannot run ${cmd}: ${result.error.message}`);
  if (ownGroup) signalChild('SIGTERM'); // whatever <cmd> left running in its group would outlive the engine
  await docker.stop();
  if (signalled) return 128 + (constants.signals[signalled] ?? 1);
  if (result.signal) return 128 + (constants.signals[result.signal] ?? 1);
  return result.code ?? 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      log(`failed: ${e instanceof Error ? e.stack : String(e)}`);
      process.exit(1);
    },
  );
}
