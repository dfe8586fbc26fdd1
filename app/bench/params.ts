/**
 * Benchmark parameters: `--param k=v` and `--sweep k=v1,v2,...`, and how they override a
 * scenario before it is normalised.
 *
 * A key is one of:
 * - a scenario param (`recordTime`, or `params.recordTime`): it must exist in the scenario's `params`;
 * - `records` (and `profile`);
 * - `options.<field>` (`options.heartbeatTimeout`, `options.retry.initialInterval`);
 * - `worker.<field>` (`worker.maxHeartbeatThrottleInterval`);
 * - `world.<field>` (`world.restartDelay`, `world.workers`, `world.latency.rpc`).
 *
 * A value that looks like a number is a number (`0`, `2.5`), `true`/`false` a boolean, anything
 * else a string (`50ms`, `30s`, `cadence`). The normalised scenario validates the result, so a
 * bad option value is reported by its field, as in a scenario file.
 */
import { HbsimConfigError } from '../../src/errors.js';

export type ParamValue = string | number | boolean;

/** One `k=v`: the key, the parsed value, and the value as written. */
export interface ParamSetting {
  readonly key: string;
  readonly value: ParamValue;
  readonly text: string;
}

/** A swept key and its values, in the order given. */
export interface Sweep {
  readonly key: string;
  readonly values: readonly ParamSetting[];
}

const KEY = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;
const NUMBER = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?$/i;
const TOP_LEVEL = ['records', 'profile'];
const NESTED = ['options', 'worker', 'world'];

/** `"50ms"` stays a string, `"0"` becomes 0, `"true"` true. */
export function parseValue(text: string): ParamValue {
  if (NUMBER.test(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text;
}

function splitAssignment(text: string, flag: string, form: string): { readonly key: string; readonly rest: string } {
  const eq = text.indexOf('=');
  const key = eq < 0 ? '' : text.slice(0, eq).trim();
  if (eq < 0 || !KEY.test(key)) throw new HbsimConfigError(flag, text, form, `got ${JSON.stringify(text)}, malformed`);
  return { key, rest: text.slice(eq + 1).trim() };
}

/** Parse `--param k=v`. */
export function parseParam(text: string, flag = '--param'): ParamSetting {
  const { key, rest } = splitAssignment(text, flag, "key=value, e.g. recordTime=50ms or options.heartbeatTimeout=30s");
  if (rest === '') throw new HbsimConfigError(`${flag} ${key}`, text, 'a value after =', 'has no value');
  return { key, value: parseValue(rest), text: rest };
}

/** Parse `--sweep k=v1,v2,...` (at least one value, no empty or repeated one). */
export function parseSweep(text: string, flag = '--sweep'): Sweep {
  const { key, rest } = splitAssignment(text, flag, 'key=v1,v2,..., e.g. heartbeatEvery=1s,5s,15s');
  const parts = rest.split(',').map((p) => p.trim());
  if (rest === '' || parts.some((p) => p === '')) throw new HbsimConfigError(`${flag} ${key}`, rest, 'a comma-separated list of values, e.g. 1s,5s,15s', `got ${JSON.stringify(rest)}, an empty value in the list`);
  const seen = new Set<string>();
  for (const p of parts) {
    if (seen.has(p)) throw new HbsimConfigError(`${flag} ${key}`, rest, 'each value once', `lists ${JSON.stringify(p)} twice`);
    seen.add(p);
  }
  return { key, values: parts.map((p) => ({ key, value: parseValue(p), text: p })) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `target` with `path` set to `value`, copying every object on the way (the scenario is not mutated). */
function setPath(target: Record<string, unknown>, path: readonly string[], value: ParamValue, field: string): Record<string, unknown> {
  const [head, ...rest] = path;
  const copy = { ...target };
  if (rest.length === 0) {
    copy[head!] = value;
    return copy;
  }
  const inner = target[head!] ?? {};
  if (!isPlainObject(inner)) throw new HbsimConfigError(field, inner, `an object to set ${rest.join('.')} in`, `is ${JSON.stringify(inner)}, not an object`);
  copy[head!] = setPath(inner, rest, value, field);
  return copy;
}

/** The names `--param` accepts for `scenario`, for error messages. */
export function knownKeys(scenario: Record<string, unknown>): string[] {
  const params = isPlainObject(scenario['params']) ? Object.keys(scenario['params']) : [];
  return [...params, ...TOP_LEVEL, 'options.<field>', 'worker.<field>', 'world.<field>'];
}

/**
 * `scenario` (a module's default export, not yet normalised) with `settings` applied in order.
 * An unknown key is an {@link HbsimConfigError} naming it and the keys that exist.
 */
export function applyParams(scenario: unknown, settings: readonly ParamSetting[], flag = '--param'): Record<string, unknown> {
  if (!isPlainObject(scenario)) return scenario as Record<string, unknown>; // normalizeScenario reports it
  let out: Record<string, unknown> = scenario;
  for (const s of settings) {
    const path = s.key.split('.');
    const head = path[0]!;
    if (path.length === 1 && TOP_LEVEL.includes(head)) out = { ...out, [head]: s.value };
    else if (NESTED.includes(head) && path.length > 1) out = setPath(out, path, s.value, s.key);
    else {
      const name = head === 'params' && path.length === 2 ? path[1]! : path.length === 1 ? head : undefined;
      const params = isPlainObject(out['params']) ? out['params'] : {};
      if (name === undefined || !Object.prototype.hasOwnProperty.call(params, name)) {
        throw new HbsimConfigError(`${flag} ${s.key}`, s.key, `one of ${knownKeys(out).join(', ')}`, 'unknown key');
      }
      out = { ...out, params: { ...params, [name]: s.value } };
    }
  }
  return out;
}

/** The canonical name of a key for reports: `recordTime` for `params.recordTime`. */
export function displayKey(key: string): string {
  return key.startsWith('params.') ? key.slice('params.'.length) : key;
}
