/**
 * The native front door: `async (ctx, input) => ...` with the context of src/context.ts.
 * Details are encoded at the heartbeat() call (as the Go client does, S3), by the JSON payload
 * converter (H7).
 */
import { ActivityCancelledError } from '../src/context.js';
import { parseDuration } from '../src/duration.js';
import { decodeDetails, encodeDetails } from '../src/model/payload.js';
/** The `info` an attempt sees. Shared by both front doors. */
export function activityInfo(run) {
    const sim = run.sim;
    const epoch = sim.scheduler.epochMs;
    const o = sim.scenario.options;
    return {
        activityId: '1',
        activityType: sim.scenario.name,
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
export function nativeFrontDoor(run, activity, input) {
    const sim = run.sim;
    const controller = new AbortController();
    const sleepers = new Set();
    const ctx = {
        heartbeat(details) {
            run.heartbeat(encodeDetails(details));
        },
        hasHeartbeatDetails: () => run.start.details !== undefined,
        heartbeatDetails: () => decodeDetails(run.start.details),
        info: activityInfo(run),
        signal: controller.signal,
        sleep(duration) {
            let ms;
            try {
                ms = parseDuration(duration, 'ctx.sleep(duration)');
            }
            catch (error) {
                return Promise.reject(error);
            }
            if (controller.signal.aborted)
                return Promise.reject(controller.signal.reason);
            return new Promise((resolve, reject) => {
                sleepers.add(reject);
                sim.scheduler.after(ms, () => {
                    sleepers.delete(reject);
                    resolve();
                }, undefined, run, true);
            });
        },
        log: sim.logger.child({ attempt: run.attempt, worker: run.process.name }),
    };
    const result = activity(ctx, input);
    return {
        result: Promise.resolve(result),
        cancel(reason) {
            const error = new ActivityCancelledError(reason);
            controller.abort(error);
            for (const reject of sleepers)
                reject(error);
            sleepers.clear();
        },
    };
}
