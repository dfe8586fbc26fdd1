/**
 * Determinism: the same scenario, seed and fault plan give the same run, bit for bit (trace,
 * digest, sink, outcome); another seed gives another run when the scenario draws latencies.
 * A fast-check property over random small scenarios and fault plans drawn from every kind.
 */
import { activityInfo, heartbeat as temporalHeartbeat, sleep as temporalSleep } from '@temporalio/activity';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { defineScenario, type LatencySpec, type Scenario } from '../../src/scenario.js';
import { simulate } from '../../sim/simulate.js';
import type { Fault, FaultPlan } from '../../sim/fault-plan.js';
import type { SimulationResult } from '../../sim/simulation.js';

type Strategy = { readonly kind: 'none' } | { readonly kind: 'every'; readonly records: number } | { readonly kind: 'ticker'; readonly ms: number };

interface Shape {
  readonly api: 'native' | 'temporal';
  readonly profile: 'temporal' | 'cadence';
  readonly records: number;
  readonly pageSize: number;
  readonly write: 'put' | 'add';
  readonly strategy: Strategy;
  readonly sleepChance: number;
  readonly sleepMs: number;
  readonly latency: { read: LatencySpec; put: LatencySpec; add: LatencySpec; rpc: LatencySpec };
  readonly workers: number;
  readonly startToCloseS: number;
  readonly heartbeatS: number | undefined;
  readonly maximumAttempts: number;
}

const latency: fc.Arbitrary<LatencySpec> = fc.oneof(
  fc.integer({ min: 0, max: 30 }),
  fc.integer({ min: 0, max: 20 }).chain((min) => fc.integer({ min, max: min + 1500 }).map((max) => ({ min, max }))),
);

const shapeArb: fc.Arbitrary<Shape> = fc.record({
  api: fc.constantFrom('native', 'temporal'),
  profile: fc.constantFrom('temporal', 'cadence'),
  records: fc.integer({ min: 0, max: 60 }),
  pageSize: fc.integer({ min: 1, max: 25 }),
  write: fc.constantFrom('put', 'add'),
  strategy: fc.oneof(
    fc.constant({ kind: 'none' as const }),
    fc.integer({ min: 1, max: 10 }).map((records) => ({ kind: 'every' as const, records })),
    fc.integer({ min: 50, max: 5000 }).map((ms) => ({ kind: 'ticker' as const, ms })),
  ),
  sleepChance: fc.double({ min: 0, max: 0.5, noNaN: true }),
  sleepMs: fc.integer({ min: 1, max: 3000 }),
  latency: fc.record({ read: latency, put: latency, add: latency, rpc: latency }),
  workers: fc.integer({ min: 1, max: 3 }),
  startToCloseS: fc.integer({ min: 5, max: 120 }),
  heartbeatS: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  maximumAttempts: fc.integer({ min: 1, max: 4 }),
});

/** Fault times: often early (most runs are short), sometimes late. */
const at = fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 30_000 }));
const nth = fc.integer({ min: 1, max: 40 });
/** One fault of any kind of sim/fault-plan.ts. */
const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ kind: fc.constant('crash' as const), at }),
  fc.record({ kind: fc.constant('crash' as const), beforeEffect: nth }),
  fc.record({ kind: fc.constant('crash' as const), afterEffect: nth }),
  fc.record({ kind: fc.constant('crash' as const), afterHeartbeatCall: nth }),
  fc.record({ kind: fc.constant('crash' as const), afterHeartbeatStored: nth }),
  fc.record({ kind: fc.constant('crash' as const), whilePending: nth }),
  fc.record({ kind: fc.constant('heartbeatLost' as const), nth }),
  fc.record({ kind: fc.constant('heartbeatDelayed' as const), nth, byMs: fc.integer({ min: 1, max: 20_000 }) }),
  fc.record({ kind: fc.constant('partition' as const), at, durationMs: fc.integer({ min: 1, max: 40_000 }) }),
  fc.record({ kind: fc.constant('transient' as const), call: nth }),
  fc.record({ kind: fc.constant('slowCall' as const), call: nth, byMs: fc.integer({ min: 1, max: 20_000 }) }),
  fc.record({ kind: fc.constant('shutdown' as const), at, graceMs: fc.integer({ min: 0, max: 10_000 }) }),
  fc.record({ kind: fc.constant('cancel' as const), at }),
  fc.record({ kind: fc.constant('noWorker' as const), at, durationMs: fc.integer({ min: 1, max: 60_000 }) }),
  fc.record({ kind: fc.constant('pause' as const), at, durationMs: fc.integer({ min: 1, max: 40_000 }) }),
);
const planArb: fc.Arbitrary<FaultPlan> = fc.array(faultArb, { maxLength: 4 });

/** A batch job resuming from `{ offset }` details, shaped by `shape`, for either front door. */
function scenarioOf(shape: Shape): Scenario {
  const { api, strategy } = shape;
  return defineScenario({
    name: 'random',
    api,
    profile: shape.profile,
    records: shape.records,
    options: {
      scheduleToStartTimeout: '1m',
      startToCloseTimeout: shape.startToCloseS * 1000,
      ...(shape.heartbeatS === undefined ? {} : { heartbeatTimeout: shape.heartbeatS * 1000 }),
      retry: { initialInterval: '1s', maximumAttempts: shape.maximumAttempts },
    },
    world: { latency: shape.latency, workers: shape.workers, restartDelay: '2s' },
    activity: (world) => {
      const body = async (door: { attempt: number; resumed: unknown; heartbeat: (d: unknown) => void; sleep: (ms: number) => Promise<void> }) => {
        const state = { offset: (door.resumed as { offset?: number } | undefined)?.offset ?? 0 };
        const ticker = strategy.kind === 'ticker' ? setInterval(() => door.heartbeat({ ...state }), strategy.ms) : undefined;
        try {
          while (state.offset < world.source.size) {
            const page = await world.source.read(state.offset, shape.pageSize);
            for (const record of page) {
              if (shape.write === 'put') await world.sink.put(record.key, record.offset);
              else await world.sink.add('total', 1, { idempotencyKey: record.key });
              state.offset = record.offset + 1;
              if (strategy.kind === 'every' && state.offset % strategy.records === 0) door.heartbeat({ ...state });
              if (world.random() < shape.sleepChance) await door.sleep(shape.sleepMs);
            }
          }
          return { offset: state.offset, attempt: door.attempt };
        } finally {
          clearInterval(ticker);
        }
      };
      return api === 'native'
        ? async (ctx) =>
            body({ attempt: ctx.info.attempt, resumed: ctx.heartbeatDetails(), heartbeat: (d) => ctx.heartbeat(d), sleep: (ms) => ctx.sleep(ms) })
        : async () =>
            body({ attempt: activityInfo().attempt, resumed: activityInfo().heartbeatDetails, heartbeat: temporalHeartbeat, sleep: (ms) => temporalSleep(ms) });
    },
  });
}

const MAX_VIRTUAL_MS = 2 * 3_600_000;

function snapshot(r: SimulationResult) {
  return { outcome: r.outcome, attempts: r.attempts, sink: [...r.sink], counts: r.counts, endedAt: r.endedAt, warnings: r.warnings };
}

/** Whether the run drew many latencies from a wide range: another seed then all but surely draws others. */
function drewWideLatencies(shape: Shape, r: SimulationResult): boolean {
  const wide = (spec: LatencySpec): boolean => typeof spec === 'object' && Number(spec.max) - Number(spec.min) >= 1000;
  const effects = r.trace.filter((e) => e.type === 'effect').length;
  return effects >= 3 && wide(shape.write === 'put' ? shape.latency.put : shape.latency.add);
}

describe('determinism', () => {
  test('same scenario, seed and fault plan: same trace and digest; another seed: another run when latencies are drawn', async () => {
    let compared = 0;
    let differed = 0;
    await fc.assert(
      fc.asyncProperty(shapeArb, planArb, fc.integer(), async (shape, faults, seed) => {
        const scenario = scenarioOf(shape);
        const options = { seed, faults, maxVirtualTimeMs: MAX_VIRTUAL_MS };
        const a = await simulate(scenario, options);
        const b = await simulate(scenario, options);
        expect(b.digest).toBe(a.digest);
        expect(b.trace).toEqual(a.trace);
        expect(snapshot(b)).toEqual(snapshot(a));
        if (drewWideLatencies(shape, a)) {
          const c = await simulate(scenario, { ...options, seed: seed ^ 0x5bd1e995 });
          expect(c.digest).not.toBe(a.digest);
          differed++;
        }
        compared++;
      }),
      { numRuns: 300 },
    );
    expect(compared).toBe(300);
    // The generator does reach the "wide latencies" case (else the second half would never run).
    expect(differed).toBeGreaterThan(20);
  });

  test('the digest follows the latency draws: with constant latencies two seeds agree, with a drawn latency they differ', async () => {
    const make = (put: LatencySpec) =>
      defineScenario({
        name: 'latency-only',
        records: 20,
        options: { startToCloseTimeout: '1m' },
        world: { latency: { put, read: 4, rpc: 2 } },
        activity: (world) => async () => {
          for (let i = 0; i < world.source.size; i++) await world.sink.put(`k${i}`, i); // no amounts, no randomness
        },
      });
    const constant = make(5);
    expect((await simulate(constant, { seed: 1 })).digest).toBe((await simulate(constant, { seed: 2 })).digest);
    const drawn = make({ min: 1, max: 50 });
    const one = await simulate(drawn, { seed: 1 });
    const two = await simulate(drawn, { seed: 2 });
    expect(two.digest).not.toBe(one.digest);
    expect(two.trace.filter((e) => e.type === 'effect').map((e) => e.t)).not.toEqual(one.trace.filter((e) => e.type === 'effect').map((e) => e.t));
    expect([...two.sink]).toEqual([...one.sink]);
  });
});
