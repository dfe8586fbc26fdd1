/**
 * The simulated fetch honours AbortSignal as undici's does, on the virtual clock: a signal already
 * aborted rejects at once with its reason and sends nothing; one that aborts while the call is in
 * flight rejects it at that virtual moment (the request already sent still reaches the fake);
 * AbortSignal.timeout(ms) fires after ms of virtual time (Node's runs on a real timer that
 * fake-timers does not replace); a workflow cancel reaches fetch through ctx.signal. A paged GET's
 * query string is in the trace.
 */
import { describe, expect, test } from 'vitest';
import { defineScenario, simulate, type ActivityContext, type HttpRequest } from '../../src/index.js';

type NativeCtx = ActivityContext;
import { eventsOf } from '../sim/helpers.js';
import { statementsOn } from '../../properties/database-diff.js';
import { writtenSummary } from '../../app/cli/check-command.js';
import type { TraceEvent } from '../../sim/trace.js';
import type { SimulationResult } from '../../sim/simulation.js';

class Api {
  readonly hits = new Map<string, { n: number }>();
  hit(req: HttpRequest) {
    const key = `${req.path}?${req.query['cursor'] ?? ''}`;
    this.hits.set(key, { n: (this.hits.get(key)?.n ?? 0) + 1 });
    return { status: 200, body: { next: null } };
  }
}

const api = (activity: (ctx: NativeCtx) => Promise<unknown>, heartbeatTimeout?: string) =>
  defineScenario({
    name: 'fetch-signal',
    records: 0,
    services: { api: { create: () => new Api(), snapshot: (a: Api) => a.hits, latency: 10_000, routes: { 'GET https://api.test/': (a: Api, req: HttpRequest) => a.hit(req) } } },
    options: { startToCloseTimeout: '1m', ...(heartbeatTimeout ? { heartbeatTimeout } : {}), retry: { initialInterval: '1s', maximumAttempts: 1 } },
    activity: () => (ctx) => activity(ctx),
  });

/** What the activity saw: the error's name and the virtual time. */
const outcome = async (f: () => Promise<unknown>) => {
  const start = Date.now();
  try {
    await f();
    return `resolved at ${Date.now() - start}`;
  } catch (e) {
    return `${(e as Error).name} at ${Date.now() - start}`;
  }
};

describe('fetch and AbortSignal (virtual time)', () => {
  test('a signal already aborted: rejects at once with its reason (AbortError), nothing reaches the fake', async () => {
    const r = await simulate(api(() => outcome(() => fetch('https://api.test/x', { signal: AbortSignal.abort() }))), { seed: 1 });
    expect(r.outcome).toMatchObject({ status: 'completed', result: 'AbortError at 0' });
    expect(r.database!.get('service:api')!.rows.size).toBe(0);
  });

  test('AbortSignal.timeout(2000) on a 10 s call: TimeoutError at 2 s of virtual time; the request sent still reached the fake', async () => {
    // The activity waits after the abort, so the run lasts until the request has reached the fake
    // (a run ends when its last attempt has: a request still in flight then is not delivered).
    const r = await simulate(api(async () => {
      const seen = await outcome(() => fetch('https://api.test/x', { signal: AbortSignal.timeout(2000) }));
      await new Promise((resolve) => setTimeout(resolve, 5000));
      return seen;
    }), { seed: 1 });
    expect(r.outcome).toMatchObject({ status: 'completed', result: 'TimeoutError at 2000' });
    expect(r.database!.get('service:api')!.rows.size).toBe(1);
    expect(eventsOf(r, 'call').map((e) => `${e.t} ${e.outcome}`)).toEqual(["2000 aborted by the caller's signal: The operation was aborted due to timeout", '5000 ok']);
  });

  test('AbortSignal.any([ctx.signal, AbortSignal.timeout]) and a workflow cancel at 1.5 s: the fetch rejects then', async () => {
    // A cancel reaches the activity in a heartbeat's answer (C1): it heartbeats while it waits.
    const r = await simulate(api(async (ctx) => {
      const ticker = setInterval(() => ctx.heartbeat(), 500);
      try {
        return await outcome(() => fetch('https://api.test/x', { signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(8000)]) }));
      } finally {
        clearInterval(ticker);
      }
    }, '2s'), { seed: 1, faults: [{ kind: 'cancel', at: 1500 }] });
    const aborted = eventsOf(r, 'call').find((e) => e.outcome.startsWith('aborted'));
    expect(aborted).toBeDefined();
    expect(aborted!.t).toBeGreaterThanOrEqual(1500);
    expect(aborted!.t).toBeLessThan(8000);
  });

  test('without a signal the call takes its latency; same seed, same trace', async () => {
    const s = api(() => outcome(() => fetch('https://api.test/x')));
    const a = await simulate(s, { seed: 3 });
    expect(a.outcome).toMatchObject({ status: 'completed', result: 'resolved at 10000' });
    expect((await simulate(s, { seed: 3 })).digest).toBe(a.digest);
  });

  test("a GET's query string is in the trace (a resumed page's cursor shows); a Request object's headers travel", async () => {
    const r = await simulate(api(() => fetch(new Request('https://api.test/invoices?cursor=c42&limit=10', { headers: { 'x-tenant': 't1' } })).then((res) => res.status)), { seed: 1 });
    expect(r.outcome).toMatchObject({ status: 'completed', result: 200 });
    expect(eventsOf(r, 'call')[0]!.args).toEqual([{ path: '/invoices', query: { cursor: 'c42', limit: '10' }, headers: { 'x-tenant': 't1' }, body: null }]);
  });

  test('an aborted call is not an effect: the explanation of a service row lists only the request that reached the fake, and the header counts it once', () => {
    const at = (t: number, outcome: string, args: unknown[]) => ({ t, type: 'call', attempt: 1, service: 'api', method: 'POST https://api.test/', args, outcome }) as TraceEvent;
    const run = { trace: [at(2000, "aborted by the caller's signal: timeout", ['https://api.test/k1']), at(5000, 'ok', [{ path: '/k1' }])], sink: new Map(), database: new Map([['service:api', { table: 'service:api', key: ['key'], volatile: [], rows: new Map([['k1', {}]]) }]]) } as unknown as SimulationResult;
    expect(statementsOn(run, 'service:api', 'k1').map((f) => f.ev.t)).toEqual([5000]);
    expect(writtenSummary(run)).toBe('1 entry in api, 1 service call');
  });
});
