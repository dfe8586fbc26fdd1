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
   * Shared with the watchdog: [steps, virtual now] written before each step, [2] runs started,
   * [3] 1 while a run is in progress (sim/simulation.ts), [4] 1 once the thread took the task,
   * [5] the index of the case a batch is running.
   */
  readonly progress: Float64Array;
} & (
    /** Load the scenario (and warm the thread up) ahead of the first case: the threads do it while the main thread loads it too. */
    | { readonly kind: 'load' }
    | { readonly kind: 'reference'; readonly worldSeed: number }
    | { readonly kind: 'evaluate'; readonly c: SearchCase; readonly rerun: boolean }
    /** Several cases, one after another in one thread (a task per case costs a message round trip each). */
    | { readonly kind: 'evaluateBatch'; readonly cases: readonly { readonly c: SearchCase; readonly rerun: boolean }[] }
    /** Replay a case up to just before the step where it hung; answer its last events. */
    | { readonly kind: 'tail'; readonly c: SearchCase | null; readonly worldSeed: number; readonly stepLimit: number }
  );

export interface TailAnswer {
  readonly lastEvents: readonly string[];
  readonly at: number;
}
