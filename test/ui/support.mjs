// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Small helpers the UI suites share.

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `s` as a literal inside a RegExp. */
export const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Polls `fn` until it returns something truthy; the timeout error quotes the last value or error. */
export async function until(fn, what, timeoutMs = 30000, intervalMs = 200) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = `error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 600)})`);
    await sleep(intervalMs);
  }
}
