/**
 * Worker hosts and their processes. A host runs one process at a time; a crash kills the
 * process (and everything it owns), and after the restart delay a new process starts, which
 * calls the scenario's activity factory again.
 */
import type { Owner } from './event-queue.js';
import type { AttemptRun } from './attempt-run.js';

export class WorkerProcess implements Owner {
  alive = true;
  /** What the activity factory returned for this process. */
  activity: unknown;
  /** The attempt this process runs, if any. */
  run: AttemptRun | undefined;

  constructor(
    readonly host: WorkerHost,
    /** 1 for the first process of the host, 2 after one restart, ... */
    readonly incarnation: number,
  ) {}

  /** `worker-1#2`: host and incarnation. */
  get name(): string {
    return `${this.host.name}#${this.incarnation}`;
  }

  /** Free to take a task: alive and not running an unfinished attempt. */
  get idle(): boolean {
    return this.alive && (this.run === undefined || this.run.finished);
  }
}

export class WorkerHost {
  process: WorkerProcess | undefined;
  incarnations = 0;

  constructor(readonly name: string) {}
}
