// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { containerToHost, hostToContainer } from '../../src/core/docker/paths';
import type { Mount } from '../../src/core/docker/model';

const bind = (source: string, destination: string, readOnly = false): Mount => ({ source, destination, readOnly, type: 'bind', name: null });
const mounts: Mount[] = [
  bind('/home/u/dev/dynamo1', '/workspace'),
  bind('/home/u/dev/dynamo1/target/.vllm', '/workspace/target'),
  bind('/home/u/dev/dynamo-utils.PRODUCTION', '/home/dynamo/utils', true),
  bind('/home/u/dev/notes', '/home/dynamo/notes'),
  bind('/home/u/nvidia/dynamo-utils', '/home/ubuntu/dynamo/_'),
  { source: '/var/lib/docker/volumes/h/_data', destination: '/home/dynamo/.commandhistory', readOnly: false, type: 'volume', name: 'h' },
];

describe('host ↔ container paths', () => {
  it('translates the seed example both ways', () => {
    assert.equal(hostToContainer('/home/u/nvidia/dynamo-utils/soak_fe.py', mounts)?.path, '/home/ubuntu/dynamo/_/soak_fe.py');
    assert.equal(containerToHost('/home/ubuntu/dynamo/_/notes/metrics-vllm.log', mounts)?.path, '/home/u/nvidia/dynamo-utils/notes/metrics-vllm.log');
  });
  it('maps a mount root itself', () => {
    assert.equal(hostToContainer('/home/u/dev/dynamo1', mounts)?.path, '/workspace');
    assert.equal(hostToContainer('/home/u/dev/dynamo1/', mounts)?.path, '/workspace');
    assert.equal(containerToHost('/workspace', mounts)?.path, '/home/u/dev/dynamo1');
  });
  it('prefers the longest (nested) mount', () => {
    assert.equal(hostToContainer('/home/u/dev/dynamo1/target/.vllm/debug/x', mounts)?.path, '/workspace/target/debug/x');
    assert.equal(containerToHost('/workspace/target/debug', mounts)?.path, '/home/u/dev/dynamo1/target/.vllm/debug');
    assert.equal(containerToHost('/workspace/targets', mounts)?.path, '/home/u/dev/dynamo1/targets');
  });
  it('reports read-only mounts', () => {
    const t = hostToContainer('/home/u/dev/dynamo-utils.PRODUCTION/inference.sh', mounts);
    assert.equal(t?.path, '/home/dynamo/utils/inference.sh');
    assert.equal(t?.readOnly, true);
    assert.equal(containerToHost('/home/dynamo/notes/x.log', mounts)?.readOnly, false);
  });
  it('matches whole path segments only', () => {
    assert.equal(hostToContainer('/home/u/dev/dynamo10/x', mounts), null);
    assert.equal(hostToContainer('/home/u/dev/notes-old/x', mounts), null);
    assert.equal(containerToHost('/home/dynamo/notesX', mounts), null);
  });
  it('ignores volumes and returns null for unmapped paths', () => {
    assert.equal(containerToHost('/home/dynamo/.commandhistory/x', mounts), null);
    assert.equal(hostToContainer('/etc/passwd', mounts), null);
    assert.equal(containerToHost('/tmp', []), null);
  });
  it('handles a mount of /', () => {
    const root = [bind('/', '/host')];
    assert.equal(hostToContainer('/etc/hosts', root)?.path, '/host/etc/hosts');
    assert.equal(containerToHost('/host', root)?.path, '/');
    assert.equal(containerToHost('/host/etc', root)?.path, '/etc');
  });
});
