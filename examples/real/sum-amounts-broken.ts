/**
 * BROKEN on purpose: the same sum, but the checkpoint carries only the offset; the running total
 * lives in memory. A retry resumes at the right page with a total of 0, and returns a total that
 * misses every page before the crash. Nothing is written anywhere: only the return value shows it.
 *
 * Expected verdict: result violated (the returned totalCents is below the fault-free run's).
 *
 *   npx hbsim check examples/real/sum-amounts-broken.ts
 */
import { activityInfo, heartbeat, sleep } from '@temporalio/activity';
import { defineScenario } from 'hbsim';

export default defineScenario({
  name: 'sum-amounts-broken',
  api: 'temporal',
  records: 120,
  args: ['2026-10', 10],
  options: { startToCloseTimeout: '2m', heartbeatTimeout: '3s', retry: { initialInterval: '1s', maximumInterval: '10s' } },
  progress: (details: { offset: number }) => details.offset,
  activity: (world) => async (month: string, pageSize: number) => {
    let offset = (activityInfo().heartbeatDetails as { offset: number } | undefined)?.offset ?? 0;
    let total = 0; // BUG: not restored from the checkpoint
    while (offset < world.source.size) {
      const page = await world.source.read(offset, pageSize);
      for (const record of page) total += record.amount;
      offset += page.length;
      heartbeat({ offset });
      await sleep(500);
    }
    return { month, records: offset, totalCents: total };
  },
});
