// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cliEnvFor, contextEndpoint, describeEndpoint, EndpointError, parseEndpoint, resolveEndpoint } from '../../src/core/docker/endpoint';
import { unreachableError } from '../../src/core/docker/client';

describe('Docker endpoint', () => {
  it('parses unix sockets and bare paths', () => {
    assert.equal(parseEndpoint('unix:///var/run/docker.sock', 'setting').socketPath, '/var/run/docker.sock');
    assert.equal(parseEndpoint('/run/user/1000/docker.sock', 'setting').socketPath, '/run/user/1000/docker.sock');
  });
  it('parses tcp with the right default ports and TLS', () => {
    assert.deepEqual(
      { ...parseEndpoint('tcp://10.0.0.5', 'DOCKER_HOST') },
      { url: 'tcp://10.0.0.5', source: 'DOCKER_HOST', host: '10.0.0.5', port: 2375, protocol: 'http' },
    );
    const tls = parseEndpoint('tcp://gpu-host:2376', 'DOCKER_HOST', { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' });
    assert.equal(tls.protocol, 'https');
    assert.equal(tls.certPath, '/certs');
    assert.equal(parseEndpoint('tcp://h', 'DOCKER_HOST', { DOCKER_TLS_VERIFY: '0' }).protocol, 'http');
  });
  it('parses ssh with user', () => {
    const e = parseEndpoint('ssh://keivenc@gpu-box', 'docker context');
    assert.equal(e.protocol, 'ssh');
    assert.equal(e.username, 'keivenc');
    assert.equal(e.port, 22);
  });
  it('rejects nonsense with a message that says what to write', () => {
    assert.throws(() => parseEndpoint('docker.sock', 'setting'), (e: unknown) => e instanceof EndpointError && /unix:\/\/\/path\/to\/docker.sock/.test(e.message));
    assert.throws(() => parseEndpoint('unix://relative.sock', 'setting'), /absolute socket path/);
    assert.throws(() => parseEndpoint('ftp://x', 'DOCKER_HOST'), /unsupported scheme "ftp:\/\/"/);
  });
  it('resolves setting, then DOCKER_HOST, then the default', () => {
    const env = { DOCKER_HOST: 'unix:///from/env.sock', HOME: '/nonexistent-home' };
    assert.equal(resolveEndpoint('unix:///from/setting.sock', env).socketPath, '/from/setting.sock');
    assert.equal(resolveEndpoint('  ', env).socketPath, '/from/env.sock');
    const d = resolveEndpoint('', { HOME: '/nonexistent-home' });
    assert.equal(d.source, 'default');
    assert.equal(d.socketPath, '/var/run/docker.sock');
  });
  it('honours the current docker context', () => {
    const id = createHash('sha256').update('gpu').digest('hex');
    const files: Record<string, string> = {
      '/h/.docker/config.json': JSON.stringify({ currentContext: 'gpu' }),
      [`/h/.docker/contexts/meta/${id}/meta.json`]: JSON.stringify({ Name: 'gpu', Endpoints: { docker: { Host: 'unix:///run/gpu.sock' } } }),
    };
    const read = (p: string) => {
      const v = files[p];
      if (v === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return v;
    };
    assert.deepEqual(contextEndpoint({ HOME: '/h' }, read), { name: 'gpu', host: 'unix:///run/gpu.sock' });
    assert.equal(contextEndpoint({ HOME: '/h', DOCKER_CONTEXT: 'default' }, read), null);
    assert.throws(() => contextEndpoint({ HOME: '/h', DOCKER_CONTEXT: 'missing' }, read), /docker context "missing".*docker context ls/);
    assert.equal(contextEndpoint({ HOME: '/none' }, read), null);
  });
  it('describes where the endpoint came from', () => {
    assert.equal(describeEndpoint(parseEndpoint('unix:///x.sock', 'setting')), 'unix:///x.sock (from setting dynamo.docker.host)');
  });
  it('gives the docker CLI the same engine', () => {
    assert.deepEqual(cliEnvFor(parseEndpoint('unix:///x.sock', 'setting')), { DOCKER_HOST: 'unix:///x.sock' });
    assert.deepEqual(cliEnvFor(parseEndpoint('/x.sock', 'setting')), { DOCKER_HOST: 'unix:///x.sock' });
    assert.deepEqual(cliEnvFor(resolveEndpoint('', { HOME: '/none' })), {});
  });
  it('explains unreachable engines by cause', () => {
    const e = parseEndpoint('unix:///nope.sock', 'setting');
    const err = (code: string) => unreachableError(e, Object.assign(new Error(code), { code })).message;
    assert.match(err('ENOENT'), /unix:\/\/\/nope.sock \(from setting dynamo.docker.host\).*socket \/nope.sock does not exist.*Start Docker/);
    assert.match(err('EACCES'), /permission denied on \/nope.sock.*docker group/);
    assert.match(err('ECONNREFUSED'), /nothing is listening at \/nope.sock/);
    assert.match(err('ETIMEDOUT'), /did not answer in time/);
    assert.match(unreachableError(e, new Error('weird')).message, /weird.*docker info/);
  });
});
