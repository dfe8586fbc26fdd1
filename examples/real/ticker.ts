/**
 * A ticker: the loop only updates its cursor; a `setInterval` heartbeats a copy of it every 2 s
 * and is cleared in `finally`. The cursor moves past a record only after its write returned, so
 * a resumed attempt rewrites at most the records since the last tick (puts: idempotent).
 *
 * Expected verdict: every property holds.
 *
 *   npx hbsim check examples/real/ticker.ts
 */
import { activityInfo, heartbeat } from '@temporalio/activity';
import { defineScenario, toMs } from 'hbsim';

export default defineScenario({
  name: 'ticker',
  api: 'temporal',
  records: 300,
  args: ['search-index-v2'],
  params: { tick: '2s' },
  options: { startToCloseTimeout: '5m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumInterval: '30s' } },
  progress: (details: { cursor: number }) => details.cursor,
  activity: (world, params) => async (index: string) => {
    const state = { cursor: (activityInfo().heartbeatDetails as { cursor: number } | undefined)?.cursor ?? 0 };
    const ticker = setInterval(() => heartbeat({ ...state }), toMs(params.tick));
    try {
      while (state.cursor < world.source.size) {
        const page = await world.source.read(state.cursor, 25);
        for (const record of page) {
          await world.sink.put(`${index}/${record.key}`, { amount: record.amount });
          state.cursor = record.offset + 1;
        }
      }
      return state.cursor;
    } finally {
      clearInterval(ticker);
    }
  },
});
