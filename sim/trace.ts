/**
 * The trace: every event of a simulation with its virtual time, in the order it happened.
 * Two runs with the same seed and fault plan produce the same trace, and so the same digest.
 */
import type { Payload, TimeoutType, TimerKind } from '../src/model/types.js';

/** One traced event. `t` is virtual milliseconds since the simulation started. */
export type TraceEvent =
  | { t: number; type: 'scheduled' }
  | { t: number; type: 'processStarted'; worker: string }
  | { t: number; type: 'crash'; worker: string; attempt: number; reason: string }
  | { t: number; type: 'dispatched'; attempt: number }
  | { t: number; type: 'attemptStarted'; attempt: number; worker: string; details: Payload }
  | { t: number; type: 'attemptEnded'; attempt: number; how: string; detail?: string }
  | { t: number; type: 'heartbeatCalled'; attempt: number; details: Payload }
  | { t: number; type: 'heartbeatSent'; attempt: number; details: Payload }
  | { t: number; type: 'heartbeatCoalesced'; attempt: number }
  | { t: number; type: 'heartbeatLost'; attempt: number; details: Payload; why: string }
  | { t: number; type: 'heartbeatRejected'; attempt: number }
  | { t: number; type: 'detailsStored'; attempt: number; details: Payload }
  | { t: number; type: 'timerFired'; timer: TimerKind; attempt: number }
  | { t: number; type: 'attemptTimedOut'; attempt: number; timeoutType: TimeoutType }
  | { t: number; type: 'retryScheduled'; nextAttempt: number; backoffMs: number; at: number; why: string }
  | { t: number; type: 'cancelRequested' }
  | { t: number; type: 'cancelDelivered'; attempt: number; reason: string }
  | { t: number; type: 'effect'; attempt: number; op: 'put' | 'add'; key: string; value: unknown; applied: boolean }
  | { t: number; type: 'reported'; attempt: number; report: string; accepted: boolean }
  | { t: number; type: 'closed'; status: string; attempt: number };

export type TraceEventType = TraceEvent['type'];

export class Trace {
  readonly events: TraceEvent[] = [];

  record(event: TraceEvent): void {
    this.events.push(event);
  }

  /** A 64-bit hash (16 hex digits) of every event, fields included, in order. */
  digest(): string {
    let h1 = 0x811c9dc5;
    let h2 = 0x050c5d1f;
    for (const ev of this.events) {
      const s = JSON.stringify(ev);
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 ^ c, 0x5bd1e995);
        h2 ^= h2 >>> 15;
      }
      h1 = Math.imul(h1 ^ 0x0a, 0x01000193);
    }
    return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
  }
}

/** `00:01:32.400` for 92400 ms (days are counted in hours). */
export function formatTime(ms: number): string {
  const whole = Math.floor(ms);
  const h = Math.floor(whole / 3_600_000);
  const m = Math.floor(whole / 60_000) % 60;
  const s = Math.floor(whole / 1000) % 60;
  const milli = whole % 1000;
  const frac = ms - whole;
  const tail = frac > 0 ? String(frac.toFixed(3)).slice(1).replace(/0+$/, '') : '';
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(milli).padStart(3, '0')}${tail}`;
}

function show(details: Payload): string {
  if (details === undefined) return '(none)';
  return details.length > 80 ? details.slice(0, 77) + '...' : details;
}

/** One human line per event, virtual time first. */
export function formatEvent(ev: TraceEvent): string {
  const t = formatTime(ev.t);
  switch (ev.type) {
    case 'scheduled': return `${t}  activity scheduled`;
    case 'processStarted': return `${t}  worker ${ev.worker} process started`;
    case 'crash': return `${t}  CRASH worker ${ev.worker}${ev.attempt > 0 ? ` (running attempt ${ev.attempt})` : ''}: ${ev.reason}`;
    case 'dispatched': return `${t}  attempt ${ev.attempt} task queued`;
    case 'attemptStarted': return `${t}  attempt ${ev.attempt} started on ${ev.worker}, details ${show(ev.details)}`;
    case 'attemptEnded': return `${t}  attempt ${ev.attempt} ended: ${ev.how}${ev.detail ? ` (${ev.detail})` : ''}`;
    case 'heartbeatCalled': return `${t}  attempt ${ev.attempt} heartbeat(${show(ev.details)})`;
    case 'heartbeatSent': return `${t}  attempt ${ev.attempt} heartbeat sent ${show(ev.details)}`;
    case 'heartbeatCoalesced': return `${t}  attempt ${ev.attempt} heartbeat held by the throttle`;
    case 'heartbeatLost': return `${t}  attempt ${ev.attempt} heartbeat lost (${ev.why}): ${show(ev.details)}`;
    case 'heartbeatRejected': return `${t}  attempt ${ev.attempt} heartbeat rejected: NotFound`;
    case 'detailsStored': return `${t}  server stored details of attempt ${ev.attempt}: ${show(ev.details)}`;
    case 'timerFired': return `${t}  server timer ${ev.timer} fired (attempt ${ev.attempt})`;
    case 'attemptTimedOut': return `${t}  attempt ${ev.attempt} timed out: ${ev.timeoutType}`;
    case 'retryScheduled': return `${t}  retry: attempt ${ev.nextAttempt} in ${ev.backoffMs} ms (${ev.why})`;
    case 'cancelRequested': return `${t}  cancel requested`;
    case 'cancelDelivered': return `${t}  attempt ${ev.attempt} cancelled: ${ev.reason}`;
    case 'effect': return `${t}  attempt ${ev.attempt} sink.${ev.op}(${ev.key}, ${JSON.stringify(ev.value)})${ev.applied ? '' : ' (no-op: idempotency key seen)'}`;
    case 'reported': return `${t}  attempt ${ev.attempt} reported ${ev.report}${ev.accepted ? '' : ' (rejected: NotFound)'}`;
    case 'closed': return `${t}  activity closed: ${ev.status} (attempt ${ev.attempt})`;
  }
}
