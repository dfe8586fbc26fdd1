import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { coresdk } from '@temporalio/proto';
import { describe, expect, test } from 'vitest';
import { encodeDetails } from '../../src/model/payload.js';
import {
  CANCEL_REASONS,
  cancelFromHeartbeatResponse,
  errorToFailure,
  isCancelledFailure,
  reportFor,
  throttleEndFor,
  WORKER_SHUTDOWN_FAILURE,
} from '../../src/model/report.js';
import type { CancelReason, Report } from '../../src/model/report.js';

const returned = (value: unknown) => ({ kind: 'returned', value }) as const;
const threw = (error: unknown) => ({ kind: 'threw', error }) as const;
const cancelled = (reason: CancelReason) => new CancelledFailure(reason);
const abortError = (): Error => Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });

class ChargeDeclined extends Error {}

describe('C3 cancel reasons', () => {
  test('C3 CancelReason lists core ActivityCancelReason (proto 1.24) plus the two lang-side reasons', () => {
    const core = Object.keys(coresdk.activity_task.ActivityCancelReason).filter((k) => Number.isNaN(Number(k)));
    expect(CANCEL_REASONS).toEqual([...core, 'WORKER_SHUTDOWN', 'HEARTBEAT_DETAILS_CONVERSION_FAILED'].filter((r, i, all) => all.indexOf(r) === i));
    expect(CANCEL_REASONS).toEqual(['NOT_FOUND', 'CANCELLED', 'TIMED_OUT', 'WORKER_SHUTDOWN', 'PAUSED', 'RESET', 'HEARTBEAT_DETAILS_CONVERSION_FAILED']);
  });

  test('C3 CancelledFailure is recognised by Temporal\'s symbol marker, across module copies, not by name alone', () => {
    expect(isCancelledFailure(new CancelledFailure('CANCELLED'))).toBe(true);
    // Another copy of @temporalio/common marks its prototype with the same registered symbol.
    class OtherCopyCancelledFailure extends Error {}
    Object.defineProperty(OtherCopyCancelledFailure.prototype, Symbol.for('__temporal_isCancelledFailure'), { value: true });
    expect(isCancelledFailure(new OtherCopyCancelledFailure('CANCELLED'))).toBe(true);
    expect(isCancelledFailure(Object.assign(new Error('CANCELLED'), { name: 'CancelledFailure' }))).toBe(false);
    expect(isCancelledFailure('CancelledFailure')).toBe(false);
  });
});

describe('C4 temporal: what the worker reports', () => {
  test('C4 temporal: throws CancelledFailure on CANCELLED -> canceled', () => {
    expect(reportFor(threw(cancelled('CANCELLED')), 'CANCELLED', 'temporal')).toEqual({ report: 'canceled', details: undefined });
  });

  test('C4 temporal: the canceled report carries the first detail of the CancelledFailure', () => {
    const error = new CancelledFailure('CANCELLED', [{ cleanedUp: true }, 'second']);
    expect(reportFor(threw(error), 'CANCELLED', 'temporal')).toEqual({ report: 'canceled', details: '{"cleanedUp":true}' });
  });

  test('C4 temporal: an AbortError (fetch aborted by cancellationSignal) counts as the cancellation', () => {
    expect(reportFor(threw(abortError()), 'CANCELLED', 'temporal')).toEqual({ report: 'canceled', details: undefined });
  });

  test('C4 temporal: NOT_FOUND -> nothing reported, whatever the function did', () => {
    expect(reportFor(threw(cancelled('NOT_FOUND')), 'NOT_FOUND', 'temporal')).toEqual({ report: 'nothing' });
    expect(reportFor(returned(42), 'NOT_FOUND', 'temporal')).toEqual({ report: 'nothing' });
    expect(reportFor(threw(new ChargeDeclined('x')), 'NOT_FOUND', 'temporal')).toEqual({ report: 'nothing' });
  });

  test('C4 temporal: TIMED_OUT (S5 local timeout) -> nothing reported, whatever the function did', () => {
    expect(reportFor(threw(cancelled('TIMED_OUT')), 'TIMED_OUT', 'temporal')).toEqual({ report: 'nothing' });
    expect(reportFor(returned('late'), 'TIMED_OUT', 'temporal')).toEqual({ report: 'nothing' });
  });

  test('C4 temporal: WORKER_SHUTDOWN -> a retryable WorkerShutdown failure', () => {
    const expected: Report = {
      report: 'failed',
      failure: {
        kind: 'application',
        type: 'WorkerShutdown',
        message: 'Worker is shutting down and this activity did not complete in time',
        nonRetryable: false,
      },
    };
    expect(reportFor(threw(cancelled('WORKER_SHUTDOWN')), 'WORKER_SHUTDOWN', 'temporal')).toEqual(expected);
    expect(reportFor(threw(abortError()), 'WORKER_SHUTDOWN', 'temporal')).toEqual({ report: 'failed', failure: WORKER_SHUTDOWN_FAILURE });
  });

  test('C4 temporal: returns a value despite CANCELLED -> completed', () => {
    expect(reportFor(returned({ charged: 3 }), 'CANCELLED', 'temporal')).toEqual({ report: 'completed', result: { charged: 3 } });
  });

  test('C4 temporal: throws another error after a cancel request -> failed', () => {
    expect(reportFor(threw(new ChargeDeclined('card expired')), 'CANCELLED', 'temporal')).toEqual({
      report: 'failed',
      failure: { kind: 'application', type: 'ChargeDeclined', message: 'card expired', nonRetryable: false },
    });
  });

  test('C4 temporal: a CancelledFailure thrown with no cancel is an ordinary failure', () => {
    expect(reportFor(threw(new CancelledFailure('made up')), undefined, 'temporal')).toEqual({
      report: 'failed',
      failure: { kind: 'application', type: 'CancelledFailure', message: 'made up', nonRetryable: false },
    });
  });

  test('C4 temporal: HEARTBEAT_DETAILS_CONVERSION_FAILED -> a retryable failure of type CancelledFailure, whatever was thrown', () => {
    const expected: Report = {
      report: 'failed',
      failure: { kind: 'application', type: 'CancelledFailure', message: 'HEARTBEAT_DETAILS_CONVERSION_FAILED', nonRetryable: false },
    };
    expect(reportFor(threw(cancelled('HEARTBEAT_DETAILS_CONVERSION_FAILED')), 'HEARTBEAT_DETAILS_CONVERSION_FAILED', 'temporal')).toEqual(expected);
    expect(reportFor(threw(new ChargeDeclined('x')), 'HEARTBEAT_DETAILS_CONVERSION_FAILED', 'temporal')).toEqual(expected);
    expect(reportFor(returned(1), 'HEARTBEAT_DETAILS_CONVERSION_FAILED', 'temporal')).toEqual({ report: 'completed', result: 1 });
  });

  test('C4 temporal: the activity keeps the last reason it was given, core the first it issued', () => {
    const error = cancelled('CANCELLED');
    // core CANCELLED, then the worker's own conversion failure: the activity's reason is the conversion failure.
    expect(reportFor(threw(error), ['CANCELLED', 'HEARTBEAT_DETAILS_CONVERSION_FAILED'], 'temporal')).toMatchObject({ report: 'failed' });
    // conversion failure first, then core CANCELLED: a cancellation.
    expect(reportFor(threw(error), ['HEARTBEAT_DETAILS_CONVERSION_FAILED', 'CANCELLED'], 'temporal')).toEqual({ report: 'canceled', details: undefined });
    // core TIMED_OUT after a conversion failure: core knows the server is done with it.
    expect(reportFor(threw(error), ['HEARTBEAT_DETAILS_CONVERSION_FAILED', 'TIMED_OUT'], 'temporal')).toEqual({ report: 'nothing' });
  });

  test('C4 temporal: PAUSED and RESET turn a CancelledFailure into ActivityPause / ActivityReset failures', () => {
    expect(reportFor(threw(cancelled('PAUSED')), 'PAUSED', 'temporal')).toEqual({
      report: 'failed',
      failure: { kind: 'application', type: 'ActivityPause', message: 'Activity paused', nonRetryable: false },
    });
    expect(reportFor(threw(cancelled('RESET')), 'RESET', 'temporal')).toEqual({
      report: 'failed',
      failure: { kind: 'application', type: 'ActivityReset', message: 'Activity reset', nonRetryable: false },
    });
    expect(reportFor(threw(abortError()), 'PAUSED', 'temporal')).toEqual({ report: 'canceled', details: undefined });
  });

  test('C4 temporal: the completed result is the value after the payload round trip (H7)', () => {
    const at = new Date(0);
    expect(reportFor(returned({ at, tags: new Set(['a']) }), undefined, 'temporal')).toEqual({
      report: 'completed',
      result: { at: '1970-01-01T00:00:00.000Z', tags: {} },
    });
    expect(reportFor(returned(undefined), undefined, 'temporal')).toEqual({ report: 'completed', result: undefined });
  });

  test('C4 temporal: a result that cannot be encoded -> failed ValueError', () => {
    expect(reportFor(returned({ total: 1n }), undefined, 'temporal')).toEqual({
      report: 'failed',
      failure: { kind: 'application', type: 'ValueError', message: 'Unable to convert [object Object] to payload', nonRetryable: false },
    });
  });
});

describe('C4 cadence: what the worker reports', () => {
  test('C4 cadence: a canceled error -> canceled, whether a cancel was requested or not', () => {
    expect(reportFor(threw(cancelled('CANCELLED')), 'CANCELLED', 'cadence')).toEqual({ report: 'canceled', details: undefined });
    expect(reportFor(threw(cancelled('CANCELLED')), undefined, 'cadence')).toEqual({ report: 'canceled', details: undefined });
    expect(reportFor(threw(abortError()), 'NOT_FOUND', 'cadence')).toEqual({ report: 'canceled', details: undefined });
    expect(reportFor(threw(new CancelledFailure('x', ['why'])), 'CANCELLED', 'cadence')).toEqual({ report: 'canceled', details: '"why"' });
  });

  test('C4 cadence: returns a value despite a cancel -> completed', () => {
    expect(reportFor(returned('done'), 'CANCELLED', 'cadence')).toEqual({ report: 'completed', result: 'done' });
  });

  test('C4 cadence: the context deadline passed (TIMED_OUT) -> nothing, whatever the function did', () => {
    expect(reportFor(returned('done'), 'TIMED_OUT', 'cadence')).toEqual({ report: 'nothing' });
    expect(reportFor(threw(cancelled('TIMED_OUT')), 'TIMED_OUT', 'cadence')).toEqual({ report: 'nothing' });
  });

  test('C4 cadence: WORKER_SHUTDOWN -> nothing (the Go poller does not report while shutting down)', () => {
    expect(reportFor(returned('done'), 'WORKER_SHUTDOWN', 'cadence')).toEqual({ report: 'nothing' });
  });

  test('C4 cadence: other errors -> failed, reason cadenceInternal:Generic, message kept', () => {
    expect(reportFor(threw(new ChargeDeclined('card expired')), 'CANCELLED', 'cadence')).toEqual({
      report: 'failed',
      failure: { kind: 'application', type: 'cadenceInternal:Generic', message: 'card expired', nonRetryable: false },
    });
  });
});

describe('R6 error -> failure', () => {
  test("R6 temporal: a thrown plain Error's type is its class name, not its name property", () => {
    expect(errorToFailure(new Error('x'), 'temporal')).toEqual({ kind: 'application', type: 'Error', message: 'x', nonRetryable: false });
    expect(errorToFailure(new TypeError('t'), 'temporal').type).toBe('TypeError');
    expect(errorToFailure(new ChargeDeclined('c'), 'temporal').type).toBe('ChargeDeclined');
    expect(errorToFailure(Object.assign(new Error('n'), { name: 'RenamedError' }), 'temporal').type).toBe('Error');
    expect(errorToFailure(new (class extends Error {})('anon'), 'temporal').type).toBe('');
  });

  test('R6 temporal: an ApplicationFailure carries its type, nonRetryable and nextRetryDelay', () => {
    const failure = ApplicationFailure.create({ message: 'declined', type: 'CardDeclined', nonRetryable: true, nextRetryDelay: '5s' });
    expect(errorToFailure(failure, 'temporal')).toEqual({
      kind: 'application',
      type: 'CardDeclined',
      message: 'declined',
      nonRetryable: true,
      nextRetryDelayMs: 5_000,
    });
    expect(errorToFailure(ApplicationFailure.create({ message: 'm', nextRetryDelay: 1_500 }), 'temporal')).toEqual({
      kind: 'application',
      type: '',
      message: 'm',
      nonRetryable: false,
      nextRetryDelayMs: 1_500,
    });
    expect(errorToFailure(ApplicationFailure.create({ message: 'm', nextRetryDelay: '1.5 minutes' }), 'temporal').nextRetryDelayMs).toBe(90_000);
    expect(errorToFailure(ApplicationFailure.create({ message: 'm', nextRetryDelay: '2h' }), 'temporal').nextRetryDelayMs).toBe(7_200_000);
    expect(errorToFailure(ApplicationFailure.create({ message: 'm', nextRetryDelay: '250' }), 'temporal').nextRetryDelayMs).toBe(250);
    expect(errorToFailure(ApplicationFailure.create({ message: 'm', nextRetryDelay: 'soon' }), 'temporal')).not.toHaveProperty('nextRetryDelayMs');
    expect(errorToFailure(ApplicationFailure.retryable('r'), 'temporal').type).toBe('Error');
  });

  test('R6 temporal: anything not an Error thrown is wrapped', () => {
    expect(errorToFailure('boom', 'temporal')).toEqual({ kind: 'application', type: '', message: 'boom', nonRetryable: false });
    expect(errorToFailure(null, 'temporal')).toEqual({ kind: 'application', type: '', message: 'null', nonRetryable: false });
    expect(errorToFailure({ code: 7 }, 'temporal')).toEqual({ kind: 'application', type: 'Object', message: 'undefined', nonRetryable: false });
    expect(errorToFailure(42, 'temporal')).toEqual({ kind: 'application', type: '', message: '42', nonRetryable: false });
  });

  test('R6 cadence: an ApplicationFailure type is the reason, anything else is cadenceInternal:Generic, never flagged non-retryable', () => {
    const failure = ApplicationFailure.create({ message: 'declined', type: 'CardDeclined', nonRetryable: true, nextRetryDelay: '5s' });
    expect(errorToFailure(failure, 'cadence')).toEqual({ kind: 'application', type: 'CardDeclined', message: 'declined', nonRetryable: false });
    expect(errorToFailure(new ChargeDeclined('c'), 'cadence')).toEqual({
      kind: 'application',
      type: 'cadenceInternal:Generic',
      message: 'c',
      nonRetryable: false,
    });
    expect(errorToFailure('boom', 'cadence').type).toBe('cadenceInternal:Generic');
  });
});

describe('S6 heartbeat responses', () => {
  test('S6 a NotFound response cancels with NOT_FOUND, and then nothing is reported (temporal)', () => {
    const reason = cancelFromHeartbeatResponse({ status: 'notFound' });
    expect(reason).toBe('NOT_FOUND');
    expect(reportFor(threw(cancelled('NOT_FOUND')), reason, 'temporal')).toEqual({ report: 'nothing' });
  });

  test('S6 cadence: a NotFound response cancels the context; the canceled report is then sent (and rejected, H6)', () => {
    const reason = cancelFromHeartbeatResponse({ status: 'notFound' });
    expect(reportFor(threw(cancelled('NOT_FOUND')), reason, 'cadence')).toEqual({ report: 'canceled', details: undefined });
  });

  test('S6 other heartbeat RPC errors cancel nothing', () => {
    expect(cancelFromHeartbeatResponse({ status: 'error' })).toBeUndefined();
    expect(cancelFromHeartbeatResponse({ status: 'ok', cancelRequested: false })).toBeUndefined();
  });

  test('C1 a cancel request reaches the activity in a heartbeat response', () => {
    expect(cancelFromHeartbeatResponse({ status: 'ok', cancelRequested: true })).toBe('CANCELLED');
  });
});

describe('S4 throttle flush per report', () => {
  const completed: Report = { report: 'completed', result: 1 };
  const failed: Report = { report: 'failed', failure: WORKER_SHUTDOWN_FAILURE };
  const canceled: Report = { report: 'canceled', details: encodeDetails('x') };
  const nothing: Report = { report: 'nothing' };

  test('S4 temporal: flush before a failure or cancellation, drop on success and when nothing is reported', () => {
    expect([completed, failed, canceled, nothing].map((r) => throttleEndFor(r, 'temporal'))).toEqual(['success', 'failure', 'cancel', 'drop']);
  });

  test('S4 cadence: flush unless completed, even when nothing is reported', () => {
    expect([completed, failed, canceled, nothing].map((r) => throttleEndFor(r, 'cadence'))).toEqual(['success', 'failure', 'cancel', 'failure']);
  });
});
