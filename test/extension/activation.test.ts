// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, EXTENSION_ID, extension } from './helpers';

describe('activation', () => {
  it('runs in the VS Code version the runner started', () => {
    const expected = process.env.DYNAMO_EXPECTED_VSCODE_VERSION;
    assert.ok(expected, 'DYNAMO_EXPECTED_VSCODE_VERSION is not set');
    assert.equal(vscode.version, expected);
  });

  it('is loaded from the development path', () => {
    const ext = extension();
    assert.equal(ext.id, EXTENSION_ID);
    assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
    assert.equal(ext.packageJSON.name, 'dynamo-dev-tools');
  });

  it('activates and returns the test API', async () => {
    const api = await activate();
    assert.ok(extension().isActive, 'the extension is not active after activate()');
    assert.equal(typeof api?.containers?.snapshot, 'function', 'exports.containers.snapshot is not a function');
    assert.equal(typeof api.containers.refresh, 'function', 'exports.containers.refresh is not a function');
    const s = await api.containers.snapshot();
    assert.ok(['ok', 'empty', 'unreachable'].includes(s.state), `unexpected snapshot state ${s.state}`);
    assert.ok(Array.isArray(s.groups));
  });
});
