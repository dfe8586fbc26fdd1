/** Realistic defaults (ms): a paged read from a database, a write to a service. */
export const DEFAULT_LATENCIES = {
    read: { min: 5, max: 40 },
    put: { min: 2, max: 12 },
    add: { min: 2, max: 12 },
    get: { min: 1, max: 8 },
};
/** Generate `size` records from `prng`. */
export function generateRecords(size, prng) {
    const records = new Array(size);
    const width = Math.max(6, String(size).length);
    for (let offset = 0; offset < size; offset++) {
        records[offset] = { offset, key: `rec-${String(offset).padStart(width, '0')}`, amount: prng.int(100, 100_000) };
    }
    return records;
}
/** The state of the simulated services, shared by every worker process. */
export class WorldServices {
    records;
    latencies;
    scheduler;
    prng;
    randomPrng;
    trace;
    /** The sink's content, in the order keys were first written. */
    sink = new Map();
    seenIdempotencyKeys = new Set();
    /** Effects applied to a key that already had one. */
    redoneEffects = 0;
    effects = 0;
    /** Called right after each effect is applied, with the running count (fault injection hooks here). */
    onEffect;
    constructor(records, latencies, scheduler, prng, randomPrng, trace) {
        this.records = records;
        this.latencies = latencies;
        this.scheduler = scheduler;
        this.prng = prng;
        this.randomPrng = randomPrng;
        this.trace = trace;
    }
    /** Schedule the answer of `call` (the response half): the same object goes back on the agenda. */
    answerLater(call) {
        call.at = this.scheduler.now + call.rest;
        call.fn = answerCall;
        call.wakes = true;
        this.scheduler.insert(call);
    }
    latency(range) {
        return range.min === range.max ? range.min : this.prng.int(range.min, range.max);
    }
    caller() {
        return this.scheduler.current;
    }
    /** Count an effect; `existed`: the key had been written before (only effects write the sink). */
    countEffect(existed) {
        this.effects++;
        if (existed)
            this.redoneEffects++;
    }
    afterEffect() {
        this.onEffect?.(this.effects);
    }
    /** A call of latency `l`: `apply(call)` after the request half, the answer after all of it. */
    call(range, op, key, value, idempotencyKey) {
        const l = this.latency(range);
        const half = Math.floor(l / 2);
        const call = new PendingCall(this, op, key, value, idempotencyKey, this.caller(), this.scheduler.now + half, l - half);
        const promise = new Promise(capture);
        call.resolve = captured.resolve;
        call.reject = captured.reject;
        this.scheduler.insert(call);
        return promise;
    }
    /** The effect of a call, at the server (runs at the end of the request half). */
    apply(call) {
        const sink = this.sink;
        switch (call.op) {
            case OP_READ: {
                const offset = call.value;
                return this.records.slice(offset, offset + Number(call.key));
            }
            case OP_GET:
                return sink.get(call.key);
            case OP_PUT: {
                const size = sink.size;
                sink.set(call.key, call.value);
                this.countEffect(sink.size === size);
                this.trace.effect(this.scheduler.now, call.owner?.attempt ?? 0, 'put', call.key, call.value, true);
                this.onEffect?.(this.effects);
                return undefined;
            }
            default: {
                const idem = call.idempotencyKey;
                const applied = idem === undefined || !this.seenIdempotencyKeys.has(idem);
                const existing = sink.get(call.key);
                if (applied) {
                    const before = existing ?? 0;
                    if (typeof before !== 'number')
                        throw new TypeError(`world.sink.add: ${call.key} holds a ${typeof before}, not a number`);
                    if (idem !== undefined)
                        this.seenIdempotencyKeys.add(idem);
                    sink.set(call.key, before + call.value);
                }
                this.countEffect(existing !== undefined || sink.has(call.key));
                this.trace.effect(this.scheduler.now, call.owner?.attempt ?? 0, 'add', call.key, call.value, applied);
                this.onEffect?.(this.effects);
                return undefined;
            }
        }
    }
    /** The facade handed to the activity factory. */
    facade() {
        const latencies = this.latencies;
        return {
            source: {
                size: this.records.length,
                read: (offset, limit) => {
                    if (!Number.isInteger(offset) || offset < 0)
                        return Promise.reject(new RangeError(`world.source.read: offset must be a non-negative integer, got ${String(offset)}`));
                    if (!Number.isInteger(limit) || limit < 0)
                        return Promise.reject(new RangeError(`world.source.read: limit must be a non-negative integer, got ${String(limit)}`));
                    return this.call(latencies.read, OP_READ, String(limit), offset, undefined);
                },
            },
            sink: {
                put: (key, value) => this.call(latencies.put, OP_PUT, checkKey(key, 'put'), value, undefined),
                add: (key, delta, options) => {
                    if (typeof delta !== 'number' || !Number.isFinite(delta))
                        return Promise.reject(new TypeError(`world.sink.add: delta must be a finite number, got ${String(delta)}`));
                    return this.call(latencies.add, OP_ADD, checkKey(key, 'add'), delta, options?.idempotencyKey);
                },
                get: (key) => this.call(latencies.get, OP_GET, String(key), undefined, undefined),
            },
            random: () => this.randomPrng.float(),
        };
    }
}
const OP_READ = 0;
const OP_GET = 1;
const OP_PUT = 2;
const OP_ADD = 3;
function checkKey(key, op) {
    if (typeof key !== 'string')
        throw new TypeError(`world.sink.${op}: key must be a string, got ${typeof key}`);
    return key;
}
/**
 * One call in flight, and its own event on the agenda: first at the end of the request half
 * (`applyCall`), then, put back, at the end of the response half (`answerCall`). One object per
 * call, static handlers: the hot path allocates little.
 */
class PendingCall {
    world;
    op;
    key;
    value;
    idempotencyKey;
    owner;
    at;
    rest;
    resolve = noop;
    reject = noop;
    result;
    error;
    failed = false;
    seq = 0;
    fn = applyCall;
    arg = this;
    wakes = false;
    cancelled = false;
    constructor(world, op, key, value, idempotencyKey, owner, 
    /** When the effect happens (end of the request half). */
    at, 
    /** The response half of the latency. */
    rest) {
        this.world = world;
        this.op = op;
        this.key = key;
        this.value = value;
        this.idempotencyKey = idempotencyKey;
        this.owner = owner;
        this.at = at;
        this.rest = rest;
    }
}
function noop() { }
/** The resolving functions of the promise being made (a static executor: no closure per call). */
const captured = { resolve: noop, reject: noop };
function capture(resolve, reject) {
    captured.resolve = resolve;
    captured.reject = reject;
}
function applyCall(call) {
    try {
        call.result = call.world.apply(call);
    }
    catch (error) {
        call.failed = true;
        call.error = error;
    }
    call.world.answerLater(call);
}
function answerCall(call) {
    if (call.failed)
        call.reject(call.error);
    else
        call.resolve(call.result);
}
