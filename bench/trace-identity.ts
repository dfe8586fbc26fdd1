/**
 * Proof that a speed-up changed nothing about a run: simulates many cases (every example, broken
 * ones included, and the bench scenarios; fault plans drawn by the search's own arbitrary; lean
 * and full traces) and the verdicts of `check` (in this thread and through the worker pool), and
 * writes one line per case: digest, outcome, counts, attempts, a hash of the sink and a hash of
 * the formatted full trace. Run it on the old code and on the new, and compare the files:
 *
 *   npx tsx bench/trace-identity.ts > /tmp/old.txt   (on the old commit)
 *   npx tsx bench/trace-identity.ts > /tmp/new.txt && cmp /tmp/old.txt /tmp/new.txt
 *
 *   HBSIM_IDENTITY_CASES (per scenario, default 40), HBSIM_IDENTITY_CHECK=0 to skip the checks.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { importScenarioModule } from '../src/load-scenario.js';
import { normalizeScenario } from '../src/scenario.js';
import { runScenario } from '../sim/simulate.js';
import { formatEvent } from '../sim/trace.js';
import type { SimulationResult } from '../sim/simulation.js';
import { planSpaceOf, searchCaseArbitrary } from '../properties/arbitraries/fault-plan.js';
import { runCheck } from '../properties/check.js';
import { PoolEvaluator } from '../properties/pool.js';

const CASES = Number(process.env['HBSIM_IDENTITY_CASES'] ?? 40);
const files = [
  ...readdirSync('examples').filter((f) => f.endsWith('.ts')).map((f) => `examples/${f}`),
  // uses-math-random is nondeterministic on purpose (the deterministic checker must catch it).
  ...readdirSync('examples/broken').filter((f) => f.endsWith('.ts') && f !== 'uses-math-random.ts').map((f) => `examples/broken/${f}`),
  ...readdirSync('bench/scenarios').filter((f) => f.endsWith('.ts')).map((f) => `bench/scenarios/${f}`),
].sort();

const h = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);
const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x instanceof Map ? [...x] : typeof x === 'bigint' ? `${x}n` : x === undefined ? '(undefined)' : x));
function line(r: SimulationResult, full: boolean): string {
  const parts = [r.digest, json(r.outcome), json(r.counts), json(r.attempts), `sink ${r.sink.size} ${h(json([...r.sink]))}`, `end ${r.endedAt}`, `warn ${h(json(r.warnings))}`];
  if (full) parts.push(`trace ${r.trace.length} ${h(r.trace.map(formatEvent).join('\n'))}`);
  return parts.join(' | ');
}

for (const file of files) {
  const scenario = normalizeScenario(await importScenarioModule(file));
  // Keep big examples small enough for a quick comparison.
  const small = scenario.records > 1000 ? normalizeScenario({ ...((await importScenarioModule(file)) as object), records: 1000 }) : scenario;
  const reference = await runScenario(small, { seed: 7, inspectDetails: true, callLog: true });
  console.log(`${file} reference: ${line(reference, true)}`);
  const cases = fc.sample(searchCaseArbitrary(planSpaceOf(small, reference), 3), { seed: 11, numRuns: CASES });
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i]!;
    const seed = 7 + c.world;
    const full = i % 4 === 0;
    const r = await runScenario(small, { seed, faults: c.plan, inspectDetails: i % 2 === 0, trace: full ? 'full' : 'lean' });
    console.log(`${file} #${i} ${json(c.plan)}: ${line(r, full)}`);
  }
}

if (process.env['HBSIM_IDENTITY_CHECK'] !== '0') {
  const checked = ['examples/broken/add-without-idempotency-key.ts', 'examples/broken/heartbeat-gap.ts', 'examples/broken/heartbeat-before-effect-temporal.ts', 'examples/add-with-idempotency-key.ts', 'bench/scenarios/temporal-per-record.ts'];
  for (const file of checked) {
    const scenario = normalizeScenario(await importScenarioModule(file));
    for (const where of ['local', 'pool'] as const) {
      const evaluator = where === 'pool' ? new PoolEvaluator({ file: resolve(file), baseSeed: 3, workers: 2, timeoutMs: 60_000 }) : undefined;
      try {
        const report = await runCheck(scenario, { seed: 3, runs: 60, ...(evaluator ? { evaluator } : {}) });
        const verdicts = report.properties.map((p) => ({ name: p.name, ok: p.ok, runs: p.runs, path: p.path, worldSeed: p.worldSeed, plan: p.plan, summary: p.violation?.summary, shrinks: p.shrinks, digest: p.result?.digest }));
        console.log(`check ${file} (${where}): simulated ${report.simulated} ${json(verdicts)}`);
      } finally {
        await evaluator?.close?.();
      }
    }
  }
}
