// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Types for fixtures.mjs (test/tsconfig.json does not check JavaScript, so TypeScript reads these).
import type Docker from 'dockerode';

export declare const DEFAULT_TEST_IMAGE: string;
/** Absolute path of test/fake-dynamo (the fake Dynamo stack). */
export declare const FAKE_DYNAMO_DIR: string;
export declare const SLEEP_COMMAND: string[];
export declare function untilTrapSet(container: Docker.Container): Promise<void>;
export declare function testImage(): string;
export declare function dockerFromEnv(): Docker;
export declare function uniquePrefix(label?: string): string;
export declare function removeQuietly(docker: Docker, what: { containers?: string[]; tags?: string[] }): Promise<void>;
export declare function tagImage(docker: Docker, image: string, repo: string): Promise<void>;

export interface FixtureContainer {
  id: string;
  name: string;
  image: string;
}

export interface DevContainerFixture {
  /** Real path of the fixture's host directory. */
  root: string;
  prefix: string;
  images: { dynamo1: string; dynamo2: string; dynamo3: string; dynamoCi: string };
  workspaceFolders: { name: string; path: string }[];
  containers: {
    dynamo1: FixtureContainer;
    dynamo2: FixtureContainer;
    other: FixtureContainer;
    stopped: FixtureContainer;
    unrelated: FixtureContainer;
  };
  cleanup(): Promise<void>;
}

export declare function createDevContainerFixture(opts: {
  root: string;
  prefix: string;
  docker?: Docker;
  image?: string;
  /** Install test/fake-dynamo/ as the utils folder (/home/dynamo/utils in dynamo1) and Dynamo's backend deploy files in /workspace. */
  fakeDynamo?: boolean;
}): Promise<DevContainerFixture>;

export declare function waitFor<T>(predicate: () => T | Promise<T>, opts?: { timeoutMs?: number; intervalMs?: number; what?: string }): Promise<NonNullable<T>>;
