/**
 * User clients behind the simulator (src/service-api.ts). Each call of an async method of a
 * service's fake, and each `fetch` to a route a service declares, is a simulated call, as a sink
 * call is: a latency drawn from the seed; at the end of the request half the fake's method (or
 * route handler) runs, as an effect (counted and numbered with the sink's effects and the SQL
 * statements, so `crash beforeEffect/afterEffect` hit it); its answer returns after the whole
 * latency. A crash before the effect: the request is lost; after it: done, the answer lost. A
 * `transient` fault on the call: a `TransientError` (a method) or `TypeError('fetch failed')`
 * with an `ECONNRESET` cause (fetch, as undici says it), with no effect. A zombie's calls still
 * reach the fake (C5).
 *
 * While a run is on, global `fetch` is replaced: a request to no declared route fails loudly
 * (it would be real network I/O, outside the virtual clock) and the run's warnings say so.
 */
import type { Prng } from '../prng.js';
import type { Scheduler } from '../scheduler.js';
import type { Trace } from '../trace.js';
import type { Caller, WorldServices } from '../world.js';
import { TransientError } from '../../src/errors.js';
import type { HttpRequest, HttpResponse, NormalizedService } from '../../src/service-api.js';
import type { DatabaseSnapshot, TableSnapshot } from '../../src/postgres-api.js';

interface Instance {
  readonly spec: NormalizedService;
  readonly fake: object;
  proxy: object | undefined;
}

export class ClientServices {
  private readonly instances = new Map<string, Instance>();
  private realFetch: typeof fetch | undefined;
  /** Requests to routes no service declares (reported as warnings). */
  readonly escapes: string[] = [];

  constructor(
    specs: readonly NormalizedService[],
    private readonly world: WorldServices,
    private readonly scheduler: Scheduler,
    private readonly prng: Prng,
    private readonly trace: Trace,
  ) {
    for (const spec of specs) this.instances.set(spec.name, { spec, fake: spec.create(), proxy: undefined });
  }

  /** The simulated client `name` (the same object for every caller: the fake is the service's state). */
  client(name: string): object {
    const inst = this.instances.get(name);
    if (inst === undefined) throw new Error(`world.service('${name}'): the scenario declares no such service (services: { ${[...this.instances.keys()].join(', ')} })`);
    inst.proxy ??= new Proxy(inst.fake, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function' || typeof prop === 'symbol' || prop === 'constructor') return value;
        return (...args: unknown[]) => this.call(inst, prop, args, () => (value as (...a: unknown[]) => unknown).apply(target, args), () => new TransientError(`${inst.spec.name}.${prop}() failed: injected transient error`));
      },
    });
    return inst.proxy;
  }

  /** Replace global `fetch` for the run (routes of the services; anything else fails loudly). */
  install(): void {
    this.realFetch = globalThis.fetch;
    globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => this.fetch(input, init)) as typeof fetch;
  }

  uninstall(): void {
    if (this.realFetch !== undefined) globalThis.fetch = this.realFetch;
    this.realFetch = undefined;
  }

  private async fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const request = typeof input === 'string' || input instanceof URL ? undefined : input;
    const url = request === undefined ? String(input instanceof URL ? input.href : input) : request.url;
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    if (request !== undefined && request.body !== null && init?.body === undefined) {
      throw new Error(`hbsim: fetch(new Request(${url})) with a body is not simulated (its body is a stream): pass the body in fetch's second argument`);
    }
    // undici: a Request's headers and signal, unless init gives its own.
    const effective: RequestInit = { ...init, headers: init?.headers ?? request?.headers, signal: init?.signal ?? request?.signal ?? null };
    const signal = effective.signal ?? undefined;
    for (const inst of this.instances.values()) {
      for (const route of inst.spec.routes) {
        if (route.method !== method || !url.startsWith(route.prefix)) continue;
        // As undici: a signal already aborted rejects at once with its reason, and nothing is sent.
        if (signal?.aborted === true) throw abortReason(signal);
        const req = toRequest(method, url, effective);
        const query = Object.keys(req.query).length > 0 ? { query: req.query } : {};
        const call = this.call(inst, `${method} ${route.prefix}`, [{ path: req.path, ...query, headers: req.headers, body: req.body ?? null }], () => route.handler(inst.fake, req), () => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) })).then((r) => toResponse(url, r as HttpResponse));
        return signal === undefined ? call : this.abortable(call, signal, inst.spec.name, `${method} ${route.prefix}`, url);
      }
    }
    const what = `fetch(${method} ${url})`;
    this.escapes.push(`${what} at virtual time ${this.scheduler.now} ms: no service of the scenario declares that route, so it would be real network I/O, outside the simulation (declare it in services.<name>.routes)`);
    throw new Error(`hbsim: ${what} escapes the simulation: no service of this scenario declares that route (services.<name>.routes); real network I/O is not allowed under simulation`);
  }

  /**
   * `call`, rejected with the signal's reason the moment it aborts (the caller's fetch settles
   * then; the request already sent still reaches the fake, whose effect stays: as with a real server).
   */
  private abortable(call: Promise<Response>, signal: AbortSignal, service: string, method: string, url: string): Promise<Response> {
    return new Promise<Response>((resolve, reject) => {
      const onAbort = (): void => {
        const owner = this.scheduler.current as Caller | null;
        const reason = abortReason(signal);
        this.trace.record({ t: this.scheduler.now, type: 'call', attempt: owner?.attempt ?? 0, service, method, args: [url], outcome: `${ABORTED_CALL}: ${String((reason as Error)?.message ?? reason)}` });
        reject(reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      call.then(
        (r) => {
          signal.removeEventListener('abort', onAbort);
          resolve(r);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  private call(inst: Instance, method: string, args: unknown[], effect: () => unknown, transientError: () => Error): Promise<unknown> {
    const s = this.scheduler;
    const owner = s.current as Caller | null;
    const n = ++this.world.calls;
    const range = inst.spec.latency;
    let l = range.min === range.max ? range.min : this.prng.int(range.min, range.max);
    const planned = this.world.faultFor?.(n, `${inst.spec.name}.${method}`, '');
    if (planned !== undefined) {
      l += planned.extraLatencyMs;
      this.trace.record({ t: s.now, type: 'worldFault', attempt: owner?.attempt ?? 0, call: n, op: `${inst.spec.name}.${method}`, key: shortArgs(args), fault: planned.transient ? 'transient' : 'slow', ms: l });
    }
    const half = Math.floor(l / 2);
    return new Promise((resolve, reject) => {
      s.at(s.now + half, () => {
        if (planned?.transient === true) {
          s.at(s.now + l - half, () => reject(transientError()), undefined, owner, true);
          return;
        }
        const world = this.world;
        const e = ++world.effectRequests;
        this.effects++;
        world.beforeEffect?.(e);
        if (owner !== null && !owner.alive) return; // crashed before the effect: the request is lost
        let result: Promise<unknown>;
        try {
          result = Promise.resolve(effect());
        } catch (error) {
          result = Promise.reject(error);
        }
        result.then(
          (value) => this.done(inst, method, args, owner, e, l - half, value, undefined, resolve, reject),
          (error: unknown) => this.done(inst, method, args, owner, e, l - half, undefined, error ?? new Error('rejected'), resolve, reject),
        );
      }, undefined, owner, true);
    });
  }

  /** Calls that reached a fake (effects, numbered with the sink's and the statements). */
  effects = 0;

  private done(inst: Instance, method: string, args: unknown[], owner: Caller | null, e: number, rest: number, value: unknown, error: unknown, resolve: (v: unknown) => void, reject: (e: unknown) => void): void {
    const s = this.scheduler;
    const outcome = error !== undefined ? `failed: ${String((error as Error).message ?? error)}` : 'ok';
    this.trace.record({ t: s.now, type: 'call', attempt: owner?.attempt ?? 0, service: inst.spec.name, method, args: toData(args), outcome });
    this.world.onEffect?.(e);
    if (owner !== null && !owner.alive) return;
    s.at(s.now + rest, () => (error !== undefined ? reject(error) : resolve(value)), undefined, owner, true);
  }

  /** Each service's state as a table (`service:name`), rows keyed as its snapshot keys them. */
  snapshot(): DatabaseSnapshot {
    const out = new Map<string, TableSnapshot>();
    for (const inst of this.instances.values()) {
      const raw = inst.spec.snapshot(inst.fake);
      const entries = raw instanceof Map ? [...(raw as ReadonlyMap<string, unknown>).entries()] : Object.entries(raw);
      const rows = new Map<string, Record<string, unknown>>();
      for (const [k, v] of entries) rows.set(String(k), typeof v === 'object' && v !== null && !Array.isArray(v) ? (toData(v) as Record<string, unknown>) : { value: toData(v) });
      const table = serviceTable(inst.spec.name);
      out.set(table, { table, key: ['key'], volatile: [], rows });
    }
    return out;
  }
}

/** A service's state among the tables compared with the fault-free run's. */
export function serviceTable(service: string): string {
  return `service:${service}`;
}

/** The service whose state `table` is, or undefined for a database table. */
export function serviceOfTable(table: string): string | undefined {
  return table.startsWith('service:') ? table.slice('service:'.length) : undefined;
}

/** Whether a world call's op (`bank.POST https://bank.test/transfers`) is a fetch route's. */
export function isFetchRoute(op: string): boolean {
  return / https?:\/\//.test(op);
}

/** The outcome a traced call gets when the caller's signal aborted it (no effect of its own). */
export const ABORTED_CALL = "aborted by the caller's signal";

/** What fetch rejects with when `signal` aborts: its reason (undici), or an AbortError. */
function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** A plain-data copy (Maps and Sets as arrays; what the trace and the comparison hold). */
function toData(v: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x instanceof Map ? [...x] : x instanceof Set ? [...x] : typeof x === 'bigint' ? x.toString() : x))) as unknown;
  } catch {
    return String(v);
  }
}

function shortArgs(args: unknown[]): string {
  const s = JSON.stringify(toData(args)) ?? '';
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function toRequest(method: string, url: string, init: RequestInit | undefined): HttpRequest {
  const u = new URL(url);
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, key) => {
    headers[key] = value;
  });
  let body: unknown;
  if (typeof init?.body === 'string') {
    try {
      body = JSON.parse(init.body) as unknown;
    } catch {
      body = init.body;
    }
  } else if (init?.body !== undefined && init.body !== null) body = String(init.body);
  return { method, url, path: u.pathname, query: Object.fromEntries(u.searchParams), headers, body };
}

/** A Response with its body at hand (no stream, no I/O: it settles in microtasks). */
function toResponse(url: string, r: HttpResponse | undefined): Response {
  const status = r?.status ?? 200;
  const text = r?.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const headers = new Headers({ 'content-type': typeof r?.body === 'string' ? 'text/plain' : 'application/json', ...(r?.headers ?? {}) });
  const response = {
    ok: status >= 200 && status < 300,
    status,
    statusText: String(status),
    url,
    headers,
    redirected: false,
    type: 'basic',
    bodyUsed: false,
    text: () => Promise.resolve(text),
    json: () => Promise.resolve(text === '' ? undefined : (JSON.parse(text) as unknown)),
    clone: () => toResponse(url, r),
  };
  return response as unknown as Response;
}
