/**
 * Thrown by `ctx.sleep()` and carried by `ctx.signal.reason` when a native activity is cancelled.
 * Its `name` is `CancelledFailure`, as Temporal's, so that both front doors report it the same way (C4).
 */
export class ActivityCancelledError extends Error {
    reason;
    name = 'CancelledFailure';
    constructor(reason) {
        super(reason);
        this.reason = reason;
    }
}
