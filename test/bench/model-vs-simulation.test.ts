/**
 * The analytic model against the simulator: for several unthrottled and throttle-idle settings
 * of the reference scenario (and two throttled ones), the simulated mean completion time lies
 * within 4 standard errors, and within 1%, of the model's E[T]; so do the mean crashes,
 * heartbeats sent and heartbeats stored (4 standard errors).
 *
 * 2000-3000 runs per setting; the RPC latency is constant (the model is exact then). The
 * settings keep the crash costs a modest share of the completion time (coefficient of variation
 * 7-16%), so that 1% is several standard errors wide.
 */
import { describe, expect, test } from 'vitest';
import { parseParam } from '../../app/bench/params.js';
import { prepareBench, simulateRuns, type RunMetrics } from '../../app/bench/runner.js';
import { mean, standardError } from '../../app/bench/statistics.js';
import reference from '../../examples/batch-statements.js';

interface Setting {
  readonly name: string;
  readonly regime: 'unthrottled' | 'throttle-idle' | 'throttled';
  readonly params: readonly string[];
  readonly runs: number;
}

const common = ['records=200', 'recordTime=500ms', 'world.latency.rpc=0', 'options.retry.maximumInterval=4s'];
const SETTINGS: readonly Setting[] = [
  { name: 'unthrottled, a heartbeat per 2 records, exponential backoff', regime: 'unthrottled', runs: 3000, params: [...common, 'heartbeatEvery=1s', 'options.heartbeatTimeout=3s', 'worker.maxHeartbeatThrottleInterval=0'] },
  { name: 'unthrottled, checkpoint cost 300 ms, RPC latency 10 ms', regime: 'unthrottled', runs: 3000, params: ['records=150', 'recordTime=400ms', 'heartbeatEvery=2s', 'checkpointCost=300ms', 'options.heartbeatTimeout=5s', 'worker.maxHeartbeatThrottleInterval=0', 'world.latency.rpc=10', 'options.retry.maximumInterval=4s'] },
  { name: 'throttle-idle (temporal: window 2.4 s, a call every 2.5 s)', regime: 'throttle-idle', runs: 3000, params: [...common, 'heartbeatEvery=2.5s', 'options.heartbeatTimeout=3s'] },
  { name: 'throttle-idle (cadence: window 2 s, backoff 1, 1, 2, 3, 5 s...)', regime: 'throttle-idle', runs: 3000, params: [...common, 'profile=cadence', 'options.scheduleToStartTimeout=1m', 'options.retry.maximumAttempts=1000', 'options.retry.backoffCoefficient=1.5', 'options.retry.maximumInterval=10s', 'heartbeatEvery=2.5s', 'options.heartbeatTimeout=3s'] },
  { name: 'throttled (window 4 s, a call every second)', regime: 'throttled', runs: 2000, params: [...common, 'heartbeatEvery=1s', 'options.heartbeatTimeout=5s'] },
  { name: 'throttled (window 8 s, checkpoint cost 100 ms, RPC latency 12 ms)', regime: 'throttled', runs: 2000, params: [...common, 'heartbeatEvery=1.5s', 'checkpointCost=100ms', 'options.heartbeatTimeout=10s', 'world.latency.rpc=12'] },
];

const SEED = 20261127;
const MTBF_MS = 60_000;

describe('simulated mean completion time within 4 standard errors and 1% of the model', () => {
  test.each(SETTINGS)('$name', async ({ regime, params, runs }) => {
    const [point] = prepareBench(reference, { params: params.map((p) => parseParam(p)), mtbfMs: MTBF_MS, runs, seed: SEED }).points;
    const model = point!.model;
    if (!model.applicable) throw new Error(`model not applicable: ${model.reason}`);
    expect(model.regime).toBe(regime);
    expect(model.exact).toBe(true);
    const metrics: RunMetrics[] = await simulateRuns(point!.scenario, { mtbfMs: MTBF_MS, seed: SEED }, 0, runs);
    const times = metrics.map((m) => m.completionTime);
    expect(times.every((t) => t !== null)).toBe(true);
    const within = (name: string, xs: readonly number[], expected: number, relative?: number): void => {
      const m = mean(xs);
      const se = standardError(xs);
      const diff = Math.abs(m - expected);
      const detail = `${name}: simulated ${m.toFixed(4)} ± ${se.toFixed(4)}, model ${expected.toFixed(4)}, ${(diff / se).toFixed(2)} standard errors`;
      expect(diff <= 4 * se || diff < 1e-9, detail).toBe(true);
      if (relative !== undefined) expect(diff <= relative * expected, `${detail}, ${((100 * diff) / expected).toFixed(3)}%`).toBe(true);
    };
    within('completion time', times as number[], model.completionTime.mean, 0.01);
    within('crashes', metrics.map((m) => m.crashes), model.crashes.mean);
    within('heartbeats sent', metrics.map((m) => m.heartbeatsSent), model.heartbeatsSent.mean);
    within('heartbeats stored', metrics.map((m) => m.detailsStored), model.detailsStored.mean);
    within('heartbeat calls', metrics.map((m) => m.heartbeatCalls), model.heartbeatCalls.mean);
    within('records redone', metrics.map((m) => m.redone), model.redoneRecords.mean);
    // Crashes happen at all (the comparison is not between two constants).
    expect(model.crashes.mean).toBeGreaterThan(1);
  }, 60_000);
});
