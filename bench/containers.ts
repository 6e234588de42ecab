// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Benchmark: dev-container discovery (DockerClient.listContainers, one API call plus classification)
// against the `docker ps -a --format json` CLI (spawned, output parsed), on the same engine, in the same
// run, with `count` real dev-container-like containers running. Reports times; asserts only correctness.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDocker } from '../src/core/docker/client';
import { resolveEndpoint } from '../src/core/docker/endpoint';

export interface TimingStats {
  medianMs: number;
  p90Ms: number;
}

export interface ContainerListingResult {
  name: string;
  containers: number;
  repetitions: number;
  ours: TimingStats;
  peer: TimingStats;
  /** ours.medianMs / peer.medianMs: below 1 means we are faster. */
  ratio: number;
}

export interface ContainerListingOptions {
  /** How many dev containers to create. */
  count?: number;
  /** Timed repetitions of each side (after warm-up). */
  repetitions?: number;
  /** The docker CLI to compare with. */
  dockerPath?: string;
}

const FRAMEWORKS = ['vllm', 'sglang', 'trtllm'];

function stats(samples: number[]): TimingStats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
  const mid = s.length / 2;
  const median = s.length % 2 === 1 ? (s[Math.floor(mid)] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
  const round = (x: number) => Math.round(x * 100) / 100;
  return { medianMs: round(median), p90Ms: round(at(0.9)) };
}

/** `docker ps -a --format json`: one JSON object per line. Resolves the parsed rows. */
function dockerPs(dockerPath: string): Promise<{ ID: string; Names: string; Image: string; Labels: string; State: string }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(dockerPath, ['ps', '-a', '--no-trunc', '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${dockerPath} ps exited ${code}: ${err.trim()}`));
      try {
        resolve(
          out
            .split('\n')
            .filter((l) => l.trim() !== '')
            .map((l) => JSON.parse(l)),
        );
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  });
}

async function inPool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  // every worker finishes before this settles, so a failure never races the caller's cleanup
  const results = await Promise.allSettled(Array.from({ length: Math.min(width, items.length) }, worker));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Creates and starts `count` dev containers (labels, `vsc-<folder>-<hash>` images, a bind mount), times
 * `repetitions` rounds of each side, alternating them, and removes everything it created.
 */
export async function benchContainerListing({ count = 50, repetitions = 30, dockerPath = 'docker' }: ContainerListingOptions = {}): Promise<ContainerListingResult> {
  const fixtures = await import('../test/support/fixtures.mjs');
  const client = await connectDocker(resolveEndpoint(undefined, process.env));
  const docker = client.docker;
  const prefix = fixtures.uniquePrefix('dyn-bench');
  const hex = randomBytes(4).toString('hex');
  const root = mkdtempSync(join(tmpdir(), 'dynamo-bench-'));
  const tags: string[] = [];
  const containers: string[] = [];
  try {
    // a handful of image names, as several checkouts would have
    const images = Array.from({ length: 5 }, (_, i) => `vsc-bench${i}-${hex}${i % 2 === 0 ? '-uid' : ''}`);
    for (const repo of images) {
      await fixtures.tagImage(docker, fixtures.testImage(), repo);
      tags.push(`${repo}:latest`);
    }
    const indices = Array.from({ length: count }, (_, i) => i);
    await inPool(indices, 6, async (i) => {
      const folder = join(root, `ws${i}`);
      mkdirSync(folder, { recursive: true });
      const fw = FRAMEWORKS[i % FRAMEWORKS.length] ?? 'vllm';
      const c = await docker.createContainer({
        name: `${prefix}-${i}`,
        Image: images[i % images.length],
        Cmd: fixtures.SLEEP_COMMAND,
        Labels: {
          'devcontainer.local_folder': folder,
          'devcontainer.config_file': join(folder, '.devcontainer', `user_${fw}`, 'devcontainer.json'),
          'devcontainer.metadata': JSON.stringify([{ id: 'ghcr.io/devcontainers/features/common-utils:2' }, { remoteUser: 'ubuntu' }]),
        },
        HostConfig: { NetworkMode: 'host', Binds: [`${folder}:/workspace`] },
      });
      containers.push(c.id);
      await c.start();
    });

    const ours = async () => {
      const list = await client.listContainers();
      const mine = list.filter((c) => c.name.startsWith(prefix + '-'));
      if (mine.length !== count || mine.some((c) => !c.isDevContainer || c.framework === 'unknown')) {
        throw new Error(`listContainers found ${mine.length} of ${count} bench dev containers, or misclassified some`);
      }
    };
    const peer = async () => {
      const rows = await dockerPs(dockerPath);
      const mine = rows.filter((r) => r.Names.startsWith(prefix + '-'));
      if (mine.length !== count) throw new Error(`docker ps found ${mine.length} of ${count} bench containers`);
    };
    const time = async (fn: () => Promise<void>) => {
      const t0 = process.hrtime.bigint();
      await fn();
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    for (let i = 0; i < 3; i++) {
      await ours();
      await peer();
    }
    const oursMs: number[] = [];
    const peerMs: number[] = [];
    for (let i = 0; i < repetitions; i++) {
      // alternate which side goes first, so neither always runs on a warmer engine
      if (i % 2 === 0) {
        oursMs.push(await time(ours));
        peerMs.push(await time(peer));
      } else {
        peerMs.push(await time(peer));
        oursMs.push(await time(ours));
      }
    }
    const o = stats(oursMs);
    const p = stats(peerMs);
    return {
      name: `container listing, ${count} dev containers: DockerClient.listContainers vs docker ps -a --format json`,
      containers: count,
      repetitions,
      ours: o,
      peer: p,
      ratio: p.medianMs > 0 ? Math.round((o.medianMs / p.medianMs) * 1000) / 1000 : NaN,
    };
  } finally {
    await fixtures.removeQuietly(docker, { containers, tags });
    rmSync(root, { recursive: true, force: true });
  }
}
