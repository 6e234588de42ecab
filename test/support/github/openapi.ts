// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
//
// Validates GitHub stand-in responses against GitHub's official OpenAPI description
// (@octokit/openapi, the dereferenced api.github.com document, so there is no $ref to resolve).
// A small validator for the subset of JSON Schema / OpenAPI 3.0 the description uses:
// type, nullable, enum, properties, required, additionalProperties, items, oneOf (exactly one),
// anyOf, allOf. `format` and string/number bounds are ignored.
import { readFileSync } from 'node:fs';

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON schema documents are untyped */
type Schema = Record<string, any>;

interface Operation { responses: Record<string, { content?: Record<string, { schema?: Schema }> }> }

let operations: Map<string, Operation> | undefined;

/**
 * The operations of the dereferenced description, keyed `METHOD /path/{template}`. The 73 MB document
 * is parsed once per process; only the operation table is kept (the rest is garbage once this returns).
 */
function loadOperations(): Map<string, Operation> {
  if (operations) { return operations; }
  const file = require.resolve('@octokit/openapi/generated/api.github.com.deref.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { paths: Record<string, Record<string, Operation>> };
  const ops = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (op && typeof op === 'object' && 'responses' in op) { ops.set(`${method.toUpperCase()} ${path}`, op); }
    }
  }
  operations = ops;
  return ops;
}

/** The JSON response schema for an operation and status, or `undefined` when the description has no body for it. Throws for an unknown operation or status. */
export function responseSchema(method: string, pathTemplate: string, status: number): Schema | undefined {
  const op = loadOperations().get(`${method.toUpperCase()} ${pathTemplate}`);
  if (!op) { throw new Error(`OpenAPI: no operation ${method.toUpperCase()} ${pathTemplate}`); }
  const response = op.responses[String(status)] ?? op.responses.default;
  if (!response) { throw new Error(`OpenAPI: ${method.toUpperCase()} ${pathTemplate} documents no ${status} response (has ${Object.keys(op.responses).join(', ')})`); }
  return response.content?.['application/json']?.schema;
}

/**
 * Checks `body` against the documented response schema of `METHOD pathTemplate` for `status`.
 * Returns the list of problems (empty when valid), each prefixed with a JSON path such as `$.check_runs[3].app.owner`.
 * A status documented without a body (e.g. 204, 302, 304) accepts only an empty body (`undefined`, `null` or `''`).
 */
export function validateResponse(method: string, pathTemplate: string, status: number, body: unknown): string[] {
  const schema = responseSchema(method, pathTemplate, status);
  if (!schema) {
    return body === undefined || body === null || body === '' ? [] : [`$: ${status} is documented without a body`];
  }
  const errors: string[] = [];
  validateSchema(schema, body, '$', errors);
  return errors;
}

/** Like {@link validateResponse} but throws with every problem listed. */
export function assertValidResponse(method: string, pathTemplate: string, status: number, body: unknown): void {
  const errors = validateResponse(method, pathTemplate, status, body);
  if (errors.length) {
    throw new Error(`${method.toUpperCase()} ${pathTemplate} ${status}: response does not match the OpenAPI schema:\n  ${errors.slice(0, 20).join('\n  ')}${errors.length > 20 ? `\n  … ${errors.length - 20} more` : ''}`);
  }
}

function typeOf(value: unknown): string {
  if (value === null) { return 'null'; }
  if (Array.isArray(value)) { return 'array'; }
  if (typeof value === 'number') { return Number.isInteger(value) ? 'integer' : 'number'; }
  return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

/** Validates `value` against `schema`, appending problems to `errors`. Exported for the validator's own tests. */
export function validateSchema(schema: Schema, value: unknown, path: string, errors: string[]): void {
  const nullable = schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null'));
  if (value === null && nullable) { return; }

  if (Array.isArray(schema.allOf)) {
    for (const sub of schema.allOf as Schema[]) { validateSchema(sub, value, path, errors); }
  }
  if (Array.isArray(schema.anyOf)) {
    const results = (schema.anyOf as Schema[]).map(sub => collect(sub, value, path));
    if (!results.some(r => r.length === 0)) {
      errors.push(`${path}: matches none of anyOf (${results.map(r => r[0]).join(' | ')})`);
    }
  }
  if (Array.isArray(schema.oneOf)) {
    const results = (schema.oneOf as Schema[]).map(sub => collect(sub, value, path));
    const matching = results.filter(r => r.length === 0).length;
    if (matching !== 1) {
      errors.push(matching === 0
        ? `${path}: matches none of oneOf (${results.map(r => r[0]).join(' | ')})`
        : `${path}: matches ${matching} alternatives of oneOf, expected exactly one`);
    }
  }

  if (schema.type !== undefined) {
    const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = typeOf(value);
    if (!types.some(t => typeMatches(t, actual))) {
      errors.push(`${path}: expected ${types.join('|')}${nullable ? '|null' : ''}, got ${actual}`);
      return;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e: unknown) => e === value)) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }

  if (Array.isArray(value)) {
    if (schema.items) { value.forEach((item, i) => validateSchema(schema.items as Schema, item, `${path}[${i}]`, errors)); }
    return;
  }
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of (schema.required ?? []) as string[]) {
      if (!(key in obj)) { errors.push(`${path}: missing required property '${key}'`); }
    }
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const [key, v] of Object.entries(obj)) {
      if (v === undefined) { continue; }
      const sub = props[key];
      if (sub) { validateSchema(sub, v, `${path}.${key}`, errors); continue; }
      if (schema.additionalProperties === false) { errors.push(`${path}: unexpected property '${key}'`); }
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        validateSchema(schema.additionalProperties as Schema, v, `${path}.${key}`, errors);
      }
    }
  }
}

function collect(schema: Schema, value: unknown, path: string): string[] {
  const errors: string[] = [];
  validateSchema(schema, value, path, errors);
  return errors;
}
