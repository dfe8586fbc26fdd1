/**
 * The server-side life of one activity as a sans-IO state machine: events in
 * ({@link LifecycleEvent}), decisions out ({@link LifecycleDecision}), no clock, no timers.
 * The runtime applies the decisions in order (arm/disarm timers, put tasks in the queue,
 * answer RPCs) and feeds back what happened (`timerFired`, `attemptStarted`, RPCs).
 *
 * Phases: unscheduled -> queued (task in the task queue) -> started (a worker runs it)
 * -> backoff (waiting for the retry timer) -> queued ... -> closed.
 *
 * Read from: temporalio/temporal `service/history/api/record*heartbeat*`, `respondactivitytask*`,
 * `timer_queue_active_task_executor.go`, `workflow/mutable_state_impl.go`, `frontend/workflow_handler.go`;
 * cadence-workflow/cadence `service/history/task/timer_active_task_executor.go`,
 * `execution/mutable_state_builder_methods_activity.go`, `frontend/api/handler.go`.
 *
 * @module
 */
import { retryDecision } from './retry.js';
import type { NoRetryReason } from './retry.js';
import {
  heartbeatDeadline,
  scheduleToCloseDeadline,
  scheduleToCloseIsPerAttempt,
  scheduleToStartDeadline,
  startToCloseDeadline,
} from './timeouts.js';
import type {
  Failure,
  LifecycleDecision,
  LifecycleEvent,
  NormalizedOptions,
  Outcome,
  Payload,
  ProfileName,
  TimeoutType,
  TimerKey,
  TimerKind,
} from './types.js';

/** H5: heartbeat details larger than this many bytes (UTF-8) fail the activity. Both servers' default `limit.blobSize.error`. */
export const HEARTBEAT_DETAILS_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * C1: the details of an activity canceled before it started (both servers record the
 * string `ACTIVITY_ID_NOT_STARTED`; here as JSON text like every {@link Payload}).
 */
export const CANCELED_BEFORE_START_DETAILS: Payload = '"ACTIVITY_ID_NOT_STARTED"';

/** H5: the UTF-8 byte length of a string, without allocating (a lone surrogate counts as U+FFFD, 3 bytes). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** H5: whether heartbeat details are over {@link HEARTBEAT_DETAILS_LIMIT_BYTES} (strictly greater). */
export function detailsExceedLimit(details: Payload): boolean {
  if (details === undefined) return false;
  // A UTF-16 code unit never takes more than 3 UTF-8 bytes: short strings need no count.
  if (details.length * 3 <= HEARTBEAT_DETAILS_LIMIT_BYTES) return false;
  return utf8ByteLength(details) > HEARTBEAT_DETAILS_LIMIT_BYTES;
}

/**
 * H5: the failure the server records when heartbeat details are too large. It is never retried:
 * - temporal: a non-retryable ServerFailure "Heartbeat details exceed size limit.";
 * - cadence: reason `HEARTBEAT_EXCEEDS_LIMIT`, which the retry code refuses to retry (R6).
 */
export function heartbeatTooLargeFailure(profile: ProfileName): Failure {
  return profile === 'temporal'
    ? { kind: 'application', type: 'ServerFailure', message: 'Heartbeat details exceed size limit.', nonRetryable: true }
    : { kind: 'application', type: 'HEARTBEAT_EXCEEDS_LIMIT', message: 'HEARTBEAT_EXCEEDS_LIMIT', nonRetryable: true };
}

/** Where the activity is in its life. */
export type LifecyclePhase = 'unscheduled' | 'queued' | 'started' | 'backoff' | 'closed';

/** An armed timer and its deadline. */
export interface ArmedTimer {
  readonly timer: TimerKey;
  readonly at: number;
}

/** A plain copy of the whole state, for traces and for tests that assert "nothing changed". */
export interface LifecycleSnapshot {
  readonly phase: LifecyclePhase;
  readonly attempt: number;
  readonly cancelRequested: boolean;
  readonly storedDetails: Payload;
  readonly firstScheduledAt: number | undefined;
  readonly currentAttemptScheduledAt: number | undefined;
  readonly currentAttemptStartedAt: number | undefined;
  readonly currentWorker: string | undefined;
  readonly lastHeartbeatAt: number | undefined;
  readonly lastRetryFailure: Failure | undefined;
  readonly outcome: Outcome | undefined;
  readonly armedTimers: readonly ArmedTimer[];
}

/** The order in which timers are disarmed on close, fixed so that decision lists are reproducible. */
const TIMER_KINDS: readonly TimerKind[] = [
  'SCHEDULE_TO_START',
  'START_TO_CLOSE',
  'HEARTBEAT',
  'SCHEDULE_TO_CLOSE',
  'RETRY_BACKOFF',
];

/** Timers that belong to one attempt and are dropped when it is retried. */
const PER_ATTEMPT_KINDS: readonly TimerKind[] = ['SCHEDULE_TO_START', 'START_TO_CLOSE', 'HEARTBEAT'];

type Rpc = 'heartbeat' | 'completed' | 'failed' | 'canceled';

/**
 * The server-side lifecycle of one activity (rules R, T, H, C of docs/semantics.md).
 *
 * `handle` never throws for an event that arrives in the wrong phase: like the server, it
 * ignores it (timers, starts, cancels) or answers it with NotFound (RPCs, H6).
 */
export class ActivityLifecycle {
  readonly options: NormalizedOptions;
  #phase: LifecyclePhase = 'unscheduled';
  #attempt = 0;
  #cancelRequested = false;
  #details: Payload = undefined;
  #firstScheduledAt: number | undefined;
  #attemptScheduledAt: number | undefined;
  #attemptStartedAt: number | undefined;
  #worker: string | undefined;
  #lastHeartbeatAt: number | undefined;
  #lastRetryFailure: Failure | undefined;
  #outcome: Outcome | undefined;
  readonly #armed = new Map<TimerKind, ArmedTimer>();
  #nextSeq = 1;

  constructor(options: NormalizedOptions) {
    this.options = options;
  }

  /** Where the activity is in its life. */
  get phase(): LifecyclePhase {
    return this.#phase;
  }
  /** The current attempt number (1-based; 0 before `schedule`). During backoff, the attempt about to be scheduled. */
  get attempt(): number {
    return this.#attempt;
  }
  /** Whether the current attempt has been taken by a worker and is running (the only state in which RPCs are accepted, H6). */
  get attemptStarted(): boolean {
    return this.#phase === 'started';
  }
  /** Whether the activity is closed ({@link outcome} is set). */
  get closed(): boolean {
    return this.#phase === 'closed';
  }
  /** H1, H2: the details stored by the last accepted heartbeat, kept across retries; what the next attempt starts from. */
  get storedDetails(): Payload {
    return this.#details;
  }
  /** The final outcome, once closed. */
  get outcome(): Outcome | undefined {
    return this.#outcome;
  }
  /** C1: a cancel was requested (a running attempt learns it from its next heartbeat response). */
  get cancelRequested(): boolean {
    return this.#cancelRequested;
  }
  /** When attempt 1 was scheduled (R4, temporal T2 S2C). */
  get firstScheduledAt(): number | undefined {
    return this.#firstScheduledAt;
  }
  /** When the current attempt's task is (or will be, in backoff: R4b) put in the task queue. */
  get currentAttemptScheduledAt(): number | undefined {
    return this.#attemptScheduledAt;
  }
  /** When the current attempt was started by a worker; `undefined` while it is queued or in backoff. */
  get currentAttemptStartedAt(): number | undefined {
    return this.#attemptStartedAt;
  }
  /** The worker that started the current attempt; `undefined` while it is queued or in backoff. */
  get currentWorker(): string | undefined {
    return this.#worker;
  }
  /** When the last heartbeat was accepted, in any attempt (the server keeps it across retries; T2 takes the max with the start). */
  get lastHeartbeatAt(): number | undefined {
    return this.#lastHeartbeatAt;
  }
  /** R9: the failure that caused the most recent retry (temporal reports it as the `cause` of a timed-out outcome). */
  get lastRetryFailure(): Failure | undefined {
    return this.#lastRetryFailure;
  }
  /** The timers armed now, in a fixed kind order. */
  get armedTimers(): readonly ArmedTimer[] {
    const out: ArmedTimer[] = [];
    for (const kind of TIMER_KINDS) {
      const armed = this.#armed.get(kind);
      if (armed !== undefined) out.push(armed);
    }
    return out;
  }

  /** A plain copy of the whole state. */
  snapshot(): LifecycleSnapshot {
    return {
      phase: this.#phase,
      attempt: this.#attempt,
      cancelRequested: this.#cancelRequested,
      storedDetails: this.#details,
      firstScheduledAt: this.#firstScheduledAt,
      currentAttemptScheduledAt: this.#attemptScheduledAt,
      currentAttemptStartedAt: this.#attemptStartedAt,
      currentWorker: this.#worker,
      lastHeartbeatAt: this.#lastHeartbeatAt,
      lastRetryFailure: this.#lastRetryFailure,
      outcome: this.#outcome,
      armedTimers: this.armedTimers,
    };
  }

  /** Processes one event and returns the decisions to apply, in order. */
  handle(event: LifecycleEvent): LifecycleDecision[] {
    switch (event.type) {
      case 'schedule':
        return this.#schedule(event.at);
      case 'attemptStarted':
        return this.#start(event.at, event.attempt, event.worker);
      case 'heartbeat':
        return this.#heartbeat(event.at, event.attempt, event.details);
      case 'completed':
        return this.#completed(event.at, event.attempt, event.result, event.byId === true);
      case 'failed':
        return this.#failed(event.at, event.attempt, event.failure);
      case 'canceled':
        return this.#canceled(event.at, event.attempt, event.details);
      case 'timerFired':
        return this.#timerFired(event.at, event.timer);
      case 'cancelRequested':
        return this.#requestCancel(event.at);
    }
  }

  #schedule(at: number): LifecycleDecision[] {
    if (this.#phase !== 'unscheduled') return [];
    const out: LifecycleDecision[] = [];
    this.#attempt = 1;
    this.#firstScheduledAt = at;
    this.#dispatch(out, at);
    return out;
  }

  /** T2: puts the current attempt's task in the queue at `at` and arms its S2S and S2C timers. */
  #dispatch(out: LifecycleDecision[], at: number): void {
    this.#phase = 'queued';
    this.#attemptScheduledAt = at;
    this.#attemptStartedAt = undefined;
    this.#worker = undefined;
    out.push({ type: 'dispatch', attempt: this.#attempt, at });
    this.#arm(out, 'SCHEDULE_TO_START', scheduleToStartDeadline(this.options, at));
    if (this.#attempt === 1 || scheduleToCloseIsPerAttempt(this.options.profile)) {
      this.#arm(out, 'SCHEDULE_TO_CLOSE', scheduleToCloseDeadline(this.options, this.#firstScheduledAt ?? at, at));
    }
  }

  /** T2: a worker took the task: S2S no longer applies, STC and HB start. */
  #start(at: number, attempt: number, worker: string): LifecycleDecision[] {
    if (this.#phase !== 'queued' || attempt !== this.#attempt) return [];
    const out: LifecycleDecision[] = [];
    this.#phase = 'started';
    this.#attemptStartedAt = at;
    this.#worker = worker;
    this.#disarm(out, 'SCHEDULE_TO_START');
    this.#arm(out, 'START_TO_CLOSE', startToCloseDeadline(this.options, at));
    this.#arm(out, 'HEARTBEAT', heartbeatDeadline(this.options, at, this.#lastHeartbeatAt));
    return out;
  }

  /** H1, H5, H6, C1. */
  #heartbeat(at: number, attempt: number, details: Payload): LifecycleDecision[] {
    if (!this.#isCurrentStarted(attempt)) return [notFound('heartbeat', attempt)];
    const out: LifecycleDecision[] = [];
    if (detailsExceedLimit(details)) {
      // H5: the frontend fails the attempt (details not stored) and answers "cancel requested".
      this.#failAttempt(out, at, heartbeatTooLargeFailure(this.options.profile));
      out.push(ok('heartbeat', attempt, true));
      return out;
    }
    this.#details = details;
    this.#lastHeartbeatAt = at;
    out.push({ type: 'detailsStored', attempt, details });
    if (this.#armed.has('HEARTBEAT')) {
      this.#disarm(out, 'HEARTBEAT');
      this.#arm(out, 'HEARTBEAT', heartbeatDeadline(this.options, this.#attemptStartedAt ?? at, at));
    }
    out.push(ok('heartbeat', attempt, this.#cancelRequested));
    return out;
  }

  /**
   * H6; X6: a completion by activity id (no task token) is not tied to an attempt, and closes an
   * activity that is not started too (queued: its task is withdrawn; in retry backoff): temporal
   * `respondactivitytaskcompleted/api.go` (`IsActivityTaskNotFoundForToken` with `isCompletedByID`,
   * which fabricates the started event).
   */
  #completed(at: number, attempt: number, result: unknown, byId = false): LifecycleDecision[] {
    const notStarted = this.#phase === 'queued' || this.#phase === 'backoff';
    if (byId && attempt === this.#attempt && notStarted) {
      const out: LifecycleDecision[] = [];
      if (this.#phase === 'queued') out.push({ type: 'withdraw', attempt: this.#attempt });
      this.#close(out, { status: 'completed', result, attempt: this.#attempt, at });
      out.push(ok('completed', attempt, false));
      return out;
    }
    if (!this.#isCurrentStarted(attempt)) return [notFound('completed', attempt)];
    const out: LifecycleDecision[] = [];
    this.#close(out, { status: 'completed', result, attempt, at });
    out.push(ok('completed', attempt, false));
    return out;
  }

  #failed(at: number, attempt: number, failure: Failure): LifecycleDecision[] {
    if (!this.#isCurrentStarted(attempt)) return [notFound('failed', attempt)];
    const out: LifecycleDecision[] = [];
    this.#failAttempt(out, at, failure);
    out.push(ok('failed', attempt, false));
    return out;
  }

  /**
   * A cancellation report is accepted only after a cancel request; otherwise the servers refuse it
   * (temporal: ErrActivityTaskNotCancelRequested, cadence: internal error), modelled as NotFound with
   * no state change: the attempt stays running until it reports again or times out.
   */
  #canceled(at: number, attempt: number, details: Payload): LifecycleDecision[] {
    if (!this.#isCurrentStarted(attempt) || !this.#cancelRequested) return [notFound('canceled', attempt)];
    const out: LifecycleDecision[] = [];
    this.#close(out, { status: 'canceled', details, attempt, at });
    out.push(ok('canceled', attempt, false));
    return out;
  }

  /** Stale timers (disarmed, re-armed with a new seq, of an older attempt) are ignored. */
  #timerFired(at: number, timer: TimerKey): LifecycleDecision[] {
    const armed = this.#armed.get(timer.kind);
    if (armed === undefined || armed.timer.attempt !== timer.attempt || armed.timer.seq !== timer.seq) return [];
    this.#armed.delete(timer.kind);
    const out: LifecycleDecision[] = [];
    if (timer.kind === 'RETRY_BACKOFF') this.#dispatch(out, this.#attemptScheduledAt ?? at);
    else this.#timeOut(out, at, timer.kind);
    return out;
  }

  /** C1: not started (queued) or in backoff: closed at once; running: remembered for the next heartbeat response. */
  #requestCancel(at: number): LifecycleDecision[] {
    if (this.#phase === 'unscheduled' || this.#phase === 'closed' || this.#cancelRequested) return [];
    this.#cancelRequested = true;
    if (this.#phase === 'started') return [];
    const out: LifecycleDecision[] = [];
    if (this.#phase === 'queued') out.push({ type: 'withdraw', attempt: this.#attempt });
    this.#close(out, { status: 'canceled', details: CANCELED_BEFORE_START_DETAILS, attempt: this.#attempt, at });
    return out;
  }

  /** A reported failure: R5 decides between a retry and closing as failed. */
  #failAttempt(out: LifecycleDecision[], at: number, failure: Failure): void {
    out.push({ type: 'attemptFailed', attempt: this.#attempt, failure });
    const decision = this.#decide(at, failure);
    if (decision.retry) this.#scheduleRetry(out, at, decision.backoffMs, failure);
    else this.#close(out, { status: 'failed', failure, attempt: this.#attempt, at });
  }

  /** T3: a timeout of the current attempt (or, for S2C, of the whole activity), through the policy or not (R5). */
  #timeOut(out: LifecycleDecision[], at: number, timeoutType: TimeoutType): void {
    if (this.#phase === 'queued' || this.#phase === 'started') {
      out.push({ type: 'attemptTimedOut', attempt: this.#attempt, timeoutType });
    }
    if (this.#phase === 'queued') out.push({ type: 'withdraw', attempt: this.#attempt });
    const failure: Failure = { kind: 'timeout', timeoutType, lastHeartbeatDetails: this.#details };
    const decision = this.#decide(at, failure);
    if (decision.retry) this.#scheduleRetry(out, at, decision.backoffMs, failure);
    else this.#closeTimedOut(out, at, timeoutType, decision.reason);
  }

  #decide(at: number, failure: Failure) {
    return retryDecision({
      options: this.options,
      attempt: this.#attempt,
      failure,
      now: at,
      firstScheduledAt: this.#firstScheduledAt ?? at,
      cancelRequested: this.#cancelRequested,
    });
  }

  /** R4b: the next attempt is scheduled at now + backoff; H2: the stored details are kept. */
  #scheduleRetry(out: LifecycleDecision[], at: number, backoffMs: number, failure: Failure): void {
    for (const kind of PER_ATTEMPT_KINDS) this.#disarm(out, kind);
    if (scheduleToCloseIsPerAttempt(this.options.profile)) this.#disarm(out, 'SCHEDULE_TO_CLOSE');
    this.#lastRetryFailure = failure;
    this.#attempt += 1;
    this.#phase = 'backoff';
    this.#attemptScheduledAt = at + backoffMs;
    this.#attemptStartedAt = undefined;
    this.#worker = undefined;
    out.push({ type: 'retryScheduled', nextAttempt: this.#attempt, backoffMs, at: at + backoffMs, failure });
    this.#arm(out, 'RETRY_BACKOFF', at + backoffMs);
  }

  /**
   * R9: under temporal a timeout refused for lack of time (reason `timeout`, any type but S2S) is
   * reported as SCHEDULE_TO_CLOSE, and every timed-out outcome carries as `cause` the failure that
   * caused the last retry (`RetryLastFailure`), if any. Both profiles carry the last stored details.
   */
  #closeTimedOut(out: LifecycleDecision[], at: number, timeoutType: TimeoutType, reason: NoRetryReason): void {
    const temporal = this.options.profile === 'temporal';
    const reported: TimeoutType =
      temporal && reason === 'timeout' && timeoutType !== 'SCHEDULE_TO_START' ? 'SCHEDULE_TO_CLOSE' : timeoutType;
    const cause = temporal ? this.#lastRetryFailure : undefined;
    const failure: Failure & { kind: 'timeout' } =
      cause === undefined
        ? { kind: 'timeout', timeoutType: reported, lastHeartbeatDetails: this.#details }
        : { kind: 'timeout', timeoutType: reported, lastHeartbeatDetails: this.#details, cause };
    this.#close(out, { status: 'timedOut', failure, attempt: this.#attempt, at });
  }

  /** Disarms every timer, then records the outcome. */
  #close(out: LifecycleDecision[], outcome: Outcome): void {
    for (const kind of TIMER_KINDS) this.#disarm(out, kind);
    this.#phase = 'closed';
    this.#outcome = outcome;
    out.push({ type: 'closed', outcome });
  }

  #isCurrentStarted(attempt: number): boolean {
    return this.#phase === 'started' && attempt === this.#attempt;
  }

  #arm(out: LifecycleDecision[], kind: TimerKind, at: number | undefined): void {
    if (at === undefined) return;
    const timer: TimerKey = { kind, attempt: this.#attempt, seq: this.#nextSeq++ };
    this.#armed.set(kind, { timer, at });
    out.push({ type: 'armTimer', timer, at });
  }

  #disarm(out: LifecycleDecision[], kind: TimerKind): void {
    const armed = this.#armed.get(kind);
    if (armed === undefined) return;
    this.#armed.delete(kind);
    out.push({ type: 'disarmTimer', timer: armed.timer });
  }
}

function notFound(to: Rpc, attempt: number): LifecycleDecision {
  return { type: 'respond', to, attempt, status: 'notFound', cancelRequested: false };
}

function ok(to: Rpc, attempt: number, cancelRequested: boolean): LifecycleDecision {
  return { type: 'respond', to, attempt, status: 'ok', cancelRequested };
}
