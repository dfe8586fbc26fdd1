import type { SimulationOutcome } from '../../sim/simulation.js';
import type { Failure } from '../../src/model/types.js';
import { formatTime } from '../../sim/trace.js';

function failureText(f: Failure): string {
  if (f.kind === 'application') return `${f.type}: ${f.message}${f.nonRetryable ? ' (non-retryable)' : ''}`;
  if (f.kind === 'timeout') return `${f.timeoutType} timeout${f.cause ? `, after ${failureText(f.cause)}` : ''}`;
  return 'canceled';
}

/** `failed at 00:02:10.000 after attempt 3: TransientError: boom` and the like. */
export function describeOutcome(o: SimulationOutcome): string {
  switch (o.status) {
    case 'completed': return `completed at ${formatTime(o.at)} (attempt ${o.attempt})`;
    case 'failed': return `failed at ${formatTime(o.at)} after attempt ${o.attempt}: ${failureText(o.failure)}`;
    case 'timedOut': return `timed out at ${formatTime(o.at)} after attempt ${o.attempt}: ${failureText(o.failure)}`;
    case 'canceled': return `was canceled at ${formatTime(o.at)} (attempt ${o.attempt})`;
    case 'stuck': return `got stuck at ${formatTime(o.at)}: ${o.reason}`;
    case 'timeLimit': return `had not finished at ${formatTime(o.at)}: ${o.reason}`;
    case 'stopped': return `was stopped at ${formatTime(o.at)}: ${o.reason}`;
  }
}
