/**
 * JUnit XML for CI systems (GitHub Actions test reporters, GitLab, Jenkins): one `<testsuite>` per
 * checked scenario, one `<testcase>` per property. A violated property is a `<failure>` whose
 * message is the one-sentence summary and whose body holds the explanation, the minimal fault
 * plan and the replay command; a property not judged on this scenario is `<skipped>`. The shape
 * is that of the common JUnit schema (Ant's format as Jenkins reads it): see
 * test/fixtures/junit.xsd and test/report/junit.test.ts.
 */
import { hostname } from 'node:os';
import type { CheckReport, PropertyVerdict } from '../../properties/check.js';
import { describeFault } from '../../sim/fault-plan.js';
import { formatTime } from '../../sim/trace.js';

export interface JunitInput {
  readonly report: CheckReport;
  /** The scenario file as the user named it (the test case's class name). */
  readonly file: string;
  /** Wall-clock seconds the check took. */
  readonly elapsedS: number;
  /** The command that replays a violated property. */
  readonly replay: (p: PropertyVerdict) => string;
  /** Why a property that holds was not judged (`undefined`: it was judged). */
  readonly notJudged?: (p: PropertyVerdict) => string | undefined;
  /** Extra lines for the suite's system-out (coverage, corpus, exhaustive summary). */
  readonly summary?: readonly string[];
  /** ISO timestamp of the check's start (default: now). */
  readonly timestamp?: string;
}

const XML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe in XML content and attributes; characters XML 1.0 forbids are dropped. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
}

/** The failure body: explanation, minimal plan, replay command. */
export function failureBody(p: PropertyVerdict, replay: string): string {
  const v = p.violation!;
  const lines = [v.summary, ...v.details.map((d) => `  ${d}`), '', `minimal fault plan (world seed ${p.worldSeed}):${p.plan!.length === 0 ? ' no fault at all' : ''}`];
  for (const f of p.plan!) lines.push(`  - ${describeFault(f, formatTime)}`);
  if (p.corpusFile !== undefined) lines.push('', `regression case from the corpus: ${p.corpusFile}`);
  lines.push('', `replay: ${replay}`);
  return lines.join('\n');
}

export function renderJunit(input: JunitInput): string {
  const { report } = input;
  const e = escapeXml;
  const failures = report.properties.filter((p) => !p.ok).length;
  const skipped = report.properties.filter((p) => p.ok && input.notJudged?.(p) !== undefined).length;
  const time = input.elapsedS.toFixed(3);
  const classname = `hbsim.${report.scenario}`;
  const cases = report.properties.map((p) => {
    const head = `    <testcase name="${e(p.name)}" classname="${e(classname)}" time="0">`;
    if (!p.ok) return `${head}\n      <failure message="${e(p.violation!.summary)}" type="${e(p.name)}">${e(failureBody(p, input.replay(p)))}</failure>\n    </testcase>`;
    const why = input.notJudged?.(p);
    if (why !== undefined) return `${head}\n      <skipped message="${e(why)}"/>\n    </testcase>`;
    return `${head}</testcase>`;
  });
  const props = [['file', input.file], ['seed', String(report.seed)], ['runs', String(report.runs)], ['maxFaults', String(report.maxFaults)]];
  const out = input.summary !== undefined && input.summary.length > 0 ? `\n    <system-out>${e(input.summary.join('\n'))}</system-out>` : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="hbsim" tests="${report.properties.length}" failures="${failures}" errors="0" time="${time}">`,
    `  <testsuite name="${e(`hbsim check ${report.scenario}`)}" tests="${report.properties.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}" timestamp="${e((input.timestamp ?? new Date().toISOString()).replace(/\.\d+Z$/, ''))}" hostname="${e(hostname())}">`,
    `    <properties>\n${props.map(([k, v]) => `      <property name="${e(k!)}" value="${e(v!)}"/>`).join('\n')}\n    </properties>`,
    ...cases,
    ...(out ? [out.slice(1)] : []),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
