// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The pure parts of Collect Metrics: quoting and templates (checked against a real shell), request
// validation, reading inference.sh's log, /proc/net/tcp, soak_fe.py's per-request log, the kill patterns.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { isInferenceProcess, parseProcNetTcp, parseProcs } from '../../src/core/inference/containerOps';
import { DEFAULTS, InvalidRequestError, parseFrameworks, validateRequest, type CollectRequest } from '../../src/core/inference/options';
import { LineSplitter, scanLogLine, Tail } from '../../src/core/inference/serverLog';
import { placeholdersOf, renderTemplate, shq, TemplateError } from '../../src/core/inference/shell';
import { isSoakReport, parseSoakLog, percentiles, soakReportPathFor } from '../../src/core/inference/soakReport';

const HOSTILE = [`x'; touch /tmp/pwned; '`, '$(touch /tmp/pwned)', '`touch /tmp/pwned`', 'a\ntouch /tmp/pwned', '"; touch /tmp/pwned; "', "it's", '', ' lead and trail ', '\\', '*', '~root', '-n', '${HOME}', '!!', 'ünï\tcode'];

/** What `sh -c` makes of a script: its argv as printf sees it, one per line, NUL-separated. */
function shArgs(script: string): string[] {
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${script}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const request = (over: Partial<CollectRequest> = {}): CollectRequest => ({ ...DEFAULTS, container: 'dyn-dynamo1', frameworks: ['vllm'], ...over });

describe('Collect Metrics: shell quoting and templates', () => {
  it('shq keeps every hostile value one literal word in a real sh', () => {
    for (const v of HOSTILE) assert.deepEqual(shArgs(shq(v)), [v], JSON.stringify(v));
    assert.deepEqual(shArgs(HOSTILE.map(shq).join(' ')), HOSTILE);
  });
  it('shq refuses NUL, leaves plain words bare', () => {
    assert.throws(() => shq('a\0b'), /NUL/);
    assert.equal(shq('/home/dynamo/utils/inference.sh'), '/home/dynamo/utils/inference.sh');
    assert.equal(shq('Qwen/Qwen3-0.6B'), 'Qwen/Qwen3-0.6B');
  });
  it('renderTemplate quotes placeholder values and only those', () => {
    const cmd = renderTemplate('printf %s\\\\0 ${utils}/inference.sh --framework ${framework} --model ${model}', { utils: "/u t'ils", framework: 'vllm', model: '$(touch /tmp/pwned)' });
    assert.deepEqual(shArgs(cmd.replace(/^printf %s\\\\0 /, '')), ["/u t'ils/inference.sh", '--framework', 'vllm', '--model', '$(touch /tmp/pwned)']);
  });
  it('an unknown placeholder is an error naming the known ones', () => {
    assert.throws(() => renderTemplate('run ${framwork}', { framework: 'vllm' }, 'the server command'), (e: Error) => e instanceof TemplateError && /the server command uses unknown placeholder \$\{framwork\}; known: \$\{framework\}/.test(e.message));
    assert.deepEqual([...placeholdersOf(DEFAULTS.serverCommand)].sort(), ['framework', 'utils']);
  });
});

describe('Collect Metrics: request validation', () => {
  it('the defaults are the original procedure\'s', () => {
    const r = validateRequest(request());
    assert.equal(r.maxTokens, 1000);
    assert.equal(r.requestsPerWorker, 5);
    assert.equal(r.workers, 1);
    assert.equal(r.frontendPort, 8000);
    assert.equal(r.backendPort, 8081);
    assert.equal(r.readyTimeoutSeconds, 300);
    assert.equal(r.serverCommand, '${utils}/inference.sh --framework ${framework}');
    assert.match(r.soakCommand, /^python3 \$\{utils\}\/soak_fe\.py --max-tokens \$\{maxTokens\} --requests_per_worker \$\{requestsPerWorker\}/);
  });
  it('frameworks come from the allowed list, "all" in the procedure order', () => {
    assert.deepEqual(parseFrameworks('all'), ['vllm', 'sglang', 'trtllm']);
    assert.deepEqual(parseFrameworks('trtllm,VLLM'), ['vllm', 'trtllm']);
    assert.throws(() => parseFrameworks('vllm;reboot'), /unknown framework "vllm;reboot"/);
    assert.throws(() => validateRequest(request({ frameworks: ['$(id)' as never] })), InvalidRequestError);
  });
  it('hostile model names, paths and environment names are refused with the reason', () => {
    for (const model of HOSTILE.filter((m) => m !== '')) assert.throws(() => validateRequest(request({ model })), /is not a Hugging Face id or path/, JSON.stringify(model));
    assert.equal(validateRequest(request({ model: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B' })).model, 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B');
    assert.throws(() => validateRequest(request({ notesDir: 'notes' })), /notes folder must be an absolute path/);
    assert.throws(() => validateRequest(request({ notesDir: '/tmp/a\ntouch /tmp/pwned' })), /without newlines/);
    assert.throws(() => validateRequest(request({ utilsDir: 'rel' })), /utils folder must be an absolute path/);
    assert.throws(() => validateRequest(request({ serverEnv: { 'A;B': '1' } })), /environment variable name "A;B"/);
    assert.doesNotThrow(() => validateRequest(request({ serverEnv: { FAKE: '$(touch /tmp/pwned)' } })), 'values go as exec environment, so any text is fine');
    assert.throws(() => validateRequest(request({ container: 'a\nb' })), /container/);
  });
  it('numbers and ports in range, templates with known placeholders only', () => {
    assert.throws(() => validateRequest(request({ maxTokens: 0 })), /max tokens must be a whole number from 1/);
    assert.throws(() => validateRequest(request({ workers: 1.5 })), /workers/);
    assert.throws(() => validateRequest(request({ frontendPort: 70000 })), /frontend port/);
    assert.throws(() => validateRequest(request({ backendPort: 8000 })), /must differ/);
    assert.throws(() => validateRequest(request({ soak: 'python' as never })), /soak must be "script" or "builtin"/);
    assert.throws(() => validateRequest(request({ serverCommand: '${utils}/inference.sh ${fw}' })), /unknown placeholder \$\{fw\}/);
    assert.throws(() => validateRequest(request({ soakCommand: '  ' })), /soak command is empty/);
  });
});

describe('Collect Metrics: reading the server log', () => {
  it('finds "added model" in the readable and the JSONL formats', () => {
    assert.deepEqual(scanLogLine('2025-09-02T15:50:01.770028Z  INFO dynamo_llm::discovery::watcher: added model model_name="Qwen/Qwen3-0.6B" namespace="dynamo"'), { kind: 'ready', model: 'Qwen/Qwen3-0.6B' });
    assert.deepEqual(scanLogLine('2025-09-02T15:50:01Z INFO watcher: added model model_name=Qwen/Qwen3-0.6B'), { kind: 'ready', model: 'Qwen/Qwen3-0.6B' });
    assert.deepEqual(scanLogLine('{"time":"t","level":"INFO","target":"dynamo_llm::discovery::watcher","message":"added model","model_name":"Qwen/Qwen3-0.6B","namespace":"dynamo"}'), { kind: 'ready', model: 'Qwen/Qwen3-0.6B' });
    assert.deepEqual(scanLogLine('{"level":"INFO","fields":{"message":"added model","model_name":"m"}}'), { kind: 'ready', model: 'm' });
  });
  it('sees errors, the backend port inference.sh chose, disaggregated output and a dropped model', () => {
    assert.equal(scanLogLine('2026-11-27T19:51:22.198029Z ERROR dynamo.trtllm.main: EngineCore encountered a fatal error')?.kind, 'error');
    assert.equal(scanLogLine('ERROR 09-02 15:50:01 [core.py:12] boom')?.kind, 'error');
    assert.equal(scanLogLine('❌ Error: Port 8000 (frontend) is already bound')?.kind, 'error');
    assert.equal(scanLogLine('Traceback (most recent call last):')?.kind, 'error');
    assert.equal(scanLogLine('{"level":"ERROR","message":"Engine died"}')?.kind, 'error');
    assert.deepEqual(scanLogLine('✅ Port 8082 (backend) is available'), { kind: 'backendPort', port: 8082 });
    assert.equal(scanLogLine('[DECODE] 2026 INFO x: started')?.kind, 'disagg');
    assert.equal(scanLogLine('2026-11-27T19:51:22Z  INFO dynamo_llm::discovery::watcher: removed model model_name="m"')?.kind, 'removed');
  });
  it('ignores set -x traces and ordinary lines', () => {
    assert.equal(scanLogLine("+ echo '❌ Error: nope'"), null);
    assert.equal(scanLogLine('2026 INFO x: no ERRORS here, an error_count=0'), null);
    assert.equal(scanLogLine('Launched frontend and vllm processes. Press Ctrl+C to exit.'), null, 'not a readiness signal');
    assert.equal(scanLogLine('{not json'), null);
  });
  it('splits a growing log into whole lines and keeps a tail', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push('a\nb'), ['a']);
    assert.deepEqual(s.push('c\n\nd'), ['bc', '']);
    assert.deepEqual(s.flush(), ['d']);
    const t = new Tail(2);
    ['1', '2', '3'].forEach((l) => t.add(l));
    assert.equal(t.text(), '2\n3');
  });
});

describe('Collect Metrics: processes and ports', () => {
  it('reads listening ports exactly from /proc/net/tcp and tcp6', () => {
    const text = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1 0 100 0 0 10 0',
      '   1: 00000000:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2222 1 0 100 0 0 10 0',
      '   2: 0100007F:4650 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3333 1 0 100 0 0 10 0',
      '   3: 0100007F:1F40 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 4444 1 0 100 0 0 10 0',
      '   0: 00000000000000000000000000000000:1F92 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5555 1 0 100 0 0 10 0',
    ].join('\n');
    const l = parseProcNetTcp(text);
    assert.deepEqual(l.map((x) => [x.port, x.inode]), [[8000, '1111'], [8081, '2222'], [18000, '3333'], [8082, '5555']]);
    assert.ok(!l.some((x) => x.inode === '4444'), 'an established connection is not a listener');
  });
  it('parses pid/cmdline lists', () => {
    assert.deepEqual(parseProcs('12\tpython3 -m dynamo.frontend --http-port 8000 \nbad\n\t\n7\tsleep 1\n'), [{ pid: 12, cmdline: 'python3 -m dynamo.frontend --http-port 8000' }, { pid: 7, cmdline: 'sleep 1' }]);
  });
  it('the fallback patterns match Dynamo processes only, never IDE servers, tests or tools', () => {
    for (const c of ['python3 -m dynamo.frontend --http-port 8000', 'python -m dynamo.vllm --model Qwen/Qwen3-0.6B', '/usr/bin/python3.12 -m dynamo.sglang --model m', 'VLLM::EngineCore', 'python3 -m sglang.srt.server', 'TRTLLM::EngineCore']) assert.ok(isInferenceProcess(c), c);
    for (const c of ['pytest tests/test_vllm.py', 'vim /workspace/dynamo/vllm.py', '/home/u/.vscode-server/bin/x/node --ms-enable-electron-run-as-node python -m dynamo.vllm', '/root/.cursor-server/cli python3 -m dynamo.frontend', 'sh -c m=… dynamo-dev python3 -m dynamo.frontend', 'bash /workspace/dynamo/run.sh', 'multiprocess worker', 'python3 /tmp/script.py']) assert.ok(!isInferenceProcess(c), c);
  });
});

describe('Collect Metrics: soak results', () => {
  it('counts failures from soak_fe.py\'s per-request log, not from its success line', () => {
    const log = [
      '2026-11-27 19:51:20.101 worker_0 request_0 duration_0.512s status_SUCCESS response=Knock knock.',
      '2026-11-27 19:51:20.601 worker_0 request_1 duration_0.020s status_ERROR(500)',
      '2026-11-27 19:51:21.101 worker_0 request_1 duration_0.498s status_SUCCESS',
      '2026-11-27 19:51:21.200 worker_1 request_0 duration_30.001s status_ERROR(0)',
      'garbage',
    ].join('\n');
    const s = parseSoakLog(log);
    assert.equal(s.attempts.length, 4);
    assert.equal(s.succeeded, 2);
    assert.equal(s.failedAttempts, 2);
    assert.deepEqual(s.errors, { 'HTTP 500': 1, connection: 1 });
    assert.equal(s.otherLines, 1);
    assert.equal(s.attempts[0]!.e2e, 0.512);
  });
  it('nearest-rank percentiles', () => {
    const p = percentiles([5, 1, 4, 2, 3, 6, 7, 8, 9, 10]);
    assert.deepEqual(p, { count: 10, mean: 5.5, min: 1, p50: 5, p90: 9, p99: 10, max: 10 });
    assert.equal(percentiles([]), null);
    assert.equal(percentiles([NaN])?.count ?? 0, 0);
    assert.deepEqual(percentiles([2]), { count: 1, mean: 2, min: 2, p50: 2, p90: 2, p99: 2, max: 2 });
  });
  it('names the report beside the capture and recognises it', () => {
    assert.equal(soakReportPathFor('/n/metrics-vllm.log'), '/n/metrics-vllm.soak.json');
    assert.equal(soakReportPathFor('/n/x.prom'), '/n/x.soak.json');
    assert.equal(isSoakReport({ schema: 'dynamo-dev/soak@1', engine: 'script', requests: {}, perRequest: [] }), true);
    assert.equal(isSoakReport({ schema: 'other', engine: 'script', requests: {}, perRequest: [] }), false);
  });
});
