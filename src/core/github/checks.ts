// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
/**
 * The PR checks model: REST check runs and commit statuses normalised into `Check`s,
 * superseded re-run attempts dropped, grouped by workflow/suite, failures first, with counts and
 * an overall (and required-only) state.
 */

export type RawCheckRunStatus = 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
export type RawConclusion =
  | 'success'
  | 'failure'
  | 'neutral'
  | 'cancelled'
  | 'skipped'
  | 'timed_out'
  | 'action_required'
  | 'stale'
  | 'startup_failure';

/** The fields of a REST check run (`GET /repos/{o}/{r}/commits/{sha}/check-runs`) that are used. */
export interface RawCheckRun {
  id?: number;
  name: string;
  status: RawCheckRunStatus | string;
  conclusion: RawConclusion | string | null;
  started_at?: string | null;
  completed_at?: string | null;
  check_suite?: { id: number } | null;
  app?: { slug?: string | null; name?: string | null } | null;
  html_url?: string | null;
  details_url?: string | null;
}

/** A commit status (`GET /repos/{o}/{r}/commits/{sha}/status` → `statuses[]`). */
export interface RawStatus {
  id?: number;
  context: string;
  state: 'success' | 'failure' | 'error' | 'pending' | string;
  target_url?: string | null;
  description?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
}

export type Bucket = 'success' | 'failure' | 'pending' | 'skipped' | 'neutral';
export type OverallState = 'success' | 'failure' | 'pending' | 'none';

export interface Check {
  name: string;
  /** Workflow (Actions) or app name; null for commit statuses and unknown suites. */
  workflow: string | null;
  source: 'check-run' | 'status';
  status: RawCheckRunStatus;
  /** Check-run conclusion, or for statuses success|failure|error; null while not completed. */
  conclusion: RawConclusion | 'error' | null;
  bucket: Bucket;
  /** From GraphQL `isRequired`; null when unknown. */
  required: boolean | null;
  url: string | null;
  runId: number | null;
  jobId: number | null;
  durationMs: number | null;
  /** Grouping key: `suite:<id>`, `app:<slug>` or `status`. */
  groupKey: string;
  id: number | null;
  startedAt: string | null;
  completedAt: string | null;
  /** Last change (statuses: `updated_at`; check runs: completion or start). */
  updatedAt: string | null;
}

export interface Counts {
  success: number;
  failure: number;
  pending: number;
  skipped: number;
  neutral: number;
  total: number;
}

export interface CheckGroup {
  key: string;
  label: string;
  checks: Check[];
  counts: Counts;
  state: OverallState;
}

export interface ChecksSummary {
  /** Deduplicated, failures first. */
  checks: Check[];
  groups: CheckGroup[];
  counts: Counts;
  state: OverallState;
  /** State over required checks only; null when required-ness is unknown. */
  requiredState: OverallState | null;
  requiredCounts: Counts | null;
  /** How many older attempts were dropped. */
  superseded: number;
}

export interface AggregateInput {
  checkRuns?: readonly RawCheckRun[];
  statuses?: readonly RawStatus[];
  /** GraphQL `isRequired` by check name / status context. */
  required?: ReadonlyMap<string, boolean> | Readonly<Record<string, boolean>> | null;
  /** Workflow names by Actions run id (from `GET /actions/runs/{id}`). */
  workflowByRunId?: ReadonlyMap<number, string> | Readonly<Record<string, string>> | null;
  /** Used for the duration of checks still running; omitted → null duration. */
  now?: number;
}

const FAILURE_CONCLUSIONS = new Set(['failure', 'cancelled', 'timed_out', 'action_required', 'startup_failure', 'error']);
const RUN_STATUSES = new Set<string>(['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending']);
const NULL_DATE = /^0001-01-01/;

/** `…/actions/runs/<runId>/job/<jobId>` (or `/jobs/`) → ids. */
export function parseActionsUrl(url: string | null | undefined): { runId: number | null; jobId: number | null } {
  const m = /\/actions\/runs\/(\d+)(?:\/(?:attempts\/\d+\/)?jobs?\/(\d+))?/.exec(url ?? '');
  return { runId: m?.[1] ? Number(m[1]) : null, jobId: m?.[2] ? Number(m[2]) : null };
}

function parseTime(s: string | null | undefined): number | null {
  if (!s || NULL_DATE.test(s)) return null;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : null;
}

export function bucketOf(status: string, conclusion: string | null): Bucket {
  if (status !== 'completed') return 'pending';
  if (conclusion === 'success') return 'success';
  if (conclusion === 'skipped') return 'skipped';
  if (conclusion !== null && FAILURE_CONCLUSIONS.has(conclusion)) return 'failure';
  return 'neutral';
}

function lookup<V>(m: ReadonlyMap<string, V> | Readonly<Record<string, V>> | null | undefined, key: string): V | undefined {
  if (!m) return undefined;
  if (m instanceof Map) return (m as ReadonlyMap<string, V>).get(key);
  return Object.prototype.hasOwnProperty.call(m, key) ? (m as Record<string, V>)[key] : undefined;
}

function workflowFor(m: AggregateInput['workflowByRunId'], runId: number): string | undefined {
  if (!m) return undefined;
  if (m instanceof Map) {
    const mm = m as ReadonlyMap<number | string, string>;
    return mm.get(runId) ?? mm.get(String(runId));
  }
  return lookup(m as Readonly<Record<string, string>>, String(runId));
}

const normName = (s: string): string => s.trim().toLowerCase().replace(/\s+/g, ' ');

function requiredLookup(required: AggregateInput['required']): (name: string) => boolean | null {
  if (!required) return () => null;
  const normalised = new Map<string, boolean>();
  const entries = required instanceof Map ? [...(required as ReadonlyMap<string, boolean>)] : Object.entries(required);
  for (const [k, v] of entries) {
    const n = normName(k);
    // Same normalised name listed twice: required wins.
    normalised.set(n, (normalised.get(n) ?? false) || v);
  }
  return (name) => {
    const exact = lookup(required, name);
    if (typeof exact === 'boolean') return exact;
    return normalised.get(normName(name)) ?? null;
  };
}

export function normalizeCheckRun(run: RawCheckRun, opts: Pick<AggregateInput, 'workflowByRunId' | 'now'> = {}, required: (n: string) => boolean | null = () => null): Check {
  const status = (RUN_STATUSES.has(String(run.status)) ? run.status : 'pending') as RawCheckRunStatus;
  const conclusion = status === 'completed' ? ((run.conclusion ?? null) as Check['conclusion']) : null;
  const url = run.details_url || run.html_url || null;
  let { runId, jobId } = parseActionsUrl(run.details_url);
  if (runId === null) ({ runId, jobId } = parseActionsUrl(run.html_url));
  const slug = run.app?.slug ?? null;
  if (jobId === null && runId !== null && slug === 'github-actions' && typeof run.id === 'number') jobId = run.id;
  const started = parseTime(run.started_at);
  const completed = parseTime(run.completed_at);
  let durationMs: number | null = null;
  if (started !== null && completed !== null && status === 'completed') durationMs = Math.max(0, completed - started);
  else if (started !== null && status !== 'completed' && opts.now !== undefined) durationMs = Math.max(0, opts.now - started);
  const wfName = runId !== null ? workflowFor(opts.workflowByRunId, runId) : undefined;
  const suiteId = run.check_suite?.id;
  return {
    name: run.name,
    workflow: wfName ?? (slug && slug !== 'github-actions' ? (run.app?.name ?? slug) : null),
    source: 'check-run',
    status,
    conclusion,
    bucket: bucketOf(status, conclusion),
    required: required(run.name),
    url,
    runId,
    jobId,
    durationMs,
    groupKey: typeof suiteId === 'number' ? `suite:${suiteId}` : slug ? `app:${slug}` : 'check-runs',
    id: typeof run.id === 'number' ? run.id : null,
    startedAt: run.started_at ?? null,
    completedAt: run.completed_at ?? null,
    updatedAt: run.completed_at ?? run.started_at ?? null,
  };
}

export function normalizeStatus(s: RawStatus, required: (n: string) => boolean | null = () => null): Check {
  const state = String(s.state);
  const done = state === 'success' || state === 'failure' || state === 'error';
  const conclusion = done ? (state as Check['conclusion']) : null;
  const status: RawCheckRunStatus = done ? 'completed' : 'pending';
  const { runId, jobId } = parseActionsUrl(s.target_url);
  let bucket = bucketOf(status, conclusion);
  if (bucket === 'success' && /\bskip/i.test(s.description ?? '')) bucket = 'skipped';
  return {
    name: s.context,
    workflow: null,
    source: 'status',
    status,
    conclusion,
    bucket,
    required: required(s.context),
    url: s.target_url || null,
    runId,
    jobId,
    durationMs: null,
    groupKey: 'status',
    id: typeof s.id === 'number' ? s.id : null,
    startedAt: s.created_at ?? null,
    completedAt: done ? (s.updated_at ?? null) : null,
    updatedAt: s.updated_at ?? s.created_at ?? null,
  };
}

/** True when `a` is a newer attempt than `b` (higher id; else later start/update). */
function isNewer(a: Check, b: Check): boolean {
  if (a.id !== null && b.id !== null && a.id !== b.id) return a.id > b.id;
  const ta = parseTime(a.source === 'status' ? a.updatedAt : a.startedAt) ?? -Infinity;
  const tb = parseTime(b.source === 'status' ? b.updatedAt : b.startedAt) ?? -Infinity;
  return ta > tb;
}

/** Keeps the newest attempt per (group, name); earlier input wins ties. */
export function dedupeChecks(checks: readonly Check[]): { checks: Check[]; superseded: number } {
  const byKey = new Map<string, Check>();
  for (const c of checks) {
    const key = `${c.source}\u0000${c.groupKey}\u0000${c.name}`;
    const prev = byKey.get(key);
    if (!prev || isNewer(c, prev)) byKey.set(key, c);
  }
  return { checks: [...byKey.values()], superseded: checks.length - byKey.size };
}

const BUCKET_ORDER: Record<Bucket, number> = { failure: 0, pending: 1, neutral: 2, success: 3, skipped: 4 };
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Failures first, then pending, neutral, success, skipped; required before others; then by name. */
export function compareChecks(a: Check, b: Check): number {
  return (
    BUCKET_ORDER[a.bucket] - BUCKET_ORDER[b.bucket] ||
    Number(b.required === true) - Number(a.required === true) ||
    collator.compare(a.workflow ?? '', b.workflow ?? '') ||
    collator.compare(a.name, b.name)
  );
}

export function countChecks(checks: readonly Check[]): Counts {
  const c: Counts = { success: 0, failure: 0, pending: 0, skipped: 0, neutral: 0, total: 0 };
  for (const k of checks) {
    c[k.bucket]++;
    c.total++;
  }
  return c;
}

/** failure if any failed; else pending if any pending; else success; none when empty. */
export function stateOf(counts: Counts): OverallState {
  if (counts.total === 0) return 'none';
  if (counts.failure > 0) return 'failure';
  if (counts.pending > 0) return 'pending';
  return 'success';
}

export function groupChecks(checks: readonly Check[]): CheckGroup[] {
  const groups = new Map<string, Check[]>();
  for (const c of checks) {
    const list = groups.get(c.groupKey) ?? [];
    list.push(c);
    groups.set(c.groupKey, list);
  }
  const out: CheckGroup[] = [];
  for (const [key, list] of groups) {
    list.sort(compareChecks);
    const counts = countChecks(list);
    const label = key === 'status' ? 'Commit statuses' : (list.find((c) => c.workflow)?.workflow ?? (key.startsWith('app:') ? key.slice(4) : key));
    out.push({ key, label, checks: list, counts, state: stateOf(counts) });
  }
  const rank: Record<OverallState, number> = { failure: 0, pending: 1, success: 2, none: 3 };
  return out.sort((a, b) => rank[a.state] - rank[b.state] || collator.compare(a.label, b.label));
}

export function aggregateChecks(input: AggregateInput): ChecksSummary {
  const required = requiredLookup(input.required);
  const all: Check[] = [
    ...(input.checkRuns ?? []).map((r) => normalizeCheckRun(r, input, required)),
    ...(input.statuses ?? []).map((s) => normalizeStatus(s, required)),
  ];
  const { checks, superseded } = dedupeChecks(all);
  checks.sort(compareChecks);
  const counts = countChecks(checks);
  const known = checks.some((c) => c.required !== null);
  const requiredCounts = known ? countChecks(checks.filter((c) => c.required === true)) : null;
  return {
    checks,
    groups: groupChecks(checks),
    counts,
    state: stateOf(counts),
    requiredState: requiredCounts ? stateOf(requiredCounts) : null,
    requiredCounts,
    superseded,
  };
}
