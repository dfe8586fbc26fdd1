/**
 * Durations as users write them, to and from milliseconds.
 *
 * Accepted (see {@link parseDuration}):
 * - a finite, non-negative number of milliseconds (`250`, `1.5`);
 * - a string in the format of the `ms` package that the Temporal TS SDK uses for its own
 *   `Duration` options, so options copied from a TS workflow work unchanged: a number, optional
 *   spaces, a unit, case-insensitive (`'250ms'`, `'5s'`, `'1.5s'`, `'1m'`, `'2h'`, `'1d'`,
 *   `'10 seconds'`, `'1 minute'`, `'2 hrs'`, `'1w'`). A unit-less numeric string is milliseconds,
 *   as in the SDK (`'250'` is 250 ms, `'0'` is 0);
 * - a sequence of such terms, as Go's `time.Duration` prints them (`'1m30s'`, `'1h 30m'`), so
 *   that everything {@link formatDuration} prints parses back.
 *
 * Rejected: negatives, NaN, Infinity, unknown units (`'5 parsecs'`), `''`, leading or trailing
 * spaces, strings over 100 characters, and anything that is not a number or a string.
 */

import { describeValue, HbsimConfigError } from './errors.js';

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
/** The `ms` package's year: 365.25 days. */
const YEAR_MS = 365.25 * DAY_MS;

/** The unit names of the `ms` package (lower case), in milliseconds. */
const UNIT_MS: ReadonlyMap<string, number> = new Map([
  ...['ms', 'msec', 'msecs', 'millisecond', 'milliseconds'].map((u) => [u, 1] as const),
  ...['s', 'sec', 'secs', 'second', 'seconds'].map((u) => [u, SECOND_MS] as const),
  ...['m', 'min', 'mins', 'minute', 'minutes'].map((u) => [u, MINUTE_MS] as const),
  ...['h', 'hr', 'hrs', 'hour', 'hours'].map((u) => [u, HOUR_MS] as const),
  ...['d', 'day', 'days'].map((u) => [u, DAY_MS] as const),
  ...['w', 'week', 'weeks'].map((u) => [u, WEEK_MS] as const),
  ...['y', 'yr', 'yrs', 'year', 'years'].map((u) => [u, YEAR_MS] as const),
]);

/** Longest string accepted (the `ms` package's own limit). */
const MAX_STRING_LENGTH = 100;

const NUMBER_ONLY = /^(?:\d+(?:\.\d+)?|\.\d+)$/;
/** One term: a decimal number, optional spaces, a unit word. Sticky: matches at `lastIndex` only. */
const TERM = /(\d+(?:\.\d+)?|\.\d+) *([a-z]+)/y;

/** What a duration must look like, in words (the `expected` of every duration error). */
export const DURATION_EXPECTED =
  "a duration: a non-negative number of milliseconds or a string like '250ms', '5s', '1.5m', '2h', '1d', '1m30s'";

/**
 * Parses a user-supplied duration into milliseconds (see the module docs for the grammar).
 *
 * @param value what the user gave
 * @param field dotted path of the option, used in the error
 * @returns a finite, non-negative number of milliseconds (`-0` becomes `0`)
 * @throws HbsimConfigError naming `field` for anything else
 */
export function parseDuration(value: unknown, field: string = 'duration'): number {
  // Called from JavaScript (or with an empty name), the message still names a field.
  const name = typeof field === 'string' && field !== '' ? field : 'duration';
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value + 0;
    throw new HbsimConfigError(name, value, DURATION_EXPECTED);
  }
  if (typeof value === 'string') {
    const ms = parseDurationString(value);
    if (ms !== undefined) return ms;
    const hint = unitlessTail(value);
    if (hint !== undefined) throw new HbsimConfigError(name, value, DURATION_EXPECTED, `got ${describeValue(value)}, whose last number has no unit (${hint}?)`);
  }
  throw new HbsimConfigError(name, value, DURATION_EXPECTED);
}

/** `'1h30'` -> `'1h30m'`: a string of terms whose last number lacks its unit, with the unit it likely meant. */
function unitlessTail(text: string): string | undefined {
  const m = /^(.*\d *([a-z]+)) *(\d+(?:\.\d+)?)$/i.exec(text);
  if (m === null || parseDurationString(m[1]!) === undefined) return undefined;
  const next: Record<string, string> = { d: 'h', h: 'm', m: 's', s: 'ms' };
  const unit = next[m[2]!.toLowerCase()];
  return unit === undefined ? undefined : `${text}${unit}`;
}

/** The milliseconds a duration string denotes, or `undefined` if it is not a valid one. */
function parseDurationString(text: string): number | undefined {
  if (text.length === 0 || text.length > MAX_STRING_LENGTH) return undefined;
  if (NUMBER_ONLY.test(text)) return decimalTimes(text, 1);
  const lower = text.toLowerCase();
  let total = 0;
  let pos = 0;
  while (pos < lower.length) {
    if (pos > 0) {
      while (lower[pos] === ' ') pos++;
      if (pos === lower.length) return undefined; // trailing spaces
    }
    TERM.lastIndex = pos;
    const match = TERM.exec(lower);
    if (match === null) return undefined;
    const unitMs = UNIT_MS.get(match[2] ?? '');
    if (unitMs === undefined) return undefined;
    total += decimalTimes(match[1] ?? '', unitMs);
    pos = TERM.lastIndex;
  }
  return Number.isFinite(total) ? total : undefined;
}

/**
 * `decimal x factor`, computed as one division of integers so that `'1.1s'` is exactly 1100
 * and `'0.3m'` exactly 18000 (a float multiply would give 1100.0000000000002).
 */
function decimalTimes(decimal: string, factor: number): number {
  const dot = decimal.indexOf('.');
  if (dot < 0) return Number(decimal) * factor;
  const fraction = decimal.slice(dot + 1);
  const digits = Number(decimal.slice(0, dot) + fraction);
  return (digits * factor) / 10 ** fraction.length;
}

const FORMAT_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', DAY_MS],
  ['h', HOUR_MS],
  ['m', MINUTE_MS],
  ['s', SECOND_MS],
];

/**
 * Formats milliseconds for humans: `90000` gives `'1m30s'`, `250` gives `'250ms'`,
 * `3600000` gives `'1h'`, `0` gives `'0s'`, `0.5` gives `'0.5ms'` (sub-millisecond parts are
 * rounded to the microsecond). Negative values get a leading `-`; NaN and Infinity print as such.
 * For whole, non-negative numbers of milliseconds below 2^53 / 1000 (285 years), {@link parseDuration}
 * reads the result back exactly.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  // Past 2^53 µs there is no sub-millisecond part to round (and ms * 1000 could overflow).
  const rounded = ms < 2 ** 53 / 1_000 ? Math.round(ms * 1_000) / 1_000 : ms;
  let rest = Math.floor(rounded);
  const fraction = rounded - rest;
  let out = '';
  for (const [unit, size] of FORMAT_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  const millis = Number((rest + fraction).toFixed(3));
  if (millis > 0) out += `${millis}ms`;
  return out === '' ? '0s' : out;
}

/**
 * Rounds milliseconds up to whole seconds, as the Cadence Go client does when it turns a
 * `time.Duration` into the int32 seconds its API carries (`common.Int32Ceil(d.Seconds())`, T4).
 */
export function ceilToWholeSeconds(ms: number): number {
  return Math.ceil(ms / SECOND_MS) * SECOND_MS;
}
