/**
 * What a checker looks at and what it says. Each checker compares one run (a seed and a fault
 * plan) with the fault-free reference run of the same seed, and explains a violation in the
 * user's terms: which record, which attempt, which stored details, when.
 */
import type { NormalizedScenario } from '../src/scenario.js';
import type { FaultPlan } from '../sim/fault-plan.js';
import type { SimulationResult } from '../sim/simulation.js';

/** The properties hbsim checks, in the order they are reported. */
export const PROPERTY_NAMES = ['completes', 'no-skipped-records', 'idempotent', 'result', 'progress-monotonic', 'deterministic', 'details-serializable'] as const;
export type PropertyName = (typeof PROPERTY_NAMES)[number];

/** One run to judge. */
export interface RunCase {
  readonly scenario: NormalizedScenario;
  /** The fault-free run of the same seed. */
  readonly reference: SimulationResult;
  /** The run with the fault plan. */
  readonly run: SimulationResult;
  readonly plan: FaultPlan;
  /** A second run of the same seed and plan (only where determinism is being checked). */
  readonly rerun?: SimulationResult;
}

/** A property that does not hold on a run. */
export interface Violation {
  readonly property: PropertyName;
  /** One sentence in the user's terms. */
  readonly summary: string;
  /** Supporting lines: the events that explain it. */
  readonly details: readonly string[];
  /** Sink keys and virtual times the violation is about (reports highlight them). */
  readonly keys?: readonly string[];
  readonly times?: readonly number[];
}

/** A checker: `undefined` when the property holds on this run, or is not judged on it. */
export interface Checker {
  readonly name: PropertyName;
  /** What the property means, for `--help` and the README. */
  readonly description: string;
  check(c: RunCase): Violation | undefined;
}
