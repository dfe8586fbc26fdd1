/**
 * The messages between the search (main thread) and its pool of worker threads. Plain data.
 */
import type { SearchCase } from './arbitraries/fault-plan.js';

export interface PoolScenarioRef {
  /** The scenario module (the worker imports it itself). */
  readonly file: string;
  /** A profile override, as `--profile`. */
  readonly profile?: string;
  readonly baseSeed: number;
}

export type PoolTask = PoolScenarioRef & {
  /**
   * [steps, virtual now, case index in a batch, wall-clock ms when that case started]: steps and
   * now are written before each step, the other two before each case of a batch. The watchdog
   * reads it to tell a slow batch from a hung case, and to locate the hung case.
   */
  readonly progress: Float64Array;
} & (
    /** Load the scenario (tsx, the module) and do nothing else: every thread starts on it at once. */
    | { readonly kind: 'warm' }
    | { readonly kind: 'reference'; readonly worldSeed: number }
    | { readonly kind: 'evaluate'; readonly c: SearchCase; readonly rerun: boolean }
    /** Several cases, one after another in one worker (a task per case costs a round trip each). */
    | { readonly kind: 'evaluateBatch'; readonly cases: readonly { readonly c: SearchCase; readonly rerun: boolean }[] }
    /** Replay a case up to just before the step where it hung; answer its last events. */
    | { readonly kind: 'tail'; readonly c: SearchCase | null; readonly worldSeed: number; readonly stepLimit: number }
  );

export interface TailAnswer {
  readonly lastEvents: readonly string[];
  readonly at: number;
}
