/**
 * `hbsim bench <scenario-file> [--param k=v]... [--sweep k=v1,v2,...] [--mtbf D] [--runs N]
 * [--seed S] [--rpc-latency D] [--json] [--out DIR]`: run the scenario many times under random
 * worker crashes for each value of one parameter, and report what each choice costs, next to
 * the analytic checkpoint model. Writes results.json, summary.md and two SVG charts.
 */
import { join } from 'node:path';
import { parseDuration } from '../../src/duration.js';
import { HbsimConfigError } from '../../src/errors.js';
import { renderCharts } from '../bench/charts.js';
import { parseParam, parseSweep, type ParamSetting, type Sweep } from '../bench/params.js';
import { assembleBench, collectBench, prepareBench, type BenchResult, type BenchSettings, type PointRunner, type RunMetrics } from '../bench/runner.js';
import { modelNotes, overviewTable, settingsLine, summaryMarkdown } from '../bench/summary.js';
import { importScenarioModule } from '../../src/load-scenario.js';
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

/** Import the scenario and validate every point before anything runs; errors name the flag or the file. */
async function prepare(file: string, settings: BenchSettings): Promise<{ raw: unknown; name: string }> {
  const raw = await importScenarioModule(file);
  try {
    return { raw, name: prepareBench(raw, settings).name };
  } catch (error) {
    throw error instanceof HbsimConfigError ? attribute(error, file, settings) : error;
  }
}

/** Write results.json, summary.md and the charts; the lines to print. */
async function report(result: BenchResult, file: string, o: BenchFlags, outDir: string, how: string): Promise<BenchOutcome> {
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
    ...modelNotes(result),
    '',
    r.point === null ? 'recommendation: none' : result.sweep === null ? 'one point:' : `recommendation: ${result.sweep.key}=${String(r.value)}`,
    ...r.reasons.map((reason) => `  - ${reason}`),
    '',
    `${result.points.length * result.runs} runs ${how}`,
    `wrote ${outDir}/ (results.json, summary.md, completion-time.svg, heartbeats-sent.svg)`,
  ];
  return { result, outDir, lines };
}

/** Validate, run, write the reports. `runner` runs a point's runs (a thread pool in the CLI). */
export async function benchCommand(file: string, o: BenchFlags, options: { readonly runner?: PointRunner; readonly onProgress?: (done: number, total: number) => void } = {}): Promise<BenchOutcome> {
  const settings = benchSettings(o);
  const { raw, name } = await prepare(file, settings);
  const started = performance.now();
  const result = assembleBench(settings, await collectBench(raw, settings, options));
  return report(result, file, o, o.out ?? defaultOutDir(name), `simulated in ${((performance.now() - started) / 1000).toFixed(1)} s (wall time)`);
}

/** `reports/shards/<scenario>-bench-<seed>-<i>-of-<n>.json`: one shard's runs, for hbsim merge. */
export interface BenchShardFile {
  readonly hbsimBenchShard: 1;
  readonly file: string;
  readonly flags: BenchFlags;
  readonly shard: { readonly index: number; readonly count: number };
  readonly from: number;
  readonly to: number;
  readonly runs: readonly (readonly RunMetrics[])[];
  readonly faultFree: readonly RunMetrics[];
}

/** The runs of shard `index` of `count`: a contiguous block, so that merging is concatenating. */
export function shardRange(runs: number, shard: { readonly index: number; readonly count: number }): { from: number; to: number } {
  return { from: Math.floor(((shard.index - 1) * runs) / shard.count), to: Math.floor((shard.index * runs) / shard.count) };
}

/** `hbsim bench --shard i/n`: simulate this shard's runs of every point and write them. */
export async function benchShard(file: string, o: BenchFlags, shard: { readonly index: number; readonly count: number }, options: { readonly runner?: PointRunner; readonly onProgress?: (done: number, total: number) => void } = {}): Promise<{ path: string; lines: string[] }> {
  const settings = benchSettings(o);
  const { raw, name } = await prepare(file, settings);
  const range = shardRange(settings.runs, shard);
  const collected = await collectBench(raw, settings, { ...options, range });
  const { json: _json, out: _out, ...flags } = o;
  const data: BenchShardFile = { hbsimBenchShard: 1, file, flags, shard, ...range, runs: collected.runs, faultFree: collected.faultFree };
  const path = join(o.out ?? join('reports', 'shards'), `${slug(name)}-bench-${settings.seed}-${shard.index}-of-${shard.count}.json`);
  writeFileAtomic(path, JSON.stringify(data) + '\n');
  return { path, lines: [`bench shard ${shard.index}/${shard.count} of ${name} (seed ${settings.seed}): runs ${range.from}-${range.to - 1} of each of ${collected.points.length} point(s)`, `wrote ${path}`, `merge all ${shard.count} shards with: npx hbsim merge <the ${shard.count} shard files>`] };
}

function isBenchShard(v: unknown): v is BenchShardFile {
  return typeof v === 'object' && v !== null && (v as { hbsimBenchShard?: unknown }).hbsimBenchShard === 1;
}

/** Whether a shard file is a bench shard (else a check shard). */
export function isBenchShardFile(data: unknown): boolean {
  return isBenchShard(data);
}

/** `hbsim merge` of bench shards: the same results.json as one unsharded run. */
export async function benchMerge(paths: readonly string[], shards: readonly unknown[], out: string | undefined): Promise<BenchOutcome> {
  const files = shards.map((s, i) => {
    if (!isBenchShard(s) || !Array.isArray(s.runs) || !Array.isArray(s.faultFree)) throw new HbsimConfigError(`${paths[i]}`, s, 'a bench shard written by hbsim bench --shard');
    return s;
  });
  const first = files[0]!;
  const count = first.shard.count;
  const byIndex = new Map<number, BenchShardFile>();
  for (const [i, f] of files.entries()) {
    if (f.file !== first.file || JSON.stringify(f.flags) !== JSON.stringify(first.flags)) throw new HbsimConfigError(`${paths[i]}: flags`, f.flags, `the file and flags of the other shards (${first.file} ${JSON.stringify(first.flags)})`);
    if (f.shard.count !== count || byIndex.has(f.shard.index)) throw new HbsimConfigError(`${paths[i]}: shard`, `${f.shard.index}/${f.shard.count}`, `each of the ${count} shards once`);
    byIndex.set(f.shard.index, f);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw new HbsimConfigError('shards', `${byIndex.size} of ${count}`, `all ${count} shards (missing ${missing.map((i) => `${i}/${count}`).join(', ')})`);
  const ordered = [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, f]) => f);
  const o: BenchFlags = { ...first.flags, ...(out !== undefined ? { out } : {}) };
  const settings = benchSettings(o);
  const { name, points } = prepareBench((await prepare(first.file, settings)).raw, settings);
  const runs = points.map((_, p) => ordered.flatMap((f) => f.runs[p] ?? []));
  if (runs.some((r) => r.length !== settings.runs)) throw new HbsimConfigError('shards', runs.map((r) => r.length), `${settings.runs} runs per point in all`);
  const result = assembleBench(settings, { name, points, runs, faultFree: first.faultFree });
  return report(result, first.file, o, o.out ?? defaultOutDir(name), `merged from ${count} shards`);
}
