// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { makeRedactor, redactedMessage, redactSecrets } from '../../src/core/github/redact';

describe('redactSecrets', () => {
  const body = 'abcdefghijklmnopqrstuvwxyz0123456789';
  for (const prefix of ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_']) {
    it(`redacts ${prefix} tokens anywhere in text`, () => {
      const out = redactSecrets(`failed with ${prefix}${body}, retrying`);
      assert.equal(out, 'failed with ***, retrying');
    });
  }

  it('redacts fine-grained PATs', () => {
    const pat = 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV';
    assert.equal(redactSecrets(`token=${pat}`), 'token=***');
    assert.equal(redactSecrets(`see ${pat}.`), 'see ***.');
  });

  it('redacts known tokens of any shape, longest first, every occurrence', () => {
    const out = redactSecrets('a s3cr3t-value b s3cr3t-value-long c s3cr3t-value', ['s3cr3t-value', 's3cr3t-value-long']);
    assert.equal(out, 'a *** b *** c ***');
  });

  it('ignores null, empty and very short known tokens (they would shred text)', () => {
    assert.equal(redactSecrets('a b c', [null, undefined, '', 'a']), 'a b c');
  });

  it('treats regex metacharacters in known tokens literally', () => {
    assert.equal(redactSecrets('x a.b*c+d y aXbbc+d', ['a.b*c+d']), 'x *** y aXbbc+d');
  });

  it('redacts Authorization header values but keeps the scheme', () => {
    assert.equal(redactSecrets('Authorization: token abc123def'), 'Authorization: token ***');
    assert.equal(redactSecrets('authorization: Bearer eyJhbGciOi.x.y'), 'authorization: Bearer ***');
    assert.equal(redactSecrets('{"Authorization":"token abc123def","Accept":"json"}'), '{"Authorization":"token ***","Accept":"json"}');
    assert.equal(redactSecrets("headers: { authorization: 'Basic dXNlcjpwYXNz' }"), "headers: { authorization: 'Basic ***' }");
    assert.equal(redactSecrets('Authorization: rawvalue123'), 'Authorization: ***');
  });

  it('redacts bare Bearer values, URL credentials and token query parameters', () => {
    assert.equal(redactSecrets('sent Bearer abcdefghijkl to host'), 'sent Bearer *** to host');
    assert.equal(redactSecrets('git clone https://x-access-token:abc123@github.com/o/r'), 'git clone https://***@github.com/o/r');
    assert.equal(redactSecrets('GET https://h/x?per_page=1&access_token=abc123&y=2'), 'GET https://h/x?per_page=1&access_token=***&y=2');
  });

  it('leaves ordinary prose about tokens alone', () => {
    const text = 'The token resolution failed: no token in hosts.yml; run gh auth login. ghp_short is not a token.';
    assert.equal(redactSecrets(text), text);
  });

  it('redactedMessage and makeRedactor', () => {
    const tok = 'plain-secret-value';
    assert.equal(redactedMessage(new Error(`401 for ${tok}`), [tok]), '401 for ***');
    assert.equal(redactedMessage(`x ${tok}`, [tok]), 'x ***');
    assert.equal(redactedMessage({ token: tok }, [tok]), '{"token":"***"}');
    const r = makeRedactor([tok]);
    assert.equal(r(`${tok}/${tok}`), '***/***');
  });
});
