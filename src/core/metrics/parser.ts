// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// A Prometheus text-format (0.0.4) and OpenMetrics 1.0 text parser. Lenient like the Python reference
// client: a bad line becomes a diagnostic (line number, reason) and parsing goes on; it never throws on
// input and is linear in the input size (one pass; a line is read at most twice; no backtracking regular
// expressions). Usual sample lines are checked in place and their labels decoded only when first read.
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

/** 1: may start a name ([a-zA-Z_:]), 2: may continue one (also digits). */
const NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58) NAME[c] = 1;
  else if (c >= 48 && c <= 57) NAME[c] = 2;
}
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Prometheus / Python float spellings: decimal and exponent forms, NaN, ±Inf, ±Infinity (any case). No hex, no `_`. */
export function parseNumber(s: string): number | undefined {
  const len = s.length;
  if (len === 0) return undefined;
  const v = +s;
  if (v === v) {
    // Number() also takes what Prometheus does not: hex/binary/octal literals and surrounding whitespace.
    const c0 = s.charCodeAt(0);
    if (c0 < 33 || s.charCodeAt(len - 1) < 33) return undefined;
    const i = c0 === 43 || c0 === 45 ? 1 : 0;
    if (s.charCodeAt(i) === 48 && len > i + 1) {
      const c1 = s.charCodeAt(i + 1) | 32;
      if (c1 === 120 || c1 === 98 || c1 === 111) return undefined;
    }
    return v;
  }
  const l = s.toLowerCase();
  const sign = l.charCodeAt(0) === 45 ? -1 : 1;
  const body = l.charCodeAt(0) === 43 || l.charCodeAt(0) === 45 ? l.slice(1) : l;
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

/** Thrown inside one line and turned into a diagnostic; not an Error, so no stack is captured per bad line. */
class LineError {
  constructor(readonly message: string) {}
}

/** A cursor over one line. Methods throw LineError on malformed input; the caller turns it into a diagnostic. */
class Cursor {
  pos = 0;
  end: number;
  /** The previous sample line's name and label names, reused when the same text repeats (it nearly always does). */
  prevName = '';
  /** Position of the next backslash at or after some point (-1: none left); kept so lookups stay linear. */
  private nextBackslash = -2;
  prevKeys: string[] = [];
  constructor(readonly s: string) {
    this.end = s.length;
  }
  reset(pos: number, end: number): void {
    this.pos = pos;
    this.end = end;
  }
  get done(): boolean {
    return this.pos >= this.end;
  }
  /** text[a, b) as a string, reusing `prev` when it is the same text. */
  intern(a: number, b: number, prev: string | undefined): string {
    if (prev === undefined || prev.length !== b - a) return this.s.slice(a, b);
    const s = this.s;
    for (let i = 0; i < prev.length; i++) if (s.charCodeAt(a + i) !== prev.charCodeAt(i)) return s.slice(a, b);
    return prev;
  }
  peek(): number {
    return this.s.charCodeAt(this.pos);
  }
  skipBlanks(): number {
    const start = this.pos;
    const s = this.s;
    const end = this.end;
    let p = this.pos;
    while (p < end) {
      const c = s.charCodeAt(p);
      if (c !== 32 && c !== 9) break;
      p++;
    }
    this.pos = p;
    return p - start;
  }
  /** Scans a name; returns its end (== pos when there is none). */
  scanName(): number {
    const s = this.s;
    const end = this.end;
    let p = this.pos;
    let c = p < end ? s.charCodeAt(p) : 0;
    if (c < 128 && NAME[c] === 1) {
      p++;
      while (p < end) {
        c = s.charCodeAt(p);
        if (c >= 128 || NAME[c] === 0) break;
        p++;
      }
    }
    return p;
  }
  name(prev?: string): string {
    const start = this.pos;
    this.pos = this.scanName();
    return this.intern(start, this.pos, prev);
  }
  /** A double-quoted string; escapes `\\`, `\"` and `\n` are decoded, any other is kept as written. */
  quoted(prev?: string): string {
    if (this.peek() !== 34) throw new LineError('expected a quoted string');
    this.pos++;
    const start = this.pos;
    const s = this.s;
    const end = this.end;
    // Fast path (native search): the closing quote comes before any backslash and within the line.
    if (this.nextBackslash !== -1 && this.nextBackslash < start) this.nextBackslash = s.indexOf('\\', start);
    const q = s.indexOf('"', start);
    if (q >= 0 && q < end && (this.nextBackslash === -1 || this.nextBackslash > q)) {
      this.pos = q + 1;
      return this.intern(start, q, prev);
    }
    let p = start;
    // Slow path: collect the pieces and join once (repeated += builds deep cons-strings).
    const parts: string[] = [];
    let chunk = start;
    while (p < end) {
      const c = s.charCodeAt(p);
      if (c === 34) {
        parts.push(s.slice(chunk, p));
        this.pos = p + 1;
        return parts.join('');
      }
      if (c === 92 && p + 1 < end) {
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
    const s = this.s;
    const end = this.end;
    let p = this.pos;
    while (p < end) {
      const c = s.charCodeAt(p);
      if (c === 32 || c === 9) break;
      p++;
    }
    this.pos = p;
    return s.slice(start, p);
  }
}

/**
 * Parses `{a="b",c="d"}` at the cursor (which points at `{`). A quoted string without `=` is the metric
 * name (Prometheus 3 UTF-8 names: `{"my.metric","label.name"="v"}`).
 */
function parseLabels(cur: Cursor, intern = false): { labels: Record<string, string>; quotedName?: string } {
  cur.pos++; // {
  const labels: Record<string, string> = {};
  let k = 0;
  const prevKeys = cur.prevKeys;
  let quotedName: string | undefined;
  let first = true;
  cur.skipBlanks();
  if (cur.peek() === 44) cur.pos++; // "{,}" is an empty label set
  for (;;) {
    cur.skipBlanks();
    if (cur.done) throw new LineError('missing "}" after the labels');
    if (cur.peek() === 125) {
      cur.pos++;
      if (intern && prevKeys.length !== k) prevKeys.length = k;
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
      key = cur.name(intern ? prevKeys[k] : undefined);
      if (key === '') throw new LineError(`invalid label name "${cur.s.slice(cur.pos, cur.pos + 1)}"`);
      cur.skipBlanks();
    }
    first = false;
    if (cur.peek() !== 61) throw new LineError(`expected "=" after label name "${key}"`);
    cur.pos++;
    cur.skipBlanks();
    if (cur.peek() !== 34) throw new LineError(`the value of label "${key}" must be quoted`);
    const value = cur.quoted();
    // Short label lists (the usual case) are checked against the keys seen on this line; long ones by lookup.
    let dup = false;
    if (k < 8 && intern) {
      for (let j = 0; j < k; j++) if (prevKeys[j] === key) dup = true;
    } else dup = Object.prototype.hasOwnProperty.call(labels, key);
    if (dup) throw new LineError(`duplicate label name "${key}"`);
    labels[key] = value;
    if (intern) prevKeys[k] = key;
    k++;
    cur.skipBlanks();
    const c = cur.peek();
    if (c === 44) {
      cur.pos++;
      continue;
    }
    if (c !== 125) throw new LineError(`expected "," or "}" after the value of label "${key}"`);
  }
}

/** 10^0 … 10^22: every one is exact as a double. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * text[a, b) as a number when it is a plain decimal (`[+-]digits[.digits][e[+-]digits]`) whose value one
 * exact multiplication or division gives (≤ 15 significant digits, |exponent| ≤ 22: correctly rounded, so
 * the same double as Number()); NaN for anything else, which parseNumber() then decides.
 */
function plainNumber(s: string, a: number, b: number): number {
  let p = a;
  let c = s.charCodeAt(p);
  const neg = c === 45;
  if ((neg || c === 43) && p < b) c = s.charCodeAt(++p);
  let m = 0;
  let digits = 0; // significant digits (leading zeros and the fraction's trailing zeros do not count)
  let any = false;
  let e = 0;
  while (p < b && c >= 48 && c <= 57) {
    if (m !== 0 || c !== 48) {
      m = m * 10 + (c - 48);
      digits++;
    }
    any = true;
    c = s.charCodeAt(++p);
  }
  if (p < b && c === 46) {
    c = s.charCodeAt(++p);
    let zeros = 0; // not yet counted: "2.50" is 25e-1, "600.0" is 600
    while (p < b && c >= 48 && c <= 57) {
      any = true;
      if (c === 48) zeros++;
      else {
        for (; zeros > 0; zeros--) {
          if (m !== 0) {
            m *= 10;
            digits++;
          }
          e--;
        }
        m = m * 10 + (c - 48);
        digits++;
        e--;
      }
      c = s.charCodeAt(++p);
    }
  }
  if (!any || digits > 15) return NaN;
  if (p < b && (c === 101 || c === 69)) {
    c = s.charCodeAt(++p);
    const eneg = p < b && c === 45;
    if (eneg || (p < b && c === 43)) c = s.charCodeAt(++p);
    let x = 0;
    const start = p;
    while (p < b && c >= 48 && c <= 57 && p - start < 4) {
      x = x * 10 + (c - 48);
      c = s.charCodeAt(++p);
    }
    if (p === start) return NaN;
    e += eneg ? -x : x;
  }
  if (p !== b) return NaN;
  let v: number;
  if (m === 0 || e === 0) v = m;
  else if (e > 0 && e <= 22) v = m * (POW10[e] as number);
  else if (e < 0 && e >= -22) v = m / (POW10[-e] as number);
  else return NaN;
  return neg ? -v : v;
}

/** parseNumber(text[a, b)), without a substring in the usual case. */
function numberAt(s: string, a: number, b: number): number | undefined {
  const v = plainNumber(s, a, b);
  return v === v ? v : parseNumber(s.slice(a, b));
}

/** parseNumber(text[a, b)) !== undefined, without a substring in the usual case (`+Inf` included). */
function isNumberAt(s: string, a: number, b: number): boolean {
  const v = plainNumber(s, a, b);
  return v === v || (b - a === 4 && s.startsWith('+Inf', a)) || parseNumber(s.slice(a, b)) !== undefined;
}

/** Longer label sets go to parseLabels (the duplicate check here is quadratic in the count). */
const MAX_SCANNED_LABELS = 32;

/**
 * What scanLabels found in the block it last accepted (read right after the call; parsing is synchronous):
 * where the values of `le` and `quantile` are (-1: absent), and its scratch space for the label names.
 */
const scan = {
  leAt: -1,
  leEnd: -1,
  quantileAt: -1,
  quantileEnd: -1,
  /** Where the label names of the block being scanned are, and their lengths. */
  keyAt: new Int32Array(MAX_SCANNED_LABELS),
  keyLen: new Int32Array(MAX_SCANNED_LABELS),
};

/**
 * Validates `{a="b",c="d"}` in place (s[p] is `{`), allocating nothing: it accepts exactly what parseLabels
 * accepts when the label names are unquoted, no value has an escape and there are at most
 * MAX_SCANNED_LABELS labels. Returns the position after `}`, or -1 for anything else (an error, a quoted
 * name, an escape, many labels): parseLabels then decides, decodes and words the diagnostic. No loop here
 * goes past `end`.
 */
function scanLabels(s: string, p: number, end: number): number {
  // The loops need no bound: the character at `end` is "\r", "\n" or none (NaN past the text), and none
  // of them accepts it; a value's loop stops there and the check after it sees the line's end.
  const keyAt = scan.keyAt;
  const keyLen = scan.keyLen;
  scan.leAt = -1;
  scan.quantileAt = -1;
  let k = 0;
  let c = 0;
  p++;
  while ((c = s.charCodeAt(p)) === 32 || c === 9) p++;
  if (c === 44) p++; // "{,}" is an empty label set
  for (;;) {
    while ((c = s.charCodeAt(p)) === 32 || c === 9) p++;
    if (c === 125) return p + 1;
    if (k === MAX_SCANNED_LABELS || !(c < 128 && NAME[c] === 1)) return -1;
    const ka = p++;
    while ((c = s.charCodeAt(p)) < 128 && NAME[c] !== 0) p++;
    const kl = p - ka;
    // A duplicate name? (compared only when the lengths agree)
    for (let j = 0; j < k; j++) {
      if (keyLen[j] !== kl) continue;
      const o = (keyAt[j] as number) - ka;
      let i = 0;
      while (i < kl && s.charCodeAt(ka + i) === s.charCodeAt(ka + i + o)) i++;
      if (i === kl) return -1;
    }
    keyAt[k] = ka;
    keyLen[k] = kl;
    k++;
    if (c !== 61) {
      while ((c = s.charCodeAt(p)) === 32 || c === 9) p++;
      if (c !== 61) return -1;
    }
    p++;
    if ((c = s.charCodeAt(p)) !== 34) {
      while ((c = s.charCodeAt(p)) === 32 || c === 9) p++;
      if (c !== 34) return -1;
    }
    // The value, up to the closing quote; an escape goes to parseLabels.
    const va = ++p;
    for (;;) {
      while ((c = s.charCodeAt(p)) > 34 && c !== 92) p++;
      if (c === 34) break;
      if (c === 92 || p >= end) return -1;
      p++;
    }
    if (kl === 2 && s.charCodeAt(ka) === 108 && s.charCodeAt(ka + 1) === 101) {
      scan.leAt = va;
      scan.leEnd = p;
    } else if (kl === 8 && s.startsWith('quantile', ka)) {
      scan.quantileAt = va;
      scan.quantileEnd = p;
    }
    p++;
    while ((c = s.charCodeAt(p)) === 32 || c === 9) p++;
    if (c === 44) p++;
    else if (c !== 125) return -1;
  }
}

/** Decodes a block scanLabels accepted (s[a] is its `{`) into the object parseLabels gives for it. */
function materializeLabels(s: string, a: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let p = a + 1;
  for (;;) {
    let c = s.charCodeAt(p);
    if (c === 125) return labels;
    if (c === 32 || c === 9 || c === 44) {
      p++;
      continue;
    }
    const ka = p++;
    while ((c = s.charCodeAt(p)) < 128 && NAME[c] !== 0) p++;
    const key = s.slice(ka, p);
    while (s.charCodeAt(p) !== 34) p++; // blanks and "="
    const q = s.indexOf('"', ++p); // no escapes: the closing quote
    labels[key] = s.slice(p, q);
    p = q + 1;
  }
}

/**
 * Repeated names (a capture has few distinct ones) as one string each, looked up by the hash computed
 * while scanning them. Probes and size are bounded: crafted collisions cost at most an uninterned copy.
 */
class Interner {
  private keys: (string | undefined)[] = new Array<string | undefined>(512).fill(undefined);
  private hashes = new Int32Array(512);
  private count = 0;
  get(s: string, a: number, b: number, h: number): string {
    const keys = this.keys;
    const mask = keys.length - 1;
    const len = b - a;
    let slot = (h ^ (h >>> 15)) & mask;
    for (let probe = 0; probe < 8; probe++) {
      const k = keys[slot];
      if (k === undefined) {
        const name = s.slice(a, b);
        if (this.count < 4096) {
          keys[slot] = name;
          this.hashes[slot] = h;
          if (++this.count * 2 > keys.length) this.grow();
        }
        return name;
      }
      if (this.hashes[slot] === h && k.length === len && s.slice(a, b) === k) return k; // (a native comparison)
      slot = (slot + 1) & mask;
    }
    return s.slice(a, b);
  }
  private grow(): void {
    const keys = this.keys;
    const hashes = this.hashes;
    this.keys = new Array<string | undefined>(keys.length * 2).fill(undefined);
    this.hashes = new Int32Array(keys.length * 2);
    const mask = this.keys.length - 1;
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j];
      if (k === undefined) continue;
      const h = hashes[j] as number;
      let slot = (h ^ (h >>> 15)) & mask;
      while (this.keys[slot] !== undefined) slot = (slot + 1) & mask;
      this.keys[slot] = k;
      this.hashes[slot] = h;
    }
  }
}

/**
 * The samples parseExposition returns. A label block validated in place is decoded into its plain object
 * only when `labels` is first read (then kept; consumers mostly read the labels of a few families).
 * `labels` is an accessor, not an own property: JSON.stringify and the console get the plain shape.
 */
class ParsedSample implements Sample {
  declare timestamp?: number;
  declare exemplar?: Exemplar;
  /** The labels, or where their block starts in #text while not decoded yet (-1: no labels). */
  #labels: Record<string, string> | number;
  readonly #text: string;
  constructor(
    public name: string,
    public value: number,
    public line: number,
    labels: Record<string, string> | number,
    text: string,
  ) {
    this.#labels = labels;
    this.#text = text;
  }
  get labels(): Record<string, string> {
    const l = this.#labels;
    if (typeof l !== 'number') return l;
    return (this.#labels = l < 0 ? {} : materializeLabels(this.#text, l));
  }
  set labels(labels: Record<string, string>) {
    this.#labels = labels;
  }
  /** The plain data, as JSON.stringify and the console see it. */
  toJSON(): Sample {
    const o: Sample = { name: this.name, labels: this.labels, value: this.value, line: this.line };
    if (this.timestamp !== undefined) o.timestamp = this.timestamp;
    if (this.exemplar !== undefined) o.exemplar = this.exemplar;
    return o;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): Sample {
    return this.toJSON();
  }
}

// V8 keeps the representation of a field from its first stores: one sample whose value is not a number,
// made up front, keeps integral values unboxed in every later sample (else each value is a boxed double).
new ParsedSample('', null as unknown as number, 0, -1, '');

const CHECK_NONE = 0;
const CHECK_LE = 1;
const CHECK_QUANTILE = 2;

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
  else if (/(?:^|\n)# EOF[ \t]*\r?\n?\s*$/.test(text.length > 4096 ? text.slice(-4096) : text) || text.startsWith('# UNIT ') || text.slice(0, 65536).includes('\n# UNIT ')) format = 'openmetrics';

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

  // One cursor over the whole text, bounded to the current line: no per-line copies.
  const cur = new Cursor(text);
  const names = new Interner();
  /** The last name the fast path scanned (a plain name, unlike a quoted one). */
  let bareName = '';
  let lastName = '';
  let lastFamily: Family | undefined;
  /** Which label the samples of lastName need checked (set with lastFamily; a metadata line clears both). */
  let lastCheck = CHECK_NONE;
  const familyFor = (name: string): Family => {
    if (name === lastName && lastFamily) return lastFamily;
    const f = familyOfSample(name);
    lastName = name;
    lastFamily = f;
    lastCheck = (f.type === 'histogram' || f.type === 'gaugehistogram') && name === f.name + '_bucket' ? CHECK_LE : f.type === 'summary' && name === f.name ? CHECK_QUANTILE : CHECK_NONE;
    return f;
  };
  /** Buckets need a numeric `le`, summary quantiles a numeric `quantile` (the sample is kept either way). */
  const checkLabels = (f: Family, labels: Record<string, string>, line: number) => {
    if (lastCheck === CHECK_LE) {
      const le = labels.le;
      if (le === undefined) diag(line, `histogram bucket of ${f.name} without an "le" label`);
      else if (parseNumber(le) === undefined) diag(line, `histogram bucket of ${f.name} has a non-numeric le="${le}"`);
    }
    if (lastCheck === CHECK_QUANTILE && labels.quantile !== undefined && parseNumber(labels.quantile) === undefined) {
      diag(line, `summary ${f.name} has a non-numeric quantile="${labels.quantile}"`);
    }
  };
  let start = 0;
  const n = text.length;
  while (start < n) {
    let eol = text.indexOf('\n', start);
    if (eol < 0) eol = n;
    lineNo++;
    let end = eol;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    // leading blanks are allowed
    let i = start;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    start = eol + 1;
    if (i === end) continue;
    if (eofLine) {
      diag(lineNo, `text after "# EOF" (line ${eofLine}) is ignored`);
      continue;
    }
    cur.reset(i, end);
    if (text.charCodeAt(i) === 35) {
      // '#'
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
      setMeta(lineNo, keyword, name, text.slice(cur.pos, end));
      lastFamily = undefined;
      continue;
    }
    // A sample line. The fast path checks the usual shape in place and allocates only the sample (its labels
    // are decoded when first read). Anything else (any error, an exemplar, a quoted name, an escape in a
    // label value, over MAX_SCANNED_LABELS labels) goes to the cursor parser below, which parses the line
    // again from its start and words the diagnostics: each line is read at most twice.
    fast: {
      let p = i;
      let c = 0;
      let name = bareName;
      // The name: usually the previous sample's (one native comparison), else scanned and interned.
      const len = name.length;
      if (len > 0 && (i + len === end || (i + len < end && ((c = text.charCodeAt(i + len)) >= 128 || NAME[c] === 0))) && text.slice(i, i + len) === name) {
        p += len;
      } else {
        p = i;
        c = text.charCodeAt(p);
        if (c >= 128 || NAME[c] !== 1) break fast;
        let h = c;
        p++;
        // (no bound needed: the character at `end` is not a name character)
        while ((c = text.charCodeAt(p)) < 128 && NAME[c] !== 0) {
          h = (Math.imul(h, 31) + c) | 0;
          p++;
        }
        name = bareName = names.get(text, i, p, h);
      }
      const nameEnd = p;
      while ((c = text.charCodeAt(p)) === 32 || c === 9) p++;
      let at = -1;
      if (c === 123) {
        const close = scanLabels(text, p, end);
        if (close < 0) break fast;
        at = p;
        p = close;
        while ((c = text.charCodeAt(p)) === 32 || c === 9) p++;
        if (p >= end) break fast;
      } else if (p === nameEnd || p >= end) break fast;
      const valueAt = p;
      while (p < end && (c = text.charCodeAt(p)) !== 32 && c !== 9) p++;
      const value = numberAt(text, valueAt, p);
      if (value === undefined) break fast;
      while (p < end && ((c = text.charCodeAt(p)) === 32 || c === 9)) p++;
      let timestamp: number | undefined;
      if (p < end) {
        if (c === 35) break fast; // an exemplar
        const tsAt = p;
        while (p < end && (c = text.charCodeAt(p)) !== 32 && c !== 9) p++;
        timestamp = numberAt(text, tsAt, p);
        if (timestamp === undefined || !Number.isFinite(timestamp)) break fast;
        while (p < end && ((c = text.charCodeAt(p)) === 32 || c === 9)) p++;
        if (p < end) break fast; // an exemplar or stray text
      }
      const sample = new ParsedSample(name, value, lineNo, at, text);
      if (timestamp !== undefined) sample.timestamp = format === 'openmetrics' ? timestamp * 1000 : timestamp;
      const f = familyFor(name);
      if (lastCheck === CHECK_LE) {
        if (at < 0 || scan.leAt < 0) diag(lineNo, `histogram bucket of ${f.name} without an "le" label`);
        else if (!isNumberAt(text, scan.leAt, scan.leEnd)) diag(lineNo, `histogram bucket of ${f.name} has a non-numeric le="${text.slice(scan.leAt, scan.leEnd)}"`);
      } else if (lastCheck === CHECK_QUANTILE && at >= 0 && scan.quantileAt >= 0 && !isNumberAt(text, scan.quantileAt, scan.quantileEnd)) {
        diag(lineNo, `summary ${f.name} has a non-numeric quantile="${text.slice(scan.quantileAt, scan.quantileEnd)}"`);
      }
      f.samples.push(sample);
      sampleLines++;
      continue;
    }
    try {
      let name = cur.name(cur.prevName);
      let labels: Record<string, string> = {};
      const blanks = cur.skipBlanks();
      const hasLabels = !cur.done && cur.peek() === 123;
      if (hasLabels) {
        const parsed = parseLabels(cur, true);
        labels = parsed.labels;
        if (parsed.quotedName !== undefined) {
          if (name !== '') throw new LineError('a metric name given both before and inside the braces');
          name = parsed.quotedName;
        }
      }
      if (name === '') throw new LineError('invalid or missing metric name');
      // After a label set the blank before the value is optional ("x{a="b"}1"); after a bare name it is not.
      if ((hasLabels ? cur.skipBlanks() : blanks) === 0 && (!hasLabels || cur.done)) throw new LineError(cur.done ? `no value for ${name}` : `unexpected "${text[cur.pos]}" after ${name}`);
      const valueText = cur.token();
      const value = parseNumber(valueText);
      if (value === undefined) throw new LineError(`invalid value "${valueText}" for ${name}`);
      const sample = new ParsedSample(name, value, lineNo, labels, '');
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
      if (!cur.done) diag(lineNo, `unexpected text "${text.slice(cur.pos, end)}" after the sample of ${name}; the sample is kept`);
      cur.prevName = name;
      const f = familyFor(name);
      checkLabels(f, labels, lineNo);
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
