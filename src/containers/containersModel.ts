// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import * as vscode from 'vscode';
import { connectDocker, DockerUnreachableError, type DockerClient } from '../core/docker/client';
import { describeEndpoint, EndpointError, resolveEndpoint } from '../core/docker/endpoint';
import { watchContainerEvents, type ChangeReason } from '../core/docker/events';
import type { ContainerInfo } from '../core/docker/model';
import { coalesced } from '../core/util/coalesce';
import type { Disposable as CoreDisposable } from '../core/util/disposable';
import type { Logger } from '../core/util/logger';
import { getConfig, onConfigChange } from '../platform/config';

export type ModelState =
  | { kind: 'loading' }
  | { kind: 'ok'; containers: ContainerInfo[]; listedAt: number }
  | { kind: 'unreachable'; error: string };

/**
 * Owns the engine connection and the last container listing. Watches Docker events only while someone
 * looks at the view (`setVisible(true)`); while the engine is unreachable and the view is visible it
 * retries on the slow poll interval, so the view recovers by itself when Docker comes up.
 */
export class ContainersModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ModelState>();
  readonly onDidChange = this.changed.event;
  private clientPromise: Promise<DockerClient> | undefined;
  private watch: CoreDisposable | undefined;
  private listening = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly lister = coalesced(() => this.listOnce());
  private visible = false;
  private readonly disposables: vscode.Disposable[] = [];
  state: ModelState = { kind: 'loading' };

  constructor(private readonly log: Logger) {
    this.disposables.push(
      this.changed,
      onConfigChange(['docker.host'], () => {
        this.log.info('dynamo.docker.host changed; reconnecting.');
        this.resetConnection();
        void this.refresh();
      }),
      onConfigChange(['containers.showNonDevContainers'], () => void this.refresh()),
      onConfigChange(['containers.eventDebounceMs', 'containers.pollIntervalSeconds'], () => {
        this.stopWatching();
        if (this.visible) this.startWatching();
      }),
    );
  }

  get isVisible(): boolean {
    return this.visible;
  }

  /** True while the Docker events stream is open (false while polling or hidden). */
  get isWatching(): boolean {
    return this.watch !== undefined && this.listening;
  }

  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    if (visible) {
      void this.refresh();
      this.startWatching();
    } else {
      this.stopWatching();
      this.clearRetry();
    }
  }

  /** The connected client (connecting on first use). Throws DockerUnreachableError / EndpointError. */
  async client(): Promise<DockerClient> {
    if (!this.clientPromise) {
      const p = (async () => connectDocker(resolveEndpoint(getConfig('docker.host'))))();
      this.clientPromise = p;
      p.catch(() => {
        if (this.clientPromise === p) this.clientPromise = undefined;
      });
    }
    return this.clientPromise;
  }

  /** Lists containers now; concurrent calls share one listing, and a call during a listing queues one more. */
  refresh(): Promise<void> {
    return this.lister.run();
  }

  /** Resolves once no listing is running. */
  settled(): Promise<void> {
    return this.lister.settled();
  }

  private async listOnce(): Promise<void> {
    try {
      const client = await this.client();
      const containers = await client.listContainers({ includeNonDev: getConfig('containers.showNonDevContainers') });
      this.clearRetry();
      this.setState({ kind: 'ok', containers, listedAt: Date.now() });
      if (this.visible && !this.watch) this.startWatching();
    } catch (e) {
      if (!(e instanceof DockerUnreachableError) && !(e instanceof EndpointError)) {
        this.log.error(e instanceof Error ? e : String(e));
      } else {
        this.log.warn(e.message);
      }
      this.resetConnection();
      this.setState({ kind: 'unreachable', error: e instanceof Error ? e.message : String(e) });
      this.scheduleRetry();
    }
  }

  private setState(s: ModelState): void {
    this.state = s;
    this.changed.fire(s);
  }

  private startWatching(): void {
    if (this.watch || !this.visible) return;
    const pending = this.client();
    // The watch is attached once the client exists; if connecting fails, listOnce() reports it.
    const holder: { inner?: CoreDisposable; disposed: boolean } = { disposed: false };
    this.watch = {
      dispose: () => {
        holder.disposed = true;
        holder.inner?.dispose();
      },
    };
    pending.then(
      (client) => {
        if (holder.disposed) return;
        this.log.debug(`Watching Docker events at ${describeEndpoint(client.endpoint)}.`);
        holder.inner = watchContainerEvents(client.docker, (reason) => this.onEngineChange(reason), {
          debounceMs: getConfig('containers.eventDebounceMs'),
          pollIntervalMs: getConfig('containers.pollIntervalSeconds') * 1000,
          logger: this.log,
          onListening: () => (this.listening = true),
          onLost: () => (this.listening = false),
        });
      },
      () => {
        if (this.watch && !holder.disposed) this.watch = undefined;
      },
    );
  }

  private onEngineChange(reason: ChangeReason): void {
    if (reason.kind === 'event') this.log.debug(`Docker events: ${reason.events.map((e) => `${e.action} ${e.name ?? e.id.slice(0, 12)}`).join(', ')}`);
    void this.refresh();
  }

  private stopWatching(): void {
    this.watch?.dispose();
    this.watch = undefined;
    this.listening = false;
  }

  private resetConnection(): void {
    this.stopWatching();
    this.clientPromise = undefined;
  }

  private scheduleRetry(): void {
    if (!this.visible || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.refresh();
    }, getConfig('containers.pollIntervalSeconds') * 1000);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  dispose(): void {
    this.stopWatching();
    this.clearRetry();
    for (const d of this.disposables) d.dispose();
  }
}
