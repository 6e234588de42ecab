// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Process checks shared by scripts/with-docker.mjs and the tests (CommonJS; types in proc.d.cts).
const { readFileSync } = require('node:fs');

/**
 * Alive and not a zombie (a dockerd we spawned stays a zombie until our event loop reaps it).
 * @param {number} pid
 */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (_e) {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch (_e) {
    return false;
  }
}

module.exports = { isAlive };
