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
