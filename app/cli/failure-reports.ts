/**
 * What a failed check leaves on disk: `<reportDir>/failures/<scenario>-<seed>.json` (the failure
 * file `hbsim replay` reads) and one HTML timeline per violated property next to it. Used by
 * `hbsim check` and by `checkScenario(..., { reportDir })` from `hbsim/vitest`.
 */
import type { NormalizedScenario } from '../../src/scenario.js';
import type { CheckReport } from '../../properties/check.js';
import type { PropertyName } from '../../properties/types.js';
import { slug } from '../../properties/corpus.js';
import { FAILURE_FORMAT, type FailureFile } from './failure-file.js';
import { writeFileAtomic } from './write-atomic.js';
import { renderTimelineHtml } from '../report/timeline-html.js';

export { slug };

/** A shell word: as is when safe, else single-quoted. */
export function quote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export interface FailureReports {
  /** The failure file, when a property was violated. */
  readonly failureFile?: string;
  /** The HTML timeline of each violated property. */
  readonly htmlFiles: ReadonlyMap<PropertyName, string>;
}

/**
 * Write the failure file and the HTML timelines of `report`'s violations under `reportDir`
 * (nothing when every property holds). `file` is the scenario file as `replay` will be given it.
 */
export function writeFailureReports(scenario: NormalizedScenario, report: CheckReport, o: { readonly reportDir: string; readonly file: string }): FailureReports {
  const failed = report.properties.filter((p) => !p.ok);
  const htmlFiles = new Map<PropertyName, string>();
  if (failed.length === 0) return { htmlFiles };
  const base = `${o.reportDir}/failures/${slug(scenario.name)}-${report.seed}`;
  const failureFile = `${base}.json`;
  for (const p of failed) {
    const html = `${base}-${p.name}.html`;
    writeFileAtomic(html, renderTimelineHtml({
      title: `${scenario.name}: ${p.name} violated (seed ${report.seed})`,
      result: p.result!,
      verdict: { property: p.name, summary: p.violation!.summary, details: p.violation!.details },
      replay: `npx hbsim replay ${quote(failureFile)} --property ${p.name}`,
      highlight: { keys: p.violation!.keys ?? [], times: p.violation!.times ?? [] },
    }));
    htmlFiles.set(p.name, html);
  }
  const file: FailureFile = {
    hbsim: FAILURE_FORMAT,
    scenario: { name: scenario.name, file: o.file, profile: scenario.profile },
    seed: report.seed,
    runs: report.runs,
    maxFaults: report.maxFaults,
    failures: failed.map((p) => ({
      property: p.name,
      worldSeed: p.worldSeed!,
      world: p.worldSeed! - report.seed,
      plan: p.plan!,
      ...(p.path !== undefined ? { path: p.path } : {}),
      summary: p.violation!.summary,
      digest: p.result!.digest,
      report: htmlFiles.get(p.name)!,
    })),
  };
  writeFileAtomic(failureFile, JSON.stringify(file, null, 2) + '\n');
  return { failureFile, htmlFiles };
}
