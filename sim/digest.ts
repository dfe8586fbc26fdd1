/**
 * A fast, allocation-free 64-bit structural hash (two 32-bit multiplicative lanes) of trace
 * events: numbers by their IEEE-754 bits, strings by their UTF-16 code units, objects by their
 * keys in insertion order. Deterministic across runs and processes; not cryptographic.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const TAGS = new Map<string, number>();

export class Digest {
  private h1 = 0x811c9dc5;
  private h2 = 0x050c5d1f;

  private mix(x: number): void {
    this.h1 = Math.imul(this.h1 ^ x, 0x01000193);
    const h2 = Math.imul(this.h2 ^ x, 0x5bd1e995);
    this.h2 = h2 ^ (h2 >>> 15);
  }

  string(s: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    const n = s.length;
    h1 = Math.imul(h1 ^ (0x73 ^ n), 0x01000193);
    h2 = Math.imul(h2 ^ (0x73 ^ n), 0x5bd1e995);
    h2 ^= h2 >>> 15;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    this.h1 = h1;
    this.h2 = h2;
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
   * value, applied }` (the hot path: no event object, the tag looked up once).
   */
  effect(t: number, attempt: number, op: string, key: string, value: unknown, applied: boolean): void {
    this.number(t);
    this.mix(EFFECT_TAG);
    this.number(attempt);
    this.string(op);
    this.string(key);
    this.effectValue(value);
    this.mix(applied ? 0x74 : 0x46);
    this.mix(0x0a);
  }

  /**
   * {@link value} of an effect's value, the same mixing, in a code path of its own: its property
   * reads only ever see effect values (a handful of shapes), so they stay fast.
   */
  private effectValue(v: unknown): void {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.value(v);
    this.mix(0x7b);
    for (const k in v) {
      this.string(k);
      const x = (v as Record<string, unknown>)[k];
      if (typeof x === 'string') this.string(x);
      else if (typeof x === 'number') this.number(x);
      else this.value(x, 1);
    }
    this.mix(0x7d);
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

const EFFECT_TAG = Digest.tagOf('effect');
