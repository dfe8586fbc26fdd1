/**
 * The SDK side of heartbeating: how often heartbeats reach the server (S1, S2), what happens to
 * held-back details when the attempt ends (S4, H2), and the TS core's own local timeout (S5).
 *
 * Read from: temporalio/sdk-core `crates/sdk-core/src/worker/activities.rs` (`record_heartbeat`,
 * the local-timeout task in `streamify`, `complete`) and
 * `crates/sdk-core/src/worker/activities/activity_heartbeat_manager.rs`; the TS worker's
 * defaults in `@temporalio/worker` 1.24.0 `lib/worker-options.js`; cadence-go-client
 * `internal/internal_task_handlers.go` (`cadenceInvoker`), `internal/activity_task_handler.go`
 * and `internal/activity.go` (`WithActivityTask`).
 */

import type { NormalizedWorkerOptions, Payload, ProfileName } from './types.js';

/** Cadence: the window when no heartbeat timeout is set is 80% of this (Go `defaultHeartBeatIntervalInSec`). */
const CADENCE_DEFAULT_HEARTBEAT_INTERVAL_S = 10 * 60;

/** Temporal: core waits this long past a local deadline before timing out itself (`local_timeout_buffer_for_activities`). */
export const TEMPORAL_LOCAL_TIMEOUT_BUFFER_MS = 5_000;

/**
 * S1: the throttle window of one activity, in ms (0 = every heartbeat is sent at once).
 *
 * - temporal (sdk-core `record_heartbeat`): `HB >= 1 ms ? 0.8 x HB : defaultHeartbeatThrottleInterval`
 *   (core tests `as_millis() == 0`, so a timeout under 1 ms counts as unset),
 *   then capped at `maxHeartbeatThrottleInterval`. So `maxHeartbeatThrottleIntervalMs = 0`
 *   disables throttling for every activity, while `defaultHeartbeatThrottleIntervalMs = 0` only
 *   disables it for activities **without** a heartbeat timeout (with one, the default is unused).
 *   `0.8 x HB` is exact (core multiplies a nanosecond `Duration`), so it can be fractional
 *   (HB 1 ms gives 0.8 ms).
 * - cadence (Go `heartbeatAndScheduleNextRun`): `trunc(float32(0.8) x HB seconds)` whole
 *   seconds, HB unset gives 80% of 600 s = 480 s, no cap, worker options ignored. HB is whole
 *   seconds on Cadence (T4); a fraction of a second here is dropped, as the server would.
 */
export function throttleIntervalMs(profile: ProfileName, heartbeatTimeoutMs: number, worker: NormalizedWorkerOptions): number {
  if (profile === 'cadence') {
    const hbSeconds = Math.floor(heartbeatTimeoutMs / 1000);
    const base = hbSeconds > 0 ? hbSeconds : CADENCE_DEFAULT_HEARTBEAT_INTERVAL_S;
    // Go: time.Duration(0.8*float32(seconds)) * time.Second; the float32 product is truncated.
    return Math.trunc(Math.fround(Math.fround(0.8) * Math.fround(base))) * 1000;
  }
  // sdk-core tests `heartbeat_timeout.as_millis() == 0`: a timeout under 1 ms counts as unset.
  const uncapped = heartbeatTimeoutMs >= 1 ? (heartbeatTimeoutMs * 4) / 5 : worker.defaultHeartbeatThrottleIntervalMs;
  return Math.min(uncapped, worker.maxHeartbeatThrottleIntervalMs);
}

/**
 * Cadence (S8): how long the Go client waits for a heartbeat RPC (`internalHeartBeat`: a context
 * with the heartbeat timeout in whole seconds, 600 s when unset); past it the call fails with a
 * deadline error. Temporal: `undefined` (core's heartbeat runs in the background, S8).
 */
export function heartbeatRpcTimeoutMs(profile: ProfileName, heartbeatTimeoutMs: number): number | undefined {
  if (profile !== 'cadence') return undefined;
  const seconds = Math.floor(heartbeatTimeoutMs / 1000);
  return (seconds > 0 ? seconds : CADENCE_DEFAULT_HEARTBEAT_INTERVAL_S) * 1000;
}

/** A heartbeat to put on the wire now; call {@link HeartbeatThrottle.answered} when its RPC returns. */
export interface ThrottleSend {
  readonly send: Payload;
}

/** Result of {@link HeartbeatThrottle.call}. */
export type ThrottleCallResult =
  | ThrottleSend
  /** A window is open or an RPC is in flight: kept as the pending details, replacing older pending ones. */
  | { readonly coalesced: true }
  /** The attempt has ended (evicted or dropped): a rogue heartbeat, ignored as the SDKs do. */
  | { readonly ignored: true };

/** How a heartbeat RPC went, as the SDK's throttle sees it. */
export type RpcAnswer =
  /** Answered by the server (OK, cancel requested, or NotFound). */
  | 'answered'
  /** Failed: lost, timed out, unavailable. */
  | 'failed';

/** Result of {@link HeartbeatThrottle.answered}. */
export type ThrottleAnswerResult =
  /** A window opens: arm a timer at `windowEndsAt` and call {@link HeartbeatThrottle.windowEnd}. */
  | { readonly windowEndsAt: number; readonly windowId: number }
  /** Send these details now (cadence after a failed RPC; a deferred flush after eviction). */
  | ThrottleSend
  /** No window, nothing pending: the next call is sent at once (cadence after a failed RPC). */
  | { readonly idle: true }
  /** The attempt was evicted and no heartbeat RPC is in flight any more: send its report now (S7). */
  | { readonly ready: true }
  /** Evicted, but another heartbeat RPC of the attempt is still in flight: wait for it (S7). */
  | { readonly waiting: true };

/** Result of {@link HeartbeatThrottle.windowEnd}. */
export type ThrottleWindowEndResult =
  | ThrottleSend
  /** Nothing was pending: the window closes and the next call is sent at once. */
  | { readonly closed: true }
  /** Not the current window (already ended, evicted or dropped): ignore. */
  | { readonly stale: true };

/** How the attempt ended, for {@link HeartbeatThrottle.evict} (see `throttleEndFor` in report.ts). */
export type EvictHow = 'success' | 'failure' | 'cancel' | 'drop';

/** Result of {@link HeartbeatThrottle.evict}. */
export interface ThrottleEvictResult {
  /** S4: pending details to send now, before the report (failure, cancellation). */
  readonly send?: Payload;
  /** Pending details existed and are lost (success, S4; nothing reported under temporal). */
  readonly dropped: boolean;
  /**
   * S7: no heartbeat RPC of the attempt is in flight and none is to be sent: report now.
   * Otherwise the report waits until {@link HeartbeatThrottle.answered} says `ready`.
   */
  readonly ready: boolean;
}

/** Result of {@link HeartbeatThrottle.drop}. */
export type ThrottleDropResult = { readonly dropped: true } | { readonly empty: true };

/**
 * S2, S4, S7: the SDK side of one attempt's heartbeats, as a pure state machine (the caller
 * passes the time; nothing here reads a clock). It owns the rule that at most one heartbeat RPC
 * of an attempt is in flight, and that the attempt's report waits for it.
 *
 * temporal (sdk-core `activity_heartbeat_manager.rs`):
 * - A {@link call} with no window open and no RPC in flight is sent at once (`record`, vacant).
 * - Any other call only replaces the pending details: latest wins.
 * - When the RPC is {@link answered} (whatever the answer), a window opens that ends at
 *   `max(last send + interval, response)` (`handle_report_completed` always sleeps, 0 included:
 *   so even with throttling disabled one RPC at most is in flight).
 * - At {@link windowEnd}, pending details are sent; with nothing pending the window closes and
 *   the next call is sent at once (`handle_throttle_completed`).
 * - {@link evict} (`complete` -> `evict`): pending details are sent on a failure or
 *   cancellation (S4), dropped otherwise; the report waits until every heartbeat RPC still in
 *   flight has been answered (S7: `tt_needs_flush`, notified in `handle_report_completed`).
 *   Core sends the flush at once, next to an RPC still in flight, and reports at the first answer;
 *   one gRPC connection delivers the two heartbeats in the order they were sent. hbsim draws each
 *   RPC's latency on its own, so two heartbeats in flight could overtake each other (stored
 *   progress would go back): the flush goes out once the RPC in flight is answered, and the
 *   report after the flush's answer.
 *
 * cadence (cadence-go-client `internal_task_handlers.go`):
 * - A call with no window open is sent at once (`BatchHeartbeat` -> `heartbeatAndScheduleNextRun`);
 *   the call blocks for the RPC (S8), so a call made while one is in flight (an activity that
 *   did not await its heartbeat) is held, as a Go caller blocked on the invoker's lock would be.
 * - A window opens only when the RPC was answered (OK, cancel, NotFound): a full interval from the
 *   response. After a failed RPC no window opens: what is pending is sent at once, else the next
 *   call is.
 * - Eviction (`Close(flush)`): after the RPC in flight (the lock), pending details are sent
 *   synchronously unless the attempt completed; the report comes after.
 */
export class HeartbeatThrottle {
  readonly intervalMs: number;
  readonly profile: ProfileName;
  private window: { readonly id: number; readonly endsAt: number } | undefined;
  private pending: { readonly details: Payload } | undefined;
  private nextWindowId = 1;
  /** Heartbeat RPCs sent and not yet answered. */
  private inFlight = 0;
  private lastSendAt = 0;
  private ended = false;
  /** Evicted: the report is waiting for the RPCs in flight (and, cadence, a deferred flush). */
  private evicted = false;
  private deferredFlush: { readonly details: Payload } | undefined;

  constructor(intervalMs: number, profile: ProfileName = 'temporal') {
    if (!(intervalMs >= 0) || !Number.isFinite(intervalMs)) {
      throw new RangeError(`HeartbeatThrottle: intervalMs must be a finite number >= 0, got ${intervalMs}`);
    }
    this.intervalMs = intervalMs;
    this.profile = profile;
  }

  /** The activity called `heartbeat(details)` at `now` (details already encoded, S3). */
  call(now: number, details: Payload): ThrottleCallResult {
    if (this.ended) return { ignored: true };
    if (this.window !== undefined || this.inFlight > 0) {
      this.pending = { details };
      return { coalesced: true };
    }
    return this.sendNow(now, details);
  }

  /** The heartbeat RPC sent earliest and still in flight returned at `now`. */
  answered(now: number, answer: RpcAnswer): ThrottleAnswerResult {
    if (this.inFlight === 0) throw new RangeError('HeartbeatThrottle: answered() with no heartbeat RPC in flight');
    this.inFlight--;
    if (this.evicted) {
      if (this.inFlight > 0) return { waiting: true };
      const flush = this.deferredFlush;
      if (flush !== undefined) {
        this.deferredFlush = undefined;
        return this.sendNow(now, flush.details);
      }
      this.evicted = false;
      return { ready: true };
    }
    if (this.ended) return { idle: true };
    if (this.profile === 'cadence' && answer === 'failed') {
      // heartbeatAndScheduleNextRun: no batching window after a failed RPC.
      const pending = this.pending;
      if (pending === undefined) return { idle: true };
      this.pending = undefined;
      return this.sendNow(now, pending.details);
    }
    const endsAt = this.profile === 'cadence' ? now + this.intervalMs : Math.max(this.lastSendAt + this.intervalMs, now);
    const window = { id: this.nextWindowId++, endsAt };
    this.window = window;
    return { windowEndsAt: window.endsAt, windowId: window.id };
  }

  /** The timer armed for window `windowId` fired at `now`. */
  windowEnd(now: number, windowId?: number): ThrottleWindowEndResult {
    const window = this.window;
    if (this.ended || window === undefined || (windowId !== undefined && windowId !== window.id)) return { stale: true };
    if (now < window.endsAt) {
      throw new RangeError(`HeartbeatThrottle: window ${window.id} ends at ${window.endsAt}, not ${now}`);
    }
    this.window = undefined;
    const pending = this.pending;
    if (pending === undefined) return { closed: true };
    this.pending = undefined;
    return this.sendNow(now, pending.details);
  }

  /**
   * S4, S7: the attempt's function settled and the worker is about to report `how` it ended.
   * Pending details go out before a failure or cancellation and are dropped otherwise; the report
   * is sent once no heartbeat RPC of the attempt is in flight (`ready`, now or from
   * {@link answered}). Later calls are ignored.
   */
  evict(now: number, how: EvictHow): ThrottleEvictResult {
    if (this.ended) return { dropped: false, ready: !this.evicted };
    const pending = this.pending;
    this.pending = undefined;
    this.window = undefined;
    this.ended = true;
    const flush = pending !== undefined && (how === 'failure' || how === 'cancel');
    const dropped = pending !== undefined && !flush;
    if (flush && this.inFlight === 0) {
      this.evicted = true;
      this.sendNow(now, pending.details);
      return { send: pending.details, dropped, ready: false };
    }
    // With an RPC in flight the flush goes out once it is answered: see the class comment.
    if (flush) this.deferredFlush = pending;
    this.evicted = this.inFlight > 0;
    return { dropped, ready: !this.evicted };
  }

  /** H2: the worker died: pending details are lost, nothing more is sent or reported. */
  drop(): ThrottleDropResult {
    const pending = this.pending ?? this.deferredFlush;
    this.pending = undefined;
    this.deferredFlush = undefined;
    this.window = undefined;
    this.ended = true;
    this.evicted = false;
    return pending === undefined ? { empty: true } : { dropped: true };
  }

  /** Whether details are held back, waiting for a window to end or an RPC to return. */
  get hasPending(): boolean {
    return this.pending !== undefined;
  }

  /** Heartbeat RPCs sent and not yet answered. */
  get rpcsInFlight(): number {
    return this.inFlight;
  }

  private sendNow(now: number, details: Payload): ThrottleSend {
    this.inFlight++;
    this.lastSendAt = now;
    return { send: details };
  }
}

/** Inputs of {@link localTimeoutDeadline}; every time in virtual ms, every timeout 0 = unset. */
export interface LocalTimeoutInput {
  /** When this attempt started on the worker. */
  readonly attemptStartedAt: number;
  /**
   * temporal: when the last heartbeat RPC of this attempt **returned**, whatever its answer
   * (core resets the timer in `handle_report_completed`, which runs after success, NotFound
   * and other errors alike); `undefined` if none has returned yet.
   */
  readonly lastHeartbeatResponseAt: number | undefined;
  readonly heartbeatTimeoutMs: number;
  readonly startToCloseTimeoutMs: number;
  /** cadence: when this attempt was scheduled (Cadence's S2C restarts per attempt, T2). */
  readonly attemptScheduledAt?: number;
  /** cadence: the normalised schedule-to-close timeout (T1). */
  readonly scheduleToCloseTimeoutMs?: number;
}

/**
 * S5: when the worker gives up on an attempt by itself, or `undefined` for never. The runtime
 * then cancels the activity with `TIMED_OUT`, and nothing is reported (see `reportFor`).
 *
 * - temporal (sdk-core `streamify`): take the smallest nonzero of HB and STC (HB on a tie).
 *   If it is HB, the deadline is `(last heartbeat response, else attempt start) + HB + 5 s`:
 *   the timer restarts at each heartbeat response, and STC is then **not** enforced locally.
 *   If it is STC (no HB), `attempt start + STC + 5 s`. Neither set: none. S2C is not tracked.
 * - cadence (Go `WithActivityTask` + `Execute`): the activity's context carries the deadline
 *   `min(attempt scheduled + S2C, attempt start + STC)`, no buffer, not moved by heartbeats.
 *   Past it the context is done, and when the function returns the worker reports nothing.
 *   (the Go client does have this local deadline; docs/semantics.md S5.)
 */
export function localTimeoutDeadline(profile: ProfileName, input: LocalTimeoutInput): number | undefined {
  if (profile === 'cadence') {
    const candidates: number[] = [];
    if (input.startToCloseTimeoutMs > 0) candidates.push(input.attemptStartedAt + input.startToCloseTimeoutMs);
    const s2c = input.scheduleToCloseTimeoutMs ?? 0;
    if (s2c > 0) candidates.push((input.attemptScheduledAt ?? input.attemptStartedAt) + s2c);
    return candidates.length === 0 ? undefined : Math.min(...candidates);
  }
  const hb = input.heartbeatTimeoutMs;
  const stc = input.startToCloseTimeoutMs;
  if (hb > 0 && (stc <= 0 || hb <= stc)) {
    const from = Math.max(input.attemptStartedAt, input.lastHeartbeatResponseAt ?? input.attemptStartedAt);
    return from + hb + TEMPORAL_LOCAL_TIMEOUT_BUFFER_MS;
  }
  if (stc > 0) return input.attemptStartedAt + stc + TEMPORAL_LOCAL_TIMEOUT_BUFFER_MS;
  return undefined;
}
