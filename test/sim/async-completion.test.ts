/**
 * X6: async completion. An activity that throws CompleteAsyncError reports nothing; the attempt
 * stays open on the server with its timers running until a client (here the scenario's external
 * system, or the activity's own Context.client) completes, fails, heartbeats or cancels it, by
 * task token or full activity id; a call for an attempt that is no longer current gets NotFound
 * (H6). X7: the client; anything else on it stops the run, and the verdict says so.
 */
import { activityInfo, CompleteAsyncError, getClient, heartbeat } from '@temporalio/activity';
import { describe, expect, test } from 'vitest';
import { defineScenario, normalizeScenario } from '../../src/scenario.js';
import { simulate } from '../../sim/simulate.js';
import { runCheck } from '../../properties/check.js';
import { eventsOf, LATENCY } from './helpers.js';
import { ActivityLifecycle } from '../../src/model/lifecycle.js';
import { normalizedOptions } from '../model/fixtures.js';

interface Job {
  readonly token: Uint8Array;
  readonly amount: number;
}

/** A payment provider that settles a charge `after` ms after it receives it. */
function provider(after: number, outcome: 'complete' | 'nothing' | 'fail' = 'complete') {
  return {
    handler: () => async (job: Job) => {
      await new Promise((resolve) => setTimeout(resolve, after));
      if (outcome === 'complete') await getClientFromExternal(job).activity.complete(job.token, { charged: job.amount });
      else if (outcome === 'fail') await getClientFromExternal(job).activity.fail(job.token, new Error('card declined'));
    },
  };
}
// The handler factory receives the client; this keeps the helpers above short.
let externalClient: { activity: { complete: Function; fail: Function; heartbeat: Function; reportCancellation: Function } } | undefined;
function getClientFromExternal(_job: Job) {
  return externalClient! as unknown as ReturnType<typeof getClient>;
}

let chargeWorld: import('../../src/world-api.js').World | undefined;
function chargeScenario(overrides: Record<string, unknown> = {}, external = provider(3000)) {
  return defineScenario({
    name: 'x6-charge',
    api: 'temporal',
    args: [1250],
    options: { startToCloseTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 3 } },
    world: { latency: LATENCY },
    external: {
      ...external,
      handler: (world, client) => {
        externalClient = client as typeof externalClient;
        chargeWorld = world;
        return external.handler();
      },
    },
    activity: (world) => async (amount: number) => {
      await world.external.submit({ token: activityInfo().taskToken, amount });
      throw new CompleteAsyncError();
    },
    ...overrides,
  });
}

describe('X6: async completion', () => {
  test('X6 CompleteAsyncError reports nothing; the external system completes the open attempt by task token', async () => {
    const r = await simulate(chargeScenario(), { seed: 1 });
    // submit: 1 ms to arrive, 2 ms round trip; the provider waits 3 s, its complete RPC reaches the server 1 ms later.
    expect(r.outcome).toEqual({ status: 'completed', result: { charged: 1250 }, attempt: 1, at: 3002 });
    expect(eventsOf(r, 'willCompleteAsync').map((e) => [e.t, e.attempt])).toEqual([[2, 1]]);
    expect(eventsOf(r, 'reported')).toEqual([]);
    expect(eventsOf(r, 'clientCall').map((e) => [e.t, e.op, e.attempt, e.by, e.answer])).toEqual([[3002, 'complete', 1, 'taskToken', 'accepted']]);
    expect(r.warnings).toEqual([]);
  });

  test('X6 the attempt\'s start-to-close timer runs meanwhile: a completion after it gets NotFound (H6), and the retry is completed instead', async () => {
    const r = await simulate(chargeScenario({}, provider(12_000)), { seed: 1 });
    const calls = eventsOf(r, 'clientCall').map((e) => [e.t, e.attempt, e.answer]);
    // Attempt 1 times out at 10 s; attempt 2 starts at 11 s and submits again. Attempt 1's job
    // completes at 12.002 s (NotFound), attempt 2's at 23.002 s (after its own timeout at 21 s: NotFound too).
    expect(calls[0]).toEqual([12_002, 1, 'NotFound (not the current attempt, H6)']);
    expect(r.outcome).toMatchObject({ status: 'timedOut', attempt: 3 });
  });

  test('X6 external system that never answers: timers decide (no warning about pending timers, no failure report)', async () => {
    const r = await simulate(chargeScenario({}, provider(0, 'nothing')), { seed: 1 });
    expect(r.outcome).toMatchObject({ status: 'timedOut', attempt: 3 });
    expect(eventsOf(r, 'reported')).toEqual([]);
    expect(r.warnings.filter((w) => w.includes('timer'))).toEqual([]);
  });

  test('X6 client.activity.fail fails the attempt through the retry policy', async () => {
    const r = await simulate(chargeScenario({ options: { startToCloseTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 2 } } }, provider(100, 'fail')), { seed: 1 });
    expect(r.outcome).toMatchObject({ status: 'failed', attempt: 2, failure: { kind: 'application', type: 'Error', message: 'card declined' } });
  });

  test('X6 by full activity id: applies to the current attempt once started; wrong ids get NotFound', async () => {
    const answers: string[] = [];
    const scenario = chargeScenario({}, {
      handler: () => async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        await getClientFromExternal({} as Job).activity.complete({ workflowId: 'nope', activityId: '1' }, 1).catch((e: Error) => answers.push(e.name));
        await getClientFromExternal({} as Job).activity.complete({ workflowId: 'hbsim-workflow', activityId: '1' }, 'by id');
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    // (The run ends when the activity closes: the second call's answer is not awaited.)
    expect(answers).toEqual(['ActivityNotFoundError']);
    expect(r.outcome).toMatchObject({ status: 'completed', result: 'by id', attempt: 1 });
    expect(eventsOf(r, 'clientCall').map((e) => [e.by, e.attempt, e.answer])).toEqual([
      ['activityId', 0, 'NotFound (not the current attempt, H6)'],
      ['activityId', 1, 'accepted'],
    ]);
  });

  test('X6 H6 model: a completion by id closes an activity in retry backoff or queued (the server fabricates the start); by task token (or a heartbeat) it is NotFound', () => {
    const make = () => {
      const l = new ActivityLifecycle(normalizedOptions('temporal', { startToCloseTimeoutMs: 10_000 }));
      l.handle({ type: 'schedule', at: 0 });
      l.handle({ type: 'attemptStarted', at: 0, attempt: 1, worker: 'w' });
      l.handle({ type: 'failed', at: 5, attempt: 1, failure: { kind: 'application', type: 'Error', message: 'x', nonRetryable: false } });
      expect(l.phase).toBe('backoff');
      return l;
    };
    const responses = (l: ActivityLifecycle, event: Parameters<ActivityLifecycle['handle']>[0]) => l.handle(event).filter((d) => d.type === 'respond').map((d) => (d as { status: string }).status);
    expect(responses(make(), { type: 'completed', at: 6, attempt: 2, result: 1 })).toEqual(['notFound']);
    expect(responses(make(), { type: 'heartbeat', at: 6, attempt: 2, details: undefined })).toEqual(['notFound']);
    const byId = make();
    expect(responses(byId, { type: 'completed', at: 6, attempt: 2, result: 'forced', byId: true })).toEqual(['ok']);
    expect(byId.outcome).toEqual({ status: 'completed', result: 'forced', attempt: 2, at: 6 });
    expect(byId.armedTimers).toEqual([]);
    // Queued: the task is withdrawn.
    const queued = new ActivityLifecycle(normalizedOptions('temporal', { startToCloseTimeoutMs: 10_000 }));
    queued.handle({ type: 'schedule', at: 0 });
    const decisions = queued.handle({ type: 'completed', at: 1, attempt: 1, result: 'early', byId: true });
    expect(decisions.map((d) => d.type)).toContain('withdraw');
    expect(queued.outcome).toMatchObject({ status: 'completed', result: 'early' });
  });

  test('X6 end to end: the provider completes by id while the activity waits in retry backoff', async () => {
    const scenario = chargeScenario({ options: { startToCloseTimeout: '10s', retry: { initialInterval: '1m' } } }, {
      handler: () => async () => {
        await new Promise((resolve) => setTimeout(resolve, 12_000)); // attempt 1 timed out at 10 s; attempt 2 is due at 70 s
        await getClientFromExternal({} as Job).activity.complete({ workflowId: 'hbsim-workflow', activityId: '1' }, 'late, by id');
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(r.outcome).toEqual({ status: 'completed', result: 'late, by id', attempt: 2, at: 12_002 });
    expect(r.attempts).toHaveLength(1);
  });

  test('X6 H1 client heartbeats keep the attempt alive past its heartbeat timeout and store details; a cancel request is answered with ActivityCancelledError, then reportCancellation closes it canceled', async () => {
    const seen: string[] = [];
    const scenario = chargeScenario({ options: { startToCloseTimeout: '1m', heartbeatTimeout: '2s', retry: { maximumAttempts: 1 } } }, {
      handler: () => async (job: Job) => {
        const client = getClientFromExternal(job);
        for (let i = 1; i <= 10; i++) {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          try {
            await client.activity.heartbeat(job.token, { step: i });
          } catch (e) {
            seen.push((e as Error).name);
            await client.activity.reportCancellation(job.token, 'stopped');
            return;
          }
        }
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'cancel', at: 4500 }] });
    expect(eventsOf(r, 'detailsStored').map((e) => e.details)).toEqual(['{"step":1}', '{"step":2}', '{"step":3}', '{"step":4}', '{"step":5}']);
    expect(seen).toEqual(['ActivityCancelledError']);
    expect(r.outcome).toMatchObject({ status: 'canceled', attempt: 1, details: '"stopped"' });
  });

  test('X6 a worker crash after the job reached the external system does not stop it: it completes attempt 1, still open on the server', async () => {
    // The job arrives at 1 ms; the worker dies at 2 ms, before submit() returns.
    const r = await simulate(chargeScenario(), { seed: 1, faults: [{ kind: 'crash', at: 2 }] });
    expect(r.counts.crashes).toBe(1);
    expect(eventsOf(r, 'willCompleteAsync')).toEqual([]);
    expect(r.outcome).toMatchObject({ status: 'completed', attempt: 1, at: 3002 });
  });

  test('X6 a worker crash before the job reached it: the job is lost with the request; the retry submits again', async () => {
    const r = await simulate(chargeScenario(), { seed: 1, faults: [{ kind: 'crash', at: 1 }] });
    expect(eventsOf(r, 'external').map((e) => e.what)).toEqual(['job #1 submitted', 'job #2 submitted', 'job #2 received']);
    expect(r.outcome).toMatchObject({ status: 'completed', attempt: 2 });
  });

  test('X6 externalCrash loses the job in progress; the attempt times out and the retry submits again', async () => {
    const r = await simulate(chargeScenario(), { seed: 1, faults: [{ kind: 'externalCrash', at: 1000 }] });
    expect(eventsOf(r, 'external').map((e) => e.what)).toContain('restarted');
    expect(r.outcome).toMatchObject({ status: 'completed', attempt: 2 });
    expect(r.attempts.map((a) => a.how)).toEqual(['timed out (START_TO_CLOSE)', 'completed']);
  });

  test('X6 a crash keyed on a sink effect made by the external system crashes the external system: after the charge, before the completion', async () => {
    const scenario = chargeScenario({}, {
      handler: () => async (job: Job) => {
        await new Promise((resolve) => setTimeout(resolve, 3000));
        await chargeWorld!.sink.add('charged', job.amount, { idempotencyKey: 'order-1' });
        await getClientFromExternal(job).activity.complete(job.token, 'ok');
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'crash', afterEffect: 1 }] });
    expect(r.counts.crashes).toBe(0); // no worker died
    expect(eventsOf(r, 'external').map((e) => e.what)).toContain('CRASH of the external system (fault plan: crash right after sink effect #1 applied): the jobs it was working on are lost');
    // Attempt 1 times out; the retry's charge is a no-op (same key), its completion accepted.
    expect(r.outcome).toMatchObject({ status: 'completed', attempt: 2 });
    expect([...r.sink]).toEqual([['charged', 1250]]);
  });

  test('X6 externalDelayed: the job arrives late (here after the start-to-close timeout)', async () => {
    const r = await simulate(chargeScenario(), { seed: 1, faults: [{ kind: 'externalDelayed', nth: 1, byMs: 8000 }] });
    expect(eventsOf(r, 'clientCall').map((e) => [e.t, e.attempt, e.answer])[0]).toEqual([11_002, 1, 'NotFound (not the current attempt, H6)']);
    expect(r.outcome).toMatchObject({ status: 'completed', attempt: 2 });
  });

  test('X6 world.external.submit without an external system rejects with a clear error', async () => {
    const r = await simulate(chargeScenario({ external: undefined, options: { startToCloseTimeout: '10s', retry: { maximumAttempts: 1 } } }), { seed: 1 });
    expect(r.outcome).toMatchObject({ status: 'failed', failure: { message: expect.stringContaining('declares no `external` system') } });
  });
});

describe('X7: the client', () => {
  test('X7 getClient() and Context.client are the simulated client: an activity heartbeats itself by task token', async () => {
    const scenario = defineScenario({
      name: 'x7-self',
      api: 'temporal',
      options: { startToCloseTimeout: '1m', heartbeatTimeout: '5s' },
      world: { latency: LATENCY },
      activity: () => async () => {
        for (let i = 1; i <= 3; i++) {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          await getClient().activity.heartbeat(activityInfo().taskToken, i);
        }
        return 'done';
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(r.outcome).toMatchObject({ status: 'completed', result: 'done' });
    expect(eventsOf(r, 'detailsStored').map((e) => [e.t, e.details])).toEqual([[1001, '1'], [2003, '2'], [3005, '3']]);
  });

  test('X7 anything else on the client throws "hbsim: client.X is not simulated" and stops the run, even if the activity swallows the error', async () => {
    const thrown: string[] = [];
    const scenario = defineScenario({
      name: 'x7-unsimulated',
      api: 'temporal',
      options: { startToCloseTimeout: '1m' },
      world: { latency: LATENCY },
      activity: () => async () => {
        try {
          await getClient().workflow.signalWithStart('wf', { workflowId: 'x', signal: 's', taskQueue: 'q' });
        } catch (e) {
          thrown.push((e as Error).message); // swallowed, as careless code does
        }
        heartbeat('after');
        await new Promise((resolve) => setTimeout(resolve, 100)); // a timer made before the run stopped
        return 'looks fine';
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(thrown).toEqual(['hbsim: client.workflow is not simulated (only client.activity.complete, fail, heartbeat and reportCancellation are); the run stops here, and no property can hold on it']);
    expect(r.outcome).toMatchObject({ status: 'unsimulated', at: 0 });
    expect((r.outcome as { reason: string }).reason).toContain('client.workflow');
    // No misleading "timers still pending" warning: the run was stopped on purpose.
    expect(r.warnings).toEqual([]);

    // The verdict reports it: never "all properties hold".
    const report = await runCheck(normalizeScenario(scenario), { seed: 1, runs: 3, maxFaults: 1 });
    expect(report.ok).toBe(false);
    const completes = report.properties.find((p) => p.name === 'completes')!;
    expect(completes.ok).toBe(false);
    expect(completes.violation?.summary).toContain('client.workflow, which hbsim does not simulate');
  });

  test('X7 client.activity.X other than the four is not simulated either', async () => {
    const scenario = defineScenario({
      name: 'x7-unsimulated-activity',
      api: 'temporal',
      options: { startToCloseTimeout: '1m' },
      world: { latency: LATENCY },
      activity: () => async () => {
        (getClient().activity as unknown as { workflowService: unknown }).workflowService;
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(r.outcome).toMatchObject({ status: 'unsimulated' });
    expect(eventsOf(r, 'unsimulated').map((e) => e.what)).toEqual(['client.activity.workflowService']);
  });
});
