/**
 * Small helpers shared by the runtime tests: constant latencies (so that every time in a trace
 * is exact), trace filters, and the epoch the scenarios start at.
 */
import type { SimulationResult } from '../../sim/simulation.js';
import type { TraceEvent, TraceEventType } from '../../sim/trace.js';

/** Constant latencies: a sink call applies its effect 1 ms after it is made and returns after 2 ms; an RPC reaches the server after 1 ms and returns after 2 ms; a read takes 4 ms. */
export const LATENCY = { put: 2, add: 2, get: 2, read: 4, rpc: 2 } as const;

/** What `Date.now()` returns at virtual time 0 (the scenario default). */
export const EPOCH = Date.UTC(2026, 0, 1);

/** The trace events of one type, narrowed. */
export function eventsOf<T extends TraceEventType>(result: SimulationResult, type: T): Extract<TraceEvent, { type: T }>[] {
  return result.trace.filter((e): e is Extract<TraceEvent, { type: T }> => e.type === type);
}

/** `[t, attempt, details]` of every event of `type` that carries details (heartbeat path). */
export function detailsOf(result: SimulationResult, type: 'heartbeatCalled' | 'heartbeatSent' | 'detailsStored' | 'heartbeatLost'): [number, number, string | undefined][] {
  return eventsOf(result, type).map((e) => [e.t, e.attempt, e.details]);
}

/** `[t, attempt, key, value]` of every sink effect. */
export function effectsOf(result: SimulationResult): [number, number, string, unknown][] {
  return eventsOf(result, 'effect').map((e) => [e.t, e.attempt, e.key, e.value]);
}

/** Virtual ms since the start, as the activity sees it through `Date.now()`. */
export function vnow(): number {
  return Date.now() - EPOCH;
}
