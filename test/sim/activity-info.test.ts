/**
 * X7: `activityInfo()` carries every field of `@temporalio/activity` 1.24's `Info` a server fills,
 * derived from the scenario; several positional arguments (`args`) for both front doors.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { activityInfo, type Info } from '@temporalio/activity';
import { expectConfigError } from '../config-error.js';
import { describe, expect, test } from 'vitest';
import { decodeTaskToken } from '../../src/model/task-token.js';
import { defineScenario, normalizeScenario } from '../../src/scenario.js';
import { simulate } from '../../sim/simulate.js';
import { HbsimConfigError } from '../../src/errors.js';
import { EPOCH, LATENCY } from './helpers.js';

/** The field names of 1.24's `Info`, read from the installed declaration file. */
function infoFieldNames(): string[] {
  const require = createRequire(import.meta.url);
  const dts = readFileSync(require.resolve('@temporalio/activity/lib/index.d.ts'), 'utf8');
  const body = /export interface Info \{([\s\S]*?)\n\}/.exec(dts)?.[1] ?? '';
  const names = [...body.matchAll(/^ {4}readonly (\w+)\??:/gm)].map((m) => m[1]!);
  return names.sort();
}

describe('X7: activityInfo() is a whole Info', () => {
  test('X7 every field of 1.24 Info is present and derived from the scenario, attempt by attempt', async () => {
    const infos: Info[] = [];
    const scenario = defineScenario({
      name: 'x7-info',
      api: 'temporal',
      identity: { activityId: 'charge-42', activityType: 'chargeCard', workflowId: 'order-7', runId: 'run-abc', workflowType: 'orderWorkflow', taskQueue: 'payments', namespace: 'shop' },
      options: {
        scheduleToCloseTimeout: '1h',
        startToCloseTimeout: '5m',
        heartbeatTimeout: '10s',
        retry: { initialInterval: '2s', backoffCoefficient: 3, maximumAttempts: 5, nonRetryableErrorTypes: ['Fatal'] },
        priority: { priorityKey: 2 },
      },
      world: { latency: LATENCY },
      activity: () => async () => {
        infos.push(activityInfo());
        if (activityInfo().attempt === 1) throw new Error('once');
        return 'ok';
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(r.outcome).toMatchObject({ status: 'completed', attempt: 2 });
    expect(Object.keys(infos[0]!).sort()).toEqual(infoFieldNames());
    const [first, second] = infos as [Info, Info];
    const expected = (attempt: number, currentAttemptScheduled: number) => ({
      base64TaskToken: Buffer.from(attempt === 1 ? first.taskToken : second.taskToken).toString('base64'),
      activityId: 'charge-42',
      activityType: 'chargeCard',
      activityNamespace: 'shop',
      namespace: 'shop',
      attempt,
      isLocal: false,
      inWorkflow: true,
      workflowExecution: { workflowId: 'order-7', runId: 'run-abc' },
      workflowNamespace: 'shop',
      workflowType: 'orderWorkflow',
      activityRunId: undefined,
      scheduledTimestampMs: EPOCH,
      currentAttemptScheduledTimestampMs: EPOCH + currentAttemptScheduled,
      scheduleToCloseTimeoutMs: 3_600_000,
      startToCloseTimeoutMs: 300_000,
      heartbeatTimeoutMs: 10_000,
      heartbeatDetails: undefined,
      taskQueue: 'payments',
      priority: { priorityKey: 2, fairnessKey: '', fairnessWeight: 0 },
      retryPolicy: { initialInterval: 2000, backoffCoefficient: 3, maximumInterval: 200_000, maximumAttempts: 5, nonRetryableErrorTypes: ['Fatal'] },
    });
    const { taskToken: t1, ...rest1 } = first;
    const { taskToken: t2, ...rest2 } = second;
    expect(rest1).toEqual(expected(1, 0));
    // Failed at 1 ms (the report reached the server), backoff 2 s.
    expect(rest2).toEqual(expected(2, 2001));
    // The task token is unique per attempt and names it.
    expect(t1).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(t1).equals(Buffer.from(t2))).toBe(false);
    expect(decodeTaskToken(t1)).toEqual({ namespace: 'shop', workflowId: 'order-7', runId: 'run-abc', activityId: 'charge-42', attempt: 1 });
    expect(decodeTaskToken(t2)).toMatchObject({ attempt: 2 });
  });

  test('X7 defaults: ids from the scenario name, default policy normalised (R8), no heartbeat timeout, no priority, no schedule-to-close', async () => {
    let info: Info | undefined;
    const scenario = defineScenario({
      name: 'x7-defaults',
      api: 'temporal',
      options: { startToCloseTimeout: '30s' },
      world: { latency: LATENCY },
      activity: () => async () => {
        info = activityInfo();
      },
    });
    await simulate(scenario, { seed: 1 });
    expect(info).toMatchObject({
      activityId: '1',
      activityType: 'x7-defaults',
      workflowExecution: { workflowId: 'hbsim-workflow', runId: '00000000-0000-4000-8000-000000000001' },
      workflowType: 'hbsimWorkflow',
      taskQueue: 'hbsim',
      namespace: 'default',
      heartbeatTimeoutMs: undefined,
      scheduleToCloseTimeoutMs: 0,
      startToCloseTimeoutMs: 30_000,
      priority: { priorityKey: undefined, fairnessKey: undefined, fairnessWeight: undefined },
      retryPolicy: { initialInterval: 1000, backoffCoefficient: 2, maximumInterval: 100_000, maximumAttempts: 0, nonRetryableErrorTypes: [] },
    });
  });

  test('X7 the native context reports the same ids', async () => {
    let seen: unknown;
    const scenario = defineScenario({
      name: 'x7-native',
      identity: { activityId: 'a-9', activityType: 'Process' },
      options: { startToCloseTimeout: '30s' },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        seen = [ctx.info.activityId, ctx.info.activityType];
      },
    });
    await simulate(scenario, { seed: 1 });
    expect(seen).toEqual(['a-9', 'Process']);
  });

  test('X7 bad identity and priority fields are named', () => {
    const base = { name: 'x', options: { startToCloseTimeout: '1m' }, activity: () => async () => {} };
    expectConfigError(() => simulateSync({ ...base, identity: { workflowId: 3 } }), 'identity.workflowId');
    expectConfigError(() => simulateSync({ ...base, identity: { workflowid: 'x' } }), 'identity.workflowid');
    expectConfigError(() => simulateSync({ ...base, options: { startToCloseTimeout: '1m', priority: { priorityKey: -1 } } }), 'options.priority.priorityKey');
    expectConfigError(() => simulateSync({ ...base, profile: 'cadence', options: { scheduleToStartTimeout: '1m', startToCloseTimeout: '1m', priority: { priorityKey: 1 } } }), 'options.priority');
  });
});

describe('several positional arguments', () => {
  test('args: [...] are the activity\'s positional arguments, through both front doors', async () => {
    const seen: unknown[] = [];
    const temporal = defineScenario({
      name: 'args-temporal',
      api: 'temporal',
      args: [30_000, 10, { unit: 'ms' }],
      options: { startToCloseTimeout: '1m' },
      world: { latency: LATENCY },
      activity: () => async (ms: number, steps: number, opts: { unit: string }) => {
        seen.push([ms, steps, opts]);
        return ms / steps;
      },
    });
    const native = defineScenario({
      name: 'args-native',
      args: ['a', 2],
      options: { startToCloseTimeout: '1m' },
      world: { latency: LATENCY },
      activity: () => async (_ctx, a: string, b: number) => {
        seen.push([a, b]);
      },
    });
    expect((await simulate(temporal, { seed: 1 })).outcome).toMatchObject({ status: 'completed', result: 3000 });
    await simulate(native, { seed: 1 });
    expect(seen).toEqual([[30_000, 10, { unit: 'ms' }], ['a', 2]]);
  });

  test('args are payloads: each attempt decodes its own copy (a mutation does not reach the retry); a Date arrives as a string', async () => {
    const seen: unknown[] = [];
    const scenario = defineScenario({
      name: 'args-copy',
      api: 'temporal',
      args: [{ items: [1, 2, 3] }, new Date(Date.UTC(2026, 4, 1))],
      options: { startToCloseTimeout: '1m', retry: { initialInterval: '1s' } },
      world: { latency: LATENCY },
      activity: () => async (job: { items: number[] }, when: unknown) => {
        seen.push([job.items.length, when]);
        job.items.pop();
        if (activityInfo().attempt === 1) throw new Error('again');
      },
    });
    await simulate(scenario, { seed: 1 });
    expect(seen).toEqual([[3, '2026-05-01T00:00:00.000Z'], [3, '2026-05-01T00:00:00.000Z']]);
  });

  test('input still passes one argument; neither: no argument', async () => {
    const seen: unknown[] = [];
    const make = (extra: object) => defineScenario({
      name: 'one',
      api: 'temporal',
      ...extra,
      options: { startToCloseTimeout: '1m' },
      world: { latency: LATENCY },
      activity: () => async (...args: unknown[]) => {
        seen.push(args);
      },
    });
    await simulate(make({ input: { n: 1 } }), { seed: 1 });
    await simulate(make({}), { seed: 1 });
    expect(seen).toEqual([[{ n: 1 }], []]);
  });

  test('input and args together, args not an array, an argument the payload converter refuses: a clear error naming the field', () => {
    const base = { name: 'x', options: { startToCloseTimeout: '1m' }, activity: () => async () => {} };
    const both = expectConfigError(() => simulateSync({ ...base, input: 1, args: [2] }), 'args');
    expect(both.message).toMatch(/input.*args/);
    expectConfigError(() => simulateSync({ ...base, args: 5 }), 'args');
    expectConfigError(() => simulateSync({ ...base, args: [1, 2n] }), 'args[1]');
  });
});

/** Validation happens synchronously, before the simulation starts. */
function simulateSync(scenario: unknown): void {
  normalizeScenario(scenario);
}
