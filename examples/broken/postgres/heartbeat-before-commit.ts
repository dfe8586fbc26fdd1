/**
 * BROKEN on purpose: the statements job heartbeats the next offset inside the transaction,
 * before COMMIT. A crash after that heartbeat reached the server but before COMMIT: the server
 * rolls the transaction back, and the retry resumes past the page it never committed.
 *
 * Expected verdict: no-skipped-records violated, naming the missing statement rows and the
 * rolled-back INSERT. The fix: examples/postgres/statements.ts (heartbeat after COMMIT).
 */
import { activityInfo, heartbeat } from '@temporalio/activity';
import { defineScenario } from 'hbsim';
import { inTransaction, type Progress } from '../../postgres/activities.js';
import { STATEMENTS_SCHEMA } from '../../postgres/schema.js';

export default defineScenario({
  name: 'postgres-heartbeat-before-commit',
  api: 'temporal',
  records: 200,
  input: '2026-10',
  database: { schema: STATEMENTS_SCHEMA },
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '30s', retry: { initialInterval: '1s', maximumAttempts: 20 } },
  progress: (details: Progress | undefined) => details?.offset ?? 0,
  activity: (world) => async (month: string) => {
    const progress: Progress = { offset: (activityInfo().heartbeatDetails as Progress | undefined)?.offset ?? 0 };
    while (progress.offset < world.source.size) {
      const page = await world.source.read(progress.offset, 50);
      const next = page[page.length - 1]!.offset + 1;
      await inTransaction(world.pg, async (tx) => {
        await tx.query(
          `INSERT INTO statements (key, month, amount) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
           ON CONFLICT (key) DO UPDATE SET amount = EXCLUDED.amount`,
          [page.map((r) => r.key), page.map(() => month), page.map((r) => r.amount)],
        );
        heartbeat({ offset: next }); // BUG: progress reported before COMMIT
      });
      progress.offset = next;
    }
    return { statements: progress.offset };
  },
});
