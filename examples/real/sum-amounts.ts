/**
 * A return value computed from heartbeat details: the month's total, page by page, with the
 * running total checkpointed next to the offset, so a retry resumes both. The workflow uses the
 * returned total; nothing is written to the sink.
 *
 * Expected verdict: every property holds.
 *
 *   npx hbsim check examples/real/sum-amounts.ts
 */
import { activityInfo, heartbeat, sleep } from '@temporalio/activity';
import { defineScenario } from 'hbsim';

interface Progress {
  readonly offset: number;
  readonly total: number;
}

export default defineScenario({
  name: 'sum-amounts',
  api: 'temporal',
  records: 120,
  args: ['2026-10', 10],
  options: { startToCloseTimeout: '2m', heartbeatTimeout: '3s', retry: { initialInterval: '1s', maximumInterval: '10s' } },
  progress: (details: Progress) => details.offset,
  activity: (world) => async (month: string, pageSize: number) => {
    let { offset, total } = (activityInfo().heartbeatDetails as Progress | undefined) ?? { offset: 0, total: 0 };
    while (offset < world.source.size) {
      const page = await world.source.read(offset, pageSize);
      for (const record of page) total += record.amount;
      offset += page.length;
      heartbeat({ offset, total } satisfies Progress);
      await sleep(500); // rate limit of the statements API
    }
    return { month, records: offset, totalCents: total };
  },
});
