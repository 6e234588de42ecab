// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { cleanJobLog, looksLikeFailure } from '../../src/core/github/logs';

const ESC = '\x1b';
const ts = (s: number) => `2025-01-31T12:34:${String(s).padStart(2, '0')}.1234567Z `;

describe('cleanJobLog', () => {
  it('turns a raw Actions log into readable text with its failure lines', () => {
    const raw = [
      `\uFEFF${ts(1)}##[group]Run cargo test`,
      `${ts(2)}${ESC}[36;1mcargo test --workspace${ESC}[0m`,
      `${ts(3)}##[endgroup]`,
      `${ts(4)}   Compiling dynamo v0.1.0 (${ESC}]8;;file:///src${ESC}\\/src${ESC}]8;;${ESC}\\)`,
      `${ts(5)}${ESC}]0;window title\x07running 42 tests`,
      `${ts(6)}${ESC}(B${ESC}=Downloading 10%\rDownloading 100%`,
      `${ts(7)}test result: FAILED. 41 passed; 1 failed`,
      `${ts(8)}##[warning]Node.js 16 actions are deprecated.`,
      `${ts(9)}##[notice]Cache restored`,
      `${ts(10)}##[debug]Evaluating: success()`,
      `${ts(11)}##[command]/usr/bin/git version`,
      `${ts(12)}##[error]Process completed with exit code 101.`,
      '',
    ].join('\r\n');
    const log = cleanJobLog(raw);
    assert.equal(log.text, [
      '▶ Run cargo test',
      'cargo test --workspace',
      '   Compiling dynamo v0.1.0 (/src)',
      'running 42 tests',
      'Downloading 100%',
      'test result: FAILED. 41 passed; 1 failed',
      'Warning: Node.js 16 actions are deprecated.',
      'Notice: Cache restored',
      'Debug: Evaluating: success()',
      '$ /usr/bin/git version',
      'Error: Process completed with exit code 101.',
      '',
    ].join('\n'));
    assert.equal(log.lines, 11);
    assert.deepEqual(log.errors, [
      { line: 6, text: 'test result: FAILED. 41 passed; 1 failed' },
      { line: 11, text: 'Error: Process completed with exit code 101.' },
    ]);
    for (const e of log.errors) assert.equal(log.text.split('\n')[e.line - 1], e.text, 'line numbers point into the cleaned text');
  });

  it('handles empty logs, a missing final newline, lines without timestamps, and keeps text that only looks like markers', () => {
    assert.deepEqual(cleanJobLog(''), { text: '', errors: [], lines: 0 });
    assert.deepEqual(cleanJobLog('\n'), { text: '\n', errors: [], lines: 1 });
    const log = cleanJobLog(`plain line\n${ts(1)}\n##[endgroup]\nsee ##[error] later\n2025-01-31 12:00:00 not a GitHub timestamp\nlast`);
    assert.equal(log.text, 'plain line\n\nsee ##[error] later\n2025-01-31 12:00:00 not a GitHub timestamp\nlast');
    assert.equal(log.lines, 5);
    assert.deepEqual(log.errors, []);
    assert.equal(cleanJobLog('a\x00b\x07c\x7fd\te\n').text, 'abcd\te\n', 'control characters go, tabs stay');
    assert.equal(cleanJobLog(`${ESC}[38;5;196mred${ESC}[m ${ESC}[1;2H${ESC}7x${ESC}8 ${ESC}Pdcs${ESC}\\y ${ESC}_apc\x07z \u009b31mq${ESC}`).text, 'red x y z q');
  });

  const failures = [
    'Error: Cannot find module \'x\'',
    'ValueError: bad value',
    'E   AssertionError: assert 1 == 2',
    'requests.exceptions.HTTPError: 500 Server Error',
    'error: could not compile `dynamo-runtime` (lib) due to 2 previous errors',
    'error[E0308]: mismatched types',
    '  --> error[E0425]: cannot find value',
    'src/main.c:10:5: error: expected \';\'',
    'lib/a.ts(3,7): error TS2322: Type \'string\' is not assignable',
    'ERROR: failed to solve: process "/bin/sh -c make" did not complete successfully',
    '#15 ERROR: process did not complete',
    '2025-01-31 12:00:00,123 - ERROR - worker died',
    '[ERROR] Failed to execute goal',
    'FAILED tests/test_router.py::test_kv_routing - AssertionError',
    'test result: FAILED. 41 passed; 1 failed',
    'Traceback (most recent call last):',
    'npm ERR! code ELIFECYCLE',
    'Process completed with exit code 1.',
    'Process completed with exit code 137.',
  ];
  for (const line of failures) it(`flags ${JSON.stringify(line)}`, () => assert.equal(looksLikeFailure(line), true));

  const harmless = [
    'Found 0 errors in 12 files',
    '0 errors, 3 warnings',
    'errors: 0',
    'Errors: 0',
    'python error_handler.py',
    'tests/test_error_handling.py::test_retry PASSED',
    'on_error: retry',
    'ERROR_CODE=0',
    'LOG_LEVEL=ERROR',
    'NO-ERROR mode',
    'ERRORS',
    'Tests: 10 passed, 0 FAILED',
    'test result: ok. 42 passed; 0 failed',
    'Process completed with exit code 0.',
    'warning: unused variable: `error`',
    'retry on error',
    'FAILED_TESTS=',
  ];
  for (const line of harmless) it(`does not flag ${JSON.stringify(line)}`, () => assert.equal(looksLikeFailure(line), false));

  it('cleans a 10 MB log completely (every line, every error found)', () => {
    const block = [
      `${ts(1)}##[group]Step`,
      `${ts(2)}${ESC}[32mok${ESC}[0m compiling crate with a fairly long line of output to pad the log out a bit more`,
      `${ts(3)}##[endgroup]`,
      `${ts(4)}##[error]boom`,
    ].join('\n') + '\n';
    const n = Math.ceil((10 * 1024 * 1024) / block.length);
    const log = cleanJobLog(block.repeat(n));
    assert.ok(block.length * n >= 10 * 1024 * 1024);
    assert.equal(log.lines, 3 * n);
    assert.equal(log.errors.length, n);
    assert.deepEqual(log.errors[n - 1], { line: 3 * n, text: 'Error: boom' });
    const cleanBlock = '▶ Step\nok compiling crate with a fairly long line of output to pad the log out a bit more\nError: boom\n';
    assert.equal(log.text, cleanBlock.repeat(n));
  });

  it('finishes pathological 1 MB lines: all ESC, unterminated CSI/OSC, long words and separators', () => {
    const mb = 1024 * 1024;
    assert.deepEqual(cleanJobLog(ESC.repeat(mb)), { text: '', errors: [], lines: 1 });
    assert.equal(cleanJobLog(`${ESC}[${'1;'.repeat(mb / 2)}`).text, '1;'.repeat(mb / 2), 'an unterminated CSI leaves its parameters as text');
    assert.equal(cleanJobLog(`${`${ESC}[`.repeat(mb / 2)}\nok`).text, '\nok');
    assert.equal(cleanJobLog(`${ESC}]${'a'.repeat(mb)}\nnext`).text, '\nnext', 'an unterminated OSC ends with its line');
    assert.equal(cleanJobLog(`${ESC}]8;;`.repeat(mb / 4)).text, '');
    const words = cleanJobLog(`${'a'.repeat(mb)}Error: x`);
    assert.deepEqual(words.errors.map((e) => e.line), [1]);
    assert.equal(cleanJobLog(`${': '.repeat(mb / 2)}errors`).errors.length, 0);
    assert.equal(cleanJobLog(`${' '.repeat(mb)}\r`.repeat(2)).text, ' '.repeat(mb));
    assert.equal(cleanJobLog('\r'.repeat(mb) + 'z').text, 'z');
  });
});
