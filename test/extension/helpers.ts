// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Shared by the extension-host tests: the extension under test, the Docker fixture runTests.mjs created
// (passed as JSON in $DYNAMO_TEST_FIXTURE), and polling.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContainersSnapshot } from '../../src/containers/containersTree';
import type { DynamoApi } from '../../src/extension';

export type { ContainersSnapshot, DynamoApi };
export type SnapshotGroup = ContainersSnapshot['groups'][number];
export type SnapshotContainer = SnapshotGroup['containers'][number];

export const EXTENSION_ID = 'dynamo-dev.dynamo-dev-tools';
export const CONTAINERS_VIEW = 'dynamo.views.containers';

export interface FixtureInfo {
  prefix: string;
  root: string;
  workspaceFolders: { name: string; path: string }[];
  containers: Record<'dynamo1' | 'dynamo2' | 'other' | 'stopped' | 'unrelated', { id: string; name: string; image: string }>;
}

let cachedFixture: FixtureInfo | undefined;

/** The Docker fixture the runner created for this run. */
export function fixture(): FixtureInfo {
  if (cachedFixture) return cachedFixture;
  const raw = process.env.DYNAMO_TEST_FIXTURE;
  if (!raw) throw new Error('DYNAMO_TEST_FIXTURE is not set: run these tests through test/extension/runTests.mjs');
  cachedFixture = JSON.parse(raw) as FixtureInfo;
  return cachedFixture;
}

export function extension(): vscode.Extension<DynamoApi> {
  const ext = vscode.extensions.getExtension<DynamoApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded in this extension host`);
  return ext;
}

export async function activate(): Promise<DynamoApi> {
  return extension().activate();
}

/** Polls `fn` until it returns something truthy; the error names `what` and the last value seen. */
export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 20000, intervalMs = 200): Promise<NonNullable<T>> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (e) {
      last = e instanceof Error ? `error: ${e.message}` : e;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${describe(last)})`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function describe(v: unknown): string {
  try {
    const s = typeof v === 'string' ? v : JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 400 ? s.slice(0, 400) + '…' : s;
  } catch (_e) {
    return String(v);
  }
}

/** Every container of the snapshot with the label of the group that holds it. */
export function containersOf(s: ContainersSnapshot): (SnapshotContainer & { group: string; groupKind: string })[] {
  return s.groups.flatMap((g) => g.containers.map((c) => ({ ...c, group: g.label, groupKind: g.kind })));
}

export function findContainer(s: ContainersSnapshot, name: string): (SnapshotContainer & { group: string; groupKind: string }) | undefined {
  return containersOf(s).find((c) => c.name === name);
}

/** A compact, readable form of a snapshot for assertion messages. */
export function summarize(s: ContainersSnapshot): string {
  return `${s.state}${s.error ? ` (${s.error})` : ''}: ` + s.groups.map((g) => `${g.label}[${g.containers.map((c) => `${c.name}:${c.state}`).join(', ')}]`).join(' ');
}

// ---------------------------------------------------------------------------------------------------
// Metrics (the Compare view)

export const METRICS_VIEW = 'dynamo.views.metrics';
export const COMPARE_VIEW_TYPE = 'dynamo.compare';

/** The repository root (runTests.mjs passes it; the compiled suite lives in out/test/extension/). */
export function repoRoot(): string {
  return process.env.DYNAMO_REPO_ROOT || path.resolve(__dirname, '..', '..', '..');
}

/** A real capture from test/fixtures/metrics/ (`ai-dynamo--<framework>-worker.prom`). */
export function realCapture(framework: 'vllm' | 'sglang' | 'trtllm'): string {
  return path.join(repoRoot(), 'test', 'fixtures', 'metrics', `ai-dynamo--${framework}-worker.prom`);
}

/** The open Compare webview tabs (the viewType carries a host prefix in some builds, hence endsWith). */
export function compareTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(COMPARE_VIEW_TYPE));
}

export async function closeCompareTabs(): Promise<void> {
  const tabs = compareTabs();
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
  await waitFor(() => compareTabs().length === 0, 'the Compare tabs to close', 10000);
}
