/** Normalised options for the model's unit tests (the defaults of R8, a 10 s start-to-close). */
import type { NormalizedOptions, NormalizedRetryPolicy, ProfileName } from '../../src/model/types.js';

export function policy(overrides: Partial<NormalizedRetryPolicy> = {}): NormalizedRetryPolicy {
  return {
    initialIntervalMs: 1000,
    backoffCoefficient: 2,
    maximumIntervalMs: 100_000,
    maximumAttempts: 0,
    nonRetryableErrorTypes: [],
    expirationIntervalMs: 0,
    ...overrides,
  };
}

/** Options of `profile`; under cadence the policy has a 1 h expiration (cadence needs attempts or expiration). */
export function normalizedOptions(profile: ProfileName, overrides: Partial<NormalizedOptions> = {}): NormalizedOptions {
  return {
    profile,
    scheduleToStartTimeoutMs: 0,
    startToCloseTimeoutMs: 10_000,
    scheduleToCloseTimeoutMs: 0,
    heartbeatTimeoutMs: 0,
    retry: policy(profile === 'cadence' ? { expirationIntervalMs: 3_600_000 } : {}),
    ...overrides,
  };
}
