/**
 * `simulate(scenario, { seed, faults })`: run a scenario once, in virtual time, to its final
 * outcome. Returns the outcome, every attempt, the trace and its digest, the final sink state
 * and counts.
 */
import { normalizeScenario, type NormalizedScenario } from '../src/scenario.js';
import { loadTemporalFrontDoor } from './temporal-door.js';
import { nativeFrontDoor } from './native-door.js';
import { Simulation, type FrontDoor, type SimulateOptions, type SimulationResult } from './simulation.js';
import { HbsimConfigError } from '../src/errors.js';
import { parseDuration } from '../src/duration.js';
import { threadEngine, type PgEngine } from './services/pglite-engine.js';

let temporalDoor: Promise<FrontDoor> | undefined;

/** The front door for a scenario's `api` (the Temporal one is loaded once, lazily). */
export function frontDoorFor(api: NormalizedScenario['api']): Promise<FrontDoor> {
  if (api === 'native') return Promise.resolve(nativeFrontDoor);
  temporalDoor ??= loadTemporalFrontDoor();
  return temporalDoor;
}

/**
 * Run `scenario` once with `options.seed` and the optional fault plan `options.faults`.
 * Throws {@link HbsimConfigError} for an invalid scenario or options.
 */
export async function simulate(scenario: unknown, options: SimulateOptions): Promise<SimulationResult> {
  return runScenario(normalizeScenario(scenario), options);
}

/** {@link simulate} for a scenario already normalised (the CLI and checkers load once, run many times). */
export async function runScenario(scenario: NormalizedScenario, options: SimulateOptions): Promise<SimulationResult> {
  if (typeof options.seed !== 'number' || !Number.isInteger(options.seed)) throw new HbsimConfigError('seed', options.seed, 'an integer');
  const door = await frontDoorFor(scenario.api);
  const crashes = (options.crashes ?? []).map((at, i) => ({ kind: 'crash', at: parseDuration(at, `crashes[${i}]`) }) as const);
  const faults = crashes.length === 0 ? options.faults : [...(options.faults ?? []), ...crashes];
  let engine: PgEngine | undefined;
  if (scenario.database !== undefined) {
    engine = await threadEngine();
    await engine.reset(scenario.database, options.seed);
  }
  return new Simulation(scenario, { ...options, ...(faults ? { faults } : {}) }, door, engine).run();
}
