/** The text timeline lists events in causal order. */
import { expect, test } from 'vitest';
import { heartbeat } from '@temporalio/activity';
import { defineScenario, normalizeScenario } from '../../src/scenario.js';
import { runScenario } from '../../sim/simulate.js';
import { timelineLines } from '../../app/cli/timeline-text.js';

test('S3 heartbeat() called before a throw is listed before "ended: threw", though the SDK encodes it microtasks later', async () => {
  const scenario = normalizeScenario(defineScenario({
    name: 'hb-throw',
    api: 'temporal',
    records: 3,
    options: { startToCloseTimeout: '1m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 2 } },
    activity: (world) => async () => {
      await world.source.read(0, 1);
      heartbeat(1);
      throw new Error('boom');
    },
  }));
  const r = await runScenario(scenario, { seed: 1 });
  // The trace itself records the call when it is encoded: after the attempt ended.
  const raw = r.trace.filter((e) => (e.type === 'attemptEnded' || e.type === 'heartbeatCalled') && e.attempt === 1).map((e) => e.type);
  expect(raw).toEqual(['attemptEnded', 'heartbeatCalled']);
  const lines = timelineLines(r.trace);
  const call = lines.findIndex((l) => /attempt 1: 1 heartbeat\(\) call/.test(l));
  const ended = lines.findIndex((l) => /attempt 1 ended: threw Error: boom/.test(l));
  expect(call).toBeGreaterThanOrEqual(0);
  expect(call).toBeLessThan(ended);
  expect(lines.findIndex((l) => /attempt 1 heartbeat sent 1/.test(l))).toBeGreaterThan(ended);
});
