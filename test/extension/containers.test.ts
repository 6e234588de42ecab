// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The Containers view against the real Docker engine and the fixture's five containers.
import * as assert from 'node:assert/strict';
import Docker from 'dockerode';
import * as vscode from 'vscode';
import { execInContainer } from '../../src/core/docker/exec';
import { activate, CONTAINERS_VIEW, findContainer, fixture, summarize, waitFor, type ContainersSnapshot, type DynamoApi, type SnapshotContainer } from './helpers';

const OTHER = 'Other dev containers';

describe('Containers view (real Docker engine)', () => {
  let api: DynamoApi;
  let snap: ContainersSnapshot;
  const fx = fixture();
  const names = fx.containers;
  const mine = (s: ContainersSnapshot) => s.groups.map((g) => ({ ...g, containers: g.containers.filter((c) => c.name.startsWith(`${fx.prefix}-`)) })).filter((g) => g.containers.length > 0);
  const get = (s: ContainersSnapshot, name: string): SnapshotContainer => {
    const c = findContainer(s, name);
    assert.ok(c, `${name} is not in the snapshot: ${summarize(s)}`);
    return c;
  };

  before(async () => {
    api = await activate();
    await api.containers.refresh();
    snap = await waitFor(async () => {
      const s = await api.containers.snapshot();
      return s.state === 'ok' && findContainer(s, names.dynamo1.name) && findContainer(s, names.stopped.name) ? s : undefined;
    }, 'the fixture containers to be listed');
  });

  it('lists the workspace groups in folder order, then other dev containers', () => {
    const labels = mine(snap).map((g) => g.label);
    assert.deepEqual(labels, ['dynamo1', 'dynamo2', 'dynamo3', OTHER], summarize(snap));
    // Whatever else the engine runs can only add groups after the workspace folders' groups.
    assert.deepEqual(
      snap.groups.slice(0, 3).map((g) => [g.label, g.kind]),
      [
        ['dynamo1', 'workspace'],
        ['dynamo2', 'workspace'],
        ['dynamo3', 'workspace'],
      ],
    );
    assert.equal(snap.groups.find((g) => g.label === OTHER)?.kind, 'other');
    const ws = new Map(fx.workspaceFolders.map((f) => [f.name, f.path]));
    for (const g of snap.groups.slice(0, 3)) assert.equal(g.folder, ws.get(g.label), `folder of group ${g.label}`);
  });

  it('puts each dev container in its group with its framework and state', () => {
    const expected: [string, string, string, string][] = [
      [names.dynamo1.name, 'dynamo1', 'vllm', 'running'],
      [names.dynamo2.name, 'dynamo2', 'unknown', 'running'],
      [names.stopped.name, 'dynamo3', 'trtllm', 'exited'],
      [names.other.name, OTHER, 'sglang', 'running'],
    ];
    for (const [name, group, framework, state] of expected) {
      const c = findContainer(snap, name);
      assert.ok(c, `${name} missing: ${summarize(snap)}`);
      assert.deepEqual([c.group, c.framework, c.state], [group, framework, state], name);
    }
    assert.equal(get(snap, names.dynamo1.name).id, names.dynamo1.id);
    assert.equal(get(snap, names.dynamo1.name).match, 'localFolder');
    assert.equal(get(snap, names.dynamo2.name).match, 'folderName', 'dynamo2 has no labels: only its vsc-dynamo2-… image ties it to the folder');
  });

  it('lists the bind mounts of a container, read-only ones marked', () => {
    const mounts = get(snap, names.dynamo1.name)
      .mounts.map((m) => ({ source: m.source, destination: m.destination, readOnly: m.readOnly }))
      .sort((a, b) => a.destination.localeCompare(b.destination));
    assert.deepEqual(mounts, [
      { source: `${fx.root}/notes`, destination: '/home/dynamo/notes', readOnly: false },
      { source: `${fx.root}/utils`, destination: '/home/dynamo/utils', readOnly: true },
      { source: `${fx.root}/dynamo1`, destination: '/workspace', readOnly: false },
    ]);
  });

  it('does not list a container that is not a dev container', () => {
    assert.equal(findContainer(snap, names.unrelated.name), undefined, summarize(snap));
  });

  describe('live updates from Docker events', () => {
    const docker = new Docker();
    const target = () => docker.getContainer(names.dynamo2.id);

    before(async () => {
      // Events are only watched while the view is visible.
      await vscode.commands.executeCommand(`${CONTAINERS_VIEW}.focus`);
      await waitFor(async () => (await api.containers.snapshot({ cached: true })).watching, 'the view to watch Docker events');
    });

    after(async () => {
      const info = await target().inspect();
      if (!info.State.Running) await target().start();
    });

    it('shows a container stopped outside VS Code as stopped, without a manual refresh', async () => {
      await target().stop({ t: 2 });
      const s = await waitFor(async () => {
        const x = await api.containers.snapshot({ cached: true });
        return findContainer(x, names.dynamo2.name)?.state === 'exited' ? x : undefined;
      }, `${names.dynamo2.name} to show as exited`);
      assert.equal(findContainer(s, names.dynamo2.name)?.group, 'dynamo2');
    });

    it('shows it running again once it is started', async () => {
      await target().start();
      await waitFor(async () => findContainer(await api.containers.snapshot({ cached: true }), names.dynamo2.name)?.state === 'running', `${names.dynamo2.name} to show as running`);
    });
  });

  describe('container commands', () => {
    it('Inspect opens a read-only JSON document named after the container, holding its id', async () => {
      const c = get(await api.containers.snapshot(), names.dynamo1.name);
      // The argument a context-menu action receives: the container's tree node.
      await vscode.commands.executeCommand('dynamo.containers.inspect', { kind: 'container', container: c, folder: null, match: c.match });
      const editor = await waitFor(() => {
        const e = vscode.window.activeTextEditor;
        return e && e.document.getText().includes(c.id) ? e : undefined;
      }, 'an editor showing the inspect JSON');
      const doc = editor.document;
      assert.equal(doc.languageId, 'json');
      assert.ok(doc.uri.path.endsWith(`/${c.name}.json`), doc.uri.toString());
      const parsed = JSON.parse(doc.getText()) as { Id?: string; Name?: string };
      assert.equal(parsed.Id, c.id);
      assert.equal(parsed.Name, `/${c.name}`);
      const tab = await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab, 'the active tab');
      assert.equal(tab.label, `${c.name}.json`);
      // Read-only: a virtual document (no writable file system behind it), and typing into its editor,
      // as a user would, changes nothing. (WorkspaceEdits from extensions are not blocked for such documents.)
      assert.notEqual(doc.uri.scheme, 'file');
      assert.notEqual(vscode.workspace.fs.isWritableFileSystem(doc.uri.scheme), true, 'the inspect scheme must not be a writable file system');
      const before = doc.getText();
      await vscode.window.showTextDocument(doc, { preserveFocus: false });
      await vscode.commands.executeCommand('type', { text: 'typed-by-test' });
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(doc.getText(), before, 'typing changed the inspect document: its editor is not read-only');
      assert.equal(doc.isDirty, false);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    it('(control) typing into a writable editor does change it', async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: '' });
      await vscode.window.showTextDocument(doc, { preserveFocus: false });
      await vscode.commands.executeCommand('type', { text: 'typed-by-test' });
      await waitFor(() => doc.getText() === 'typed-by-test', 'the typed text to reach the untitled document', 5000);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    it('Copy Path on a mount puts its container path on the clipboard', async () => {
      const c = get(await api.containers.snapshot(), names.dynamo1.name);
      const mount = c.mounts.find((m) => m.destination === '/home/dynamo/utils');
      assert.ok(mount, 'no /home/dynamo/utils mount');
      await vscode.env.clipboard.writeText('');
      await vscode.commands.executeCommand('dynamo.containers.copyPath', { kind: 'mount', container: c, mount });
      assert.equal(await vscode.env.clipboard.readText(), '/home/dynamo/utils');
    });

    it('Stop and Start change the container state (confirmation off)', async () => {
      const config = vscode.workspace.getConfiguration('dynamo');
      await config.update('containers.confirmStop', false, vscode.ConfigurationTarget.Global);
      try {
        const node = (x: SnapshotContainer) => ({ kind: 'container', container: x, folder: null, match: x.match });
        await vscode.commands.executeCommand('dynamo.containers.stop', node(get(await api.containers.snapshot(), names.other.name)));
        const stopped = await waitFor(async () => {
          const x = findContainer(await api.containers.snapshot(), names.other.name);
          return x && x.state !== 'running' ? x : undefined;
        }, `${names.other.name} to stop`);
        assert.equal(stopped.state, 'exited');
        assert.equal(stopped.group, 'Stopped dev containers', 'a stopped container of a folder outside the workspace');
        await vscode.commands.executeCommand('dynamo.containers.start', node(stopped));
        const running = await waitFor(async () => {
          const x = findContainer(await api.containers.snapshot(), names.other.name);
          return x?.state === 'running' ? x : undefined;
        }, `${names.other.name} to run again`);
        assert.equal(running.group, OTHER);
      } finally {
        await config.update('containers.confirmStop', undefined, vscode.ConfigurationTarget.Global);
        const info = await new Docker().getContainer(names.other.id).inspect();
        if (!info.State.Running) await new Docker().getContainer(names.other.id).start();
      }
    });

    it('Show Logs and Open Shell open terminals for the container', async () => {
      const c = get(await api.containers.snapshot(), names.dynamo1.name);
      const node = { kind: 'container', container: c, folder: null, match: c.match };
      const cases: [string, string][] = [
        ['dynamo.containers.showLogs', `Logs: ${c.name}`],
        ['dynamo.containers.openShell', `Shell: ${c.name}`],
      ];
      for (const [command, title] of cases) {
        await vscode.commands.executeCommand(command, node);
        const t = await waitFor(() => vscode.window.terminals.find((x) => x.name === title), `a terminal named "${title}"`);
        t.dispose();
      }
    });

    it('Open Shell runs a real shell in the container, as its remoteUser, in the workspace folder', async () => {
      const c = get(await api.containers.snapshot(), names.dynamo1.name);
      const node = { kind: 'container', container: c, folder: null, match: c.match };
      const before = new Set(vscode.window.terminals);
      await vscode.commands.executeCommand('dynamo.containers.openShell', node);
      const t = await waitFor(() => vscode.window.terminals.find((x) => x.name === `Shell: ${c.name}` && !before.has(x) && x.exitStatus === undefined), 'a new shell terminal');
      const probe = `/tmp/dynamo-shell-probe-${Date.now()}`;
      try {
        // Typed into the terminal like a user would; read back from inside the container.
        t.sendText(`echo "$(id -un):$(pwd):$0" > ${probe}`);
        const docker = new Docker();
        const seen = await waitFor(async () => {
          const r = await execInContainer(docker, c.id, { cmd: ['cat', probe] });
          return r.exitCode === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : undefined;
        }, 'the shell to write its probe file', 30000, 300);
        assert.match(seen, /^ubuntu:\/workspace:(bash|sh)$/, 'remoteUser from devcontainer.metadata, cwd = the workspace folder\'s container path');
      } finally {
        t.dispose();
      }
    });

    it('Copy ID puts the container id on the clipboard', async () => {
      const c = get(await api.containers.snapshot(), names.other.name);
      await vscode.env.clipboard.writeText('');
      await vscode.commands.executeCommand('dynamo.containers.copyId', { kind: 'container', container: c, folder: null, match: null });
      assert.equal(await vscode.env.clipboard.readText(), names.other.id);
    });
  });
});
