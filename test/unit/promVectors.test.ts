// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Every case of test/fixtures/prom-vectors (computed with the Python reference client, prometheus_client
// 0.26): valid inputs give the reference's samples, invalid ones give diagnostics and never throw.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseExposition, type MetricType } from '../../src/core/metrics/parser';

interface RefSample {
  name: string;
  labels: Record<string, string>;
  value: number | string;
  timestamp?: number;
}
interface Vector {
  name: string;
  format: 'text-0.0.4' | 'openmetrics';
  input: string;
  go_expfmt: null | { ok: boolean };
  expected_client_python: { ok: true; families: { family: string; type: string; samples: RefSample[] }[] } | { ok: false; error: string };
}

const dir = join(__dirname, '../fixtures/prom-vectors');
const vectors: Vector[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));

/**
 * Where the Python reference is wrong or arbitrary, and what we do instead (names, labels and values must
 * still agree; only what is named here is not compared):
 * - exemplar_in_0_0_4_text: the reference reads the exemplar's last token as the sample's timestamp and
 *   files the sample under an "unknown" family; we parse the exemplar and keep the counter family.
 * - invalid_04: "3.14 2 3": the reference takes the last token as the timestamp; Go rejects the line; we
 *   keep timestamp 2 and report the spurious "3".
 * - go_evil_summary: the reference files every summary sample that follows an interleaved foreign line
 *   under an "unknown" family; Go, like us, merges them into the summary.
 * - type_after_samples: the reference keeps the sample in an "unknown" family and adds an empty counter;
 *   Go rejects the input; we give the sample its declared type and report the late TYPE.
 */
const REFERENCE_QUIRKS: Record<string, { types?: true; timestamps?: true }> = {
  exemplar_in_0_0_4_text: { types: true, timestamps: true },
  invalid_04: { timestamps: true },
  go_evil_summary: { types: true },
  type_after_samples: { types: true },
};

const num = (v: number | string): string => (typeof v === 'string' ? v : Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));
const normType = (t: string): string => (t === 'unknown' ? 'untyped' : t);
/** The reference renames counter samples to `<name>_total`; we keep names as written. */
const normName = (name: string, type: string): string => (type === 'counter' && !name.endsWith('_total') && !name.endsWith('_created') ? name + '_total' : name);
const key = (name: string, type: string, labels: Record<string, string>, value: number | string, ts: number | undefined, withTs: boolean, withType: boolean) =>
  JSON.stringify([normName(name, type), withType ? normType(type) : '', Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)), num(value), withTs && ts !== undefined ? Number(ts.toPrecision(12)) : null]);

describe('Prometheus/OpenMetrics reference vectors', () => {
  it('has all 47 vectors', () => assert.equal(vectors.length, 47));
  for (const v of vectors) {
    it(v.name, () => {
      const r = parseExposition(v.input, { format: v.format === 'openmetrics' ? 'openmetrics' : 'prometheus' });
      const exp = v.expected_client_python;
      if (!exp.ok) {
        assert.ok(r.diagnostics.length > 0, `the reference rejects this input (${exp.error}); we must report a diagnostic`);
        for (const d of r.diagnostics) assert.ok(d.line >= 1 && d.message.length > 0);
        return;
      }
      const quirk = REFERENCE_QUIRKS[v.name];
      const withTs = !quirk?.timestamps;
      const withType = !quirk?.types;
      // Without type comparison, counter names are compared as written by both sides minus the reference's `_total` renaming.
      const typeFor = (t: string) => (withType ? t : 'untyped');
      const ours = r.families.flatMap((f) => f.samples.map((s) => key(s.name.replace(/_total$/, ''), typeFor(f.type as MetricType), s.labels, s.value, s.timestamp === undefined ? undefined : s.timestamp / 1000, withTs, withType))).sort();
      const ref = exp.families.flatMap((f) => f.samples.map((s) => key(s.name.replace(/_total$/, ''), typeFor(f.type), s.labels, s.value, s.timestamp, withTs, withType))).sort();
      assert.deepEqual(ours, ref);
      const goRejects = v.go_expfmt?.ok === false;
      if (!goRejects && !quirk) assert.deepEqual(r.diagnostics, [], 'a valid input must not produce diagnostics');
    });
  }
});
