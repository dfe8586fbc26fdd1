/**
 * `activityInfo()` for the Temporal front door (X7): every field of `@temporalio/activity` 1.24's
 * `Info` that the worker fills from the server's task (`extractActivityInfo` in
 * sdk-typescript `packages/worker/src/worker.ts`), derived from the scenario.
 */
import { decodeDetails } from '../src/model/payload.js';
import { encodeTaskToken } from '../src/model/task-token.js';
import type { NormalizedRetryPolicy } from '../src/model/types.js';
import type { AttemptRun } from './attempt-run.js';

/** The decompiled retry policy (`decompileRetryPolicy`): durations in ms, 0 attempts = unlimited. */
export interface InfoRetryPolicy {
  readonly initialInterval: number;
  readonly backoffCoefficient: number;
  readonly maximumInterval: number;
  readonly maximumAttempts: number;
  readonly nonRetryableErrorTypes: string[];
}

/** What `activityInfo()` returns for `run` (the shape of 1.24's `Info`). */
export function temporalActivityInfo(run: AttemptRun) {
  const sim = run.sim;
  const scenario = sim.scenario;
  const id = scenario.identity;
  const o = scenario.options;
  const epoch = sim.scheduler.epochMs;
  const taskToken = encodeTaskToken({ namespace: id.namespace, workflowId: id.workflowId, runId: id.runId, activityId: id.activityId, attempt: run.attempt });
  return {
    taskToken,
    base64TaskToken: Buffer.from(taskToken).toString('base64'),
    activityId: id.activityId,
    activityType: id.activityType,
    // The worker's namespace; an activity started by a workflow runs in the workflow's.
    activityNamespace: id.namespace,
    namespace: id.namespace,
    attempt: run.attempt,
    isLocal: false,
    inWorkflow: true,
    workflowExecution: { workflowId: id.workflowId, runId: id.runId },
    workflowNamespace: id.namespace,
    workflowType: id.workflowType,
    activityRunId: undefined,
    scheduledTimestampMs: epoch + run.start.scheduledAt,
    currentAttemptScheduledTimestampMs: epoch + run.start.currentAttemptScheduledAt,
    scheduleToCloseTimeoutMs: o.scheduleToCloseTimeoutMs,
    startToCloseTimeoutMs: o.startToCloseTimeoutMs,
    heartbeatTimeoutMs: o.heartbeatTimeoutMs || undefined,
    // H7: the decoded first detail only; undefined on a first attempt.
    heartbeatDetails: decodeDetails(run.start.details),
    taskQueue: id.taskQueue,
    priority: scenario.priority === undefined ? { priorityKey: undefined, fairnessKey: undefined, fairnessWeight: undefined } : { ...scenario.priority },
    retryPolicy: o.retry === undefined ? undefined : decompile(o.retry),
  };
}

function decompile(p: NormalizedRetryPolicy): InfoRetryPolicy {
  return {
    backoffCoefficient: p.backoffCoefficient,
    maximumAttempts: p.maximumAttempts,
    maximumInterval: p.maximumIntervalMs,
    initialInterval: p.initialIntervalMs,
    nonRetryableErrorTypes: [...p.nonRetryableErrorTypes],
  };
}
