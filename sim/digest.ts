/**
 * A fast, allocation-free 64-bit structural hash (two 32-bit multiplicative lanes) of trace
 * events: numbers by their IEEE-754 bits, strings by a 32-bit fingerprint of their UTF-16 code
 * units, objects by their keys in insertion order. Deterministic across runs and processes; not
 * cryptographic.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const TAGS = new Map<string, number>();

export class Digest {
  private h1 = 0x811c9dc5;
  private h2 = 0x050c5d1f;

  private mix(x: number): void {
    this.h1 = lane1(this.h1, x);
    this.h2 = lane2(this.h2, x);
  }

  /** A string: one mix of its {@link fingerprint}. */
  string(s: string): void {
    this.mix(shortPrint(s));
  }

  /** A string whose {@link fingerprint} was taken beforehand (a world call's key, when the call was made). */
  printed(print: number): void {
    this.mix(print);
  }

  /** A short tag for a string from a small set (an event type): hashed once, then one mix. */
  tag(s: string): void {
    this.mix(Digest.tagOf(s));
  }

  /** The tag of `s` (see {@link tag}). */
  static tagOf(s: string): number {
    let t = TAGS.get(s);
    if (t === undefined) {
      const d = new Digest();
      d.string(s);
      t = d.h1 ^ d.h2;
      TAGS.set(s, t);
    }
    return t;
  }

  number(n: number): void {
    if ((n | 0) === n) {
      this.mix(0x69);
      this.mix(n);
      return;
    }
    f64[0] = n;
    this.mix(0x66);
    this.mix(u32[0]!);
    this.mix(u32[1]!);
  }

  /** Any JSON-like value; functions, symbols and cycles are hashed by kind only. */
  value(v: unknown, depth = 0): void {
    switch (typeof v) {
      case 'string': return this.string(v);
      case 'number': return this.number(v);
      case 'boolean': return this.mix(v ? 0x74 : 0x46);
      case 'undefined': return this.mix(0x75);
      case 'bigint': return this.string(`${v}n`);
      case 'object':
        if (v === null) return this.mix(0x6e);
        if (depth > 32) return this.mix(0x2e);
        if (Array.isArray(v)) {
          this.mix(0x5b ^ v.length);
          for (const x of v) this.value(x, depth + 1);
          return;
        }
        this.mix(0x7b);
        for (const k in v) {
          this.string(k);
          this.value((v as Record<string, unknown>)[k], depth + 1);
        }
        return this.mix(0x7d);
      default: return this.mix(0x3f);
    }
  }

  /**
   * A sink effect: the same mixing as {@link event} of `{ t, type: 'effect', attempt, op, key,
   * value, applied }` (the hot path: no event object, the tag looked up once, both lanes kept in
   * locals), the key given by its {@link fingerprint}.
   */
  effect(t: number, attempt: number, op: string, keyPrint: number, value: unknown, applied: boolean): void {
    let h1 = this.h1;
    let h2 = this.h2;
    // number(t)
    if ((t | 0) === t) {
      h1 = lane1(h1, 0x69); h2 = lane2(h2, 0x69);
      h1 = lane1(h1, t); h2 = lane2(h2, t);
    } else {
      f64[0] = t;
      const lo = u32[0]!;
      const hi = u32[1]!;
      h1 = lane1(h1, 0x66); h2 = lane2(h2, 0x66);
      h1 = lane1(h1, lo); h2 = lane2(h2, lo);
      h1 = lane1(h1, hi); h2 = lane2(h2, hi);
    }
    h1 = lane1(h1, EFFECT_TAG); h2 = lane2(h2, EFFECT_TAG);
    // number(attempt)
    if ((attempt | 0) === attempt) {
      h1 = lane1(h1, 0x69); h2 = lane2(h2, 0x69);
      h1 = lane1(h1, attempt); h2 = lane2(h2, attempt);
    } else {
      this.h1 = h1;
      this.h2 = h2;
      this.number(attempt);
      h1 = this.h1;
      h2 = this.h2;
    }
    const opPrint = shortPrint(op);
    h1 = lane1(h1, opPrint); h2 = lane2(h2, opPrint);
    h1 = lane1(h1, keyPrint); h2 = lane2(h2, keyPrint);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      // {@link value} of a plain object, the same mixing, in a code path of its own: its property
      // reads only ever see effect values (a handful of shapes), so they stay fast.
      h1 = lane1(h1, 0x7b); h2 = lane2(h2, 0x7b);
      for (const k in value) {
        const kp = shortPrint(k);
        h1 = lane1(h1, kp); h2 = lane2(h2, kp);
        const x = (value as Record<string, unknown>)[k];
        if (typeof x === 'string') {
          const xp = shortPrint(x);
          h1 = lane1(h1, xp); h2 = lane2(h2, xp);
        } else if (typeof x === 'number' && (x | 0) === x) {
          h1 = lane1(h1, 0x69); h2 = lane2(h2, 0x69);
          h1 = lane1(h1, x); h2 = lane2(h2, x);
        } else {
          this.h1 = h1;
          this.h2 = h2;
          this.value(x, 1);
          h1 = this.h1;
          h2 = this.h2;
        }
      }
      h1 = lane1(h1, 0x7d); h2 = lane2(h2, 0x7d);
    } else {
      this.h1 = h1;
      this.h2 = h2;
      this.value(value);
      h1 = this.h1;
      h2 = this.h2;
    }
    const a = applied ? 0x74 : 0x46;
    h1 = lane1(h1, a); h2 = lane2(h2, a);
    this.h1 = lane1(h1, 0x0a);
    this.h2 = lane2(h2, 0x0a);
  }

  /** A trace event: its fields' values in order (the keys follow from its type, hashed as a tag). */
  event(ev: { readonly type: string }): void {
    for (const k in ev) {
      if (k === 'type') this.tag(ev.type);
      else this.value((ev as unknown as Record<string, unknown>)[k]);
    }
    this.end();
  }

  /** Ends an event. */
  end(): void {
    this.mix(0x0a);
  }

  /** 16 hex digits. */
  hex(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0');
  }
}

/** One step of the first lane. */
function lane1(h: number, x: number): number {
  return Math.imul(h ^ x, 0x01000193);
}

/** One step of the second lane. */
function lane2(h: number, x: number): number {
  const m = Math.imul(h ^ x, 0x5bd1e995);
  return m ^ (m >>> 15);
}

/** Slots of the memo of short strings' fingerprints (a power of two). */
const MEMO_SLOTS = 64;
/** Strings up to this length are memoised. */
const MEMO_MAX_LENGTH = 32;
const memoStrings: (string | undefined)[] = new Array<string | undefined>(MEMO_SLOTS).fill(undefined);
const memoPrints = new Int32Array(MEMO_SLOTS);

/**
 * {@link fingerprint}, memoised for short strings in a small direct-mapped table (slot by length
 * and first code unit): an effect's property names and repeated values ('month', '2026-10')
 * are the same string object every time, and comparing one with itself costs nothing. Exactly
 * `fingerprint(s)` (a miss, or a different string of the same slot, is fingerprinted afresh).
 */
function shortPrint(s: string): number {
  const n = s.length;
  if (n > MEMO_MAX_LENGTH) return fingerprint(s);
  const slot = (n * 7 + s.charCodeAt(0)) & (MEMO_SLOTS - 1);
  if (memoStrings[slot] === s) return memoPrints[slot]!;
  const p = fingerprint(s);
  memoStrings[slot] = s;
  memoPrints[slot] = p;
  return p;
}

const EFFECT_TAG = Digest.tagOf('effect');

/**
 * A 32-bit fingerprint of a string: its length, then its UTF-16 code units two at a time (a pair
 * packed losslessly into one 32-bit word) through one multiplicative lane, and a final shift-xor.
 * Every step is a bijection of the lane, so two strings of one length that differ in any code
 * unit always have different fingerprints. Cheaper than both lanes on every code unit, and it can
 * be taken early: a world call takes its key's when the call is made, which also flattens a key
 * the caller just concatenated while it is new (later, at the effect, that costs more garbage
 * collection; measured on `npm run bench`).
 */
export function fingerprint(s: string): number {
  const n = s.length;
  let h = Math.imul(0x811c9dc5 ^ 0x73 ^ n, 0x01000193);
  let i = 0;
  for (; i + 1 < n; i += 2) h = Math.imul(h ^ (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)), 0x01000193);
  if (i < n) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 16);
}
