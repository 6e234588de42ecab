// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The dev-container fixture as the integration suites use it: a temp root, the containers, a client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDocker, type DockerClient } from '../../src/core/docker/client';
import { resolveEndpoint } from '../../src/core/docker/endpoint';
import type { DevContainerFixture } from '../support/fixtures.mjs' with { 'resolution-mode': 'import' };

export interface FixtureContext {
  root: string;
  fx: DevContainerFixture;
  client: DockerClient;
}

/** Creates the fixture under a fresh temp folder (prefix unique per run) and connects to the engine. */
export async function openFixture(name: string, opts: { fakeDynamo?: boolean } = {}): Promise<FixtureContext> {
  const fixtures = await import('../support/fixtures.mjs');
  const root = mkdtempSync(join(tmpdir(), `dynamo-it-${name}-`));
  try {
    const client = await connectDocker(resolveEndpoint(undefined, process.env));
    const fx = await fixtures.createDevContainerFixture({ root, prefix: fixtures.uniquePrefix(`dyn-it-${name}`), ...(opts.fakeDynamo ? { fakeDynamo: true } : {}) });
    return { root, fx, client };
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
}

/** Removes exactly what openFixture made, also after a failed or partial start. */
export async function closeFixture(ctx: { root?: string; fx?: DevContainerFixture }): Promise<void> {
  try {
    await ctx.fx?.cleanup();
  } finally {
    if (ctx.root) rmSync(ctx.root, { recursive: true, force: true });
  }
}
