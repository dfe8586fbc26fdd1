/**
 * Uses the client (X7): an export that must not move past a page before the server holds its
 * checkpoint, so it heartbeats through `getClient().activity.heartbeat(taskToken, details)` (an
 * RPC it awaits, not the throttled `heartbeat()`), after the page's writes. A retry resumes from
 * `activityInfo().heartbeatDetails`. A checkpoint refused (the attempt timed out: NotFound; or the
 * worker is partitioned) throws, and the attempt stops there.
 *
 * Expected verdict: every property holds.
 *
 *   npx hbsim check examples/real/client-checkpoint.ts
 */
import { activityInfo, getClient } from '@temporalio/activity';
import { defineScenario } from 'hbsim';

interface Checkpoint {
  readonly offset: number;
}

export default defineScenario({
  name: 'client-checkpoint',
  api: 'temporal',
  records: 60,
  args: ['2026-10', 10],
  options: { startToCloseTimeout: '2m', heartbeatTimeout: '5s', retry: { initialInterval: '1s', maximumInterval: '10s' } },
  progress: (details: Checkpoint) => details.offset,
  activity: (world) => async (month: string, pageSize: number) => {
    const info = activityInfo();
    let offset = (info.heartbeatDetails as Checkpoint | undefined)?.offset ?? 0;
    while (offset < world.source.size) {
      const page = await world.source.read(offset, pageSize);
      for (const record of page) {
        await world.sink.put(`export/${month}/${record.key}`, record.amount);
      }
      offset += page.length;
      await getClient().activity.heartbeat(info.taskToken, { offset } satisfies Checkpoint);
    }
    return { exported: offset };
  },
});
