import { parseDuration } from './duration.js';
import { HbsimConfigError } from './errors.js';
import { normalizeOptions, normalizeWorkerOptions } from './options.js';
import { DEFAULT_LATENCIES } from '../sim/world.js';
/** Identity: gives a scenario object its types. */
export function defineScenario(scenario) {
    return scenario;
}
const SCENARIO_KEYS = ['name', 'api', 'profile', 'activity', 'input', 'records', 'params', 'options', 'worker', 'world', 'progress'];
const WORLD_KEYS = ['latency', 'workers', 'restartDelay', 'startTime'];
const LATENCY_KEYS = ['read', 'put', 'add', 'get', 'rpc'];
export const DEFAULT_RPC_LATENCY = { min: 4, max: 20 };
const DEFAULT_EPOCH = Date.UTC(2026, 0, 1);
function isPlainObject(value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}
function checkKeys(value, allowed, prefix) {
    for (const key of Object.keys(value)) {
        if (!allowed.includes(key))
            throw new HbsimConfigError(`${prefix}${key}`, value[key], `one of ${allowed.join(', ')}`, 'unknown field');
    }
}
function latency(spec, field, fallback) {
    if (spec === undefined)
        return fallback;
    if (isPlainObject(spec)) {
        checkKeys(spec, ['min', 'max'], `${field}.`);
        const min = parseDuration(spec['min'], `${field}.min`);
        const max = parseDuration(spec['max'], `${field}.max`);
        if (max < min)
            throw new HbsimConfigError(`${field}.max`, spec['max'], `a duration >= ${field}.min`);
        return { min, max };
    }
    const ms = parseDuration(spec, field);
    return { min: ms, max: ms };
}
/** Validate a scenario (anything a module exported) and normalise it. */
export function normalizeScenario(value) {
    if (!isPlainObject(value))
        throw new HbsimConfigError('scenario', value, 'an object made with defineScenario({...})');
    checkKeys(value, SCENARIO_KEYS, '');
    const name = value['name'];
    if (typeof name !== 'string' || name.trim() === '')
        throw new HbsimConfigError('name', name, 'a non-empty string');
    const api = value['api'] ?? 'native';
    if (api !== 'native' && api !== 'temporal')
        throw new HbsimConfigError('api', api, "'native' or 'temporal'");
    const profile = value['profile'] ?? 'temporal';
    if (profile !== 'temporal' && profile !== 'cadence')
        throw new HbsimConfigError('profile', profile, "'temporal' or 'cadence'");
    const activity = value['activity'];
    if (typeof activity !== 'function')
        throw new HbsimConfigError('activity', activity, 'a function (world, params) => activity function');
    const records = value['records'] ?? 200;
    if (typeof records !== 'number' || !Number.isInteger(records) || records < 0 || records > 100_000_000)
        throw new HbsimConfigError('records', records, 'an integer from 0 to 100000000');
    const params = value['params'] ?? {};
    if (!isPlainObject(params))
        throw new HbsimConfigError('params', params, 'a plain object of values the activity may read');
    if (value['options'] === undefined)
        throw new HbsimConfigError('options', undefined, 'activity options with at least startToCloseTimeout or scheduleToCloseTimeout');
    const options = normalizeOptions(value['options'], profile, 'options');
    const worker = normalizeWorkerOptions(value['worker'] ?? {}, 'worker');
    const progress = value['progress'];
    if (progress !== undefined && typeof progress !== 'function')
        throw new HbsimConfigError('progress', progress, 'a function (details) => number');
    const world = value['world'] ?? {};
    if (!isPlainObject(world))
        throw new HbsimConfigError('world', world, 'an object');
    checkKeys(world, WORLD_KEYS, 'world.');
    const lat = world['latency'] ?? {};
    if (!isPlainObject(lat))
        throw new HbsimConfigError('world.latency', lat, 'an object of latencies');
    checkKeys(lat, LATENCY_KEYS, 'world.latency.');
    const workers = world['workers'] ?? 1;
    if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 1 || workers > 64)
        throw new HbsimConfigError('world.workers', workers, 'an integer from 1 to 64');
    const start = world['startTime'] ?? DEFAULT_EPOCH;
    const epochMs = typeof start === 'string' ? Date.parse(start) : start;
    if (typeof epochMs !== 'number' || !Number.isFinite(epochMs))
        throw new HbsimConfigError('world.startTime', start, 'an ISO date string or epoch milliseconds');
    return {
        name,
        api,
        profile,
        activity: activity,
        input: value['input'],
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
        rpcLatency: latency(lat['rpc'], 'world.latency.rpc', DEFAULT_RPC_LATENCY),
        workers,
        restartDelayMs: parseDuration(world['restartDelay'] ?? 5000, 'world.restartDelay'),
        epochMs,
        progress: progress,
    };
}
