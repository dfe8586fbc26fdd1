/** How a failure reads in hbsim's output (trace, CLI, checkers, HTML report), in one place. */
import type { Failure } from './types.js';

/** `TransientError: boom (non-retryable)`, `HEARTBEAT timeout, after ...`, `canceled`. */
export function describeFailure(f: Failure): string {
  if (f.kind === 'application') return `${f.type}: ${f.message}${f.nonRetryable ? ' (non-retryable)' : ''}`;
  if (f.kind === 'timeout') return `${f.timeoutType} timeout${f.cause ? `, after ${describeFailure(f.cause)}` : ''}`;
  return 'canceled';
}
