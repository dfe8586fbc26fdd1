/**
 * BROKEN on purpose: the statements job with a plain `INSERT` (no ON CONFLICT). A page redone
 * after a crash between COMMIT and the heartbeat hits the rows the crashed attempt committed:
 * `23505 duplicate key value violates unique constraint`, on every retry: the job never finishes.
 *
 * Expected verdict: completes violated. The fix: examples/postgres/statements.ts (upsert).
 */
import { activityInfo, heartbeat } from '@temporalio/activity';
import { defineScenario } from 'hbsim';
import { inTransaction, type Progress } from '../../postgres/activities.js';
import { STATEMENTS_SCHEMA } from '../../postgres/schema.js';

export default defineScenario({
  name: 'postgres-insert-without-on-conflict',
  api: 'temporal',
  records: 200,
  input: '2026-10',
  database: { schema: STATEMENTS_SCHEMA },
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '30s', retry: { initialInterval: '1s', maximumAttempts: 5 } },
  progress: (details: Progress | undefined) => details?.offset ?? 0,
  activity: (world) => async (month: string) => {
    const progress: Progress = { offset: (activityInfo().heartbeatDetails as Progress | undefined)?.offset ?? 0 };
    while (progress.offset < world.source.size) {
      const page = await world.source.read(progress.offset, 50);
      await inTransaction(world.pg, (tx) =>
        tx.query(
          'INSERT INTO statements (key, month, amount) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])', // BUG: no ON CONFLICT
          [page.map((r) => r.key), page.map(() => month), page.map((r) => r.amount)],
        ),
      );
      progress.offset = page[page.length - 1]!.offset + 1;
      heartbeat(progress);
    }
    return { statements: progress.offset };
  },
});
