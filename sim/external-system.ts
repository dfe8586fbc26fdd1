/**
 * The scenario's external system (X6): the thing outside the worker that finishes
 * async-completed work later. It runs in virtual time in a process of its own (an {@link Owner}:
 * a worker crash does not touch it; its own crash kills every job in progress, their timers and
 * their world calls), receives jobs from `world.external.submit(job)` after a latency, and
 * finishes them through the simulated client. Faults: `externalCrash` (it restarts after its
 * restart delay, calling the scenario's handler factory again) and `externalDelayed`.
 */
import type { SimulatedClient } from '../src/client-api.js';
import { TransientError } from '../src/errors.js';
import type { NormalizedExternal } from '../src/scenario.js';
import type { World } from '../src/world-api.js';
import type { Owner } from './event-queue.js';
import type { Prng } from './prng.js';
import type { Scheduler } from './scheduler.js';
import type { Trace } from './trace.js';

/** One incarnation of the external system's process. */
export class ExternalProcess implements Owner {
  alive = true;
  /** World calls it makes are traced as attempt 0 (not an attempt's). */
  readonly attempt = 0;
  handle: ((job: unknown) => Promise<void>) | undefined;
  constructor(readonly incarnation: number) {}
  get name(): string {
    return `the external system (#${this.incarnation})`;
  }
}

/** What the external system needs of the simulation. */
export interface ExternalHost {
  readonly scheduler: Scheduler;
  readonly trace: Trace;
  readonly client: SimulatedClient;
  readonly params: Record<string, unknown>;
  world(): World;
  warn(message: string): void;
  /** Kill the timers the user code of `owner` created. */
  clearTimersOf(owner: Owner): void;
}

export class ExternalSystemRuntime {
  process: ExternalProcess | undefined;
  private incarnations = 0;
  private jobs = 0;
  /** `externalDelayed` faults: job number -> extra ms. */
  readonly delays = new Map<number, number>();

  constructor(
    private readonly host: ExternalHost,
    private readonly spec: NormalizedExternal,
    private readonly prng: Prng,
  ) {}

  /** Start (or restart) the process: call the handler factory under its ownership. */
  start(): void {
    const s = this.host.scheduler;
    const process = new ExternalProcess(++this.incarnations);
    this.process = process;
    const previous = s.current;
    s.current = process;
    try {
      const handle = this.spec.handler(this.host.world(), this.host.client, this.host.params);
      if (typeof handle !== 'function') throw new TypeError(`external.handler(world, client, params) must return the job handler, got ${typeof handle}`);
      process.handle = handle;
    } finally {
      s.current = previous;
    }
    if (this.incarnations > 1) this.host.trace.record({ t: s.now, type: 'external', what: 'restarted' });
  }

  /** `externalCrash`: its jobs in progress die; it comes back after the restart delay. */
  crash(reason: string): void {
    const process = this.process;
    const s = this.host.scheduler;
    if (process === undefined || !process.alive) return;
    process.alive = false;
    this.host.clearTimersOf(process);
    this.host.trace.record({ t: s.now, type: 'external', what: `CRASH of the external system (${reason}): the jobs it was working on are lost` });
    s.after(this.spec.restartDelayMs, () => this.start(), undefined, null, true);
  }

  /** `world.external.submit(job)`: an RPC from whoever runs now. */
  submit(job: unknown): Promise<void> {
    const s = this.host.scheduler;
    const caller = s.current;
    const n = ++this.jobs;
    let copy: unknown;
    try {
      copy = structuredClone(job);
    } catch (error) {
      return Promise.reject(new TypeError(`world.external.submit: the job cannot be copied to another process (${(error as Error).message})`));
    }
    const range = this.spec.latency;
    const l = range.min === range.max ? range.min : this.prng.int(range.min, range.max);
    const delay = this.delays.get(n) ?? 0;
    const half = Math.floor(l / 2);
    this.host.trace.record({ t: s.now, type: 'external', what: `job #${n} submitted`, job: n });
    return new Promise<void>((resolve, reject) => {
      s.after(half + delay, () => {
        const process = this.process;
        if (process === undefined || !process.alive) {
          s.after(l - half, () => reject(new TransientError(`world.external.submit: the external system is down (job #${n} refused)`)), undefined, caller, true);
          return;
        }
        this.host.trace.record({ t: s.now, type: 'external', what: delay > 0 ? `job #${n} received, ${delay} ms late (fault plan)` : `job #${n} received`, job: n });
        s.at(s.now, () => this.run(process, n, copy), undefined, process, true);
        s.after(l - half, () => resolve(), undefined, caller, true);
      }, undefined, caller, false);
    });
  }

  private run(process: ExternalProcess, n: number, job: unknown): void {
    let done: Promise<void>;
    try {
      done = Promise.resolve(process.handle!(job));
    } catch (error) {
      done = Promise.reject(error);
    }
    done.then(
      () => {
        if (process.alive) this.host.trace.record({ t: this.host.scheduler.now, type: 'external', what: `job #${n} handled`, job: n });
      },
      (error: unknown) => {
        if (!process.alive) return;
        const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.host.trace.record({ t: this.host.scheduler.now, type: 'external', what: `job #${n} failed: ${text}`, job: n });
        this.host.warn(`the external system's handler threw on job #${n}: ${text} (the job is dropped: nothing retries it unless your handler does)`);
      },
    );
  }
}
