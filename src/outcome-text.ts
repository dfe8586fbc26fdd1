/**
 * How outcomes and failures read in hbsim's output (the CLI, the checkers' explanations, the
 * HTML report and the trace), in one place.
 */
import type { Failure } from './model/types.js';
import type { SimulationOutcome } from '../sim/simulation.js';
import { formatTime } from '../sim/trace.js';

/** `TransientError: boom (non-retryable)`, `HEARTBEAT timeout, after ...`, `canceled`. */
export function describeFailure(f: Failure): string {
  if (f.kind === 'application') return `${f.type}: ${f.message}${f.nonRetryable ? ' (non-retryable)' : ''}`;
  if (f.kind === 'timeout') return `${f.timeoutType} timeout${f.cause ? `, after ${describeFailure(f.cause)}` : ''}`;
  return 'canceled';
}

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
    case 'failed': return `failed at ${formatTime(o.at)} after attempt ${o.attempt}: ${describeFailure(o.failure)}`;
    case 'timedOut': return `timed out at ${formatTime(o.at)} after attempt ${o.attempt}: ${describeFailure(o.failure)}`;
    case 'canceled': return `was canceled at ${formatTime(o.at)} (attempt ${o.attempt})`;
    case 'stuck': return `got stuck at ${formatTime(o.at)}: ${o.reason}`;
    case 'timeLimit': return `had not finished at ${formatTime(o.at)}: ${o.reason}`;
    case 'stopped': return `was stopped at ${formatTime(o.at)}: ${o.reason}`;
  }
}
