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
  // The first activation in a host pays some one-off cost, so runs alternate which side goes first.
  const oursFirst = process.env.DYNAMO_BENCH_OURS_FIRST === '1';
  const time = async (ext) => {
    const t = performance.now();
    const api = await ext.activate();
    return { ms: performance.now() - t, api };
  };
  const a = await time(oursFirst ? ours : peer);
  const b = await time(oursFirst ? peer : ours);
  const o = oursFirst ? a : b;
  const p = oursFirst ? b : a;
  const t2 = performance.now();
  const snap = await o.api.containers.snapshot({ cached: true });
  const t3 = performance.now();
  fs.writeFileSync(
    process.env.DYNAMO_BENCH_OUT,
    JSON.stringify({ vscode: vscode.version, oursFirst, peerMs: p.ms, oursMs: o.ms, firstListingMs: t3 - t2, containers: snap.groups.reduce((n, g) => n + g.containers.length, 0), state: snap.state }),
  );
};
