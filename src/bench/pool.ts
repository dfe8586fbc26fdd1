/**
 * Running a benchmark's runs in a pool of worker threads (tinypool): each point's runs are split
 * into chunks, simulated in parallel and put back in run order. Every run is seeded by its index
 * (runner.ts `runSeed`), so the results are the same as in one thread, whatever the thread count.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import type { BenchSettings, PointRunner, RunMetrics } from './runner.js';

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

function workerFile(): string {
  const beside = fileURLToPath(new URL('./pool-worker.js', import.meta.url));
  if (existsSync(beside)) return beside;
  // Running from the TypeScript sources (tests): use the built worker.
  return fileURLToPath(new URL('../../dist/src/bench/pool-worker.js', import.meta.url));
}

/** A {@link PointRunner} over `threads` worker threads, for the scenario module `file`. */
export class BenchPool {
  private readonly pool: Tinypool;
  private readonly file: string;

  constructor(file: string, private readonly threads: number) {
    this.file = resolve(file);
    this.pool = new Tinypool({ filename: workerFile(), minThreads: 1, maxThreads: threads, isolateWorkers: false });
  }

  readonly runner: PointRunner = {
    runs: async (_point, index, settings, onRun) => {
      const chunk = Math.max(1, Math.ceil(settings.runs / (this.threads * 8)));
      const tasks: Promise<RunMetrics[]>[] = [];
      for (let from = 0; from < settings.runs; from += chunk) {
        const task: BenchTask = { file: this.file, settings, point: index, from, to: Math.min(settings.runs, from + chunk) };
        tasks.push((this.pool.run(task) as Promise<RunMetrics[]>).then((runs) => {
          for (let i = 0; i < runs.length; i++) onRun();
          return runs;
        }));
      }
      return (await Promise.all(tasks)).flat();
    },
    faultFree: async (_point, index, settings) => {
      const task: BenchTask = { file: this.file, settings, point: index, from: 0, to: 1, faultFree: true };
      return ((await this.pool.run(task)) as RunMetrics[])[0]!;
    },
  };

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
