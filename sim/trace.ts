/**
 * The trace: every event of a simulation with its virtual time, in the order it happened.
 * Two runs with the same seed and fault plan produce the same trace, and so the same digest.
 */
import { Digest, fingerprint } from './digest.js';
import type { Payload, TimeoutType, TimerKind } from '../src/model/types.js';

/** One traced event. `t` is virtual milliseconds since the simulation started. */
export type TraceEvent =
  | { t: number; type: 'scheduled' }
  | { t: number; type: 'processStarted'; worker: string }
  | { t: number; type: 'crash'; worker: string; attempt: number; reason: string }
  | { t: number; type: 'dispatched'; attempt: number }
  | { t: number; type: 'attemptStarted'; attempt: number; worker: string; details: Payload }
  | { t: number; type: 'attemptEnded'; attempt: number; how: string; detail?: string }
  | { t: number; type: 'heartbeatCalled'; attempt: number; details: Payload }
  | { t: number; type: 'heartbeatSent'; attempt: number; details: Payload }
  | { t: number; type: 'heartbeatCoalesced'; attempt: number }
  | { t: number; type: 'heartbeatLost'; attempt: number; details: Payload; why: string }
  | { t: number; type: 'heartbeatRejected'; attempt: number }
  | { t: number; type: 'detailsStored'; attempt: number; details: Payload }
  | { t: number; type: 'timerFired'; timer: TimerKind; attempt: number }
  | { t: number; type: 'attemptTimedOut'; attempt: number; timeoutType: TimeoutType }
  | { t: number; type: 'retryScheduled'; nextAttempt: number; backoffMs: number; at: number; why: string }
  | { t: number; type: 'cancelRequested' }
  | { t: number; type: 'cancelDelivered'; attempt: number; reason: string }
  | { t: number; type: 'effect'; attempt: number; op: 'put' | 'add'; key: string; value: unknown; applied: boolean }
  | { t: number; type: 'worldFault'; attempt: number; call: number; op: string; key: string; fault: 'transient' | 'slow'; ms: number }
  | { t: number; type: 'rpcFault'; attempt: number; rpc: string; fault: 'lost' | 'delayed' | 'partitioned'; ms: number }
  | { t: number; type: 'partition'; worker: string; until: number }
  | { t: number; type: 'pause'; worker: string; until: number }
  | { t: number; type: 'shutdown'; worker: string; graceMs: number }
  | { t: number; type: 'noWorker'; until: number }
  | { t: number; type: 'detailsLoss'; attempt: number; losses: string[] }
  | { t: number; type: 'detailsMutated'; attempt: number; atCall: Payload; sent: Payload }
  | { t: number; type: 'reported'; attempt: number; report: string; accepted: boolean }
  | { t: number; type: 'closed'; status: string; attempt: number }
  /** X6: the attempt threw CompleteAsyncError: nothing reported, the server keeps it open. */
  | { t: number; type: 'willCompleteAsync'; attempt: number }
  /** X6: a client's async-completion RPC at the server; `attempt` 0 when it named no current attempt. */
  | { t: number; type: 'clientCall'; op: string; attempt: number; by: 'taskToken' | 'activityId'; caller: string; answer: string }
  /** The scenario's external system: a job submitted, received, started; a crash, a restart, a handler error. */
  | { t: number; type: 'external'; what: string; job?: number }
  /** The activity used part of an API hbsim does not simulate: the run stops here. */
  | { t: number; type: 'unsimulated'; what: string }
  /** A statement that ran on the simulated Postgres (`attempt` 0: the server itself), and what came of it. */
  | { t: number; type: 'sql'; attempt: number; conn: number; sql: string; params: unknown[]; outcome: string }
  /** A call to a service of the scenario (a user's client behind the simulator, or a fetch route), at the fake. */
  | { t: number; type: 'call'; attempt: number; service: string; method: string; args: unknown; outcome: string };

export type TraceEventType = TraceEvent['type'];

/**
 * How much of the trace to keep. `full`: every event. `lean`: every event but sink effects, which
 * are only counted and hashed (for benchmarks over many large runs; the digest is the same).
 */
export type TraceDetail = 'full' | 'lean';

/** Sink effects per chunk of a full trace's compact log. */
const CHUNK = 4096;

export class Trace {
  private readonly hash = new Digest();
  /** Also receives every event (a logger), if set. */
  listener: ((event: TraceEvent) => void) | undefined;
  private readonly keepEffects: boolean;
  /** Every event but sink effects, in order. */
  private readonly others: TraceEvent[] = [];
  /** For each of `others`, how many sink effects were recorded before it. */
  private readonly othersAfter: number[] = [];
  /**
   * Sink effects (`full` only), struct of arrays in chunks of {@link CHUNK} effects: no object
   * per effect on the hot path (numbers off the heap, out of the garbage collector's way), and
   * nothing ever copied to grow (a chunk is small: not in the large-object space); their
   * {@link TraceEvent} objects are made when {@link events} is first read.
   */
  private effectCount = 0;
  /** `t` and `attempt` of effect i at 2i and 2i + 1 of its chunk. */
  private readonly numberChunks: Float64Array[] = [];
  /** Bit 0: `add` (else `put`); bit 1: applied. */
  private readonly flagChunks: Uint8Array[] = [];
  /** `key` and `value` of effect i at 2i and 2i + 1 of its chunk. */
  private readonly refChunks: unknown[][] = [];
  /** The chunks being filled, and the next effect's place in them ({@link CHUNK}: none yet). */
  private numbers = new Float64Array(0);
  private flags = new Uint8Array(0);
  private refs: unknown[] = [];
  private place = CHUNK;
  /** The events made so far by {@link events}, and how far into `others` and the effects they go. */
  private readonly made: TraceEvent[] = [];
  private madeOthers = 0;
  private madeEffects = 0;

  constructor(detail: TraceDetail = 'full') {
    this.keepEffects = detail === 'full';
  }

  /** Every event recorded, in order (in `lean` mode, sink effects left out). Made on first read. */
  get events(): TraceEvent[] {
    const made = this.made;
    const others = this.others;
    const after = this.othersAfter;
    const n = this.effectCount;
    let e = this.madeEffects;
    for (let i = this.madeOthers; i < others.length; i++) {
      for (const end = after[i]!; e < end; e++) made.push(this.effectEvent(e));
      made.push(others[i]!);
    }
    for (; e < n; e++) made.push(this.effectEvent(e));
    this.madeOthers = others.length;
    this.madeEffects = n;
    return made;
  }

  private effectEvent(i: number): TraceEvent {
    const c = (i / CHUNK) | 0;
    const j = i - c * CHUNK;
    const flags = this.flagChunks[c]![j]!;
    const nums = this.numberChunks[c]!;
    const refs = this.refChunks[c]!;
    return { t: nums[2 * j]!, type: 'effect', attempt: nums[2 * j + 1]!, op: (flags & 1) !== 0 ? 'add' : 'put', key: refs[2 * j] as string, value: refs[2 * j + 1], applied: (flags & 2) !== 0 };
  }

  record(event: TraceEvent): void {
    if (event.type === 'effect') return this.effect(event.t, event.attempt, event.op, event.key, event.value, event.applied);
    this.hash.event(event);
    this.others.push(event);
    this.othersAfter.push(this.effectCount);
    this.listener?.(event);
  }

  /**
   * A sink effect (the hot path: no event object is made, unless a listener wants one).
   * `keyPrint`: `fingerprint(key)`, if the caller took it already.
   */
  effect(t: number, attempt: number, op: 'put' | 'add', key: string, value: unknown, applied: boolean, keyPrint = fingerprint(key)): void {
    // The same mixing as the digest of the event object { t, type, attempt, op, key, value, applied }.
    this.hash.effect(t, attempt, op, keyPrint, value, applied);
    if (this.keepEffects) {
      if (this.place === CHUNK) this.newChunk();
      const j = this.place++;
      this.effectCount++;
      const numbers = this.numbers;
      numbers[2 * j] = t;
      numbers[2 * j + 1] = attempt;
      this.flags[j] = (op === 'add' ? 1 : 0) | (applied ? 2 : 0);
      const refs = this.refs;
      refs[2 * j] = key;
      refs[2 * j + 1] = value;
    }
    if (this.listener !== undefined) this.listener({ t, type: 'effect', attempt, op, key, value, applied });
  }

  private newChunk(): void {
    this.numbers = new Float64Array(2 * CHUNK);
    this.flags = new Uint8Array(CHUNK);
    this.refs = new Array<unknown>(2 * CHUNK).fill(undefined);
    this.numberChunks.push(this.numbers);
    this.flagChunks.push(this.flags);
    this.refChunks.push(this.refs);
    this.place = 0;
  }

  /** A 64-bit hash (16 hex digits) of every event recorded, fields included, in order. */
  digest(): string {
    return this.hash.hex();
  }
}

/** `00:01:32.400` for 92400 ms (days are counted in hours). */
export function formatTime(ms: number): string {
  const whole = Math.floor(ms);
  const h = Math.floor(whole / 3_600_000);
  const m = Math.floor(whole / 60_000) % 60;
  const s = Math.floor(whole / 1000) % 60;
  const milli = whole % 1000;
  const frac = ms - whole;
  const tail = frac > 0 ? String(frac.toFixed(3)).slice(1).replace(/0+$/, '') : '';
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(milli).padStart(3, '0')}${tail}`;
}

function show(details: Payload): string {
  if (details === undefined) return '(none)';
  return details.length > 80 ? details.slice(0, 77) + '...' : details;
}

/** One human line per event, virtual time first. */
export function formatEvent(ev: TraceEvent): string {
  const t = formatTime(ev.t);
  switch (ev.type) {
    case 'scheduled': return `${t}  activity scheduled`;
    case 'processStarted': return `${t}  worker ${ev.worker} process started`;
    case 'crash': return `${t}  CRASH worker ${ev.worker}${ev.attempt > 0 ? ` (running attempt ${ev.attempt})` : ''}: ${ev.reason}`;
    case 'dispatched': return `${t}  attempt ${ev.attempt} task queued`;
    case 'attemptStarted': return `${t}  attempt ${ev.attempt} started on ${ev.worker}, details ${show(ev.details)}`;
    case 'attemptEnded': return `${t}  attempt ${ev.attempt} ended: ${ev.how}${ev.detail ? ` (${ev.detail})` : ''}`;
    case 'heartbeatCalled': return `${t}  attempt ${ev.attempt} heartbeat(${show(ev.details)})`;
    case 'heartbeatSent': return `${t}  attempt ${ev.attempt} heartbeat sent ${show(ev.details)}`;
    case 'heartbeatCoalesced': return `${t}  attempt ${ev.attempt} heartbeat held by the throttle`;
    case 'heartbeatLost': return `${t}  attempt ${ev.attempt} heartbeat lost (${ev.why}): ${show(ev.details)}`;
    case 'heartbeatRejected': return `${t}  attempt ${ev.attempt} heartbeat rejected: NotFound`;
    case 'detailsStored': return `${t}  server stored details of attempt ${ev.attempt}: ${show(ev.details)}`;
    case 'timerFired': return `${t}  server timer ${ev.timer} fired (attempt ${ev.attempt})`;
    case 'attemptTimedOut': return `${t}  attempt ${ev.attempt} timed out: ${ev.timeoutType}`;
    case 'retryScheduled': return `${t}  retry: attempt ${ev.nextAttempt} in ${ev.backoffMs} ms (${ev.why})`;
    case 'cancelRequested': return `${t}  cancel requested`;
    case 'cancelDelivered': return `${t}  attempt ${ev.attempt} cancelled: ${ev.reason}`;
    case 'effect': return `${t}  attempt ${ev.attempt} sink.${ev.op}(${ev.key}, ${JSON.stringify(ev.value)})${ev.applied ? '' : ' (no-op: idempotency key seen)'}`;
    case 'worldFault': return ev.fault === 'transient'
      ? `${t}  attempt ${ev.attempt} ${ev.op}(${ev.key}) will fail: injected ${ev.op === 'sql' ? 'transient Postgres fault' : 'TransientError'}`
      : `${t}  attempt ${ev.attempt} ${ev.op}(${ev.key}) slowed to ${ev.ms} ms (latency spike)`;
    case 'rpcFault': return `${t}  attempt ${ev.attempt} ${ev.rpc} RPC ${ev.fault === 'delayed' ? `delayed by ${ev.ms} ms` : ev.fault === 'lost' ? 'lost' : 'failed: worker partitioned from the server'}`;
    case 'partition': return `${t}  PARTITION: ${ev.worker} cut off from the server until ${formatTime(ev.until)}`;
    case 'pause': return `${t}  PAUSE: ${ev.worker}'s event loop frozen until ${formatTime(ev.until)}`;
    case 'shutdown': return `${t}  SHUTDOWN of ${ev.worker} (grace ${ev.graceMs} ms)`;
    case 'noWorker': return `${t}  no worker polls until ${formatTime(ev.until)}`;
    case 'detailsLoss': return `${t}  attempt ${ev.attempt} heartbeat details do not survive the payload converter: ${ev.losses.join('; ')}`;
    case 'detailsMutated': return `${t}  attempt ${ev.attempt} heartbeat details mutated after heartbeat(): called with ${show(ev.atCall)}, sent ${show(ev.sent)}`;
    case 'reported': return `${t}  attempt ${ev.attempt} reported ${ev.report}${ev.accepted ? '' : ' (rejected: NotFound)'}`;
    case 'closed': return `${t}  activity closed: ${ev.status} (attempt ${ev.attempt})`;
    case 'call': return `${t}  attempt ${ev.attempt} ${ev.service}.${ev.method.includes(' ') ? `[${ev.method}]` : ev.method}(${showParams(ev.args as unknown[])}) -> ${ev.outcome}`;
    case 'sql': return `${t}  ${ev.attempt > 0 ? `attempt ${ev.attempt}` : 'postgres'} conn ${ev.conn} SQL ${oneLine(ev.sql)}${ev.params.length > 0 ? ` ${showParams(ev.params)}` : ''} -> ${ev.outcome}`;
    case 'willCompleteAsync': return `${t}  attempt ${ev.attempt} will complete asynchronously (threw CompleteAsyncError): nothing reported, the server keeps it open`;
    case 'clientCall': return `${t}  client.activity.${ev.op} by ${ev.by === 'taskToken' ? 'task token' : 'activity id'}${ev.attempt > 0 ? ` (attempt ${ev.attempt})` : ''} from ${ev.caller}: ${ev.answer}`;
    case 'external': return `${t}  external system: ${ev.what}`;
    case 'unsimulated': return `${t}  NOT SIMULATED: ${ev.what}`;
  }
}

/** A statement on one line, shortened. */
export function oneLine(sql: string): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > 120 ? one.slice(0, 117) + '...' : one;
}

/** Statement parameters, shortened (a batch's arrays can be long). */
export function showParams(params: readonly unknown[]): string {
  const s = JSON.stringify(params, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : Array.isArray(v) && v.length > 6 ? [...v.slice(0, 6), `... ${v.length - 6} more`] : v));
  return s.length > 160 ? s.slice(0, 157) + '...' : s;
}
