/**
 * `result` (judged on runs that completed): the value the activity returned, as the workflow
 * receives it (after the payload converter, H7), equals the fault-free run's, or the part of it
 * that `scenario.result(value)` projects. The typical cause of a mismatch: a result computed from
 * what the last attempt did (a total of the records it processed), not from the progress the
 * earlier attempts stored in the heartbeat details.
 */
import { isDeepStrictEqual } from 'node:util';
import type { SimulationResult } from '../../sim/simulation.js';
import { formatTime } from '../../sim/trace.js';
import type { Checker, RunCase, Violation } from '../types.js';
import { noSkippedRecords } from './no-skipped-records.js';
import { idempotent } from './idempotent.js';
import { describeAttempts, describeFaultEvents, show } from '../explain.js';

export const PROJECTION_HINT = 'if part of the result may differ between runs (a timestamp, an attempt count), give the scenario result: (value) => the part that must match';

export const result: Checker = {
  name: 'result',
  description: "on runs that completed, the activity's return value (after the payload converter; scenario.result(value) if given) equals the fault-free run's",
  check(input) {
    const { scenario, reference, run } = input;
    if (reference.outcome.status !== 'completed' || run.outcome.status !== 'completed') return undefined;
    const project = scenario.result ?? ((v: unknown) => v);
    let expected: unknown;
    let got: unknown;
    try {
      expected = project(reference.outcome.result);
    } catch (error) {
      return projectionError('fault-free run', reference.outcome.result, error);
    }
    try {
      got = project(run.outcome.result);
    } catch (error) {
      return projectionError('run', run.outcome.result, error);
    }
    if (isDeepStrictEqual(got, expected)) return undefined;
    const what = scenario.result === undefined ? 'the activity returned' : 'scenario.result(value) of what the activity returned is';
    const diff = firstDifference(expected, got, '');
    const where = diff === undefined || diff.path === '' ? '' : `: ${diff.path.slice(1)} is ${show(diff.got)} instead of ${show(diff.expected)}${delta(diff.expected, diff.got)}`;
    return {
      property: 'result',
      summary: `${what} ${show(got)} instead of ${show(expected)} as in the fault-free run${where}`,
      details: [...why(run, dataProblem(input)), ...(scenario.result === undefined ? [PROJECTION_HINT] : []), ...describeFaultEvents(run), ...describeAttempts(run)],
      times: [run.outcome.at],
    };
  },
};

function projectionError(which: string, value: unknown, error: unknown): Violation {
  return { property: 'result', summary: `scenario.result(value) threw on the ${which}'s return value ${show(value)}: ${(error as Error)?.message ?? String(error)}`, details: [] };
}

function delta(expected: unknown, got: unknown): string {
  if (typeof expected !== 'number' || typeof got !== 'number') return '';
  return got < expected ? ` (${expected - got} less)` : ` (${got - expected} more)`;
}

/** The data properties this run also fails (a result read from the data follows them), or undefined. */
function dataProblem(input: RunCase): string | undefined {
  const failed = [noSkippedRecords, idempotent].filter((c) => c.check(input) !== undefined).map((c) => c.name);
  return failed.length === 0 ? undefined : failed.join(' and ');
}

/** Which attempt returned the result and what it resumed from: the usual cause. */
function why(run: SimulationResult, data: string | undefined): string[] {
  const o = run.outcome;
  if (o.status !== 'completed') return [];
  const a = run.attempts.find((x) => x.attempt === o.attempt);
  if (a === undefined) return [];
  const from = a.startDetails === undefined ? 'no details' : `details ${a.startDetails}`;
  const lines = [`attempt ${a.attempt} returned it at ${formatTime(o.at)}, having started from ${from}`];
  if (data !== undefined) lines.push(`the same run also fails ${data}: a result read back from the data (a count, a sum) is wrong for that reason; fix that first`);
  else if (a.attempt > 1) lines.push('a result computed only from what the last attempt did loses the work of the attempts before it: keep what the result needs (a running total) in the heartbeat details and resume it, or compute the result from the sink');
  return lines;
}

/** The first path (`.total`, `[3].amount`) where `expected` and `got` differ, depth first. */
export function firstDifference(expected: unknown, got: unknown, path: string): { path: string; expected: unknown; got: unknown } | undefined {
  if (isDeepStrictEqual(expected, got)) return undefined;
  if (Array.isArray(expected) && Array.isArray(got)) {
    for (let i = 0; i < Math.max(expected.length, got.length); i++) {
      const d = firstDifference(expected[i], got[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return { path, expected, got };
  }
  if (isObject(expected) && isObject(got)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(got)])];
    for (const k of keys) {
      const d = firstDifference(expected[k], got[k], `${path}.${k}`);
      if (d !== undefined) return d;
    }
  }
  return { path, expected, got };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
