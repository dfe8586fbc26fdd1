/**
 * S7 as a property over random RPC latencies and fault plans: no report of an attempt reaches
 * the server before every earlier heartbeat RPC of the same attempt has been answered. Every RPC
 * of a run is observed at the simulation's one RPC door (sent, at the server, answered), and the
 * property is shown to fail when the throttle lets the report go at once (S7 disabled).
 */
import fc from 'fast-check';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { HeartbeatThrottle } from '../../src/model/heartbeat-throttle.js';
import { defineScenario, normalizeScenario, type NormalizedScenario } from '../../src/scenario.js';
import { faultPlanArbitrary, planSpaceOf } from '../../properties/arbitraries/fault-plan.js';
import type { FaultPlan } from '../../sim/fault-plan.js';
import { frontDoorFor, runScenario } from '../../sim/simulate.js';
import { Simulation } from '../../sim/simulation.js';

interface ObservedRpc {
  readonly kind: 'heartbeat' | 'report';
  readonly attempt: number;
  /** Order in which the worker sent it. */
  readonly index: number;
  arrivedAt?: number;
  answeredAt?: number;
}

async function observedRun(scenario: NormalizedScenario, seed: number, faults: FaultPlan): Promise<ObservedRpc[]> {
  const sim = new Simulation(scenario, { seed, faults, trace: 'lean' }, await frontDoorFor(scenario.api));
  const rpcs: ObservedRpc[] = [];
  const rpc = sim.rpc.bind(sim);
  sim.rpc = (run, kind, atServer, onResponse, deadlineMs) => {
    const o: ObservedRpc = { kind, attempt: run.attempt, index: rpcs.length };
    rpcs.push(o);
    rpc(
      run,
      kind,
      () => {
        o.arrivedAt ??= sim.scheduler.now;
        return atServer();
      },
      (response) => {
        o.answeredAt ??= sim.scheduler.now;
        onResponse(response);
      },
      deadlineMs,
    );
  };
  await sim.run();
  return rpcs;
}

/** The violations of S7 in one run: a report at the server while an earlier heartbeat of its attempt is unanswered. */
function violations(rpcs: readonly ObservedRpc[]): string[] {
  const found: string[] = [];
  for (const report of rpcs) {
    if (report.kind !== 'report' || report.arrivedAt === undefined) continue;
    for (const hb of rpcs) {
      if (hb.kind !== 'heartbeat' || hb.attempt !== report.attempt || hb.index > report.index) continue;
      if (hb.answeredAt === undefined || hb.answeredAt > report.arrivedAt) {
        found.push(`attempt ${report.attempt}: report at the server at ${report.arrivedAt} ms, heartbeat RPC #${hb.index} answered ${hb.answeredAt === undefined ? 'never' : `at ${hb.answeredAt} ms`}`);
      }
    }
  }
  return found;
}

function scenarioFor(profile: 'temporal' | 'cadence', rpc: { min: number; max: number }, throws: boolean, hbEvery: number): NormalizedScenario {
  return normalizeScenario(
    defineScenario({
      name: 's7-property',
      profile,
      records: 6,
      options: { scheduleToStartTimeout: '1m', startToCloseTimeout: '1m', heartbeatTimeout: '2s', retry: { initialInterval: '1s', maximumAttempts: 6 } },
      world: { latency: { rpc }, restartDelay: '1s' },
      activity: (world) => async (ctx) => {
        let offset = ctx.hasHeartbeatDetails() ? ctx.heartbeatDetails<number>()! : 0;
        for (; offset < world.source.size; offset++) {
          await world.sink.put(`k${offset}`, offset);
          if (offset % hbEvery === 0) void ctx.heartbeat(offset + 1);
          await ctx.sleep(300);
        }
        void ctx.heartbeat(offset);
        if (throws && ctx.info.attempt === 1) throw new Error('fails after its last heartbeat');
        return offset;
      },
    }),
  );
}

const world = fc.record({
  profile: fc.constantFrom('temporal' as const, 'cadence' as const),
  rpc: fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 })).map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) })),
  throws: fc.boolean(),
  hbEvery: fc.integer({ min: 1, max: 3 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

const worldAndScenario = world.map((w) => ({ ...w, scenario: scenarioFor(w.profile, w.rpc, w.throws, w.hbEvery) }));

async function property(runs: number, seed: number) {
  return fc.check(
    fc.asyncProperty(worldAndScenario, fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (w, planSeed) => {
      // The plan is drawn for this world, from its fault-free reference run (as the search does).
      const reference = await runScenario(w.scenario, { seed: w.seed, trace: 'full', callLog: true });
      const plan = fc.sample(faultPlanArbitrary(planSpaceOf(w.scenario, reference), 3), { numRuns: 1, seed: planSeed })[0]!;
      const found = violations(await observedRun(w.scenario, w.seed, plan));
      if (found.length > 0) throw new Error(`S7 violated with plan ${JSON.stringify(plan)}:\n${found.join('\n')}`);
    }),
    { numRuns: runs, seed },
  );
}

describe('S7 property', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  test('S7: over random RPC latencies and fault plans, no report of an attempt reaches the server before an earlier heartbeat RPC of that attempt was answered', async () => {
    const details = await property(60, 20261203);
    expect(details.failed ? details.counterexample : undefined).toBeUndefined();
    expect(details.numRuns).toBe(60);
  });

  test('S7: the property fails when the report does not wait (S7 disabled in the throttle)', async () => {
    const evict = HeartbeatThrottle.prototype.evict;
    const answered = HeartbeatThrottle.prototype.answered;
    vi.spyOn(HeartbeatThrottle.prototype, 'evict').mockImplementation(function (this: HeartbeatThrottle, now, how) {
      return { ...evict.call(this, now, how), ready: true };
    });
    vi.spyOn(HeartbeatThrottle.prototype, 'answered').mockImplementation(function (this: HeartbeatThrottle, now, answer) {
      const next = answered.call(this, now, answer);
      return 'ready' in next || 'waiting' in next ? { idle: true } : next;
    });
    const details = await property(60, 20261203);
    expect(details.failed).toBe(true);
    expect(String(details.errorInstance)).toMatch(/S7 violated/);
  });
});
