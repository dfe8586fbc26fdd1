/** One line for the final outcome of a run (user text in it is not escaped: escape it where it is drawn). */
import type { Failure } from '../model/types.js';
import type { SimulationOutcome } from '../../sim/simulation.js';
import { formatTime } from '../../sim/trace.js';
import { clip } from './escape.js';

export function describeFailure(f: Failure): string {
  if (f.kind === 'application') return `${f.type}: ${f.message}`;
  if (f.kind === 'timeout') return `${f.timeoutType} timeout`;
  return 'canceled';
}

export function describeOutcome(o: SimulationOutcome): string {
  switch (o.status) {
    case 'completed': return `completed by attempt ${o.attempt} at ${formatTime(o.at)}, result ${clip(safeJson(o.result), 200)}`;
    case 'failed': return `failed (attempt ${o.attempt} at ${formatTime(o.at)}): ${describeFailure(o.failure)}`;
    case 'timedOut': return `timed out (attempt ${o.attempt} at ${formatTime(o.at)}): ${describeFailure(o.failure)}`;
    case 'canceled': return `canceled (attempt ${o.attempt} at ${formatTime(o.at)})`;
    case 'stuck':
    case 'timeLimit':
    case 'stopped': return `${o.status} at ${formatTime(o.at)}: ${o.reason}`;
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
