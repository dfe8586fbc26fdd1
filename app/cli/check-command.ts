/**
 * `hbsim check <scenario-file>`: search for fault plans that break a property; print per
 * property the verdict, and for a violation the minimal plan, the failing run's timeline and the
 * exact replay command; write reports/failures/<scenario>-<seed>.json and an HTML timeline.
 */
import { relative } from 'node:path';
import type { NormalizedScenario } from '../../src/scenario.js';
import type { SimulationResult } from '../../sim/simulation.js';
import { describeFault } from '../../sim/fault-plan.js';
import { ABORTED_CALL, serviceOfTable } from '../../sim/services/client-service.js';
import { formatTime } from '../../sim/trace.js';
import { runCheck, type CheckReport, type PropertyVerdict } from '../../properties/check.js';
import type { CaseEvaluator } from '../../properties/case-runner.js';
import { PROPERTY_NAMES, type PropertyName } from '../../properties/types.js';
import { CHECKERS } from '../../properties/checkers/index.js';
import type { CheckObserver } from '../../properties/check-observer.js';
import { quote, writeFailureReports } from './failure-reports.js';
import { timelineLines } from './timeline-text.js';
import { writeFileAtomic } from './write-atomic.js';
import { renderJunit } from '../report/junit.js';
import { renderCoverageHtml } from '../report/coverage-html.js';
import { coverageLines } from '../../properties/coverage.js';
import { corpusLines, keepCase, readCorpus, slug } from '../../properties/corpus.js';
import { exhaustiveLine } from '../../properties/exhaustive.js';
import { parseFault } from './failure-file.js';

export interface CheckCommandOptions {
  readonly file: string;
  readonly runs: number;
  readonly seed: number;
  readonly maxFaults: number;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly reportDir: string;
  readonly properties?: readonly PropertyName[];
  readonly progress?: (simulated: number) => void;
  readonly evaluator?: CaseEvaluator;
  /** From merged shards: the first failing case per property. */
  readonly firstFailing?: ReadonlyMap<PropertyName, number | null>;
  /** The regression corpus (replayed first; new failures kept there); `undefined`: none. */
  readonly corpusDir?: string;
  /** Every single-fault placement, then pairs up to `maxCases` (properties/exhaustive.ts). */
  readonly exhaustive?: boolean;
  readonly maxCases?: number;
  /** Also write the JUnit XML here. */
  readonly junitFile?: string;
  /** Told which cases are judged (the progress display; what an interrupted check covered). */
  readonly observer?: CheckObserver;
}

export { slug };

/** `npx hbsim replay <file> --seed S --path P --max-faults K`. */
export function replayBySeedCommand(file: string, seed: number, path: string | undefined, maxFaults: number, property: PropertyName): string {
  return `npx hbsim replay ${quote(file)} --seed ${seed}${path ? ` --path ${quote(path)}` : ''} --max-faults ${maxFaults} --property ${property}`;
}

export interface CheckOutcome {
  readonly report: CheckReport;
  readonly failureFile?: string;
  readonly htmlFiles: ReadonlyMap<PropertyName, string>;
  readonly lines: string[];
  readonly json: object;
  /** The JUnit XML (for `--reporter junit`). */
  readonly junit: string;
  /** The coverage page. */
  readonly coverageHtml: string;
  /** Failing cases added to the corpus by this check. */
  readonly kept: readonly string[];
}

export async function checkCommand(scenario: NormalizedScenario, o: CheckCommandOptions): Promise<CheckOutcome> {
  const started = performance.now();
  const report = await runCheck(scenario, {
    runs: o.runs,
    seed: o.seed,
    maxFaults: o.maxFaults,
    ...(o.properties ? { properties: o.properties } : {}),
    ...(o.progress ? { onProgress: o.progress } : {}),
    ...(o.evaluator ? { evaluator: o.evaluator } : {}),
    ...(o.firstFailing ? { firstFailing: o.firstFailing } : {}),
    ...(o.corpusDir !== undefined ? { corpus: readCorpus(o.corpusDir, scenario.name, parseFault) } : {}),
    ...(o.exhaustive ? { exhaustive: true, ...(o.maxCases !== undefined ? { maxCases: o.maxCases } : {}) } : {}),
    ...(o.observer ? { observer: o.observer } : {}),
  });
  const elapsed = (performance.now() - started) / 1000;
  const fileArg = relative(process.cwd(), o.file) || o.file;
  const failed = report.properties.filter((p) => !p.ok);
  const { failureFile, htmlFiles } = writeFailureReports(scenario, report, { reportDir: o.reportDir, file: fileArg });
  const kept: string[] = [];
  if (o.corpusDir !== undefined) {
    for (const p of failed) {
      if (p.corpusFile !== undefined) continue;
      const k = keepCase(o.corpusDir, { scenario: scenario.name, property: p.name, worldSeed: p.worldSeed!, plan: p.plan!, summary: p.violation!.summary });
      if (k.added) kept.push(k.file);
    }
  }
  const coverageHtml = `${o.reportDir}/coverage/${slug(scenario.name)}-${report.seed}${report.exhaustive ? '-exhaustive' : ''}.html`;
  writeFileAtomic(coverageHtml, renderCoverageHtml(report, `${scenario.name}: fault-space coverage (seed ${report.seed})`));
  const replayOf = (p: PropertyVerdict) => failureFile ? `npx hbsim replay ${quote(failureFile)} --property ${p.name}` : replayBySeedCommand(fileArg, report.seed, p.path, report.maxFaults, p.name);
  const summary = [...(report.exhaustive ? [exhaustiveLine(report.exhaustive)] : []), ...corpusLines(report.corpus), ...coverageLines(report.coverage)];
  const junit = renderJunit({ report, file: fileArg, elapsedS: elapsed, replay: replayOf, notJudged: (p) => p.notJudged, summary });
  if (o.junitFile !== undefined) writeFileAtomic(o.junitFile, junit);
  const lines = humanReport(scenario, report, o, fileArg, failureFile, htmlFiles, elapsed);
  lines.push('', ...coverageLines(report.coverage), `coverage report: ${coverageHtml}`);
  for (const k of kept) lines.push(`kept as a regression case: ${k} (commit it: hbsim check replays it first)`);
  if (o.junitFile !== undefined) lines.push(`JUnit XML: ${o.junitFile}`);
  const json = {
    scenario: scenario.name,
    ok: report.ok,
    seed: report.seed,
    runs: report.runs,
    warnings: report.warnings.map((w) => ({ id: w.id, message: w.message, fix: w.fix })),
    // Wall-clock figures, apart: everything else is the same for the same seed, byte for byte.
    timing: { simulated: report.simulated, seconds: Number(elapsed.toFixed(3)), runsPerSecond: runsPerSecond(report.simulated, Number(elapsed.toFixed(3))) },
    properties: report.properties.map((p) => ({
      name: p.name,
      ok: p.ok,
      status: statusOf(p),
      ...(p.notJudged !== undefined ? { notJudged: p.notJudged } : {}),
      ...(p.decidedBy !== undefined ? { decidedBy: p.decidedBy } : {}),
      ...(p.ok ? {} : {
        seed: p.seed,
        path: p.path,
        plan: p.plan,
        replay: replayOf(p),
        summary: p.violation?.summary,
        ...(p.corpusFile !== undefined ? { corpusFile: p.corpusFile } : {}),
      }),
    })),
    coverage: report.coverage,
    coverageReport: coverageHtml,
    corpus: report.corpus.map((r) => ({ file: r.file, property: r.property, status: r.status, ...(r.why ? { why: r.why } : {}) })),
    kept,
    ...(report.exhaustive ? { exhaustive: report.exhaustive } : {}),
  };
  return { report, ...(failureFile ? { failureFile } : {}), htmlFiles, lines, json, junit, coverageHtml, kept };
}

/** Simulated runs per second of wall time (whole numbers). */
function runsPerSecond(simulated: number, seconds: number): number {
  return seconds > 0 ? Math.round(simulated / seconds) : 0;
}

/** The first lines of a check's report, known before it runs: the CLI prints them at once. */
export function checkHeaderLines(scenario: NormalizedScenario, fileArg: string, seed: number, cases: string, maxFaults: number): string[] {
  return [
    `hbsim check ${fileArg}`,
    `scenario ${scenario.name} (${scenario.api} API, ${scenario.profile} profile), seed ${seed}, ${cases}, at most ${maxFaults} faults per run`,
  ];
}

/** What the fault-free run wrote, per kind of world: sink keys, database rows and statements, service entries and calls. */
export function writtenSummary(ref: SimulationResult): string {
  const parts: string[] = [];
  if (ref.sink.size > 0 || ref.database === undefined) parts.push(`${ref.sink.size} keys written`);
  const tables = [...(ref.database?.values() ?? [])];
  const sql = tables.filter((t) => serviceOfTable(t.table) === undefined);
  const services = tables.filter((t) => serviceOfTable(t.table) !== undefined);
  const rows = (ts: typeof tables): number => ts.reduce((n, t) => n + t.rows.size, 0);
  if (sql.length > 0) {
    const statements = ref.trace.reduce((n, e) => (e.type === 'sql' && e.attempt !== 0 ? n + 1 : n), 0);
    parts.push(`${rows(sql)} rows in ${plural(sql.length, 'table')}, ${plural(statements, 'SQL statement')}`);
  }
  if (services.length > 0) {
    const calls = ref.trace.reduce((n, e) => (e.type === 'call' && !e.outcome.startsWith(ABORTED_CALL) ? n + 1 : n), 0);
    parts.push(`${plural(rows(services), 'entry', 'entries')} in ${services.map((t) => serviceOfTable(t.table)).join(', ')}, ${plural(calls, 'service call')}`);
  }
  return parts.join(', ');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function humanReport(scenario: NormalizedScenario, report: CheckReport, o: CheckCommandOptions, fileArg: string, failureFile: string | undefined, html: ReadonlyMap<PropertyName, string>, elapsed: number): string[] {
  const ref = report.reference;
  const lines = [
    ...checkHeaderLines(scenario, fileArg, report.seed, report.exhaustive ? `exhaustive (${report.runs} cases)` : `${report.runs} runs per property`, report.maxFaults),
    `fault-free run: ${ref.outcome.status === 'completed' ? `completed at ${formatTime(ref.outcome.at)}` : `did not complete (${ref.outcome.status} at ${formatTime(ref.outcome.at)})`} in ${ref.attempts.length} attempt(s), ${writtenSummary(ref)}, ${ref.counts.heartbeatCalls} heartbeat calls, ${ref.counts.detailsStored} details stored`,
  ];
  for (const w of ref.warnings) lines.push(`warning (fault-free run): ${w}`);
  for (const w of report.warnings) lines.push(`warning: ${w.message}`, `  change: ${w.fix}`);
  if (report.exhaustive) lines.push(exhaustiveLine(report.exhaustive));
  lines.push(...corpusLines(report.corpus));
  lines.push('');
  const width = Math.max(...PROPERTY_NAMES.map((n) => n.length));
  for (const p of report.properties) {
    if (p.notJudged !== undefined) {
      lines.push(`  -     ${p.name.padEnd(width)}  not judged: ${p.notJudged}`);
      continue;
    }
    if (p.ok) {
      lines.push(`  ok    ${p.name.padEnd(width)}  ${report.exhaustive ? `held on all ${p.runs} cases` : `held on ${p.runs} runs`}`);
      continue;
    }
    lines.push(...violationLines(p, width, report, fileArg, failureFile, html.get(p.name), o.verbose));
  }
  const done = `${report.simulated} runs simulated in ${elapsed.toFixed(1)} s, ${runsPerSecond(report.simulated, elapsed)} runs/s`;
  lines.push('', `${tally(report.properties)} (${done})`);
  return lines;
}

/** `held`, `violated` or `not judged`. */
export function statusOf(p: PropertyVerdict): 'held' | 'violated' | 'not judged' {
  return !p.ok ? 'violated' : p.notJudged !== undefined ? 'not judged' : 'held';
}

/** `all 7 properties hold`, `1 of 7 properties violated, 2 not judged`, ... */
export function tally(properties: readonly PropertyVerdict[]): string {
  const n = properties.length;
  const bad = properties.filter((p) => !p.ok).length;
  const skipped = properties.filter((p) => p.notJudged !== undefined).length;
  const notJudged = skipped === 0 ? '' : `, ${skipped} not judged`;
  if (bad > 0) return `${bad} of ${n} properties violated${notJudged}`;
  return skipped === 0 ? `all ${n} properties hold` : `${n - skipped} of ${n} properties hold${notJudged}`;
}

function violationLines(p: PropertyVerdict, width: number, report: CheckReport, fileArg: string, failureFile: string | undefined, html: string | undefined, verbose: boolean): string[] {
  const v = p.violation!;
  const lines = [`  FAIL  ${p.name.padEnd(width)}  ${v.summary}`];
  const pad = '        ';
  if (p.decidedBy !== undefined) lines.push(`${pad}decided by ${p.decidedBy}`);
  if (p.corpusFile !== undefined) lines.push(`${pad}a regression case of the corpus still fails: ${p.corpusFile}`);
  for (const d of v.details.slice(0, verbose ? undefined : 8)) lines.push(`${pad}${d}`);
  if (!verbose && v.details.length > 8) lines.push(`${pad}... (${v.details.length - 8} more lines with --verbose)`);
  lines.push(`${pad}minimal fault plan (world seed ${p.worldSeed}):${p.plan!.length === 0 ? ' no fault at all' : ''}`);
  for (const f of p.plan!) lines.push(`${pad}  - ${describeFault(f, formatTime)}`);
  lines.push(`${pad}timeline of the failing run:`);
  for (const l of timelineLines(p.result!.trace, { keys: v.keys ?? [], times: v.times ?? [], all: verbose, maxLines: 60 })) lines.push(`${pad}  ${l}`);
  if (failureFile) lines.push(`${pad}replay:  npx hbsim replay ${quote(failureFile)} --property ${p.name}`);
  if (p.path !== undefined) lines.push(`${pad}or:      ${replayBySeedCommand(fileArg, report.seed, p.path, report.maxFaults, p.name)}`);
  if (html) lines.push(`${pad}report:  ${html}`);
  lines.push('');
  return lines;
}

/** For --help: what each property means. */
export function propertyHelp(): string {
  return CHECKERS.map((c) => `  ${c.name}: ${c.description}`).join('\n');
}
