/**
 * Watching a running check: the search tells an observer which cases it judged and what they
 * violated, so a caller can show progress and, if the check is interrupted, say what it covered
 * (runs judged per property, the violations already found and the case that shows each).
 */
import type { SearchCase } from './arbitraries/fault-plan.js';
import type { PropertyName } from './types.js';

export interface CheckObserver {
  /** The reference run is done: the search judges `total` cases of `properties`, from `seed`. */
  started?(total: number, properties: readonly PropertyName[], seed: number): void;
  /** Case `index` (0-based, of the search's `total`) was judged on `judged`; it violates `violated`. */
  judged?(index: number, c: SearchCase, judged: readonly PropertyName[], violated: readonly PropertyName[]): void;
  /** Shrinking the violation of `property` to a minimal plan. */
  shrinking?(property: PropertyName): void;
}

/** The first case found that violates a property (index: fast-check's path to replay it). */
export interface FoundViolation {
  readonly index: number;
  readonly c: SearchCase;
}

/** What a check covered so far, from its observer events (each case counts once, in any order). */
export class CheckTally implements CheckObserver {
  total = 0;
  seed = 0;
  properties: readonly PropertyName[] = [];
  /** Cases judged on at least one property. */
  evaluated = 0;
  /** The property being shrunk, if any. */
  shrinkingNow: PropertyName | undefined;
  private seenCase = new Uint8Array(0);
  private readonly perProperty = new Map<PropertyName, { runs: number; seen: Uint8Array }>();
  private readonly found = new Map<PropertyName, FoundViolation>();

  started(total: number, properties: readonly PropertyName[], seed: number): void {
    this.total = total;
    this.seed = seed;
    this.properties = [...properties];
    this.seenCase = new Uint8Array(total);
    for (const p of properties) this.perProperty.set(p, { runs: 0, seen: new Uint8Array(total) });
  }

  judged(index: number, c: SearchCase, judged: readonly PropertyName[], violated: readonly PropertyName[]): void {
    if (index < 0 || index >= this.total) return;
    if (this.seenCase[index] === 0) {
      this.seenCase[index] = 1;
      this.evaluated++;
    }
    for (const p of judged) {
      const t = this.perProperty.get(p);
      if (t === undefined || t.seen[index] === 1) continue;
      t.seen[index] = 1;
      t.runs++;
    }
    for (const p of violated) {
      const prior = this.found.get(p);
      if (prior === undefined || index < prior.index) this.found.set(p, { index, c });
    }
  }

  shrinking(property: PropertyName): void {
    this.shrinkingNow = property;
  }

  /** Runs judged so far on `property`. */
  runsOf(property: PropertyName): number {
    return this.perProperty.get(property)?.runs ?? 0;
  }

  /** The first violating case found so far per property, in property order. */
  violations(): [PropertyName, FoundViolation][] {
    return this.properties.filter((p) => this.found.has(p)).map((p) => [p, this.found.get(p)!]);
  }
}
