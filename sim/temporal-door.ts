/**
 * The Temporal front door: runs an activity written against `@temporalio/activity` 1.24
 * unmodified (X1-X5). The package keeps a process-global AsyncLocalStorage; we build a real
 * `Context` and run the user's function inside `asyncLocalStorage.run(ctx, ...)`, so that
 * `activityInfo()`, `heartbeat()`, `sleep()`, `cancelled()`, `cancellationSignal()` and `log`
 * all work. `Context.sleep` uses the global `setTimeout`, which is virtual while we run (X4).
 *
 * `@temporalio/activity` is an optional peer dependency: it is loaded only for scenarios with
 * `api: 'temporal'`.
 */
import type { CancellationReason } from '../src/context.js';
import type { Payload } from '../src/model/types.js';
import { HbsimConfigError } from '../src/errors.js';
import { HeartbeatEncoder } from '../src/model/heartbeat-encoding.js';
import { decodeDetails, encodeDetails } from '../src/model/payload.js';
import type { AttemptRun, Invocation } from './attempt-run.js';
import { temporalActivityInfo } from './temporal-info.js';
import type { FrontDoor } from './simulation.js';

type ActivityModule = typeof import('@temporalio/activity');
type CommonModule = typeof import('@temporalio/common');

const CANCEL_DETAILS: Record<CancellationReason, Record<string, boolean>> = {
  CANCELLED: { cancelRequested: true },
  NOT_FOUND: { notFound: true },
  // sdk-core's local timeout (S5, the only source of TIMED_OUT here) sets both flags.
  TIMED_OUT: { notFound: true, timedOut: true },
  WORKER_SHUTDOWN: { workerShutdown: true },
  PAUSED: { paused: true },
  RESET: { reset: true },
  HEARTBEAT_DETAILS_CONVERSION_FAILED: {},
};

/** Load `@temporalio/activity` (and its `@temporalio/common`) and make the front door. */
export async function loadTemporalFrontDoor(): Promise<FrontDoor> {
  let activity: ActivityModule;
  let common: CommonModule;
  try {
    activity = await import('@temporalio/activity');
    common = await import('@temporalio/common');
  } catch (error) {
    throw new HbsimConfigError('api', 'temporal', "@temporalio/activity installed next to hbsim (npm i -D @temporalio/activity@^1.24), or api: 'native'", `cannot load @temporalio/activity (${(error as Error).message})`);
  }
  return (run, fn, args) => temporalInvocation(activity, common, run, fn, args);
}

function temporalInvocation(activity: ActivityModule, common: CommonModule, run: AttemptRun, fn: unknown, args: readonly unknown[]): Invocation {
  const sim = run.sim;
  const controller = new AbortController();
  let rejectCancelled: (error: unknown) => void = () => {};
  const cancelled = new Promise<never>((_, reject) => {
    rejectCancelled = reject;
  });
  cancelled.catch(() => {}); // as the real worker: an unobserved cancellation is not an unhandled rejection
  const holder: { details?: InstanceType<CommonModule['ActivityCancellationDetails']> } = {};
  // S3 inspection: which emission is a held call, and what it looked like when it was made.
  const inspect = sim.options.inspectDetails === true;
  const emissions: ({ held: false } | { held: true; atCall: Payload })[] = [];
  const heartbeat = (details?: unknown): void => {
    if (inspect) {
      run.inspectDetails(details);
      if (!encoder.busy) emissions.push({ held: false });
      else {
        let atCall: Payload;
        try {
          atCall = encodeDetails(details);
        } catch {
          atCall = undefined;
        }
        const last = emissions.at(-1);
        if (last?.held === true) emissions[emissions.length - 1] = { held: true, atCall };
        else emissions.push({ held: true, atCall });
      }
    }
    encoder.heartbeat(details);
  };
  const encoder = new HeartbeatEncoder({
    defer: queueMicrotask,
    emit: (payload) => {
      const e = inspect ? emissions.shift() : undefined;
      if (e?.held === true && e.atCall !== payload) run.detailsMutated(e.atCall, payload);
      run.heartbeat(payload);
    },
    onError: (error) => {
      if (inspect) emissions.shift();
      pinoLog.error({ err: error }, 'failed to encode heartbeat details, cancelling the activity');
      run.cancel('HEARTBEAT_DETAILS_CONVERSION_FAILED');
    },
  });
  const pinoLog = sim.logger.child({ attempt: run.attempt, worker: run.process.name, sdkComponent: 'activity' });
  const log = {
    log: (level: string, message: string, meta?: Record<string, unknown>) => pinoLog[levelOf(level)](meta ?? {}, message),
    trace: (message: string, meta?: Record<string, unknown>) => pinoLog.trace(meta ?? {}, message),
    debug: (message: string, meta?: Record<string, unknown>) => pinoLog.debug(meta ?? {}, message),
    info: (message: string, meta?: Record<string, unknown>) => pinoLog.info(meta ?? {}, message),
    warn: (message: string, meta?: Record<string, unknown>) => pinoLog.warn(meta ?? {}, message),
    error: (message: string, meta?: Record<string, unknown>) => pinoLog.error(meta ?? {}, message),
  };
  const temporalInfo = temporalActivityInfo(run);
  const ctx = new activity.Context(
    temporalInfo as unknown as ConstructorParameters<ActivityModule['Context']>[0],
    cancelled,
    controller.signal,
    heartbeat,
    // X7: the worker's client; only its async-completion operations are simulated (sim/client.ts).
    sim.client as unknown as ConstructorParameters<ActivityModule['Context']>[4],
    log as unknown as ConstructorParameters<ActivityModule['Context']>[5],
    common.noopMetricMeter,
    holder as ConstructorParameters<ActivityModule['Context']>[7],
  );
  const result = activity.asyncLocalStorage.run(ctx, () => (fn as (...args: unknown[]) => Promise<unknown>)(...args));
  return {
    result: Promise.resolve(result),
    cancel(reason) {
      // X3: set the details, abort the signal with a CancelledFailure, reject `cancelled`.
      holder.details = new common.ActivityCancellationDetails(CANCEL_DETAILS[reason]);
      const error = new common.CancelledFailure(reason);
      controller.abort(error);
      rejectCancelled(error);
    },
    settle(how, done) {
      encoder.complete(how, done);
    },
  };
}

function levelOf(level: string): 'trace' | 'debug' | 'info' | 'warn' | 'error' {
  const l = level.toLowerCase();
  return l === 'trace' || l === 'debug' || l === 'info' || l === 'warn' || l === 'error' ? l : 'info';
}
