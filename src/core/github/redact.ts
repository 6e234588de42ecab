// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * Secret redaction for every GitHub log line and error message: known token values plus anything
 * shaped like a GitHub token or an Authorization header value is replaced with `***`.
 */

export const REDACTED = '***';

/** Known tokens shorter than this are not redacted verbatim (they would shred ordinary text). */
const MIN_KNOWN_TOKEN_LENGTH = 4;

const SHAPED: { re: RegExp; replace: string | ((...m: string[]) => string) }[] = [
  // Classic and OAuth tokens: ghp_ (personal), gho_ (OAuth), ghu_ (user-to-server), ghs_ (server-to-server), ghr_ (refresh).
  { re: /\bgh[pousr]_[A-Za-z0-9]{16,}\b/g, replace: REDACTED },
  // Fine-grained personal access tokens.
  { re: /\bgithub_pat_[A-Za-z0-9_]{16,}/g, replace: REDACTED },
  // Header forms: `Authorization: token X`, `"authorization": "Bearer X"`, `authorization=Basic X`.
  {
    re: /(authorization["']?\s*[:=]\s*["']?)(?:(bearer|token|basic)\s+)?([^\s"',;}]+)/gi,
    replace: (_m: string, head: string, scheme: string | undefined) => `${head}${scheme ? `${scheme} ` : ''}${REDACTED}`,
  },
  // A bare `Bearer X` anywhere (the word is rare enough in prose).
  { re: /\b(bearer)\s+(?!\*\*\*)[A-Za-z0-9._~+/=-]{8,}/gi, replace: (_m: string, scheme: string) => `${scheme} ${REDACTED}` },
  // Credentials in URLs: https://x-access-token:SECRET@github.com/...
  { re: /\b(https?:\/\/)[^\s/:@]+:[^\s/@]+@/gi, replace: (_m: string, scheme: string) => `${scheme}${REDACTED}@` },
  // Tokens in query strings.
  { re: /([?&](?:access_token|token)=)[^&\s#"']+/gi, replace: (_m: string, head: string) => `${head}${REDACTED}` },
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces every known token and every token-shaped string in `text` with `***`. */
export function redactSecrets(text: string, tokens: readonly (string | null | undefined)[] = []): string {
  let out = String(text);
  const known = [...new Set(tokens.filter((t): t is string => typeof t === 'string').map((t) => t.trim()))]
    .filter((t) => t.length >= MIN_KNOWN_TOKEN_LENGTH)
    .sort((a, b) => b.length - a.length);
  for (const token of known) out = out.replace(new RegExp(escapeRegExp(token), 'g'), REDACTED);
  for (const { re, replace } of SHAPED) out = out.replace(re, replace as (...m: string[]) => string);
  return out;
}

/** A redactor bound to a set of known tokens, for loggers and error wrappers. */
export function makeRedactor(tokens: readonly (string | null | undefined)[]): (text: string) => string {
  const list = [...tokens];
  return (text) => redactSecrets(text, list);
}

/** The message of any thrown value, redacted. */
export function redactedMessage(err: unknown, tokens: readonly (string | null | undefined)[] = []): string {
  const msg = err instanceof Error ? err.message : typeof err === 'string' ? err : safeStringify(err);
  return redactSecrets(msg, tokens);
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
