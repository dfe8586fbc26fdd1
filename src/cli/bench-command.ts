/**
 * `hbsim bench <scenario-file> [--param k=v]... [--sweep k=v1,v2,...] [--mtbf D] [--runs N]
 * [--seed S] [--rpc-latency D] [--json] [--out DIR]`: run the scenario many times under random
 * worker crashes for each value of one parameter, and report what each choice costs, next to
 * the analytic checkpoint model. Writes results.json, summary.md and two SVG charts.
 */
import { join } from 'node:path';
import { parseDuration } from '../duration.js';
import { HbsimConfigError } from '../errors.js';
import { renderCharts } from '../bench/charts.js';
import { parseParam, parseSweep, type ParamSetting, type Sweep } from '../bench/params.js';
import { prepareBench, runBench, type BenchResult, type BenchSettings, type PointRunner } from '../bench/runner.js';
import { overviewTable, settingsLine, summaryMarkdown } from '../bench/summary.js';
import { importScenarioModule } from './load-scenario.js';
import { slug } from './check-command.js';
import { writeFileAtomic } from './write-atomic.js';

export interface BenchFlags {
  readonly param?: readonly string[];
  readonly sweep?: string;
  readonly mtbf?: string;
  readonly runs: number;
  readonly seed: number;
  readonly rpcLatency?: string;
  readonly json?: boolean;
  readonly out?: string;
}

/** The flags as bench settings; every malformed one is an {@link HbsimConfigError} naming it. */
export function benchSettings(o: BenchFlags): BenchSettings {
  const params: ParamSetting[] = (o.param ?? []).map((p) => parseParam(p));
  const sweep: Sweep | undefined = o.sweep === undefined ? undefined : parseSweep(o.sweep);
  const mtbfMs = o.mtbf === undefined ? 0 : parseDuration(o.mtbf, '--mtbf');
  const rpcLatencyMs = o.rpcLatency === undefined ? undefined : parseDuration(o.rpcLatency, '--rpc-latency');
  return { params, ...(sweep ? { sweep } : {}), mtbfMs, ...(rpcLatencyMs !== undefined ? { rpcLatencyMs } : {}), runs: o.runs, seed: o.seed };
}

/**
 * A scenario error caused by a `--param`/`--sweep` value names that flag; any other names the
 * scenario file (as for the other commands).
 */
function attribute(error: HbsimConfigError, file: string, settings: BenchSettings): HbsimConfigError {
  if (error.field.startsWith('--')) return error;
  const field = error.field.startsWith('params.') ? error.field.slice('params.'.length) : error.field;
  const matches = (s: ParamSetting): boolean => s.key === error.field || s.key === field || error.field.startsWith(`${s.key}.`);
  const flag = settings.sweep !== undefined && settings.sweep.values.some(matches) ? '--sweep' : settings.params.some(matches) ? '--param' : error.field === 'world.latency.rpc' && settings.rpcLatencyMs !== undefined ? '--rpc-latency' : file;
  const e = new HbsimConfigError(`${flag}: ${error.field}`, error.value, error.expected);
  Object.defineProperty(e, 'message', { value: `${flag}: ${error.message}` });
  return e;
}

/** `reports/bench/<scenario>-<yyyymmdd-hhmmss>` (wall clock: only the folder's name). */
export function defaultOutDir(scenario: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('reports', 'bench', `${slug(scenario)}-${stamp}`);
}

function quote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command line that reproduces a bench (for summary.md). */
export function commandLine(file: string, o: BenchFlags): string {
  const args = ['npx hbsim bench', quote(file)];
  for (const p of o.param ?? []) args.push('--param', quote(p));
  if (o.sweep !== undefined) args.push('--sweep', quote(o.sweep));
  if (o.mtbf !== undefined) args.push('--mtbf', quote(o.mtbf));
  if (o.rpcLatency !== undefined) args.push('--rpc-latency', quote(o.rpcLatency));
  args.push('--runs', String(o.runs), '--seed', String(o.seed));
  return args.join(' ');
}

export interface BenchOutcome {
  readonly result: BenchResult;
  readonly outDir: string;
  readonly lines: string[];
}

/** Validate, run, write the reports. `runner` runs a point's runs (a thread pool in the CLI). */
export async function benchCommand(file: string, o: BenchFlags, options: { readonly runner?: PointRunner; readonly onProgress?: (done: number, total: number) => void } = {}): Promise<BenchOutcome> {
  const settings = benchSettings(o);
  const raw = await importScenarioModule(file);
  let name: string;
  try {
    name = prepareBench(raw, settings).name; // every point validated before anything runs
  } catch (error) {
    throw error instanceof HbsimConfigError ? attribute(error, file, settings) : error;
  }
  const outDir = o.out ?? defaultOutDir(name);
  const started = performance.now();
  const result = await runBench(raw, settings, options);
  const wallSeconds = (performance.now() - started) / 1000;
  const command = commandLine(file, o);
  writeFileAtomic(join(outDir, 'results.json'), JSON.stringify(result, null, 2) + '\n');
  writeFileAtomic(join(outDir, 'summary.md'), summaryMarkdown(result, command));
  for (const [chart, svg] of Object.entries(await renderCharts(result))) writeFileAtomic(join(outDir, chart), svg);
  const r = result.recommendation;
  const lines = [
    `hbsim bench ${file}`,
    `${settingsLine(result)}`,
    '',
    ...overviewTable(result),
    '',
    r.point === null ? 'recommendation: none' : result.sweep === null ? 'one point:' : `recommendation: ${result.sweep.key}=${String(r.value)}`,
    ...r.reasons.map((reason) => `  - ${reason}`),
    '',
    `${result.points.length * result.runs} runs simulated in ${wallSeconds.toFixed(1)} s (wall time)`,
    `wrote ${outDir}/ (results.json, summary.md, completion-time.svg, heartbeats-sent.svg)`,
  ];
  return { result, outDir, lines };
}
