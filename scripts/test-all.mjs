#!/usr/bin/env node
// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Runs every test tier (unit, integration, extension host, UI) one after another, each through its own
// npm script, then prints one closing line "N passed, N failed" summed over all tiers. A tier that
// crashes before reporting counts as one failure, so a broken tier can never look green.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const resultsDir = join(root, 'test-results', 'counts');
const tiers = (process.env.DYNAMO_TEST_TIERS || 'unit,integration,extension,ui').split(',').filter(Boolean);

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

let passed = 0;
let failed = 0;
const lines = [];
for (const tier of tiers) {
  const before = new Set(readdirSync(resultsDir));
  console.log(`\n=== tier: ${tier} ===`);
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', '--silent', `test:${tier}`], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, DYNAMO_TEST_RESULTS_DIR: resultsDir, DYNAMO_TEST_RESULTS: join(resultsDir, `${tier}.json`), DYNAMO_TEST_TIER: tier },
  });
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
console.log('\n=== summary ===');
for (const l of lines) console.log(l);
if (!existsSync(resultsDir)) failed += 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
