/**
 * BROKEN on purpose: the activity heartbeats `{ offset }` but reads its details back as a plain
 * number, so every retry restarts from 0 and the stored progress goes backwards. With idempotent
 * puts the data ends up right, but every crash redoes all the work.
 *
 * Expected verdict: progress-monotonic violated.
 */
import { defineScenario } from 'hbsim';

export default defineScenario({
  name: 'restarts-from-zero',
  api: 'native',
  records: 200,
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 10 } },
  progress: (details: { offset?: number } | undefined) => details?.offset ?? 0,
  activity: (world) => async (ctx) => {
    const saved = ctx.heartbeatDetails<unknown>();
    let offset = typeof saved === 'number' ? saved : 0; // BUG: the details are { offset }, not a number
    while (offset < world.source.size) {
      const page = await world.source.read(offset, 20);
      for (const record of page) {
        await world.sink.put(`statement/${record.key}`, record.amount);
        offset = record.offset + 1;
        ctx.heartbeat({ offset });
      }
    }
    return offset;
  },
});
