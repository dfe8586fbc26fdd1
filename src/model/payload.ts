/**
 * H7: the TS SDK's default payload converter, as pure functions over our {@link Payload} type.
 *
 * What `@temporalio/common` 1.24 (`lib/converter/payload-converter.js`, `DefaultPayloadConverter`)
 * does, in its order:
 * 1. `undefined` → a `binary/null` payload with no data, decoded back to `undefined`. This is
 *    what `heartbeat()` with no argument sends: the server stores it (H1: it overwrites earlier
 *    details) and the next attempt sees `heartbeatDetails === undefined`. Here: `undefined`.
 * 2. a `Uint8Array` (any subclass, e.g. a `Buffer`) at the top level → a `binary/plain` payload of
 *    its bytes, decoded back to a plain `Uint8Array`. Here: {@link BINARY_PAYLOAD_PREFIX} + base64.
 *    A `Uint8Array` *inside* an object goes through JSON like everything else.
 * 3. anything else → `json/plain`: the text `JSON.stringify` produces. A `Set` or `Map` becomes
 *    `{}`, a `Date` an ISO string, `NaN` `null`, an `undefined` property disappears. When
 *    `JSON.stringify` throws (a `BigInt`, a cycle, a throwing `toJSON`) the SDK throws
 *    `ValueError('Unable to convert ${value} to payload')`; here {@link PayloadEncodingError},
 *    which also says *where* the culprit is. When `JSON.stringify` returns `undefined` (a bare
 *    function or symbol) the SDK sends a `json/plain` payload with **empty** data that no one can
 *    decode; here the empty string `''`, which {@link decodeDetails} rejects the same way.
 *
 * {@link describeLoss} explains, path by path, what a value loses in this round trip.
 */

import { types } from 'node:util';
import type { Payload } from './types.js';

/**
 * Marks a `binary/plain` payload (a top-level `Uint8Array`). No JSON text starts with NUL, so
 * the two kinds of payload can never be confused.
 */
export const BINARY_PAYLOAD_PREFIX = '\u0000binary/plain;base64,';

/** Thrown by {@link encodeDetails} where the TS SDK's converter throws (H7). */
export class PayloadEncodingError extends Error {
  override readonly name = 'PayloadEncodingError';
  /** Where the culprit sits, e.g. `details.stats.total` (`details` itself for the whole value). */
  readonly path: string;
  /** What is wrong there, e.g. `a BigInt cannot be encoded`. */
  readonly problem: string;
  /** The message of the `ValueError` the TS SDK throws for the same value. */
  readonly sdkMessage: string;

  constructor(path: string, problem: string, sdkMessage: string, cause: unknown) {
    super(`${path}: ${problem}, so the whole value cannot be encoded as JSON (the SDK says: ${sdkMessage})`, { cause });
    this.path = path;
    this.problem = problem;
    this.sdkMessage = sdkMessage;
  }
}

/** Thrown by {@link decodeDetails} for a payload the TS SDK cannot decode either. */
export class PayloadDecodingError extends Error {
  override readonly name = 'PayloadDecodingError';
  /** The payload that could not be decoded. */
  readonly payload: string;

  constructor(payload: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cannot decode payload ${JSON.stringify(payload.slice(0, 40))}: ${reason}`, { cause });
    this.payload = payload;
  }
}

/**
 * H7: encodes `value` as the TS SDK's default payload converter does (see the module doc).
 *
 * @param root - the name of the value in error messages (`details`, `result`).
 * @throws {@link PayloadEncodingError} where the SDK throws (a `BigInt`, a cycle, a throwing
 *   `toJSON` or getter).
 */
export function encodeDetails(value: unknown, root = 'details'): Payload {
  if (value === undefined) return undefined;
  if (value instanceof Uint8Array) {
    return BINARY_PAYLOAD_PREFIX + Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    const fatal = inspect(value, root).find((loss) => loss.fatal);
    const problem = fatal?.problem ?? `JSON.stringify threw (${errorText(error)})`;
    throw new PayloadEncodingError(fatal?.path ?? root, problem, sdkValueErrorMessage(value), error);
  }
  return json ?? '';
}

/**
 * H7: decodes a payload made by {@link encodeDetails}: `undefined` stays `undefined`, a binary
 * payload becomes a `Uint8Array`, JSON text is parsed.
 *
 * @throws {@link PayloadDecodingError} for text that is not JSON, including the empty payload of
 *   a bare function or symbol.
 */
export function decodeDetails(payload: Payload): unknown {
  if (payload === undefined) return undefined;
  if (payload.startsWith(BINARY_PAYLOAD_PREFIX)) {
    return new Uint8Array(Buffer.from(payload.slice(BINARY_PAYLOAD_PREFIX.length), 'base64'));
  }
  try {
    return JSON.parse(payload) as unknown;
  } catch (error) {
    throw new PayloadDecodingError(payload, error);
  }
}

/**
 * H7: what `value` loses in the round trip through the payload converter, one line per path,
 * e.g. `details.seen: a Set became {} (its 118 entries are lost)` or
 * `details.at: a Date became a string`. Empty when the value survives intact.
 *
 * A value that cannot be encoded at all (a `BigInt`, a cycle) gives a line that says so.
 *
 * @param root - the name of the value in the paths (`details`, `result`).
 */
export function describeLoss(value: unknown, root = 'details'): string[] {
  return inspect(value, root).map((loss) => `${loss.path}: ${loss.problem}`);
}

/** @internal {@link describeLoss} without its fast path for plain data (tests compare the two). */
export function describeLossByWalking(value: unknown, root = 'details'): string[] {
  return inspect(value, root, false).map((loss) => `${loss.path}: ${loss.problem}`);
}

/** One thing that does not survive the round trip. `fatal`: the whole encoding fails. */
interface Loss {
  readonly path: string;
  readonly problem: string;
  readonly fatal: boolean;
}

/** Walks `value` the way `JSON.stringify` does and lists what does not come back. */
function inspect(value: unknown, root: string, fast = true): Loss[] {
  const losses: Loss[] = [];
  if (value === undefined || (fast && isPlainData(value, 0))) return losses;
  if (value instanceof Uint8Array) {
    if (Object.getPrototypeOf(value) !== Uint8Array.prototype) {
      losses.push({ path: root, problem: `${kindOf(value)} became a Uint8Array`, fatal: false });
    }
    return losses;
  }
  visit(value, '', root, 'root', [], losses);
  return losses;
}

/** Plain data nested deeper than this goes to the full walk (which also finds cycles). */
const PLAIN_DATA_DEPTH = 16;

/**
 * Whether `value` is plain data that the round trip certainly keeps: strings, booleans, finite
 * numbers other than -0, null, and arrays (no holes, no extra keys) and plain objects (no toJSON,
 * no symbol keys) of them. The common heartbeat details (`{ offset: 42 }`) are, and skip the full
 * walk of {@link visit}: on every value this accepts, the walk finds nothing (a property test pins
 * it). Conservative: `false` only means "walk it".
 */
export function isPlainData(value: unknown, depth = 0): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= PLAIN_DATA_DEPTH) return false;
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === Array.prototype) {
      const array = value as unknown[];
      if (!Array.isArray(array) || Object.keys(array).length !== array.length) return false;
      for (let i = 0; i < array.length; i++) if (!(i in array) || !isPlainData(array[i], depth + 1)) return false;
    } else {
      if (proto !== Object.prototype || 'toJSON' in value) return false;
      for (const key of Object.keys(value)) if (!isPlainData((value as Record<string, unknown>)[key], depth + 1)) return false;
    }
    return Object.getOwnPropertySymbols(value).length === 0;
  } catch {
    return false; // a throwing getter or proxy trap: the walk reports it
  }
}

type Holder = 'root' | 'object' | 'array';

function visit(value: unknown, key: string, path: string, holder: Holder, ancestors: object[], out: Loss[]): void {
  const lose = (problem: string, fatal = false): void => void out.push({ path, problem, fatal });
  let current = value;

  if ((isObject(current) || typeof current === 'bigint') && hasToJSON(current)) {
    if (types.isDate(current)) {
      lose(Number.isNaN(current.getTime()) ? 'an invalid Date became null' : 'a Date became a string');
      return;
    }
    try {
      current = (current as { toJSON(key: string): unknown }).toJSON(key);
    } catch (error) {
      lose(`its toJSON() threw (${errorText(error)})`, true);
      return;
    }
    lose(`${kindOf(value)} was replaced by its toJSON() result`);
  }

  if (types.isBoxedPrimitive(current)) {
    if (types.isBigIntObject(current)) return lose('a BigInt cannot be encoded', true);
    if (types.isSymbolObject(current)) return lose('a Symbol object became {}');
    const unboxed = (current as { valueOf(): unknown }).valueOf();
    lose(`${kindOf(current)} became ${typeof unboxed === 'boolean' ? 'a boolean' : `a ${typeof unboxed}`}`);
    current = unboxed;
  }

  switch (typeof current) {
    case 'bigint':
      return lose('a BigInt cannot be encoded', true);
    case 'undefined':
    case 'function':
    case 'symbol': {
      const kind = kindOf(current);
      if (holder === 'object') return lose(`${kind} was dropped`);
      if (holder === 'array') return lose(`${kind} became null`);
      return lose(`${kind} became an empty payload, which cannot be decoded`);
    }
    case 'number':
      if (!Number.isFinite(current)) return lose(`${String(current)} became null`);
      if (Object.is(current, -0)) return lose('-0 became 0');
      return;
    case 'string':
    case 'boolean':
      return;
    default:
      break;
  }
  if (current === null || !isObject(current)) return;
  if (ancestors.includes(current)) return lose('a circular reference cannot be encoded', true);

  if ((types.isBigInt64Array(current) || types.isBigUint64Array(current)) && current.length > 0) {
    return lose(`${kindOf(current)} cannot be encoded (its elements are BigInts)`, true);
  }
  const lossOfWholeObject = wholeObjectLoss(current);
  if (lossOfWholeObject !== undefined) return lose(lossOfWholeObject);

  const nested = [...ancestors, current];
  if (Array.isArray(current)) {
    if (Object.getPrototypeOf(current) !== Array.prototype) lose(`${kindOf(current)} became an array`);
    for (let i = 0; i < current.length; i++) {
      const elementPath = `${path}[${i}]`;
      if (!(i in current)) {
        out.push({ path: elementPath, problem: 'an empty array slot became null', fatal: false });
        continue;
      }
      const element = read(current, String(i), elementPath, out);
      if (element.ok) visit(element.value, String(i), elementPath, 'array', nested, out);
    }
    for (const extra of Object.keys(current).filter((k) => !isArrayIndex(k, current.length))) {
      out.push({ path: propertyPath(path, extra), problem: 'a non-index property of an array was dropped', fatal: false });
    }
  } else {
    const proto: unknown = Object.getPrototypeOf(current);
    if (types.isNativeError(current) || current instanceof Error) {
      lose(`${kindOf(current)} became a plain object (its message and stack are lost)`);
    } else if (proto !== Object.prototype && proto !== null) {
      lose(`${kindOf(current)} became a plain object (its class and methods are lost)`);
    }
    for (const k of Object.keys(current)) {
      const childPath = propertyPath(path, k);
      const child = read(current, k, childPath, out);
      if (child.ok) visit(child.value, k, childPath, 'object', nested, out);
    }
  }
  for (const symbol of Object.getOwnPropertySymbols(current)) {
    if (Object.prototype.propertyIsEnumerable.call(current, symbol)) {
      out.push({ path: `${path}[${symbol.toString()}]`, problem: 'a symbol-keyed property was dropped', fatal: false });
    }
  }
}

/** Objects that JSON turns into something else wholesale; their contents are not walked. */
function wholeObjectLoss(value: object): string | undefined {
  if (types.isSet(value)) return `a Set became {}${entriesLost(value.size)}`;
  if (types.isMap(value)) return `a Map became {}${entriesLost(value.size)}`;
  if (types.isWeakSet(value)) return 'a WeakSet became {}';
  if (types.isWeakMap(value)) return 'a WeakMap became {}';
  if (types.isRegExp(value)) return 'a RegExp became {}';
  if (types.isAnyArrayBuffer(value)) return `${kindOf(value)} became {}`;
  if (types.isDataView(value)) return 'a DataView became {}';
  if (types.isTypedArray(value)) {
    return value.length === 0 ? `${kindOf(value)} became {}` : `${kindOf(value)} became a plain object with index keys`;
  }
  if (types.isPromise(value)) return 'a Promise became {}';
  return undefined;
}

function entriesLost(size: number): string {
  if (size === 0) return '';
  return size === 1 ? ' (its 1 entry is lost)' : ` (its ${size} entries are lost)`;
}

function read(holder: object, key: string, path: string, out: Loss[]): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: (holder as Record<string, unknown>)[key] };
  } catch (error) {
    out.push({ path, problem: `reading it threw (${errorText(error)})`, fatal: true });
    return { ok: false };
  }
}

/** `a Set`, `an instance of Cursor`, `a TypeError`, `undefined`, `a function`, ... */
function kindOf(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'bigint') return 'a BigInt';
  if (!isObject(value)) return typeof value === 'object' ? 'null' : `a ${typeof value}`;
  if (types.isBoxedPrimitive(value)) {
    const name = Object.prototype.toString.call(value).slice(8, -1);
    return `a ${name} object`;
  }
  const name = constructorName(value);
  if (types.isNativeError(value) || value instanceof Error) return article(name || 'Error');
  if (Array.isArray(value) && name !== 'Array') return `an instance of ${name || 'an anonymous class'}`;
  const builtin = /^(Set|Map|WeakSet|WeakMap|RegExp|Date|Promise|Buffer|DataView|ArrayBuffer|SharedArrayBuffer|(Big)?(Int|Uint|Float)\d+(Clamped)?Array)$/;
  if (builtin.test(name)) return article(name);
  if (name === '' || name === 'Object') return 'an object';
  return `an instance of ${name}`;
}

function constructorName(value: object): string {
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === null || !isObject(proto)) return '';
    const ctor: unknown = (proto as { constructor?: unknown }).constructor;
    return typeof ctor === 'function' ? ctor.name : '';
  } catch {
    return '';
  }
}

function article(name: string): string {
  return /^[AEIO]/.test(name) ? `an ${name}` : `a ${name}`;
}

function propertyPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function isArrayIndex(key: string, length: number): boolean {
  return /^(0|[1-9]\d*)$/.test(key) && Number(key) < length;
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

function hasToJSON(value: object | bigint): boolean {
  try {
    return typeof (value as { toJSON?: unknown }).toJSON === 'function';
  } catch {
    return false;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The SDK's message: `Unable to convert ${value} to payload` (a template literal on the value). */
function sdkValueErrorMessage(value: unknown): string {
  try {
    return `Unable to convert ${String(value)} to payload`;
  } catch (error) {
    return `Unable to convert the value to payload (and printing it threw: ${errorText(error)})`;
  }
}
