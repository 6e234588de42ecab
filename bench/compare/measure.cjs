// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Runs inside a real VS Code extension host: for each set of captures in $DYNAMO_BENCH_SETS (JSON
// {name: [files]}), the time from asking for the comparison to the webview reporting its painted table,
// next to the peer measured in the same host: opening the set's first file in a text editor.
const fs = require('node:fs');
const { performance } = require('node:perf_hooks');
const vscode = require('vscode');

exports.run = async () => {
  const api = await vscode.extensions.getExtension('dynamo-dev.dynamo-dev-tools').activate();
  const sets = JSON.parse(process.env.DYNAMO_BENCH_SETS);
  const reps = Number(process.env.DYNAMO_BENCH_REPS || 3);
  const out = {};
  for (const [name, files] of Object.entries(sets)) {
    const ours = [];
    const peer = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      const r = await api.metrics.compare(files);
      ours.push(performance.now() - t0);
      if (r.rows <= 0) throw new Error('bench: nothing painted');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const t1 = performance.now();
      await vscode.window.showTextDocument(vscode.Uri.file(files[0]), { preview: true });
      peer.push(performance.now() - t1);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
    out[name] = { files: files.length, bytes: files.reduce((n, f) => n + fs.statSync(f).size, 0), oursMs: ours, peerMs: peer };
  }
  fs.writeFileSync(process.env.DYNAMO_BENCH_OUT, JSON.stringify({ vscode: vscode.version, sets: out }));
};
