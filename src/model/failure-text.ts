/** How a failure reads in hbsim's output (trace, CLI, checkers, HTML report), in one place. */
import type { Failure } from './types.js';

/** `TransientError: boom (non-retryable)`, `SCHEDULE_TO_CLOSE timeout (the last retry followed ...)`, `canceled`. */
export function describeFailure(f: Failure): string {
  if (f.kind === 'application') return `${f.type}: ${f.message}${f.nonRetryable ? ' (non-retryable)' : ''}`;
  if (f.kind === 'timeout') {
    // R9: the cause is what made the last retry; the same timeout again says nothing new.
    const cause = f.cause === undefined || (f.cause.kind === 'timeout' && f.cause.timeoutType === f.timeoutType) ? undefined : f.cause;
    return `${f.timeoutType} timeout${cause ? ` (the last retry followed ${describeFailure(cause)})` : ''}`;
  }
  return 'canceled';
}
