/**
 * `completes`: the activity completes successfully under any plan of at most `--max-faults`
 * faults. A retry policy that gives up, a heartbeat gap longer than the heartbeat timeout, a
 * transient error turned non-retryable: all violations. A reference run that fails is this
 * violation too. A plan with a workflow cancel request expects `canceled` (or `completed`, if the
 * activity finished first; or failed / timed out after the request, when the request stopped a
 * retry (R5) or the activity threw on seeing it (C4)).
 */
import type { NormalizedScenario } from '../../src/scenario.js';
import { formatDuration } from '../../src/duration.js';
import type { SimulationResult } from '../../sim/simulation.js';
import { formatTime } from '../../sim/trace.js';
import type { Checker } from '../types.js';
import { describeAttempts, describeFaultEvents } from '../explain.js';
import { describeOutcome } from '../../sim/outcome-text.js';

export const completes: Checker = {
  name: 'completes',
  description: 'the activity completes under any plan of at most --max-faults faults (canceled is fine if the plan holds a cancel request)',
  check({ scenario, reference, run, plan }) {
    if (reference.outcome.status !== 'completed') {
      const attempts = describeAttempts(reference);
      return {
        property: 'completes',
        summary: faultFreeSummary(scenario, reference),
        details: [...(attempts.length > 8 ? [...attempts.slice(0, 3), `... (${attempts.length - 4} more attempts)`, attempts.at(-1)!] : attempts), ...hints(reference), ...reference.warnings],
        times: [reference.outcome.at],
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
      details: [...describeFaultEvents(run), ...describeAttempts(run), ...hints(run), ...run.warnings],
      times: [run.outcome.at],
    };
  },
};

/** Postgres's answer once a transaction has failed (SQLSTATE 25P02), as node-postgres and PGlite word it. */
const ABORTED_TRANSACTION = 'current transaction is aborted';

/** What a user can do about errors whose cause is not in their message. */
function hints(run: SimulationResult): string[] {
  if (!run.attempts.some((a) => a.how.includes(ABORTED_TRANSACTION))) return [];
  return ['"current transaction is aborted" (25P02): a statement failed inside a transaction and its connection went back to the pool still in that transaction, so every later statement on it fails; on an error, ROLLBACK before release(), or release(err) so the pool discards the connection (as with pg)'];
}

/**
 * Why the fault-free run does not complete, said at once: its first error, whether every attempt
 * ended that way, and the retry policy that let it go on (or gave up).
 */
function faultFreeSummary(scenario: NormalizedScenario, reference: SimulationResult): string {
  const first = reference.attempts[0];
  const all = reference.attempts;
  const same = first !== undefined && all.every((a) => a.how === first.how);
  const firstError = first === undefined ? '' : `: attempt 1 ${first.how}${first.endedAt !== undefined ? ` at ${formatTime(first.endedAt)}` : ''}${all.length > 1 ? (same ? `, and so did all ${all.length} attempts` : ` (${all.length} attempts)`) : ''}`;
  const o = reference.outcome;
  const status = o.status === 'timeLimit' ? 'does not complete' : describeOutcome(o);
  const policy = retryPolicyText(scenario);
  const forever = o.status === 'timeLimit' && o.reason.startsWith('still retrying') ? `; ${policy} lets it retry forever (hbsim stopped after ${all.length} attempts): fix the error, or make it final (nonRetryableErrorTypes, maximumAttempts, scheduleToCloseTimeout)` : `; ${policy}`;
  return `even without faults the activity ${status}${firstError}${forever}`;
}

/** `retry policy maximumAttempts unlimited, no scheduleToCloseTimeout` and the like. */
export function retryPolicyText(scenario: NormalizedScenario): string {
  const o = scenario.options;
  const r = o.retry;
  if (r === undefined) return 'no retry policy (cadence: never retried)';
  const attempts = r.maximumAttempts === 0 ? 'maximumAttempts unlimited' : `maximumAttempts ${r.maximumAttempts}`;
  const bound = scenario.profile === 'cadence'
    ? (r.expirationIntervalMs > 0 ? `expirationInterval ${formatDuration(r.expirationIntervalMs)}` : 'no expirationInterval')
    : (o.scheduleToCloseTimeoutMs > 0 ? `scheduleToCloseTimeout ${formatDuration(o.scheduleToCloseTimeoutMs)}` : 'no scheduleToCloseTimeout');
  const types = r.nonRetryableErrorTypes.length > 0 ? `, nonRetryableErrorTypes [${r.nonRetryableErrorTypes.join(', ')}]` : '';
  return `the retry policy (${attempts}, ${bound}${types})`;
}
