/**
 * The same batch job written against @temporalio/activity 1.24, unmodified: progress comes
 * from `activityInfo().heartbeatDetails`, a ticker calls `heartbeat()` every 5 s.
 *
 *   npx hbsim check examples/statements-temporal.ts
 */
import { activityInfo, heartbeat, log } from '@temporalio/activity';
import { defineScenario, toMs } from 'hbsim';
export default defineScenario({
    name: 'statements-temporal',
    api: 'temporal',
    records: 5000,
    input: { month: '2026-10' },
    params: { heartbeatEvery: '5s', pageSize: 50 },
    options: {
        scheduleToStartTimeout: '1m',
        startToCloseTimeout: '1h',
        heartbeatTimeout: '30s',
        retry: { initialInterval: '1s', maximumInterval: '10m', maximumAttempts: 10 },
    },
    activity: (world, params) => async (input) => {
        const resumed = activityInfo().heartbeatDetails;
        const state = { offset: resumed?.offset ?? 0 };
        if (resumed)
            log.info('resuming from a previous state', { offset: state.offset });
        const ticker = setInterval(() => heartbeat({ ...state }), toMs(params.heartbeatEvery));
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
