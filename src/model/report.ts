/**
 * What a worker reports when the user's activity function settles (C4, S6, R6), per profile.
 *
 * Read from: `@temporalio/worker` 1.24.0 `lib/activity.js` (`Activity.run`: how a settled
 * function becomes completed / failed / cancelled), sdk-core
 * `crates/sdk-core/src/worker/activities.rs` (`complete`: nothing is sent for an activity known
 * to be gone; a cancellation on worker shutdown becomes a `WorkerShutdown` failure) and
 * `activity_heartbeat_manager.rs` (heartbeat responses, S6); `@temporalio/common` 1.24.0
 * `lib/failure.js` (`ensureApplicationFailure`, the symbol-based `instanceof`);
 * cadence-go-client `internal/activity_task_handler.go` (`Execute`),
 * `internal/internal_task_pollers.go` (`convertActivityResultToRespondRequest`, `ProcessTask`),
 * `internal/internal_utils.go` (`getErrorDetails`), `internal/internal_task_handlers.go`
 * (`internalHeartBeat`).
 */

import { decodeDetails, encodeDetails, PayloadEncodingError } from './payload.js';
import type { Failure, Payload, ProfileName } from './types.js';

/**
 * Why an activity was cancelled (C3): the message of the `CancelledFailure` it sees. The TS
 * 1.24 list (`@temporalio/worker` `CancelReason` = core's `ActivityCancelReason` plus two
 * lang-side reasons).
 */
export type CancelReason =
  | 'NOT_FOUND'
  | 'CANCELLED'
  | 'TIMED_OUT'
  | 'WORKER_SHUTDOWN'
  | 'PAUSED'
  | 'RESET'
  | 'HEARTBEAT_DETAILS_CONVERSION_FAILED';

/** Every {@link CancelReason}, in the order of core's enum then the lang-side ones. */
export const CANCEL_REASONS: readonly CancelReason[] = [
  'NOT_FOUND',
  'CANCELLED',
  'TIMED_OUT',
  'WORKER_SHUTDOWN',
  'PAUSED',
  'RESET',
  'HEARTBEAT_DETAILS_CONVERSION_FAILED',
];

/** How the user's activity function settled. */
export type Settled = { readonly kind: 'returned'; readonly value: unknown } | { readonly kind: 'threw'; readonly error: unknown };

/** An application failure (the only kind a worker reports). */
export type ApplicationFailure = Extract<Failure, { kind: 'application' }>;

/** What the worker sends to the server for the attempt. */
export type Report =
  /** `result`: the returned value after the payload round trip (what the workflow will see, H7). */
  | { readonly report: 'completed'; readonly result: unknown }
  | { readonly report: 'failed'; readonly failure: ApplicationFailure }
  /** `details`: the first detail of the thrown `CancelledFailure`, encoded (usually none). */
  | { readonly report: 'canceled'; readonly details: Payload }
  /** The worker sends nothing (the server's own timers decide). */
  | { readonly report: 'nothing' }
  /**
   * X6: the function threw `CompleteAsyncError`: the worker sends nothing, the attempt stays open
   * on the server (its start-to-close and heartbeat timers running) until a client completes,
   * fails, cancels or heartbeats it by task token or activity id.
   */
  | { readonly report: 'willCompleteAsync' };

/** The failure core reports for a cancellation on worker shutdown (`worker_shutdown_failure`). */
export const WORKER_SHUTDOWN_FAILURE: ApplicationFailure = {
  kind: 'application',
  type: 'WorkerShutdown',
  message: 'Worker is shutting down and this activity did not complete in time',
  nonRetryable: false,
};

/** Cadence: the reason of a failure from any error that is not a custom error (`errReasonGeneric`). */
export const CADENCE_GENERIC_REASON = 'cadenceInternal:Generic';

/**
 * C4 / S5 / S6: what the worker reports for an attempt whose function `settled`.
 *
 * `cancel`: the reason the activity was cancelled with, or the reasons in the order they were
 * issued. Core issues at most one (the first: `issued_cancel_to_lang` is never overwritten); the
 * TS worker itself may add `HEARTBEAT_DETAILS_CONVERSION_FAILED`, and the TS `Activity` keeps the
 * **last** reason it was given, so both matter.
 *
 * temporal:
 * | core's reason | settled | report |
 * |---|---|---|
 * | `NOT_FOUND`, `TIMED_OUT` | anything | nothing (core knows the server no longer wants it, and also drops pending heartbeats) |
 * | any / none | returned | completed (a result that cannot be encoded: failed `ValueError`) |
 * | lang's last reason is `HEARTBEAT_DETAILS_CONVERSION_FAILED` | threw anything | failed, retryable, type `CancelledFailure`, message the reason |
 * | `CANCELLED` | threw `CancelledFailure` or an `AbortError` | canceled |
 * | `WORKER_SHUTDOWN` | threw `CancelledFailure` or an `AbortError` | failed, retryable, type `WorkerShutdown` |
 * | `PAUSED` / `RESET` | threw `CancelledFailure` | failed, retryable, type `ActivityPause` / `ActivityReset` |
 * | `PAUSED` / `RESET` | threw an `AbortError` | canceled |
 * | any / none | threw anything else (or `CancelledFailure` with no cancel) | failed: {@link errorToFailure} |
 *
 * cadence:
 * | reason | settled | report |
 * |---|---|---|
 * | `TIMED_OUT` (the context deadline passed, S5) | anything | nothing |
 * | `WORKER_SHUTDOWN` | anything | nothing (`ProcessTask` does not report while shutting down) |
 * | other / none | returned | completed |
 * | other / none | threw `CancelledFailure` or an `AbortError` (Go: `CanceledError`, `context.Canceled`) | canceled, cancel requested or not |
 * | other / none | threw anything else | failed: {@link errorToFailure} |
 */
export function reportFor(
  settled: Settled,
  cancel: CancelReason | readonly CancelReason[] | undefined,
  profile: ProfileName,
): Report {
  const reasons: readonly CancelReason[] = cancel === undefined ? [] : typeof cancel === 'string' ? [cancel] : cancel;
  return profile === 'cadence' ? cadenceReport(settled, reasons[0]) : temporalReport(settled, reasons);
}

function temporalReport(settled: Settled, reasons: readonly CancelReason[]): Report {
  // X6: the TS Activity checks CompleteAsyncError first, whatever the cancel reason (worker `activity.ts` `run`).
  if (settled.kind === 'threw' && isCompleteAsyncError(settled.error)) return { report: 'willCompleteAsync' };
  const coreReason = reasons.find((r) => r !== 'HEARTBEAT_DETAILS_CONVERSION_FAILED');
  const langReason = reasons.at(-1);
  if (coreReason === 'NOT_FOUND' || coreReason === 'TIMED_OUT') return { report: 'nothing' };
  if (settled.kind === 'returned') return completed(settled.value, 'temporal');

  const error = settled.error;
  if (langReason === 'HEARTBEAT_DETAILS_CONVERSION_FAILED') {
    return failed({ kind: 'application', type: 'CancelledFailure', message: langReason, nonRetryable: false });
  }
  if (langReason !== undefined && (isCancelledFailure(error) || isAbortError(error))) {
    // The TS worker: reset/paused CancelledFailures become application failures, the rest "cancelled".
    if (isCancelledFailure(error) && (langReason === 'RESET' || langReason === 'PAUSED')) {
      return failed(
        langReason === 'RESET'
          ? { kind: 'application', type: 'ActivityReset', message: 'Activity reset', nonRetryable: false }
          : { kind: 'application', type: 'ActivityPause', message: 'Activity paused', nonRetryable: false },
      );
    }
    // Core: a cancellation it issued for worker shutdown is reported as a retryable failure.
    if (coreReason === 'WORKER_SHUTDOWN') return failed(WORKER_SHUTDOWN_FAILURE);
    return { report: 'canceled', details: isCancelledFailure(error) ? cancelledDetails(error) : undefined };
  }
  return failed(errorToFailure(error, 'temporal'));
}

function cadenceReport(settled: Settled, reason: CancelReason | undefined): Report {
  // X6, as the Go client's `ErrResultPending` (`convertActivityResultToRespondRequest` returns no request).
  if (settled.kind === 'threw' && isCompleteAsyncError(settled.error)) return { report: 'willCompleteAsync' };
  if (reason === 'TIMED_OUT' || reason === 'WORKER_SHUTDOWN') return { report: 'nothing' };
  if (settled.kind === 'returned') return completed(settled.value, 'cadence');
  if (isCancelledFailure(settled.error) || isAbortError(settled.error)) {
    return { report: 'canceled', details: isCancelledFailure(settled.error) ? cancelledDetails(settled.error) : undefined };
  }
  return failed(errorToFailure(settled.error, 'cadence'));
}

function completed(value: unknown, profile: ProfileName): Report {
  let payload: Payload;
  try {
    payload = encodeDetails(value, 'result');
  } catch (error) {
    if (!(error instanceof PayloadEncodingError)) throw error;
    // TS: encodeToPayload throws ValueError inside Activity.run, which reports it as a failure.
    return failed(
      profile === 'cadence'
        ? { kind: 'application', type: CADENCE_GENERIC_REASON, message: error.message, nonRetryable: false }
        : { kind: 'application', type: 'ValueError', message: error.sdkMessage, nonRetryable: false },
    );
  }
  return { report: 'completed', result: decodeDetails(payload) };
}

function failed(failure: ApplicationFailure): Report {
  return { report: 'failed', failure };
}

/**
 * R6: the failure a thrown value becomes.
 *
 * temporal (`ensureApplicationFailure` + the failure converter):
 * - an `ApplicationFailure` keeps its `type` (`''` when unset), `nonRetryable`, `nextRetryDelay`
 *   (a number of ms or an `ms`-format string such as `'5s'`; an unparsable one is left out, where
 *   the real worker would fail to convert the failure);
 * - any other object: type = `error.constructor?.name ?? error.name` (the **class name**, so a
 *   plain `Error` whose `name` was changed is still `Error`; `''` for an anonymous class),
 *   message = `String(error.message)` (so `'undefined'` for an object without one), retryable;
 * - a non-object (`throw 'boom'`): type `''`, message `String(value)`, retryable.
 *
 * cadence (`getErrorDetails`): an `ApplicationFailure` plays the Go `CustomError`, its `type`
 * being the reason; any other error has the reason `cadenceInternal:Generic` (its message goes
 * in the details). Never flagged non-retryable (Cadence decides by reason, R6); no retry delay.
 */
export function errorToFailure(error: unknown, profile: ProfileName): ApplicationFailure {
  const message = messageOf(error);
  if (isApplicationFailure(error)) {
    const type = typeof error.type === 'string' ? error.type : '';
    if (profile === 'cadence') return { kind: 'application', type: type || CADENCE_GENERIC_REASON, message, nonRetryable: false };
    const delay = toMs(error.nextRetryDelay);
    return {
      kind: 'application',
      type,
      message,
      nonRetryable: Boolean(error.nonRetryable),
      ...(delay === undefined ? {} : { nextRetryDelayMs: delay }),
    };
  }
  if (profile === 'cadence') return { kind: 'application', type: CADENCE_GENERIC_REASON, message, nonRetryable: false };
  return { kind: 'application', type: classNameOf(error), message, nonRetryable: false };
}

/**
 * Whether `error` is a `CancelledFailure` as `@temporalio/common` decides it: by the marker
 * `Symbol.for('__temporal_isCancelledFailure')` on its prototype, so that errors made by another
 * copy of the module are recognised, and a look-alike with only the name is not.
 */
export function isCancelledFailure(error: unknown): error is Error & { readonly details?: readonly unknown[] } {
  return isRecord(error) && (error as Record<symbol, unknown>)[CANCELLED_FAILURE_MARKER] === true;
}

/** Whether `error` is an `ApplicationFailure`, by the same marker test as {@link isCancelledFailure}. */
export function isApplicationFailure(
  error: unknown,
): error is Error & { readonly type?: unknown; readonly nonRetryable?: unknown; readonly nextRetryDelay?: unknown } {
  return isRecord(error) && (error as Record<symbol, unknown>)[APPLICATION_FAILURE_MARKER] === true;
}

/** Whether `error` is `@temporalio/common`'s `CompleteAsyncError`, by its marker (X6). */
export function isCompleteAsyncError(error: unknown): boolean {
  return isRecord(error) && (error as Record<symbol, unknown>)[COMPLETE_ASYNC_MARKER] === true;
}

/** The SDK's `isAbortError`: an error-shaped object named `AbortError` (what `fetch` throws when aborted). */
export function isAbortError(error: unknown): boolean {
  if (!isRecord(error)) return false;
  const e = error as { name?: unknown; message?: unknown; stack?: unknown };
  return typeof e.name === 'string' && typeof e.message === 'string' && (e.stack == null || typeof e.stack === 'string') && e.name === 'AbortError';
}

/** The answer to one heartbeat RPC, as the worker sees it. */
export type HeartbeatResponse =
  | { readonly status: 'ok'; readonly cancelRequested: boolean }
  /** H6: the attempt is no longer current on the server. */
  | { readonly status: 'notFound' }
  /** Any other RPC error (unavailable, deadline exceeded, ...). */
  | { readonly status: 'error' };

/**
 * S6 / C1: the cancellation a heartbeat response causes, if any. Both profiles: a cancel request
 * → `CANCELLED`; NotFound → `NOT_FOUND` (cadence: its context is cancelled the same way); other
 * errors are only logged. (Temporal's pause/reset flags are not modelled.)
 */
export function cancelFromHeartbeatResponse(response: HeartbeatResponse): CancelReason | undefined {
  if (response.status === 'notFound') return 'NOT_FOUND';
  if (response.status === 'ok' && response.cancelRequested) return 'CANCELLED';
  return undefined;
}

/**
 * S4: what to do with the throttle's pending details once the report is known (use with
 * `HeartbeatThrottle.evict`, which also holds the report until no heartbeat RPC is in flight, S7).
 *
 * temporal (core `complete`): flush before a failure or cancellation, drop on success, and drop
 * when nothing is reported (`should_flush` is false for an activity known to be gone).
 * cadence (`invoker.Close(!completed)`): flush unless completed, even when nothing is reported.
 * Both: an attempt that will complete asynchronously (X6) drops them.
 */
export function throttleEndFor(report: Report, profile: ProfileName): 'success' | 'failure' | 'cancel' | 'drop' {
  switch (report.report) {
    case 'completed':
      return 'success';
    case 'failed':
      return 'failure';
    case 'canceled':
      return 'cancel';
    case 'nothing':
      return profile === 'cadence' ? 'failure' : 'drop';
    case 'willCompleteAsync':
      // S7 / X6: core does not flush pending details for WillCompleteAsync.
      return 'drop';
  }
}

const CANCELLED_FAILURE_MARKER = Symbol.for('__temporal_isCancelledFailure');
const APPLICATION_FAILURE_MARKER = Symbol.for('__temporal_isApplicationFailure');
const COMPLETE_ASYNC_MARKER = Symbol.for('__temporal_isCompleteAsyncError');

function isRecord(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** `ensureApplicationFailure`'s message: `String(error.message)` for an object, else `String(error)`. */
function messageOf(error: unknown): string {
  try {
    if (isRecord(error)) return String((error as { message?: unknown }).message) || safeString(error);
    return String(error);
  } catch {
    return '(the thrown value could not be printed)';
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '';
  }
}

/** `ensureApplicationFailure`'s type: `error.constructor?.name ?? error.name`, `''` if falsy or not an object. */
function classNameOf(error: unknown): string {
  if (!isRecord(error)) return '';
  try {
    const e = error as { constructor?: { name?: unknown }; name?: unknown };
    const name = e.constructor?.name ?? e.name;
    return typeof name === 'string' ? name : '';
  } catch {
    return '';
  }
}

function cancelledDetails(error: { readonly details?: readonly unknown[] }): Payload {
  const details = Array.isArray(error.details) ? (error.details as readonly unknown[]) : [];
  if (details.length === 0) return undefined;
  try {
    return encodeDetails(details[0]);
  } catch {
    return undefined;
  }
}

/** The SDK's `msToNumber`: a number is ms; a string is parsed as the `ms` package does. */
function toMs(duration: unknown): number | undefined {
  if (typeof duration === 'number') return Number.isFinite(duration) ? duration : undefined;
  if (typeof duration !== 'string' || duration.length === 0 || duration.length > 100) return undefined;
  const match = /^(-?(?:\d+)?\.?\d+) *(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)?$/i.exec(duration);
  if (match === null) return undefined;
  const n = Number.parseFloat(match[1] ?? '');
  return n * unitMs((match[2] ?? 'ms').toLowerCase());
}

/** Milliseconds in one of the `ms` package's units (already validated by the pattern above). */
function unitMs(unit: string): number {
  if (unit.startsWith('ms') || unit.startsWith('mil')) return 1;
  if (unit.startsWith('s')) return 1_000;
  if (unit.startsWith('m')) return 60_000;
  if (unit.startsWith('h')) return 3_600_000;
  if (unit.startsWith('d')) return 86_400_000;
  if (unit.startsWith('w')) return 604_800_000;
  return 31_557_600_000; // y: 365.25 days
}
