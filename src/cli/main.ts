// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// dynamo-dev: the command line on the same core as the extension.
import { parseArgs } from 'node:util';
import { connectDocker, DockerUnreachableError } from '../core/docker/client';
import { isRunning, uptimeOf } from '../core/docker/discovery';
import { EndpointError, resolveEndpoint } from '../core/docker/endpoint';
import type { ContainerInfo } from '../core/docker/model';
import { version } from '../../package.json';

const USAGE = `Usage: dynamo-dev <command> [options]

Commands:
  containers            List dev containers (running and stopped), their framework, folder and mounts.
    --json              Print a JSON array (id, name, image, state, isDevContainer, localFolder,
                        folderName, configFile, framework, mounts[{source, destination, readOnly}], …).
    --all               Also list containers that are not dev containers.
    --running           Only running containers.
    --mounts            Show each container's mounts (host → container) in the table.
    --host <endpoint>   Docker endpoint (default: DOCKER_HOST, the docker context, /var/run/docker.sock).

Options:
  -h, --help            Show this help.
  -v, --version         Show the version.

Exit codes: 0 success, 1 Docker engine unreachable or failed, 2 usage error.`;

class UsageError extends Error {}

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
    throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof DockerUnreachableError || e instanceof EndpointError) {
      process.stderr.write(`dynamo-dev: ${e.message}\n`);
      return 1;
    }
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
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
