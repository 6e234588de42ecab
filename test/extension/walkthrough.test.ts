// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The "Get started with Dynamo Dev Tools" walkthrough in the real workbench, and the Check Docker Connection
// command its first step runs (against the fixture's Docker engine).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, containersOf, EXTENSION_ID, extension, waitFor, type DynamoApi } from './helpers';

const WALKTHROUGH = 'dynamo.gettingStarted';
const TITLE = 'Get started with Dynamo Dev Tools';

describe('Walkthrough: Get started with Dynamo Dev Tools', () => {
  let api: DynamoApi;

  before(async () => {
    api = await activate();
  });

  afterEach(() => api.prompts.answerNotifications(null));

  it('is contributed by the extension as loaded in this VS Code', () => {
    const w = (extension().packageJSON.contributes?.walkthroughs ?? []) as { id: string; title: string; steps: { id: string }[] }[];
    assert.deepEqual(
      w.map((x) => [x.id, x.title, x.steps.length]),
      [[WALKTHROUGH, TITLE, 5]],
    );
  });

  it('workbench.action.openWalkthrough with its id opens the Welcome editor without error (its steps: the UI tier)', async () => {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${WALKTHROUGH}`, false);
    // The tab is "Welcome", or (VS Code 1.100, at times) "Walkthrough: <the title of a walkthrough>": which one
    // it shows the tab API cannot tell, so the UI tier checks that.
    const tab = await waitFor(() => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t && (t.label === 'Welcome' || t.label.startsWith('Walkthrough: ')) ? t : undefined;
    }, 'the Welcome editor to be the active tab', 15000);
    // The Welcome editor is no text, webview or custom editor: the tab API reports no input for it.
    assert.equal(tab.input, undefined, `the active tab "${tab.label}" is not the Welcome editor`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Check Docker Connection reports the engine it reached and the dev containers it lists', async () => {
    api.prompts.answerNotifications([undefined]);
    const before = api.prompts.shown().length;
    const out = (await vscode.commands.executeCommand('dynamo.containers.checkDocker')) as { reachable: boolean; message: string };
    const dev = containersOf(await api.containers.snapshot({ cached: true })).filter((c) => c.isDevContainer);
    const running = dev.filter((c) => c.state === 'running').length;
    assert.equal(out.reachable, true, out.message);
    assert.match(out.message, new RegExp(`^Docker is reachable at \\S+ \\(from [^)]+\\): ${dev.length} dev containers?, ${running} running\\.$`));
    const shown = api.prompts.shown().slice(before);
    assert.deepEqual(
      shown.map((s) => [s.kind, s.message, s.buttons]),
      [['info', out.message, ['Show Containers']]],
    );
  });
});
