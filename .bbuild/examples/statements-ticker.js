/**
 * The seed's batch job (end-of-month statements), native API: a background ticker heartbeats
 * the progress every 5 s; a retry resumes from the offset in the last stored details.
 * Writes are `put`s (overwrites), so redoing a record after a crash is harmless.
 *
 *   npx hbsim check examples/statements-ticker.ts
 */
import { defineScenario, toMs } from 'hbsim';
export default defineScenario({
    name: 'statements-ticker',
    api: 'native',
    records: 5000,
    input: { month: '2026-10' },
    params: { heartbeatEvery: '5s', pageSize: 50 },
    options: {
        scheduleToStartTimeout: '1m',
        startToCloseTimeout: '1h',
        heartbeatTimeout: '30s',
        retry: { initialInterval: '1s', maximumInterval: '10m', maximumAttempts: 10 },
    },
    activity: (world, params) => async (ctx, input) => {
        const state = { offset: 0 };
        if (ctx.hasHeartbeatDetails()) {
            Object.assign(state, ctx.heartbeatDetails());
            ctx.log.info({ state }, 'resuming from a previous state');
        }
        // In the background, every 5 seconds, report where we are up to.
        const ticker = setInterval(() => ctx.heartbeat({ ...state }), toMs(params.heartbeatEvery));
        try {
            while (state.offset < world.source.size) {
                const page = await world.source.read(state.offset, Number(params.pageSize));
                for (const record of page) {
                    await world.sink.put(`statement/${record.key}`, { month: input.month, amount: record.amount });
                    state.offset = record.offset + 1;
                }
            }
            return { statements: state.offset };
        }
        finally {
            clearInterval(ticker);
        }
    },
});
