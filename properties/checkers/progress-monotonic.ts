/**
 * `progress-monotonic` (when the scenario gives `progress: (details) => number`): the progress
 * stored on the server never goes backwards, within an attempt or across attempts.
 */
import { decodeDetails } from '../../src/model/payload.js';
import { formatTime } from '../../sim/trace.js';
import type { Checker } from '../types.js';
import { describeFaultEvents } from '../explain.js';

export const progressMonotonic: Checker = {
  name: 'progress-monotonic',
  description: 'the progress stored on the server (scenario.progress(details)) never goes backwards, within or across attempts',
  check({ scenario, run }) {
    const progress = scenario.progress;
    if (progress === undefined) return undefined;
    let last: { value: number; t: number; attempt: number } | undefined;
    for (const e of run.trace) {
      if (e.type !== 'detailsStored' || e.details === undefined) continue;
      let value: number;
      try {
        value = progress(decodeDetails(e.details));
      } catch (error) {
        return { property: 'progress-monotonic', summary: `scenario.progress(details) threw on ${e.details} (stored at ${formatTime(e.t)} by attempt ${e.attempt}): ${(error as Error).message}`, details: [] };
      }
      if (typeof value !== 'number' || Number.isNaN(value)) continue;
      if (last !== undefined && value < last.value) {
        return {
          property: 'progress-monotonic',
          summary: `stored progress went back from ${last.value} (attempt ${last.attempt} at ${formatTime(last.t)}) to ${value} (attempt ${e.attempt} at ${formatTime(e.t)})`,
          details: [`details stored: ${e.details}`, ...describeFaultEvents(run)],
          times: [last.t, e.t],
        };
      }
      last = { value, t: e.t, attempt: e.attempt };
    }
    return undefined;
  },
};
