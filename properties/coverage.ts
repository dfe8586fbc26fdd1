/**
 * Fault-space coverage: the distinct places a single fault can land, read from the fault-free
 * reference run, and how many of them the cases of a check exercised.
 *
 * A place is a fault kind and where it lands:
 * - event-keyed kinds, one place per event of the reference run: before / after each sink effect,
 *   after each `heartbeat()` call, after each heartbeat the server stored, while each call held by
 *   the throttle, each heartbeat RPC lost or delayed, each world call failing or slowed;
 * - time-keyed kinds (a crash at a time, a partition, a shutdown, a cancel request, no worker),
 *   one place per heartbeat window: the stretches of the reference run between two heartbeats the
 *   server stored (`n` stored heartbeats: `n + 1` windows), within which a heartbeat timeout
 *   would measure from the same stored heartbeat.
 *
 * A place is exercised when at least one case the check simulated put a fault there (a plan of
 * several faults exercises each of its places). Places are those of the base seed's reference;
 * an index past its end (a retry did more work) counts for no place.
 */
import type { Fault } from '../sim/fault-plan.js';
import { availableKinds, type EventVia, type PlaceEvent, type PlanSpace, type SearchCase, type SearchKind } from './arbitraries/fault-plan.js';

/** Where one fault lands. */
export interface Place {
  readonly kind: SearchKind;
  /** 1-based event index, or 0-based heartbeat window for time-keyed kinds. */
  readonly index: number;
}

/** One kind's line: `crash after effect: 143 of 150`. */
export interface KindCoverage {
  readonly kind: SearchKind;
  /** What the places are, in the user's words. */
  readonly label: string;
  readonly total: number;
  readonly exercised: number;
  /**
   * In a scenario with a database or services, the places of an effect- or call-keyed kind split
   * by what the effect or call was (sink, source, SQL statement, service call), and the
   * statements that end a transaction among them.
   */
  readonly parts?: readonly CoveragePart[];
}

/** One kind of world call among a kind's places: `SQL statements: 10 of 12`. */
export interface CoveragePart {
  readonly label: string;
  readonly total: number;
  readonly exercised: number;
}

export interface Coverage {
  readonly kinds: readonly KindCoverage[];
  readonly total: number;
  readonly exercised: number;
}

const LABELS: Partial<Record<SearchKind, string>> = {
  crashBeforeEffect: 'crash before sink effect',
  crashAfterEffect: 'crash after sink effect',
  crashAfterHeartbeatCall: 'crash after heartbeat() call',
  crashAfterHeartbeatStored: 'crash after heartbeat stored',
  crashWhilePending: 'crash while held by the throttle',
  heartbeatLost: 'heartbeat RPC lost',
  heartbeatDelayed: 'heartbeat RPC delayed',
  transient: 'world call fails (transient)',
  slowCall: 'world call slowed',
  crashAt: 'crash at a time (per heartbeat window)',
  partition: 'partition (per heartbeat window)',
  shutdown: 'worker shutdown (per heartbeat window)',
  cancel: 'cancel request (per heartbeat window)',
  noWorker: 'no worker polling (per heartbeat window)',
  pause: 'worker paused (per heartbeat window)',
  externalCrash: 'external system crash (per heartbeat window)',
  externalDelayed: 'job to the external system delayed',
};

/** Kinds keyed on effects (numbered with the sink's effects, the SQL statements and the service calls). */
const ON_EFFECTS: ReadonlySet<SearchKind> = new Set(['crashBeforeEffect', 'crashAfterEffect']);
/** Kinds keyed on world calls. */
const ON_CALLS: ReadonlySet<SearchKind> = new Set(['transient', 'slowCall']);

const EFFECT_NOUNS: Record<EventVia, string> = { sink: 'sink effect', source: 'source read', sql: 'SQL statement', service: 'service call' };
const CALL_NOUNS: Record<EventVia, string> = { sink: 'sink calls', source: 'source reads', sql: 'SQL statements', service: 'service calls' };
const VIAS: readonly EventVia[] = ['source', 'sink', 'sql', 'service'];

/** The events a kind's places stand for, if it is keyed on effects or world calls. */
function eventsOfKind(kind: SearchKind, space: PlanSpace): readonly PlaceEvent[] | undefined {
  return ON_EFFECTS.has(kind) ? space.effectEvents : ON_CALLS.has(kind) ? space.calls : undefined;
}

/** Whether the reference made world calls other than the sink's and the source's (then labels say so). */
function beyondSink(space: PlanSpace): boolean {
  return space.calls.some((c) => c.via === 'sql' || c.via === 'service') || space.effectEvents.some((e) => e.via !== 'sink');
}

/** `crash before sink effect or SQL statement`: what the places of `kind` are, in this scenario. */
export function labelOf(kind: SearchKind, space: PlanSpace): string {
  const base = LABELS[kind] ?? `${kind} (per heartbeat window)`;
  if (!ON_EFFECTS.has(kind) || !beyondSink(space)) return base;
  const present = VIAS.filter((v) => space.effectEvents.some((e) => e.via === v)).map((v) => EFFECT_NOUNS[v]);
  return `${kind === 'crashBeforeEffect' ? 'crash before' : 'crash after'} ${present.join(' or ')}`;
}

/** The split of `kind`'s places by kind of call (see {@link KindCoverage.parts}); `undefined`: no split. */
function partsOf(kind: SearchKind, space: PlanSpace, seen: ReadonlySet<number> | undefined): CoveragePart[] | undefined {
  const events = eventsOfKind(kind, space);
  if (events === undefined || !beyondSink(space)) return undefined;
  const parts: CoveragePart[] = [];
  const count = (keep: (e: PlaceEvent) => boolean): { total: number; exercised: number } => {
    let total = 0;
    let exercised = 0;
    events.forEach((e, i) => {
      if (!keep(e)) return;
      total++;
      if (seen?.has(i + 1) === true) exercised++;
    });
    return { total, exercised };
  };
  const vias = VIAS.filter((v) => events.some((e) => e.via === v));
  if (vias.length > 1) for (const v of vias) parts.push({ label: CALL_NOUNS[v], ...count((e) => e.via === v) });
  if (events.some((e) => e.endsTransaction === true)) parts.push({ label: 'COMMIT statements (end a transaction)', ...count((e) => e.endsTransaction === true) });
  return parts.length > 0 ? parts : undefined;
}

/** Event-keyed kinds: how many events of the reference run each one can land on (1-based indices). */
const EVENTS: Partial<Record<SearchKind, (space: PlanSpace) => number>> = {
  crashBeforeEffect: (s) => s.effects,
  crashAfterEffect: (s) => s.effects,
  crashAfterHeartbeatCall: (s) => s.heartbeatCalls,
  crashAfterHeartbeatStored: (s) => s.detailsStored,
  crashWhilePending: (s) => s.coalesced,
  heartbeatLost: (s) => s.heartbeatsSent,
  heartbeatDelayed: (s) => s.heartbeatsSent,
  transient: (s) => s.worldCalls,
  slowCall: (s) => s.worldCalls,
  externalDelayed: (s) => s.externalJobs,
};

/** Kinds placed by virtual time: their places are the heartbeat windows, 0-based. */
export function isTimeKeyed(kind: SearchKind): boolean {
  return EVENTS[kind] === undefined;
}

/** The number of places of `kind` in `space` (time-keyed kinds: heartbeat windows). */
export function placesOf(kind: SearchKind, space: PlanSpace): number {
  const events = EVENTS[kind];
  return events !== undefined ? events(space) : space.storedTimes.length + 1;
}

/** The heartbeat window of virtual time `at` (0: before the first stored heartbeat). */
export function windowOf(at: number, space: PlanSpace): number {
  let w = 0;
  while (w < space.storedTimes.length && space.storedTimes[w]! <= at) w++;
  return w;
}

/** [start, end) of heartbeat window `w`. */
export function windowBounds(w: number, space: PlanSpace): readonly [number, number] {
  const start = w === 0 ? 0 : space.storedTimes[w - 1]!;
  const end = w < space.storedTimes.length ? space.storedTimes[w]! : Math.max(start + 1, space.horizonMs);
  return [start, end];
}

/** The search kind of a fault (a crash by what it is keyed on; other faults by their kind). */
export function kindOfFault(fault: Fault): SearchKind | undefined {
  if (fault.kind === 'crash') {
    if ('at' in fault) return 'crashAt';
    if ('beforeEffect' in fault) return 'crashBeforeEffect';
    if ('afterEffect' in fault) return 'crashAfterEffect';
    if ('afterHeartbeatCall' in fault) return 'crashAfterHeartbeatCall';
    if ('afterHeartbeatStored' in fault) return 'crashAfterHeartbeatStored';
    return 'crashWhilePending';
  }
  return fault.kind === 'poissonCrashes' ? undefined : (fault.kind as SearchKind);
}

/** Where `fault` lands in `space`, or `undefined` (beyond the reference run, or not a place). */
export function placeOf(fault: Fault, space: PlanSpace): Place | undefined {
  const kind = kindOfFault(fault);
  if (kind === undefined) return undefined;
  const f = fault as unknown as Record<string, number>;
  const index = f['beforeEffect'] ?? f['afterEffect'] ?? f['afterHeartbeatCall'] ?? f['afterHeartbeatStored'] ?? f['whilePending'] ?? f['nth'] ?? f['call'];
  if (index !== undefined) return index >= 1 && index <= placesOf(kind, space) ? { kind, index } : undefined;
  const at = f['at'];
  if (at === undefined || at > space.horizonMs) return undefined;
  return { kind, index: windowOf(at, space) };
}

/** Collects the places exercised by cases, and reports them against the space. */
export class CoverageTracker {
  private readonly seen = new Map<SearchKind, Set<number>>();

  constructor(readonly space: PlanSpace) {}

  add(c: SearchCase): void {
    for (const fault of c.plan) this.addFault(fault);
  }

  addFault(fault: Fault): void {
    const place = placeOf(fault, this.space);
    if (place === undefined) return;
    let s = this.seen.get(place.kind);
    if (s === undefined) this.seen.set(place.kind, (s = new Set()));
    s.add(place.index);
  }

  /** Per kind that can hit this scenario, in the order of the search's kinds. */
  report(): Coverage {
    const kinds = availableKinds(this.space).map((kind): KindCoverage => {
      const parts = partsOf(kind, this.space, this.seen.get(kind));
      return {
        kind,
        label: labelOf(kind, this.space),
        total: placesOf(kind, this.space),
        exercised: this.seen.get(kind)?.size ?? 0,
        ...(parts !== undefined ? { parts } : {}),
      };
    });
    return { kinds, total: kinds.reduce((n, k) => n + k.total, 0), exercised: kinds.reduce((n, k) => n + k.exercised, 0) };
  }
}

/** Text lines: `crash after sink effect           143 of 150`. */
export function coverageLines(coverage: Coverage): string[] {
  const width = Math.max(0, ...coverage.kinds.map((k) => k.label.length), ...coverage.kinds.flatMap((k) => (k.parts ?? []).map((p) => p.label.length + 4)));
  const lines = [`fault-space coverage: ${coverage.exercised} of ${coverage.total} single-fault places exercised`];
  for (const k of coverage.kinds) {
    lines.push(`  ${k.label.padEnd(width)}  ${String(k.exercised).padStart(5)} of ${k.total}`);
    for (const p of k.parts ?? []) lines.push(`    - ${p.label.padEnd(width - 4)}  ${String(p.exercised).padStart(5)} of ${p.total}`);
  }
  return lines;
}
