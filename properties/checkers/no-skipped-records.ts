/**
 * `no-skipped-records` (judged on runs that completed): every key the reference run wrote is in
 * the final sink, and no numeric total is below the reference's. The typical cause: heartbeat
 * details that run ahead of the effects they stand for, so a retry resumes past a record that was
 * never applied.
 */
import type { SimulationResult } from '../../sim/simulation.js';
import { formatTime, type TraceEvent } from '../../sim/trace.js';
import type { Checker } from '../types.js';
import { databaseViolation } from '../database-diff.js';
import { describeAttempts, describeFaultEvents, effectsOn, show } from '../explain.js';

export const noSkippedRecords: Checker = {
  name: 'no-skipped-records',
  description: 'on runs that completed, every key the fault-free run wrote is in the sink, and no numeric total is below it',
  check({ reference, run }) {
    if (run.outcome.status !== 'completed' || reference.outcome.status !== 'completed') return undefined;
    const missing: string[] = [];
    const below: string[] = [];
    for (const [key, expected] of reference.sink) {
      if (!run.sink.has(key)) missing.push(key);
      else {
        const got = run.sink.get(key);
        if (typeof expected === 'number' && typeof got === 'number' && got < expected) below.push(key);
      }
    }
    if (missing.length === 0 && below.length === 0) return databaseViolation('no-skipped-records', reference, run);
    const key = (missing[0] ?? below[0])!;
    const what = missing.length > 0
      ? `record ${key} was never applied${missing.length > 1 ? ` (nor ${missing.length - 1} other${missing.length > 2 ? 's' : ''})` : ''}`
      : `${key} holds ${show(run.sink.get(key))}, below the ${show(reference.sink.get(key))} of the fault-free run${below.length > 1 ? ` (and ${below.length - 1} more keys are low)` : ''}`;
    const why = missing.length > 0 ? explainSkip(reference, run, key) : [];
    return {
      property: 'no-skipped-records',
      summary: why.length > 0 ? `${what}: ${why[0]}` : what,
      details: [...why.slice(1), ...describeFaultEvents(run), ...describeAttempts(run)],
      keys: [...missing.slice(0, 5), ...below.slice(0, 5)],
    };
  },
};

/** Which attempt skipped `key`, from what stored details, and how far its predecessor had got. */
function explainSkip(reference: SimulationResult, run: SimulationResult, key: string): string[] {
  const failed = run.trace.find((e): e is Extract<TraceEvent, { type: 'worldFault' }> => e.type === 'worldFault' && e.fault === 'transient' && e.key === key);
  const wentOn = failed !== undefined && run.trace.some((e) => e.type === 'effect' && e.attempt === failed.attempt && e.t > failed.t);
  if (failed !== undefined && wentOn) {
    return [
      `the ${failed.op} of ${key} by attempt ${failed.attempt} at ${formatTime(failed.t)} failed (an injected TransientError) and the activity went on without it`,
      'a failed write must not count as done: let the error propagate (the retry resumes from the last heartbeat) or retry the call',
    ];
  }
  const order = [...reference.sink.keys()];
  const index = order.indexOf(key);
  const written = new Set(run.sink.keys());
  // The first key after `key` (in the reference's order) that the run did write: who wrote it first?
  let later: string | undefined;
  for (let i = index + 1; i < order.length; i++) {
    if (written.has(order[i]!)) {
      later = order[i];
      break;
    }
  }
  if (later === undefined) return [];
  const first = effectsOn(run, later)[0];
  if (first === undefined) return [];
  const skipper = run.attempts.find((a) => a.attempt === first.attempt);
  if (skipper === undefined) return [];
  const lines: string[] = [];
  const from = skipper.startDetails;
  let storedBy: { t: number; attempt: number } | undefined;
  for (const e of run.trace) {
    if (e.t > skipper.startedAt) break;
    if (e.type === 'detailsStored' && e.details === from) storedBy = e;
  }
  if (storedBy !== undefined && storedBy.attempt !== skipper.attempt) {
    const prev = run.attempts.find((a) => a.attempt === storedBy.attempt);
    const prevEffects = run.trace.filter((e) => e.type === 'effect' && e.attempt === storedBy.attempt && e.t <= (prev?.endedAt ?? Infinity));
    const lastPrev = prevEffects.at(-1);
    const inFlight = lastPrev !== undefined && lastPrev.type === 'effect' ? `its last applied effect was on ${lastPrev.key} at ${formatTime(lastPrev.t)}` : 'it had applied no effect';
    lines.push(
      `attempt ${skipper.attempt} resumed from ${from ?? 'no details'}, stored at ${formatTime(storedBy.t)} by attempt ${storedBy.attempt}, but attempt ${storedBy.attempt} never applied ${key}: ${inFlight}${prev?.endedAt !== undefined ? `, and it ended (${prev.how}) at ${formatTime(prev.endedAt)}` : ''}`,
    );
    lines.push('the stored details ran ahead of the effects they stand for: heartbeat progress only after the effect has been applied (awaited)');
  } else {
    lines.push(`attempt ${skipper.attempt} started from ${from ?? 'no details'} and went on past ${key} without applying it`);
  }
  return lines;
}
