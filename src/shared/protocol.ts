// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// Messages between the extension host and the Compare webview, declared once for both sides. The webview
// only renders the view model the host computed with the core; it imports neither `vscode` nor Node.

export type Stat = 'mean' | 'p50' | 'p90' | 'p99';
/** `client`: the client-side rows from a soak report beside the capture (`soak.*` ids). */
export type RowGroup = 'overview' | 'latency' | 'tokens' | 'throughput' | 'cache' | 'client';

export interface CellView {
  /** Display text, e.g. "34.0ms", "≈347 tok/s", "N/A", "19/20", "builtin" (may come from a file: render as text). */
  text: string;
  value: number | null;
  best: boolean;
  /** e.g. "6.1× faster" against the baseline; '' for the baseline itself or when not comparable. */
  ratio: string;
  /** Where the number came from (metric name). */
  source: string;
}

export interface RowView {
  id: string;
  label: string;
  group: RowGroup;
  /** Set on latency rows: the statistic this row shows (the panel shows one statistic at a time). */
  stat: Stat | null;
  better: 'lower' | 'higher' | null;
  cells: CellView[];
}

export interface CaptureView {
  file: string;
  /** Short name for column headers. */
  name: string;
  framework: string;
  frameworkLabel: string;
  models: string[];
  totalLines: number;
  diagnostics: { line: number; message: string }[];
  /** Why the framework may be doubtful (file name and content disagree), or null. */
  warning: string | null;
  /** The soak report beside the capture that could not be used (unreadable, not JSON, not a report), or null. */
  soakProblem: { file: string; reason: string } | null;
}

export interface ChartView {
  id: string;
  title: string;
  stat: Stat | null;
  better: 'lower' | 'higher';
  bars: { label: string; value: number | null; text: string; best: boolean }[];
}

export interface InventoryView {
  /** One entry per family name seen in any capture, sorted by name. */
  families: { name: string; type: string; help: string; presentIn: boolean[] }[];
  /** Per capture: number of families. */
  counts: number[];
}

export interface CompareViewModel {
  captures: CaptureView[];
  baseline: number;
  rows: RowView[];
  charts: ChartView[];
  findings: string[];
  inventory: InventoryView;
  /** Files that could not be read (missing, unreadable), with the reason; the others are still compared. */
  unreadable: { file: string; reason: string }[];
}

export type ExportFormat = 'markdown' | 'csv' | 'json';

export type HostToWebview = { type: 'model'; model: CompareViewModel } | { type: 'notice'; text: string };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'setBaseline'; index: number }
  | { type: 'export'; format: ExportFormat; stat: Stat }
  | { type: 'openFile'; index: number }
  | { type: 'painted'; rows: number }
  | { type: 'viewState'; stat: Stat };

/** What the panel persists for a window reload (webview state and serializer). */
export interface ComparePanelState {
  files: string[];
  baseline: number;
  stat: Stat;
}

const STATS: readonly string[] = ['mean', 'p50', 'p90', 'p99'];

/** Validates a message from the webview: the webview is untrusted input to the host. */
export function parseWebviewMessage(m: unknown): WebviewToHost | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'ready':
      return { type: 'ready' };
    case 'setBaseline':
    case 'openFile':
      return Number.isInteger(o.index) && (o.index as number) >= 0 ? { type: o.type, index: o.index as number } : undefined;
    case 'export':
      return (o.format === 'markdown' || o.format === 'csv' || o.format === 'json') && STATS.includes(o.stat as string) ? { type: 'export', format: o.format, stat: o.stat as Stat } : undefined;
    case 'painted':
      return typeof o.rows === 'number' ? { type: 'painted', rows: o.rows } : undefined;
    case 'viewState':
      return STATS.includes(o.stat as string) ? { type: 'viewState', stat: o.stat as Stat } : undefined;
    default:
      return undefined;
  }
}

export function isPanelState(s: unknown): s is ComparePanelState {
  if (typeof s !== 'object' || s === null) return false;
  const o = s as Record<string, unknown>;
  return Array.isArray(o.files) && o.files.every((f) => typeof f === 'string') && typeof o.baseline === 'number' && STATS.includes(o.stat as string);
}
