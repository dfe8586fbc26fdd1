/**
 * The hbsim command line: a thin shell over the library (src/, properties/).
 * Exit codes: 0 no violation, 1 violation found, 2 bad input, 3 hbsim itself failed.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { HbsimConfigError } from '../../src/errors.js';
import { normalizeScenario, type NormalizedScenario } from '../../src/scenario.js';
import { importScenarioModule } from '../../src/load-scenario.js';
import { checkCommand, propertyHelp } from './check-command.js';
import { readFailureFile } from './failure-file.js';
import { replayBySeed, replayFromFailure, scenarioFileOf } from './replay-command.js';
import { runCommand } from './run-command.js';
import { benchCommand, benchMerge, benchShard, isBenchShardFile, type BenchFlags } from './bench-command.js';
import { existsSync, readFileSync } from 'node:fs';
import { BenchPool, BenchTimeoutError } from '../bench/pool.js';
import { parseFault } from './failure-file.js';
import { randomSeed, runShard } from '../../properties/check.js';
import { defaultWorkers, PoolEvaluator, RunTimeoutError, WorkerStallError } from '../../properties/pool.js';
import { parseDuration } from '../../src/duration.js';
import { mergeShards, parseShard, parseShardFile, SHARD_FORMAT, type ShardFile } from './shard-file.js';
import { checkHeaderLines, slug } from './check-command.js';
import { CheckTally, type CheckObserver } from '../../properties/check-observer.js';
import { startProgress, type Progress } from './progress.js';
import { INTERRUPT_EXIT, interruptedCheckLines, trapInterrupts } from './interrupt.js';
import { writeFileAtomic } from './write-atomic.js';
import { relative, resolve } from 'node:path';
import { inspect } from 'node:util';
import { PROPERTY_NAMES, type PropertyName } from '../../properties/types.js';

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function integer(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got '${value}'`);
    return n;
  };
}

function property(value: string): PropertyName {
  if (!(PROPERTY_NAMES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${PROPERTY_NAMES.join(', ')}, got '${value}'`);
  return value as PropertyName;
}

function collectFault(value: string, previous: unknown[] = []): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError(`--fault takes a JSON fault like '{"kind":"crash","at":12000}', got '${value}'`);
  }
  return [...previous, parsed];
}

interface CheckFlags {
  runs: number;
  seed?: number;
  maxFaults: number;
  profile?: string;
  property?: PropertyName[];
  reportDir: string;
  workers?: number;
  timeout: string;
  shard?: string;
  progressInterval: string;
  json?: boolean;
  verbose?: boolean;
  exhaustive?: boolean;
  maxCases: number;
  reporter?: 'text' | 'json' | 'junit';
  junit?: string;
  corpus?: string | false;
}

/** `--corpus <dir>` (default `<report-dir>/corpus`), or `--no-corpus`. */
function corpusDirOf(o: { corpus?: string | false; reportDir: string }): string | undefined {
  return o.corpus === false ? undefined : o.corpus ?? `${o.reportDir}/corpus`;
}

/** `--reporter`, with `--json` as its short form. */
function reporterOf(o: { reporter?: 'text' | 'json' | 'junit'; json?: boolean }): 'text' | 'json' | 'junit' {
  return o.reporter ?? (o.json ? 'json' : 'text');
}

const reporterOption = () => new Option('--reporter <format>', 'what goes to stdout: text, json (as --json) or junit (JUnit XML)').choices(['text', 'json', 'junit']);

function positiveDuration(value: string, flag: string): number {
  const ms = parseDuration(value, flag);
  if (ms <= 0) throw new HbsimConfigError(flag, value, 'a duration above 0, e.g. 30s');
  return ms;
}

/** A JSON file for merge: any reading or parsing problem is bad input naming the file. */
function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new HbsimConfigError('shard file', path, 'a complete shard file written by hbsim check --shard or hbsim bench --shard', `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** The pool of worker threads that runs the simulations, each under the --timeout watchdog. */
function makePool(file: string, o: { workers?: number; timeout: string; profile?: string }, seed: number): PoolEvaluator {
  const timeoutMs = positiveDuration(o.timeout, '--timeout');
  return new PoolEvaluator({ file: resolve(file), ...(o.profile ? { profile: o.profile } : {}), baseSeed: seed, workers: o.workers ?? defaultWorkers(), timeoutMs });
}

/**
 * The pool, started before the scenario is loaded (its threads load it at the same time): not for
 * a file that does not exist or a bad flag, which are reported in their usual order instead.
 */
function startPoolEarly(file: string, o: { workers?: number; timeout: string; profile?: string }, seed: number): PoolEvaluator | undefined {
  if (!existsSync(resolve(file))) return undefined;
  try {
    return makePool(file, o, seed);
  } catch {
    return undefined;
  }
}

/** Run `fn` with a pool of worker threads (`started`, or a new one), closed afterwards whatever happens. */
async function withPool(file: string, o: { workers?: number; timeout: string; profile?: string }, seed: number, started: PoolEvaluator | undefined, fn: (pool: PoolEvaluator) => Promise<void>): Promise<void> {
  const pool = started ?? makePool(file, o, seed);
  try {
    await fn(pool);
  } finally {
    if (started === undefined) await pool.close();
  }
}

/** Print a check's outcome and end with its exit code. */
function emit(out: (s: string) => void, result: { readonly json: object; readonly lines: readonly string[]; readonly junit: string; readonly report: { readonly ok: boolean } }, reporter: 'text' | 'json' | 'junit'): never {
  out(reporter === 'junit' ? result.junit : reporter === 'json' ? JSON.stringify(result.json) + '\n' : result.lines.join('\n') + '\n');
  throw new Exit(result.report.ok ? 0 : 1);
}

const profileOption = () => new Option('--profile <profile>', 'override the scenario\'s profile').choices(['temporal', 'cadence']);

/**
 * The scenario file this command runs: an error of the user's code found later (the activity
 * factory threw, in a worker thread) is reported naming it.
 */
let scenarioFileInUse: string | undefined;

/** Load, optionally override the profile, validate. Errors name the file and the field. */
async function load(file: string, profile: string | undefined): Promise<NormalizedScenario> {
  scenarioFileInUse = file;
  const raw = await importScenarioModule(file);
  const value = profile !== undefined && typeof raw === 'object' && raw !== null ? { ...(raw as object), profile } : raw;
  try {
    return normalizeScenario(value);
  } catch (error) {
    if (error instanceof HbsimConfigError) {
      const e = new HbsimConfigError(`${file}: ${error.field}`, error.value, error.expected);
      Object.defineProperty(e, 'message', { value: `${file}: ${error.message}` });
      throw e;
    }
    throw error;
  }
}

/** `lines` without the leading `printed` ones (the header printed when the command started). */
function withoutPrinted(lines: readonly string[], printed: readonly string[]): string[] {
  let i = 0;
  while (i < printed.length && lines[i] === printed[i]) i++;
  return lines.slice(i);
}

/** Print the header at once: stdout, or stderr with --json (stdout holds only the JSON). */
function printHeader(out: (s: string) => void, err: (s: string) => void, header: readonly string[], json: boolean): void {
  (json ? err : out)(header.join('\n') + '\n');
}

/** A check observer that keeps the tally and redraws the progress. */
function observing(tally: CheckTally, progress: Progress): CheckObserver {
  return {
    started: (total, properties, seed) => {
      tally.started(total, properties, seed);
      progress.update();
    },
    judged: (index, c, judged, violated) => {
      tally.judged(index, c, judged, violated);
      progress.update();
    },
    shrinking: (property) => {
      tally.shrinking(property);
      progress.update();
    },
  };
}

/** The progress of a check on stderr, read from its tally. */
function checkProgress(tally: CheckTally, runs: number, intervalMs: number): Progress {
  return startProgress(process.stderr, () => ({ done: tally.evaluated, total: tally.total || runs, violations: tally.violations().length, ...(tally.shrinkingNow ? { phase: `shrinking ${tally.shrinkingNow}` } : {}) }), intervalMs);
}

/**
 * On SIGINT / SIGTERM during a check: stop the progress, say what was covered and exit 130 / 143,
 * which stops the worker threads (see interrupt.ts). Returns the remover of the handlers.
 */
function interruptible(tally: CheckTally, progress: Progress, err: (s: string) => void, fileArg: string, seed: number, runs: number, maxFaults: number): () => void {
  return trapInterrupts((signal) => {
    progress.stop();
    err(interruptedCheckLines(tally, signal, fileArg, seed, runs, maxFaults).join('\n') + '\n');
    // Exiting terminates the worker threads; waiting for the pool to settle its queued runs one
    // by one could take long. Nothing is half-written: reports are written only at the end.
    process.exit(INTERRUPT_EXIT[signal]);
  });
}

export function buildProgram(out: (s: string) => void, err: (s: string) => void): Command {
  const program = new Command('hbsim')
    .description('Deterministic simulation and testing of heartbeating Temporal/Cadence activities')
    .version('0.1.0')
    .configureOutput({ writeOut: out, writeErr: err })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('check')
    .description('search for fault plans that make the activity skip a record, apply one twice, lose progress or fail; shrink any to a minimal plan')
    .argument('<scenario-file>', 'a .ts, .mts, .js or .mjs module whose default export is a scenario')
    .option('--runs <n>', 'runs per property', integer('--runs', 1), 200)
    .option('--seed <n>', 'seed of the search (default: random, always printed)', integer('--seed', 0))
    .option('--max-faults <n>', 'faults per run at most (1 or more: the fault-free run is always checked)', integer('--max-faults', 1), 3)
    .addOption(profileOption())
    .option('--property <name>', 'check only this property (repeatable)', (v: string, prev: PropertyName[] = []) => [...prev, property(v)])
    .option('--report-dir <dir>', 'where failure reports (and shard results) are written', 'reports')
    .option('--workers <n>', 'worker threads running the simulations (default: the number of cores)', integer('--workers', 1))
    .option('--timeout <duration>', 'wall-clock limit of one run, timed from its start; a run over it stops the check and is reported', '30s')
    .option('--shard <i/n>', 'evaluate only shard i of n of the runs and write its result for hbsim merge (a CI matrix)')
    .option('--exhaustive', 'instead of random cases: try every single-fault placement of the fault-free run (equivalent ones merged), then pairs up to --max-cases')
    .option('--max-cases <n>', 'with --exhaustive: total cases at most, singles and pairs (all singles are always tried)', integer('--max-cases', 1), 1000)
    .option('--corpus <dir>', 'the regression corpus: replayed first, new failing cases kept there (default: <report-dir>/corpus)')
    .option('--no-corpus', 'neither replay nor keep regression cases')
    .option('--progress-interval <duration>', 'without a terminal: print a progress line to stderr this often', '5s')
    .option('--json', 'print one JSON object on stdout (same as --reporter json)')
    .addOption(reporterOption())
    .option('--junit <file>', 'also write the verdicts as JUnit XML to this file (one test case per property)')
    .option('--verbose', 'print every timeline line and stack traces')
    .addHelpText('after', `\nProperties:\n${propertyHelp()}\n\nThe header and the seed print first; progress goes to stderr (a bar in a terminal, else a line every --progress-interval).\nExit codes: 0 no violation, 1 violation found (or a run hung), 2 bad input, 3 a bug in hbsim, 130 interrupted by SIGINT (Ctrl-C), 143 by SIGTERM.`)
    .action(async (file: string, o: CheckFlags) => {
      const seed = o.seed ?? randomSeed();
      // The worker threads start now and load the scenario while this thread does too.
      const early = startPoolEarly(file, o, seed);
      try {
        await checkAction(file, o, seed, early);
      } finally {
        await early?.close();
      }
    });

  async function checkAction(file: string, o: CheckFlags, seed: number, early: PoolEvaluator | undefined): Promise<void> {
    const scenario = await load(file, o.profile);
    const shard = o.shard === undefined ? undefined : parseShard(o.shard);
    if (shard !== undefined && o.exhaustive) throw new HbsimConfigError('--exhaustive', '--shard', 'no --shard with --exhaustive (its cases run in the worker pool of one machine)');
    const intervalMs = positiveDuration(o.progressInterval, '--progress-interval');
    const fileArg = relative(process.cwd(), file) || file;
    const reporter = reporterOf(o);
    const header = checkHeaderLines(scenario, fileArg, seed, o.exhaustive ? 'exhaustive' : `${o.runs} runs per property`, o.maxFaults);
    printHeader(out, err, header, reporter !== 'text');
    await withPool(file, o, seed, early, async (pool) => {
      const tally = new CheckTally();
      const progress = checkProgress(tally, o.runs, intervalMs);
      const untrap = interruptible(tally, progress, err, fileArg, seed, o.runs, o.maxFaults);
      try {
        await checkOrShard(pool, tally, progress);
      } finally {
        untrap();
        progress.stop();
      }
    });

    async function checkOrShard(pool: PoolEvaluator, tally: CheckTally, progress: Progress): Promise<void> {
      const observer = observing(tally, progress);
      if (shard !== undefined) {
        const result = await runShard(scenario, { runs: o.runs, seed, maxFaults: o.maxFaults, evaluator: pool, shard, observer, ...(o.property ? { properties: o.property } : {}) });
        const path = `${o.reportDir}/shards/${slug(scenario.name)}-${seed}-${shard.index}-of-${shard.count}.json`;
        const data: ShardFile = { hbsimShard: SHARD_FORMAT, file, ...(o.profile ? { profile: o.profile } : {}), ...result };
        writeFileAtomic(path, JSON.stringify(data, null, 2) + '\n');
        const failing = Object.entries(result.firstFailing).filter(([, v]) => v !== null).map(([k]) => k);
        progress.stop();
        out(o.json ? JSON.stringify({ path, ...data }) + '\n' : `shard ${shard.index}/${shard.count} of ${scenario.name} (seed ${seed}): ${result.simulated} runs simulated; ${failing.length === 0 ? 'no violation in this shard' : `violations of ${failing.join(', ')}`}\nwrote ${path}\nmerge all ${shard.count} shards with: npx hbsim merge ${o.reportDir}/shards/${slug(scenario.name)}-${seed}-*-of-${shard.count}.json\n`);
        throw new Exit(0);
      }
      const corpusDir = corpusDirOf(o);
      const result = await checkCommand(scenario, {
        file, runs: o.runs, seed, maxFaults: o.maxFaults, json: reporter === 'json', verbose: !!o.verbose, reportDir: o.reportDir, evaluator: pool, observer,
        ...(o.property ? { properties: o.property } : {}),
        ...(corpusDir !== undefined ? { corpusDir } : {}), ...(o.exhaustive ? { exhaustive: true, maxCases: o.maxCases } : {}), ...(o.junit !== undefined ? { junitFile: o.junit } : {}),
      });
      progress.stop();
      emit(out, reporter === 'text' ? { ...result, lines: withoutPrinted(result.lines, header) } : result, reporter);
    }
  }

  program
    .command('merge')
    .description('combine the shard results of hbsim check --shard i/n (or hbsim bench --shard i/n) into the verdict (or the results) of one unsharded run')
    .argument('<shard-files...>', 'the reports/shards/*.json files of every shard')
    .option('--workers <n>', 'worker threads for the shrinking runs (default: the number of cores)', integer('--workers', 1))
    .option('--timeout <duration>', 'wall-clock limit of one run', '30s')
    .option('--report-dir <dir>', 'where failure reports are written', 'reports')
    .option('--json', 'print one JSON object on stdout (as hbsim check --json)')
    .addOption(reporterOption())
    .option('--junit <file>', 'also write the verdicts as JUnit XML to this file')
    .option('--corpus <dir>', 'the regression corpus: replayed first, new failing cases kept there (default: <report-dir>/corpus)')
    .option('--no-corpus', 'neither replay nor keep regression cases')
    .option('--verbose', 'print every timeline line and stack traces')
    .addHelpText('after', '\nExit codes: 0 no violation, 1 violation found, 2 bad input (shards missing, from different checks, damaged).')
    .option('--out <dir>', 'bench shards: where results.json, summary.md and the charts go')
    .action(async (files: string[], o: { workers?: number; timeout: string; reportDir: string; json?: boolean; reporter?: 'text' | 'json' | 'junit'; junit?: string; corpus?: string | false; verbose?: boolean; out?: string }) => {
      const raw = files.map(readJsonFile);
      if (raw.some(isBenchShardFile)) {
        const r = await benchMerge(files, raw, o.out);
        out(o.json ? JSON.stringify(r.result) + '\n' : r.lines.join('\n') + '\n');
        throw new Exit(0);
      }
      const { first, firstFailing } = mergeShards(raw.map((data, i) => parseShardFile(files[i]!, data)));
      const scenario = await load(first.file, first.profile);
      await withPool(first.file, o, first.seed, undefined, async (pool) => {
        const reporter = reporterOf(o);
        const corpusDir = corpusDirOf(o);
        const result = await checkCommand(scenario, {
          file: first.file, runs: first.runs, seed: first.seed, maxFaults: first.maxFaults, properties: first.properties, json: reporter === 'json', verbose: !!o.verbose, reportDir: o.reportDir, evaluator: pool, firstFailing,
          ...(corpusDir !== undefined ? { corpusDir } : {}), ...(o.junit !== undefined ? { junitFile: o.junit } : {}),
        });
        emit(out, result, reporter);
      });
    });

  program
    .command('replay')
    .description('re-run exactly a failing case: from a reports/failures/*.json file, or from a scenario file with --seed and --path')
    .argument('<file>', 'a failure file written by hbsim check, or the scenario file')
    .option('--seed <n>', 'with a scenario file: the seed hbsim check printed', integer('--seed', 0))
    .option('--path <path>', 'with a scenario file: the path hbsim check printed')
    .option('--max-faults <n>', 'with a scenario file: the --max-faults of the check', integer('--max-faults', 1), 3)
    .option('--property <name>', 'replay only this property', property)
    .addOption(profileOption())
    .option('--json', 'print one JSON object on stdout')
    .option('--verbose', 'print every timeline line and stack traces')
    .addHelpText('after', '\nExit codes: 0 the violation does not reproduce, 1 it reproduces, 2 bad input.')
    .action(async (file: string, o: { seed?: number; path?: string; maxFaults: number; property?: PropertyName; profile?: string; json?: boolean; verbose?: boolean }) => {
      let result;
      if (file.endsWith('.json')) {
        if (o.seed !== undefined || o.path !== undefined) throw new HbsimConfigError('--seed/--path', o.path ?? o.seed, 'no --seed or --path with a failure file (it holds them)');
        const failure = readFailureFile(file);
        const scenario = await load(scenarioFileOf(failure, file), o.profile ?? failure.scenario.profile);
        result = await replayFromFailure(scenario, failure, o.property, !!o.verbose);
      } else {
        if (o.seed === undefined || o.path === undefined) throw new HbsimConfigError('--seed/--path', undefined, 'both --seed and --path (as printed by hbsim check) to replay from a scenario file');
        const scenario = await load(file, o.profile);
        result = await replayBySeed(scenario, o.seed, o.path, o.maxFaults, o.property, !!o.verbose);
      }
      out(o.json ? JSON.stringify(result.json) + '\n' : result.lines.join('\n') + '\n');
      throw new Exit(result.reproduced ? 1 : 0);
    });

  program
    .command('run')
    .description('run a scenario once and print its timeline (optionally with a scripted fault plan)')
    .argument('<scenario-file>', 'a .ts, .mts, .js or .mjs module whose default export is a scenario')
    .option('--seed <n>', 'the seed', integer('--seed', 0), 1)
    .option('--fault <json>', `a fault, e.g. '{"kind":"crash","at":12000}' (repeatable)`, collectFault)
    .addOption(profileOption())
    .option('--log', "print the pino logs (hbsim's trace events and the activity's ctx.log / log calls) to stderr, with virtual timestamps")
    .option('--json', 'print one JSON object on stdout (with the whole trace)')
    .option('--verbose', 'print every event, sink effects included, and stack traces')
    .addHelpText('after', '\nExit codes: 0 the activity completed, 1 it did not, 2 bad input.')
    .action(async (file: string, o: { seed: number; fault?: unknown[]; profile?: string; log?: boolean; json?: boolean; verbose?: boolean }) => {
      const scenario = await load(file, o.profile);
      const faults = (o.fault ?? []).map((f, i) => parseFault(f, '--fault', `#${i + 1}`));
      const result = await runCommand(scenario, o.seed, faults, !!o.verbose, !!o.log);
      out(o.json ? JSON.stringify(result.json) + '\n' : result.lines.join('\n') + '\n');
      throw new Exit(result.ok ? 0 : 1);
    });

  program
    .command('bench')
    .description('benchmark heartbeat settings: run the scenario many times under random worker crashes in virtual time, sweeping one parameter, and report what each choice costs next to the analytic checkpoint model')
    .argument('<scenario-file>', 'a .ts, .mts, .js or .mjs module whose default export is a scenario (e.g. examples/batch-statements.ts)')
    .option('--param <k=v>', 'set a scenario param (recordTime=50ms), records=N, an option (options.heartbeatTimeout=30s, options.retry.initialInterval=2s), a worker option (worker.maxHeartbeatThrottleInterval=0) or world.<field> (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--sweep <k=v1,v2,...>', 'vary one of those over a list of values, one point each (default: one point)')
    .option('--mtbf <duration>', 'crash the worker running an attempt as a Poisson process with this mean time between crashes (only while an attempt executes); 0: no crashes', '0')
    .option('--runs <n>', 'runs per point', integer('--runs', 1), 200)
    .option('--seed <n>', 'seed of the benchmark: run r of every point uses the same seed derived from it (default: random, always printed)', integer('--seed', 0))
    .option('--rpc-latency <duration>', "heartbeat (and report) RPC round trip (default: the scenario's world.latency.rpc; 0 allowed)")
    .option('--workers <n>', 'worker threads running the simulations (default: the number of cores; results do not depend on it)', integer('--workers', 1))
    .option('--timeout <duration>', 'wall-clock limit of one run; runs over it stop the benchmark with an error', '30s')
    .option('--shard <i/n>', 'simulate only shard i of n of the runs (a contiguous block) and write them for hbsim merge')
    .option('--progress-interval <duration>', 'without a terminal: print a progress line to stderr this often', '5s')
    .option('--json', 'print the results as one JSON object on stdout (as results.json)')
    .option('--out <dir>', 'where results.json, summary.md and the SVG charts go (default: reports/bench/<scenario>-<timestamp>/); with --shard, where the shard file goes (default: reports/shards/)')
    .addHelpText('after', '\nThe header and the seed print first; progress goes to stderr (a bar in a terminal, else a line every --progress-interval). Exit codes: 0 done, 1 a run hung (--timeout), 2 bad input (an unknown --param key, a malformed k=v, a bad duration or sweep list).')
    .action(async (file: string, o: { param?: string[]; sweep?: string; mtbf: string; runs: number; seed?: number; rpcLatency?: string; workers?: number; timeout: string; shard?: string; progressInterval: string; json?: boolean; out?: string }) => {
      scenarioFileInUse = file;
      const { workers, timeout, shard: shardFlag, progressInterval, ...rest } = o;
      const flags: BenchFlags = { ...rest, seed: o.seed ?? randomSeed() };
      const shard = shardFlag === undefined ? undefined : parseShard(shardFlag);
      const intervalMs = positiveDuration(progressInterval, '--progress-interval');
      const pool = new BenchPool(file, workers ?? defaultWorkers(), positiveDuration(timeout, '--timeout'));
      const header = [`hbsim bench ${file}`, `seed ${flags.seed}, ${o.runs} runs per point`];
      printHeader(out, err, header, !!o.json);
      let done = 0;
      let total = 0;
      const progress = startProgress(process.stderr, () => ({ done, total }), intervalMs);
      const onProgress = (d: number, t: number): void => {
        [done, total] = [d, t];
        progress.update();
      };
      try {
        if (shard !== undefined) {
          const r = await benchShard(file, flags, shard, { runner: pool.runner, onProgress });
          progress.stop();
          out(o.json ? JSON.stringify({ path: r.path }) + '\n' : r.lines.join('\n') + '\n');
          throw new Exit(0);
        }
        const r = await benchCommand(file, flags, { runner: pool.runner, onProgress });
        progress.stop();
        out(o.json ? JSON.stringify(r.result) + '\n' : withoutPrinted(r.lines, header.slice(0, 1)).join('\n') + '\n');
        throw new Exit(0);
      } finally {
        progress.stop();
        await pool.close();
      }
    });

  return program;
}

/** Run the CLI with `argv` (as process.argv); resolves to the exit code. */
export async function main(argv: readonly string[], out = (s: string) => void process.stdout.write(s), err = (s: string) => void process.stderr.write(s)): Promise<number> {
  const verbose = argv.includes('--verbose');
  scenarioFileInUse = undefined;
  const program = buildProgram(out, err);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof Exit) return error.code;
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2; // commander already printed the message
    }
    if (error instanceof RunTimeoutError || error instanceof WorkerStallError || error instanceof BenchTimeoutError) {
      err(`hbsim: ${error.message}\n`);
      return 1;
    }
    if (error instanceof HbsimConfigError) {
      const file = scenarioFileInUse;
      const named = error.field === 'activity' && file !== undefined && !error.message.startsWith(`${file}: `) ? `${file}: ${error.message}` : error.message;
      err(`hbsim: ${named}\n`);
      if (verbose && error.stack) err(error.stack + '\n');
      return 2;
    }
    err(`hbsim: internal error: ${describeThrown(error)}${verbose ? '' : ' (run with --verbose for the stack trace)'}\n`);
    if (verbose && (error as Error)?.stack) err((error as Error).stack + '\n');
    return 3;
  }
}

/**
 * What was thrown, readably: a worker thread can hand back a plain object (an error's fields
 * without its class), which printed as "[object Object]".
 */
export function describeThrown(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof message === 'string' && message !== '') return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  return typeof error === 'object' && error !== null ? inspect(error, { depth: 4, breakLength: Infinity }) : String(error);
}

