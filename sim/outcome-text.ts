/** How a run's outcome reads in hbsim's output (the CLI, the checkers' explanations, the HTML report). */
import { describeFailure } from '../src/model/failure-text.js';
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
    case 'failed': return `failed at ${formatTime(o.at)} after attempt ${o.attempt}: ${describeFailure(o.failure)}`;
    case 'timedOut': return `timed out at ${formatTime(o.at)} after attempt ${o.attempt}: ${describeFailure(o.failure)}`;
    case 'canceled': return `was canceled at ${formatTime(o.at)} (attempt ${o.attempt})`;
    case 'stuck': return `got stuck at ${formatTime(o.at)}: ${o.reason}`;
    case 'timeLimit': return `had not finished at ${formatTime(o.at)}: ${o.reason}`;
    case 'stopped': return `was stopped at ${formatTime(o.at)}: ${o.reason}`;
    case 'unsimulated': return `was stopped at ${formatTime(o.at)}, not simulated: ${o.reason}`;
  }
}
