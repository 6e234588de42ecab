// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The webview bundle. It renders view models the host sends and posts typed messages back; every datum
// goes into the DOM through textContent, never as HTML.
import type { HostToWebview, WebviewToHost } from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

export function render(root: HTMLElement, msg: HostToWebview): void {
  root.replaceChildren();
  if (msg.type === 'error') {
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = msg.message;
    root.append(p);
    return;
  }
  const h = document.createElement('h1');
  h.textContent = msg.title;
  const table = document.createElement('table');
  msg.rows.forEach((row, i) => {
    const tr = document.createElement('tr');
    for (const cell of row) {
      const td = document.createElement(i === 0 ? 'th' : 'td');
      td.textContent = cell;
      tr.append(td);
    }
    table.append(tr);
  });
  root.append(h, table);
}

window.addEventListener('message', (e: MessageEvent<HostToWebview>) => {
  const root = document.getElementById('root');
  if (root) render(root, e.data);
  vscode.setState(e.data);
});
vscode.postMessage({ type: 'ready' });
