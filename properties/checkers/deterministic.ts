/**
 * `deterministic`: the same seed and plan give the same trace digest. When they do not, names the
 * first event where the two traces differ and the likely cause: real nondeterminism in the
 * activity (Math.random, crypto.randomUUID, real I/O, real time that escapes the simulation).
 */
import type { TraceEvent } from '../../sim/trace.js';
import { formatEvent } from '../../sim/trace.js';
import type { Checker } from '../types.js';

export const HOW_TO_BE_DETERMINISTIC =
  'use world.random() instead of Math.random(), world.uuid() instead of crypto.randomUUID(), and only the simulated world (world.source, world.sink) and the virtual clock (Date, setTimeout, ctx.sleep) for I/O and time';

export const deterministic: Checker = {
  name: 'deterministic',
  description: 'the same seed and fault plan give the same trace, bit for bit',
  check({ run, rerun }) {
    if (rerun === undefined || rerun.digest === run.digest) return undefined;
    const i = firstDifference(run.trace, rerun.trace);
    const a = run.trace[i];
    const b = rerun.trace[i];
    return {
      property: 'deterministic',
      summary: `two runs with the same seed and fault plan diverged at event #${i + 1}: ${a ? formatEvent(a).trim() : '(trace ended)'}  vs  ${b ? formatEvent(b).trim() : '(trace ended)'}`,
      details: [`likely cause: real nondeterminism in the activity; ${HOW_TO_BE_DETERMINISTIC}`],
      ...(a ? { times: [a.t] } : {}),
    };
  },
};

/** Index of the first event that differs (the shorter length if one is a prefix of the other). */
export function firstDifference(a: readonly TraceEvent[], b: readonly TraceEvent[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) return i;
  return n;
}
