// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Mocha's spec reporter, plus a JSON record of the counts in $DYNAMO_TEST_RESULTS (when set), so the
// tier runner can sum every tier into one "N passed, N failed" line. Pending (skipped) tests count as
// failures: no tier may skip a test in CI.
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const counts = { passed: 0, failed: 0, pending: 0, failures: [] };
    runner.on('pass', () => counts.passed++);
    runner.on('fail', (test, err) => {
      counts.failed++;
      // The whole message on one line (bounded): an assertion's "Input:" follows a line break, and a
      // CI log often keeps only the summary at its tail.
      const message = err && err.message ? err.message : String(err);
      const oneLine = message.split('\n').map((l) => l.trim()).filter(Boolean).join(' ⏎ ');
      counts.failures.push(`${test.fullTitle()}: ${oneLine.length > 600 ? `${oneLine.slice(0, 600)}…` : oneLine}`);
    });
    runner.on('pending', (test) => {
      counts.pending++;
      counts.failures.push(`${test.fullTitle()}: skipped`);
    });
    runner.once('end', () => {
      const file = process.env.DYNAMO_TEST_RESULTS;
      if (!file) return;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify({ ...counts, tier: process.env.DYNAMO_TEST_TIER || '' }, null, 1));
    });
  }
}
module.exports = CountingReporter;
