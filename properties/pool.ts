/**
 * Running the search's cases in a pool of worker threads (tinypool), each run under a
 * wall-clock watchdog: a run that does not finish within `timeoutMs` (an activity stuck in a
 * synchronous loop, or in something that escapes the simulation) is stopped by terminating its
 * thread, and reported with its case and the last events of its trace. Those are recovered by
 * replaying the same case, deterministically, up to just before the step where it hung.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import type { SimulationResult } from '../sim/simulation.js';
import { describeFault } from '../sim/fault-plan.js';
import { formatTime } from '../sim/trace.js';
import type { SearchCase } from './arbitraries/fault-plan.js';
import type { CaseEvaluator, Verdicts } from './case-runner.js';
import type { PoolScenarioRef, PoolTask, TailAnswer } from './pool-task.js';

// Real timers and clock, captured before any simulation installs virtual ones in this thread.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const wallNow = Date.now;

/** How long a thread may take to load the scenario (tsx and the module) at least. */
const LOAD_LIMIT_MS = 60_000;
/** Cases per task at most (a task costs a message round trip; small batches balance the threads). */
const MAX_BATCH = 32;
/** Aim for at least this many batches per thread, so that threads finish together. */
const BATCHES_PER_THREAD = 8;

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
  ) {
    super(
      [
        `a run did not finish within ${timeoutMs / 1000} s of wall time (--timeout): the activity is stuck in synchronous code (an endless loop?) or awaits something that escapes the simulation`,
        `  world seed ${worldSeed}, ${c === null ? 'the fault-free reference run' : c.plan.length === 0 ? 'no fault' : `fault plan: ${c.plan.map((f) => describeFault(f, formatTime)).join('; ')}`}`,
        `  it hung in step ${steps} of the simulation, at virtual time ${formatTime(virtualTime)}; its last events:`,
        ...lastEvents.map((e) => `    ${e}`),
      ].join('\n'),
    );
  }
}

function workerFile(): string {
  const beside = fileURLToPath(new URL('./pool-worker.js', import.meta.url));
  if (existsSync(beside)) return beside;
  // Running from the TypeScript sources (tests): use the built worker.
  return fileURLToPath(new URL('../dist/properties/pool-worker.js', import.meta.url));
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

  constructor(private readonly options: PoolOptions) {
    // Every thread starts at once and loads the scenario (a warm-up task each) while the others
    // do, and while the first one computes the reference run. A scenario that fails to load
    // fails here silently: the first real task reports it.
    this.pool = new Tinypool({ filename: workerFile(), minThreads: options.workers, maxThreads: options.workers, isolateWorkers: false });
    // Under the watchdog too: a module that hangs while loading must not block a thread forever.
    for (let i = 0; i < options.workers; i++) this.watch(this.task({ kind: 'warm' }), null, options.baseSeed).catch(() => {});
  }

  private task(extra: Record<string, unknown>): PoolTask {
    const { file, profile, baseSeed } = this.options;
    return { file, ...(profile !== undefined ? { profile } : {}), baseSeed, progress: new Float64Array(new SharedArrayBuffer(32)), ...extra } as PoolTask;
  }

  /**
   * Run a task under the watchdog. The limit counts from when a thread started the task (time
   * queued behind other tasks does not count; loading the scenario has a limit of its own, at
   * least a minute), and for a batch from when its current case started: when the timer fires
   * early, it re-arms for the rest. `caseOf` names the case at an
   * index of the batch.
   */
  private async watch<T>(task: PoolTask, c: SearchCase | null, worldSeed: number, caseOf?: (index: number) => { c: SearchCase; worldSeed: number }, group?: AbortController): Promise<T> {
    const controller = new AbortController();
    const limit = this.options.timeoutMs;
    const loadLimit = Math.max(limit, LOAD_LIMIT_MS);
    let timedOut = false;
    let timer: ReturnType<typeof realSetTimeout>;
    const fire = (): void => {
      const started = task.progress[3]!;
      if (started === 0) timer = realSetTimeout(fire, limit); // still queued: no thread runs it yet
      else if (started < 0 && -started + loadLimit > wallNow()) timer = realSetTimeout(fire, -started + loadLimit - wallNow()); // loading the scenario
      else if (started > 0 && started + limit > wallNow()) timer = realSetTimeout(fire, started + limit - wallNow());
      else {
        timedOut = true;
        controller.abort();
      }
    };
    timer = realSetTimeout(fire, limit);
    // Tasks of one group (the batches of evaluateAll) are dropped together once one of them fails.
    const drop = (): void => controller.abort();
    group?.signal.addEventListener('abort', drop);
    try {
      return (await this.pool.run(task, { signal: controller.signal })) as T;
    } catch (error) {
      if (!timedOut) throw error;
      // The replay below must not wait in the queue behind the rest of the group.
      group?.abort();
      if (caseOf !== undefined) ({ c, worldSeed } = caseOf(task.progress[2]!));
      const steps = task.progress[0]!;
      const at = task.progress[1]!;
      let lastEvents: readonly string[] = ['(could not be recovered)'];
      try {
        const tail = this.task({ kind: 'tail', c, worldSeed, stepLimit: Math.max(0, steps - 1) });
        lastEvents = (await this.watch<TailAnswer>(tail, c, worldSeed)).lastEvents;
      } catch {
        // the replay hung too: report without the events
      }
      throw new RunTimeoutError(worldSeed, c, this.options.timeoutMs, steps, at, lastEvents);
    } finally {
      realClearTimeout(timer);
      group?.signal.removeEventListener('abort', drop);
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

  /** Cases in batches (a task per batch), results in order. */
  async evaluateAll(cases: readonly { readonly c: SearchCase; readonly rerun: boolean }[], onEach?: () => void): Promise<Verdicts[]> {
    const size = Math.max(1, Math.min(MAX_BATCH, Math.ceil(cases.length / (this.options.workers * BATCHES_PER_THREAD))));
    const batches: (typeof cases)[] = [];
    for (let i = 0; i < cases.length; i += size) batches.push(cases.slice(i, i + size));
    // One failure (a hung run, a broken scenario) drops the batches still queued: the error is
    // reported as soon as it is known, not after every other case has run.
    const group = new AbortController();
    const results = await Promise.all(
      batches.map(async (batch) => {
        const caseOf = (i: number) => ({ c: batch[i]!.c, worldSeed: (this.options.baseSeed + batch[i]!.c.world) | 0 });
        const first = caseOf(0);
        try {
          const verdicts = await this.watch<Verdicts[]>(this.task({ kind: 'evaluateBatch', cases: batch }), first.c, first.worldSeed, caseOf, group);
          for (let i = 0; i < batch.length; i++) onEach?.();
          return verdicts;
        } catch (error) {
          // Dropped because another batch failed: that one's error is the one to report.
          if (group.signal.aborted && !(error instanceof RunTimeoutError)) return new Promise<never>(() => {});
          group.abort();
          throw error;
        }
      }),
    );
    return results.flat();
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
