/**
 * What the timeline draws, as data (no pixels, no HTML): a server row, a workers row and one
 * lane per attempt, each with point marks and spans in virtual time; sink effects per lane as
 * density bins, except the effects on highlighted keys, which are kept one by one.
 */
import type { SimulationResult } from '../../sim/simulation.js';
import { formatEvent, formatTime, oneLine } from '../../sim/trace.js';
import { clip } from './escape.js';
import { describeOutcome } from '../../sim/outcome-text.js';
import { rewriteFlags } from './rewrites.js';
import { shortTime } from './time-axis.js';

export type MarkKind =
  | 'scheduled' | 'dispatched' | 'timer' | 'cancelRequested' | 'closed'
  | 'processStarted' | 'crash' | 'shutdown'
  | 'hbCall' | 'hbHeld' | 'hbSent' | 'hbLost' | 'hbRejected' | 'stored'
  | 'timeout' | 'cancel' | 'ended' | 'reported' | 'worldFault' | 'rpcFault' | 'retry';

export type SpanKind = 'backoff' | 'partition' | 'noWorker' | 'serverWait' | 'zombie' | 'queued';

export type Tone = 'ok' | 'bad' | 'warn' | 'cancel' | 'neutral';

export interface Mark {
  readonly kind: MarkKind;
  readonly t: number;
  /** Plain text for the hover title (escaped when drawn). */
  readonly title: string;
  /** Index of the trace event it stands for. */
  readonly event: number;
  /** A short visible label, if any. */
  readonly label?: string;
  readonly tone?: Tone;
}

export interface Span {
  readonly kind: SpanKind;
  readonly from: number;
  readonly to: number;
  readonly title: string;
  readonly label?: string;
  readonly event?: number;
}

/** Effects of one lane in `bins` equal slices of [0, endMs]. */
export interface EffectBins {
  readonly total: Uint32Array;
  readonly rewrites: Uint32Array;
  readonly firstKey: (string | undefined)[];
  readonly lastKey: (string | undefined)[];
  readonly firstEvent: Int32Array;
  count: number;
}

export interface HighlightedEffect {
  readonly t: number;
  readonly key: string;
  readonly title: string;
  readonly event: number;
}

export interface Row {
  readonly marks: Mark[];
  readonly spans: Span[];
}

export interface Lane extends Row {
  readonly attempt: number;
  readonly worker: string;
  /** The worker host (`worker-1` for process `worker-1#2`). */
  readonly host: string;
  readonly how: string;
  readonly tone: Tone;
  readonly startedAt: number;
  /** When the attempt ended for the server (or the end of the run if it never did). */
  readonly endedAt: number;
  readonly open: boolean;
  readonly effects: EffectBins;
  readonly highlighted: HighlightedEffect[];
}

export interface LaneModel {
  readonly endMs: number;
  readonly bins: number;
  readonly server: Row;
  readonly workers: Row;
  readonly lanes: Lane[];
  /** Partitions, by host, for shading the lanes of that host. */
  readonly partitions: { readonly host: string; readonly from: number; readonly to: number; readonly title: string }[];
  readonly highlightTimes: readonly number[];
  /** Highlighted effects not drawn one by one (over {@link MAX_HIGHLIGHTED}). */
  highlightedDropped: number;
}

/** Effects on highlighted keys drawn individually, at most. */
export const MAX_HIGHLIGHTED = 300;
const TITLE_DETAILS = 600;

export function toneOf(how: string): Tone {
  if (how === 'completed') return 'ok';
  if (how === 'crashed' || how.startsWith('failed')) return 'bad';
  if (how.startsWith('timed out') || how === 'timedOut' || how === 'stuck' || how === 'timeLimit') return 'warn';
  if (how.startsWith('cancel')) return 'cancel';
  return 'neutral';
}

function detailsText(details: string | undefined): string {
  return details === undefined ? '(none)' : clip(details, TITLE_DETAILS);
}

/** The last virtual time the timeline must show. */
export function endOf(result: SimulationResult): number {
  let end = result.endedAt;
  for (const ev of result.trace) if (ev.t > end) end = ev.t;
  for (const a of result.attempts) if (a.endedAt !== undefined && a.endedAt > end) end = a.endedAt;
  return Math.max(end, 1);
}

function emptyBins(bins: number): EffectBins {
  return {
    total: new Uint32Array(bins),
    rewrites: new Uint32Array(bins),
    firstKey: new Array<string | undefined>(bins).fill(undefined),
    lastKey: new Array<string | undefined>(bins).fill(undefined),
    firstEvent: new Int32Array(bins).fill(-1),
    count: 0,
  };
}

export function buildLaneModel(
  result: SimulationResult,
  options: { readonly bins: number; readonly keys?: readonly string[]; readonly times?: readonly number[] },
): LaneModel {
  const endMs = endOf(result);
  const bins = options.bins;
  const keys = new Set(options.keys ?? []);
  const server: Row = { marks: [], spans: [] };
  const workers: Row = { marks: [], spans: [] };
  const lanes: Lane[] = result.attempts.map((a) => ({
    attempt: a.attempt,
    worker: a.worker,
    host: a.worker.split('#')[0]!,
    how: a.how,
    tone: toneOf(a.how),
    startedAt: a.startedAt,
    endedAt: a.endedAt ?? endMs,
    open: a.endedAt === undefined,
    marks: [],
    spans: [],
    effects: emptyBins(bins),
    highlighted: [],
  }));
  const byAttempt = new Map<number, Lane>();
  for (const lane of lanes) byAttempt.set(lane.attempt, lane);
  const model: LaneModel = { endMs, bins, server, workers, lanes, partitions: [], highlightTimes: options.times ?? [], highlightedDropped: 0 };
  const rewrites = rewriteFlags(result.trace);
  /** Last worker-side activity per attempt (for zombies). */
  const lastWorkerAt = new Map<number, number>();
  const timedOutAt = new Map<number, number>();
  let highlightedCount = 0;
  // When some effects on the highlighted keys happen at the highlighted times, those are the ones
  // the verdict is about (e.g. the two applications of a record): draw only them.
  const timeSet = new Set(options.times ?? []);
  const highlightTimeSet = result.trace.some((e) => e.type === 'effect' && keys.has(e.key) && timeSet.has(e.t)) ? timeSet : new Set<number>();
  const binOf = (t: number): number => Math.min(bins - 1, Math.max(0, Math.floor((t / endMs) * bins)));

  const trace = result.trace;
  for (let i = 0; i < trace.length; i++) {
    const ev = trace[i]!;
    const line = formatEvent(ev);
    const mark = (row: Row | undefined, kind: MarkKind, extra?: { title?: string; label?: string; tone?: Tone }): void => {
      row?.marks.push({ kind, t: ev.t, title: extra?.title ?? line, event: i, ...(extra?.label !== undefined ? { label: extra.label } : {}), ...(extra?.tone !== undefined ? { tone: extra.tone } : {}) });
    };
    const worked = (attempt: number): void => {
      if ((lastWorkerAt.get(attempt) ?? -1) < ev.t) lastWorkerAt.set(attempt, ev.t);
    };
    switch (ev.type) {
      case 'effect': {
        const lane = byAttempt.get(ev.attempt);
        worked(ev.attempt);
        if (lane === undefined) break;
        // With times given, only the effects on the keys at those times (the ones the verdict is about).
        if (keys.has(ev.key) && (highlightTimeSet.size === 0 || highlightTimeSet.has(ev.t))) {
          if (highlightedCount++ < MAX_HIGHLIGHTED) lane.highlighted.push({ t: ev.t, key: ev.key, title: line, event: i });
          else model.highlightedDropped++;
        }
        const b = binOf(ev.t);
        const fx = lane.effects;
        fx.count++;
        fx.total[b]!++;
        if (rewrites[i] === 1) fx.rewrites[b]!++;
        if (fx.firstEvent[b] === -1) {
          fx.firstEvent[b] = i;
          fx.firstKey[b] = ev.key;
        }
        fx.lastKey[b] = ev.key;
        break;
      }
      case 'sql': {
        // A statement on the simulated Postgres: counted with the attempt's effects; those at the
        // verdict's times (the statements that wrote the row it is about) highlighted.
        const lane = byAttempt.get(ev.attempt);
        if (lane === undefined) break;
        worked(ev.attempt);
        if (timeSet.has(ev.t)) {
          if (highlightedCount++ < MAX_HIGHLIGHTED) lane.highlighted.push({ t: ev.t, key: `SQL ${oneLine(ev.sql)}`, title: line, event: i });
          else model.highlightedDropped++;
        }
        const b = binOf(ev.t);
        const fx = lane.effects;
        fx.count++;
        fx.total[b]!++;
        if (fx.firstEvent[b] === -1) {
          fx.firstEvent[b] = i;
          fx.firstKey[b] = oneLine(ev.sql);
        }
        fx.lastKey[b] = oneLine(ev.sql);
        break;
      }
      case 'scheduled': mark(server, 'scheduled'); break;
      case 'dispatched': mark(server, 'dispatched'); break;
      case 'timerFired': mark(server, 'timer'); break;
      case 'cancelRequested': mark(server, 'cancelRequested'); break;
      case 'closed': {
        const label = `${ev.status} (attempt ${ev.attempt})`;
        mark(server, 'closed', { label, tone: toneOf(ev.status), title: `${line}\n${describeOutcome(result.outcome)}` });
        break;
      }
      case 'retryScheduled': {
        const title = `${line}\nbackoff ${shortTime(ev.backoffMs)}: ${formatTime(ev.t)} → ${formatTime(ev.at)}`;
        server.spans.push({ kind: 'backoff', from: ev.t, to: ev.at, title, label: `retry #${ev.nextAttempt} after ${shortTime(ev.backoffMs)}`, event: i });
        const next = byAttempt.get(ev.nextAttempt);
        if (next !== undefined) {
          mark(next, 'retry', { title });
          next.spans.push({ kind: 'queued', from: ev.t, to: next.startedAt, title: `${title}\nattempt ${next.attempt} started at ${formatTime(next.startedAt)}`, label: `retry after ${shortTime(ev.backoffMs)} backoff (${ev.why})`, event: i });
        }
        break;
      }
      case 'processStarted': mark(workers, 'processStarted'); break;
      case 'crash':
        mark(workers, 'crash');
        if (ev.attempt > 0) mark(byAttempt.get(ev.attempt), 'crash');
        break;
      case 'shutdown': mark(workers, 'shutdown'); break;
      case 'partition': {
        const to = Math.min(ev.until, endMs);
        workers.spans.push({ kind: 'partition', from: ev.t, to, title: line, label: `${ev.worker} partitioned`, event: i });
        model.partitions.push({ host: ev.worker.split('#')[0]!, from: ev.t, to, title: line });
        break;
      }
      case 'noWorker':
        workers.spans.push({ kind: 'noWorker', from: ev.t, to: Math.min(ev.until, endMs), title: line, label: 'no worker polls', event: i });
        break;
      case 'attemptStarted': break; // the lane itself
      case 'attemptEnded': mark(byAttempt.get(ev.attempt), 'ended', { tone: ev.how === 'returned' ? 'ok' : 'bad' }); break;
      case 'heartbeatCalled':
        worked(ev.attempt);
        mark(byAttempt.get(ev.attempt), 'hbCall', { title: `${formatTime(ev.t)}  attempt ${ev.attempt} heartbeat() called with\n${detailsText(ev.details)}` });
        break;
      case 'heartbeatSent':
        worked(ev.attempt);
        mark(byAttempt.get(ev.attempt), 'hbSent', { title: `${formatTime(ev.t)}  attempt ${ev.attempt} heartbeat RPC sent with\n${detailsText(ev.details)}` });
        break;
      case 'heartbeatCoalesced': mark(byAttempt.get(ev.attempt), 'hbHeld'); break;
      case 'heartbeatLost':
        mark(byAttempt.get(ev.attempt), 'hbLost', { title: `${formatTime(ev.t)}  attempt ${ev.attempt} heartbeat lost (${ev.why}):\n${detailsText(ev.details)}` });
        break;
      case 'heartbeatRejected': mark(byAttempt.get(ev.attempt), 'hbRejected'); break;
      case 'detailsStored':
        mark(byAttempt.get(ev.attempt), 'stored', { title: `${formatTime(ev.t)}  server stored details of attempt ${ev.attempt}:\n${detailsText(ev.details)}` });
        break;
      case 'attemptTimedOut':
        timedOutAt.set(ev.attempt, ev.t);
        mark(byAttempt.get(ev.attempt), 'timeout');
        break;
      case 'cancelDelivered': mark(byAttempt.get(ev.attempt), 'cancel'); break;
      case 'reported': mark(byAttempt.get(ev.attempt), 'reported', { tone: ev.accepted ? 'ok' : 'bad' }); break;
      case 'worldFault':
        worked(ev.attempt);
        mark(byAttempt.get(ev.attempt), 'worldFault');
        break;
      case 'rpcFault': mark(byAttempt.get(ev.attempt), 'rpcFault'); break;
    }
  }

  const o = result.outcome;
  if (o.status === 'stuck' || o.status === 'timeLimit') {
    server.marks.push({ kind: 'closed', t: o.at, title: describeOutcome(o), event: trace.length - 1, label: o.status === 'stuck' ? 'stuck (never closed)' : 'time limit reached', tone: 'warn' });
  }

  for (const lane of lanes) {
    if (lane.open) continue;
    const timeout = timedOutAt.get(lane.attempt);
    if (timeout !== undefined && timeout > lane.endedAt) {
      lane.spans.push({
        kind: 'serverWait',
        from: lane.endedAt,
        to: timeout,
        title: `attempt ${lane.attempt}: the worker is gone since ${formatTime(lane.endedAt)}, the server counts the attempt as running until it times out at ${formatTime(timeout)}`,
        label: 'server waits for a timeout',
      });
    }
    const last = lastWorkerAt.get(lane.attempt);
    if (last !== undefined && last > lane.endedAt) {
      lane.spans.push({
        kind: 'zombie',
        from: lane.endedAt,
        to: last,
        title: `attempt ${lane.attempt} is a zombie: it ended for the server at ${formatTime(lane.endedAt)} but kept running (heartbeats, world calls, sink effects) until ${formatTime(last)}`,
        label: 'zombie',
      });
    }
  }
  return model;
}
