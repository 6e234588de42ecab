// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, CONTAINERS_VIEW, extension } from './helpers';

describe('contributions', () => {
  before(async () => {
    await activate();
  });

  it('registers every command in contributes.commands', async () => {
    const contributed = (extension().packageJSON.contributes?.commands ?? []) as { command: string }[];
    assert.ok(contributed.length >= 10, `expected the manifest to contribute commands, found ${contributed.length}`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('contributes the Containers, Metrics, PR Checks and Workflow Runs views in the Dynamo view container', async () => {
    const pkg = extension().packageJSON;
    assert.deepEqual(
      (pkg.contributes.viewsContainers.activitybar as { id: string; title: string }[]).map((c) => [c.id, c.title]),
      [['dynamo', 'Dynamo']],
    );
    assert.deepEqual((pkg.contributes.views.dynamo as { id: string; name: string }[]).map((v) => [v.id, v.name]), [
      [CONTAINERS_VIEW, 'Containers'],
      ['dynamo.views.metrics', 'Metrics'],
      ['dynamo.views.prChecks', 'PR Checks'],
      ['dynamo.views.runs', 'Workflow Runs'],
    ]);
    // VS Code generates a focus command for every registered view.
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has(`${CONTAINERS_VIEW}.focus`), `${CONTAINERS_VIEW}.focus is not registered: the view was not registered`);
  });
});
