/**
 * The text timeline: one line per trace event (`formatEvent`), as an HTML list. In a large
 * trace, runs of bulk events (sink effects; heartbeat calls when there are very many) collapse
 * into one summary line per attempt between two other events, except the events the verdict names
 * (highlighted).
 */
import { formatEvent, formatTime, type TraceEvent } from '../../sim/trace.js';
import { clip, escapeHtml } from './escape.js';

/** Sink effects shown one by one when the trace has at most this many. */
export const EFFECT_LINES = 200;
/** heartbeat() calls (and throttled calls) shown one by one when there are at most this many. */
export const CALL_LINES = 1000;
/** Highlighted effects shown one by one, at most (more are collapsed like the others). */
const MAX_HIGHLIGHTED_LINES = 2000;

export interface TextTimeline {
  /** The `<ol>` of lines. */
  readonly html: string;
  readonly lines: number;
  /** The id of the line showing trace event `i` (a collapsed run's line for its events). */
  readonly anchorOf: (event: number) => string | undefined;
}

interface Run {
  readonly start: number;
  readonly attempt: number;
  end: number;
  readonly events: number[];
  effects: number;
  rewrites: number;
  calls: number;
  held: number;
  firstKey: string | undefined;
  lastKey: string | undefined;
}

export function renderTextTimeline(
  trace: readonly TraceEvent[],
  rewrites: Uint8Array,
  highlight: { readonly keys?: readonly string[]; readonly times?: readonly number[] },
): TextTimeline {
  const keys = new Set(highlight.keys ?? []);
  const times = new Set(highlight.times ?? []);
  // What the verdict names: with keys, the effects on those keys (only those at the given times
  // when some are, e.g. a duplicated add and its first application); without keys, the events
  // at the given times (e.g. the two details stores of a progress that went back).
  const namedTimes = trace.some((e) => e.type === 'effect' && keys.has(e.key) && times.has(e.t));
  const isNamed = (ev: TraceEvent): boolean =>
    keys.size === 0 ? times.has(ev.t) : ev.type === 'effect' && keys.has(ev.key) && (!namedTimes || times.has(ev.t));
  let effects = 0;
  let calls = 0;
  for (const ev of trace) {
    if (ev.type === 'effect') effects++;
    else if (ev.type === 'heartbeatCalled' || ev.type === 'heartbeatCoalesced') calls++;
  }
  const collapseEffects = effects > EFFECT_LINES;
  const collapseCalls = calls > CALL_LINES;
  const lineOf = new Int32Array(trace.length).fill(-1);
  const parts: string[] = [];
  let line = 0;
  let shownHighlighted = 0;
  /** Open runs of collapsed events, one per attempt, in the order they started. */
  const runs = new Map<number, Run>();

  const flushAll = (): void => {
    for (const r of [...runs.values()].sort((a, b) => a.start - b.start)) {
      const what: string[] = [];
      if (r.effects > 0) {
        const range = r.firstKey === r.lastKey ? clip(r.firstKey ?? '', 80) : `${clip(r.firstKey ?? '', 80)} … ${clip(r.lastKey ?? '', 80)}`;
        what.push(`${r.effects} sink effect${r.effects === 1 ? '' : 's'} (${range}${r.rewrites > 0 ? `; ${r.rewrites} redoing a key already written` : ''})`);
      }
      if (r.calls > 0) what.push(`${r.calls} heartbeat() call${r.calls === 1 ? '' : 's'}`);
      if (r.held > 0) what.push(`${r.held} held by the throttle`);
      const from = formatTime(trace[r.start]!.t);
      const to = formatTime(trace[r.end]!.t);
      const textLine = `${from}${from === to ? '' : ` – ${to}`}  attempt ${r.attempt}: ${what.join(', ')}`;
      for (const i of r.events) lineOf[i] = line;
      parts.push(`<li id="l${line}" class="bulk" data-a="${r.attempt}">${escapeHtml(textLine)}</li>`);
      line++;
    }
    runs.clear();
  };

  for (let i = 0; i < trace.length; i++) {
    const ev = trace[i]!;
    const highlighted = isNamed(ev);
    const bulk = (ev.type === 'effect' && collapseEffects && !(highlighted && shownHighlighted < MAX_HIGHLIGHTED_LINES))
      || ((ev.type === 'heartbeatCalled' || ev.type === 'heartbeatCoalesced') && collapseCalls && !highlighted);
    if (bulk && 'attempt' in ev) {
      let run = runs.get(ev.attempt);
      if (run === undefined) {
        run = { start: i, attempt: ev.attempt, end: i, events: [], effects: 0, rewrites: 0, calls: 0, held: 0, firstKey: undefined, lastKey: undefined };
        runs.set(ev.attempt, run);
      }
      run.end = i;
      run.events.push(i);
      if (ev.type === 'effect') {
        run.effects++;
        if (rewrites[i] === 1) run.rewrites++;
        run.firstKey ??= ev.key;
        run.lastKey = ev.key;
      } else if (ev.type === 'heartbeatCalled') run.calls++;
      else run.held++;
      continue;
    }
    if (runs.size > 0) flushAll();
    if (highlighted && ev.type === 'effect') shownHighlighted++;
    lineOf[i] = line;
    const cls = `ev-${ev.type}${highlighted ? ' hl' : ''}${ev.type === 'effect' && rewrites[i] === 1 ? ' redo' : ''}`;
    const attempt = 'attempt' in ev ? ` data-a="${ev.attempt}"` : '';
    parts.push(`<li id="l${line}" class="${cls}"${attempt}>${escapeHtml(formatEvent(ev))}</li>`);
    line++;
  }
  flushAll();
  return {
    html: `<ol id="tl-lines" class="tl">${parts.join('\n')}</ol>`,
    lines: line,
    anchorOf: (event) => {
      const l = lineOf[event];
      return l === undefined || l < 0 ? undefined : `l${l}`;
    },
  };
}
