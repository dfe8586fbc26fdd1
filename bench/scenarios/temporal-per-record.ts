/**
 * The bench's check scenario (issue 10): 150 records, written against @temporalio/activity,
 * heartbeating after every record; a retry resumes from `activityInfo().heartbeatDetails`.
 */
import { activityInfo, heartbeat } from '@temporalio/activity';
import { defineScenario } from 'hbsim';

export default defineScenario({
  name: 'temporal-per-record',
  api: 'temporal',
  records: 150,
  input: { month: '2026-10' },
  params: { pageSize: 50 },
  options: {
    scheduleToStartTimeout: '1m',
    startToCloseTimeout: '1h',
    heartbeatTimeout: '30s',
    retry: { initialInterval: '1s', maximumInterval: '10m', maximumAttempts: 10 },
  },
  activity: (world, params) => async (input: { month: string }) => {
    let offset = (activityInfo().heartbeatDetails as { offset: number } | undefined)?.offset ?? 0;
    while (offset < world.source.size) {
      const page = await world.source.read(offset, Number(params.pageSize));
      for (const record of page) {
        await world.sink.put(`statement/${record.key}`, { month: input.month, amount: record.amount });
        offset = record.offset + 1;
        heartbeat({ offset });
      }
    }
    return { statements: offset };
  },
});
