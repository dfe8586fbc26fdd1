/**
 * The native front door: the seed's Cadence API in TypeScript idiom.
 *
 * ```ts
 * activity: (world, params) => async (ctx, input) => {
 *   let offset = ctx.hasHeartbeatDetails() ? ctx.heartbeatDetails<number>()! : 0;
 *   ...
 *   ctx.heartbeat(offset);
 * }
 * ```
 */
import type { Logger } from 'pino';
import type { CancelReason } from './model/report.js';

/** What an attempt knows about itself. Times are virtual epoch milliseconds (as `Date.now()`). */
export interface ActivityInfo {
  readonly activityId: string;
  readonly activityType: string;
  /** 1-based, under both profiles (Cadence's Go client counts from 0). */
  readonly attempt: number;
  readonly scheduledTime: number;
  readonly currentAttemptScheduledTime: number;
  readonly startedTime: number;
  /** 0 = not set. */
  readonly heartbeatTimeoutMs: number;
  readonly startToCloseTimeoutMs: number;
  readonly scheduleToCloseTimeoutMs: number;
  readonly workerId: string;
}

/** The context handed to a native activity: `async (ctx, input) => ...`. */
export interface ActivityContext {
  /**
   * Record a heartbeat with progress details (throttled by the SDK rules S1-S3).
   *
   * S8: under the `temporal` profile the RPC runs in the background and the returned promise is
   * already settled. Under `cadence` (Go's blocking `RecordActivityHeartbeat`), a call that is
   * actually sent returns a promise settled when its RPC returns, at most the heartbeat timeout
   * (600 s when unset) later: `await ctx.heartbeat(x)` costs that virtual time, as it blocks a Go
   * activity. A call held by the throttle window returns a settled promise. Not awaited, the
   * activity runs on while the RPC is in flight (unlike Go); a call made meanwhile is held until
   * the RPC returns, and the attempt's report still waits for it (S7). The promise never rejects.
   */
  heartbeat(details?: unknown): Promise<void>;
  /** True if the server holds details from an earlier heartbeat (H2). */
  hasHeartbeatDetails(): boolean;
  /** The details of the last heartbeat that reached the server, decoded (H7). */
  heartbeatDetails<T = unknown>(): T | undefined;
  readonly info: ActivityInfo;
  /** Aborted when the attempt is cancelled (C1, C3), with an {@link ActivityCancelledError}. */
  readonly signal: AbortSignal;
  /** Sleep in virtual time; rejects with {@link ActivityCancelledError} on cancellation. */
  sleep(duration: number | string): Promise<void>;
  /** A pino logger whose timestamps are virtual. */
  readonly log: Logger;
}

/** A native activity function. */
export type NativeActivity<I = unknown, R = unknown> = (ctx: ActivityContext, input: I) => Promise<R>;

/**
 * Why an attempt was cancelled: the workflow asked (`CANCELLED`), the server no longer knows the
 * attempt (`NOT_FOUND`), the worker's local timeout fired (`TIMED_OUT`), the worker is shutting
 * down, or (TS) its heartbeat details could not be encoded.
 */
export type CancellationReason = CancelReason;

/**
 * Thrown by `ctx.sleep()` and carried by `ctx.signal.reason` when a native activity is cancelled.
 * Its `name` is `CancelledFailure`, as Temporal's, and it carries the marker by which
 * `@temporalio/common` recognises a `CancelledFailure`, so that both front doors report it the
 * same way (C4: thrown after a cancel request, the attempt is reported as cancelled).
 */
export class ActivityCancelledError extends Error {
  override readonly name = 'CancelledFailure';
  constructor(readonly reason: CancellationReason) {
    super(reason);
  }
}

Object.defineProperty(ActivityCancelledError.prototype, Symbol.for('__temporal_isCancelledFailure'), {
  value: true,
  enumerable: false,
  writable: false,
  configurable: false,
});
