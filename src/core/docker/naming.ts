// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import { FRAMEWORKS, type Framework, type FrameworkSource } from './model';

export interface VscImageName {
  /** The workspace folder's name as it appears in the image name (lower case: image names are). */
  folder: string;
  hash: string;
  suffixes: string[];
}

const KNOWN_SUFFIXES = new Set(['uid', 'features']);

/**
 * Parses a Dev Containers image name: `vsc-<folder>-<hash>` with optional `-features` / `-uid` suffixes,
 * an optional registry or `localhost/` prefix (Podman) and an optional `:tag` or `@digest`.
 * Folder names may themselves contain dashes (`vsc-my-proj-0a1b2c-uid` → `my-proj`).
 */
export function parseVscImageName(image: string | undefined | null): VscImageName | null {
  if (!image) return null;
  let ref = image.trim();
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at);
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > lastSlash) ref = ref.slice(0, colon);
  const repo = ref.slice(lastSlash + 1);
  if (!repo.startsWith('vsc-')) return null;
  const parts = repo.slice(4).split('-');
  const suffixes: string[] = [];
  while (parts.length > 2 && KNOWN_SUFFIXES.has(parts[parts.length - 1] ?? '')) suffixes.unshift(parts.pop() ?? '');
  if (parts.length < 2) return null;
  const hash = parts.pop() ?? '';
  if (!/^[0-9a-z]+$/.test(hash)) return null;
  const folder = parts.join('-');
  if (folder === '') return null;
  return { folder, hash, suffixes };
}

/** Folder names compare case-insensitively: image names are always lower case. */
export function normalizeFolderName(name: string): string {
  return name.trim().toLowerCase();
}

const FRAMEWORK_TOKENS: Record<Exclude<Framework, 'unknown'>, RegExp> = {
  vllm: /(?:^|[^a-z0-9])vllm(?:[^a-z0-9]|$)/,
  sglang: /(?:^|[^a-z0-9])sglang(?:[^a-z0-9]|$)/,
  trtllm: /(?:^|[^a-z0-9])(?:trtllm|trt[-_]llm|tensorrt[-_]?llm)(?:[^a-z0-9]|$)/,
};

function splitPath(p: string): string[] {
  return p.toLowerCase().split(/[\\/]+/).filter((c) => c !== '');
}

/**
 * Framework from a devcontainer.json path. Path components are read from the file upwards, so the
 * folder that holds the config (`.devcontainer/keivenc_trtllm/`) wins over a parent that happens to
 * contain a framework name; within one component the order is fixed (vllm, sglang, trtllm). A plain
 * substring match (the original script's rule) is the last resort.
 */
export function frameworkFromConfigFile(configFile: string | null | undefined): Framework {
  if (!configFile) return 'unknown';
  const components = splitPath(configFile).reverse();
  for (const component of components) {
    for (const fw of FRAMEWORKS) if (FRAMEWORK_TOKENS[fw].test(component)) return fw;
  }
  for (const component of components) {
    for (const fw of FRAMEWORKS) if (component.includes(fw)) return fw;
  }
  return 'unknown';
}

/** Framework from an image reference such as `dynamo:latest-vllm-local-dev` or `nvcr.io/x/dynamo:0.4-sglang`. */
export function frameworkFromImage(image: string | null | undefined): Framework {
  if (!image) return 'unknown';
  const ref = image.toLowerCase();
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon <= lastSlash) return 'unknown';
  const tag = ref.slice(colon + 1);
  for (const fw of FRAMEWORKS) if (FRAMEWORK_TOKENS[fw].test(tag)) return fw;
  return 'unknown';
}

export function detectFramework(configFile: string | null, images: readonly (string | null | undefined)[]): { framework: Framework; source: FrameworkSource } {
  const fromConfig = frameworkFromConfigFile(configFile);
  if (fromConfig !== 'unknown') return { framework: fromConfig, source: 'configFile' };
  for (const image of images) {
    const fromImage = frameworkFromImage(image);
    if (fromImage !== 'unknown') return { framework: fromImage, source: 'image' };
  }
  return { framework: 'unknown', source: 'none' };
}
