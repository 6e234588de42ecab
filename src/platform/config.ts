// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import * as vscode from 'vscode';
import { DEFAULT_API_BASE } from '../core/github/apiBase';
import { DEFAULT_MAX_ATTEMPTS } from '../core/github/guardrails';
import { DEFAULT_POLL_CONFIG } from '../core/github/polling';
import { DEFAULTS as COLLECT_DEFAULTS } from '../core/inference/options';

/** Mirrors contributes.configuration in package.json. */
export interface Config {
  'docker.host': string;
  'docker.path': string;
  'containers.showNonDevContainers': boolean;
  'containers.eventDebounceMs': number;
  'containers.pollIntervalSeconds': number;
  'containers.confirmStop': boolean;
  notesFolders: string[];
  'collect.serverCommand': string;
  'collect.soakCommand': string;
  'collect.serverEnvironment': Record<string, string>;
  'collect.readyTimeoutSeconds': number;
  'collect.soakTimeoutSeconds': number;
  'collect.frontendPort': number;
  'collect.backendPort': number;
  'collect.utilsFolder': string;
  'collect.keepRunning': boolean;
  'github.apiUrl': string;
  'github.remotes': string[];
  'github.maxRerunAttempts': number;
  'github.pollPendingSeconds': number;
  'github.pollSettledSeconds': number;
  'github.notifyWhenChecksFinish': boolean;
  'github.statusBar': boolean;
  'backup.offerGitignore': boolean;
  'tasks.python': string;
  'tasks.buildEmail': string;
  'tasks.logFolder': string;
}

const DEFAULTS: Config = {
  'docker.host': '',
  'docker.path': 'docker',
  'containers.showNonDevContainers': false,
  'containers.eventDebounceMs': 300,
  'containers.pollIntervalSeconds': 30,
  'containers.confirmStop': true,
  notesFolders: [],
  'collect.serverCommand': COLLECT_DEFAULTS.serverCommand,
  'collect.soakCommand': COLLECT_DEFAULTS.soakCommand,
  'collect.serverEnvironment': {},
  'collect.readyTimeoutSeconds': COLLECT_DEFAULTS.readyTimeoutSeconds,
  'collect.soakTimeoutSeconds': COLLECT_DEFAULTS.soakTimeoutSeconds,
  'collect.frontendPort': COLLECT_DEFAULTS.frontendPort,
  'collect.backendPort': COLLECT_DEFAULTS.backendPort,
  'collect.utilsFolder': '',
  'collect.keepRunning': COLLECT_DEFAULTS.keepRunning,
  'github.apiUrl': DEFAULT_API_BASE,
  'github.remotes': ['origin', 'upstream'],
  'github.maxRerunAttempts': DEFAULT_MAX_ATTEMPTS,
  'github.pollPendingSeconds': DEFAULT_POLL_CONFIG.fastMs / 1000,
  'github.pollSettledSeconds': DEFAULT_POLL_CONFIG.slowMs / 1000,
  'github.notifyWhenChecksFinish': false,
  'github.statusBar': true,
  'backup.offerGitignore': true,
  'tasks.python': 'python3',
  'tasks.buildEmail': '',
  'tasks.logFolder': '',
};

export function getConfig<K extends keyof Config>(key: K): Config[K] {
  return vscode.workspace.getConfiguration('dynamo').get<Config[K]>(key, DEFAULTS[key]);
}

export function onConfigChange(keys: readonly (keyof Config)[], listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (keys.some((k) => e.affectsConfiguration(`dynamo.${k}`))) listener();
  });
}
