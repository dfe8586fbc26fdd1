/**
 * `reports/failures/<scenario>-<seed>.json`: everything needed to replay the failures of one
 * check: the scenario file, the seed, the search settings, and per violated property the minimal
 * case (world seed and fault plan), fast-check's path and the failing run's trace digest.
 */
import { readFileSync } from 'node:fs';
import { HbsimConfigError } from '../../src/errors.js';
import type { Fault } from '../../sim/fault-plan.js';
import { PROPERTY_NAMES, type PropertyName } from '../../properties/types.js';

/** Bumped when the format changes incompatibly. */
export const FAILURE_FORMAT = 1;

export interface FailureEntry {
  readonly property: PropertyName;
  readonly worldSeed: number;
  readonly world: number;
  readonly plan: readonly Fault[];
  readonly path?: string;
  readonly summary: string;
  readonly digest: string;
  readonly report?: string;
}

export interface FailureFile {
  readonly hbsim: typeof FAILURE_FORMAT;
  readonly scenario: { readonly name: string; readonly file: string; readonly profile?: string };
  readonly seed: number;
  readonly runs: number;
  readonly maxFaults: number;
  readonly failures: readonly FailureEntry[];
}

const FAULT_FIELDS: Record<string, readonly string[][]> = {
  crash: [['at'], ['beforeEffect'], ['afterEffect'], ['afterHeartbeatCall'], ['afterHeartbeatStored'], ['whilePending']],
  heartbeatLost: [['nth']],
  heartbeatDelayed: [['nth', 'byMs']],
  partition: [['at', 'durationMs']],
  pause: [['at', 'durationMs']],
  transient: [['call']],
  slowCall: [['call', 'byMs']],
  shutdown: [['at', 'graceMs']],
  cancel: [['at']],
  noWorker: [['at', 'durationMs']],
  poissonCrashes: [['mtbfMs']],
  externalCrash: [['at']],
  externalDelayed: [['nth', 'byMs']],
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function need(cond: boolean, file: string, field: string, value: unknown, expected: string): asserts cond {
  if (!cond) throw new HbsimConfigError(`${file}: ${field}`, value, expected);
}

/** Check that `v` is a fault the simulator knows, field by field. */
export function parseFault(v: unknown, file: string, field: string): Fault {
  need(isObject(v), file, field, v, 'a fault object');
  const kind = v['kind'];
  const shapes = typeof kind === 'string' ? FAULT_FIELDS[kind] : undefined;
  need(shapes !== undefined, file, `${field}.kind`, kind, `one of ${Object.keys(FAULT_FIELDS).join(', ')}`);
  const keys = Object.keys(v).filter((k) => k !== 'kind').sort();
  const shape = shapes.find((s) => s.length === keys.length && [...s].sort().every((k, i) => k === keys[i]));
  need(shape !== undefined, file, field, v, `a ${kind} fault with fields ${shapes.map((s) => s.join('+')).join(' or ')}`);
  for (const k of shape) need(typeof v[k] === 'number' && Number.isFinite(v[k]) && (v[k] as number) >= 0, file, `${field}.${k}`, v[k], 'a non-negative number');
  return v as unknown as Fault;
}

/** Read and validate a failure file; anything missing, truncated or tampered is a clear error. */
export function readFailureFile(path: string): FailureFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new HbsimConfigError('failure file', path, 'a readable reports/failures/*.json file written by hbsim check', `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new HbsimConfigError('failure file', path, 'the complete JSON that hbsim check wrote', `is not valid JSON, truncated or edited? (${(error as Error).message})`);
  }
  need(isObject(data), path, '(top level)', data, 'an object written by hbsim check');
  need(data['hbsim'] === FAILURE_FORMAT, path, 'hbsim', data['hbsim'], `format version ${FAILURE_FORMAT} (this file was written by an incompatible hbsim version; re-run hbsim check)`);
  const scenario = data['scenario'];
  need(isObject(scenario) && typeof scenario['file'] === 'string' && typeof scenario['name'] === 'string', path, 'scenario', scenario, '{ name, file } of the checked scenario');
  for (const f of ['seed', 'runs', 'maxFaults'] as const) need(Number.isInteger(data[f]), path, f, data[f], 'an integer');
  const failures = data['failures'];
  need(Array.isArray(failures) && failures.length > 0, path, 'failures', failures, 'a non-empty list of failures');
  failures.forEach((f: unknown, i: number) => {
    const at = `failures[${i}]`;
    need(isObject(f), path, at, f, 'a failure object');
    need(typeof f['property'] === 'string' && (PROPERTY_NAMES as readonly string[]).includes(f['property']), path, `${at}.property`, f['property'], `one of ${PROPERTY_NAMES.join(', ')}`);
    need(Number.isInteger(f['worldSeed']), path, `${at}.worldSeed`, f['worldSeed'], 'an integer');
    need(Number.isInteger(f['world']), path, `${at}.world`, f['world'], 'an integer');
    need(typeof f['digest'] === 'string' && /^[0-9a-f]{16}$/.test(f['digest'] as string), path, `${at}.digest`, f['digest'], 'the 16-hex-digit trace digest');
    need(typeof f['summary'] === 'string', path, `${at}.summary`, f['summary'], 'a string');
    need(Array.isArray(f['plan']), path, `${at}.plan`, f['plan'], 'a list of faults');
    (f['plan'] as unknown[]).forEach((fault, j) => parseFault(fault, path, `${at}.plan[${j}]`));
  });
  return data as unknown as FailureFile;
}
