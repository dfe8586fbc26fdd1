/**
 * The native front door: `async (ctx, input) => ...` with the context of src/context.ts.
 * Details are encoded at the heartbeat() call (as the Go client does, S3), by the JSON payload
 * converter (H7).
 */
import { ActivityCancelledError, type ActivityContext, type ActivityInfo } from '../src/context.js';
import { parseDuration } from '../src/duration.js';
import { decodeDetails, encodeDetails } from '../src/model/payload.js';
import type { AttemptRun, Invocation } from './attempt-run.js';

/** The `info` an attempt sees. Shared by both front doors. */
export function activityInfo(run: AttemptRun): ActivityInfo {
  const sim = run.sim;
  const epoch = sim.scheduler.epochMs;
  const o = sim.scenario.options;
  return {
    activityId: sim.scenario.identity.activityId,
    activityType: sim.scenario.identity.activityType,
    attempt: run.attempt,
    scheduledTime: epoch + run.start.scheduledAt,
    currentAttemptScheduledTime: epoch + run.start.currentAttemptScheduledAt,
    startedTime: epoch + run.start.startedAt,
    heartbeatTimeoutMs: o.heartbeatTimeoutMs,
    startToCloseTimeoutMs: o.startToCloseTimeoutMs,
    scheduleToCloseTimeoutMs: o.scheduleToCloseTimeoutMs,
    workerId: run.process.name,
  };
}

const SETTLED: Promise<void> = Promise.resolve();

export function nativeFrontDoor(run: AttemptRun, activity: unknown, args: readonly unknown[]): Invocation {
  const sim = run.sim;
  const controller = new AbortController();
  const sleepers = new Set<(reason: unknown) => void>();
  const inspect = sim.options.inspectDetails === true;
  const ctx: ActivityContext = {
    heartbeat(details?: unknown): Promise<void> {
      if (inspect) run.inspectDetails(details);
      const answered = run.heartbeat(encodeDetails(details));
      // S8: only the Go client blocks the caller for the RPC.
      return answered !== undefined && sim.profile === 'cadence' ? answered : SETTLED;
    },
    hasHeartbeatDetails: () => run.start.details !== undefined,
    heartbeatDetails: <T>() => decodeDetails(run.start.details) as T | undefined,
    info: activityInfo(run),
    signal: controller.signal,
    sleep(duration: number | string): Promise<void> {
      let ms: number;
      try {
        ms = parseDuration(duration, 'ctx.sleep(duration)');
      } catch (error) {
        return Promise.reject(error);
      }
      if (controller.signal.aborted) return Promise.reject(controller.signal.reason);
      return new Promise<void>((resolve, reject) => {
        sleepers.add(reject);
        sim.scheduler.after(ms, () => {
          sleepers.delete(reject);
          resolve();
        }, undefined, run, true);
      });
    },
    log: sim.logger.child({ attempt: run.attempt, worker: run.process.name }),
  };
  const result = (activity as (ctx: ActivityContext, ...args: unknown[]) => Promise<unknown>)(ctx, ...args);
  return {
    result: Promise.resolve(result),
    cancel(reason) {
      const error = new ActivityCancelledError(reason);
      controller.abort(error);
      for (const reject of sleepers) reject(error);
      sleepers.clear();
    },
  };
}
