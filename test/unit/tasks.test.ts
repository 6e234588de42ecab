// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builderArgs, defaultLogRoot, detectBuilder, logPathFor, NOHUP_RUNNER } from '../../src/core/tasks/builders';
import { docsVerdict, parseSphinxLine, rewriteContainerPath, SPHINX_FILE_SOURCE, SPHINX_LINE_SOURCE } from '../../src/core/tasks/sphinx';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

describe('image builders: which one a checkout has, and its flags', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'dyn-builders-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('detects container/build_images.py first, then dynamo_docker_builder.py, else none', async () => {
    assert.equal(await detectBuilder(root), null);
    writeFileSync(join(root, 'dynamo_docker_builder.py'), '');
    assert.deepEqual(await detectBuilder(root), { kind: 'dynamo_docker_builder', script: 'dynamo_docker_builder.py' });
    mkdirSync(join(root, 'container'));
    writeFileSync(join(root, 'container', 'build_images.py'), '');
    assert.deepEqual(await detectBuilder(root), { kind: 'build_images', script: 'container/build_images.py' });
  });

  it('uses each builder\'s own flags for the sanity check and the full build', () => {
    assert.deepEqual(builderArgs('build_images', 'sanity-check', { framework: 'sglang' }), ['--sanity-check-only', '--framework', 'sglang', '--run-no-matter-what']);
    assert.deepEqual(builderArgs('dynamo_docker_builder', 'sanity-check', { framework: 'sglang' }), ['--sanity-check-only', '--framework', 'sglang', '--force-run']);
    assert.deepEqual(builderArgs('build_images', 'build-all'), ['--reuse-dev-if-image-exists', '--parallel', '--run-no-matter-what']);
    assert.deepEqual(builderArgs('dynamo_docker_builder', 'build-all', { email: ' me@nvidia.com ' }), ['--skip-build-if-image-exists', '--parallel', '--force-run', '--email', 'me@nvidia.com']);
    assert.deepEqual(builderArgs('build_images', 'sanity-check', { framework: 'none' }), ['--sanity-check-only', '--framework', 'none', '--run-no-matter-what']);
  });

  it('refuses a framework or an e-mail address it cannot pass on', () => {
    assert.throws(() => builderArgs('dynamo_docker_builder', 'sanity-check', { framework: 'none' }), /"none" is not a framework for a sanity check: use vllm, sglang, trtllm$/);
    assert.throws(() => builderArgs('build_images', 'sanity-check', { framework: 'vllm; rm -rf ~' }), /is not a framework/);
    assert.throws(() => builderArgs('build_images', 'build-all', { email: 'x@y --no-checkout' }), /is not an e-mail address/);
  });

  it('logs under XDG_STATE_HOME (else ~/.local/state), per checkout and day, with safe names', () => {
    assert.equal(defaultLogRoot({ XDG_STATE_HOME: '/s' }, '/home/u'), '/s/dynamo-dev/logs');
    assert.equal(defaultLogRoot({ XDG_STATE_HOME: 'relative' }, '/home/u'), '/home/u/.local/state/dynamo-dev/logs');
    assert.equal(logPathFor('/l', 'dynamo1', 'sanity-vllm', new Date(2026, 10, 27, 9, 5, 7)), '/l/dynamo1/2026-11-27/sanity-vllm-090507.log');
    assert.equal(logPathFor('/l', '../etc', 'a b/c', new Date(2026, 0, 1)), '/l/__etc/2026-01-01/a_b_c-000000.log');
  });

  it('the nohup runner passes every value as an argument, logs all output, follows it and returns the exit code', () => {
    const log = join(root, 'logs', 'x.log');
    const canary = join(root, 'canary');
    const out = execFileSync('sh', ['-c', `${NOHUP_RUNNER}`, 'dynamo-dev', log, 'sh', '-c', 'echo "arg=$1"; echo err >&2', 'sh', `$(touch ${canary}); "quoted"`], { encoding: 'utf8' });
    assert.match(out, /^Started \(PID \d+\): sh -c /);
    assert.match(out, new RegExp(`Log: ${log.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(out, /arg=\$\(touch .*canary\); "quoted"/);
    assert.match(out, /Exit code 0\./);
    assert.equal(readFileSync(log, 'utf8'), `arg=$(touch ${canary}); "quoted"\nerr\n`);
    assert.throws(() => readFileSync(canary), /ENOENT/, 'nothing was run from a value');
    assert.throws(() => execFileSync('sh', ['-c', NOHUP_RUNNER, 'dynamo-dev', join(root, 'logs', 'y.log'), 'sh', '-c', 'exit 7'], { encoding: 'utf8' }), (e: { status?: number }) => e.status === 7);
    // an existing log is never overwritten (two runs in the same second): refused, nothing started
    const before = readFileSync(log, 'utf8');
    assert.throws(() => execFileSync('sh', ['-c', NOHUP_RUNNER, 'dynamo-dev', log, 'sh', '-c', `touch ${canary}`], { encoding: 'utf8' }), (e: { status?: number; stdout?: string }) => e.status === 1 && /exists already: not overwriting it/.test(e.stdout ?? ''));
    assert.equal(readFileSync(log, 'utf8'), before);
    assert.throws(() => readFileSync(canary), /ENOENT/);
  });
});

describe('the nohup build runner when its terminal goes away', () => {
  it('the build keeps running and finishes its log after the runner\'s whole process group is killed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dyn-nohup-'));
    try {
      const log = join(root, 'build.log');
      const { spawn } = await import('node:child_process');
      // the runner as a task terminal starts it: its own process group, which closing the terminal signals
      const runner = spawn('sh', ['-c', NOHUP_RUNNER, 'dynamo-dev', log, 'sh', '-c', 'echo started; sleep 1; echo finished'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      runner.stdout.on('data', (d: Buffer) => (out += d.toString()));
      for (let i = 0; i < 100 && !out.includes('started'); i++) await new Promise((r) => setTimeout(r, 20));
      assert.match(out, /started/, 'the runner followed the log');
      process.kill(-runner.pid!, 'SIGHUP');
      process.kill(-runner.pid!, 'SIGKILL');
      await new Promise((r) => runner.once('close', r));
      for (let i = 0; i < 150 && !readFileSync(log, 'utf8').includes('finished'); i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(readFileSync(log, 'utf8'), 'started\nfinished\n', 'the build outlived its terminal');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('Sphinx problems of the docs image build', () => {
  // Lines as Sphinx prints them in the docs image (paths in the container), incl. the kinds the notes name.
  const lines = {
    lexing: '/workspace/docs/guides/kv_cache.md:42: WARNING: Lexing literal_block \'{"a": 1,}\' as "json" resulted in an error at token: \'}\'. Retrying in relaxed mode. [misc.highlighting_failure]',
    toctree: "/workspace/docs/architecture/planner.md: WARNING: document isn't included in any toctree [toc.not_included]",
    image: '/workspace/docs/guides/metrics.md:10: WARNING: image file not found: guides/images/grafana.png [image.not_readable]',
    docstring: '/workspace/lib/bindings/python/src/dynamo/_core.pyi:docstring of dynamo._core.Client:3: WARNING: Unexpected indentation. [docutils]',
    error: '/workspace/docs/index.rst:25: ERROR: Unknown directive type "foo".',
    buildkit: '#12 45.67 /workspace/docs/guides/kv_cache.md:7: WARNING: undefined label: \'missing\'',
  };

  it('finds file, line, severity and message', () => {
    assert.deepEqual(parseSphinxLine(lines.lexing), { file: '/workspace/docs/guides/kv_cache.md', line: 42, severity: 'warning', message: lines.lexing.split(': WARNING: ')[1] });
    assert.deepEqual(parseSphinxLine(lines.toctree), { file: '/workspace/docs/architecture/planner.md', line: null, severity: 'warning', message: "document isn't included in any toctree [toc.not_included]" });
    assert.deepEqual(parseSphinxLine(lines.image)?.line, 10);
    assert.deepEqual(parseSphinxLine(lines.docstring), { file: '/workspace/lib/bindings/python/src/dynamo/_core.pyi', line: 3, severity: 'warning', message: 'Unexpected indentation. [docutils]' });
    assert.deepEqual(parseSphinxLine(lines.error), { file: '/workspace/docs/index.rst', line: 25, severity: 'error', message: 'Unknown directive type "foo".' });
    assert.deepEqual(parseSphinxLine(lines.buildkit)?.file, '/workspace/docs/guides/kv_cache.md');
  });

  it('does not take other build output for a problem', () => {
    for (const l of ['build succeeded, 2 warnings.', "WARNING: html_static_path entry '_static' does not exist", 'Step 4/5 : RUN uv run docs/generate_docs.py', '#12 45.67 writing output... [ 50%] index', 'Warning, treated as error:', '0 warnings', ' ---> Running in 1f2e3d']) {
      assert.equal(parseSphinxLine(l), null, l);
    }
  });

  it('package.json\'s problem matchers use exactly these patterns, and match the same lines', () => {
    const [withLine, fileOnly] = pkg.contributes.problemMatchers as { name: string; pattern: { regexp: string; file: number; line?: number; kind?: string } }[];
    assert.equal(withLine!.pattern.regexp, SPHINX_LINE_SOURCE);
    assert.equal(fileOnly!.pattern.regexp, SPHINX_FILE_SOURCE);
    assert.equal(fileOnly!.pattern.kind, 'file');
    const m = new RegExp(withLine!.pattern.regexp).exec(lines.image)!;
    assert.equal(m[withLine!.pattern.file], '/workspace/docs/guides/metrics.md');
    assert.equal(m[withLine!.pattern.line!], '10');
    assert.equal(new RegExp(fileOnly!.pattern.regexp).exec(lines.toctree)![fileOnly!.pattern.file], '/workspace/docs/architecture/planner.md');
  });

  it('rewrites container paths to the checkout so Problems open the right file', () => {
    assert.equal(rewriteContainerPath(lines.buildkit, '/workspace', '/home/u/dynamo1'), "#12 45.67 /home/u/dynamo1/docs/guides/kv_cache.md:7: WARNING: undefined label: 'missing'");
    assert.equal(rewriteContainerPath(lines.toctree, '/workspace/', '/h/d/'), "/h/d/docs/architecture/planner.md: WARNING: document isn't included in any toctree [toc.not_included]");
    assert.equal(rewriteContainerPath('/other/x.md:1: WARNING: y', '/workspace', '/h'), '/other/x.md:1: WARNING: y');
    assert.equal(rewriteContainerPath('plain output', '/workspace', '/h'), 'plain output');
  });

  it('passes only with exit 0, "build succeeded" and no warnings', () => {
    assert.equal(docsVerdict(['build succeeded.'], 0).ok, true);
    const warned = docsVerdict([lines.lexing, lines.toctree, 'build succeeded, 2 warnings.'], 0);
    assert.deepEqual([warned.ok, warned.warnings, warned.succeeded], [false, 2, true]);
    assert.match(warned.summary, /not clean: 2 warnings, 0 errors/);
    const strict = docsVerdict(['Warning, treated as error:', lines.image], 2);
    assert.deepEqual([strict.ok, strict.warnings], [false, 1]);
    assert.match(strict.summary, /^Docs build failed \(exit code 2; 1 warning, 0 errors\)/);
    assert.equal(docsVerdict(['done'], 0).ok, false);
  });

  it('a docs step Docker took from its cache (nothing changed) passes and says why Sphinx printed nothing', () => {
    for (const cachedLine of [' ---> Using cache', '#9 CACHED']) {
      const v = docsVerdict(['Step 3/3 : RUN uv run docs/generate_docs.py', cachedLine, 'Successfully built 1f2e3d4c5b6a'], 0);
      assert.deepEqual([v.ok, v.cached], [true, true], cachedLine);
      assert.match(v.summary, /^Docs unchanged since the last build that passed .*--no-cache/);
    }
    // a cache hit on an earlier layer while Sphinx ran and warned is still a failure
    const v = docsVerdict([' ---> Using cache', 'Running Sphinx v8.1.3', '/h/docs/a.md:1: WARNING: x', 'build succeeded, 1 warning.'], 0);
    assert.deepEqual([v.ok, v.cached, v.warnings], [false, false, 1]);
  });
});
