/**
 * Errors hbsim throws on purpose.
 *
 * - {@link HbsimConfigError}: the user's options are wrong; the message names the field,
 *   what was given and what was expected.
 * - {@link TransientError}: a retryable failure thrown by hbsim's simulated services.
 */

const MAX_VALUE_CHARS = 60;

/**
 * Renders any value for an error message, briefly, without ever throwing
 * (cyclic objects, BigInts inside objects and throwing `toJSON` are all survived).
 *
 * @internal
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'function':
      return 'a function';
    case 'string':
      return truncate(JSON.stringify(value));
    default:
      break;
  }
  if (value === null) return 'null';
  try {
    const json = JSON.stringify(value);
    if (typeof json === 'string') return truncate(json);
  } catch {
    // fall through: cyclic, contains a BigInt, or a getter / toJSON threw
  }
  return Array.isArray(value) ? 'an array' : 'an object';
}

function truncate(text: string): string {
  return text.length <= MAX_VALUE_CHARS ? text : `${text.slice(0, MAX_VALUE_CHARS - 3)}...`;
}

/**
 * Invalid hbsim options. Thrown by option normalisation (`normalizeOptions`,
 * `normalizeWorkerOptions`, `parseDuration`) and never for anything else.
 *
 * The message reads `<field>: got <value>, expected <expected>`, e.g.
 * `options.retry.backoffCoefficient: got 0.5, expected a number >= 1`.
 */
export class HbsimConfigError extends Error {
  override readonly name = 'HbsimConfigError';
  /** Dotted path of the offending option, e.g. `options.retry.backoffCoefficient`. */
  readonly field: string;
  /** What was given (the raw value, not a copy). */
  readonly value: unknown;
  /** What was expected, in words. */
  readonly expected: string;

  /**
   * @param field dotted path of the option
   * @param value what was given
   * @param expected what was expected, in words
   * @param problem what is wrong, in words; defaults to `got <value>`
   */
  constructor(field: string, value: unknown, expected: string, problem?: string) {
    // A caller from JavaScript may leave the field out: the message still names one.
    const name = typeof field === 'string' && field !== '' ? field : 'value';
    super(`${name}: ${problem ?? `got ${describeValue(value)}`}, expected ${expected}`);
    this.field = name;
    this.value = value;
    this.expected = expected;
  }
}

/** Brand shared by every copy of this module that may be loaded (ESM + CJS, two versions). */
const TRANSIENT_BRAND: unique symbol = Symbol.for('hbsim.TransientError');

/**
 * A retryable error thrown by hbsim's simulated services (a flaky database, a dropped call).
 * Recognise it with {@link isTransientError}, not `instanceof`.
 */
export class TransientError extends Error {
  override readonly name = 'TransientError';

  constructor(message = 'transient error', options?: ErrorOptions) {
    super(message, options);
  }
}

Object.defineProperty(TransientError.prototype, TRANSIENT_BRAND, {
  value: true,
  enumerable: false,
  writable: false,
  configurable: false,
});

/**
 * True if `e` is a {@link TransientError} from any loaded copy of hbsim (checks the
 * `Symbol.for('hbsim.TransientError')` brand rather than `instanceof`).
 */
export function isTransientError(e: unknown): e is TransientError {
  if ((typeof e !== 'object' && typeof e !== 'function') || e === null) return false;
  try {
    return (e as { [TRANSIENT_BRAND]?: unknown })[TRANSIENT_BRAND] === true;
  } catch {
    return false; // a Proxy whose get trap throws is not one of ours
  }
}

/**
 * The scenario's activity factory (`activity: (world, params) => ...`) threw, or returned
 * something that is not a function, when a worker process first started (before any fault).
 * The user's error, not hbsim's: the CLI prints it naming the scenario file and exits 2.
 * (The same at a restart after an injected crash is a crash of that worker, reported in the run.)
 */
export class ActivityFactoryError extends HbsimConfigError {
  constructor(worker: string, problem: string, value: unknown) {
    super('activity', value, 'a factory activity(world, params) that returns the activity function', `the factory ${problem} when ${worker} started`);
  }
}

const WIRE_TAG = 'hbsimConfigError';

/** A {@link HbsimConfigError} as plain data, to cross from a worker thread (structured clone keeps only the message). */
export interface ConfigErrorWire {
  readonly [WIRE_TAG]: { readonly field: string; readonly expected: string; readonly message: string; readonly stack?: string };
}

/** The answer a worker thread gives instead of throwing a {@link HbsimConfigError}. @internal */
export function configErrorToWire(error: HbsimConfigError): ConfigErrorWire {
  return { [WIRE_TAG]: { field: error.field, expected: error.expected, message: error.message, ...(error.stack !== undefined ? { stack: error.stack } : {}) } };
}

/** Throws the {@link HbsimConfigError} a worker thread answered with, if it is one. @internal */
export function throwIfConfigErrorWire(answer: unknown): void {
  if (typeof answer !== 'object' || answer === null || !(WIRE_TAG in answer)) return;
  const wire = (answer as ConfigErrorWire)[WIRE_TAG];
  const error = new HbsimConfigError(wire.field, undefined, wire.expected);
  Object.defineProperty(error, 'message', { value: wire.message });
  if (wire.stack !== undefined) error.stack = wire.stack;
  throw error;
}
