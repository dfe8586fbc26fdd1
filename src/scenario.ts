/**
 * The scenario: how a user describes what to test. A module's default export, a plain object;
 * {@link defineScenario} only adds types. {@link normalizeScenario} validates it and turns every
 * duration into milliseconds, throwing {@link HbsimConfigError} naming the first bad field.
 */
import type { ActivityContext } from './context.js';
import { parseDuration } from './duration.js';
import { HbsimConfigError } from './errors.js';
import { encodeDetails, PayloadEncodingError } from './model/payload.js';
import type { Payload } from './model/types.js';
import type { ProfileName, NormalizedOptions, NormalizedWorkerOptions } from './model/types.js';
import { normalizeOptions, normalizeWorkerOptions, type ActivityOptions, type Duration, type WorkerOptions } from './options.js';
import type { SimulatedClient } from './client-api.js';
import type { LatencyRange, World, WorldLatencies } from './world-api.js';
import { DEFAULT_LATENCIES } from './world-api.js';
import { DEFAULT_SERVICE_LATENCY, type NormalizedService, type ServiceOptions } from './service-api.js';
import { DEFAULT_STATEMENT_LATENCY, PG_TRANSIENT_FAULTS, type DatabaseOptions, type NormalizedDatabase, type PgTransientFault } from './postgres-api.js';

/** A latency: a constant duration, or a range drawn uniformly per call. */
export type LatencySpec = Duration | { readonly min: Duration; readonly max: Duration };

/** The simulated surroundings of the activity. Every field is optional. */
export interface WorldOptions {
  /** Per-call latencies; defaults: read 5-40ms, put/add 2-12ms, get 1-8ms, rpc 4-20ms (round trip of a heartbeat or report). */
  readonly latency?: { readonly read?: LatencySpec; readonly put?: LatencySpec; readonly add?: LatencySpec; readonly get?: LatencySpec; readonly rpc?: LatencySpec };
  /** Worker processes polling the task queue; default 1. */
  readonly workers?: number;
  /** Time a crashed worker takes to come back; default '5s'. */
  readonly restartDelay?: Duration;
  /** What `Date.now()` returns at virtual time 0: an ISO date or epoch ms; default 2026-01-01T00:00:00Z. */
  readonly startTime?: string | number;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the normalised factory is called with whatever the scenario declared */

/** The activity factory as the runtime holds it, once validated: called at each worker process (re)start. */
export type ActivityFactory<P> = (world: World, params: P) => ((ctx: ActivityContext, ...args: any[]) => Promise<unknown>) | ((...args: any[]) => Promise<unknown>);

/**
 * Who the activity is on the server (what `activityInfo()` reports, X7, and what a full activity
 * id given to the client must match). Every field is optional.
 */
export interface ActivityIdentity {
  /** Default `'1'` (a workflow numbers its activities from 1). */
  readonly activityId?: string;
  /** Default: the scenario's `name`. */
  readonly activityType?: string;
  /** Default `'hbsim-workflow'`. */
  readonly workflowId?: string;
  /** Default `'00000000-0000-4000-8000-000000000001'`. */
  readonly runId?: string;
  /** Default `'hbsimWorkflow'`. */
  readonly workflowType?: string;
  /** Default `'hbsim'`. */
  readonly taskQueue?: string;
  /** Default `'default'`. */
  readonly namespace?: string;
}

/** A task's priority, as `@temporalio/common`'s `Priority` (temporal only). */
export interface Priority {
  readonly priorityKey?: number;
  readonly fairnessKey?: string;
  readonly fairnessWeight?: number;
}

/**
 * X6: the system outside the worker that finishes async-completed work later (a payment
 * provider's webhook, a human approval, a batch job). It runs in virtual time in a process of
 * its own: a worker crash does not stop it, an `externalCrash` fault loses the jobs it is working
 * on (it restarts after `restartDelay`, calling `handler` again), an `externalDelayed` fault makes a
 * job arrive late. The activity hands it work with `world.external.submit(job)` (a copy of `job`
 * arrives, as over a wire); it finishes the work with `client.activity.complete(taskToken, result)`
 * and the like, which are RPCs to the simulated server.
 */
export interface ExternalSystem<P = Record<string, unknown>> {
  /** Called at each (re)start of the external system; returns what handles one job. */
  readonly handler: (world: World, client: SimulatedClient, params: P) => (job: any) => Promise<void>;
  /** Time from `submit` to the job's arrival (the submit call returns after as long again); default: `world.latency.rpc`. */
  readonly latency?: LatencySpec;
  /** Time a crashed external system takes to come back; default '5s'. */
  readonly restartDelay?: Duration;
}

/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * What every scenario has, whichever front door its activity uses.
 *
 * - `P`: the params, inferred from `params`.
 * - `A`: the activity's arguments (after `ctx` for the native API), inferred from the
 *   activity's parameters; `input` is checked against the first (an excess or misspelt field is
 *   a compile error).
 * - `D`: the heartbeat details, inferred from the parameter of `progress` when it is annotated;
 *   the native `ctx.heartbeat(details)` and `ctx.heartbeatDetails()` take the same type.
 */
export interface ScenarioBase<P extends Record<string, unknown>, A extends readonly unknown[] = readonly unknown[], D = unknown> {
  /** A name for reports. */
  readonly name: string;
  /** Which server/SDK semantics to follow. Default `temporal`. */
  readonly profile?: ProfileName;
  /** The activity's one argument (use `args` for several; not both); its type is the activity's parameter's. */
  readonly input?: NoInfer<InputOf<A>>;
  /** The activity's positional arguments: `args: [30_000, 10]` calls `fn(30_000, 10)` (checked against its parameters). Not with `input`. */
  readonly args?: NoInfer<A>;
  /** Who the activity is on the server: ids, types, task queue, namespace (defaults in {@link ActivityIdentity}). */
  readonly identity?: ActivityIdentity;
  /** Size of world.source; default 200. */
  readonly records?: number;
  /** Defaults the activity may read (the benchmark sweeps them). */
  readonly params?: P;
  /** Activity options; `priority` (temporal) is reported by `activityInfo().priority`. */
  readonly options: ActivityOptions & { readonly priority?: Priority };
  readonly worker?: WorkerOptions;
  readonly world?: WorldOptions;
  /** Progress stored in heartbeat details, as a number (used by the progress-monotonic checker). */
  readonly progress?: (details: D) => number;
  /**
   * What of the activity's return value must match the fault-free run (the `result` property), e.g.
   * `(r) => r.total` when the rest holds timestamps; default: the whole value.
   */
  readonly result?: (value: any) => unknown;
  /** A real Postgres (PGlite) for the activity, as `world.pg`: its schema and seed rows. */
  readonly database?: DatabaseOptions;
  /** The user's own clients behind the simulator (`world.service(name)`), and the fetch routes they serve. */
  readonly services?: Readonly<Record<string, ServiceOptions>>;
  /** The external system that finishes async-completed work (X6); `world.external.submit(job)` reaches it. */
  readonly external?: ExternalSystem<P>;
}

/** The type of the activity's first argument (`undefined` when it takes none). */
export type InputOf<A extends readonly unknown[]> = A extends readonly [] ? undefined : A[0];

/** An activity written against hbsim's native API: `async (ctx, input) => ...`. */
export interface NativeScenario<P extends Record<string, unknown> = Record<string, unknown>, A extends readonly unknown[] = any, D = any> extends ScenarioBase<P, A, D> {
  /** Default. */
  readonly api?: 'native';
  readonly activity: (world: World, params: P) => (ctx: ActivityContext<D>, ...args: A) => Promise<unknown>;
}

/** An activity written against `@temporalio/activity`: `async (input) => ...`. */
export interface TemporalScenario<P extends Record<string, unknown> = Record<string, unknown>, A extends readonly unknown[] = any, D = any> extends ScenarioBase<P, A, D> {
  readonly api: 'temporal';
  readonly activity: (world: World, params: P) => (...args: A) => Promise<unknown>;
}

export type Scenario<P extends Record<string, unknown> = Record<string, unknown>, A extends readonly unknown[] = any, D = any> = NativeScenario<P, A, D> | TemporalScenario<P, A, D>;

/* eslint-disable @typescript-eslint/no-explicit-any -- "any scenario", whatever its own types */
/** Any scenario, whatever its params, arguments and details (what `checkScenario` and `simulate` accept). */
export type AnyScenario = NativeScenario<any, any, any> | TemporalScenario<any, any, any>;

/**
 * Identity: gives a scenario object its types. The params' type comes from `params`, the input's
 * from the activity's parameter (`input` is checked against it), the details' from the
 * parameter of `progress` (and the native `ctx.heartbeat()` takes it).
 *
 * This first overload is for a scenario whose `api` is only known at run time (typed
 * `'native' | 'temporal'`, as in a test run for both front doors): its arguments are untyped. It
 * is never chosen when `api` is one literal or absent, so that a wrong input is reported by the
 * overloads below.
 */
export function defineScenario<P extends Record<string, unknown>, D = unknown, Api extends 'native' | 'temporal' = never>(
  scenario: { readonly api?: Api } & ('native' | 'temporal' extends Api ? Scenario<P, any, D> : never),
): Scenario<P, any, D>;
export function defineScenario<P extends Record<string, unknown>, A extends readonly unknown[] = readonly unknown[], D = unknown>(scenario: NativeScenario<P, A, D>): NativeScenario<P, A, D>;
export function defineScenario<P extends Record<string, unknown>, A extends readonly unknown[] = readonly unknown[], D = unknown>(scenario: TemporalScenario<P, A, D>): TemporalScenario<P, A, D>;
export function defineScenario<P extends Record<string, unknown>, A extends readonly unknown[], D>(scenario: Scenario<P, A, D>): Scenario<P, A, D> {
  return scenario;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** A validated scenario, durations in ms. */
export interface NormalizedScenario {
  readonly name: string;
  readonly api: 'native' | 'temporal';
  readonly profile: ProfileName;
  readonly activity: ActivityFactory<Record<string, unknown>>;
  /** The first argument (`input`, or `args[0]`). */
  readonly input: unknown;
  /**
   * The arguments as the workflow sends them: each encoded by the JSON payload converter once,
   * decoded afresh for every attempt (so an attempt that mutates its input does not change the next one's).
   */
  readonly args: readonly Payload[];
  readonly identity: Required<ActivityIdentity>;
  /** As the worker decodes it (`decodePriority`): absent fields 0 / ''; `undefined` when none was set. */
  readonly priority: { readonly priorityKey: number; readonly fairnessKey: string; readonly fairnessWeight: number } | undefined;
  readonly records: number;
  readonly params: Record<string, unknown>;
  readonly options: NormalizedOptions;
  readonly worker: NormalizedWorkerOptions;
  readonly latencies: WorldLatencies;
  readonly rpcLatency: LatencyRange;
  readonly workers: number;
  readonly restartDelayMs: number;
  readonly epochMs: number;
  readonly progress: ((details: unknown) => number) | undefined;
  readonly external: NormalizedExternal | undefined;
  /** The projection of the return value that the `result` property compares. */
  readonly result: ((value: unknown) => unknown) | undefined;
  readonly database: NormalizedDatabase | undefined;
  readonly services: readonly NormalizedService[];
}

/** {@link ExternalSystem}, validated. */
export interface NormalizedExternal {
  readonly handler: ExternalSystem['handler'];
  readonly latency: LatencyRange;
  readonly restartDelayMs: number;
}

const DATABASE_KEYS = ['schema', 'seed', 'latency', 'faults', 'ignoreColumns'];
const SCENARIO_KEYS = ['name', 'api', 'profile', 'activity', 'input', 'args', 'identity', 'records', 'params', 'options', 'worker', 'world', 'progress', 'external', 'result', 'database', 'services'];
const WORLD_KEYS = ['latency', 'workers', 'restartDelay', 'startTime'];
const LATENCY_KEYS = ['read', 'put', 'add', 'get', 'rpc'];
export const DEFAULT_RPC_LATENCY: LatencyRange = { min: 4, max: 20 };
const DEFAULT_EPOCH = Date.UTC(2026, 0, 1);
const IDENTITY_KEYS = ['activityId', 'activityType', 'workflowId', 'runId', 'workflowType', 'taskQueue', 'namespace'] as const;
const PRIORITY_KEYS = ['priorityKey', 'fairnessKey', 'fairnessWeight'];

function normalizeArgs(value: Record<string, unknown>): { input: unknown; args: Payload[] } {
  const hasInput = value['input'] !== undefined;
  const raw = value['args'];
  if (raw !== undefined && hasInput) throw new HbsimConfigError('args', raw, 'either `input` (one argument) or `args` (a list of arguments), not both', 'both `input` and `args` are set');
  if (raw !== undefined && !Array.isArray(raw)) throw new HbsimConfigError('args', raw, 'an array of the activity\'s positional arguments');
  const list: readonly unknown[] = raw !== undefined ? (raw as unknown[]) : hasInput ? [value['input']] : [];
  const args = list.map((arg, i) => {
    const field = raw !== undefined ? `args[${i}]` : 'input';
    try {
      return encodeDetails(arg, field);
    } catch (error) {
      if (error instanceof PayloadEncodingError) throw new HbsimConfigError(field, arg, 'a value the JSON payload converter can encode (it travels from the workflow to the activity as a payload)', error.message);
      throw error;
    }
  });
  return { input: list[0], args };
}

function normalizeIdentity(value: unknown, name: string): Required<ActivityIdentity> {
  const raw = value ?? {};
  if (!isPlainObject(raw)) throw new HbsimConfigError('identity', raw, 'an object of ids (activityId, workflowId, ...)');
  checkKeys(raw, IDENTITY_KEYS, 'identity.');
  const defaults: Required<ActivityIdentity> = {
    activityId: '1',
    activityType: name,
    workflowId: 'hbsim-workflow',
    runId: '00000000-0000-4000-8000-000000000001',
    workflowType: 'hbsimWorkflow',
    taskQueue: 'hbsim',
    namespace: 'default',
  };
  const out: Record<string, string> = { ...defaults };
  for (const key of IDENTITY_KEYS) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v === '') throw new HbsimConfigError(`identity.${key}`, v, 'a non-empty string');
    out[key] = v;
  }
  return out as Required<ActivityIdentity>;
}

/** `compilePriority` then `decodePriority` (@temporalio/common 1.24): what the activity sees. */
function normalizePriority(value: unknown, profile: ProfileName): NormalizedScenario['priority'] {
  if (value === undefined) return undefined;
  if (profile !== 'temporal') throw new HbsimConfigError('options.priority', value, "nothing under profile 'cadence' (task priority is a Temporal feature)");
  if (!isPlainObject(value)) throw new HbsimConfigError('options.priority', value, 'an object { priorityKey?, fairnessKey?, fairnessWeight? }');
  checkKeys(value, PRIORITY_KEYS, 'options.priority.');
  const key = value['priorityKey'] ?? 0;
  if (typeof key !== 'number' || !Number.isInteger(key) || key < 0) throw new HbsimConfigError('options.priority.priorityKey', key, 'a non-negative integer');
  const fairnessKey = value['fairnessKey'] ?? '';
  if (typeof fairnessKey !== 'string') throw new HbsimConfigError('options.priority.fairnessKey', fairnessKey, 'a string');
  const weight = value['fairnessWeight'] ?? 0;
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) throw new HbsimConfigError('options.priority.fairnessWeight', weight, 'a non-negative number');
  return { priorityKey: key, fairnessKey, fairnessWeight: weight };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function checkKeys(value: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new HbsimConfigError(`${prefix}${key}`, value[key], `one of ${allowed.join(', ')}`, 'unknown field');
  }
}

function latency(spec: unknown, field: string, fallback: LatencyRange): LatencyRange {
  if (spec === undefined) return fallback;
  if (isPlainObject(spec)) {
    checkKeys(spec, ['min', 'max'], `${field}.`);
    const min = parseDuration(spec['min'], `${field}.min`);
    const max = parseDuration(spec['max'], `${field}.max`);
    if (max < min) throw new HbsimConfigError(`${field}.max`, spec['max'], `a duration >= ${field}.min`);
    return { min, max };
  }
  const ms = parseDuration(spec, field);
  return { min: ms, max: ms };
}

function normalizeExternal(value: unknown, rpcLatency: LatencyRange): NormalizedExternal | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) throw new HbsimConfigError('external', value, 'an object { handler, latency?, restartDelay? }');
  checkKeys(value, ['handler', 'latency', 'restartDelay'], 'external.');
  const handler = value['handler'];
  if (typeof handler !== 'function') throw new HbsimConfigError('external.handler', handler, 'a function (world, client, params) => async (job) => ...');
  return {
    handler: handler as ExternalSystem['handler'],
    latency: latency(value['latency'], 'external.latency', rpcLatency),
    restartDelayMs: parseDuration(value['restartDelay'] ?? 5000, 'external.restartDelay'),
  };
}

/** Validate a scenario (anything a module exported) and normalise it. */
export function normalizeScenario(value: unknown): NormalizedScenario {
  if (!isPlainObject(value)) throw new HbsimConfigError('scenario', value, 'an object made with defineScenario({...})');
  checkKeys(value, SCENARIO_KEYS, '');
  const name = value['name'];
  if (typeof name !== 'string' || name.trim() === '') throw new HbsimConfigError('name', name, 'a non-empty string');
  const api = value['api'] ?? 'native';
  if (api !== 'native' && api !== 'temporal') throw new HbsimConfigError('api', api, "'native' or 'temporal'");
  const profile = value['profile'] ?? 'temporal';
  if (profile !== 'temporal' && profile !== 'cadence') throw new HbsimConfigError('profile', profile, "'temporal' or 'cadence'");
  const activity = value['activity'];
  if (typeof activity !== 'function') throw new HbsimConfigError('activity', activity, 'a function (world, params) => activity function');
  const records = value['records'] ?? 200;
  if (typeof records !== 'number' || !Number.isInteger(records) || records < 0 || records > 100_000_000) throw new HbsimConfigError('records', records, 'an integer from 0 to 100000000');
  const params = value['params'] ?? {};
  if (!isPlainObject(params)) throw new HbsimConfigError('params', params, 'a plain object of values the activity may read');
  if (value['options'] === undefined) throw new HbsimConfigError('options', undefined, 'activity options with at least startToCloseTimeout or scheduleToCloseTimeout');
  const { priority: rawPriority, ...activityOptions } = isPlainObject(value['options']) ? value['options'] : { priority: undefined };
  const options = normalizeOptions(isPlainObject(value['options']) ? activityOptions : value['options'], profile, 'options');
  const priority = normalizePriority(rawPriority, profile);
  const { input, args } = normalizeArgs(value);
  const identity = normalizeIdentity(value['identity'], name);
  const worker = normalizeWorkerOptions(value['worker'] ?? {}, 'worker');
  const progress = value['progress'];
  if (progress !== undefined && typeof progress !== 'function') throw new HbsimConfigError('progress', progress, 'a function (details) => number');
  const result = value['result'];
  if (result !== undefined && typeof result !== 'function') throw new HbsimConfigError('result', result, 'a function (value) => the part of the return value that must match the fault-free run');
  const world = value['world'] ?? {};
  if (!isPlainObject(world)) throw new HbsimConfigError('world', world, 'an object');
  checkKeys(world, WORLD_KEYS, 'world.');
  const lat = world['latency'] ?? {};
  if (!isPlainObject(lat)) throw new HbsimConfigError('world.latency', lat, 'an object of latencies');
  checkKeys(lat, LATENCY_KEYS, 'world.latency.');
  const workers = world['workers'] ?? 1;
  if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 1 || workers > 64) throw new HbsimConfigError('world.workers', workers, 'an integer from 1 to 64');
  const start = world['startTime'] ?? DEFAULT_EPOCH;
  const epochMs = typeof start === 'string' ? Date.parse(start) : start;
  if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) throw new HbsimConfigError('world.startTime', start, 'an ISO date string or epoch milliseconds');
  const rpcLatency = latency(lat['rpc'], 'world.latency.rpc', DEFAULT_RPC_LATENCY);
  return {
    name,
    api,
    profile,
    activity: activity as ActivityFactory<Record<string, unknown>>,
    input,
    args,
    identity,
    priority,
    records,
    params,
    options,
    worker,
    latencies: {
      read: latency(lat['read'], 'world.latency.read', DEFAULT_LATENCIES.read),
      put: latency(lat['put'], 'world.latency.put', DEFAULT_LATENCIES.put),
      add: latency(lat['add'], 'world.latency.add', DEFAULT_LATENCIES.add),
      get: latency(lat['get'], 'world.latency.get', DEFAULT_LATENCIES.get),
    },
    rpcLatency,
    workers,
    restartDelayMs: parseDuration(world['restartDelay'] ?? 5000, 'world.restartDelay'),
    epochMs,
    progress: progress as ((details: unknown) => number) | undefined,
    result: result as ((value: unknown) => unknown) | undefined,
    database: normalizeDatabase(value['database']),
    services: normalizeServices(value['services']),
    external: normalizeExternal(value['external'], rpcLatency),
  };
}

function normalizeDatabase(value: unknown): NormalizedDatabase | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) throw new HbsimConfigError('database', value, 'an object { schema, seed?, latency?, faults? }');
  checkKeys(value, DATABASE_KEYS, 'database.');
  const schema = value['schema'];
  if (typeof schema !== 'string' || schema.trim() === '') throw new HbsimConfigError('database.schema', schema, 'SQL text (CREATE TABLE ...)');
  const seed = value['seed'] ?? '';
  if (typeof seed !== 'string') throw new HbsimConfigError('database.seed', seed, 'SQL text (INSERT ...)');
  const faults = value['faults'] ?? PG_TRANSIENT_FAULTS;
  if (!Array.isArray(faults) || faults.length === 0 || faults.some((f) => !PG_TRANSIENT_FAULTS.includes(f as PgTransientFault))) {
    throw new HbsimConfigError('database.faults', faults, `a non-empty list of ${PG_TRANSIENT_FAULTS.join(', ')}`);
  }
  const ignore = value['ignoreColumns'] ?? [];
  if (!Array.isArray(ignore) || ignore.some((c) => typeof c !== 'string' || !/^[^.]+(\.[^.]+)+$/.test(c))) throw new HbsimConfigError('database.ignoreColumns', ignore, "a list of 'table.column' names");
  return { schema, seed, latency: latency(value['latency'], 'database.latency', DEFAULT_STATEMENT_LATENCY), faults: faults as PgTransientFault[], ignoreColumns: ignore as string[] };
}

const ROUTE = /^(GET|POST|PUT|PATCH|DELETE|HEAD) (https?:\/\/\S+)$/;

function normalizeServices(value: unknown): NormalizedService[] {
  if (value === undefined) return [];
  if (!isPlainObject(value)) throw new HbsimConfigError('services', value, 'an object { name: { create, snapshot, routes?, latency? } }');
  return Object.entries(value).map(([name, spec]) => {
    const field = `services.${name}`;
    if (!isPlainObject(spec)) throw new HbsimConfigError(field, spec, 'an object { create, snapshot, routes?, latency? }');
    checkKeys(spec, ['create', 'snapshot', 'routes', 'latency'], `${field}.`);
    if (typeof spec['create'] !== 'function') throw new HbsimConfigError(`${field}.create`, spec['create'], 'a function () => fake (a fresh fake per run)');
    if (typeof spec['snapshot'] !== 'function') throw new HbsimConfigError(`${field}.snapshot`, spec['snapshot'], 'a function (fake) => Map or object of its state, keyed');
    const routes = spec['routes'] ?? {};
    if (!isPlainObject(routes)) throw new HbsimConfigError(`${field}.routes`, routes, "an object { 'POST https://host/path': (fake, request) => response }");
    return {
      name,
      create: spec['create'] as () => object,
      snapshot: spec['snapshot'] as NormalizedService['snapshot'],
      routes: Object.entries(routes).map(([route, handler]) => {
        const m = ROUTE.exec(route);
        if (m === null) throw new HbsimConfigError(`${field}.routes`, route, "a route 'METHOD https://host/path' (the path a prefix)");
        if (typeof handler !== 'function') throw new HbsimConfigError(`${field}.routes['${route}']`, handler, 'a function (fake, request) => { status?, body?, headers? }');
        return { method: m[1]!, prefix: m[2]!, handler: handler as NormalizedService['routes'][number]['handler'] };
      }),
      latency: latency(spec['latency'], `${field}.latency`, DEFAULT_SERVICE_LATENCY),
    };
  });
}
