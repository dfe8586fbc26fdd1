/**
 * `npm run bench`, the Postgres row: a 200-run `check` of examples/postgres/statements.ts (500
 * records, a real Postgres per worker thread) next to the same job on the in-memory sink
 * (bench/statements-sink.ts), both as `hbsim check` runs them (a pool of worker threads, one per
 * core, engine start-up included), wall time and runs per second; then, in this thread, where the
 * time of one Postgres run goes (engine start-up, reset, the run, reading the tables back).
 *
 *   HBSIM_BENCH_PG_RUNS (200), HBSIM_BENCH_PG_WORKERS (cores)
 *
 * Writes reports/bench-postgres.json.
 */
import { availableParallelism } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { normalizeScenario } from '../src/scenario.js';
import { runCheck } from '../properties/check.js';
import { PoolEvaluator } from '../properties/pool.js';
import { runScenario } from '../sim/simulate.js';
import { threadEngine } from '../sim/services/pglite-engine.js';

const RUNS = Number(process.env['HBSIM_BENCH_PG_RUNS'] ?? 200);
const WORKERS = Number(process.env['HBSIM_BENCH_PG_WORKERS'] ?? availableParallelism());
const TARGET_S = 30;

async function check(file: string): Promise<{ seconds: number; simulated: number; ok: boolean }> {
  const path = fileURLToPath(new URL(file, import.meta.url));
  const scenario = normalizeScenario((await import(path)).default);
  const t0 = performance.now();
  const evaluator = new PoolEvaluator({ file: path, baseSeed: 1, workers: WORKERS, timeoutMs: 300_000 });
  try {
    const report = await runCheck(scenario, { seed: 1, runs: RUNS, evaluator });
    return { seconds: (performance.now() - t0) / 1000, simulated: report.simulated, ok: report.ok };
  } finally {
    await evaluator.close();
  }
}

const pg = await check('../examples/postgres/statements.ts');
const sink = await check('./statements-sink.ts');

// Where the time goes, in this thread.
const scenario = normalizeScenario((await import('../examples/postgres/statements.js')).default);
let t = performance.now();
const engine = await threadEngine();
const startMs = performance.now() - t;
const N = 20;
t = performance.now();
for (let i = 0; i < N; i++) await engine.reset(scenario.database!, i);
const resetMs = (performance.now() - t) / N;
t = performance.now();
for (let i = 0; i < N; i++) await engine.snapshot();
const snapshotMs = (performance.now() - t) / N;
t = performance.now();
let statements = 0;
for (let i = 0; i < N; i++) statements = (await runScenario(scenario, { seed: i, trace: 'lean' })).counts.effects;
const runMs = (performance.now() - t) / N;
t = performance.now();
await engine.db.query('SELECT 1');
for (let i = 0; i < 200; i++) await engine.db.query('SELECT 1');
const bareStatementMs = (performance.now() - t) / 200;

const out = {
  runs: RUNS,
  workers: WORKERS,
  node: process.version,
  postgres: { seconds: +pg.seconds.toFixed(1), simulated: pg.simulated, runsPerSecond: +(pg.simulated / pg.seconds).toFixed(1), verdict: pg.ok ? 'all hold' : 'violated', meetsTarget: pg.seconds < TARGET_S },
  sink: { seconds: +sink.seconds.toFixed(1), simulated: sink.simulated, runsPerSecond: +(sink.simulated / sink.seconds).toFixed(1), verdict: sink.ok ? 'all hold' : 'violated' },
  perRun: { engineStartMs: Math.round(startMs), resetMs: +resetMs.toFixed(1), runMs: +runMs.toFixed(1), snapshotMs: +snapshotMs.toFixed(1), statementsPerRun: statements, bareStatementMs: +bareStatementMs.toFixed(2) },
};
console.log(`postgres statements example (500 records): hbsim check --runs ${RUNS} on ${WORKERS} worker thread(s), engine start-up included`);
console.log(`  postgres: ${out.postgres.seconds} s, ${out.postgres.simulated} runs simulated, ${out.postgres.runsPerSecond} runs/s (${out.postgres.verdict}); target < ${TARGET_S} s: ${out.postgres.meetsTarget ? 'met' : 'not met'}`);
console.log(`  same job on the in-memory sink: ${out.sink.seconds} s, ${out.sink.simulated} runs, ${out.sink.runsPerSecond} runs/s`);
console.log(`  where the time goes (one thread): engine start-up ${out.perRun.engineStartMs} ms once per thread; per run: reset ${out.perRun.resetMs} ms + run ${out.perRun.runMs} ms (reset and table read-back included; ${statements} statements, a bare SELECT 1 costs ${out.perRun.bareStatementMs} ms) , table read-back ${out.perRun.snapshotMs} ms`);
mkdirSync('reports', { recursive: true });
writeFileSync('reports/bench-postgres.json', JSON.stringify(out, null, 2) + '\n');
