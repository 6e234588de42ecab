// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The manifest, the command table and the lint boundaries agree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { Commands, ContextKeys, Views } from '../../src/platform/commandIds';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('package.json', () => {
  it('contributes exactly the commands of the command table', () => {
    const contributed = (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(Commands).sort());
  });
  it('menus and welcome views only reference contributed commands and views', () => {
    const commands = new Set(Object.values(Commands));
    for (const [menu, items] of Object.entries(pkg.contributes.menus as Record<string, { command: string; when?: string }[]>)) {
      for (const item of items) {
        assert.ok(commands.has(item.command as never), `${menu}: unknown command ${item.command}`);
        if (menu.startsWith('view/') && item.when !== 'false') assert.ok(Object.values(Views).some((v) => (item.when ?? '').includes(`view == ${v}`)), `${menu} item ${item.command} names no view of ours: ${item.when}`);
      }
    }
    for (const w of pkg.contributes.viewsWelcome as { view: string; contents: string; when: string }[]) {
      assert.ok((Object.values(Views) as string[]).includes(w.view), w.view);
      for (const m of w.contents.matchAll(/command:([\w.]+)/g)) assert.ok(commands.has(m[1] as never), `welcome view links unknown command ${m[1]}`);
      if (w.view === Views.containers) assert.match(w.when, new RegExp(ContextKeys.dockerState.replace(/\./g, '\\.')));
    }
  });
  it('declares the views in the Dynamo activity-bar container', () => {
    assert.deepEqual(pkg.contributes.views.dynamo.map((v: { id: string }) => v.id), [Views.containers, Views.metrics, Views.prChecks, Views.runs]);
    assert.equal(pkg.contributes.viewsContainers.activitybar[0].id, 'dynamo');
  });
  it('supports VS Code 1.100 and ships the CLI', () => {
    assert.equal(pkg.engines.vscode, '^1.100.0');
    assert.equal(pkg.devDependencies['@types/vscode'], '1.100.0', '@types/vscode must equal the engine floor');
    assert.deepEqual(pkg.bin, { 'dynamo-dev': 'dist/cli.js' });
    // Everything else is derived from contributions; a restored Compare panel needs its serializer, and the
    // status-bar CI indicator must show without a view being opened (after start-up, never delaying it).
    assert.deepEqual(pkg.activationEvents, ['onWebviewPanel:dynamo.compare', 'onStartupFinished']);
  });
  it('every setting has a default and a description', () => {
    for (const [key, p] of Object.entries(pkg.contributes.configuration.properties as Record<string, { default?: unknown; description?: string; markdownDescription?: string }>)) {
      assert.ok(key.startsWith('dynamo.'), key);
      assert.notEqual(p.default, undefined, key);
      assert.ok(p.description || p.markdownDescription, key);
    }
  });
});

describe('lint boundaries', function () {
  this.timeout(60000);
  const eslint = new ESLint({ cwd: root });
  const lint = async (file: string, code: string) => (await eslint.lintText(code, { filePath: join(root, file) }))[0]?.messages.map((m) => m.ruleId) ?? [];
  for (const file of ['src/core/docker/x.ts', 'src/webview/x.ts', 'src/shared/x.ts', 'src/cli/x.ts']) {
    it(`${file.split('/')[1]}/ cannot import vscode`, async () => {
      assert.ok((await lint(file, "import * as vscode from 'vscode';\nexport const v = vscode.version;\n")).includes('@typescript-eslint/no-restricted-imports'));
    });
  }
  it('feature code may import vscode', async () => {
    assert.deepEqual(await lint('src/containers/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode.version;\n"), []);
  });
  it('heavy packages may only be loaded lazily', async () => {
    assert.ok((await lint('src/containers/x.ts', "import Docker from 'dockerode';\nexport const d = new Docker();\n")).includes('@typescript-eslint/no-restricted-imports'));
    assert.deepEqual(await lint('src/core/docker/x.ts', "import type Docker from 'dockerode';\nexport async function f(): Promise<Docker> { const { default: D } = await import('dockerode'); return new D(); }\n"), []);
  });
});
