// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Real Docker fixtures for the integration tier and the benchmarks: containers that look like the ones
// the Dev Containers extension creates (labels, `vsc-<folder>-<hash>` image names, bind mounts), made
// from the small offline test image (scripts/build-test-rootfs.sh) in the engine DOCKER_HOST names.
// Plain ESM so that tsx tests and .mjs runners can both import it; types are in fixtures.d.mts.
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import Docker from 'dockerode';

export const DEFAULT_TEST_IMAGE = 'dynamo-dev-test-base:latest';

/** The fake Dynamo stack (inference.sh, soak_fe.py, the `dynamo` package) that `fakeDynamo: true` installs. */
export const FAKE_DYNAMO_DIR = resolve(import.meta.dirname, '..', 'fake-dynamo');
const FAKE_DYNAMO_FRAMEWORKS = ['vllm', 'sglang', 'trtllm'];

/** Sleeps until stopped, and exits at once on SIGTERM (PID 1 ignores signals it has no handler for). */
export const SLEEP_COMMAND = ['/bin/sh', '-c', 'trap "exit 0" TERM; while sleep 1000 & wait $!; do :; done'];

/**
 * Waits until a container started with SLEEP_COMMAND runs its `sleep` (so the TERM trap is set, and a
 * stop ends with status 0 at once).
 * @param {import('dockerode').Container} container
 */
export async function untilTrapSet(container) {
  await waitFor(
    async () => {
      const top = await container.top({ ps_args: '-o pid,args' });
      return (top.Processes ?? []).some((p) => /^sleep\b/.test(String(p[p.length - 1])));
    },
    { timeoutMs: 20000, intervalMs: 50, what: `the sleep loop of container ${container.id.slice(0, 12)}` },
  );
}

/** @returns {string} the base image the test tiers use ($DYNAMO_TEST_IMAGE). */
export function testImage() {
  return process.env.DYNAMO_TEST_IMAGE || DEFAULT_TEST_IMAGE;
}

/** @returns {Docker} a dockerode client for $DOCKER_HOST (or the default socket). */
export function dockerFromEnv() {
  return new Docker();
}

/**
 * A name prefix no other run uses, e.g. `dyntest-k3x9-1a2b3c`.
 * @param {string} [label]
 */
export function uniquePrefix(label = 'dyntest') {
  return `${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** @param {unknown} e */
function statusOf(e) {
  return /** @type {{ statusCode?: number } | null} */ (e)?.statusCode;
}

/**
 * Force-removes containers and image tags; ones that are already gone are fine.
 * @param {Docker} docker
 * @param {{ containers?: string[], tags?: string[] }} what container ids or names; image references
 */
export async function removeQuietly(docker, { containers = [], tags = [] }) {
  const errors = [];
  await Promise.all(
    containers.map(async (id) => {
      try {
        await docker.getContainer(id).remove({ force: true, v: true });
      } catch (e) {
        if (statusOf(e) !== 404) errors.push(e);
      }
    }),
  );
  for (const tag of tags) {
    try {
      await docker.getImage(tag).remove({ noprune: true });
    } catch (e) {
      if (statusOf(e) !== 404) errors.push(e);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, `cleanup failed: ${errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; ')}`);
}

/**
 * Tags `image` as `repo:latest` (instant: no copy).
 * @param {Docker} docker
 * @param {string} image
 * @param {string} repo
 */
export async function tagImage(docker, image, repo) {
  await docker.getImage(image).tag({ repo, tag: 'latest' });
}

/**
 * The five containers every integration test reads:
 *  - `<prefix>-dynamo1` running, labelled (local_folder, config_file for vllm, metadata remoteUser=ubuntu),
 *    image `vsc-dynamo1-<hex>-uid`, three bind mounts (one read-only);
 *  - `<prefix>-dynamo2` running, no labels, image `vsc-dynamo2-<hex>` (found by image name only);
 *  - `<prefix>-other` running, labelled for a folder outside the workspace (sglang), image `vsc-dynamo_ci-<hex>-features`;
 *  - `<prefix>-stopped` exited, labelled for `<root>/dynamo3` (trtllm), image `vsc-dynamo3-<hex>`;
 *  - `<prefix>-unrelated` running, the base image, no labels: not a dev container.
 * All use the host network. `cleanup()` removes exactly these containers and image tags.
 *
 * With `fakeDynamo: true`, `<root>/utils` (mounted read-only at /home/dynamo/utils in dynamo1, like the real
 * dynamo-utils folder) holds the fake Dynamo stack from test/fake-dynamo/ instead of the inference.sh stub,
 * and the dynamo1 workspace (/workspace) gets the `examples/backends/<fw>/deploy/{agg,disagg}.yaml` files
 * inference.sh checks for.
 *
 * @param {{ root: string, prefix: string, docker?: Docker, image?: string, fakeDynamo?: boolean }} opts
 */
export async function createDevContainerFixture({ root, prefix, docker = dockerFromEnv(), image = testImage(), fakeDynamo = false }) {
  mkdirSync(root, { recursive: true });
  const base = realpathSync(root);
  for (const d of ['dynamo1', 'dynamo2', 'dynamo3', 'utils', 'notes']) mkdirSync(join(base, d), { recursive: true });
  if (fakeDynamo) installFakeDynamo(base);
  else writeFileSync(join(base, 'utils', 'inference.sh'), '#!/bin/sh\necho "inference stub: $*"\n', { mode: 0o755 });

  const hex = randomBytes(4).toString('hex');
  const images = {
    dynamo1: `vsc-dynamo1-${hex}-uid`,
    dynamo2: `vsc-dynamo2-${hex}`,
    dynamo3: `vsc-dynamo3-${hex}`,
    dynamoCi: `vsc-dynamo_ci-${hex}-features`,
  };
  /** @type {{ name: string, image: string, labels?: Record<string, string>, binds?: string[], run: 'running' | 'stopped', key: 'dynamo1' | 'dynamo2' | 'other' | 'stopped' | 'unrelated' }[]} */
  const specs = [
    {
      key: 'dynamo1',
      name: `${prefix}-dynamo1`,
      image: images.dynamo1,
      run: 'running',
      labels: {
        'devcontainer.local_folder': join(base, 'dynamo1'),
        'devcontainer.config_file': join(base, 'dynamo1', '.devcontainer', 'keivenc_vllm', 'devcontainer.json'),
        'devcontainer.metadata': JSON.stringify([{ remoteUser: 'ubuntu' }]),
      },
      binds: [`${join(base, 'dynamo1')}:/workspace`, `${join(base, 'utils')}:/home/dynamo/utils:ro`, `${join(base, 'notes')}:/home/dynamo/notes`],
    },
    { key: 'dynamo2', name: `${prefix}-dynamo2`, image: images.dynamo2, run: 'running', binds: [`${join(base, 'dynamo2')}:/workspace`] },
    {
      key: 'other',
      name: `${prefix}-other`,
      image: images.dynamoCi,
      run: 'running',
      labels: {
        'devcontainer.local_folder': '/elsewhere/dynamo_ci',
        'devcontainer.config_file': '/elsewhere/dynamo_ci/.devcontainer/sglang/devcontainer.json',
      },
    },
    {
      key: 'stopped',
      name: `${prefix}-stopped`,
      image: images.dynamo3,
      run: 'stopped',
      labels: {
        'devcontainer.local_folder': join(base, 'dynamo3'),
        'devcontainer.config_file': join(base, 'dynamo3', '.devcontainer', 'trtllm', 'devcontainer.json'),
      },
    },
    { key: 'unrelated', name: `${prefix}-unrelated`, image, run: 'running' },
  ];

  const createdTags = [];
  const createdContainers = [];
  const cleanup = async () => {
    const containers = createdContainers.splice(0);
    const tags = createdTags.splice(0);
    await removeQuietly(docker, { containers, tags });
  };
  try {
    for (const repo of Object.values(images)) {
      await tagImage(docker, image, repo);
      createdTags.push(`${repo}:latest`);
    }
    /** @type {Record<string, { id: string, name: string, image: string }>} */
    const containers = {};
    await Promise.all(
      specs.map(async (s) => {
        const c = await docker.createContainer({
          name: s.name,
          Image: s.image,
          Cmd: SLEEP_COMMAND,
          Labels: s.labels ?? {},
          HostConfig: { NetworkMode: 'host', Binds: s.binds ?? [] },
        });
        createdContainers.push(c.id);
        containers[s.key] = { id: c.id, name: s.name, image: s.image };
        await c.start();
        if (s.run === 'stopped') {
          // A SIGTERM that lands before the shell has set its trap is ignored (PID 1), and the stop ends
          // in SIGKILL: "Exited (137)" instead of "Exited (0)". Seen on a loaded CI machine.
          await untilTrapSet(c);
          await c.stop({ t: 5 });
        }
      }),
    );
    return {
      root: base,
      prefix,
      images,
      workspaceFolders: ['dynamo1', 'dynamo2', 'dynamo3'].map((name) => ({ name, path: join(base, name) })),
      containers: /** @type {any} */ (containers),
      cleanup,
    };
  } catch (e) {
    await cleanup().catch(() => undefined);
    throw e;
  }
}

/**
 * Copies the fake Dynamo stack into `<base>/utils` and gives `<base>/dynamo1` (the container's /workspace)
 * the backend deploy files of a Dynamo checkout.
 * @param {string} base the fixture's real root
 */
function installFakeDynamo(base) {
  const utils = join(base, 'utils');
  cpSync(FAKE_DYNAMO_DIR, utils, { recursive: true, filter: (src) => basename(src) !== '__pycache__' && !src.endsWith('.pyc') });
  for (const f of ['inference.sh', 'soak_fe.py']) chmodSync(join(utils, f), 0o755);
  for (const fw of FAKE_DYNAMO_FRAMEWORKS) {
    const deploy = join(base, 'dynamo1', 'examples', 'backends', fw, 'deploy');
    mkdirSync(deploy, { recursive: true });
    for (const mode of ['agg', 'disagg']) {
      writeFileSync(join(deploy, `${mode}.yaml`), `# fake Dynamo checkout: ${fw} ${mode}\nspec:\n  model: Qwen/Qwen3-0.6B\n`);
    }
  }
}

/**
 * Polls `predicate` until it returns something truthy, and returns that.
 * @template T
 * @param {() => T | Promise<T>} predicate
 * @param {{ timeoutMs?: number, intervalMs?: number, what?: string }} [opts]
 * @returns {Promise<NonNullable<T>>}
 */
export async function waitFor(predicate, { timeoutMs = 10000, intervalMs = 100, what = 'a condition' } = {}) {
  const started = Date.now();
  let lastError;
  for (;;) {
    try {
      const v = await predicate();
      if (v) return /** @type {NonNullable<T>} */ (v);
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() - started >= timeoutMs) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
