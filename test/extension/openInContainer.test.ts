// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Dynamo: Open Folder in Container against the real Docker engine. This extension host has no Dev Containers
// extension (it runs with --disable-extensions), so: the not-installed path for real; then, with a stand-in
// for Dev Containers' attach command registered here (what the extension looks for when Dev Containers runs
// in another extension host) and the folder opener recording instead of reloading the window, the exact
// URI it opens, its container path derived from the fixture containers' real mounts.
import * as assert from 'node:assert/strict';
import Docker from 'dockerode';
import * as vscode from 'vscode';
import { execInContainer } from '../../src/core/docker/exec';
import { activate, findContainer, fixture, summarize, waitFor, type DynamoApi, type SnapshotContainer } from './helpers';

const COMMAND = 'dynamo.containers.openInContainer';
const DEV_CONTAINERS = 'ms-vscode-remote.remote-containers';
const ATTACH_COMMAND = 'remote-containers.attachToRunningContainer';
const SLEEP = ['/bin/sh', '-c', 'trap "exit 0" TERM; while sleep 1000 & wait $!; do :; done'];

/** What the extension must open: the authority the Dev Containers extension writes, computed here independently. */
function expectedUri(name: string, path: string): string {
  return `vscode-remote://attached-container+${Buffer.from(JSON.stringify({ containerName: `/${name}` }), 'utf8').toString('hex')}${path}`;
}

describe('Open Folder in Container', () => {
  let api: DynamoApi;
  const fx = fixture();
  const docker = new Docker();
  const opened: { uri: vscode.Uri; newWindow: boolean }[] = [];
  const node = (c: SnapshotContainer) => ({ kind: 'container', container: c, folder: null, match: c.match });
  const get = async (name: string): Promise<SnapshotContainer> =>
    waitFor(async () => {
      const s = await api.containers.snapshot();
      return findContainer(s, name);
    }, `${name} in the Containers view`);
  const run = async (arg?: unknown) => (await vscode.commands.executeCommand(COMMAND, arg)) as Record<string, unknown> | undefined;

  before(async () => {
    api = await activate();
    await get(fx.containers.dynamo1.name);
  });

  beforeEach(() => {
    opened.length = 0;
    api.containers.setFolderOpener((uri, newWindow) => {
      opened.push({ uri, newWindow });
      return Promise.resolve();
    });
  });

  afterEach(() => {
    api.prompts.answer(null);
    api.prompts.answerNotifications(null);
    api.containers.setFolderOpener(null);
  });

  describe('without the Dev Containers extension', () => {
    before(async () => {
      // the precondition of these tests: nothing here can attach a window to a container
      assert.equal(vscode.extensions.getExtension(DEV_CONTAINERS), undefined);
      assert.equal(vscode.extensions.getExtension('anysphere.remote-containers'), undefined);
      assert.ok(!(await vscode.commands.getCommands(true)).includes(ATTACH_COMMAND), `${ATTACH_COMMAND} is registered`);
    });

    it('says what to install; its button shows the extension in the Extensions view (the real command)', async () => {
      api.prompts.answerNotifications(['Show Dev Containers Extension']);
      api.prompts.answer([]); // a confirmation would be answered "Cancel" and recorded
      const before = api.prompts.shown().length;
      const out = await run(node(await get(fx.containers.dynamo1.name)));
      const shown = api.prompts.shown().slice(before);
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.equal(shown[0]?.kind, 'warning');
      assert.equal(
        shown[0]?.message,
        `Open Folder in Container needs the Dev Containers extension (${DEV_CONTAINERS}), which is not installed. Install it from the Extensions view, then run Open Folder in Container again.`,
      );
      assert.deepEqual(shown[0]?.buttons, ['Show Dev Containers Extension']);
      // shownExtension is only true once workbench.extensions.search resolved (a throw would make the command return undefined)
      assert.deepEqual(out, { kind: 'noDevContainers', extensionId: DEV_CONTAINERS, shownExtension: true });
      assert.deepEqual(opened, []);
    });

    it('closing the message does nothing more; from the palette it comes before any container pick', async () => {
      api.prompts.answerNotifications([undefined]);
      const before = api.prompts.shown().length;
      // no argument: the palette path, which would otherwise wait in a quick pick
      const out = await run();
      assert.deepEqual(out, { kind: 'noDevContainers', extensionId: DEV_CONTAINERS, shownExtension: false });
      assert.deepEqual(
        api.prompts.shown().slice(before).map((s) => s.kind),
        ['warning'],
      );
      assert.deepEqual(opened, []);
    });
  });

  describe('with a stand-in for Dev Containers', () => {
    let standIn: vscode.Disposable | undefined;
    let extra: { id: string; name: string } | undefined;

    before(() => {
      standIn = vscode.commands.registerCommand(ATTACH_COMMAND, () => undefined);
    });

    after(async () => {
      standIn?.dispose();
      if (extra) await docker.getContainer(extra.id).remove({ force: true, v: true });
      await api.containers.refresh();
    });

    it("opens the workspace folder's container path, from the container's real mounts, with the exact attached-container URI", async () => {
      const c = await get(fx.containers.dynamo1.name);
      const ws = fx.workspaceFolders.find((f) => f.name === 'dynamo1');
      assert.ok(ws);
      // the container path as the engine reports it, not as the fixture was written
      const info = await docker.getContainer(c.id).inspect();
      const mount = info.Mounts.find((m) => m.Type === 'bind' && m.Source === ws.path);
      assert.ok(mount, `no bind mount of ${ws.path} in ${c.name}: ${JSON.stringify(info.Mounts)}`);
      api.prompts.answer(['Open in New Window']);
      const before = api.prompts.shown().length;
      const out = await run(node(c));
      assert.equal(opened.length, 1, JSON.stringify(out));
      const got = opened[0];
      assert.ok(got);
      const want = expectedUri(c.name, mount.Destination);
      assert.equal(got.uri.toString(true), want);
      assert.equal(got.uri.scheme, 'vscode-remote');
      assert.equal(got.uri.authority, want.slice('vscode-remote://'.length, want.length - mount.Destination.length));
      assert.equal(got.uri.path, mount.Destination);
      assert.equal(got.newWindow, true);
      assert.deepEqual(out, { kind: 'opened', uri: want, newWindow: true, folder: 'workspaceFolder', path: mount.Destination });
      const asked = api.prompts.shown().slice(before);
      assert.equal(asked.length, 1, JSON.stringify(asked));
      assert.equal(asked[0]?.kind, 'confirm');
      assert.equal(asked[0]?.message, `Open ${mount.Destination} in ${c.name}?`);
      assert.deepEqual(asked[0]?.buttons, ['Open in New Window', 'Open in This Window']);
      assert.equal(asked[0]?.detail, `Opens ${mount.Destination}, the container path of the workspace folder ${ws.path}.`);
    });

    it('"Open in This Window" opens the same URI in this window; Cancel opens nothing', async () => {
      const c = await get(fx.containers.dynamo2.name);
      // dynamo2 has no labels: only its image name ties it to the dynamo2 folder, whose mount gives the path
      const ws = fx.workspaceFolders.find((f) => f.name === 'dynamo2');
      const mount = (await docker.getContainer(c.id).inspect()).Mounts.find((m) => m.Source === ws?.path);
      assert.ok(mount);
      api.prompts.answer(['Open in This Window', undefined]);
      await run(node(c));
      assert.deepEqual(
        opened.map((o) => [o.uri.toString(true), o.newWindow]),
        [[expectedUri(c.name, mount.Destination), false]],
      );
      const out = await run(node(c));
      assert.deepEqual(out, { kind: 'cancelled' });
      assert.equal(opened.length, 1, 'Cancel opened a window');
    });

    it("a container no mount of which holds its folder: the remote user's home folder, read from the container, and the dialog says so", async () => {
      const c = await get(fx.containers.other.name);
      assert.deepEqual(c.mounts, [], 'the fixture container "other" has no mounts');
      const home = (await execInContainer(docker, c.id, { cmd: ['sh', '-c', 'printf %s "$HOME"'] })).stdout;
      assert.match(home, /^\/\S*$/, `HOME in ${c.name}`);
      api.prompts.answer(['Open in New Window']);
      const before = api.prompts.shown().length;
      const out = await run(node(c));
      assert.deepEqual(out, { kind: 'opened', uri: expectedUri(c.name, home), newWindow: true, folder: 'home', path: home });
      const asked = api.prompts.shown().slice(before);
      assert.match(asked[0]?.detail ?? '', new RegExp(`opens ${home.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, the home folder of the container's default user in the container\\.$`));
    });

    describe('a stopped container', () => {
      let c: SnapshotContainer;
      const folder = () => fx.workspaceFolders.find((f) => f.name === 'dynamo3')?.path ?? '';

      before(async () => {
        // created, never started; the whole fixture folder is mounted at /src, so dynamo3's folder is /src/dynamo3
        const name = `${fx.prefix}-attach`;
        const created = await docker.createContainer({
          name,
          Image: fx.containers.unrelated.image,
          Cmd: SLEEP,
          Labels: { 'devcontainer.local_folder': folder(), 'devcontainer.config_file': `${folder()}/.devcontainer/devcontainer.json` },
          HostConfig: { NetworkMode: 'host', Binds: [`${fx.root}:/src`] },
        });
        extra = { id: created.id, name };
        await api.containers.refresh();
        c = await get(name);
        assert.notEqual(c.state, 'running', summarize(await api.containers.snapshot()));
      });

      it('Cancel at "Start it?" leaves it stopped and opens nothing', async () => {
        api.prompts.answer([undefined]);
        const before = api.prompts.shown().length;
        assert.deepEqual(await run(node(c)), { kind: 'cancelled' });
        const asked = api.prompts.shown().slice(before);
        assert.deepEqual(
          asked.map((s) => [s.kind, s.message, s.buttons]),
          [['confirm', `${c.name} is not running. Start it and open its folder?`, ['Start and Open']]],
        );
        assert.equal((await docker.getContainer(c.id).inspect()).State.Running, false);
        assert.deepEqual(opened, []);
      });

      it('"Start and Open" starts it, then opens the folder below its mount', async () => {
        api.prompts.answer(['Start and Open', 'Open in This Window']);
        const out = await run(node(c));
        const info = await docker.getContainer(c.id).inspect();
        assert.equal(info.State.Running, true, 'the container was not started');
        const mount = info.Mounts.find((m) => m.Source === fx.root);
        assert.ok(mount, JSON.stringify(info.Mounts));
        const path = `${mount.Destination}/dynamo3`;
        assert.deepEqual(out, { kind: 'opened', uri: expectedUri(c.name, path), newWindow: false, folder: 'workspaceFolder', path });
        assert.deepEqual(
          opened.map((o) => o.uri.toString(true)),
          [expectedUri(c.name, path)],
        );
        const shown = await waitFor(async () => {
          const x = findContainer(await api.containers.snapshot({ cached: true }), c.name);
          return x?.state === 'running' ? x : undefined;
        }, `${c.name} to show as running`);
        assert.equal(shown.group, 'dynamo3');
      });
    });
  });
});
