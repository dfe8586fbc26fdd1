/**
 * pino loggers with virtual timestamps: `time` is the virtual epoch milliseconds (what the
 * activity's `Date.now()` returns), so a log line can be matched with the trace.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Scheduler } from './scheduler.js';

/** The logger of every simulation without a destination: silent, made once (a pino logger costs about 0.1 ms). */
let silent: Logger | undefined;

/** A logger for one simulation; silent unless a destination is given. */
export function createSimLogger(scheduler: Scheduler, destination: DestinationStream | undefined, level = 'debug'): Logger {
  // Its timestamp, if user code ever raises a child's level: the virtual clock, as `Date.now()` reads it in a run.
  if (destination === undefined) return (silent ??= pino({ level: 'silent', base: undefined, timestamp: () => `,"time":${Date.now()}` }));
  const options = {
    level: destination === undefined ? 'silent' : level,
    base: undefined,
    timestamp: () => `,"time":${scheduler.epochMs + scheduler.now}`,
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
