// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Runs inside a real VS Code extension host (as the "tests" module): activates the peer and our
// extension, timing each, then times our first container listing, and writes the figures to
// $DYNAMO_BENCH_OUT.
const fs = require('node:fs');
const { performance } = require('node:perf_hooks');
const vscode = require('vscode');

exports.run = async () => {
  const peer = vscode.extensions.getExtension('dynamo-dev.bench-peer');
  const ours = vscode.extensions.getExtension('dynamo-dev.dynamo-dev-tools');
  if (!peer || !ours) throw new Error('bench: an extension is missing from the host');
  if (peer.isActive || ours.isActive) throw new Error('bench: an extension was already active; activation would not be measured');
  const t0 = performance.now();
  await peer.activate();
  const t1 = performance.now();
  const api = await ours.activate();
  const t2 = performance.now();
  const snap = await api.containers.snapshot({ cached: true });
  const t3 = performance.now();
  fs.writeFileSync(
    process.env.DYNAMO_BENCH_OUT,
    JSON.stringify({ vscode: vscode.version, peerMs: t1 - t0, oursMs: t2 - t1, firstListingMs: t3 - t2, containers: snap.groups.reduce((n, g) => n + g.containers.length, 0), state: snap.state }),
  );
};
