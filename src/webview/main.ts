// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// The Compare webview. It renders the view model the extension host computed and posts typed messages
// back. Every datum reaches the DOM through textContent or an attribute, never as HTML.
import type { ChartView, CompareViewModel, ComparePanelState, HostToWebview, RowView, Stat, WebviewToHost } from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: ComparePanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const STATS: Stat[] = ['mean', 'p50', 'p90', 'p99'];
const GROUP_LABELS: Record<string, string> = { overview: 'Capture', tokens: 'Requests and tokens', latency: 'Latency', throughput: 'Throughput', cache: 'Cache', client: 'Client-side (soak)' };

let model: CompareViewModel | undefined;
const saved = vscode.getState() as Partial<ComparePanelState> | undefined;
let stat: Stat = saved?.stat && STATS.includes(saved.stat) ? saved.stat : 'mean';
let inventoryFilter = '';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

function icon(name: string): HTMLElement {
  return el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

function button(label: string, iconName: string, onClick: () => void, id: string): HTMLButtonElement {
  const b = el('button', { type: 'button', id, title: label }, icon(iconName), el('span', {}, label));
  b.addEventListener('click', onClick);
  return b;
}

function persist(): void {
  if (!model) return;
  vscode.setState({ files: [...model.captures.map((c) => c.file), ...model.unreadable.map((u) => u.file)], baseline: model.baseline, stat });
}

function toolbar(m: CompareViewModel): HTMLElement {
  const select = el('select', { id: 'baseline', 'aria-label': 'Baseline capture' });
  m.captures.forEach((c, i) => {
    const o = el('option', { value: String(i) }, `${c.frameworkLabel} — ${c.name}`);
    if (i === m.baseline) o.selected = true;
    select.append(o);
  });
  select.addEventListener('change', () => vscode.postMessage({ type: 'setBaseline', index: Number(select.value) }));

  const stats = el('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'Latency statistic' });
  for (const s of STATS) {
    const id = `stat-${s}`;
    const input = el('input', { type: 'radio', name: 'stat', id, value: s });
    if (s === stat) input.checked = true;
    input.addEventListener('change', () => {
      stat = s;
      persist();
      vscode.postMessage({ type: 'viewState', stat });
      render();
    });
    stats.append(input, el('label', { for: id }, s));
  }
  return el(
    'div',
    { class: 'toolbar' },
    el('label', { for: 'baseline' }, 'Baseline'),
    select,
    stats,
    el('span', { class: 'spacer' }),
    button('Copy Markdown', 'copy', () => vscode.postMessage({ type: 'export', format: 'markdown', stat }), 'export-markdown'),
    button('Save CSV', 'save', () => vscode.postMessage({ type: 'export', format: 'csv', stat }), 'export-csv'),
    button('Save JSON', 'json', () => vscode.postMessage({ type: 'export', format: 'json', stat }), 'export-json'),
  );
}

function visibleRows(m: CompareViewModel): RowView[] {
  return m.rows.filter((r) => r.stat === null || r.stat === stat);
}

function table(m: CompareViewModel): HTMLElement {
  const head = el('tr', {}, el('th', { scope: 'col' }, 'Metric'));
  m.captures.forEach((c, i) => {
    const open = el('button', { type: 'button', class: 'link', title: `Open ${c.file}`, 'data-index': String(i) }, c.name);
    open.addEventListener('click', () => vscode.postMessage({ type: 'openFile', index: i }));
    const th = el('th', { scope: 'col', 'data-framework': c.framework }, el('div', { class: 'fw' }, c.frameworkLabel, i === m.baseline ? el('span', { class: 'badge' }, 'baseline') : ''), open);
    if (c.models.length > 0) th.append(el('div', { class: 'models' }, c.models.join(', ')));
    if (c.warning) th.append(el('div', { class: 'warning' }, icon('warning'), ` ${c.warning}`));
    head.append(th);
  });
  const tbody = el('tbody');
  let group = '';
  for (const r of visibleRows(m)) {
    if (r.group !== group) {
      group = r.group;
      tbody.append(el('tr', { class: 'group' }, el('th', { scope: 'colgroup', colspan: String(m.captures.length + 1) }, GROUP_LABELS[group] ?? group)));
    }
    const tr = el('tr', { 'data-row': r.id }, el('th', { scope: 'row' }, r.label));
    r.cells.forEach((c) => {
      const td = el('td', { class: c.best ? 'best' : '' }, el('span', { class: 'value' }, c.text));
      if (c.source) td.title = c.source;
      if (c.best) td.append(' ', icon('star-full'), el('span', { class: 'sr-only' }, '(best)'));
      if (c.ratio) td.append(el('div', { class: 'ratio' }, c.ratio));
      tr.append(td);
    });
    tbody.append(tr);
  }
  return el('table', { id: 'comparison' }, el('caption', {}, `Comparison (${stat === 'mean' ? 'means' : stat}; ratios against ${m.captures[m.baseline]?.frameworkLabel ?? 'the baseline'})`), el('thead', {}, head), tbody);
}

const SVG = 'http://www.w3.org/2000/svg';
function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function chart(c: ChartView): HTMLElement {
  const labelW = 130;
  const barW = 260;
  const textW = 90;
  const rowH = 22;
  const h = c.bars.length * rowH + 6;
  const max = Math.max(...c.bars.map((b) => b.value ?? 0), 0);
  const root = svg('svg', { width: labelW + barW + textW, height: h, role: 'img', 'aria-label': `${c.title}: ${c.bars.map((b) => `${b.label} ${b.text}`).join(', ')}` });
  c.bars.forEach((b, i) => {
    const y = i * rowH + 3;
    const name = svg('text', { x: 0, y: y + 14, class: 'bar-label' });
    name.textContent = b.label;
    const w = max > 0 && b.value !== null ? Math.max(1, (b.value / max) * barW) : 0;
    const rect = svg('rect', { x: labelW, y, width: w, height: rowH - 6, class: b.best ? 'bar best' : 'bar' });
    const value = svg('text', { x: labelW + w + 6, y: y + 14, class: 'bar-value' });
    value.textContent = b.text;
    root.append(name, rect, value);
  });
  return el('figure', { class: 'chart', 'data-chart': c.id }, el('figcaption', {}, `${c.title}${c.better === 'lower' ? ' — lower is better' : ' — higher is better'}`), root as unknown as Node);
}

function inventory(m: CompareViewModel): HTMLElement {
  const search = el('input', { type: 'search', id: 'inventory-filter', placeholder: 'Filter metrics by name or description', 'aria-label': 'Filter metrics', value: inventoryFilter });
  const head = el('tr', {}, el('th', { scope: 'col' }, 'Metric family'), el('th', { scope: 'col' }, 'Type'));
  m.captures.forEach((c, i) => head.append(el('th', { scope: 'col' }, `${c.frameworkLabel} (${m.inventory.counts[i] ?? 0})`)));
  const body = el('tbody');
  const fill = () => {
    body.replaceChildren();
    const q = inventoryFilter.toLowerCase();
    let shown = 0;
    for (const f of m.inventory.families) {
      if (q && !f.name.toLowerCase().includes(q) && !f.help.toLowerCase().includes(q)) continue;
      shown++;
      const tr = el('tr', {}, el('th', { scope: 'row', title: f.help }, f.name), el('td', {}, f.type));
      for (const p of f.presentIn) tr.append(el('td', { class: p ? 'yes' : 'no' }, p ? icon('check') : icon('dash'), el('span', { class: 'sr-only' }, p ? 'present' : 'absent')));
      body.append(tr);
    }
    count.textContent = `${shown} of ${m.inventory.families.length} families`;
  };
  const count = el('span', { class: 'count', 'aria-live': 'polite' });
  search.addEventListener('input', () => {
    inventoryFilter = search.value;
    fill();
  });
  fill();
  return el('section', { id: 'inventory' }, el('h2', {}, 'Metric inventory'), el('div', { class: 'toolbar' }, search, count), el('table', {}, el('thead', {}, head), body));
}

function diagnostics(m: CompareViewModel): HTMLElement | null {
  const bad = m.captures.filter((c) => c.diagnostics.length > 0);
  const soak = m.captures.flatMap((c) => (c.soakProblem ? [c.soakProblem] : []));
  if (bad.length === 0 && m.unreadable.length === 0 && soak.length === 0) return null;
  const section = el('section', { id: 'diagnostics' }, el('h2', {}, 'Problems in the captures'));
  for (const u of m.unreadable) section.append(el('p', { class: 'error' }, icon('error'), ` ${u.file}: ${u.reason}`));
  for (const s of soak) section.append(el('p', { class: 'error soak-problem' }, icon('error'), ` ${s.file}: ${s.reason} (no client-side figures from it)`));
  for (const c of bad) {
    const list = el('ul');
    for (const d of c.diagnostics.slice(0, 200)) list.append(el('li', {}, `line ${d.line}: ${d.message}`));
    if (c.diagnostics.length > 200) list.append(el('li', {}, `… ${c.diagnostics.length - 200} more`));
    section.append(el('details', {}, el('summary', {}, icon('warning'), ` ${c.name}: ${c.diagnostics.length} malformed line${c.diagnostics.length > 1 ? 's' : ''} (the rest was read)`), list));
  }
  return section;
}

function render(): void {
  const root = document.getElementById('root');
  if (!root || !model) return;
  const m = model;
  const parts: Node[] = [el('h1', {}, 'Metrics comparison'), toolbar(m)];
  if (m.captures.length === 0) parts.push(el('p', {}, 'No capture could be read.'));
  else {
    parts.push(table(m));
    if (m.findings.length > 0) parts.push(el('section', { id: 'findings' }, el('h2', {}, 'Findings'), el('ul', {}, ...m.findings.map((f) => el('li', {}, f)))));
    const charts = m.charts.filter((c) => c.stat === null || c.stat === stat);
    if (charts.length > 0) parts.push(el('section', { id: 'charts' }, el('h2', {}, 'Charts'), el('div', { class: 'charts' }, ...charts.map(chart))));
  }
  const diag = diagnostics(m);
  if (diag) parts.push(diag);
  if (m.captures.length > 0) parts.push(inventory(m));
  const focused = document.activeElement?.id;
  root.replaceChildren(...parts);
  if (focused) document.getElementById(focused)?.focus();
  requestAnimationFrame(() => vscode.postMessage({ type: 'painted', rows: visibleRows(m).length }));
}

window.addEventListener('message', (e: MessageEvent<HostToWebview>) => {
  const msg = e.data;
  if (msg.type === 'model') {
    model = msg.model;
    persist();
    render();
  } else if (msg.type === 'notice') {
    const n = document.getElementById('notice');
    if (n) n.textContent = msg.text;
  }
});
vscode.postMessage({ type: 'ready' });
