// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { DEFAULT_API_BASE, graphqlUrl, isSameApiHost, normalizeApiBase, parseApiBase } from '../../src/core/github/apiBase';

describe('parseApiBase', () => {
  const ok: [string | undefined, string, string, string][] = [
    [undefined, DEFAULT_API_BASE, 'github.com', 'github.com'],
    ['  ', DEFAULT_API_BASE, 'github.com', 'github.com'],
    ['https://api.github.com', DEFAULT_API_BASE, 'github.com', 'github.com'],
    ['https://API.GitHub.com///', DEFAULT_API_BASE, 'github.com', 'github.com'],
    ['https://github.com', DEFAULT_API_BASE, 'github.com', 'github.com'],
    ['https://ghe.example.com', 'https://ghe.example.com/api/v3', 'ghe.example.com', 'enterprise-server'],
    ['https://ghe.example.com/api/v3/', 'https://ghe.example.com/api/v3', 'ghe.example.com', 'enterprise-server'],
    ['https://ghe.example.com:8443/api/v3', 'https://ghe.example.com:8443/api/v3', 'ghe.example.com:8443', 'enterprise-server'],
    ['https://api.acme.ghe.com', 'https://api.acme.ghe.com', 'acme.ghe.com', 'ghe.com'],
    ['https://acme.ghe.com/', 'https://api.acme.ghe.com', 'acme.ghe.com', 'ghe.com'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010', '127.0.0.1:4010', 'local'],
    ['http://localhost:9/prefix/', 'http://localhost:9/prefix', 'localhost:9', 'local'],
    ['http://[::1]:9/api/v3', 'http://[::1]:9/api/v3', '[::1]:9', 'local'],
  ];
  for (const [input, base, tokenHost, kind] of ok) {
    it(`${JSON.stringify(input)} → ${base}`, () => {
      assert.deepEqual(parseApiBase(input), { ok: true, base, tokenHost, kind });
    });
  }

  const bad: [string, RegExp][] = [
    ['http://api.github.com', /https/],
    ['http://ghe.example.com/api/v3', /https/],
    ['ftp://ghe.example.com', /https/],
    ['not a url', /Not a URL/],
    ['https://user:pw@ghe.example.com/api/v3', /credentials/],
    ['https://ghe.example.com/api/v3?x=1', /query/],
    ['https://ghe.example.com/api/v4', /api\/v3/],
    ['https://api.github.com/repos', /Unexpected path/],
    ['https://api.acme.ghe.com/api/v3', /Unexpected path/],
  ];
  for (const [input, re] of bad) {
    it(`rejects ${input}`, () => {
      const r = parseApiBase(input);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error, re);
      assert.throws(() => normalizeApiBase(input), re);
    });
  }
  it('never echoes credentials from a rejected URL', () => {
    const r = parseApiBase('http://x:ghp_secretsecretsecretsecret@ghe.example.com');
    assert.equal(r.ok, false);
    if (!r.ok) assert.ok(!r.error.includes('secret'), r.error);
    const r2 = parseApiBase('oops ghp_secretsecretsecretsecret');
    assert.equal(r2.ok, false);
    if (!r2.ok) assert.ok(!r2.error.includes('secret') && r2.error.includes('***'), r2.error);
  });
});

describe('graphqlUrl', () => {
  it('maps REST bases to their GraphQL endpoint', () => {
    assert.equal(graphqlUrl('https://api.github.com'), 'https://api.github.com/graphql');
    assert.equal(graphqlUrl('https://ghe.example.com/api/v3'), 'https://ghe.example.com/api/graphql');
    assert.equal(graphqlUrl('https://ghe.example.com/api/v3/'), 'https://ghe.example.com/api/graphql');
    assert.equal(graphqlUrl('https://api.acme.ghe.com'), 'https://api.acme.ghe.com/graphql');
    assert.equal(graphqlUrl('http://127.0.0.1:4010'), 'http://127.0.0.1:4010/graphql');
  });
});

describe('isSameApiHost', () => {
  const base = 'https://api.github.com';
  it('allows the API host itself and relative URLs', () => {
    assert.equal(isSameApiHost('https://api.github.com/repos/o/r', base), true);
    assert.equal(isSameApiHost('https://API.github.com:443/x', base), true);
    assert.equal(isSameApiHost('/repos/o/r/actions/jobs/1/logs', base), true);
  });
  it('refuses other hosts, schemes, ports and look-alikes', () => {
    for (const url of [
      'https://pipelines.actions.githubusercontent.com/logs/1',
      'https://productionresultssa0.blob.core.windows.net/actions-results/x?sig=1',
      'https://github.com/o/r',
      'http://api.github.com/repos',
      'https://api.github.com:444/repos',
      'https://api.github.com.evil.example/repos',
      'https://evil.example/?u=https://api.github.com',
      'https://user:pw@api.github.com/repos',
      '//evil.example/x',
      'http://[bad',
    ]) {
      assert.equal(isSameApiHost(url, base), false, url);
    }
  });
  it('works for GHES and local test servers', () => {
    assert.equal(isSameApiHost('https://ghe.example.com/api/v3/x', 'https://ghe.example.com/api/v3'), true);
    assert.equal(isSameApiHost('https://ghe.example.com/api/graphql', 'https://ghe.example.com/api/v3'), true);
    assert.equal(isSameApiHost('https://api.github.com/x', 'https://ghe.example.com/api/v3'), false);
    assert.equal(isSameApiHost('http://127.0.0.1:4010/x', 'http://127.0.0.1:4010'), true);
    assert.equal(isSameApiHost('http://127.0.0.1:4011/x', 'http://127.0.0.1:4010'), false);
    assert.equal(isSameApiHost('http://localhost:4010/x', 'http://127.0.0.1:4010'), false);
    assert.equal(isSameApiHost('https://x', 'not a base'), false);
  });
});
