// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// `npm run bench`: every figure next to a peer measured in the same run, printed as a ratio; nothing
// here is asserted (tests never assert times). Also written to test-results/bench.json.
//   1. bundle sizes (the activation bundle against the lazily required vendor bundle)
//   2. activation in a real VS Code extension host (code-server through the test shim), against a no-op
//      extension activated in the same host, plus the time to our first container listing
//   3. container listing with 50 dev containers on the real engine, against `docker ps -a --format json`
//   4. Prometheus parser throughput on ~20 MB against parse-prometheus-text-format and split('\n')
//   5. Compare panel: command → painted table, 3 real captures and 20 × 1 MB, against opening a capture in an editor
//   6. built-in load generator: request and token rate against the fake Dynamo frontend (host processes),
//      against soak_fe.py on the same servers
//   7. Collect Metrics: the whole procedure on the fake stack in a real container, against the same work
//      timed inside the container (the floor) and the seed procedure run with docker exec
//   8. GitHub CI polling: requests and rate-limit points over a simulated hour and for a 300-check first render,
//      against the same polling without conditional requests (local GitHub stand-in, virtual clock)
// DYNAMO_BENCH_ONLY=parser runs only the parser part (no Docker, no VS Code needed); =compare only the panel;
// =loadgen only the load generator (python3 needed, no Docker); =collect only Collect Metrics;
// =github only the GitHub polling cost (no Docker, no network).
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { benchCollect, printCollect } from './collect';
import { benchContainerListing } from './containers';
import { benchGitHub, printGitHub } from './github';
import { benchLoadgen } from './loadgen';
import { benchParser, syntheticExposition } from './parser';

const root = resolve(__dirname, '..');
const require_ = createRequire(__filename);
const shim = require_('../test/support/codeShim.cjs') as {
  CODE_SERVER_BUILDS: { vscodeVersion: string }[];
  findCodeServer(v: string): { installed: boolean; problem?: string; vscodeVersion: string };
  codeServerEnv(install: unknown): Record<string, string>;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

function bundleSizes() {
  const files = ['dist/extension.js', 'dist/cli.js', 'dist/webview.js', 'dist/vendor/dockerode.js', 'dist/vendor/undici.js'];
  const rows = files.map((f) => {
    const buf = readFileSync(join(root, f));
    return { file: f, bytes: statSync(join(root, f)).size, gzipBytes: gzipSync(buf).length };
  });
  const ext = rows[0]?.bytes ?? 0;
  const vendor = rows[3]?.bytes ?? 1;
  console.log('\nBundle sizes');
  for (const r of rows) console.log(`  ${r.file.padEnd(26)} ${kb(r.bytes).padStart(12)}  gzip ${kb(r.gzipBytes).padStart(10)}`);
  console.log(`  activation bundle / lazily loaded dockerode bundle: ${(ext / vendor).toFixed(3)}`);
  return { rows, activationToVendorRatio: ext / vendor };
}

async function activation(runs: number) {
  const { createDevContainerFixture, uniquePrefix } = await import('../test/support/fixtures.mjs');
  const results: { vscode: string; peerMs: number; oursMs: number; firstListingMs: number; containers: number }[] = [];
  for (const build of shim.CODE_SERVER_BUILDS) {
    const install = shim.findCodeServer(build.vscodeVersion);
    if (!install.installed) {
      console.log(`  VS Code ${build.vscodeVersion}: not installed (${install.problem ?? ''}); run scripts/setup.sh`);
      continue;
    }
    const dir = mkdtempSync(join(tmpdir(), 'dynamo-bench-'));
    const fixture = await createDevContainerFixture({ root: join(dir, 'ws'), prefix: uniquePrefix('dynbench') });
    try {
      const ws = join(fixture.root, 'bench.code-workspace');
      writeFileSync(ws, JSON.stringify({ folders: fixture.workspaceFolders.map((f: { path: string }) => ({ path: f.path })) }));
      for (let i = 0; i < runs; i++) {
        const out = join(dir, `activation-${i}.json`);
        // The web workbench takes one extensionDevelopmentPath, so the peer is installed the ordinary way.
        cpSync(join(root, 'bench/peer-extension'), join(dir, `ext-${i}`, 'dynamo-dev.bench-peer-0.0.1'), { recursive: true });
        await runTests({
          vscodeExecutablePath: join(root, 'test/support/codeShim.cjs'),
          extensionDevelopmentPath: root,
          extensionTestsPath: join(root, 'bench/activation/measure.cjs'),
          launchArgs: [ws, '--disable-extensions', `--user-data-dir=${join(dir, `ud-${i}`)}`, `--extensions-dir=${join(dir, `ext-${i}`)}`],
          extensionTestsEnv: { ...shim.codeServerEnv(install), DOCKER_HOST: process.env.DOCKER_HOST ?? '', DYNAMO_BENCH_OUT: out, DYNAMO_BENCH_OURS_FIRST: i % 2 === 1 ? '1' : '0' },
        });
        results.push(JSON.parse(readFileSync(out, 'utf8')));
      }
    } finally {
      await fixture.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log('\nActivation in a real extension host (median of runs; runs alternate which extension activates first)');
  const byVersion = new Map<string, typeof results>();
  for (const r of results) byVersion.set(r.vscode, [...(byVersion.get(r.vscode) ?? []), r]);
  const summary = [...byVersion].map(([vscode, rs]) => {
    const ours = median(rs.map((r) => r.oursMs));
    const peer = median(rs.map((r) => r.peerMs));
    const listing = median(rs.map((r) => r.firstListingMs));
    console.log(`  VS Code ${vscode}: ours ${ours.toFixed(1)} ms, no-op peer ${peer.toFixed(1)} ms, ratio ${(ours / peer).toFixed(2)}; first listing of ${rs[0]?.containers ?? 0} containers ${listing.toFixed(1)} ms after activation (${rs.length} runs)`);
    return { vscode, runs: rs.length, oursMs: ours, peerMs: peer, ratio: ours / peer, firstListingMs: listing };
  });
  return summary;
}

function parser() {
  const r = benchParser();
  console.log(`\nPrometheus parser, ${r.megabytes.toFixed(1)} MB synthetic exposition (${r.lines} lines, real vLLM + dynamo_component families), median of ${r.runs}`);
  const row = (name: string, x: { medianMs: number; mbPerS: number }) => console.log(`  ${name.padEnd(44)} ${x.medianMs.toFixed(0).padStart(6)} ms  ${x.mbPerS.toFixed(1).padStart(8)} MB/s`);
  row('ours (src/core/metrics/parser.ts)', r.ours);
  row('parse-prometheus-text-format 1.1.1', r.peer);
  row("split('\\n') floor", r.floor);
  row('allocation floor (slice + objects, no checks)', r.allocationFloor);
  console.log(`  ours vs parse-prometheus-text-format: ${r.speedupVsPeer.toFixed(2)}× the throughput (target ≥ 5)`);
  console.log(`  ours vs split floor: ${r.timesFloor.toFixed(1)}× the time (target ≤ 5); vs allocation floor: ${(r.ours.medianMs / r.allocationFloor.medianMs).toFixed(2)}×`);
  console.log(`  vllm:e2e_request_latency_seconds observations counted: ours ${r.correctness.oursE2eCount}, peer keeps ${r.correctness.peerE2eCountSamples} labelled _count samples`);
  return r;
}

/** Command → painted table in a real extension host, for the three real captures and 20 captures of 1 MB. */
async function comparePanel() {
  const build = shim.CODE_SERVER_BUILDS[shim.CODE_SERVER_BUILDS.length - 1];
  const install = build && shim.findCodeServer(build.vscodeVersion);
  if (!install?.installed) {
    console.log('\nCompare panel: code-server not installed; run scripts/setup.sh');
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'dynamo-bench-compare-'));
  try {
    const real = ['vllm', 'sglang', 'trtllm'].map((fw) => {
      const f = join(dir, `metrics-${fw}.log`);
      cpSync(join(root, `test/fixtures/metrics/ai-dynamo--${fw}-worker.prom`), f);
      return f;
    });
    const mb = syntheticExposition(1024 * 1024);
    const big = Array.from({ length: 20 }, (_, i) => {
      const f = join(dir, `metrics-vllm-${String(i).padStart(2, '0')}.log`);
      writeFileSync(f, mb);
      return f;
    });
    const out = join(dir, 'result.json');
    await runTests({
      vscodeExecutablePath: join(root, 'test/support/codeShim.cjs'),
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'bench/compare/measure.cjs'),
      launchArgs: [dir, '--disable-extensions', `--user-data-dir=${join(dir, 'ud')}`, `--extensions-dir=${join(dir, 'ext')}`],
      extensionTestsEnv: { ...shim.codeServerEnv(install), DOCKER_HOST: process.env.DOCKER_HOST ?? '', DYNAMO_BENCH_OUT: out, DYNAMO_BENCH_SETS: JSON.stringify({ 'three real captures': real, '20 captures of 1 MB': big }) },
    });
    const r = JSON.parse(readFileSync(out, 'utf8')) as { vscode: string; sets: Record<string, { files: number; bytes: number; oursMs: number[]; peerMs: number[] }> };
    console.log(`\nCompare panel, command → painted table (VS Code ${r.vscode}, median of ${Object.values(r.sets)[0]?.oursMs.length ?? 0}; peer: opening the first capture in a text editor)`);
    const summary = Object.entries(r.sets).map(([name, x]) => {
      const ours = median(x.oursMs);
      const peer = median(x.peerMs);
      console.log(`  ${name.padEnd(22)} ${(x.bytes / 1048576).toFixed(1).padStart(5)} MB  ours ${ours.toFixed(0).padStart(5)} ms, peer ${peer.toFixed(0).padStart(4)} ms, ratio ${(ours / peer).toFixed(1)}`);
      return { name, files: x.files, bytes: x.bytes, oursMs: ours, peerMs: peer, ratio: ours / peer };
    });
    return summary;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const only = process.env.DYNAMO_BENCH_ONLY;
  if (only === 'parser') {
    parser();
    return;
  }
  if (only === 'compare') {
    await comparePanel();
    return;
  }
  if (only === 'loadgen') {
    await benchLoadgen();
    return;
  }
  if (only === 'collect') {
    printCollect(await benchCollect(Number(process.env.DYNAMO_BENCH_RUNS || 3)));
    return;
  }
  if (only === 'github') {
    printGitHub(await benchGitHub());
    return;
  }
  const runs = Number(process.env.DYNAMO_BENCH_RUNS || 4);
  const sizes = bundleSizes();
  const parse = parser();
  const github = await benchGitHub();
  printGitHub(github);
  const act = await activation(runs);
  const compare = await comparePanel();
  const loadgen = await benchLoadgen();
  const collect = await benchCollect(3);
  printCollect(collect);
  console.log('\nContainer listing, 50 dev containers on the real engine');
  const listing = await benchContainerListing({ count: 50 });
  console.log(`  ours (DockerClient.listContainers + classification): median ${listing.ours.medianMs.toFixed(1)} ms, p90 ${listing.ours.p90Ms.toFixed(1)} ms`);
  console.log(`  peer (docker ps -a --format json, parsed):          median ${listing.peer.medianMs.toFixed(1)} ms, p90 ${listing.peer.p90Ms.toFixed(1)} ms`);
  console.log(`  ratio ours/peer (median): ${listing.ratio.toFixed(3)}`);
  mkdirSync(join(root, 'test-results'), { recursive: true });
  writeFileSync(join(root, 'test-results/bench.json'), JSON.stringify({ date: new Date().toISOString(), sizes, parser: parse, activation: act, compare, listing, loadgen, collect, github }, null, 2));
  console.log('\nwritten to test-results/bench.json');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
