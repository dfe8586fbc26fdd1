/**
 * User-facing activity and worker options, and their validation and normalisation into the
 * shapes the lifecycle model consumes ({@link NormalizedOptions}, {@link NormalizedWorkerOptions}).
 *
 * The rules follow the real clients and servers of each profile (docs/semantics.md T1, T4, R8):
 * - temporal: `@temporalio/workflow` 1.24 (`validateActivityOptions`, `compileRetryPolicy`) and
 *   the server's `validateAndNormalizeActivityAttributes` / `retrypolicy.EnsureDefaults` /
 *   `retrypolicy.Validate` (temporalio/temporal `chasm/lib/activity/validator.go`,
 *   `common/retrypolicy/retry_policy.go`).
 * - cadence: cadence-go-client `getValidatedActivityOptions`, `validateRetryPolicy`,
 *   `convertRetryPolicy` (`internal/internal_activity.go`, `internal/convert.go`) and the server's
 *   `validateActivityScheduleAttributes` (cadence `service/history/decision/checker.go`).
 *
 * Neither profile models a workflow timeout: where a server would fall back to, or cap at, the
 * workflow's run timeout, hbsim treats that timeout as unbounded.
 *
 * Every mistake throws {@link HbsimConfigError} naming the field; nothing else is ever thrown.
 */

import { ceilToWholeSeconds, formatDuration, parseDuration } from './duration.js';
import { HbsimConfigError, describeValue } from './errors.js';
import type { NormalizedOptions, NormalizedRetryPolicy, NormalizedWorkerOptions, ProfileName } from './model/types.js';

/** A number of milliseconds or a string like `'250ms'`, `'5s'`, `'1.5m'`, `'2h'`, `'1d'` (see `parseDuration`). */
export type Duration = number | string;

/** A retry policy as the user writes it (R8). */
export interface RetryOptions {
  /** Backoff after the first failure. temporal: default 1s, must be > 0. cadence: required. */
  initialInterval?: Duration;
  /** Growth of the backoff per attempt, >= 1. Default 2 (cadence: 0 also means 2, as in Go). */
  backoffCoefficient?: number;
  /** Cap of the backoff, >= initialInterval. Default 100 x initialInterval. */
  maximumInterval?: Duration;
  /**
   * Attempts in all, the first included (R3); 0 = unlimited, the default. temporal also takes
   * `Infinity`. cadence: 0 needs an `expirationInterval`.
   */
  maximumAttempts?: number;
  /**
   * Failure types (temporal) or reasons (cadence) never retried, exact match (R6). temporal
   * checks that a `TemporalTimeout:<type>` entry names a real timeout type.
   */
  nonRetryableErrorTypes?: string[];
  /** cadence only: retries stop once this long has passed since the first schedule (R4). */
  expirationInterval?: Duration;
}

/** Activity options as the user writes them (the TS SDK's names). A timeout of 0 is unset. */
export interface ActivityOptions {
  /** Time in the task queue, per attempt. temporal: derived from scheduleToClose if unset. cadence: required. */
  scheduleToStartTimeout?: Duration;
  /** Time an attempt may run. temporal: this or scheduleToClose is required. cadence: required. */
  startToCloseTimeout?: Duration;
  /** temporal: bound of the whole activity. cadence: per attempt, default S2S + STC (T1, T2). */
  scheduleToCloseTimeout?: Duration;
  /** Longest gap between heartbeats; unset = no heartbeat timeout. temporal caps it at startToClose (T1). */
  heartbeatTimeout?: Duration;
  /** temporal: omitted = the default policy. cadence: omitted = never retried (R8). */
  retry?: RetryOptions;
}

/** SDK worker options that shape heartbeat throttling (S1). 0 disables throttling. */
export interface WorkerOptions {
  /** Cap of the throttle window. Default 60s. */
  maxHeartbeatThrottleInterval?: Duration;
  /** Throttle window when the activity has no heartbeat timeout. Default 30s. */
  defaultHeartbeatThrottleInterval?: Duration;
}

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const DAY_MS = 24 * 60 * MINUTE_MS;
const INT32_MAX = 2_147_483_647;

/** temporal: every duration is capped at 100 years of 365 days (`timestamp.ValidateAndCapProtoDuration`). */
export const TEMPORAL_MAX_DURATION_MS = 100 * 365 * DAY_MS;
/** cadence: durations travel as int32 seconds (T4); anything longer is rejected. */
export const CADENCE_MAX_DURATION_MS = INT32_MAX * SECOND_MS;
/** cadence: with a retry policy, S2S is raised to at most this (`history.activityMaxScheduleToStartTimeoutForRetry`, default 30m). */
export const CADENCE_MAX_SCHEDULE_TO_START_FOR_RETRY_MS = 30 * MINUTE_MS;
/** cadence: the failure reason of a schedule-to-start timeout (`execution.TimerTypeToReason`). */
export const CADENCE_SCHEDULE_TO_START_REASON = 'cadenceInternal:Timeout SCHEDULE_TO_START';

/** Worker options when none are given (S1). */
export const DEFAULT_WORKER_OPTIONS: NormalizedWorkerOptions = Object.freeze({
  maxHeartbeatThrottleIntervalMs: 60 * SECOND_MS,
  defaultHeartbeatThrottleIntervalMs: 30 * SECOND_MS,
});

const ACTIVITY_KEYS = [
  'scheduleToStartTimeout',
  'startToCloseTimeout',
  'scheduleToCloseTimeout',
  'heartbeatTimeout',
  'retry',
] as const;
const RETRY_KEYS = [
  'initialInterval',
  'backoffCoefficient',
  'maximumInterval',
  'maximumAttempts',
  'nonRetryableErrorTypes',
  'expirationInterval',
] as const;
const WORKER_KEYS = ['maxHeartbeatThrottleInterval', 'defaultHeartbeatThrottleInterval'] as const;

/** temporal timeout type names accepted after `TemporalTimeout:` (`enumspb.TimeoutTypeFromString`). */
const TEMPORAL_TIMEOUT_TYPES: ReadonlySet<string> = new Set([
  'StartToClose',
  'ScheduleToStart',
  'ScheduleToClose',
  'Heartbeat',
  'TIMEOUT_TYPE_START_TO_CLOSE',
  'TIMEOUT_TYPE_SCHEDULE_TO_START',
  'TIMEOUT_TYPE_SCHEDULE_TO_CLOSE',
  'TIMEOUT_TYPE_HEARTBEAT',
]);
const TEMPORAL_TIMEOUT_PREFIX = 'TemporalTimeout:';

/**
 * Validates activity options and normalises them for one profile (T1, T4, R8).
 *
 * temporal (T1): startToClose or scheduleToClose must be > 0. With scheduleToClose set,
 * S2S := min(S2S, S2C) and STC := min(STC, S2C), an unset one taking S2C; without it S2C and an
 * unset S2S stay unset (the server would use the workflow run timeout). heartbeatTimeout is
 * capped at startToClose. Durations are capped at 100 years, otherwise kept to the sub-millisecond.
 * R8: every activity gets a policy (initial 1s, coefficient 2, maximum 100 x initial, unlimited
 * attempts).
 *
 * cadence (T4): every duration is rounded up to whole seconds first, as the Go client does.
 * T1: scheduleToStart and startToClose are required (the Go client rejects the activity without
 * them); S2C defaults to S2S + STC; heartbeat is not capped. R8: no policy = `retry` undefined.
 * With a policy, unless `cadenceInternal:Timeout SCHEDULE_TO_START` is non-retryable, S2S is
 * raised to min(expiration, 30m); S2C is raised to at least the expiration. An expiration of 0
 * stands for the (unbounded) workflow timeout: S2S is raised to 30m and S2C becomes 0 (unset).
 *
 * @param options the user's {@link ActivityOptions} (unknown: it is validated)
 * @param profile which client/server pair to follow
 * @param fieldPrefix how error messages name the options object
 * @throws HbsimConfigError naming the first offending field
 */
export function normalizeOptions(options: unknown, profile: ProfileName, fieldPrefix = 'options'): NormalizedOptions {
  if (profile !== 'temporal' && profile !== 'cadence') {
    throw new HbsimConfigError('profile', profile, "'temporal' or 'cadence'");
  }
  const raw = readObject(options, fieldPrefix, ACTIVITY_KEYS, 'an object of activity options');
  return profile === 'temporal' ? normalizeTemporal(raw, fieldPrefix) : normalizeCadence(raw, fieldPrefix);
}

/**
 * Validates worker options and applies the defaults (S1): maxHeartbeatThrottleInterval 60s,
 * defaultHeartbeatThrottleInterval 30s; 0 disables throttling. `undefined` gives the defaults.
 *
 * @throws HbsimConfigError naming the first offending field
 */
export function normalizeWorkerOptions(worker: unknown, fieldPrefix = 'worker'): NormalizedWorkerOptions {
  if (worker === undefined) return DEFAULT_WORKER_OPTIONS;
  const raw = readObject(worker, fieldPrefix, WORKER_KEYS, 'an object of worker options');
  return Object.freeze({
    maxHeartbeatThrottleIntervalMs: optionalDuration(
      raw.maxHeartbeatThrottleInterval,
      `${fieldPrefix}.maxHeartbeatThrottleInterval`,
      DEFAULT_WORKER_OPTIONS.maxHeartbeatThrottleIntervalMs,
    ),
    defaultHeartbeatThrottleIntervalMs: optionalDuration(
      raw.defaultHeartbeatThrottleInterval,
      `${fieldPrefix}.defaultHeartbeatThrottleInterval`,
      DEFAULT_WORKER_OPTIONS.defaultHeartbeatThrottleIntervalMs,
    ),
  });
}

// ---------------------------------------------------------------- temporal

type RawOptions<K extends string> = { readonly [P in K]?: unknown };

function normalizeTemporal(raw: RawOptions<(typeof ACTIVITY_KEYS)[number]>, prefix: string): NormalizedOptions {
  const timeout = (key: (typeof ACTIVITY_KEYS)[number]): number =>
    Math.min(optionalDuration(raw[key], `${prefix}.${key}`, 0), TEMPORAL_MAX_DURATION_MS);
  let s2s = timeout('scheduleToStartTimeout');
  let stc = timeout('startToCloseTimeout');
  const s2c = timeout('scheduleToCloseTimeout');
  const hb = timeout('heartbeatTimeout');
  const retry = temporalRetry(raw.retry, `${prefix}.retry`);

  if (s2c > 0) {
    s2s = s2s > 0 ? Math.min(s2s, s2c) : s2c;
    stc = stc > 0 ? Math.min(stc, s2c) : s2c;
  } else if (stc <= 0) {
    throw new HbsimConfigError(
      `${prefix}.startToCloseTimeout`,
      raw.startToCloseTimeout,
      'a duration > 0, or a scheduleToCloseTimeout > 0 (T1: temporal needs one of them)',
    );
  }
  return Object.freeze({
    profile: 'temporal',
    scheduleToStartTimeoutMs: s2s,
    startToCloseTimeoutMs: stc,
    scheduleToCloseTimeoutMs: s2c,
    heartbeatTimeoutMs: Math.min(hb, stc),
    retry,
  });
}

function temporalRetry(value: unknown, field: string): NormalizedRetryPolicy {
  const raw = value === undefined ? {} : readObject(value, field, RETRY_KEYS, 'a retry policy object');
  if (raw.expirationInterval !== undefined) {
    throw new HbsimConfigError(
      `${field}.expirationInterval`,
      raw.expirationInterval,
      'no expirationInterval under the temporal profile (cadence only; scheduleToCloseTimeout bounds retries, R4)',
    );
  }
  const maximumAttempts = readAttempts(raw.maximumAttempts, `${field}.maximumAttempts`, true);
  const initial = positiveDuration(raw.initialInterval, `${field}.initialInterval`, 1000, 'omit it for the 1s default');
  const coefficient = readCoefficient(raw.backoffCoefficient, `${field}.backoffCoefficient`, 'temporal');
  // The server skips the coefficient check when one attempt means no retry (retrypolicy.Validate);
  // the TS SDK still rejects a coefficient <= 0 (compileRetryPolicy).
  if (coefficient < 1 && maximumAttempts !== 1) {
    throw new HbsimConfigError(`${field}.backoffCoefficient`, raw.backoffCoefficient, 'a finite number >= 1');
  }
  const maximum = positiveDuration(raw.maximumInterval, `${field}.maximumInterval`, 100 * initial, 'omit it for 100 x initialInterval');
  if (maximum < initial) {
    throw new HbsimConfigError(`${field}.maximumInterval`, raw.maximumInterval, `a duration >= initialInterval (${formatDuration(initial)})`);
  }
  const nonRetryableErrorTypes = readStrings(raw.nonRetryableErrorTypes, `${field}.nonRetryableErrorTypes`);
  nonRetryableErrorTypes.forEach((type, i) => {
    if (type.startsWith(TEMPORAL_TIMEOUT_PREFIX) && !TEMPORAL_TIMEOUT_TYPES.has(type.slice(TEMPORAL_TIMEOUT_PREFIX.length))) {
      throw new HbsimConfigError(
        `${field}.nonRetryableErrorTypes[${i}]`,
        type,
        'TemporalTimeout:StartToClose, TemporalTimeout:Heartbeat, TemporalTimeout:ScheduleToStart or TemporalTimeout:ScheduleToClose after the TemporalTimeout: prefix',
      );
    }
  });
  return Object.freeze({
    initialIntervalMs: Math.min(initial, TEMPORAL_MAX_DURATION_MS),
    backoffCoefficient: coefficient,
    maximumIntervalMs: Math.min(maximum, TEMPORAL_MAX_DURATION_MS),
    maximumAttempts,
    nonRetryableErrorTypes: Object.freeze(nonRetryableErrorTypes),
    expirationIntervalMs: 0,
  });
}

// ---------------------------------------------------------------- cadence

function normalizeCadence(raw: RawOptions<(typeof ACTIVITY_KEYS)[number]>, prefix: string): NormalizedOptions {
  const timeout = (key: (typeof ACTIVITY_KEYS)[number]): number => cadenceDuration(raw[key], `${prefix}.${key}`);
  let s2s = timeout('scheduleToStartTimeout');
  const stc = timeout('startToCloseTimeout');
  let s2c = timeout('scheduleToCloseTimeout');
  const hb = timeout('heartbeatTimeout');
  const goClientRequires = (key: 'scheduleToStartTimeout' | 'startToCloseTimeout'): never => {
    throw new HbsimConfigError(
      `${prefix}.${key}`,
      raw[key],
      `a duration > 0 (T1: the cadence Go client requires ${key})`,
    );
  };
  if (s2s === 0) goClientRequires('scheduleToStartTimeout');
  if (stc === 0) goClientRequires('startToCloseTimeout');
  if (s2c === 0) {
    s2c = s2s + stc;
    if (s2c > CADENCE_MAX_DURATION_MS) {
      throw new HbsimConfigError(
        `${prefix}.scheduleToCloseTimeout`,
        raw.scheduleToCloseTimeout,
        'a duration set explicitly: scheduleToStartTimeout + startToCloseTimeout overflows cadence int32 seconds (T4)',
      );
    }
  }
  const retry = cadenceRetry(raw.retry, `${prefix}.retry`);
  if (retry !== undefined) {
    // 0 stands for the workflow timeout, which hbsim does not model: unbounded.
    const expiration = retry.expirationIntervalMs === 0 ? Infinity : retry.expirationIntervalMs;
    if (!retry.nonRetryableErrorTypes.includes(CADENCE_SCHEDULE_TO_START_REASON)) {
      s2s = Math.max(s2s, Math.min(expiration, CADENCE_MAX_SCHEDULE_TO_START_FOR_RETRY_MS));
    }
    if (s2c < expiration) s2c = expiration === Infinity ? 0 : expiration;
  }
  return Object.freeze({
    profile: 'cadence',
    scheduleToStartTimeoutMs: s2s,
    startToCloseTimeoutMs: stc,
    scheduleToCloseTimeoutMs: s2c,
    heartbeatTimeoutMs: hb,
    retry,
  });
}

function cadenceRetry(value: unknown, field: string): NormalizedRetryPolicy | undefined {
  if (value === undefined) return undefined;
  const raw = readObject(value, field, RETRY_KEYS, 'a retry policy object');
  const initial = cadenceDuration(raw.initialInterval, `${field}.initialInterval`);
  if (initial === 0) {
    throw new HbsimConfigError(`${field}.initialInterval`, raw.initialInterval, 'a duration > 0 (R8: the cadence Go client requires initialInterval)');
  }
  const coefficient = readCoefficient(raw.backoffCoefficient, `${field}.backoffCoefficient`, 'cadence');
  let maximum = cadenceDuration(raw.maximumInterval, `${field}.maximumInterval`);
  if (maximum === 0) maximum = 100 * initial;
  if (maximum < initial) {
    throw new HbsimConfigError(`${field}.maximumInterval`, raw.maximumInterval, `a duration >= initialInterval (${formatDuration(initial)})`);
  }
  const maximumAttempts = readAttempts(raw.maximumAttempts, `${field}.maximumAttempts`, false);
  const expiration = cadenceDuration(raw.expirationInterval, `${field}.expirationInterval`);
  if (maximumAttempts === 0 && expiration === 0) {
    throw new HbsimConfigError(
      `${field}.maximumAttempts`,
      raw.maximumAttempts,
      'an integer > 0 when expirationInterval is unset (cadence needs maximumAttempts or expirationInterval)',
    );
  }
  return Object.freeze({
    initialIntervalMs: initial,
    backoffCoefficient: coefficient,
    maximumIntervalMs: maximum,
    maximumAttempts,
    nonRetryableErrorTypes: Object.freeze(readStrings(raw.nonRetryableErrorTypes, `${field}.nonRetryableErrorTypes`)),
    expirationIntervalMs: expiration,
  });
}

/** cadence (T4): a duration rounded up to whole seconds; 0 when unset; at most int32 seconds. */
function cadenceDuration(value: unknown, field: string): number {
  const ms = ceilToWholeSeconds(optionalDuration(value, field, 0));
  if (ms > CADENCE_MAX_DURATION_MS) {
    throw new HbsimConfigError(field, value, `a duration of at most ${INT32_MAX}s (cadence carries int32 seconds, T4)`);
  }
  return ms;
}

// ---------------------------------------------------------------- shared readers

/**
 * Checks that `value` is a plain object whose own keys are all in `keys`, and returns the
 * known keys whose value is not `undefined` (an `undefined` value counts as unset).
 */
function readObject<K extends string>(value: unknown, field: string, keys: readonly K[], what: string): RawOptions<K> {
  if (!isPlainObject(value)) throw new HbsimConfigError(field, value, what);
  const allowed: readonly string[] = keys;
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new HbsimConfigError(
        `${field}.${key}`,
        value[key],
        `one of ${keys.join(', ')}`,
        `unknown option (got ${describeValue(value[key])})`,
      );
    }
  }
  const out: { [P in K]?: unknown } = {};
  for (const key of keys) {
    if (Object.hasOwn(value, key) && value[key] !== undefined) out[key] = value[key];
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function optionalDuration(value: unknown, field: string, fallback: number): number {
  return value === undefined ? fallback : parseDuration(value, field);
}

/** temporal: a duration that, if given, must be > 0 (the TS SDK's `compileRetryPolicy` rejects 0). */
function positiveDuration(value: unknown, field: string, fallback: number, hint: string): number {
  if (value === undefined) return fallback;
  const ms = parseDuration(value, field);
  if (ms === 0) throw new HbsimConfigError(field, value, `a duration > 0 (${hint})`);
  return ms;
}

/** R8: default 2; must be a finite number >= 1 (temporal: > 0 is let through for the caller to judge). */
function readCoefficient(value: unknown, field: string, profile: ProfileName): number {
  if (value === undefined) return 2;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new HbsimConfigError(field, value, 'a finite number >= 1');
  }
  if (profile === 'cadence' && value === 0) return 2; // convertRetryPolicy: 0 means the default
  if (value <= 0 || (profile === 'cadence' && value < 1)) {
    throw new HbsimConfigError(field, value, 'a finite number >= 1');
  }
  return value;
}

/** R3, R8: a non-negative int32; 0 = unlimited; temporal also takes Infinity (= unlimited). */
function readAttempts(value: unknown, field: string, allowInfinity: boolean): number {
  if (value === undefined) return 0;
  if (allowInfinity && value === Number.POSITIVE_INFINITY) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > INT32_MAX) {
    const expected = `a non-negative integer up to ${INT32_MAX} (0${allowInfinity ? ' or Infinity' : ''} = unlimited)`;
    throw new HbsimConfigError(field, value, expected);
  }
  return value + 0;
}

function readStrings(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new HbsimConfigError(field, value, 'an array of strings');
  const out: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'string') throw new HbsimConfigError(`${field}[${i}]`, item, 'a string');
    out.push(item);
  }
  return out;
}
