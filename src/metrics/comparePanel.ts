// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { soakReportPathFor } from '../core/inference/soakReport';
import { summarize, withSoak, type CaptureSummary } from '../core/metrics/capture';
import { compareCaptures } from '../core/metrics/compare';
import { comparisonToJson, toCsv, toMarkdown } from '../core/metrics/exports';
import { parseExposition } from '../core/metrics/parser';
import { loadSoakReport, SOAK_REPORT_MAX_BYTES, type SoakAttachment } from '../core/metrics/soak';
import { buildViewModel } from '../core/metrics/viewModel';
import { writeFileAtomic } from '../core/util/atomicWrite';
import type { Logger } from '../core/util/logger';
import { parseWebviewMessage, type CompareViewModel, type ComparePanelState, type ExportFormat, type HostToWebview, type Stat } from '../shared/protocol';

export const COMPARE_VIEW_TYPE = 'dynamo.compare';

const isNotFound = (e: unknown) => ['FileNotFound', 'EntryNotFound'].includes((e as { code?: string }).code ?? '');

/** The soak report beside a capture (`metrics-vllm.log` → `metrics-vllm.soak.json`), through the workspace file system. */
async function soakBeside(uri: vscode.Uri, file: string): Promise<SoakAttachment | null> {
  const soakUri = uri.with({ path: soakReportPathFor(uri.path) });
  const captureMtime = await vscode.workspace.fs.stat(uri).then(
    (st) => st.mtime,
    () => undefined,
  );
  let reportMtime: number | undefined;
  return loadSoakReport(
    file,
    async () => {
      try {
        const st = await vscode.workspace.fs.stat(soakUri);
        reportMtime = st.mtime;
        if (st.type & vscode.FileType.Directory) throw new Error('is a directory');
        if (st.size > SOAK_REPORT_MAX_BYTES) throw new Error(`is ${Math.round(st.size / 1048576)} MB; soak reports over ${SOAK_REPORT_MAX_BYTES / 1048576} MB are not read`);
        return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(soakUri));
      } catch (e) {
        if (isNotFound(e)) return null;
        throw e;
      }
    },
    () => (captureMtime !== undefined && reportMtime !== undefined ? { captureMs: captureMtime, reportMs: reportMtime } : undefined),
  );
}

/**
 * Reads and summarises captures, each with the soak report beside it when there is one; files that
 * cannot be read are reported, not fatal (a soak report that cannot be used is carried on its capture).
 */
export async function loadCaptures(files: readonly vscode.Uri[]): Promise<{ captures: CaptureSummary[]; uris: vscode.Uri[]; unreadable: { file: string; reason: string }[] }> {
  const captures: CaptureSummary[] = [];
  const uris: vscode.Uri[] = [];
  const unreadable: { file: string; reason: string }[] = [];
  const decoder = new TextDecoder('utf-8');
  const fileOf = (uri: vscode.Uri) => (uri.scheme === 'file' ? uri.fsPath : uri.toString());
  const [results, soaks] = await Promise.all([Promise.allSettled(files.map((f) => vscode.workspace.fs.readFile(f))), Promise.all(files.map((f) => soakBeside(f, fileOf(f))))]);
  results.forEach((r, i) => {
    const uri = files[i] as vscode.Uri;
    const file = fileOf(uri);
    if (r.status === 'rejected') {
      const e = r.reason as { code?: string; message?: string };
      unreadable.push({ file, reason: isNotFound(e) ? 'no such file' : (e.message ?? String(r.reason)) });
      return;
    }
    captures.push(withSoak(summarize(parseExposition(decoder.decode(r.value)), file), soaks[i]));
    uris.push(uri);
  });
  return { captures, uris, unreadable };
}

function nonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

/** One comparison webview. Open with {@link ComparePanel.open}; revived by the serializer after a reload. */
export class ComparePanel implements vscode.Disposable {
  static readonly panels = new Set<ComparePanel>();
  private static readonly stateChanged = new vscode.EventEmitter<void>();
  /** Fires when a panel opens, closes, or changes what it shows (files, baseline, statistic). */
  static readonly onDidChangeState = ComparePanel.stateChanged.event;
  private readonly paintedEmitter = new vscode.EventEmitter<{ rows: number; ms: number }>();
  /** Fires each time the webview has painted a model (rows shown, ms since the last load started). */
  readonly onDidPaint = this.paintedEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private watchers: vscode.Disposable[] = [];
  private ready = false;
  private pending: HostToWebview | undefined;
  private captures: CaptureSummary[] = [];
  private uris: vscode.Uri[] = [];
  private model: CompareViewModel | undefined;
  private loadStarted = 0;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private baseline: number;
  private stat: Stat;

  static async open(extensionUri: vscode.Uri, files: vscode.Uri[], log: Logger): Promise<ComparePanel> {
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, 'Metrics Comparison', vscode.ViewColumn.Active, ComparePanel.options(extensionUri));
    const p = new ComparePanel(panel, extensionUri, files, { baseline: 0, stat: 'mean' }, log);
    await p.load();
    return p;
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: ComparePanelState, log: Logger): ComparePanel {
    panel.webview.options = ComparePanel.options(extensionUri);
    const p = new ComparePanel(panel, extensionUri, state.files.map((f) => (/^[a-z][\w+.-]*:\/\//i.test(f) ? vscode.Uri.parse(f) : vscode.Uri.file(f))), state, log);
    void p.load();
    return p;
  }

  static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private files: vscode.Uri[],
    state: { baseline: number; stat: Stat },
    private readonly log: Logger,
  ) {
    this.baseline = state.baseline;
    this.stat = state.stat;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'dynamo.svg');
    panel.webview.html = this.html();
    ComparePanel.panels.add(this);
    this.disposables.push(
      this.paintedEmitter,
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
    );
  }

  get currentModel(): CompareViewModel | undefined {
    return this.model;
  }

  get compared(): readonly vscode.Uri[] {
    return this.files;
  }

  /** What a restore needs (the same shape the webview persists). */
  get state(): ComparePanelState {
    return { files: this.files.map((u) => (u.scheme === 'file' ? u.fsPath : u.toString())), baseline: this.baseline, stat: this.stat };
  }

  private html(): string {
    const w = this.panel.webview;
    const n = nonce();
    const asset = (...p: string[]) => w.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...p)).toString();
    const csp = [`default-src 'none'`, `script-src 'nonce-${n}'`, `style-src ${w.cspSource}`, `font-src ${w.cspSource}`, `img-src ${w.cspSource}`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}">
<link rel="stylesheet" href="${asset('media', 'compare.css')}">
<title>Metrics Comparison</title>
</head>
<body>
<div id="notice" role="status" aria-live="polite"></div>
<main id="root"><p>Reading the captures…</p></main>
<script nonce="${n}" src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
  }

  private post(msg: HostToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(msg);
    else this.pending = msg;
  }

  /** (Re)reads every compared file and sends a fresh model. */
  async load(): Promise<void> {
    this.loadStarted = Date.now();
    const { captures, uris, unreadable } = await loadCaptures(this.files);
    this.captures = captures;
    this.uris = uris;
    this.baseline = Math.min(this.baseline, Math.max(0, captures.length - 1));
    this.panel.title = captures.length > 0 ? `Compare: ${captures.map((c) => c.frameworkLabel).join(' · ')}` : 'Metrics Comparison';
    this.render(unreadable);
    this.watch();
    ComparePanel.stateChanged.fire();
  }

  private render(unreadable: { file: string; reason: string }[] = this.model?.unreadable ?? []): void {
    this.model = buildViewModel(compareCaptures(this.captures, { baseline: this.baseline }), unreadable);
    this.post({ type: 'model', model: this.model });
  }

  private watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    const changed = () => {
      if (this.reloadTimer) clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => void this.load(), 300);
    };
    for (const uri of this.files) {
      const dir = vscode.Uri.joinPath(uri, '..');
      const name = uri.path.split('/').pop() ?? '';
      // The capture, and the soak report beside it (written, rewritten or removed by Collect Metrics).
      for (const pattern of [name, soakReportPathFor(name)]) {
        const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, pattern));
        this.watchers.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed));
      }
    }
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parseWebviewMessage(raw);
    if (!m) {
      this.log.warn(`Compare panel: ignored an unexpected message ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    switch (m.type) {
      case 'ready':
        this.ready = true;
        if (this.pending) {
          void this.panel.webview.postMessage(this.pending);
          this.pending = undefined;
        }
        return;
      case 'setBaseline':
        if (m.index < this.captures.length) {
          this.baseline = m.index;
          this.render();
          ComparePanel.stateChanged.fire();
        }
        return;
      case 'viewState':
        this.stat = m.stat;
        ComparePanel.stateChanged.fire();
        return;
      case 'openFile': {
        const uri = this.uris[m.index];
        if (uri) await vscode.window.showTextDocument(uri, { preview: true, viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case 'painted':
        this.paintedEmitter.fire({ rows: m.rows, ms: Date.now() - this.loadStarted });
        return;
      case 'export':
        await this.export(m.format, m.stat);
        return;
    }
  }

  async export(format: ExportFormat, stat: Stat = this.stat): Promise<void> {
    const cmp = compareCaptures(this.captures, { baseline: this.baseline });
    if (format === 'markdown') {
      await vscode.env.clipboard.writeText(toMarkdown(cmp, stat));
      this.post({ type: 'notice', text: 'Markdown table copied to the clipboard.' });
      vscode.window.setStatusBarMessage('Dynamo: comparison copied as Markdown', 4000);
      return;
    }
    const first = this.uris[0];
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    const defaultUri = first ? vscode.Uri.joinPath(first, '..', `metrics-comparison-${stamp}.${format}`) : undefined;
    const target = await vscode.window.showSaveDialog({ defaultUri, filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] }, saveLabel: `Save ${format.toUpperCase()}` });
    if (!target) return;
    const text = format === 'csv' ? toCsv(cmp) : JSON.stringify(comparisonToJson(cmp), null, 2) + '\n';
    if (target.scheme === 'file') {
      const backup = await writeFileAtomic(target.fsPath, text);
      this.post({ type: 'notice', text: `Saved ${target.fsPath}${backup ? ` (the previous file is kept as ${backup})` : ''}.` });
    } else {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
      this.post({ type: 'notice', text: `Saved ${target.toString()}.` });
    }
  }

  async setBaseline(index: number): Promise<void> {
    await this.onMessage({ type: 'setBaseline', index });
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    ComparePanel.panels.delete(this);
    ComparePanel.stateChanged.fire();
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    for (const w of this.watchers) w.dispose();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
