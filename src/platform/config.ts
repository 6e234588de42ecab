// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import * as vscode from 'vscode';

/** Mirrors contributes.configuration in package.json. */
export interface Config {
  'docker.host': string;
  'docker.path': string;
  'containers.showNonDevContainers': boolean;
  'containers.eventDebounceMs': number;
  'containers.pollIntervalSeconds': number;
  'containers.confirmStop': boolean;
  notesFolders: string[];
}

const DEFAULTS: Config = {
  'docker.host': '',
  'docker.path': 'docker',
  'containers.showNonDevContainers': false,
  'containers.eventDebounceMs': 300,
  'containers.pollIntervalSeconds': 30,
  'containers.confirmStop': true,
  notesFolders: [],
};

export function getConfig<K extends keyof Config>(key: K): Config[K] {
  return vscode.workspace.getConfiguration('dynamo').get<Config[K]>(key, DEFAULTS[key]);
}

export function onConfigChange(keys: readonly (keyof Config)[], listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (keys.some((k) => e.affectsConfiguration(`dynamo.${k}`))) listener();
  });
}
