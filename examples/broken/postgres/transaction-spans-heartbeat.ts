/**
 * BROKEN on purpose: the whole job in ONE transaction, heartbeating progress per page inside it.
 * The heartbeats reach the server, the rows do not (not committed). A crash mid-job: the server
 * rolls back everything, and the retry resumes from the last heartbeat, past rows that are gone.
 *
 * Expected verdict: no-skipped-records violated. The fix: one transaction per page, heartbeat
 * after its COMMIT (examples/postgres/statements.ts).
 */
import { activityInfo, heartbeat } from '@temporalio/activity';
import { defineScenario } from 'hbsim';
import { inTransaction, type Progress } from '../../postgres/activities.js';
import { STATEMENTS_SCHEMA } from '../../postgres/schema.js';

export default defineScenario({
  name: 'postgres-transaction-spans-heartbeat',
  api: 'temporal',
  records: 200,
  input: '2026-10',
  database: { schema: STATEMENTS_SCHEMA },
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '30s', retry: { initialInterval: '1s', maximumAttempts: 20 } },
  worker: { maxHeartbeatThrottleInterval: 0 },
  progress: (details: Progress | undefined) => details?.offset ?? 0,
  activity: (world) => async (month: string) => {
    const progress: Progress = { offset: (activityInfo().heartbeatDetails as Progress | undefined)?.offset ?? 0 };
    await inTransaction(world.pg, async (tx) => {
      while (progress.offset < world.source.size) {
        const page = await world.source.read(progress.offset, 50);
        await tx.query(
          `INSERT INTO statements (key, month, amount) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
           ON CONFLICT (key) DO UPDATE SET amount = EXCLUDED.amount`,
          [page.map((r) => r.key), page.map(() => month), page.map((r) => r.amount)],
        );
        progress.offset = page[page.length - 1]!.offset + 1;
        heartbeat(progress); // BUG: the transaction is still open
      }
    });
    return { statements: progress.offset };
  },
});
