/**
 * Types shared by the sans-IO lifecycle model and the simulation runtime.
 *
 * Every time is a number of virtual milliseconds since the simulation started;
 * every duration is a number of milliseconds. Nothing here reads a clock.
 */

/** Which server/SDK pair the model follows (docs/semantics.md: temporal = TS SDK 1.24 + Temporal server, cadence = Go client + Cadence server). */
export type ProfileName = 'temporal' | 'cadence';

export type TimeoutType = 'SCHEDULE_TO_START' | 'START_TO_CLOSE' | 'SCHEDULE_TO_CLOSE' | 'HEARTBEAT';

/**
 * Heartbeat details as the server stores them: the encoded payload (JSON text), or
 * `undefined` for "no details" (H1: an empty heartbeat stores this and erases what was there).
 */
export type Payload = string | undefined;

/** A retry policy after normalisation (R8): all durations in ms, defaults applied. */
export interface NormalizedRetryPolicy {
  readonly initialIntervalMs: number;
  readonly backoffCoefficient: number;
  readonly maximumIntervalMs: number;
  /** 0 = unlimited (R3). */
  readonly maximumAttempts: number;
  readonly nonRetryableErrorTypes: readonly string[];
  /** cadence only (R4); 0 = unset. */
  readonly expirationIntervalMs: number;
}

/**
 * Activity options after validation and normalisation (T1, R8) for one profile.
 * A timeout of 0 means "not set".
 */
export interface NormalizedOptions {
  readonly profile: ProfileName;
  readonly scheduleToStartTimeoutMs: number;
  readonly startToCloseTimeoutMs: number;
  readonly scheduleToCloseTimeoutMs: number;
  readonly heartbeatTimeoutMs: number;
  /** `undefined` only under cadence when the user gave no policy: never retried (R8). */
  readonly retry: NormalizedRetryPolicy | undefined;
}

/** Worker (SDK) options after normalisation. */
export interface NormalizedWorkerOptions {
  /** temporal: cap of the throttle window (S1), default 60 s; 0 disables throttling. */
  readonly maxHeartbeatThrottleIntervalMs: number;
  /** temporal: window when no heartbeat timeout is set (S1), default 30 s; 0 disables throttling. */
  readonly defaultHeartbeatThrottleIntervalMs: number;
}

/** Why a failure happened, in the server's terms. */
export type Failure =
  | {
      readonly kind: 'application';
      /** Error type: the class name of a thrown plain Error, or ApplicationFailure.type (R6). */
      readonly type: string;
      readonly message: string;
      readonly nonRetryable: boolean;
      /** R7: application-chosen delay for the next retry. */
      readonly nextRetryDelayMs?: number;
    }
  | {
      readonly kind: 'timeout';
      readonly timeoutType: TimeoutType;
      /** R9: the last heartbeat details stored when the timeout happened. */
      readonly lastHeartbeatDetails: Payload;
      /** R9: for a retryable timeout that ran out of time, the failure that caused the last retry. */
      readonly cause?: Failure;
    }
  | {
      /** A cancellation reported by the worker (C4). */
      readonly kind: 'canceled';
      readonly details: Payload;
    };

/** The final outcome of the activity (what the workflow sees). */
export type Outcome =
  | { readonly status: 'completed'; readonly result: unknown; readonly attempt: number; readonly at: number }
  | { readonly status: 'failed'; readonly failure: Failure; readonly attempt: number; readonly at: number }
  | { readonly status: 'timedOut'; readonly failure: Failure & { kind: 'timeout' }; readonly attempt: number; readonly at: number }
  | { readonly status: 'canceled'; readonly details: Payload; readonly attempt: number; readonly at: number };

/** Server-side timers. `seq` distinguishes re-armed timers so that a stale firing is ignored. */
export type TimerKind = TimeoutType | 'RETRY_BACKOFF';
export interface TimerKey {
  readonly kind: TimerKind;
  readonly attempt: number;
  readonly seq: number;
}

/** Events into the server-side lifecycle model. `at` is the virtual time the event is processed. */
export type LifecycleEvent =
  | { readonly type: 'schedule'; readonly at: number }
  | { readonly type: 'attemptStarted'; readonly at: number; readonly attempt: number; readonly worker: string }
  | { readonly type: 'heartbeat'; readonly at: number; readonly attempt: number; readonly details: Payload }
  /** `byId` (X6): sent by a client naming the activity by id, not by task token; it can close an activity not started (queued, in backoff). */
  | { readonly type: 'completed'; readonly at: number; readonly attempt: number; readonly result: unknown; readonly byId?: boolean }
  | { readonly type: 'failed'; readonly at: number; readonly attempt: number; readonly failure: Failure }
  | { readonly type: 'canceled'; readonly at: number; readonly attempt: number; readonly details: Payload }
  | { readonly type: 'timerFired'; readonly at: number; readonly timer: TimerKey }
  | { readonly type: 'cancelRequested'; readonly at: number };

/** Decisions out of the server-side lifecycle model, in the order they must be applied. */
export type LifecycleDecision =
  | { readonly type: 'armTimer'; readonly timer: TimerKey; readonly at: number }
  | { readonly type: 'disarmTimer'; readonly timer: TimerKey }
  /** The task of `attempt` is in the task queue from `at`: a free worker may start it. */
  | { readonly type: 'dispatch'; readonly attempt: number; readonly at: number }
  /** A task still in the task queue is withdrawn (S2S timeout, cancel before start). */
  | { readonly type: 'withdraw'; readonly attempt: number }
  /** The answer to a heartbeat / completion / failure / canceled RPC. NotFound = H6. */
  | { readonly type: 'respond'; readonly to: 'heartbeat' | 'completed' | 'failed' | 'canceled'; readonly attempt: number; readonly status: 'ok' | 'notFound'; readonly cancelRequested: boolean }
  | { readonly type: 'detailsStored'; readonly attempt: number; readonly details: Payload }
  | { readonly type: 'attemptTimedOut'; readonly attempt: number; readonly timeoutType: TimeoutType }
  | { readonly type: 'attemptFailed'; readonly attempt: number; readonly failure: Failure }
  | { readonly type: 'retryScheduled'; readonly nextAttempt: number; readonly backoffMs: number; readonly at: number; readonly failure: Failure }
  | { readonly type: 'closed'; readonly outcome: Outcome };
