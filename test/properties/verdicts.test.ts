/**
 * Verdicts that never overstate: the `result` property (the return value against the fault-free
 * run's, after the payload converter, through an optional projection), and properties with nothing
 * to judge reported as `not judged`, with the reason, in text, JSON and the vitest helper.
 */
import { describe, expect, test } from 'vitest';
import { defineScenario, type Scenario } from '../../src/scenario.js';
import type { World } from '../../src/world-api.js';
import { normalizeScenario } from '../../src/scenario.js';
import { runCheck } from '../../properties/check.js';
import { firstDifference } from '../../properties/checkers/result.js';
import { checkCommand } from '../../app/cli/check-command.js';
import { checkScenario, ScenarioCheckError } from '../../src/vitest.js';

const OPTIONS = { startToCloseTimeout: '10m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 10 } } as const;

/**
 * Resumes from its offset; returns what `returns` makes of the offset, the records this attempt
 * wrote and the world (and the virtual time). `heartbeatBeforePut`: the bug of heartbeating a
 * record's offset before writing it.
 */
function resuming(name: string, returns: (offset: number, done: number, world: World) => unknown, extra: Partial<Scenario> = {}, heartbeatBeforePut = false): Scenario {
  return defineScenario({
    name,
    records: 40,
    options: OPTIONS,
    activity: (world) => async (ctx) => {
      let offset = ctx.heartbeatDetails<number>() ?? 0;
      let done = 0;
      while (offset < world.source.size) {
        for (const r of await world.source.read(offset, 10)) {
          if (heartbeatBeforePut) ctx.heartbeat(r.offset + 1);
          await world.sink.put(`k/${r.key}`, r.amount);
          offset = r.offset + 1;
          done++;
          if (!heartbeatBeforePut) ctx.heartbeat(offset);
        }
      }
      return returns(offset, done, world);
    },
    ...extra,
  } as Scenario);
}

const crash = ['crashAt', 'crashAfterEffect', 'crashAfterHeartbeatStored'] as const;

describe('result', () => {
  test('a result that depends on when the run finished is a violation, explained by path', async () => {
    const report = await runCheck(normalizeScenario(resuming('finished-at', (offset) => ({ offset, finishedAt: Date.now() }))), { seed: 1, runs: 50, properties: ['result'], kinds: crash });
    const p = report.properties[0]!;
    expect(p.ok).toBe(false);
    expect(p.violation!.summary).toMatch(/^the activity returned \{"offset":40,"finishedAt":\d+\} instead of \{"offset":40,"finishedAt":\d+\} as in the fault-free run: finishedAt is \d+ instead of \d+ \(\d+ more\)$/);
    expect(p.violation!.details.join('\n')).toContain('give the scenario result: (value) => the part that must match');
  });

  test('the advice follows the cause: a total from the last attempt only is told to keep a running total; a count read back from the data after a skipped record is told to fix that first', async () => {
    const lastAttemptOnly = resuming('counts-this-attempt', (_offset, done) => done);
    const skipsThenCounts = resuming('heartbeat-before-put-then-count', async (_offset, _done, world) => {
      let present = 0;
      for (let i = 0; i < world.source.size; i += 10) for (const r of await world.source.read(i, 10)) if ((await world.sink.get(`k/${r.key}`)) !== undefined) present++;
      return present;
    }, {}, true);
    const details = async (s: Scenario) => {
      const report = await runCheck(normalizeScenario(s), { seed: 1, runs: 100, properties: ['result', 'no-skipped-records'], kinds: crash });
      const p = report.properties.find((x) => x.name === 'result')!;
      expect(p.ok).toBe(false);
      return p.violation!.details.join('\n');
    };
    const last = await details(lastAttemptOnly);
    expect(last).toContain('a result computed only from what the last attempt did');
    expect(last).not.toContain('the same run also fails');
    const skipped = await details(skipsThenCounts);
    expect(skipped).toContain('the same run also fails no-skipped-records: a result read back from the data (a count, a sum) is wrong for that reason; fix that first');
    expect(skipped).not.toContain('a result computed only from what the last attempt did');
  }, 60_000);

  test('scenario.result projects what must match: the same activity then holds', async () => {
    const scenario = resuming('finished-at', (offset) => ({ offset, finishedAt: Date.now() }), { result: (r: { offset: number }) => r.offset });
    const report = await runCheck(normalizeScenario(scenario), { seed: 1, runs: 50, properties: ['result'], kinds: crash });
    expect(report.properties[0]).toMatchObject({ name: 'result', ok: true, runs: 50 });
    expect(report.properties[0]!.notJudged).toBeUndefined();
  });

  test('H7 the compared value is the one after the payload converter: a Date arrives as a string, a Set as {}', async () => {
    const seen: unknown[] = [];
    const scenario = resuming('converted', (offset) => ({ offset, at: new Date(0), ids: new Set([1]) }), { result: (r: unknown) => (seen.push(r), r) });
    const report = await runCheck(normalizeScenario(scenario), { seed: 2, runs: 10, properties: ['result'], kinds: crash });
    expect(report.properties[0]!.ok).toBe(true);
    expect(seen[0]).toEqual({ offset: 40, at: '1970-01-01T00:00:00.000Z', ids: {} });
  });

  test('a projection that throws is reported, not swallowed', async () => {
    const scenario = resuming('throws', (offset) => offset, { result: () => { throw new Error('no total'); } });
    const report = await runCheck(normalizeScenario(scenario), { seed: 1, runs: 5, properties: ['result'] });
    expect(report.properties[0]!.violation!.summary).toContain("scenario.result(value) threw on the fault-free run's return value 40: no total");
  });

  test('firstDifference names the first differing path', () => {
    expect(firstDifference({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] }, '')).toEqual({ path: '.a[1].b', expected: 2, got: 3 });
    expect(firstDifference({ a: 1 }, { a: 1, c: 2 }, '')).toEqual({ path: '.c', expected: undefined, got: 2 });
    expect(firstDifference(5, 5, '')).toBeUndefined();
  });

  test('a scenario.result that is not a function is a config error naming the field', () => {
    expect(() => normalizeScenario({ ...resuming('x', (o) => o), result: 3 })).toThrow(/^result: got 3, expected a function/);
  });
});

describe('not judged is not held', () => {
  const writesNothing = defineScenario({
    name: 'writes-nothing',
    records: 10,
    options: OPTIONS,
    activity: (world) => async (ctx) => {
      for (let i = ctx.heartbeatDetails<number>() ?? 0; i < world.source.size; i++) {
        await world.source.read(i, 1);
        ctx.heartbeat(i + 1);
      }
    },
  });

  test('an activity that writes nothing and returns nothing: no-skipped-records, idempotent and result are not judged, with the reason', async () => {
    const report = await runCheck(normalizeScenario(writesNothing), { seed: 1, runs: 30 });
    const by = new Map(report.properties.map((p) => [p.name, p]));
    expect(by.get('no-skipped-records')).toMatchObject({ ok: true, runs: 0, notJudged: expect.stringContaining('wrote nothing to world.sink') });
    expect(by.get('idempotent')).toMatchObject({ ok: true, runs: 30, notJudged: expect.stringContaining('nor in any run with faults') });
    expect(by.get('result')).toMatchObject({ ok: true, notJudged: 'the activity returns nothing (undefined) in the fault-free run' });
    expect(by.get('completes')!.notJudged).toBeUndefined();
  });

  test('text and JSON say "not judged" and the reason, never "held"', async () => {
    const r = await checkCommand(normalizeScenario(writesNothing), { file: 'writes-nothing.ts', runs: 20, seed: 1, maxFaults: 3, json: false, verbose: false, reportDir: '/tmp/hbsim-verdicts-test' });
    const text = r.lines.join('\n');
    expect(text).toMatch(/ {2}- {5}idempotent {12}not judged: the activity wrote nothing to world\.sink/);
    expect(text).not.toMatch(/idempotent +held/);
    expect(text).toContain('3 of 7 properties hold, 4 not judged');
    const json = r.json as { properties: { name: string; status: string; notJudged?: string }[] };
    expect(json.properties.find((p) => p.name === 'no-skipped-records')).toMatchObject({ status: 'not judged', notJudged: expect.stringContaining('wrote nothing') });
    expect(json.properties.find((p) => p.name === 'completes')).toMatchObject({ status: 'held' });
  });

  test('hbsim/vitest: a property asked for by name that is not judged rejects; otherwise it resolves', async () => {
    await expect(checkScenario(writesNothing, { seed: 1, runs: 10 })).resolves.toMatchObject({ ok: true });
    const error = await checkScenario(writesNothing, { seed: 1, runs: 10, properties: ['idempotent'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioCheckError);
    expect((error as Error).message).toContain('idempotent: not judged: the activity wrote nothing to world.sink');
  });
});
