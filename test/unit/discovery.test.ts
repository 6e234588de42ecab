// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyContainer, groupContainers, isRunning, matchWorkspaceFolder, remoteUserFromMetadata, uptimeOf } from '../../src/core/docker/discovery';
import type { RawContainer } from '../../src/core/docker/model';

const raw: RawContainer[] = JSON.parse(readFileSync(join(__dirname, '../fixtures/docker/containers.json'), 'utf8'));
const all = raw.map(classifyContainer);
const byName = (n: string) => {
  const c = all.find((x) => x.name === n);
  assert.ok(c, `no container ${n}`);
  return c;
};

describe('classifyContainer', () => {
  it('reads a labelled dev container completely', () => {
    const c = byName('vsc-dynamo1-5d9b0e2c41a7-uid-1');
    assert.equal(c.isDevContainer, true);
    assert.equal(c.localFolder, '/home/keivenc/dev/dynamo1');
    assert.equal(c.folderName, 'dynamo1');
    assert.equal(c.configFile, '/home/keivenc/dev/dynamo1/.devcontainer/keivenc_vllm/devcontainer.json');
    assert.equal(c.framework, 'vllm');
    assert.equal(c.frameworkSource, 'configFile');
    assert.equal(c.remoteUser, 'dynamo');
    assert.equal(c.shortId, '4f1c2a9b7d3e');
    assert.equal(c.created, new Date(1795000000 * 1000).toISOString());
    assert.deepEqual(
      c.mounts.map((m) => [m.destination, m.readOnly, m.type]),
      [
        ['/home/dynamo/.commandhistory', false, 'volume'],
        ['/home/dynamo/notes', false, 'bind'],
        ['/home/dynamo/utils', true, 'bind'],
        ['/workspace', false, 'bind'],
        ['/workspace/target', false, 'bind'],
      ],
    );
  });
  it('finds a dev container by its vsc- image name alone', () => {
    const c = byName('epic_satoshi');
    assert.equal(c.isDevContainer, true);
    assert.equal(c.localFolder, null);
    assert.equal(c.folderName, 'dynamo2');
    assert.equal(c.configFile, null);
    assert.equal(c.framework, 'unknown');
    assert.equal(c.frameworkSource, 'none');
  });
  it('reads the framework from the base image when there is no config file', () => {
    const c = byName('distracted_shockley');
    assert.equal(c.isDevContainer, true);
    assert.equal(c.framework, 'trtllm');
    assert.equal(c.frameworkSource, 'image');
    assert.deepEqual(c.mounts, []);
    assert.equal(isRunning(c), false);
  });
  it('does not call a compose service a dev container', () => {
    assert.equal(byName('etcd-server').isDevContainer, false);
  });
  it('survives a container with almost nothing set', () => {
    const c = byName('deadbeef');
    assert.equal(c.isDevContainer, false);
    assert.equal(c.state, 'unknown');
    assert.equal(c.image, '');
    assert.equal(c.created, null);
  });
  it('treats blank labels as absent', () => {
    const c = classifyContainer({ Id: 'x'.repeat(64), Names: ['/a'], Image: 'ubuntu', Labels: { 'devcontainer.local_folder': '  ', 'devcontainer.config_file': '' } });
    assert.equal(c.isDevContainer, false);
    assert.equal(c.localFolder, null);
  });
  it('keeps Windows host folders intact', () => {
    const c = classifyContainer({ Id: 'y'.repeat(64), Names: ['/w'], Image: 'vsc-proj-abc', Labels: { 'devcontainer.local_folder': 'C:\\src\\Dynamo1\\' } });
    assert.equal(c.folderName, 'Dynamo1');
  });
});

describe('devcontainer.metadata', () => {
  it('takes the last remoteUser', () => {
    assert.equal(remoteUserFromMetadata('[{"remoteUser":"ubuntu"},{"remoteUser":"dynamo"}]'), 'dynamo');
  });
  it('falls back to containerUser', () => {
    assert.equal(remoteUserFromMetadata('[{"containerUser":"root"}]'), 'root');
    assert.equal(remoteUserFromMetadata('{"remoteUser":"solo"}'), 'solo');
  });
  it('ignores malformed labels', () => {
    assert.equal(remoteUserFromMetadata('[{"remoteUser":'), null);
    assert.equal(remoteUserFromMetadata(undefined), null);
    assert.equal(remoteUserFromMetadata('[1, null, "x"]'), null);
  });
});

describe('uptime', () => {
  it('is the part of the status after "Up"', () => {
    assert.equal(uptimeOf({ state: 'running', status: 'Up 12 minutes (healthy)' }), '12 minutes (healthy)');
    assert.equal(uptimeOf({ state: 'exited', status: 'Exited (137) 5 days ago' }), '');
  });
});

describe('workspace mapping', () => {
  const folders = [
    { name: 'dynamo1', path: '/home/keivenc/dev/dynamo1' },
    { name: 'Dynamo2', path: '/mnt/other/place/Dynamo2' },
    { name: 'dynamo3', path: '/home/keivenc/dev/dynamo3/' },
  ];
  it('matches the exact local_folder path first', () => {
    const m = matchWorkspaceFolder(byName('vsc-dynamo1-5d9b0e2c41a7-uid-1'), [{ name: 'dynamo1', path: '/elsewhere/dynamo1' }, ...folders]);
    assert.equal(m?.folder.path, '/home/keivenc/dev/dynamo1');
    assert.equal(m?.kind, 'localFolder');
  });
  it('then the folder named like the image, case-insensitively', () => {
    const m = matchWorkspaceFolder(byName('epic_satoshi'), folders);
    assert.equal(m?.folder.name, 'Dynamo2');
    assert.equal(m?.kind, 'folderName');
  });
  it('ignores a trailing slash', () => {
    assert.equal(matchWorkspaceFolder(byName('distracted_shockley'), folders)?.kind, 'localFolder');
  });
  it('leaves containers of other folders unmatched', () => {
    assert.equal(matchWorkspaceFolder(byName('vsc-dynamo_ci-ffee00-features-1'), folders), null);
  });
  it('groups this window first, then other running, then other stopped', () => {
    const extra = classifyContainer({ Id: 'z'.repeat(64), Names: ['/old'], Image: 'vsc-dynamo9-abc', State: 'exited', Status: 'Exited (0) 1 hour ago' });
    const groups = groupContainers([...all, extra], folders);
    assert.deepEqual(
      groups.map((g) => [g.kind, g.label, g.containers.map((x) => x.container.name)]),
      [
        ['workspace', 'dynamo1', ['vsc-dynamo1-5d9b0e2c41a7-uid-1']],
        ['workspace', 'Dynamo2', ['epic_satoshi']],
        ['workspace', 'dynamo3', ['distracted_shockley']],
        ['other', 'Other dev containers', ['vsc-dynamo_ci-ffee00-features-1']],
        ['stopped', 'Stopped dev containers', ['old']],
      ],
    );
  });
  it('lists non-dev containers only when asked', () => {
    assert.equal(groupContainers(all, folders).some((g) => g.kind === 'nonDev'), false);
    const g = groupContainers(all, folders, true).find((x) => x.kind === 'nonDev');
    assert.deepEqual(g?.containers.map((x) => x.container.name), ['etcd-server', 'deadbeef']);
  });
  it('puts running containers before stopped ones inside a folder', () => {
    const a = classifyContainer({ Id: 'a'.repeat(64), Names: ['/a-stopped'], Image: 'vsc-dynamo1-abc', State: 'exited' });
    const b = classifyContainer({ Id: 'b'.repeat(64), Names: ['/z-running'], Image: 'vsc-dynamo1-def', State: 'running' });
    const [g] = groupContainers([a, b], folders);
    assert.deepEqual(g?.containers.map((x) => x.container.name), ['z-running', 'a-stopped']);
  });
});
