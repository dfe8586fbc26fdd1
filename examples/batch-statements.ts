/**
 * The seed's batch job (end-of-month statements), native API, written so that its behaviour is
 * exactly the standard checkpoint model: the reference scenario of `hbsim bench`.
 *
 * - `records` N records; each takes exactly `recordTime` d of virtual time, its I/O included:
 *   the world's latencies are zero and the work is a sleep of d, after which the record's
 *   statement is written (an idempotent put).
 * - After each `heartbeatEvery` tau of work (every round(tau / d) records, at least 1) the
 *   activity blocks for `checkpointCost` C (flushing its output; default 0) and then heartbeats
 *   its offset. No heartbeat after the last record: the activity returns instead.
 * - A retry resumes from the offset in its heartbeat details.
 * - The heartbeat (and completion) RPC takes a constant 10 ms round trip (`--rpc-latency`).
 *
 * Two workers poll the task queue, so a crashed worker's restart (`world.restartDelay`, 5 s)
 * never holds back the retry: the other worker takes it. Attempts are unlimited.
 *
 *   npx hbsim bench examples/batch-statements.ts --sweep heartbeatEvery=1s,5s,15s --mtbf 2m --runs 500
 *
 * The seed's own variant (a background ticker) is examples/statements-ticker.ts.
 */
import { defineScenario, toMs } from 'hbsim';

interface Progress {
  offset: number;
}

export default defineScenario({
  name: 'batch-statements',
  api: 'native',
  records: 2000,
  input: { month: '2026-10' },
  params: { recordTime: '50ms', heartbeatEvery: '5s', checkpointCost: 0 },
  options: {
    startToCloseTimeout: '30d',
    heartbeatTimeout: '30s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '100s', maximumAttempts: 0 },
  },
  world: {
    // Records take exactly recordTime; a heartbeat (or the completion) reaches the server 5 ms
    // after the call: a constant RPC latency keeps the analytic model exact.
    latency: { read: 0, put: 0, add: 0, get: 0, rpc: '10ms' },
    workers: 2,
  },
  progress: (details: Progress | undefined) => details?.offset ?? 0,
  activity: (world, params) => {
    const recordTime = toMs(params.recordTime);
    const checkpointCost = toMs(params.checkpointCost);
    const perHeartbeat = Math.max(1, Math.round(toMs(params.heartbeatEvery) / recordTime));
    return async (ctx, input: { month: string }) => {
      let offset = ctx.heartbeatDetails<Progress>()?.offset ?? 0;
      const size = world.source.size;
      while (offset < size) {
        for (const record of await world.source.read(offset, perHeartbeat)) {
          await ctx.sleep(recordTime);
          await world.sink.put(`statement/${record.key}`, { month: input.month, amount: record.amount });
          offset = record.offset + 1;
        }
        if (offset < size) {
          if (checkpointCost > 0) await ctx.sleep(checkpointCost);
          ctx.heartbeat({ offset });
        }
      }
      return { statements: offset };
    };
  },
});
