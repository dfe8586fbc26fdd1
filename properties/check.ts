/**
 * The search: for each property, fast-check draws cases (a world seed and a fault plan), runs
 * the scenario under each in virtual time, compares it with the fault-free reference run of the
 * same seed, and shrinks any violation to a minimal plan. The first cases are the boundary places
 * of the reference run, each once (properties/arbitraries/boundaries.ts: COMMITs, the calls and
 * effects around each stored heartbeat), given to fast-check as its examples; then its random
 * draws, up to `runs` in all. All properties draw the same cases from
 * the same seed and each case is simulated once (properties/case-runner.ts), so checking six
 * properties costs one search, plus the shrinking.
 *
 * Parallel and sharded runs give the same verdicts: the cases a search will draw are known in
 * advance (`fc.sample` with the same seed yields the same values as `fc.check`), so a pool can
 * evaluate them all up front, or shards can each evaluate a slice and report their first failing
 * case per property; the search itself, and the shrinking, then run in order on one thread.
 */
import fc from 'fast-check';
import { HbsimConfigError } from '../src/errors.js';
import type { NormalizedScenario } from '../src/scenario.js';
import type { FaultPlan } from '../sim/fault-plan.js';
import type { SimulationResult } from '../sim/simulation.js';
import { planSpaceOf, searchCaseArbitrary, type PlanSpace, type SearchCase, type SearchKind } from './arbitraries/fault-plan.js';
import { boundaryCases } from './arbitraries/boundaries.js';
import { CaseRunner, caseKey, type CaseEvaluator, type Judged } from './case-runner.js';
import { PROPERTY_NAMES, type PropertyName, type Violation } from './types.js';
import { configWarnings, type ConfigWarning } from './config-warnings.js';
import { CoverageTracker, type Coverage } from './coverage.js';
import { replayCorpus, searchCaseOf, type CorpusEntry, type CorpusResult } from './corpus.js';
import { DEFAULT_MAX_CASES, exhaustiveCases, type ExhaustiveSummary } from './exhaustive.js';
import type { CheckObserver } from './check-observer.js';

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
  /** Told which cases are judged and what they violate (progress; what an interrupted check covered). */
  readonly observer?: CheckObserver;
  /**
   * Try the boundary places first (properties/arbitraries/boundaries.ts); default true. `false`:
   * random draws only, as the search drew before boundary places (for comparisons in tests).
   */
  readonly boundaries?: boolean;
}

/** The verdict on one property. */
export interface PropertyVerdict {
  readonly name: PropertyName;
  /** No violation found (also when not judged: see {@link notJudged}). */
  readonly ok: boolean;
  /** Set when the property had nothing to judge: why (then `ok` is true and `runs` says what ran). */
  readonly notJudged?: string;
  /** Set when the configuration alone decides the verdict (a configuration warning says which setting). */
  readonly decidedBy?: string;
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
  /** Settings that make the check say less than it seems to, each with what to change. */
  readonly warnings: readonly ConfigWarning[];
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
  /** The boundary cases (properties/arbitraries/boundaries.ts): fast-check's first examples, before the random ones. */
  readonly examples: readonly SearchCase[];
  readonly reference: SimulationResult;
  readonly seed: number;
  readonly runs: number;
  readonly maxFaults: number;
  readonly every: number;
  readonly wanted: readonly PropertyName[];
  readonly space: PlanSpace;
  readonly observer: CheckObserver | undefined;
  /** The properties judged on a prefilled case (deterministic only where it is re-run). */
  judgedOn(rerun: boolean): readonly PropertyName[];
}

async function prepare(scenario: NormalizedScenario, options: CheckOptions): Promise<Search> {
  const seed = options.seed ?? randomSeed();
  const runner = new CaseRunner(scenario, seed, options.onProgress, options.evaluator);
  const reference = await runner.reference(seed);
  const maxFaults = options.maxFaults ?? 3;
  // 0 would draw only empty plans: "held on 200 runs" of the fault-free run, which says nothing.
  if (!Number.isInteger(maxFaults) || maxFaults < 1) throw new HbsimConfigError('maxFaults', maxFaults, 'an integer >= 1 (with no fault a check only repeats the fault-free run)');
  const space = planSpaceOf(scenario, reference);
  const wanted = options.properties ?? PROPERTY_NAMES;
  const judgedProps = PROPERTY_NAMES.filter((p) => wanted.includes(p) && notJudgedBefore(p, scenario, reference) === undefined);
  return {
    runner,
    space,
    arbitrary: searchCaseArbitrary(space, maxFaults, options.kinds),
    examples: options.boundaries === false ? [] : boundaryCases(space, options.kinds),
    reference,
    seed,
    runs: options.runs ?? 200,
    maxFaults,
    every: Math.max(1, options.determinismEvery ?? 4),
    wanted,
    observer: options.observer,
    judgedOn: (rerun) => (rerun ? judgedProps : judgedProps.filter((p) => p !== 'deterministic')),
  };
}

const NOTHING_TO_COMPARE = 'nothing to compare (hbsim judges only effects that go through the simulated world: world.sink, world.pg, services)';
export const WROTE_NOTHING = `the activity wrote nothing to world.sink, world.pg or a service in the fault-free run: ${NOTHING_TO_COMPARE}`;

/** Nothing the sink, the database or a service holds after the fault-free run: no effect to compare. */
function nothingWritten(reference: SimulationResult): boolean {
  if (reference.sink.size > 0) return false;
  if (reference.database === undefined) return true;
  for (const table of reference.database.values()) if (table.rows.size > 0) return false;
  return true;
}

/** Why `name` has nothing to judge on this scenario, known before any search; `undefined`: it can be judged. */
export function notJudgedBefore(name: PropertyName, scenario: NormalizedScenario, reference: SimulationResult): string | undefined {
  if (name === 'progress-monotonic' && scenario.progress === undefined) return 'the scenario gives no progress(details) function';
  if (reference.outcome.status !== 'completed') return undefined;
  if (name === 'no-skipped-records' && nothingWritten(reference)) return WROTE_NOTHING;
  if (name === 'result' && reference.outcome.result === undefined && scenario.result === undefined) return 'the activity returns nothing (undefined) in the fault-free run';
  return undefined;
}

/** Why a property that held had in fact nothing to judge (known only after the search). */
function notJudgedAfter(name: PropertyName, reference: SimulationResult): string | undefined {
  // Held with an empty reference: no run wrote anything either (a key the reference never wrote is a violation).
  if (name === 'idempotent' && nothingWritten(reference)) return `the activity wrote nothing to world.sink, world.pg or a service, in the fault-free run nor in any run with faults: ${NOTHING_TO_COMPARE}`;
  return undefined;
}

/** `v`, marked not judged if it held with nothing to judge. */
function heldWithNothingToJudge(v: PropertyVerdict, reference: SimulationResult): PropertyVerdict {
  const after = v.ok ? notJudgedAfter(v.name, reference) : undefined;
  return after === undefined ? v : { ...v, notJudged: after };
}

const FAULT_FREE: SearchCase = { world: 0, plan: [] };

/**
 * A `completes` violation whose run gave up on attempts that the plan's faults alone used up
 * (maximumAttempts at most --max-faults, or no cadence policy) is the configuration's verdict, not
 * the activity's: say so.
 */
function decideByConfiguration(properties: PropertyVerdict[], scenario: NormalizedScenario, maxFaults: number): void {
  const i = properties.findIndex((p) => p.name === 'completes' && !p.ok && (p.plan?.length ?? 0) > 0);
  if (i < 0) return;
  const p = properties[i]!;
  const gaveUp = p.result?.outcome !== undefined && 'gaveUp' in p.result.outcome ? p.result.outcome.gaveUp : undefined;
  const r = scenario.options.retry;
  if (r === undefined && gaveUp?.startsWith('no retry policy')) properties[i] = { ...p, decidedBy: 'the configuration: no retry policy, so one crash fails the activity; this says nothing about the activity\'s code' };
  else if (r !== undefined && r.maximumAttempts > 0 && r.maximumAttempts <= maxFaults && gaveUp?.startsWith('maximumAttempts')) {
    properties[i] = { ...p, decidedBy: `the configuration: maximumAttempts ${r.maximumAttempts} with up to ${maxFaults} faults per run, so ${r.maximumAttempts} crashes use up every attempt; this says nothing about the activity's code` };
  }
}

/** The verdict on `name` when the fault-free run itself does not complete: judged on that run alone. */
function onFaultFreeRun(s: Search, name: PropertyName, judged: Judged): PropertyVerdict {
  const violation = judged.violations.get(name);
  if (violation === undefined) return { name, ok: true, runs: 0, notJudged: 'the fault-free run does not complete (see completes), so no run with faults was tried' };
  return { name, ok: false, runs: 1, seed: s.seed, worldSeed: s.runner.worldSeed(FAULT_FREE), plan: FAULT_FREE.plan, violation, result: judged.run, shrinks: 0 };
}

/** Check `scenario` on every property; see {@link CheckOptions}. */
export async function runCheck(scenario: NormalizedScenario, options: CheckOptions = {}): Promise<CheckReport> {
  const s = await prepare(scenario, options);
  const corpus = await replayCorpus(s.runner, options.corpus ?? [], s.every);
  // A fault-free run that does not complete fails `completes` by itself: no search, no shrinking.
  const faultFree = s.reference.outcome.status !== 'completed' ? await s.runner.judge(FAULT_FREE, true) : undefined;
  const exhaustive = options.exhaustive && faultFree === undefined ? await exhaustiveCases(s.runner, s.space, { maxCases: options.maxCases ?? DEFAULT_MAX_CASES, every: s.every, ...(options.kinds ? { kinds: options.kinds } : {}) }) : undefined;
  if (exhaustive === undefined) s.observer?.started?.(s.runs, s.judgedOn(true), s.seed);
  // The pool evaluates the search's cases while the search judges them in order (pipelined).
  let prefill: Promise<void> | undefined;
  let prefilled: readonly SearchCase[] | undefined;
  if (exhaustive === undefined && faultFree === undefined && options.evaluator?.evaluateAll !== undefined && options.firstFailing === undefined) {
    const cases = searchCases(s);
    prefill = s.runner.prefill(cases, s.every, observe(s, (i) => [i, cases[i]!]));
    prefill.catch(() => undefined); // awaited below
    prefilled = cases;
  }
  let properties: PropertyVerdict[];
  try {
    properties = await judgeProperties(s, scenario, options, corpus, faultFree, exhaustive, prefilled);
  } catch (error) {
    await prefill; // the prefill's error first, as when it ran before the search
    throw error;
  }
  await prefill;
  decideByConfiguration(properties, scenario, s.maxFaults);
  const coverage = new CoverageTracker(s.space);
  for (const c of s.runner.simulatedCases()) coverage.add(c);
  // Merged shards simulated the search's cases elsewhere: they are known in advance.
  if (options.firstFailing !== undefined) for (const c of searchCases(s)) coverage.add(c);
  const warnings = configWarnings(scenario, s.reference, s.maxFaults);
  return {
    scenario: scenario.name,
    warnings,
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

/** {@link runCheck}'s verdict on each property, in order (the search may overlap the pool's prefill). */
async function judgeProperties(
  s: Search,
  scenario: NormalizedScenario,
  options: CheckOptions,
  corpus: readonly CorpusResult[],
  faultFree: Judged | undefined,
  exhaustive: { readonly cases: readonly SearchCase[] } | undefined,
  prefilled: readonly SearchCase[] | undefined,
): Promise<PropertyVerdict[]> {
  const properties: PropertyVerdict[] = [];
  for (const name of PROPERTY_NAMES) {
    if (!s.wanted.includes(name)) continue;
    const before = notJudgedBefore(name, scenario, s.reference);
    const regression = corpus.find((r) => r.property === name && r.status === 'fails');
    if (before !== undefined) properties.push({ name, ok: true, runs: 0, notJudged: before });
    else if (faultFree !== undefined) properties.push(onFaultFreeRun(s, name, faultFree));
    else if (regression !== undefined) properties.push({ ...(await verdictFor(s.runner, name, searchCaseOf(s.runner, regression), s.seed, undefined, 1, 0)), corpusFile: regression.file });
    else if (exhaustive !== undefined) properties.push(heldWithNothingToJudge(await firstFailingOf(s, name, exhaustive.cases), s.reference));
    else if (prefilled !== undefined && (await holdsOnEvery(s, name, prefilled))) properties.push(heldWithNothingToJudge({ name, ok: true, runs: s.runs }, s.reference));
    else properties.push(heldWithNothingToJudge(await searchProperty(s, name, options.firstFailing?.get(name)), s.reference));
  }
  return properties;
}

/**
 * Whether no case of the search violates `name`, judged as {@link searchProperty} judges them
 * (`cases` are the ones it draws: `fc.sample` and `fc.check` with the same seed draw the same). If
 * so, its search would find nothing in `s.runs` cases and is not run (fast-check drawing 2,000
 * cases again per property costs the main thread more than looking up their verdicts).
 */
async function holdsOnEvery(s: Search, name: PropertyName, cases: readonly SearchCase[]): Promise<boolean> {
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i]!;
    if ((await s.runner.verdict(name, c, false, s.every)) !== undefined) return false;
    if (name !== 'deterministic' || s.runner.checkedDeterminism(c)) s.observer?.judged?.(i, c, [name], []);
  }
  return true;
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
  const all = searchCases(s);
  // A fault-free run that does not complete is judged by `hbsim merge` alone: nothing to search here.
  const mine = s.reference.outcome.status !== 'completed' ? [] : all.map((c, i) => ({ c, i })).filter(({ i }) => i % count === index - 1);
  s.observer?.started?.(s.runs, s.judgedOn(true), s.seed);
  await s.runner.prefill(mine.map((m) => m.c), s.every, observe(s, (j) => [mine[j]!.i, mine[j]!.c]));
  const firstFailing = {} as Record<PropertyName, number | null>;
  for (const name of PROPERTY_NAMES) {
    firstFailing[name] = null;
    if (!s.wanted.includes(name) || notJudgedBefore(name, scenario, s.reference) !== undefined) continue;
    for (const { c, i } of mine) {
      if ((await s.runner.verdict(name, c, false, s.every)) !== undefined) {
        firstFailing[name] = i;
        break;
      }
    }
  }
  return { scenario: scenario.name, seed: s.seed, runs: s.runs, maxFaults: s.maxFaults, shard: { index, count }, properties: [...s.wanted], firstFailing, simulated: s.runner.simulated };
}

/** The prefill's per-case callback that tells the observer (`at(j)`: the search's index and case of prefilled case j). */
function observe(s: Search, at: (j: number) => [number, SearchCase]): ((j: number, verdicts: Partial<Record<PropertyName, Violation>>, rerun: boolean) => void) | undefined {
  const o = s.observer;
  if (o?.judged === undefined) return undefined;
  return (j, verdicts, rerun) => {
    const [index, c] = at(j);
    const judgedHere = s.judgedOn(rerun);
    o.judged!(index, c, judgedHere, judgedHere.filter((p) => verdicts[p] !== undefined));
  };
}

/** The search's cases in order, known in advance: the boundary cases, then fast-check's draws (`runs` in all). */
function searchCases(s: Search): SearchCase[] {
  return fc.sample(s.arbitrary, { seed: s.seed, numRuns: s.runs, examples: [...s.examples] });
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
      if (!failedOnce && i < s.runs && (name !== 'deterministic' || v !== undefined || s.runner.checkedDeterminism(c))) s.observer?.judged?.(i, c, [name], v === undefined ? [] : [name]);
      if (v !== undefined && !failedOnce) {
        failedOnce = true;
        s.observer?.shrinking?.(name);
      }
      return v === undefined;
    } catch (error) {
      harnessError = error;
      return true;
    }
  });
  const details = await fc.check(property, { seed: s.seed, numRuns: s.runs, examples: s.examples.map((c): [SearchCase] => [c]) });
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
  const examples = boundaryCases(space, kinds).map((c): [SearchCase] => [c]);
  const details = await fc.check(fc.asyncProperty(searchCaseArbitrary(space, maxFaults, kinds), async () => false), { seed, path, numRuns: 1, endOnFailure: true, examples });
  return (details.counterexample?.[0] ?? undefined) as SearchCase | undefined;
}

export { caseKey };
