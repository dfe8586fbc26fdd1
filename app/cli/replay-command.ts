/**
 * `hbsim replay <failure.json>` or `hbsim replay <scenario-file> --seed S --path P`: re-run
 * exactly the failing case, print the same timeline and verdict. Exit 1 if the violation
 * reproduces.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NormalizedScenario } from '../../src/scenario.js';
import { HbsimConfigError } from '../../src/errors.js';
import { describeFault } from '../../sim/fault-plan.js';
import { formatTime } from '../../sim/trace.js';
import { CaseRunner, caseAt, minimize } from '../../properties/check.js';
import { planSpaceOf, type SearchCase } from '../../properties/arbitraries/fault-plan.js';
import { PROPERTY_NAMES, type PropertyName, type Violation } from '../../properties/types.js';
import { timelineLines } from './timeline-text.js';
import type { FailureFile } from './failure-file.js';

export interface ReplayOutcome {
  readonly reproduced: boolean;
  readonly lines: string[];
  readonly json: object;
}

interface ReplayItem {
  readonly property: PropertyName;
  readonly c: SearchCase;
  readonly expectedDigest?: string;
}

/** The scenario file a failure file names: as written, else relative to the failure file's folder. */
export function scenarioFileOf(failure: FailureFile, failurePath: string): string {
  if (existsSync(failure.scenario.file)) return failure.scenario.file;
  const alt = resolve(failurePath, '..', '..', '..', failure.scenario.file);
  if (existsSync(alt)) return alt;
  throw new HbsimConfigError(`${failurePath}: scenario.file`, failure.scenario.file, 'the scenario file that was checked, at the same path (run replay from the folder where you ran check)', 'no such file');
}

export async function replayFromFailure(scenario: NormalizedScenario, failure: FailureFile, only: PropertyName | undefined, verbose: boolean): Promise<ReplayOutcome> {
  const items = failure.failures
    .filter((f) => only === undefined || f.property === only)
    .map((f) => ({ property: f.property, c: { world: f.world, plan: f.plan }, expectedDigest: f.digest }));
  if (items.length === 0) throw new HbsimConfigError('--property', only, `one of the failures in the file: ${failure.failures.map((f) => f.property).join(', ')}`);
  return replayCases(scenario, failure.seed, items, verbose);
}

export async function replayBySeed(scenario: NormalizedScenario, seed: number, path: string, maxFaults: number, property: PropertyName | undefined, verbose: boolean): Promise<ReplayOutcome> {
  const runner = new CaseRunner(scenario, seed);
  const space = planSpaceOf(scenario, await runner.reference(seed));
  const found = await caseAt(space, maxFaults, seed, path);
  if (found === undefined) throw new HbsimConfigError('--path', path, 'a path printed by hbsim check for this scenario, --seed and --max-faults');
  const properties = property === undefined ? PROPERTY_NAMES : [property];
  const items: ReplayItem[] = [];
  for (const p of properties) items.push({ property: p, c: await minimize(runner, p, found, 1) });
  return replayCases(scenario, seed, items, verbose, runner);
}

async function replayCases(scenario: NormalizedScenario, seed: number, items: readonly ReplayItem[], verbose: boolean, runner = new CaseRunner(scenario, seed)): Promise<ReplayOutcome> {
  const lines: string[] = [];
  const results: object[] = [];
  let reproduced = false;
  for (const item of items) {
    const judged = await runner.judge(item.c, item.property === 'deterministic');
    const v: Violation | undefined = judged.violations.get(item.property);
    if (v !== undefined) reproduced = true;
    const digestNote = item.expectedDigest === undefined ? '' : judged.run.digest === item.expectedDigest ? ' (same trace digest as when it was found)' : ` (trace digest ${judged.run.digest} differs from the recorded ${item.expectedDigest}: the scenario or hbsim changed, or the activity is nondeterministic)`;
    lines.push(`${v ? 'FAIL' : 'ok  '}  ${item.property}: ${v ? v.summary : 'does not reproduce: the property holds on this case'}${digestNote}`);
    if (v) for (const d of v.details.slice(0, verbose ? undefined : 8)) lines.push(`      ${d}`);
    lines.push(`      fault plan (world seed ${runner.worldSeed(item.c)}):${item.c.plan.length === 0 ? ' no fault at all' : ''}`);
    for (const f of item.c.plan) lines.push(`        - ${describeFault(f, formatTime)}`);
    lines.push('      timeline:');
    for (const l of timelineLines(judged.run.trace, { keys: v?.keys ?? [], times: v?.times ?? [], all: verbose, maxLines: 60 })) lines.push(`        ${l}`);
    lines.push('');
    results.push({ property: item.property, reproduced: v !== undefined, summary: v?.summary, digest: judged.run.digest, plan: item.c.plan, worldSeed: runner.worldSeed(item.c) });
  }
  lines.push(reproduced ? 'the violation reproduces' : 'no violation reproduced');
  return { reproduced, lines, json: { scenario: scenario.name, seed, reproduced, results } };
}
