/**
 * The search: for each property, fast-check draws cases (a world seed and a fault plan), runs
 * the scenario under each in virtual time, compares it with the fault-free reference run of the
 * same seed, and shrinks any violation to a minimal plan. All properties draw the same cases from
 * the same seed and each case is simulated once (properties/case-runner.ts), so checking six
 * properties costs one search, plus the shrinking.
 *
 * Parallel and sharded runs give the same verdicts: the cases a search will draw are known in
 * advance (`fc.sample` with the same seed yields the same values as `fc.check`), so a pool can
 * evaluate them all up front, or shards can each evaluate a slice and report their first failing
 * case per property; the search itself, and the shrinking, then run in order on one thread.
 */
import fc from 'fast-check';
import type { NormalizedScenario } from '../src/scenario.js';
import type { FaultPlan } from '../sim/fault-plan.js';
import type { SimulationResult } from '../sim/simulation.js';
import { planSpaceOf, searchCaseArbitrary, type PlanSpace, type SearchCase, type SearchKind } from './arbitraries/fault-plan.js';
import { CaseRunner, caseKey, type CaseEvaluator } from './case-runner.js';
import { PROPERTY_NAMES, type PropertyName, type Violation } from './types.js';
import { CoverageTracker, type Coverage } from './coverage.js';
import { replayCorpus, searchCaseOf, type CorpusEntry, type CorpusResult } from './corpus.js';
import { DEFAULT_MAX_CASES, exhaustiveCases, type ExhaustiveSummary } from './exhaustive.js';

export { CaseRunner } from './case-runner.js';

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
  /** Called as cases are simulated. */
  readonly onProgress?: (simulated: number) => void;
  /** Where cases run (default: this thread). */
  readonly evaluator?: CaseEvaluator;
  /** Evaluate only the cases of shard `index` (1-based) of `count`, and stop: see {@link ShardResult}. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** From merged shards: the index of the first failing case per property (`null`: none). */
  readonly firstFailing?: ReadonlyMap<PropertyName, number | null>;
  /** Regression cases to replay first (properties/corpus.ts); a case that still fails decides its property. */
  readonly corpus?: readonly CorpusEntry[];
  /** Try every single-fault placement, then pairs, instead of random cases (properties/exhaustive.ts). */
  readonly exhaustive?: boolean;
  /** `exhaustive`: the total budget of cases, singles and pairs; default 1000. */
  readonly maxCases?: number;
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
  /** The violation is a regression case of the corpus that still fails (this file). */
  readonly corpusFile?: string;
}

export interface CheckReport {
  readonly scenario: string;
  readonly ok: boolean;
  readonly seed: number;
  readonly runs: number;
  readonly maxFaults: number;
  readonly properties: readonly PropertyVerdict[];
  readonly reference: SimulationResult;
  /** Runs simulated (cache misses), references excluded. */
  readonly simulated: number;
  /** Which single-fault places of the reference run the simulated cases exercised. */
  readonly coverage: Coverage;
  /** The regression corpus, replayed first. */
  readonly corpus: readonly CorpusResult[];
  /** With `exhaustive`: what was tried. */
  readonly exhaustive?: ExhaustiveSummary;
}

/** What a shard found: for each property, the index of its first failing case among its slice. */
export interface ShardResult {
  readonly scenario: string;
  readonly seed: number;
  readonly runs: number;
  readonly maxFaults: number;
  readonly shard: { readonly index: number; readonly count: number };
  /** The properties checked (`--property`). */
  readonly properties: readonly PropertyName[];
  readonly firstFailing: Readonly<Record<PropertyName, number | null>>;
  readonly simulated: number;
}

/** A fresh search seed from the platform's entropy (never used inside a simulation). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

interface Search {
  readonly runner: CaseRunner;
  readonly arbitrary: fc.Arbitrary<SearchCase>;
  readonly reference: SimulationResult;
  readonly seed: number;
  readonly runs: number;
  readonly maxFaults: number;
  readonly every: number;
  readonly wanted: readonly PropertyName[];
  readonly space: PlanSpace;
}

async function prepare(scenario: NormalizedScenario, options: CheckOptions): Promise<Search> {
  const seed = options.seed ?? randomSeed();
  const runner = new CaseRunner(scenario, seed, options.onProgress, options.evaluator);
  const reference = await runner.reference(seed);
  const maxFaults = options.maxFaults ?? 3;
  const space = planSpaceOf(scenario, reference);
  return {
    runner,
    space,
    arbitrary: searchCaseArbitrary(space, maxFaults, options.kinds),
    reference,
    seed,
    runs: options.runs ?? 200,
    maxFaults,
    every: Math.max(1, options.determinismEvery ?? 4),
    wanted: options.properties ?? PROPERTY_NAMES,
  };
}

function judged(name: PropertyName, scenario: NormalizedScenario): boolean {
  return !(name === 'progress-monotonic' && scenario.progress === undefined);
}

/** Check `scenario` on every property; see {@link CheckOptions}. */
export async function runCheck(scenario: NormalizedScenario, options: CheckOptions = {}): Promise<CheckReport> {
  const s = await prepare(scenario, options);
  const corpus = await replayCorpus(s.runner, options.corpus ?? [], s.every);
  const exhaustive = options.exhaustive ? await exhaustiveCases(s.runner, s.space, { maxCases: options.maxCases ?? DEFAULT_MAX_CASES, every: s.every, ...(options.kinds ? { kinds: options.kinds } : {}) }) : undefined;
  if (exhaustive === undefined && options.evaluator?.evaluateAll !== undefined && options.firstFailing === undefined) {
    await s.runner.prefill(fc.sample(s.arbitrary, { seed: s.seed, numRuns: s.runs }), s.every);
  }
  const properties: PropertyVerdict[] = [];
  for (const name of PROPERTY_NAMES) {
    if (!s.wanted.includes(name)) continue;
    const regression = corpus.find((r) => r.property === name && r.status === 'fails');
    if (!judged(name, scenario)) properties.push({ name, ok: true, runs: 0 });
    else if (regression !== undefined) properties.push({ ...(await verdictFor(s.runner, name, searchCaseOf(s.runner, regression), s.seed, undefined, 1, 0)), corpusFile: regression.file });
    else if (exhaustive !== undefined) properties.push(await firstFailingOf(s, name, exhaustive.cases));
    else properties.push(await searchProperty(s, name, options.firstFailing?.get(name)));
  }
  const coverage = new CoverageTracker(s.space);
  for (const c of s.runner.simulatedCases()) coverage.add(c);
  // Merged shards simulated the search's cases elsewhere: they are known in advance.
  if (options.firstFailing !== undefined) for (const c of fc.sample(s.arbitrary, { seed: s.seed, numRuns: s.runs })) coverage.add(c);
  return {
    scenario: scenario.name,
    ok: properties.every((p) => p.ok),
    seed: s.seed,
    runs: exhaustive?.cases.length ?? s.runs,
    maxFaults: s.maxFaults,
    properties,
    reference: s.reference,
    simulated: s.runner.simulated,
    coverage: coverage.report(),
    corpus,
    ...(exhaustive ? { exhaustive: exhaustive.summary } : {}),
  };
}

/** `--exhaustive`: the first case of the fixed order that violates `name`, minimised. */
async function firstFailingOf(s: Search, name: PropertyName, cases: readonly SearchCase[]): Promise<PropertyVerdict> {
  for (const c of cases) {
    if ((await s.runner.verdict(name, c, false, s.every)) === undefined) continue;
    const minimal = await minimize(s.runner, name, c, s.every);
    return verdictFor(s.runner, name, minimal, s.seed, undefined, cases.length, 0);
  }
  return { name, ok: true, runs: cases.length };
}

/** Evaluate this shard's slice of the cases (case i belongs to shard i mod count + 1). */
export async function runShard(scenario: NormalizedScenario, options: CheckOptions & { readonly shard: { readonly index: number; readonly count: number } }): Promise<ShardResult> {
  const s = await prepare(scenario, options);
  const { index, count } = options.shard;
  const all = fc.sample(s.arbitrary, { seed: s.seed, numRuns: s.runs });
  const mine = all.map((c, i) => ({ c, i })).filter(({ i }) => i % count === index - 1);
  await s.runner.prefill(mine.map((m) => m.c), s.every);
  const firstFailing = {} as Record<PropertyName, number | null>;
  for (const name of PROPERTY_NAMES) {
    firstFailing[name] = null;
    if (!s.wanted.includes(name) || !judged(name, scenario)) continue;
    for (const { c, i } of mine) {
      if ((await s.runner.verdict(name, c, false, s.every)) !== undefined) {
        firstFailing[name] = i;
        break;
      }
    }
  }
  return { scenario: scenario.name, seed: s.seed, runs: s.runs, maxFaults: s.maxFaults, shard: { index, count }, properties: [...s.wanted], firstFailing, simulated: s.runner.simulated };
}

async function searchProperty(s: Search, name: PropertyName, firstFailing: number | null | undefined): Promise<PropertyVerdict> {
  let failedOnce = false;
  let harnessError: unknown;
  let call = 0;
  const property = fc.asyncProperty(s.arbitrary, async (c) => {
    const i = call++;
    if (harnessError !== undefined) return true; // stop the search: hbsim or the scenario is broken
    // Merged shards already know the outcome of the search's first runs.
    if (firstFailing !== undefined && i < s.runs && !failedOnce && (firstFailing === null || i < firstFailing)) return true;
    try {
      const v = await s.runner.verdict(name, c, failedOnce, s.every);
      if (v !== undefined) failedOnce = true;
      return v === undefined;
    } catch (error) {
      harnessError = error;
      return true;
    }
  });
  const details = await fc.check(property, { seed: s.seed, numRuns: s.runs });
  if (harnessError !== undefined) throw harnessError;
  if (!details.failed || details.counterexample === null) return { name, ok: true, runs: details.numRuns };
  const minimal = await minimize(s.runner, name, details.counterexample[0], s.every);
  return verdictFor(s.runner, name, minimal, s.seed, details.counterexamplePath ?? undefined, details.numRuns, details.numShrinks);
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

/** Re-run the minimal case here with a full trace and explain it. */
export async function verdictFor(runner: CaseRunner, name: PropertyName, c: SearchCase, seed: number, path: string | undefined, runs: number, shrinks: number): Promise<PropertyVerdict> {
  const judgedCase = await runner.judge(c, name === 'deterministic');
  const violation = judgedCase.violations.get(name);
  return {
    name,
    ok: violation === undefined,
    runs,
    seed,
    ...(path !== undefined ? { path } : {}),
    worldSeed: runner.worldSeed(c),
    plan: c.plan,
    ...(violation !== undefined ? { violation } : {}),
    result: judgedCase.run,
    shrinks,
  };
}

/** The case fast-check reaches at `path` from `seed` (for `hbsim replay --seed --path`), before {@link minimize}. */
export async function caseAt(space: PlanSpace, maxFaults: number, seed: number, path: string, kinds?: readonly SearchKind[]): Promise<SearchCase | undefined> {
  const details = await fc.check(fc.asyncProperty(searchCaseArbitrary(space, maxFaults, kinds), async () => false), { seed, path, numRuns: 1, endOnFailure: true });
  return (details.counterexample?.[0] ?? undefined) as SearchCase | undefined;
}

export { caseKey };
