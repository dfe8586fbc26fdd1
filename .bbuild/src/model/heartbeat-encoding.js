/**
 * S3: when the TS worker turns `heartbeat(details)` into bytes.
 *
 * Read from `@temporalio/worker` 1.24.0 `Worker.activityHeartbeat$` (`lib/worker.js`; the same in
 * sdk-typescript `packages/worker/src/worker.ts`) and `@temporalio/common` 1.24.0
 * `encodeToPayload` (`lib/internal-non-workflow/codec-helpers.js`):
 *
 * - `heartbeat(details)` pushes `{ details }` (a reference) into an RxJS `Subject`; everything up
 *   to the per-activity state reducer and into the `mergeMap` project runs synchronously.
 * - The reducer: when no heartbeat of this activity is being processed, the project starts at
 *   once, and `encodeToPayload` calls `payloadConverter.toPayload(details)` (the JSON text) in
 *   its synchronous prologue: **the details are encoded during the `heartbeat()` call.**
 * - When one is being processed, the call is only stored as `pending`, **by reference**, and a
 *   later call replaces it (latest wins). After the first one is recorded to core, a `flush`
 *   input makes the reducer process the pending one, encoding it **then**: a mutation made in
 *   between is what gets sent.
 * - Processing takes, with no payload codec and no external storage (the defaults), **3
 *   microtasks**: `await encode(codecs)` in `encodeSingle`, `return await` in `encodeToPayload`,
 *   and the project's own `await`; then `recordActivityHeartbeat` and `flush` run synchronously.
 *   An encoding that throws (e.g. a `BigInt`) rejects at once: **1 microtask**, then the worker
 *   cancels the activity with `HEARTBEAT_DETAILS_CONVERSION_FAILED`, records nothing, and
 *   flushes. (Payload codecs add their own awaits; the model assumes none.)
 * - When the activity settles, the worker sends `completion` with `flushRequired` true only for a
 *   failure: a call still held by reference is then encoded and recorded before the failure is
 *   reported; on success or cancellation it is dropped (core still flushes *its* throttled
 *   details on cancellation, S4).
 *
 * The model: {@link HeartbeatEncoder} encodes synchronously with {@link encodeDetails} and then
 * calls the injected `defer` {@link ENCODE_MICROTASKS} times in a chain (once on an encoding
 * error) before `emit` (or `onError`). With `defer = queueMicrotask` a heartbeat therefore stays
 * "being processed" for as many microtasks as in the real worker.
 */
import { encodeDetails, PayloadEncodingError } from './payload.js';
/** Microtasks the real worker takes from `heartbeat()` to `recordActivityHeartbeat` (S3). */
export const ENCODE_MICROTASKS = 3;
/** Microtasks the real worker takes from a throwing `toPayload` to its error handling (S3). */
export const ENCODE_ERROR_MICROTASKS = 1;
/**
 * S3: the TS worker's per-activity heartbeat stream (see the module doc). One per attempt.
 */
export class HeartbeatEncoder {
    options;
    processing = false;
    pending;
    completion;
    closed = false;
    constructor(options) {
        this.options = options;
    }
    /** The activity called `heartbeat(details)`. After completion this is ignored (a rogue heartbeat). */
    heartbeat(details) {
        if (this.closed)
            return;
        if (this.processing) {
            this.pending = { details };
            return;
        }
        this.process(details);
    }
    /**
     * The activity's function settled. `done` is called once the stream is closed: at once,
     * except on `'failure'` while a heartbeat is being processed or held, when it waits until
     * those have been emitted (the worker awaits this before reporting the failure).
     */
    complete(how, done = () => undefined) {
        if (this.closed)
            return done();
        if (this.processing) {
            if (how !== 'failure')
                this.pending = undefined;
            this.completion = done;
            return;
        }
        const pending = this.pending;
        if (how === 'failure' && pending !== undefined) {
            this.completion = done;
            this.pending = undefined;
            this.process(pending.details);
            return;
        }
        this.close(done);
    }
    /** Whether a heartbeat is being encoded (a call now would be held by reference). */
    get busy() {
        return this.processing;
    }
    process(details) {
        this.processing = true;
        let payload;
        try {
            payload = encodeDetails(details);
        }
        catch (error) {
            if (!(error instanceof PayloadEncodingError))
                throw error;
            this.after(ENCODE_ERROR_MICROTASKS, () => {
                this.options.onError(error);
                this.flushed();
            });
            return;
        }
        this.after(ENCODE_MICROTASKS, () => {
            this.options.emit(payload);
            this.flushed();
        });
    }
    /** The worker's `flush` input: next pending heartbeat, else the awaited completion, else idle. */
    flushed() {
        const pending = this.pending;
        if (pending !== undefined) {
            this.pending = undefined;
            this.process(pending.details);
        }
        else if (this.completion !== undefined) {
            this.close(this.completion);
        }
        else {
            this.processing = false;
        }
    }
    close(done) {
        this.closed = true;
        this.processing = false;
        this.pending = undefined;
        this.completion = undefined;
        done();
    }
    after(hops, fn) {
        if (hops <= 0)
            return fn();
        this.options.defer(() => this.after(hops - 1, fn));
    }
}
