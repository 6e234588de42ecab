// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// "Dynamo: Collect Metrics…" in the real extension host, against the fake Dynamo stack in the fixture's
// dynamo1 container (test/fake-dynamo, mounted at /home/dynamo/utils; <root>/notes at /home/dynamo/notes).
// The quick picks are driven as a user would (the workbench's own accept and close commands; the test API
// only sets the active item or the typed text), the run goes through the core for real, and the tests
// check the progress, the result, the Metrics tree, the closing message's Compare, Esc, a run started from
// a container node, the refusal of a second run, and that a cancelled run leaves no process behind.
// The container uses the host network: the runs use two free ports instead of 8000/8081, which other
// test runs on this machine may use.
import * as assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import * as vscode from 'vscode';
import { execInContainer } from '../../src/core/docker/exec';
import type { CollectResult } from '../../src/core/inference/collect';
import { freePort, portInUse } from '../support/net.cjs';
import { activate, closeCompareTabs, compareTabs, findContainer, fixture, waitFor, type DynamoApi } from './helpers';

const ACCEPT = 'workbench.action.acceptSelectedQuickOpenItem';
const CLOSE = 'workbench.action.closeQuickOpen';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Processes in the container that a run started (its marker in their environment) or that look like the
 * stack (`python3 -m dynamo.*`, inference.sh, soak_fe.py); the patterns are split so this script's own
 * command line does not match them.
 */
const LEFTOVERS = `self=$$; a="dyn"; b="amo."; i="inference"; s="soak_"
for d in /proc/[0-9]*; do p=\${d#/proc/}; [ "$p" = "$self" ] && continue
  c=$(tr '\\0' ' ' < "$d/cmdline" 2>/dev/null) || continue; [ -z "$c" ] && continue
  if tr '\\0' '\\n' < "$d/environ" 2>/dev/null | grep -q '^DYNAMO_DEV_RUN_ID='; then echo "$p marked: $c"; continue; fi
  case "$c" in *"-m $a$b"*|*"$i.sh"*|*"$s"fe*) echo "$p stack: $c";; esac
done; exit 0`;

describe('Collect Metrics (fake Dynamo stack in a dev container)', function () {
  this.timeout(240000);
  const fx = fixture();
  const name = fx.containers.dynamo1.name;
  const notes = join(fx.root, 'notes');
  const cfg = () => vscode.workspace.getConfiguration('dynamo');
  let api: DynamoApi;
  let docker: Docker;
  let ports: { frontend: number; backend: number };
  let notesBefore: Set<string>;

  const leftovers = async (): Promise<string[]> => {
    const r = await execInContainer(docker, fx.containers.dynamo1.id, { cmd: ['sh', '-c', LEFTOVERS], timeoutMs: 30000 });
    assert.equal(r.exitCode, 0, r.stderr);
    return r.stdout.split('\n').filter(Boolean);
  };
  /** The fake inference.sh checks port 8000 whatever the frontend port (as the real one does): wait while another run holds it. */
  const port8000Free = () => waitFor(async () => !(await portInUse(8000)), 'port 8000 to be free (another test run on this machine uses it)', 180000, 1000);
  const prompt = <K extends 'pick' | 'input'>(step: number, kind: K) =>
    waitFor(() => {
      const p = api.collect.prompt();
      return p && p.step === step && p.kind === kind ? (p as Extract<NonNullable<typeof p>, { kind: K }>) : undefined;
    }, `Collect Metrics step ${step} (${kind}) to show`);
  /**
   * The fake inference.sh (like the real one) fails when port 8000 is taken, whatever the frontend port; other
   * test runs on this machine start servers there. Such a run is repeated (up to 3 times).
   */
  const clashedOn8000 = (r: CollectResult | undefined) => !!r?.error && /Port 8000 is already|Port 8000 \(frontend\)/.test(r.error);
  const retrying = async <T>(what: string, attempt: (n: number) => Promise<{ result: CollectResult | undefined; value: T }>): Promise<T> => {
    for (let n = 0; ; n++) {
      await port8000Free();
      const { result, value } = await attempt(n);
      if (!clashedOn8000(result) || n >= 2) return value;
      console.log(`      (${what}: port 8000 was taken by another test run meanwhile; again)`);
      await vscode.commands.executeCommand('notifications.clearAll');
    }
  };
  /** Enter, once the workbench has the quick input's latest state. */
  const accept = async () => {
    await sleep(300);
    await vscode.commands.executeCommand(ACCEPT);
  };

  before(async () => {
    api = await activate();
    docker = new Docker();
    await api.containers.refresh();
    await waitFor(async () => findContainer(await api.containers.snapshot(), name)?.state === 'running', `${name} to be listed as running`);
    const frontend = await freePort();
    let backend = await freePort();
    while (backend === frontend || backend === frontend + 1) backend = await freePort();
    ports = { frontend, backend };
    await cfg().update('collect.frontendPort', frontend, vscode.ConfigurationTarget.Global);
    await cfg().update('collect.backendPort', backend, vscode.ConfigurationTarget.Global);
    notesBefore = new Set(readdirSync(notes));
    await closeCompareTabs();
  });

  after(async () => {
    for (const r of api?.collect.runs() ?? []) if (r.active) api.collect.cancel(r.container);
    await waitFor(() => !(api?.collect.runs() ?? []).some((r) => r.active), 'the runs to end', 60000).catch(() => undefined);
    await vscode.commands.executeCommand(CLOSE);
    for (const k of ['collect.frontendPort', 'collect.backendPort']) await cfg().update(k, undefined, vscode.ConfigurationTarget.Global);
    for (const f of readdirSync(notes)) if (!notesBefore?.has(f)) rmSync(join(notes, f), { force: true });
    await closeCompareTabs().catch(() => undefined);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('runs through its quick picks with the defaults, saves the captures, and Compare opens them', async () => {
    const runsBefore = api.collect.runs().length;
    const result = await retrying('the quick-pick run', async (attempt) => {
      const done = vscode.commands.executeCommand<CollectResult | undefined>('dynamo.metrics.collect');

      const p1 = await prompt(1, 'pick');
      assert.equal(p1.totalSteps, 5);
      const labels = p1.items.map((i) => i.label);
      assert.ok(labels.includes(name), labels.join(', '));
      assert.ok(!labels.includes(fx.containers.stopped.name), 'a stopped container is offered');
      assert.ok(!labels.includes(fx.containers.unrelated.name), 'a container that is not a dev container is offered');
      assert.equal(p1.active, name, 'the default container is the first workspace folder’s');
      await accept();

      const p2 = await prompt(2, 'pick');
      assert.deepEqual(
        p2.items.map((i) => i.label),
        ['vllm', 'sglang', 'trtllm', 'all (vllm → sglang → trtllm)'],
      );
      assert.equal(p2.active, 'vllm', 'the container’s framework is the default');
      assert.match(p2.items[0]?.description ?? '', /framework/);
      await accept();

      const p3 = await prompt(3, 'input');
      if (attempt === 0) assert.equal(p3.value, '1000 tokens × 5 requests × 1 worker');
      api.collect.answer('lots of tokens');
      assert.match(api.collect.prompt()?.kind === 'input' ? ((api.collect.prompt() as { validationMessage: string | null }).validationMessage ?? '') : '', /not a number|Unknown unit/);
      await accept(); // refused: the value is not valid
      await sleep(300);
      assert.equal(api.collect.prompt()?.step, 3, 'Enter on an invalid value moved on');
      api.collect.answer('16 tokens x 3 requests x 1 worker');
      assert.match((api.collect.prompt() as { prompt: string }).prompt, /3 requests of up to 16 tokens/);
      await accept();

      const p4 = await prompt(4, 'pick');
      assert.match(p4.active ?? '', /soak_fe\.py/);
      assert.match(p4.items[1]?.label ?? '', /Built-in load generator/);
      await accept();

      const p5 = await prompt(5, 'pick');
      assert.equal(p5.active, notes, 'the default notes folder is the container’s notes mount');
      assert.equal(p5.items[0]?.description, 'mounted at /home/dynamo/notes');
      assert.match(p5.items.at(-1)?.label ?? '', /Browse…/);
      await accept();
      const r = await done;
      return { result: r, value: r };
    });
    assert.ok(result, 'the command did not run');
    assert.equal(result.error, null, api.collect.output());
    assert.equal(result.cancelled, false);
    assert.equal(result.container?.name, name);
    assert.equal(result.notesDir, notes);
    assert.deepEqual(
      result.steps.map((s) => `${s.framework ?? 'run'} ${s.name} ${s.status}`),
      ['run preflight ok', 'vllm start ok', 'vllm ready ok', 'vllm soak ok', 'vllm scrape ok', 'vllm save ok', 'vllm cleanup ok'],
    );
    assert.match(result.steps.find((s) => s.name === 'soak')?.detail ?? '', /^3\/3 requests succeeded/);
    assert.deepEqual(result.files, [join(notes, 'metrics-vllm.log'), join(notes, 'metrics-vllm-frontend.log'), join(notes, 'metrics-vllm.soak.json')]);

    // progress notification, status bar, output channel
    const runs = api.collect.runs();
    assert.ok(runs.length > runsBefore);
    const run = runs.at(-1)!;
    assert.equal(run.active, false);
    assert.deepEqual(run.frameworks, ['vllm']);
    for (const re of [/^Pre-flight checks \(\d+ s\)…$/, /^vllm: Start the server \(\d+ s\)…$/, /^vllm: Wait until ready \(\d+ s\)…$/, /^vllm: Soak test: 3 requests \(\d+ s\)…$/, /^vllm: Scrape \/metrics \(\d+ s\)…$/, /^vllm: Clean up \(\d+ s\)…$/]) {
      assert.ok(run.progress.some((m) => re.test(m)), `no progress message matching ${re}: ${run.progress.join(' | ')}`);
    }
    for (const t of ['$(sync~spin) Collect Metrics: checks', '$(sync~spin) Collect Metrics: vllm · ready', '$(sync~spin) Collect Metrics: vllm · soak']) assert.ok(run.statusBar.includes(t), `status bar never showed "${t}": ${run.statusBar.join(' | ')}`);
    const out = api.collect.output();
    assert.match(out, new RegExp(`Collect Metrics on ${name}: vllm, 16 tokens × 3 requests × 1 worker, soak soak_fe\\.py`));
    assert.match(out, new RegExp(`same from a terminal: dynamo-dev collect --container ${name} --framework vllm --max-tokens 16 --requests-per-worker 3 --notes ${notes} --frontend-port ${ports.frontend} --backend-port ${ports.backend}`));
    assert.match(out, /✓ \[vllm\] Wait until ready \([\d.]+ s, ok\): model Qwen\/Qwen3-0\.6B/);
    assert.match(out, /^ {4}vllm server\| .*added model/m);
    assert.match(out, /^ {4}vllm soak\| /m);

    // the Metrics tree lists the new captures under the container's notes folder
    const snap = await api.metrics.snapshot();
    const folder = snap.folders.find((f) => f.path === notes);
    assert.ok(folder, `the Metrics tree does not list ${notes}: ${snap.folders.map((f) => f.path).join(', ')}`);
    assert.equal(folder.container, name);
    const listed = folder.captures.map((c) => [c.name, c.framework]);
    assert.ok(listed.some(([n, f]) => n === 'metrics-vllm.log' && f === 'vllm'), JSON.stringify(listed));
    assert.ok(listed.some(([n]) => n === 'metrics-vllm-frontend.log'), JSON.stringify(listed));

    // the closing message, and its Compare button
    const note = api.collect.notifications().at(-1)!;
    assert.equal(note.kind, 'info');
    assert.equal(note.message, `Saved metrics-vllm.log, metrics-vllm-frontend.log, metrics-vllm.soak.json in ${notes}`);
    assert.deepEqual(note.buttons, ['Compare', 'Show in Metrics View', 'Open Folder']);
    await note.choose('Compare');
    const model = await waitFor(() => api.metrics.panels().find((m) => m?.captures.length === 1 && m.captures[0]?.file === join(notes, 'metrics-vllm.log')), 'a Compare panel on the new capture');
    assert.equal(model.captures[0]?.framework, 'vllm');
    assert.deepEqual(model.captures[0]?.models, ['Qwen/Qwen3-0.6B']);
    await waitFor(() => compareTabs().find((t) => t.label === 'Compare: vLLM'), 'the tab "Compare: vLLM"');

    assert.deepEqual(await leftovers(), [], 'processes left in the container after the run');
    assert.equal(await portInUse(ports.frontend), false);
    assert.equal(await portInUse(ports.backend), false);
  });

  it('starts nothing when Esc is pressed, and remembers the last answers as the defaults', async () => {
    const runsBefore = api.collect.runs().length;
    const done = vscode.commands.executeCommand<CollectResult | undefined>('dynamo.metrics.collect');
    await prompt(1, 'pick');
    await accept();
    await prompt(2, 'pick');
    await accept();
    const p3 = await prompt(3, 'input');
    assert.equal(p3.value, '16 tokens × 3 requests × 1 worker', 'the soak parameters of the last run are the default');
    await vscode.commands.executeCommand(CLOSE);
    assert.equal(await done, undefined);
    await sleep(500);
    assert.equal(api.collect.prompt(), null);
    assert.equal(api.collect.runs().length, runsBefore, 'a run started');
    assert.deepEqual(await leftovers(), []);
  });

  it('from a container node: skips the container step; refuses a second run there; Cancel cleans up', async () => {
    const snap = await api.containers.snapshot();
    const info = findContainer(snap, name);
    assert.ok(info);
    const node = { kind: 'container', container: info, folder: null, match: null };
    const { done, running } = await retrying('the run from a container node', async () => {
      const runsBefore = api.collect.runs().length;
      const done = vscode.commands.executeCommand<CollectResult | undefined>('dynamo.metrics.collect', node);
      const p1 = await prompt(1, 'pick');
      assert.equal(p1.totalSteps, 4, 'the container step is not skipped');
      assert.match(p1.title, new RegExp(`on ${name}$`));
      assert.equal(p1.active, 'vllm');
      await accept();
      await prompt(2, 'input');
      api.collect.answer('2000 tokens × 20 requests × 1 worker'); // 40,000 tokens at 2,000 tok/s: a 20 s soak
      await accept();
      await prompt(3, 'pick');
      api.collect.answer('Built-in load generator');
      await accept();
      await prompt(4, 'pick');
      await accept();
      const running = await waitFor(() => {
        const r = api.collect.runs()[runsBefore];
        if (r && !r.active && r.result) return r;
        return r?.active && r.progress.some((m) => /^vllm: Soak test: [1-9]\d*\/20 requests \(\d+ s\)…$/.test(m)) ? r : undefined;
      }, 'the soak to report requests done', 60000).catch((e: Error) => {
        throw new Error(`${e.message}; last run: ${JSON.stringify(api.collect.runs().at(-1))}; output: ${api.collect.output().slice(-3000)}`);
      });
      return { result: running.result ?? undefined, value: { done, running } };
    });
    assert.ok(running.active, `the run ended before the soak: ${running.result?.error}`);
    assert.ok(running.statusBar.includes('$(sync~spin) Collect Metrics: vllm · soak'));
    assert.ok((await leftovers()).some((l) => l.includes(' marked: ')), 'no process of the run is running during the soak');

    // a second run on the same container is refused up front, with a message
    const shownBefore = api.collect.notifications().length;
    assert.equal(await api.collect.run({ container: name, frameworks: ['sglang'] }), undefined);
    const refusal = api.collect.notifications().at(-1)!;
    assert.equal(api.collect.notifications().length, shownBefore + 1);
    assert.equal(refusal.kind, 'error');
    assert.match(refusal.message, new RegExp(`^Collect Metrics is already running on ${name}: wait for it to finish, or cancel it`));
    assert.equal(api.collect.runs().filter((r) => r.active).length, 1);

    assert.equal(api.collect.cancel(name), true);
    const result = await done;
    assert.ok(result);
    assert.equal(result.cancelled, true);
    assert.equal(result.error, 'cancelled');
    assert.deepEqual(result.files, []);
    const steps = result.steps.map((s) => `${s.framework ?? 'run'} ${s.name} ${s.status}`);
    assert.ok(steps.includes('vllm soak cancelled'), steps.join(', '));
    const cleanup = result.steps.find((s) => s.name === 'cleanup');
    assert.equal(cleanup?.status, 'ok', JSON.stringify(cleanup));
    assert.match(cleanup?.detail ?? '', /stopped \d+ process(es)? of this run/);
    const run = api.collect.runs().at(-1)!;
    assert.ok(run.progress.includes('Cancelling: cleaning up…') || run.progress.some((m) => m.startsWith('Cancelling: cleaning up')), run.progress.join(' | '));
    assert.ok(run.statusBar.includes('$(sync~spin) Collect Metrics: cancelling'), run.statusBar.join(' | '));
    const note = api.collect.notifications().at(-1)!;
    assert.equal(note.kind, 'info');
    assert.match(note.message, new RegExp(`^Collect Metrics on ${name} cancelled; clean-up: stopped \\d+ process`));

    assert.deepEqual(await leftovers(), [], 'processes left in the container after the cancelled run');
    assert.equal(await portInUse(ports.frontend), false);
    assert.equal(await portInUse(ports.backend), false);
  });
});
