/**
 * The benchmark runner: for each point of the sweep, simulate the scenario `runs` times under
 * Poisson worker crashes (`poissonCrashes`, lean traces) and reduce each run to a few numbers;
 * then summarise them and put the analytic model's prediction next to them.
 *
 * Run r of every point uses the same seed (common random numbers: the points differ by their
 * parameter, not by luck), derived from the bench seed. Everything in a {@link BenchResult} is
 * a function of the scenario, the settings and the seed: no wall-clock data.
 */
import { HbsimConfigError } from '../../src/errors.js';
import { normalizeScenario, type NormalizedScenario } from '../../src/scenario.js';
import { runScenario } from '../../sim/simulate.js';
import type { Fault } from '../../sim/fault-plan.js';
import { Prng } from '../../sim/prng.js';
import type { SimulationResult } from '../../sim/simulation.js';
import { checkpointModel, checkpointModelInput, type CheckpointModel } from './model.js';
import { applyParams, displayKey, type ParamSetting, type ParamValue, type Sweep } from './params.js';
import { recommend, type Recommendation } from './recommendation.js';
import { summarize, type MeanMetrics, type Summary } from './statistics.js';

export interface BenchSettings {
  /** `--param` settings, applied in order. */
  readonly params: readonly ParamSetting[];
  /** `--sweep`: one point per value (applied after the params); none: one point. */
  readonly sweep?: Sweep;
  /** Mean time between crashes of the worker running an attempt; 0: no crashes. */
  readonly mtbfMs: number;
  /** Heartbeat (and report) RPC latency; undefined: the scenario's. */
  readonly rpcLatencyMs?: number;
  readonly runs: number;
  readonly seed: number;
}

/** One point, ready to run. */
export interface PreparedPoint {
  /** The values set for this point, by key (`--param`s, then the swept key). */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly scenario: NormalizedScenario;
  readonly model: CheckpointModel;
}

/** What one run leaves, reduced. */
export interface RunMetrics {
  /** Completion time (ms from first schedule), or null if the activity did not complete. */
  readonly completionTime: number | null;
  readonly attempts: number;
  readonly crashes: number;
  readonly redone: number;
  readonly effects: number;
  readonly heartbeatCalls: number;
  readonly heartbeatsSent: number;
  readonly detailsStored: number;
  /** Time from each crash to the timeout that detected it. */
  readonly detectionDelays: readonly number[];
}

export interface BenchPoint extends MeanMetrics {
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly runs: number;
  /** Runs that completed (the others ran out of attempts or time; completion times are over completed runs). */
  readonly completed: number;
  readonly completionTime: Summary;
  /** Sink effects that redid a record, over all sink effects. */
  readonly wastedShare: number;
  /** The same point without crashes (one run, the bench seed). */
  readonly faultFree: { readonly completionTime: number | null; readonly heartbeatsSent: number };
  readonly model: CheckpointModel;
}

export interface BenchResult {
  readonly scenario: string;
  readonly seed: number;
  readonly runs: number;
  readonly mtbfMs: number;
  readonly rpcLatencyMs: number | null;
  readonly sweep: { readonly key: string; readonly values: readonly ParamValue[] } | null;
  readonly points: readonly BenchPoint[];
  /** Which point to use, and why (see recommendation.ts). */
  readonly recommendation: Recommendation;
}

/** The seed of run `r` (the same at every point). */
export function runSeed(seed: number, r: number): number {
  return Prng.seeded(seed).fork(`bench-run-${r}`).seed;
}

/**
 * Apply the settings to the scenario (a module's default export) for each point and validate
 * everything before anything runs: unknown keys, bad values and bad durations are
 * {@link HbsimConfigError}s naming the field.
 */
export function prepareBench(rawScenario: unknown, settings: BenchSettings): { readonly name: string; readonly points: readonly PreparedPoint[] } {
  if (!Number.isSafeInteger(settings.runs) || settings.runs < 1) throw new HbsimConfigError('--runs', settings.runs, 'an integer >= 1');
  if (!Number.isSafeInteger(settings.seed)) throw new HbsimConfigError('--seed', settings.seed, 'an integer');
  if (!(settings.mtbfMs >= 0) || !Number.isFinite(settings.mtbfMs)) throw new HbsimConfigError('--mtbf', settings.mtbfMs, 'a duration >= 0');
  const base = settings.rpcLatencyMs === undefined ? [] : [{ key: 'world.latency.rpc', value: settings.rpcLatencyMs, text: String(settings.rpcLatencyMs) }];
  const raw = applyParams(rawScenario, [...base, ...settings.params]);
  const swept: (ParamSetting | undefined)[] = settings.sweep === undefined ? [undefined] : [...settings.sweep.values];
  const points = swept.map((value) => {
    const scenario = normalizeScenario(value === undefined ? raw : applyParams(raw, [value], '--sweep'));
    const params: Record<string, ParamValue> = {};
    for (const s of [...settings.params, ...(value === undefined ? [] : [value])]) params[displayKey(s.key)] = s.value;
    return { params, scenario, model: modelFor(scenario, settings.mtbfMs) };
  });
  return { name: points[0]!.scenario.name, points };
}

function modelFor(scenario: NormalizedScenario, mtbfMs: number): CheckpointModel {
  const input = checkpointModelInput(scenario, mtbfMs);
  return 'reason' in input ? { applicable: false, reason: input.reason } : checkpointModel(input.input);
}

/** Reduce one simulation to its {@link RunMetrics}. */
export function metricsOf(result: SimulationResult): RunMetrics {
  const crashedAt = new Map<number, number>();
  const detectionDelays: number[] = [];
  for (const e of result.trace) {
    if (e.type === 'crash' && e.attempt > 0) crashedAt.set(e.attempt, e.t);
    else if (e.type === 'attemptTimedOut') {
      const t = crashedAt.get(e.attempt);
      if (t !== undefined) {
        detectionDelays.push(e.t - t);
        crashedAt.delete(e.attempt);
      }
    }
  }
  const c = result.counts;
  return {
    completionTime: result.outcome.status === 'completed' ? result.outcome.at : null,
    attempts: c.attempts,
    crashes: c.crashes,
    redone: c.recordsRedone,
    effects: c.effects,
    heartbeatCalls: c.heartbeatCalls,
    heartbeatsSent: c.heartbeatsSent,
    detailsStored: c.detailsStored,
    detectionDelays,
  };
}

/** The faults of a bench run. */
export function benchFaults(mtbfMs: number): Fault[] {
  return mtbfMs > 0 ? [{ kind: 'poissonCrashes', mtbfMs }] : [];
}

/** Run `runs` simulations of one point (runs `from` .. `to - 1`), sequentially, in this thread. */
export async function simulateRuns(scenario: NormalizedScenario, settings: Pick<BenchSettings, 'mtbfMs' | 'seed'>, from: number, to: number, onRun?: () => void): Promise<RunMetrics[]> {
  const faults = benchFaults(settings.mtbfMs);
  const out: RunMetrics[] = [];
  for (let r = from; r < to; r++) {
    out.push(metricsOf(await runScenario(scenario, { seed: runSeed(settings.seed, r), faults, trace: 'lean' })));
    onRun?.();
  }
  return out;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const avg = (xs: readonly number[]): number => (xs.length === 0 ? NaN : sum(xs) / xs.length);

/** Summarise the runs of one point. */
export function summarizePoint(point: PreparedPoint, runs: readonly RunMetrics[], faultFree: RunMetrics): BenchPoint {
  const times = runs.flatMap((r) => (r.completionTime === null ? [] : [r.completionTime]));
  const crashes = avg(runs.map((r) => r.crashes));
  const redone = avg(runs.map((r) => r.redone));
  const delays = runs.flatMap((r) => r.detectionDelays);
  const effects = sum(runs.map((r) => r.effects));
  return {
    params: point.params,
    runs: runs.length,
    completed: times.length,
    completionTime: summarize(times),
    attempts: { mean: avg(runs.map((r) => r.attempts)) },
    crashes: { mean: crashes },
    redoneRecords: { mean: redone, perCrash: crashes > 0 ? redone / crashes : null },
    heartbeatCalls: { mean: avg(runs.map((r) => r.heartbeatCalls)) },
    heartbeatsSent: { mean: avg(runs.map((r) => r.heartbeatsSent)) },
    detailsStored: { mean: avg(runs.map((r) => r.detailsStored)) },
    detectionDelay: { mean: delays.length > 0 ? avg(delays) : null },
    wastedShare: effects > 0 ? sum(runs.map((r) => r.redone)) / effects : 0,
    faultFree: { completionTime: faultFree.completionTime, heartbeatsSent: faultFree.heartbeatsSent },
    model: point.model,
  };
}

/**
 * What runs the simulations of a point: in this thread by default, or in a pool of threads (then
 * no simulation may run in this thread: it would fake the timers the pool uses).
 */
export interface PointRunner {
  /** Runs `from` .. `to - 1` of point `index`, in run order. */
  runs(point: PreparedPoint, index: number, settings: BenchSettings, onRun: () => void, from: number, to: number): Promise<RunMetrics[]>;
  /** The point without crashes (seed: the bench seed). */
  faultFree(point: PreparedPoint, index: number, settings: BenchSettings): Promise<RunMetrics>;
}

/** The fault-free run of a point. */
export async function simulateFaultFree(scenario: NormalizedScenario, seed: number): Promise<RunMetrics> {
  return metricsOf(await runScenario(scenario, { seed, trace: 'lean' }));
}

const inThisThread: PointRunner = {
  runs: (point, _index, settings, onRun, from, to) => simulateRuns(point.scenario, settings, from, to, onRun),
  faultFree: (point, _index, settings) => simulateFaultFree(point.scenario, settings.seed),
};

/** The raw material of a benchmark (or of one shard of it): every run's metrics, per point. */
export interface CollectedBench {
  readonly name: string;
  readonly points: readonly PreparedPoint[];
  /** Per point, the metrics of runs `from` .. `to - 1`, in run order. */
  readonly runs: readonly (readonly RunMetrics[])[];
  /** Per point, the fault-free run. */
  readonly faultFree: readonly RunMetrics[];
}

/**
 * Simulate runs `range.from` .. `range.to - 1` (default: all) of every point of the benchmark of
 * `rawScenario` (a module's default export). `onProgress(done, total)` is called after every run.
 */
export async function collectBench(
  rawScenario: unknown,
  settings: BenchSettings,
  options: { readonly onProgress?: (done: number, total: number) => void; readonly runner?: PointRunner; readonly range?: { readonly from: number; readonly to: number } } = {},
): Promise<CollectedBench> {
  const { name, points } = prepareBench(rawScenario, settings);
  const from = options.range?.from ?? 0;
  const to = options.range?.to ?? settings.runs;
  const total = points.length * (to - from);
  let done = 0;
  const onRun = (): void => {
    done++;
    options.onProgress?.(done, total);
  };
  const runner = options.runner ?? inThisThread;
  const runs: RunMetrics[][] = [];
  const faultFree: RunMetrics[] = [];
  for (const [i, point] of points.entries()) {
    runs.push(await runner.runs(point, i, settings, onRun, from, to));
    faultFree.push(await runner.faultFree(point, i, settings));
  }
  return { name, points, runs, faultFree };
}

/** Summarise every point and recommend one, from all the runs. */
export function assembleBench(settings: BenchSettings, collected: CollectedBench): BenchResult {
  const out = collected.points.map((point, i) => summarizePoint(point, collected.runs[i]!, collected.faultFree[i]!));
  const key = settings.sweep === undefined ? null : displayKey(settings.sweep.key);
  const recommendation = recommend(out.map((p, i) => ({
    params: p.params,
    times: collected.runs[i]!.map((r) => r.completionTime),
    heartbeatsSent: p.heartbeatsSent.mean,
    heartbeatCalls: p.heartbeatCalls.mean,
    redonePerCrash: p.redoneRecords.perCrash,
    p95: p.completionTime.p95,
    faultFree: p.faultFree.completionTime,
    modelMean: p.model.applicable ? p.model.completionTime.mean : null,
    modelTerms: p.model.applicable ? p.model.terms : null,
  })), key);
  return {
    scenario: collected.name,
    seed: settings.seed,
    runs: settings.runs,
    mtbfMs: settings.mtbfMs,
    rpcLatencyMs: settings.rpcLatencyMs ?? null,
    sweep: settings.sweep === undefined || key === null ? null : { key, values: settings.sweep.values.map((v) => v.value) },
    points: out,
    recommendation,
  };
}

/**
 * Run the benchmark of `rawScenario` (a module's default export). `onProgress(done, total)`
 * is called after every run.
 */
export async function runBench(rawScenario: unknown, settings: BenchSettings, options: { readonly onProgress?: (done: number, total: number) => void; readonly runner?: PointRunner } = {}): Promise<BenchResult> {
  return assembleBench(settings, await collectBench(rawScenario, settings, options));
}
