/**
 * `hbsim/vitest`: run hbsim's property search inside a vitest (or any) test, next to the user's
 * other tests.
 *
 * ```ts
 * import { test } from 'vitest';
 * import { checkScenario } from 'hbsim/vitest';
 * import scenario from './statements.scenario.js';
 *
 * test('statements survive crashes', () => checkScenario(scenario, { seed: 42, file: 'test/statements.scenario.ts' }), 60_000);
 * ```
 *
 * It resolves with the report when every property holds, and rejects with an error whose message
 * names each violated property, its minimal fault plan and the command that replays it.
 *
 * Like `hbsim check`, it replays the regression corpus first (`reports/corpus/<scenario>/`,
 * relative to the working directory; `corpus: false` turns it off) and keeps every new failing
 * case there: commit those files and the bug stays a test.
 */
import { normalizeScenario } from './scenario.js';
import { runCheck, type CheckOptions, type CheckReport } from '../properties/check.js';
import { describeFault } from '../sim/fault-plan.js';
import { formatTime } from '../sim/trace.js';
import { keepCase, readCorpus } from '../properties/corpus.js';
import { parseFault } from '../app/cli/failure-file.js';

export interface VitestCheckOptions extends Omit<CheckOptions, 'corpus'> {
  /** The scenario's file, for the replay command in the failure message. */
  readonly file?: string;
  /** The regression corpus folder (default `reports/corpus`); `false`: neither replay nor keep cases. */
  readonly corpus?: string | false;
}

/** Thrown when a property is violated; `report` holds every verdict. */
export class ScenarioCheckError extends Error {
  override readonly name = 'ScenarioCheckError';
  constructor(message: string, readonly report: CheckReport) {
    super(message);
  }
}

export async function checkScenario(scenario: unknown, options: VitestCheckOptions = {}): Promise<CheckReport> {
  const normalized = normalizeScenario(scenario);
  const corpusDir = options.corpus === false ? undefined : options.corpus ?? 'reports/corpus';
  const corpus = corpusDir === undefined ? [] : readCorpus(corpusDir, normalized.name, parseFault);
  const report = await runCheck(normalized, { ...options, seed: options.seed ?? 0, corpus });
  if (report.ok) return report;
  const file = options.file ?? '<scenario-file>';
  const lines = [`hbsim: ${normalized.name} violates ${report.properties.filter((p) => !p.ok).map((p) => p.name).join(', ')} (seed ${report.seed})`];
  for (const p of report.properties) {
    if (p.ok) continue;
    lines.push('', `${p.name}: ${p.violation!.summary}`);
    if (p.corpusFile !== undefined) lines.push(`  a regression case of the corpus still fails: ${p.corpusFile}`);
    else if (corpusDir !== undefined) lines.push(`  kept as a regression case: ${keepCase(corpusDir, { scenario: normalized.name, property: p.name, worldSeed: p.worldSeed!, plan: p.plan!, summary: p.violation!.summary }).file}`);
    lines.push(`  minimal fault plan (world seed ${p.worldSeed}):${p.plan!.length === 0 ? ' no fault at all' : ''}`);
    for (const f of p.plan!) lines.push(`    - ${describeFault(f, formatTime)}`);
    if (p.path !== undefined) lines.push(`  replay: npx hbsim replay ${file} --seed ${report.seed} --path ${p.path} --max-faults ${report.maxFaults} --property ${p.name}`);
    else lines.push(`  replay: npx hbsim run ${file} --seed ${p.worldSeed}${p.plan!.map((f) => ` --fault '${JSON.stringify(f)}'`).join('')}`);
  }
  throw new ScenarioCheckError(lines.join('\n'), report);
}
