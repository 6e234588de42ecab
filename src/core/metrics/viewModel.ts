// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// The Compare panel's view model: everything the webview shows, computed and formatted here so the
// webview only renders. Plain data (it crosses postMessage).
import type { CaptureView, ChartView, CompareViewModel, RowGroup, RowView } from '../../shared/protocol';
import { cellDisplay, formatValue, ratioPhrase, type Comparison, type Row } from './compare';

function shortName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

function groupOf(id: string): RowGroup {
  if (id.startsWith('soak.')) return 'client';
  if (id.startsWith('throughput')) return 'throughput';
  if (id === 'promptTokens' || id === 'generationTokens' || id === 'requests') return 'tokens';
  if (id === 'kvCacheUsage' || id === 'prefixCacheHitRate') return 'cache';
  if (id.includes('.')) return 'latency';
  return 'overview';
}

function rowView(r: Row, baseline: number): RowView {
  return {
    id: r.id,
    label: r.label,
    group: groupOf(r.id),
    stat: r.stat ?? null,
    better: r.better,
    cells: r.cells.map((c, i) => ({
      text: cellDisplay(r, c),
      value: c.value,
      best: c.best,
      ratio: i === baseline || !r.better ? '' : ratioPhrase(r, c.ratioToBaseline),
      source: c.source ?? '',
    })),
  };
}

/** Charts: the server's latencies then its throughput, then the same from the client side (soak reports). */
const CHART_GROUPS = [
  { latency: ['e2e', 'ttft', 'itl', 'tpot'], throughput: 'throughput.computed' },
  { latency: ['soak.e2e', 'soak.ttft', 'soak.itl'], throughput: 'soak.outputTokensPerSecond' },
] as const;

export function buildViewModel(cmp: Comparison, unreadable: { file: string; reason: string }[] = []): CompareViewModel {
  const names = cmp.captures.map((c) => shortName(c.file));
  const captures: CaptureView[] = cmp.captures.map((c, i) => ({
    file: c.file,
    name: names.filter((n) => n === names[i]).length > 1 ? c.file : (names[i] ?? c.file),
    framework: c.framework,
    frameworkLabel: c.frameworkLabel,
    models: c.models,
    totalLines: c.totalLines,
    diagnostics: c.diagnostics.map((d) => ({ line: d.line, message: d.message })),
    warning: c.detection.conflict,
    soakProblem: c.soak && 'error' in c.soak ? { file: c.soak.file, reason: c.soak.error } : null,
  }));
  const rows = cmp.rows.map((r) => rowView(r, cmp.baseline));
  const label = (i: number) => `${cmp.captures[i]?.frameworkLabel ?? '?'}`;
  const charts: ChartView[] = [];
  for (const group of CHART_GROUPS) {
    for (const key of group.latency) {
      for (const stat of ['mean', 'p50', 'p90', 'p99'] as const) {
        const r = cmp.rows.find((x) => x.id === `${key}.${stat}`);
        if (!r || r.cells.every((c) => c.value === null)) continue;
        charts.push({
          id: r.id,
          title: r.label,
          stat,
          better: 'lower',
          bars: r.cells.map((c, i) => ({ label: label(i), value: c.value, text: formatValue(c.value, r.unit), best: c.best })),
        });
      }
    }
    const tput = cmp.rows.find((x) => x.id === group.throughput);
    if (tput && tput.cells.some((c) => c.value !== null)) {
      charts.push({
        id: tput.id,
        title: tput.label,
        stat: null,
        better: 'higher',
        bars: tput.cells.map((c, i) => ({ label: label(i), value: c.value, text: cellDisplay(tput, c), best: c.best })),
      });
    }
  }
  const byName = new Map<string, { name: string; type: string; help: string; presentIn: boolean[] }>();
  cmp.captures.forEach((c, i) => {
    for (const f of c.inventory) {
      let e = byName.get(f.name);
      if (!e) {
        e = { name: f.name, type: f.type, help: f.help, presentIn: cmp.captures.map(() => false) };
        byName.set(f.name, e);
      }
      e.presentIn[i] = true;
      if (!e.help && f.help) e.help = f.help;
    }
  });
  return {
    captures,
    baseline: cmp.baseline,
    rows,
    charts,
    findings: cmp.findings,
    inventory: { families: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)), counts: cmp.captures.map((c) => c.inventory.length) },
    unreadable,
  };
}
