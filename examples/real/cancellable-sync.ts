/**
 * A cancellation-aware loop: it heartbeats after every record (so a cancel request reaches it,
 * C1), sleeps through the activity's `sleep()` (which rejects with CancelledFailure on
 * cancellation), logs and rethrows on cancellation (reported as canceled), and resumes from the
 * last stored offset after a crash. Ledger entries are increments made idempotent by a key per
 * record.
 *
 * Expected verdict: every property holds.
 *
 *   npx hbsim check examples/real/cancellable-sync.ts
 */
import { activityInfo, CancelledFailure, heartbeat, log, sleep } from '@temporalio/activity';
import { defineScenario } from 'hbsim';

export default defineScenario({
  name: 'cancellable-sync',
  api: 'temporal',
  records: 60,
  args: ['acct-42', 150],
  options: { startToCloseTimeout: '2m', heartbeatTimeout: '3s', retry: { initialInterval: '1s', maximumInterval: '10s' } },
  progress: (details: number) => details,
  activity: (world) => async (account: string, pauseMs: number) => {
    let offset: number = activityInfo().heartbeatDetails ?? 0;
    try {
      while (offset < world.source.size) {
        const [record] = await world.source.read(offset, 1);
        await world.sink.add(`ledger/${account}`, record!.amount, { idempotencyKey: `${account}/${record!.key}` });
        offset = record!.offset + 1;
        heartbeat(offset);
        await sleep(pauseMs);
      }
      return { synced: offset };
    } catch (err) {
      if (err instanceof CancelledFailure) log.warn('sync cancelled', { account, offset, reason: err.message });
      throw err;
    }
  },
});
