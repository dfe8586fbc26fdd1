/**
 * Running a benchmark's runs in a pool of worker threads (tinypool): each point's runs are split
 * into chunks, simulated in parallel and put back in run order. Every run is seeded by its index
 * (runner.ts `runSeed`), so the results are the same as in one thread, whatever the thread count.
 */
import { resolve } from 'node:path';
import Tinypool from 'tinypool';
import { workerFile } from '../../properties/worker-file.js';
import type { BenchSettings, PointRunner, RunMetrics } from './runner.js';
import { throwIfConfigErrorWire } from '../../src/errors.js';

// Real timers, captured before anything could install virtual ones in this thread.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** Runs of a benchmark that did not finish in time (an activity stuck in synchronous code?). */
export class BenchTimeoutError extends Error {
  override readonly name = 'BenchTimeoutError';
  constructor(task: BenchTask, timeoutMs: number) {
    super(
      task.faultFree === true
        ? `the fault-free run of point ${task.point + 1} did not finish within ${timeoutMs / 1000} s of wall time (--timeout): the activity is stuck in synchronous code or awaits something that escapes the simulation (run it with hbsim run, or hbsim check, to see where)`
        : `runs ${task.from}-${task.to - 1} of point ${task.point + 1} did not finish within ${timeoutMs / 1000} s of wall time each (--timeout): the activity is stuck in synchronous code or awaits something that escapes the simulation (hbsim check finds the run and shows its last events)`,
    );
  }
}

/** A chunk of runs of one point (plain data: it crosses to a worker thread). */
export interface BenchTask {
  readonly file: string;
  readonly settings: BenchSettings;
  readonly point: number;
  /** Runs from .. to - 1; or the fault-free run. */
  readonly from: number;
  readonly to: number;
  readonly faultFree?: boolean;
}

/** A {@link PointRunner} over `threads` worker threads, for the scenario module `file`. */
export class BenchPool {
  private readonly pool: Tinypool;
  private readonly file: string;

  constructor(
    file: string,
    private readonly threads: number,
    /** Wall-clock limit of one run: a chunk of k runs may take k times that. */
    private readonly timeoutMs = 30_000,
  ) {
    this.file = resolve(file);
    this.pool = new Tinypool({ filename: workerFile(import.meta.url, 'pool-worker', '../../dist/app/bench/pool-worker.js'), minThreads: 1, maxThreads: threads, isolateWorkers: false });
  }

  readonly runner: PointRunner = {
    runs: async (_point, index, settings, onRun, first, last) => {
      const chunk = Math.max(1, Math.ceil((last - first) / (this.threads * 8)));
      const tasks: Promise<RunMetrics[]>[] = [];
      for (let from = first; from < last; from += chunk) {
        const task: BenchTask = { file: this.file, settings, point: index, from, to: Math.min(last, from + chunk) };
        tasks.push(this.watch<RunMetrics[]>(task).then((runs) => {
          for (let i = 0; i < runs.length; i++) onRun();
          return runs;
        }));
      }
      return (await Promise.all(tasks)).flat();
    },
    faultFree: async (_point, index, settings) => {
      const task: BenchTask = { file: this.file, settings, point: index, from: 0, to: 1, faultFree: true };
      return (await this.watch<RunMetrics[]>(task))[0]!;
    },
  };

  /** Run a task under a wall-clock watchdog: a hung activity must not hang hbsim. */
  private async watch<T>(task: BenchTask): Promise<T> {
    const controller = new AbortController();
    const runs = task.faultFree === true ? 1 : task.to - task.from;
    const timer = realSetTimeout(() => controller.abort(), this.timeoutMs * runs);
    try {
      const answer: unknown = await this.pool.run(task, { signal: controller.signal });
      throwIfConfigErrorWire(answer);
      return answer as T;
    } catch (error) {
      if (!controller.signal.aborted) throw error;
      throw new BenchTimeoutError(task, this.timeoutMs);
    } finally {
      realClearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
