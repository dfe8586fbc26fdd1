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

// Real timers, captured before any simulation installs virtual ones in this thread.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

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

/** `progress[0]` of a task no simulation step of which has run yet. */
const NOT_STARTED = -1;
/** Watchdog periods a task may wait before its first step (queued, thread and engine start-up). */
const MAX_START_WAITS = 20;

export interface PoolOptions extends PoolScenarioRef {
  readonly workers: number;
  readonly timeoutMs: number;
}

export class PoolEvaluator implements CaseEvaluator {
  private readonly pool: Tinypool;
  private readonly references = new Map<number, Promise<SimulationResult>>();

  constructor(private readonly options: PoolOptions) {
    this.pool = new Tinypool({ filename: workerFile(), minThreads: 1, maxThreads: options.workers, isolateWorkers: false });
  }

  private task(extra: Record<string, unknown>): PoolTask {
    const { file, profile, baseSeed } = this.options;
    const progress = new Float64Array(new SharedArrayBuffer(16));
    progress[0] = NOT_STARTED;
    return { file, ...(profile !== undefined ? { profile } : {}), baseSeed, progress, ...extra } as PoolTask;
  }

  /** Run a task under the watchdog. */
  private async watch<T>(task: PoolTask, c: SearchCase | null, worldSeed: number): Promise<T> {
    const controller = new AbortController();
    // The wall clock counts from the run's first step: not while the task waits in the queue or its
    // thread starts up (loading the scenario, starting a Postgres engine), up to a bound.
    let waits = 0;
    const arm = (): ReturnType<typeof realSetTimeout> =>
      realSetTimeout(() => {
        if (task.progress[0] === NOT_STARTED && ++waits < MAX_START_WAITS) timer = arm();
        else controller.abort();
      }, this.options.timeoutMs);
    let timer = arm();
    try {
      return (await this.pool.run(task, { signal: controller.signal })) as T;
    } catch (error) {
      if (!controller.signal.aborted) throw error;
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

  async evaluateAll(cases: readonly { readonly c: SearchCase; readonly rerun: boolean }[], onEach?: () => void): Promise<Verdicts[]> {
    return Promise.all(
      cases.map(async ({ c, rerun }) => {
        const v = await this.evaluate(c, rerun);
        onEach?.();
        return v;
      }),
    );
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
