// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/** Every command the extension contributes; a unit test checks this against package.json. */
export const Commands = {
  containersRefresh: 'dynamo.containers.refresh',
  containersOpenShell: 'dynamo.containers.openShell',
  containersShowLogs: 'dynamo.containers.showLogs',
  containersInspect: 'dynamo.containers.inspect',
  containersStart: 'dynamo.containers.start',
  containersStop: 'dynamo.containers.stop',
  containersCopyId: 'dynamo.containers.copyId',
  containersCopyPath: 'dynamo.containers.copyPath',
  containersOpenInContainer: 'dynamo.containers.openInContainer',
  containersCheckDocker: 'dynamo.containers.checkDocker',
  metricsCompare: 'dynamo.metrics.compare',
  metricsRefresh: 'dynamo.metrics.refresh',
  metricsOpenRaw: 'dynamo.metrics.openRaw',
  metricsReveal: 'dynamo.metrics.reveal',
  metricsDelete: 'dynamo.metrics.delete',
  metricsCollect: 'dynamo.metrics.collect',
  metricsShowCollectOutput: 'dynamo.metrics.showCollectOutput',
  githubRefresh: 'dynamo.github.refresh',
  githubFocusChecks: 'dynamo.github.focusChecks',
  githubSignIn: 'dynamo.github.signIn',
  githubSignInWithToken: 'dynamo.github.signInWithToken',
  githubSignOut: 'dynamo.github.signOut',
  githubShowChecksForPr: 'dynamo.github.showChecksForPr',
  githubShowCurrentBranch: 'dynamo.github.showCurrentBranch',
  githubOpenOnGitHub: 'dynamo.github.openOnGitHub',
  githubShowLog: 'dynamo.github.showLog',
  githubRerunFailedJobs: 'dynamo.github.rerunFailedJobs',
  githubRerunRun: 'dynamo.github.rerunRun',
  githubCancelRun: 'dynamo.github.cancelRun',
  openDockerSettings: 'dynamo.openDockerSettings',
  showLog: 'dynamo.showLog',
  backupFile: 'dynamo.backupFile',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  containers: 'dynamo.views.containers',
  metrics: 'dynamo.views.metrics',
  prChecks: 'dynamo.views.prChecks',
  runs: 'dynamo.views.runs',
} as const;

export const ContextKeys = {
  /** 'ok' | 'empty' | 'unreachable'; unset while the first listing runs. */
  dockerState: 'dynamo.docker.state',
  /** The CI views' phase (src/github/ciModel.ts Phase): 'no-token', 'no-pr', 'ok', … */
  githubPhase: 'dynamo.github.phase',
} as const;
