/**
 * Configuration warnings, printed before the verdict: settings that make a check say less than it
 * seems to (or decide a verdict by themselves), each with what to change. They are read from the
 * scenario, the fault-free run and the search's settings; none is a violation.
 */
import { formatDuration } from '../src/duration.js';
import { parseDuration } from '../src/duration.js';
import { throttleIntervalMs } from '../src/model/heartbeat-throttle.js';
import type { TimeoutType } from '../src/model/types.js';
import type { NormalizedScenario } from '../src/scenario.js';
import type { SimulationResult } from '../sim/simulation.js';

export interface ConfigWarning {
  /** A stable id: `fault-free-retries`, `no-heartbeat-timeout`, `attempts-exhausted-by-crashes`, `throttled-interval`, `details-never-read`. */
  readonly id: string;
  /** What is wrong, in the user's terms. */
  readonly message: string;
  /** What to change. */
  readonly fix: string;
}

const OPTION_OF: Record<TimeoutType, string> = {
  START_TO_CLOSE: 'options.startToCloseTimeout',
  HEARTBEAT: 'options.heartbeatTimeout',
  SCHEDULE_TO_START: 'options.scheduleToStartTimeout',
  SCHEDULE_TO_CLOSE: 'options.scheduleToCloseTimeout',
};

function timeoutMs(scenario: NormalizedScenario, t: TimeoutType): number {
  const o = scenario.options;
  return t === 'START_TO_CLOSE' ? o.startToCloseTimeoutMs : t === 'HEARTBEAT' ? o.heartbeatTimeoutMs : t === 'SCHEDULE_TO_START' ? o.scheduleToStartTimeoutMs : o.scheduleToCloseTimeoutMs;
}

export function configWarnings(scenario: NormalizedScenario, reference: SimulationResult, maxFaults: number): ConfigWarning[] {
  const out: ConfigWarning[] = [];
  const o = scenario.options;

  // The fault-free run needed retries or hit a timeout: every faulted run starts from a run that already struggles.
  const timedOut = reference.trace.find((e) => e.type === 'attemptTimedOut');
  if (timedOut !== undefined && timedOut.type === 'attemptTimedOut') {
    const option = OPTION_OF[timedOut.timeoutType];
    out.push({
      id: 'fault-free-retries',
      message: `the fault-free run hit a ${timedOut.timeoutType} timeout (attempt ${timedOut.attempt}, ${option} ${formatDuration(timeoutMs(scenario, timedOut.timeoutType))}) and needed ${reference.attempts.length} attempt(s)`,
      fix: timedOut.timeoutType === 'HEARTBEAT' ? `heartbeat more often than every ${formatDuration(o.heartbeatTimeoutMs)}, or raise ${option}` : `raise ${option} above what the work takes without faults`,
    });
  } else if (reference.attempts.length > 1) {
    out.push({
      id: 'fault-free-retries',
      message: `the fault-free run needed ${reference.attempts.length} attempts (attempt 1 ${reference.attempts[0]!.how})`,
      fix: 'a run without faults should complete in its first attempt: fix what makes attempt 1 fail, so that the retries the check sees are the faults\' doing',
    });
  }

  // Heartbeats without a heartbeat timeout: a crash is noticed only at start-to-close.
  if (reference.counts.heartbeatCalls > 0 && o.heartbeatTimeoutMs === 0) {
    const stc = o.startToCloseTimeoutMs || o.scheduleToCloseTimeoutMs;
    out.push({
      id: 'no-heartbeat-timeout',
      message: `the activity heartbeats but options.heartbeatTimeout is not set: a crashed worker is noticed only when ${o.startToCloseTimeoutMs ? 'startToClose' : 'scheduleToClose'} (${formatDuration(stc)}) expires`,
      fix: 'set options.heartbeatTimeout (a few times the interval between heartbeats)',
    });
  }

  // Retries that --max-faults crashes can use up: `completes` then fails by construction.
  const r = o.retry;
  if (r === undefined) {
    out.push({
      id: 'attempts-exhausted-by-crashes',
      message: 'no retry policy (cadence: never retried): a single crash fails the activity, so completes fails by construction',
      fix: 'set options.retry (maximumAttempts above --max-faults, or an expirationInterval)',
    });
  } else if (r.maximumAttempts > 0 && r.maximumAttempts <= maxFaults) {
    out.push({
      id: 'attempts-exhausted-by-crashes',
      message: `options.retry.maximumAttempts ${r.maximumAttempts}: ${r.maximumAttempts} crashes (up to ${maxFaults} faults per run) use up every attempt, so completes fails by construction`,
      fix: `raise maximumAttempts above ${maxFaults}, or check with --max-faults ${r.maximumAttempts - 1}`,
    });
  }

  // A heartbeat interval shorter than the throttle window: the extra calls never reach the server.
  const window = throttleIntervalMs(scenario.profile, o.heartbeatTimeoutMs, scenario.worker);
  if (window > 0) {
    for (const [key, value] of Object.entries(scenario.params)) {
      // A duration with a unit ('5s'): a bare number may be a count (heartbeatEveryRecords: 80).
      if (!/heartbeat/i.test(key) || typeof value !== 'string' || !/[a-z]/i.test(value)) continue;
      let ms: number;
      try {
        ms = parseDuration(value, `params.${key}`);
      } catch {
        continue;
      }
      if (ms > 0 && ms < window) {
        out.push({
          id: 'throttled-interval',
          message: `params.${key} ${formatDuration(ms)} is shorter than the SDK's heartbeat throttle window (${formatDuration(window)}, S1): at most one heartbeat per window reaches the server, the others only replace what is pending`,
          fix: `heartbeat every ${formatDuration(window)} or more (the server sees the same progress), or lower options.heartbeatTimeout to shorten the window`,
        });
      }
    }
  }

  // Progress heartbeated but never read back: a retry cannot resume.
  const progress = reference.trace.some((e) => (e.type === 'heartbeatSent' || e.type === 'detailsStored') && e.details !== undefined);
  if (progress && reference.counts.detailsReads === 0) {
    out.push({
      id: 'details-never-read',
      message: `the activity heartbeats progress but never reads its heartbeat details (in the fault-free run): a retry cannot resume, it starts over`,
      fix: scenario.api === 'temporal' ? 'resume from activityInfo().heartbeatDetails at the start of the activity' : 'resume from ctx.heartbeatDetails() at the start of the activity',
    });
  }
  return out;
}
