// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// The only way a value reaches a shell: single-quoted, whole. Command templates (a setting the user
// writes) get their `${placeholders}` replaced by quoted values, never by raw text.

/** `it's` → `'it'\''s'`: safe for sh/bash as one word, whatever the value holds. */
export function shq(value: string): string {
  if (value.includes('\0')) throw new Error('a NUL byte cannot be passed to a shell');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export class TemplateError extends Error {}

/**
 * Replaces `${name}` in `template` by the quoted value of `vars[name]`. An unknown placeholder is an
 * error naming the known ones, so a typo does not run a half-filled command.
 */
export function renderTemplate(template: string, vars: Readonly<Record<string, string>>, what = 'the command'): string {
  const unknown = new Set<string>();
  const out = template.replace(/\$\{([A-Za-z][A-Za-z0-9]*)\}/g, (_m, name: string) => {
    const v = vars[name];
    if (v === undefined) {
      unknown.add(name);
      return '';
    }
    return shq(v);
  });
  if (unknown.size > 0) {
    throw new TemplateError(`${what} uses unknown placeholder${unknown.size > 1 ? 's' : ''} ${[...unknown].map((n) => '${' + n + '}').join(', ')}; known: ${Object.keys(vars).map((n) => '${' + n + '}').join(', ')}`);
  }
  return out;
}

/** Placeholders a template mentions (to tell, e.g., whether it needs the utils folder). */
export function placeholdersOf(template: string): Set<string> {
  return new Set([...template.matchAll(/\$\{([A-Za-z][A-Za-z0-9]*)\}/g)].map((m) => m[1]!));
}
