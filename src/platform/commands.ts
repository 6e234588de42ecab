// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import * as vscode from 'vscode';
import type { Logger } from '../core/util/logger';
import type { CommandId } from './commandIds';

export type CommandTable = Partial<Record<CommandId, (...args: never[]) => unknown>>;

/**
 * Registers a feature's command table. Every handler is wrapped so a failure is logged with its stack
 * and shown once, with a way to the log, instead of vanishing into the developer console.
 */
export function registerCommands(table: CommandTable, logger: Logger, showLog: () => void): vscode.Disposable[] {
  return Object.entries(table).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await (handler as (...a: unknown[]) => unknown)(...args);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        logger.error(e instanceof Error ? e : message);
        void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => {
          if (choice === 'Show Log') showLog();
        });
        return undefined;
      }
    }),
  );
}
