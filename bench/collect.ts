// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Collect Metrics overhead: the whole procedure (ours) against the same work timed inside the container
// with no Docker round trips at all (the floor: start inference.sh, busy-wait 20 ms for "added model",
// soak_fe.py, curl /metrics, SIGTERM and wait for the ports), and against the seed procedure as a shell
// script would run it from the host (docker exec per step, log polled every 0.5 s, broad kill). Same
// fake Dynamo stack, same parameters, alternating order.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { collectMetrics } from '../src/core/inference/collect';
import { DEFAULTS } from '../src/core/inference/options';
import { execInContainer } from '../src/core/docker/exec';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const UTILS = '/home/dynamo/utils';
const MAX_TOKENS = 200;
const REQUESTS = 5;

/** Everything timed inside one exec: the procedure's intrinsic cost. Prints `startup soak scrape stop`. */
const FLOOR = `u="$1"; mt="$2"; rq="$3"; now() { date +%s.%N; }
t0=$(now)
nohup "$u/inference.sh" --framework vllm > /tmp/inference-floor.log 2>&1 < /dev/null &
pid=$!
until grep -q 'added model' /tmp/inference-floor.log; do sleep 0.02; done
t1=$(now)
python3 "$u/soak_fe.py" --max-tokens "$mt" --requests_per_worker "$rq" > /dev/null 2>&1
t2=$(now)
curl -s localhost:8081/metrics > /tmp/metrics-floor.log
t3=$(now)
kill -TERM $pid
while grep -qE ':(1F40|1F91) [0-9A-F:]+ 0A ' /proc/net/tcp /proc/net/tcp6 2>/dev/null; do sleep 0.02; done
t4=$(now)
echo "$t0 $t1 $t2 $t3 $t4"`;

export interface CollectBench {
  runs: number;
  floor: { totalS: number; startupS: number; soakS: number; scrapeS: number; stopS: number };
  ours: { totalS: number; overheadS: number; overheadBeyondStartupAndSoakS: number; steps: Record<string, number> };
  peer: { totalS: number };
  ratioOursToPeer: number;
  ratioOursToFloor: number;
}

export async function benchCollect(runs = 3): Promise<CollectBench> {
  const { createDevContainerFixture, uniquePrefix } = await import('../test/support/fixtures.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'dynamo-bench-collect-'));
  const docker = new Docker();
  const fx = await createDevContainerFixture({ root: dir, prefix: uniquePrefix('dynbench-collect'), fakeDynamo: true });
  const c = fx.containers.dynamo1;
  const floors: number[][] = [];
  const ours: { total: number; steps: Record<string, number> }[] = [];
  const peers: number[] = [];
  const env = { ...process.env };
  try {
    const floor = async () => {
      const r = await execInContainer(docker, c.id, { cmd: ['bash', '-c', FLOOR, 'floor', UTILS, String(MAX_TOKENS), String(REQUESTS)], timeoutMs: 120000 });
      const t = r.stdout.trim().split(/\s+/).map(Number);
      if (t.length !== 5 || t.some((x) => !Number.isFinite(x))) throw new Error(`floor run failed: ${r.stdout} ${r.stderr}`);
      floors.push([t[4]! - t[0]!, t[1]! - t[0]!, t[2]! - t[1]!, t[3]! - t[2]!, t[4]! - t[3]!]);
    };
    const oursRun = async () => {
      const t0 = performance.now();
      const res = await collectMetrics({ ...DEFAULTS, container: c.id, frameworks: ['vllm'], maxTokens: MAX_TOKENS, requestsPerWorker: REQUESTS, notesDir: join(dir, 'notes-ours') }, { docker, localEngine: true });
      const total = (performance.now() - t0) / 1000;
      if (res.error) throw new Error(`collect failed: ${res.error}`);
      const steps: Record<string, number> = {};
      for (const s of res.steps) steps[s.name] = (steps[s.name] ?? 0) + s.seconds;
      ours.push({ total, steps });
    };
    const peer = () => {
      // the seed procedure (CLAUDE.md §3.1.1) with the 30 s wait replaced by a 0.5 s poll, and its kill
      // line (`bash -c "ps aux | grep -E '(…|dynamo)' | … | xargs -r kill -9"`) replaced by a pkill run
      // without a shell: the original matches its own `bash -c` and dies before the server does
      const script = `c="$1"; u="$2"; mt="$3"; rq="$4"; out="$5"
docker exec "$c" bash -c "nohup $u/inference.sh --framework vllm > /tmp/inference-vllm.log 2>&1 &"
until docker exec "$c" bash -c "tail -20 /tmp/inference-vllm.log" | grep -q 'added model'; do sleep 0.5; done
docker exec "$c" bash -c "python3 $u/soak_fe.py --max-tokens $mt --requests_per_worker $rq" > /dev/null 2>&1
docker exec "$c" bash -c "curl -s localhost:8081/metrics" > "$out"
docker exec "$c" pkill -KILL -f 'inference\\.sh|python3 -m dynamo\\.'
until docker exec "$c" sh -c "! grep -qE ':(1F40|1F91) [0-9A-F:]+ 0A ' /proc/net/tcp /proc/net/tcp6"; do sleep 0.5; done`;
      const t0 = performance.now();
      execFileSync('bash', ['-c', script, 'peer', c.name, UTILS, String(MAX_TOKENS), String(REQUESTS), join(dir, 'metrics-peer.log')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
      peers.push((performance.now() - t0) / 1000);
    };
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) {
        await floor();
        await oursRun();
        peer();
      } else {
        peer();
        await oursRun();
        await floor();
      }
    }
  } finally {
    await fx.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
  const col = (i: number) => median(floors.map((f) => f[i]!));
  const floorTotal = col(0);
  const oursTotal = median(ours.map((o) => o.total));
  const stepNames = Object.keys(ours[0]?.steps ?? {});
  const steps = Object.fromEntries(stepNames.map((n) => [n, median(ours.map((o) => o.steps[n] ?? 0))]));
  const peerTotal = median(peers);
  return {
    runs,
    floor: { totalS: floorTotal, startupS: col(1), soakS: col(2), scrapeS: col(3), stopS: col(4) },
    ours: { totalS: oursTotal, overheadS: oursTotal - floorTotal, overheadBeyondStartupAndSoakS: oursTotal - col(1) - col(2), steps },
    peer: { totalS: peerTotal },
    ratioOursToPeer: oursTotal / peerTotal,
    ratioOursToFloor: oursTotal / floorTotal,
  };
}

export function printCollect(b: CollectBench): void {
  const s = (x: number) => `${x.toFixed(2)} s`;
  console.log(`\nCollect Metrics, vllm on the fake stack, ${MAX_TOKENS} tokens × ${REQUESTS} requests, median of ${b.runs}`);
  console.log(`  floor (timed inside the container): ${s(b.floor.totalS)} = start-up ${s(b.floor.startupS)} + soak ${s(b.floor.soakS)} + scrape ${s(b.floor.scrapeS)} + stop ${s(b.floor.stopS)}`);
  console.log(`  ours (collectMetrics):             ${s(b.ours.totalS)}  (${Object.entries(b.ours.steps).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')})`);
  console.log(`  peer (seed procedure, docker exec): ${s(b.peer.totalS)}`);
  console.log(`  our overhead over the floor: ${s(b.ours.overheadS)}; beyond server start-up and soak: ${s(b.ours.overheadBeyondStartupAndSoakS)} (target ≤ 2 s)`);
  console.log(`  ratio ours/peer: ${b.ratioOursToPeer.toFixed(3)}; ours/floor: ${b.ratioOursToFloor.toFixed(3)}`);
}
