// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Benchmark: what "CI at a glance" costs in GitHub requests and rate-limit points, with the real client
// (src/core/github/client.ts) and loadChecks (src/core/github/prChecks.ts) against the local GitHub stand-in
// (test/support/githubServer.ts: ETags, 304s that cost no point, per-resource rate-limit accounting).
//   1. one simulated hour of polling: a settled PR (slow interval, ~5 min), a pending PR whose jobs finish
//      one by one all hour (fast interval, ~20 s), and a pending PR that settles half-way. No sleeping: a
//      virtual clock follows the schedule of nextDelay (src/core/github/polling.ts, seeded jitter) and
//      loadChecks runs at each scheduled instant. The server's state changes at fixed virtual times.
//   2. the first render of a PR with 300 check runs (requests, points, wall time), next to a re-render
//      with a warm ETag cache.
// The peer, measured in the same run on the same schedule: the same polling without conditional requests
// (a fresh client, hence a fresh ETag cache, for every poll). Points are read from the server's buckets
// (core and GraphQL separately) and cross-checked against the clients' counters. GraphQL (isRequired) has
// no 304: every query costs a point, so it is reported on its own line.
// Nothing here is asserted.
import { performance } from 'node:perf_hooks';
import { GitHubClient } from '../src/core/github/client';
import { nextDelay } from '../src/core/github/polling';
import { loadChecks } from '../src/core/github/prChecks';
import { seededRandom } from '../test/support/random';
import { type GitHubServer, type Json, startGitHubServer } from '../test/support/githubServer';

const TOKEN = 'ghp_benchbenchbenchbenchbenchbenchbench';
const HOUR_MS = 3_600_000;
const SEED = 0x5eed;


const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};

interface Counted {
  requests: number;
  points: number;
}

interface ServerCount {
  rest: Counted;
  graphql: Counted;
}

function serverSnapshot(gh: GitHubServer): ServerCount {
  const api = gh.requests.filter((r) => r.server === 'api');
  const gql = api.filter((r) => r.route === '/graphql').length;
  return {
    rest: { requests: api.length - gql, points: gh.rate.core.used },
    graphql: { requests: gql, points: gh.rate.graphql.used },
  };
}

const diff = (a: ServerCount, b: ServerCount): ServerCount => ({
  rest: { requests: b.rest.requests - a.rest.requests, points: b.rest.points - a.rest.points },
  graphql: { requests: b.graphql.requests - a.graphql.requests, points: b.graphql.points - a.graphql.points },
});
const ZERO: ServerCount = { rest: { requests: 0, points: 0 }, graphql: { requests: 0, points: 0 } };

// ---- scenarios ---------------------------------------------------------------------------------

interface Script {
  pr: number;
  /** Applies the server-side changes due by `elapsedMs` of virtual time. */
  advance(elapsedMs: number): void;
}

interface Scenario {
  name: string;
  build(gh: GitHubServer, t0: number): Script;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const JOBS = 24;

/** A PR with one workflow run of `JOBS` jobs (each a check run), a commit status, and 4 required checks. */
function seedPr(gh: GitHubServer, pending: boolean): { sha: string; run: Json; checks: Json[] } {
  const sha = pending ? 'a'.repeat(40) : 'b'.repeat(40);
  gh.addPull({ number: 7001, head: 'feat/ci-glance', headSha: sha });
  const { run, jobs } = gh.addWorkflowRun({
    headSha: sha,
    branch: 'pull-request/7001',
    name: 'Pre Merge',
    event: 'push',
    status: pending ? 'in_progress' : 'completed',
    conclusion: pending ? null : 'success',
    jobs: Array.from({ length: JOBS }, (_, i) => ({ name: `build-and-test (${i + 1})`, status: pending ? ('in_progress' as const) : ('completed' as const), conclusion: pending ? null : ('success' as const) })),
  });
  gh.addStatus(sha, { context: 'ci/gitlab/pipeline', state: pending ? 'pending' : 'success' });
  gh.setRequiredChecks(['build-and-test (1)', 'build-and-test (2)', 'build-and-test (3)', 'ci/gitlab/pipeline']);
  const ids = new Set(jobs.map((j) => j.id as number));
  const checks = (gh.checkRuns.get(sha) ?? []).filter((c) => ids.has(c.id as number));
  return { sha, run, checks };
}

/** Jobs finish one every `everyMs`; when all are done the run and the commit status complete. */
function pendingScript(gh: GitHubServer, t0: number, everyMs: number): Script {
  const { sha, run, checks } = seedPr(gh, true);
  let done = 0;
  return {
    pr: 7001,
    advance(elapsed) {
      while (done < checks.length && (done + 1) * everyMs <= elapsed) {
        const at = iso(t0 + (done + 1) * everyMs);
        Object.assign(checks[done] as Json, { status: 'completed', conclusion: 'success', completed_at: at });
        done++;
        if (done === checks.length) {
          Object.assign(run, { status: 'completed', conclusion: 'success', updated_at: at });
          gh.addStatus(sha, { context: 'ci/gitlab/pipeline', state: 'success' });
        }
      }
    },
  };
}

const SCENARIOS: Scenario[] = [
  {
    name: 'settled PR (all checks completed)',
    build(gh) {
      seedPr(gh, false);
      return { pr: 7001, advance() {} };
    },
  },
  { name: 'pending PR (a job finishes every 150 s)', build: (gh, t0) => pendingScript(gh, t0, 150_000) },
  { name: 'pending PR, settles at 30 min', build: (gh, t0) => pendingScript(gh, t0, 1_800_000 / JOBS) },
];

// ---- the simulated hour ------------------------------------------------------------------------

export interface HourResult {
  polls: number;
  fastPolls: number;
  /** From the server's request log and rate-limit buckets. */
  total: ServerCount;
  firstPoll: ServerCount;
  afterFirst: ServerCount;
  /** From the client counters (summed over the peer's fresh clients). */
  client: { requests: number; notModified: number; pointsSpent: number };
  finalState: string;
}

async function simulateHour(scenario: Scenario, conditional: boolean, t0: number): Promise<HourResult> {
  const gh = await startGitHubServer({ token: TOKEN });
  try {
    let now = t0;
    const clock = () => now;
    const script = scenario.build(gh, t0);
    const random = seededRandom(SEED);
    const ours = new GitHubClient({ apiBase: gh.url, token: TOKEN, now: clock, userAgent: 'dynamo-dev-bench' });
    const clientTotals = { requests: 0, notModified: 0, pointsSpent: 0 };
    const start = serverSnapshot(gh);
    let firstPoll = ZERO;
    let polls = 0;
    let fastPolls = 0;
    let finalState = 'none';
    while (now < t0 + HOUR_MS) {
      script.advance(now - t0);
      const client = conditional ? ours : new GitHubClient({ apiBase: gh.url, token: TOKEN, now: clock, userAgent: 'dynamo-dev-bench' });
      const before = { ...client.stats };
      const snap = serverSnapshot(gh);
      const res = await loadChecks(client, { repo: `${gh.owner}/${gh.repo}`, pr: script.pr });
      if (polls === 0) firstPoll = diff(snap, serverSnapshot(gh));
      clientTotals.requests += client.stats.requests - before.requests;
      clientTotals.notModified += client.stats.notModified - before.notModified;
      clientTotals.pointsSpent += client.stats.pointsSpent - before.pointsSpent;
      polls++;
      const pending = res.state === 'pending';
      if (pending) fastPolls++;
      finalState = res.state;
      const delay = nextDelay({ now, focused: true, pending, lastPollAt: now, rateLimit: client.rateLimit, random });
      if (delay === 'paused') break;
      now += Math.max(1, delay);
    }
    const total = diff(start, serverSnapshot(gh));
    return { polls, fastPolls, total, firstPoll, afterFirst: diff(firstPoll, total), client: clientTotals, finalState };
  } finally {
    await gh.close();
  }
}

// ---- first render of a big PR ------------------------------------------------------------------

export interface RenderResult {
  checks: number;
  runs: number;
  cold: ServerCount & { medianMs: number; minMs: number };
  warm: ServerCount & { medianMs: number; minMs: number };
  state: string;
}

async function firstRender(n: number, runs: number): Promise<RenderResult> {
  const gh = await startGitHubServer({ token: TOKEN });
  try {
    const sha = 'c'.repeat(40);
    gh.addPull({ number: 7002, head: 'feat/big-matrix', headSha: sha });
    gh.addWorkflowRun({ headSha: sha, branch: 'pull-request/7002', name: 'Pre Merge', status: 'completed', conclusion: 'success' });
    gh.addCheckRuns(sha, n, { conclusions: ['success', 'success', 'skipped', 'success', 'failure'], prefix: 'matrix' });
    gh.addStatus(sha, { context: 'ci/gitlab/pipeline', state: 'success' });
    gh.setRequiredChecks(['matrix-1', 'matrix-2', 'ci/gitlab/pipeline']);
    const target = { repo: `${gh.owner}/${gh.repo}`, pr: 7002 };
    const measure = async (client: GitHubClient) => {
      const snap = serverSnapshot(gh);
      const t = performance.now();
      const res = await loadChecks(client, target);
      const ms = performance.now() - t;
      if (res.checks.length < n) throw new Error(`expected ${n} checks, got ${res.checks.length}`);
      return { ms, count: diff(snap, serverSnapshot(gh)), state: res.state };
    };
    // One warm-up pair (JIT, sockets), then `runs` alternating cold / warm renders.
    const cold: number[] = [];
    const warm: number[] = [];
    let coldCount = ZERO;
    let warmCount = ZERO;
    let state = 'none';
    for (let i = -1; i < runs; i++) {
      const client = new GitHubClient({ apiBase: gh.url, token: TOKEN, userAgent: 'dynamo-dev-bench' });
      const c = await measure(client);
      const w = await measure(client);
      if (i < 0) continue;
      cold.push(c.ms);
      warm.push(w.ms);
      coldCount = c.count;
      warmCount = w.count;
      state = c.state;
    }
    return {
      checks: n,
      runs,
      cold: { ...coldCount, medianMs: median(cold), minMs: Math.min(...cold) },
      warm: { ...warmCount, medianMs: median(warm), minMs: Math.min(...warm) },
      state,
    };
  } finally {
    await gh.close();
  }
}

// ---- entry points ------------------------------------------------------------------------------

export interface GitHubBench {
  scenarios: { name: string; ours: HourResult; peer: HourResult; pointsRatio: number; requestsRatio: number }[];
  render: RenderResult;
  target: { description: string; settledPointsAfterFirst: number; restPoints: number; graphqlPoints: number; met: boolean };
  /** Client counters agree with the server's accounting (requests and points). */
  countersAgree: boolean;
}

export async function benchGitHub(): Promise<GitHubBench> {
  const t0 = Date.now();
  {
    const scenarios: GitHubBench['scenarios'] = [];
    for (const s of SCENARIOS) {
      const ours = await simulateHour(s, true, t0);
      const peer = await simulateHour(s, false, t0);
      const pts = (r: HourResult) => r.total.rest.points + r.total.graphql.points;
      const reqs = (r: HourResult) => r.total.rest.requests + r.total.graphql.requests;
      scenarios.push({ name: s.name, ours, peer, pointsRatio: pts(ours) / pts(peer), requestsRatio: reqs(ours) / reqs(peer) });
    }
    const render = await firstRender(300, Number(process.env.DYNAMO_BENCH_RUNS || 9));
    const settled = scenarios[0]?.ours.afterFirst ?? ZERO;
    const after = settled.rest.points + settled.graphql.points;
    const countersAgree = scenarios.every(({ ours, peer }) =>
      [ours, peer].every((r) => r.client.requests === r.total.rest.requests + r.total.graphql.requests && r.client.pointsSpent === r.total.rest.points + r.total.graphql.points));
    return {
      scenarios,
      render,
      target: { description: 'zero rate-limit points per settled hour after the first fetch', settledPointsAfterFirst: after, restPoints: settled.rest.points, graphqlPoints: settled.graphql.points, met: after === 0 },
      countersAgree,
    };
  }
}

export function printGitHub(r: GitHubBench): void {
  const rp = (c: ServerCount) => `${c.rest.requests + c.graphql.requests} / ${c.rest.points + c.graphql.points}`;
  console.log('\nGitHub CI polling, one simulated hour (virtual clock on the nextDelay schedule, seeded jitter; stand-in server)');
  console.log('  peer: the same polling without conditional requests (fresh client and ETag cache every poll)');
  console.log(`  ${'scenario'.padEnd(40)} ${'polls (fast)'.padStart(12)}  ${'ours req / pts'.padStart(14)}  ${'peer req / pts'.padStart(14)}  ${'points ratio'.padStart(12)}`);
  for (const s of r.scenarios) {
    const polls = `${s.ours.polls} (${s.ours.fastPolls})`;
    console.log(`  ${s.name.padEnd(40)} ${polls.padStart(12)}  ${rp(s.ours.total).padStart(14)}  ${rp(s.peer.total).padStart(14)}  ${s.pointsRatio.toFixed(3).padStart(12)}`);
  }
  console.log('  of which GraphQL isRequired (no 304 on GraphQL; every query costs a point), requests / points:');
  for (const s of r.scenarios) {
    const g = (c: ServerCount) => `${c.graphql.requests} / ${c.graphql.points}`;
    console.log(`    ${s.name.padEnd(40)} ours ${g(s.ours.total).padStart(9)}   peer ${g(s.peer.total).padStart(9)}`);
  }
  for (const s of r.scenarios) {
    console.log(`  ${s.name}: ours first poll ${rp(s.ours.firstPoll)}, after it ${rp(s.ours.afterFirst)} (${s.ours.client.notModified} answered 304), ends ${s.ours.finalState}`);
  }
  const t = r.target;
  console.log(`  target: ${t.description}: ours ${t.settledPointsAfterFirst} (REST ${t.restPoints}, GraphQL ${t.graphqlPoints}) → ${t.met ? 'met' : 'NOT met'}`);
  console.log(`  client counters agree with the server's accounting: ${r.countersAgree ? 'yes' : 'NO'}`);
  const x = r.render;
  console.log(`\nGitHub first render of a PR with ${x.checks} check runs (loadChecks, median of ${x.runs}; ends ${x.state})`);
  console.log(`  cold (empty ETag cache):       requests / points ${rp(x.cold)} (REST ${x.cold.rest.requests} / ${x.cold.rest.points}, GraphQL ${x.cold.graphql.requests} / ${x.cold.graphql.points}), ${x.cold.medianMs.toFixed(1)} ms (min ${x.cold.minMs.toFixed(1)})`);
  console.log(`  warm re-render (same client):  requests / points ${rp(x.warm)}, ${x.warm.medianMs.toFixed(1)} ms (min ${x.warm.minMs.toFixed(1)}); warm / cold time ${(x.warm.medianMs / x.cold.medianMs).toFixed(2)}`);
}
