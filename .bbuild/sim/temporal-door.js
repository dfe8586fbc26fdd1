import { HbsimConfigError } from '../src/errors.js';
import { HeartbeatEncoder } from '../src/model/heartbeat-encoding.js';
import { decodeDetails } from '../src/model/payload.js';
import { activityInfo } from './native-door.js';
const CANCEL_DETAILS = {
    CANCELLED: { cancelRequested: true },
    NOT_FOUND: { notFound: true },
    TIMED_OUT: { timedOut: true },
    WORKER_SHUTDOWN: { workerShutdown: true },
    PAUSED: { paused: true },
    RESET: { reset: true },
    HEARTBEAT_DETAILS_CONVERSION_FAILED: {},
};
/** Load `@temporalio/activity` (and its `@temporalio/common`) and make the front door. */
export async function loadTemporalFrontDoor() {
    let activity;
    let common;
    try {
        activity = await import('@temporalio/activity');
        common = await import('@temporalio/common');
    }
    catch (error) {
        throw new HbsimConfigError('api', 'temporal', "@temporalio/activity installed next to hbsim (npm i -D @temporalio/activity@^1.24), or api: 'native'", `cannot load @temporalio/activity (${error.message})`);
    }
    return (run, fn, input) => temporalInvocation(activity, common, run, fn, input);
}
function temporalInvocation(activity, common, run, fn, input) {
    const sim = run.sim;
    const info = activityInfo(run);
    const controller = new AbortController();
    let rejectCancelled = () => { };
    const cancelled = new Promise((_, reject) => {
        rejectCancelled = reject;
    });
    cancelled.catch(() => { }); // as the real worker: an unobserved cancellation is not an unhandled rejection
    const holder = {};
    const encoder = new HeartbeatEncoder({
        defer: queueMicrotask,
        emit: (payload) => run.heartbeat(payload),
        onError: (error) => {
            pinoLog.error({ err: error }, 'failed to encode heartbeat details, cancelling the activity');
            run.cancel('HEARTBEAT_DETAILS_CONVERSION_FAILED');
        },
    });
    const pinoLog = sim.logger.child({ attempt: run.attempt, worker: run.process.name, sdkComponent: 'activity' });
    const log = {
        log: (level, message, meta) => pinoLog[levelOf(level)](meta ?? {}, message),
        trace: (message, meta) => pinoLog.trace(meta ?? {}, message),
        debug: (message, meta) => pinoLog.debug(meta ?? {}, message),
        info: (message, meta) => pinoLog.info(meta ?? {}, message),
        warn: (message, meta) => pinoLog.warn(meta ?? {}, message),
        error: (message, meta) => pinoLog.error(meta ?? {}, message),
    };
    const temporalInfo = {
        taskToken: new Uint8Array([run.attempt]),
        base64TaskToken: Buffer.from([run.attempt]).toString('base64'),
        activityId: info.activityId,
        activityType: info.activityType,
        activityNamespace: 'default',
        namespace: 'default',
        attempt: run.attempt,
        isLocal: false,
        inWorkflow: true,
        workflowExecution: { workflowId: 'hbsim-workflow', runId: 'hbsim-run' },
        workflowNamespace: 'default',
        workflowType: 'hbsim',
        scheduledTimestampMs: info.scheduledTime,
        scheduleToCloseTimeoutMs: info.scheduleToCloseTimeoutMs,
        startToCloseTimeoutMs: info.startToCloseTimeoutMs,
        currentAttemptScheduledTimestampMs: info.currentAttemptScheduledTime,
        heartbeatTimeoutMs: info.heartbeatTimeoutMs || undefined,
        // H7: the decoded first detail only; undefined on a first attempt.
        heartbeatDetails: decodeDetails(run.start.details),
        taskQueue: 'hbsim',
    };
    const ctx = new activity.Context(temporalInfo, cancelled, controller.signal, (details) => encoder.heartbeat(details), undefined, log, common.noopMetricMeter, holder);
    const result = activity.asyncLocalStorage.run(ctx, () => fn(input));
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
function levelOf(level) {
    const l = level.toLowerCase();
    return l === 'trace' || l === 'debug' || l === 'info' || l === 'warn' || l === 'error' ? l : 'info';
}
