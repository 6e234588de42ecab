// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// Modal confirmations and notifications that the extension-host tests can see and answer (a modal
// dialog cannot be clicked from the extension host; the UI tier clicks the real one).
import * as vscode from 'vscode';

export interface Shown {
  kind: 'confirm' | 'info' | 'warning' | 'error';
  message: string;
  detail?: string;
  buttons: string[];
}

const shown: Shown[] = [];
let answers: (string | undefined)[] | null = null;
let notificationAnswers: (string | undefined)[] | null = null;

/** Test API: the next confirmations are answered with these (in order) instead of showing a dialog. */
export function answerConfirmations(next: (string | undefined)[] | null): void {
  answers = next === null ? null : [...next];
}

/**
 * Test API: the next notifications resolve with these (in order: a button's label, or undefined for a
 * notification closed without a click) at once, instead of being shown; once they are used up, further
 * notifications resolve with undefined. Null: show notifications again.
 */
export function answerNotifications(next: (string | undefined)[] | null): void {
  notificationAnswers = next === null ? null : [...next];
}

export function shownMessages(): Shown[] {
  return [...shown];
}

function record(s: Shown): void {
  shown.push(s);
  if (shown.length > 200) shown.splice(0, shown.length - 200);
}

/** A modal warning with one or more actions; resolves with the chosen action or undefined (Cancel). */
export async function confirm(message: string, detail: string, ...actions: string[]): Promise<string | undefined> {
  record({ kind: 'confirm', message, detail, buttons: actions });
  if (answers) return answers.shift();
  return vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions);
}

/** A non-modal notification; resolves with the button clicked, if any. */
export function notify(kind: 'info' | 'warning' | 'error', message: string, ...buttons: string[]): Thenable<string | undefined> {
  record({ kind, message, buttons });
  if (notificationAnswers) return Promise.resolve(notificationAnswers.shift());
  const show = kind === 'info' ? vscode.window.showInformationMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  return show(message, ...buttons);
}
