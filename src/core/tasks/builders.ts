// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * The image builders a Dynamo checkout may have, and their flags for the two daily procedures (a
 * framework's sanity check, the full parallel build): `container/build_images.py` (current) or the older
 * `dynamo_docker_builder.py`, which take different flags for the same intent. Plus the `nohup` runner
 * that keeps a 45–90 minute build alive when the window closes, and where its log goes.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

export const FRAMEWORKS = ['vllm', 'sglang', 'trtllm'] as const;
export type BuildFramework = (typeof FRAMEWORKS)[number] | 'none';
export type BuildAction = 'sanity-check' | 'build-all';

export interface Builder {
  kind: 'build_images' | 'dynamo_docker_builder';
  /** Relative to the checkout, `/`-separated. */
  script: string;
}

/** Where each builder lives, newest first: a checkout that has both gets the current one. */
export const BUILDER_PATHS: readonly Builder[] = [
  { kind: 'build_images', script: 'container/build_images.py' },
  { kind: 'dynamo_docker_builder', script: 'dynamo_docker_builder.py' },
];

/** A file this process can read (false for a missing or unreadable one). */
export async function isReadableFile(p: string): Promise<boolean> {
  try {
    await access(p, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

export async function detectBuilder(root: string): Promise<Builder | null> {
  for (const b of BUILDER_PATHS) if (await isReadableFile(path.join(root, ...b.script.split('/')))) return b;
  return null;
}

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;

/**
 * The builder's arguments (argv, never a shell string). build_images.py: `--run-no-matter-what` replaced
 * `--force-run`, and `--reuse-dev-if-image-exists` replaced `--skip-build-if-image-exists`.
 */
export function builderArgs(kind: Builder['kind'], action: BuildAction, opts: { framework?: string; email?: string } = {}): string[] {
  const force = kind === 'build_images' ? '--run-no-matter-what' : '--force-run';
  let args: string[];
  if (action === 'sanity-check') {
    const fw = opts.framework ?? '';
    if (!(FRAMEWORKS as readonly string[]).includes(fw) && !(kind === 'build_images' && fw === 'none')) {
      throw new Error(`"${fw}" is not a framework for a sanity check: use ${FRAMEWORKS.join(', ')}${kind === 'build_images' ? ' or none' : ''}`);
    }
    args = ['--sanity-check-only', '--framework', fw, force];
  } else {
    args = [kind === 'build_images' ? '--reuse-dev-if-image-exists' : '--skip-build-if-image-exists', '--parallel', force];
  }
  const email = opts.email?.trim();
  if (email) {
    if (!EMAIL.test(email)) throw new Error(`"${email}" is not an e-mail address (dynamo.tasks.buildEmail)`);
    args.push('--email', email);
  }
  return args;
}

/** `${XDG_STATE_HOME:-~/.local/state}/dynamo-dev/logs`: persistent (the notes say never /tmp for important output). */
export function defaultLogRoot(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const state = env['XDG_STATE_HOME'] && path.isAbsolute(env['XDG_STATE_HOME']) ? env['XDG_STATE_HOME'] : path.join(home, '.local', 'state');
  return path.join(state, 'dynamo-dev', 'logs');
}

/** `<root>/<folder>/<YYYY-MM-DD>/<name>-<HHMMSS>.log` in local time (names a person reads). */
export function logPathFor(root: string, folderName: string, name: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const day = `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
  const time = `${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || '_';
  return path.join(root, safe(folderName), day, `${safe(name)}-${time}.log`);
}

/**
 * `sh -c NOHUP_RUNNER dynamo-dev <log> <command> <args…>`: starts the command in its own session under
 * nohup (closing the terminal or the window does not stop it), all output to <log>, then follows the
 * log until the command ends and exits with its status. Values arrive as arguments, never in the script.
 * The log exists before the command starts, so the follower never races its creation.
 */
export const NOHUP_RUNNER = `log="$1"; shift
mkdir -p "$(dirname "$log")" || exit 1
(set -C; : >"$log") 2>/dev/null || { printf 'The log %s exists already: not overwriting it.\n' "$log"; exit 1; }
setsid nohup "$@" >>"$log" 2>&1 </dev/null &
pid=$!
printf 'Started (PID %s): %s\\n' "$pid" "$*"
printf 'Log: %s\\n' "$log"
printf 'It keeps running if this terminal or the window closes; follow it later with: tail -f %s\\n\\n' "$log"
tail --pid="$pid" -n +1 -f "$log"
wait "$pid"; rc=$?
printf '\\nExit code %s. Log: %s\\n' "$rc" "$log"
exit "$rc"`;
