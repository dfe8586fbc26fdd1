/**
 * The analytic checkpoint model (app/bench/model.ts) against cases computed by hand, and its two
 * derivations (closed form over independent segments, Markov chain over the stored checkpoint)
 * against each other where both apply.
 */
import { describe, expect, test } from 'vitest';
import { checkpointModel, checkpointModelInput, closedForm, markovChain, type CheckpointModelInput, type CheckpointModelPrediction } from '../../app/bench/model.js';
import { normalizeScenario } from '../../src/scenario.js';
import { simulate } from '../../sim/simulate.js';
import reference from '../../examples/batch-statements.js';

const retry = (initial: number, coefficient: number, max: number) => ({ initialIntervalMs: initial, backoffCoefficient: coefficient, maximumIntervalMs: max, maximumAttempts: 0, nonRetryableErrorTypes: [], expirationIntervalMs: 0 });

function input(o: Partial<CheckpointModelInput>): CheckpointModelInput {
  return {
    records: 100,
    recordTimeMs: 100,
    recordsPerHeartbeat: 10,
    checkpointCostMs: 0,
    heartbeatTimeoutMs: 30_000,
    mtbfMs: 0,
    profile: 'temporal',
    retry: retry(1000, 1, 1000),
    throttleMs: 0,
    rpcLatency: { min: 0, max: 0 },
    workers: 2,
    restartDelayMs: 5000,
    startToCloseTimeoutMs: 86_400_000,
    scheduleToCloseTimeoutMs: 0,
    ...o,
  };
}

function predict(o: Partial<CheckpointModelInput>): CheckpointModelPrediction {
  const m = checkpointModel(input(o));
  if (!m.applicable) throw new Error(`not applicable: ${m.reason}`);
  return m;
}

describe('hand-computed cases', () => {
  test('no crashes: T = W + (n-1) C + h, one call per checkpoint', () => {
    // N 1000 records of 10 ms, 20 per heartbeat: n = 50 segments, 49 checkpoints of 5 ms; RPC 8 ms, h = 4 ms.
    const m = predict({ records: 1000, recordTimeMs: 10, recordsPerHeartbeat: 20, checkpointCostMs: 5, rpcLatency: { min: 8, max: 8 } });
    expect(m.completionTime.mean).toBe(10_000 + 49 * 5 + 4);
    expect(m).toMatchObject({ segments: 50, attempts: { mean: 1 }, crashes: { mean: 0 }, heartbeatCalls: { mean: 49 }, heartbeatsSent: { mean: 49 }, detailsStored: { mean: 49 }, detectionDelay: { mean: null }, exact: true });
  });

  test('no heartbeat at all (one segment): K is geometric, every crash costs H + B', () => {
    // W = 10 s, MTBF 20 s: an attempt succeeds with p = exp(-0.5); E[K] = (1 - p) / p = e^0.5 - 1.
    const m = predict({ records: 100, recordTimeMs: 100, recordsPerHeartbeat: 200, mtbfMs: 20_000, retry: retry(2000, 1, 2000) });
    expect(m.segments).toBe(1);
    expect(m.crashes.mean).toBeCloseTo(Math.exp(0.5) - 1, 12);
    expect(m.completionTime.mean).toBeCloseTo(10_000 + 32_000 * (Math.exp(0.5) - 1), 6); // 30759.08066...
    expect(m.completionTime.mean).toBeCloseTo(30_759.0807, 3);
    // A crash at x (truncated exponential on [0, W)) is detected at H after the attempt's start.
    const meanX = 20_000 - 10_000 / (Math.exp(0.5) - 1);
    expect(m.detectionDelay.mean).toBeCloseTo(30_000 - meanX, 6); // 25414.94
    // Records redone: those put before the crash, at 100, 200, ..., 10000 ms (direct sum).
    let redone = 0;
    const tail = Math.exp(-0.5);
    for (let p = 1; p <= 100; p++) redone += (Math.exp(-(100 * p) / 20_000) - tail) / (1 - tail);
    expect(m.redoneRecords.mean).toBeCloseTo((Math.exp(0.5) - 1) * redone, 9);
    expect(m.heartbeatCalls.mean).toBe(0);
  });

  test('exponential backoff: sum over k of B_k P(K >= k), with P(K >= k) = (1 - p)^k for one segment', () => {
    const m = predict({ records: 100, recordTimeMs: 100, recordsPerHeartbeat: 200, mtbfMs: 20_000, retry: retry(1000, 2, 8000) });
    const q = 1 - Math.exp(-0.5);
    let backoff = 0;
    for (let k = 1; k < 2000; k++) backoff += Math.min(1000 * 2 ** (k - 1), 8000) * q ** k;
    expect(m.terms.backoff).toBeCloseTo(backoff, 8);
    expect(m.completionTime.mean).toBeCloseTo(10_000 + 30_000 * (Math.exp(0.5) - 1) + backoff, 6);
  });

  test('two segments: independent geometric failures', () => {
    // 4 records of 1 s, a heartbeat after 2: segments of 2 s, each try succeeds with q = exp(-0.4).
    const m = predict({ records: 4, recordTimeMs: 1000, recordsPerHeartbeat: 2, heartbeatTimeoutMs: 10_000, mtbfMs: 5000, retry: retry(1000, 1, 1000) });
    const eK = 2 * (Math.exp(0.4) - 1);
    expect(m.crashes.mean).toBeCloseTo(eK, 12);
    expect(m.completionTime.mean).toBeCloseTo(4000 + 11_000 * eK, 8); // 14820.1433...
    expect(m.heartbeatCalls.mean).toBeCloseTo(1, 12);
    expect(m.detailsStored.mean).toBe(1);
  });

  test('cadence truncates backoffs to whole seconds (R1): 1 s x 1.5 gives 1, 1, 2, 3, 5 s', () => {
    const m = predict({ profile: 'cadence', records: 100, recordTimeMs: 100, recordsPerHeartbeat: 200, mtbfMs: 20_000, retry: retry(1000, 1.5, 5000) });
    const q = 1 - Math.exp(-0.5);
    const b = [1000, 1000, 2000, 3000];
    let backoff = 0;
    for (let k = 1; k < 2000; k++) backoff += (b[k - 1] ?? 5000) * q ** k;
    expect(m.terms.backoff).toBeCloseTo(backoff, 8);
  });
});

describe('regimes and the throttle (S1, S2)', () => {
  test('throttle window 0: unthrottled; window shorter than the call period: throttle-idle; longer: throttled', () => {
    expect(predict({ throttleMs: 0 }).regime).toBe('unthrottled');
    expect(predict({ throttleMs: 900 }).regime).toBe('throttle-idle'); // calls every 1000 ms
    expect(predict({ throttleMs: 1000 }).regime).toBe('throttle-idle'); // a call at the window's end: the window closes first
    expect(predict({ throttleMs: 2500 }).regime).toBe('throttled');
    // temporal keeps one heartbeat RPC in flight: a call period below the RPC latency is throttled too.
    expect(predict({ throttleMs: 0, rpcLatency: { min: 1500, max: 1500 }, heartbeatTimeoutMs: 30_000 }).regime).toBe('throttled');
    // cadence with no window sends every call at once.
    expect(predict({ profile: 'cadence', throttleMs: 0, rpcLatency: { min: 1500, max: 1500 } }).regime).toBe('unthrottled');
  });

  test('throttled sends without crashes, by hand, and as the simulator sends them', () => {
    // Calls every second (1 record of 1 s per heartbeat), 10 of them, window 2.5 s (H 3125 ms):
    // sends at 1 s (call 1), 3.5 s (call 3), 6 s (call 5: call 6 comes right after the window
    // ends), 8.5 s (call 8) and 11 s (call 10, just before the activity returns at 11 s).
    const m = predict({ records: 11, recordTimeMs: 1000, recordsPerHeartbeat: 1, heartbeatTimeoutMs: 3125, throttleMs: 2500 });
    expect(m.regime).toBe('throttled');
    expect(m.heartbeatCalls.mean).toBe(10);
    expect(m.heartbeatsSent.mean).toBe(5);
    const scenario = { ...reference, records: 11, params: { recordTime: '1s', heartbeatEvery: '1s', checkpointCost: 0 }, options: { ...reference.options, heartbeatTimeout: 3125 }, world: { ...reference.world, latency: { read: 0, put: 0, add: 0, get: 0, rpc: 0 } } };
    const fromScenario = checkpointModelInput(normalizeScenario(scenario), 0);
    expect('input' in fromScenario && fromScenario.input.throttleMs).toBe(2500);
    return simulate(scenario, { seed: 1 }).then((r) => {
      expect(r.counts.heartbeatCalls).toBe(10);
      expect(r.counts.heartbeatsSent).toBe(5);
      expect(r.trace.filter((e) => e.type === 'heartbeatSent').map((e) => [e.t, e.type === 'heartbeatSent' ? e.details : ''])).toEqual([
        [1000, '{"offset":1}'],
        [3500, '{"offset":3}'],
        [6000, '{"offset":5}'],
        [8500, '{"offset":8}'],
        [11000, '{"offset":10}'],
      ]);
    });
  });
});

describe('the two derivations agree where both apply (every call sent at once)', () => {
  const cases = [
    { N: 20, k: 1, d: 100, C: 0, h: 0, mtbf: 1000 },
    { N: 23, k: 4, d: 50, C: 30, h: 5, mtbf: 700 },
    { N: 7, k: 7, d: 100, C: 0, h: 3, mtbf: 500 },
    { N: 50, k: 3, d: 10, C: 20, h: 2, mtbf: 80 },
    { N: 400, k: 9, d: 10, C: 15, h: 7, mtbf: 2000 },
  ];
  test.each(cases)('N=$N k=$k d=$d C=$C h=$h MTBF=$mtbf', ({ N, k, d, C, h, mtbf }) => {
    const n = Math.ceil(N / k);
    const kLast = N - (n - 1) * k;
    const g = { lambda: 1 / mtbf, d, k, P: k * d + C, kLast };
    const a = closedForm(g, n, C, kLast * d, h, 6);
    const b = markovChain(g, n, kLast * d, h, 0, false, 6);
    for (const key of ['crashes', 'lag', 'sinceLastStored', 'redone', 'calls', 'sent', 'stored'] as const) expect(b[key]).toBeCloseTo(a[key], 8);
    for (let i = 0; i < 6; i++) expect(b.pmf[i]!).toBeCloseTo(a.pmf[i]!, 12);
    expect(a.pmf.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(1 + 1e-12);
  });
});

describe('when the model does not apply, it says why', () => {
  test('a heartbeat gap at or over the heartbeat timeout: healthy attempts would time out', () => {
    const m = checkpointModel(input({ recordsPerHeartbeat: 300, heartbeatTimeoutMs: 10_000 }));
    expect(m).toEqual({ applicable: false, reason: expect.stringMatching(/10000 ms pass between two heartbeats .* healthy attempts time out/) });
  });

  test('scenario conventions: the params, zero world latencies, a heartbeat timeout', () => {
    const base = normalizeScenario(reference);
    const ref = checkpointModelInput(base, 60_000);
    // The reference scenario as shipped: the model applies, and exactly (constant RPC latency, two workers).
    expect('input' in ref && checkpointModel(ref.input)).toMatchObject({ applicable: true, exact: true, regime: 'throttled', notes: [] });
    expect(checkpointModelInput({ ...base, params: { pageSize: 50 } }, 60_000)).toEqual({ reason: expect.stringMatching(/no param recordTime or heartbeatEvery/) });
    expect(checkpointModelInput(normalizeScenario({ ...reference, world: { workers: 2 } }), 60_000)).toEqual({ reason: expect.stringMatching(/latencies .* not all 0/) });
    expect(checkpointModelInput(normalizeScenario({ ...reference, options: { startToCloseTimeout: '1h' } }), 60_000)).toEqual({ reason: expect.stringMatching(/no heartbeat timeout/) });
  });

  test('approximations are flagged: a random RPC latency, one worker with a slow restart, limited attempts', () => {
    expect(predict({ rpcLatency: { min: 4, max: 20 } }).exact).toBe(false);
    const slow = predict({ workers: 1, restartDelayMs: 40_000, mtbfMs: 60_000 });
    expect(slow.exact).toBe(false);
    expect(slow.notes.join(' ')).toMatch(/restart .* can hold back a retry/);
    expect(predict({ workers: 1, restartDelayMs: 5000, mtbfMs: 60_000 }).exact).toBe(true);
    const few = predict({ mtbfMs: 2000, retry: { ...retry(1000, 1, 1000), maximumAttempts: 3 } });
    expect(few.exact).toBe(false);
    expect(few.notes.join(' ')).toMatch(/runs out of attempts with probability 0\.\d+/);
    expect(predict({ mtbfMs: 60_000, retry: { ...retry(1000, 1, 1000), maximumAttempts: 500 } }).exact).toBe(true);
  });
});
