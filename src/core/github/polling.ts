// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * The CI poll scheduler, as a pure function: fast while checks are pending, slow when settled,
 * paused while the window is unfocused, immediate on a HEAD change or push, and backed off on
 * rate limits (`Retry-After`, `x-ratelimit-reset` / `x-ratelimit-remaining`) and errors.
 */
import { type HeaderBag, headerValue } from './etagCache';

export interface PollConfig {
  fastMs: number;
  slowMs: number;
  /** Symmetric jitter on ordinary delays, as a fraction (0.1 → ±10 %). */
  jitterRatio: number;
  /** Extra wait after a rate-limit reset, up to this much (spreads clients). */
  rateLimitJitterMs: number;
  /** Secondary rate limits without Retry-After: wait at least this. */
  secondaryLimitMs: number;
  /** Below this many remaining requests the budget is spread until the reset. */
  lowRemaining: number;
  maxDelayMs: number;
}

export const DEFAULT_POLL_CONFIG: PollConfig = {
  fastMs: 20_000,
  slowMs: 300_000,
  jitterRatio: 0.1,
  rateLimitJitterMs: 5_000,
  secondaryLimitMs: 60_000,
  lowRemaining: 50,
  maxDelayMs: 3_600_000,
};

export interface RateLimitInfo {
  /** The request was refused for rate limiting. */
  limited: boolean;
  /** Epoch ms before which no request may be sent; null when unconstrained. */
  notBefore: number | null;
  remaining: number | null;
  /** Epoch ms of the window reset. */
  resetAt: number | null;
}

export interface PollState {
  now: number;
  focused: boolean;
  /** Any check pending/running. */
  pending: boolean;
  /** HEAD changed or a push happened since the last poll. */
  headChanged?: boolean;
  /** When the last poll was sent (epoch ms); the interval counts from it. */
  lastPollAt?: number | null;
  rateLimit?: RateLimitInfo | null;
  /** Consecutive failed polls (network/5xx); backs off exponentially. */
  consecutiveErrors?: number;
  /** Returns [0, 1); injectable for tests. */
  random?: () => number;
  config?: Partial<PollConfig>;
}

/** `Retry-After` as ms from `now`: delta seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, t - now) : null;
}

function intHeader(headers: HeaderBag | null | undefined, name: string): number | null {
  const v = headerValue(headers, name);
  if (v === null || !/^\s*\d+\s*$/.test(v)) return null;
  return Number(v);
}

/** Reads rate-limit state from a response's status and headers. */
export function rateLimitFromResponse(status: number, headers: HeaderBag | null | undefined, now: number, config: Partial<PollConfig> = {}): RateLimitInfo {
  const cfg = { ...DEFAULT_POLL_CONFIG, ...config };
  const remaining = intHeader(headers, 'x-ratelimit-remaining');
  const resetSec = intHeader(headers, 'x-ratelimit-reset');
  const resetAt = resetSec === null ? null : resetSec * 1000;
  const retryAfter = parseRetryAfter(headerValue(headers, 'retry-after'), now);
  const refused = status === 429 || status === 403;
  const limited = refused && (status === 429 || retryAfter !== null || remaining === 0);
  let notBefore: number | null = null;
  if (limited) {
    if (retryAfter !== null) notBefore = now + retryAfter;
    else if (remaining === 0 && resetAt !== null) notBefore = resetAt;
    else notBefore = now + cfg.secondaryLimitMs;
  } else if (remaining === 0 && resetAt !== null && resetAt > now) {
    // Succeeded with the last request of the window: nothing more until the reset.
    notBefore = resetAt;
  }
  return { limited, notBefore, remaining, resetAt };
}

/** Milliseconds until the next poll, or 'paused' while unfocused. */
export function nextDelay(state: PollState): number | 'paused' {
  const cfg = { ...DEFAULT_POLL_CONFIG, ...state.config };
  const random = state.random ?? Math.random;
  const now = state.now;
  const rl = state.rateLimit ?? null;

  if (!state.focused) return 'paused';

  const blockedFor = rl?.notBefore !== null && rl?.notBefore !== undefined ? Math.max(0, rl.notBefore - now) : 0;
  const rateWait = blockedFor > 0 ? blockedFor + Math.floor(random() * cfg.rateLimitJitterMs) : 0;

  if (state.headChanged) return Math.min(cfg.maxDelayMs, rateWait);

  let interval = state.pending ? cfg.fastMs : cfg.slowMs;
  const errors = Math.max(0, Math.floor(state.consecutiveErrors ?? 0));
  if (errors > 0) interval = Math.max(interval, Math.min(cfg.slowMs, cfg.fastMs * 2 ** errors));
  // Spread a nearly spent budget over the rest of the window.
  if (rl && rl.remaining !== null && rl.remaining > 0 && rl.remaining < cfg.lowRemaining && rl.resetAt !== null && rl.resetAt > now) {
    interval = Math.max(interval, Math.ceil((rl.resetAt - now) / rl.remaining));
  }
  const jittered = interval * (1 + cfg.jitterRatio * (2 * random() - 1));
  const since = state.lastPollAt !== null && state.lastPollAt !== undefined ? Math.max(0, now - state.lastPollAt) : 0;
  const due = Math.max(0, Math.round(jittered - since));
  return Math.min(cfg.maxDelayMs, Math.max(due, rateWait));
}
