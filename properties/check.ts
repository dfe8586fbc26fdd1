/**
 * The search: for each property, fast-check draws cases (a world seed and a fault plan), runs
 * the scenario under each in virtual time, compares it with the fault-free reference run of the
 * same seed, and shrinks any violation to a minimal plan. All properties draw the same cases from
 * the same seed, and each case is simulated once (its verdicts are cached), so checking six
 * properties costs one search, plus the shrinking.
 *
 * Same scenario, seed, runs and max faults: same verdicts, same minimal plans.
 */
import fc from 'fast-check';
import type { NormalizedScenario } from '../src/scenario.js';
import { runScenario } from '../src/simulate.js';
import type { FaultPlan } from '../sim/fault-plan.js';
import type { SimulationResult } from '../sim/simulation.js';
import { CHECKERS } from './checkers/index.js';
import { planSpaceOf, searchCaseArbitrary, type PlanSpace, type SearchCase, type SearchKind } from './arbitraries/fault-plan.js';
import { PROPERTY_NAMES, type PropertyName, type RunCase, type Violation } from './types.js';

export interface CheckOptions {
  /** Cases per property; default 200. */
  readonly runs?: number;
  /** The search's seed (also the base world seed); default: drawn, and always reported. */
  readonly seed?: number;
  /** Faults per case at most; default 3. */
  readonly maxFaults?: number;
  /** Which properties; default all. */
  readonly properties?: readonly PropertyName[];
  /** Restrict the fault kinds (default: all that can hit this scenario). */
  readonly kinds?: readonly SearchKind[];
  /** Re-run every k-th case to check determinism (every case while shrinking); default 4. */
  readonly determinismEvery?: number;
  /** Called after each simulated case. */
  readonly onProgress?: (simulated: number) => void;
}

/** The verdict on one property. */
export interface PropertyVerdict {
  readonly name: PropertyName;
  readonly ok: boolean;
  /** Cases judged. */
  readonly runs: number;
  /** For a violation: fast-check's seed and path (replay), the minimal case, its explanation. */
  readonly seed?: number;
  readonly path?: string;
  readonly worldSeed?: number;
  readonly plan?: FaultPlan;
  readonly violation?: Violation;
  /** The failing run, with its full trace (for the timeline). */
  readonly result?: SimulationResult;
  readonly shrinks?: number;
}

export interface CheckReport {
  readonly scenario: string;
  readonly ok: boolean;
  readonly seed: number;
  readonly runs: number;
  readonly maxFaults: number;
  readonly properties: readonly PropertyVerdict[];
  readonly reference: SimulationResult;
  /** Distinct cases simulated (cache misses), references excluded. */
  readonly simulated: number;
}

/** A fresh search seed from the platform's entropy (never used inside a simulation). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Runs cases and caches their verdicts (each case is simulated once for all properties). */
export class CaseRunner {
  private readonly references = new Map<number, Promise<SimulationResult>>();
  private readonly verdicts = new Map<string, Map<PropertyName, Violation | undefined>>();
  private readonly determinism = new Map<string, Violation | undefined>();
  simulated = 0;

  constructor(
    readonly scenario: NormalizedScenario,
    readonly baseSeed: number,
    private readonly onProgress?: (simulated: number) => void,
  ) {}

  reference(worldSeed: number): Promise<SimulationResult> {
    let r = this.references.get(worldSeed);
    if (r === undefined) {
      r = runScenario(this.scenario, { seed: worldSeed, inspectDetails: true });
      this.references.set(worldSeed, r);
    }
    return r;
  }

  worldSeed(c: SearchCase): number {
    return (this.baseSeed + c.world) | 0;
  }

  /** Run one case (full trace: for explanations and timelines) and judge it on every property. */
  async judge(c: SearchCase, rerun: boolean, trace: 'full' | 'lean' = 'full'): Promise<{ run: SimulationResult; rerun?: SimulationResult; violations: Map<PropertyName, Violation | undefined>; reference: SimulationResult }> {
    const worldSeed = this.worldSeed(c);
    const reference = await this.reference(worldSeed);
    const options = { seed: worldSeed, faults: c.plan, inspectDetails: true, trace } as const;
    const run = await runScenario(this.scenario, options);
    this.simulated++;
    const again = rerun ? await runScenario(this.scenario, options) : undefined;
    if (again !== undefined) this.simulated++;
    this.onProgress?.(this.simulated);
    const rc: RunCase = { scenario: this.scenario, reference, run, plan: c.plan, ...(again ? { rerun: again } : {}) };
    const violations = new Map<PropertyName, Violation | undefined>();
    for (const checker of CHECKERS) violations.set(checker.name, checker.check(rc));
    return { run, ...(again ? { rerun: again } : {}), violations, reference };
  }

  /** The verdict of `property` on case `c` (simulating it on first use). */
  async verdict(property: PropertyName, c: SearchCase, forceRerun: boolean, every: number): Promise<Violation | undefined> {
    const key = JSON.stringify(c);
    if (property === 'deterministic') {
      if (this.determinism.has(key)) return this.determinism.get(key);
      if (!forceRerun && hashKey(key) % every !== 0) return undefined;
      const judged = await this.judge(c, true, 'lean');
      this.verdicts.set(key, judged.violations);
      this.determinism.set(key, judged.violations.get('deterministic'));
      return judged.violations.get('deterministic');
    }
    let v = this.verdicts.get(key);
    if (v === undefined) {
      v = (await this.judge(c, false, 'lean')).violations;
      this.verdicts.set(key, v);
    }
    return v.get(property);
  }
}

/** Check `scenario` on every property; see {@link CheckOptions}. */
export async function runCheck(scenario: NormalizedScenario, options: CheckOptions = {}): Promise<CheckReport> {
  const runs = options.runs ?? 200;
  const seed = options.seed ?? randomSeed();
  const maxFaults = options.maxFaults ?? 3;
  const every = Math.max(1, options.determinismEvery ?? 4);
  const wanted = options.properties ?? PROPERTY_NAMES;
  const runner = new CaseRunner(scenario, seed, options.onProgress);
  const reference = await runner.reference(seed);
  const space = planSpaceOf(scenario, reference);
  const arbitrary = searchCaseArbitrary(space, maxFaults, options.kinds);
  const properties: PropertyVerdict[] = [];
  for (const name of PROPERTY_NAMES) {
    if (!wanted.includes(name)) continue;
    if (name === 'progress-monotonic' && scenario.progress === undefined) {
      properties.push({ name, ok: true, runs: 0 });
      continue;
    }
    properties.push(await searchProperty(runner, arbitrary, name, seed, runs, every));
  }
  return { scenario: scenario.name, ok: properties.every((p) => p.ok), seed, runs, maxFaults, properties, reference, simulated: runner.simulated };
}

async function searchProperty(runner: CaseRunner, arbitrary: fc.Arbitrary<SearchCase>, name: PropertyName, seed: number, runs: number, every: number): Promise<PropertyVerdict> {
  let failedOnce = false;
  let harnessError: unknown;
  const property = fc.asyncProperty(arbitrary, async (c) => {
    try {
      const v = await runner.verdict(name, c, failedOnce, every);
      if (v !== undefined) failedOnce = true;
      return v === undefined;
    } catch (error) {
      harnessError ??= error; // not a violation: hbsim itself or the scenario is broken
      throw error;
    }
  });
  const details = await fc.check(property, { seed, numRuns: runs });
  if (harnessError !== undefined) throw harnessError;
  if (!details.failed || details.counterexample === null) return { name, ok: true, runs: details.numRuns };
  const minimal = await minimize(runner, name, details.counterexample[0], every);
  return verdictFor(runner, name, minimal, seed, details.counterexamplePath ?? undefined, details.numRuns, details.numShrinks);
}

/**
 * After fast-check's shrinking: drop faults one at a time while the violation remains, down to
 * the empty plan (a violation without faults). Deterministic, so a replay by seed and path lands
 * on the same minimal case.
 */
export async function minimize(runner: CaseRunner, name: PropertyName, c: SearchCase, every: number): Promise<SearchCase> {
  let current = c;
  for (let i = 0; i < current.plan.length; ) {
    const candidate: SearchCase = { world: current.world, plan: current.plan.filter((_, j) => j !== i) };
    if ((await runner.verdict(name, candidate, true, every)) !== undefined) current = candidate;
    else i++;
  }
  return current;
}

/** Re-run the minimal case with a full trace and explain it. */
export async function verdictFor(runner: CaseRunner, name: PropertyName, c: SearchCase, seed: number, path: string | undefined, runs: number, shrinks: number): Promise<PropertyVerdict> {
  const judged = await runner.judge(c, name === 'deterministic', 'full');
  const violation = judged.violations.get(name);
  return {
    name,
    ok: violation === undefined ? true : false,
    runs,
    seed,
    ...(path !== undefined ? { path } : {}),
    worldSeed: runner.worldSeed(c),
    plan: c.plan,
    ...(violation !== undefined ? { violation } : {}),
    result: judged.run,
    shrinks,
  };
}

/** The case fast-check reaches at `path` from `seed` (for `hbsim replay --seed --path`), before {@link minimize}. */
export async function caseAt(space: PlanSpace, maxFaults: number, seed: number, path: string, kinds?: readonly SearchKind[]): Promise<SearchCase | undefined> {
  const details = await fc.check(fc.asyncProperty(searchCaseArbitrary(space, maxFaults, kinds), async () => false), { seed, path, numRuns: 1, endOnFailure: true });
  return (details.counterexample?.[0] ?? undefined) as SearchCase | undefined;
}
