/**
 * Pinned digests of representative runs (the seed example with and without crashes, the Temporal
 * API, adds with idempotency keys, a broken example, heartbeats after every record; lean and full
 * traces). Speed work must not change any run: these digests were taken from main's behaviour
 * before it. A change to the lifecycle rules that legitimately changes traces re-derives them
 * (and says so in its commit message).
 */
import { describe, expect, test } from 'vitest';
import { importScenarioModule } from '../../src/load-scenario.js';
import { normalizeScenario } from '../../src/scenario.js';
import { runScenario } from '../../sim/simulate.js';
import { PINS } from './digest-pins.cases.js';

const EXPECTED: readonly { digest: string; status: string; effects: number; sink: number }[] = [
  { digest: '0462df97dd4ea7f4', status: 'completed', effects: 5000, sink: 5000 },
  { digest: 'aec31b0c6f1b0e56', status: 'completed', effects: 22032, sink: 20000 },
  { digest: '4e85ee45e2aa573a', status: 'completed', effects: 9336, sink: 5000 },
  { digest: 'ba0a0d0c132a1ff6', status: 'completed', effects: 209, sink: 10 },
  { digest: '86e934b82a49621b', status: 'completed', effects: 199, sink: 199 },
  { digest: '03fcf44c90e745b1', status: 'completed', effects: 190, sink: 150 },
  { digest: '3f49e462b659d26f', status: 'completed', effects: 5003, sink: 5000 },
];

describe('pinned digests of representative runs', () => {
  PINS.forEach((p, i) => {
    test(`${p.file}${p.records !== undefined ? ` (${p.records} records)` : ''}, seed ${p.seed}, ${p.faults.length} faults, ${p.trace} trace`, async () => {
      const raw = (await importScenarioModule(p.file)) as object;
      const scenario = normalizeScenario(p.records !== undefined ? { ...raw, records: p.records } : raw);
      const r = await runScenario(scenario, { seed: p.seed, faults: p.faults, trace: p.trace, inspectDetails: p.inspectDetails });
      expect({ digest: r.digest, status: r.outcome.status, effects: r.counts.effects, sink: r.sink.size }).toEqual(EXPECTED[i]);
    });
  });
});
