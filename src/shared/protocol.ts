// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * Messages between the extension host and webviews, declared once for both sides. Webviews only render
 * view models computed on the host; they never import `vscode` or Node modules.
 */
export type HostToWebview = { type: 'render'; title: string; rows: readonly (readonly string[])[] } | { type: 'error'; message: string };

export type WebviewToHost = { type: 'ready' } | { type: 'command'; command: string };

export function isWebviewToHost(m: unknown): m is WebviewToHost {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  return t === 'ready' || (t === 'command' && typeof (m as { command?: unknown }).command === 'string');
}
