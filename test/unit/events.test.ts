// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { EventLineParser, isRelevantEvent } from '../../src/core/docker/events';
import { coalesced } from '../../src/core/util/coalesce';
import { debounce } from '../../src/core/util/debounce';
import { formatDuration } from '../../src/core/util/time';

describe('Docker events parsing', () => {
  const ev = (action: string, id = 'abc', name = 'n') => JSON.stringify({ Type: 'container', Action: action, status: action, id, Actor: { ID: id, Attributes: { name } } }) + '\n';
  it('splits events across arbitrary chunk boundaries', () => {
    const p = new EventLineParser();
    const text = ev('start', 'a1', 'one') + ev('die', 'a2', 'two');
    const cut = 17;
    const first = p.push(text.slice(0, cut));
    const second = p.push(text.slice(cut));
    assert.deepEqual([...first, ...second], [
      { action: 'start', id: 'a1', name: 'one' },
      { action: 'die', id: 'a2', name: 'two' },
    ]);
  });
  it('skips malformed lines and other object types', () => {
    const p = new EventLineParser();
    const out = p.push('{bad json\n' + JSON.stringify({ Type: 'network', Action: 'connect' }) + '\n' + ev('stop'));
    assert.deepEqual(out.map((e) => e.action), ['stop']);
  });
  it('reads the legacy status/id form', () => {
    assert.deepEqual(new EventLineParser().push('{"status":"destroy","id":"x"}\n'), [{ action: 'destroy', id: 'x', name: null }]);
  });
  it('ignores our own exec events but not state changes', () => {
    for (const a of ['exec_create: sh -c x', 'exec_start: sh', 'exec_die', 'attach', 'resize', 'top']) assert.equal(isRelevantEvent(a), false, a);
    for (const a of ['create', 'start', 'stop', 'die', 'destroy', 'rename', 'pause', 'unpause', 'health_status: healthy']) assert.equal(isRelevantEvent(a), true, a);
  });
});

describe('debounce', () => {
  it('fires once after a burst', async () => {
    let n = 0;
    const d = debounce(() => n++, 20);
    d.trigger();
    d.trigger();
    d.trigger();
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(n, 1);
    d.trigger();
    d.dispose();
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(n, 1, 'a disposed debounce never fires');
  });
});

describe('formatDuration', () => {
  it('is compact', () => {
    assert.equal(formatDuration(45_000), '45s');
    assert.equal(formatDuration(3 * 60_000), '3m');
    assert.equal(formatDuration(3 * 3600_000 + 12 * 60_000), '3h 12m');
    assert.equal(formatDuration(2 * 86400_000 + 4 * 3600_000), '2d 4h');
    assert.equal(formatDuration(-1), '');
  });
});

describe('coalesced', () => {
  it('never overlaps runs, and a call during a run causes exactly one more', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const c = coalesced(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      running--;
    });
    const first = c.run();
    const during = [c.run(), c.run(), c.run()];
    await Promise.all([first, ...during]);
    assert.equal(maxRunning, 1);
    assert.equal(runs, 2, 'three calls during the first run add one run, not three');
    await c.settled();
    await c.run();
    assert.equal(runs, 3);
  });
});
