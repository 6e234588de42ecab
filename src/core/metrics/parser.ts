// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// A Prometheus text-format (0.0.4) and OpenMetrics 1.0 text parser. Lenient like the Python reference
// client: a bad line becomes a diagnostic (line number, reason) and parsing goes on; it never throws on
// input and is linear in the input size (one pass, no backtracking regular expressions).
//
// Why not parse-prometheus-text-format: it drops the _sum/_count of every labelled histogram and merges
// all label sets' buckets, so no LLM latency average can be computed from a real capture.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'info' | 'stateset' | 'gaugehistogram';

const KNOWN_TYPES = new Set<string>(['counter', 'gauge', 'histogram', 'summary', 'untyped', 'unknown', 'info', 'stateset', 'gaugehistogram']);

export interface Exemplar {
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch, when the exemplar carries one. */
  timestamp?: number;
}

export interface Sample {
  /** The series name as written, e.g. `vllm:e2e_request_latency_seconds_bucket`. */
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch (OpenMetrics seconds are converted), when the line carries one. */
  timestamp?: number;
  exemplar?: Exemplar;
  /** 1-based line number in the input. */
  line: number;
}

export interface Family {
  name: string;
  type: MetricType;
  help: string;
  unit: string;
  samples: Sample[];
  /** true when the family was declared with `# TYPE` (rather than made up for an undeclared sample). */
  declared: boolean;
}

export interface Diagnostic {
  line: number;
  message: string;
}

export type ExpositionFormat = 'prometheus' | 'openmetrics';

export interface ParseResult {
  format: ExpositionFormat;
  families: Family[];
  diagnostics: Diagnostic[];
  /** Lines in the input (a last line without a newline counts too). */
  totalLines: number;
  sampleLines: number;
}

export interface ParseOptions {
  /** Default `auto`: OpenMetrics when the input ends with `# EOF` (or declares a `# UNIT`). */
  format?: ExpositionFormat | 'auto';
  /** Stop collecting diagnostics after this many (the count of the rest is reported once). Default 1000. */
  maxDiagnostics?: number;
}

const SUFFIXES: Record<string, readonly string[]> = {
  histogram: ['_bucket', '_sum', '_count', '_created'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
  summary: ['_sum', '_count', '_created'],
  counter: ['_total', '_created'],
  info: ['_info'],
};

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Prometheus / Python float spellings: decimal and exponent forms, NaN, ±Inf, ±Infinity (any case). No hex, no `_`. */
export function parseNumber(s: string): number | undefined {
  if (s.length === 0) return undefined;
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 46 || ((c === 43 || c === 45) && s.length > 1 && s.charCodeAt(1) !== 73 && s.charCodeAt(1) !== 105 && s.charCodeAt(1) !== 78 && s.charCodeAt(1) !== 110)) {
    return DECIMAL.test(s) ? Number(s) : undefined;
  }
  const l = s.toLowerCase();
  const sign = l[0] === '-' ? -1 : 1;
  const body = l[0] === '+' || l[0] === '-' ? l.slice(1) : l;
  if (body === 'nan') return NaN;
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  return undefined;
}

/** Formats a number the way Prometheus writes it: NaN, +Inf, -Inf, else the shortest round-trip decimal. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

class LineError extends Error {}

/** A cursor over one line. Methods throw LineError on malformed input; the caller turns it into a diagnostic. */
class Cursor {
  pos = 0;
  constructor(readonly s: string) {}
  get done(): boolean {
    return this.pos >= this.s.length;
  }
  peek(): number {
    return this.s.charCodeAt(this.pos);
  }
  skipBlanks(): number {
    const start = this.pos;
    while (this.pos < this.s.length && isBlank(this.s.charCodeAt(this.pos))) this.pos++;
    return this.pos - start;
  }
  name(): string {
    const start = this.pos;
    if (this.pos < this.s.length && isNameStart(this.s.charCodeAt(this.pos))) {
      this.pos++;
      while (this.pos < this.s.length && isNameChar(this.s.charCodeAt(this.pos))) this.pos++;
    }
    return this.s.slice(start, this.pos);
  }
  /** A double-quoted string; escapes `\\`, `\"` and `\n` are decoded, any other is kept as written. */
  quoted(): string {
    if (this.peek() !== 34) throw new LineError('expected a quoted string');
    this.pos++;
    const start = this.pos;
    // Fast path: no escape before the closing quote.
    let p = this.pos;
    const s = this.s;
    while (p < s.length) {
      const c = s.charCodeAt(p);
      if (c === 34) {
        this.pos = p + 1;
        return s.slice(start, p);
      }
      if (c === 92) break;
      p++;
    }
    // Slow path: collect the pieces and join once (repeated += builds deep cons-strings).
    const parts: string[] = [];
    let chunk = start;
    while (p < s.length) {
      const c = s.charCodeAt(p);
      if (c === 34) {
        parts.push(s.slice(chunk, p));
        this.pos = p + 1;
        return parts.join('');
      }
      if (c === 92 && p + 1 < s.length) {
        parts.push(s.slice(chunk, p));
        const n = s.charCodeAt(p + 1);
        parts.push(n === 92 ? '\\' : n === 34 ? '"' : n === 110 ? '\n' : s.slice(p, p + 2));
        p += 2;
        chunk = p;
        continue;
      }
      p++;
    }
    this.pos = p;
    throw new LineError('unterminated quoted string (a label value cannot span lines)');
  }
  token(): string {
    const start = this.pos;
    while (this.pos < this.s.length && !isBlank(this.s.charCodeAt(this.pos))) this.pos++;
    return this.s.slice(start, this.pos);
  }
}

/**
 * Parses `{a="b",c="d"}` at the cursor (which points at `{`). A quoted string without `=` is the metric
 * name (Prometheus 3 UTF-8 names: `{"my.metric","label.name"="v"}`).
 */
function parseLabels(cur: Cursor): { labels: Record<string, string>; quotedName?: string } {
  cur.pos++; // {
  const labels: Record<string, string> = {};
  let quotedName: string | undefined;
  let first = true;
  cur.skipBlanks();
  if (cur.peek() === 44) cur.pos++; // "{,}" is an empty label set
  for (;;) {
    cur.skipBlanks();
    if (cur.done) throw new LineError('missing "}" after the labels');
    if (cur.peek() === 125) {
      cur.pos++;
      return quotedName === undefined ? { labels } : { labels, quotedName };
    }
    let key: string;
    if (cur.peek() === 34) {
      key = cur.quoted();
      cur.skipBlanks();
      if (first && cur.peek() !== 61) {
        quotedName = key;
        first = false;
        if (cur.peek() === 44) cur.pos++;
        continue;
      }
    } else {
      key = cur.name();
      if (key === '') throw new LineError(`invalid label name at column ${cur.pos + 1}`);
      cur.skipBlanks();
    }
    first = false;
    if (cur.peek() !== 61) throw new LineError(`expected "=" after label name "${key}"`);
    cur.pos++;
    cur.skipBlanks();
    if (cur.peek() !== 34) throw new LineError(`the value of label "${key}" must be quoted`);
    const value = cur.quoted();
    if (Object.prototype.hasOwnProperty.call(labels, key)) throw new LineError(`duplicate label name "${key}"`);
    labels[key] = value;
    cur.skipBlanks();
    const c = cur.peek();
    if (c === 44) {
      cur.pos++;
      continue;
    }
    if (c !== 125) throw new LineError(`expected "," or "}" after the value of label "${key}"`);
  }
}

interface Metadata {
  type?: MetricType;
  help?: string;
  unit?: string;
}

/**
 * Parses a whole exposition. Families keep the order in which they were first seen; samples of one family
 * are merged even when interleaved with other families (as the Go reference does).
 */
export function parseExposition(text: string, opts: ParseOptions = {}): ParseResult {
  const maxDiagnostics = opts.maxDiagnostics ?? 1000;
  const diagnostics: Diagnostic[] = [];
  let suppressed = 0;
  const diag = (line: number, message: string) => {
    if (diagnostics.length < maxDiagnostics) diagnostics.push({ line, message });
    else suppressed++;
  };

  let format: ExpositionFormat = 'prometheus';
  if (opts.format === 'openmetrics' || opts.format === 'prometheus') format = opts.format;
  else if (/(?:^|\n)# EOF[ \t]*\r?\n?\s*$/.test(text.length > 4096 ? text.slice(-4096) : text) || /(?:^|\n)# UNIT /.test(text)) format = 'openmetrics';

  const meta = new Map<string, Metadata>();
  const families = new Map<string, Family>();
  /** Families a sample name may belong to, by suffix stripping; refreshed when metadata changes. */
  const owner = new Map<string, Family>();
  let sampleLines = 0;
  let lineNo = 0;
  let eofLine = 0;

  const family = (name: string): Family => {
    let f = families.get(name);
    if (!f) {
      const m = meta.get(name);
      f = { name, type: m?.type ?? 'untyped', help: m?.help ?? '', unit: m?.unit ?? '', samples: [], declared: m?.type !== undefined };
      families.set(name, f);
    }
    return f;
  };

  const familyOfSample = (sampleName: string): Family => {
    const cached = owner.get(sampleName);
    if (cached) return cached;
    let found: Family | undefined;
    const exact = meta.get(sampleName);
    if (exact?.type) found = family(sampleName);
    if (!found) {
      for (let i = sampleName.length - 1; i > 0 && !found; i--) {
        if (sampleName.charCodeAt(i) !== 95) continue; // '_'
        const base = sampleName.slice(0, i);
        const suffix = sampleName.slice(i);
        const m = meta.get(base);
        if (m?.type && SUFFIXES[m.type]?.includes(suffix)) found = family(base);
      }
    }
    found ??= family(sampleName);
    owner.set(sampleName, found);
    return found;
  };

  const setMeta = (line: number, kind: 'TYPE' | 'HELP' | 'UNIT', name: string, rest: string) => {
    let m = meta.get(name);
    if (!m) {
      m = {};
      meta.set(name, m);
    }
    if (kind === 'TYPE') {
      const t = rest.trim().toLowerCase();
      if (!KNOWN_TYPES.has(t)) {
        diag(line, `unknown metric type "${rest.trim()}" for ${name}; treated as untyped`);
        return;
      }
      const type = (t === 'unknown' ? 'untyped' : t) as MetricType;
      if (m.type && m.type !== type) diag(line, `second TYPE for ${name} (${m.type}, now ${type}); the first is kept`);
      if (m.type) return;
      m.type = type;
      // Only the names this declaration can own change owner: the name itself and its suffixed series.
      owner.delete(name);
      for (const suffix of SUFFIXES[type] ?? []) owner.delete(name + suffix);
      const f = families.get(name);
      if (f) {
        if (f.samples.length > 0) diag(line, `TYPE for ${name} comes after its samples`);
        f.type = type;
        f.declared = true;
      }
    } else if (kind === 'HELP') {
      const help = unescapeHelp(rest);
      if (m.help !== undefined && m.help !== help) diag(line, `second HELP for ${name}; the first is kept`);
      m.help ??= help;
      const f = families.get(name);
      if (f && f.help === '') f.help = m.help;
    } else {
      m.unit = rest.trim();
      const f = families.get(name);
      if (f) f.unit = m.unit;
    }
  };

  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    lineNo++;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    // leading blanks are allowed
    let i = 0;
    while (i < line.length && isBlank(line.charCodeAt(i))) i++;
    if (i === line.length) continue;
    if (eofLine) {
      diag(lineNo, `text after "# EOF" (line ${eofLine}) is ignored`);
      continue;
    }
    if (line.charCodeAt(i) === 35) {
      // '#'
      const cur = new Cursor(line);
      cur.pos = i + 1;
      if (cur.skipBlanks() === 0) {
        continue; // "#comment": a comment, not metadata
      }
      const keyword = cur.token();
      if (keyword === 'EOF' && cur.skipBlanks() >= 0 && cur.done) {
        eofLine = lineNo;
        continue;
      }
      if (keyword !== 'HELP' && keyword !== 'TYPE' && keyword !== 'UNIT') continue; // any other comment
      cur.skipBlanks();
      let name: string;
      try {
        name = cur.peek() === 34 ? cur.quoted() : cur.name();
      } catch (e) {
        diag(lineNo, `${keyword}: ${(e as Error).message}`);
        continue;
      }
      if (name === '') continue; // "# HELP" alone is a comment (as in the Go reference)
      if (!cur.done && !isBlank(cur.peek())) {
        diag(lineNo, `${keyword}: invalid metric name "${name}${cur.token()}"`);
        continue;
      }
      cur.skipBlanks();
      setMeta(lineNo, keyword, name, line.slice(cur.pos));
      continue;
    }
    // a sample line
    const cur = new Cursor(line);
    cur.pos = i;
    try {
      let name = cur.name();
      let labels: Record<string, string> = {};
      const blanks = cur.skipBlanks();
      const hasLabels = !cur.done && cur.peek() === 123;
      if (hasLabels) {
        const parsed = parseLabels(cur);
        labels = parsed.labels;
        if (parsed.quotedName !== undefined) {
          if (name !== '') throw new LineError('a metric name given both before and inside the braces');
          name = parsed.quotedName;
        }
      }
      if (name === '') throw new LineError('invalid or missing metric name');
      // After a label set the blank before the value is optional ("x{a="b"}1"); after a bare name it is not.
      if ((hasLabels ? cur.skipBlanks() : blanks) === 0 && (!hasLabels || cur.done)) throw new LineError(cur.done ? `no value for ${name}` : `unexpected "${line[cur.pos]}" after ${name}`);
      const valueText = cur.token();
      const value = parseNumber(valueText);
      if (value === undefined) throw new LineError(`invalid value "${valueText}" for ${name}`);
      const sample: Sample = { name, labels, value, line: lineNo };
      cur.skipBlanks();
      if (!cur.done && cur.peek() !== 35) {
        const tsText = cur.token();
        const ts = parseNumber(tsText);
        if (ts === undefined || !Number.isFinite(ts)) throw new LineError(`invalid timestamp "${tsText}" for ${name}`);
        sample.timestamp = format === 'openmetrics' ? ts * 1000 : ts;
        cur.skipBlanks();
      }
      if (!cur.done && cur.peek() === 35) {
        // exemplar: # {labels} value [timestamp]
        cur.pos++;
        cur.skipBlanks();
        if (cur.peek() !== 123) throw new LineError('an exemplar must start with "{"');
        const ex = parseLabels(cur);
        cur.skipBlanks();
        const exValue = parseNumber(cur.token());
        if (exValue === undefined) throw new LineError('invalid exemplar value');
        const exemplar: Exemplar = { labels: ex.labels, value: exValue };
        cur.skipBlanks();
        if (!cur.done) {
          const exTs = parseNumber(cur.token());
          if (exTs === undefined || !Number.isFinite(exTs)) throw new LineError('invalid exemplar timestamp');
          exemplar.timestamp = exTs * 1000;
          cur.skipBlanks();
        }
        sample.exemplar = exemplar;
      }
      if (!cur.done) diag(lineNo, `unexpected text "${line.slice(cur.pos)}" after the sample of ${name}; the sample is kept`);
      const f = familyOfSample(name);
      if ((f.type === 'histogram' || f.type === 'gaugehistogram') && name === f.name + '_bucket') {
        const le = labels.le;
        if (le === undefined) diag(lineNo, `histogram bucket of ${f.name} without an "le" label`);
        else if (parseNumber(le) === undefined) diag(lineNo, `histogram bucket of ${f.name} has a non-numeric le="${le}"`);
      }
      if (f.type === 'summary' && name === f.name && labels.quantile !== undefined && parseNumber(labels.quantile) === undefined) {
        diag(lineNo, `summary ${f.name} has a non-numeric quantile="${labels.quantile}"`);
      }
      f.samples.push(sample);
      sampleLines++;
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      diag(lineNo, e.message);
    }
  }
  // Families declared with HELP/TYPE but without samples are kept (the LMCache families of vLLM, say).
  for (const [name, m] of meta) if (m.type && !families.has(name)) family(name);
  if (format === 'openmetrics' && !eofLine && opts.format === 'openmetrics') diag(lineNo, 'OpenMetrics input does not end with "# EOF"');
  if (suppressed > 0) diagnostics.push({ line: lineNo, message: `${suppressed} more problems not listed` });
  return { format, families: [...families.values()], diagnostics, totalLines: lineNo, sampleLines };
}

function unescapeHelp(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      const nx = s[i + 1];
      if (nx === '\\') out += '\\';
      else if (nx === 'n') out += '\n';
      else if (nx === '"') out += '"';
      else out += c + nx;
      i++;
    } else out += c;
  }
  return out;
}
