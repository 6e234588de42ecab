// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
//   node scripts/with-docker.mjs node test/extension/runTests.mjs      (npm run test:extension builds first)
//
// The extension-host tier: runs test/extension/*.test.ts inside the real VS Code extension host, once per
// installed code-server build (VS Code 1.100.3 on Node 20, 1.139.1 on Node 24), through the standard
// @vscode/test-electron runTests() with test/support/codeShim.cjs standing in for the VS Code executable.
// Each run gets its own Docker fixture (five real containers, dynamo1 with the fake Dynamo stack), a
// three-folder .code-workspace and fresh user-data / extensions dirs. A build that is not installed is a
// failure, never a skip.
//
// env DOCKER_HOST                the engine (scripts/with-docker.mjs provides one)
//     DYNAMO_TEST_RESULTS_DIR    where to write extension-<version>.json counts (default test-results/counts)
//     DYNAMO_VSCODE_VERSIONS     comma-separated subset to run, default 1.100.3,1.139.1
//     DYNAMO_TEST_GREP           only run tests whose title matches
import { accessSync, chmodSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { createDevContainerFixture, dockerFromEnv, uniquePrefix } from '../support/fixtures.mjs';

const require = createRequire(import.meta.url);
const { runTests } = require('@vscode/test-electron');
const shim = require('../support/codeShim.cjs');

const ROOT = resolve(import.meta.dirname, '..', '..');
const SHIM = join(ROOT, 'test', 'support', 'codeShim.cjs');
const OUT = join(ROOT, 'out', 'test', 'extension');
const RESULTS_DIR = resolve(process.env.DYNAMO_TEST_RESULTS_DIR || join(ROOT, 'test-results', 'counts'));
const LOG_BASE = join(ROOT, 'test-results', 'extension');
const VERSIONS = (process.env.DYNAMO_VSCODE_VERSIONS || shim.CODE_SERVER_BUILDS.map((b) => b.vscodeVersion).join(','))
  .split(',')
  .map((v) => v.trim())
  .filter(Boolean);

const log = (msg) => process.stdout.write(`[extension-tests] ${msg}\n`);
const secs = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/** Bundles suite/index.ts and every *.test.ts into out/test/extension/ (CommonJS for the extension host). */
async function compileSuite() {
  const srcDir = join(ROOT, 'test', 'extension');
  const entryPoints = [join(srcDir, 'suite', 'index.ts'), ...readdirSync(srcDir).filter((f) => f.endsWith('.test.ts')).map((f) => join(srcDir, f))];
  rmSync(OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: OUT,
    outbase: srcDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
    // dockerode's ssh2 loads these optional native add-ons in try/catch (as in esbuild.mjs)
    external: ['vscode', 'mocha', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
  });
  return join(OUT, 'suite', 'index.js');
}

function writeResults(file, counts) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(file, JSON.stringify({ passed: 0, failed: 0, pending: 0, failures: [], tier: 'extension', ...counts }, null, 1));
}

function readResults(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (_e) {
    return null;
  }
}

let interrupted = null;

function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch (_e) {
    return null;
  }
}
const liveFixtures = new Set();

/** One full run against one VS Code version; returns { ok, counts, seconds }. */
async function runVersion(version, testsPath) {
  const t0 = Date.now();
  const resultsFile = join(RESULTS_DIR, `extension-${version}.json`);
  rmSync(resultsFile, { force: true });
  const fail = (why) => {
    log(`VS Code ${version}: FAILED: ${why}`);
    const counts = { failed: 1, failures: [`extension tests on VS Code ${version}: ${why}`] };
    writeResults(resultsFile, counts);
    return { ok: false, counts: { passed: 0, failed: 1, pending: 0 }, seconds: (Date.now() - t0) / 1000 };
  };

  let install;
  try {
    install = shim.findCodeServer(version);
  } catch (e) {
    return fail(e.message);
  }
  if (!install.installed) return fail(install.problem);

  const runDir = mkdtempSync(join(tmpdir(), `dynamo-ext-${version}-`));
  const logDir = join(LOG_BASE, version);
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  let fixture = null;
  try {
    const prefix = uniquePrefix(`dynext${version.replace(/\D/g, '')}`);
    fixture = await createDevContainerFixture({ root: join(runDir, 'ws'), prefix, fakeDynamo: true });
    liveFixtures.add(fixture);
    log(`VS Code ${version}: fixture ${prefix} ready in ${secs(t0)} (${fixture.root})`);
    const workspaceFile = join(fixture.root, 'dynamo.code-workspace');
    writeFileSync(workspaceFile, JSON.stringify({ folders: fixture.workspaceFolders.map((f) => ({ path: f.path })), settings: {} }, null, 2));
    const fixtureInfo = {
      prefix,
      root: fixture.root,
      workspaceFolders: fixture.workspaceFolders,
      containers: fixture.containers,
    };
    let exitCode;
    let error = null;
    try {
      exitCode = await runTests({
        vscodeExecutablePath: SHIM,
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: testsPath,
        launchArgs: [workspaceFile, '--disable-extensions', `--user-data-dir=${join(runDir, 'user-data')}`, `--extensions-dir=${join(runDir, 'extensions')}`],
        extensionTestsEnv: {
          ...shim.codeServerEnv(install),
          CODE_SHIM_LOG_DIR: logDir,
          DOCKER_HOST: process.env.DOCKER_HOST ?? '',
          DYNAMO_REPO_ROOT: ROOT,
          DYNAMO_TEST_RESULTS: resultsFile,
          DYNAMO_TEST_TIER: 'extension',
          DYNAMO_TEST_FIXTURE: JSON.stringify(fixtureInfo),
          DYNAMO_EXPECTED_VSCODE_VERSION: install.vscodeVersion,
        },
      });
    } catch (e) {
      error = e;
      exitCode = e?.code ?? null;
    }
    const counts = readResults(resultsFile);
    if (!counts) return fail(`no test results were reported (VS Code exited ${exitCode ?? error?.message}); logs in ${logDir}`);
    const ok = exitCode === 0 && counts.failed === 0 && counts.pending === 0 && counts.passed > 0;
    if (!ok && counts.failed === 0 && counts.pending === 0) {
      counts.failed = 1;
      counts.failures.push(`extension tests on VS Code ${version}: ${counts.passed === 0 ? 'no test ran' : `the run exited ${exitCode ?? error?.message}`} (logs in ${logDir})`);
      writeResults(resultsFile, counts);
    }
    log(`VS Code ${version}: ${counts.passed} passed, ${counts.failed + counts.pending} failed in ${secs(t0)}`);
    return { ok, counts, seconds: (Date.now() - t0) / 1000 };
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  } finally {
    if (fixture) {
      await fixture.cleanup().catch((e) => log(`fixture cleanup failed: ${e.message}`));
      liveFixtures.delete(fixture);
    }
    rmSync(runDir, { recursive: true, force: true });
  }
}

async function main() {
  const t0 = Date.now();
  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) {
    log('dist/extension.js is missing: run `npm run build` first');
    for (const v of VERSIONS) writeResults(join(RESULTS_DIR, `extension-${v}.json`), { failed: 1, failures: [`extension tests on VS Code ${v}: dist/extension.js is missing (npm run build)`] });
    return 1;
  }
  try {
    await dockerFromEnv().ping();
  } catch (e) {
    log(`no Docker engine at ${process.env.DOCKER_HOST || 'the default socket'} (${e.message}): run through scripts/with-docker.mjs`);
    for (const v of VERSIONS) writeResults(join(RESULTS_DIR, `extension-${v}.json`), { failed: 1, failures: [`extension tests on VS Code ${v}: no Docker engine`] });
    return 1;
  }
  // test-electron spawns the "VS Code executable" directly: the shim must be executable (git keeps the
  // bit, but an archive or a copy may drop it)
  try {
    accessSync(SHIM, constants.X_OK);
  } catch (_e) {
    chmodSync(SHIM, 0o755);
  }
  const testsPath = await compileSuite();
  log(`suite compiled to ${testsPath}; VS Code versions: ${VERSIONS.join(', ')}`);
  const summary = [];
  let ok = true;
  for (const v of VERSIONS) {
    if (interrupted) {
      ok = false;
      break;
    }
    const r = await runVersion(v, testsPath);
    ok &&= r.ok;
    summary.push(`VS Code ${v}: ${r.counts.passed} passed, ${r.counts.failed + r.counts.pending} failed (${r.seconds.toFixed(1)} s)`);
  }
  log('summary:');
  for (const l of summary) log(`  ${l}`);
  log(`${ok ? 'all runs passed' : 'FAILED'} in ${secs(t0)}`);
  return ok && !interrupted ? 0 : 1;
}

// test-electron forwards SIGINT to the shim itself; on SIGTERM, pass it on to the shim (our child), which
// stops its code-server and browser, then clean up the fixture.
process.on('SIGINT', () => (interrupted ??= 'SIGINT'));
process.on('SIGTERM', () => {
  interrupted ??= 'SIGTERM';
  for (const pid of shim.descendantsOf(process.pid)) {
    if (parentOf(pid) !== process.pid) continue;
    try {
      process.kill(pid, 'SIGTERM');
    } catch (_e) {
      // gone already
    }
  }
  setTimeout(async () => {
    for (const f of liveFixtures) await f.cleanup().catch(() => undefined);
    process.exit(143);
  }, 15000).unref();
});

main().then(
  (code) => process.exit(interrupted === 'SIGTERM' ? 143 : interrupted === 'SIGINT' ? 130 : code),
  async (e) => {
    log(`failed: ${e instanceof Error ? e.stack : String(e)}`);
    for (const f of liveFixtures) await f.cleanup().catch(() => undefined);
    process.exit(1);
  },
);
