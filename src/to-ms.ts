import { parseDuration } from './duration.js';
import type { Duration } from './options.js';

/** A duration (`250`, `'250ms'`, `'5s'`, `'1m'`, `'2h'`, `'1d'`) in milliseconds, for activity code reading its params. */
export function toMs(duration: Duration | unknown): number {
  return parseDuration(duration, 'duration');
}
