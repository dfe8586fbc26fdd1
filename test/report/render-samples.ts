/**
 * Sample timeline pages and bench charts from real runs, for looking at (`npm run test:visual`
 * renders them in Chromium): `renderSamples()` gives name -> HTML.
 */
import broken from '../../examples/broken/add-without-idempotency-key.js';
import { defineScenario, normalizeScenario } from '../../src/scenario.js';
import { TransientError } from '../../src/errors.js';
import { simulate } from '../../sim/simulate.js';
import { idempotent } from '../../properties/checkers/idempotent.js';
import { renderTimelineHtml } from '../../app/report/timeline-html.js';

/** Fails its first attempts with a long message, then completes. */
export const flaky = defineScenario({
  name: 'flaky-with-a-long-error-message',
  records: 40,
  options: { startToCloseTimeout: '1m', heartbeatTimeout: '5s', retry: { initialInterval: '1s', maximumAttempts: 5 } },
  activity: (world) => async (ctx) => {
    for (const r of await world.source.read(0, 40)) {
      await world.sink.put(`statement/${r.key}`, r.amount);
      ctx.heartbeat(r.offset + 1);
    }
    if (ctx.info.attempt < 3) throw new TransientError(`world.sink.add failed: connection reset by peer while writing total/account-7 (attempt ${ctx.info.attempt} of a flaky upstream)`);
    return 'done';
  },
});

/** Three report pages from real runs: a partition with an idempotent verdict, two crashes, long failure messages. */
export async function renderSamples(): Promise<[string, string][]> {
  const reference = await simulate(broken, { seed: 3 });
  const partitioned = await simulate(broken, { seed: 3, faults: [{ kind: 'partition', at: 1, durationMs: 9997 }] });
  const v = idempotent.check({ scenario: normalizeScenario(broken), reference, run: partitioned, plan: partitioned.faults })!;
  const crashed = await simulate(broken, { seed: 11, crashes: ['800ms', '6s'] });
  return [
    ['partition-idempotent', renderTimelineHtml({ title: 'add-without-idempotency-key: idempotent violated (seed 3)', result: partitioned, verdict: v, highlight: { keys: v.keys!, times: v.times! } })],
    ['two-crashes', renderTimelineHtml({ title: 'add-without-idempotency-key: two crashes', result: crashed })],
    ['long-failures', renderTimelineHtml({ title: 'flaky: failures with long messages', result: await simulate(flaky, { seed: 1 }) })],
  ];
}
