/**
 * The fault plans the search draws (fast-check arbitraries, shrinkable).
 *
 * Swarm testing: each plan first picks a random subset of fault kinds, then up to `maxFaults`
 * faults of those kinds, so that a run with only lost heartbeats, or only crashes after effects,
 * is as likely as a mixed one. Points are chosen by event index (the n-th sink effect, the n-th
 * heartbeat call, the n-th world call) and by time, with times biased towards the narrow windows
 * right after a heartbeat reached the server (taken from the fault-free reference run). Faults
 * fall within the reference run's duration; after them the run must still finish.
 */
import fc from 'fast-check';
import type { NormalizedScenario } from '../../src/scenario.js';
import type { Fault, FaultPlan } from '../../sim/fault-plan.js';
import type { SimulationResult } from '../../sim/simulation.js';

/** What the reference run says about where faults can land. */
export interface PlanSpace {
  /** Faults land in [0, horizonMs]. */
  readonly horizonMs: number;
  readonly effects: number;
  readonly heartbeatCalls: number;
  readonly heartbeatsSent: number;
  readonly detailsStored: number;
  readonly coalesced: number;
  readonly worldCalls: number;
  /** Virtual times at which the reference stored details (narrow windows start there). */
  readonly storedTimes: readonly number[];
  readonly heartbeatTimeoutMs: number;
  readonly startToCloseTimeoutMs: number;
  readonly scheduleToStartTimeoutMs: number;
  /** Jobs the reference submitted to the scenario's external system (X6). */
  readonly externalJobs: number;
  /** The reference's world calls (call `n` at `n - 1`; empty if its trace was lean). */
  readonly calls: readonly PlaceEvent[];
  /** The reference's effects: sink effects, SQL statements, service calls (effect `n` at `n - 1`). */
  readonly effectEvents: readonly PlaceEvent[];
}

/** What a world call or an effect of the reference run was, and when. */
export interface PlaceEvent {
  readonly t: number;
  readonly via: EventVia;
  /** A statement that ends a transaction (`COMMIT`, `END`): its failure rolls the transaction back. */
  readonly endsTransaction?: boolean;
}

/** Which kind of world call: the sink, the record source, a SQL statement, a service (user client), the external system. */
export type EventVia = 'sink' | 'source' | 'sql' | 'service';

const ENDS_TRANSACTION = /^\s*(commit|end)\b/i;

function viaOfCall(op: string): EventVia {
  if (op === 'sql') return 'sql';
  if (op.startsWith('sink.')) return 'sink';
  if (op.startsWith('source.')) return 'source';
  return 'service';
}

/** The reference's calls and effects, in their numbering order (see {@link PlanSpace}). */
function eventsOf(reference: SimulationResult): { calls: PlaceEvent[]; effectEvents: PlaceEvent[] } {
  if (reference.callLog === undefined) throw new Error('hbsim: the plan space is read from a reference run made with { callLog: true }');
  const calls = reference.callLog.map((c): PlaceEvent => {
    const via = viaOfCall(c.op);
    return via === 'sql' && ENDS_TRANSACTION.test(c.key) ? { t: c.t, via, endsTransaction: true } : { t: c.t, via };
  });
  const effectEvents: PlaceEvent[] = [];
  for (const e of reference.trace) {
    if (e.type === 'effect') effectEvents.push({ t: e.t, via: 'sink' });
    else if (e.type === 'call') effectEvents.push({ t: e.t, via: 'service' });
    // A statement the server ran on its own (a rollback after a crash, at the end) is no effect.
    else if (e.type === 'sql' && !e.outcome.startsWith('server rolled back') && !e.outcome.startsWith('a transaction was still open')) {
      effectEvents.push(ENDS_TRANSACTION.test(e.sql) ? { t: e.t, via: 'sql', endsTransaction: true } : { t: e.t, via: 'sql' });
    }
  }
  return { calls, effectEvents };
}

/** The fault kinds of the search, crash points split by where they hit. */
export const SEARCH_KINDS = [
  'crashAt',
  'crashBeforeEffect',
  'crashAfterEffect',
  'crashAfterHeartbeatCall',
  'crashAfterHeartbeatStored',
  'crashWhilePending',
  'heartbeatLost',
  'heartbeatDelayed',
  'partition',
  'transient',
  'slowCall',
  'shutdown',
  'cancel',
  'noWorker',
  'externalCrash',
  'externalDelayed',
  'pause',
] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export function planSpaceOf(scenario: NormalizedScenario, reference: SimulationResult): PlanSpace {
  let coalesced = 0;
  let externalJobs = 0;
  const storedTimes: number[] = [];
  for (const e of reference.trace) {
    if (e.type === 'heartbeatCoalesced') coalesced++;
    else if (e.type === 'external' && e.what.endsWith('submitted')) externalJobs++;
    else if (e.type === 'detailsStored') storedTimes.push(e.t);
  }
  const o = scenario.options;
  return {
    horizonMs: Math.max(1, Math.ceil(reference.endedAt)),
    effects: reference.counts.effects,
    heartbeatCalls: reference.counts.heartbeatCalls,
    heartbeatsSent: reference.counts.heartbeatsSent,
    detailsStored: reference.counts.detailsStored,
    coalesced,
    worldCalls: reference.counts.worldCalls,
    storedTimes,
    heartbeatTimeoutMs: o.heartbeatTimeoutMs,
    startToCloseTimeoutMs: o.startToCloseTimeoutMs,
    scheduleToStartTimeoutMs: o.scheduleToStartTimeoutMs,
    externalJobs,
    ...eventsOf(reference),
  };
}

function index(max: number): fc.Arbitrary<number> {
  return fc.integer({ min: 1, max: Math.max(1, max) });
}

/** A time in the run, half the time right after a heartbeat reached the server. */
function timeIn(space: PlanSpace): fc.Arbitrary<number> {
  const uniform = fc.integer({ min: 0, max: space.horizonMs });
  if (space.storedTimes.length === 0) return uniform;
  const narrow = fc.tuple(fc.constantFrom(...space.storedTimes), fc.integer({ min: 0, max: 50 })).map(([t, d]) => t + d);
  return fc.oneof(uniform, narrow);
}

/** A duration long enough to trip the heartbeat (or start-to-close) timeout, sometimes. */
function tripDuration(space: PlanSpace): fc.Arbitrary<number> {
  const base = space.heartbeatTimeoutMs || space.startToCloseTimeoutMs || 60_000;
  return fc.integer({ min: 1, max: Math.max(2, Math.ceil(base * 1.5)) });
}

/** The kinds that can hit anything in this scenario (no heartbeat-keyed faults without heartbeats). */
export function availableKinds(space: PlanSpace): SearchKind[] {
  return SEARCH_KINDS.filter((k) => {
    switch (k) {
      case 'crashBeforeEffect':
      case 'crashAfterEffect':
        return space.effects > 0;
      case 'crashAfterHeartbeatCall':
        return space.heartbeatCalls > 0;
      case 'crashAfterHeartbeatStored':
        return space.detailsStored > 0;
      case 'crashWhilePending':
        return space.coalesced > 0;
      case 'heartbeatLost':
      case 'heartbeatDelayed':
        return space.heartbeatsSent > 0;
      case 'externalCrash':
      case 'externalDelayed':
        return space.externalJobs > 0;
      default:
        return true;
    }
  });
}

function faultOf(kind: SearchKind, space: PlanSpace): fc.Arbitrary<Fault> {
  switch (kind) {
    case 'crashAt': return timeIn(space).map((at) => ({ kind: 'crash', at }));
    case 'crashBeforeEffect': return index(space.effects).map((n) => ({ kind: 'crash', beforeEffect: n }));
    case 'crashAfterEffect': return index(space.effects).map((n) => ({ kind: 'crash', afterEffect: n }));
    case 'crashAfterHeartbeatCall': return index(space.heartbeatCalls).map((n) => ({ kind: 'crash', afterHeartbeatCall: n }));
    case 'crashAfterHeartbeatStored': return index(space.detailsStored).map((n) => ({ kind: 'crash', afterHeartbeatStored: n }));
    case 'crashWhilePending': return index(space.coalesced).map((n) => ({ kind: 'crash', whilePending: n }));
    case 'heartbeatLost': return index(space.heartbeatsSent).map((nth) => ({ kind: 'heartbeatLost', nth }));
    case 'heartbeatDelayed': return fc.tuple(index(space.heartbeatsSent), tripDuration(space)).map(([nth, byMs]) => ({ kind: 'heartbeatDelayed', nth, byMs }));
    case 'partition': return fc.tuple(timeIn(space), tripDuration(space)).map(([at, durationMs]) => ({ kind: 'partition', at, durationMs }));
    case 'pause': return fc.tuple(timeIn(space), tripDuration(space)).map(([at, durationMs]) => ({ kind: 'pause', at, durationMs }));
    case 'transient': return index(space.worldCalls).map((call) => ({ kind: 'transient', call }));
    case 'slowCall': return fc.tuple(index(space.worldCalls), tripDuration(space)).map(([call, byMs]) => ({ kind: 'slowCall', call, byMs }));
    case 'shutdown': return fc.tuple(timeIn(space), fc.integer({ min: 0, max: 30_000 })).map(([at, graceMs]) => ({ kind: 'shutdown', at, graceMs }));
    case 'cancel': return timeIn(space).map((at) => ({ kind: 'cancel', at }));
    case 'externalCrash': return timeIn(space).map((at) => ({ kind: 'externalCrash', at }));
    case 'externalDelayed': return fc.tuple(index(space.externalJobs), tripDuration(space)).map(([nth, byMs]) => ({ kind: 'externalDelayed', nth, byMs }));
    case 'noWorker': {
      // Shorter than schedule-to-start: under temporal an S2S timeout is never retried (T3), a
      // choice of the workflow's author, not a bug of the activity.
      const max = space.scheduleToStartTimeoutMs > 0 ? Math.max(1, Math.floor(space.scheduleToStartTimeoutMs * 0.9)) : 300_000;
      return fc.tuple(timeIn(space), fc.integer({ min: 1, max })).map(([at, durationMs]) => ({ kind: 'noWorker', at, durationMs }));
    }
  }
}

/** Plans of 1 to `maxFaults` faults, drawn swarm-style from `kinds`. */
export function faultPlanArbitrary(space: PlanSpace, maxFaults: number, kinds: readonly SearchKind[] = availableKinds(space)): fc.Arbitrary<FaultPlan> {
  if (maxFaults <= 0 || kinds.length === 0) return fc.constant([]);
  return fc
    .subarray([...kinds], { minLength: 1 })
    .chain((enabled) => fc.array(fc.oneof(...enabled.map((k) => faultOf(k, space))), { minLength: 1, maxLength: maxFaults }));
}

/** One case of the search: which world (seed offset from the base seed) and which plan. */
export interface SearchCase {
  readonly world: number;
  readonly plan: FaultPlan;
}

/** Worlds per search: the base seed and up to 15 neighbours (each has its reference run). */
export const WORLDS = 16;

export function searchCaseArbitrary(space: PlanSpace, maxFaults: number, kinds?: readonly SearchKind[]): fc.Arbitrary<SearchCase> {
  return fc.record({ world: fc.nat(WORLDS - 1), plan: faultPlanArbitrary(space, maxFaults, kinds) });
}
