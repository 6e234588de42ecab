// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { EtagCache, EtagCacheMissError, headerValue, tokenIdentity } from '../../src/core/github/etagCache';

const U = 'https://api.github.com/repos/o/r/commits/abc/check-runs?per_page=100';
const TOKEN = 'gho_0123456789abcdefghijABCDEFGHIJ012345';

describe('EtagCache', () => {
  it('miss, store, then If-None-Match and the cached body on 304', () => {
    const c = new EtagCache<{ n: number }>();
    assert.deepEqual(c.headersFor(U, TOKEN), {});
    const first = { n: 1 };
    assert.equal(c.onResponse(U, 200, { ETag: 'W/"v1"' }, first, TOKEN), first);
    assert.deepEqual(c.headersFor(U, TOKEN), { 'If-None-Match': 'W/"v1"' });
    const again = c.onResponse(U, 304, {}, undefined as unknown as { n: number }, TOKEN);
    assert.equal(again, first);
    assert.deepEqual(c.stats, { hits: 1, misses: 1, stores: 1, evictions: 0 });
  });

  it('a changed resource replaces the entry; a 200 without ETag drops it', () => {
    const c = new EtagCache<string>();
    c.onResponse(U, 200, { etag: '"a"' }, 'A');
    assert.equal(c.onResponse(U, 200, { etag: '"b"' }, 'B'), 'B');
    assert.deepEqual(c.headersFor(U), { 'If-None-Match': '"b"' });
    assert.equal(c.onResponse(U, 304, {}, ''), 'B');
    c.onResponse(U, 200, {}, 'C');
    assert.deepEqual(c.headersFor(U), {});
    assert.throws(() => c.onResponse(U, 304, {}, ''), EtagCacheMissError);
  });

  it('keeps entries per token identity and never stores the token', () => {
    const c = new EtagCache<string>();
    c.onResponse(U, 200, { etag: '"t"' }, 'with token', TOKEN);
    assert.deepEqual(c.headersFor(U), {}, 'anonymous requests do not see the authenticated entry');
    assert.deepEqual(c.headersFor(U, 'gho_other'), {});
    c.onResponse(U, 200, { etag: '"anon"' }, 'anon');
    assert.equal(c.onResponse(U, 304, {}, '', TOKEN), 'with token');
    assert.equal(c.onResponse(U, 304, {}, ''), 'anon');
    const dump = JSON.stringify([...(c as unknown as { entries: Map<string, unknown> }).entries]);
    assert.ok(!dump.includes(TOKEN));
    assert.ok(dump.includes(tokenIdentity(TOKEN)));
    assert.match(tokenIdentity(TOKEN), /^[0-9a-f]{16}$/);
    assert.notEqual(tokenIdentity(TOKEN), tokenIdentity('gho_other'));
    assert.equal(tokenIdentity(null), 'anon');
  });

  it('errors leave the cache alone except 404/410, which drop the entry', () => {
    const c = new EtagCache<string>();
    c.onResponse(U, 200, { etag: '"a"' }, 'A');
    assert.equal(c.onResponse(U, 500, {}, 'err'), 'err');
    assert.equal(c.onResponse(U, 403, {}, 'rate'), 'rate');
    assert.ok(c.has(U));
    c.onResponse(U, 404, {}, 'gone');
    assert.ok(!c.has(U));
  });

  it('evicts the least recently used entry; a 304 refreshes recency', () => {
    const c = new EtagCache<number>(3);
    for (let i = 1; i <= 3; i++) c.onResponse(`u${i}`, 200, { etag: `"${i}"` }, i);
    assert.equal(c.onResponse('u1', 304, {}, 0), 1); // u1 now most recent
    c.onResponse('u4', 200, { etag: '"4"' }, 4); // evicts u2
    assert.deepEqual(['u1', 'u2', 'u3', 'u4'].map((u) => c.has(u)), [true, false, true, true]);
    assert.equal(c.size, 3);
    assert.equal(c.stats.evictions, 1);
    c.onResponse('u3', 200, { etag: '"3b"' }, 33); // re-store refreshes recency too
    c.onResponse('u5', 200, { etag: '"5"' }, 5); // evicts u1
    assert.deepEqual(['u1', 'u3', 'u4', 'u5'].map((u) => c.has(u)), [false, true, true, true]);
    assert.throws(() => new EtagCache(0), RangeError);
  });

  it('a 304 carrying a new ETag updates it', () => {
    const c = new EtagCache<string>();
    c.onResponse(U, 200, { etag: '"a"' }, 'A');
    c.onResponse(U, 304, { etag: '"a2"' }, '');
    assert.deepEqual(c.headersFor(U), { 'If-None-Match': '"a2"' });
  });

  it('reads headers from records (any case, arrays) and Headers objects', () => {
    assert.equal(headerValue({ ETAG: '"x"' }, 'etag'), '"x"');
    assert.equal(headerValue({ etag: ['"y"', '"z"'] }, 'ETag'), '"y"');
    assert.equal(headerValue({ 'x-ratelimit-remaining': 5 }, 'X-RateLimit-Remaining'), '5');
    assert.equal(headerValue(new Headers({ ETag: '"h"' }), 'etag'), '"h"');
    assert.equal(headerValue({}, 'etag'), null);
    assert.equal(headerValue(null, 'etag'), null);
    const c = new EtagCache<string>();
    c.onResponse(U, 200, new Headers({ ETag: '"h"' }), 'H');
    assert.deepEqual(c.headersFor(U), { 'If-None-Match': '"h"' });
  });
});
