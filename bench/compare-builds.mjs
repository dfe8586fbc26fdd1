/**
 * Old code against new, side by side: two checkouts of hbsim (each built: `npm run build`),
 * measured alternately in fresh processes, CPU time of the whole process (all threads) per unit:
 *
 *   - fixed: the CPU time of one simulate() of a 1-record scenario (2,000 runs after 50 warm-up runs)
 *   - pool:  the CPU (and wall) time per case of the pool (1 worker; W=2 for 2) evaluating 1,000
 *            cases of bench/scenarios/temporal-per-record.ts drawn as the search draws them
 *
 *   node bench/compare-builds.mjs <old-checkout> <new-checkout> [pairs=3]
 *
 * Ratios measured this way hold on a loaded machine, where absolute timings do not.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [, self, oldRoot, newRoot, pairsArg, mode, root] = process.argv;

if (mode === '--fixed') {
  const { normalizeScenario } = await import(`${root}/dist/src/scenario.js`);
  const { runScenario } = await import(`${root}/dist/sim/simulate.js`);
  const one = normalizeScenario({
    name: 'one', api: 'native', records: 1, params: {}, options: { startToCloseTimeout: '1d', heartbeatTimeout: '30s' },
    activity: (world) => async (ctx) => {
      let offset = 0;
      while (offset < world.source.size) {
        for (const r of await world.source.read(offset, 50)) {
          await world.sink.put(`statement/${r.key}`, { month: '2026-10', amount: r.amount });
          offset = r.offset + 1;
          ctx.heartbeat({ offset });
        }
      }
      return offset;
    },
  });
  for (let i = 0; i < 50; i++) await runScenario(one, { seed: i, trace: 'lean' });
  const c0 = process.cpuUsage();
  for (let i = 0; i < 2000; i++) await runScenario(one, { seed: i, trace: 'lean' });
  const c = process.cpuUsage(c0);
  console.log(JSON.stringify({ cpuMsPerRun: (c.user + c.system) / 1000 / 2000 }));
  process.exit(0);
}
if (mode === '--pool') {
  const fc = (await import(`${root}/node_modules/fast-check/lib/fast-check.js`)).default;
  const { importScenarioModule } = await import(`${root}/dist/src/load-scenario.js`);
  const { normalizeScenario } = await import(`${root}/dist/src/scenario.js`);
  const { runScenario } = await import(`${root}/dist/sim/simulate.js`);
  const { rechecksDeterminism, caseKey } = await import(`${root}/dist/properties/case-runner.js`);
  const { PoolEvaluator } = await import(`${root}/dist/properties/pool.js`);
  const { planSpaceOf, searchCaseArbitrary } = await import(`${root}/dist/properties/arbitraries/fault-plan.js`);
  // The checkout's own copy if it has one (its `hbsim` import then resolves to that checkout).
  const own = `${root}/bench/scenarios/temporal-per-record.ts`;
  const file = existsSync(own) ? own : fileURLToPath(new URL('./scenarios/temporal-per-record.ts', import.meta.url));
  const s = normalizeScenario(await importScenarioModule(file));
  const ref = await runScenario(s, { seed: 1, inspectDetails: true });
  const N = 1000;
  const cases = fc.sample(searchCaseArbitrary(planSpaceOf(s, ref), 3), { seed: 1, numRuns: N }).map((c) => ({ c, rerun: rechecksDeterminism(caseKey(c), 4) }));
  const pool = new PoolEvaluator({ file, baseSeed: 1, workers: Number(process.env['W'] ?? 1), timeoutMs: 600_000 });
  await pool.evaluateAll(cases.slice(0, 64));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await pool.evaluateAll(cases);
  const c = process.cpuUsage(c0);
  console.log(JSON.stringify({ cpuMsPerCase: (c.user + c.system) / 1000 / N, wallMsPerCase: (performance.now() - t0) / N }));
  await pool.close();
  process.exit(0);
}

if (oldRoot === undefined || newRoot === undefined) {
  console.error('usage: node bench/compare-builds.mjs <old-checkout> <new-checkout> [pairs]');
  process.exit(2);
}
const pairs = Number(pairsArg ?? 3);
const measure = (what, root) => {
  const r = spawnSync(process.execPath, [self, oldRoot, newRoot, '0', what, root], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
};
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const what of ['--fixed', '--pool']) {
  const rows = { old: [], new: [] };
  for (let i = 0; i < pairs; i++) {
    rows.old.push(measure(what, oldRoot));
    rows.new.push(measure(what, newRoot));
  }
  const key = what === '--fixed' ? 'cpuMsPerRun' : 'cpuMsPerCase';
  const o = median(rows.old.map((x) => x[key]));
  const n = median(rows.new.map((x) => x[key]));
  console.log(`${what.slice(2)}: ${key} old ${o.toFixed(3)} (${rows.old.map((x) => x[key].toFixed(3)).join(', ')}), new ${n.toFixed(3)} (${rows.new.map((x) => x[key].toFixed(3)).join(', ')}): ${(o / n).toFixed(2)}x less CPU`);
  if (what === '--pool') console.log(`pool: wallMsPerCase old ${median(rows.old.map((x) => x.wallMsPerCase)).toFixed(2)}, new ${median(rows.new.map((x) => x.wallMsPerCase)).toFixed(2)}`);
}
