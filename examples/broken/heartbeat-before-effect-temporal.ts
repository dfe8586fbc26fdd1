/**
 * BROKEN on purpose, written against @temporalio/activity: the same bug as
 * heartbeat-before-effect.ts. The progress is heartbeated before the write it stands for, so a
 * retry can resume past a record that was never written.
 *
 * Expected verdict: no-skipped-records violated.
 */
import { activityInfo, heartbeat } from '@temporalio/activity';
import { defineScenario } from 'hbsim';

export default defineScenario({
  name: 'heartbeat-before-effect-temporal',
  api: 'temporal',
  records: 200,
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 10 } },
  progress: (details) => Number(details ?? 0),
  activity: (world) => async () => {
    let offset = (activityInfo().heartbeatDetails as number | undefined) ?? 0;
    while (offset < world.source.size) {
      const page = await world.source.read(offset, 20);
      for (const record of page) {
        heartbeat(record.offset + 1); // BUG: progress reported before the write below
        await world.sink.put(`statement/${record.key}`, record.amount);
      }
      offset += page.length;
    }
    return offset;
  },
});
