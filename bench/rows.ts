/**
 * The rows of issue 10 for `npm run bench` (bench/perf.ts), each measured as users meet it and
 * printed next to its target. Timings on a shared machine are noisy: every row gives medians of
 * repeated measurements, comparisons are measured side by side (alternating, in one run), and
 * the CPU time of child processes is given next to their wall time.
 *
 *   HBSIM_BENCH_ROWS       all (default) | none | a comma list of: check, workers, fixed, perRecord, scale, readme
 *   HBSIM_BENCH_PAIRS      repetitions of each child-process measurement (3)
 *   HBSIM_BENCH_SCALE      the large size of the scale row (10000000; 100000 is the small one)
 */
import { spawnSync } from 'node:child_process';
import { normalizeScenario } from '../src/scenario.js';
import { runScenario } from '../sim/simulate.js';
import { importScenarioModule } from '../src/load-scenario.js';

const PAIRS = Number(process.env['HBSIM_BENCH_PAIRS'] ?? 3);
const SCALE = Number(process.env['HBSIM_BENCH_SCALE'] ?? 10_000_000);
const wanted = (process.env['HBSIM_BENCH_ROWS'] ?? 'all').split(',');
const want = (row: string): boolean => wanted.includes('all') || wanted.includes(row);

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const n = (x: number, digits = 0): string => x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const status = (ok: boolean): string => (ok ? 'met' : 'NOT met');

/** Prints the process's CPU time (all threads) on exit, for a child's measurement. */
const CPU_PROBE = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\nhbsim-bench-cpu-ms '+(u.user+u.system)/1000+'\\n')})`;

interface Child {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly stdout: string;
  readonly stderr: string;
}
function child(args: readonly string[]): Child {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', CPU_PROBE, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`hbsim bench: ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  const cpu = /hbsim-bench-cpu-ms ([\d.]+)/.exec(r.stderr);
  return { wallMs, cpuMs: cpu ? Number(cpu[1]) : NaN, stdout: r.stdout, stderr: r.stderr };
}

const CHECK_FILE = 'bench/scenarios/temporal-per-record.ts';
const CHECK_RUNS = 2000;
const checkArgs = (workers: number): string[] => ['bin/hbsim.js', 'check', CHECK_FILE, '--seed', '1', '--runs', String(CHECK_RUNS), '--workers', String(workers), '--json'];

export async function runRows(): Promise<Record<string, unknown>> {
  const rows: Record<string, unknown> = {};

  if (want('check') || want('workers')) {
    // 1 worker and 2 workers, alternating, PAIRS times.
    const one: Child[] = [];
    const two: Child[] = [];
    for (let i = 0; i < PAIRS; i++) {
      one.push(child(checkArgs(1)));
      if (want('workers')) two.push(child(checkArgs(2)));
    }
    const wall1 = median(one.map((c) => c.wallMs));
    const cpu1 = median(one.map((c) => c.cpuMs));
    const rate = CHECK_RUNS / (wall1 / 1000);
    const ratePerCpu = CHECK_RUNS / (cpu1 / 1000);
    rows['check'] = { command: `node ${checkArgs(1).join(' ')}`, runs: CHECK_RUNS, wallMs: wall1, cpuMs: cpu1, runsPerSecond: rate, runsPerCpuSecond: ratePerCpu, target: 1000, met: rate >= 1000 };
    console.log(`\ncheck of a 150-record Temporal-API activity heartbeating after every record, ${CHECK_RUNS} runs, 1 worker (median of ${PAIRS}, whole command):`);
    console.log(`  ${n(wall1 / 1000, 2)} s wall, ${n(cpu1 / 1000, 2)} s CPU: ${n(rate)} runs/s of wall time, ${n(ratePerCpu)} runs per CPU second   target >= 1,000 runs/s on one core: ${status(rate >= 1000)}`);
    if (want('workers')) {
      const ratios = one.map((c, i) => c.wallMs / two[i]!.wallMs);
      const r = median(ratios);
      const wall2 = median(two.map((c) => c.wallMs));
      const cpu2 = median(two.map((c) => c.cpuMs));
      rows['workers'] = { wall1Ms: wall1, wall2Ms: wall2, cpu1Ms: cpu1, cpu2Ms: cpu2, speedup: r, speedupMin: Math.min(...ratios), speedupMax: Math.max(...ratios), target: 1.7, met: r >= 1.7 };
      console.log(`  2 workers: ${n(wall2 / 1000, 2)} s wall, ${n(cpu2 / 1000, 2)} s CPU; 2 vs 1 worker: ${n(r, 2)}x (pairs ${ratios.map((x) => n(x, 2)).join(', ')})   target >= 1.7x: ${status(r >= 1.7)}`);
    }
  }

  if (want('fixed')) {
    // The fixed cost of one run: a 1-record scenario, in this process.
    const raw = (await importScenarioModule('bench/scenarios/native-per-record.ts')) as object;
    const one = normalizeScenario({ ...raw, records: 1 });
    const N = 2000;
    for (let i = 0; i < 200; i++) await runScenario(one, { seed: i, trace: 'lean' });
    const per: number[] = [];
    const perCpu: number[] = [];
    for (let k = 0; k < 5; k++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < N; i++) await runScenario(one, { seed: i, trace: 'lean' });
      per.push((performance.now() - t0) / N);
      const c = process.cpuUsage(c0);
      perCpu.push((c.user + c.system) / 1000 / N);
    }
    const ms = median(per);
    rows['fixed'] = { msPerRun: ms, cpuMsPerRun: median(perCpu), target: 0.1, met: ms <= 0.1 };
    console.log(`\nfixed cost of one simulate() run (1-record scenario, 5 x ${N} runs): ${n(ms, 3)} ms wall, ${n(median(perCpu), 3)} ms CPU (medians)   target <= 0.1 ms: ${status(ms <= 0.1)}`);
  }

  if (want('perRecord')) {
    // Heartbeat after every record, 200k records, default latencies, through simulate(); next
    // to the same code over a Map with a heartbeat that does nothing, alternating.
    const RECORDS = 200_000;
    const raw = (await importScenarioModule('bench/scenarios/native-per-record.ts')) as object;
    const scenario = normalizeScenario({ ...raw, records: RECORDS });
    const bare = async (): Promise<number> => {
      const sink = new Map<string, unknown>();
      const records = Array.from({ length: RECORDS }, (_, offset) => ({ offset, key: `rec-${String(offset).padStart(6, '0')}`, amount: offset }));
      const read = async (offset: number, limit: number) => records.slice(offset, offset + limit);
      const put = async (key: string, value: unknown) => {
        sink.set(key, value);
      };
      let last: unknown;
      const heartbeat = (details: unknown): void => {
        last = details;
      };
      let offset = 0;
      while (offset < records.length) {
        const page = await read(offset, 50);
        for (const record of page) {
          await put(`statement/${record.key}`, { month: '2026-10', amount: record.amount });
          offset = record.offset + 1;
          heartbeat({ offset });
        }
      }
      void last;
      return sink.size;
    };
    const sim: number[] = [];
    const simCpu: number[] = [];
    const bareRates: number[] = [];
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    const cpuMs = (c: NodeJS.CpuUsage): number => (c.user + c.system) / 1000;
    for (let k = 0; k < 6; k++) {
      let c0 = process.cpuUsage();
      let t0 = performance.now();
      const r = await runScenario(scenario, { seed: 1 });
      const simMs = performance.now() - t0;
      const simCpuMs = cpuMs(process.cpuUsage(c0));
      c0 = process.cpuUsage();
      t0 = performance.now();
      await bare();
      const bareMs = performance.now() - t0;
      const bareCpuMs = cpuMs(process.cpuUsage(c0));
      if (k === 0) continue; // warm-up
      sim.push(r.counts.effects / (simMs / 1000));
      simCpu.push(r.counts.effects / (simCpuMs / 1000));
      bareRates.push(RECORDS / (bareMs / 1000));
      ratios.push(simMs / bareMs);
      cpuRatios.push(simCpuMs / bareCpuMs);
    }
    const rate = median(sim);
    const ratio = median(ratios);
    rows['perRecord'] = { records: RECORDS, recordsPerSecond: rate, recordsPerCpuSecond: median(simCpu), bareLoopRecordsPerSecond: median(bareRates), slowdownVsBareLoop: ratio, cpuSlowdownVsBareLoop: median(cpuRatios), target: { recordsPerSecond: 1e6, maxSlowdown: 3 }, met: rate >= 1e6 && ratio <= 3 };
    console.log(`\nheartbeat after every record, ${n(RECORDS)} records, default latencies, simulate() (full trace), median of 5, alternating with the bare loop:`);
    console.log(`  ${n(rate)} records/s (${n(median(simCpu))} per CPU second), ${n(ratio, 2)}x the bare loop's time (${n(median(cpuRatios), 2)}x its CPU time; bare loop ${n(median(bareRates))} records/s)   target >= 1,000,000/s and <= 3x: ${status(rate >= 1e6 && ratio <= 3)}`);
  }

  if (want('scale')) {
    // Linear cost: the seed example at 100k and at SCALE records, each in a process of its own.
    const small: Record<string, number>[] = [];
    const large: Record<string, number>[] = [];
    for (let i = 0; i < Math.max(1, PAIRS - 1); i++) {
      for (const [size, into] of [[100_000, small], [SCALE, large]] as const) {
        const c = child(['--expose-gc', '--import', 'tsx', 'bench/scale-run.ts', String(size)]);
        into.push(JSON.parse(c.stdout.trim().split('\n').at(-1)!) as Record<string, number>);
      }
    }
    const rate = (xs: Record<string, number>[]): number => median(xs.map((x) => x['effects']! / (x['wallMs']! / 1000)));
    const cpuRate = (xs: Record<string, number>[]): number => median(xs.map((x) => x['effects']! / (x['cpuMs']! / 1000)));
    const bytes = median(large.map((x) => x['rssAddedBytes']! / x['effects']!));
    const heapBytes = median(large.map((x) => x['heapAddedBytes']! / x['effects']!));
    const ratio = rate(large) / rate(small);
    rows['scale'] = { small: 100_000, large: SCALE, smallRecordsPerSecond: rate(small), largeRecordsPerSecond: rate(large), smallPerCpuSecond: cpuRate(small), largePerCpuSecond: cpuRate(large), rateRatio: ratio, residentBytesPerRecord: bytes, heapBytesPerRecord: heapBytes, target: { rateRatio: 0.8, maxBytesPerRecord: 200 }, met: ratio >= 0.8 && bytes <= 200 };
    console.log(`\nthe seed example at 100,000 and ${n(SCALE)} records (full trace, a process each, median of ${small.length}):`);
    console.log(`  ${n(rate(small))} and ${n(rate(large))} records/s (${n(cpuRate(small))} and ${n(cpuRate(large))} per CPU second): ${n(ratio, 2)}x   target >= 0.8x: ${status(ratio >= 0.8)}`);
    console.log(`  resident memory added: ${n(bytes)} bytes per record written (JavaScript heap: ${n(heapBytes)})   target <= 200: ${status(bytes <= 200)}`);
  }

  if (want('readme')) {
    // The README's first command: its wall time against the simulation time it reports.
    const runs: { wallMs: number; reportedMs: number; cpuMs: number }[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const c = child(['bin/hbsim.js', 'check', 'examples/statements-ticker.ts', '--seed', '1']);
      const m = /simulated in ([\d.]+) s/.exec(c.stdout);
      if (m === null) throw new Error(`hbsim bench: no "simulated in" in the output of check: ${c.stdout}`);
      runs.push({ wallMs: c.wallMs, reportedMs: Number(m[1]) * 1000, cpuMs: c.cpuMs });
    }
    const ratios = runs.map((r) => r.wallMs / r.reportedMs);
    const ratio = median(ratios);
    rows['readme'] = { command: 'node bin/hbsim.js check examples/statements-ticker.ts --seed 1', runs, wallOverReported: ratio, target: 1.5, met: ratio <= 1.5 };
    console.log(`\nREADME's first command (hbsim check examples/statements-ticker.ts --seed 1, median of ${PAIRS}):`);
    console.log(`  ${n(median(runs.map((r) => r.wallMs)) / 1000, 2)} s wall for ${n(median(runs.map((r) => r.reportedMs)) / 1000, 2)} s of reported simulation (${n(median(runs.map((r) => r.cpuMs)) / 1000, 2)} s CPU): ${n(ratio, 2)}x   target <= 1.5x: ${status(ratio <= 1.5)}`);
  }
  return rows;
}
