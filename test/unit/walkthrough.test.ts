// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The "Get started with Dynamo Dev Tools" walkthrough: every link, completion event and media file it names exists.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Commands, ContextKeys, Views } from '../../src/platform/commandIds';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string; svg?: string; altText?: string };
  completionEvents?: string[];
}
interface Walkthrough {
  id: string;
  title: string;
  description: string;
  steps: Step[];
}

const commands = new Set<string>(Object.values(Commands));
const views = new Set<string>(Object.values(Views));

/** The values each context key takes, read from the code that sets it. */
function contextValues(): Map<string, Set<string>> {
  const phase = /export type Phase = ([^;]+);/.exec(readFileSync(join(root, 'src/github/ciModel.ts'), 'utf8'));
  assert.ok(phase?.[1], 'src/github/ciModel.ts no longer declares `export type Phase = …;`');
  return new Map([
    // src/containers/containersTree.ts update(): unset while loading, then one of these
    [ContextKeys.dockerState, new Set(['ok', 'empty', 'unreachable'])],
    [ContextKeys.githubPhase, new Set([...phase[1].matchAll(/'([^']+)'/g)].map((m) => m[1] ?? ''))],
  ]);
}

/** A command link's target: a contributed command, or the `.focus` command VS Code makes for a contributed view. */
function linkTargetExists(id: string): boolean {
  return commands.has(id) || (id.endsWith('.focus') && views.has(id.slice(0, -'.focus'.length)));
}

describe('walkthrough', () => {
  const walkthroughs = (pkg.contributes.walkthroughs ?? []) as Walkthrough[];
  const w = walkthroughs.find((x) => x.id === 'dynamo.gettingStarted');

  it('is contributed as dynamo.gettingStarted, "Get started with Dynamo Dev Tools", with the five steps in order', () => {
    assert.ok(w, 'no walkthrough dynamo.gettingStarted in package.json');
    assert.equal(w.title, 'Get started with Dynamo Dev Tools');
    assert.ok(w.description.trim().length > 0);
    assert.deepEqual(
      w.steps.map((s) => s.id),
      ['docker', 'containers', 'collect', 'compare', 'github'],
    );
  });

  it('every command link names a contributed command or view, and every step has one', () => {
    assert.ok(w);
    for (const s of w.steps) {
      const links = [...s.description.matchAll(/\]\(command:([\w.-]+)(?:\?[^)]*)?\)/g)].map((m) => m[1] ?? '');
      assert.ok(links.length > 0, `step ${s.id} has no command link`);
      for (const id of links) assert.ok(linkTargetExists(id), `step ${s.id} links the unknown command ${id}`);
      // every `command:` in the text is inside a well-formed link (a typo would render as text)
      assert.equal((s.description.match(/command:/g) ?? []).length, links.length, `step ${s.id}: a command: outside a [label](command:id) link`);
    }
  });

  it('every completion event names a contributed command or view, or a context key with a value it takes', () => {
    assert.ok(w);
    const values = contextValues();
    for (const s of w.steps) {
      assert.ok((s.completionEvents ?? []).length > 0, `step ${s.id} has no completion event`);
      for (const e of s.completionEvents ?? []) {
        const [kind, ...rest] = e.split(':');
        const arg = rest.join(':');
        if (kind === 'onCommand') assert.ok(commands.has(arg), `step ${s.id}: ${e} names no contributed command`);
        else if (kind === 'onView') assert.ok(views.has(arg), `step ${s.id}: ${e} names no contributed view`);
        else if (kind === 'onContext') {
          const terms = arg.split('||').map((t) => t.trim());
          for (const t of terms) {
            const m = /^([\w.]+) == ([\w-]+)$/.exec(t);
            assert.ok(m, `step ${s.id}: "${t}" is not "<key> == <value>"`);
            const known = values.get(m[1] ?? '');
            assert.ok(known, `step ${s.id}: ${m[1]} is not one of our context keys`);
            assert.ok(known.has(m[2] ?? ''), `step ${s.id}: ${m[1]} never takes the value ${m[2]} (it takes ${[...known].join(', ')})`);
          }
        } else assert.fail(`step ${s.id}: unexpected completion event ${e}`);
      }
    }
  });

  it('the Docker step completes when the engine answers, the sign-in step when a token is found', () => {
    assert.ok(w);
    const events = (id: string) => w.steps.find((s) => s.id === id)?.completionEvents ?? [];
    assert.deepEqual(events('docker'), [`onContext:${ContextKeys.dockerState} == ok || ${ContextKeys.dockerState} == empty`]);
    assert.ok(events('github').includes(`onCommand:${Commands.githubSignIn}`));
    assert.ok(events('github').includes(`onCommand:${Commands.githubSignInWithToken}`));
    assert.deepEqual(events('containers'), [`onView:${Views.containers}`]);
    assert.deepEqual(events('collect'), [`onCommand:${Commands.metricsCollect}`]);
    assert.deepEqual(events('compare'), [`onCommand:${Commands.metricsCompare}`]);
  });

  it('every media file exists (and the images they show), images with alt text, inside the packaged media/ folder', () => {
    assert.ok(w);
    for (const s of w.steps) {
      const file = s.media.markdown ?? s.media.image ?? s.media.svg;
      assert.ok(file, `step ${s.id} has no media`);
      assert.ok(file.startsWith('media/'), `step ${s.id}: ${file} is outside media/ (.vscodeignore ships media/** only)`);
      assert.ok(existsSync(join(root, file)), `step ${s.id}: ${file} does not exist`);
      if (s.media.image || s.media.svg) assert.ok((s.media.altText ?? '').trim().length > 10, `step ${s.id}: no alt text for ${file}`);
      if (s.media.markdown) {
        const md = readFileSync(join(root, file), 'utf8');
        assert.ok(md.includes('# '), `${file} has no heading`);
        for (const m of md.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) assert.ok(existsSync(join(root, dirname(file), m[1] ?? '')), `${file} shows the missing image ${m[1]}`);
        for (const m of md.matchAll(/\(command:([\w.-]+)/g)) assert.ok(linkTargetExists(m[1] ?? ''), `${file} links the unknown command ${m[1]}`);
      }
    }
  });

  it('uses no inline code in step texts (the Welcome page shows backticks as typed)', () => {
    assert.ok(w);
    for (const s of w.steps) assert.doesNotMatch(`${s.title} ${s.description}`, /`/, `step ${s.id}`);
  });

  it('says what things do, without marketing words', () => {
    assert.ok(w);
    const texts = [w.title, w.description, ...w.steps.flatMap((s) => [s.title, s.description, s.media.altText ?? '']), ...w.steps.filter((s) => s.media.markdown).map((s) => readFileSync(join(root, s.media.markdown ?? ''), 'utf8'))];
    const banned = /\b(easily|easy|simply|seamless(ly)?|effortless(ly)?|powerful|blazing|supercharge|magic(al)?|amazing|awesome|unleash|boost|delightful)\b/i;
    for (const t of texts) assert.doesNotMatch(t, banned);
  });
});
