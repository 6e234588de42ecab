#!/usr/bin/env node
// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
//   npm run build && npm run open                                   (PORT=8080 by default)
//
// Opens the built extension in a real VS Code (code-server, the newest one scripts/install-code-server.sh
// installed) at http://127.0.0.1:$PORT/, with no password, in the foreground:
//  - installs dist/ (what `vsce package` would ship) into .vscode-test/try/extensions;
//  - creates a sample workspace in .vscode-test/try/workspace/ (folders dynamo1, dynamo2 and notes);
//  - creates sample dev containers named try-* (the test fixtures) in the engine DOCKER_HOST or
//    /var/run/docker.sock names, else in a private dockerd it starts (as scripts/with-docker.mjs does);
//  - Ctrl-C stops code-server, removes the sample containers and stops a private dockerd it started.
// Builds nothing itself.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { createDevContainerFixture, dockerFromEnv, removeQuietly, testImage } from '../test/support/fixtures.mjs';
import { ensureDocker } from './with-docker.mjs';

const require = createRequire(import.meta.url);
const shim = require('../test/support/codeShim.cjs');

const ROOT = resolve(import.meta.dirname, '..');
const TRY = join(ROOT, '.vscode-test', 'try');
const WORKSPACE = join(TRY, 'workspace');
const PREFIX = 'try';
const SAMPLE_NAMES = ['dynamo1', 'dynamo2', 'other', 'stopped', 'unrelated'].map((k) => `${PREFIX}-${k}`);

const say = (msg) => process.stdout.write(`[open] ${msg}\n`);

function fail(msg) {
  process.stderr.write(`[open] ${msg}\n`);
  process.exit(1);
}

function writeIfMissing(file, text) {
  if (!existsSync(file)) writeFileSync(file, text);
}

function sampleWorkspace() {
  for (const d of ['dynamo1', 'dynamo2', 'notes']) mkdirSync(join(WORKSPACE, d), { recursive: true });
  writeIfMissing(
    join(WORKSPACE, 'notes', 'README.md'),
    [
      '# Dynamo Dev Tools: try-out workspace',
      '',
      'Open the **Dynamo** view in the activity bar. When a Docker engine was reachable at start-up, it lists',
      'the sample dev containers `try-*`:',
      '',
      '- `try-dynamo1` and `try-dynamo2` under the workspace folders `dynamo1` and `dynamo2`;',
      '- `try-other` under "Other dev containers" (its folder is not in this workspace);',
      '- `try-stopped` under "Stopped dev containers";',
      '- `try-unrelated` is not a dev container, so it is not listed.',
      '',
      'Right-click a container for Open Shell, Show Logs, Inspect, Start/Stop and Copy ID.',
      '',
      '`try-dynamo1` carries a fake Dynamo stack (no GPU needed) at /home/dynamo/utils: right-click it and choose',
      '**Collect Metrics…** (or run *Dynamo: Collect Metrics…*), pick a framework or `all`, and the captures',
      'land in this `notes/` folder; **Compare** in the closing message opens the comparison. It serves on',
      'this machine\'s ports 8000 and 8081 (the container shares the host network).',
      'Ctrl-C in the terminal that runs `npm run open` stops code-server and removes the sample containers.',
      '',
    ].join('\n'),
  );
  const file = join(WORKSPACE, 'dynamo.code-workspace');
  writeFileSync(file, JSON.stringify({ folders: [{ path: 'dynamo1' }, { path: 'dynamo2' }, { path: 'notes' }], settings: {} }, null, 2) + '\n');
  return file;
}

/**
 * Makes a Docker engine reachable (DOCKER_HOST, else /var/run/docker.sock, else a private dockerd, exactly
 * as scripts/with-docker.mjs does, building the test image when missing) and creates the try-* containers.
 * Returns `{ fixture, engine }`; both null when no engine can be had (then the view shows its
 * "Docker is not reachable" welcome instead).
 */
async function sampleContainers() {
  let engine;
  try {
    engine = await ensureDocker();
  } catch (e) {
    say(`no Docker engine (${e instanceof Error ? e.message : String(e)}): no sample containers.`);
    return { fixture: null, engine: null };
  }
  Object.assign(process.env, engine.env); // code-server, and so the extension, use the same engine
  const where = process.env.DOCKER_HOST;
  try {
    const docker = dockerFromEnv();
    await removeQuietly(docker, { containers: SAMPLE_NAMES }); // left over from a run that was killed
    const fixture = await createDevContainerFixture({ root: WORKSPACE, prefix: PREFIX, docker, image: testImage(), fakeDynamo: true });
    say(`sample dev containers on ${where}: ${SAMPLE_NAMES.join(', ')}`);
    return { fixture, engine };
  } catch (e) {
    say(`creating the sample containers on ${where} failed: ${e instanceof Error ? e.message : String(e)}`);
    return { fixture: null, engine };
  }
}

async function main() {
  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) fail('dist/extension.js is missing: run `npm run build` first.');
  const install = shim.newestCodeServer();
  if (!install) fail('no code-server is installed: run `bash scripts/install-code-server.sh latest` first.');
  const port = Number(process.env.PORT || 8080);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`PORT=${process.env.PORT} is not a port number.`);

  const extensionsDir = join(TRY, 'extensions');
  const userDataDir = join(TRY, 'user-data');
  const installed = shim.installExtensionFolder(ROOT, extensionsDir);
  say(`extension installed in ${installed}`);
  if (!existsSync(join(userDataDir, 'User', 'settings.json'))) shim.writeUserSettings(userDataDir); // keep the user's own changes
  const workspaceFile = sampleWorkspace();
  const { fixture, engine } = await sampleContainers();

  let server = null;
  let stopping = null;
  const stop = (code) =>
    (stopping ??= (async () => {
      say('stopping…');
      if (server) await server.stop().catch(() => undefined);
      if (fixture) {
        await fixture.cleanup().then(
          () => say('sample containers removed.'),
          (e) => say(`removing the sample containers failed: ${e instanceof Error ? e.message : String(e)}`),
        );
      }
      if (engine) await engine.stop().catch(() => undefined); // only stops a private engine it started
      process.exit(code);
    })());
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  process.on('SIGHUP', () => stop(0));
  process.on('exit', () => {
    server?.stopSync();
    engine?.stopSync();
  });

  try {
    server = await shim.startCodeServer({ install, port, workDir: join(TRY, 'server'), userDataDir, extensionsDir, logFile: join(TRY, 'code-server.log'), readyTimeoutMs: 90000 });
  } catch (e) {
    say(`code-server did not start (is port ${port} free? set PORT=…): ${e instanceof Error ? e.message : String(e)}`);
    return stop(1);
  }
  server.exited.then((info) => {
    if (stopping) return undefined;
    say(`code-server exited (${JSON.stringify(info)}); log: ${server.logFile}`);
    return stop(1);
  });
  say(`code-server ${install.codeServerVersion} (VS Code ${install.vscodeVersion}), log ${server.logFile}`);
  say('');
  say(`  open ${shim.workbenchUrl(server.url, workspaceFile)}`);
  say('');
  say('then click the Dynamo icon in the activity bar. Ctrl-C stops code-server and removes the sample containers.');
}

main().catch((e) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e)));
