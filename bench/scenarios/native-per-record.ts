/**
 * The bench's heartbeat-heavy scenario (issue 10): the seed's batch job, native API, with a
 * heartbeat after every record instead of a ticker; default (realistic) world latencies.
 */
import { defineScenario } from 'hbsim';

export default defineScenario({
  name: 'native-per-record',
  api: 'native',
  records: 150,
  input: { month: '2026-10' },
  params: { pageSize: 50 },
  options: {
    scheduleToStartTimeout: '1m',
    startToCloseTimeout: '1d',
    heartbeatTimeout: '30s',
    retry: { initialInterval: '1s', maximumInterval: '10m', maximumAttempts: 10 },
  },
  activity: (world, params) => async (ctx, input: { month: string }) => {
    let offset = ctx.hasHeartbeatDetails() ? (ctx.heartbeatDetails<{ offset: number }>()?.offset ?? 0) : 0;
    while (offset < world.source.size) {
      const page = await world.source.read(offset, Number(params.pageSize));
      for (const record of page) {
        await world.sink.put(`statement/${record.key}`, { month: input.month, amount: record.amount });
        offset = record.offset + 1;
        ctx.heartbeat({ offset });
      }
    }
    return { statements: offset };
  },
});
