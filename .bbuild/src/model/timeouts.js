/**
 * T2: schedule-to-start deadline of one attempt: that attempt's scheduled time + S2S.
 * Both profiles. `undefined` when S2S is not set (0).
 */
export function scheduleToStartDeadline(options, attemptScheduledAt) {
    return options.scheduleToStartTimeoutMs > 0 ? attemptScheduledAt + options.scheduleToStartTimeoutMs : undefined;
}
/**
 * T2: start-to-close deadline of one attempt: the attempt's start + STC.
 * Both profiles. `undefined` when STC is not set (0).
 */
export function startToCloseDeadline(options, attemptStartedAt) {
    return options.startToCloseTimeoutMs > 0 ? attemptStartedAt + options.startToCloseTimeoutMs : undefined;
}
/**
 * T2: heartbeat deadline: `max(attemptStart, lastAcceptedHeartbeat) + HB`, so an attempt that
 * never heartbeats times out at attemptStart + HB, and a heartbeat left over from an earlier
 * attempt never shortens the new attempt's deadline. Both profiles.
 * `undefined` when HB is not set (0).
 */
export function heartbeatDeadline(options, attemptStartedAt, lastHeartbeatAt) {
    if (options.heartbeatTimeoutMs <= 0)
        return undefined;
    const base = lastHeartbeatAt === undefined ? attemptStartedAt : Math.max(attemptStartedAt, lastHeartbeatAt);
    return base + options.heartbeatTimeoutMs;
}
/**
 * T2: schedule-to-close deadline.
 * - temporal: `firstScheduled + S2C`, one deadline for the whole activity, all attempts included;
 * - cadence: `attemptScheduled + S2C`, restarting at each attempt's scheduled time.
 * `undefined` when S2C is not set (0).
 */
export function scheduleToCloseDeadline(options, firstScheduledAt, attemptScheduledAt) {
    if (options.scheduleToCloseTimeoutMs <= 0)
        return undefined;
    const base = options.profile === 'temporal' ? firstScheduledAt : attemptScheduledAt;
    return base + options.scheduleToCloseTimeoutMs;
}
/**
 * T3: whether a timeout of this type is handed to the retry policy.
 * - temporal: START_TO_CLOSE and HEARTBEAT only; SCHEDULE_TO_START and SCHEDULE_TO_CLOSE never retry;
 * - cadence: all four go through the policy.
 */
export function timeoutGoesThroughRetryPolicy(profile, timeoutType) {
    if (profile === 'cadence')
        return true;
    return timeoutType === 'START_TO_CLOSE' || timeoutType === 'HEARTBEAT';
}
/**
 * T3: whether S2C is re-armed for every attempt (cadence) rather than once for the whole
 * activity (temporal).
 */
export function scheduleToCloseIsPerAttempt(profile) {
    return profile === 'cadence';
}
