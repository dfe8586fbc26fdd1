/** How a run's outcome reads in hbsim's output (the CLI, the checkers' explanations, the HTML report). */
import { describeFailure } from '../src/model/failure-text.js';
import { retryDecision } from '../src/model/retry.js';
import type { Outcome } from '../src/model/types.js';
import { formatDuration } from '../src/duration.js';
import type { NormalizedScenario } from '../src/scenario.js';
import type { SimulationOutcome } from './simulation.js';
import { formatTime } from './trace.js';

function json(value: unknown): string {
  try {
    const s = JSON.stringify(value) ?? String(value);
    return s.length > 200 ? `${s.slice(0, 197)}...` : s;
  } catch {
    return String(value);
  }
}

/** `failed at 00:02:10.000 after attempt 3: TransientError: boom` and the like. */
export function describeOutcome(o: SimulationOutcome, options: { readonly result?: boolean } = {}): string {
  switch (o.status) {
    case 'completed': return `completed at ${formatTime(o.at)} (attempt ${o.attempt})${options.result ? `, result ${json(o.result)}` : ''}`;
    case 'failed': return `failed at ${formatTime(o.at)} after attempt ${o.attempt}${o.gaveUp ? ` (${o.gaveUp})` : ''}: ${describeFailure(o.failure)}`;
    case 'timedOut': return `timed out at ${formatTime(o.at)} after attempt ${o.attempt}${o.gaveUp ? ` (${o.gaveUp})` : ''}: ${describeFailure(o.failure)}`;
    case 'canceled': return `was canceled at ${formatTime(o.at)} (attempt ${o.attempt})`;
    case 'stuck': return `got stuck at ${formatTime(o.at)}: ${o.reason}`;
    case 'timeLimit': return `had not finished at ${formatTime(o.at)}: ${o.reason}`;
    case 'stopped': return `was stopped at ${formatTime(o.at)}: ${o.reason}`;
    case 'unsimulated': return `was stopped at ${formatTime(o.at)}, not simulated: ${o.reason}`;
  }
}

/**
 * Which limit stopped the retries of a failed or timed-out activity, in the user's terms
 * (`maximumAttempts 2 reached`, `scheduleToClose 10m exhausted`): the server's own decision (R5),
 * made again on the same inputs.
 */
export function giveUpReason(scenario: NormalizedScenario, outcome: Outcome, firstScheduledAt: number, cancelRequested: boolean): string | undefined {
  if (outcome.status !== 'failed' && outcome.status !== 'timedOut') return undefined;
  const o = scenario.options;
  const timeoutType = outcome.status === 'timedOut' ? outcome.failure.timeoutType : undefined;
  if (timeoutType === 'SCHEDULE_TO_START' && scenario.profile === 'temporal') return 'a schedule-to-start timeout is never retried';
  if (timeoutType === 'SCHEDULE_TO_CLOSE' && scenario.profile === 'temporal') return o.scheduleToCloseTimeoutMs > 0 ? `scheduleToClose ${formatDuration(o.scheduleToCloseTimeoutMs)} exhausted` : undefined;
  const decision = retryDecision({ options: o, attempt: outcome.attempt, failure: outcome.failure, now: outcome.at, firstScheduledAt, cancelRequested });
  if (decision.retry) return undefined;
  switch (decision.reason) {
    case 'maximumAttemptsReached': return `maximumAttempts ${o.retry?.maximumAttempts} reached`;
    case 'timeout':
      if (scenario.profile === 'cadence' && (o.retry?.expirationIntervalMs ?? 0) > 0) return `expirationInterval ${formatDuration(o.retry!.expirationIntervalMs)} exhausted`;
      if (o.scheduleToCloseTimeoutMs > 0) return `scheduleToClose ${formatDuration(o.scheduleToCloseTimeoutMs)} exhausted`;
      return 'no retry interval left';
    case 'nonRetryableFailure': return outcome.failure.kind === 'application' && outcome.failure.nonRetryable ? undefined : 'not retryable under the retry policy';
    case 'cancelRequested': return 'not retried: a cancel was requested';
    case 'retryPolicyNotSet': return 'no retry policy: never retried';
    case 'noAttemptsOrExpiration': return 'maximumAttempts 0 without expirationInterval: never retried';
    case 'intervalOverflow': return 'the retry interval overflowed with no maximumInterval';
  }
}
