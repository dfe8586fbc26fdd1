/**
 * Correct: per-account totals kept with `sink.add`, each add carrying the record's key as its
 * idempotency key, so that redoing records after a retry is a no-op.
 *
 * Expected verdict: every property holds.
 */
import { defineScenario } from 'hbsim';

export default defineScenario({
  name: 'add-with-idempotency-key',
  api: 'native',
  records: 200,
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 10 } },
  progress: (details) => Number(details ?? 0),
  activity: (world) => async (ctx) => {
    let offset = ctx.heartbeatDetails<number>() ?? 0;
    while (offset < world.source.size) {
      const page = await world.source.read(offset, 20);
      for (const record of page) {
        await world.sink.add(`total/account-${record.offset % 10}`, record.amount, { idempotencyKey: record.key });
        offset = record.offset + 1;
        ctx.heartbeat(offset);
      }
    }
    return offset;
  },
});
