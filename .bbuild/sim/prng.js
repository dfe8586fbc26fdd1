/**
 * The one source of randomness of a simulation: a seeded xoroshiro128+ (pure-rand), passed
 * explicitly as `prng`. Independent streams are forked by label, so that the records a seed
 * generates do not change when, say, a fault plan draws more numbers.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
/** 32-bit FNV-1a of a label, to derive stream seeds. */
function hashLabel(label) {
    let h = 0x811c9dc5;
    for (let i = 0; i < label.length; i++) {
        h ^= label.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
}
/** A seeded pseudo-random number generator. Mutable: each draw advances it. */
export class Prng {
    seed;
    rng;
    constructor(
    /** The seed this stream was made from (a 32-bit integer). */
    seed, rng) {
        this.seed = seed;
        this.rng = rng;
    }
    /** A generator for `seed` (any integer; taken modulo 2^32). */
    static seeded(seed) {
        const s = seed | 0;
        return new Prng(s, xoroshiro128plus(s));
    }
    /** An independent stream for `label`, derived from this stream's seed (not from its position). */
    fork(label) {
        return Prng.seeded(Math.imul(this.seed ^ hashLabel(label), 0x9e3779b1) ^ hashLabel(label + '#'));
    }
    /** A uniform integer in [from, to], both included. */
    int(from, to) {
        return uniformInt(this.rng, from, to);
    }
    /** A uniform float in [0, 1). */
    float() {
        return uniformFloat64(this.rng);
    }
    /** True with probability `p`. */
    chance(p) {
        return this.float() < p;
    }
    /** An exponentially distributed duration with the given mean (memoryless; for Poisson processes). */
    exponential(mean) {
        return -Math.log(1 - this.float()) * mean;
    }
}
