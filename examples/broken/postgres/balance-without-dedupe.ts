/**
 * BROKEN on purpose: `UPDATE accounts SET balance = balance + $1` for each record, committed per
 * page, the offset heartbeated after COMMIT, and no dedupe table. A crash after COMMIT but before
 * the heartbeat reaches the server makes the retry apply the page again: balances are
 * double-counted.
 *
 * Expected verdict: idempotent violated, naming the account row, the balance column and the
 * UPDATEs of both attempts. The fix: examples/postgres/balances.ts.
 */
import { activityInfo, heartbeat } from '@temporalio/activity';
import { defineScenario } from 'hbsim';
import { inTransaction } from '../../postgres/activities.js';
import { BALANCES_SCHEMA, BALANCES_SEED } from '../../postgres/balances.js';

export default defineScenario({
  name: 'postgres-balance-without-dedupe',
  api: 'temporal',
  records: 200,
  database: { schema: BALANCES_SCHEMA, seed: BALANCES_SEED },
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 20 } },
  progress: (details: number | undefined) => details ?? 0,
  activity: (world) => async () => {
    const pool = world.pg;
    let offset = (activityInfo().heartbeatDetails as number | undefined) ?? 0;
    while (offset < world.source.size) {
      const page = await world.source.read(offset, 20);
      await inTransaction(pool, async (tx) => {
        for (const r of page) {
          await tx.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [r.amount, `acc-${r.offset % 10}`]); // BUG: redone on retry
        }
      });
      offset = page[page.length - 1]!.offset + 1;
      heartbeat(offset);
    }
    return offset;
  },
});
