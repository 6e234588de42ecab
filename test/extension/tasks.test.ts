// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The `dynamo` task type in the real extension host: tasks offered per checkout layout (fixture checkouts
// with each builder), a sanity check run for real under nohup with its log, the docs image built for real
// by the Docker engine with Sphinx lines becoming Problems on the checkout's files, and the clean-up task
// stopping the fake Dynamo stack in the dynamo1 container.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activate, fixture, waitFor } from './helpers';

const FAKE_BUILDER = 'import sys\nprint("builder args: " + " ".join(sys.argv[1:]))\nprint("sanity check passed")\n';

/** Runs a task and resolves with its exit code (process and custom executions alike). */
async function run(task: vscode.Task): Promise<number | undefined> {
  const ended = new Promise<number | undefined>((resolve) => {
    const subs = [
      vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution.task.name === task.name && e.execution.task.source === task.source) {
          subs.forEach((s) => s.dispose());
          resolve(e.exitCode);
        }
      }),
    ];
  });
  await vscode.tasks.executeTask(task);
  return ended;
}

describe('dynamo tasks (image builds, docs build, clean-up)', function () {
  this.timeout(120000);
  let one: string;
  let two: string;
  let logs: string;
  const made: string[] = [];
  const cfg = () => vscode.workspace.getConfiguration('dynamo.tasks');
  const tasks = async () => (await vscode.tasks.fetchTasks({ type: 'dynamo' })).filter((t) => t.source === 'dynamo');
  const find = async (name: string, folder?: string) => {
    const t = (await tasks()).find((x) => x.name === name && (folder === undefined || (typeof x.scope === 'object' && x.scope.uri.fsPath === folder)));
    assert.ok(t, `task "${name}"${folder ? ` in ${folder}` : ''}: have ${(await tasks()).map((x) => x.name).join(', ')}`);
    return t;
  };

  before(async () => {
    await activate();
    const f = fixture();
    one = f.workspaceFolders[0]!.path;
    two = f.workspaceFolders[1]!.path;
    // dynamo1: the current builder; dynamo2: the older one, plus the Sphinx docs image
    mkdirSync(join(one, 'container'), { recursive: true });
    writeFileSync(join(one, 'container', 'build_images.py'), FAKE_BUILDER);
    writeFileSync(join(two, 'dynamo_docker_builder.py'), FAKE_BUILDER);
    mkdirSync(join(two, 'container'), { recursive: true });
    mkdirSync(join(two, 'docs', 'guides'), { recursive: true });
    writeFileSync(join(two, 'docs', 'guides', 'metrics.md'), '# Metrics\n\nText\n![grafana](images/grafana.png)\n');
    writeFileSync(join(two, 'docs', 'planner.md'), '# Planner\n');
    writeFileSync(
      join(two, 'docs', 'fake-sphinx.sh'),
      [
        'echo "Running Sphinx v8.1.3"',
        'echo "/workspace/docs/guides/metrics.md:4: WARNING: image file not found: guides/images/grafana.png [image.not_readable]"',
        'echo "/workspace/docs/planner.md: WARNING: document isn\'t included in any toctree [toc.not_included]"',
        // Dynamo runs Sphinx with -W: warnings fail the step (so Docker never caches a step with warnings)
        'echo "build finished with problems, 2 warnings (with warnings treated as errors)."',
        'exit 1',
        '',
      ].join('\n'),
    );
    writeFileSync(join(two, 'container', 'Dockerfile.docs'), `FROM ${process.env.DYNAMO_TEST_IMAGE || 'dynamo-dev-test-base:latest'}\nCOPY docs /workspace/docs\nRUN sh /workspace/docs/fake-sphinx.sh\n`);
    made.push(join(one, 'container'), join(two, 'dynamo_docker_builder.py'), join(two, 'container'), join(two, 'docs'));
    logs = mkdtempSync(join(tmpdir(), 'dyn-task-logs-'));
    await cfg().update('logFolder', logs, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await cfg().update('logFolder', undefined, vscode.ConfigurationTarget.Global);
    for (const p of made) rmSync(p, { recursive: true, force: true });
    rmSync(logs, { recursive: true, force: true });
    for (const t of vscode.window.terminals) t.dispose();
  });

  it('offers each checkout the tasks of its own builder, the docs build only where Dockerfile.docs exists, and a clean-up per running dev container', async () => {
    const all = await tasks();
    const cleanups = all.filter((t) => (t.definition as { task?: string }).task === 'cleanup').map((t) => t.name);
    const of = (folder: string) =>
      all.filter((t) => typeof t.scope === 'object' && t.scope.uri.fsPath === folder && !cleanups.includes(t.name)).map((t) => `${t.name} | ${t.detail?.split(' (nohup')[0] ?? ''}`);
    assert.deepEqual(of(one), [
      'Image sanity check (vllm) | container/build_images.py --sanity-check-only --framework vllm --run-no-matter-what',
      'Image sanity check (sglang) | container/build_images.py --sanity-check-only --framework sglang --run-no-matter-what',
      'Image sanity check (trtllm) | container/build_images.py --sanity-check-only --framework trtllm --run-no-matter-what',
      'Build all images (parallel) | container/build_images.py --reuse-dev-if-image-exists --parallel --run-no-matter-what',
    ]);
    const f = fixture().containers;
    assert.deepEqual(cleanups.sort(), [f.dynamo1.name, f.dynamo2.name, f.other.name].map((n) => `Clean up inference processes (${n})`).sort(), 'one per running dev container');
    const c1 = all.find((t) => t.name === `Clean up inference processes (${f.dynamo1.name})`)!;
    assert.equal(c1.detail, `Stops Dynamo inference processes (narrow patterns, ports 8000, 8081, 8082) in ${f.dynamo1.name}; nothing else`);
    assert.deepEqual(
      of(two).map((s) => s.split(' | ')[0]),
      ['Image sanity check (vllm)', 'Image sanity check (sglang)', 'Image sanity check (trtllm)', 'Build all images (parallel)', 'Docs build (Sphinx)'],
    );
    assert.match(of(two)[0]!, /dynamo_docker_builder\.py --sanity-check-only --framework vllm --force-run$/);
    assert.match(of(two)[3]!, /dynamo_docker_builder\.py --skip-build-if-image-exists --parallel --force-run$/);
    assert.ok(!all.some((t) => t.name.includes(f.stopped.name)), 'no clean-up for a stopped container');
  });

  it('runs a sanity check under nohup: output in the log file, exit code passed through', async () => {
    const code = await run(await find('Image sanity check (sglang)', one));
    assert.equal(code, 0);
    const dir = join(logs, 'dynamo1');
    const day = readdirSync(dir)[0]!;
    const file = readdirSync(join(dir, day)).find((f) => f.startsWith('sanity-sglang-'))!;
    assert.equal(readFileSync(join(dir, day, file), 'utf8'), 'builder args: --sanity-check-only --framework sglang --run-no-matter-what\nsanity check passed\n');
  });

  it('tasks.json definitions are resolved by the provider: a good one runs, a bad framework fails saying why', async () => {
    mkdirSync(join(two, '.vscode'), { recursive: true });
    made.push(join(two, '.vscode'));
    writeFileSync(
      join(two, '.vscode', 'tasks.json'),
      JSON.stringify({ version: '2.0.0', tasks: [ { type: 'dynamo', task: 'sanity-check', framework: 'trtllm', label: 'my trtllm check' }, { type: 'dynamo', task: 'sanity-check', framework: 'tensorflow', label: 'bad framework' } ] }, null, 2),
    );
    const configured = await waitFor(async () => {
      const all = await vscode.tasks.fetchTasks({ type: 'dynamo' });
      const mine = all.filter((t) => t.name === 'my trtllm check' || t.name === 'bad framework');
      return mine.length === 2 ? mine : null;
    }, 'the tasks.json tasks');
    const good = configured.find((t) => t.name === 'my trtllm check')!;
    assert.equal(await run(good), 0);
    const dir = join(logs, 'dynamo2');
    const day = readdirSync(dir)[0]!;
    const file = readdirSync(join(dir, day)).find((f) => f.startsWith('sanity-trtllm-'))!;
    assert.equal(readFileSync(join(dir, day, file), 'utf8'), 'builder args: --sanity-check-only --framework trtllm --force-run\nsanity check passed\n', 'the old builder\'s flags');
    assert.equal(await run(configured.find((t) => t.name === 'bad framework')!), 1);
  });

  it('the docs build runs docker build for real; Sphinx warnings become Problems on the checkout\'s files and fail the task', async () => {
    const code = await run(await find('Docs build (Sphinx)', two));
    const metrics = vscode.Uri.file(join(two, 'docs', 'guides', 'metrics.md'));
    const diags = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(metrics);
      return d.length > 0 ? d : null;
    }, 'the Sphinx warning in Problems', 60000);
    assert.equal(diags.length, 1);
    assert.equal(diags[0]!.range.start.line, 3, 'line 4 (0-based 3)');
    assert.equal(diags[0]!.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(diags[0]!.source, 'sphinx');
    assert.match(diags[0]!.message, /^image file not found: guides\/images\/grafana\.png/);
    const planner = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(vscode.Uri.file(join(two, 'docs', 'planner.md')));
      return d.length > 0 ? d : null;
    }, 'the file-level Sphinx warning in Problems', 60000);
    assert.equal(planner.length, 1);
    assert.equal(planner[0]!.range.start.line, 0, 'a file-level problem sits on the first line');
    assert.match(planner[0]!.message, /document isn't included in any toctree/);
    assert.equal(code, 1, 'warnings fail the docs check');
  });

  it('the clean-up task stops the fake Dynamo stack in the container and reports the ports free', async () => {
    const c = fixture().containers.dynamo1;
    const { execFileSync } = await import('node:child_process');
    const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', env: process.env });
    docker('exec', '-d', '-e', 'FAKE_DYNAMO_LOAD_MS=100', c.name, 'sh', '-c', 'cd /home/dynamo/utils && exec ./inference.sh --framework vllm > /tmp/inference-vllm.log 2>&1');
    await waitFor(() => /-m dynamo\.vllm/.test(docker('exec', c.name, 'sh', '-c', 'cat /proc/[0-9]*/cmdline 2>/dev/null | tr "\\0" " "')), 'the fake stack to run', 30000);
    const code = await run(await find(`Clean up inference processes (${c.name})`, one));
    assert.equal(code, 0);
    assert.doesNotMatch(docker('exec', c.name, 'sh', '-c', 'for f in /proc/[0-9]*/cmdline; do tr "\\0" " " < $f; echo; done 2>/dev/null'), /-m dynamo\.(frontend|vllm)/);
  });
});
