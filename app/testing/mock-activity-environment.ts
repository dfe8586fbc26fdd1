/**
 * `hbsim/testing`: a drop-in for `@temporalio/testing`'s `MockActivityEnvironment` (1.24) that
 * runs the activity in hbsim's simulation: virtual time (a `sleep(10_000)` takes no wall time),
 * the server's timeouts from the `info` given (start-to-close, schedule-to-close, heartbeat), the
 * SDK's heartbeat throttle, and, on request, retries, crashes and fault plans, and the property
 * search.
 *
 * Same surface as upstream: `new MockActivityEnvironment(info?, opts?)`, `run(fn, ...args)`,
 * `cancel(reason?, details?)`, `'heartbeat'` events (every `heartbeat()` call, before the
 * throttle), `context`, and `opts.client` / `logger` / `metricMeter`. The deliberate differences
 * are listed in the README ("A drop-in for MockActivityEnvironment").
 */
import { EventEmitter } from 'node:events';
import type * as ActivityModule from '@temporalio/activity';
import { normalizeScenario, type TemporalScenario } from '../../src/scenario.js';
import type { RetryOptions, WorkerOptions } from '../../src/options.js';
import { HbsimConfigError } from '../../src/errors.js';
import { parseDuration } from '../../src/duration.js';
import type { FaultPlan } from '../../sim/fault-plan.js';
import { frontDoorFor } from '../../sim/simulate.js';
import { Simulation, type SimulationResult } from '../../sim/simulation.js';
import type { CheckReport } from '../../properties/check.js';
import { checkScenario, type VitestCheckOptions } from '../../src/vitest.js';

type Info = ActivityModule.Info;
type Context = ActivityModule.Context;
type CancelReason = 'CANCELLED' | 'NOT_FOUND' | 'TIMED_OUT' | 'WORKER_SHUTDOWN' | 'HEARTBEAT_DETAILS_CONVERSION_FAILED' | 'PAUSED' | 'RESET';
const REASONS: readonly string[] = ['CANCELLED', 'NOT_FOUND', 'TIMED_OUT', 'WORKER_SHUTDOWN', 'HEARTBEAT_DETAILS_CONVERSION_FAILED', 'PAUSED', 'RESET'];

/** What hbsim adds to upstream's options; every one is opt-in. */
export interface HbsimTestingOptions {
  /** Seed of the simulation (latencies, the world); default 0. */
  readonly seed?: number;
  /** Retry per the policy: `true` for Temporal's default policy (R8), or a policy; default `false`: one attempt, as upstream. */
  readonly retries?: boolean | RetryOptions;
  /** Crash the worker at these virtual times (`'2.5s'`, or ms): the attempt dies, a retry resumes from the stored details. */
  readonly crashes?: readonly (number | string)[];
  /** A fault plan (crashes keyed on effects or heartbeats, lost heartbeats, partitions...; see `hbsim run --fault`). */
  readonly faults?: FaultPlan;
  /** SDK worker options shaping the throttle (`maxHeartbeatThrottleInterval`, `defaultHeartbeatThrottleInterval`). */
  readonly worker?: WorkerOptions;
}

/** Upstream's options (`interceptors` are not supported: an error says so), and hbsim's. */
export interface MockActivityEnvironmentOptions extends HbsimTestingOptions {
  readonly interceptors?: readonly unknown[];
  readonly logger?: unknown;
  readonly metricMeter?: unknown;
  readonly client?: unknown;
}

/** Upstream's default info (`defaultActivityInfo` of `@temporalio/testing` 1.24). */
export const defaultActivityInfo: Info = {
  attempt: 1,
  taskQueue: 'test',
  isLocal: false,
  taskToken: Buffer.from('test'),
  activityId: 'test',
  activityType: 'unknown',
  workflowType: 'test',
  base64TaskToken: Buffer.from('test').toString('base64'),
  heartbeatTimeoutMs: undefined,
  heartbeatDetails: undefined,
  activityNamespace: 'default',
  workflowNamespace: 'default',
  workflowExecution: { workflowId: 'test', runId: '00000000-0000-0000-0000-000000000000' },
  scheduledTimestampMs: 1,
  startToCloseTimeoutMs: 1000,
  scheduleToCloseTimeoutMs: 1000,
  currentAttemptScheduledTimestampMs: 1,
  priority: undefined,
  retryPolicy: undefined,
  namespace: 'test',
  activityRunId: undefined,
  inWorkflow: true,
} as unknown as Info;

const DAY_MS = 86_400_000;

/** What one attempt's function did. */
type Settled = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

export class MockActivityEnvironment extends EventEmitter {
  /** Cancel the activity: see the README for how each reason is delivered. */
  public cancel: (reason?: CancelReason, details?: unknown) => void;
  private readonly info: Partial<Info>;
  private readonly opts: MockActivityEnvironmentOptions;
  private sim: Simulation | undefined;
  private attempt = 0;
  private ctx: Context | undefined;
  private pendingCancel: CancelReason | undefined;
  /** The last run's simulation result: outcome, attempts, the whole trace (hbsim only). */
  public lastRun: SimulationResult | undefined;

  constructor(info?: Partial<Info>, opts?: MockActivityEnvironmentOptions) {
    super();
    this.info = info ?? {};
    this.opts = opts ?? {};
    if (this.opts.interceptors !== undefined && this.opts.interceptors.length > 0) {
      throw new HbsimConfigError('MockActivityEnvironment opts.interceptors', `${this.opts.interceptors.length} interceptor(s)`, 'none: hbsim/testing does not run activity interceptors (use @temporalio/testing for those tests)');
    }
    this.cancel = (reason, _details) => this.requestCancel(reason ?? 'CANCELLED');
  }

  /** The context of the attempt running now (or of the last one). */
  get context(): Context {
    if (this.ctx === undefined) throw new HbsimConfigError('MockActivityEnvironment.context', undefined, 'a run() started first: hbsim makes a new context for every attempt');
    return this.ctx;
  }

  private requestCancel(reason: CancelReason): void {
    if (!REASONS.includes(reason)) throw new HbsimConfigError('cancel(reason)', reason, `one of ${REASONS.join(', ')}`);
    const sim = this.sim;
    if (sim === undefined) {
      this.pendingCancel = reason;
      return;
    }
    const s = sim.scheduler;
    if (reason === 'CANCELLED') {
      // The workflow's cancel request: the server records it; the attempt learns of it from its next heartbeat response (C1).
      s.at(s.now, () => sim.requestCancel(), undefined, null, false);
      return;
    }
    // Worker-side reasons reach the running attempt at once, as the worker delivers them.
    const run = sim.liveRun(this.attempt);
    if (run !== undefined) s.at(s.now, (r) => r.cancel(reason), run, run, true);
  }

  /** The scenario hbsim simulates for `fn(...args)` (`emit`: heartbeat events and captured results). */
  private scenario(fn: (...args: any[]) => Promise<unknown>, args: readonly unknown[], activity: typeof ActivityModule, settled?: Map<number, Settled>): TemporalScenario {
    const info = { ...defaultActivityInfo, ...this.info };
    const retry = this.opts.retries === true ? undefined : this.opts.retries === undefined || this.opts.retries === false ? { maximumAttempts: 1 } : this.opts.retries;
    const given = this.info;
    const env = this;
    return {
      name: info.activityType,
      api: 'temporal',
      records: 0,
      identity: {
        activityId: info.activityId,
        activityType: info.activityType,
        workflowId: info.workflowExecution?.workflowId ?? 'test',
        runId: info.workflowExecution?.runId ?? '00000000-0000-0000-0000-000000000000',
        workflowType: info.workflowType ?? 'test',
        taskQueue: info.taskQueue,
        namespace: info.activityNamespace,
      },
      // Only the timeouts given in `info` are enforced; with neither start-to-close nor
      // schedule-to-close given, an attempt may run for a day of virtual time.
      options: {
        ...(given.startToCloseTimeoutMs ? { startToCloseTimeout: given.startToCloseTimeoutMs } : given.scheduleToCloseTimeoutMs ? {} : { startToCloseTimeout: DAY_MS }),
        ...(given.scheduleToCloseTimeoutMs ? { scheduleToCloseTimeout: given.scheduleToCloseTimeoutMs } : {}),
        ...(given.heartbeatTimeoutMs ? { heartbeatTimeout: given.heartbeatTimeoutMs } : {}),
        ...(retry !== undefined ? { retry } : {}),
      },
      ...(this.opts.worker ? { worker: this.opts.worker } : {}),
      activity: () => async () => {
        const ctx = activity.Context.current();
        const simAttempt = ctx.info.attempt;
        const mutable = ctx as unknown as Record<string, unknown>;
        // info overrides: as given, but the attempt counts on from the given one, and given details are the first attempt's.
        const seen: Record<string, unknown> = { ...ctx.info, ...given, attempt: (given.attempt ?? 1) + simAttempt - 1 };
        seen['heartbeatDetails'] = simAttempt === 1 && 'heartbeatDetails' in given ? given.heartbeatDetails : ctx.info.heartbeatDetails;
        // The timeouts are the ones hbsim enforces.
        for (const k of ['startToCloseTimeoutMs', 'scheduleToCloseTimeoutMs', 'heartbeatTimeoutMs'] as const) seen[k] = (ctx.info as unknown as Record<string, unknown>)[k];
        mutable['info'] = seen;
        if (settled !== undefined) {
          const send = ctx.heartbeat;
          mutable['heartbeat'] = (details?: unknown) => {
            env.emit('heartbeat', details);
            send(details);
          };
        }
        // Without opts.client the context keeps hbsim's simulated client (sim/client.ts).
        if (this.opts.client !== undefined) Object.defineProperty(ctx, 'client', { value: this.opts.client });
        if (this.opts.logger !== undefined) mutable['log'] = this.opts.logger;
        if (this.opts.metricMeter !== undefined) mutable['metricMeter'] = this.opts.metricMeter;
        if (settled !== undefined) {
          env.attempt = simAttempt;
          env.ctx = ctx;
          const early = env.pendingCancel;
          if (early !== undefined && env.sim !== undefined) {
            // Cancelled before run(): the first attempt is cancelled as it starts (the server records a CANCELLED request too).
            env.pendingCancel = undefined;
            const sim = env.sim;
            const live = sim.liveRun(simAttempt);
            if (early === 'CANCELLED') sim.scheduler.at(sim.scheduler.now, () => sim.requestCancel(), undefined, null, false);
            if (live !== undefined) sim.scheduler.at(sim.scheduler.now, (r) => r.cancel(early), live, live, true);
          }
        }
        try {
          const value = await fn(...args);
          settled?.set(simAttempt, { ok: true, value });
          return value;
        } catch (error) {
          settled?.set(simAttempt, { ok: false, error });
          throw error;
        }
      },
    };
  }

  private faults(): FaultPlan {
    const crashes = (this.opts.crashes ?? []).map((at, i) => ({ kind: 'crash', at: parseDuration(at, `crashes[${i}]`) }) as const);
    return [...(this.opts.faults ?? []), ...crashes];
  }

  /** Run `fn(...args)` as an activity in virtual time; resolves with its result, rejects with its error. */
  public async run<P extends any[], R, F extends (...args: P) => Promise<R>>(fn: F, ...args: P): Promise<R> {
    const activity = await import('@temporalio/activity');
    const common = await import('@temporalio/common');
    const settled = new Map<number, Settled>();
    const scenario = normalizeScenario(this.scenario(fn as (...a: any[]) => Promise<unknown>, args, activity, settled));
    const sim = new Simulation(scenario, { seed: this.opts.seed ?? 0, faults: this.faults() }, await frontDoorFor('temporal'));
    this.sim = sim;
    let result: SimulationResult;
    try {
      result = await sim.run();
    } finally {
      this.sim = undefined;
    }
    this.lastRun = result;
    const o = result.outcome;
    if (o.status === 'completed') {
      const s = settled.get(o.attempt);
      return (s?.ok === true ? s.value : o.result) as R;
    }
    // A timeout is what the caller sees (the attempt's own CancelledFailure('TIMED_OUT') follows from it).
    if (o.status === 'timedOut') throw new common.TimeoutFailure(`activity timed out (${o.failure.timeoutType}) at ${o.at} ms of virtual time, after ${result.attempts.length} attempt(s)`, o.failure.lastHeartbeatDetails, o.failure.timeoutType as never);
    // The activity's own error, as upstream rethrows it: the last attempt's, if its function threw.
    const last = settled.get(result.attempts.at(-1)?.attempt ?? 0);
    if (last !== undefined && !last.ok) throw last.error;
    if (o.status === 'canceled') throw new common.CancelledFailure('CANCELLED');
    if (o.status === 'failed') throw new common.ApplicationFailure(o.failure.kind === 'application' ? o.failure.message : `activity failed (${o.failure.kind})`);
    throw new Error(`hbsim: the activity did not finish: ${o.reason}`);
  }

  /**
   * Opt in to the property search: check `fn(...args)` on hbsim's properties (completes,
   * deterministic, details-serializable, ...) under random fault plans; resolves with the report,
   * rejects with the violations, their minimal fault plans and how to replay them.
   */
  public async check<P extends any[], F extends (...args: P) => Promise<unknown>>(fn: F, args: P, options: VitestCheckOptions = {}): Promise<CheckReport> {
    const activity = await import('@temporalio/activity');
    const retries = this.opts.retries ?? true;
    const env = new MockActivityEnvironment(this.info, { ...this.opts, retries });
    return checkScenario(env.scenario(fn as (...a: any[]) => Promise<unknown>, args, activity), { corpus: false, ...options });
  }
}
