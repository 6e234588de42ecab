// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The extension-host test entry point (`extensionTestsPath`): VS Code calls run() inside the extension
// host and exits with 0 when it resolves, 1 when it rejects. Runs every compiled *.test.js next to this
// folder with mocha and the counting reporter (which writes $DYNAMO_TEST_RESULTS).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** out/test/extension/suite/index.js → the repository root. */
function repoRoot(): string {
  const fromEnv = process.env.DYNAMO_REPO_ROOT;
  if (fromEnv) return fromEnv;
  return path.resolve(__dirname, '..', '..', '..', '..');
}

export function run(): Promise<void> {
  const reporterPath = path.join(repoRoot(), 'test', 'support', 'countingReporter.cjs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const reporter = require(reporterPath) as typeof Mocha.reporters.Base;
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: Number(process.env.DYNAMO_EXT_TEST_TIMEOUT_MS || 60000),
    slow: 5000,
    // a skipped or .only test fails the run: no tier passes by leaving tests out
    forbidPending: true,
    forbidOnly: true,
    reporter,
    ...(process.env.DYNAMO_TEST_GREP ? { grep: process.env.DYNAMO_TEST_GREP } : {}),
  });
  const testsDir = path.resolve(__dirname, '..');
  const files = fs
    .readdirSync(testsDir)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0) return Promise.reject(new Error(`no *.test.js files in ${testsDir}`));
  for (const f of files) mocha.addFile(path.join(testsDir, f));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
