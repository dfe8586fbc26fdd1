/**
 * "Bring your own client": any object of the user's (an HTTP client, an object-store client, a
 * queue producer) put behind the simulator, and the fetch routes a scenario serves. A scenario
 * declares `services: { name: { create, snapshot, routes? } }`; the activity gets the fake with
 * `world.service(name)` (each async method a simulated call), and global `fetch` to a declared
 * route is served by the fake. The runtime is `sim/services/client-service.ts`.
 */
import type { LatencyRange } from './world-api.js';

/** A request to a declared route, as the route handler sees it. */
export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  /** The path without the query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, parsed as JSON when it is JSON, else the text (undefined if none). */
  readonly body: unknown;
}

/** What a route handler returns: status (default 200), a JSON body, headers. */
export interface HttpResponse {
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One service of a scenario: a fresh fake per run, its state for the properties, its routes. */
export interface ServiceOptions<T extends object = any> {
  /** A fresh fake for each run (and each reference run). Its async methods are the service's behaviour, run at the server side of each call. */
  create(): T;
  /**
   * Its state after the run, keyed (a Map or a plain object; values are rows): compared with the
   * fault-free run like the database's tables: a missing key or a numeric field below is a
   * skipped record; an extra key, a field above or another value an idempotency violation.
   */
  snapshot(fake: T): ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;
  /** Global `fetch` routes this fake serves: `'POST https://bank.test/transfers'` (an URL prefix) -> handler. */
  readonly routes?: Readonly<Record<string, (fake: T, request: HttpRequest) => HttpResponse | Promise<HttpResponse>>>;
  /** Latency of one call, drawn per call; default 2-20 ms. */
  readonly latency?: string | number | { readonly min: string | number; readonly max: string | number };
}

export interface NormalizedService {
  readonly name: string;
  readonly create: () => object;
  readonly snapshot: (fake: any) => ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;
  readonly routes: readonly { readonly method: string; readonly prefix: string; readonly handler: (fake: any, request: HttpRequest) => HttpResponse | Promise<HttpResponse> }[];
  readonly latency: LatencyRange;
}

export const DEFAULT_SERVICE_LATENCY: LatencyRange = { min: 2, max: 20 };
