// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Builds three bundles: the extension (Node, CommonJS, `vscode` external), the webview (browser IIFE)
// and the CLI (Node, CommonJS, with a shebang). `--production` minifies, `--watch` rebuilds on change
// and prints the lines the `$esbuild-watch` problem matcher expects.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, chmodSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const require = createRequire(import.meta.url);

/** ssh2 (pulled in by dockerode) optionally loads native add-ons inside try/catch; we only use unix sockets and TCP. */
const nodeExternals = ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'];

/** @type {import('esbuild').Plugin} */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

/**
 * Heavy packages live in their own bundles under dist/vendor/ and are `require`d on first use, so the
 * extension's activation never parses them (the source uses `await import('dockerode')`,
 * `await import('undici')`).
 */
const vendors = { dockerode: 'dockerode', undici: 'undici' };
/** @type {import('esbuild').Plugin} */
const lazyVendors = {
  name: 'lazy-vendors',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(${Object.keys(vendors).join('|')})$`) }, (args) => ({ path: `./vendor/${vendors[args.path]}.js`, external: true }));
  },
};

/**
 * dockerode requires its BuildKit session support (gRPC + protobufjs, about half of its bundle) at load
 * time, for `buildImage` with BuildKit only, which this extension never calls. The vendor bundle gets a
 * stand-in that fails loudly if that path is ever taken.
 */
/** @type {import('esbuild').Plugin} */
const noBuildkitSession = {
  name: 'no-buildkit-session',
  setup(build) {
    build.onResolve({ filter: /^\.\/session$/ }, (args) => (/[\\/]dockerode[\\/]lib$/.test(args.resolveDir) ? { path: 'dockerode-session', namespace: 'stub' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: "module.exports = function withSession() { throw new Error('BuildKit sessions are not bundled with Dynamo Dev Tools'); };",
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [problemMatcher],
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', supported: { 'dynamic-import': false }, external: nodeExternals, plugins: [problemMatcher, lazyVendors] },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', supported: { 'dynamic-import': false }, external: nodeExternals, plugins: [problemMatcher, lazyVendors], banner: { js: '#!/usr/bin/env node' } },
  ...Object.entries(vendors).map(([pkg, name]) => ({ ...common, stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: '.', loader: 'js' }, outfile: `dist/vendor/${name}.js`, platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals, plugins: [problemMatcher, noBuildkitSession] })),
  { ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
];

function copyCodicons() {
  const css = require.resolve('@vscode/codicons/dist/codicon.css');
  mkdirSync('dist/codicons', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) cpSync(join(dirname(css), f), join('dist/codicons', f));
}

// A production build starts from an empty dist/, so no stale bundle or source map is packaged.
if (production) rmSync('dist', { recursive: true, force: true });
const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
copyCodicons();
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const results = await Promise.allSettled(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length > 0) process.exit(1);
  chmodSync('dist/cli.js', 0o755);
}
