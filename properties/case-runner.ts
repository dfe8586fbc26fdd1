/**
 * Running search cases and caching their verdicts: each case (a world seed offset and a fault
 * plan) is simulated once, judged on every property at once, and the verdicts are kept, so that
 * the six property searches, which draw the same cases, cost one simulation per case.
 *
 * Where the lean runs happen is pluggable ({@link CaseEvaluator}): in this thread, or in a pool
 * of worker threads with a watchdog (properties/pool.ts). Full-trace runs, for explanations and
 * timelines, always run here.
 */
import type { NormalizedScenario } from '../src/scenario.js';
import { runScenario } from '../sim/simulate.js';
import type { SimulateOptions, SimulationResult } from '../sim/simulation.js';
import { CHECKERS } from './checkers/index.js';
import type { SearchCase } from './arbitraries/fault-plan.js';
import type { PropertyName, RunCase, Violation } from './types.js';
import { equivalenceKey } from './exhaustive.js';

/**
 * A check's runs stop (outcome `timeLimit`) rather than start attempt 101: an activity that fails
 * on every attempt under a policy that never gives up is reported at once instead of retrying
 * through 30 virtual days (tens of thousands of attempts, many seconds of wall time).
 */
export const CHECK_ATTEMPT_LIMIT = 100;

/**
 * Violations per property (`undefined`: holds), and the run's equivalence key (what it reached:
 * properties/exhaustive.ts). Plain data: crosses thread boundaries.
 */
export type Verdicts = Partial<Record<PropertyName, Violation>> & { readonly equivalence?: string };

/** Where lean runs of cases happen. */
export interface CaseEvaluator {
  /** The fault-free reference run of a world seed (full trace). */
  reference(worldSeed: number): Promise<SimulationResult>;
  /** Run `c` (lean trace), re-run it too if `rerun` (determinism), and judge it. */
  evaluate(c: SearchCase, rerun: boolean): Promise<Verdicts>;
  /** Many cases at once (a pool runs them in parallel); results in order. */
  evaluateAll?(cases: readonly { readonly c: SearchCase; readonly rerun: boolean }[], onEach?: (i: number, verdicts: Verdicts) => void): Promise<Verdicts[]>;
  close?(): Promise<void>;
}

/** Is case `key` one of those whose determinism is re-checked (every k-th, by hash)? */
export function rechecksDeterminism(key: string, every: number): boolean {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % every === 0;
}

export function caseKey(c: SearchCase): string {
  return JSON.stringify(c);
}

/** Judge a run against its reference on every property. */
export function judgeRun(scenario: NormalizedScenario, reference: SimulationResult, run: SimulationResult, c: SearchCase, rerun: SimulationResult | undefined): Verdicts {
  const rc: RunCase = { scenario, reference, run, plan: c.plan, ...(rerun ? { rerun } : {}) };
  const verdicts: Verdicts = {};
  for (const checker of CHECKERS) {
    const v = checker.check(rc);
    if (v !== undefined) verdicts[checker.name] = v;
  }
  return verdicts;
}

/** Runs cases in this thread. */
export class LocalEvaluator implements CaseEvaluator {
  private readonly references = new Map<number, Promise<SimulationResult>>();

  constructor(
    readonly scenario: NormalizedScenario,
    readonly baseSeed: number,
    /** `lean` in pool workers: judging needs the reference's sink and events, not its effects. */
    private readonly referenceTrace: 'full' | 'lean' = 'full',
  ) {}

  /** `extra`: watchdog hooks (progress, stepLimit) for a run in a pool worker. */
  reference(worldSeed: number, extra: Partial<SimulateOptions> = {}): Promise<SimulationResult> {
    let r = this.references.get(worldSeed);
    if (r === undefined) {
      r = runScenario(this.scenario, { ...extra, seed: worldSeed, inspectDetails: true, trace: this.referenceTrace, callLog: this.referenceTrace === 'full', attemptLimit: CHECK_ATTEMPT_LIMIT });
      this.references.set(worldSeed, r);
    }
    return r;
  }

  async evaluate(c: SearchCase, rerun: boolean, extra: Partial<SimulateOptions> = {}): Promise<Verdicts> {
    const worldSeed = (this.baseSeed + c.world) | 0;
    const reference = await this.reference(worldSeed, extra);
    const options = { ...extra, seed: worldSeed, faults: c.plan, inspectDetails: true, trace: 'lean', attemptLimit: CHECK_ATTEMPT_LIMIT } as const;
    const run = await runScenario(this.scenario, options);
    const again = rerun ? await runScenario(this.scenario, options) : undefined;
    return { ...judgeRun(this.scenario, reference, run, c, again), equivalence: equivalenceKey(run) };
  }
}

export interface Judged {
  readonly run: SimulationResult;
  readonly rerun?: SimulationResult;
  readonly violations: Map<PropertyName, Violation | undefined>;
  readonly reference: SimulationResult;
}

/** Runs and judges cases, caching verdicts; see the module doc. */
export class CaseRunner {
  private readonly verdicts = new Map<string, Verdicts>();
  private readonly determinism = new Map<string, Violation | undefined>();
  /** Cases a prefill is evaluating: settled when their verdicts are remembered. */
  private readonly pending = new Map<string, Promise<void>>();
  /** Every case simulated, in the order first simulated (a prefill's cases in its order, from its start). */
  private readonly order = new Set<string>();
  /** The prefill in progress, if any. */
  private prefilling: Promise<void> | undefined;
  readonly evaluator: CaseEvaluator;
  simulated = 0;

  constructor(
    readonly scenario: NormalizedScenario,
    readonly baseSeed: number,
    private readonly onProgress?: (simulated: number) => void,
    evaluator?: CaseEvaluator,
  ) {
    this.evaluator = evaluator ?? new LocalEvaluator(scenario, baseSeed);
  }

  reference(worldSeed: number): Promise<SimulationResult> {
    return this.evaluator.reference(worldSeed);
  }

  worldSeed(c: SearchCase): number {
    return (this.baseSeed + c.world) | 0;
  }

  /** Run one case here with a full trace (for explanations and timelines) and judge it. */
  async judge(c: SearchCase, rerun: boolean): Promise<Judged> {
    // Never while a prefill runs: a simulation in this thread installs its virtual clock here.
    await this.prefilling;
    const worldSeed = this.worldSeed(c);
    const reference = await this.reference(worldSeed);
    const options = { seed: worldSeed, faults: c.plan, inspectDetails: true, trace: 'full', attemptLimit: CHECK_ATTEMPT_LIMIT } as const;
    const run = await runScenario(this.scenario, options);
    const again = rerun ? await runScenario(this.scenario, options) : undefined;
    const verdicts = judgeRun(this.scenario, reference, run, c, again);
    const violations = new Map<PropertyName, Violation | undefined>(CHECKERS.map((k) => [k.name, verdicts[k.name]]));
    return { run, ...(again ? { rerun: again } : {}), violations, reference };
  }

  /** The equivalence key of a case already evaluated (properties/exhaustive.ts). */
  equivalence(c: SearchCase): string | undefined {
    return this.verdicts.get(caseKey(c))?.equivalence;
  }

  /** Every case simulated so far, in the order first simulated (for coverage). */
  simulatedCases(): SearchCase[] {
    return [...this.order].filter((k) => this.verdicts.has(k)).map((k) => JSON.parse(k) as SearchCase);
  }

  /** Record verdicts computed elsewhere (a pool's prefill). */
  remember(c: SearchCase, rerun: boolean, verdicts: Verdicts): void {
    this.rememberKey(caseKey(c), rerun, verdicts);
  }

  private rememberKey(key: string, rerun: boolean, verdicts: Verdicts): void {
    this.order.add(key);
    this.verdicts.set(key, verdicts);
    if (rerun) this.determinism.set(key, verdicts.deterministic);
  }

  private count(n: number): void {
    this.simulated += n;
    this.onProgress?.(this.simulated);
  }

  /** Whether case `c`'s determinism was checked (it was re-run). */
  checkedDeterminism(c: SearchCase): boolean {
    return this.determinism.has(caseKey(c));
  }

  /** The verdict of `property` on case `c` (simulating it on first use). */
  async verdict(property: PropertyName, c: SearchCase, forceRerun: boolean, every: number): Promise<Violation | undefined> {
    const key = caseKey(c);
    // A case the prefill is evaluating: its verdicts, as if the prefill had ended before.
    const pending = this.pending.get(key);
    if (pending !== undefined) await pending;
    if (property === 'deterministic') {
      if (this.determinism.has(key)) return this.determinism.get(key);
      if (!forceRerun && !rechecksDeterminism(key, every)) return undefined;
      const verdicts = await this.evaluator.evaluate(c, true);
      this.count(2);
      this.rememberKey(key, true, verdicts);
      return verdicts.deterministic;
    }
    let v = this.verdicts.get(key);
    if (v === undefined) {
      v = await this.evaluator.evaluate(c, false);
      this.count(1);
      this.order.add(key);
      this.verdicts.set(key, v);
    }
    return v[property];
  }

  /**
   * Evaluate many cases up front (in parallel where the evaluator can), filling the cache;
   * `onCase(i, verdicts, rerun)` as case `cases[i]` is judged (in any order).
   *
   * The search may run while a pool's prefill is in progress: {@link verdict} on one of its cases
   * waits for that case alone, and gives what it would give after the whole prefill (each
   * verdict depends on its case only; the cases simulated keep the order they would have).
   */
  prefill(cases: readonly SearchCase[], every: number, onCase?: (i: number, verdicts: Verdicts, rerun: boolean) => void): Promise<void> {
    const todo = cases.map((c, i) => ({ c, i, key: caseKey(c), rerun: false })).filter((t) => !this.verdicts.has(t.key));
    for (const t of todo) t.rerun = rechecksDeterminism(t.key, every);
    if (todo.length === 0) return Promise.resolve();
    if (this.evaluator.evaluateAll === undefined) return this.prefillHere(todo, onCase);
    // Each case's verdicts count once all its copies (fast-check may draw a case twice) are back:
    // then they are the last copy's, as they would be after the whole prefill.
    const copies = new Map<string, { left: number; last: number; resolve: () => void; reject: (e: unknown) => void }>();
    todo.forEach((t, j) => {
      this.order.add(t.key);
      const k = copies.get(t.key);
      if (k !== undefined) {
        k.left++;
        k.last = j;
        return;
      }
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const p = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      p.catch(() => undefined); // the prefill's own promise reports the error
      this.pending.set(t.key, p);
      copies.set(t.key, { left: 1, last: j, resolve, reject });
    });
    const answers: Verdicts[] = [];
    const run = this.evaluator.evaluateAll(todo.map((t) => ({ c: t.c, rerun: t.rerun })), (j, v) => {
      const t = todo[j]!;
      answers[j] = v;
      this.count(1);
      onCase?.(t.i, v, t.rerun);
      const k = copies.get(t.key)!;
      if (--k.left > 0) return;
      this.rememberKey(t.key, t.rerun, answers[k.last]!);
      this.pending.delete(t.key);
      k.resolve();
    });
    const prefilling = run.then(
      (results) => {
        // Every case, in order, as the evaluator answered (the same answers as above).
        todo.forEach((t, j) => this.rememberKey(t.key, t.rerun, results[j]!));
      },
      (error: unknown) => {
        for (const [key, k] of copies) if (this.pending.delete(key)) k.reject(error);
        throw error;
      },
    );
    this.prefilling = prefilling.then(
      () => undefined,
      () => undefined,
    );
    return prefilling;
  }

  private async prefillHere(todo: readonly { readonly c: SearchCase; readonly i: number; readonly rerun: boolean }[], onCase?: (i: number, verdicts: Verdicts, rerun: boolean) => void): Promise<void> {
    for (const t of todo) {
      const v = await this.evaluator.evaluate(t.c, t.rerun);
      this.remember(t.c, t.rerun, v);
      this.count(t.rerun ? 2 : 1);
      onCase?.(t.i, v, t.rerun);
    }
  }
}
