/**
 * The one source of randomness of a simulation: a seeded xoroshiro128+ (pure-rand), passed
 * explicitly as `prng`. Independent streams are forked by label, so that the records a seed
 * generates do not change when, say, a fault plan draws more numbers.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

type Generator = ReturnType<typeof xoroshiro128plus>;

/** 32-bit FNV-1a of a label, to derive stream seeds. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A seeded pseudo-random number generator. Mutable: each draw advances it. */
export class Prng {
  private constructor(
    /** The seed this stream was made from (a 32-bit integer). */
    readonly seed: number,
    private readonly rng: Generator,
  ) {}

  /** A generator for `seed` (any integer; taken modulo 2^32). */
  static seeded(seed: number): Prng {
    const s = seed | 0;
    return new Prng(s, xoroshiro128plus(s));
  }

  /** An independent stream for `label`, derived from this stream's seed (not from its position). */
  fork(label: string): Prng {
    return Prng.seeded(Math.imul(this.seed ^ hashLabel(label), 0x9e3779b1) ^ hashLabel(label + '#'));
  }

  /** A uniform integer in [from, to], both included. */
  int(from: number, to: number): number {
    return uniformInt(this.rng, from, to);
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return uniformFloat64(this.rng);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** An exponentially distributed duration with the given mean (memoryless; for Poisson processes). */
  exponential(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }
}
