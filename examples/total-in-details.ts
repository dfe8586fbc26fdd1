/**
 * Correct: the activity returns the number of records and the sum of their amounts. The running
 * total travels in the heartbeat details next to the offset, so a retry resumes both and returns
 * what a run without faults returns.
 *
 * Expected verdict: every property holds (`result` included).
 */
import { defineScenario } from 'hbsim';

interface Progress {
  readonly offset: number;
  readonly total: number;
}

export default defineScenario({
  name: 'total-in-details',
  api: 'native',
  records: 200,
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 10 } },
  progress: (details: Progress | undefined) => details?.offset ?? 0,
  activity: (world) => async (ctx) => {
    let { offset, total } = ctx.heartbeatDetails<Progress>() ?? { offset: 0, total: 0 };
    while (offset < world.source.size) {
      for (const record of await world.source.read(offset, 20)) {
        await world.sink.put(`statement/${record.key}`, record.amount);
        offset = record.offset + 1;
        total += record.amount;
        ctx.heartbeat({ offset, total });
      }
    }
    return { records: offset, total };
  },
});
