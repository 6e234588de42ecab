// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// "Dynamo: Collect Metrics…": asks for the container, framework(s), soak parameters and engine and the
// notes folder (a multi-step quick input with remembered defaults), then runs the core procedure
// (src/core/inference/collect.ts) with a cancellable progress notification, a status bar item and an
// output channel, and ends with a message offering Compare. All the work is the core's.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { isRunning } from '../core/docker/discovery';
import { isLocalEndpoint } from '../core/docker/endpoint';
import type { ContainerInfo } from '../core/docker/model';
import { activeRuns, collectMetrics, type CollectEvent, type CollectResult } from '../core/inference/collect';
import { DEFAULTS, type CollectRequest, type Framework, type SoakEngine } from '../core/inference/options';
import type { Logger } from '../core/util/logger';
import type { ContainersModel } from '../containers/containersModel';
import { workspaceFolderRefs, type ContainersTree } from '../containers/containersTree';
import { frameworkLabel, stateDescription, type Node } from '../containers/nodes';
import type { CapturesTree } from '../metrics/capturesTree';
import { Commands, Views } from '../platform/commandIds';
import type { CommandTable } from '../platform/commands';
import { getConfig } from '../platform/config';
import {
  capturesToCompare,
  cliEquivalent,
  DEFAULT_SOAK_PARAMS,
  defaultContainer,
  failureLine,
  formatSoakParams,
  formatStepLine,
  frameworkChoiceLabel,
  frameworkChoices,
  frameworksOf,
  notesCandidates,
  parseSoakParams,
  RunStatus,
  runningDevContainers,
  savedNames,
  type FrameworkChoice,
  type SoakParams,
} from './inputs';
import { answerPrompt, BACK, currentPrompt, inputStep, pickOne, type PickItem, type PromptView } from './prompts';

/** What a run needs besides the settings; the quick picks produce it, the test API may pass it. */
export interface CollectInputs {
  /** Container name or id. */
  container: string;
  frameworks: Framework[];
  maxTokens?: number;
  requestsPerWorker?: number;
  workers?: number;
  soak?: SoakEngine;
  /** Host folder for the captures; default: what the core picks from the container's mounts. */
  notesDir?: string;
}

/** A run as the test API reports it. */
export interface RunView {
  container: string;
  frameworks: Framework[];
  active: boolean;
  /** Every distinct message the progress notification showed, in order (the last 500). */
  progress: string[];
  /** Every distinct status bar text, in order. */
  statusBar: string[];
  result: CollectResult | null;
}

/** A message a run ended with (or a refusal), for the test API; `choose` acts as a click on a button. */
export interface NotificationView {
  kind: 'info' | 'error';
  message: string;
  buttons: string[];
  choose(button: string): Promise<void>;
}

/** The test API (DynamoApi.collect). */
export interface CollectApi {
  /** Runs with these answers instead of the quick picks (same run path: progress, status bar, output,
   * closing message); resolves with the core's result, or undefined when refused. */
  run(inputs: CollectInputs): Promise<CollectResult | undefined>;
  /** The Collect Metrics quick pick / input box on screen, or null. */
  prompt(): PromptView | null;
  /** Quick pick: makes the item whose label is (or starts with) `text` the active one; input box: sets the
   * value. Then `workbench.action.acceptSelectedQuickOpenItem` accepts it as Enter would. */
  answer(text: string): void;
  /** Cancels the run on a container (as the notification's Cancel does); false when none runs there. */
  cancel(container: string): boolean;
  /** The last runs of this window, newest last. */
  runs(): RunView[];
  /** The closing messages (and refusals) shown so far, newest last. */
  notifications(): NotificationView[];
  /** What the "Dynamo: Collect Metrics" output channel received. */
  output(): string;
}

const LAST_KEY = 'dynamo.collect.last';

interface Remembered {
  container?: string;
  framework?: FrameworkChoice;
  params?: SoakParams;
  soak?: SoakEngine;
  /** Per container name: the notes folder picked last (null: automatic). */
  notes?: Record<string, string | null>;
}

/** The output channel, written in batches (the server can print hundreds of lines a second); made on first
 * use, so a window that never collects has no extra channel and activation does not pay for it. */
class BatchedOutput implements vscode.Disposable {
  private made: vscode.OutputChannel | undefined;
  get channel(): vscode.OutputChannel {
    return (this.made ??= vscode.window.createOutputChannel('Dynamo: Collect Metrics'));
  }
  private buf: string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** A copy for the test API, capped. */
  private copy = '';

  line(text: string): void {
    this.buf.push(text.length > 4000 ? text.slice(0, 4000) + '…' : text);
    this.timer ??= setTimeout(() => this.flush(), 150);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buf.length === 0) return;
    const text = this.buf.join('\n') + '\n';
    this.buf = [];
    this.channel.append(text);
    this.copy = (this.copy + text).slice(-1_000_000);
  }

  text(): string {
    this.flush();
    return this.copy;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.made?.dispose();
  }
}

class Run {
  readonly abort = new AbortController();
  readonly view: RunView;
  readonly status: RunStatus;
  readonly item: vscode.StatusBarItem;
  private cancelListeners: (() => void)[] = [];

  constructor(
    readonly container: { id: string; name: string },
    readonly req: CollectRequest,
  ) {
    this.status = new RunStatus(req.frameworks, req.workers * req.requestsPerWorker);
    this.view = { container: container.name, frameworks: [...req.frameworks], active: true, progress: [], statusBar: [], result: null };
    this.item = vscode.window.createStatusBarItem(`dynamo.collect.${container.id.slice(0, 12)}`, vscode.StatusBarAlignment.Left, 40);
    this.item.name = 'Dynamo: Collect Metrics';
    this.item.command = Commands.metricsShowCollectOutput;
  }

  cancel(): void {
    if (this.abort.signal.aborted) return;
    this.status.cancelling = true;
    this.abort.abort();
    for (const l of this.cancelListeners) l();
  }

  onCancel(l: () => void): void {
    this.cancelListeners.push(l);
  }

  /** Refreshes the status bar item; returns the progress message. */
  render(): string {
    const message = this.status.message();
    const text = `$(sync~spin) Collect Metrics: ${this.status.short()}`;
    this.item.text = text;
    this.item.tooltip = `Collect Metrics on ${this.container.name}: ${message}\nClick to show the output.`;
    const keep = (list: string[], v: string) => {
      if (list.at(-1) === v) return;
      list.push(v);
      if (list.length > 500) list.splice(0, list.length - 500);
    };
    keep(this.view.statusBar, text);
    keep(this.view.progress, message);
    return message;
  }
}

const tilde = (p: string) => {
  const h = homedir();
  return p === h || p.startsWith(h + '/') ? '~' + p.slice(h.length) : p;
};

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch (_e) {
    return false;
  }
};

export class CollectMetrics implements vscode.Disposable {
  private readonly out = new BatchedOutput();
  private readonly runs = new Map<string, Run>();
  private readonly history: RunView[] = [];
  private readonly shown: NotificationView[] = [];

  constructor(
    private readonly state: vscode.Memento,
    private readonly model: ContainersModel,
    private readonly tree: ContainersTree,
    private readonly captures: CapturesTree,
    private readonly log: Logger,
  ) {}

  commands(): CommandTable {
    return {
      [Commands.metricsCollect]: (node?: Node) => this.command(node),
      [Commands.metricsShowCollectOutput]: () => this.out.channel.show(true),
    };
  }

  readonly api: CollectApi = {
    run: async (inputs) => {
      const c = await this.findContainer(inputs.container);
      return this.start(c, inputs);
    },
    prompt: () => currentPrompt(),
    answer: (text) => answerPrompt(text),
    cancel: (container) => {
      const run = [...this.runs.values()].find((r) => r.container.name === container || r.container.id.startsWith(container));
      run?.cancel();
      return !!run;
    },
    runs: () => this.history.map((r) => ({ ...r, progress: [...r.progress], statusBar: [...r.statusBar] })),
    notifications: () => [...this.shown],
    output: () => this.out.text(),
  };

  /** The command: from the palette, the Metrics view's title, or a container's context menu (`node`). */
  private async command(node?: Node): Promise<CollectResult | undefined> {
    let preset: ContainerInfo | undefined;
    if (node?.kind === 'container' || node?.kind === 'mount') {
      preset = node.container;
      if (!isRunning(preset)) throw new Error(`Container ${preset.name} is not running: start it first.`);
    }
    const answers = await this.ask(preset);
    if (!answers) return undefined;
    return this.start(answers.container, answers.inputs);
  }

  private async containers(): Promise<ContainerInfo[]> {
    await this.model.refresh();
    const s = this.model.state;
    if (s.kind === 'unreachable') throw new Error(s.error);
    return s.kind === 'ok' ? s.containers : [];
  }

  private async findContainer(nameOrId: string): Promise<ContainerInfo> {
    const all = await this.containers();
    const c = all.find((x) => x.name === nameOrId || x.id === nameOrId) ?? all.find((x) => x.id.startsWith(nameOrId));
    if (!c) throw new Error(`No container "${nameOrId}" is listed.`);
    return c;
  }

  /** The quick picks; undefined when Esc was pressed at any step (nothing is started then). */
  private async ask(preset?: ContainerInfo): Promise<{ container: ContainerInfo; inputs: CollectInputs } | undefined> {
    const last = this.state.get<Remembered>(LAST_KEY, {});
    const title = 'Collect Metrics';
    const total = preset ? 4 : 5;
    const offset = preset ? 0 : 1;
    let container = preset;
    let framework: FrameworkChoice | undefined;
    let params: SoakParams | undefined;
    let soak: SoakEngine | undefined;
    let notes: string | null | undefined;
    let step = preset ? 1 : 0;
    const local = await this.model
      .client()
      .then((c) => isLocalEndpoint(c.endpoint))
      .catch(() => true);
    while (step < 5) {
      if (step === 0) {
        const running = runningDevContainers(await this.containers());
        if (running.length === 0) {
          void vscode.window.showInformationMessage('No dev container is running: start one in the Containers view, then run Collect Metrics again.');
          return undefined;
        }
        const activeUri = vscode.window.activeTextEditor?.document.uri;
        const activeFolder = activeUri ? vscode.workspace.getWorkspaceFolder(activeUri)?.uri.fsPath : undefined;
        const folders = workspaceFolderRefs();
        const dflt = defaultContainer(running, folders, { activeFolder, remembered: last.container });
        const groups = new Map(this.tree.groups().flatMap((g) => g.containers.map((x) => [x.container.id, g.label] as const)));
        const items: PickItem<ContainerInfo>[] = running.map((c) => ({
          label: c.name,
          description: `${frameworkLabel(c.framework)} · ${stateDescription(c)}${this.runs.has(c.id) ? ' · collecting' : ''}`,
          detail: c.localFolder ?? groups.get(c.id) ?? undefined,
          value: c,
        }));
        const a = await pickOne({ title, step: 1, totalSteps: total, placeholder: 'Collect metrics in which dev container?', items, active: Math.max(0, running.findIndex((c) => c.id === dflt?.id)) });
        if (a === undefined || a === BACK) return undefined;
        container = a;
        step = 1;
      } else if (step === 1) {
        const c = container!;
        const choices = frameworkChoices(c.framework);
        const remembered = last.container === c.name ? last.framework : undefined;
        const want: FrameworkChoice = remembered ?? (c.framework !== 'unknown' ? c.framework : last.framework) ?? 'vllm';
        const items: PickItem<FrameworkChoice>[] = choices.map((f) => ({
          label: frameworkChoiceLabel(f),
          description: f === 'all' ? 'one after another, each saved as metrics-<framework>.log' : `${frameworkLabel(f)}${f === c.framework ? ` · ${c.name}'s framework` : ''}`,
          value: f,
        }));
        const a = await pickOne({ title: `${title} on ${c.name}`, step: step + offset, totalSteps: total, placeholder: 'Which framework?', items, active: Math.max(0, choices.indexOf(want)) });
        if (a === undefined) return undefined;
        if (a === BACK) {
          step = preset ? 1 : 0;
          if (preset) return undefined;
          continue;
        }
        framework = a;
        step = 2;
      } else if (step === 2) {
        const base = params ?? last.params ?? DEFAULT_SOAK_PARAMS;
        const a = await inputStep<SoakParams>({
          title: `${title} on ${container!.name}: soak`,
          step: step + offset,
          totalSteps: total,
          value: formatSoakParams(base),
          placeholder: formatSoakParams(DEFAULT_SOAK_PARAMS),
          prompt: (p) => `Max tokens × requests per worker × workers: ${p.workers * p.requestsPerWorker} request${p.workers * p.requestsPerWorker === 1 ? '' : 's'} of up to ${p.maxTokens} tokens (default ${formatSoakParams(DEFAULT_SOAK_PARAMS)}).`,
          parse: (t) => parseSoakParams(t, DEFAULT_SOAK_PARAMS),
        });
        if (a === undefined) return undefined;
        if (a === BACK) {
          step = 1;
          continue;
        }
        params = a;
        step = 3;
      } else if (step === 3) {
        const items: PickItem<SoakEngine>[] = [
          { label: '$(terminal) soak_fe.py in the container', description: 'the dynamo-utils soak script', detail: 'Server-side metrics only; failed attempts are read from /tmp/soak_llm.log.', value: 'script' },
          {
            label: '$(pulse) Built-in load generator',
            description: 'client-side TTFT/ITL',
            detail: local ? 'Streams from this machine and saves client-side TTFT, ITL, e2e and tok/s as metrics-<framework>.soak.json.' : 'Needs the frontend reachable from this machine (the Docker engine is not local, so it probably is not).',
            value: 'builtin',
          },
        ];
        const want = soak ?? last.soak ?? DEFAULTS.soak;
        const a = await pickOne({ title: `${title} on ${container!.name}: soak engine`, step: step + offset, totalSteps: total, placeholder: 'Which load generator?', items, active: want === 'builtin' ? 1 : 0 });
        if (a === undefined) return undefined;
        if (a === BACK) {
          step = 2;
          continue;
        }
        soak = a;
        step = 4;
      } else {
        const c = container!;
        const candidates = notesCandidates(c.mounts, isDir);
        const remembered = last.notes?.[c.name];
        const items: PickItem<string | null | 'browse'>[] = candidates.map((p) => {
          const m = c.mounts.find((x) => x.source === p);
          return { label: tilde(p), description: m ? `mounted at ${m.destination}` : 'the utils folder’s notes/', value: p };
        });
        if (typeof remembered === 'string' && !candidates.includes(remembered)) items.push({ label: tilde(remembered), description: 'used last time', value: remembered });
        if (candidates.length === 0) items.unshift({ label: 'Automatic', description: 'the container’s notes mount, or <utils>/notes (decided when the run starts)', value: null });
        items.push({ label: '$(folder-opened) Browse…', description: 'another host folder', value: 'browse' });
        const wantIdx = Math.max(0, items.findIndex((i) => i.value === (notes !== undefined ? notes : remembered !== undefined ? remembered : candidates[0] ?? null)));
        const a = await pickOne({ title: `${title} on ${c.name}: save to`, step: step + offset, totalSteps: total, placeholder: 'Save the captures (metrics-<framework>.log) in which host folder?', items, active: wantIdx });
        if (a === undefined) return undefined;
        if (a === BACK) {
          step = 3;
          continue;
        }
        if (a === 'browse') {
          const picked = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Save Captures Here', title: 'Notes folder for the captures', ...(candidates[0] ? { defaultUri: vscode.Uri.file(candidates[0]) } : {}) });
          if (!picked?.[0]) continue; // back to the folder choice
          notes = picked[0].fsPath;
        } else notes = a;
        step = 5;
      }
    }
    const c = container!;
    await this.state.update(LAST_KEY, { ...last, container: c.name, framework, params, soak, notes: { ...(last.notes ?? {}), [c.name]: notes ?? null } } satisfies Remembered);
    return {
      container: c,
      inputs: { container: c.id, frameworks: frameworksOf(framework!), ...params!, soak: soak!, ...(notes ? { notesDir: notes } : {}) },
    };
  }

  private request(c: ContainerInfo, inputs: CollectInputs): CollectRequest {
    const utils = getConfig('collect.utilsFolder').trim();
    return {
      ...DEFAULTS,
      container: c.id,
      frameworks: inputs.frameworks,
      maxTokens: inputs.maxTokens ?? DEFAULTS.maxTokens,
      requestsPerWorker: inputs.requestsPerWorker ?? DEFAULTS.requestsPerWorker,
      workers: inputs.workers ?? DEFAULTS.workers,
      soak: inputs.soak ?? DEFAULTS.soak,
      serverCommand: getConfig('collect.serverCommand') || DEFAULTS.serverCommand,
      soakCommand: getConfig('collect.soakCommand') || DEFAULTS.soakCommand,
      serverEnv: { ...(getConfig('collect.serverEnvironment') ?? {}) },
      readyTimeoutSeconds: getConfig('collect.readyTimeoutSeconds'),
      soakTimeoutSeconds: getConfig('collect.soakTimeoutSeconds'),
      frontendPort: getConfig('collect.frontendPort'),
      backendPort: getConfig('collect.backendPort'),
      keepRunning: getConfig('collect.keepRunning'),
      ...(utils ? { utilsDir: utils } : {}),
      ...(inputs.notesDir ? { notesDir: inputs.notesDir } : {}),
    };
  }

  /** Runs the procedure on `c` with progress, status bar and output; resolves with the result (undefined when refused). */
  private async start(c: ContainerInfo, inputs: CollectInputs): Promise<CollectResult | undefined> {
    const client = await this.model.client();
    // checked and claimed with no await in between
    if (this.runs.has(c.id) || activeRuns().has(c.id)) {
      this.notify('error', `Collect Metrics is already running on ${c.name}: wait for it to finish, or cancel it (Cancel on its notification) first.`, ['Show Output']);
      return undefined;
    }
    const req = this.request(c, inputs);
    const run = new Run({ id: c.id, name: c.name }, req);
    this.runs.set(c.id, run);
    this.history.push(run.view);
    if (this.history.length > 20) this.history.shift();
    const o = this.out;
    const multi = () => this.runs.size > 1;
    const tag = () => (multi() ? `${c.name} ` : '');
    o.line('');
    o.line(`=== ${new Date().toISOString()} Collect Metrics on ${c.name}: ${req.frameworks.join(' → ')}, ${formatSoakParams(req)}, soak ${req.soak === 'script' ? 'soak_fe.py' : 'built-in load generator'}, notes ${req.notesDir ?? 'from the mounts'}`);
    o.line(`    same from a terminal: ${cliEquivalent(c.name, req)}`);
    run.item.show();
    run.render();

    // The progress notification the events and the ticker report to. The workbench closes a cancellable
    // notification when its Cancel is pressed, so cancelling swaps it for one saying "Cancelling: cleaning up…".
    let sink: ((p: { message: string; increment?: number }) => void) | null = null;
    let reportedSteps = 0;
    const report = () => {
      const message = run.render();
      const steps = run.status.finishedSteps;
      const increment = steps > reportedSteps ? ((steps - reportedSteps) * 100) / run.status.totalSteps : undefined;
      reportedSteps = steps;
      sink?.(increment !== undefined && !run.status.cancelling ? { message, increment } : { message });
    };
    const onEvent = (e: CollectEvent) => {
      if (e.type === 'step') o.line(`${tag()}${formatStepLine(e.step)}`);
      else if (e.type === 'log') o.line(`    ${tag()}${e.framework} ${e.source}| ${e.line}`);
      if (run.status.take(e)) report();
    };
    let cancelled!: () => void;
    const onCancelled = new Promise<void>((resolve) => (cancelled = resolve));
    run.onCancel(() => {
      o.line(`${tag()}Cancelled: cleaning up (stopping what this run started)…`);
      cancelled();
      report();
    });
    const ticker = setInterval(report, 1000);
    const title = `Collect Metrics on ${c.name}`;
    let result: CollectResult;
    try {
      const running = collectMetrics(req, { docker: client.docker, localEngine: isLocalEndpoint(client.endpoint), logger: this.log }, { signal: run.abort.signal, onEvent });
      let finished = false;
      void running.then(() => (finished = true));
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
        sink = (p) => progress.report(p);
        report();
        const sub = token.onCancellationRequested(() => run.cancel());
        try {
          await Promise.race([running, onCancelled]);
        } finally {
          sub.dispose();
          sink = null;
        }
      });
      if (!finished) {
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: false }, async (progress) => {
          sink = (p) => progress.report(p);
          report();
          await running;
        });
      }
      result = await running;
    } finally {
      clearInterval(ticker);
      sink = null;
      this.runs.delete(c.id);
      run.view.active = false;
      run.item.dispose();
    }
    run.view.result = result;
    o.line(`${tag()}=== ${result.cancelled ? 'cancelled' : result.error ? 'FAILED' : 'done'}${result.files.length ? `; saved ${result.files.join(', ')}` : ''}`);
    o.flush();
    await this.finish(c, result);
    return result;
  }

  /** Refreshes the Metrics view and shows the closing message (not awaited: its buttons act later). */
  private async finish(c: ContainerInfo, result: CollectResult): Promise<void> {
    const notes = result.notesDir;
    let listed = true;
    if (result.files.length > 0) {
      try {
        await this.captures.refresh();
        const snap = await this.captures.snapshot({ cached: true });
        listed = !!notes && snap.folders.some((f) => f.path === notes);
      } catch (e) {
        this.log.warn(`Collect Metrics: the Metrics view could not be refreshed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const compare = capturesToCompare(result.files);
    const whereNote = listed ? '' : ` (the Metrics view does not list this folder: add it to "dynamo.notesFolders" to see it there)`;
    if (result.cancelled) {
      const cleanup = result.steps.filter((s) => s.name === 'cleanup').at(-1);
      this.notify('info', `Collect Metrics on ${c.name} cancelled${cleanup ? `; clean-up: ${cleanup.detail.split('\n')[0]}` : ''}${result.files.length ? `. Saved before that: ${savedNames(result.files)} in ${notes}` : ''}.`, ['Show Output', ...(compare.length ? ['Compare'] : [])], compare, notes);
    } else if (result.error) {
      this.notify('error', `Collect Metrics on ${c.name} failed: ${failureLine(result)}${result.files.length ? ` (saved ${savedNames(result.files)} in ${notes})` : ''}`, ['Show Output', ...(compare.length ? ['Compare'] : [])], compare, notes);
    } else {
      this.notify('info', `Saved ${savedNames(result.files)} in ${notes ? tilde(notes) : '?'}${whereNote}`, ['Compare', ...(listed ? ['Show in Metrics View'] : []), 'Open Folder'], compare, notes);
    }
  }

  private notify(kind: 'info' | 'error', message: string, buttons: string[], compare: string[] = [], notes: string | null = null): void {
    let chooseNow: (b: string | undefined) => void = () => undefined;
    const chosen = new Promise<string | undefined>((resolve) => {
      chooseNow = resolve;
      void (kind === 'error' ? vscode.window.showErrorMessage(message, ...buttons) : vscode.window.showInformationMessage(message, ...buttons)).then(resolve);
    });
    let acted: Promise<void> | undefined;
    const act = chosen.then((b) => {
      acted ??= this.act(b, compare, notes);
      return acted;
    });
    this.shown.push({
      kind,
      message,
      buttons,
      choose: async (b) => {
        chooseNow(b);
        await act;
      },
    });
    if (this.shown.length > 50) this.shown.shift();
  }

  private async act(button: string | undefined, compare: string[], notes: string | null): Promise<void> {
    try {
      if (button === 'Show Output') this.out.channel.show(true);
      else if (button === 'Compare') {
        const uris = compare.map((f) => vscode.Uri.file(f));
        if (uris.length > 0) await vscode.commands.executeCommand(Commands.metricsCompare, uris[0], uris);
      } else if (button === 'Show in Metrics View') await vscode.commands.executeCommand(`${Views.metrics}.focus`);
      else if (button === 'Open Folder' && notes) {
        const uri = vscode.Uri.file(notes);
        if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
        else if (existsSync(notes)) await vscode.commands.executeCommand('revealFileInOS', uri);
      }
    } catch (e) {
      const m = e instanceof Error ? e.message : String(e);
      this.log.error(`Collect Metrics: ${button}: ${m}`);
      void vscode.window.showErrorMessage(`${button}: ${m}`);
    }
  }

  dispose(): void {
    for (const r of this.runs.values()) r.cancel();
    for (const r of this.runs.values()) r.item.dispose();
    this.out.dispose();
  }
}
