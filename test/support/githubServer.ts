// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// Local stand-in for GitHub's REST API for "CI at a glance" tests (test code, not shipped).
// Usage: const gh = await startGitHubServer({ token: 't' }); gh.addPull({ number: 1, head: 'feat' }); …; await gh.close();
// Responses are checked against GitHub's OpenAPI description with validateResponse (test/unit/githubServer.test.ts).
export { GitHubServer, MESSAGES, startGitHubServer } from './github/server';
export type { FaultKind, FaultSpec, RecordedAction, RecordedRequest, StartOptions } from './github/server';
export * from './github/factories';
export { assertValidResponse, responseSchema, validateResponse, validateSchema } from './github/openapi';
