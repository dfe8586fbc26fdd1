/**
 * BROKEN on purpose: per-account totals kept with `sink.add` (an increment), resumed from the
 * offset in the heartbeat details. A crash after an add but before the next heartbeat reaches
 * the server makes the retry add the same records again: totals are double-counted.
 *
 * Expected verdict: idempotent violated. The fix: examples/add-with-idempotency-key.ts.
 */
import { defineScenario } from 'hbsim';

export default defineScenario({
  name: 'add-without-idempotency-key',
  api: 'native',
  records: 200,
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 10 } },
  progress: (details) => Number(details ?? 0),
  activity: (world) => async (ctx) => {
    let offset = ctx.heartbeatDetails<number>() ?? 0;
    while (offset < world.source.size) {
      const page = await world.source.read(offset, 20);
      for (const record of page) {
        await world.sink.add(`total/account-${record.offset % 10}`, record.amount); // BUG: not idempotent
        offset = record.offset + 1;
        ctx.heartbeat(offset);
      }
    }
    return offset;
  },
});
