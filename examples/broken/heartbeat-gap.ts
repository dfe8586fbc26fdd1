/**
 * BROKEN on purpose: the job heartbeats every 80 records (40 s of work) while its heartbeat
 * timeout is 30 s. The server times out every attempt before its first heartbeat, so no progress
 * is ever stored and the retries give up.
 *
 * Expected verdict: completes violated (even without faults).
 */
import { defineScenario } from 'hbsim';

export default defineScenario({
  name: 'heartbeat-gap',
  api: 'native',
  records: 200,
  params: { recordTime: '500ms', heartbeatEveryRecords: 80 },
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '30s', retry: { initialInterval: '1s', maximumAttempts: 5 } },
  world: { latency: { read: 0, put: 0 } },
  activity: (world, params) => async (ctx) => {
    let offset = ctx.heartbeatDetails<number>() ?? 0;
    while (offset < world.source.size) {
      const page = await world.source.read(offset, 20);
      for (const record of page) {
        await ctx.sleep(String(params.recordTime));
        await world.sink.put(`statement/${record.key}`, record.amount);
        offset = record.offset + 1;
        if (offset % Number(params.heartbeatEveryRecords) === 0) ctx.heartbeat(offset); // BUG: a 40 s gap, timeout 30 s
      }
    }
    return offset;
  },
});
