/**
 * Broken: the activity resumes from the offset in its heartbeat details, but computes the total
 * it returns only from the records this attempt processed. After a retry the total misses every
 * record the earlier attempts did: the sink is right, the return value the workflow sees is not.
 * The fix is in `examples/total-in-details.ts`: keep the running total in the details.
 *
 * Expected verdict: `result` is violated; every other property holds.
 */
import { defineScenario } from 'hbsim';

export default defineScenario({
  name: 'total-from-last-attempt',
  api: 'native',
  records: 200,
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 10 } },
  progress: (details: number | undefined) => details ?? 0,
  activity: (world) => async (ctx) => {
    let offset = ctx.heartbeatDetails<number>() ?? 0;
    let total = 0; // BUG: starts from 0 on every attempt, not from what earlier attempts summed
    while (offset < world.source.size) {
      for (const record of await world.source.read(offset, 20)) {
        await world.sink.put(`statement/${record.key}`, record.amount);
        offset = record.offset + 1;
        total += record.amount;
        ctx.heartbeat(offset);
      }
    }
    return { records: offset, total };
  },
});
