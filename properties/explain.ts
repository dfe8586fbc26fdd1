/**
 * Helpers that turn a trace into sentences about records, attempts and stored details.
 */
import type { SimulationResult } from '../sim/simulation.js';
import { formatTime, type TraceEvent } from '../sim/trace.js';
import { isFetchRoute } from '../sim/services/client-service.js';

type Effect = Extract<TraceEvent, { type: 'effect' }>;

/** Every sink effect on `key`, in order. */
export function effectsOn(result: SimulationResult, key: string): Effect[] {
  return result.trace.filter((e): e is Effect => e.type === 'effect' && e.key === key);
}

/** `attempt 2 at 00:01:32.400` for each effect (`(no-op)` for an add whose idempotency key was seen). */
export function describeEffects(effects: readonly Effect[]): string {
  return effects
    // Attempt 0: code outside any attempt, i.e. the scenario's external system (X6).
    .map((e) => `${e.attempt === 0 ? 'the external system' : `attempt ${e.attempt}`} at ${formatTime(e.t)} (${e.op} ${JSON.stringify(e.value)}${e.applied ? '' : ', no-op'})`)
    .join(', ');
}

/** One line per attempt: where it ran, what it started from, how it ended. */
export function describeAttempts(result: SimulationResult): string[] {
  return result.attempts.map((a) => {
    const stored = a.startDetails === undefined ? 'no details' : `details ${a.startDetails}`;
    const storedAt = a.startDetails === undefined ? '' : storedWhen(result, a.startDetails, a.startedAt);
    const end = a.endedAt === undefined ? a.how : `${a.how} at ${formatTime(a.endedAt)}`;
    return `attempt ${a.attempt} on ${a.worker} started at ${formatTime(a.startedAt)} from ${stored}${storedAt}; ${end}`;
  });
}

/** ` (stored at 00:00:10.005 by attempt 1)` for the last storing of `details` before `before`. */
function storedWhen(result: SimulationResult, details: string, before: number): string {
  let found: Extract<TraceEvent, { type: 'detailsStored' }> | undefined;
  for (const e of result.trace) {
    if (e.t > before) break;
    if (e.type === 'detailsStored' && e.details === details) found = e;
  }
  return found === undefined ? '' : ` (stored at ${formatTime(found.t)} by attempt ${found.attempt})`;
}

/** The faults that happened, as traced (crashes, partitions, injected errors...). */
export function describeFaultEvents(result: SimulationResult): string[] {
  const out: string[] = [];
  for (const e of result.trace) {
    if (e.type === 'external' && (e.what.startsWith('CRASH') || e.what.includes('late'))) out.push(`${e.what} at ${formatTime(e.t)}`);
    else if (e.type === 'crash') out.push(`worker ${e.worker} crashed at ${formatTime(e.t)}${e.attempt ? ` while running attempt ${e.attempt}` : ''} (${e.reason})`);
    else if (e.type === 'partition' || e.type === 'pause' || e.type === 'shutdown' || e.type === 'noWorker' || e.type === 'worldFault' || e.type === 'rpcFault' || e.type === 'cancelRequested' || (e.type === 'heartbeatLost' && e.why.includes('crash')) || e.type === 'attemptTimedOut') {
      out.push(formatEventShort(e));
    }
  }
  return out;
}

function formatEventShort(e: TraceEvent): string {
  switch (e.type) {
    case 'partition': return `${e.worker} partitioned from the server at ${formatTime(e.t)} until ${formatTime(e.until)}`;
    case 'pause': return `${e.worker} paused (event loop frozen) from ${formatTime(e.t)} until ${formatTime(e.until)}`;
    case 'shutdown': return `${e.worker} shut down at ${formatTime(e.t)}`;
    case 'noWorker': return `no worker polled from ${formatTime(e.t)} until ${formatTime(e.until)}`;
    case 'worldFault': return `${e.op}(${e.key}) by attempt ${e.attempt} at ${formatTime(e.t)}: ${e.fault === 'transient' ? (e.op === 'sql' ? 'injected transient Postgres fault' : isFetchRoute(e.op) ? "injected network error (fetch failed: ECONNRESET)" : 'injected TransientError') : `slowed to ${e.ms} ms`}`;
    case 'rpcFault': return `attempt ${e.attempt}'s ${e.rpc} RPC ${e.fault} at ${formatTime(e.t)}`;
    case 'cancelRequested': return `cancel requested at ${formatTime(e.t)}`;
    case 'heartbeatLost': return `attempt ${e.attempt}'s heartbeat ${e.details ?? '(none)'} lost at ${formatTime(e.t)}: ${e.why}`;
    case 'attemptTimedOut': return `attempt ${e.attempt} timed out (${e.timeoutType}) at ${formatTime(e.t)}`;
    default: return `${e.type} at ${formatTime(e.t)}`;
  }
}

/** A short JSON rendering of a sink value. */
export function show(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 80 ? s.slice(0, 77) + '...' : s;
}
