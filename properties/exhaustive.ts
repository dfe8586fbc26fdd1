/**
 * `hbsim check --exhaustive`: instead of drawing cases at random, try every single-fault
 * placement of the fault space (properties/coverage.ts), then pairs of faults up to a budget.
 *
 * 1. Singles: one case per place of every kind that can hit the scenario, in the base seed's
 *    world: each event-keyed place with its fault (a delayed heartbeat or a slowed world call
 *    delayed long enough to trip the heartbeat, else the start-to-close, timeout); each
 *    heartbeat window with its time-keyed faults placed at the window's middle.
 * 2. Equivalence: a run is summarised by what the outside world and the server end up with (the
 *    sequence of heartbeat details the server stored, the sink's final content, how many effects
 *    were applied and redone, the outcome). Placements whose runs have the same summary are one
 *    case: they are all judged, but only the first of each class (its representative) goes on
 *    into pairs, and the report says how many were merged.
 * 3. Pairs: every pair of two representatives, in a fixed order; over the budget
 *    (`maxCases` minus the singles), an evenly spaced subset of that order.
 *
 * Everything is a pure function of the scenario, the seed and the budget: the same cases in the
 * same order on every machine, evaluated in the worker pool like the random search's.
 */
import type { Fault } from '../sim/fault-plan.js';
import type { SimulationResult } from '../sim/simulation.js';
import { Digest } from '../sim/digest.js';
import { availableKinds, type PlanSpace, type SearchCase, type SearchKind } from './arbitraries/fault-plan.js';
import type { CaseRunner } from './case-runner.js';
import { isTimeKeyed, placesOf, windowBounds } from './coverage.js';

/** Default total budget (singles and pairs) of `--exhaustive`. */
export const DEFAULT_MAX_CASES = 1000;

export interface ExhaustiveSummary {
  /** Single-fault placements tried (all of them). */
  readonly placements: number;
  /** Equivalence classes among them. */
  readonly classes: number;
  /** Placements merged into an earlier equivalent one (`placements - classes`). */
  readonly merged: number;
  /** Pairs of representatives tried, and how many there are in all. */
  readonly pairs: number;
  readonly pairsTotal: number;
  readonly maxCases: number;
}

/** What a run reached: stored details, applied effects, outcome (see the module doc). */
export function equivalenceKey(run: SimulationResult): string {
  const d = new Digest();
  for (const e of run.trace) if (e.type === 'detailsStored') d.value(e.details);
  d.tag('|sink');
  for (const [k, v] of run.sink) {
    d.string(k);
    d.value(v);
  }
  d.number(run.counts.effects);
  d.number(run.counts.recordsRedone);
  d.string(run.outcome.status);
  return d.hex();
}

/** A delay that trips the heartbeat timeout (else start-to-close). */
function tripMs(space: PlanSpace): number {
  return (space.heartbeatTimeoutMs || space.startToCloseTimeoutMs || 60_000) + 1;
}

/** The fault of `kind` at place `index` (event index, or heartbeat window), or `undefined` for a kind it cannot place. */
export function faultAt(kind: SearchKind, index: number, space: PlanSpace): Fault | undefined {
  const [start, end] = windowBounds(index, space);
  const at = Math.floor((start + end) / 2);
  switch (kind) {
    case 'crashBeforeEffect': return { kind: 'crash', beforeEffect: index };
    case 'crashAfterEffect': return { kind: 'crash', afterEffect: index };
    case 'crashAfterHeartbeatCall': return { kind: 'crash', afterHeartbeatCall: index };
    case 'crashAfterHeartbeatStored': return { kind: 'crash', afterHeartbeatStored: index };
    case 'crashWhilePending': return { kind: 'crash', whilePending: index };
    case 'heartbeatLost': return { kind: 'heartbeatLost', nth: index };
    case 'heartbeatDelayed': return { kind: 'heartbeatDelayed', nth: index, byMs: tripMs(space) };
    case 'transient': return { kind: 'transient', call: index };
    case 'slowCall': return { kind: 'slowCall', call: index, byMs: tripMs(space) };
    case 'crashAt': return { kind: 'crash', at };
    case 'partition': return { kind: 'partition', at, durationMs: tripMs(space) };
    case 'pause': return { kind: 'pause', at, durationMs: tripMs(space) };
    case 'shutdown': return { kind: 'shutdown', at, graceMs: 0 };
    case 'cancel': return { kind: 'cancel', at };
    case 'externalCrash': return { kind: 'externalCrash', at };
    case 'externalDelayed': return { kind: 'externalDelayed', nth: index, byMs: tripMs(space) };
    case 'noWorker': {
      const max = space.scheduleToStartTimeoutMs > 0 ? Math.max(1, Math.floor(space.scheduleToStartTimeoutMs * 0.9)) : tripMs(space);
      return { kind: 'noWorker', at, durationMs: max };
    }
    default: return undefined;
  }
}

/** Every single-fault placement, kind by kind, place by place (time-keyed: 0-based windows). */
export function singlePlacements(space: PlanSpace, kinds: readonly SearchKind[] = availableKinds(space)): Fault[] {
  const out: Fault[] = [];
  for (const kind of availableKinds(space)) {
    if (!kinds.includes(kind)) continue;
    const first = isTimeKeyed(kind) ? 0 : 1;
    for (let i = first; i < first + placesOf(kind, space); i++) {
      const f = faultAt(kind, i, space);
      if (f !== undefined) out.push(f);
    }
  }
  return out;
}

/** `count` indices spread evenly over [0, total). */
function spread(total: number, count: number): number[] {
  if (count >= total) return Array.from({ length: total }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.floor((i * total) / count));
}

/** The cases of an exhaustive check, evaluated (verdicts cached in `runner`), in judging order. */
export async function exhaustiveCases(runner: CaseRunner, space: PlanSpace, o: { readonly maxCases: number; readonly kinds?: readonly SearchKind[]; readonly every: number }): Promise<{ readonly cases: SearchCase[]; readonly summary: ExhaustiveSummary }> {
  const singles: SearchCase[] = singlePlacements(space, o.kinds).map((f) => ({ world: 0, plan: [f] }));
  await runner.prefill(singles, o.every);
  const representatives: SearchCase[] = [];
  const classes = new Set<string>();
  for (const c of singles) {
    const key = runner.equivalence(c);
    if (key !== undefined && classes.has(key)) continue;
    if (key !== undefined) classes.add(key);
    representatives.push(c);
  }
  const r = representatives.length;
  const pairsTotal = (r * (r - 1)) / 2;
  const budget = Math.max(0, o.maxCases - singles.length);
  const pairs: SearchCase[] = [];
  for (const p of spread(pairsTotal, Math.min(budget, pairsTotal))) {
    // p-th pair (i < j) in row-major order
    let i = 0;
    let rest = p;
    while (rest >= r - 1 - i) {
      rest -= r - 1 - i;
      i++;
    }
    const j = i + 1 + rest;
    pairs.push({ world: 0, plan: [representatives[i]!.plan[0]!, representatives[j]!.plan[0]!] });
  }
  await runner.prefill(pairs, o.every);
  return {
    cases: [...singles, ...pairs],
    summary: { placements: singles.length, classes: r, merged: singles.length - r, pairs: pairs.length, pairsTotal, maxCases: o.maxCases },
  };
}

/** `every single-fault placement tried: 150 placements (41 merged as equivalent into 109 cases), then 1000 of 5886 pairs`. */
export function exhaustiveLine(s: ExhaustiveSummary): string {
  const pairs = s.pairsTotal === 0 ? 'no pair to try' : s.pairs === s.pairsTotal ? `then all ${s.pairsTotal} pairs of them` : `then ${s.pairs} of their ${s.pairsTotal} pairs (--max-cases ${s.maxCases})`;
  return `every single-fault placement tried: ${s.placements} placements, ${s.merged} merged as equivalent (same stored details and applied effects) into ${s.classes} cases; ${pairs}`;
}
