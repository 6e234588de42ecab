// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * A small GitHub REST (and GraphQL) client on Node's global fetch: the token only ever goes to the
 * configured API host (redirects are followed by hand and lose Authorization elsewhere), conditional
 * requests through the ETag cache, Link pagination, rate-limit awareness and typed, redacted errors.
 */
import { graphqlUrl, isSameApiHost, normalizeApiBase } from './apiBase';
import { EtagCache } from './etagCache';
import { rateLimitFromResponse, type RateLimitInfo } from './polling';
import { redactSecrets } from './redact';

export const API_VERSION = '2022-11-28';
const MAX_REDIRECTS = 5;

export class GitHubError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'GitHubError';
  }
}

export class HttpError extends GitHubError {
  constructor(message: string, status: number) {
    super(message, status);
    this.name = 'HttpError';
  }
}

/** 401, or 403 because the organisation enforces SAML SSO and the token is not authorised for it. */
export class AuthError extends HttpError {
  constructor(
    message: string,
    status: number,
    readonly sso: boolean,
  ) {
    super(message, status);
    this.name = 'AuthError';
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(message, 404);
    this.name = 'NotFoundError';
  }
}

/** Primary (remaining 0) or secondary (Retry-After) rate limit; `resetAt` is epoch ms. */
export class RateLimitError extends HttpError {
  constructor(
    message: string,
    status: number,
    readonly resetAt: number | null,
    readonly secondary: boolean,
  ) {
    super(message, status);
    this.name = 'RateLimitError';
  }
}

/** The request never got an HTTP answer (DNS, refused connection, TLS, timeout). */
export class NetworkError extends GitHubError {
  constructor(message: string) {
    super(message, null);
    this.name = 'NetworkError';
  }
}

export interface GitHubClientOptions {
  /** API base setting (default https://api.github.com). */
  apiBase?: string | null;
  token?: string | null;
  userAgent?: string;
  /** Shared across clients to keep conditional requests across polls. */
  etagCache?: EtagCache<CachedBody>;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface CachedBody {
  body: unknown;
  link: string | null;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Conditional request through the ETag cache (GET only; default true). */
  conditional?: boolean;
}

export interface GitHubResponse<T> {
  status: number;
  headers: Headers;
  body: T;
  /** True when the body came from the ETag cache (304). */
  fromCache: boolean;
  link: string | null;
}

export interface ClientStats {
  /** HTTP requests sent to the API host (redirect hops elsewhere are not counted). */
  requests: number;
  /** 304 answers (no rate-limit cost). */
  notModified: number;
  /** Rate-limit points spent: every API-host answer except 304s. */
  pointsSpent: number;
}

/** `<url>; rel="next"` from a Link header. */
export function nextLink(link: string | null | undefined): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (m && m[2]?.split(/\s+/).includes('next')) return m[1] ?? null;
  }
  return null;
}

export class GitHubClient {
  readonly base: string;
  readonly stats: ClientStats = { requests: 0, notModified: 0, pointsSpent: 0 };
  /** From the last API answer carrying x-ratelimit-* headers. */
  rateLimit: RateLimitInfo | null = null;
  private readonly token: string | null;
  private readonly cache: EtagCache<CachedBody>;
  private readonly doFetch: typeof fetch;
  private readonly now: () => number;
  private readonly userAgent: string;

  constructor(opts: GitHubClientOptions = {}) {
    this.base = normalizeApiBase(opts.apiBase).base;
    this.token = opts.token ?? null;
    this.cache = opts.etagCache ?? new EtagCache<CachedBody>();
    this.doFetch = opts.fetch ?? fetch;
    this.now = opts.now ?? Date.now;
    this.userAgent = opts.userAgent ?? 'dynamo-dev-tools';
  }

  /** Redacts the token and anything token-shaped. */
  redact(text: string): string {
    return redactSecrets(text, [this.token]);
  }

  url(path: string, query?: RequestOptions['query']): string {
    const u = /^https?:\/\//i.test(path) ? new URL(path) : new URL(this.base + (path.startsWith('/') ? path : `/${path}`));
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  async get<T>(path: string, query?: RequestOptions['query']): Promise<T> {
    return (await this.request<T>('GET', path, { query })).body;
  }

  async post<T>(path: string, body?: unknown): Promise<T> {
    return (await this.request<T>('POST', path, { body })).body;
  }

  /** Every item over all pages (per_page=100 unless given); `itemsKey` for wrapped lists (`check_runs`). */
  async paginate<T>(path: string, itemsKey?: string, query: RequestOptions['query'] = {}): Promise<T[]> {
    const items: T[] = [];
    let url: string | null = this.url(path, { per_page: 100, ...query });
    for (let page = 0; url && page < 1000; page++) {
      const res: GitHubResponse<unknown> = await this.request<unknown>('GET', url);
      const list = itemsKey ? (res.body as Record<string, unknown> | null)?.[itemsKey] : res.body;
      if (!Array.isArray(list)) throw new GitHubError(this.redact(`Unexpected answer from ${this.describe(url)}: no ${itemsKey ?? 'list'}.`), res.status);
      items.push(...(list as T[]));
      const next = nextLink(res.link);
      url = next && isSameApiHost(next, this.base) ? next : null;
    }
    return items;
  }

  /** A GraphQL query; GraphQL errors without data throw. */
  async graphql<T>(query: string, variables: Record<string, unknown>): Promise<{ data: T | null; errors: { message: string }[] }> {
    const res = await this.request<{ data?: T | null; errors?: { message: string }[] }>('POST', graphqlUrl(this.base), { body: { query, variables } });
    const errors = res.body?.errors ?? [];
    const data = res.body?.data ?? null;
    if (data === null && errors.length > 0) throw new GitHubError(this.redact(`GraphQL: ${errors.map((e) => e.message).join('; ')}`), res.status);
    return { data, errors };
  }

  /** A text resource behind redirects (job logs): the token is dropped when the redirect leaves the API host. */
  async getText(path: string): Promise<string> {
    const res = await this.send('GET', this.url(path), undefined, {}, true);
    return res.text();
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<GitHubResponse<T>> {
    const url = this.url(path, opts.query);
    const conditional = method === 'GET' && opts.conditional !== false;
    const extra = conditional ? this.cache.headersFor(url, this.token) : {};
    const res = await this.send(method, url, opts.body, extra, false);
    const link = res.headers.get('link');
    if (res.status === 304 && conditional) {
      await res.arrayBuffer().catch(() => undefined);
      const cached = this.cache.onResponse(url, 304, res.headers, { body: null, link }, this.token);
      return { status: 304, headers: res.headers, body: cached.body as T, fromCache: true, link: cached.link };
    }
    const text = await res.text();
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (conditional) this.cache.onResponse(url, res.status, res.headers, { body, link }, this.token);
    return { status: res.status, headers: res.headers, body: body as T, fromCache: false, link };
  }

  private describe(url: string): string {
    try {
      const u = new URL(url);
      return `${u.host}${u.pathname}`;
    } catch {
      return url;
    }
  }

  /** Sends with manual redirects; throws typed errors for every non-2xx/304 final answer. */
  private async send(method: string, startUrl: string, body: unknown, extra: Record<string, string>, raw: boolean): Promise<Response> {
    let url = startUrl;
    let m = method;
    let payload: string | undefined = body === undefined ? undefined : JSON.stringify(body);
    for (let hop = 0; ; hop++) {
      const sameHost = isSameApiHost(url, this.base);
      const headers: Record<string, string> = {
        Accept: raw ? '*/*' : 'application/vnd.github+json',
        'User-Agent': this.userAgent,
      };
      if (sameHost) {
        headers['X-GitHub-Api-Version'] = API_VERSION;
        if (this.token) headers['Authorization'] = `Bearer ${this.token}`;
        if (hop === 0) Object.assign(headers, extra);
      }
      if (payload !== undefined) headers['Content-Type'] = 'application/json';
      let res: Response;
      try {
        res = await this.doFetch(url, { method: m, headers, body: payload, redirect: 'manual' });
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        const why = cause?.code ?? cause?.message ?? (e as Error).message;
        throw new NetworkError(this.redact(`Could not reach ${this.describe(url)}: ${why}.`));
      }
      if (sameHost) {
        this.stats.requests++;
        if (res.status === 304) this.stats.notModified++;
        else this.stats.pointsSpent++;
        if (res.headers.get('x-ratelimit-remaining') !== null) this.rateLimit = rateLimitFromResponse(res.status, res.headers, this.now());
      }
      const location = res.headers.get('location');
      if ([301, 302, 303, 307, 308].includes(res.status) && location) {
        await res.arrayBuffer().catch(() => undefined);
        if (hop >= MAX_REDIRECTS) throw new HttpError(this.redact(`Too many redirects from ${this.describe(startUrl)}.`), res.status);
        url = new URL(location, url).toString();
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && m === 'POST')) {
          m = 'GET';
          payload = undefined;
        }
        continue;
      }
      if ((res.status >= 200 && res.status < 300) || res.status === 304) return res;
      throw await this.errorFor(res, url, m);
    }
  }

  private async errorFor(res: Response, url: string, method: string): Promise<GitHubError> {
    let message = '';
    const text = await res.text().catch(() => '');
    try {
      message = String((JSON.parse(text) as { message?: unknown }).message ?? '');
    } catch {
      message = text.slice(0, 200);
    }
    const where = `${method} ${this.describe(url)}`;
    const status = res.status;
    const r = (s: string) => this.redact(s);
    const sso = res.headers.get('x-github-sso');
    if (status === 401) {
      return new AuthError(r(`GitHub rejected the token (401 ${message || 'Unauthorized'}) for ${where}: sign in to GitHub again (gh auth login, or re-sign in from VS Code) or set a valid token.`), 401, false);
    }
    if (status === 403 && (sso !== null || /SAML/i.test(message))) {
      const ssoUrl = /url=(\S+)/.exec(sso ?? '')?.[1];
      return new AuthError(r(`The organisation enforces SAML single sign-on and the token is not authorised for it (${where}): authorise the token for SSO${ssoUrl ? ` at ${ssoUrl}` : ' in your GitHub token settings'}, or sign in again.`), 403, true);
    }
    if (status === 403 || status === 429) {
      const info = rateLimitFromResponse(status, res.headers, this.now());
      const secondary = /secondary rate limit/i.test(message);
      if (info.limited || secondary || /rate limit/i.test(message)) {
        const resetAt = info.notBefore ?? info.resetAt ?? this.now() + 60_000;
        const when = new Date(resetAt).toISOString();
        return new RateLimitError(r(`GitHub ${secondary ? 'secondary ' : ''}rate limit hit (${status}) for ${where}; retry after ${when}.`), status, resetAt, secondary || info.remaining !== 0);
      }
    }
    if (status === 404) return new NotFoundError(r(`Not found: ${where} (the repository, pull request or run does not exist, or the token cannot see it).`));
    return new HttpError(r(`GitHub answered ${status}${message ? ` (${message})` : ''} for ${where}.`), status);
  }
}
