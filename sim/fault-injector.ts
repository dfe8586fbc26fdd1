/**
 * Applies a fault plan (sim/fault-plan.ts) to one simulation. Time-keyed faults become events on
 * the agenda; index-keyed ones (the n-th effect, heartbeat call, stored heartbeat, heartbeat RPC,
 * world call) become one-shot triggers that the simulation's hooks consult as those things
 * happen. Crashes keyed on an event happen right after it, before anything the activity does next.
 */
import type { Cancellable } from './event-queue.js';
import type { Fault, FaultPlan } from './fault-plan.js';
import type { Prng } from './prng.js';
import type { Scheduler } from './scheduler.js';
import { formatTime, type Trace } from './trace.js';
import type { WorldServices } from './world.js';
import type { WorkerHost } from './worker-process.js';
import type { AttemptRun } from './attempt-run.js';

/** What a fault plan acts on: the simulation's hosts, its server and its dispatch. */
export interface FaultTarget {
  readonly scheduler: Scheduler;
  readonly trace: Trace;
  readonly world: WorldServices;
  /** Process death of the host's process (`counted`: a crash, not a clean exit after shutdown). */
  crash(host: WorkerHost, reason: string, counted?: boolean): void;
  /** The host running the current attempt (or the first host). */
  currentHost(): WorkerHost;
  /** The host whose code is running now, if any. */
  runningHost(): WorkerHost | undefined;
  /** Whether the code running now is the scenario's external system's (X6). */
  runningExternal(): boolean;
  /** The running attempt `attempt`, if any. */
  liveRun(attempt: number): AttemptRun | undefined;
  /** The workflow asks to cancel the activity. */
  requestCancel(): void;
  /** No worker polls until `until`. */
  stopPolling(until: number): void;
  /** Hand queued tasks to workers (after a partition heals, ...). */
  dispatchAt(at: number): void;
  /** Freeze the event loop of `host`'s process for `durationMs`. */
  pause(host: WorkerHost, durationMs: number): void;
  /** The scenario's external system dies (X6); nothing if it has none. */
  crashExternal(reason: string): void;
  /** Job `nth` to the external system arrives `byMs` late. */
  delayExternalJob(nth: number, byMs: number): void;
}

export class FaultInjector {
  private readonly beforeEffect = new Set<number>();
  private readonly afterEffect = new Set<number>();
  private readonly afterHeartbeatCall = new Set<number>();
  private readonly afterHeartbeatStored = new Set<number>();
  private readonly whilePending = new Set<number>();
  private readonly heartbeatLost = new Set<number>();
  private readonly heartbeatDelayed = new Map<number, number>();
  private readonly worldCall = new Map<number, { transient: boolean; extraLatencyMs: number }>();
  /** `poissonCrashes`: the crash stream and each running attempt's pending crash. */
  private poisson: { readonly prng: Prng; readonly mtbfMs: number; readonly pending: Map<AttemptRun, Cancellable> } | undefined;
  private heartbeatRpcs = 0;
  private coalesced = 0;

  constructor(
    private readonly target: FaultTarget,
    /** Forks the stream of `poissonCrashes` (a fault plan draws from its own stream). */
    private readonly prng: Prng,
  ) {}

  /** Put every fault of `plan` on the agenda or among the triggers, and hook the world's calls. */
  install(plan: FaultPlan): void {
    for (const fault of plan) this.add(fault);
    const world = this.target.world;
    if (this.beforeEffect.size > 0) {
      world.beforeEffect = (n) => {
        if (!this.beforeEffect.delete(n)) return;
        const host = this.target.runningHost();
        // An effect of the external system (X6): the crash is its own.
        if (host !== undefined) this.target.crash(host, `fault plan: crash while sink effect #${n} is in flight`);
        else if (this.target.runningExternal()) this.target.crashExternal(`fault plan: crash while sink effect #${n} is in flight`);
      };
    }
    if (this.afterEffect.size > 0) {
      world.onEffect = (n) => {
        if (!this.afterEffect.delete(n)) return;
        const host = this.target.runningHost();
        if (host !== undefined) this.target.crash(host, `fault plan: crash right after sink effect #${n} applied`);
        else if (this.target.runningExternal()) this.target.crashExternal(`fault plan: crash right after sink effect #${n} applied`);
      };
    }
    if (this.worldCall.size > 0) world.faultFor = (n) => this.worldCall.get(n);
  }

  private add(fault: Fault): void {
    const { scheduler: s, trace } = this.target;
    switch (fault.kind) {
      case 'crash':
        if ('at' in fault) s.at(fault.at, () => this.target.crash(this.target.currentHost(), `fault plan: crash at ${formatTime(fault.at)}`), undefined, null, false);
        else if ('beforeEffect' in fault) this.beforeEffect.add(fault.beforeEffect);
        else if ('afterEffect' in fault) this.afterEffect.add(fault.afterEffect);
        else if ('afterHeartbeatCall' in fault) this.afterHeartbeatCall.add(fault.afterHeartbeatCall);
        else if ('afterHeartbeatStored' in fault) this.afterHeartbeatStored.add(fault.afterHeartbeatStored);
        else this.whilePending.add(fault.whilePending);
        return;
      case 'heartbeatLost':
        this.heartbeatLost.add(fault.nth);
        return;
      case 'heartbeatDelayed':
        this.heartbeatDelayed.set(fault.nth, fault.byMs);
        return;
      case 'transient':
      case 'slowCall': {
        const prev = this.worldCall.get(fault.call) ?? { transient: false, extraLatencyMs: 0 };
        this.worldCall.set(fault.call, fault.kind === 'transient' ? { ...prev, transient: true } : { ...prev, extraLatencyMs: prev.extraLatencyMs + fault.byMs });
        return;
      }
      case 'partition':
        s.at(fault.at, () => {
          const host = this.target.currentHost();
          host.partitionedUntil = Math.max(host.partitionedUntil, s.now + fault.durationMs);
          trace.record({ t: s.now, type: 'partition', worker: host.name, until: host.partitionedUntil });
          this.target.dispatchAt(host.partitionedUntil);
        }, undefined, null, false);
        return;
      case 'pause':
        s.at(fault.at, () => this.target.pause(this.target.currentHost(), fault.durationMs), undefined, null, false);
        return;
      case 'shutdown':
        s.at(fault.at, () => {
          const host = this.target.currentHost();
          const process = host.process;
          if (process === undefined || !process.alive) return;
          process.shuttingDown = true;
          trace.record({ t: s.now, type: 'shutdown', worker: process.name, graceMs: fault.graceMs });
          // Each cancellation in an event owned by its attempt, which resumes its code now: what the
          // code does next (timers, world calls) belongs to the attempt and dies with the process.
          for (const run of process.live) s.at(s.now, (r) => r.cancel('WORKER_SHUTDOWN'), run, run, true);
          s.after(fault.graceMs, () => this.target.crash(host, 'worker shutdown: the process exits', false), undefined, process, false);
        }, undefined, null, false);
        return;
      case 'cancel':
        s.at(fault.at, () => this.target.requestCancel(), undefined, null, false);
        return;
      case 'poissonCrashes':
        this.poisson = fault.mtbfMs > 0 ? { prng: this.prng.fork('poisson-crashes'), mtbfMs: fault.mtbfMs, pending: new Map() } : undefined;
        return;
      case 'noWorker':
        s.at(fault.at, () => this.target.stopPolling(s.now + fault.durationMs), undefined, null, false);
        return;
      case 'externalCrash':
        s.at(fault.at, () => this.target.crashExternal(`fault plan: crash at ${formatTime(fault.at)}`), undefined, null, false);
        return;
      case 'externalDelayed':
        this.target.delayExternalJob(fault.nth, fault.byMs);
        return;
    }
  }

  /** Crash `host` right after what is running now (before anything the activity does next). */
  private crashSoon(host: WorkerHost, reason: string): void {
    const s = this.target.scheduler;
    s.at(s.now, () => this.target.crash(host, reason), undefined, null, false);
  }

  /** Hook: heartbeat() call number `n` reached `run` (after encoding); `coalesced`: held by the throttle. */
  onHeartbeatCall(run: AttemptRun, n: number, coalesced: boolean): void {
    if (this.afterHeartbeatCall.delete(n)) this.crashSoon(run.process.host, `fault plan: crash right after heartbeat() call #${n}`);
    if (coalesced) {
      const c = ++this.coalesced;
      if (this.whilePending.delete(c)) this.crashSoon(run.process.host, `fault plan: crash while heartbeat call #${n} is held by the throttle`);
    }
  }

  /** Hook: the server stored heartbeat number `n`, of `attempt`. */
  onDetailsStored(n: number, attempt: number): void {
    if (!this.afterHeartbeatStored.delete(n)) return;
    const run = this.target.liveRun(attempt);
    if (run !== undefined) this.crashSoon(run.process.host, `fault plan: crash right after heartbeat #${n} reached the server`);
  }

  /** Hook: the next heartbeat RPC leaves; is it lost, how much later does it arrive? */
  heartbeatRpc(): { readonly lost: boolean; readonly delayMs: number } {
    const n = ++this.heartbeatRpcs;
    return { lost: this.heartbeatLost.has(n), delayMs: this.heartbeatDelayed.get(n) ?? 0 };
  }

  /**
   * Hook: `run` started. With `poissonCrashes`, its worker dies at start + Exp(mtbf) unless the run
   * finishes first (the event belongs to the run: it dies with the process, and is cancelled on
   * finish): memoryless, so a Poisson process over the time attempts execute.
   */
  onAttemptStarted(run: AttemptRun): void {
    const poisson = this.poisson;
    if (poisson === undefined) return;
    const delay = poisson.prng.exponential(poisson.mtbfMs);
    const ev = this.target.scheduler.after(delay, (r) => {
      poisson.pending.delete(r);
      if (!r.finished) this.target.crash(r.process.host, `random crash (Poisson process, mean time between crashes ${poisson.mtbfMs} ms)`);
    }, run, run, false);
    poisson.pending.set(run, ev);
  }

  /** Hook: `run` finished: its pending Poisson crash is called off. */
  onRunFinished(run: AttemptRun): void {
    const crash = this.poisson?.pending.get(run);
    if (crash === undefined) return;
    crash.cancelled = true;
    this.poisson!.pending.delete(run);
  }
}
