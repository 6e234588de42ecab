// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * A conditional-request cache: per URL and token identity it keeps the ETag and the parsed body,
 * supplies `If-None-Match`, and hands back the cached body on 304 (which costs no rate limit).
 * The key holds a hash of the token, never the token.
 */
import { createHash } from 'node:crypto';

export type HeaderBag = { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | number | undefined | null>>;

export function headerValue(headers: HeaderBag | null | undefined, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(n: string): string | null }).get(name);
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
    if (k.toLowerCase() !== wanted || v === undefined || v === null) continue;
    return Array.isArray(v) ? String(v[0] ?? '') : String(v);
  }
  return null;
}

/** A short, stable, non-reversible identity for a token (anonymous → `anon`). */
export function tokenIdentity(token: string | null | undefined): string {
  if (!token) return 'anon';
  return createHash('sha256').update(`dynamo-etag:${token}`).digest('hex').slice(0, 16);
}

interface Entry<T> {
  etag: string;
  body: T;
}

export interface EtagCacheStats {
  hits: number;
  misses: number;
  stores: number;
  evictions: number;
}

export class EtagCacheMissError extends Error {
  constructor(url: string) {
    super(`304 Not Modified for ${url} but nothing is cached; retry without If-None-Match.`);
    this.name = 'EtagCacheMissError';
  }
}

export class EtagCache<T = unknown> {
  private readonly entries = new Map<string, Entry<T>>();
  readonly stats: EtagCacheStats = { hits: 0, misses: 0, stores: 0, evictions: 0 };

  constructor(readonly maxEntries = 500) {
    if (!(maxEntries >= 1)) throw new RangeError('maxEntries must be at least 1');
  }

  get size(): number {
    return this.entries.size;
  }

  private key(url: string, token: string | null | undefined): string {
    return `${tokenIdentity(token)} ${url}`;
  }

  /** `If-None-Match` for a request, or no headers when nothing is cached. */
  headersFor(url: string, token?: string | null): Record<string, string> {
    const e = this.entries.get(this.key(url, token));
    return e ? { 'If-None-Match': e.etag } : {};
  }

  has(url: string, token?: string | null): boolean {
    return this.entries.has(this.key(url, token));
  }

  /**
   * The body to use for a response: the cached one on 304, else `body` (stored when the 2xx
   * response carries an ETag). Throws EtagCacheMissError on a 304 with nothing cached.
   */
  onResponse(url: string, status: number, headers: HeaderBag | null | undefined, body: T, token?: string | null): T {
    const key = this.key(url, token);
    if (status === 304) {
      const e = this.entries.get(key);
      if (!e) {
        this.stats.misses++;
        throw new EtagCacheMissError(url);
      }
      this.stats.hits++;
      this.entries.delete(key);
      const etag = headerValue(headers, 'etag');
      this.entries.set(key, etag ? { etag, body: e.body } : e);
      return e.body;
    }
    if (status >= 200 && status < 300) {
      this.stats.misses++;
      const etag = headerValue(headers, 'etag');
      this.entries.delete(key);
      if (etag) {
        this.entries.set(key, { etag, body });
        this.stats.stores++;
        this.evict();
      }
      return body;
    }
    // 404/410: the resource is gone; other errors leave the cache alone.
    if (status === 404 || status === 410) this.entries.delete(key);
    return body;
  }

  delete(url: string, token?: string | null): boolean {
    return this.entries.delete(this.key(url, token));
  }

  clear(): void {
    this.entries.clear();
  }

  private evict(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.stats.evictions++;
    }
  }
}
