/**
 * BROKEN on purpose: the activity heartbeats a record's offset *before* the record is written.
 * If the worker dies while the write is in flight, the server already holds the new offset and
 * the retry resumes past a record that was never written.
 *
 * Expected verdict: no-skipped-records violated.
 */
import { defineScenario } from 'hbsim';

export default defineScenario({
  name: 'heartbeat-before-effect',
  api: 'native',
  records: 200,
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 10 } },
  progress: (details) => Number(details ?? 0),
  activity: (world) => async (ctx) => {
    let offset = ctx.heartbeatDetails<number>() ?? 0;
    while (offset < world.source.size) {
      const page = await world.source.read(offset, 20);
      for (const record of page) {
        ctx.heartbeat(record.offset + 1); // BUG: progress reported before the write below
        await world.sink.put(`statement/${record.key}`, record.amount);
      }
      offset += page.length;
    }
    return offset;
  },
});
