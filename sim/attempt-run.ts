/**
 * One attempt running on a worker process: the user's function, its heartbeat path through the
 * SDK throttle to the server (S1-S6), cancellation delivery (C1, C3) and what it reports (C4).
 *
 * An AttemptRun is the owner of every event and user timer its attempt creates: when its
 * process dies, they die with it (a crash is process death).
 */
import type { CancellationReason } from '../src/context.js';
import type { Payload } from '../src/model/types.js';
import { HeartbeatThrottle } from '../src/model/heartbeat-throttle.js';
import { decodeDetails, describeLoss } from '../src/model/payload.js';
import { cancelFromHeartbeatResponse, reportFor, throttleEndFor, type Settled } from '../src/model/report.js';
import type { Cancellable } from './event-queue.js';
import type { WorkerProcess } from './worker-process.js';
import type { Simulation } from './simulation.js';

/** What the front door needs to know to build the user-visible context. */
export interface AttemptStart {
  readonly attempt: number;
  /** Stored details this attempt starts from (H2). */
  readonly details: Payload;
  readonly scheduledAt: number;
  readonly currentAttemptScheduledAt: number;
  readonly startedAt: number;
}

/** A running invocation of the user's function, as a front door made it. */
export interface Invocation {
  readonly result: Promise<unknown>;
  /** Deliver a cancellation to the user's code (C3). Called once, with the first reason. */
  cancel(reason: CancellationReason): void;
  /**
   * The function settled: let the front door finish its own heartbeat processing (S3: the TS
   * worker encodes a held heartbeat before reporting a failure) and call `done` after.
   */
  settle?(how: 'success' | 'failure' | 'cancel', done: () => void): void;
}

export class AttemptRun {
  /** Set once the user's function has returned or thrown. */
  settled = false;
  /** Set once everything the attempt had to report was sent (the worker slot is then free). */
  finished = false;
  /** The reasons the attempt was cancelled with, in order (C3; the first is the one delivered). */
  readonly cancelReasons: CancellationReason[] = [];
  /** Set once the function settled and its report is being decided. */
  private settling = false;
  private readonly throttle: HeartbeatThrottle;
  /** S7: what to do once the throttle says no heartbeat RPC is in flight any more (report, or finish). */
  private afterEvict: (() => void) | undefined;
  private windowEvent: Cancellable | undefined;
  private localTimeout: Cancellable | undefined;
  private lastHeartbeatResponseAt: number | undefined;
  private lastLoss: string | undefined;
  /** The details held by the throttle (for the trace when a crash loses them). */
  private pendingDetails: Payload;
  private invocation: Invocation | undefined;

  constructor(
    readonly sim: Simulation,
    readonly process: WorkerProcess,
    readonly start: AttemptStart,
  ) {
    // S2, S7: the model's throttle keeps at most one heartbeat RPC in flight, throttle or not,
    // and holds the report until the RPC in flight has been answered.
    this.throttle = new HeartbeatThrottle(sim.throttleIntervalMs, sim.profile);
  }

  get attempt(): number {
    return this.start.attempt;
  }

  /** Alive while its process is. */
  get alive(): boolean {
    return this.process.alive;
  }

  /** Start the user's function (runs inside a scheduler step owned by this run). */
  begin(): void {
    const sim = this.sim;
    let invocation: Invocation;
    try {
      // The arguments travel as payloads: each attempt decodes its own copy.
      invocation = sim.frontDoor(this, this.process.activity, sim.scenario.args.map(decodeDetails));
    } catch (error) {
      invocation = { result: Promise.reject(error), cancel: () => {} };
    }
    this.invocation = invocation;
    this.armLocalTimeout();
    invocation.result.then(
      (value) => this.onSettled({ kind: 'returned', value }),
      (error: unknown) => this.onSettled({ kind: 'threw', error }),
    );
  }

  /** H7: record what `details` would lose in the payload converter (once per distinct loss). */
  inspectDetails(details: unknown): void {
    const losses = describeLoss(details);
    if (losses.length === 0) return;
    const key = losses.join('\n');
    if (key === this.lastLoss) return;
    this.lastLoss = key;
    this.sim.trace.record({ t: this.sim.scheduler.now, type: 'detailsLoss', attempt: this.attempt, losses });
  }

  /** S3: a held heartbeat was encoded later than its call, and the object had changed in between. */
  detailsMutated(atCall: Payload, sent: Payload): void {
    this.sim.trace.record({ t: this.sim.scheduler.now, type: 'detailsMutated', attempt: this.attempt, atCall, sent });
  }

  /**
   * A heartbeat() call whose details are already encoded (the front door encodes: H7, S3).
   * Returns, when the call was sent, a promise settled when its RPC returns (S8: what a cadence
   * native `ctx.heartbeat()` returns); `undefined` when it was held or ignored.
   */
  heartbeat(details: Payload): Promise<void> | undefined {
    const sim = this.sim;
    if (!this.alive) return undefined;
    sim.counts.heartbeatCalls++;
    sim.trace.record({ t: sim.scheduler.now, type: 'heartbeatCalled', attempt: this.attempt, details });
    if (this.settled) {
      sim.trace.record({ t: sim.scheduler.now, type: 'heartbeatLost', attempt: this.attempt, details, why: 'the activity function had already returned' });
      return undefined;
    }
    const decision = this.throttle.call(sim.scheduler.now, details);
    let answered: Promise<void> | undefined;
    if ('send' in decision) answered = new Promise<void>((resolve) => this.send(decision.send, resolve));
    else if ('coalesced' in decision) {
      this.pendingDetails = details;
      sim.trace.record({ t: sim.scheduler.now, type: 'heartbeatCoalesced', attempt: this.attempt });
    }
    sim.onHeartbeatCall(this, 'coalesced' in decision);
    return answered;
  }

  /** S2: the throttle window ended: send what is pending, if anything. */
  onWindowEnd(windowId: number): void {
    this.windowEvent = undefined;
    if (this.settled) return;
    const decision = this.throttle.windowEnd(this.sim.scheduler.now, windowId);
    if ('send' in decision) this.send(decision.send);
  }

  /**
   * The heartbeat RPC: request half, the server, response half; then the throttle decides what
   * comes next (S2: a window, or under cadence after a failure none; S7: the report).
   * `onAnswer` runs when the RPC returns (S8).
   */
  private send(details: Payload, onAnswer?: () => void): void {
    const sim = this.sim;
    sim.counts.heartbeatsSent++;
    sim.trace.record({ t: sim.scheduler.now, type: 'heartbeatSent', attempt: this.attempt, details });
    this.pendingDetails = undefined;
    sim.rpc(this, 'heartbeat', () => sim.server.heartbeat(this.attempt, details), (response) => {
      const now = sim.scheduler.now;
      this.lastHeartbeatResponseAt = now;
      this.armLocalTimeout(); // S5 restarts at each heartbeat response
      if (response.status === 'notFound') sim.trace.record({ t: now, type: 'heartbeatRejected', attempt: this.attempt });
      const reason = cancelFromHeartbeatResponse(response); // S6, C1
      if (reason !== undefined) this.cancel(reason);
      const next = this.throttle.answered(now, response.status === 'error' ? 'failed' : 'answered');
      if ('windowEndsAt' in next) {
        if (this.windowEvent !== undefined) this.windowEvent.cancelled = true;
        // `wakes`: the SDK's own timer, frozen with the worker's event loop (pause).
        this.windowEvent = sim.scheduler.at(next.windowEndsAt, windowEnd, { run: this, windowId: next.windowId }, this, true);
      } else if ('send' in next) this.send(next.send);
      else if ('ready' in next) this.afterEvict?.();
      onAnswer?.();
    }, sim.heartbeatRpcTimeoutMs);
  }

  /** S5: the TS core's own timeout (temporal profile only). */
  private armLocalTimeout(): void {
    if (this.localTimeout !== undefined) this.localTimeout.cancelled = true;
    this.localTimeout = undefined;
    if (this.settled) return;
    const at = this.sim.localTimeoutAt(this.start, this.lastHeartbeatResponseAt);
    if (at !== undefined) this.localTimeout = this.sim.scheduler.at(at, localTimeoutFired, this, this, true);
  }

  /**
   * Deliver a cancellation (C3). The core issues one reason at most; the TS worker may add
   * HEARTBEAT_DETAILS_CONVERSION_FAILED (its Activity keeps the last reason, see reportFor).
   */
  cancel(reason: CancellationReason): void {
    if (this.settling || !this.alive) return;
    const first = this.cancelReasons.length === 0;
    if (!first && (reason !== 'HEARTBEAT_DETAILS_CONVERSION_FAILED' || this.cancelReasons.includes(reason))) return;
    this.cancelReasons.push(reason);
    const sim = this.sim;
    sim.trace.record({ t: sim.scheduler.now, type: 'cancelDelivered', attempt: this.attempt, reason });
    if (first) this.invocation?.cancel(reason);
  }

  private onSettled(settled: Settled): void {
    if (!this.alive || this.settling) return;
    this.settling = true;
    const sim = this.sim;
    const report = reportFor(settled, this.cancelReasons, sim.profile);
    const how = settled.kind === 'returned' ? 'returned' : `threw ${describeError(settled.error)}`;
    const cancelled = this.cancelReasons.length > 0 ? `after cancel ${this.cancelReasons.join(', ')}` : undefined;
    sim.trace.record({ t: sim.scheduler.now, type: 'attemptEnded', attempt: this.attempt, how, ...(cancelled ? { detail: cancelled } : {}) });
    const proceed = (): void => {
      if (!this.alive) return;
      this.settled = true;
      if (this.localTimeout !== undefined) this.localTimeout.cancelled = true;
      if (this.windowEvent !== undefined) this.windowEvent.cancelled = true;
      // S4: pending details go out before a failure or cancellation, and are dropped on success.
      // S7: the report waits until no heartbeat RPC of the attempt is in flight.
      const evicted = this.throttle.evict(sim.scheduler.now, throttleEndFor(report, sim.profile));
      if (evicted.dropped) sim.trace.record({ t: sim.scheduler.now, type: 'heartbeatLost', attempt: this.attempt, details: this.pendingDetails, why: `dropped by the SDK: the attempt ${report.report === 'completed' ? 'succeeded' : report.report === 'willCompleteAsync' ? 'will complete asynchronously (X6)' : 'reports nothing'} (S4)` });
      if (report.report === 'willCompleteAsync') {
        // X6: nothing is sent; the server keeps the attempt open, its timers running.
        sim.trace.record({ t: sim.scheduler.now, type: 'willCompleteAsync', attempt: this.attempt });
      }
      this.afterEvict =
        report.report === 'nothing' || report.report === 'willCompleteAsync'
          ? () => this.finish()
          : () => {
              sim.rpc(this, 'report', () => sim.server.report(this.attempt, report), (response) => {
                sim.trace.record({ t: sim.scheduler.now, type: 'reported', attempt: this.attempt, report: report.report, accepted: response.status === 'ok' });
                this.finish();
              });
            };
      if ('send' in evicted) this.send(evicted.send);
      if (evicted.ready) this.afterEvict();
    };
    const settle = this.invocation?.settle;
    if (settle === undefined) proceed();
    else settle(report.report === 'failed' ? 'failure' : report.report === 'completed' || report.report === 'willCompleteAsync' ? 'success' : 'cancel', proceed);
  }

  private finish(): void {
    this.finished = true;
    this.sim.onRunFinished(this);
  }

  /** The process died under this attempt: pending throttled details are lost (H2). */
  onCrash(): void {
    if (this.windowEvent !== undefined) this.windowEvent.cancelled = true;
    if (this.localTimeout !== undefined) this.localTimeout.cancelled = true;
    this.afterEvict = undefined;
    const lost = this.throttle.drop();
    const sim = this.sim;
    if ('dropped' in lost) sim.trace.record({ t: sim.scheduler.now, type: 'heartbeatLost', attempt: this.attempt, details: this.pendingDetails, why: 'held by the throttle when the worker crashed' });
    if (!this.settled) sim.trace.record({ t: sim.scheduler.now, type: 'attemptEnded', attempt: this.attempt, how: 'crashed' });
  }
}

function windowEnd(arg: { run: AttemptRun; windowId: number }): void {
  arg.run.onWindowEnd(arg.windowId);
}

function localTimeoutFired(run: AttemptRun): void {
  run.cancel('TIMED_OUT');
}

/** `TypeError: boom` for a thrown error, a short description for anything else. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return `a non-Error value ${JSON.stringify(error)}`;
  } catch {
    return 'a non-Error value';
  }
}
