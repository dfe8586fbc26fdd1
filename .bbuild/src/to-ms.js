import { parseDuration } from './duration.js';
/** A duration (`250`, `'250ms'`, `'5s'`, `'1m'`, `'2h'`, `'1d'`) in milliseconds, for activity code reading its params. */
export function toMs(duration) {
    return parseDuration(duration, 'duration');
}
