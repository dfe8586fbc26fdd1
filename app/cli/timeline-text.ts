/**
 * The text timeline of a run, one line per event, virtual time first. Routine work (sink effects
 * not about the violation, heartbeat() calls, calls held by the throttle) is folded into one line
 * per stretch between two notable events.
 */
import { formatEvent, formatTime, type TraceEvent } from '../../sim/trace.js';

export interface TimelineOptions {
  /** Keys whose effects are always shown (only those at `times`, when times are given). */
  readonly keys?: readonly string[];
  readonly times?: readonly number[];
  /** Print every event. */
  readonly all?: boolean;
  /** At most this many lines (the rest is summarised); default 120. */
  readonly maxLines?: number;
}

interface Fold {
  attempt: number;
  from: number;
  to: number;
  effects: number;
  calls: number;
  held: number;
}

function foldLine(f: Fold): string {
  const parts: string[] = [];
  if (f.effects > 0) parts.push(`${f.effects} sink effect${f.effects === 1 ? '' : 's'}`);
  if (f.calls > 0) parts.push(`${f.calls} heartbeat() call${f.calls === 1 ? '' : 's'}${f.held > 0 ? ` (${f.held} held by the throttle)` : ''}`);
  return `${formatTime(f.from)}  attempt ${f.attempt}: ${parts.join(', ')}${f.to > f.from ? ` until ${formatTime(f.to)}` : ''}`;
}

/**
 * The trace in causal order for reading: a `heartbeat()` call is traced when the SDK has encoded
 * it (S3: microtasks later), which can fall after the attempt already ended at the same virtual
 * time (`heartbeat(1); throw ...`); the call came first, so it is listed first. Nothing else moves.
 */
export function causalOrder(trace: readonly TraceEvent[]): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (const ev of trace) {
    if (ev.type === 'heartbeatCalled' || ev.type === 'heartbeatCoalesced') {
      let i = out.length;
      while (i > 0 && out[i - 1]!.t === ev.t && !(out[i - 1]!.type === 'attemptEnded' && (out[i - 1] as { attempt: number }).attempt === ev.attempt)) i--;
      if (i > 0 && out[i - 1]!.t === ev.t && out[i - 1]!.type === 'attemptEnded') {
        out.splice(i - 1, 0, ev);
        continue;
      }
    }
    out.push(ev);
  }
  return out;
}

export function timelineLines(trace: readonly TraceEvent[], options: TimelineOptions = {}): string[] {
  const keys = new Set(options.keys ?? []);
  const times = new Set(options.times ?? []);
  const marked = (ev: TraceEvent): boolean => ev.type === 'effect' && keys.has(ev.key) && (times.size === 0 || times.has(ev.t));
  const lines: string[] = [];
  let fold: Fold | undefined;
  const flush = (): void => {
    if (fold !== undefined) lines.push(foldLine(fold));
    fold = undefined;
  };
  for (const ev of causalOrder(trace)) {
    const routine = !options.all && ((ev.type === 'effect' && !marked(ev)) || ev.type === 'heartbeatCalled' || ev.type === 'heartbeatCoalesced');
    if (routine) {
      const attempt = ev.attempt;
      if (fold === undefined || fold.attempt !== attempt) {
        flush();
        fold = { attempt, from: ev.t, to: ev.t, effects: 0, calls: 0, held: 0 };
      }
      fold.to = ev.t;
      if (ev.type === 'effect') fold.effects++;
      else if (ev.type === 'heartbeatCalled') fold.calls++;
      else fold.held++;
      continue;
    }
    flush();
    lines.push(formatEvent(ev) + (marked(ev) ? '   <--' : ''));
  }
  flush();
  const max = options.all ? Infinity : options.maxLines ?? 120;
  if (lines.length <= max) return lines;
  const head = Math.floor(max / 2);
  return [...lines.slice(0, head), `... ${lines.length - max} more lines (--verbose prints them all) ...`, ...lines.slice(lines.length - (max - head))];
}
