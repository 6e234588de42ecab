#!/usr/bin/env node
// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Runs every test tier (unit, integration, extension host, UI) one after another, each through its own
// npm script, then prints one closing line "N passed, N failed" summed over all tiers. A tier that
// crashes before reporting counts as one failure, so a broken tier can never look green. One Docker
// engine serves every tier (a private dockerd when none is reachable); it is stopped before the summary
// so the summary is the last line.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureDocker } from './with-docker.mjs';

const root = resolve(import.meta.dirname, '..');
const resultsDir = join(root, 'test-results', 'counts');
const tiers = (process.env.DYNAMO_TEST_TIERS || 'unit,integration,extension,ui').split(',').filter(Boolean);

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

let passed = 0;
let failed = 0;
const lines = [];
let docker = null;
let dockerError = null;
if (tiers.some((t) => t !== 'unit')) {
  try {
    docker = await ensureDocker();
  } catch (e) {
    dockerError = e instanceof Error ? e.message : String(e);
    console.error(`No Docker engine for the integration, extension and UI tiers: ${dockerError}`);
  }
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    docker?.stopSync();
    process.exit(130);
  });
}

function run(tier) {
  return new Promise((resolveRun) => {
    const child = spawn('npm', ['run', '--silent', `test:${tier}`], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...(docker?.env ?? {}), DYNAMO_TEST_RESULTS_DIR: resultsDir, DYNAMO_TEST_RESULTS: join(resultsDir, `${tier}.json`), DYNAMO_TEST_TIER: tier },
    });
    child.on('error', (e) => resolveRun({ status: null, signal: e.message }));
    child.on('exit', (status, signal) => resolveRun({ status, signal }));
  });
}

for (const tier of tiers) {
  if (tier !== 'unit' && dockerError) {
    failed += 1;
    lines.push(`${tier}: 0 passed, 1 failed (not run: no Docker engine)`);
    continue;
  }
  const before = new Set(readdirSync(resultsDir));
  console.log(`\n=== tier: ${tier} ===`);
  const t0 = Date.now();
  const r = await run(tier);
  const files = readdirSync(resultsDir).filter((f) => !before.has(f) && f.endsWith('.json'));
  let p = 0;
  let f = 0;
  const failures = [];
  for (const file of files) {
    const c = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
    p += c.passed;
    f += c.failed + c.pending;
    failures.push(...c.failures);
  }
  if (files.length === 0) {
    f += 1;
    failures.push(`${tier}: the tier reported no results (exit ${r.status ?? r.signal})`);
  } else if (r.status !== 0 && f === 0) {
    f += 1;
    failures.push(`${tier}: exited ${r.status ?? r.signal} although every test passed`);
  }
  passed += p;
  failed += f;
  lines.push(`${tier}: ${p} passed, ${f} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  for (const x of failures) lines.push(`  ✘ ${x}`);
}
await docker?.stop();
console.log('\n=== summary ===');
for (const l of lines) console.log(l);
if (!existsSync(resultsDir)) failed += 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
