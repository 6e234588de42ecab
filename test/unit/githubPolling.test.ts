// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { DEFAULT_POLL_CONFIG, nextDelay, parseRetryAfter, type PollState, rateLimitFromResponse } from '../../src/core/github/polling';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const mid = (): number => 0.5; // no jitter on ordinary delays, half of the rate-limit jitter
const zero = (): number => 0;
const base = (p: Partial<PollState> = {}): PollState => ({ now: NOW, focused: true, pending: false, random: mid, ...p });

describe('nextDelay', () => {
  it('polls fast (~20 s) while pending and slowly (~5 min) when settled', () => {
    assert.equal(nextDelay(base({ pending: true })), 20_000);
    assert.equal(nextDelay(base({ pending: false })), 300_000);
  });

  it('pauses while unfocused, whatever else is going on', () => {
    assert.equal(nextDelay(base({ focused: false, pending: true })), 'paused');
    assert.equal(nextDelay(base({ focused: false, headChanged: true })), 'paused');
  });

  it('polls immediately on a HEAD change or push', () => {
    assert.equal(nextDelay(base({ headChanged: true, lastPollAt: NOW - 1000 })), 0);
  });

  it('counts the interval from the last poll (focus regained after a long time → now)', () => {
    assert.equal(nextDelay(base({ pending: true, lastPollAt: NOW - 5_000 })), 15_000);
    assert.equal(nextDelay(base({ pending: false, lastPollAt: NOW - 600_000 })), 0);
  });

  it('applies symmetric jitter to ordinary delays', () => {
    assert.equal(nextDelay(base({ pending: true, random: zero })), 18_000);
    assert.equal(nextDelay(base({ pending: true, random: () => 0.999999 })), 22_000);
    assert.equal(nextDelay(base({ pending: true, random: zero, config: { jitterRatio: 0 } })), 20_000);
  });

  it('backs off exponentially on consecutive errors, capped at the slow interval', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 10].map((n) => nextDelay(base({ pending: true, consecutiveErrors: n }))),
      [20_000, 40_000, 80_000, 160_000, 300_000, 300_000],
    );
  });

  it('waits out a primary rate limit until x-ratelimit-reset, plus jitter, even on a HEAD change', () => {
    const rateLimit = rateLimitFromResponse(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 600) }, NOW);
    assert.deepEqual(rateLimit, { limited: true, notBefore: NOW + 600_000, remaining: 0, resetAt: NOW + 600_000 });
    assert.equal(nextDelay(base({ pending: true, rateLimit, random: zero })), 600_000);
    assert.equal(nextDelay(base({ pending: true, rateLimit })), 602_500);
    assert.equal(nextDelay(base({ headChanged: true, rateLimit, random: zero })), 600_000);
    // Once the reset has passed, back to normal.
    assert.equal(nextDelay(base({ pending: true, rateLimit, now: NOW + 700_000 })), 20_000);
  });

  it('honours Retry-After (seconds or date) on 429 and secondary 403s', () => {
    const r429 = rateLimitFromResponse(429, { 'Retry-After': '120' }, NOW);
    assert.equal(r429.limited, true);
    assert.equal(nextDelay(base({ rateLimit: r429, pending: true, random: zero })), 120_000);
    const rDate = rateLimitFromResponse(403, { 'retry-after': new Date(NOW + 90_000).toUTCString() }, NOW);
    assert.equal(rDate.notBefore, NOW + 90_000);
    // Retry-After wins over the reset time when both are present.
    const both = rateLimitFromResponse(403, { 'retry-after': '30', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 900) }, NOW);
    assert.equal(both.notBefore, NOW + 30_000);
    // 429 without any hint: the secondary-limit minimum.
    assert.equal(rateLimitFromResponse(429, {}, NOW).notBefore, NOW + DEFAULT_POLL_CONFIG.secondaryLimitMs);
  });

  it('a 403 that is not a rate limit (permissions) does not block', () => {
    const r = rateLimitFromResponse(403, { 'x-ratelimit-remaining': '4000', 'x-ratelimit-reset': String(NOW / 1000 + 600) }, NOW);
    assert.equal(r.limited, false);
    assert.equal(r.notBefore, null);
    assert.equal(nextDelay(base({ pending: true, rateLimit: r })), 20_000);
  });

  it('after the last request of the window succeeds, waits for the reset', () => {
    const r = rateLimitFromResponse(200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 300) }, NOW);
    assert.equal(r.limited, false);
    assert.equal(nextDelay(base({ pending: true, rateLimit: r, random: zero })), 300_000);
  });

  it('spreads a nearly spent budget over the rest of the window', () => {
    const r = rateLimitFromResponse(200, { 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': String(NOW / 1000 + 1200) }, NOW);
    assert.equal(nextDelay(base({ pending: true, rateLimit: r })), 120_000);
    const plenty = rateLimitFromResponse(200, { 'x-ratelimit-remaining': '4000', 'x-ratelimit-reset': String(NOW / 1000 + 1200) }, NOW);
    assert.equal(nextDelay(base({ pending: true, rateLimit: plenty })), 20_000);
  });

  it('never exceeds the maximum delay', () => {
    const r = rateLimitFromResponse(429, { 'retry-after': String(10 * 3600) }, NOW);
    assert.equal(nextDelay(base({ rateLimit: r })), DEFAULT_POLL_CONFIG.maxDelayMs);
  });
});

describe('parseRetryAfter', () => {
  it('parses seconds and HTTP dates, rejects junk', () => {
    assert.equal(parseRetryAfter('0', NOW), 0);
    assert.equal(parseRetryAfter(' 42 ', NOW), 42_000);
    assert.equal(parseRetryAfter(new Date(NOW + 5_000).toUTCString(), NOW), 5_000);
    assert.equal(parseRetryAfter(new Date(NOW - 5_000).toUTCString(), NOW), 0);
    assert.equal(parseRetryAfter('soon', NOW), null);
    assert.equal(parseRetryAfter('', NOW), null);
    assert.equal(parseRetryAfter(null, NOW), null);
  });
});
