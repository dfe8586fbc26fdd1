/**
 * `npm run bench`: how fast the simulator runs the seed example, in both trace modes, next to a
 * bare async loop over the same records measured in the same process, interleaved (each round
 * runs the three in a rotating order), medians and min-max quoted.
 *
 * The simulated run: the seed's batch job (native API, a 5 s ticker heartbeating the offset,
 * realistic world latencies), 100,000 records, worker crashes as a Poisson process with a mean
 * of 3 minutes of virtual time. `full` keeps every trace event (the default of `simulate`);
 * `lean` keeps every event but sink effects, which are only counted and hashed. The bare loop:
 * the same paging and the same puts over an in-memory Map, no simulation at all.
 *
 *   HBSIM_BENCH_RECORDS (100000), HBSIM_BENCH_REPEATS (7), HBSIM_BENCH_TRACE (both | full | lean)
 *
 * Then the rows of issue 10 (bench/rows.ts), each with its target: `check` runs per second on
 * one worker, 2 workers vs 1, the fixed cost of one run, heartbeats after every record next to
 * a bare loop, linear cost in the number of records, the README's first command.
 *
 *   HBSIM_BENCH_ROWS (all | none | a comma list of: check, workers, fixed, perRecord, scale, readme)
 *
 * Writes reports/bench-perf.json.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { normalizeScenario } from '../src/scenario.js';
import { runScenario } from '../sim/simulate.js';
import { Prng } from '../sim/prng.js';
import { generateRecords } from '../sim/world.js';
import type { Fault } from '../sim/fault-plan.js';
import type { SimulationResult } from '../sim/simulation.js';
import seed from '../examples/statements-ticker.js';
import { runRows } from './rows.js';

const RECORDS = Number(process.env['HBSIM_BENCH_RECORDS'] ?? 100_000);
const REPEATS = Number(process.env['HBSIM_BENCH_REPEATS'] ?? 7);
const MTBF_MS = 180_000;
/** The target: simulated records per second, and the most the simulation may cost over the bare loop. */
const TARGET_RATE = 1_000_000;
const TARGET_SLOWDOWN = 8;

type Mode = 'full' | 'lean';
const only = process.env['HBSIM_BENCH_TRACE'];
const MODES: Mode[] = only === 'full' || only === 'lean' ? [only] : ['full', 'lean'];

const scenario = normalizeScenario({ ...seed, records: RECORDS, options: { ...seed.options, startToCloseTimeout: '1d' } });

/** Crashes as a Poisson process (mean MTBF) over the first `horizon` ms of virtual time. */
function crashPlan(prngSeed: number, horizon: number): Fault[] {
  const prng = Prng.seeded(prngSeed).fork('bench-crashes');
  const faults: Fault[] = [];
  for (let t = prng.exponential(MTBF_MS); t < horizon; t += prng.exponential(MTBF_MS)) faults.push({ kind: 'crash', at: Math.round(t) });
  return faults;
}

async function bareLoop(pageSize: number): Promise<number> {
  const records = generateRecords(RECORDS, Prng.seeded(1)).slice(0, RECORDS); // plain objects, made once
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

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}
const spread = (xs: readonly number[], digits = 0): Spread => {
  const round = (x: number): number => +x.toFixed(digits);
  return { median: round(median(xs)), min: round(Math.min(...xs)), max: round(Math.max(...xs)) };
};
const n = (x: number): string => x.toLocaleString('en');

const faults = crashPlan(1, 1_200_000);
const pageSize = Number(scenario.params['pageSize']);
const rates: Record<Mode, number[]> = { full: [], lean: [] };
const ratios: Record<Mode, number[]> = { full: [], lean: [] };
const bareRates: number[] = [];
const digests = new Set<string>();
let last: SimulationResult | undefined;
for (let round = 0; round < REPEATS + 1; round++) {
  // Rotate the order of the contestants from round to round (no one always runs first).
  const contestants: (Mode | 'bare')[] = [...MODES, 'bare'];
  for (let k = 0; k < round % contestants.length; k++) contestants.push(contestants.shift()!);
  const simMs: Partial<Record<Mode, number>> = {};
  let bareMs = 0;
  for (const who of contestants) {
    const t0 = performance.now();
    if (who === 'bare') {
      await bareLoop(pageSize);
      bareMs = performance.now() - t0;
    } else {
      const result = await runScenario(scenario, { seed: 1, faults, trace: who });
      simMs[who] = performance.now() - t0;
      digests.add(result.digest);
      last = result;
    }
  }
  if (round === 0) continue; // warm-up
  const bareRate = RECORDS / (bareMs / 1000);
  bareRates.push(bareRate);
  for (const mode of MODES) {
    const rate = last!.counts.effects / (simMs[mode]! / 1000);
    rates[mode].push(rate);
    ratios[mode].push(bareRate / rate);
  }
}
if (digests.size !== 1) throw new Error(`hbsim bench: the runs disagree (digests ${[...digests].join(', ')}): the simulation is not deterministic`);

const modes = Object.fromEntries(
  MODES.map((mode) => {
    const rate = spread(rates[mode]);
    const slowdown = spread(ratios[mode], 2);
    return [mode, { simulatedRecordsPerSecond: rate, slowdownVsBareLoop: slowdown, meetsTarget: rate.median >= TARGET_RATE && slowdown.median <= TARGET_SLOWDOWN }];
  }),
) as Partial<Record<Mode, { simulatedRecordsPerSecond: Spread; slowdownVsBareLoop: Spread; meetsTarget: boolean }>>;
const out = {
  records: RECORDS,
  repeats: REPEATS,
  node: process.version,
  crashes: last!.counts.crashes,
  attempts: last!.counts.attempts,
  effects: last!.counts.effects,
  recordsRedone: last!.counts.recordsRedone,
  virtualSeconds: last!.endedAt / 1000,
  outcome: last!.outcome.status,
  digest: [...digests][0],
  target: { simulatedRecordsPerSecond: TARGET_RATE, maxSlowdownVsBareLoop: TARGET_SLOWDOWN },
  bareLoopRecordsPerSecond: spread(bareRates),
  ...modes,
};
console.log(`seed example: ${n(RECORDS)} records, ${out.crashes} crashes (MTBF 3 min virtual), ${out.attempts} attempts, ${out.virtualSeconds.toFixed(0)} s virtual, outcome ${out.outcome}, digest ${out.digest} (every run)`);
console.log(`records/s (sink effects, ${n(out.recordsRedone)} redone included), median (min-max) over ${REPEATS} rounds, each round: ${[...MODES, 'bare'].join(', ')} in rotating order`);
for (const mode of MODES) {
  const m = modes[mode]!;
  const r = m.simulatedRecordsPerSecond;
  const s = m.slowdownVsBareLoop;
  console.log(`  simulated, ${mode} trace: ${n(r.median).padStart(9)} (${n(r.min)}-${n(r.max)})   ${s.median}x the bare loop's time (${s.min}x-${s.max}x)   target ${n(TARGET_RATE)}/s and <= ${TARGET_SLOWDOWN}x: ${m.meetsTarget ? 'met' : 'not met'}`);
}
const b = out.bareLoopRecordsPerSecond;
console.log(`  bare async loop:   ${n(b.median).padStart(9)} (${n(b.min)}-${n(b.max)})`);
const rows = await runRows();
mkdirSync('reports', { recursive: true });
writeFileSync('reports/bench-perf.json', JSON.stringify({ ...out, rows }, null, 2) + '\n');
