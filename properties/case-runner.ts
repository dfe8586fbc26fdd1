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
  evaluateAll?(cases: readonly { readonly c: SearchCase; readonly rerun: boolean }[], onEach?: () => void): Promise<Verdicts[]>;
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
      r = runScenario(this.scenario, { ...extra, seed: worldSeed, inspectDetails: true, trace: this.referenceTrace });
      this.references.set(worldSeed, r);
    }
    return r;
  }

  async evaluate(c: SearchCase, rerun: boolean, extra: Partial<SimulateOptions> = {}): Promise<Verdicts> {
    const worldSeed = (this.baseSeed + c.world) | 0;
    const reference = await this.reference(worldSeed, extra);
    const options = { ...extra, seed: worldSeed, faults: c.plan, inspectDetails: true, trace: 'lean' } as const;
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
    const worldSeed = this.worldSeed(c);
    const reference = await this.reference(worldSeed);
    const options = { seed: worldSeed, faults: c.plan, inspectDetails: true, trace: 'full' } as const;
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
    return [...this.verdicts.keys()].map((k) => JSON.parse(k) as SearchCase);
  }

  /** Record verdicts computed elsewhere (a pool's prefill). */
  remember(c: SearchCase, rerun: boolean, verdicts: Verdicts): void {
    const key = caseKey(c);
    this.verdicts.set(key, verdicts);
    if (rerun) this.determinism.set(key, verdicts.deterministic);
  }

  private count(n: number): void {
    this.simulated += n;
    this.onProgress?.(this.simulated);
  }

  /** The verdict of `property` on case `c` (simulating it on first use). */
  async verdict(property: PropertyName, c: SearchCase, forceRerun: boolean, every: number): Promise<Violation | undefined> {
    const key = caseKey(c);
    if (property === 'deterministic') {
      if (this.determinism.has(key)) return this.determinism.get(key);
      if (!forceRerun && !rechecksDeterminism(key, every)) return undefined;
      const verdicts = await this.evaluator.evaluate(c, true);
      this.count(2);
      this.remember(c, true, verdicts);
      return verdicts.deterministic;
    }
    let v = this.verdicts.get(key);
    if (v === undefined) {
      v = await this.evaluator.evaluate(c, false);
      this.count(1);
      this.verdicts.set(key, v);
    }
    return v[property];
  }

  /** Evaluate many cases up front (in parallel where the evaluator can), filling the cache. */
  async prefill(cases: readonly SearchCase[], every: number): Promise<void> {
    const todo = cases.filter((c) => !this.verdicts.has(caseKey(c))).map((c) => ({ c, rerun: rechecksDeterminism(caseKey(c), every) }));
    if (todo.length === 0) return;
    if (this.evaluator.evaluateAll === undefined) {
      for (const t of todo) {
        this.remember(t.c, t.rerun, await this.evaluator.evaluate(t.c, t.rerun));
        this.count(t.rerun ? 2 : 1);
      }
      return;
    }
    const results = await this.evaluator.evaluateAll(todo, () => this.count(1));
    todo.forEach((t, i) => this.remember(t.c, t.rerun, results[i]!));
  }
}
