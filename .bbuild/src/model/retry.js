/**
 * The server's activity retry policy (R1-R7) as pure functions: whether the attempt that just
 * failed or timed out is retried, and after which backoff.
 *
 * Read from: temporalio/temporal `service/history/workflow/retry.go` (`nextBackoffInterval`),
 * `common/backoff/retry.go` (`ExponentialBackoffAlgorithm`), `common/retrypolicy/retry_policy.go`
 * (`IsRetryableFailure`), `service/history/workflow/mutable_state_impl.go` (`RetryActivity`);
 * cadence-workflow/cadence `service/history/execution/retry.go` (`getBackoffInterval`),
 * `service/history/execution/mutable_state_builder_methods_activity.go` (`RetryActivity`).
 *
 * @module
 */
import { timeoutGoesThroughRetryPolicy } from './timeouts.js';
/** R6 (temporal): prefix of the pseudo error types that make a timeout non-retryable, e.g. `TemporalTimeout:StartToClose`. */
export const TEMPORAL_TIMEOUT_TYPE_PREFIX = 'TemporalTimeout:';
/** R6 (cadence): prefix of the failure reason of a timeout, e.g. `cadenceInternal:Timeout START_TO_CLOSE`. */
export const CADENCE_TIMEOUT_REASON_PREFIX = 'cadenceInternal:Timeout ';
/**
 * R6 (cadence): failure reasons the cadence server never retries, whatever the policy says
 * (`common/util.go`; FAILURE_DETAILS_EXCEEDS_LIMIT is deliberately not in the list).
 */
export const CADENCE_NEVER_RETRIED_REASONS = [
    'CANCEL_DETAILS_EXCEEDS_LIMIT',
    'COMPLETE_RESULT_EXCEEDS_LIMIT',
    'HEARTBEAT_EXCEEDS_LIMIT',
    'DECISION_BLOB_SIZE_EXCEEDS_LIMIT',
];
/** Largest backoff the temporal server can represent: `math.MaxInt64` nanoseconds, in ms. */
const TEMPORAL_MAX_BACKOFF_MS = 2 ** 63 / 1e6;
/** Largest backoff the cadence server accepts before treating it as an overflow: `MaxInt64 / 1e9` whole seconds. */
const CADENCE_MAX_BACKOFF_SECONDS = Math.trunc(2 ** 63 / 1e9);
/**
 * R1: the uncapped interval after attempt `attempt` (1-based) failed, in ms.
 * - temporal: `initial * coefficient^(attempt-1)`, float ms, no jitter;
 * - cadence: the same exponent counted from 0, in seconds, **truncated to whole seconds**
 *   (1 s x 1.5 gives 1, 1, 2, 3, 5 s).
 * The result may be `Infinity` or `NaN`; {@link capIntervalMs} deals with that (R2).
 * Cadence assumes `initialIntervalMs` is whole seconds (R8 normalisation).
 */
export function exponentialIntervalMs(profile, policy, attempt) {
    const exponent = attempt - 1;
    if (profile === 'temporal')
        return policy.initialIntervalMs * policy.backoffCoefficient ** exponent;
    const seconds = (policy.initialIntervalMs / 1000) * policy.backoffCoefficient ** exponent;
    return Number.isFinite(seconds) ? Math.trunc(seconds) * 1000 : seconds;
}
/**
 * R2: caps an interval from {@link exponentialIntervalMs} at `maximumIntervalMs` (0 = no cap).
 * An interval the server cannot represent (temporal: 0, negative, NaN or >= 2^63 ns;
 * cadence: <= 0 s, NaN or > MaxInt64/1e9 s) is replaced by the cap; with no cap there is
 * no retry and the result is `undefined`.
 */
export function capIntervalMs(profile, intervalMs, maximumIntervalMs) {
    const overflow = profile === 'temporal'
        ? !(intervalMs > 0 && intervalMs < TEMPORAL_MAX_BACKOFF_MS)
        : !(intervalMs > 0 && intervalMs / 1000 <= CADENCE_MAX_BACKOFF_SECONDS);
    if (overflow)
        return maximumIntervalMs > 0 ? maximumIntervalMs : undefined;
    return maximumIntervalMs > 0 && intervalMs > maximumIntervalMs ? maximumIntervalMs : intervalMs;
}
/**
 * R1 + R2: the backoff after attempt `attempt` failed, capped; `undefined` if it overflowed
 * with no cap (never retried).
 */
export function backoffIntervalMs(profile, policy, attempt) {
    return capIntervalMs(profile, exponentialIntervalMs(profile, policy, attempt), policy.maximumIntervalMs);
}
/**
 * R3: whether `attempt` (1-based) was the last one allowed. maximumAttempts counts every
 * attempt including the first; 0 = unlimited. Same meaning in both profiles.
 */
export function attemptsExhausted(attempt, maximumAttempts) {
    return maximumAttempts > 0 && attempt >= maximumAttempts;
}
/**
 * R4: the time after which no attempt may be scheduled, or `undefined` for no bound.
 * - temporal: `firstScheduled + scheduleToClose` (S2C unset: no bound);
 * - cadence: `firstScheduled + retryPolicy.expirationInterval` (0: no bound); S2C is not used.
 */
export function retryBoundAt(options, firstScheduledAt) {
    if (options.profile === 'temporal') {
        return options.scheduleToCloseTimeoutMs > 0 ? firstScheduledAt + options.scheduleToCloseTimeoutMs : undefined;
    }
    const expiration = options.retry?.expirationIntervalMs ?? 0;
    return expiration > 0 ? firstScheduledAt + expiration : undefined;
}
/**
 * R4: whether a retry after `intervalMs` would be scheduled past the bound:
 * `now + interval > bound` (strictly: landing exactly on the bound is still allowed).
 */
export function exceedsRetryBound(now, intervalMs, boundAt) {
    return boundAt !== undefined && now + intervalMs > boundAt;
}
/** R6 (temporal): the pseudo error type of a timeout, e.g. `TemporalTimeout:StartToClose`. */
export function temporalTimeoutErrorType(timeoutType) {
    const camel = timeoutType
        .toLowerCase()
        .split('_')
        .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
        .join('');
    return TEMPORAL_TIMEOUT_TYPE_PREFIX + camel;
}
/**
 * R6 (cadence): the failure *reason* the cadence server matches against
 * `nonRetriableErrorReasons`: the application failure's type (the Go client's error reason),
 * or `cadenceInternal:Timeout <TYPE>` for a timeout. A reported cancellation has none.
 */
export function cadenceFailureReason(failure) {
    switch (failure.kind) {
        case 'application':
            return failure.type;
        case 'timeout':
            return CADENCE_TIMEOUT_REASON_PREFIX + failure.timeoutType;
        case 'canceled':
            return undefined;
    }
}
/**
 * R6: whether a failure may be retried at all (before attempts, intervals and bounds).
 * - temporal: START_TO_CLOSE / HEARTBEAT timeouts are retryable unless
 *   `TemporalTimeout:StartToClose` / `TemporalTimeout:Heartbeat` is listed; other timeouts and
 *   cancellations are not; an application failure is not if flagged non-retryable or if its
 *   type is listed (exact, case-sensitive match);
 * - cadence: the failure reason must not be listed (exact match) nor be one of
 *   {@link CADENCE_NEVER_RETRIED_REASONS}. Cadence has no non-retryable flag: `nonRetryable`
 *   is ignored.
 */
export function isRetryable(profile, failure, nonRetryableErrorTypes) {
    if (profile === 'cadence') {
        const reason = cadenceFailureReason(failure);
        if (reason === undefined)
            return false;
        return !CADENCE_NEVER_RETRIED_REASONS.includes(reason) && !nonRetryableErrorTypes.includes(reason);
    }
    switch (failure.kind) {
        case 'canceled':
            return false;
        case 'timeout':
            if (failure.timeoutType !== 'START_TO_CLOSE' && failure.timeoutType !== 'HEARTBEAT')
                return false;
            return !nonRetryableErrorTypes.includes(temporalTimeoutErrorType(failure.timeoutType));
        case 'application':
            return !failure.nonRetryable && !nonRetryableErrorTypes.includes(failure.type);
    }
}
/**
 * R7: the application-chosen delay for the next retry, honoured under temporal only
 * (cadence stores it and never uses it). `undefined` when none was given.
 */
export function applicationRetryDelayMs(profile, failure) {
    if (profile !== 'temporal' || failure.kind !== 'application')
        return undefined;
    return failure.nextRetryDelayMs;
}
/**
 * R5: decides whether the attempt that just failed or timed out is retried, and after which
 * backoff (the next attempt is then scheduled at `now + backoffMs`, R4b).
 *
 * temporal order: no policy -> cancel requested -> S2S / S2C timeout (T3) -> non-retryable (R6)
 * -> maximumAttempts (R3) -> interval (R1, or R7's delay, which also replaces the cap) -> cap
 * (R2) -> overall bound (R4).
 *
 * cadence order: no policy (R8) or cancel requested -> maximumAttempts 0 with no expiration
 * (never retried) -> maximumAttempts (R3) -> interval (R1, R2) -> expiration (R4) -> size-limit
 * reasons and non-retriable reasons (R6).
 */
export function retryDecision(input) {
    const { options, attempt, failure, now, firstScheduledAt, cancelRequested } = input;
    const { profile, retry: policy } = options;
    if (policy === undefined)
        return { retry: false, reason: 'retryPolicyNotSet' };
    if (cancelRequested)
        return { retry: false, reason: 'cancelRequested' };
    const bound = retryBoundAt(options, firstScheduledAt);
    if (profile === 'cadence') {
        if (policy.maximumAttempts === 0 && bound === undefined)
            return { retry: false, reason: 'noAttemptsOrExpiration' };
        if (attemptsExhausted(attempt, policy.maximumAttempts))
            return { retry: false, reason: 'maximumAttemptsReached' };
        const interval = backoffIntervalMs(profile, policy, attempt);
        if (interval === undefined)
            return { retry: false, reason: 'intervalOverflow' };
        if (exceedsRetryBound(now, interval, bound))
            return { retry: false, reason: 'timeout' };
        if (!isRetryable(profile, failure, policy.nonRetryableErrorTypes))
            return { retry: false, reason: 'nonRetryableFailure' };
        return { retry: true, backoffMs: interval };
    }
    if (failure.kind === 'timeout' && !timeoutGoesThroughRetryPolicy(profile, failure.timeoutType)) {
        return { retry: false, reason: 'timeout' };
    }
    if (!isRetryable(profile, failure, policy.nonRetryableErrorTypes))
        return { retry: false, reason: 'nonRetryableFailure' };
    if (attemptsExhausted(attempt, policy.maximumAttempts))
        return { retry: false, reason: 'maximumAttemptsReached' };
    const requested = applicationRetryDelayMs(profile, failure);
    const delay = requested === undefined || Number.isNaN(requested) ? undefined : requested;
    // R7: the delay replaces both the computed interval and the cap; a zero delay leaves no cap and
    // a zero interval, which the server answers with RETRY_STATE_TIMEOUT. A negative one retries at once.
    const interval = delay === undefined
        ? backoffIntervalMs(profile, policy, attempt)
        : delay === 0
            ? undefined
            : Math.max(0, delay);
    if (interval === undefined)
        return { retry: false, reason: 'timeout' };
    if (exceedsRetryBound(now, interval, bound))
        return { retry: false, reason: 'timeout' };
    return { retry: true, backoffMs: interval };
}
