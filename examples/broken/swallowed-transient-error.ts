/**
 * BROKEN on purpose: a failed write is logged and counted as done. When the sink has a
 * transient error, the record is skipped for good.
 *
 * Expected verdict: no-skipped-records violated. The fix: let the error propagate (the retry
 * policy retries the attempt, which resumes from the last heartbeat), or retry the call.
 */
import { defineScenario } from 'hbsim';

export default defineScenario({
  name: 'swallowed-transient-error',
  api: 'native',
  records: 200,
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 10 } },
  activity: (world) => async (ctx) => {
    let offset = ctx.heartbeatDetails<number>() ?? 0;
    while (offset < world.source.size) {
      const page = await world.source.read(offset, 20);
      for (const record of page) {
        try {
          await world.sink.put(`statement/${record.key}`, record.amount);
        } catch (error) {
          ctx.log.warn({ err: error, key: record.key }, 'write failed, moving on'); // BUG: counted as done
        }
        offset = record.offset + 1;
        ctx.heartbeat(offset);
      }
    }
    return offset;
  },
});
