/**
 * Running the search's cases in a pool of worker threads (tinypool), each run under a
 * wall-clock watchdog: a run that does not finish within `timeoutMs` (an activity stuck in a
 * synchronous loop, or in something that escapes the simulation) is stopped by terminating its
 * thread, and reported with its case and the last events of its trace. Those are recovered by
 * replaying the same case, deterministically, up to just before the step where it hung.
 */
import { availableParallelism } from 'node:os';
import Tinypool from 'tinypool';
import { workerFile } from './worker-file.js';
import { throwIfConfigErrorWire } from '../src/errors.js';
import type { SimulationResult } from '../sim/simulation.js';
import { describeFault } from '../sim/fault-plan.js';
import { formatTime } from '../sim/trace.js';
import type { SearchCase } from './arbitraries/fault-plan.js';
import type { CaseEvaluator, Verdicts } from './case-runner.js';
import type { PoolScenarioRef, PoolTask, TailAnswer } from './pool-task.js';

// Real timers and clock, captured before any simulation installs virtual ones in this thread.
const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;
const realNow = Date.now;

/** A thread may spend this long on a task outside any run (loading the scenario module, checkers) before it is reported. */
export const OUTSIDE_RUN_LIMIT_MS = 120_000;
/** The replay that recovers a hung run's last events is bounded by the larger of this and twice --timeout. */
const TAIL_LIMIT_MS = 10_000;
/** Cases per task at most (a task costs a message round trip; small batches balance the threads). */
const MAX_BATCH = 32;
/** Aim for at least this many batches per thread, so that threads finish together. */
const BATCHES_PER_THREAD = 8;

/** Which case of a task's batch is at index i (a single-case task has none). */
type CaseOf = (index: number) => { readonly c: SearchCase; readonly worldSeed: number };

/** A run stopped by the watchdog. */
export class RunTimeoutError extends Error {
  override readonly name = 'RunTimeoutError';
  constructor(
    readonly worldSeed: number,
    readonly c: SearchCase | null,
    readonly timeoutMs: number,
    readonly steps: number,
    readonly virtualTime: number,
    readonly lastEvents: readonly string[],
    /** The longest a finished run took so far (wall ms), if any finished. */
    readonly longestFinishedMs?: number,
  ) {
    super(
      [
        `a run did not finish within ${formatLimit(timeoutMs)} of wall time (--timeout), measured from its start: the activity is stuck in synchronous code (an endless loop?) or awaits something that escapes the simulation${
          longestFinishedMs === undefined
            ? c === null
              ? '; or the limit is too small for even the fault-free run of this scenario: if so, raise --timeout'
              : '; no run had finished yet to compare it with: if this one is not stuck, raise --timeout'
            : `; the runs that finished took up to about ${formatLimit(longestFinishedMs)}${longestFinishedMs * 2 > timeoutMs ? ': if this one is not stuck, raise --timeout' : ''}`
        }`,
        `  world seed ${worldSeed}, ${c === null ? 'the fault-free reference run' : c.plan.length === 0 ? 'no fault' : `fault plan: ${c.plan.map((f) => describeFault(f, formatTime)).join('; ')}`}`,
        `  it hung in step ${steps} of the simulation, at virtual time ${formatTime(virtualTime)}; its last events:`,
        ...lastEvents.map((e) => `    ${e}`),
      ].join('\n'),
    );
  }
}

/** A worker thread that spent too long on a task outside any run (it never started one). */
export class WorkerStallError extends Error {
  override readonly name = 'WorkerStallError';
  constructor(readonly limitMs: number) {
    super(`a worker thread spent ${formatLimit(limitMs)} on a task without running a simulation: loading the scenario module (or a checker) hangs; does the module do work at import time?`);
  }
}

/** `2 s`, `0.005 s`. */
function formatLimit(ms: number): string {
  return `${Number((ms / 1000).toPrecision(6))} s`;
}

/** One task under the watchdog. */
interface Watched {
  readonly progress: Float64Array;
  readonly controller: AbortController;
  readonly limitMs: number;
  /** The run being timed ([2] when it was first seen running) and when (wall ms). */
  run: number;
  runSeenAt: number;
  /** Since when (wall ms) the task has been taken but no run was in progress. */
  outsideSince: number | undefined;
  why: 'run' | 'outside' | undefined;
}

/** Default worker count: the machine's cores. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

export interface PoolOptions extends PoolScenarioRef {
  readonly workers: number;
  readonly timeoutMs: number;
}

export class PoolEvaluator implements CaseEvaluator {
  private readonly pool: Tinypool;
  private readonly references = new Map<number, Promise<SimulationResult>>();
  private readonly watched = new Set<Watched>();
  private ticker: ReturnType<typeof setInterval> | undefined;
  /** The first watchdog error (once its hung run's last events are recovered): every task still running or queued is then stopped, and every later one refused with it. */
  private stopping: Promise<Error> | undefined;
  /** The longest a finished run took (wall ms), for the message of a timeout. */
  private longestFinishedMs: number | undefined;

  constructor(private readonly options: PoolOptions) {
    // Every thread starts at once (each loads the scenario while the others do).
    this.pool = new Tinypool({ filename: workerFile(import.meta.url, 'pool-worker', '../dist/properties/pool-worker.js'), minThreads: options.workers, maxThreads: options.workers, isolateWorkers: false });
    // Each thread loads the scenario at once, while the caller (which loads it too) and the
    // reference run go on, instead of on its first case. A failure is not reported here: the
    // thread keeps it and answers the next task with it (a stall still stops the pool).
    for (let i = 0; i < options.workers; i++) this.watch(this.task({ kind: 'load' }), null, options.baseSeed).catch(() => undefined);
  }

  private task(extra: Record<string, unknown>): PoolTask {
    const { file, profile, baseSeed } = this.options;
    return { file, ...(profile !== undefined ? { profile } : {}), baseSeed, progress: new Float64Array(new SharedArrayBuffer(6 * 8)), ...extra } as PoolTask;
  }

  /**
   * The watchdog's tick: each run is timed from when it is first seen in progress (not from when
   * its task was queued, nor while its thread starts and loads the scenario), to a resolution of
   * the tick, a quarter of the limit at most.
   */
  private tick(): void {
    const now = realNow();
    for (const w of this.watched) {
      const p = w.progress;
      if (p[3] === 1) {
        w.outsideSince = undefined;
        if (p[2] !== w.run) {
          if (w.runSeenAt > 0) this.finished(now - w.runSeenAt);
          w.run = p[2]!;
          w.runSeenAt = now;
        } else if (now - w.runSeenAt > w.limitMs) {
          w.why = 'run';
          w.controller.abort();
        }
      } else if (p[4] === 1) {
        if (w.run > 0 && w.runSeenAt > 0) this.finished(now - w.runSeenAt);
        w.runSeenAt = 0;
        w.outsideSince ??= now;
        if (now - w.outsideSince > OUTSIDE_RUN_LIMIT_MS) {
          w.why = 'outside';
          w.controller.abort();
        }
      }
    }
  }

  /** A run ended: `ms` is its duration to the watchdog's resolution (a tick and the gap to the next run), so never above the limit it ran under. */
  private finished(ms: number): void {
    ms = Math.min(ms, this.options.timeoutMs);
    if (this.longestFinishedMs === undefined || ms > this.longestFinishedMs) this.longestFinishedMs = ms;
  }

  private watchStart(w: Watched): void {
    this.watched.add(w);
    if (this.ticker === undefined) {
      const every = Math.max(1, Math.min(100, Math.floor(this.options.timeoutMs / 4)));
      this.ticker = realSetInterval(() => this.tick(), every);
      this.ticker.unref?.();
    }
  }

  private watchEnd(w: Watched): void {
    this.watched.delete(w);
    if (this.watched.size === 0 && this.ticker !== undefined) {
      realClearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  /** Run a task; each run in it is limited to `limitMs` of wall time. */
  private async watch<T>(task: PoolTask, c: SearchCase | null, worldSeed: number, limitMs = this.options.timeoutMs, caseOf?: CaseOf): Promise<T> {
    if (this.stopping !== undefined) throw await this.stopping;
    const w: Watched = { progress: task.progress, controller: new AbortController(), limitMs, run: 0, runSeenAt: 0, outsideSince: undefined, why: undefined };
    this.watchStart(w);
    try {
      const answer: unknown = await this.pool.run(task, { signal: w.controller.signal });
      throwIfConfigErrorWire(answer);
      return answer as T;
    } catch (error) {
      if (!w.controller.signal.aborted) throw error;
      // Stopped because another task's run hung: end with that one's error.
      if (w.why === undefined) throw this.stopping === undefined ? error : await this.stopping;
      if (this.stopping === undefined) {
        // Stop every other task first (the replay below must not be stopped with them).
        for (const other of this.watched) if (other !== w) other.controller.abort();
        // In a batch, the case that hung is the one it was running.
        if (caseOf !== undefined) ({ c, worldSeed } = caseOf(task.progress[5]!));
        this.stopping = w.why === 'outside' ? Promise.resolve(new WorkerStallError(OUTSIDE_RUN_LIMIT_MS)) : this.timeoutError(task, c, worldSeed);
      }
      throw await this.stopping;
    } finally {
      this.watchEnd(w);
    }
  }

  /** The error for the run of `task` that hung, with its last events (replayed up to the step before it hung). */
  private async timeoutError(task: PoolTask, c: SearchCase | null, worldSeed: number): Promise<Error> {
    const steps = task.progress[0]!;
    const at = task.progress[1]!;
    const longest = this.longestFinishedMs;
    let lastEvents: readonly string[] = ['(could not be recovered)'];
    try {
      const tail = this.task({ kind: 'tail', c, worldSeed, stepLimit: Math.max(0, steps - 1) });
      lastEvents = (await this.tailRun(tail, Math.max(TAIL_LIMIT_MS, 2 * this.options.timeoutMs))).lastEvents;
    } catch {
      // the replay hung too: report without the events
    }
    return new RunTimeoutError(worldSeed, c, this.options.timeoutMs, steps, at, lastEvents, longest);
  }

  /** The replay of a hung run up to the step before it hung, under its own limit (the pool is otherwise stopped). */
  private async tailRun(task: PoolTask, limitMs: number): Promise<TailAnswer> {
    const w: Watched = { progress: task.progress, controller: new AbortController(), limitMs, run: 0, runSeenAt: 0, outsideSince: undefined, why: undefined };
    this.watchStart(w);
    try {
      return (await this.pool.run(task, { signal: w.controller.signal })) as TailAnswer;
    } finally {
      this.watchEnd(w);
    }
  }

  reference(worldSeed: number): Promise<SimulationResult> {
    let r = this.references.get(worldSeed);
    if (r === undefined) {
      r = this.watch<SimulationResult>(this.task({ kind: 'reference', worldSeed }), null, worldSeed);
      this.references.set(worldSeed, r);
    }
    return r;
  }

  evaluate(c: SearchCase, rerun: boolean): Promise<Verdicts> {
    return this.watch<Verdicts>(this.task({ kind: 'evaluate', c, rerun }), c, (this.options.baseSeed + c.world) | 0);
  }

  /** Cases in batches (a task per batch), results in order; `onEach(i, verdicts)` as each batch comes back. */
  async evaluateAll(cases: readonly { readonly c: SearchCase; readonly rerun: boolean }[], onEach?: (i: number, verdicts: Verdicts) => void): Promise<Verdicts[]> {
    const size = Math.max(1, Math.min(MAX_BATCH, Math.ceil(cases.length / (this.options.workers * BATCHES_PER_THREAD))));
    const starts: number[] = [];
    for (let i = 0; i < cases.length; i += size) starts.push(i);
    const results = await Promise.all(
      starts.map(async (start) => {
        const batch = cases.slice(start, start + size);
        const caseOf: CaseOf = (i) => ({ c: batch[i]!.c, worldSeed: (this.options.baseSeed + batch[i]!.c.world) | 0 });
        const first = caseOf(0);
        const verdicts = await this.watch<Verdicts[]>(this.task({ kind: 'evaluateBatch', cases: batch }), first.c, first.worldSeed, this.options.timeoutMs, caseOf);
        for (let i = 0; i < batch.length; i++) onEach?.(start + i, verdicts[i]!);
        return verdicts;
      }),
    );
    return results.flat();
  }

  async close(): Promise<void> {
    if (this.ticker !== undefined) realClearInterval(this.ticker);
    this.ticker = undefined;
    await this.pool.destroy();
  }
}
