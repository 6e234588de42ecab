// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// One step of a multi-step quick input (a quick pick or an input box with a Back button), and what the
// test API sees of the one on screen.
import * as vscode from 'vscode';

export const BACK = Symbol('back');
export type Answer<T> = T | typeof BACK | undefined;

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

/** What is on screen, for the test API: a quick pick's items and active item, or an input box's value. */
export type PromptView =
  | { kind: 'pick'; title: string; step: number; totalSteps: number; placeholder: string; items: { label: string; description: string }[]; active: string | null }
  | { kind: 'input'; title: string; step: number; totalSteps: number; prompt: string; value: string; validationMessage: string | null };

interface Current {
  view(): PromptView;
  /** Makes the item whose label starts with `text` active (quick pick) or sets the value (input box). */
  answer(text: string): void;
}

let current: Current | undefined;

export function currentPrompt(): PromptView | null {
  return current?.view() ?? null;
}

export function answerPrompt(text: string): void {
  if (!current) throw new Error('no Collect Metrics prompt is showing');
  current.answer(text);
}

interface StepOpts {
  title: string;
  step: number;
  totalSteps: number;
}

/**
 * Shows `input` as step `opts.step` of `opts.totalSteps` until `wire`'s handlers call `finish`, Back is
 * pressed, or it is hidden (Esc: undefined); `me` is what the test API sees of it meanwhile.
 */
function runStep<T>(input: vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[]; onDidTriggerButton: vscode.Event<vscode.QuickInputButton> }, opts: StepOpts, me: Current, wire: (finish: (v: Answer<T>) => void) => vscode.Disposable[]): Promise<Answer<T>> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (v: Answer<T>) => {
      if (settled) return;
      settled = true;
      resolve(v);
      input.hide();
    };
    input.title = opts.title;
    input.step = opts.step;
    input.totalSteps = opts.totalSteps;
    input.ignoreFocusOut = true;
    input.buttons = opts.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    const subs: vscode.Disposable[] = [
      ...wire(finish),
      input.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) finish(BACK);
      }),
      input.onDidHide(() => {
        if (current === me) current = undefined;
        for (const d of subs) d.dispose();
        input.dispose();
        if (!settled) {
          settled = true;
          resolve(undefined);
        }
      }),
    ];
    current = me;
    input.show();
  });
}

/** A single-choice quick pick; resolves with the chosen item's value, BACK, or undefined (Esc). */
export function pickOne<T>(opts: StepOpts & { placeholder: string; items: PickItem<T>[]; active?: number }): Promise<Answer<T>> {
  const qp = vscode.window.createQuickPick<PickItem<T>>();
  qp.placeholder = opts.placeholder;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.items = opts.items;
  const first = opts.items[opts.active ?? 0];
  if (first) qp.activeItems = [first];
  const me: Current = {
    view: () => ({
      kind: 'pick',
      title: opts.title,
      step: opts.step,
      totalSteps: opts.totalSteps,
      placeholder: opts.placeholder,
      items: opts.items.map((i) => ({ label: i.label, description: i.description ?? '' })),
      active: qp.activeItems[0]?.label ?? null,
    }),
    answer: (text) => {
      const item = opts.items.find((i) => i.label === text) ?? opts.items.find((i) => i.label.replace(/^\$\([\w-~]+\)\s*/, '').startsWith(text)) ?? opts.items.find((i) => i.label.includes(text));
      if (!item) throw new Error(`no item "${text}" in ${opts.items.map((i) => i.label).join(', ')}`);
      qp.activeItems = [item];
    },
  };
  return runStep<T>(qp, opts, me, (finish) => [
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0] ?? qp.activeItems[0];
      if (item) finish(item.value);
    }),
  ]);
}

/** An input box whose value `parse` turns into T or an error (shown under the box; Enter then does nothing). */
export function inputStep<T>(opts: StepOpts & { value: string; prompt: (parsed: T) => string; placeholder: string; parse: (text: string) => T | { error: string } }): Promise<Answer<T>> {
  const ib = vscode.window.createInputBox();
  const isError = (r: T | { error: string }): r is { error: string } => typeof r === 'object' && r !== null && 'error' in r;
  const check = (text: string): T | undefined => {
    const r = opts.parse(text);
    if (isError(r)) {
      ib.validationMessage = r.error;
      return undefined;
    }
    ib.validationMessage = undefined;
    ib.prompt = opts.prompt(r);
    return r;
  };
  ib.placeholder = opts.placeholder;
  ib.value = opts.value;
  check(opts.value);
  const me: Current = {
    view: () => ({ kind: 'input', title: opts.title, step: opts.step, totalSteps: opts.totalSteps, prompt: ib.prompt ?? '', value: ib.value, validationMessage: typeof ib.validationMessage === 'string' ? ib.validationMessage : null }),
    answer: (text) => {
      ib.value = text;
      check(text);
    },
  };
  return runStep<T>(ib, opts, me, (finish) => [
    ib.onDidChangeValue((v) => void check(v)),
    ib.onDidAccept(() => {
      const r = check(ib.value);
      if (r !== undefined) finish(r);
    }),
  ]);
}
