// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// dynamo-dev: the command line on the same core as the extension.
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connectDocker, DockerUnreachableError } from '../core/docker/client';
import { isRunning, uptimeOf } from '../core/docker/discovery';
import { EndpointError, resolveEndpoint } from '../core/docker/endpoint';
import type { ContainerInfo } from '../core/docker/model';
import { summarize, withSoak, type CaptureSummary } from '../core/metrics/capture';
import { compareCaptures } from '../core/metrics/compare';
import { comparisonToJson, toCsv, toMarkdown, toTable } from '../core/metrics/exports';
import { formatNumber, parseExposition, type ParseResult } from '../core/metrics/parser';
import { soakReportPathFor } from '../core/inference/soakReport';
import { loadSoakReport } from '../core/metrics/soak';
import { version } from '../../package.json';
import { COLLECT_USAGE, collectCommand, CollectUsageError } from './collect';
import { checksCommand, GITHUB_USAGE, rerunCommand } from './github';
import { cleanupCommand, docsBuildCommand, TASKS_USAGE, TasksUsageError } from './tasks';

const USAGE = `Usage: dynamo-dev <command> [options]

Commands:
  containers            List dev containers (running and stopped), their framework, folder and mounts.
    --json              Print a JSON array (id, name, image, state, isDevContainer, localFolder,
                        folderName, configFile, framework, mounts[{source, destination, readOnly}], …).
    --all               Also list containers that are not dev containers.
    --running           Only running containers.
    --mounts            Show each container's mounts (host → container) in the table.
    --host <endpoint>   Docker endpoint (default: DOCKER_HOST, the docker context, /var/run/docker.sock).
  parse <file>          Parse a Prometheus / OpenMetrics capture; report families and malformed lines.
    --json              Print {families: [{name, type, help, unit, samples: [{name, labels, value,
                        timestamp?}]}], diagnostics: [{line, message}]}; NaN and infinities as strings.
  compare <files…>      Compare captures (metrics-vllm.log, metrics-sglang.log, …) side by side; a
                        client-side soak report beside a capture (metrics-vllm.soak.json) adds
                        client-side rows (TTFT, ITL, request duration, tok/s, failed requests).
    --format <f>        table (default), markdown, csv or json ({captures: [...], findings: [...]};
                        a capture with a soak report has soak: {file, engine, requests, ttft, …}).
    --baseline <b>      The capture ratios are relative to: a framework (vllm, sglang, trtllm, dynamo)
                        or a file; default the first.
    --stat <s,…>        Latency statistics in the table: mean, p50, p90, p99 (default mean).
${COLLECT_USAGE}
${GITHUB_USAGE}
${TASKS_USAGE}

Options:
  -h, --help            Show this help.
  -v, --version         Show the version.

Exit codes: 0 success, 1 failure (Docker engine unreachable, file missing or unreadable, a collect step
failed), 2 usage error, 130 collect interrupted (after cleaning up). checks and rerun have their own
(above): 3 usage error, 4 API/authentication/network error.`;

class UsageError extends Error {}
class InputError extends Error {}

function readCapture(file: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new InputError(`${file} is a directory, not a metrics capture`);
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as { code?: string }).code;
    throw new InputError(code === 'ENOENT' ? `${file}: no such file` : code === 'EACCES' ? `${file}: permission denied` : `${file}: cannot be read (${(e as Error).message})`);
  }
  if (size > 512 * 1024 * 1024) throw new InputError(`${file} is ${Math.round(size / 1048576)} MB; captures over 512 MB are not read`);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot be read (${(e as Error).message})`);
  }
}

/** JSON has no NaN or infinities: they become "NaN", "+Inf", "-Inf". */
function jsonNumber(v: number): number | string {
  return Number.isFinite(v) ? v : formatNumber(v);
}

export function parseToJson(r: ParseResult) {
  return {
    format: r.format,
    totalLines: r.totalLines,
    families: r.families.map((f) => ({
      name: f.name,
      type: f.type,
      help: f.help,
      unit: f.unit,
      samples: f.samples.map((s) => ({
        name: s.name,
        labels: s.labels,
        value: jsonNumber(s.value),
        ...(s.timestamp !== undefined ? { timestamp: s.timestamp } : {}),
        ...(s.exemplar ? { exemplar: { labels: s.exemplar.labels, value: jsonNumber(s.exemplar.value), ...(s.exemplar.timestamp !== undefined ? { timestamp: s.exemplar.timestamp } : {}) } } : {}),
      })),
    })),
    diagnostics: r.diagnostics,
  };
}

function parseCommand(args: string[]): number {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('parse takes exactly one file');
  const file = positionals[0] as string;
  const r = parseExposition(readCapture(file));
  if (values.json) {
    process.stdout.write(JSON.stringify(parseToJson(r), null, 2) + '\n');
    return 0;
  }
  const out = [`${file}: ${r.format === 'openmetrics' ? 'OpenMetrics' : 'Prometheus text'}, ${r.totalLines} lines, ${r.sampleLines} samples, ${r.families.length} families`];
  for (const f of r.families) out.push(`  ${f.type.padEnd(9)} ${f.name} (${f.samples.length})`);
  if (r.diagnostics.length > 0) {
    out.push(`${r.diagnostics.length} malformed line${r.diagnostics.length > 1 ? 's' : ''}:`);
    for (const d of r.diagnostics) out.push(`  line ${d.line}: ${d.message}`);
  }
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}

async function compareCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { format: { type: 'string', default: 'table' }, baseline: { type: 'string' }, stat: { type: 'string', default: 'mean' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length === 0) throw new UsageError('compare needs at least one capture file');
  const format = values.format ?? 'table';
  if (!['table', 'markdown', 'csv', 'json'].includes(format)) throw new UsageError(`--format must be table, markdown, csv or json, not "${format}"`);
  const stats = (values.stat ?? 'mean').split(',').map((x) => x.trim());
  for (const st of stats) if (!['mean', 'p50', 'p90', 'p99'].includes(st)) throw new UsageError(`--stat takes mean, p50, p90 or p99, not "${st}"`);
  const captures: CaptureSummary[] = [];
  for (const file of positionals) {
    const summary = summarize(parseExposition(readCapture(file)), file);
    const soak = await loadSoakReport(file, undefined, () => {
      try {
        return { captureMs: statSync(file).mtimeMs, reportMs: statSync(soakReportPathFor(file)).mtimeMs };
      } catch (_e) {
        return undefined;
      }
    });
    if (soak && 'error' in soak) process.stderr.write(`dynamo-dev: warning: ${soak.file} was not used: ${soak.error}\n`);
    captures.push(withSoak(summary, soak));
  }
  let baseline = 0;
  if (values.baseline !== undefined) {
    const b = values.baseline;
    baseline = captures.findIndex((c) => c.framework === b.toLowerCase() || c.file === b || resolve(c.file) === resolve(b) || basename(c.file) === b);
    if (baseline < 0) throw new UsageError(`--baseline "${b}" matches none of the captures (frameworks: ${captures.map((c) => c.framework).join(', ')})`);
  }
  const cmp = compareCaptures(captures, { baseline });
  const stat = stats[0] as 'mean' | 'p50' | 'p90' | 'p99';
  const text = format === 'json' ? JSON.stringify(comparisonToJson(cmp), null, 2) + '\n' : format === 'csv' ? toCsv(cmp) : format === 'markdown' ? toMarkdown(cmp, stat) : toTable(cmp, stats);
  process.stdout.write(text);
  return 0;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

export function formatTable(containers: readonly ContainerInfo[], showMounts: boolean): string {
  if (containers.length === 0) return 'No dev containers found.';
  const rows = [['NAME', 'FRAMEWORK', 'STATE', 'UPTIME', 'FOLDER', 'IMAGE']];
  const out: string[] = [];
  for (const c of containers) rows.push([c.name, c.framework, c.state, uptimeOf(c) || '-', c.localFolder ?? c.folderName ?? '-', c.image]);
  const lines = table(rows).split('\n');
  out.push(lines[0] ?? '');
  containers.forEach((c, i) => {
    out.push(lines[i + 1] ?? '');
    if (showMounts) for (const m of c.mounts) out.push(`    ${m.source || m.name || m.type} → ${m.destination}${m.readOnly ? ' (ro)' : ''}`);
  });
  return out.join('\n');
}

async function containersCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, all: { type: 'boolean' }, running: { type: 'boolean' }, mounts: { type: 'boolean' }, host: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const client = await connectDocker(resolveEndpoint(values.host, process.env, 'flag'), { audience: 'cli' });
  let list = await client.listContainers({ includeNonDev: values.all === true });
  if (values.running) list = list.filter(isRunning);
  process.stdout.write((values.json ? JSON.stringify(list, null, 2) : formatTable(list, values.mounts === true)) + '\n');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    if (command === '-v' || command === '--version') {
      process.stdout.write(`${version}\n`);
      return 0;
    }
    if (command === 'containers') {
      if (rest.includes('-h') || rest.includes('--help')) {
        process.stdout.write(USAGE + '\n');
        return 0;
      }
      return await containersCommand(rest);
    }
    if (command === 'collect') {
      if (rest.includes('-h') || rest.includes('--help')) {
        process.stdout.write(USAGE + '\n');
        return 0;
      }
      return await collectCommand(rest);
    }
    if (command === 'checks' || command === 'rerun') {
      if (rest.includes('-h') || rest.includes('--help')) {
        process.stdout.write(USAGE + '\n');
        return 0;
      }
      return command === 'checks' ? await checksCommand(rest) : await rerunCommand(rest);
    }
    if (command === 'docs-build' || command === 'cleanup') {
      if (rest.includes('-h') || rest.includes('--help')) {
        process.stdout.write(USAGE + '\n');
        return 0;
      }
      return command === 'docs-build' ? await docsBuildCommand(rest) : await cleanupCommand(rest);
    }
    if (command === 'parse' || command === 'compare') {
      if (rest.includes('-h') || rest.includes('--help')) {
        process.stdout.write(USAGE + '\n');
        return 0;
      }
      return command === 'parse' ? parseCommand(rest) : await compareCommand(rest);
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof DockerUnreachableError || e instanceof EndpointError || e instanceof InputError) {
      process.stderr.write(`dynamo-dev: ${e.message}\n`);
      return 1;
    }
    if (e instanceof UsageError || e instanceof CollectUsageError || e instanceof TasksUsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`dynamo-dev: ${(e as Error).message}. Run "dynamo-dev --help".\n`);
      return 2;
    }
    process.stderr.write(`dynamo-dev: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
