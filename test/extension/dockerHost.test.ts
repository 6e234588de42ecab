// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The `dynamo.docker.host` setting: an unreachable engine is a state of the view, not an error toast,
// and fixing the setting brings the containers back.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, findContainer, fixture, summarize, waitFor, type DynamoApi } from './helpers';

const BAD_SOCKET = '/nonexistent.sock';

describe('dynamo.docker.host setting', () => {
  let api: DynamoApi;
  const config = () => vscode.workspace.getConfiguration('dynamo');

  before(async () => {
    api = await activate();
  });

  after(async () => {
    await config().update('docker.host', undefined, vscode.ConfigurationTarget.Global);
  });

  it('reports the engine as unreachable, naming the socket, when pointed at a missing socket', async () => {
    await config().update('docker.host', `unix://${BAD_SOCKET}`, vscode.ConfigurationTarget.Global);
    const s = await waitFor(async () => {
      const x = await api.containers.snapshot();
      return x.state === 'unreachable' ? x : undefined;
    }, 'the snapshot to report the engine as unreachable');
    assert.ok(s.error?.includes(BAD_SOCKET), `the error should name ${BAD_SOCKET}: ${s.error}`);
    assert.deepEqual(s.groups, []);
  });

  it('lists the containers again once the setting is restored', async () => {
    await config().update('docker.host', undefined, vscode.ConfigurationTarget.Global);
    const s = await waitFor(async () => {
      const x = await api.containers.snapshot();
      return x.state === 'ok' && findContainer(x, fixture().containers.dynamo1.name) ? x : undefined;
    }, 'the fixture containers to come back');
    assert.equal(s.error, null, summarize(s));
  });
});
