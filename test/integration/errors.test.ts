// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Connecting to engines that are not there (real sockets and ports, no mocks), and to the one that is.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDocker, DockerUnreachableError } from '../../src/core/docker/client';
import { parseEndpoint, resolveEndpoint } from '../../src/core/docker/endpoint';

function listen(server: Server, where: string | number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    if (typeof where === 'string') server.listen(where, resolve);
    else server.listen(where, '127.0.0.1', resolve);
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A loopback port that nothing listens on (it was free a moment ago and we closed it). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await listen(s, 0);
  const addr = s.address();
  assert.ok(addr && typeof addr === 'object');
  await close(s);
  return addr.port;
}

describe('connectDocker errors (real sockets)', function () {
  this.timeout(30000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dynamo-it-errors-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('a missing unix socket rejects with DockerUnreachableError naming the socket and how to fix it', async () => {
    const endpoint = parseEndpoint('unix:///nonexistent.sock', 'setting');
    await assert.rejects(connectDocker(endpoint), (e: unknown) => {
      assert.ok(e instanceof DockerUnreachableError, `got ${String(e)}`);
      assert.equal(e.name, 'DockerUnreachableError');
      assert.equal(e.code, 'ENOENT');
      assert.equal(e.endpoint, endpoint);
      assert.match(e.message, /unix:\/\/\/nonexistent\.sock \(from setting dynamo\.docker\.host\)/);
      assert.match(e.message, /the socket \/nonexistent\.sock does not exist/);
      assert.match(e.hint, /Start Docker/);
      assert.ok(e.message.endsWith(e.hint), 'the message ends with the hint');
      assert.match(e.hint, /dynamo\.docker\.host/);
      return true;
    });
    await assert.rejects(connectDocker(endpoint, { audience: 'cli' }), (e: unknown) => {
      assert.ok(e instanceof DockerUnreachableError);
      assert.match(e.message, /the socket \/nonexistent\.sock does not exist/);
      assert.match(e.hint, /--host/);
      return true;
    });
  });

  it('a closed loopback tcp port gives an ECONNREFUSED-based message', async () => {
    const port = await closedPort();
    await assert.rejects(connectDocker(parseEndpoint(`tcp://127.0.0.1:${port}`, 'setting')), (e: unknown) => {
      assert.ok(e instanceof DockerUnreachableError, `got ${String(e)}`);
      assert.equal(e.code, 'ECONNREFUSED');
      assert.match(e.message, new RegExp(`tcp://127\\.0\\.0\\.1:${port} \\(from setting dynamo\\.docker\\.host\\)`));
      assert.match(e.message, new RegExp(`nothing is listening at 127\\.0\\.0\\.1:${port}`));
      assert.match(e.hint, /Start Docker/);
      return true;
    });
  });

  it('a socket that accepts but never answers times out with a "did not answer" message', async () => {
    const sockets: Socket[] = [];
    const server = createServer((s) => sockets.push(s));
    const path = join(dir, 'silent.sock');
    await listen(server, path);
    try {
      await assert.rejects(connectDocker(parseEndpoint(`unix://${path}`, 'DOCKER_HOST'), { pingTimeoutMs: 400 }), (e: unknown) => {
        assert.ok(e instanceof DockerUnreachableError, `got ${String(e)}`);
        assert.equal(e.code, 'ETIMEDOUT');
        assert.match(e.message, /did not answer in time/);
        assert.match(e.message, /\(from DOCKER_HOST\)/);
        return true;
      });
      assert.ok(sockets.length >= 1, 'the client really connected');
    } finally {
      for (const s of sockets) s.destroy();
      await close(server);
    }
  });

  it('the engine this tier runs against (DOCKER_HOST) connects and answers', async () => {
    const endpoint = resolveEndpoint(undefined, process.env);
    if (process.env.DOCKER_HOST) {
      assert.equal(endpoint.source, 'DOCKER_HOST');
      assert.equal(endpoint.url, process.env.DOCKER_HOST.trim());
    }
    const client = await connectDocker(endpoint);
    await client.ping();
    assert.ok(Array.isArray(await client.listContainers({ includeNonDev: true })));
  });
});
