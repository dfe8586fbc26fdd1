/**
 * `completes`: the activity completes successfully under any plan of at most `--max-faults`
 * faults. A retry policy that gives up, a heartbeat gap longer than the heartbeat timeout, a
 * transient error turned non-retryable: all violations. A reference run that fails is this
 * violation too. A plan with a workflow cancel request expects `canceled` (or `completed`, if the
 * activity finished first; or failed / timed out after the request, when the request stopped a
 * retry (R5) or the activity threw on seeing it (C4)).
 */
import type { Checker } from '../types.js';
import { describeAttempts, describeFaultEvents } from '../explain.js';
import { describeOutcome } from '../../sim/outcome-text.js';

export const completes: Checker = {
  name: 'completes',
  description: 'the activity completes under any plan of at most --max-faults faults (canceled is fine if the plan holds a cancel request)',
  check({ reference, run, plan }) {
    if (reference.outcome.status !== 'completed') {
      return {
        property: 'completes',
        summary: `even without faults the activity ${describeOutcome(reference.outcome)}`,
        details: [...describeAttempts(reference), ...reference.warnings],
      };
    }
    const s = run.outcome.status;
    if (s === 'completed') return undefined;
    // After a cancel request the activity may end canceled, or (when the cancel stopped a retry,
    // R5, or the activity threw on seeing it, C4) failed or timed out: the workflow asked for it.
    const cancelAt = run.trace.find((e) => e.type === 'cancelRequested')?.t;
    if (plan.some((f) => f.kind === 'cancel') && cancelAt !== undefined && (s === 'canceled' || ((s === 'failed' || s === 'timedOut') && run.outcome.at >= cancelAt))) return undefined;
    return {
      property: 'completes',
      summary: `under this fault plan the activity ${describeOutcome(run.outcome)}`,
      details: [...describeFaultEvents(run), ...describeAttempts(run), ...run.warnings],
      times: [run.outcome.at],
    };
  },
};
