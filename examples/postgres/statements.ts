/**
 * The statements job of examples/postgres/activities.ts, unmodified, against a real Postgres
 * (PGlite) inside the simulation: `world.pg` is handed to the activity factory as its pool.
 *
 *   npx hbsim check examples/postgres/statements.ts
 *
 * Expected verdict: every property holds.
 */
import { defineScenario } from 'hbsim';
import { createActivities } from './activities.js';
import { STATEMENTS_SCHEMA } from './schema.js';

export default defineScenario({
  name: 'postgres-statements',
  api: 'temporal',
  records: 500,
  input: '2026-10',
  params: { pageSize: 50 },
  database: { schema: STATEMENTS_SCHEMA },
  options: {
    startToCloseTimeout: '10m',
    heartbeatTimeout: '30s',
    retry: { initialInterval: '1s', maximumInterval: '1m', maximumAttempts: 20 },
  },
  progress: (details: { offset: number } | undefined) => details?.offset ?? 0,
  activity: (world, params) => createActivities({ pool: world.pg, ledger: world.source, pageSize: Number(params.pageSize) }).generateStatements,
});
