/**
 * hbsim/testing's MockActivityEnvironment. The first block is a unit test written as Temporal's
 * docs write them for `@temporalio/testing`; the only line changed is the import (was
 * `import { MockActivityEnvironment } from '@temporalio/testing';`). The second block turns on
 * crashes and retries: the same assertions then catch the resume bug of
 * `chargeCustomersCheckpointFirst`, and pass for the correct activity.
 */
import { describe, expect, it } from 'vitest';
import { CancelledFailure, activityInfo, heartbeat, sleep } from '@temporalio/activity';
import { MockActivityEnvironment } from 'hbsim/testing';
import { createActivities, fakePayments } from './activities.js';

describe('chargeCustomers (unchanged MockActivityEnvironment tests)', () => {
  it('charges every customer', async () => {
    const payments = fakePayments();
    const { chargeCustomers } = createActivities(payments);
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 10_000 });
    const charged = await env.run(chargeCustomers, ['alice', 'bob', 'carol'], 500);
    expect(charged).toBe(3);
    expect([...payments.charged]).toEqual([['alice', 500], ['bob', 500], ['carol', 500]]);
  });

  it('resumes from the heartbeat details of a previous attempt', async () => {
    const payments = fakePayments();
    const { chargeCustomers } = createActivities(payments);
    const env = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: 2 });
    await env.run(chargeCustomers, ['alice', 'bob', 'carol'], 500);
    expect([...payments.charged.keys()]).toEqual(['carol']);
  });

  it('emits a heartbeat per customer', async () => {
    const { chargeCustomers } = createActivities(fakePayments());
    const env = new MockActivityEnvironment();
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => heartbeats.push(d));
    await env.run(chargeCustomers, ['alice', 'bob'], 100);
    expect(heartbeats).toEqual([1, 2]);
  });

  it('can be cancelled', async () => {
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (d: unknown) => {
      if (d === 6) env.cancel('CANCELLED');
    });
    await expect(
      env.run(async (x: number): Promise<number> => {
        heartbeat(6);
        await sleep(100);
        return x + 1;
      }, 3),
    ).rejects.toThrow(CancelledFailure);
  });

  it('injects the provided info', async () => {
    const env = new MockActivityEnvironment({ attempt: 3 });
    const result = await env.run(async (x: number): Promise<number> => x + activityInfo().attempt, 1);
    expect(result).toBe(4);
  });
});

describe('the same tests with crashes turned on (hbsim opt-ins)', () => {
  const customers = ['alice', 'bob', 'carol'];
  const withCrash = () => new MockActivityEnvironment({ heartbeatTimeoutMs: 10_000 }, { retries: true, crashes: ['50ms'] });

  it('the correct activity still charges every customer exactly once', async () => {
    const payments = fakePayments();
    const env = withCrash();
    expect(await env.run(createActivities(payments).chargeCustomers, customers, 500)).toBe(3);
    expect([...payments.charged]).toEqual([['alice', 500], ['bob', 500], ['carol', 500]]);
    expect(env.lastRun!.attempts).toHaveLength(2);
  });

  it('catches the resume bug: the checkpoint reached the server before the charge, the retry skips alice', async () => {
    const payments = fakePayments();
    const env = withCrash();
    await env.run(createActivities(payments).chargeCustomersCheckpointFirst, customers, 500);
    expect([...payments.charged.keys()]).not.toContain('alice');
    // Without the crash the same test passes: the bug only shows when an attempt dies.
    const clean = fakePayments();
    await new MockActivityEnvironment({ heartbeatTimeoutMs: 10_000 }).run(createActivities(clean).chargeCustomersCheckpointFirst, customers, 500);
    expect([...clean.charged.keys()]).toEqual(customers);
  });

  it('virtual time, real timeouts: a long sleep takes no wall time, and an over-long attempt times out', async () => {
    const started = performance.now();
    const env = new MockActivityEnvironment({ startToCloseTimeoutMs: 60_000 });
    await expect(env.run(async () => sleep(10 * 60_000))).rejects.toMatchObject({ timeoutType: 'START_TO_CLOSE' });
    expect(await new MockActivityEnvironment().run(async () => { await sleep(10 * 60_000); return 'done'; })).toBe('done');
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

describe('hbsim/testing: the rest of the surface', () => {
  it('a cancel before run() cancels the next run at its start; worker-side reasons reach the attempt at once', async () => {
    const env = new MockActivityEnvironment();
    env.cancel();
    await expect(env.run(async () => { await sleep(10); return 'never'; })).rejects.toThrow(CancelledFailure);
    expect(env.lastRun!.outcome.status).toBe('canceled');
    // Another run of the same environment is not cancelled (upstream's env would stay cancelled).
    expect(await env.run(async () => 'ran')).toBe('ran');
    const shutdown = new MockActivityEnvironment();
    shutdown.on('heartbeat', () => shutdown.cancel('WORKER_SHUTDOWN'));
    await expect(shutdown.run(async () => { heartbeat(1); await sleep(1000); })).rejects.toThrow('WORKER_SHUTDOWN');
  });

  it('C1: a cancel request reaches an attempt only through a heartbeat response', async () => {
    const env = new MockActivityEnvironment();
    let cancelled = false;
    const result = await env.run(async () => {
      setTimeout(() => env.cancel(), 10);
      try {
        await sleep(1000); // no heartbeat: the request is never delivered
      } catch {
        cancelled = true;
      }
      return 'finished';
    });
    expect(result).toBe('finished');
    expect(cancelled).toBe(false);
  });

  it("the client: opts.client is the context client; without one, hbsim's simulated client (async completion)", async () => {
    const client = { marker: 'my client' };
    const withClient = new MockActivityEnvironment(undefined, { client });
    const { Context } = await import('@temporalio/activity');
    expect(await withClient.run(async () => Context.current().client as unknown)).toBe(client);
    const simulated = await new MockActivityEnvironment().run(async () => typeof Context.current().client.activity.complete);
    expect(simulated).toBe('function');
  });

  it('interceptors are refused with a clear error, not ignored', () => {
    expect(() => new MockActivityEnvironment(undefined, { interceptors: [() => ({})] })).toThrow(/does not run activity interceptors/);
  });

  it('check(): opt in to the property search; a violation rejects with its minimal plan', async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 10_000 });
    const good = await env.check(async (n: number) => {
      for (let i = 0; i < n; i++) {
        await sleep(100);
        heartbeat(i + 1);
      }
      return n;
    }, [5], { seed: 1, runs: 20 });
    expect(good.ok).toBe(true);
    const bad = await env.check(async (n: number) => {
      for (let i = 0; i < n; i++) {
        await sleep(100);
        heartbeat(new Set([i])); // a Set does not survive the payload converter (H7)
      }
      return n;
    }, [5], { seed: 1, runs: 20 }).catch((e: unknown) => e);
    expect((bad as Error).message).toMatch(/violates .*details-serializable/);
  });
});
