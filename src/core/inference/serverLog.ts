// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// Reading inference.sh's log as it grows: the frontend's `added model` line (readable and JSONL formats),
// the backend port inference.sh settled on, and lines that mean the server failed.

/** Dynamo's watcher: `… INFO dynamo_llm::discovery::watcher: added model model_name="Qwen/Qwen3-0.6B" …`. */
export const ADDED_MODEL = /\badded model\b.*?\bmodel_name=("?)([^"\s]+)\1/;
const REMOVED_MODEL = /\bremoved model\b/;
/** inference.sh: `✅ Port 8082 (backend) is available`. */
const BACKEND_PORT = /^✅ Port (\d+) \(backend\) is available/;
/** A log level word near the start: Dynamo's `<ts> ERROR target: …`, Python's `ERROR 09-02 …`, `[ERROR]`. */
const ERROR_LEVEL = /^(?:\S+\s+){0,2}\[?(?:ERROR|FATAL|CRITICAL)\]?[\s:]/;

export type LogEvent =
  | { kind: 'ready'; model: string }
  | { kind: 'removed' }
  | { kind: 'error'; line: string }
  | { kind: 'backendPort'; port: number }
  | { kind: 'disagg' };

/** What one log line means for the run, or null for the rest. */
export function scanLogLine(raw: string): LogEvent | null {
  const line = raw.replace(/\r$/, '');
  if (line.startsWith('{')) {
    try {
      const rec = JSON.parse(line) as Record<string, unknown>;
      const message = typeof rec.message === 'string' ? rec.message : typeof rec.msg === 'string' ? rec.msg : '';
      const fields = typeof rec.fields === 'object' && rec.fields !== null ? (rec.fields as Record<string, unknown>) : rec;
      if (message === 'added model' || (typeof fields.message === 'string' && fields.message === 'added model')) {
        const name = fields.model_name ?? rec.model_name;
        return { kind: 'ready', model: typeof name === 'string' ? name : '' };
      }
      if (message === 'removed model') return { kind: 'removed' };
      const level = String(rec.level ?? rec.severity ?? '').toUpperCase();
      if (level === 'ERROR' || level === 'FATAL' || level === 'CRITICAL') return { kind: 'error', line };
      return null;
    } catch (_e) {
      // not JSON after all: read it as text
    }
  }
  if (line.startsWith('+ ')) return null; // `set -x` traces echo commands, they are not events
  const added = ADDED_MODEL.exec(line);
  if (added) return { kind: 'ready', model: added[2]! };
  if (REMOVED_MODEL.test(line) && /\bINFO\b|\bWARN/.test(line)) return { kind: 'removed' };
  const port = BACKEND_PORT.exec(line);
  if (port) return { kind: 'backendPort', port: Number(port[1]) };
  if (line.startsWith('[DECODE]') || line.startsWith('[PREFILL]')) return { kind: 'disagg' };
  if (line.startsWith('❌') || line.startsWith('Traceback (most recent call last)') || ERROR_LEVEL.test(line)) return { kind: 'error', line };
  return null;
}

/** Splits a growing log into complete lines; the unfinished tail waits for the next chunk. */
export class LineSplitter {
  private rest = '';
  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines;
  }
  /** The unfinished last line, if any (at the end of a log). */
  flush(): string[] {
    const r = this.rest;
    this.rest = '';
    return r === '' ? [] : [r];
  }
}

/** The last `n` lines kept for error messages. */
export class Tail {
  private readonly lines: string[] = [];
  constructor(private readonly n = 20) {}
  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.n) this.lines.shift();
  }
  text(): string {
    return this.lines.join('\n');
  }
  get size(): number {
    return this.lines.length;
  }
}
