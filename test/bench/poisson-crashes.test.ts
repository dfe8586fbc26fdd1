/**
 * The `poissonCrashes` fault (sim/fault-plan.ts): the worker running an attempt dies at the
 * attempt's start + Exp(MTBF), re-drawn at each attempt, never while no attempt runs, never after
 * the attempt finished; deterministic per seed.
 */
import { describe, expect, test } from 'vitest';
import { describeFault } from '../../sim/fault-plan.js';
import { formatTime, type TraceEvent } from '../../sim/trace.js';
import { simulate } from '../../sim/simulate.js';
import reference from '../../examples/batch-statements.js';

const scenario = { ...reference, records: 400 }; // 20 s of work, a heartbeat every 5 s

function crashes(trace: readonly TraceEvent[]): Extract<TraceEvent, { type: 'crash' }>[] {
  return trace.filter((e): e is Extract<TraceEvent, { type: 'crash' }> => e.type === 'crash');
}

describe('poissonCrashes', () => {
  test('crashes only the worker running an attempt, while it runs; the crashed worker restarts', async () => {
    let seen = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const r = await simulate(scenario, { seed, faults: [{ kind: 'poissonCrashes', mtbfMs: 8000 }] });
      expect(r.outcome.status).toBe('completed');
      const cs = crashes(r.trace);
      expect(cs.length).toBe(r.counts.crashes);
      for (const c of cs) {
        seen++;
        const a = r.attempts.find((x) => x.attempt === c.attempt)!;
        expect(c.attempt).toBeGreaterThan(0);
        expect(c.worker.startsWith(a.worker.split('#')[0]!)).toBe(true);
        expect(c.t).toBeGreaterThanOrEqual(a.startedAt);
        expect(a.how).toBe('crashed');
        expect(a.endedAt).toBe(c.t);
        expect(c.reason).toBe('random crash (Poisson process, mean time between crashes 8000 ms)');
        // The crashed process comes back after world.restartDelay (5 s).
        expect(r.trace.some((e) => e.type === 'processStarted' && e.t === c.t + 5000 && e.worker.startsWith(c.worker.split('#')[0]!))).toBe(true);
      }
      const closed = r.trace.find((e) => e.type === 'closed')!;
      expect(cs.every((c) => c.t < closed.t)).toBe(true);
      expect(r.warnings).toEqual([]);
    }
    expect(seen).toBeGreaterThan(30);
  });

  test('the time from an attempt start to its crash is exponential with the given mean', async () => {
    // The first attempt would need 20 s of work: with an MTBF of 2 s it survives with probability e^-10.
    const firsts: number[] = [];
    for (let seed = 1; seed <= 400; seed++) {
      const r = await simulate({ ...scenario, records: 400 }, { seed, faults: [{ kind: 'poissonCrashes', mtbfMs: 2000 }], trace: 'lean' });
      const first = crashes(r.trace).find((c) => c.attempt === 1);
      expect(first).toBeDefined();
      firsts.push(first!.t);
    }
    const mean = firsts.reduce((a, b) => a + b, 0) / firsts.length;
    // Exp(2000): mean 2000, standard deviation 2000, so the mean of 400 has a standard error of 100.
    expect(Math.abs(mean - 2000)).toBeLessThan(4 * 100);
    // P(X < mean) = 1 - 1/e = 0.632; binomial standard error sqrt(0.632 * 0.368 / 400) = 0.024.
    const below = firsts.filter((t) => t < 2000).length / firsts.length;
    expect(Math.abs(below - (1 - Math.exp(-1)))).toBeLessThan(4 * 0.0241);
  });

  test('deterministic per seed; an MTBF of 0 is no fault at all', async () => {
    const a = await simulate(scenario, { seed: 7, faults: [{ kind: 'poissonCrashes', mtbfMs: 5000 }] });
    const b = await simulate(scenario, { seed: 7, faults: [{ kind: 'poissonCrashes', mtbfMs: 5000 }] });
    expect(b.digest).toBe(a.digest);
    expect(a.counts.crashes).toBeGreaterThan(0);
    const none = await simulate(scenario, { seed: 7 });
    const zero = await simulate(scenario, { seed: 7, faults: [{ kind: 'poissonCrashes', mtbfMs: 0 }] });
    expect(zero.digest).toBe(none.digest);
    expect(zero.counts.crashes).toBe(0);
  });

  test('cancelled when the attempt finishes: nothing pending is left behind', async () => {
    const r = await simulate(scenario, { seed: 3, faults: [{ kind: 'poissonCrashes', mtbfMs: 1e12 }] });
    expect(r.outcome.status).toBe('completed');
    expect(r.counts.crashes).toBe(0);
    expect(r.warnings).toEqual([]);
  });

  test('described in words', () => {
    expect(describeFault({ kind: 'poissonCrashes', mtbfMs: 60_000 }, formatTime)).toBe("worker crashes as a Poisson process over each attempt's execution, mean time between crashes 60000 ms");
  });
});
