/**
 * Boundary places: the narrow single-fault places of the reference run where resume bugs live,
 * tried once each, in a fixed order, before the random search (check.ts passes them to
 * fast-check as its first examples). Random placement over thousands of places can miss the one
 * that matters; these it cannot miss.
 *
 * - Transactions: each statement that ends a transaction (`COMMIT`, `END`): a transient error on
 *   it (Postgres rolls the transaction back) and a crash right before and right after it runs.
 * - Heartbeat windows: for each heartbeat the server stored, a crash right after it was stored,
 *   a transient error on the world call made last before it reached the server and on the first
 *   one after; for each window between stored heartbeats, a crash before its first effect and
 *   after its last one.
 *
 * Over {@link MAX_BOUNDARY_CASES}, each group (one COMMIT, one stored heartbeat) is kept or
 * dropped whole, evenly spread over the run (the first and the last kept), transactions getting
 * half the budget first. A pure function of the reference run and the allowed kinds: the same
 * list on every machine, whatever `--runs` (so `replay --seed --path` finds the same cases).
 */
import type { Fault } from '../../sim/fault-plan.js';
import { availableKinds, type PlanSpace, type SearchCase, type SearchKind } from './fault-plan.js';
import { kindOfFault } from '../coverage.js';

/** At most this many boundary cases precede the random ones (a quarter of the default 200 runs). */
export const MAX_BOUNDARY_CASES = 50;

/** The index of the last event at or before `t` (-1: none), events sorted by time. */
function lastAtOrBefore(events: readonly { readonly t: number }[], t: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** One COMMIT each: a transient error on its call, a crash before and after it runs. */
function transactionGroups(space: PlanSpace): Fault[][] {
  const calls: number[] = [];
  space.calls.forEach((c, i) => c.endsTransaction && calls.push(i + 1));
  const effects: number[] = [];
  space.effectEvents.forEach((e, i) => e.endsTransaction && effects.push(i + 1));
  const groups: Fault[][] = [];
  for (let k = 0; k < Math.max(calls.length, effects.length); k++) {
    const g: Fault[] = [];
    if (calls[k] !== undefined) g.push({ kind: 'transient', call: calls[k]! });
    if (effects[k] !== undefined) g.push({ kind: 'crash', beforeEffect: effects[k]! }, { kind: 'crash', afterEffect: effects[k]! });
    groups.push(g);
  }
  return groups;
}

/** One stored heartbeat each (and the run's first and last effect): see the module doc. */
function heartbeatGroups(space: PlanSpace): Fault[][] {
  const groups: Fault[][] = [];
  const effects = space.effectEvents;
  if (effects.length > 0) groups.push([{ kind: 'crash', beforeEffect: 1 }]);
  space.storedTimes.forEach((t, k) => {
    const g: Fault[] = [{ kind: 'crash', afterHeartbeatStored: k + 1 }];
    const lastCall = lastAtOrBefore(space.calls, t);
    if (lastCall >= 0) g.push({ kind: 'transient', call: lastCall + 1 });
    if (lastCall + 1 < space.calls.length) g.push({ kind: 'transient', call: lastCall + 2 });
    // The last effect of the window this heartbeat closes, the first of the one it opens.
    const lastEffect = lastAtOrBefore(effects, t);
    if (lastEffect >= 0) g.push({ kind: 'crash', afterEffect: lastEffect + 1 });
    if (lastEffect + 1 < effects.length) g.push({ kind: 'crash', beforeEffect: lastEffect + 2 });
    groups.push(g);
  });
  if (effects.length > 0) groups.push([{ kind: 'crash', afterEffect: effects.length }]);
  return groups;
}

/** As many groups as fit in `budget` faults, evenly spread (first and last kept), in order. */
function spreadGroups(groups: readonly Fault[][], budget: number): Fault[][] {
  const size = (gs: readonly Fault[][]): number => gs.reduce((n, g) => n + g.length, 0);
  if (size(groups) <= budget) return [...groups];
  for (let m = Math.min(groups.length, budget); m > 0; m--) {
    const picked = m === 1 ? [groups[0]!] : Array.from({ length: m }, (_, i) => groups[Math.round((i * (groups.length - 1)) / (m - 1))]!);
    if (size(picked) <= budget) return picked;
  }
  return [];
}

/** The boundary faults of `space` in trying order, each once, of the allowed kinds only. */
export function boundaryFaults(space: PlanSpace, kinds: readonly SearchKind[] = availableKinds(space), max = MAX_BOUNDARY_CASES): Fault[] {
  const allowed = new Set(availableKinds(space).filter((k) => kinds.includes(k)));
  const seen = new Set<string>();
  const keep = (groups: Fault[][]): Fault[][] =>
    groups
      .map((g) =>
        g.filter((f) => {
          const key = JSON.stringify(f);
          const kind = kindOfFault(f);
          if (kind === undefined || !allowed.has(kind) || seen.has(key)) return false;
          seen.add(key);
          return true;
        }),
      )
      .filter((g) => g.length > 0);
  const tx = keep(transactionGroups(space));
  const hb = keep(heartbeatGroups(space));
  const txSize = tx.reduce((n, g) => n + g.length, 0);
  const hbSize = hb.reduce((n, g) => n + g.length, 0);
  // Transactions get half the budget, or less if heartbeats need less than the other half.
  const txBudget = Math.max(Math.ceil(max / 2), max - hbSize);
  const txPicked = spreadGroups(tx, Math.min(txSize, txBudget));
  const used = txPicked.reduce((n, g) => n + g.length, 0);
  return [...txPicked, ...spreadGroups(hb, max - used)].flat();
}

/** The boundary faults as single-fault cases in the base seed's world. */
export function boundaryCases(space: PlanSpace, kinds?: readonly SearchKind[]): SearchCase[] {
  return boundaryFaults(space, kinds).map((f) => ({ world: 0, plan: [f] }));
}
