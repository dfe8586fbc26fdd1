/**
 * Worker hosts and their processes. A host runs one process at a time; a crash kills the
 * process and everything it owns, and after the restart delay a new process starts, which calls
 * the scenario's activity factory again. A process runs several attempts at once (slots), so a
 * zombie attempt does not stop the retry from starting on the same host.
 */
import type { Owner } from './event-queue.js';
import type { AttemptRun } from './attempt-run.js';

/** Concurrent attempts per worker process (Temporal's default maxConcurrentActivityTaskExecutions). */
export const SLOTS_PER_PROCESS = 100;

export class WorkerProcess implements Owner {
  alive = true;
  /** Shutting down: takes no new task; its attempts were cancelled with WORKER_SHUTDOWN. */
  shuttingDown = false;
  /** What the activity factory returned for this process. */
  activity: unknown;
  /** The attempts this process runs or ran. */
  readonly runs: AttemptRun[] = [];

  constructor(
    readonly host: WorkerHost,
    /** 1 for the first process of the host, 2 after one restart, ... */
    readonly incarnation: number,
  ) {}

  /** `worker-1#2`: host and incarnation. */
  get name(): string {
    return `${this.host.name}#${this.incarnation}`;
  }

  /** Attempts still running (not finished). */
  get live(): AttemptRun[] {
    return this.runs.filter((r) => !r.finished);
  }
}

export class WorkerHost {
  process: WorkerProcess | undefined;
  incarnations = 0;
  /** Cut off from the server until this virtual time (a partition). */
  partitionedUntil = -1;
  /** Its process's event loop is frozen until this virtual time (a `pause` fault). */
  pausedUntil = -1;

  constructor(readonly name: string) {}

  /** Connected to the server at `now`. */
  connected(now: number): boolean {
    return now >= this.partitionedUntil;
  }

  /** Able to take a task at `now`. */
  canPoll(now: number): boolean {
    const p = this.process;
    return p !== undefined && p.alive && !p.shuttingDown && this.connected(now) && now >= this.pausedUntil && p.live.length < SLOTS_PER_PROCESS;
  }
}
