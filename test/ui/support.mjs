// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Small helpers the UI suites share.
import { createRequire } from 'node:module';

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

/** Debian chromium (through playwright-core) with one 1400×900 page, as every UI suite uses. */
export async function openPage() {
  const { launchChromium } = createRequire(import.meta.url)('../support/codeShim.cjs');
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  return { browser, page: await context.newPage() };
}

/** The screenshot name for a failed test: `FAILED-<title with dashes>`. */
export const failedShotName = (title) => `FAILED-${title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`;
