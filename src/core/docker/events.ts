// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import type Dockerode from 'dockerode';
import { debounce } from '../util/debounce';
import type { Disposable } from '../util/disposable';
import { nullLogger, type Logger } from '../util/logger';

/** Container events that change what the Containers view shows. exec_* events (our own execs) are ignored. */
const RELEVANT = new Set(['create', 'start', 'restart', 'stop', 'die', 'kill', 'destroy', 'pause', 'unpause', 'rename', 'update', 'oom']);

export function isRelevantEvent(action: string): boolean {
  return RELEVANT.has(action) || action.startsWith('health_status');
}

export interface ContainerEvent {
  action: string;
  id: string;
  name: string | null;
}

/** Splits a Docker events byte stream (JSON objects, one per line, chunked arbitrarily) into events. */
export class EventLineParser {
  private buffer = '';
  push(chunk: string): ContainerEvent[] {
    this.buffer += chunk;
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    const events: ContainerEvent[] = [];
    for (const line of lines) {
      const t = line.trim();
      if (t === '') continue;
      let e: { Type?: string; Action?: string; status?: string; id?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } };
      try {
        e = JSON.parse(t);
      } catch (_err) {
        continue; // A malformed line says nothing about containers; the next one may.
      }
      if (e.Type !== undefined && e.Type !== 'container') continue;
      const action = e.Action ?? e.status ?? '';
      events.push({ action, id: e.Actor?.ID ?? e.id ?? '', name: e.Actor?.Attributes?.name ?? null });
    }
    return events;
  }
}

export interface WatchOptions {
  debounceMs?: number;
  /** Poll interval used only while the events stream is down. */
  pollIntervalMs?: number;
  logger?: Logger;
  /** Called each time the events stream is open and listening (first connect and every reconnect). */
  onListening?: () => void;
  /** Called when the stream is lost and polling takes over. */
  onLost?: () => void;
}

export type ChangeReason = { kind: 'event'; events: ContainerEvent[] } | { kind: 'poll' } | { kind: 'reconnected' };

/**
 * Calls `onChange` (debounced) when containers are created, started, stopped, renamed or removed, from
 * the engine's events stream. When the stream fails it falls back to a slow poll and keeps trying to
 * reconnect; once it is back, polling stops.
 */
export function watchContainerEvents(docker: Dockerode, onChange: (reason: ChangeReason) => void, opts: WatchOptions = {}): Disposable {
  const log = opts.logger ?? nullLogger;
  const pollMs = opts.pollIntervalMs ?? 30000;
  let disposed = false;
  let stream: NodeJS.ReadableStream | undefined;
  let pollTimer: ReturnType<typeof setInterval> | undefined;
  let pending: ContainerEvent[] = [];
  const fire = debounce(() => {
    const events = pending;
    pending = [];
    onChange({ kind: 'event', events });
  }, opts.debounceMs ?? 300);

  const startPolling = () => {
    if (pollTimer || disposed) return;
    log.warn(`Docker events stream unavailable; polling every ${Math.round(pollMs / 1000)} s until it is back.`);
    pollTimer = setInterval(() => {
      onChange({ kind: 'poll' });
      void connect(true);
    }, pollMs);
  };
  const stopPolling = () => {
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = undefined;
  };

  let connecting = false;
  async function connect(isRetry: boolean): Promise<void> {
    if (disposed || stream || connecting) return;
    connecting = true;
    try {
      const s = (await docker.getEvents({ filters: { type: ['container'] } })) as NodeJS.ReadableStream;
      if (disposed) {
        (s as unknown as { destroy?: () => void }).destroy?.();
        return;
      }
      stream = s;
      const parser = new EventLineParser();
      s.setEncoding?.('utf8');
      s.on('data', (chunk: string | Buffer) => {
        const relevant = parser.push(chunk.toString()).filter((e) => isRelevantEvent(e.action));
        if (relevant.length > 0) {
          pending.push(...relevant);
          fire.trigger();
        }
      });
      const lost = (why: string) => {
        if (stream !== s) return;
        stream = undefined;
        if (disposed) return;
        log.warn(`Docker events stream ${why}.`);
        opts.onLost?.();
        startPolling();
      };
      s.on('error', (e: Error) => lost(`failed: ${e.message}`));
      s.on('end', () => lost('ended'));
      s.on('close', () => lost('closed'));
      opts.onListening?.();
      if (isRetry) {
        log.info('Docker events stream reconnected.');
        stopPolling();
        onChange({ kind: 'reconnected' });
      }
    } catch (e) {
      log.warn(`Cannot open the Docker events stream: ${e instanceof Error ? e.message : String(e)}`);
      startPolling();
    } finally {
      connecting = false;
    }
  }

  void connect(false);
  return {
    dispose() {
      disposed = true;
      fire.dispose();
      stopPolling();
      const s = stream as unknown as { destroy?: () => void } | undefined;
      stream = undefined;
      s?.destroy?.();
    },
  };
}
