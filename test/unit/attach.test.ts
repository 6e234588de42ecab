// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Open Folder in Container, the pure part: the attached-container URI and the folder it opens.
import assert from 'node:assert/strict';
import {
  attachedContainerAuthority,
  attachTarget,
  chooseAttachFolder,
  describeAttachFolder,
  normalizeContainerPath,
  parentAuthorityOf,
} from '../../src/core/docker/attach';
import type { Mount } from '../../src/core/docker/model';

const bind = (source: string, destination: string, readOnly = false): Mount => ({ source, destination, readOnly, type: 'bind', name: null });
const hexOf = (s: string) => Buffer.from(s, 'utf8').toString('hex');

describe('attached-container URI', () => {
  it('hex-encodes the JSON {"containerName":"/<name>"} (the published example for a container named "test")', () => {
    // The value printed by `printf '{"containerName":"/test"}' | od -A n -t x1` in the gist the module cites.
    assert.equal(attachedContainerAuthority('test'), 'attached-container+7b22636f6e7461696e65724e616d65223a222f74657374227d');
  });

  it('builds the folder URI from the name and the container path', () => {
    const t = attachTarget('dynamo1-dev', '/workspace');
    assert.equal(t.scheme, 'vscode-remote');
    assert.equal(t.authority, `attached-container+${hexOf('{"containerName":"/dynamo1-dev"}')}`);
    assert.equal(t.path, '/workspace');
    assert.equal(t.uri, `vscode-remote://attached-container+${hexOf('{"containerName":"/dynamo1-dev"}')}/workspace`);
  });

  it("accepts Docker's own form of the name (leading slash) without doubling it", () => {
    assert.equal(attachedContainerAuthority('/vigorous_mestorf'), attachedContainerAuthority('vigorous_mestorf'));
    assert.throws(() => attachedContainerAuthority('/'), /container name/);
  });

  it('names the parent remote after @ (a container on the SSH host of a Remote-SSH window)', () => {
    const t = attachTarget('c1', '/workspace', 'ssh-remote+gpu-box');
    assert.equal(t.authority, `attached-container+${hexOf('{"containerName":"/c1"}')}@ssh-remote+gpu-box`);
    assert.equal(t.uri, `vscode-remote://${t.authority}/workspace`);
  });

  it('encodes any valid container name as exactly that JSON text', () => {
    for (const name of ['a', 'a.b_c-1', 'dynui-m3k2-1a2b3c-dynamo1', 'X'.repeat(200)]) {
      const hex = attachedContainerAuthority(name).replace(/^attached-container\+/, '');
      assert.match(hex, /^[0-9a-f]+$/, 'lowercase hex only');
      assert.equal(Buffer.from(hex, 'hex').toString('utf8'), `{"containerName":"/${name}"}`);
    }
  });

  it('takes the parent from the window: managed remotes yes, a web server host:port or a local window no', () => {
    assert.equal(parentAuthorityOf(undefined), null);
    assert.equal(parentAuthorityOf(''), null);
    assert.equal(parentAuthorityOf('127.0.0.1:8080'), null);
    assert.equal(parentAuthorityOf('ssh-remote+gpu-box'), 'ssh-remote+gpu-box');
    assert.equal(parentAuthorityOf('ssh-remote+7b22686f73744e616d65223a2231302e302e302e31227d'), 'ssh-remote+7b22686f73744e616d65223a2231302e302e302e31227d');
    assert.equal(parentAuthorityOf('wsl+Ubuntu'), 'wsl+Ubuntu');
    // a window already in a container: its own parent, if any
    assert.equal(parentAuthorityOf(`attached-container+${hexOf('{"containerName":"/a"}')}@ssh-remote+box`), 'ssh-remote+box');
    assert.equal(parentAuthorityOf('dev-container+2f686f6d65'), null);
  });

  it('normalizes the container path to an absolute POSIX path', () => {
    assert.equal(normalizeContainerPath('/workspace/'), '/workspace');
    assert.equal(normalizeContainerPath('workspace//src'), '/workspace/src');
    assert.equal(normalizeContainerPath('/'), '/');
    assert.equal(normalizeContainerPath(''), '/');
    assert.equal(attachTarget('c', '/work space/').uri, `vscode-remote://attached-container+${hexOf('{"containerName":"/c"}')}/work space`);
  });
});

describe('the folder Open Folder in Container opens', () => {
  const mounts = [
    bind('/home/u/dev/dynamo1', '/workspace'),
    bind('/home/u/dev/dynamo1/target/.vllm', '/workspace/target'),
    bind('/home/u/dev/notes', '/home/dynamo/notes'),
    bind('/home/u/dev/dynamo-utils.PRODUCTION', '/home/dynamo/utils', true),
    { source: '/var/lib/docker/volumes/h/_data', destination: '/home/dynamo/.commandhistory', readOnly: false, type: 'volume', name: 'h' },
  ];

  it("is the workspace folder's container path through the container's bind mounts", () => {
    assert.deepEqual(chooseAttachFolder({ mounts, localFolder: '/elsewhere/dynamo1' }, '/home/u/dev/dynamo1'), { kind: 'workspaceFolder', path: '/workspace', hostPath: '/home/u/dev/dynamo1', readOnly: false });
  });

  it('follows a folder below a mount, the longest mount winning', () => {
    assert.equal(chooseAttachFolder({ mounts: [bind('/home/u/dev', '/src')], localFolder: null }, '/home/u/dev/dynamo3').path, '/src/dynamo3');
    assert.equal(chooseAttachFolder({ mounts, localFolder: null }, '/home/u/dev/dynamo1/target/.vllm/debug').path, '/workspace/target/debug');
  });

  it('says when the folder is on a read-only mount', () => {
    const f = chooseAttachFolder({ mounts, localFolder: null }, '/home/u/dev/dynamo-utils.PRODUCTION');
    assert.deepEqual([f.kind, f.path, f.readOnly], ['workspaceFolder', '/home/dynamo/utils', true]);
    assert.match(describeAttachFolder(f, null), /read-only/);
  });

  it("falls back to the container's devcontainer.local_folder when this window has no folder for it", () => {
    assert.deepEqual(chooseAttachFolder({ mounts, localFolder: '/home/u/dev/dynamo1' }, null), { kind: 'localFolder', path: '/workspace', hostPath: '/home/u/dev/dynamo1', readOnly: false });
    // a workspace folder that no mount holds does not hide a local_folder that one does
    assert.equal(chooseAttachFolder({ mounts, localFolder: '/home/u/dev/dynamo1' }, '/home/u/other').kind, 'localFolder');
  });

  it('opens the home folder when nothing maps, else /, and never maps through a volume', () => {
    const c = { mounts, localFolder: 'C:\\Users\\u\\dynamo1' };
    assert.deepEqual(chooseAttachFolder(c, '/home/u/elsewhere', '/home/ubuntu\n'), { kind: 'home', path: '/home/ubuntu', hostPath: null, readOnly: false });
    assert.deepEqual(chooseAttachFolder(c, null, null), { kind: 'root', path: '/', hostPath: null, readOnly: false });
    assert.equal(chooseAttachFolder(c, null, 'not-a-path').kind, 'root');
    assert.equal(chooseAttachFolder(c, '/var/lib/docker/volumes/h/_data').kind, 'root', 'a volume source is not a host folder');
  });

  it('names the folder and the reason in the dialog text', () => {
    assert.equal(describeAttachFolder(chooseAttachFolder({ mounts, localFolder: null }, '/home/u/dev/dynamo1'), 'ubuntu'), 'Opens /workspace, the container path of the workspace folder /home/u/dev/dynamo1.');
    assert.match(describeAttachFolder(chooseAttachFolder({ mounts: [], localFolder: null }, null, '/home/ubuntu'), 'ubuntu'), /opens \/home\/ubuntu, the home folder of ubuntu in the container/);
    assert.match(describeAttachFolder(chooseAttachFolder({ mounts: [], localFolder: null }, null), null), /root folder \/\.$/);
  });
});
