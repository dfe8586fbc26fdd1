/**
 * `details-serializable`: heartbeat details survive the payload converter unchanged (H7: a Set,
 * Map, Date or BigInt in the details is a violation: progress silently disappears), and a details
 * object mutated after heartbeat() in a way that changes what is sent (S3: only a call held while
 * the previous one is still being encoded) is reported. A mutation that does not change what is
 * sent is not.
 */
import { formatTime } from '../../sim/trace.js';
import type { Checker } from '../types.js';

export const detailsSerializable: Checker = {
  name: 'details-serializable',
  description: 'heartbeat details survive the payload converter unchanged (no Set, Map, Date, BigInt...), and are not mutated between heartbeat() and their encoding',
  check({ reference, run }) {
    for (const result of [reference, run]) {
      for (const e of result.trace) {
        if (e.type === 'detailsLoss') {
          return {
            property: 'details-serializable',
            summary: `attempt ${e.attempt}'s heartbeat details at ${formatTime(e.t)} do not survive the payload converter: ${e.losses.join('; ')}`,
            details: ['the next attempt would resume from what the server stored, not from what the activity meant to store: use plain JSON values (arrays instead of Sets, objects instead of Maps, numbers or ISO strings instead of Dates, strings instead of BigInts)'],
            times: [e.t],
          };
        }
        if (e.type === 'detailsMutated') {
          return {
            property: 'details-serializable',
            summary: `attempt ${e.attempt} called heartbeat(${e.atCall ?? ''}) but ${e.sent ?? '(nothing)'} was sent at ${formatTime(e.t)}: the details object was mutated before the SDK encoded it (S3)`,
            details: ['pass a fresh object (a copy) to heartbeat(), or do not mutate it in the same synchronous turn'],
            times: [e.t],
          };
        }
      }
    }
    return undefined;
  },
};
