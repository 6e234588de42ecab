// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * The GitHub API base URL setting: validation, normalisation, the GraphQL endpoint, the host whose
 * credentials apply, and the same-host test that decides whether a request may carry the token.
 */

import { redactSecrets } from './redact';

export const DEFAULT_API_BASE = 'https://api.github.com';

export type ApiBaseKind = 'github.com' | 'ghe.com' | 'enterprise-server' | 'local';

export interface ApiBase {
  /** Normalised, no trailing slash: `https://api.github.com`, `https://ghe.example.com/api/v3`. */
  base: string;
  /** The host whose credentials apply (hosts.yml key, `gh auth token --hostname`): `github.com`, `ghe.example.com`. */
  tokenHost: string;
  kind: ApiBaseKind;
}

export type ApiBaseResult = ({ ok: true } & ApiBase) | { ok: false; error: string };

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function isLocal(hostname: string): boolean {
  return LOCAL_HOSTS.has(hostname.toLowerCase());
}

/**
 * Validates and normalises the API base setting. Empty means api.github.com. Only https is
 * accepted, except http on 127.0.0.1/localhost (test servers). A bare GHES host gets `/api/v3`.
 */
export function parseApiBase(input: string | null | undefined): ApiBaseResult {
  const raw = (input ?? '').trim();
  if (!raw) return { ok: true, base: DEFAULT_API_BASE, tokenHost: 'github.com', kind: 'github.com' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: `Not a URL: ${JSON.stringify(redactSecrets(raw))}. Expected e.g. ${DEFAULT_API_BASE} or https://ghe.example.com/api/v3.` };
  }
  const host = url.hostname.toLowerCase();
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocal(host))) {
    return { ok: false, error: `The GitHub API base must use https (http is only allowed for 127.0.0.1 or localhost), got ${url.protocol}//${url.host}.` };
  }
  if (url.username || url.password) return { ok: false, error: 'The GitHub API base must not contain credentials.' };
  if (url.search || url.hash) return { ok: false, error: 'The GitHub API base must not contain a query or fragment.' };
  const path = url.pathname.replace(/\/+$/, '');
  const origin = `${url.protocol}//${url.host.toLowerCase()}`;

  if (isLocal(host)) return { ok: true, base: origin + path, tokenHost: url.host.toLowerCase(), kind: 'local' };

  if (host === 'github.com' || host === 'www.github.com' || host === 'api.github.com') {
    if (path) {
      return { ok: false, error: `Unexpected path ${JSON.stringify(path)} for github.com; use ${DEFAULT_API_BASE}.` };
    }
    return { ok: true, base: DEFAULT_API_BASE, tokenHost: 'github.com', kind: 'github.com' };
  }
  // GitHub Enterprise Cloud with data residency: https://api.SUBDOMAIN.ghe.com
  if (host.endsWith('.ghe.com')) {
    const tenant = host.startsWith('api.') ? host.slice(4) : host;
    if (path) return { ok: false, error: `Unexpected path ${JSON.stringify(path)} for ${tenant}; use https://api.${tenant}.` };
    return { ok: true, base: `https://api.${tenant}${url.port ? `:${url.port}` : ''}`, tokenHost: tenant, kind: 'ghe.com' };
  }
  // GitHub Enterprise Server: https://HOST/api/v3
  if (path === '' || path === '/api/v3') {
    return { ok: true, base: `${origin}/api/v3`, tokenHost: url.host.toLowerCase(), kind: 'enterprise-server' };
  }
  return { ok: false, error: `Unexpected path ${JSON.stringify(path)} for GitHub Enterprise Server; use ${origin}/api/v3.` };
}

/** Like `parseApiBase` but throws on an invalid setting. */
export function normalizeApiBase(input: string | null | undefined): ApiBase {
  const r = parseApiBase(input);
  if (!r.ok) throw new Error(r.error);
  return { base: r.base, tokenHost: r.tokenHost, kind: r.kind };
}

/** The GraphQL endpoint for a (normalised) REST base. */
export function graphqlUrl(base: string): string {
  const b = base.replace(/\/+$/, '');
  if (/\/api\/v3$/.test(b)) return b.replace(/\/api\/v3$/, '/api/graphql');
  return `${b}/graphql`;
}

/**
 * True when `url` (absolute, or relative to `base`) is on the same scheme, host and port as the
 * configured API base, i.e. when it may carry the token. Redirects elsewhere (job-log downloads to
 * blob storage, another GitHub host) must drop Authorization.
 */
export function isSameApiHost(url: string | URL, base: string): boolean {
  let b: URL;
  let u: URL;
  try {
    b = new URL(base);
    u = new URL(String(url), b);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  return u.protocol === b.protocol && u.host.toLowerCase() === b.host.toLowerCase();
}
