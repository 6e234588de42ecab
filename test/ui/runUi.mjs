// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
//   node scripts/with-docker.mjs node test/ui/runUi.mjs              (npm run test:ui builds first)
//
// The UI tier: installs the built extension (dist/, as `vsce package` would ship it) into a fresh
// code-server (the newest installed build), creates the Docker fixture and a three-folder workspace,
// starts code-server on 127.0.0.1 and runs test/ui/*.test.mjs with mocha; the tests drive the workbench
// in Debian chromium through playwright-core and save screenshots to test-results/ui/.
//
// env DOCKER_HOST              the engine (scripts/with-docker.mjs provides one)
//     DYNAMO_TEST_RESULTS      counts file (default test-results/counts/ui.json)
//     DYNAMO_UI_VSCODE_VERSION run this build instead of the newest installed one (1.100.3 or 1.139.1)
//     DYNAMO_VSIX              install this .vsix instead of copying the extension folder
//     DYNAMO_TEST_GREP         only run tests whose title matches (mocha --grep)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { createDevContainerFixture, dockerFromEnv, uniquePrefix } from '../support/fixtures.mjs';

const require = createRequire(import.meta.url);
const shim = require('../support/codeShim.cjs');

const ROOT = resolve(import.meta.dirname, '..', '..');
const UI_DIR = join(ROOT, 'test', 'ui');
const SHOTS = join(ROOT, 'test-results', 'ui');
const RESULTS = resolve(process.env.DYNAMO_TEST_RESULTS || join(ROOT, 'test-results', 'counts', 'ui.json'));
const EXTENSION_ID = 'dynamo-dev.dynamo-dev-tools';

const log = (msg) => process.stdout.write(`[ui-tests] ${msg}\n`);
const secs = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

function writeFailure(why) {
  log(`FAILED: ${why}`);
  mkdirSync(join(RESULTS, '..'), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify({ passed: 0, failed: 1, pending: 0, failures: [`ui: ${why}`], tier: 'ui' }, null, 1));
}

function readResults() {
  try {
    return JSON.parse(readFileSync(RESULTS, 'utf8'));
  } catch (_e) {
    return null;
  }
}

/** Installs the extension into `extensionsDir`: the given .vsix through code-server, else a folder copy. */
function installExtension(install, extensionsDir, userDataDir, workDir) {
  const vsix = process.env.DYNAMO_VSIX;
  if (!vsix) return shim.installExtensionFolder(ROOT, extensionsDir);
  const env = { ...process.env, XDG_CONFIG_HOME: join(workDir, 'xdg', 'config'), XDG_DATA_HOME: join(workDir, 'xdg', 'data') };
  if (install.nodeBinDir) env.PATH = [install.nodeBinDir, env.PATH ?? ''].join(delimiter);
  const r = spawnSync(install.bin, ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', resolve(vsix), '--force'], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.status}): ${r.stderr || r.stdout}`);
  const dir = readdirSync(extensionsDir).find((d) => d.startsWith(`${EXTENSION_ID}-`));
  if (!dir) throw new Error(`${vsix} did not install ${EXTENSION_ID}`);
  return join(extensionsDir, dir);
}

let child = null;
let server = null;
let fixture = null;
let interrupted = null;

async function main() {
  const t0 = Date.now();
  rmSync(RESULTS, { force: true });
  mkdirSync(SHOTS, { recursive: true });
  for (const f of readdirSync(SHOTS)) if (f.endsWith('.png')) rmSync(join(SHOTS, f));

  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) {
    writeFailure('dist/extension.js is missing: run `npm run build` first');
    return 1;
  }
  const wanted = process.env.DYNAMO_UI_VSCODE_VERSION;
  const install = wanted ? shim.findCodeServer(wanted) : shim.newestCodeServer();
  if (!install || !install.installed) {
    writeFailure(install?.problem ?? 'no code-server is installed: run `bash scripts/install-code-server.sh`');
    return 1;
  }
  try {
    await dockerFromEnv().ping();
  } catch (e) {
    writeFailure(`no Docker engine at ${process.env.DOCKER_HOST || 'the default socket'} (${e.message}): run through scripts/with-docker.mjs`);
    return 1;
  }

  const runDir = mkdtempSync(join(tmpdir(), 'dynamo-ui-'));
  try {
    const userDataDir = join(runDir, 'user-data');
    const extensionsDir = join(runDir, 'extensions');
    const installed = installExtension(install, extensionsDir, userDataDir, runDir);
    log(`extension installed in ${installed}`);
    shim.writeUserSettings(userDataDir);

    const prefix = uniquePrefix('dynui');
    fixture = await createDevContainerFixture({ root: join(runDir, 'ws'), prefix, fakeDynamo: true });
    const workspaceFile = join(fixture.root, 'dynamo.code-workspace');
    writeFileSync(workspaceFile, JSON.stringify({ folders: fixture.workspaceFolders.map((f) => ({ path: f.path })), settings: {} }, null, 2));
    log(`fixture ${prefix} ready (${fixture.root})`);

    server = await shim.startCodeServer({ install, workDir: runDir, userDataDir, extensionsDir, logFile: join(SHOTS, 'code-server.log') });
    log(`code-server ${install.codeServerVersion} (VS Code ${install.vscodeVersion}) at ${server.url} in ${secs(t0)}`);
    if (interrupted) return 1;

    // The Containers view's test first (it starts from a fresh workbench), then the others by name.
    const first = ['containersView.test.mjs'];
    const rank = (f) => (first.includes(f) ? first.indexOf(f) : first.length);
    const files = readdirSync(UI_DIR)
      .filter((f) => f.endsWith('.test.mjs'))
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
      .map((f) => join(UI_DIR, f));
    const mocha = join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
    const args = [mocha, '--no-config', '--no-package', '--reporter', join(ROOT, 'test', 'support', 'countingReporter.cjs'), '--timeout', '90000', '--slow', '10000', '--forbid-pending', '--forbid-only', ...(process.env.DYNAMO_TEST_GREP ? ['--grep', process.env.DYNAMO_TEST_GREP] : []), ...files];
    const env = {
      ...process.env,
      DYNAMO_TEST_RESULTS: RESULTS,
      DYNAMO_TEST_TIER: 'ui',
      DYNAMO_UI_URL: shim.workbenchUrl(server.url, workspaceFile),
      DYNAMO_UI_SHOTS: SHOTS,
      DYNAMO_UI_VSCODE_VERSION: install.vscodeVersion,
      DYNAMO_UI_FIXTURE: JSON.stringify({ prefix, root: fixture.root, workspaceFolders: fixture.workspaceFolders, containers: fixture.containers }),
    };
    const code = await new Promise((done) => {
      child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit' });
      child.on('error', (e) => done({ code: 127, error: e.message }));
      child.on('exit', (c, sig) => done({ code: c ?? 128, signal: sig }));
    });
    child = null;
    const counts = readResults();
    if (!counts) {
      writeFailure(`mocha reported no results (exit ${JSON.stringify(code)})`);
      return 1;
    }
    if (code.code !== 0 && counts.failed === 0 && counts.pending === 0) {
      counts.failed = 1;
      counts.failures.push(`ui: mocha exited ${JSON.stringify(code)} although no test failed`);
      writeFileSync(RESULTS, JSON.stringify(counts, null, 1));
    }
    log(`VS Code ${install.vscodeVersion}: ${counts.passed} passed, ${counts.failed + counts.pending} failed in ${secs(t0)}; screenshots in ${SHOTS}`);
    return counts.failed === 0 && counts.pending === 0 && counts.passed > 0 && code.code === 0 ? 0 : 1;
  } catch (e) {
    writeFailure(e instanceof Error ? e.message : String(e));
    return 1;
  } finally {
    await cleanup();
    rmSync(runDir, { recursive: true, force: true });
  }
}

async function cleanup() {
  if (server) {
    await server.stop().catch(() => undefined);
    server = null;
  }
  if (fixture) {
    await fixture.cleanup().catch((e) => log(`fixture cleanup failed: ${e.message}`));
    fixture = null;
  }
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    interrupted ??= sig;
    if (child) child.kill(sig); // mocha's after() hooks close the browser; main() then cleans up
    else setTimeout(() => cleanup().then(() => process.exit(sig === 'SIGINT' ? 130 : 143)), 0);
  });
}
process.on('exit', () => server?.stopSync());

main().then(
  (code) => process.exit(interrupted ? (interrupted === 'SIGINT' ? 130 : 143) : code),
  async (e) => {
    log(`failed: ${e instanceof Error ? e.stack : String(e)}`);
    await cleanup();
    process.exit(1);
  },
);
