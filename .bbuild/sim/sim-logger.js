/**
 * pino loggers with virtual timestamps: `time` is the virtual epoch milliseconds (what the
 * activity's `Date.now()` returns), so a log line can be matched with the trace.
 */
import pino, {} from 'pino';
/** A logger for one simulation; silent unless a destination is given. */
export function createSimLogger(scheduler, destination, level = 'debug') {
    const options = {
        level: destination === undefined ? 'silent' : level,
        base: undefined,
        timestamp: () => `,"time":${scheduler.epochMs + scheduler.now}`,
    };
    return destination === undefined ? pino(options) : pino(options, destination);
}
