/**
 * JUnit XML (`--reporter junit`, `--junit <file>`): validated with libxml2 (xmllint-wasm) against
 * test/fixtures/junit.xsd, the structure of the common JUnit schema; one test case per property;
 * a violation's failure carries the explanation, the minimal plan and the replay command.
 */
import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, test } from 'vitest';
import { normalizeScenario } from '../../src/scenario.js';
import { runCheck } from '../../properties/check.js';
import { escapeXml, renderJunit } from '../../app/report/junit.js';
import broken from '../../examples/broken/add-without-idempotency-key.js';
import good from '../../examples/add-with-idempotency-key.js';

const XSD = readFileSync(new URL('../fixtures/junit.xsd', import.meta.url), 'utf8');

async function validate(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const r = await validateXML({ xml: [{ fileName: 'hbsim.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: XSD }] });
  return { valid: r.valid, errors: r.errors.map((e) => e.rawMessage) };
}

describe('JUnit XML', () => {
  test('a violated property: a valid report, one test case per property, the failure explains and replays', async () => {
    const report = await runCheck(normalizeScenario(broken), { seed: 3, runs: 60 });
    expect(report.ok).toBe(false);
    const xml = renderJunit({ report, file: 'examples/broken/add-without-idempotency-key.ts', elapsedS: 1.5, replay: (p) => `npx hbsim replay reports/failures/x-3.json --property ${p.name}`, timestamp: '2026-01-01T00:00:00.000Z', summary: ['coverage <& "quotes">'] });
    const v = await validate(xml);
    expect(v.errors).toEqual([]);
    expect(v.valid).toBe(true);
    expect(xml.match(/<testcase /g)).toHaveLength(report.properties.length);
    expect(xml).toContain('tests="6" failures="1" errors="0"');
    const failure = /<failure message="([^"]*)" type="idempotent">([^<]*)<\/failure>/.exec(xml);
    expect(failure).not.toBeNull();
    const body = failure![2]!;
    expect(body).toContain('minimal fault plan (world seed');
    expect(body).toContain('replay: npx hbsim replay reports/failures/x-3.json --property idempotent');
    expect(body).toContain(escapeXml(report.properties.find((p) => p.name === 'idempotent')!.violation!.details[0]!));
  });

  test('every property held: a valid report without failures; an unjudged property is skipped', async () => {
    const report = await runCheck(normalizeScenario(good), { seed: 3, runs: 20 });
    const xml = renderJunit({ report, file: 'examples/add-with-idempotency-key.ts', elapsedS: 0.2, replay: () => '', notJudged: (p) => (p.name === 'progress-monotonic' ? 'no progress function' : undefined) });
    expect((await validate(xml)).valid).toBe(true);
    expect(xml).toContain('failures="0"');
    expect(xml).toContain('<skipped message="no progress function"/>');
  });

  test('the validation can fail: a test case without a name, a count that is not a number, broken XML', async () => {
    const report = await runCheck(normalizeScenario(good), { seed: 3, runs: 5 });
    const xml = renderJunit({ report, file: 'f.ts', elapsedS: 0, replay: () => '' });
    expect((await validate(xml.replace('<testcase name="completes"', '<testcase'))).valid).toBe(false);
    expect((await validate(xml.replace('failures="0" errors="0" skipped', 'failures="none" errors="0" skipped'))).valid).toBe(false);
    expect((await validate(xml.replace('</testsuites>', ''))).valid).toBe(false);
  });

  test('escaping: markup and control characters in user text cannot break the XML', () => {
    expect(escapeXml('a<b>&"c\'\u0001')).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });
});
