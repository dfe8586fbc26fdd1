import fc from 'fast-check';
import { expectConfigError } from './config-error.js';
import { describe, expect, test } from 'vitest';
import { DURATION_EXPECTED, ceilToWholeSeconds, formatDuration, parseDuration } from '../src/duration.js';
import { HbsimConfigError, TransientError, describeValue, isTransientError } from '../src/errors.js';
import { toMs } from '../src/to-ms.js';

describe('parseDuration', () => {
  test('takes a finite non-negative number of milliseconds as is', () => {
    expect(parseDuration(0, 'f')).toBe(0);
    expect(parseDuration(250, 'f')).toBe(250);
    expect(parseDuration(1.5, 'f')).toBe(1.5);
    expect(Object.is(parseDuration(-0, 'f'), 0)).toBe(true);
  });

  test.each([
    ['250ms', 250],
    ['5s', 5_000],
    ['1.5s', 1_500],
    ['1m', 60_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['1y', 365.25 * 86_400_000],
    ['.5s', 500],
    ['5S', 5_000],
    ['10 seconds', 10_000],
    ['1 minute', 60_000],
    ['2 hrs', 7_200_000],
    ['3 days', 259_200_000],
    ['100 milliseconds', 100],
    // a unit-less string is milliseconds, as in the `ms` package the TS SDK uses
    ['0', 0],
    ['250', 250],
    // compound, as Go prints time.Duration and formatDuration prints
    ['1m30s', 90_000],
    ['1h 30m', 5_400_000],
    ['1d2h3m4s5ms', 93_784_005],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text, 'f')).toBe(ms);
  });

  test('decimal strings are exact (no float multiply error)', () => {
    expect(parseDuration('1.1s', 'f')).toBe(1_100);
    expect(parseDuration('0.3m', 'f')).toBe(18_000);
    expect(parseDuration('2.675s', 'f')).toBe(2_675);
  });

  test.each([
    { value: -1, text: '-1' },
    { value: -0.5, text: '-0.5' },
    { value: Number.NaN, text: 'NaN' },
    { value: Number.POSITIVE_INFINITY, text: 'Infinity' },
    { value: Number.NEGATIVE_INFINITY, text: '-Infinity' },
    { value: '5 parsecs', text: '"5 parsecs"' },
    { value: '', text: '""' },
    { value: '-5s', text: '"-5s"' },
    { value: ' 5s', text: '" 5s"' },
    { value: '5s ', text: '"5s "' },
    { value: '1m ', text: '"1m "' },
    { value: '1m30', text: '"1m30"' },
    { value: '1e3', text: '"1e3"' },
    { value: '5.s', text: '"5.s"' },
    { value: 'ms', text: '"ms"' },
    { value: '1..5s', text: '"1..5s"' },
    { value: null, text: 'null' },
    { value: undefined, text: 'undefined' },
    { value: true, text: 'true' },
    { value: 10n, text: '10n' },
    { value: {}, text: '{}' },
    { value: [5], text: '[5]' },
    { value: new Number(5), text: '5' },
  ])('rejects $text naming the field, the value and the expected form', ({ value, text }) => {
    const error = expectConfigError(() => parseDuration(value, 'options.startToCloseTimeout'), 'options.startToCloseTimeout', text);
    expect(error.value).toBe(value);
    expect(error.expected).toBe(DURATION_EXPECTED);
    expect(error.message).toContain("'250ms', '5s'");
  });

  test('rejects strings over 100 characters', () => {
    const long = `${'1'.repeat(99)}ms`;
    expectConfigError(() => parseDuration(long, 'f'), 'f', `"${'1'.repeat(56)}...`);
  });

  test('property: any value either parses to a finite non-negative number or throws HbsimConfigError', () => {
    const durationAlphabet = fc.constantFrom(...'0123456789.  msMhdwy-e'.split(''));
    const value = fc.oneof(
      fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withBoxedValues: true, withNullPrototype: true }),
      fc.double(),
      fc.string({ unit: durationAlphabet, maxLength: 12 }),
      fc.string(),
    );
    fc.assert(
      fc.property(value, (v) => {
        try {
          const ms = parseDuration(v, 'options.x');
          expect(Number.isFinite(ms) && ms >= 0).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(HbsimConfigError);
          expect((e as HbsimConfigError).field).toBe('options.x');
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('formatDuration', () => {
  test.each([
    [90_000, '1m30s'],
    [250, '250ms'],
    [3_600_000, '1h'],
    [0, '0s'],
    [0.5, '0.5ms'],
    [1_000, '1s'],
    [90_061_001, '1d1h1m1s1ms'],
    [-1_500, '-1s500ms'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NaN, 'NaN'],
  ])('formats %d ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test('property: parseDuration reads back what formatDuration prints (whole ms)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_000_000_000_000 }), (ms) => {
        expect(parseDuration(formatDuration(ms), 'f')).toBe(ms);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('ceilToWholeSeconds', () => {
  test('T4 cadence rounds up to whole seconds, as Int32Ceil(d.Seconds())', () => {
    expect(ceilToWholeSeconds(0)).toBe(0);
    expect(ceilToWholeSeconds(1)).toBe(1_000);
    expect(ceilToWholeSeconds(1_000)).toBe(1_000);
    expect(ceilToWholeSeconds(1_001)).toBe(2_000);
    expect(ceilToWholeSeconds(1_100)).toBe(2_000);
  });
});

describe('errors', () => {
  test('HbsimConfigError reads `<field>: got <value>, expected <expected>`', () => {
    const error = new HbsimConfigError('options.retry.backoffCoefficient', 0.5, 'a number >= 1');
    expect(error.message).toBe('options.retry.backoffCoefficient: got 0.5, expected a number >= 1');
    expect(error.name).toBe('HbsimConfigError');
    expect(error).toBeInstanceOf(Error);
    expect(error.field).toBe('options.retry.backoffCoefficient');
    expect(error.value).toBe(0.5);
    expect(error.expected).toBe('a number >= 1');
  });

  test('describeValue never throws and stays short', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(describeValue(cyclic)).toBe('an object');
    expect(describeValue([1n])).toBe('an array');
    expect(describeValue({ toJSON: () => { throw new Error('no'); } })).toBe('an object');
    expect(describeValue(Symbol('s'))).toBe('Symbol(s)');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue(-0)).toBe('-0');
    expect(describeValue('x'.repeat(200)).length).toBe(60);
  });

  test('TransientError is recognised by its brand, not by instanceof', () => {
    const error = new TransientError('db blip');
    expect(error.name).toBe('TransientError');
    expect(error.message).toBe('db blip');
    expect(isTransientError(error)).toBe(true);
    // a copy from another module instance: same Symbol.for brand, different class
    const foreign = Object.assign(new Error('x'), { [Symbol.for('hbsim.TransientError')]: true });
    expect(isTransientError(foreign)).toBe(true);
    expect(isTransientError(new Error('x'))).toBe(false);
    expect(isTransientError(Object.assign(new Error('x'), { name: 'TransientError' }))).toBe(false);
    expect(isTransientError(null)).toBe(false);
    expect(isTransientError('TransientError')).toBe(false);
    expect(Object.getOwnPropertySymbols(error)).toEqual([]); // the brand sits on the prototype
  });

  test('TransientError keeps its cause and has a default message', () => {
    const cause = new Error('root');
    expect(new TransientError('wrapped', { cause }).cause).toBe(cause);
    expect(new TransientError().message).toBe('transient error');
    class Flaky extends TransientError {}
    expect(isTransientError(new Flaky())).toBe(true);
  });
});

describe('issue 13: every duration message names its field, also from the library', () => {
  test("parseDuration('1h30') without a field names 'duration' and says the last number has no unit", () => {
    const call = parseDuration as (value: unknown, field?: string) => number;
    let caught: unknown;
    try {
      call('1h30');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(HbsimConfigError);
    expect((caught as HbsimConfigError).field).toBe('duration');
    expect((caught as Error).message).toBe(`duration: got "1h30", whose last number has no unit (1h30m?), expected ${DURATION_EXPECTED}`);
    expect(() => call('2m 5', undefined)).toThrow(/^duration: got "2m 5", whose last number has no unit \(2m 5s\?\)/);
    expect(() => call('5 parsecs', '')).toThrow(/^duration: got "5 parsecs", expected a duration/);
    expect(() => call(-1)).toThrow(/^duration: got -1, expected a duration/);
  });

  test('with a field, the message names it; toMs names "duration"', () => {
    expectConfigError(() => parseDuration('1h30', 'options.heartbeatTimeout'), 'options.heartbeatTimeout', '"1h30", whose last number has no unit (1h30m?)');
    expect(() => toMs('1h30')).toThrow(/^duration: got "1h30"/);
  });

  test('HbsimConfigError without a field (from JavaScript) still names one', () => {
    const Ctor = HbsimConfigError as unknown as new (field: unknown, value: unknown, expected: string) => HbsimConfigError;
    expect(new Ctor(undefined, 3, 'a string').message).toBe('value: got 3, expected a string');
  });
});
