/**
 * The orchestrator: builds the world, the server, the workers and the scheduler for one run of
 * a scenario with one seed and one fault plan, runs it in virtual time to its final outcome,
 * and returns what happened. Same scenario, seed and plan: same trace, bit for bit.
 */
import type { DestinationStream, Logger } from 'pino';
import { ActivityLifecycle } from '../src/model/lifecycle.js';
import { heartbeatRpcTimeoutMs, localTimeoutDeadline, throttleIntervalMs } from '../src/model/heartbeat-throttle.js';
import type { LifecycleDecision, LifecycleEvent, Outcome, Payload, TimerKind } from '../src/model/types.js';
import type { Report } from '../src/model/report.js';
import type { NormalizedScenario } from '../src/scenario.js';
import { AttemptRun, describeError, type AttemptStart, type Invocation } from './attempt-run.js';
import type { Cancellable, Owner } from './event-queue.js';
import type { FaultPlan } from './fault-plan.js';
import { FaultInjector, type FaultTarget } from './fault-injector.js';
import { Prng } from './prng.js';
import { Scheduler } from './scheduler.js';
import { formatEvent, formatTime, Trace, type TraceDetail, type TraceEvent } from './trace.js';
import { generateRecords, WorldServices } from './world.js';
import { WorkerHost, WorkerProcess } from './worker-process.js';
import { createSimLogger } from './sim-logger.js';
import { describeFailure } from '../src/model/failure-text.js';
import { giveUpReason } from './outcome-text.js';
import { ActivityFactoryError, describeValue } from '../src/errors.js';
import type { DatabaseSnapshot } from '../src/postgres-api.js';
import type { PgEngine } from './services/pglite-engine.js';
import { SimPostgres } from './services/postgres.js';
import { ClientServices } from './services/client-service.js';
import type { SimulatedClient } from '../src/client-api.js';
import { makeSimulatedClient } from './client.js';
import { ExternalProcess, ExternalSystemRuntime } from './external-system.js';

/** Builds the user-visible context and calls the user's function with its arguments (decoded afresh for the attempt). */
export type FrontDoor = (run: AttemptRun, activity: unknown, args: readonly unknown[]) => Invocation;

/** The answer to an RPC from a worker. */
export interface RpcResponse {
  /** `error`: the RPC failed (lost, partitioned): the SDK only logs it (S6). */
  readonly status: 'ok' | 'notFound' | 'error';
  readonly cancelRequested: boolean;
}

export interface SimulateOptions {
  /** The seed of the run's PRNG (any integer). */
  readonly seed: number;
  /** Faults to inject (a fault plan). */
  readonly faults?: FaultPlan;
  /** Shorthand for crash faults at these virtual times (`'90s'`, or ms). */
  readonly crashes?: readonly (number | string)[];
  /** Give up if the activity has not closed by this virtual time (ms); default 30 days. */
  readonly maxVirtualTimeMs?: number;
  /** Receives every trace event and the activity's own logs. */
  readonly logger?: Logger;
  /** Or: a stream for a pino logger that hbsim makes, with virtual timestamps (what `hbsim run --log` uses). */
  readonly logTo?: DestinationStream;
  /** The level of that logger: `debug` (default) shows hbsim's events but sink effects, `trace` everything. */
  readonly logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** `full` (default) keeps every event; `lean` drops sink effects from the trace (still counted and hashed). */
  readonly trace?: TraceDetail;
  /**
   * Keep {@link SimulationResult.callLog}, the log of every world call (what the search reads its
   * boundary places from, in the fault-free reference run). Off by default: it holds an entry per
   * call, about 80 bytes each, which a 10-million-record run does not need.
   */
  readonly callLog?: boolean;
  /**
   * Inspect every heartbeat's details: record what does not survive the payload converter (H7)
   * and, for the Temporal front door, a held call whose object was mutated before it was encoded (S3).
   */
  readonly inspectDetails?: boolean;
  /**
   * Shared with a watchdog in another thread: [steps, virtual now] written before each step; if
   * it has 4 slots, [2] counts the runs started and [3] is 1 while a run is in progress, so that
   * the watchdog times each run alone.
   */
  readonly progress?: Float64Array;
  /** Stop after this many steps (to replay a run up to the step where it hung). */
  readonly stepLimit?: number;
  /**
   * Stop (outcome `timeLimit`) instead of starting attempt `attemptLimit + 1`: an activity that
   * fails on every attempt under a policy that never gives up would otherwise retry for the whole
   * virtual time limit (tens of thousands of attempts). The check's runs use it.
   */
  readonly attemptLimit?: number;
}

/** How one attempt went. */
export interface AttemptSummary {
  readonly attempt: number;
  readonly worker: string;
  readonly startedAt: number;
  /** The stored details this attempt started from (H2), decoded; undefined on a first attempt. */
  readonly startDetails: Payload;
  endedAt: number | undefined;
  how: string;
}

export type SimulationOutcome =
  /** `gaveUp`, for a failed or timed-out activity: the limit that stopped the retries (`maximumAttempts 2 reached`). */
  | (Outcome & { readonly gaveUp?: string })
  | { readonly status: 'stuck'; readonly at: number; readonly reason: string }
  | { readonly status: 'timeLimit'; readonly at: number; readonly reason: string }
  /** Stopped on purpose after `SimulateOptions.stepLimit` steps (a watchdog's replay). */
  | { readonly status: 'stopped'; readonly at: number; readonly reason: string }
  /** The activity used an API hbsim does not simulate (`client.workflow`, ...): stopped there, nothing can be judged. */
  | { readonly status: 'unsimulated'; readonly at: number; readonly reason: string };

export interface SimulationCounts {
  heartbeatCalls: number;
  /** Reads of the heartbeat details by the activity (ctx.heartbeatDetails(), hasHeartbeatDetails(), activityInfo().heartbeatDetails). */
  detailsReads: number;
  heartbeatsSent: number;
  detailsStored: number;
  /** Sink effects that repeat an earlier one (work done again): a put to a key already written; an add whose idempotency key was seen, or, without one, the same delta to the same key. */
  recordsRedone: number;
  /** Sink effects, and SQL statements that reached the server. */
  effects: number;
  /** Calls to world.source and world.sink, and SQL statements. */
  worldCalls: number;
  crashes: number;
  attempts: number;
}

export interface SimulationResult {
  readonly scenario: string;
  readonly seed: number;
  readonly faults: FaultPlan;
  readonly outcome: SimulationOutcome;
  readonly attempts: readonly AttemptSummary[];
  readonly trace: readonly TraceEvent[];
  readonly digest: string;
  /** The sink's final content, keys in the order first written. */
  readonly sink: ReadonlyMap<string, unknown>;
  readonly counts: Readonly<SimulationCounts>;
  /** Virtual time when the run ended (ms). */
  readonly endedAt: number;
  /** Things the user should know that are not violations (a timer left running, user errors in timers). */
  readonly warnings: readonly string[];
  /** Every table of the simulated Postgres at the end of the run (a scenario with a `database`). */
  readonly database?: DatabaseSnapshot;
  /**
   * With the `callLog` option only: every world call in the order they were numbered (call `n` at `n - 1`),
   * when it was made and what it was (`read`, `put`, `sql` with its text, `service.method`).
   * Kept out of the trace (and its digest); the search reads it to place faults on narrow places.
   */
  readonly callLog?: readonly WorldCallRecord[];
}

/** One world call of a run (see {@link SimulationResult.callLog}). */
export interface WorldCallRecord {
  readonly t: number;
  readonly op: string;
  /** The sink key, or the SQL text, or '' for a service call. */
  readonly key: string;
}

const DAY = 86_400_000;

export class Simulation implements FaultTarget {
  readonly scheduler: Scheduler;
  readonly trace: Trace;
  readonly counts: SimulationCounts = { heartbeatCalls: 0, heartbeatsSent: 0, detailsStored: 0, recordsRedone: 0, effects: 0, worldCalls: 0, crashes: 0, attempts: 0, detailsReads: 0 };
  readonly lifecycle: ActivityLifecycle;
  readonly world: WorldServices;
  readonly hosts: WorkerHost[] = [];
  readonly profile: NormalizedScenario['profile'];
  readonly throttleIntervalMs: number;
  /** S8 (cadence): the worker gives up on a heartbeat RPC after this long; undefined: never. */
  readonly heartbeatRpcTimeoutMs: number | undefined;
  readonly logger: Logger;
  readonly server: { heartbeat(attempt: number, details: Payload): RpcResponse; report(attempt: number, report: Report): RpcResponse };
  private readonly prng: Prng;
  private readonly rpcPrng: Prng;
  private readonly taskQueue: number[] = [];
  private readonly timers = new Map<TimerKind, Cancellable>();
  private readonly attempts: AttemptSummary[] = [];
  private readonly warnings: string[] = [];
  private outcome: Outcome | undefined;
  private draining = false;
  private noPollUntil = -1;
  private readonly faults: FaultInjector;
  /** X6, X7: the client of `Context.client` / `getClient()` and of the external system. */
  readonly client: SimulatedClient;
  /** X6: the scenario's external system, if it declares one. */
  readonly external: ExternalSystemRuntime | undefined;
  private readonly clientPrng: Prng;
  /** Set when the user touched something hbsim does not simulate. */
  private unsimulatedUse: { readonly at: number; readonly what: string } | undefined;
  private attemptLimitHit = false;
  private gaveUp: string | undefined;

  constructor(
    readonly scenario: NormalizedScenario,
    readonly options: SimulateOptions,
    readonly frontDoor: FrontDoor,
    /** The thread's Postgres engine, reset for this run (a scenario with a `database`). */
    engine?: PgEngine,
  ) {
    this.trace = new Trace(options.trace ?? 'full');
    this.prng = Prng.seeded(options.seed);
    this.rpcPrng = this.prng.fork('rpc');
    this.scheduler = new Scheduler(scenario.epochMs);
    this.profile = scenario.profile;
    this.lifecycle = new ActivityLifecycle(scenario.options);
    this.throttleIntervalMs = throttleIntervalMs(scenario.profile, scenario.options.heartbeatTimeoutMs, scenario.worker);
    this.heartbeatRpcTimeoutMs = heartbeatRpcTimeoutMs(scenario.profile, scenario.options.heartbeatTimeoutMs);
    this.logger = options.logger ?? createSimLogger(this.scheduler, options.logTo, options.logLevel);
    if (options.logger !== undefined || options.logTo !== undefined) {
      const log = this.logger;
      // Sink effects are many: at trace level, under everything else.
      this.trace.listener = (ev) => log[ev.type === 'effect' ? 'trace' : 'debug']({ event: ev }, formatEvent(ev).slice(14));
    }
    this.world = new WorldServices(
      generateRecords(scenario.records, this.prng.fork('records')),
      scenario.latencies,
      this.scheduler,
      this.prng.fork('latency'),
      this.prng.fork('world.random'),
      this.trace,
    );
    this.server = {
      heartbeat: (attempt, details) => this.handle({ type: 'heartbeat', at: this.scheduler.now, attempt, details }, 'heartbeat'),
      report: (attempt, report) => this.handle(reportEvent(this.scheduler.now, attempt, report), report.report === 'completed' ? 'completed' : report.report === 'failed' ? 'failed' : 'canceled'),
    };
    this.world.clients = new ClientServices(scenario.services, this.world, this.scheduler, this.prng.fork('services'), this.trace);
    if (engine !== undefined && scenario.database !== undefined) {
      this.world.postgres = new SimPostgres(engine, scenario.database, this.world, this.scheduler, this.prng.fork('postgres'), this.trace);
    }
    for (let i = 1; i <= scenario.workers; i++) this.hosts.push(new WorkerHost(`worker-${i}`));
    this.faults = new FaultInjector(this, this.prng);
    this.clientPrng = this.prng.fork('client');
    this.client = makeSimulatedClient({
      scheduler: this.scheduler,
      trace: this.trace,
      scenario,
      lifecycle: this.lifecycle,
      serverRpc: (event, rpc) => this.handle(event, rpc),
      clientLatency: () => {
        const r = scenario.rpcLatency;
        return r.min === r.max ? r.min : this.clientPrng.int(r.min, r.max);
      },
      callerName: (owner) => (owner instanceof AttemptRun ? `attempt ${owner.attempt} on ${owner.process.name}` : owner instanceof ExternalProcess ? owner.name : owner instanceof WorkerProcess ? owner.name : 'outside any attempt'),
      connected: (owner) => (owner instanceof AttemptRun ? owner.process.host.connected(this.scheduler.now) : true),
      unsimulated: (what) => this.unsimulated(what),
    });
    if (scenario.external !== undefined) {
      const runtime = new ExternalSystemRuntime({
        scheduler: this.scheduler,
        trace: this.trace,
        client: this.client,
        params: scenario.params,
        world: () => this.world.facade(),
        warn: (message) => this.warnings.push(message),
        clearTimersOf: (owner) => this.scheduler.clearTimersOf(owner),
      }, scenario.external, this.prng.fork('external'));
      this.external = runtime;
      this.world.external = { submit: (job) => runtime.submit(job) };
    } else this.external = undefined;
  }

  /** The user touched `what`, which hbsim does not simulate: the run stops with outcome `unsimulated`. */
  private unsimulated(what: string): void {
    const s = this.scheduler;
    if (this.unsimulatedUse === undefined) this.unsimulatedUse = { at: s.now, what };
    this.trace.record({ t: s.now, type: 'unsimulated', what });
    s.stop();
  }

  /** `externalCrash` (fault plan). */
  crashExternal(reason: string): void {
    this.external?.crash(reason);
  }

  /** `externalDelayed` (fault plan): job `nth` arrives `byMs` late. */
  delayExternalJob(nth: number, byMs: number): void {
    if (this.external === undefined) return;
    this.external.delays.set(nth, (this.external.delays.get(nth) ?? 0) + byMs);
  }

  // ---- the server side -------------------------------------------------------------------

  /** Feed the lifecycle an event, apply its decisions, and return its answer to an RPC, if any. */
  private handle(event: LifecycleEvent, rpc?: 'heartbeat' | 'completed' | 'failed' | 'canceled'): RpcResponse {
    let response: RpcResponse = { status: 'notFound', cancelRequested: false };
    for (const d of this.lifecycle.handle(event)) {
      if (d.type === 'respond' && d.to === rpc) response = { status: d.status, cancelRequested: d.cancelRequested };
      else this.apply(d);
    }
    return response;
  }

  private apply(d: LifecycleDecision): void {
    const s = this.scheduler;
    const now = s.now;
    switch (d.type) {
      case 'armTimer': {
        const old = this.timers.get(d.timer.kind);
        if (old !== undefined) old.cancelled = true;
        const ev = s.at(d.at, (timer) => {
          if (this.timers.get(timer.kind) === ev) this.timers.delete(timer.kind);
          this.trace.record({ t: s.now, type: 'timerFired', timer: timer.kind, attempt: timer.attempt });
          this.handle({ type: 'timerFired', at: s.now, timer });
        }, d.timer, null, false);
        this.timers.set(d.timer.kind, ev);
        return;
      }
      case 'disarmTimer': {
        const ev = this.timers.get(d.timer.kind);
        if (ev !== undefined) {
          ev.cancelled = true;
          this.timers.delete(d.timer.kind);
        }
        return;
      }
      case 'dispatch':
        s.at(d.at, (attempt) => {
          this.trace.record({ t: s.now, type: 'dispatched', attempt });
          this.taskQueue.push(attempt);
          this.tryDispatch();
        }, d.attempt, null, false);
        return;
      case 'withdraw': {
        const i = this.taskQueue.indexOf(d.attempt);
        if (i >= 0) this.taskQueue.splice(i, 1);
        return;
      }
      case 'detailsStored': {
        this.counts.detailsStored++;
        this.trace.record({ t: now, type: 'detailsStored', attempt: d.attempt, details: d.details });
        this.faults.onDetailsStored(this.counts.detailsStored, d.attempt);
        return;
      }
      case 'attemptTimedOut':
        this.trace.record({ t: now, type: 'attemptTimedOut', attempt: d.attempt, timeoutType: d.timeoutType });
        this.endAttempt(d.attempt, `timed out (${d.timeoutType})`);
        return;
      case 'attemptFailed':
        this.endAttempt(d.attempt, `failed: ${describeFailure(d.failure)}`);
        return;
      case 'retryScheduled':
        this.trace.record({ t: now, type: 'retryScheduled', nextAttempt: d.nextAttempt, backoffMs: d.backoffMs, at: d.at, why: describeFailure(d.failure) });
        return;
      case 'closed':
        this.outcome = d.outcome;
        this.gaveUp = giveUpReason(this.scenario, d.outcome, this.lifecycle.firstScheduledAt ?? 0, this.lifecycle.cancelRequested);
        this.endAttempt(d.outcome.attempt, d.outcome.status);
        this.trace.record({ t: now, type: 'closed', status: d.outcome.status, attempt: d.outcome.attempt });
        s.stop();
        return;
      case 'respond':
        return;
    }
  }

  private endAttempt(attempt: number, how: string): void {
    const a = this.attempts.find((x) => x.attempt === attempt);
    if (a !== undefined && a.endedAt === undefined) {
      a.endedAt = this.scheduler.now;
      a.how = how;
    }
  }

  /** Hand queued tasks to workers that can poll (lowest-numbered first). */
  private tryDispatch(): void {
    const now = this.scheduler.now;
    if (now < this.noPollUntil) return;
    while (this.taskQueue.length > 0) {
      const host = this.hosts.find((h) => h.canPoll(now));
      if (host === undefined || host.process === undefined) return;
      const attempt = this.taskQueue.shift()!;
      this.startAttempt(host.process, attempt);
    }
  }

  private startAttempt(process: WorkerProcess, attempt: number): void {
    const s = this.scheduler;
    if (this.options.attemptLimit !== undefined && attempt > this.options.attemptLimit) {
      this.attemptLimitHit = true;
      s.stop();
      return;
    }
    const details = this.lifecycle.storedDetails;
    this.handle({ type: 'attemptStarted', at: s.now, attempt, worker: process.name });
    if (!this.lifecycle.attemptStarted || this.lifecycle.attempt !== attempt) return; // the server did not start it
    const run = new AttemptRun(this, process, {
      attempt,
      details,
      scheduledAt: this.lifecycle.firstScheduledAt ?? 0,
      currentAttemptScheduledAt: this.lifecycle.currentAttemptScheduledAt ?? s.now,
      startedAt: s.now,
    });
    process.runs.push(run);
    this.counts.attempts++;
    this.attempts.push({ attempt, worker: process.name, startedAt: s.now, startDetails: details, endedAt: undefined, how: 'running' });
    this.trace.record({ t: s.now, type: 'attemptStarted', attempt, worker: process.name, details });
    this.faults.onAttemptStarted(run);
    s.at(s.now, (r) => r.begin(), run, run, true);
  }

  /** An attempt reported (or had nothing to report): its worker slot is free. */
  onRunFinished(run: AttemptRun): void {
    this.faults.onRunFinished(run);
    this.tryDispatch();
    this.stopIfDrained();
  }

  /** After the outcome: stop once no attempt is still running (zombies, late reports). */
  private stopIfDrained(): void {
    if (this.draining && !this.anyLiveRun()) this.scheduler.stop();
  }

  liveRun(attempt: number): AttemptRun | undefined {
    for (const h of this.hosts) {
      const p = h.process;
      if (p === undefined || !p.alive) continue;
      for (const r of p.runs) if (r.attempt === attempt && !r.finished) return r;
    }
    return undefined;
  }

  // ---- the worker side -------------------------------------------------------------------

  /**
   * An RPC from `run`: request half, `atServer()` on the server, response half, `onResponse`.
   * Heartbeats can be lost or delayed (fault plan); from a partitioned worker a heartbeat fails
   * and a report is retried every second until the partition heals, as the SDKs do.
   * With `deadlineMs`, a worker that has no answer after that long sees an error (S8, cadence);
   * a request that would reach the server after the deadline never does.
   */
  rpc(run: AttemptRun, kind: 'heartbeat' | 'report', atServer: () => RpcResponse, onResponse: (response: RpcResponse) => void, deadlineMs?: number): void {
    const range = this.scenario.rpcLatency;
    const s = this.scheduler;
    let l = range.min === range.max ? range.min : this.rpcPrng.int(range.min, range.max);
    const host = run.process.host;
    let fault: 'lost' | 'partitioned' | undefined;
    if (kind === 'heartbeat') {
      const planned = this.faults.heartbeatRpc();
      if (planned.lost) fault = 'lost';
      if (planned.delayMs > 0) {
        l += planned.delayMs;
        this.trace.record({ t: s.now, type: 'rpcFault', attempt: run.attempt, rpc: kind, fault: 'delayed', ms: planned.delayMs });
      }
    }
    if (!host.connected(s.now)) {
      fault = 'partitioned';
      if (kind === 'report') {
        this.trace.record({ t: s.now, type: 'rpcFault', attempt: run.attempt, rpc: kind, fault, ms: host.partitionedUntil - s.now });
        s.at(host.partitionedUntil, () => this.rpc(run, kind, atServer, onResponse, deadlineMs), undefined, run, true);
        return;
      }
    }
    const half = Math.floor(l / 2);
    if (fault !== undefined) {
      this.trace.record({ t: s.now, type: 'rpcFault', attempt: run.attempt, rpc: kind, fault, ms: 0 });
      s.after(deadlineMs !== undefined && deadlineMs < l ? deadlineMs : l, onResponse, RPC_ERROR, run, true);
      return;
    }
    if (deadlineMs !== undefined && deadlineMs < l) {
      if (half < deadlineMs) s.after(half, atServer, undefined, run, false);
      s.after(deadlineMs, onResponse, RPC_ERROR, run, true);
      return;
    }
    s.after(half, () => {
      const response = atServer();
      s.after(l - half, onResponse, response, run, true);
    }, undefined, run, false);
  }

  /** S5: when the worker gives up on the attempt by itself. */
  localTimeoutAt(start: AttemptStart, lastHeartbeatResponseAt: number | undefined): number | undefined {
    const o = this.scenario.options;
    return localTimeoutDeadline(this.profile, {
      attemptStartedAt: start.startedAt,
      lastHeartbeatResponseAt,
      heartbeatTimeoutMs: o.heartbeatTimeoutMs,
      startToCloseTimeoutMs: o.startToCloseTimeoutMs,
      attemptScheduledAt: start.currentAttemptScheduledAt,
      scheduleToCloseTimeoutMs: o.scheduleToCloseTimeoutMs,
    });
  }

  private startProcess(host: WorkerHost): void {
    const s = this.scheduler;
    const process = new WorkerProcess(host, ++host.incarnations);
    host.process = process;
    this.trace.record({ t: s.now, type: 'processStarted', worker: process.name });
    const previous = s.current;
    s.current = process;
    let problem: string | undefined;
    let value: unknown;
    try {
      process.activity = this.scenario.activity(this.world.facade(), this.scenario.params);
      if (typeof process.activity !== 'function') [problem, value] = [`returned ${describeValue(process.activity)}, not a function,`, process.activity];
    } catch (error) {
      [problem, value] = [`threw ${describeError(error)}`, error];
    } finally {
      s.current = previous;
    }
    if (problem !== undefined) {
      // At the first start (no fault yet) it is the scenario's error; at a restart after a crash
      // the worker process dies at start-up, as a real one would, and stays down.
      if (process.incarnation === 1) throw new ActivityFactoryError(process.name, problem, value);
      this.warnings.push(`the activity factory ${problem} when ${process.name} restarted at ${formatTime(s.now)}: that worker crashed at start-up and stays down`);
      process.alive = false;
      this.trace.record({ t: s.now, type: 'crash', worker: process.name, attempt: 0, reason: `the activity factory ${problem} at start-up` });
      this.stopIfDrained();
      return;
    }
    this.tryDispatch();
  }

  /** Process death of `host`'s process (`counted`: a crash, not a clean exit after shutdown). */
  crash(host: WorkerHost, reason: string, counted = true): void {
    const process = host.process;
    if (process === undefined || !process.alive) return;
    const s = this.scheduler;
    const live = process.live;
    if (counted) this.counts.crashes++;
    this.trace.record({ t: s.now, type: 'crash', worker: process.name, attempt: live[0]?.attempt ?? 0, reason });
    for (const run of live) run.onCrash();
    process.alive = false;
    this.world.postgres?.onOwnerDied(process);
    for (const run of process.runs) s.clearTimersOf(run);
    s.clearTimersOf(process);
    for (const run of live) this.endAttempt(run.attempt, 'crashed');
    s.after(this.scenario.restartDelayMs, (h) => this.startProcess(h), host, null, true);
    this.stopIfDrained();
  }

  /** The host running the current attempt (or the first host if none runs it). */
  currentHost(): WorkerHost {
    return this.liveRun(this.lifecycle.attempt)?.process.host ?? this.hosts[0]!;
  }

  /** The host whose code is running now (the owner of the current event), if any. */
  runningHost(): WorkerHost | undefined {
    const owner = this.scheduler.current;
    if (owner instanceof AttemptRun) return owner.process.host;
    if (owner instanceof WorkerProcess) return owner.host;
    return undefined;
  }

  /** Whether the code running now belongs to the external system (X6). */
  runningExternal(): boolean {
    return this.scheduler.current instanceof ExternalProcess;
  }

  /** A heartbeat() call reached the run (after encoding): crash faults keyed on call counts. */
  onHeartbeatCall(run: AttemptRun, coalesced: boolean): void {
    this.faults.onHeartbeatCall(run, this.counts.heartbeatCalls, coalesced);
  }

  /** The workflow asks to cancel the activity (a fault plan's `cancel`). */
  requestCancel(): void {
    const s = this.scheduler;
    this.trace.record({ t: s.now, type: 'cancelRequested' });
    this.handle({ type: 'cancelRequested', at: s.now });
    this.tryDispatch();
  }

  /** No worker polls until `until` (a fault plan's `noWorker`). */
  stopPolling(until: number): void {
    const s = this.scheduler;
    this.noPollUntil = Math.max(this.noPollUntil, until);
    this.trace.record({ t: s.now, type: 'noWorker', until: this.noPollUntil });
    this.dispatchAt(this.noPollUntil);
  }

  /**
   * Freeze the event loop of `host`'s process for `durationMs` (a fault plan's `pause`): its
   * events that would run its code, and its user timers, wait until then (the scheduler's
   * `frozenUntil`); it polls no task meanwhile.
   */
  pause(host: WorkerHost, durationMs: number): void {
    const s = this.scheduler;
    const process = host.process;
    if (process === undefined || !process.alive) return;
    host.pausedUntil = Math.max(host.pausedUntil, s.now + durationMs);
    s.frozenUntil ??= frozenUntil;
    this.trace.record({ t: s.now, type: 'pause', worker: process.name, until: host.pausedUntil });
    this.dispatchAt(host.pausedUntil);
  }

  /** Try to hand queued tasks to workers at `at`. */
  dispatchAt(at: number): void {
    this.scheduler.at(at, () => this.tryDispatch(), undefined, null, false);
  }

  // ---- running ---------------------------------------------------------------------------

  private anyLiveRun(): boolean {
    return this.hosts.some((h) => h.process?.alive === true && h.process.live.length > 0);
  }

  /**
   * User code threw where nothing catches it (a timer callback, an event listener) or left a
   * promise rejection unhandled: in Node either kills the process, so the worker running that
   * code crashes, and the run's warnings say why.
   */
  private userError(owner: Owner | null, what: string, error: unknown): void {
    const host = owner instanceof AttemptRun ? owner.process.host : owner instanceof WorkerProcess ? owner.host : undefined;
    const where = owner instanceof AttemptRun ? `attempt ${owner.attempt} on ${owner.process.name}` : owner instanceof WorkerProcess ? owner.name : 'no attempt';
    this.warnings.push(`${what} at ${formatTime(this.scheduler.now)} (${where}) crashed the worker, as it would kill a Node process: ${describeError(error)}`);
    if (host !== undefined) this.crash(host, `${what}: ${describeError(error)}`);
  }

  async run(): Promise<SimulationResult> {
    const s = this.scheduler;
    const maxTime = this.options.maxVirtualTimeMs ?? 30 * DAY;
    let ended: SimulationOutcome | undefined;
    const progress = this.options.progress;
    if (progress !== undefined) {
      s.progress = progress;
      progress[0] = 0;
      progress[1] = 0;
      if (progress.length >= 4) {
        progress[2]! += 1;
        progress[3] = 1;
      }
    }
    if (this.options.stepLimit !== undefined) s.stepLimit = this.options.stepLimit;
    const onRejection = (reason: unknown): void => this.userError(s.current, 'an unhandled promise rejection', reason);
    const onException = (error: unknown): void => this.userError(s.current, 'an uncaught exception', error);
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
    s.install();
    this.world.clients?.install();
    const callLog: WorldCallRecord[] | undefined = this.options.callLog === true ? [] : undefined;
    try {
      this.faults.install(this.options.faults ?? []);
      if (callLog !== undefined) {
        // After the fault injector's hook: observe every call, change nothing.
        const planned = this.world.faultFor;
        this.world.faultFor = (n, op, key) => {
          callLog.push({ t: s.now, op, key });
          return planned?.(n, op, key);
        };
      }
      this.external?.start();
      for (const host of this.hosts) this.startProcess(host);
      this.trace.record({ t: 0, type: 'scheduled' });
      this.handle({ type: 'schedule', at: 0 });
      const onTimerError = (owner: Owner | null, error: unknown): void => this.userError(owner, 'an error thrown in a timer callback', error);
      const end = await s.run(maxTime, onTimerError);
      if (end === 'idle') ended = { status: 'stuck', at: s.now, reason: 'nothing left to happen in the simulation, yet the activity never closed: it awaits something no simulated service will settle (a real timer, real I/O, or a promise never resolved), and no timeout is armed' };
      else if (end === 'timeLimit') ended = { status: 'timeLimit', at: s.now, reason: `the activity had not closed after ${formatTime(maxTime)} of virtual time` };
      else if (end === 'stepLimit') ended = { status: 'stopped', at: s.now, reason: `stopped after ${s.steps} steps, as asked` };
      if (this.outcome !== undefined && end !== 'stepLimit' && this.unsimulatedUse === undefined && this.anyLiveRun()) {
        // Zombies and late reports: let running attempts finish (or observe their cancellation).
        const o = this.scenario.options;
        const drain = s.now + Math.max(o.startToCloseTimeoutMs || o.scheduleToCloseTimeoutMs, 60_000);
        this.draining = true;
        await s.run(drain, onTimerError);
      }
      if (this.attemptLimitHit && this.outcome === undefined) ended = { status: 'timeLimit', at: s.now, reason: `still retrying after ${this.options.attemptLimit} attempts: the retry policy did not give up, and hbsim stopped there` };
      const use = this.unsimulatedUse;
      if (use !== undefined) ended = { status: 'unsimulated', at: use.at, reason: `the activity used ${use.what}, which hbsim does not simulate (the client simulates client.activity.complete, fail, heartbeat and reportCancellation only): the run stopped there, so nothing after it was checked` };
    } finally {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
      this.world.clients?.uninstall();
      const leftover = s.uninstall();
      if (leftover > 0 && this.unsimulatedUse === undefined) this.warnings.push(`${leftover} timer(s) were still pending when the simulation ended (a ticker not cleared when the activity returned?)`);
      if (progress !== undefined && progress.length >= 4) progress[3] = 0;
    }
    const tables = await this.world.postgres?.finish();
    const services = this.world.clients?.snapshot();
    const database = tables === undefined && (services === undefined || services.size === 0) ? undefined : new Map([...(tables ?? []), ...(services ?? [])]);
    for (const escape of this.world.clients?.escapes ?? []) this.warnings.push(escape);
    this.counts.recordsRedone = this.world.redoneEffects;
    this.counts.effects = this.world.effects + (this.world.postgres?.statements ?? 0) + (this.world.clients?.effects ?? 0);
    this.counts.worldCalls = this.world.calls;
    const trace = this.trace;
    return {
      scenario: this.scenario.name,
      seed: this.options.seed,
      faults: this.options.faults ?? [],
      outcome: ended ?? (this.gaveUp === undefined ? this.outcome! : { ...this.outcome!, gaveUp: this.gaveUp }),
      attempts: this.attempts,
      // Made on first read: the sink effects of a full trace are kept compactly until then.
      get trace() {
        return trace.events;
      },
      digest: this.trace.digest(),
      sink: this.world.sink,
      counts: this.counts,
      endedAt: s.now,
      warnings: this.warnings,
      ...(database !== undefined ? { database } : {}),
      ...(callLog !== undefined ? { callLog } : {}),
    };
  }
}

const RPC_ERROR: RpcResponse = { status: 'error', cancelRequested: false };

/** Until when the code of `owner` is frozen by a paused worker (0: it is not). */
function frozenUntil(owner: Owner): number {
  const host = owner instanceof AttemptRun ? owner.process.host : owner instanceof WorkerProcess ? owner.host : undefined;
  return host === undefined ? 0 : host.pausedUntil;
}

function reportEvent(at: number, attempt: number, report: Report): LifecycleEvent {
  switch (report.report) {
    case 'completed': return { type: 'completed', at, attempt, result: report.result };
    case 'failed': return { type: 'failed', at, attempt, failure: report.failure };
    case 'canceled': return { type: 'canceled', at, attempt, details: report.details };
    default: throw new Error('hbsim: nothing to report');
  }
}

