/**
 * `npm run bench`: how fast the simulator runs the seed example, next to a bare async loop over
 * the same records measured in the same process, interleaved (A B A B ...), medians quoted.
 *
 * The simulated run: the seed's batch job (native API, a 5 s ticker heartbeating the offset,
 * realistic world latencies), 100,000 records, worker crashes as a Poisson process with a mean
 * of 3 minutes of virtual time. The bare loop: the same paging and the same puts over an
 * in-memory Map, no simulation at all.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { normalizeScenario } from '../src/scenario.js';
import { runScenario } from '../src/simulate.js';
import { Prng } from '../sim/prng.js';
import { generateRecords } from '../sim/world.js';
import type { Fault } from '../sim/fault-plan.js';
import seed from '../examples/statements-ticker.js';

const RECORDS = Number(process.env['HBSIM_BENCH_RECORDS'] ?? 100_000);
const REPEATS = Number(process.env['HBSIM_BENCH_REPEATS'] ?? 7);
const MTBF_MS = 180_000;

const scenario = normalizeScenario({ ...seed, records: RECORDS, options: { ...seed.options, startToCloseTimeout: '1d' } });

/** Crashes as a Poisson process (mean MTBF) over the first `horizon` ms of virtual time. */
function crashPlan(prngSeed: number, horizon: number): Fault[] {
  const prng = Prng.seeded(prngSeed).fork('bench-crashes');
  const faults: Fault[] = [];
  for (let t = prng.exponential(MTBF_MS); t < horizon; t += prng.exponential(MTBF_MS)) faults.push({ kind: 'crash', at: Math.round(t) });
  return faults;
}

async function bareLoop(pageSize: number): Promise<number> {
  const records = generateRecords(RECORDS, Prng.seeded(1));
  const sink = new Map<string, unknown>();
  const read = async (offset: number, limit: number) => records.slice(offset, offset + limit);
  const put = async (key: string, value: unknown) => {
    sink.set(key, value);
  };
  let offset = 0;
  while (offset < records.length) {
    const page = await read(offset, pageSize);
    for (const r of page) {
      await put(`statement/${r.key}`, { month: '2026-10', amount: r.amount });
      offset = r.offset + 1;
    }
  }
  return sink.size;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const faults = crashPlan(1, 1_200_000);
const detail = (process.env['HBSIM_BENCH_TRACE'] ?? 'full') as 'full' | 'lean';
const simRates: number[] = [];
const bareRates: number[] = [];
const ratios: number[] = [];
let last: Awaited<ReturnType<typeof runScenario>> | undefined;
for (let i = 0; i < REPEATS + 1; i++) {
  let t0 = performance.now();
  const result = await runScenario(scenario, { seed: 1, faults, trace: detail });
  const simMs = performance.now() - t0;
  t0 = performance.now();
  await bareLoop(Number(scenario.params['pageSize']));
  const bareMs = performance.now() - t0;
  if (i === 0) continue; // warm-up
  last = result;
  const simRate = result.counts.effects / (simMs / 1000);
  const bareRate = RECORDS / (bareMs / 1000);
  simRates.push(simRate);
  bareRates.push(bareRate);
  ratios.push(bareRate / simRate);
}
const out = {
  records: RECORDS,
  repeats: REPEATS,
  crashes: last!.counts.crashes,
  attempts: last!.counts.attempts,
  effects: last!.counts.effects,
  recordsRedone: last!.counts.recordsRedone,
  virtualSeconds: last!.endedAt / 1000,
  outcome: last!.outcome.status,
  simulatedRecordsPerSecond: { median: Math.round(median(simRates)), min: Math.round(Math.min(...simRates)), max: Math.round(Math.max(...simRates)) },
  bareLoopRecordsPerSecond: { median: Math.round(median(bareRates)), min: Math.round(Math.min(...bareRates)), max: Math.round(Math.max(...bareRates)) },
  slowdownVsBareLoop: { median: +median(ratios).toFixed(2), min: +Math.min(...ratios).toFixed(2), max: +Math.max(...ratios).toFixed(2) },
};
console.log(`seed example: ${RECORDS} records, ${out.crashes} crashes (MTBF 3 min virtual), ${out.attempts} attempts, ${out.virtualSeconds.toFixed(0)} s virtual, outcome ${out.outcome}`);
console.log(`simulated records/s (sink effects, redone included): median ${out.simulatedRecordsPerSecond.median.toLocaleString('en')} (min ${out.simulatedRecordsPerSecond.min.toLocaleString('en')}, max ${out.simulatedRecordsPerSecond.max.toLocaleString('en')})`);
console.log(`bare async loop records/s:                          median ${out.bareLoopRecordsPerSecond.median.toLocaleString('en')} (min ${out.bareLoopRecordsPerSecond.min.toLocaleString('en')}, max ${out.bareLoopRecordsPerSecond.max.toLocaleString('en')})`);
console.log(`simulation / bare loop time ratio, pair by pair: median ${out.slowdownVsBareLoop.median}x (min ${out.slowdownVsBareLoop.min}x, max ${out.slowdownVsBareLoop.max}x) over ${REPEATS} pairs`);
mkdirSync('reports', { recursive: true });
writeFileSync('reports/bench-perf.json', JSON.stringify(out, null, 2) + '\n');
