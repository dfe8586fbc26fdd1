/**
 * The Postgres statements job of examples/postgres/statements.ts, written against the in-memory
 * sink instead (the same paging, the same 500 records, one put per statement row and one for the
 * progress, heartbeat after the page): bench/postgres.ts compares the two.
 */
import { activityInfo, heartbeat } from '@temporalio/activity';
import { defineScenario } from 'hbsim';
import postgres from '../examples/postgres/statements.js';

export default defineScenario({
  ...postgres,
  name: 'sink-statements',
  database: undefined,
  activity: (world, params) => async (month: string) => {
    const progress = { offset: (activityInfo().heartbeatDetails as { offset: number } | undefined)?.offset ?? 0 };
    while (progress.offset < world.source.size) {
      const page = await world.source.read(progress.offset, Number(params.pageSize));
      const next = page[page.length - 1]!.offset + 1;
      for (const r of page) await world.sink.put(`statements/${r.key}`, { month, amount: r.amount });
      await world.sink.put(`job_progress/statements-${month}`, next);
      progress.offset = next;
      heartbeat(progress);
    }
    return { statements: progress.offset };
  },
});
