/**
 * The simulated client (X6, X7): `client.activity.complete / fail / heartbeat /
 * reportCancellation`, with the signatures of `@temporalio/client` 1.24's `AsyncCompletionClient`,
 * each an RPC to the simulated server (latency drawn per call; the request dies with the caller's
 * process; from a partitioned worker it fails). The server answers as the lifecycle decides: a call
 * for an attempt that is no longer current gets NotFound (H6). Anything else on the client throws
 * `hbsim: client.X is not simulated` and stops the run (outcome `unsimulated`), so that no verdict
 * passes over a path hbsim did not run.
 *
 * Read from: sdk-typescript `packages/client/src/async-completion-client.ts` (what each call
 * sends, `handleError`: NotFound -> `ActivityNotFoundError`, other errors ->
 * `ActivityCompletionError`; `heartbeat` throws `ActivityCancelledError` on cancel requested),
 * temporal `service/history/api/respondactivitytaskcompleted/api.go` and siblings, `api/activity_util.go`
 * (a token must name the current, started attempt; a call by id applies to the current attempt
 * whatever its number, must find it started, except a completion, which also closes an activity
 * that is queued or in retry backoff).
 */
import type { FullActivityId, SimulatedClient } from '../src/client-api.js';
import type { LifecycleEvent, Payload } from '../src/model/types.js';
import { decodeDetails, encodeDetails } from '../src/model/payload.js';
import { errorToFailure } from '../src/model/report.js';
import { decodeTaskToken } from '../src/model/task-token.js';
import type { NormalizedScenario } from '../src/scenario.js';
import type { Owner } from './event-queue.js';
import type { Scheduler } from './scheduler.js';
import type { Trace } from './trace.js';

export type ClientOp = 'complete' | 'fail' | 'heartbeat' | 'reportCancellation';

/** What the client needs of the simulation. */
export interface ClientHost {
  readonly scheduler: Scheduler;
  readonly trace: Trace;
  readonly scenario: NormalizedScenario;
  /** The server's view: is an attempt started, which, was a cancel requested. */
  readonly lifecycle: { readonly attemptStarted: boolean; readonly attempt: number; readonly cancelRequested: boolean };
  /** Feed the lifecycle an RPC event; its answer. */
  serverRpc(event: LifecycleEvent, rpc: 'heartbeat' | 'completed' | 'failed' | 'canceled'): { readonly status: 'ok' | 'notFound' | 'error'; readonly cancelRequested: boolean };
  /** A round trip's latency, drawn. */
  clientLatency(): number;
  /** A name for the code that runs now (`attempt 2 on worker-1#1`, `the external system`). */
  callerName(owner: Owner | null): string;
  /** Whether `owner` can reach the server now (a partitioned worker cannot). */
  connected(owner: Owner | null): boolean;
  /** The user touched `what`, which hbsim does not simulate: record it and stop the run. */
  unsimulated(what: string): void;
}

/** Errors as `@temporalio/client` makes them: the same `name` and the marker its `instanceof` checks. */
function clientError(name: string, message: string): Error {
  const error = new Error(message);
  Object.defineProperty(error, 'name', { value: name, enumerable: false, configurable: true, writable: true });
  Object.defineProperty(error, Symbol.for(`__temporal_is${name}`), { value: true, enumerable: false });
  return error;
}

/** Property reads that tools make on any object (awaiting it, printing it): never "unsimulated". */
const HARMLESS = new Set(['then', 'toJSON', 'constructor', 'toString', 'valueOf', 'inspect', 'asymmetricMatch', '$$typeof', 'nodeType', '@@__IMMUTABLE_ITERABLE__@@', '@@__IMMUTABLE_RECORD__@@']);

/** `target` with every other property throwing `hbsim: <path>.<prop> is not simulated`. */
function guarded<T extends object>(target: T, path: string, host: ClientHost, simulated: string): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      if (typeof prop === 'symbol' || HARMLESS.has(prop) || Object.prototype.hasOwnProperty.call(obj, prop)) return Reflect.get(obj, prop, receiver) as unknown;
      const what = `${path}.${prop}`;
      host.unsimulated(what);
      throw new Error(`hbsim: ${what} is not simulated (only ${simulated} are); the run stops here, and no property can hold on it`);
    },
  });
}

type Body =
  | { readonly op: 'complete'; readonly result: Payload }
  | { readonly op: 'fail'; readonly error: unknown }
  | { readonly op: 'heartbeat'; readonly details: Payload }
  | { readonly op: 'reportCancellation'; readonly details: Payload };

/** Make the simulated client of one simulation. */
export function makeSimulatedClient(host: ClientHost): SimulatedClient {
  const call = (target: unknown, body: Body): Promise<void> => rpc(host, target, body);
  const encode = (value: unknown, root: string): Payload => encodeDetails(value, root);
  const activity = {
    complete: (target: Uint8Array | FullActivityId, result?: unknown) => {
      let payload: Payload;
      try {
        payload = encode(result, 'result');
      } catch (error) {
        return Promise.reject(error);
      }
      return call(target, { op: 'complete', result: payload });
    },
    fail: (target: Uint8Array | FullActivityId, err: unknown) => call(target, { op: 'fail', error: err }),
    heartbeat: (target: Uint8Array | FullActivityId, details?: unknown) => {
      let payload: Payload;
      try {
        payload = encode(details, 'details');
      } catch (error) {
        return Promise.reject(error);
      }
      return call(target, { op: 'heartbeat', details: payload });
    },
    reportCancellation: (target: Uint8Array | FullActivityId, details?: unknown) => {
      let payload: Payload;
      try {
        payload = encode(details, 'details');
      } catch (error) {
        return Promise.reject(error);
      }
      return call(target, { op: 'reportCancellation', details: payload });
    },
  };
  const simulated = 'client.activity.complete, fail, heartbeat and reportCancellation';
  return guarded({ activity: guarded(activity, 'client.activity', host, simulated) }, 'client', host, simulated);
}

/** Which attempt a token or full id names, or why none. */
function resolve(host: ClientHost, target: unknown): { attempt: number; by: 'taskToken' | 'activityId' } | { invalid: string; by: 'taskToken' | 'activityId' } {
  const id = host.scenario.identity;
  if (target instanceof Uint8Array) {
    const token = decodeTaskToken(target);
    if (token === undefined) return { invalid: 'not a task token of this simulation (take it from activityInfo().taskToken)', by: 'taskToken' };
    const same = token.namespace === id.namespace && token.workflowId === id.workflowId && token.runId === id.runId && token.activityId === id.activityId;
    return { attempt: same ? token.attempt : 0, by: 'taskToken' };
  }
  if (typeof target !== 'object' || target === null || typeof (target as FullActivityId).activityId !== 'string') {
    return { invalid: 'neither a task token (Uint8Array) nor a full activity id { workflowId, runId?, activityId }', by: 'activityId' };
  }
  const full = target as FullActivityId;
  const same = full.activityId === id.activityId && (full.workflowId === undefined || full.workflowId === id.workflowId) && (full.runId === undefined || full.runId === '' || full.runId === id.runId);
  // By id the server takes the current attempt (no attempt check); whether it must have started is the lifecycle's call.
  return { attempt: same ? host.lifecycle.attempt : 0, by: 'activityId' };
}

function rpc(host: ClientHost, target: unknown, body: Body): Promise<void> {
  const s = host.scheduler;
  const owner = s.current;
  const caller = host.callerName(owner);
  const l = host.clientLatency();
  const half = Math.floor(l / 2);
  return new Promise<void>((resolvePromise, reject) => {
    const answer = (error: Error | undefined): void => {
      s.after(l - half, () => (error === undefined ? resolvePromise() : reject(error)), undefined, owner, true);
    };
    if (!host.connected(owner)) {
      s.after(l, () => reject(clientError('ActivityCompletionError', 'Unavailable: the worker is partitioned from the server')), undefined, owner, true);
      return;
    }
    s.after(half, () => {
      const named = resolve(host, target);
      if ('invalid' in named) {
        host.trace.record({ t: s.now, type: 'clientCall', op: body.op, attempt: 0, by: named.by, caller, answer: `rejected: ${named.invalid}` });
        answer(clientError('ActivityCompletionError', `hbsim: ${named.invalid}`));
        return;
      }
      const { attempt, by } = named;
      const now = s.now;
      let event: LifecycleEvent;
      let rpcKind: 'heartbeat' | 'completed' | 'failed' | 'canceled';
      switch (body.op) {
        case 'complete':
          event = { type: 'completed', at: now, attempt, result: decodeDetails(body.result), ...(by === 'activityId' ? { byId: true } : {}) };
          rpcKind = 'completed';
          break;
        case 'fail':
          event = { type: 'failed', at: now, attempt, failure: errorToFailure(body.error, host.scenario.profile) };
          rpcKind = 'failed';
          break;
        case 'heartbeat':
          event = { type: 'heartbeat', at: now, attempt, details: body.details };
          rpcKind = 'heartbeat';
          break;
        case 'reportCancellation':
          // temporal answers FailedPrecondition (not NotFound) when no cancel was requested.
          if (host.lifecycle.attemptStarted && attempt === host.lifecycle.attempt && !host.lifecycle.cancelRequested) {
            host.trace.record({ t: now, type: 'clientCall', op: body.op, attempt, by, caller, answer: 'rejected: no cancel was requested' });
            answer(clientError('ActivityCompletionError', 'Activity task not cancel requested'));
            return;
          }
          event = { type: 'canceled', at: now, attempt, details: body.details };
          rpcKind = 'canceled';
          break;
      }
      const response = host.serverRpc(event, rpcKind);
      const accepted = response.status === 'ok';
      const text = !accepted ? 'NotFound (not the current attempt, H6)' : body.op === 'heartbeat' && response.cancelRequested ? 'accepted, cancel requested' : 'accepted';
      host.trace.record({ t: now, type: 'clientCall', op: body.op, attempt, by, caller, answer: text });
      if (!accepted) answer(clientError('ActivityNotFoundError', 'Not found'));
      else if (body.op === 'heartbeat' && response.cancelRequested) answer(clientError('ActivityCancelledError', 'cancelled'));
      else answer(undefined);
    }, undefined, owner, false);
  });
}
