// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// watchContainerEvents against a real engine: lifecycle changes fire onChange, our own execs do not.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { waitFor as WaitFor } from '../support/fixtures.mjs' with { 'resolution-mode': 'import' };
import { connectDocker, type DockerClient } from '../../src/core/docker/client';
import { resolveEndpoint } from '../../src/core/docker/endpoint';
import { type ChangeReason, watchContainerEvents } from '../../src/core/docker/events';
import { execInContainer } from '../../src/core/docker/exec';
import type { Disposable } from '../../src/core/util/disposable';

describe('watchContainerEvents (real engine)', function () {
  this.timeout(60000);
  let client: DockerClient;
  let waitFor: typeof WaitFor;
  let removeQuietly: (docker: Dockerode, what: { containers?: string[]; tags?: string[] }) => Promise<void>;
  const containers: string[] = [];
  const tags: string[] = [];
  let watcher: Disposable | undefined;
  let prefix: string;
  let image: string;

  const calls: { at: number; reason: ChangeReason }[] = [];
  const eventsFor = (id: string, since = 0) =>
    calls
      .slice(since)
      .flatMap((c) => (c.reason.kind === 'event' ? c.reason.events : []))
      .filter((e) => e.id === id);

  /**
   * The real client, except that it reports when the events request has been answered, so the test
   * knows the subscription is live before it changes anything.
   */
  function instrumented(docker: Dockerode): { docker: Dockerode; subscribed: Promise<void> } {
    let done!: () => void;
    const subscribed = new Promise<void>((r) => (done = r));
    const wrapped = Object.create(docker) as Dockerode;
    wrapped.getEvents = (async (opts?: Dockerode.GetEventsOptions) => {
      const stream = await docker.getEvents(opts);
      done();
      return stream;
    }) as Dockerode['getEvents'];
    return { docker: wrapped, subscribed };
  }

  async function createDevContainer(suffix: string): Promise<string> {
    const c = await client.docker.createContainer({
      name: `${prefix}-${suffix}`,
      Image: image,
      Cmd: (await import('../support/fixtures.mjs')).SLEEP_COMMAND,
      Labels: { 'devcontainer.local_folder': `/events/${prefix}/${suffix}`, 'devcontainer.config_file': `/events/${prefix}/${suffix}/.devcontainer/vllm/devcontainer.json` },
      HostConfig: { NetworkMode: 'host' },
    });
    containers.push(c.id);
    return c.id;
  }

  const stateOf = async (id: string) => (await client.listContainers()).find((c) => c.id === id)?.state;

  before(async function () {
    this.timeout(60000);
    const fixtures = await import('../support/fixtures.mjs');
    waitFor = fixtures.waitFor;
    removeQuietly = fixtures.removeQuietly;
    client = await connectDocker(resolveEndpoint(undefined, process.env));
    prefix = fixtures.uniquePrefix('dyn-it-events');
    image = `vsc-events-${randomBytes(4).toString('hex')}`;
    await fixtures.tagImage(client.docker, fixtures.testImage(), image);
    tags.push(`${image}:latest`);
  });

  after(async function () {
    this.timeout(60000);
    watcher?.dispose();
    await removeQuietly(client.docker, { containers, tags });
  });

  it('fires onChange for start and stop, and a fresh listing reflects both; an exec does not fire it', async () => {
    const id = await createDevContainer('lifecycle');
    assert.equal(await stateOf(id), 'created');
    const { docker, subscribed } = instrumented(client.docker);
    watcher = watchContainerEvents(docker, (reason) => calls.push({ at: Date.now(), reason }), { debounceMs: 150, pollIntervalMs: 60000 });
    await subscribed;

    await client.start(id);
    await waitFor(() => eventsFor(id).some((e) => e.action === 'start'), { timeoutMs: 10000, what: 'a start event for the container' });
    assert.ok(calls.every((c) => c.reason.kind === 'event'), 'changes come from the events stream, not polling');
    assert.equal(eventsFor(id).find((e) => e.action === 'start')?.name, `${prefix}-lifecycle`);
    assert.equal(await stateOf(id), 'running');

    // let the start burst settle, then exec: exec_create/exec_start/exec_die must not count as changes
    await new Promise((r) => setTimeout(r, 500));
    const before = calls.length;
    const r = await execInContainer(client.docker, id, { cmd: ['sh', '-c', 'echo hi; echo there >&2'] });
    assert.equal(r.exitCode, 0);
    const r2 = await execInContainer(client.docker, id, { cmd: ['sh', '-c', 'exit 5'] });
    assert.equal(r2.exitCode, 5);
    await new Promise((r) => setTimeout(r, 800)); // > debounce: a change would have fired by now
    const sinceExec = calls.slice(before);
    assert.deepEqual(
      sinceExec.map((c) => c.reason),
      [],
      'no onChange for execs',
    );

    // the stream is still live: stopping fires again (so the silence above was meaningful)
    const beforeStop = calls.length;
    await client.stop(id, 5);
    await waitFor(() => eventsFor(id, beforeStop).some((e) => e.action === 'die' || e.action === 'stop'), { timeoutMs: 10000, what: 'a die/stop event' });
    assert.equal(await stateOf(id), 'exited');
    assert.ok(!eventsFor(id).some((e) => e.action.startsWith('exec_')), 'exec events are filtered out');
  });

  it('debounces a burst of events into one onChange', async () => {
    const before = calls.length;
    const id = await createDevContainer('burst');
    await client.start(id);
    await client.stop(id, 5);
    await waitFor(() => eventsFor(id, before).some((e) => e.action === 'die' || e.action === 'stop'), { timeoutMs: 10000, what: 'the burst to be reported' });
    await new Promise((r) => setTimeout(r, 400));
    const burst = eventsFor(id, before).map((e) => e.action);
    for (const action of ['create', 'start', 'die']) assert.ok(burst.includes(action), `${action} in ${burst.join(', ')}`);
    assert.ok(calls.length - before < burst.length, `${burst.length} events were delivered in ${calls.length - before} onChange calls`);
  });

  it('a removed container fires destroy, and after dispose() nothing fires any more', async () => {
    const id = await createDevContainer('disposed');
    const before = calls.length;
    await client.docker.getContainer(id).remove({ force: true });
    await waitFor(() => eventsFor(id, before).some((e) => e.action === 'destroy'), { timeoutMs: 10000, what: 'a destroy event' });
    assert.equal(await stateOf(id), undefined);

    watcher?.dispose();
    watcher = undefined;
    await new Promise((r) => setTimeout(r, 300));
    const afterDispose = calls.length;
    const other = await createDevContainer('after-dispose');
    await client.start(other);
    await client.stop(other, 5);
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(calls.length, afterDispose, 'no onChange after dispose');
  });
});
