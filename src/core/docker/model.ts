// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/** The inference framework a dev container is set up for. */
export type Framework = 'vllm' | 'sglang' | 'trtllm' | 'unknown';
export const FRAMEWORKS: readonly Exclude<Framework, 'unknown'>[] = ['vllm', 'sglang', 'trtllm'];

/** Where the framework was read from, so the UI can say how sure it is. */
export type FrameworkSource = 'configFile' | 'image' | 'none';

/** The subset of Docker's ContainerSummary (GET /containers/json) that discovery reads. */
export interface RawContainer {
  Id: string;
  Names?: string[] | null;
  Image?: string;
  ImageID?: string;
  Created?: number;
  State?: string;
  Status?: string;
  Labels?: Record<string, string> | null;
  Mounts?: RawMount[] | null;
}

export interface RawMount {
  Type?: string;
  Name?: string;
  Source?: string;
  Destination: string;
  RW?: boolean;
  Mode?: string;
}

export interface Mount {
  /** Host path for bind mounts; for volumes, the volume's path on the engine's host. */
  source: string;
  destination: string;
  readOnly: boolean;
  /** `bind`, `volume`, `tmpfs`, … */
  type: string;
  /** Volume name, when `type` is `volume`. */
  name: string | null;
}

/** One container as discovery reports it (the CLI's `--json` prints these). */
export interface ContainerInfo {
  id: string;
  shortId: string;
  name: string;
  image: string;
  state: string;
  /** Docker's own status text, e.g. "Up 3 hours (healthy)" or "Exited (137) 2 days ago". */
  status: string;
  /** Creation time, ISO 8601. */
  created: string | null;
  isDevContainer: boolean;
  /** Host folder the Dev Containers extension opened (label `devcontainer.local_folder`). */
  localFolder: string | null;
  /** Folder name: basename of `localFolder`, else the `<folder>` of a `vsc-<folder>-<hash>` image. */
  folderName: string | null;
  /** The devcontainer.json used (label `devcontainer.config_file`). */
  configFile: string | null;
  framework: Framework;
  frameworkSource: FrameworkSource;
  /** `remoteUser` from the `devcontainer.metadata` label, when present. */
  remoteUser: string | null;
  mounts: Mount[];
}
