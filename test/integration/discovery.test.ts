// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Discovery, classification, workspace grouping and path translation against a real Docker engine.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DevContainerFixture } from '../support/fixtures.mjs' with { 'resolution-mode': 'import' };
import type { DockerClient } from '../../src/core/docker/client';
import { groupContainers, toMount } from '../../src/core/docker/discovery';
import { execInContainer } from '../../src/core/docker/exec';
import type { ContainerInfo, Mount, RawMount } from '../../src/core/docker/model';
import { containerToHost, hostToContainer } from '../../src/core/docker/paths';
import { closeFixture, openFixture } from './fixtureContext';

describe('docker discovery (real engine)', function () {
  this.timeout(60000);
  let root: string;
  let fx: DevContainerFixture;
  let client: DockerClient;
  let testImage: string;

  /** This run's containers only: the engine may hold others. */
  const ours = (list: ContainerInfo[]) => list.filter((c) => c.name.startsWith(fx.prefix + '-'));
  const byName = (list: ContainerInfo[], suffix: string): ContainerInfo => {
    const c = list.find((x) => x.name === `${fx.prefix}-${suffix}`);
    assert.ok(c, `container ${fx.prefix}-${suffix} is listed`);
    return c;
  };
  const bind = (source: string, destination: string, readOnly = false): Mount => ({ source, destination, readOnly, type: 'bind', name: null });

  before(async function () {
    this.timeout(120000);
    const fixtures = await import('../support/fixtures.mjs');
    testImage = fixtures.testImage();
    ({ root, fx, client } = await openFixture('disc'));
  });

  after(async function () {
    this.timeout(60000);
    await closeFixture({ root, fx });
  });

  describe('listContainers', () => {
    it('lists the four dev containers, running and stopped, and leaves the unrelated one out', async () => {
      const list = ours(await client.listContainers());
      assert.deepEqual(
        list.map((c) => c.name),
        ['dynamo1', 'dynamo2', 'other', 'stopped'].map((s) => `${fx.prefix}-${s}`),
      );
      assert.ok(list.every((c) => c.isDevContainer));
    });

    it('includes the unrelated container only with includeNonDev, classified as not a dev container', async () => {
      const list = ours(await client.listContainers({ includeNonDev: true }));
      assert.equal(list.length, 5);
      const u = byName(list, 'unrelated');
      assert.equal(u.id, fx.containers.unrelated.id);
      assert.equal(u.isDevContainer, false);
      assert.equal(u.image, testImage);
      assert.equal(u.state, 'running');
      assert.equal(u.localFolder, null);
      assert.equal(u.folderName, null);
      assert.equal(u.configFile, null);
      assert.equal(u.framework, 'unknown');
      assert.equal(u.frameworkSource, 'none');
      assert.deepEqual(u.mounts, []);
    });

    it('classifies the labelled dev container (dynamo1) from its labels and mounts', async () => {
      const c = byName(await client.listContainers(), 'dynamo1');
      assert.equal(c.id, fx.containers.dynamo1.id);
      assert.equal(c.shortId, fx.containers.dynamo1.id.slice(0, 12));
      assert.equal(c.image, fx.images.dynamo1);
      assert.equal(c.state, 'running');
      assert.match(c.status, /^Up /);
      assert.ok(c.created && Math.abs(Date.parse(c.created) - Date.now()) < 10 * 60 * 1000, `created ${c.created} is recent`);
      assert.equal(c.isDevContainer, true);
      assert.equal(c.localFolder, join(fx.root, 'dynamo1'));
      assert.equal(c.folderName, 'dynamo1');
      assert.equal(c.configFile, join(fx.root, 'dynamo1/.devcontainer/keivenc_vllm/devcontainer.json'));
      assert.equal(c.framework, 'vllm');
      assert.equal(c.frameworkSource, 'configFile');
      assert.equal(c.remoteUser, 'ubuntu');
      assert.deepEqual(c.mounts, [
        bind(join(fx.root, 'notes'), '/home/dynamo/notes'),
        bind(join(fx.root, 'utils'), '/home/dynamo/utils', true),
        bind(join(fx.root, 'dynamo1'), '/workspace'),
      ]);
    });

    it('finds the unlabelled dev container (dynamo2) by its vsc- image name alone', async () => {
      const c = byName(await client.listContainers(), 'dynamo2');
      assert.equal(c.image, fx.images.dynamo2);
      assert.equal(c.isDevContainer, true);
      assert.equal(c.localFolder, null);
      assert.equal(c.folderName, 'dynamo2');
      assert.equal(c.configFile, null);
      assert.equal(c.framework, 'unknown');
      assert.equal(c.frameworkSource, 'none');
      assert.equal(c.remoteUser, null);
      assert.deepEqual(c.mounts, [bind(join(fx.root, 'dynamo2'), '/workspace')]);
    });

    it('classifies a dev container of a folder outside the workspace (other, sglang)', async () => {
      const c = byName(await client.listContainers(), 'other');
      assert.equal(c.image, fx.images.dynamoCi);
      assert.equal(c.state, 'running');
      assert.equal(c.localFolder, '/elsewhere/dynamo_ci');
      assert.equal(c.folderName, 'dynamo_ci');
      assert.equal(c.configFile, '/elsewhere/dynamo_ci/.devcontainer/sglang/devcontainer.json');
      assert.equal(c.framework, 'sglang');
      assert.equal(c.frameworkSource, 'configFile');
      assert.equal(c.remoteUser, null);
      assert.deepEqual(c.mounts, []);
    });

    it('reports the stopped dev container (dynamo3, trtllm) as exited', async () => {
      const c = byName(await client.listContainers(), 'stopped');
      assert.equal(c.id, fx.containers.stopped.id);
      assert.equal(c.image, fx.images.dynamo3);
      assert.equal(c.state, 'exited');
      assert.match(c.status, /^Exited \(0\)/);
      assert.equal(c.localFolder, join(fx.root, 'dynamo3'));
      assert.equal(c.folderName, 'dynamo3');
      assert.equal(c.framework, 'trtllm');
      assert.equal(c.frameworkSource, 'configFile');
    });

    it('inspect() returns the same container, on the host network', async () => {
      const info = await client.inspect(fx.containers.dynamo1.name);
      assert.equal(info.Id, fx.containers.dynamo1.id);
      assert.equal(info.State.Running, true);
      assert.equal(info.HostConfig.NetworkMode, 'host');
      assert.equal(info.Config.Labels['devcontainer.local_folder'], join(fx.root, 'dynamo1'));
    });
  });

  describe('groupContainers with the fixture workspace (dynamo1, dynamo2, dynamo3)', () => {
    it('puts each container in its workspace folder group, the foreign one under "other"', async () => {
      const groups = groupContainers(ours(await client.listContainers()), fx.workspaceFolders);
      const [ws1, ws2, ws3] = fx.workspaceFolders;
      assert.deepEqual(
        groups.map((g) => [g.kind, g.label, g.folder, g.containers.map((x) => [x.container.name, x.match])]),
        [
          ['workspace', 'dynamo1', ws1, [[`${fx.prefix}-dynamo1`, 'localFolder']]],
          ['workspace', 'dynamo2', ws2, [[`${fx.prefix}-dynamo2`, 'folderName']]],
          ['workspace', 'dynamo3', ws3, [[`${fx.prefix}-stopped`, 'localFolder']]],
          ['other', 'Other dev containers', null, [[`${fx.prefix}-other`, null]]],
        ],
      );
    });

    it('adds the unrelated container in a last "nonDev" group only when asked to', async () => {
      const list = ours(await client.listContainers({ includeNonDev: true }));
      const without = groupContainers(list, fx.workspaceFolders);
      assert.ok(!without.some((g) => g.kind === 'nonDev'));
      assert.ok(!without.some((g) => g.containers.some((x) => x.container.name === `${fx.prefix}-unrelated`)));
      const withNonDev = groupContainers(list, fx.workspaceFolders, true);
      const last = withNonDev[withNonDev.length - 1];
      assert.equal(last?.kind, 'nonDev');
      assert.deepEqual(
        last?.containers.map((x) => x.container.name),
        [`${fx.prefix}-unrelated`],
      );
    });

    it('with only dynamo1 open, dynamo2 goes to "other" and the stopped one to "stopped"', async () => {
      const onlyFirst = fx.workspaceFolders.slice(0, 1);
      const groups = groupContainers(ours(await client.listContainers()), onlyFirst);
      assert.deepEqual(
        groups.map((g) => [g.kind, g.containers.map((x) => x.container.name)]),
        [
          ['workspace', [`${fx.prefix}-dynamo1`]],
          ['other', [`${fx.prefix}-dynamo2`, `${fx.prefix}-other`]],
          ['stopped', [`${fx.prefix}-stopped`]],
        ],
      );
    });
  });

  describe('path translation through the real mounts', () => {
    let mounts: Mount[];
    const exec = (cmd: string[]) => execInContainer(client.docker, fx.containers.dynamo1.id, { cmd, timeoutMs: 20000 });

    before(async () => {
      const info = await client.inspect(fx.containers.dynamo1.id);
      mounts = (info.Mounts as RawMount[]).map(toMount);
    });

    it('the inspected mounts agree with the listed ones', async () => {
      const listed = byName(await client.listContainers(), 'dynamo1').mounts;
      const sort = (m: Mount[]) => [...m].sort((a, b) => a.destination.localeCompare(b.destination));
      assert.deepEqual(sort(mounts), listed);
    });

    it('a file written on the host is read in the container at the translated path', async () => {
      const content = `from the host ${randomBytes(8).toString('hex')}\n`;
      mkdirSync(join(fx.root, 'notes', 'sub dir'), { recursive: true });
      const hostPath = join(fx.root, 'notes', 'sub dir', 'host.txt');
      writeFileSync(hostPath, content);
      const t = hostToContainer(hostPath, mounts);
      assert.ok(t, 'the notes mount covers the file');
      assert.equal(t.path, '/home/dynamo/notes/sub dir/host.txt');
      assert.equal(t.readOnly, false);
      const r = await exec(['cat', t.path]);
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(r.stdout, content);
    });

    it('a file written in the container is read on the host at the translated path', async () => {
      const content = `from the container ${randomBytes(8).toString('hex')}`;
      const containerPath = '/home/dynamo/notes/from-container.txt';
      const r = await exec(['sh', '-c', 'printf %s "$1" > "$2"', 'sh', content, containerPath]);
      assert.equal(r.exitCode, 0, r.stderr);
      const t = containerToHost(containerPath, mounts);
      assert.ok(t);
      assert.equal(t.path, join(fx.root, 'notes', 'from-container.txt'));
      assert.equal(readFileSync(t.path, 'utf8'), content);
    });

    it('a read-only mount translates with readOnly set, and writes there really fail', async () => {
      const t = hostToContainer(join(fx.root, 'utils', 'inference.sh'), mounts);
      assert.ok(t);
      assert.equal(t.path, '/home/dynamo/utils/inference.sh');
      assert.equal(t.readOnly, true);
      const run = await exec(['sh', t.path, 'a', 'b']);
      assert.equal(run.exitCode, 0, run.stderr);
      assert.equal(run.stdout, 'inference stub: a b\n');
      const write = await exec(['sh', '-c', 'echo x > /home/dynamo/utils/new.txt']);
      assert.notEqual(write.exitCode, 0);
      assert.match(write.stderr, /Read-only file system/);
    });

    it('mount roots map to each other, and paths outside every mount do not translate', () => {
      assert.equal(hostToContainer(join(fx.root, 'dynamo1'), mounts)?.path, '/workspace');
      assert.equal(containerToHost('/workspace/src/main.py', mounts)?.path, join(fx.root, 'dynamo1', 'src', 'main.py'));
      assert.equal(hostToContainer(join(fx.root, 'dynamo2', 'x.py'), mounts), null);
      assert.equal(hostToContainer(join(fx.root, 'notes-old', 'x'), mounts), null);
      assert.equal(containerToHost('/etc/passwd', mounts), null);
    });
  });
});
