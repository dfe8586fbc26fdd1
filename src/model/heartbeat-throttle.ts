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
 * - temporal (sdk-core `record_heartbeat`): `HB > 0 ? 0.8 x HB : defaultHeartbeatThrottleInterval`,
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
  const uncapped = heartbeatTimeoutMs > 0 ? (heartbeatTimeoutMs * 4) / 5 : worker.defaultHeartbeatThrottleIntervalMs;
  return Math.min(uncapped, worker.maxHeartbeatThrottleIntervalMs);
}

/** A heartbeat to put on the wire now, and the throttle window it opens (none when the interval is 0). */
export interface ThrottleSend {
  readonly send: Payload;
  /** When the window opened by this send ends: arm a timer and call {@link HeartbeatThrottle.windowEnd}. */
  readonly windowEndsAt: number | undefined;
  /** Pass back to {@link HeartbeatThrottle.windowEnd} so that a stale timer is harmless. */
  readonly windowId: number | undefined;
}

/** Result of {@link HeartbeatThrottle.call}. */
export type ThrottleCallResult =
  | ThrottleSend
  /** Inside the window: kept as the pending details, replacing older pending ones. */
  | { readonly coalesced: true }
  /** The attempt has ended (flushed or dropped): a rogue heartbeat, ignored as the SDKs do. */
  | { readonly ignored: true };

/** Result of {@link HeartbeatThrottle.windowEnd}. */
export type ThrottleWindowEndResult =
  | ThrottleSend
  /** Nothing was pending: the window closes and the next call is sent at once. */
  | { readonly closed: true }
  /** Not the current window (already ended, flushed or dropped): ignore. */
  | { readonly stale: true };

/** Result of {@link HeartbeatThrottle.flush} and {@link HeartbeatThrottle.drop}. */
export type ThrottleEndResult =
  /** S4: send these pending details before reporting the failure or cancellation. */
  | { readonly send: Payload }
  /** Pending details existed and are lost (success, S4; crash, H2). */
  | { readonly dropped: true }
  /** Nothing was pending. */
  | { readonly empty: true };

/** How the attempt ended, for {@link HeartbeatThrottle.flush}. */
export type FlushHow = 'success' | 'failure' | 'cancel';

/**
 * S2: the throttle of one attempt's heartbeats, as a pure state machine (the caller passes the
 * time; nothing here reads a clock).
 *
 * - The first {@link call} (or any call while no window is open) is sent at once and opens a
 *   window of `intervalMs`.
 * - Calls inside the window only replace the pending details: latest wins.
 * - At {@link windowEnd}, pending details are sent and a new window opens; with nothing pending
 *   the window closes.
 * - {@link flush} / {@link drop} end the attempt (S4, H2); later calls are ignored.
 * - `intervalMs = 0`: every call is sent at once and no window opens.
 *
 * Windows are measured from the send. In the real SDKs the next window's timer starts once the
 * heartbeat RPC has returned: temporal sleeps `max(0, interval - (response - send))`, so the
 * window ends at `max(windowEndsAt, responseAt)`; cadence starts its timer after the
 * (synchronous) RPC, so `responseAt + interval`. A runtime that models RPC latency arms the
 * timer accordingly; the state machine does not care when `windowEnd` comes, as long as it is
 * not before `windowEndsAt`.
 */
export class HeartbeatThrottle {
  readonly intervalMs: number;
  private window: { readonly id: number; readonly endsAt: number } | undefined;
  private pending: { readonly details: Payload } | undefined;
  private nextWindowId = 1;
  private ended = false;

  constructor(intervalMs: number) {
    if (!(intervalMs >= 0) || !Number.isFinite(intervalMs)) {
      throw new RangeError(`HeartbeatThrottle: intervalMs must be a finite number >= 0, got ${intervalMs}`);
    }
    this.intervalMs = intervalMs;
  }

  /** The activity called `heartbeat(details)` at `now` (details already encoded, S3). */
  call(now: number, details: Payload): ThrottleCallResult {
    if (this.ended) return { ignored: true };
    if (this.window !== undefined) {
      this.pending = { details };
      return { coalesced: true };
    }
    return this.sendAndOpen(now, details);
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
    return this.sendAndOpen(now, pending.details);
  }

  /**
   * S4: the attempt's function settled and the worker is about to report it. Pending details are
   * returned to be sent **before** a failure or cancellation is reported; on success they are
   * dropped. The throttle is then finished.
   */
  flush(how: FlushHow): ThrottleEndResult {
    const pending = this.finish();
    if (pending === undefined) return { empty: true };
    return how === 'success' ? { dropped: true } : { send: pending.details };
  }

  /** H2: the worker died (or will report nothing, S5/S6): pending details are lost. */
  drop(): ThrottleEndResult {
    return this.finish() === undefined ? { empty: true } : { dropped: true };
  }

  /** Whether details are held back, waiting for the window to end. */
  get hasPending(): boolean {
    return this.pending !== undefined;
  }

  private sendAndOpen(now: number, details: Payload): ThrottleSend {
    if (this.intervalMs === 0) return { send: details, windowEndsAt: undefined, windowId: undefined };
    const window = { id: this.nextWindowId++, endsAt: now + this.intervalMs };
    this.window = window;
    return { send: details, windowEndsAt: window.endsAt, windowId: window.id };
  }

  private finish(): { readonly details: Payload } | undefined {
    const pending = this.pending;
    this.pending = undefined;
    this.window = undefined;
    this.ended = true;
    return pending;
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
