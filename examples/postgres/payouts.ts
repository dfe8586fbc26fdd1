/**
 * examples/postgres/payouts-activities.ts, unmodified, with both its dependencies simulated:
 * `world.pg` as its pool, and its fetch-based HTTP client served by a fake bank (the scenario's
 * `services.bank`: a fresh fake per run, its transfers compared with the fault-free run's).
 *
 *   npx hbsim check examples/postgres/payouts.ts
 *
 * Expected verdict: every property holds (the bank dedupes on the Idempotency-Key).
 */
import { defineScenario } from 'hbsim';
import { createActivities, fetchClient } from './payouts-activities.js';

/** The fake bank: one transfer per Idempotency-Key. */
export class FakeBank {
  readonly transfers = new Map<string, { id: string; account: string; amount: number }>();
  transfer(key: string, body: { account: string; amount: number }): { id: string } {
    let t = this.transfers.get(key);
    if (t === undefined) {
      t = { id: `tr-${this.transfers.size + 1}`, account: body.account, amount: body.amount };
      this.transfers.set(key, t);
    }
    return { id: t.id };
  }
}

export default defineScenario({
  name: 'postgres-payouts',
  api: 'temporal',
  records: 0,
  database: {
    schema: 'CREATE TABLE payouts (id int PRIMARY KEY, account text NOT NULL, amount bigint NOT NULL, transfer_id text)',
    seed: "INSERT INTO payouts (id, account, amount) SELECT i, 'acc-' || (i % 7), 100 * i FROM generate_series(1, 30) AS i",
  },
  services: {
    bank: {
      create: () => new FakeBank(),
      snapshot: (bank) => bank.transfers,
      routes: {
        'POST https://bank.test/transfers': (bank, req) => {
          const key = req.headers['idempotency-key'];
          if (key === undefined) return { status: 400, body: { error: 'Idempotency-Key required' } };
          return { status: 201, body: bank.transfer(key, req.body as { account: string; amount: number }) };
        },
      },
    },
  },
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 20 } },
  progress: (details: number | undefined) => details ?? 0,
  activity: (world) => createActivities({ pool: world.pg, http: fetchClient('https://bank.test') }).payOutPending,
});
