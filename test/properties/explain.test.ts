/**
 * The story of a violation names the error the activity really got from an injected transient
 * fault: a Postgres error on a SQL statement, a network error on a fetch route, TransientError on
 * a world or service call (the fault plan's own line says only "a transient error": which one
 * depends on the call it lands on).
 */
import { describe, expect, test } from 'vitest';
import { describeFaultEvents } from '../../properties/explain.js';
import { describeFault } from '../../sim/fault-plan.js';
import { formatTime, type TraceEvent } from '../../sim/trace.js';
import type { SimulationResult } from '../../sim/simulation.js';

const fault = (op: string, key: string): TraceEvent => ({ t: 1000, type: 'worldFault', attempt: 1, call: 3, op, key, fault: 'transient', ms: 4 });

describe('injected transient faults, as the story tells them', () => {
  test('each names the error of its kind of call', () => {
    const run = { trace: [fault('sql', 'COMMIT'), fault('bank.POST https://bank.test/transfers', '[{"path":"/transfers"}]'), fault('store.putObject', '["a"]'), fault('sink.put', 'rec-1')] } as unknown as SimulationResult;
    expect(describeFaultEvents(run)).toEqual([
      'sql(COMMIT) by attempt 1 at 00:00:01.000: injected transient Postgres fault',
      'bank.POST https://bank.test/transfers([{"path":"/transfers"}]) by attempt 1 at 00:00:01.000: injected network error (fetch failed: ECONNRESET)',
      'store.putObject(["a"]) by attempt 1 at 00:00:01.000: injected TransientError',
      'sink.put(rec-1) by attempt 1 at 00:00:01.000: injected TransientError',
    ]);
  });

  test("the plan's line does not claim TransientError (on a SQL statement or a fetch it is not)", () => {
    expect(describeFault({ kind: 'transient', call: 26 }, formatTime)).toBe('world call #26 fails with a transient error');
  });
});
