/** Representative runs whose digests test/sim/digest-pins.test.ts pins (see there). */
import type { FaultPlan } from '../../sim/fault-plan.js';

export interface Pin {
  readonly file: string;
  readonly records?: number;
  readonly seed: number;
  readonly faults: FaultPlan;
  readonly trace: 'full' | 'lean';
  readonly inspectDetails: boolean;
}

export const PINS: readonly Pin[] = [
  { file: 'examples/statements-ticker.ts', seed: 1, faults: [], trace: 'full', inspectDetails: true },
  { file: 'examples/statements-ticker.ts', records: 20_000, seed: 7, faults: [{ kind: 'crash', at: 30_000 }, { kind: 'crash', at: 95_000 }, { kind: 'heartbeatLost', nth: 3 }], trace: 'lean', inspectDetails: false },
  { file: 'examples/statements-temporal.ts', seed: 3, faults: [{ kind: 'crash', afterHeartbeatStored: 2 }, { kind: 'partition', at: 12_000, durationMs: 20_000 }], trace: 'full', inspectDetails: true },
  { file: 'examples/add-with-idempotency-key.ts', seed: 5, faults: [{ kind: 'crash', afterEffect: 17 }, { kind: 'transient', call: 9 }], trace: 'lean', inspectDetails: true },
  { file: 'examples/broken/heartbeat-before-effect-temporal.ts', seed: 3, faults: [{ kind: 'transient', call: 3 }], trace: 'full', inspectDetails: true },
  { file: 'bench/scenarios/temporal-per-record.ts', seed: 11, faults: [{ kind: 'crash', afterHeartbeatCall: 40 }, { kind: 'heartbeatDelayed', nth: 1, byMs: 5_000 }], trace: 'lean', inspectDetails: true },
  { file: 'bench/scenarios/native-per-record.ts', records: 5_000, seed: 2, faults: [{ kind: 'crash', whilePending: 3 }, { kind: 'shutdown', at: 2_000, graceMs: 1_000 }, { kind: 'noWorker', at: 40_000, durationMs: 30_000 }], trace: 'full', inspectDetails: false },
];
