import { isDeepStrictEqual } from 'node:util';
import { defaultPayloadConverter } from '@temporalio/common';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  BINARY_PAYLOAD_PREFIX,
  decodeDetails,
  describeLoss,
  describeLossByWalking,
  encodeDetails,
  isPlainData,
  PayloadDecodingError,
  PayloadEncodingError,
} from '../../src/model/payload.js';

const roundTrip = (value: unknown): unknown => decodeDetails(encodeDetails(value));

describe('H7 encodeDetails / decodeDetails', () => {
  test('H7 a Set becomes {}', () => {
    expect(encodeDetails(new Set([1, 2, 3]))).toBe('{}');
    expect(roundTrip({ seen: new Set(['a']) })).toEqual({ seen: {} });
  });

  test('H7 a Map becomes {}', () => {
    expect(encodeDetails(new Map([['k', 1]]))).toBe('{}');
    expect(roundTrip({ byId: new Map([[1, 'x']]) })).toEqual({ byId: {} });
  });

  test('H7 a Date becomes a string', () => {
    const at = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(encodeDetails({ at })).toBe('{"at":"2024-01-02T03:04:05.000Z"}');
    expect(roundTrip({ at })).toEqual({ at: '2024-01-02T03:04:05.000Z' });
  });

  test('H7 a BigInt throws a PayloadEncodingError naming where it is', () => {
    let thrown: unknown;
    try {
      encodeDetails({ stats: { total: 10n } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PayloadEncodingError);
    const error = thrown as PayloadEncodingError;
    expect(error.path).toBe('details.stats.total');
    expect(error.problem).toBe('a BigInt cannot be encoded');
    expect(error.sdkMessage).toBe('Unable to convert [object Object] to payload');
    expect(error.message).toBe(
      'details.stats.total: a BigInt cannot be encoded, so the whole value cannot be encoded as JSON (the SDK says: Unable to convert [object Object] to payload)',
    );
    expect(() => encodeDetails(5n)).toThrow('details: a BigInt cannot be encoded');
  });

  test('H7 a cycle throws a PayloadEncodingError', () => {
    const node: Record<string, unknown> = { name: 'a' };
    node['self'] = node;
    expect(() => encodeDetails({ list: [node] })).toThrow(PayloadEncodingError);
    expect(() => encodeDetails({ list: [node] })).toThrow('details.list[0].self: a circular reference cannot be encoded');
  });

  test('H7 undefined (what heartbeat() with no argument sends) stays undefined', () => {
    expect(encodeDetails(undefined)).toBeUndefined();
    expect(decodeDetails(undefined)).toBeUndefined();
    expect(describeLoss(undefined)).toEqual([]);
  });

  test('H7 null, numbers, strings and plain data are the JSON.stringify text', () => {
    expect(encodeDetails(null)).toBe('null');
    expect(encodeDetails(42)).toBe('42');
    expect(encodeDetails('x')).toBe('"x"');
    expect(encodeDetails({ a: [1, { b: true }], c: undefined })).toBe('{"a":[1,{"b":true}]}');
  });

  test('H7 a top-level Uint8Array round-trips as bytes (binary/plain); nested it becomes an object', () => {
    const bytes = new Uint8Array([0, 1, 255]);
    const payload = encodeDetails(bytes);
    expect(payload).toBe(`${BINARY_PAYLOAD_PREFIX}AAH/`);
    expect(decodeDetails(payload)).toEqual(bytes);
    expect(encodeDetails({ bytes })).toBe('{"bytes":{"0":0,"1":1,"2":255}}');
    const view = new Uint8Array([9, 8, 7, 6]).subarray(1, 3);
    expect(decodeDetails(encodeDetails(view))).toEqual(new Uint8Array([8, 7]));
  });

  test('H7 a bare function gives an empty payload that cannot be decoded', () => {
    expect(encodeDetails(() => 1)).toBe('');
    expect(() => decodeDetails('')).toThrow(PayloadDecodingError);
    expect(() => decodeDetails('{oops')).toThrow(PayloadDecodingError);
  });

  test('H7 matches @temporalio/common defaultPayloadConverter (data text, binary bytes, which values throw)', () => {
    const text = new TextDecoder();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything({ withMap: true, withSet: true, withDate: true, withBigInt: true, withTypedArray: true, withBoxedValues: true, withSparseArray: true }),
          fc.uint8Array(),
        ),
        (value) => {
          let sdkPayload: ReturnType<typeof defaultPayloadConverter.toPayload> | undefined;
          let sdkThrew = false;
          try {
            sdkPayload = defaultPayloadConverter.toPayload(value);
          } catch {
            sdkThrew = true;
          }
          if (sdkThrew) {
            expect(() => encodeDetails(value)).toThrow(PayloadEncodingError);
            return;
          }
          const ours = encodeDetails(value);
          const encoding = text.decode(sdkPayload?.metadata?.['encoding'] ?? new Uint8Array());
          if (encoding === 'binary/null') expect(ours).toBeUndefined();
          else if (encoding === 'binary/plain') expect(decodeDetails(ours)).toEqual(new Uint8Array(sdkPayload?.data ?? []));
          else {
            expect(encoding).toBe('json/plain');
            expect(ours).toBe(text.decode(sdkPayload?.data ?? new Uint8Array()));
            if (ours !== '') expect(decodeDetails(ours)).toEqual(defaultPayloadConverter.fromPayload(sdkPayload!));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('H7 describeLoss', () => {
  test('H7 describeLoss: a Set with 118 entries', () => {
    const seen = new Set(Array.from({ length: 118 }, (_, i) => i));
    expect(describeLoss({ seen })).toEqual(['details.seen: a Set became {} (its 118 entries are lost)']);
  });

  test('H7 describeLoss: a Date', () => {
    expect(describeLoss({ at: new Date(0) })).toEqual(['details.at: a Date became a string']);
    expect(describeLoss({ at: new Date(Number.NaN) })).toEqual(['details.at: an invalid Date became null']);
  });

  test('H7 describeLoss: a Map, and a BigInt that makes the whole value fail', () => {
    expect(describeLoss({ byId: new Map([[1, 'a']]), empty: new Map() })).toEqual([
      'details.byId: a Map became {} (its 1 entry is lost)',
      'details.empty: a Map became {}',
    ]);
    expect(describeLoss({ n: 1n })).toEqual(['details.n: a BigInt cannot be encoded']);
  });

  test('H7 describeLoss: everything else JSON quietly changes, path by path', () => {
    class Cursor {
      constructor(readonly offset: number) {}
      next(): number {
        return this.offset + 1;
      }
    }
    const sparse = [1, , 3];
    const value = {
      cursor: new Cursor(3),
      list: [undefined, () => 0, Number.NaN],
      gone: undefined,
      fn: () => 0,
      zero: -0,
      inf: Number.POSITIVE_INFINITY,
      err: new TypeError('boom'),
      boxed: new Number(1),
      'odd key': new Uint16Array([1]),
      re: /x/,
      buf: new ArrayBuffer(2),
      sparse,
      [Symbol('s')]: 1,
    };
    expect(describeLoss(value, 'state')).toEqual([
      'state.cursor: an instance of Cursor became a plain object (its class and methods are lost)',
      'state.list[0]: undefined became null',
      'state.list[1]: a function became null',
      'state.list[2]: NaN became null',
      'state.gone: undefined was dropped',
      'state.fn: a function was dropped',
      'state.zero: -0 became 0',
      'state.inf: Infinity became null',
      'state.err: a TypeError became a plain object (its message and stack are lost)',
      'state.boxed: a Number object became a number',
      'state["odd key"]: a Uint16Array became a plain object with index keys',
      'state.re: a RegExp became {}',
      'state.buf: an ArrayBuffer became {}',
      'state.sparse[1]: an empty array slot became null',
      'state[Symbol(s)]: a symbol-keyed property was dropped',
    ]);
  });

  test('H7 describeLoss: toJSON, Buffers and top-level binary', () => {
    const money = { amount: 5, toJSON: () => '5 EUR' };
    expect(describeLoss({ money })).toEqual(['details.money: an object was replaced by its toJSON() result']);
    expect(describeLoss({ b: Buffer.from([1]) })).toEqual(['details.b: a Buffer was replaced by its toJSON() result']);
    expect(describeLoss(Buffer.from([1]))).toEqual(['details: a Buffer became a Uint8Array']);
    expect(describeLoss(new Uint8Array([1]))).toEqual([]);
    expect(describeLoss(() => 1)).toEqual(['details: a function became an empty payload, which cannot be decoded']);
  });

  test('H7 describeLoss: nothing for JSON data', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const lost = describeLoss(value);
        // fc.jsonValue can produce -0, which JSON turns into 0.
        if (!Object.is(roundTrip(value), value) && !isDeepStrictEqual(roundTrip(value), value)) expect(lost.length).toBeGreaterThan(0);
        else expect(lost).toEqual([]);
      }),
    );
  });

  test('H7 describeLoss is empty exactly when the round trip gives back an equal value, and fatal exactly when encoding throws', () => {
    fc.assert(
      fc.property(
        fc.anything({ withMap: true, withSet: true, withDate: true, withBigInt: true, withTypedArray: true, withBoxedValues: true, withSparseArray: true }),
        (value) => {
          const lost = describeLoss(value);
          const fatal = lost.some((line) => /cannot be encoded|threw/.test(line));
          let back: unknown;
          let threw = false;
          try {
            back = roundTrip(value);
          } catch {
            threw = true;
          }
          expect(threw).toBe(fatal);
          if (!threw) expect(lost.length === 0).toBe(isDeepStrictEqual(back, value));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('H7 the fast path for plain data: on every value it accepts, the full walk finds no loss', () => {
    const anything = fc.anything({ withMap: true, withSet: true, withDate: true, withBigInt: true, withTypedArray: true, withBoxedValues: true, withSparseArray: true, withNullPrototype: true, withObjectString: true });
    fc.assert(
      fc.property(fc.oneof(anything, fc.jsonValue(), fc.array(fc.record({ offset: fc.double(), seen: fc.array(anything) }))), (value) => {
        if (isPlainData(value)) expect(describeLossByWalking(value)).toEqual([]);
        expect(describeLoss(value)).toEqual(describeLossByWalking(value));
      }),
      { numRuns: 2000 },
    );
  });

  test('H7 the fast path takes the usual details and leaves every lossy shape to the walk', () => {
    for (const plain of [{ offset: 42 }, { offset: 1, cursor: 'k-1', done: false, pages: [1, 2, [3]] }, [], 'x', null, 0]) expect(isPlainData(plain), JSON.stringify(plain)).toBe(true);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    class Cursor {
      offset = 1;
    }
    const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
    const extra = Object.assign([1], { note: 'x' });
    const throwing = Object.defineProperty({}, 'x', { enumerable: true, get: () => { throw new Error('no'); } });
    const lossy: unknown[] = [-0, NaN, Infinity, undefined, 1n, Symbol('s'), () => 1, new Date(0), new Set([1]), new Map(), new Cursor(), { toJSON: () => 1 }, { [Symbol('k')]: 1 }, Object.create(null), sparse, extra, cyclic, throwing, { deep: { deeper: [new Set()] } }, new Uint8Array(1)];
    for (const v of lossy) expect(isPlainData(v)).toBe(false);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { next: deep };
    expect(isPlainData(deep)).toBe(false); // too deep for the fast path: walked
    expect(describeLoss(deep)).toEqual([]);
  });
});

